//! An error (SPEC.md §9): what a binding hands out when an operation is refused, and the
//! verdict on one document.

use alloc::string::ToString;
use alloc::vec::Vec;

use serde_json::{json, Value};

use crate::{Error, Problem};

/// `{"code", "message", "number", "path", "rule"}`: one problem of an error, where `path` is
/// the JSON path in the request, members of `data` named without `data.` (`items[2].itemPrice`; `""` for the whole request).
pub fn problem(p: &Problem) -> Value {
    json!({
        "code": p.code.as_str(),
        "message": p.message,
        "number": p.code.number(),
        "path": p.path,
        "rule": p.code.rule(),
    })
}

/// `{"category", "code", "message", "number", "problems", "rule"}`: the error's stable code,
/// its number, the rule it enforces and its category (`request`, `device`, `crypto`,
/// `format`, `finding`: SPEC.md §9), the message for people ([`Error`]'s `Display`) and every
/// problem ([`problem`]): a request reports all of its problems, any other error one.
pub fn error(e: &Error) -> Value {
    let code = e.code();
    json!({
        "category": code.category().as_str(),
        "code": code.as_str(),
        "message": e.to_string(),
        "number": code.number(),
        "problems": e.problems().iter().map(problem).collect::<Vec<_>>(),
        "rule": code.rule(),
    })
}

/// The same form for a refusal made by a binding before the engine ran (a NULL or malformed
/// argument, a handle not activated yet): `category` `"boundary"`, the binding's own `code`
/// and `number` (below 100, SPEC.md §9), `rule` `null` and no problems.
pub fn refusal(code: &str, number: u32, message: &str) -> Value {
    json!({
        "category": "boundary",
        "code": code,
        "message": message,
        "number": number,
        "problems": [],
        "rule": null,
    })
}

/// The verdict on one document checked against its certificate and the trusted authority key:
/// `{"code", "message", "rule", "valid"}`, the reason's stable code, the message for people
/// and the rule broken, each `null` when the document verifies (`valid` true).
pub fn verdict(result: &Result<(), Error>) -> Value {
    let e = result.as_ref().err();
    json!({
        "code": e.map(|e| e.code().as_str()),
        "message": e.map(|e| e.to_string()),
        "rule": e.map(|e| e.code().rule()),
        "valid": e.is_none(),
    })
}
