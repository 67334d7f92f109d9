//! The scenario family (`spec/vectors/scenarios.json`): a device's sequence of timed operations
//! → each document it issues or each refusal (shifts, numbering, the 24-hour shift, the offline
//! limits, certificate expiry, the PIN, returns, cancels, advances, credit instalments, cash
//! documents, X- and Z-reports, decommission). The expected steps are the engine's;
//! `spec/tools/references/reference_device.py` recomputes every expected value except the
//! fiscal IDs (an independent model of SPEC.md §14), so the suite does not simply bless the
//! engine's output.

mod cases;
mod steps;

use serde_json::{json, Value};

use crate::engine::scenario;
use crate::engine::tc_ids::check_tc_ids;
pub(crate) use steps::device_params;

/// One scenario: its tcId, what it shows, the rules it cites, its flags, the input steps and
/// the journal lines of other devices' documents it refers to.
struct Case {
    id: u64,
    comment: String,
    rules: Vec<&'static str>,
    flags: Vec<&'static str>,
    steps: Vec<Value>,
    foreign: Vec<String>,
}

/// A scenario without foreign documents.
fn case(
    id: u64,
    comment: &str,
    rules: &[&'static str],
    flags: &[&'static str],
    steps: Vec<Value>,
) -> Case {
    Case {
        id,
        comment: comment.into(),
        rules: rules.to_vec(),
        flags: flags.to_vec(),
        steps,
        foreign: Vec::new(),
    }
}

fn notes() -> Value {
    json!({
        "refusal": "some operations are refused; a refused operation changes nothing (the next document's number shows it)",
        "boundary": "a limit tested at its exact edge, to the millisecond",
        "report": "X- or Z-report totals are compared",
        "restart": "the device is restarted (state saved and restored; SPEC.md §14.1): it needs the PIN again",
        "references": "documents are passed as references (RC-17, RC-18)",
        "offline": "the upload limits of SPEC.md §14.3 step 4",
        "expiry": "near or after the certificate's expiry (NM-08)",
        "deferred": "advance offsets or credit: only the part paid now is counted (SPEC.md §5.4)",
        "short-id": "a reference by the 12-character short fiscal ID (SPEC.md §13.3)",
        "validation": "a request refused by validation (SPEC.md §7) before the device sees it",
        "bulk": "thousands of steps",
        "device-memory": "the outcome depends on what the device remembers: its ledger of the receipts claimed on (returns, cancels, advances spent, instalments paid; SPEC.md §14.6), so earlier claims count whether or not the POS supplies them",
        "foreign-document": "references a document signed by another device, given as a journal line in `input.foreignDocuments` (SPEC.md §13.5); the engine, handed the document, reports reference_not_authentic; a kassa that looks references up in its own journal instead would report reference_not_found",
    })
}

fn format_notes() -> Value {
    json!({
        "steps": "each input step is one operation of SPEC.md §14 on one device, activated by the scenario's first `activate`; `at` is the operation's moment (ISO 8601 in Baku, +04:00, milliseconds when not 0). Ops: activate, openShift, issue (`request` in the JSON form of SPEC.md §8, `references`, optional `expectedPrevious`), closeShift (the Z-report), xReport, unlock (`pin`), restart (save the state, restore it: the device needs the PIN again), acknowledge (`through`: every document up to that number has been uploaded; when documents remain, document through + 1 is supplied), decommission",
        "placeholders": "a string value in a request that is exactly {{fiscalId:N}} is replaced by the long fiscal ID of this scenario's document N, {{shortId:N}} by its short ID (12 characters), {{foreignFiscalId:K}} by the long fiscal ID of input.foreignDocuments[K-1]",
        "references": "`references` lists the documents supplied with the request: a number N is this scenario's document N, {\"foreign\": K} is input.foreignDocuments[K-1] (a journal line)",
        "results": "each output step is {result: document, number, kind, shift, shiftReceipt, fiscalId, warnings, …} for a document, {result: refused, error: <SPEC.md §9 code>} for a refusal, {result: ok} for unlock, restart and acknowledge, {result: report, report} for an X-report",
        "kind": "the document's content: activation, open_shift, zreport, decommission, or the request's doc_type (sale, money_back, rollback, prepay, creditpay, deposit, withdraw, correction)",
        "shift": "a document in an open shift carries its number; one outside (activation, decommission) carries the last shift's number, 0 before the first",
        "shiftReceipt": "receipts (sale, money_back, rollback, prepay, creditpay) are counted 1, 2, … within their shift; every other document carries 0 (RC-06)",
        "warnings": "certificate_expires_soon on a document issued from validUntil − 7 days until validUntil (NM-08, SPEC.md §12.2); otherwise []",
        "amounts": "a document with lines, and a correction: total (Σ line totals) and sum (SPEC.md §5.4); deposit and withdraw: sum; rollback: voided {number, kind, sum} of the receipt it voids; zreport: report. Decimals are strings with their scale",
        "report": "shift, openedAt, firstNumber (the opening document), lastNumber (the Z-report itself; for an X-report the last document so far), receipts, kinds (one row per request kind issued in the shift, in the order sale, money_back, rollback, prepay, creditpay, deposit, withdraw, correction: count, Σ sum, Σ payments by form, Σ counted tax groups in SPEC.md §5.3 order; a rollback row counts the voided amounts), cashIn, cashOut, cashInDrawer (SPEC.md §14.4)",
        "refusedRequests": "a refused request in a scenario has exactly one problem, so `error` is one code",
    })
}

/// Steps one to a line, the rest indented: the file stays readable and diffable.
pub(crate) fn write_value(v: &Value, indent: usize, out: &mut String) {
    let pad = "  ".repeat(indent + 1);
    match v {
        Value::Object(o) if !o.is_empty() => {
            out.push_str("{\n");
            for (i, (k, x)) in o.iter().enumerate() {
                out.push_str(&pad);
                out.push_str(&serde_json::to_string(k).unwrap());
                out.push_str(": ");
                if (k == "steps" || k == "foreignDocuments") && x.is_array() {
                    let items = x.as_array().unwrap();
                    out.push_str("[\n");
                    for (j, s) in items.iter().enumerate() {
                        out.push_str(&pad);
                        out.push_str("  ");
                        out.push_str(&serde_json::to_string(s).unwrap());
                        out.push_str(if j + 1 < items.len() { ",\n" } else { "\n" });
                    }
                    out.push_str(&pad);
                    out.push(']');
                } else {
                    write_value(x, indent + 1, out);
                }
                out.push_str(if i + 1 < o.len() { ",\n" } else { "\n" });
            }
            out.push_str(&"  ".repeat(indent));
            out.push('}');
        }
        Value::Array(a) if !a.is_empty() && a.iter().any(|x| x.is_object()) => {
            out.push_str("[\n");
            for (i, x) in a.iter().enumerate() {
                out.push_str(&pad);
                write_value(x, indent + 1, out);
                out.push_str(if i + 1 < a.len() { ",\n" } else { "\n" });
            }
            out.push_str(&"  ".repeat(indent));
            out.push(']');
        }
        other => out.push_str(&serde_json::to_string(other).unwrap()),
    }
}

/// The whole of `scenarios.json`.
pub(crate) fn generate() -> Value {
    let device = device_params();
    let cases = cases::all();
    check_tc_ids("scenario", cases.iter().map(|c| (c.id, c.comment.as_str())));
    let tests: Vec<Value> = cases
        .into_iter()
        .map(|c| {
            let mut input = json!({ "steps": c.steps });
            if !c.foreign.is_empty() {
                input["foreignDocuments"] = json!(c.foreign);
            }
            let expected = scenario::run(&device, &input);
            json!({
                "tcId": c.id,
                "comment": c.comment,
                "rules": c.rules,
                "flags": c.flags,
                "input": input,
                "result": "valid",
                "expected": expected,
            })
        })
        .collect();
    json!({
        "schema": scenario::SCHEMA,
        "schemaFile": "schemas/scenario.schema.json",
        "suiteVersion": "1",
        "spec": "spec/SPEC.md v2, §12–§14",
        "comment": "Scenarios: a device's sequence of timed operations → each document or refusal. Generated by spec/vectorgen (cargo run -p fiscal-core-vectorgen -- --write); every expected value except the fiscal IDs is recomputed by spec/tools/references/reference_device.py from SPEC.md and RULES.md. Keys from seeds (SPEC.md §12.3): test keys only.",
        "format": format_notes(),
        "notes": notes(),
        "testGroups": [{"type": "ScenarioTest", "device": device, "tests": tests}],
    })
}

/// The file's text: `write_value` of [`generate`], with a final newline.
pub(crate) fn text() -> String {
    let mut text = String::new();
    write_value(&generate(), 0, &mut text);
    text.push('\n');
    text
}
