//! The typed reader (issue #19) against the full reader: for every text, `Request::from_json`
//! gives exactly what the full reader gives (the request, or the error with every code, path
//! and message), and wherever the typed reader takes a text on its own, its outcome and its
//! draft are the full reader's (SPEC.md §8; the same property is fuzzed by `request_json`).
//!
//! The texts: every request found in `spec/vectors/*.json` (wire texts of the dialect cases,
//! requests of the math and scenario vectors, the invalid ones too), each also mutated member
//! by member; and random requests built from the members of §8.2 with values of every JSON
//! type, repeats, escapes, unknown and misspelt names.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::cell::Cell;

use fiscal_core::internal::{read_draft_typed, read_request_full, read_request_typed};
use fiscal_core::{CivilDate, RateTable, Request, RequestDraft, ValidationContext};
use proptest::prelude::*;
use serde_json::Value;

thread_local! {
    /// Texts compared, and those the typed reader took on its own (accepted or refused).
    static TAKEN: Cell<(usize, usize)> = const { Cell::new((0, 0)) };
}

/// The dates the texts are validated on: rates change between them (SPEC.md §5.1).
fn dates() -> [CivilDate; 2] {
    [
        CivilDate::new(2026, 11, 23).unwrap(),
        CivilDate::new(2019, 6, 1).unwrap(),
    ]
}

/// The property: the public reader is the full reader, and the typed reader, where it answers,
/// answers the same; its draft is `RequestDraft::from_json`'s, with no problem.
fn same_outcome(text: &str, rates: &RateTable) {
    for date in dates() {
        let ctx = ValidationContext { rates, date };
        let full = read_request_full(text, &ctx);
        assert_eq!(
            Request::from_json(text, &ctx),
            full,
            "from_json ≠ full reader: {text}"
        );
        let typed = read_request_typed(text, &ctx);
        TAKEN.with(|t| {
            let (all, taken) = t.get();
            t.set((all + 1, taken + usize::from(typed.is_some())));
        });
        if let Some(typed) = typed {
            assert_eq!(typed, full, "typed ≠ full reader: {text}");
        }
    }
    if let Some(draft) = read_draft_typed(text) {
        let (slow, problems) = RequestDraft::from_json(text);
        assert!(problems.is_empty(), "{problems:?}: {text}");
        assert_eq!(draft, slow, "typed draft ≠ RequestDraft::from_json: {text}");
    }
}

/// Every request text in the vectors: wire texts (strings holding a JSON object) and request
/// objects (with `doc_type`, `data` or an envelope's members), compact and pretty-printed.
fn vector_texts() -> Vec<String> {
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::String(s) if s.trim_start().starts_with('{') => out.push(s.clone()),
            Value::Array(list) => list.iter().for_each(|v| walk(v, out)),
            Value::Object(o) => {
                let request = [
                    "doc_type",
                    "data",
                    "parameters",
                    "requestData",
                    "operationId",
                ]
                .iter()
                .any(|k| o.contains_key(*k));
                if request {
                    out.push(v.to_string());
                    out.push(serde_json::to_string_pretty(v).unwrap());
                }
                o.values().for_each(|v| walk(v, out));
            }
            _ => {}
        }
    }
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/vectors");
    let mut out = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "{files:?}");
    for f in files {
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        walk(&v, &mut out);
    }
    out.sort();
    out.dedup();
    out
}

