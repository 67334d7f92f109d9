//! The status codes every function returns: 0 for success, 1–99 for the C boundary itself,
//! and from 100 the engine's stable error codes with the same numbers (SPEC.md §9).
//! A test below checks that this list and `fiscal_core::ErrorCode` agree, both ways.

use std::ffi::{c_char, CStr, CString};

use fiscal_core::MessageLanguage;
use std::sync::OnceLock;

use crate::boundary::guarded;
use crate::error::cstring;

/// A function's outcome. Numbers are stable; a retired number stays reserved.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FcStatus {
    /// Success.
    Ok = 0,
    /// A required pointer argument was NULL.
    NullPointer = 1,
    /// A text argument is not valid UTF-8.
    InvalidUtf8 = 2,
    /// The handle is not a live handle of this library (freed, or another object).
    InvalidHandle = 3,
    /// A bug inside the library was caught before it could cross the boundary.
    Panic = 4,
    /// An argument is malformed (a key of the wrong length, a date that is not YYYY-MM-DD, …).
    InvalidArgument = 5,
    /// The device handle has not been activated or restored yet.
    NotActivated = 6,
    /// The device handle already holds a device: activation and restore need a new handle
    /// (`fc_device_new`); a live device is never replaced.
    AlreadyActivated = 7,
    /// The request is invalid (used only when no more precise problem exists). (PK-11, `invalid_request`)
    InvalidRequest = 100,
    /// The text is not JSON, or not a JSON object where one is needed. (PK-11, `malformed_json`)
    MalformedJson = 101,
    /// A member has the wrong JSON type (a string where a list is needed, …). (PK-11, `wrong_type`)
    WrongType = 102,
    /// A required member is absent. (PK-11, `missing_field`)
    MissingField = 103,
    /// `doc_type` names no document kind this engine knows. (RC-15, `unknown_doc_type`)
    UnknownDocType = 104,
    /// A member is present that this document kind does not allow (items on a cancel, …). (RC-15, `field_not_allowed`)
    FieldNotAllowed = 105,
    /// The currency is not AZN. (RC-10, `unsupported_currency`)
    UnsupportedCurrency = 106,
    /// The same member twice in one JSON object: the text reads two ways (SPEC.md §8.3). (PK-11, `duplicate_member`)
    DuplicateMember = 107,
    /// A member the request's dialect does not know, under the strict policy (SPEC.md §8.3). (PK-11, `unknown_member`)
    UnknownMember = 108,
    /// The operation cannot be told: no dialect's envelope, an unknown operation, endpoint or check type (SPEC.md §8.1). (PK-11, `unknown_operation`)
    UnknownOperation = 109,
    /// A number is not written as a plain decimal (`12.50`). (PK-11, `not_a_number`)
    NotANumber = 110,
    /// A money amount, quantity or price is negative. (RC-10, `negative_value`)
    NegativeValue = 111,
    /// More decimals than the value's scale allows (2 for money, 3 quantity, 4 unit price). (RC-05, `too_many_decimals`)
    TooManyDecimals = 112,
    /// The value lies outside its range (SPEC.md §3). (RC-05, `out_of_range`)
    OutOfRange = 113,
    /// A text is empty or only spaces. (RC-05, `text_empty`)
    TextEmpty = 120,
    /// A text is longer than its limit. (RC-05, `text_too_long`)
    TextTooLong = 121,
    /// A text has a character outside the allowed set (SPEC.md §4.2). (RC-05, `text_bad_character`)
    TextBadCharacter = 122,
    /// An item code does not fit its code type (EAN length, digits or check digit). (RC-05, `invalid_item_code`)
    InvalidItemCode = 123,
    /// A reference to another document is not a well-formed fiscal ID. (RC-17, `invalid_reference`)
    InvalidReference = 124,
    /// A vehicle plate is not well formed. (RC-19, `invalid_vehicle_plate`)
    InvalidVehiclePlate = 125,
    /// A coded value (unit, code type, return type, tax treatment) is not one of its values. (PK-11, `invalid_enum_value`)
    InvalidEnumValue = 126,
    /// A receipt that needs lines has none. (RC-05, `no_lines`)
    NoLines = 130,
    /// More lines than a receipt may have. (RC-05, `too_many_lines`)
    TooManyLines = 131,
    /// A line total does not match quantity × unit price (SPEC.md §5.2). (RC-05, `line_total_mismatch`)
    LineTotalMismatch = 132,
    /// No tax rate of that treatment and percent is in force on the document's date. (RC-05, `unknown_tax_rate`)
    UnknownTaxRate = 133,
    /// The trade-margin part of a line is larger than the line. (RC-05, `margin_exceeds_line`)
    MarginExceedsLine = 134,
    /// A trade margin on a line whose treatment is not VAT on the margin, or the reverse. (RC-05, `margin_mismatch`)
    MarginMismatch = 135,
    /// A line carries both a discount and a markup. (PK-03, `conflicting_adjustment`)
    ConflictingAdjustment = 136,
    /// The document's declared sum differs from the sum computed from its lines or parts. (RC-10, `sum_mismatch`)
    SumMismatch = 140,
    /// The payments do not cover the total. (RC-10, `underpaid`)
    Underpaid = 141,
    /// The payments exceed the total (only cash handed over may exceed, and gives change). (RC-12, `overpaid`)
    Overpaid = 142,
    /// Change is asked for, but nothing is paid in cash. (RC-12, `change_without_cash`)
    ChangeWithoutCash = 143,
    /// The cash handed over is less than the cash part of the payment. (RC-12, `tendered_below_cash`)
    TenderedBelowCash = 144,
    /// The declared change is not cash handed over − cash part. (RC-12, `change_mismatch`)
    ChangeMismatch = 145,
    /// A payment form this document kind does not take (credit on a credit payment, …). (RC-14, `payment_form_not_allowed`)
    PaymentFormNotAllowed = 146,
    /// The declared VAT groups (`vatAmounts`) differ from the computed ones. (RC-05, `vat_amounts_mismatch`)
    VatAmountsMismatch = 147,
    /// The document's total is zero. (RC-10, `zero_total`)
    ZeroTotal = 148,
    /// A reference that the document kind needs is missing. (RC-17, `missing_reference`)
    MissingReference = 150,
    /// References on a document that takes none, or advances without an advance offset. (RC-17, `unexpected_reference`)
    UnexpectedReference = 151,
    /// More references than allowed. (RC-17, `too_many_references`)
    TooManyReferences = 152,
    /// The same document referenced twice. (RC-17, `duplicate_reference`)
    DuplicateReference = 153,
    /// An instalment number that is not 1 or more. (RC-18, `invalid_instalment_number`)
    InvalidInstalmentNumber = 160,
    /// A fuel-card payment without the vehicle's plate number. (RC-19, `missing_vehicle_plate`)
    MissingVehiclePlate = 170,
    /// The certificate's data breaks a rule. (NM-09, `invalid_certificate`)
    InvalidCertificate = 200,
    /// The certificate is not signed by the trusted authority. (NM-10, `certificate_signature`)
    CertificateSignature = 201,
    /// The certificate is not valid yet. (NM-08, `certificate_not_yet_valid`)
    CertificateNotYetValid = 202,
    /// The certificate has expired. (U-08, `certificate_expired`)
    CertificateExpired = 203,
    /// The device key does not belong to the certificate. (NM-10, `key_mismatch`)
    KeyMismatch = 204,
    /// Wrong PIN. (NM-07, `wrong_pin`)
    WrongPin = 210,
    /// Locked after too many wrong PINs. (NM-07, `device_locked`)
    DeviceLocked = 211,
    /// A cash operation before the PIN was entered. (NM-07, `not_unlocked`)
    NotUnlocked = 212,
    /// The device was taken out of service. (NM-12, `decommissioned`)
    Decommissioned = 213,
    /// A shift is already open. (PK-02, `shift_already_open`)
    ShiftAlreadyOpen = 220,
    /// No shift is open. (PK-02, `no_open_shift`)
    NoOpenShift = 221,
    /// The shift has lasted 24 hours. (PK-02, `shift_too_long`)
    ShiftTooLong = 222,
    /// A time not later than the previous document's. (NM-04, `time_not_increasing`)
    TimeNotIncreasing = 223,
    /// A document not uploaded for 7 days. (U-06, `offline_too_long`)
    OfflineTooLong = 224,
    /// 4000 documents waiting for upload. (NM-05, `too_many_pending`)
    TooManyPending = 225,
    /// The request's expected previous number is not the last one. (NM-03, `sequence_mismatch`)
    SequenceMismatch = 226,
    /// More cash out than the drawer holds. (PK-01, `cash_insufficient`)
    CashInsufficient = 227,
    /// The shift must be closed first. (LC-02, `shift_open`)
    ShiftOpen = 228,
    /// Documents not yet uploaded. (LC-02, `pending_uploads`)
    PendingUploads = 229,
    /// An upload acknowledgement that does not fit. (NM-01, `invalid_acknowledgement`)
    InvalidAcknowledgement = 230,
    /// A referenced receipt was not supplied, or is not in the journal. (RC-17, `reference_not_found`)
    ReferenceNotFound = 240,
    /// A supplied receipt is not signed by this device. (NM-11, `reference_not_authentic`)
    ReferenceNotAuthentic = 241,
    /// A reference to a document of the wrong kind. (RC-17, `reference_wrong_kind`)
    ReferenceWrongKind = 242,
    /// A cancel outside the receipt's shift. (RC-17, `cancel_outside_shift`)
    CancelOutsideShift = 243,
    /// A receipt cancelled twice. (RC-17, `already_cancelled`)
    AlreadyCancelled = 244,
    /// Returns above what the receipt sold. (RC-17, `return_exceeds_sale`)
    ReturnExceedsSale = 245,
    /// An instalment above the debt. (RC-18, `instalment_exceeds_debt`)
    InstalmentExceedsDebt = 246,
    /// A wrong debt left. (RC-18, `debt_mismatch`)
    DebtMismatch = 247,
    /// An instalment number out of order. (RC-18, `instalment_number_mismatch`)
    InstalmentNumberMismatch = 248,
    /// Advances over-consumed. (RC-11, `advances_exceeded`)
    AdvancesExceeded = 249,
    /// A shift total beyond the amount range. (RC-10, `totals_overflow`)
    TotalsOverflow = 250,
    /// A receipt that later documents already use cannot be cancelled: return it instead (SPEC.md §14.6). (RC-17, `receipt_in_use`)
    ReceiptInUse = 251,
    /// Unreadable device state. (NM-13, `invalid_state`)
    InvalidState = 260,
    /// Unreadable document or journal line. (PK-11, `invalid_document`)
    InvalidDocument = 261,
    /// A fiscal ID that does not match its document. (NM-02, `wrong_fiscal_id`)
    WrongFiscalId = 262,
    /// A document whose signature is not the device's (journal verification). (NM-11, `bad_signature`)
    BadSignature = 270,
    /// Documents missing from the journal: a gap in the numbers. (NM-03, `number_gap`)
    NumberGap = 271,
    /// The same document twice in the journal. (NM-03, `duplicate_document`)
    DuplicateDocument = 272,
    /// Documents out of order in the journal. (NM-03, `out_of_order`)
    OutOfOrder = 273,
    /// A document that does not name the previous one's fiscal ID. (NM-11, `broken_chain`)
    BrokenChain = 274,
    /// A receipt outside an open shift, or shift records out of place. (PK-02, `outside_shift`)
    OutsideShift = 275,
    /// A Z-report whose totals are not those of its shift's documents. (PK-02, `zreport_mismatch`)
    ZReportMismatch = 276,
    /// A reference to a document that is not in the journal. (RC-17, `unknown_reference`)
    UnknownReference = 277,
    /// A receipt whose content breaks the validation rules (tax math, payments). (RC-05, `content_invalid`)
    ContentInvalid = 278,
    /// A receipt counter (RC-06) or shift number out of step. (RC-06, `counter_mismatch`)
    CounterMismatch = 279,
    /// A journal with no document. (NM-03, `empty_journal`)
    EmptyJournal = 280,
    /// A journal line not in the one spelling of SPEC.md §13.5: a CR, an empty or blank line. (PK-11, `noncanonical_line`)
    NoncanonicalLine = 281,
    /// A return or instalment on a receipt of the deployed system that is not in the journal: not checkable here, reported as unchecked, no break (SPEC.md §15.2). (RC-17, `foreign_reference`)
    ForeignReference = 282,
}

