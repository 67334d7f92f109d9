//! Dialects: the requests deployed POS software already sends to the control devices of four
//! vendors, read as sent, and the answers it expects back (SPEC.md §8).
//!
//! A reader takes the wire text exactly as sent — numbers from their text, `\u` escapes
//! decoded before any character check — recognises its dialect (or is told it), and returns
//! the [`Operation`]: a document to issue, as the canonical [`Request`], or a control call.
//! Under the [`Policy::Deployed`] policy it accepts what the deployed tokens accept, and says
//! so: every leniency is a [`Notice`] with a stable code, a path and the rule it touches.
//! Under [`Policy::Strict`] it is the specification as written, and a member the dialect
//! does not know is refused.
//!
//! No I/O: the caller brings the text, the date (for the rates in force) and, for a `kas_*`
//! body, the endpoint it was posted to.

#[cfg(feature = "json")]
mod common_case;
#[cfg(feature = "json")]
mod envelope;
#[cfg(feature = "json")]
mod handle;
#[cfg(feature = "json")]
mod members;
#[cfg(feature = "json")]
mod normalize;
mod notice;
#[cfg(feature = "json")]
mod response;

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

#[cfg(feature = "json")]
pub use handle::{handle, Exchange, Handled};
#[cfg(feature = "json")]
pub(crate) use notice::Notices;
pub use notice::{Notice, NoticeCode};
#[cfg(feature = "json")]
pub use response::{
    control_response, document_response, error_response, vendor_code, ControlAnswer,
};

use crate::error::Error;
#[cfg(feature = "json")]
use crate::receipt::ValidationContext;
use crate::receipt::{DocType, Request};

/// The request formats the readers know (SPEC.md §8.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Dialect {
    /// This engine's own form: `{"doc_type": …, "data": {…}}` (SPEC.md §8.2), also found inside
    /// the deployed envelope's wrappers.
    FiscalCore,
    /// AirConn tokens (ZeroMQ): `{version, operationId, parameters: {access_token, doc_type,
    /// data}}`.
    Airconn,
    /// NBA fiscalbox (ZeroMQ or HTTP): the same envelope, with `prev_doc_number`, bank
    /// `transactions` and `moneyBackType` numbered 0, 6, 7.
    Nba,
    /// Omnisoft / OmniTech v2 (HTTP `/v2`): `{requestData: {access_token, tokenData:
    /// {parameters, operationId, version}, checkData: {check_type}}}`.
    Omnitech,
    /// e-Kassam `kas_*` REST: the bare `data` object; the endpoint names the operation.
    Ekassam,
}

impl Dialect {
    /// Every dialect, in the order `auto` tries their envelopes.
    pub const ALL: [Dialect; 5] = [
        Dialect::FiscalCore,
        Dialect::Airconn,
        Dialect::Nba,
        Dialect::Omnitech,
        Dialect::Ekassam,
    ];

    /// The stable name: `fiscal-core`, `airconn`, `nba`, `omnitech`, `ekassam`.
    pub const fn name(self) -> &'static str {
        match self {
            Dialect::FiscalCore => "fiscal-core",
            Dialect::Airconn => "airconn",
            Dialect::Nba => "nba",
            Dialect::Omnitech => "omnitech",
            Dialect::Ekassam => "ekassam",
        }
    }

    /// The dialect with this name (`omnisoft` is `omnitech`, `e-kassam` is `ekassam`).
    pub fn from_name(name: &str) -> Option<Dialect> {
        match name {
            "fiscal-core" | "fiscal_core" | "fiscalcore" => Some(Dialect::FiscalCore),
            "airconn" => Some(Dialect::Airconn),
            "nba" => Some(Dialect::Nba),
            "omnitech" | "omnisoft" => Some(Dialect::Omnitech),
            "ekassam" | "e-kassam" | "kas" => Some(Dialect::Ekassam),
            _ => None,
        }
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How a reader treats what the specification does not say (SPEC.md §8.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Policy {
    /// The specification as written: a member the dialect does not know is `unknown_member`;
    /// number forms, bands and conventions outside SPEC.md are refused with their codes.
    Strict,
    /// What the deployed tokens accept, each leniency reported as a notice.
    #[default]
    Deployed,
}

impl Policy {
    /// The stable name: `strict` or `deployed`.
    pub const fn name(self) -> &'static str {
        match self {
            Policy::Strict => "strict",
            Policy::Deployed => "deployed",
        }
    }

    /// The policy with this name.
    pub fn from_name(name: &str) -> Option<Policy> {
        match name {
            "strict" => Some(Policy::Strict),
            "deployed" => Some(Policy::Deployed),
            _ => None,
        }
    }
}

/// A control call: an operation on the device that issues no receipt of its own kind
/// (SPEC.md §8.1). Opening and closing a shift do make documents (the open-shift record, the
/// Z-report), through the device's own calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Control {
    /// Log in (`toLogin`, check type 40): the PIN, or a user name and password.
    Login,
    /// Log out (`toLogout`).
    Logout,
    /// Open a shift (`openShift`, check type 15).
    OpenShift,
    /// Close the shift: the Z-report (`closeShift`, check type 13).
    CloseShift,
    /// The X-report (`getXReport`, check type 12).
    XReport,
    /// Whether a shift is open, and since when (`getShiftStatus`, check type 14).
    ShiftStatus,
    /// The device and certificate data (`getInfo`, check type 41).
    GetInfo,
    /// The last document issued (`getLastDocument`).
    LastDocument,
}

