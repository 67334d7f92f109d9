//! Recognising a dialect's envelope and telling the operation (SPEC.md §8.1), then handing the
//! request's `data` to the normalisation and the validator.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::{Map, Value};

use super::members;
use super::normalize;
use super::{
    Control, ControlCall, Dialect, Notice, NoticeCode, Notices, Operation, OperationKind, Policy,
    ReadOptions, Reading, Refusal,
};
use crate::error::{Error, ErrorCode, Problems};
use crate::receipt::{DocType, RequestDraft, MAX_REQUEST_BYTES};
use crate::strict_json;

/// What recognising the envelope found.
pub(super) struct Envelope<'v> {
    pub(super) dialect: Dialect,
    pub(super) kind: OperationKind,
    /// `data`, for a document (and what a login carries, for AirConn's `toLogin`).
    pub(super) data: Option<&'v Map<String, Value>>,
    /// Where `data` sits in the wire text (`parameters.data`, or empty for a bare body).
    pub(super) data_path: &'static str,
    /// The object holding `doc_type` and `prev_doc_number`, with its path.
    pub(super) parameters: Option<(&'v Map<String, Value>, &'static str)>,
    /// Where a login's credentials are (`parameters`, Omnitech's `requestData`).
    pub(super) credentials: Option<&'v Map<String, Value>>,
    /// A cancel's reference given in the envelope (Omnitech's `fiscalId`), with its path.
    pub(super) reference: Option<(&'v Value, &'static str)>,
    /// Members of the envelope (outside `data`) this dialect does not know: their paths.
    pub(super) unknown: Vec<String>,
}

fn problem(code: ErrorCode, path: &str, message: String) -> Error {
    let mut p = Problems::default();
    p.push(code, path, message);
    Error::Invalid(p)
}

fn refuse(
    dialect: Option<Dialect>,
    operation: Option<OperationKind>,
    error: Error,
    notices: Vec<Notice>,
) -> Refusal {
    Refusal {
        dialect,
        operation,
        error,
        notices,
    }
}

/// The operation an endpoint, operation id or name denotes, compared without case, `_`, `-`
/// and a leading path or `kas_` (`/api/kas_moneyback`, `closeShift`, `money_back`).
pub(super) fn operation_by_name(name: &str) -> Option<OperationKind> {
    let last = name.rsplit('/').next().unwrap_or(name);
    let key: String = last
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .flat_map(char::to_lowercase)
        .collect();
    let key = key.strip_prefix("kas").unwrap_or(&key);
    use Control as C;
    use OperationKind::{Control as Ctl, Document as Doc};
    Some(match key {
        "sale" => Doc(DocType::Sale),
        "moneyback" | "return" | "refund" => Doc(DocType::Return),
        "rollback" | "cancel" => Doc(DocType::Cancel),
        "prepay" | "prepayment" | "advance" => Doc(DocType::Advance),
        "creditpay" | "creditpayment" | "credit" => Doc(DocType::CreditPayment),
        "deposit" | "depo" | "cashin" => Doc(DocType::Deposit),
        "withdraw" | "cashout" => Doc(DocType::Withdraw),
        "correction" => Doc(DocType::Correction),
        "login" | "tologin" => Ctl(C::Login),
        "logout" | "tologout" => Ctl(C::Logout),
        "openshift" => Ctl(C::OpenShift),
        "closeshift" | "zreport" | "getzreport" => Ctl(C::CloseShift),
        "xreport" | "getxreport" => Ctl(C::XReport),
        "shiftstatus" | "getshiftstatus" | "shift" => Ctl(C::ShiftStatus),
        "info" | "getinfo" => Ctl(C::GetInfo),
        "lastdocument" | "getlastdocument" => Ctl(C::LastDocument),
        _ => return None,
    })
}

