//! Errors: one enum at the crate boundary, and the stable codes every problem carries.
//!
//! A code never changes meaning and is never reused (SPEC.md §9 lists them all). Callers,
//! bindings and conformance vectors match on the code, never on message text.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// Everything that can go wrong at the `fiscal-core` boundary.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request broke one or more rules. Every problem found is listed, not just the first.
    #[error("{0}")]
    Invalid(Problems),
}

impl Error {
    /// The stable code of the error: for [`Error::Invalid`], the code of its first problem.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Invalid(problems) => problems
                .iter()
                .next()
                .map_or(ErrorCode::InvalidRequest, |p| p.code),
        }
    }

    /// The problems behind the error (one or more).
    pub fn problems(&self) -> &[Problem] {
        match self {
            Error::Invalid(problems) => &problems.0,
        }
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
