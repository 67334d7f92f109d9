//! The whole story once: activate, shift, one receipt of each kind, Z-report, verify.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::device::*;

use fiscal_core::{Content, DocType, JournalVerification};

#[test]
fn a_day_at_the_till() {
    let (mut d, activation) = activated();
    let mut journal = vec![activation.document.clone()];
    journal.push(d.open_shift(at(9, 0, 0)).unwrap().document);
    journal.push(issue(
        &mut d,
        r#"{"doc_type":"deposit","data":{"cashier":"Aysel","sum":100}}"#,
        at(9, 0, 1),
        &[],
    ));
    let sale = issue(&mut d, &sale_json("Çörək", "1.20"), at(9, 1, 0), &[]);
    journal.push(sale.clone());
    let report = JournalVerification::new(&authority().public_key(), &rates())
        .certificate(&certificate())
        .verify_text(
            &journal
                .iter()
                .map(|d| d.to_journal_line() + "\n")
                .collect::<String>(),
        );
    assert!(report.is_valid(), "{:#?}", report.findings);
    assert_eq!(sale.body().shift_receipt, 1);
    assert_eq!(sale.number(), 4);
    assert!(matches!(&sale.body().content, Content::Request(r) if r.doc_type() == DocType::Sale));
}