/// The operation of an Omnisoft / OmniTech `check_type` (DEPLOYED-APIS.md §3.3). 16 and 17
/// are the token's reprint and history in the vendor's transcription (a Laravel POS sends them
/// as Z and X): not operations of this engine, so they are refused rather than read as a
/// Z-report a real token would not make.
fn check_type(n: u64) -> Option<OperationKind> {
    use Control as C;
    use OperationKind::{Control as Ctl, Document as Doc};
    Some(match n {
        1 => Doc(DocType::Sale),
        100 => Doc(DocType::Return),
        19 => Doc(DocType::Correction),
        7 => Doc(DocType::Deposit),
        8 => Doc(DocType::Withdraw),
        10 | 32 => Doc(DocType::Cancel),
        31 => Doc(DocType::CreditPayment),
        34 => Doc(DocType::Advance),
        12 => Ctl(C::XReport),
        13 => Ctl(C::CloseShift),
        14 => Ctl(C::ShiftStatus),
        15 => Ctl(C::OpenShift),
        40 => Ctl(C::Login),
        41 => Ctl(C::GetInfo),
        _ => return None,
    })
}

/// A member that must be an object when present: absent or `null` is `None`, another type
/// `wrong_type` at `path`.
fn optional_object<'v>(
    v: Option<&'v Value>,
    path: &str,
) -> Result<Option<&'v Map<String, Value>>, Error> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(o)) => Ok(Some(o)),
        Some(_) => Err(problem(
            ErrorCode::WrongType,
            path,
            "must be an object".into(),
        )),
    }
}

fn object(v: Option<&Value>) -> Option<&Map<String, Value>> {
    match v {
        Some(Value::Object(o)) => Some(o),
        _ => None,
    }
}

fn string(v: Option<&Value>) -> Option<&str> {
    match v {
        Some(Value::String(s)) => Some(s),
        _ => None,
    }
}

/// Members of `obj` outside `known`, as paths under `base`.
fn unknown_in(obj: &Map<String, Value>, known: &[&str], base: &str, out: &mut Vec<String>) {
    for k in obj.keys() {
        if !known.contains(&k.as_str()) {
            out.push(if base.is_empty() {
                k.clone()
            } else {
                format!("{base}.{k}")
            });
        }
    }
}

/// The dialect `auto` recognises (SPEC.md §8.1): `requestData` is Omnitech; `operationId` or
/// `parameters` is the AirConn / NBA envelope (AirConn when an operation only AirConn has is
/// named, else NBA: the two read alike); `doc_type` is this engine's form; an object with
/// receipt members and no envelope is an e-Kassam `kas_*` body.
fn recognise(root: &Map<String, Value>) -> Option<Dialect> {
    if root.contains_key("requestData") {
        return Some(Dialect::Omnitech);
    }
    if root.contains_key("operationId") || root.contains_key("parameters") {
        let op = string(root.get("operationId")).unwrap_or("");
        // AirConn's document body always has the correction period members (null on other
        // kinds); NBA's has them on a correction only.
        let data = object(root.get("parameters")).and_then(|p| object(p.get("data")));
        let doc = object(root.get("parameters")).and_then(|p| string(p.get("doc_type")));
        let airconn_only = matches!(
            op,
            "repairTime" | "audit" | "saveSoftChecksum" | "verifySoftChecksum"
        ) || (doc != Some("correction")
            && data.is_some_and(|d| d.contains_key("firstOperationAtUtc")));
        return Some(if airconn_only {
            Dialect::Airconn
        } else {
            Dialect::Nba
        });
    }
    if root.contains_key("doc_type") || root.contains_key("data") {
        return Some(Dialect::FiscalCore);
    }
    let body = ["items", "cashier", "cashSum", "sum", "parentDocument"];
    if body.iter().any(|k| root.contains_key(*k)) {
        return Some(Dialect::Ekassam);
    }
    None
}

/// The operation the caller gave, read.
fn given_operation(options: &ReadOptions<'_>) -> Result<Option<OperationKind>, Error> {
    match options.operation {
        None => Ok(None),
        Some(name) => operation_by_name(name).map(Some).ok_or_else(|| {
            problem(
                ErrorCode::UnknownOperation,
                "",
                format!(
                    "'{}' is not an operation (kas_sale, money_back, close_shift, …)",
                    cut(name)
                ),
            )
        }),
    }
}