impl FcStatus {
    /// Every status, in numeric order.
    pub const ALL: &'static [FcStatus] = &[
        FcStatus::Ok,
        FcStatus::NullPointer,
        FcStatus::InvalidUtf8,
        FcStatus::InvalidHandle,
        FcStatus::Panic,
        FcStatus::InvalidArgument,
        FcStatus::NotActivated,
        FcStatus::AlreadyActivated,
        FcStatus::InvalidRequest,
        FcStatus::MalformedJson,
        FcStatus::WrongType,
        FcStatus::MissingField,
        FcStatus::UnknownDocType,
        FcStatus::FieldNotAllowed,
        FcStatus::UnsupportedCurrency,
        FcStatus::DuplicateMember,
        FcStatus::UnknownMember,
        FcStatus::UnknownOperation,
        FcStatus::NotANumber,
        FcStatus::NegativeValue,
        FcStatus::TooManyDecimals,
        FcStatus::OutOfRange,
        FcStatus::TextEmpty,
        FcStatus::TextTooLong,
        FcStatus::TextBadCharacter,
        FcStatus::InvalidItemCode,
        FcStatus::InvalidReference,
        FcStatus::InvalidVehiclePlate,
        FcStatus::InvalidEnumValue,
        FcStatus::NoLines,
        FcStatus::TooManyLines,
        FcStatus::LineTotalMismatch,
        FcStatus::UnknownTaxRate,
        FcStatus::MarginExceedsLine,
        FcStatus::MarginMismatch,
        FcStatus::ConflictingAdjustment,
        FcStatus::SumMismatch,
        FcStatus::Underpaid,
        FcStatus::Overpaid,
        FcStatus::ChangeWithoutCash,
        FcStatus::TenderedBelowCash,
        FcStatus::ChangeMismatch,
        FcStatus::PaymentFormNotAllowed,
        FcStatus::VatAmountsMismatch,
        FcStatus::ZeroTotal,
        FcStatus::MissingReference,
        FcStatus::UnexpectedReference,
        FcStatus::TooManyReferences,
        FcStatus::DuplicateReference,
        FcStatus::InvalidInstalmentNumber,
        FcStatus::MissingVehiclePlate,
        FcStatus::InvalidCertificate,
        FcStatus::CertificateSignature,
        FcStatus::CertificateNotYetValid,
        FcStatus::CertificateExpired,
        FcStatus::KeyMismatch,
        FcStatus::WrongPin,
        FcStatus::DeviceLocked,
        FcStatus::NotUnlocked,
        FcStatus::Decommissioned,
        FcStatus::ShiftAlreadyOpen,
        FcStatus::NoOpenShift,
        FcStatus::ShiftTooLong,
        FcStatus::TimeNotIncreasing,
        FcStatus::OfflineTooLong,
        FcStatus::TooManyPending,
        FcStatus::SequenceMismatch,
        FcStatus::CashInsufficient,
        FcStatus::ShiftOpen,
        FcStatus::PendingUploads,
        FcStatus::InvalidAcknowledgement,
        FcStatus::ReferenceNotFound,
        FcStatus::ReferenceNotAuthentic,
        FcStatus::ReferenceWrongKind,
        FcStatus::CancelOutsideShift,
        FcStatus::AlreadyCancelled,
        FcStatus::ReturnExceedsSale,
        FcStatus::InstalmentExceedsDebt,
        FcStatus::DebtMismatch,
        FcStatus::InstalmentNumberMismatch,
        FcStatus::AdvancesExceeded,
        FcStatus::TotalsOverflow,
        FcStatus::ReceiptInUse,
        FcStatus::InvalidState,
        FcStatus::InvalidDocument,
        FcStatus::WrongFiscalId,
        FcStatus::BadSignature,
        FcStatus::NumberGap,
        FcStatus::DuplicateDocument,
        FcStatus::OutOfOrder,
        FcStatus::BrokenChain,
        FcStatus::OutsideShift,
        FcStatus::ZReportMismatch,
        FcStatus::UnknownReference,
        FcStatus::ContentInvalid,
        FcStatus::CounterMismatch,
        FcStatus::EmptyJournal,
        FcStatus::NoncanonicalLine,
        FcStatus::ForeignReference,
    ];

    /// The status with this number.
    pub fn from_number(n: u32) -> Option<FcStatus> {
        FcStatus::ALL.iter().copied().find(|s| *s as u32 == n)
    }

    /// The stable name: `ok`, `null_pointer`, …, and the engine's code names from 100.
    pub fn name(self) -> &'static str {
        match self {
            FcStatus::Ok => "ok",
            FcStatus::NullPointer => "null_pointer",
            FcStatus::InvalidUtf8 => "invalid_utf8",
            FcStatus::InvalidHandle => "invalid_handle",
            FcStatus::Panic => "panic",
            FcStatus::InvalidArgument => "invalid_argument",
            FcStatus::NotActivated => "not_activated",
            FcStatus::AlreadyActivated => "already_activated",
            FcStatus::InvalidRequest => "invalid_request",
            FcStatus::MalformedJson => "malformed_json",
            FcStatus::WrongType => "wrong_type",
            FcStatus::MissingField => "missing_field",
            FcStatus::UnknownDocType => "unknown_doc_type",
            FcStatus::FieldNotAllowed => "field_not_allowed",
            FcStatus::UnsupportedCurrency => "unsupported_currency",
            FcStatus::DuplicateMember => "duplicate_member",
            FcStatus::UnknownMember => "unknown_member",
            FcStatus::UnknownOperation => "unknown_operation",
            FcStatus::NotANumber => "not_a_number",
            FcStatus::NegativeValue => "negative_value",
            FcStatus::TooManyDecimals => "too_many_decimals",
            FcStatus::OutOfRange => "out_of_range",
            FcStatus::TextEmpty => "text_empty",
            FcStatus::TextTooLong => "text_too_long",
            FcStatus::TextBadCharacter => "text_bad_character",
            FcStatus::InvalidItemCode => "invalid_item_code",
            FcStatus::InvalidReference => "invalid_reference",
            FcStatus::InvalidVehiclePlate => "invalid_vehicle_plate",
            FcStatus::InvalidEnumValue => "invalid_enum_value",
            FcStatus::NoLines => "no_lines",
            FcStatus::TooManyLines => "too_many_lines",
            FcStatus::LineTotalMismatch => "line_total_mismatch",
            FcStatus::UnknownTaxRate => "unknown_tax_rate",
            FcStatus::MarginExceedsLine => "margin_exceeds_line",
            FcStatus::MarginMismatch => "margin_mismatch",
            FcStatus::ConflictingAdjustment => "conflicting_adjustment",
            FcStatus::SumMismatch => "sum_mismatch",
            FcStatus::Underpaid => "underpaid",
            FcStatus::Overpaid => "overpaid",
            FcStatus::ChangeWithoutCash => "change_without_cash",
            FcStatus::TenderedBelowCash => "tendered_below_cash",
            FcStatus::ChangeMismatch => "change_mismatch",
            FcStatus::PaymentFormNotAllowed => "payment_form_not_allowed",
            FcStatus::VatAmountsMismatch => "vat_amounts_mismatch",
            FcStatus::ZeroTotal => "zero_total",
            FcStatus::MissingReference => "missing_reference",
            FcStatus::UnexpectedReference => "unexpected_reference",
            FcStatus::TooManyReferences => "too_many_references",
            FcStatus::DuplicateReference => "duplicate_reference",
            FcStatus::InvalidInstalmentNumber => "invalid_instalment_number",
            FcStatus::MissingVehiclePlate => "missing_vehicle_plate",
            FcStatus::InvalidCertificate => "invalid_certificate",
            FcStatus::CertificateSignature => "certificate_signature",
            FcStatus::CertificateNotYetValid => "certificate_not_yet_valid",
            FcStatus::CertificateExpired => "certificate_expired",
            FcStatus::KeyMismatch => "key_mismatch",
            FcStatus::WrongPin => "wrong_pin",
            FcStatus::DeviceLocked => "device_locked",
            FcStatus::NotUnlocked => "not_unlocked",
            FcStatus::Decommissioned => "decommissioned",
            FcStatus::ShiftAlreadyOpen => "shift_already_open",
            FcStatus::NoOpenShift => "no_open_shift",
            FcStatus::ShiftTooLong => "shift_too_long",
            FcStatus::TimeNotIncreasing => "time_not_increasing",
            FcStatus::OfflineTooLong => "offline_too_long",
            FcStatus::TooManyPending => "too_many_pending",
            FcStatus::SequenceMismatch => "sequence_mismatch",
            FcStatus::CashInsufficient => "cash_insufficient",
            FcStatus::ShiftOpen => "shift_open",
            FcStatus::PendingUploads => "pending_uploads",
            FcStatus::InvalidAcknowledgement => "invalid_acknowledgement",
            FcStatus::ReferenceNotFound => "reference_not_found",
            FcStatus::ReferenceNotAuthentic => "reference_not_authentic",
            FcStatus::ReferenceWrongKind => "reference_wrong_kind",
            FcStatus::CancelOutsideShift => "cancel_outside_shift",
            FcStatus::AlreadyCancelled => "already_cancelled",
            FcStatus::ReturnExceedsSale => "return_exceeds_sale",
            FcStatus::InstalmentExceedsDebt => "instalment_exceeds_debt",
            FcStatus::DebtMismatch => "debt_mismatch",
            FcStatus::InstalmentNumberMismatch => "instalment_number_mismatch",
            FcStatus::AdvancesExceeded => "advances_exceeded",
            FcStatus::TotalsOverflow => "totals_overflow",
            FcStatus::ReceiptInUse => "receipt_in_use",
            FcStatus::InvalidState => "invalid_state",
            FcStatus::InvalidDocument => "invalid_document",
            FcStatus::WrongFiscalId => "wrong_fiscal_id",
            FcStatus::BadSignature => "bad_signature",
            FcStatus::NumberGap => "number_gap",
            FcStatus::DuplicateDocument => "duplicate_document",
            FcStatus::OutOfOrder => "out_of_order",
            FcStatus::BrokenChain => "broken_chain",
            FcStatus::OutsideShift => "outside_shift",
            FcStatus::ZReportMismatch => "zreport_mismatch",
            FcStatus::UnknownReference => "unknown_reference",
            FcStatus::ContentInvalid => "content_invalid",
            FcStatus::CounterMismatch => "counter_mismatch",
            FcStatus::EmptyJournal => "empty_journal",
            FcStatus::NoncanonicalLine => "noncanonical_line",
            FcStatus::ForeignReference => "foreign_reference",
        }
    }
}

