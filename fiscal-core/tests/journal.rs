//! Journal verification (SPEC.md §15): a genuine journal of a few hundred documents passes;
//! every kind of tampering is reported, with the right rule, every time.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::cloned_ref_to_slice_refs
)]

mod common;
use common::device::*;

use fiscal_core::{
    verify_document, verify_journal, Content, Device, Document, DocumentBody, ErrorCode as C,
    JournalReport, JournalVerification, PrivateKey, Request, Timestamp,
};

/// Three shifts with every kind of document: 300-odd documents.
fn genuine() -> (Device, Vec<Document>) {
    let (mut d, act) = activated();
    let mut docs = vec![act.document];
    let mut t = at(8, 30, 0);
    let mut tick = |secs: i64| {
        t = t.plus(secs * 1000);
        t
    };
    for shift in 0..3 {
        docs.push(d.open_shift(tick(60)).unwrap().document);
        docs.push(issue(
            &mut d,
            r#"{"doc_type":"deposit","data":{"cashier":"Aysel","sum":200}}"#,
            tick(1),
            &[],
        ));
        let credit = issue(&mut d, CREDIT, tick(5), &[]);
        docs.push(credit.clone());
        let adv = issue(&mut d, ADVANCE, tick(5), &[]);
        docs.push(adv.clone());
        for i in 0..90 {
            let price = format!("{}.{:02}", 1 + i % 17, (i * 37) % 100);
            let sale = issue(&mut d, &sale_json("Çörək", &price), tick(7), &[]);
            docs.push(sale.clone());
            if i % 15 == 3 {
                docs.push(issue(&mut d, &format!(r#"{{"doc_type":"rollback","data":{{"cashier":"Aysel","parentDocument":"{}"}}}}"#, sale.id().short()), tick(3), &[sale.clone()]));
            } else if i % 15 == 9 {
                let r = format!(
                    r#"{{"doc_type":"money_back","data":{{"cashier":"Aysel","parentDocument":"{}","items":[{{"itemName":"Çörək","itemQuantity":1,"itemPrice":{price},"itemVatPercent":18}}],"cashSum":{price}}}}}"#,
                    sale.id().long()
                );
                docs.push(issue(&mut d, &r, tick(3), &[sale.clone()]));
            }
        }
        let pay = format!(
            r#"{{"doc_type":"creditpay","data":{{"cashier":"Aysel","parentDocument":"{}","paymentNumber":1,"residue":900,"items":[{{"itemName":"Nisyə ödənişi","itemQuantity":1,"itemPrice":100,"itemVatPercent":18}}],"cashSum":100}}}}"#,
            credit.id().long()
        );
        docs.push(issue(&mut d, &pay, tick(5), &[credit]));
        let cake = format!(
            r#"{{"doc_type":"sale","data":{{"cashier":"Aysel","items":[{{"itemName":"Tort","itemQuantity":1,"itemPrice":50,"itemVatPercent":18}}],"cashSum":30,"prepaymentSum":20,"parents":["{}"]}}}}"#,
            adv.id().long()
        );
        docs.push(issue(&mut d, &cake, tick(5), &[adv]));
        docs.push(issue(
            &mut d,
            r#"{"doc_type":"withdraw","data":{"cashier":"Aysel","sum":150}}"#,
            tick(5),
            &[],
        ));
        docs.push(d.close_shift(tick(60)).unwrap().document);
        let _ = shift;
    }
    (d, docs)
}

const CREDIT: &str = r#"{"doc_type":"sale","data":{"cashier":"Aysel","items":[{"itemName":"Televizor","itemQuantity":1,"itemPrice":1180,"itemVatPercent":18}],"cashSum":180,"creditSum":1000}}"#;
const ADVANCE: &str = r#"{"doc_type":"prepay","data":{"cashier":"Aysel","items":[{"itemName":"Avans: tort","itemQuantity":1,"itemPrice":20,"itemVatPercent":18}],"cashSum":20}}"#;

fn lines(docs: &[Document]) -> Vec<String> {
    docs.iter().map(Document::to_journal_line).collect()
}

fn check(lines: &[String]) -> JournalReport {
    JournalVerification::new(&authority().public_key(), &rates())
        .certificate(&certificate())
        .verify_text(&lines.join("\n"))
}

/// Re-signs a document after `change`, as a forger would.
fn resign(doc: &Document, key: &PrivateKey, change: impl FnOnce(&mut DocumentBody)) -> Document {
    let mut body = doc.body().clone();
    change(&mut body);
    let bytes = body.signed_bytes();
    {
        let (s, r) = key.sign_with_nonce(&bytes);
        Document::from_parts(&bytes, s, r)
    }
    .unwrap()
}

/// A document after `docs`, signed with the device key by a key holder: next number,
/// chained to the last document, at `time`, in `shift` with receipt counter `counter`.
fn forged_next(
    docs: &[Document],
    time: Timestamp,
    shift: u32,
    counter: u32,
    content: Content,
) -> Document {
    let last = docs.last().unwrap();
    let body = DocumentBody {
        number: last.number() + 1,
        time,
        shift,
        shift_receipt: counter,
        previous: last.id().0,
        content,
    };
    let bytes = body.signed_bytes();
    {
        let (s, r) = device_key().sign_with_nonce(&bytes);
        Document::from_parts(&bytes, s, r)
    }
    .unwrap()
}

fn has_at(report: &JournalReport, codes: &[C], line: usize) -> bool {
    report
        .findings
        .iter()
        .any(|f| codes.contains(&f.code) && f.line == Some(line))
}

#[test]
fn a_genuine_journal_verifies() {
    let (_, docs) = genuine();
    assert!(docs.len() > 300, "{}", docs.len());
    let report = check(&lines(&docs));
    assert!(report.is_valid(), "{:#?}", report.findings);
    assert_eq!(report.documents, docs.len() as u64);
    // Per shift 92 sales + 6 cancels + 6 returns + advance + instalment = 106 receipts.
    assert_eq!(report.receipts, 3 * 106);
    for doc in &docs {
        verify_document(doc, &certificate(), &authority().public_key()).unwrap();
    }
}

#[test]
fn flipping_any_byte_is_detected() {
    let (_, docs) = genuine();
    let genuine = lines(&docs);
    let integrity = [C::InvalidDocument, C::WrongFiscalId, C::BadSignature];
    // One flip in every 7th line (and the first and last), at a position that walks through
    // the line's fields: number, id, body and signature.
    for (i, line) in genuine
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 7 == 0 || *i == genuine.len() - 1)
    {
        let mut bytes = line.clone().into_bytes();
        let pos = (i * 7919 + 13) % bytes.len();
        bytes[pos] ^= 0x01;
        let mut tampered = genuine.clone();
        tampered[i] = String::from_utf8_lossy(&bytes).into_owned();
        let report = check(&tampered);
        assert!(
            has_at(&report, &integrity, i + 1),
            "flip at line {} byte {pos} not reported: {:#?}",
            i + 1,
            report.findings
        );
    }
}

#[test]
fn a_deleted_document_is_detected() {
    let (_, docs) = genuine();
    for victim in [1, 2, 50, 151, docs.len() - 2] {
        let mut l = lines(&docs);
        l.remove(victim);
        let report = check(&l);
        assert!(
            has_at(&report, &[C::NumberGap], victim + 1),
            "deleting document {} not reported: {:?}",
            victim + 1,
            report.findings
        );
    }
    // The last document deleted leaves no gap to see: the device's own count (state, upload
    // acknowledgements) is what tells; SPEC.md §15.3.
}

#[test]
fn swapped_documents_are_detected() {
    let (_, docs) = genuine();
    for (x, y) in [(10, 11), (40, 90), (2, 3)] {
        let mut l = lines(&docs);
        l.swap(x, y);
        let report = check(&l);
        assert!(
            report.has(C::OutOfOrder),
            "swap {x}/{y}: {:?}",
            report.findings
        );
    }
}

#[test]
fn a_duplicated_document_is_detected() {
    let (_, docs) = genuine();
    let mut l = lines(&docs);
    l.insert(21, l[20].clone());
    let report = check(&l);
    assert!(
        has_at(&report, &[C::DuplicateDocument], 22),
        "{:?}",
        report.findings
    );
}

#[test]
fn an_amount_changed_and_resigned_with_another_key_is_detected() {
    let (_, docs) = genuine();
    let forger = PrivateKey::from_seed(b"forger");
    for i in [5, 60, 200] {
        let mut l = lines(&docs);
        let forged = resign(&docs[i], &forger, |b| {
            if let Content::Request(Request::Sale(_)) = &b.content {
                let cheaper = request(&sale_json("Çörək", "0.01"));
                b.content = Content::Request(cheaper);
            } else {
                b.time = b.time.plus(1);
            }
        });
        l[i] = forged.to_journal_line();
        let report = check(&l);
        assert!(
            has_at(&report, &[C::BadSignature], i + 1),
            "{:?}",
            report.findings
        );
    }
}

#[test]
fn content_resigned_with_the_device_key_still_breaks_the_chain() {
    // A dishonest owner with the device key rewrites a sale; its fiscal ID changes, so the
    // next document no longer chains to it.
    let (_, docs) = genuine();
    let i = docs
        .iter()
        .position(|d| matches!(&d.body().content, Content::Request(Request::Sale(_))))
        .unwrap();
    let mut l = lines(&docs);
    l[i] = resign(&docs[i], &device_key(), |b| b.time = b.time.plus(1)).to_journal_line();
    let report = check(&l);
    assert!(
        has_at(&report, &[C::BrokenChain], i + 2),
        "{:?}",
        report.findings
    );
}

#[test]
fn semantic_breaks_are_reported_with_their_rules() {
    let (_, docs) = genuine();
    let key = device_key();
    // Rebuild the chain from `from` on after replacing one document, as a dishonest device
    // would, so that only the semantic finding remains.
    let rechain = |mut docs: Vec<Document>, from: usize| {
        for i in from..docs.len() {
            let prev = docs[i - 1].id().0;
            docs[i] = resign(&docs[i], &key, |b| b.previous = prev);
        }
        lines(&docs)
    };
    // The last document is a Z-report: give it a wrong cash total (PK-02). Nothing follows it,
    // so nothing else changes.
    let z = docs.len() - 1;
    assert!(matches!(docs[z].body().content, Content::ZReport(_)));
    let mut altered = docs.clone();
    altered[z] = resign(&docs[z], &key, |b| {
        if let Content::ZReport(r) = &mut b.content {
            r.cash_out = r.cash_out.checked_add(common::a("1.00")).unwrap();
        }
    });
    let report = check(&lines(&altered));
    assert_eq!(
        report.findings.iter().map(|f| f.code).collect::<Vec<_>>(),
        [C::ZReportMismatch],
        "{:?}",
        report.findings
    );
    assert_eq!(report.findings[0].rule(), "PK-02");
    // A receipt whose shift counter was skipped (RC-06), and one dated before its predecessor
    // (NM-04). Re-chaining changes later IDs, so later references break too; what matters is
    // that the rule is reported and the chain itself holds.
    let s = docs
        .iter()
        .position(|d| d.body().shift_receipt == 5)
        .unwrap();
    let mut altered = docs.clone();
    altered[s] = resign(&docs[s], &key, |b| b.shift_receipt = 6);
    let report = check(&rechain(altered, s + 1));
    assert!(
        has_at(&report, &[C::CounterMismatch], s + 1),
        "{:?}",
        report.findings
    );
    assert!(!report.has(C::BrokenChain) && !report.has(C::BadSignature));
    let mut altered = docs.clone();
    let earlier = Timestamp::from_millis(docs[s - 1].body().time.millis() - 1);
    altered[s] = resign(&docs[s], &key, |b| b.time = earlier);
    let report = check(&rechain(altered, s + 1));
    assert!(
        has_at(&report, &[C::TimeNotIncreasing], s + 1),
        "{:?}",
        report.findings
    );
}

#[test]
fn returns_above_the_sale_and_unknown_references_are_found() {
    let (mut d, act) = activated();
    let open = d.open_shift(at(9, 0, 0)).unwrap().document;
    let float = issue(
        &mut d,
        r#"{"doc_type":"deposit","data":{"cashier":"Aysel","sum":10}}"#,
        at(9, 0, 30),
        &[],
    );
    let sale = issue(&mut d, &sale_json("Süd", "2.35"), at(9, 1, 0), &[]);
    let ret = format!(
        r#"{{"doc_type":"money_back","data":{{"cashier":"Aysel","parentDocument":"{}","items":[{{"itemName":"Süd","itemQuantity":1,"itemPrice":2.35,"itemVatPercent":18}}],"cashSum":2.35}}}}"#,
        sale.id().long()
    );
    let r1 = issue(&mut d, &ret, at(9, 2, 0), &[sale.clone()]);
    // The device remembers the first return (SPEC.md §14.6): a second full return is refused
    // at the till, even with the first withheld from it.
    let e = refuse(&mut d, &ret, at(9, 3, 0), &[sale.clone()]);
    assert_eq!(e.code(), C::ReturnExceedsSale, "{e}");
    // A key holder forges it: next number, chained, the next receipt counter.
    let mut docs = vec![act.document, open, float, sale, r1];
    let r2 = forged_next(&docs, at(9, 3, 0), 1, 3, Content::Request(request(&ret)));
    docs.push(r2);
    let report = check(&lines(&docs));
    assert_eq!(
        report.findings.iter().map(|f| f.code).collect::<Vec<_>>(),
        [C::ReturnExceedsSale],
        "{:?}",
        report.findings
    );
    assert_eq!(report.findings[0].number, Some(6));
    assert_eq!(report.findings[0].rule(), "RC-17");
    // Without the sale, the returns name a receipt the journal does not hold.
    let mut without_sale = docs.clone();
    without_sale.remove(3);
    let report = check(&lines(&without_sale));
    assert!(
        has_at(&report, &[C::UnknownReference], 4) && has_at(&report, &[C::UnknownReference], 5),
        "{:?}",
        report.findings
    );
}

#[test]
fn a_journal_from_another_certificate_fails_everywhere() {
    let (_, docs) = genuine();
    let other_key = PrivateKey::from_seed(b"fiscal-core test device 2");
    let other = fiscal_core::Certificate::issue(body(&other_key), &authority()).unwrap();
    let report = JournalVerification::new(&authority().public_key(), &rates())
        .certificate(&other)
        .verify_text(&lines(&docs[..3]).join("\n"));
    assert_eq!(
        report
            .findings
            .iter()
            .filter(|f| f.code == C::BadSignature)
            .count(),
        3
    );
    // And a certificate not from the authority is reported first.
    let report = JournalVerification::new(&PrivateKey::from_seed(b"x").public_key(), &rates())
        .certificate(&certificate())
        .verify_text("");
    assert_eq!(report.findings[0].code, C::CertificateSignature);
}

#[test]
fn instalments_above_the_debt_are_found() {
    // Credit 1000: instalment 1 of 600 leaves 400. The device remembers it (SPEC.md §14.6), so
    // it refuses both another "instalment 1" (the first withheld from it) and an instalment 2
    // of 600; a key holder forges them, and the journal shows each with its rule (RC-18).
    let (mut d, act) = activated();
    let open = d.open_shift(at(9, 0, 0)).unwrap().document;
    let credit = issue(&mut d, CREDIT, at(9, 1, 0), &[]);
    let pay = |n: u32, residue: u32| {
        format!(
            r#"{{"doc_type":"creditpay","data":{{"cashier":"Aysel","parentDocument":"{}","paymentNumber":{n},"residue":{residue},"items":[{{"itemName":"Nisyə ödənişi","itemQuantity":1,"itemPrice":600,"itemVatPercent":18}}],"cashSum":600}}}}"#,
            credit.id().long()
        )
    };
    let p1 = issue(&mut d, &pay(1, 400), at(9, 2, 0), &[credit.clone()]);
    let again = refuse(&mut d, &pay(1, 400), at(9, 3, 0), &[credit.clone()]);
    assert_eq!(again.code(), C::InstalmentNumberMismatch, "{again}");
    let over = refuse(&mut d, &pay(2, 0), at(9, 3, 0), &[credit.clone()]);
    assert_eq!(over.code(), C::InstalmentExceedsDebt, "{over}");
    let docs = vec![act.document, open, credit.clone(), p1];
    for (json, code) in [
        (pay(1, 400), C::InstalmentNumberMismatch),
        (pay(2, 0), C::InstalmentExceedsDebt),
    ] {
        let forged = forged_next(&docs, at(9, 3, 0), 1, 3, Content::Request(request(&json)));
        let report = check(&lines(&[docs.clone(), vec![forged]].concat()));
        // One break is one finding: the first ledger rule the instalment breaks.
        assert_eq!(
            report.findings.iter().map(|f| f.code).collect::<Vec<_>>(),
            [code],
            "{:?}",
            report.findings
        );
        assert_eq!(report.findings[0].number, Some(5));
        assert_eq!(report.findings[0].rule(), "RC-18");
    }
}

#[test]
fn a_signed_cancel_without_its_voided_receipt_is_flagged() {
    // The device never signs Request::Cancel as such (a cancel carries what it voids); a
    // document that does is reported even with a valid signature.
    let (mut d, act) = activated();
    let open = d.open_shift(at(9, 0, 0)).unwrap().document;
    let sale = issue(&mut d, &sale_json("X", "1"), at(9, 1, 0), &[]);
    let cancel_request = request(&format!(
        r#"{{"doc_type":"rollback","data":{{"cashier":"Aysel","parentDocument":"{}"}}}}"#,
        sale.id().short()
    ));
    let odd = resign(&sale, &device_key(), |b| {
        b.number = 4;
        b.previous = sale.id().0;
        b.time = at(9, 2, 0);
        b.shift_receipt = 2;
        b.content = Content::Request(cancel_request);
    });
    let report = check(&lines(&[act.document, open, sale, odd]));
    assert_eq!(
        report.findings.iter().map(|f| f.code).collect::<Vec<_>>(),
        [C::ContentInvalid],
        "{:?}",
        report.findings
    );
}

#[test]
fn a_self_contained_journal_starts_with_its_certificate() {
    let (_, docs) = genuine();
    let mut text = certificate().to_journal_line();
    for d in &docs[..20] {
        text.push('\n');
        text.push_str(&d.to_journal_line());
    }
    let authority = authority().public_key();
    let report = verify_journal(&text, &authority, &rates());
    assert!(report.is_valid(), "{:?}", report.findings);
    assert_eq!((report.lines, report.documents), (21, 20));
    // Without its certificate line nothing can be verified, and the report says so once.
    let headless: Vec<&str> = text.lines().skip(1).collect();
    let report = verify_journal(&headless.join("\n"), &authority, &rates());
    assert_eq!(
        report.findings.iter().map(|f| f.code).collect::<Vec<_>>(),
        [C::InvalidCertificate]
    );
    // A certificate the authority did not sign is reported on its line.
    let forged =
        fiscal_core::Certificate::issue(body(&device_key()), &PrivateKey::from_seed(b"x")).unwrap();
    let report = verify_journal(&forged.to_journal_line(), &authority, &rates());
    assert_eq!(
        (report.findings[0].code, report.findings[0].line),
        (C::CertificateSignature, Some(1))
    );
}

#[test]
fn an_enormous_line_is_refused_before_parsing() {
    // 4 MiB + 1 bytes of hex in the body: refused by length (SPEC.md §4.1), not parsed.
    let line = format!(
        r#"{{"number":1,"id":"{}","body":"{}","signature":"{}"}}"#,
        "a".repeat(64),
        "6".repeat(4 << 20),
        "0".repeat(128)
    );
    let e = Document::from_journal_line(&line).unwrap_err();
    assert_eq!(e.code(), C::InvalidDocument);
    assert!(e.to_string().contains("longer than"), "{e}");
    let cert_line = format!(r#"{{"certificate":"{}"}}"#, "0".repeat(4 << 20));
    assert_eq!(
        fiscal_core::Certificate::from_journal_line(&cert_line)
            .unwrap_err()
            .code(),
        C::InvalidCertificate
    );
}

/// An excerpt's lines (SPEC.md §15.4): the certificate line, then documents `from..` of a
/// genuine journal.
fn excerpt_lines(docs: &[Document], from: usize) -> Vec<String> {
    let mut lines = vec![certificate().to_journal_line()];
    lines.extend(docs[from..].iter().map(Document::to_journal_line));
    lines
}

fn excerpt(docs: &[Document], from: usize) -> String {
    excerpt_lines(docs, from).join("\n")
}

#[test]
fn an_excerpt_verifies_from_any_document_and_lists_what_it_cannot_check() {
    let (_, docs) = genuine();
    let rates = rates();
    let authority = authority().public_key();
    let whole = JournalVerification::new(&authority, &rates);
    for from in (1..docs.len()).step_by(5).chain([docs.len() - 1]) {
        let n = docs[from].number();
        let text = excerpt(&docs, from);
        // Read as a whole journal, an excerpt breaks at its start (number gap, chain, shift).
        assert!(!whole.verify_text(&text).is_valid(), "from {n}");
        let report = whole.clone().excerpt_from(n).verify_text(&text);
        assert!(report.is_valid(), "from {n}: {:?}", report.findings);
        assert_eq!(report.documents, (docs.len() - from) as u64);
        // Its first document's link is listed, never silently skipped.
        assert_eq!(report.unchecked[0].number, Some(n), "from {n}");
        assert!(report.unchecked[0].message.contains("excerpt starts"));
        // The same with two workers, streaming.
        let streamed = whole
            .clone()
            .excerpt_from(n)
            .workers(2)
            .verify_reader(std::io::Cursor::new(text.as_bytes()), |_| {
                Ok::<(), std::io::Error>(())
            })
            .unwrap();
        assert_eq!(streamed, report, "from {n}");
    }
    // From 1 it is the whole journal.
    let text = excerpt(&docs, 0);
    assert_eq!(
        whole.clone().excerpt_from(1).verify_text(&text),
        whole.verify_text(&text)
    );
}

#[test]
fn inside_an_excerpt_everything_is_still_checked() {
    let (_, docs) = genuine();
    let rates = rates();
    let authority = authority().public_key();
    // From the middle of the second shift: a deleted sale, an altered signature and a broken
    // Z-report of a shift that opened inside the excerpt are still found.
    let from = docs.len() / 2;
    let n = docs[from].number();
    let mut lines = excerpt_lines(&docs, from);
    let deleted = docs[from + 10].number();
    lines.remove(11);
    let report = JournalVerification::new(&authority, &rates)
        .excerpt_from(n)
        .verify_text(&lines.join("\n"));
    assert!(report
        .findings
        .iter()
        .any(|f| f.code == C::NumberGap && f.number == Some(deleted + 1)));
    // A document numbered before the excerpt is out of order.
    let mut lines = excerpt_lines(&docs, from);
    lines.push(docs[from - 3].to_journal_line());
    let report = JournalVerification::new(&authority, &rates)
        .excerpt_from(n)
        .verify_text(&lines.join("\n"));
    assert!(report
        .findings
        .iter()
        .any(|f| f.code == C::OutOfOrder && f.number == Some(docs[from - 3].number())));
}
