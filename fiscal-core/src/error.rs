//! Errors: one enum at the crate boundary, and the stable codes every problem carries.
//!
//! A code never changes meaning and is never reused (SPEC.md §9 lists them all). Callers,
//! bindings and conformance vectors match on the code, never on message text.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::time::Timestamp;

/// Everything that can go wrong at the `fiscal-core` boundary. Each variant has a stable
/// [`ErrorCode`] ([`Error::code`]); a failed device operation changes nothing in the state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request broke one or more rules. Every problem found is listed, not just the first.
    #[error("{0}")]
    Invalid(Problems),
    /// The certificate's data breaks a rule (NM-09).
    #[error("invalid certificate: {0}")]
    InvalidCertificate(String),
    /// The certificate is not signed by the trusted authority (NM-10).
    #[error("the certificate is not signed by the tax authority")]
    CertificateSignature,
    /// The certificate is not valid yet.
    #[error("the certificate is valid only from {from}")]
    CertificateNotYetValid {
        /// Start of validity.
        from: Timestamp,
    },
    /// The certificate has expired: the kassa may not be used (NM-08, U-08).
    #[error(
        "the certificate expired at {at}; the kassa may not be used until a new one is loaded"
    )]
    CertificateExpired {
        /// End of validity.
        at: Timestamp,
    },
    /// The device key does not belong to the certificate (NM-10).
    #[error("the device key does not match the certificate's public key")]
    KeyMismatch,
    /// Wrong PIN (NM-07).
    #[error("wrong PIN; {attempts_left} attempts left before the device locks")]
    WrongPin {
        /// Attempts left.
        attempts_left: u8,
    },
    /// Too many wrong PINs: the device is locked until the operator re-activates it (NM-07).
    #[error("the device is locked after too many wrong PINs; the operator must re-activate it")]
    Locked,
    /// A cash operation before the PIN was entered (NM-07).
    #[error("enter the PIN first: no cash operation without it")]
    NotUnlocked,
    /// The device was taken out of service (LC-02, NM-12).
    #[error("the device has been taken out of service")]
    Decommissioned,
    /// A shift is already open.
    #[error("a shift is already open")]
    ShiftAlreadyOpen,
    /// No shift is open.
    #[error("no shift is open: open a shift first")]
    NoOpenShift,
    /// The shift has lasted 24 hours: close it (Z-report) before the next receipt.
    #[error("the shift opened at {opened_at} has lasted 24 hours: close it with a Z-report first")]
    ShiftTooLong {
        /// When the shift opened.
        opened_at: Timestamp,
    },
    /// The time is not later than the previous document's (NM-04).
    #[error("the time must be later than the previous document's ({previous})")]
    TimeNotIncreasing {
        /// The previous document's time.
        previous: Timestamp,
    },
    /// The oldest document not yet uploaded is more than 7 days old (NM-04, U-06).
    #[error("document {number} of {oldest} has not been uploaded for 7 days: upload before issuing more")]
    OfflineTooLong {
        /// Its number.
        number: u64,
        /// Its time.
        oldest: Timestamp,
    },
    /// 4000 documents are waiting for upload (NM-05).
    #[error("{pending} documents are waiting for upload: upload before issuing more")]
    TooManyPending {
        /// How many.
        pending: u64,
    },
    /// The request expected another previous document number: it was already issued, or the
    /// POS is out of step (NM-03).
    #[error("the request expects document {expected} to be the last, but the last is {last}")]
    SequenceMismatch {
        /// What the request expected.
        expected: u64,
        /// The device's last number.
        last: u64,
    },
    /// More cash would leave the drawer than is in it.
    #[error("only {in_drawer} in cash is in the drawer")]
    CashInsufficient {
        /// Cash in the drawer.
        in_drawer: crate::Amount,
    },
    /// The shift must be closed first (LC-02).
    #[error("close the shift first")]
    ShiftOpen,
    /// Documents not yet uploaded (LC-02).
    #[error("{pending} documents have not been uploaded yet")]
    PendingUploads {
        /// How many.
        pending: u64,
    },
    /// An upload acknowledgement that does not fit the device's documents.
    #[error("invalid upload acknowledgement: {0}")]
    InvalidAcknowledgement(String),
    /// A referenced receipt was not supplied (RC-17).
    #[error("the receipt {reference} was not supplied with the request")]
    ReferenceNotFound {
        /// The reference.
        reference: String,
    },
    /// A supplied receipt is not authentic: not signed by this device (NM-11).
    #[error("the receipt {reference} is not authentic")]
    ReferenceNotAuthentic {
        /// The reference.
        reference: String,
    },
    /// A referenced document is of a kind that cannot be referenced this way (RC-17).
    #[error("document {reference} cannot be referenced here: {why}")]
    ReferenceWrongKind {
        /// The reference.
        reference: String,
        /// Why.
        why: String,
    },
    /// A cancel of a receipt outside the open shift: use a return (FP-05).
    #[error("only receipts of the open shift can be cancelled; return the goods instead")]
    CancelOutsideShift,
    /// The receipt was already cancelled.
    #[error("receipt {number} is already cancelled")]
    AlreadyCancelled {
        /// Its number.
        number: u64,
    },
    /// Returns would exceed what the receipt sold (RC-17).
    #[error("the returns would come to {total}, more than the {sold} of the receipt")]
    ReturnExceedsSale {
        /// All returns against it, this one included.
        total: crate::Amount,
        /// What it sold.
        sold: crate::Amount,
    },
    /// An instalment larger than the debt left (RC-18).
    #[error("the instalment is more than the {debt} still owed")]
    InstalmentExceedsDebt {
        /// Debt before the instalment.
        debt: crate::Amount,
    },
    /// The debt left (`residue`) is not debt − instalment (RC-18).
    #[error("the debt left after this instalment is {expected}")]
    DebtMismatch {
        /// The right value.
        expected: crate::Amount,
    },
    /// The instalment number is not the next one (RC-18).
    #[error("this is instalment number {expected}")]
    InstalmentNumberMismatch {
        /// The right value.
        expected: u32,
    },
    /// The sale offsets more than the advances hold (RC-11, RC-17).
    #[error("the advances named hold only {available}")]
    AdvancesExceeded {
        /// What they hold.
        available: crate::Amount,
    },
    /// A shift total would exceed the amount range.
    #[error("the shift's totals would exceed 99 999 999.99: close the shift")]
    TotalsOverflow,
    /// A receipt that later documents already use cannot be cancelled (RC-17, SPEC.md §14.6).
    #[error("receipt {number} cannot be cancelled: {why}; return it instead")]
    ReceiptInUse {
        /// Its number.
        number: u64,
        /// What uses it.
        why: String,
    },
    /// Saved device state that cannot be read.
    #[error("invalid device state: {0}")]
    InvalidState(String),
    /// Bytes or a journal line that are not a document.
    #[error("invalid document: {0}")]
    InvalidDocument(String),
    /// A document whose signature is not its device's (NM-11).
    #[error("document {number}: the signature is not the device's")]
    BadSignature {
        /// The document's number.
        number: u64,
    },
    /// A document's declared fiscal ID is not the one its bytes and signature give (NM-02).
    #[error("document {number}: the fiscal ID does not match its content and signature")]
    WrongFiscalId {
        /// The document's number.
        number: u64,
    },
    /// A journal line or a certificate with the same member twice in one object: the text
    /// reads two ways (PK-11, SPEC.md §8.3). Requests report it as a [`Problem`] instead.
    #[error("the member \"{path}\" appears twice: the text reads two ways")]
    DuplicateMember {
        /// Where, as a JSON path (`number`, `body.voen`).
        path: String,
    },
}