fn cut(s: &str) -> String {
    let shown: String = s.chars().take(40).collect();
    if shown.len() < s.len() {
        format!("{shown}…")
    } else {
        shown
    }
}

/// The operation a `doc_type` names.
fn doc_type(v: Option<&Value>, path: &str) -> Result<Option<DocType>, Error> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => DocType::from_wire_name(s).map(Some).ok_or_else(|| {
            problem(
                ErrorCode::UnknownDocType,
                path,
                format!("'{}' is not a document kind; use sale, money_back, rollback, prepay, creditpay, deposit, withdraw or correction", cut(s)),
            )
        }),
        Some(_) => Err(problem(ErrorCode::WrongType, path, "must be a string".into())),
    }
}

/// The AirConn / NBA envelope: `{version, operationId, parameters: {access_token, doc_type,
/// prev_doc_number?, data}}`; control calls have `parameters` with the token only, or none.
fn vendor_envelope<'v>(
    root: &'v Map<String, Value>,
    dialect: Dialect,
    given: Option<OperationKind>,
) -> Result<Envelope<'v>, Error> {
    let mut unknown = Vec::new();
    unknown_in(
        root,
        &["version", "operationId", "parameters"],
        "",
        &mut unknown,
    );
    let params = optional_object(root.get("parameters"), "parameters")?;
    if let Some(p) = params {
        unknown_in(p, members::parameters(dialect), "parameters", &mut unknown);
    }
    let doc = doc_type(params.and_then(|p| p.get("doc_type")), "doc_type")?;
    let kind = match root.get("operationId") {
        None | Some(Value::Null) => match (doc, given) {
            (Some(d), _) => OperationKind::Document(d),
            (None, Some(g)) => g,
            (None, None) => {
                return Err(problem(
                    ErrorCode::UnknownOperation,
                    "operationId",
                    "the envelope names no operation (operationId) and no doc_type".into(),
                ))
            }
        },
        Some(Value::String(op)) if op == "createDocument" => match doc {
            Some(d) => OperationKind::Document(d),
            None => {
                return Err(problem(
                    ErrorCode::MissingField,
                    "doc_type",
                    "createDocument needs parameters.doc_type".into(),
                ))
            }
        },
        Some(Value::String(op)) => match operation_by_name(op) {
            Some(k @ OperationKind::Control(_)) => k,
            _ => {
                return Err(problem(
                    ErrorCode::UnknownOperation,
                    "operationId",
                    format!("'{}' is not an operation of this engine (createDocument, openShift, closeShift, getXReport, getShiftStatus, getInfo, getLastDocument, toLogin, toLogout)", cut(op)),
                ))
            }
        },
        Some(_) => {
            return Err(problem(
                ErrorCode::WrongType,
                "operationId",
                "must be a string".into(),
            ))
        }
    };
    let data = optional_object(params.and_then(|p| p.get("data")), "data")?;
    Ok(Envelope {
        dialect,
        kind,
        data,
        data_path: "parameters.data",
        parameters: params.map(|p| (p, "parameters")),
        credentials: params,
        reference: None,
        unknown,
    })
}