impl Control {
    /// Every control call.
    pub const ALL: [Control; 8] = [
        Control::Login,
        Control::Logout,
        Control::OpenShift,
        Control::CloseShift,
        Control::XReport,
        Control::ShiftStatus,
        Control::GetInfo,
        Control::LastDocument,
    ];

    /// The stable name: `login`, `logout`, `open_shift`, `close_shift`, `x_report`,
    /// `shift_status`, `get_info`, `last_document`.
    pub const fn name(self) -> &'static str {
        match self {
            Control::Login => "login",
            Control::Logout => "logout",
            Control::OpenShift => "open_shift",
            Control::CloseShift => "close_shift",
            Control::XReport => "x_report",
            Control::ShiftStatus => "shift_status",
            Control::GetInfo => "get_info",
            Control::LastDocument => "last_document",
        }
    }
}

/// What a request asks for: a document of a kind, or a control call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OperationKind {
    /// Issue a document of this kind.
    Document(DocType),
    /// A control call.
    Control(Control),
}

impl OperationKind {
    /// The stable name: the document kind's `doc_type` (`sale`, `money_back`, …) or the
    /// control call's name (`open_shift`, …).
    pub const fn name(self) -> &'static str {
        match self {
            OperationKind::Document(d) => d.wire_name(),
            OperationKind::Control(c) => c.name(),
        }
    }

    /// The operation with this name: a `doc_type`, a control call's name, or an endpoint
    /// (`kas_sale`, `/api/kas_moneyback`, `closeShift`), compared without case, `_` or `-`.
    #[cfg(feature = "json")]
    pub fn from_name(name: &str) -> Option<OperationKind> {
        envelope::operation_by_name(name)
    }
}

impl fmt::Display for OperationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A control call as read: its kind and the credentials a login carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlCall {
    /// Which call.
    pub control: Control,
    /// The PIN (AirConn `pin`) or password (Omnisoft `password`) of a login.
    pub pin: Option<String>,
    /// The user or role of a login (Omnisoft `name`, AirConn `role`).
    pub user: Option<String>,
}

/// What a request asks the device to do.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[allow(clippy::large_enum_variant)] // one per request read; a box would buy nothing
pub enum Operation {
    /// Issue this document.
    Issue(Request),
    /// A control call.
    Control(ControlCall),
}

/// Amounts a cancel carried (`rollback` with `sum`, payment forms): not part of a cancel,
/// accepted under `deployed` when they equal the voided receipt's (SPEC.md §8.6), which only
/// the device can tell. Each is `(member, amount)` in the canonical names.
pub type ClaimedAmounts = Vec<(&'static str, crate::money::Amount)>;

/// A request read: its dialect, the operation, and every notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// The dialect the text is in.
    pub dialect: Dialect,
    /// The policy it was read under.
    pub policy: Policy,
    /// What it asks for.
    pub operation: Operation,
    /// The previous-document number the request carries (`prev_doc_number`): issue only if
    /// the device's last document has it (SPEC.md §14.3 step 1).
    pub expected_previous: Option<u64>,
    /// Amounts a cancel carried, to be checked against the receipt it voids.
    pub claimed: ClaimedAmounts,
    /// What was accepted or left aside, each with its code, path and rule.
    pub notices: Vec<Notice>,
}

