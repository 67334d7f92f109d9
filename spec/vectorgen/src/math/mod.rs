//! The math family (`spec/vectors/math.json`): requests (SPEC.md §8) → line totals and taxes,
//! groups, counted groups, `sum`, change, `vatAmounts`, or the error codes. The expected values
//! are the engine's; `spec/tools/harness/check_vectors.py` re-derives every number with the
//! independent Python reference, so the suite does not just bless the engine's output.

mod handcrafted;
mod invalid;
mod pos;
mod random;

use serde_json::{json, Value};

use crate::engine::math;
use crate::engine::tc_ids::check_tc_ids;
use random::Rng;

/// One case: its tcId, what it shows, the rules it cites, its flags, and the request.
struct Case {
    id: u64,
    comment: String,
    rules: Vec<&'static str>,
    flags: Vec<&'static str>,
    input: Value,
}

fn case(
    id: u64,
    comment: &str,
    rules: &[&'static str],
    flags: &[&'static str],
    input: Value,
) -> Case {
    Case {
        id,
        comment: comment.into(),
        rules: rules.to_vec(),
        flags: flags.to_vec(),
        input,
    }
}

/// A sale with these items and payment members.
fn sale(items: Value, payment: Value) -> Value {
    let mut data = json!({"cashier": "Kassir", "items": items});
    for (k, v) in payment.as_object().unwrap() {
        data[k] = v.clone();
    }
    json!({"doc_type": "sale", "data": data})
}

/// The whole of `math.json`.
pub(crate) fn generate() -> Value {
    let mut rng = Rng(0x5EED_F15C_A1C0_4E17);
    let mut cases = handcrafted::cases();
    cases.extend(random::cases(&mut rng, 300, 17));
    cases.extend(invalid::cases());
    cases.extend(pos::cases());
    check_tc_ids("math", cases.iter().map(|c| (c.id, c.comment.as_str())));
    let tests: Vec<Value> = cases
        .into_iter()
        .map(|c| {
            let mut t = json!({"tcId": c.id, "comment": c.comment, "rules": c.rules, "flags": c.flags, "input": c.input});
            match math::validate(&t["input"]) {
                Ok(r) => {
                    t["result"] = json!("valid");
                    t["expected"] = math::expected(&r);
                }
                Err(e) => {
                    t["result"] = json!("invalid");
                    t["errors"] = math::error_codes(&e);
                }
            }
            t
        })
        .collect();
    json!({
        "schema": "fiscal-core-vectors/math/v1",
        "schemaFile": "schemas/math.schema.json",
        "suiteVersion": "1",
        "comment": "Math: a request (SPEC.md §8) → line totals and taxes, tax groups, counted groups, sum, change, vatAmounts; or the error codes of SPEC.md §9. Every expected value is re-derived by spec/tools/references/reference.py.",
        "spec": "spec/SPEC.md v2, §3–§8",
        "notes": {
            "worked-example": "one of SPEC.md §10's worked examples",
            "random": "generated from a fixed seed; expected numbers re-derived by spec/tools/references/reference.py",
            "midpoint": "an exact half qəpik: rounds away from zero",
            "allocation": "group tax allocated to lines, or the paid-now part to groups, by largest remainder",
            "deferred": "advance offset or credit: only the part paid now is counted (§5.4)",
            "margin": "VAT on the trade margin",
            "simplified": "simplified tax on turnover",
            "band": "a line total within the rounding band of §5.2",
            "fuel": "a 4-decimal unit price",
            "invalid": "one fault; `errors` lists the codes (SPEC.md §9), as a set",
            "text": "input is the request's JSON text exactly as sent (a string), for texts a JSON object cannot hold: a repeated member (SPEC.md §8.3)",
        },
        "testGroups": [{"date": math::DATE, "rates": "azerbaijan (SPEC.md §5.1)", "tests": tests}],
    })
}