/// The Omnisoft / OmniTech v2 envelope: `{requestData: {access_token, int_ref?, tokenData:
/// {parameters: {doc_type, prev_doc_number?, data}, operationId, version}, checkData:
/// {check_type}, receiptDetails?}}`. The operation is the `check_type` (a rollback, a deposit
/// and a withdrawal carry no `doc_type`); a `doc_type` given too must agree with it.
fn omnitech_envelope(root: &Map<String, Value>) -> Result<Envelope<'_>, Error> {
    let mut unknown = Vec::new();
    // `username` / `password` beside `requestData`: the Laravel bridge's own login to the
    // token's HTTP API (transport, like `access_token`).
    unknown_in(
        root,
        &["requestData", "username", "password"],
        "",
        &mut unknown,
    );
    let Some(rd) = object(root.get("requestData")) else {
        return Err(problem(
            ErrorCode::WrongType,
            "requestData",
            "must be an object".into(),
        ));
    };
    unknown_in(
        rd,
        &[
            "access_token",
            "int_ref",
            "tokenData",
            "checkData",
            "receiptDetails",
            "fiscalId",
            "name",
            "password",
        ],
        "requestData",
        &mut unknown,
    );
    let token = object(rd.get("tokenData"));
    if let Some(t) = token {
        unknown_in(
            t,
            &["parameters", "operationId", "version"],
            "requestData.tokenData",
            &mut unknown,
        );
    }
    let params = token.and_then(|t| object(t.get("parameters")));
    if let Some(p) = params {
        unknown_in(
            p,
            members::parameters(Dialect::Omnitech),
            "requestData.tokenData.parameters",
            &mut unknown,
        );
    }
    if let Some(c) = object(rd.get("checkData")) {
        // `payment_change` (INTEKO): the change the POS shows; the receipt's is computed.
        unknown_in(
            c,
            &["check_type", "payment_change"],
            "requestData.checkData",
            &mut unknown,
        );
    }
    let doc = doc_type(
        params.and_then(|p| p.get("doc_type")),
        "requestData.tokenData.parameters.doc_type",
    )?;
    let check = object(rd.get("checkData")).and_then(|c| c.get("check_type"));
    let kind = match check {
        None | Some(Value::Null) => match doc {
            Some(d) => OperationKind::Document(d),
            None => {
                return Err(problem(
                    ErrorCode::UnknownOperation,
                    "requestData.checkData.check_type",
                    "the request names no check_type and no doc_type".into(),
                ))
            }
        },
        Some(v) => {
            let n = match v {
                Value::Number(n) => n.as_u64(),
                Value::String(s) => s.parse::<u64>().ok(),
                _ => None,
            };
            match n.and_then(check_type) {
                Some(k) => k,
                None => {
                    return Err(problem(
                        ErrorCode::UnknownOperation,
                        "requestData.checkData.check_type",
                        format!("check_type {} is not an operation of this engine (1 sale, 100 money back, 10 rollback, 7/8 deposit/withdraw, 19 correction, 31 credit pay, 34 prepay, 12 X, 13 Z, 14 status, 15 open shift, 40 login, 41 info; 11, 16 and 17 are the token's copy, reprint and history)", cut(&v.to_string())),
                    ))
                }
            }
        }
    };
    if let (Some(d), OperationKind::Document(k)) = (doc, kind) {
        if d != k {
            return Err(problem(
                ErrorCode::UnknownOperation,
                "requestData.checkData.check_type",
                format!(
                    "check_type is {}, but doc_type is {}",
                    k.wire_name(),
                    d.wire_name()
                ),
            ));
        }
    }
    let data = optional_object(
        params.and_then(|p| p.get("data")),
        "requestData.tokenData.parameters.data",
    )?;
    Ok(Envelope {
        dialect: Dialect::Omnitech,
        kind,
        data,
        data_path: "requestData.tokenData.parameters.data",
        parameters: params.map(|p| (p, "requestData.tokenData.parameters")),
        credentials: Some(rd),
        reference: rd
            .get("fiscalId")
            .filter(|v| !v.is_null())
            .map(|v| (v, "requestData.fiscalId")),
        unknown,
    })
}

