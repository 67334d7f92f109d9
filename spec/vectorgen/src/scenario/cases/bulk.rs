//! The bulk scenario: thousands of documents waiting for upload.

use serde_json::json;

use super::super::steps::*;
use super::super::{case, Case};
use crate::engine::scenario::{format_time, parse_time};

/// 4000 documents waiting for upload (NM-05): activation, shift, 3998 deposits. The 4001st
/// receipt is refused; the Z-report is still issued; an acknowledgement lifts the limit.
pub(super) fn bulk_pending() -> Case {
    let mut steps = day_start();
    let start = parse_time(&at("11-23 09:00"));
    for i in 1..=3998i64 {
        steps.push(json!({"at": format_time(start.plus(i * 1000)), "op": "issue", "request": deposit("0.01")}));
    }
    let t = |s: i64| format_time(start.plus(s * 1000));
    steps.extend([
        json!({"at": t(4000), "op": "issue", "request": cash_sale("Çörək", "0.60")}),
        json!({"at": t(4001), "op": "issue", "request": withdraw("0.01")}),
        json!({"at": t(4002), "op": "closeShift"}),
        json!({"at": t(4003), "op": "openShift"}),
        ack(4000),
        json!({"at": t(4004), "op": "openShift"}),
        json!({"at": t(4005), "op": "issue", "request": cash_sale("Çörək", "0.60")}),
    ]);
    case(
                16,
        "4000 documents not uploaded: the next receipt and the next shift are refused (too_many_pending); the Z-report is still issued; an acknowledgement lifts the limit",
        &["NM-05", "NM-01", "NM-03", "PK-02"],
        &["refusal", "bulk", "offline", "report"],
        steps,
    )
}
