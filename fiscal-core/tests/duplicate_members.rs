//! A member repeated in one JSON object is refused everywhere, as `duplicate_member` with its
//! path (PK-11, SPEC.md §8.3, issue #14): in requests, journal lines and certificates. The text
//! reads two ways — `serde_json` keeps the last of the two, another reader the first — so it
//! cannot be signed. Requests without a repeat read exactly as before.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::device::{activated, at, authority, issue, rates, sale_json};
use common::{codes, ok, parse};

use fiscal_core::{
    verify_journal, Certificate, Document, Error, ErrorCode as C, Problem, RequestDraft,
};
use serde_json::Value;

/// The problems of a request refused for a repeat: exactly one, `duplicate_member`.
fn repeat(json: &str) -> Problem {
    let problems: Vec<Problem> = parse(json).unwrap_err().problems().into_owned();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    let p = problems.into_iter().next().unwrap();
    assert_eq!(p.code, C::DuplicateMember, "{p:?}");
    // RequestDraft::from_json reports the same and makes no reading of the text.
    let (draft, read) = RequestDraft::from_json(json);
    assert_eq!(draft, RequestDraft::default());
    assert_eq!(read.iter().cloned().collect::<Vec<_>>(), vec![p.clone()]);
    p
}

const BREAD: &str =
    r#"{"itemName":"Çörək","itemQuantity":1,"itemPrice":100.0,"itemVatPercent":18}"#;

fn sale_with(item: &str, data_tail: &str) -> String {
    format!(
        r#"{{"doc_type":"sale","data":{{"cashier":"Aysel","items":[{item}],"cashSum":100.00{data_tail}}}}}"#
    )
}

