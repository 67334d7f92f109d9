//! A journal verification's report (SPEC.md §15) and its findings.

use alloc::vec::Vec;

use serde_json::{json, Value};

use super::iso_time;
use crate::verify::{Finding, JournalReport};

/// `{"code", "code_number", "document_number", "line", "message", "rule"}`: the stable code
/// and its number, the document's number and the journal line (from 1) when known, a message
/// for people and the rule broken.
pub fn finding(f: &Finding) -> Value {
    json!({
        "code": f.code.as_str(),
        "code_number": f.code.number(),
        "document_number": f.number,
        "line": f.line,
        "message": f.message,
        "rule": f.rule(),
    })
}

/// The report: `valid`, the counts (`lines`, `documents`, `receipts`), every kept finding and
/// how many were dropped (`findings_dropped`, always present, 0 as a rule), and what the
/// journal's completeness is checked against (SPEC.md §15.3): `last_number`,
/// `last_fiscal_id`, `last_time` / `last_time_ms` of the last document signed by the device,
/// `last_shift` and `last_shift_closed` (`null` or `false` when there is none); and what
/// could not be checked here, which is no break (`unchecked`, each a finding's form;
/// `unchecked_total`), SPEC.md §15.2.
pub fn journal_report(r: &JournalReport) -> Value {
    json!({
        "documents": r.documents,
        "findings": r.findings.iter().map(finding).collect::<Vec<_>>(),
        "findings_dropped": r.findings_dropped,
        "last_fiscal_id": r.last_fiscal_id.map(|id| id.long()),
        "last_number": r.last_number,
        "last_shift": r.last_shift,
        "last_shift_closed": r.last_shift_closed,
        "last_time": r.last_time.map(iso_time),
        "last_time_ms": r.last_time.map(|t| t.millis()),
        "lines": r.lines,
        "receipts": r.receipts,
        "unchecked": r.unchecked.iter().map(finding).collect::<Vec<_>>(),
        "unchecked_total": r.unchecked_total,
        "valid": r.is_valid(),
    })
}