impl Reading {
    /// The operation's kind.
    pub fn kind(&self) -> OperationKind {
        match &self.operation {
            Operation::Issue(r) => OperationKind::Document(r.doc_type()),
            Operation::Control(c) => OperationKind::Control(c.control),
        }
    }

    /// The request to issue, for a document.
    pub fn request(&self) -> Option<&Request> {
        match &self.operation {
            Operation::Issue(r) => Some(r),
            Operation::Control(_) => None,
        }
    }
}

/// A request refused: what was recognised of it, why, and the notices found before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The dialect, when the envelope was recognised.
    pub dialect: Option<Dialect>,
    /// The operation, when it could be told.
    pub operation: Option<OperationKind>,
    /// Why: every problem, each with its code and path.
    pub error: Error,
    /// Notices of what was read before the refusal.
    pub notices: Vec<Notice>,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.error, f)
    }
}

/// How to read a request.
#[cfg(feature = "json")]
#[derive(Debug, Clone, Copy)]
pub struct ReadOptions<'a> {
    /// The dialect; `None` recognises it from the envelope (`auto`).
    pub dialect: Option<Dialect>,
    /// The policy.
    pub policy: Policy,
    /// The operation the caller knows from outside the text: the endpoint a `kas_*` body was
    /// posted to (`kas_sale`), or a check that an enveloped text asks for this operation.
    pub operation: Option<&'a str>,
    /// The rates and the date the document is validated against.
    pub context: ValidationContext<'a>,
    /// The user logged in on the session, for the forms that carry no cashier (Omnitech's
    /// rollback, deposit and withdrawal), under `deployed`.
    pub cashier: Option<&'a str>,
}

/// [`Request::from_json`]: a document request in any dialect, under the `strict` policy. The
/// common case is read by the typed reader (issue #19); anything else, and every refusal, by
/// the full reader ([`read_document_full`]), which gives the same outcome for every text.
#[cfg(feature = "json")]
pub(crate) fn read_document(text: &str, context: &ValidationContext<'_>) -> Result<Request, Error> {
    match common_case::read_document(text, context) {
        Some(Ok(request)) => Ok(request),
        // Not sure, or refused: the full reader reads it and says why (the one source of
        // problems, paths and notices).
        Some(Err(_)) | None => read_document_full(text, context),
    }
}

/// [`read_document`]'s common case alone: `None` when it leaves the text to the full reader
/// (the differential test and the fuzz target compare it with [`read_document_full`]).
#[cfg(feature = "json")]
pub(crate) fn read_document_typed(
    text: &str,
    context: &ValidationContext<'_>,
) -> Option<Result<Request, Error>> {
    common_case::read_document(text, context)
}

/// [`read_document`] through the full reader alone: the envelope recognised, the dialect's
/// members normalised, every problem and notice made (SPEC.md §8).
#[cfg(feature = "json")]
pub(crate) fn read_document_full(
    text: &str,
    context: &ValidationContext<'_>,
) -> Result<Request, Error> {
    let options = ReadOptions {
        dialect: None,
        policy: Policy::Strict,
        operation: None,
        context: *context,
        cashier: None,
    };
    match envelope::read(text, &options) {
        Ok(Reading {
            operation: Operation::Issue(request),
            ..
        }) => Ok(request),
        Ok(reading) => {
            let mut p = crate::error::Problems::default();
            p.push(
                crate::error::ErrorCode::UnknownOperation,
                "",
                alloc::format!("{} is a control call, not a document", reading.kind()),
            );
            Err(Error::Invalid(p))
        }
        Err(refusal) => Err(refusal.error),
    }
}

/// Reads a request as its POS program sent it (SPEC.md §8): recognises the dialect (or checks
/// the one given), tells the operation, maps the dialect's members to the canonical request,
/// applies the policy and validates. Returns the operation with every notice, or a refusal
/// with every problem.
#[cfg(feature = "json")]
pub fn read_request(text: &str, options: &ReadOptions<'_>) -> Result<Reading, Refusal> {
    envelope::read(text, options)
}
