//! A request read in a dialect (SPEC.md §8.6): what `fiscal-core validate --json`, Python's
//! `read_request` and the C entry point hand out, defined once.

use alloc::vec::Vec;

use serde_json::{json, Map, Value};

use crate::dialect::{Notice, Operation, Reading, Refusal};

/// `{"code", "message", "number", "path", "rule"}`: one notice (`NoticeCode`'s name, number
/// and rule), where `path` is the member's path (`items[0].itemCode`; `""` for the whole
/// request).
pub fn notice(n: &Notice) -> Value {
    json!({
        "code": n.code.as_str(),
        "message": n.message,
        "number": n.code.number(),
        "path": n.path,
        "rule": n.rule(),
    })
}

/// The operation of a reading: a document's canonical request (SPEC.md §8.4, its amounts JSON
/// numbers with their scale), or `{"operation", "pin_given", "user"}` for a control call (the
/// PIN itself is never written out).
fn request(r: &Reading) -> Value {
    match &r.operation {
        Operation::Issue(request) => {
            // The canonical form is JSON written by the engine: it reads back.
            crate::strict_json::from_str(&request.to_json())
                .map(|(v, _)| v)
                .unwrap_or(Value::Null)
        }
        Operation::Control(c) => json!({
            "operation": c.control.name(),
            "pin_given": c.pin.is_some(),
            "user": c.user,
        }),
    }
}

/// A request read, or refused:
///
/// - accepted: `{"claimed", "dialect", "expected_previous", "notices", "ok": true,
///   "operation", "policy", "request"}` — `claimed` the amounts a cancel carried
///   (`{member: "12.00"}`, checked against the voided receipt when issued), `expected_previous`
///   the `prev_doc_number` guard or `null`, `notices` each by [`notice`];
/// - refused: `{"dialect", "notices", "ok": false, "operation", "policy", "problems"}` —
///   `dialect` and `operation` `null` when they could not be told, `problems` each by
///   [`super::problem`].
pub fn reading(result: &Result<Reading, Refusal>, policy: crate::dialect::Policy) -> Value {
    let mut out = Map::new();
    match result {
        Ok(r) => {
            let claimed: Map<_, _> = r
                .claimed
                .iter()
                .map(|(k, a)| ((*k).into(), super::decimal(a)))
                .collect();
            out.insert("claimed".into(), Value::Object(claimed));
            out.insert("dialect".into(), r.dialect.name().into());
            out.insert("expected_previous".into(), json!(r.expected_previous));
            out.insert(
                "notices".into(),
                r.notices.iter().map(notice).collect::<Vec<_>>().into(),
            );
            out.insert("ok".into(), true.into());
            out.insert("operation".into(), r.kind().name().into());
            out.insert("policy".into(), r.policy.name().into());
            out.insert("request".into(), request(r));
        }
        Err(refusal) => {
            out.insert("dialect".into(), json!(refusal.dialect.map(|d| d.name())));
            out.insert(
                "notices".into(),
                refusal
                    .notices
                    .iter()
                    .map(notice)
                    .collect::<Vec<_>>()
                    .into(),
            );
            out.insert("ok".into(), false.into());
            out.insert(
                "operation".into(),
                json!(refusal.operation.map(|o| o.name())),
            );
            out.insert("policy".into(), policy.name().into());
            // Every error has at least one problem (`Error::problems`).
            let problems: Vec<Value> = refusal
                .error
                .problems()
                .iter()
                .map(super::problem)
                .collect();
            out.insert("problems".into(), problems.into());
        }
    }
    Value::Object(out)
}