impl FcStatus {
    /// The operator's message (`fc_status_message`): the engine's text for its codes
    /// (`fiscal_core::ErrorCode::message`), the boundary's own for 0–99.
    pub fn message(self, language: MessageLanguage) -> &'static str {
        let az = language == MessageLanguage::Azerbaijani;
        let pick = |en: &'static str, az_text: &'static str| if az { az_text } else { en };
        match self {
            FcStatus::Ok => pick("Done.", "Yerinə yetirildi."),
            FcStatus::NullPointer => pick(
                "Program error: a required argument is missing (NULL).",
                "Proqram xətası: məcburi arqument yoxdur (NULL).",
            ),
            FcStatus::InvalidUtf8 => pick(
                "Program error: a text is not valid UTF-8.",
                "Proqram xətası: mətn düzgün UTF-8 deyil.",
            ),
            FcStatus::InvalidHandle => pick(
                "Program error: the device handle is freed or invalid.",
                "Proqram xətası: cihaz dəstəyi azad edilib və ya yanlışdır.",
            ),
            FcStatus::Panic => pick(
                "Internal error in the fiscal library; report it to the vendor.",
                "Fiskal kitabxanada daxili xəta; satıcıya bildirin.",
            ),
            FcStatus::InvalidArgument => pick(
                "Program error: an argument is malformed.",
                "Proqram xətası: arqument yanlış formadadır.",
            ),
            FcStatus::NotActivated => pick(
                "The device is not activated or restored yet.",
                "Cihaz hələ aktivləşdirilməyib və ya bərpa edilməyib.",
            ),
            FcStatus::AlreadyActivated => pick(
                "Program error: this handle already holds a device.",
                "Proqram xətası: bu dəstəkdə artıq cihaz var.",
            ),
            other => fiscal_core::ErrorCode::ALL
                .iter()
                .find(|c| u32::from(c.number()) == other as u32)
                .map_or(pick("Unknown status.", "Naməlum status."), |c| {
                    c.message(language)
                }),
        }
    }
}

