//! JSON request parsing and validation (SPEC.md §7–§8), in every dialect and both policies:
//! never a panic; a valid request's output form reads back to the same request (§8.4); a text
//! with a member repeated is refused as `duplicate_member` and nothing else (§8.3, PK-11), also
//! when the repeat is made in a valid request's output form; what `strict` accepts, `deployed`
//! accepts as the same request (its leniencies only reach what `strict` refuses, §8.6);
//! whatever a dialect reader accepts is a canonical request that reads back under `strict`; and
//! the typed reader (issue #19) gives, wherever it answers, exactly the full reader's outcome
//! and draft, so that `Request::from_json` is the full reader's for every text.
#![no_main]

use fiscal_core::dialect::{read_request, Dialect, Operation, Policy, ReadOptions};
use fiscal_core::internal::{read_draft_typed, read_request_full, read_request_typed};
use fiscal_core::{CivilDate, ErrorCode, RateTable, Request, RequestDraft, ValidationContext};
use libfuzzer_sys::fuzz_target;

/// The dialect choice a byte picks: `auto`, then each dialect (e-Kassam with an endpoint).
fn choice(byte: u8) -> (Option<Dialect>, Option<&'static str>) {
    match byte % 7 {
        0 => (None, None),
        1 => (Some(Dialect::FiscalCore), None),
        2 => (Some(Dialect::Airconn), None),
        3 => (Some(Dialect::Nba), None),
        4 => (Some(Dialect::Omnitech), None),
        5 => (Some(Dialect::Ekassam), Some("kas_sale")),
        _ => (None, Some("kas_moneyback")),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let rates = RateTable::azerbaijan();
    let ctx = ValidationContext {
        rates: &rates,
        date: CivilDate::new(2026, 11, 23).unwrap(),
    };
    let (draft, problems) = RequestDraft::from_json(text);
    // The typed reader against the full reader: the same request, or the same error with every
    // code, path and message; its draft is `RequestDraft::from_json`'s, with no problem.
    let full = read_request_full(text, &ctx);
    assert_eq!(Request::from_json(text, &ctx), full, "from_json ≠ full reader: {text}");
    if let Some(typed) = read_request_typed(text, &ctx) {
        assert_eq!(typed, full, "typed ≠ full reader: {text}");
    }
    if let Some(typed) = read_draft_typed(text) {
        assert!(problems.is_empty(), "the typed reader took a text with problems: {text}");
        assert_eq!(typed, draft, "typed draft ≠ RequestDraft::from_json: {text}");
    }
    if problems.contains(ErrorCode::DuplicateMember) {
        // No reading of a text that reads two ways: one problem, an empty draft, a refusal.
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(draft, RequestDraft::default());
        let refused = Request::from_json(text, &ctx).map_err(|e| e.code());
        assert_eq!(refused, Err(ErrorCode::DuplicateMember), "{text}");
    }
    if let Ok(request) = Request::from_json(text, &ctx) {
        let json = request.to_json();
        let again = Request::from_json(&json, &ctx)
            .unwrap_or_else(|e| panic!("the output form does not validate: {e}\n{json}"));
        assert_eq!(
            again, request,
            "the output form reads back differently: {json}"
        );
        // The output form with `doc_type` written a second time (the same value, or another
        // kind) reads two ways: refused, at `doc_type` (unless the size limit refuses it first).
        let room = json.len() + 32 <= fiscal_core::limits::MAX_REQUEST_BYTES;
        for kind in ["sale", "prepay"].into_iter().filter(|_| room) {
            let twice = json.replacen('{', &format!(r#"{{"doc_type":"{kind}","#), 1);
            match Request::from_json(&twice, &ctx) {
                Err(e) => {
                    let p = e.problems();
                    assert_eq!(p.len(), 1, "{twice}");
                    assert_eq!(
                        (p[0].code, p[0].path.as_str()),
                        (ErrorCode::DuplicateMember, "doc_type")
                    );
                }
                Ok(_) => panic!("a repeated doc_type was accepted: {twice}"),
            }
        }
    }
    // The dialect readers (issue #16): the last byte picks the dialect, both policies run.
    let (dialect, operation) = choice(data.last().copied().unwrap_or(0));
    let read = |policy| {
        read_request(
            text,
            &ReadOptions {
                dialect,
                policy,
                operation,
                context: ctx,
                cashier: None,
            },
        )
    };
    let strict = read(Policy::Strict);
    let deployed = read(Policy::Deployed);
    if let Ok(s) = &strict {
        let d = deployed
            .as_ref()
            .unwrap_or_else(|e| panic!("strict accepts, deployed refuses: {e}\n{text}"));
        assert_eq!(s.operation, d.operation, "{text}");
        assert_eq!(s.dialect, d.dialect, "{text}");
    }
    for reading in [&strict, &deployed].into_iter().flatten() {
        if let Operation::Issue(request) = &reading.operation {
            let json = request.to_json();
            let again = Request::from_json(&json, &ctx)
                .unwrap_or_else(|e| panic!("a dialect's canonical request does not validate: {e}\n{json}"));
            assert_eq!(&again, request, "{json}");
        }
    }
});
