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

mod codes;
mod messages;

pub use codes::{ErrorCategory, ErrorCode};
pub use messages::MessageLanguage;

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