/// Variants of a request: each member of `data` (and of its first item) dropped, set to
/// `null`, to another JSON type, written twice, renamed with an escape or misspelt.
fn mutations(text: &str) -> Vec<String> {
    let Ok(Value::Object(root)) = serde_json::from_str::<Value>(text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let replacements = [
        "null",
        "true",
        "0",
        "-0",
        "-1",
        "1e2",
        "1.005",
        "\"12.50\"",
        "\"x\"",
        "[]",
        "{}",
        "18",
        "99999999999999999999",
    ];
    let Some(Value::Object(data)) = root.get("data") else {
        return out;
    };
    let data_text = Value::Object(data.clone()).to_string();
    for (k, v) in data {
        let member = format!("\"{k}\":{v}");
        if !data_text.contains(&member) {
            continue;
        }
        let rewrite = |with: &str| text_with(&root, &data_text.replacen(&member, with, 1));
        out.push(rewrite(&format!("\"{k}\":null")));
        out.push(rewrite(&format!("{member},{member}")));
        out.push(rewrite(&format!(
            "\"\\u{:04x}{}\":{v}",
            u32::from(k.chars().next().unwrap()),
            &k[k.chars().next().unwrap().len_utf8()..]
        )));
        out.push(rewrite(&format!("\"{k}x\":{v}")));
        for r in replacements {
            out.push(rewrite(&format!("\"{k}\":{r}")));
        }
    }
    if let Some(Value::Array(items)) = data.get("items") {
        if let Some(Value::Object(item)) = items.first() {
            let item_text = Value::Object(item.clone()).to_string();
            for (k, v) in item {
                let member = format!("\"{k}\":{v}");
                for r in replacements.iter().copied().chain(["\"\"", "\"0\"", "1"]) {
                    let changed = item_text.replacen(&member, &format!("\"{k}\":{r}"), 1);
                    out.push(text_with(
                        &root,
                        &data_text.replacen(&item_text, &changed, 1),
                    ));
                }
                let twice = item_text.replacen(&member, &format!("{member},{member}"), 1);
                out.push(text_with(&root, &data_text.replacen(&item_text, &twice, 1)));
            }
        }
    }
    for kind in [
        "deposit",
        "withdraw",
        "correction",
        "rollback",
        "money_back",
        "sale",
        "x",
    ] {
        let mut r = root.clone();
        r.insert("doc_type".into(), Value::String(kind.into()));
        out.push(Value::Object(r).to_string());
    }
    out
}

/// `text`'s request with its `data` written as `data_text` (not necessarily JSON any more).
fn text_with(root: &serde_json::Map<String, Value>, data_text: &str) -> String {
    let mut parts = Vec::new();
    for (k, v) in root {
        if k == "data" {
            parts.push(format!("\"data\":{data_text}"));
        } else {
            parts.push(format!("\"{k}\":{v}"));
        }
    }
    format!("{{{}}}", parts.join(","))
}

#[test]
fn every_vector_request_reads_the_same_both_ways() {
    let rates = RateTable::azerbaijan();
    let texts = vector_texts();
    assert!(
        texts.len() > 200,
        "only {} request texts found",
        texts.len()
    );
    for text in &texts {
        same_outcome(text, &rates);
    }
    let (all, taken) = TAKEN.with(Cell::get);
    eprintln!(
        "vectors: {} texts, {all} readings, {taken} by the typed reader",
        texts.len()
    );
    // The typed reader must actually take the common case (else this test proves nothing).
    assert!(
        taken * 5 > all,
        "the typed reader took only {taken} of {all}"
    );
}

#[test]
fn every_vector_request_mutated_reads_the_same_both_ways() {
    let rates = RateTable::azerbaijan();
    let mut count = 0;
    for text in vector_texts() {
        for m in mutations(&text) {
            same_outcome(&m, &rates);
            count += 1;
        }
    }
    let (all, taken) = TAKEN.with(Cell::get);
    eprintln!("mutations: {count} texts, {all} readings, {taken} by the typed reader");
    assert!(count > 2000, "{count}");
    assert!(
        taken * 20 > all,
        "the typed reader took only {taken} of {all}"
    );
}

#[test]
fn the_bench_sale_and_awkward_forms_read_the_same_both_ways() {
    let rates = RateTable::azerbaijan();
    let item = r#"{"itemName":"Çörək","itemCodeType":2,"itemCode":"4006381333931","itemQuantity":2,"itemPrice":0.60,"itemVatPercent":18}"#;
    let sale = |items: &str, tail: &str| {
        format!(
            r#"{{"doc_type":"sale","data":{{"cashier":"Aysel Məmmədova","items":[{items}],"cashSum":1.20{tail}}}}}"#
        )
    };
    let texts = [
        sale(item, ""),
        sale(
            item,
            r#","taxGroups":[{"gross":1.20,"tax":0.18,"x":{"y":[1,2.5,"z",null,true]}}]"#,
        ),
        sale(item, r#","taxGroups":[{"a":1,"a":2}]"#),
        sale(
            item,
            r#","taxGroups":{"$serde_json::private::Number":"1.5"}"#,
        ),
        sale(item, r#","taxGroups":{"$serde_json::private::Number":"x"}"#),
        sale(
            item,
            r#","taxGroups":{"a":{"$serde_json::private::Number":"1.5"}}"#,
        ),
        sale(
            item,
            r#","cashSum":{"$serde_json::private::Number":"1.20"}"#,
        ),
        sale(item, r#","sum":{"$serde_json::private::Number":"1.20"}"#),
        sale(
            item,
            r#","sum":{"$serde_json::private::Number":"1.20","x":1}"#,
        ),
        sale(item, r#","\u0073um":1.20"#),
        sale(item, r#","sum":"1.20""#),
        sale(item, r#","sum":1.2e0"#),
        sale(item, r#","incomingSum":-0,"changeSum":0"#),
        sale(item, r#","parents":[]"#),
        sale(
            item,
            r#","parents":null,"vatAmounts":null,"currency":"AZN""#,
        ),
        sale(&item.replace("0.60", "\"0.60\""), ""),
        sale(&item.replace(r#""4006381333931""#, "4006381333931"), ""),
        sale(
            &item
                .replace(r#""itemCodeType":2"#, r#""itemCodeType":0"#)
                .replace(r#""4006381333931""#, r#""""#),
            "",
        ),
        sale(&item.replace(r#""itemCodeType":2,"#, ""), ""),
        sale(&format!("{item},{item}"), ""),
        sale(&item.replace('}', r#","itemTaxSum":0.18}"#), ""),
        sale(&item.replace('}', r#","department":99999999999}"#), ""),
        sale(
            &item.replace('}', r#","department":4294967296,"departmentName":"A"}"#),
            "",
        ),
        sale(item, r#"} , "x": 1 "#),
        format!("  {} \n", sale(item, "")),
        format!("{} x", sale(item, "")),
        r#"{"data":{},"doc_type":"sale","doc_type":"sale"}"#.to_string(),
        r#"{"doc_type":"deposit","data":{"cashier":"A","cashSum":5}}"#.into(),
        r#"{"doc_type":"deposit","data":{"cashier":"A","sum":null,"cashSum":5}}"#.into(),
        r#"{"doc_type":"deposit","data":{"cashier":"A","sum":5}}"#.into(),
        r#"{"doc_type":"withdraw","data":{"cashier":"A","sum":5,"cashSum":null}}"#.into(),
        r#"{"data":{"cashier":"A","sum":5},"doc_type":"deposit"}"#.into(),
        r#"{"doc_type":"deposit","data":null}"#.into(),
        r#"{"doc_type":null,"data":{}}"#.into(),
        r#"{"parameters":{"doc_type":"deposit","data":{"cashier":"A","sum":5}}}"#.into(),
        r#"{"doc_type":"rollback","data":{"cashier":"A","parentDocument":"3J98t1WpEZ73"}}"#.into(),
        r#"{"doc_type":"rollback","data":{"cashier":"A","parentDocument":"abcdef012345"}}"#.into(),
        r#"[]"#.into(),
        String::new(),
        "{".repeat(200),
    ];
    for text in &texts {
        same_outcome(text, &rates);
    }
    assert!(read_request_typed(&texts[0], &fiscal_core_ctx(&rates)).is_some());
}

fn fiscal_core_ctx(rates: &RateTable) -> ValidationContext<'_> {
    ValidationContext {
        rates,
        date: dates()[0],
    }
}

/// A JSON value for a member: every JSON type, numbers in every form.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("null".to_string()),
        Just("true".to_string()),
        (0u64..100_000).prop_map(|n| n.to_string()),
        (0u64..100_000, 0u32..5).prop_map(|(n, s)| {
            let d = rust_decimal::Decimal::new(i64::try_from(n).unwrap(), s);
            d.to_string()
        }),
        (0u64..1000, 0u32..4).prop_map(|(n, s)| format!(
            "\"{}\"",
            rust_decimal::Decimal::new(i64::try_from(n).unwrap(), s)
        )),
        Just("-0".to_string()),
        Just("-1.5".to_string()),
        Just("1e2".to_string()),
        Just("18446744073709551616".to_string()),
        Just("\"\"".to_string()),
        Just("\"Çörək\"".to_string()),
        Just("\"4006381333931\"".to_string()),
        Just("\"vat\"".to_string()),
        Just("\"vat_margin\"".to_string()),
        Just("\"a\\u0041\"".to_string()),
        Just("[]".to_string()),
        Just("{}".to_string()),
    ]
}

const DATA: &[&str] = &[
    "cashier",
    "currency",
    "sum",
    "cashSum",
    "cashlessSum",
    "bonusSum",
    "giftCardSum",
    "fuelCardSum",
    "prepaymentSum",
    "creditSum",
    "incomingSum",
    "changeSum",
    "residue",
    "parentDocument",
    "creditContract",
    "rrn",
    "paymentNumber",
    "moneyBackType",
    "vehiclePlate",
    "taxGroups",
    "cashSun",
    "unknown",
];
const ITEM: &[&str] = &[
    "itemName",
    "itemCodeType",
    "itemCode",
    "itemQuantityType",
    "itemQuantity",
    "itemPrice",
    "itemSum",
    "itemVatPercent",
    "taxTreatment",
    "itemMarginSum",
    "itemMarginPrice",
    "discount",
    "markup",
    "department",
    "departmentName",
    "itemTaxSum",
    "itemVatPercnt",
];

fn members(names: &'static [&'static str], n: usize) -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec((prop::sample::select(names), value()), 0..n)
        .prop_map(|m| m.into_iter().map(|(k, v)| format!("\"{k}\":{v}")).collect())
}

/// A plausible item: the usual members with good values, then random ones added.
fn item() -> impl Strategy<Value = String> {
    (
        1u32..5,
        1u64..2000,
        prop::sample::select(vec!["18", "0", "8", "2", "null"]),
        members(ITEM, 3),
    )
        .prop_map(|(q, price, vat, extra)| {
            let mut m = vec![
                r#""itemName":"Süd""#.to_string(),
                format!(r#""itemQuantity":{q}"#),
                format!(
                    r#""itemPrice":{}"#,
                    rust_decimal::Decimal::new(i64::try_from(price).unwrap(), 2)
                ),
                format!(r#""itemVatPercent":{vat}"#),
            ];
            m.extend(extra);
            format!("{{{}}}", m.join(","))
        })
}

fn request() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec![
            "sale",
            "money_back",
            "rollback",
            "prepay",
            "creditpay",
            "deposit",
            "withdraw",
            "correction",
            "Sale",
        ]),
        prop::collection::vec(item(), 0..4),
        members(DATA, 5),
        any::<bool>(),
    )
        .prop_map(|(kind, items, extra, first)| {
            let mut m = vec![r#""cashier":"Aysel""#.to_string()];
            if !items.is_empty() {
                m.push(format!(r#""items":[{}]"#, items.join(",")));
            }
            m.extend(extra);
            let data = format!("{{{}}}", m.join(","));
            if first {
                format!(r#"{{"doc_type":"{kind}","data":{data}}}"#)
            } else {
                format!(r#"{{"data":{data},"doc_type":"{kind}"}}"#)
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    /// Random requests, most of them valid or nearly so.
    #[test]
    fn random_requests_read_the_same_both_ways(text in request()) {
        same_outcome(&text, &RateTable::azerbaijan());
    }

    /// Random requests with a byte range cut out or repeated.
    #[test]
    fn random_requests_cut_read_the_same_both_ways(
        text in request(),
        at in any::<prop::sample::Index>(),
        len in 0usize..12,
        repeat in any::<bool>(),
    ) {
        let bytes = text.as_bytes();
        let start = at.index(bytes.len());
        let end = (start + len).min(bytes.len());
        let mut out = bytes[..start].to_vec();
        if repeat {
            out.extend_from_slice(&bytes[start..end]);
            out.extend_from_slice(&bytes[start..]);
        } else {
            out.extend_from_slice(&bytes[end..]);
        }
        if let Ok(text) = String::from_utf8(out) {
            same_outcome(&text, &RateTable::azerbaijan());
        }
    }
}