impl Error {
    /// The stable code of the error: for [`Error::Invalid`], the code of its first problem.
    pub fn code(&self) -> ErrorCode {
        use ErrorCode as C;
        match self {
            Error::Invalid(problems) => {
                problems.iter().next().map_or(C::InvalidRequest, |p| p.code)
            }
            Error::InvalidCertificate(_) => C::InvalidCertificate,
            Error::CertificateSignature => C::CertificateSignature,
            Error::CertificateNotYetValid { .. } => C::CertificateNotYetValid,
            Error::CertificateExpired { .. } => C::CertificateExpired,
            Error::KeyMismatch => C::KeyMismatch,
            Error::WrongPin { .. } => C::WrongPin,
            Error::Locked => C::DeviceLocked,
            Error::NotUnlocked => C::NotUnlocked,
            Error::Decommissioned => C::Decommissioned,
            Error::ShiftAlreadyOpen => C::ShiftAlreadyOpen,
            Error::NoOpenShift => C::NoOpenShift,
            Error::ShiftTooLong { .. } => C::ShiftTooLong,
            Error::TimeNotIncreasing { .. } => C::TimeNotIncreasing,
            Error::OfflineTooLong { .. } => C::OfflineTooLong,
            Error::TooManyPending { .. } => C::TooManyPending,
            Error::SequenceMismatch { .. } => C::SequenceMismatch,
            Error::CashInsufficient { .. } => C::CashInsufficient,
            Error::ShiftOpen => C::ShiftOpen,
            Error::PendingUploads { .. } => C::PendingUploads,
            Error::InvalidAcknowledgement(_) => C::InvalidAcknowledgement,
            Error::ReferenceNotFound { .. } => C::ReferenceNotFound,
            Error::ReferenceNotAuthentic { .. } => C::ReferenceNotAuthentic,
            Error::ReferenceWrongKind { .. } => C::ReferenceWrongKind,
            Error::CancelOutsideShift => C::CancelOutsideShift,
            Error::AlreadyCancelled { .. } => C::AlreadyCancelled,
            Error::ReturnExceedsSale { .. } => C::ReturnExceedsSale,
            Error::InstalmentExceedsDebt { .. } => C::InstalmentExceedsDebt,
            Error::DebtMismatch { .. } => C::DebtMismatch,
            Error::InstalmentNumberMismatch { .. } => C::InstalmentNumberMismatch,
            Error::AdvancesExceeded { .. } => C::AdvancesExceeded,
            Error::TotalsOverflow => C::TotalsOverflow,
            Error::ReceiptInUse { .. } => C::ReceiptInUse,
            Error::InvalidState(_) => C::InvalidState,
            Error::InvalidDocument(_) => C::InvalidDocument,
            Error::WrongFiscalId { .. } => C::WrongFiscalId,
            Error::BadSignature { .. } => C::BadSignature,
            Error::DuplicateMember { .. } => C::DuplicateMember,
        }
    }

