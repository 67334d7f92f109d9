//! The specification and the code cannot drift apart: every error code, with its number and
//! rule, is in SPEC.md §9, and every limit in SPEC.md §4.1 is the one the code enforces.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use fiscal_core::{limits, Amount, ErrorCode, Quantity, UnitPrice};

const SPEC: &str = include_str!("../../spec/SPEC.md");

fn section(title: &str) -> &'static str {
    let start = SPEC
        .find(title)
        .unwrap_or_else(|| panic!("SPEC.md has no section {title}"));
    let rest = &SPEC[start..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |e| e + 3);
    &rest[..end]
}

#[test]
fn every_error_code_is_in_the_table_with_its_number_and_rule() {
    let table = section("## 9. Error codes");
    for code in ErrorCode::ALL {
        let row = format!(
            "| {} | `{}` | {} | {} |",
            code.number(),
            code.as_str(),
            code.rule(),
            code.category().as_str()
        );
        assert!(
            table.contains(&row),
            "SPEC.md §9 lacks the row starting {row}"
        );
    }
    let rows = table
        .lines()
        .filter(|l| {
            l.len() > 6 && l.starts_with("| ") && l[2..5].bytes().all(|b| b.is_ascii_digit())
        })
        .count();
    assert_eq!(
        rows,
        ErrorCode::ALL.len(),
        "SPEC.md §9 lists codes the engine does not have"
    );
}

#[test]
fn limits_in_the_spec_are_the_enforced_ones() {
    let limits_table = section("### 4.1 Limits");
    for needle in [
        format!("| lines per receipt | 1 to {} |", limits::MAX_LINES),
        format!("| entries in `vatAmounts` | {} |", limits::MAX_VAT_AMOUNTS),
        format!(
            "| advances named by one sale (`parents`) | {} |",
            limits::MAX_REFERENCES
        ),
        format!("| item name | {} characters |", limits::MAX_ITEM_NAME),
        format!("| cashier | {} characters |", limits::MAX_CASHIER),
        format!(
            "| department name, `creditContract`, `rrn` | {} characters |",
            limits::MAX_SHORT_TEXT
        ),
        format!("| item code | {} characters |", limits::MAX_ITEM_CODE),
        format!(
            "| reference (fiscal ID) | 12 to {} characters |",
            limits::MAX_REFERENCE
        ),
        format!(
            "| request (JSON text) | {} MiB |",
            limits::MAX_REQUEST_BYTES >> 20
        ),
        format!(
            "| journal line (document or certificate) | {} MiB |",
            limits::MAX_JOURNAL_LINE >> 20
        ),
    ] {
        assert!(
            limits_table.contains(&needle),
            "SPEC.md §4.1 lacks {needle}"
        );
    }
    let ranges = section("### 3.1 Kinds of value");
    let spaced = |s: String| {
        let (int, frac) = s.split_once('.').unwrap();
        let mut out = String::new();
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                out.push(' ');
            }
            out.push(c);
        }
        format!("{out}.{frac}")
    };
    for needle in [
        format!(
            "| Amount | 2 | {} | {} |",
            Amount::min_value(),
            spaced(Amount::max_value().to_string())
        ),
        format!(
            "| Quantity | 3 | {} | {} |",
            Quantity::min_value(),
            spaced(Quantity::max_value().to_string())
        ),
        format!(
            "| UnitPrice | 4 | {} | {} |",
            UnitPrice::min_value(),
            spaced(UnitPrice::max_value().to_string())
        ),
    ] {
        assert!(ranges.contains(&needle), "SPEC.md §3.1 lacks {needle}");
    }
}