#[test]
fn a_price_written_twice_is_refused_not_signed_at_the_last_one() {
    // Before: signed at 0.80, the last price (and refused here only for the sum, by luck).
    let twice = r#"{"doc_type":"sale","data":{"cashier":"Aysel","items":[{"itemName":"Çörək","itemQuantity":1,"itemPrice":100.0,"itemVatPercent":18,"itemPrice":0.8}],"cashSum":0.80}}"#;
    let p = repeat(twice);
    assert_eq!(p.path, "items[0].itemPrice");
    assert_eq!(
        p.message,
        r#"the member "itemPrice" appears twice: the request reads two ways"#
    );
    // Each reading alone is a valid sale: the refusal is for the repeat alone.
    ok(&twice.replace(r#""itemPrice":100.0,"#, ""));
    ok(&twice
        .replace(r#","itemPrice":0.8"#, "")
        .replace("0.80", "100.00"));
    // The same price twice is refused too: one spelling, one reading.
    assert_eq!(
        repeat(&twice.replace("0.8}", "100.0}")).path,
        "items[0].itemPrice"
    );
}

#[test]
fn a_doc_type_written_twice_is_refused_not_read_as_an_advance() {
    let twice = r#"{"doc_type":"sale","data":{"cashier":"Aysel","items":[{"itemName":"Tort","itemQuantity":1,"itemPrice":50,"itemVatPercent":18}],"cashSum":50},"doc_type":"prepay"}"#;
    let p = repeat(twice);
    assert_eq!(p.path, "doc_type");
    assert_eq!(
        p.message,
        r#"the member "doc_type" appears twice: the request reads two ways"#
    );
    assert_eq!(
        ok(&twice.replace(r#","doc_type":"prepay""#, "")).doc_type(),
        fiscal_core::DocType::Sale
    );
    assert_eq!(
        ok(&twice.replace(r#""doc_type":"sale","#, "")).doc_type(),
        fiscal_core::DocType::Advance
    );
}

#[test]
fn a_repeat_is_found_in_an_item_in_data_and_at_the_top() {
    ok(&sale_with(BREAD, ""));
    // Inside an item, the second of two.
    let item2 = BREAD.replace("18}", r#"18,"itemName":"Süd"}"#);
    assert_eq!(
        repeat(&sale_with(&format!(r#"{BREAD},{item2}"#), "").replace("100.00", "200.00")).path,
        "items[1].itemName"
    );
    // Inside `data`: named without `data.`, as every other problem of a data member.
    assert_eq!(
        repeat(&sale_with(BREAD, r#","cashSum":100.00"#)).path,
        "cashSum"
    );
    assert_eq!(
        repeat(&sale_with(BREAD, r#","cashier":"Aysel""#)).path,
        "cashier"
    );
    // At the top: `data` twice (two receipts in one text).
    let data_twice = sale_with(BREAD, "").replacen(
        r#""data":"#,
        r#""data":{"cashier":"Aysel","items":[],"cashSum":0},"data":"#,
        1,
    );
    assert_eq!(repeat(&data_twice).path, "data");
    // In the deployed envelope, paths are the same as without it.
    let wrapped = format!(
        r#"{{"requestData":{{"tokenData":{{"parameters":{}}}}}}}"#,
        sale_with(BREAD, r#","cashSum":100.00"#)
    );
    assert_eq!(repeat(&wrapped).path, "cashSum");
    // Null counts: `"rrn":null` then `"rrn":"1"` reads two ways as well.
    assert_eq!(
        repeat(&sale_with(BREAD, r#","rrn":null,"rrn":"123""#)).path,
        "rrn"
    );
}

#[test]
fn names_are_compared_after_unescaping() {
    let escaped = BREAD.replace("18}", r#"18,"itemPr\u0069ce":0.8}"#);
    let p = repeat(&sale_with(&escaped, ""));
    assert_eq!(p.path, "items[0].itemPrice");
    assert_eq!(
        repeat(&sale_with(BREAD, r#","c\u0061shSum":1"#)).path,
        "cashSum"
    );
    let escaped_top = sale_with(BREAD, "").replacen('{', r#"{"doc_\u0074ype":"prepay","#, 1);
    assert_eq!(repeat(&escaped_top).path, "doc_type");
}

#[test]
fn a_repeat_nested_in_vat_amounts_is_found() {
    let base = sale_with(
        BREAD,
        r#","vatAmounts":[{"vatSum":100.00,"vatPercent":18}]"#,
    );
    ok(&base);
    let nested = base.replace(r#""vatPercent":18}"#, r#""vatPercent":18,"vatPercent":0}"#);
    assert_eq!(repeat(&nested).path, "vatAmounts[0].vatPercent");
    // Deeper than the reader looks, inside an unknown member: still refused.
    let deep = sale_with(BREAD, r#","extra":[{"a":[{"b":{"c":1,"c":2}}]}]"#);
    assert_eq!(repeat(&deep).path, "extra[0].a[0].b.c");
}

#[test]
fn a_repeat_is_reported_before_other_problems_and_after_malformed_json() {
    // The text has no one reading: its other faults are not looked for.
    let bad = sale_with(BREAD, r#","cashSum":-1,"currency":"USD""#);
    assert_eq!(codes(&bad), vec![C::DuplicateMember]);
    // Not JSON at all wins: a repeat needs a text to repeat in.
    let broken = sale_with(BREAD, r#","cashSum":1"#).replace("}}", "}");
    assert_eq!(codes(&broken), vec![C::MalformedJson]);
    // A root that is not an object is malformed, whatever it holds.
    assert_eq!(codes(r#"[{"a":1,"a":2}]"#), vec![C::MalformedJson]);
    // The size limit stays: checked before anything is read.
    let huge = format!(
        r#"{{"doc_type":"sale","doc_type":"sale","data":{{"x":"{}"}}}}"#,
        "a".repeat(fiscal_core::limits::MAX_REQUEST_BYTES)
    );
    assert_eq!(codes(&huge), vec![C::MalformedJson]);
    // So does the nesting limit of the JSON reader.
    let deep = sale_with(
        BREAD,
        &format!(r#","extra":{}0{}"#, "[".repeat(200), "]".repeat(200)),
    );
    assert_eq!(codes(&deep), vec![C::MalformedJson]);
}

#[test]
fn requests_without_a_repeat_read_as_before() {
    // One name in many objects is no repeat; nor are names that differ in case or spacing —
    // those are members the dialect does not know, refused as such under the strict policy
    // (SPEC.md §8.3), not as repeats.
    let with = |extra: &str| {
        sale_with(
            &format!(
                r#"{BREAD},{{"itemName":"Süd","itemQuantity":1,"itemPrice":2.35,"itemVatPercent":18,"taxTreatment":"vat"{extra}}}"#
            ),
            r#","vatAmounts":[{"vatSum":102.35,"vatPercent":18,"taxTreatment":"vat"}],"incomingSum":200,"sum":102.35"#,
        )
        .replace("\"cashSum\":100.00", "\"cashSum\":102.35")
    };
    let near = parse(&with(r#","itemprice":1,"itemPrice ":1"#)).unwrap_err();
    let found: Vec<(C, String)> = near
        .problems()
        .iter()
        .map(|p| (p.code, p.path.clone()))
        .collect();
    assert_eq!(
        found,
        [
            (C::UnknownMember, "items[1].itemPrice ".to_string()),
            (C::UnknownMember, "items[1].itemprice".to_string()),
        ]
    );
    let json = with("");
    let r = ok(&json);
    assert_eq!(r.body().unwrap().totals().total().to_string(), "102.35");
    // Every request of the math vectors: the outcome its vector records, no repeat reported,
    // and the reading is the same from a text with the members in another order.
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/vectors/math.json");
    let vectors: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut n = 0;
    for group in vectors["testGroups"].as_array().unwrap() {
        for t in group["tests"].as_array().unwrap() {
            let text = t["input"].to_string();
            let (draft, problems) = RequestDraft::from_json(&text);
            assert!(!problems.contains(C::DuplicateMember), "{text}");
            let result = parse(&text);
            match t["result"].as_str().unwrap() {
                "valid" => {
                    let r = result.unwrap_or_else(|e| panic!("{text}: {e}"));
                    assert_eq!(ok(&r.to_json()), r);
                }
                _ => assert!(!result
                    .unwrap_err()
                    .problems()
                    .iter()
                    .any(|p| p.code == C::DuplicateMember)),
            }
            // serde_json writes members sorted by name: another order, the same reading.
            let reordered: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(RequestDraft::from_json(&reordered.to_string()).0, draft);
            n += 1;
        }
    }
    assert!(n > 300, "{n}");
}

/// A genuine journal: the certificate line, activation, a shift and two sales.
fn journal() -> Vec<String> {
    let (mut d, act) = activated();
    let mut lines = vec![common::device::certificate().to_journal_line()];
    lines.push(act.document.to_journal_line());
    lines.push(
        d.open_shift(at(9, 0, 0))
            .unwrap()
            .document
            .to_journal_line(),
    );
    for (i, price) in ["1.20", "3.45"].iter().enumerate() {
        let doc = issue(
            &mut d,
            &sale_json("Çörək", price),
            at(9, 1 + i as u8, 0),
            &[],
        );
        lines.push(doc.to_journal_line());
    }
    lines
}

fn findings(lines: &[String]) -> Vec<(C, Option<usize>)> {
    let report = verify_journal(&lines.join("\n"), &authority().public_key(), &rates());
    report.findings.iter().map(|f| (f.code, f.line)).collect()
}

#[test]
fn a_journal_line_with_a_repeated_member_is_refused_as_duplicate_member() {
    let lines = journal();
    assert_eq!(findings(&lines), vec![]);
    let line = &lines[3];
    let doc = Document::from_journal_line(line).unwrap();
    let number = doc.number();
    let cases = [
        (
            line.replacen(
                &format!(r#"{{"number":{number},"#),
                &format!(r#"{{"number":{number},"number":{number},"#),
                1,
            ),
            "number",
        ),
        (
            line.replacen(r#","signature":"#, r#","body":"00","signature":"#, 1),
            "body",
        ),
        (
            line.replacen(r#","id":"#, r#","\u0069d":"00","id":"#, 1),
            "id",
        ),
    ];
    for (case, path) in cases {
        let e = Document::from_journal_line(&case).unwrap_err();
        assert_eq!(e, Error::DuplicateMember { path: path.into() }, "{case}");
        assert_eq!(e.code(), C::DuplicateMember);
        // Its problem carries the path, as a request's would.
        assert_eq!(e.problems()[0].path, path);
        // The verifier reports it at that line, for that reason.
        let mut forged = lines.clone();
        forged[3] = case;
        let found = findings(&forged);
        assert!(found.contains(&(C::DuplicateMember, Some(4))), "{found:?}");
        assert!(!found.contains(&(C::InvalidDocument, Some(4))), "{found:?}");
    }
}

#[test]
fn a_certificate_with_a_repeated_member_is_refused_as_duplicate_member() {
    let lines = journal();
    let c = Certificate::from_journal_line(&lines[0]).unwrap();
    let hex_text = lines[0]
        .strip_prefix(r#"{"certificate":""#)
        .and_then(|r| r.strip_suffix(r#""}"#))
        .unwrap();
    let twice = format!(r#"{{"certificate":"{hex_text}","certificate":"{hex_text}"}}"#);
    let e = Certificate::from_journal_line(&twice).unwrap_err();
    assert_eq!(
        e,
        Error::DuplicateMember {
            path: "certificate".into()
        }
    );
    let mut forged = lines.clone();
    forged[0] = twice;
    let found = findings(&forged);
    assert_eq!(
        found.first(),
        Some(&(C::DuplicateMember, Some(1))),
        "{found:?}"
    );

    // The JSON form (the bindings' certificate input), at any depth.
    let json = c.to_json();
    assert_eq!(Certificate::from_json(&json), Ok(c.clone()));
    let body_twice = json.replacen(r#""serial":"#, r#""serial":1,"serial":"#, 1);
    assert_eq!(
        Certificate::from_json(&body_twice),
        Err(Error::DuplicateMember {
            path: "body.serial".into()
        })
    );
    let top_twice = format!(r#"{{"x":0,{}"#, &json[1..]).replacen(r#""x":0"#, r#""x":0,"x":0"#, 1);
    assert_eq!(
        Certificate::from_json(&top_twice).map_err(|e| e.code()),
        Err(C::DuplicateMember)
    );
}