    /// The problems behind the error: for [`Error::Invalid`] its list, otherwise one problem
    /// made of the code and the message.
    pub fn problems(&self) -> alloc::borrow::Cow<'_, [Problem]> {
        let path = match self {
            Error::Invalid(problems) => return alloc::borrow::Cow::Borrowed(&problems.0),
            // The repeated member's path, as a request's problem would give it.
            Error::DuplicateMember { path } => path.clone(),
            _ => String::new(),
        };
        alloc::borrow::Cow::Owned(alloc::vec![Problem {
            code: self.code(),
            path,
            message: alloc::string::ToString::to_string(self),
        }])
    }
}

/// One problem in a request: which rule, where, and what a cashier or auditor should know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The stable code.
    pub code: ErrorCode,
    /// Where in the request, as a JSON path in the wire format (`items[2].itemPrice`); empty
    /// when the problem concerns the whole request.
    pub path: String,
    /// A sentence for people; never parse it.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "[{}] {}", self.code.as_str(), self.message)
        } else {
            write!(
                f,
                "[{}] {}: {}",
                self.code.as_str(),
                self.path,
                self.message
            )
        }
    }
}

/// A non-empty list of problems, in the order they were found (request order).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Problems(pub(crate) Vec<Problem>);

impl Problems {
    /// Iterates over the problems.
    pub fn iter(&self) -> core::slice::Iter<'_, Problem> {
        self.0.iter()
    }

    /// How many problems there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when no problem was recorded (never the case inside an [`Error`]).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// True when some problem carries `code`.
    pub fn contains(&self, code: ErrorCode) -> bool {
        self.0.iter().any(|p| p.code == code)
    }

    pub(crate) fn push(&mut self, code: ErrorCode, path: impl Into<String>, message: String) {
        self.0.push(Problem {
            code,
            path: path.into(),
            message,
        });
    }

    /// True when a problem was already recorded at `path`, below it or above it; used so that a value
    /// that failed to parse is not reported a second time as missing.
    pub(crate) fn touches(&self, path: &str) -> bool {
        fn within(inner: &str, outer: &str) -> bool {
            inner == outer
                || (inner.starts_with(outer)
                    && matches!(inner.as_bytes().get(outer.len()), Some(b'.' | b'[')))
        }
        self.0
            .iter()
            .any(|p| !p.path.is_empty() && (within(&p.path, path) || within(path, &p.path)))
    }

    pub(crate) fn into_result<T>(self, value: T) -> Result<T, Error> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(Error::Invalid(self))
        }
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.as_slice() {
            [] => f.write_str("invalid request"),
            [one] => write!(f, "{one}"),
            [first, rest @ ..] => write!(f, "{first} (and {} more)", rest.len()),
        }
    }
}

