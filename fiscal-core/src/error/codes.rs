//! The stable error codes: number, name, rule and category of each (SPEC.md §9).

use core::fmt;

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
    /// A member the request's dialect does not know, under the strict policy (SPEC.md §8.3).
    UnknownMember = 108, "unknown_member", "PK-11";
    /// The operation cannot be told: no dialect's envelope, an unknown operation, endpoint or
    /// check type (SPEC.md §8.1).
    UnknownOperation = 109, "unknown_operation", "PK-11";
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
    /// A return or instalment on a receipt of the deployed system, named by a Base58 fiscal ID
    /// that is not in the journal: not checkable here. Reported in
    /// `JournalReport::unchecked`, not as a break (SPEC.md §15.2).
    ForeignReference = 282, "foreign_reference", "RC-17";
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