/// This engine's form: `{doc_type, data}` at the top; for compatibility, inside the
/// `parameters` / `tokenData` / `requestData` wrappers (SPEC.md §8.1), whose other members are
/// then unknown to this dialect.
fn canonical_envelope(root: &Map<String, Value>) -> Result<Envelope<'_>, Error> {
    let mut obj = root;
    let mut unknown = Vec::new();
    let mut base = String::new();
    for _ in 0..3 {
        if obj.contains_key("doc_type") {
            break;
        }
        let Some((k, inner)) = ["parameters", "tokenData", "requestData"]
            .iter()
            .find_map(|k| object(obj.get(*k)).map(|o| (*k, o)))
        else {
            break;
        };
        unknown_in(obj, &[k], &base, &mut unknown);
        base = if base.is_empty() {
            k.to_string()
        } else {
            format!("{base}.{k}")
        };
        obj = inner;
    }
    unknown_in(obj, &["doc_type", "data"], &base, &mut unknown);
    let doc = doc_type(obj.get("doc_type"), "doc_type")?;
    let Some(doc) = doc else {
        return Err(problem(
            ErrorCode::MissingField,
            "doc_type",
            "the document kind (doc_type) is required".into(),
        ));
    };
    let data = optional_object(obj.get("data"), "data")?;
    Ok(Envelope {
        dialect: Dialect::FiscalCore,
        kind: OperationKind::Document(doc),
        data,
        data_path: "data",
        parameters: None,
        credentials: None,
        reference: None,
        unknown,
    })
}

/// An e-Kassam `kas_*` body: the `data` object itself; the endpoint names the operation.
fn ekassam_envelope(
    root: &Map<String, Value>,
    given: Option<OperationKind>,
) -> Result<Envelope<'_>, Error> {
    let Some(kind) = given else {
        return Err(problem(
            ErrorCode::UnknownOperation,
            "",
            "a kas_* body carries no operation: give the endpoint it is posted to (kas_sale, kas_moneyback, …)".into(),
        ));
    };
    Ok(Envelope {
        dialect: Dialect::Ekassam,
        kind,
        data: Some(root),
        data_path: "",
        parameters: Some((root, "")),
        credentials: Some(root),
        reference: None,
        unknown: Vec::new(),
    })
}