impl<'a> IntoIterator for &'a Problems {
    type Item = &'a Problem;
    type IntoIter = core::slice::Iter<'a, Problem>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

macro_rules! error_codes {
    ($( $(#[doc = $doc:literal])* $variant:ident = $num:literal, $text:literal, $rule:literal; )*) => {
        /// The stable error codes. Each has a number (for the C ABI), a name (for JSON and
        /// Python) and the RULES.md rule it enforces. See SPEC.md §9.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        #[repr(u16)]
        pub enum ErrorCode {
            $( $(#[doc = $doc])* $variant = $num, )*
        }

        impl ErrorCode {
            /// Every code, in numeric order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),*];

            /// The stable name, e.g. `"line_total_mismatch"`.
            pub const fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => $text,)* }
            }

            /// The stable number, e.g. `132`.
            pub const fn number(self) -> u16 {
                self as u16
            }

            /// The RULES.md rule (or SPEC.md section, `SPEC-…`) the code enforces.
            pub const fn rule(self) -> &'static str {
                match self { $(ErrorCode::$variant => $rule,)* }
            }

            /// The code with this stable name, if any.
            pub fn from_name(name: &str) -> Option<ErrorCode> {
                match name { $($text => Some(ErrorCode::$variant),)* _ => None }
            }
        }
    };
}

error_codes! {
    /// The request is invalid (used only when no more precise problem exists).
    InvalidRequest = 100, "invalid_request", "PK-11";
    /// The text is not JSON, or not a JSON object where one is needed.
    MalformedJson = 101, "malformed_json", "PK-11";
    /// A member has the wrong JSON type (a string where a list is needed, …).
    WrongType = 102, "wrong_type", "PK-11";
    /// A required member is absent.
    MissingField = 103, "missing_field", "PK-11";
    /// `doc_type` names no document kind this engine knows.
    UnknownDocType = 104, "unknown_doc_type", "RC-15";
    /// A member is present that this document kind does not allow (items on a cancel, …).
    FieldNotAllowed = 105, "field_not_allowed", "RC-15";
    /// The currency is not AZN.
    UnsupportedCurrency = 106, "unsupported_currency", "RC-10";
    /// The same member twice in one JSON object: the text reads two ways (SPEC.md §8.3).
    DuplicateMember = 107, "duplicate_member", "PK-11";
    /// A number is not written as a plain decimal (`12.50`).
    NotANumber = 110, "not_a_number", "PK-11";
    /// A money amount, quantity or price is negative.
    NegativeValue = 111, "negative_value", "RC-10";
    /// More decimals than the value's scale allows (2 for money, 3 quantity, 4 unit price).
    TooManyDecimals = 112, "too_many_decimals", "RC-05";
    /// The value lies outside its range (SPEC.md §3).
    OutOfRange = 113, "out_of_range", "RC-05";
    /// A text is empty or only spaces.
    TextEmpty = 120, "text_empty", "RC-05";
    /// A text is longer than its limit.
    TextTooLong = 121, "text_too_long", "RC-05";
    /// A text has a character outside the allowed set (SPEC.md §4.2).
    TextBadCharacter = 122, "text_bad_character", "RC-05";
    /// An item code does not fit its code type (EAN length, digits or check digit).
    InvalidItemCode = 123, "invalid_item_code", "RC-05";
    /// A reference to another document is not a well-formed fiscal ID.
    InvalidReference = 124, "invalid_reference", "RC-17";
    /// A vehicle plate is not well formed.
    InvalidVehiclePlate = 125, "invalid_vehicle_plate", "RC-19";
    /// A coded value (unit, code type, return type, tax treatment) is not one of its values.
    InvalidEnumValue = 126, "invalid_enum_value", "PK-11";
    /// A receipt that needs lines has none.
    NoLines = 130, "no_lines", "RC-05";
    /// More lines than a receipt may have.
    TooManyLines = 131, "too_many_lines", "RC-05";
    /// A line total does not match quantity × unit price (SPEC.md §5.2).
    LineTotalMismatch = 132, "line_total_mismatch", "RC-05";
    /// No tax rate of that treatment and percent is in force on the document's date.
    UnknownTaxRate = 133, "unknown_tax_rate", "RC-05";
    /// The trade-margin part of a line is larger than the line.
    MarginExceedsLine = 134, "margin_exceeds_line", "RC-05";
    /// A trade margin on a line whose treatment is not VAT on the margin, or the reverse.
    MarginMismatch = 135, "margin_mismatch", "RC-05";
    /// A line carries both a discount and a markup.
    ConflictingAdjustment = 136, "conflicting_adjustment", "PK-03";
    /// The document's declared sum differs from the sum computed from its lines or parts.
    SumMismatch = 140, "sum_mismatch", "RC-10";
    /// The payments do not cover the total.
    Underpaid = 141, "underpaid", "RC-10";
    /// The payments exceed the total (only cash handed over may exceed, and gives change).
    Overpaid = 142, "overpaid", "RC-12";
    /// Change is asked for, but nothing is paid in cash.
    ChangeWithoutCash = 143, "change_without_cash", "RC-12";
    /// The cash handed over is less than the cash part of the payment.
    TenderedBelowCash = 144, "tendered_below_cash", "RC-12";
    /// The declared change is not cash handed over − cash part.
    ChangeMismatch = 145, "change_mismatch", "RC-12";
    /// A payment form this document kind does not take (credit on a credit payment, …).
    PaymentFormNotAllowed = 146, "payment_form_not_allowed", "RC-14";
    /// The declared VAT groups (`vatAmounts`) differ from the computed ones.
    VatAmountsMismatch = 147, "vat_amounts_mismatch", "RC-05";
    /// The document's total is zero.
    ZeroTotal = 148, "zero_total", "RC-10";
    /// A reference that the document kind needs is missing.
    MissingReference = 150, "missing_reference", "RC-17";
    /// References on a document that takes none, or advances without an advance offset.
    UnexpectedReference = 151, "unexpected_reference", "RC-17";
    /// More references than allowed.
    TooManyReferences = 152, "too_many_references", "RC-17";
    /// The same document referenced twice.
    DuplicateReference = 153, "duplicate_reference", "RC-17";
    /// An instalment number that is not 1 or more.
    InvalidInstalmentNumber = 160, "invalid_instalment_number", "RC-18";
    /// A fuel-card payment without the vehicle's plate number.
    MissingVehiclePlate = 170, "missing_vehicle_plate", "RC-19";
    /// The certificate's data breaks a rule.
    InvalidCertificate = 200, "invalid_certificate", "NM-09";
    /// The certificate is not signed by the trusted authority.
    CertificateSignature = 201, "certificate_signature", "NM-10";
    /// The certificate is not valid yet.
    CertificateNotYetValid = 202, "certificate_not_yet_valid", "NM-08";
    /// The certificate has expired.
    CertificateExpired = 203, "certificate_expired", "U-08";
    /// The device key does not belong to the certificate.
    KeyMismatch = 204, "key_mismatch", "NM-10";
    /// Wrong PIN.
    WrongPin = 210, "wrong_pin", "NM-07";
    /// Locked after too many wrong PINs.
    DeviceLocked = 211, "device_locked", "NM-07";
    /// A cash operation before the PIN was entered.
    NotUnlocked = 212, "not_unlocked", "NM-07";
    /// The device was taken out of service.
    Decommissioned = 213, "decommissioned", "NM-12";
    /// A shift is already open.
    ShiftAlreadyOpen = 220, "shift_already_open", "PK-02";
    /// No shift is open.
    NoOpenShift = 221, "no_open_shift", "PK-02";
    /// The shift has lasted 24 hours.
    ShiftTooLong = 222, "shift_too_long", "PK-02";
    /// A time not later than the previous document's.
    TimeNotIncreasing = 223, "time_not_increasing", "NM-04";
    /// A document not uploaded for 7 days.
    OfflineTooLong = 224, "offline_too_long", "U-06";
    /// 4000 documents waiting for upload.
    TooManyPending = 225, "too_many_pending", "NM-05";
    /// The request's expected previous number is not the last one.
    SequenceMismatch = 226, "sequence_mismatch", "NM-03";
    /// More cash out than the drawer holds.
    CashInsufficient = 227, "cash_insufficient", "PK-01";
    /// The shift must be closed first.
    ShiftOpen = 228, "shift_open", "LC-02";
    /// Documents not yet uploaded.
    PendingUploads = 229, "pending_uploads", "LC-02";
    /// An upload acknowledgement that does not fit.
    InvalidAcknowledgement = 230, "invalid_acknowledgement", "NM-01";
    /// A referenced receipt was not supplied, or is not in the journal.
    ReferenceNotFound = 240, "reference_not_found", "RC-17";
    /// A supplied receipt is not signed by this device.
    ReferenceNotAuthentic = 241, "reference_not_authentic", "NM-11";
    /// A reference to a document of the wrong kind.
    ReferenceWrongKind = 242, "reference_wrong_kind", "RC-17";
    /// A cancel outside the receipt's shift.
    CancelOutsideShift = 243, "cancel_outside_shift", "RC-17";
    /// A receipt cancelled twice.
    AlreadyCancelled = 244, "already_cancelled", "RC-17";
    /// Returns above what the receipt sold.
    ReturnExceedsSale = 245, "return_exceeds_sale", "RC-17";
    /// An instalment above the debt.
    InstalmentExceedsDebt = 246, "instalment_exceeds_debt", "RC-18";
    /// A wrong debt left.
    DebtMismatch = 247, "debt_mismatch", "RC-18";
    /// An instalment number out of order.
    InstalmentNumberMismatch = 248, "instalment_number_mismatch", "RC-18";
    /// Advances over-consumed.
    AdvancesExceeded = 249, "advances_exceeded", "RC-11";
    /// A shift total beyond the amount range.
    TotalsOverflow = 250, "totals_overflow", "RC-10";
    /// A receipt that later documents already use (an advance spent, a credit sale with
    /// instalments paid) cannot be cancelled: return it instead (SPEC.md §14.6).
    ReceiptInUse = 251, "receipt_in_use", "RC-17";
    /// Unreadable device state.
    InvalidState = 260, "invalid_state", "NM-13";
    /// Unreadable document or journal line.
    InvalidDocument = 261, "invalid_document", "PK-11";
    /// A fiscal ID that does not match its document.
    WrongFiscalId = 262, "wrong_fiscal_id", "NM-02";
    /// A document whose signature is not the device's (journal verification).
    BadSignature = 270, "bad_signature", "NM-11";
    /// Documents missing from the journal: a gap in the numbers.
    NumberGap = 271, "number_gap", "NM-03";
    /// The same document twice in the journal.
    DuplicateDocument = 272, "duplicate_document", "NM-03";
    /// Documents out of order in the journal.
    OutOfOrder = 273, "out_of_order", "NM-03";
    /// A document that does not name the previous one's fiscal ID.
    BrokenChain = 274, "broken_chain", "NM-11";
    /// A receipt outside an open shift, or shift records out of place.
    OutsideShift = 275, "outside_shift", "PK-02";
    /// A Z-report whose totals are not those of its shift's documents.
    ZReportMismatch = 276, "zreport_mismatch", "PK-02";
    /// A reference to a document that is not in the journal.
    UnknownReference = 277, "unknown_reference", "RC-17";
    /// A receipt whose content breaks the validation rules (tax math, payments).
    ContentInvalid = 278, "content_invalid", "RC-05";
    /// A receipt counter (RC-06) or shift number out of step.
    CounterMismatch = 279, "counter_mismatch", "RC-06";
    /// A journal with no document: nothing was exported, nothing can be checked.
    EmptyJournal = 280, "empty_journal", "NM-03";
    /// A journal line not in the one spelling of SPEC.md §13.5: a CR, an empty or blank line.
    NoncanonicalLine = 281, "noncanonical_line", "PK-11";
}

/// What kind of thing a code reports (SPEC.md §9): each binding maps a category to one of its
/// error types (Python: `ValidationError`, `StateError`, `CryptoError`, `FormatError`), so
/// that the mapping is written once, here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ErrorCategory {
    /// A request breaks the rules (§7, §8).
    Request,
    /// The device refuses the operation in its present state: PIN, shift, certificate
    /// validity, upload limits, references (§14).
    Device,
    /// A signature, key or fiscal ID does not check out.
    Crypto,
    /// Input that cannot be read: not JSON, not a document, a state or certificate that
    /// breaks its format.
    Format,
    /// A journal finding (§15.2): reported in a verification report, never raised.
    Finding,
}

