//! The math family run through the engine (`spec/vectors/math.json`): a vector's input →
//! the engine's expected numbers or error codes, in the vectors' format. Shared by the check
//! (`fiscal-core/tests/vectors.rs`, `conformance.rs`) and the generator (`spec/vectorgen`),
//! which includes this file with `#[path]`.
#![allow(
    dead_code,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use fiscal_core::{CivilDate, Error, RateTable, Request, ValidationContext};
use serde_json::{json, Value};

/// The date of the math vectors' test group.
pub(crate) const DATE: &str = "2026-11-23";

fn ctx_date() -> CivilDate {
    DATE.parse().unwrap()
}

pub(crate) fn validate(input: &Value) -> Result<Request, Error> {
    let rates = RateTable::azerbaijan();
    // A string is the request's text exactly as sent (a repeated member cannot be written
    // as a JSON object in the vector file); anything else is the request itself.
    let text = match input {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    Request::from_json(
        &text,
        &ValidationContext {
            rates: &rates,
            date: ctx_date(),
        },
    )
}

/// The expected numbers of a valid request, in the vectors' format.
pub(crate) fn expected(r: &Request) -> Value {
    let out: Value = serde_json::from_str(&r.to_json()).unwrap();
    let data = &out["data"];
    let body = r.body().unwrap();
    let groups = |key: &str| data[key].clone();
    json!({
        "lines": body.lines().iter().map(|l| json!({"total": l.total().to_string(), "tax": l.tax().to_string()})).collect::<Vec<_>>(),
        "total": body.totals().total().to_string(),
        "sum": body.totals().sum().to_string(),
        "taxGroups": strings(groups("taxGroups")),
        "countedTaxGroups": strings(groups("countedTaxGroups")),
        "taxTotal": body.totals().tax_total().to_string(),
        "change": body.payments().change.to_string(),
        "vatAmounts": strings(data["vatAmounts"].clone()),
    })
}

/// JSON numbers → strings (vectors carry decimals as text, so no reader parses them as floats).
fn strings(v: Value) -> Value {
    match v {
        Value::Number(n) => Value::String(n.to_string()),
        Value::Array(a) => Value::Array(a.into_iter().map(strings).collect()),
        Value::Object(o) => Value::Object(o.into_iter().map(|(k, v)| (k, strings(v))).collect()),
        other => other,
    }
}

/// The error codes of a refused request, as the vectors give them: a sorted set.
pub(crate) fn error_codes(e: &Error) -> Value {
    let mut codes: Vec<&str> = e.problems().iter().map(|p| p.code.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    json!(codes)
}
