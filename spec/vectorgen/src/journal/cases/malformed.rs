//! Malformed lines (PK-11).

use fiscal_core::Document;

use super::{Cases, Ctx};
use crate::journal::forge::*;

/// Adds this topic's cases.
pub(super) fn add(cx: &Ctx, out: &mut Cases) {
    let Ctx { all, .. } = cx;
    let j = |docs: &[Document]| cx.j(docs);
    let (e, x) = (true, false);
    let last = all.len() - 1;
    // --- Malformed lines (PK-11).
    let jl = j(all);
    let n = jl.len();
    let mut v = jl.clone();
    let half = v[n - 1].len() / 2;
    v[n - 1].truncate(half);
    out.add(
        78,
        "the last line cut in half",
        &["PK-11"],
        &["malformed"],
        v,
        &[("invalid_document", None)],
        e,
    );
    let mut v = jl.clone();
    v[4].truncate(300);
    out.add(
        79,
        "a sale's line cut short",
        &["PK-11", "NM-03"],
        &["malformed", "cascade"],
        v,
        &[("invalid_document", None), ("number_gap", Some(5))],
        x,
    );
    let mut v = jl.clone();
    v[n - 1] = v[n - 1].replacen("\"body\":\"6", "\"body\":\"z", 1);
    out.add(
        80,
        "a body that is not hexadecimal",
        &["PK-11"],
        &["malformed"],
        v,
        &[("invalid_document", None)],
        e,
    );
    let mut v = jl.clone();
    v.push("this is not a journal line".into());
    out.add(
        81,
        "a line that is not JSON",
        &["PK-11"],
        &["malformed"],
        v,
        &[("invalid_document", None)],
        e,
    );
    let mut v = jl.clone();
    v[n - 1] = v[n - 1].replacen('}', r#","note":"x"}"#, 1);
    out.add(
        82,
        "a line with an extra member",
        &["PK-11"],
        &["malformed"],
        v,
        &[("invalid_document", None)],
        e,
    );
    let mut v = jl.clone();
    v[n - 1] = v[n - 1].replacen("\"number\":21", "\"number\":12", 1);
    out.add(
        83,
        "a line whose number is not its document's",
        &["PK-11", "NM-03"],
        &["malformed"],
        v,
        &[("invalid_document", None)],
        e,
    );
    let mut v = jl.clone();
    v[n - 1] = tamper_line(&all[last], &|bytes, _| bytes.push(0));
    out.add(
        84,
        "a body with a byte after the document",
        &["PK-11"],
        &["malformed"],
        v,
        &[("invalid_document", None)],
        e,
    );
}