impl ErrorCategory {
    /// The stable name: `request`, `device`, `crypto`, `format`, `finding`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCategory::Request => "request",
            ErrorCategory::Device => "device",
            ErrorCategory::Crypto => "crypto",
            ErrorCategory::Format => "format",
            ErrorCategory::Finding => "finding",
        }
    }
}

impl ErrorCode {
    /// The code's category (SPEC.md §9).
    pub const fn category(self) -> ErrorCategory {
        use ErrorCode as C;
        match self {
            C::CertificateSignature
            | C::KeyMismatch
            | C::ReferenceNotAuthentic
            | C::BadSignature
            | C::WrongFiscalId => ErrorCategory::Crypto,
            C::MalformedJson | C::InvalidCertificate | C::InvalidState | C::InvalidDocument => {
                ErrorCategory::Format
            }
            _ => match self.number() {
                100..=199 => ErrorCategory::Request,
                200..=269 => ErrorCategory::Device,
                _ => ErrorCategory::Finding,
            },
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_in_number_and_name() {
        let mut numbers: Vec<u16> = ErrorCode::ALL.iter().map(|c| c.number()).collect();
        numbers.sort_unstable();
        numbers.dedup();
        assert_eq!(numbers.len(), ErrorCode::ALL.len());
        let mut names: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ErrorCode::ALL.len());
        for code in ErrorCode::ALL {
            assert_eq!(ErrorCode::from_name(code.as_str()), Some(*code));
        }
    }

    #[test]
    fn touches_matches_the_path_and_its_children_only() {
        let mut p = Problems::default();
        p.push(ErrorCode::NotANumber, "items[1].itemPrice", "x".into());
        assert!(p.touches("items[1].itemPrice"));
        assert!(p.touches("items[1]"));
        assert!(p.touches("items"));
        assert!(!p.touches("items[1].itemPriceX"));
        assert!(!p.touches("items[10]"));
        assert!(!p.touches("cashier"));
        p.push(ErrorCode::WrongType, "items[3]", "x".into());
        assert!(p.touches("items[3].itemName"));
    }
}
