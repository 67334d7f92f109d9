//! JSON request parsing and validation (SPEC.md §7–§8): never a panic; a valid request's
//! output form reads back to the same request (§8.4).
#![no_main]

use fiscal_core::{CivilDate, RateTable, Request, RequestDraft, ValidationContext};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let rates = RateTable::azerbaijan();
    let ctx = ValidationContext {
        rates: &rates,
        date: CivilDate::new(2026, 11, 23).unwrap(),
    };
    let _ = RequestDraft::from_json(text);
    if let Ok(request) = Request::from_json(text, &ctx) {
        let json = request.to_json();
        let again = Request::from_json(&json, &ctx)
            .unwrap_or_else(|e| panic!("the output form does not validate: {e}\n{json}"));
        assert_eq!(
            again, request,
            "the output form reads back differently: {json}"
        );
    }
});