/// Reads the text: see [`super::read_request`].
pub(super) fn read(text: &str, options: &ReadOptions<'_>) -> Result<Reading, Refusal> {
    let mut notices = Vec::new();
    if text.len() > MAX_REQUEST_BYTES {
        return Err(refuse(
            options.dialect,
            None,
            problem(
                ErrorCode::MalformedJson,
                "",
                format!("the request is larger than {MAX_REQUEST_BYTES} bytes"),
            ),
            notices,
        ));
    }
    // An e-Kassam GET (`kas_login`, `kas_shift`, `kas_xreport`, …) has no body: with its
    // endpoint given, an empty text is the empty object.
    let bodiless = text.trim().is_empty()
        && options.operation.is_some()
        && matches!(options.dialect, None | Some(Dialect::Ekassam));
    let text = if bodiless { "{}" } else { text };
    let (root, duplicate) = match strict_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return Err(refuse(
                options.dialect,
                None,
                problem(ErrorCode::MalformedJson, "", format!("not valid JSON: {e}")),
                notices,
            ))
        }
    };
    let Value::Object(root) = &root else {
        return Err(refuse(
            options.dialect,
            None,
            problem(
                ErrorCode::MalformedJson,
                "",
                "the request must be a JSON object".into(),
            ),
            notices,
        ));
    };
    if let Some(dup) = duplicate {
        return Err(refuse(
            options.dialect,
            None,
            problem(
                ErrorCode::DuplicateMember,
                &crate::receipt::duplicate_path(root, &dup),
                format!(
                    "the member {:?} appears twice: the request reads two ways",
                    cut(dup.name())
                ),
            ),
            notices,
        ));
    }
    let given =
        given_operation(options).map_err(|e| refuse(options.dialect, None, e, Vec::new()))?;
    let dialect = match options.dialect.or_else(|| recognise(root)) {
        Some(d) => d,
        None if given.is_some() => Dialect::Ekassam,
        None => {
            return Err(refuse(
                None,
                None,
                problem(
                    ErrorCode::UnknownOperation,
                    "",
                    "not a request of any dialect: no doc_type, operationId, parameters, requestData or receipt members".into(),
                ),
                notices,
            ))
        }
    };
    let envelope = match dialect {
        Dialect::FiscalCore => canonical_envelope(root),
        Dialect::Airconn | Dialect::Nba => vendor_envelope(root, dialect, given),
        Dialect::Omnitech => omnitech_envelope(root),
        Dialect::Ekassam => ekassam_envelope(root, given),
    }
    .map_err(|e| refuse(Some(dialect), None, e, Vec::new()))?;
    let kind = envelope.kind;
    if let Some(g) = given {
        if g != kind && dialect != Dialect::Ekassam {
            return Err(refuse(
                Some(dialect),
                Some(kind),
                problem(
                    ErrorCode::UnknownOperation,
                    "",
                    format!("the text asks for {}, not {}", kind.name(), g.name()),
                ),
                notices,
            ));
        }
        if dialect == Dialect::Ekassam {
            notices.push(Notice {
                code: NoticeCode::OperationFromEndpoint,
                path: String::new(),
                message: format!("the operation {} comes from the endpoint", kind.name()),
            });
        }
    }
    let mut n = Notices {
        deployed: options.policy == Policy::Deployed,
        list: &mut notices,
    };
    let mut problems = Problems::default();
    for path in &envelope.unknown {
        // A misspelt envelope member (`prev_doc_numbr`) would lose what it carries (the
        // double-issue guard): refused in both policies, as in `data` (SPEC.md §8.6).
        let name = path.rsplit('.').next().unwrap_or(path);
        normalize::unknown_data_member(&mut n, &mut problems, path, name, members::ENVELOPE);
    }
    let mut expected_previous = normalize::previous_number(&envelope, &mut n, &mut problems);
    match kind {
        OperationKind::Control(control) => {
            let (pin, user) = normalize::login(&envelope);
            if let Some(d) = envelope.data {
                if control != Control::Login {
                    for k in d.keys() {
                        normalize::unknown_member(
                            &mut n,
                            &mut problems,
                            &join(envelope.data_path, k),
                        );
                    }
                }
            }
            if !problems.is_empty() {
                return Err(refuse(
                    Some(dialect),
                    Some(kind),
                    Error::Invalid(problems),
                    notices,
                ));
            }
            Ok(Reading {
                dialect,
                policy: options.policy,
                operation: Operation::Control(ControlCall { control, pin, user }),
                expected_previous,
                claimed: Vec::new(),
                notices,
            })
        }
        OperationKind::Document(doc) => {
            let (canonical, claimed, data_previous) =
                normalize::canonical(&envelope, options.cashier, doc, &mut n, &mut problems);
            expected_previous = expected_previous.or(data_previous);
            let mut top = Map::new();
            top.insert("doc_type".into(), Value::String(doc.wire_name().into()));
            if let Some(data) = canonical {
                top.insert("data".into(), Value::Object(data));
            }
            let (mut draft, read) = RequestDraft::from_canonical(&top);
            problems.0.extend(read.0);
            if problems
                .iter()
                .any(|p| p.code == ErrorCode::MalformedJson || p.path == "data")
            {
                return Err(refuse(
                    Some(dialect),
                    Some(kind),
                    Error::Invalid(problems),
                    notices,
                ));
            }
            normalize::draft(&mut draft, &mut n, &problems);
            let deployed = n.deployed;
            let result = draft.validate_lenient(
                &options.context,
                problems,
                if deployed { Some(&mut notices) } else { None },
            );
            match result {
                Ok(request) => Ok(Reading {
                    dialect,
                    policy: options.policy,
                    operation: Operation::Issue(request),
                    expected_previous,
                    claimed,
                    notices,
                }),
                Err(e) => Err(refuse(Some(dialect), Some(kind), e, notices)),
            }
        }
    }
}

/// `base.key`, or `key` at the top.
pub(super) fn join(base: &str, key: &str) -> String {
    if base.is_empty() {
        key.into()
    } else {
        format!("{base}.{key}")
    }
}