impl From<fiscal_core::ErrorCode> for FcStatus {
    fn from(code: fiscal_core::ErrorCode) -> FcStatus {
        FcStatus::from_number(u32::from(code.number())).unwrap_or(FcStatus::InvalidRequest)
    }
}

impl From<fiscal_core::Error> for FcStatus {
    fn from(e: fiscal_core::Error) -> FcStatus {
        FcStatus::from(e.code())
    }
}

/// The stable name of a status ("ok", "wrong_pin", …), or "unknown". Static: do not free.
/// Thread-safe.
#[no_mangle]
pub extern "C" fn fc_status_name(status: u32) -> *const c_char {
    static NAMES: OnceLock<Vec<(u32, CString)>> = OnceLock::new();
    guarded(c"unknown".as_ptr(), || {
        let names = NAMES.get_or_init(|| {
            FcStatus::ALL
                .iter()
                .map(|s| (*s as u32, cstring(s.name().into())))
                .collect()
        });
        names
            .iter()
            .find(|(n, _)| *n == status)
            .map_or(c"unknown".as_ptr(), |(_, s)| s.as_ptr())
    })
}

/// A short sentence for the operator's screen for `status`, in `lang` "az" (Azerbaijani) or
/// "en" (English; also for NULL or another tag); an unknown status has a message too. The texts
/// are the engine's (`fiscal_core::ErrorCode::message`, Python `ErrorCode.message`), the same in
/// every binding; they carry no detail (see `fc_device_last_error` for that). Static: do not
/// free. Thread-safe.
///
/// Safety: `lang` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn fc_status_message(status: u32, lang: *const c_char) -> *const c_char {
    static MESSAGES: OnceLock<Vec<(u32, CString, CString)>> = OnceLock::new();
    guarded(c"".as_ptr(), || {
        let az = !lang.is_null() && CStr::from_ptr(lang).to_bytes() == b"az";
        let messages = MESSAGES.get_or_init(|| {
            FcStatus::ALL
                .iter()
                .map(|s| {
                    (
                        *s as u32,
                        cstring(s.message(MessageLanguage::English).into()),
                        cstring(s.message(MessageLanguage::Azerbaijani).into()),
                    )
                })
                .collect()
        });
        match messages.iter().find(|(n, _, _)| *n == status) {
            Some((_, en, az_text)) => if az { az_text } else { en }.as_ptr(),
            None if az => c"Naməlum status.".as_ptr(),
            None => c"Unknown status.".as_ptr(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::FcStatus;

    /// Every status has a message in both languages, and they differ.
    #[test]
    fn every_status_has_two_messages() {
        use fiscal_core::MessageLanguage::{Azerbaijani, English};
        for s in FcStatus::ALL {
            assert!(!s.message(English).is_empty() && !s.message(Azerbaijani).is_empty());
            assert_ne!(s.message(English), s.message(Azerbaijani), "{}", s.name());
        }
    }

    /// The status list mirrors the engine's codes, both ways, with the same names.
    #[test]
    fn statuses_mirror_the_engine_codes() {
        for code in fiscal_core::ErrorCode::ALL {
            let s = FcStatus::from_number(u32::from(code.number()))
                .unwrap_or_else(|| panic!("no status for {code}"));
            assert_eq!(s.name(), code.as_str());
            assert_eq!(FcStatus::from(*code), s);
        }
        let engine: Vec<u32> = fiscal_core::ErrorCode::ALL
            .iter()
            .map(|c| u32::from(c.number()))
            .collect();
        for s in FcStatus::ALL {
            let n = *s as u32;
            assert!(
                n < 100 || engine.contains(&n),
                "status {n} is not an engine code"
            );
        }
    }
}
