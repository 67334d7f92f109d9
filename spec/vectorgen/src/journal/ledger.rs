//! Journal cases of the ledger (SPEC.md §14.6, §15.2): claims on earlier receipts that take
//! more than a receipt holds, references to the wrong kind of receipt, a cancel that voids
//! more than its receipt took, documents after a decommission, and a withdrawal that
//! overdraws the drawer.
//!
//! Each tampered journal plants one fault, forged by a key holder: the device itself refuses
//! the same request (asserted below with the code the verifier must report), so the forger
//! signs the document with the device key, numbered, chained and counted as the device would,
//! and carries on after it with documents and a Z-report of the same accounting (§14.4), so
//! that the planted fault is the only finding. The findings are worked out by hand here; the
//! generator checks the engine reports exactly them, and `findings_never_cascade` (a test of this crate) that the
//! engine reports each fault once.

use fiscal_core::{
    Amount, Content, Device, DocType, Document, KindTotals, Payments, Request, ShiftReport,
    Timestamp,
};

use super::forge::*;
use super::genuine::*;
use super::{f, JCase};
use crate::engine::device::*;

/// A journal being written: the device's documents, then a key holder's, with the open
/// shift's report kept by the accounting of SPEC.md §14.4 (worked out here, not the engine's).
struct Book {
    docs: Vec<Document>,
    shift: Option<ShiftReport>,
    last_shift: u32,
}

impl Book {
    /// Carries on where the device stands after `docs`.
    fn after(d: &Device, docs: &[Document]) -> Book {
        Book {
            docs: docs.to_vec(),
            shift: d.state().shift().cloned(),
            last_shift: d.state().last_shift(),
        }
    }

    /// One minute after the last document.
    fn time(&self) -> Timestamp {
        self.docs.last().unwrap().body().time.plus(60_000)
    }

    /// A document signed with the device key after the last one.
    fn sign(&mut self, shift: u32, shift_receipt: u32, content: Content) -> Document {
        let doc = next(
            &self.docs,
            &device_key(),
            self.time(),
            shift,
            shift_receipt,
            content,
        );
        self.docs.push(doc.clone());
        doc
    }

    /// A receipt or cash document in the open shift, counted in its report.
    fn put(&mut self, content: Content) -> Document {
        let r = self.shift.as_mut().expect("a shift is open");
        let receipt = content.doc_type().unwrap().is_receipt();
        if receipt {
            r.receipts += 1;
        }
        r.last_number += 1;
        count(r, &content);
        let (shift, counter) = (r.shift, if receipt { r.receipts } else { 0 });
        self.sign(shift, counter, content)
    }

    fn put_json(&mut self, json: &str) -> Document {
        self.put(receipt_request(json))
    }

    fn open(&mut self) -> Document {
        assert!(self.shift.is_none());
        self.last_shift += 1;
        let doc = self.sign(self.last_shift, 0, Content::OpenShift);
        self.shift = Some(ShiftReport {
            shift: self.last_shift,
            opened_at: doc.body().time,
            first_number: doc.number(),
            last_number: doc.number(),
            receipts: 0,
            kinds: Vec::new(),
            cash_in: Amount::ZERO,
            cash_out: Amount::ZERO,
        });
        doc
    }

    fn close(&mut self) -> Document {
        let mut r = self.shift.take().expect("a shift is open");
        r.last_number = self.docs.last().unwrap().number() + 1;
        self.sign(r.shift, 0, Content::ZReport(r))
    }
}

fn plus(a: Amount, b: Amount) -> Amount {
    a.checked_add(b).unwrap()
}

/// What a document adds to its shift's report (SPEC.md §14.4): its kind's row (count, sum,
/// payments by form, counted tax groups; a cancel with the amounts it voids) and the drawer
/// (deposits and cash received in; withdrawals, cash refunds and cancelled cash out).
fn count(r: &mut ShiftReport, content: &Content) {
    let zero = Amount::ZERO;
    let (kind, sum, pay, groups, cash_in, cash_out) = match content {
        Content::Request(Request::Deposit(c)) => (
            DocType::Deposit,
            c.amount(),
            Payments::default(),
            vec![],
            c.amount(),
            zero,
        ),
        Content::Request(Request::Withdraw(c)) => (
            DocType::Withdraw,
            c.amount(),
            Payments::default(),
            vec![],
            zero,
            c.amount(),
        ),
        Content::Request(q) => {
            let b = q.body().unwrap();
            let cash = b.payments().cash;
            let (cin, cout) = if q.doc_type() == DocType::Return {
                (zero, cash)
            } else {
                (cash, zero)
            };
            let groups = b.totals().counted_groups().to_vec();
            (
                q.doc_type(),
                b.totals().sum(),
                *b.payments(),
                groups,
                cin,
                cout,
            )
        }
        Content::Cancel { voided, .. } => (
            DocType::Cancel,
            voided.sum,
            voided.payments,
            voided.groups.clone(),
            zero,
            voided.payments.cash,
        ),
        other => panic!("not counted: {other:?}"),
    };
    r.cash_in = plus(r.cash_in, cash_in);
    r.cash_out = plus(r.cash_out, cash_out);
    if r.kind(kind).is_none() {
        r.kinds.push(KindTotals {
            kind,
            count: 0,
            sum: zero,
            payments: Payments::default(),
            groups: vec![],
        });
        r.kinds.sort_by_key(|k| k.kind);
    }
    let row = r.kinds.iter_mut().find(|k| k.kind == kind).unwrap();
    row.count += 1;
    row.sum = plus(row.sum, sum);
    let p = &mut row.payments;
    p.cash = plus(p.cash, pay.cash);
    p.cashless = plus(p.cashless, pay.cashless);
    p.bonus = plus(p.bonus, pay.bonus);
    p.gift_card = plus(p.gift_card, pay.gift_card);
    p.fuel_card = plus(p.fuel_card, pay.fuel_card);
    p.prepayment = plus(p.prepayment, pay.prepayment);
    p.credit = plus(p.credit, pay.credit);
    p.tendered = plus(p.tendered, pay.tendered);
    p.change = plus(p.change, pay.change);
    for g in groups {
        match row.groups.iter_mut().find(|x| x.key == g.key) {
            Some(x) => {
                x.gross = plus(x.gross, g.gross);
                x.tax = plus(x.tax, g.tax);
            }
            None => row.groups.push(g),
        }
    }
    row.groups.sort_by_key(|g| g.key);
}

/// A till: activation (1), shift 1 opened at 09:00 (2), a float of 100.00 deposited (3).
fn till() -> (Device, Vec<Document>) {
    let (mut d, act) = activated();
    let mut docs = vec![act.document];
    docs.push(d.open_shift(at(9, 0, 0)).unwrap().document);
    docs.push(issue(
        &mut d,
        r#"{"doc_type":"deposit","data":{"cashier":"Aysel","sum":100}}"#,
        at(9, 0, 30),
        &[],
    ));
    (d, docs)
}

/// One minute after the last document.
fn later(docs: &[Document]) -> Timestamp {
    docs.last().unwrap().body().time.plus(60_000)
}

/// Issues `json` with the device one minute after the last document and appends it.
fn put(d: &mut Device, docs: &mut Vec<Document>, json: &str, refs: &[Document]) -> Document {
    let doc = issue(d, json, later(docs), refs);
    docs.push(doc.clone());
    doc
}

/// The device refuses `json` (one minute after the last document) with `code`.
fn refused(d: &Device, docs: &[Document], json: &str, refs: &[Document], code: &str) {
    let mut d = Device::restore(&d.export_state(), device_key()).unwrap();
    d.unlock(PIN).unwrap();
    let e = refuse(&mut d, json, later(docs), refs);
    assert_eq!(e.code().as_str(), code, "{e}");
}

fn residue_json(parent: &str, amount: &str) -> String {
    format!(
        r#"{{"doc_type":"money_back","data":{{"cashier":"Aysel","parentDocument":"{parent}","moneyBackType":1,"items":[{{"itemName":"Avans qalığı","itemQuantity":1,"itemPrice":{amount},"itemVatPercent":18}}],"cashSum":{amount}}}}}"#
    )
}

fn advance_json(amount: &str) -> String {
    format!(
        r#"{{"doc_type":"prepay","data":{{"cashier":"Aysel","items":[{{"itemName":"Avans","itemQuantity":1,"itemPrice":{amount},"itemVatPercent":18}}],"cashSum":{amount}}}}}"#
    )
}

fn against_advances_json(parents: &[&Document], price: &str, cash: &str, offset: &str) -> String {
    let ids: Vec<String> = parents
        .iter()
        .map(|p| format!("\"{}\"", p.id().long()))
        .collect();
    format!(
        r#"{{"doc_type":"sale","data":{{"cashier":"Aysel","items":[{{"itemName":"Tort","itemQuantity":1,"itemPrice":{price},"itemVatPercent":18}}],"cashSum":{cash},"prepaymentSum":{offset},"parents":[{}]}}}}"#,
        ids.join(",")
    )
}

const WITHDRAW_500: &str = r#"{"doc_type":"withdraw","data":{"cashier":"Aysel","sum":500}}"#;

/// The journal's lines, the certificate first.
fn lines(docs: &[Document]) -> Vec<String> {
    with_cert(&certificate(), docs)
}

/// A tampered case: one planted fault, `code` at document `at`, nothing else.
fn one(
    id: u64,
    comment: &str,
    rules: &[&'static str],
    docs: &[Document],
    code: &str,
    at: u64,
) -> JCase {
    JCase {
        id,
        comment: comment.into(),
        rules: rules.to_vec(),
        flags: vec!["device-key"],
        journal: lines(docs),
        must: vec![f(code, Some(at))],
        exact: true,
    }
}

fn genuine(id: u64, comment: &str, rules: &[&'static str], docs: &[Document]) -> JCase {
    JCase {
        id,
        comment: comment.into(),
        rules: rules.to_vec(),
        flags: vec!["genuine"],
        journal: lines(docs),
        must: vec![],
        exact: true,
    }
}

/// The ledger's journal cases, appended to `journal_cases()`.
pub(super) fn cases() -> Vec<JCase> {
    let mut out = Vec::new();

    // --- Advances spent twice (RC-11, RC-17).
    // 4 advance A 20.00; 5 sale of 50 takes 15 of A; 6 (forged) A's residue refunded as 20.00
    // where 5.00 is left: rule 4 of a return (advances_exceeded).
    let (mut d, mut docs) = till();
    let a = put(&mut d, &mut docs, &advance_json("20"), &[]);
    put(
        &mut d,
        &mut docs,
        &against_advances_json(&[&a], "50", "35", "15"),
        &[a.clone()],
    );
    let refund = residue_json(&a.id().long(), "20");
    refused(&d, &docs, &refund, &[a.clone()], "advances_exceeded");
    let mut b = Book::after(&d, &docs);
    b.put_json(&refund);
    b.put_json(&sale_json("Çay", "1.50"));
    b.close();
    out.push(one(
                96,
        "an advance of 20.00, 15.00 of it spent by a sale, then its residue refunded as 20.00 (5.00 is left): money paid out twice",
        &["RC-11", "RC-17"],
        &b.docs,
        "advances_exceeded",
        6,
    ));

    // 4 advance A; 5 A cancelled; 6 (forged) a sale takes 20.00 from A: rule 1 of a sale
    // against advances (already_cancelled).
    let (mut d, mut docs) = till();
    let a = put(&mut d, &mut docs, &advance_json("20"), &[]);
    put(&mut d, &mut docs, &rollback(&a.id().long()), &[a.clone()]);
    let spend = against_advances_json(&[&a], "50", "30", "20");
    refused(&d, &docs, &spend, &[a.clone()], "already_cancelled");
    let mut b = Book::after(&d, &docs);
    b.put_json(&spend);
    b.put_json(&sale_json("Çay", "1.50"));
    b.close();
    out.push(one(
        97,
        "an advance cancelled (its money given back), then a sale takes 20.00 from it",
        &["RC-11", "RC-17"],
        &b.docs,
        "already_cancelled",
        6,
    ));

    // 4 advance A; 5 a sale takes all of A; 6 (forged) A cancelled: rule 5 of a cancel
    // (receipt_in_use). The cancel carries A exactly.
    let (mut d, mut docs) = till();
    let a = put(&mut d, &mut docs, &advance_json("20"), &[]);
    put(
        &mut d,
        &mut docs,
        &against_advances_json(&[&a], "50", "30", "20"),
        &[a.clone()],
    );
    refused(
        &d,
        &docs,
        &rollback(&a.id().long()),
        &[a.clone()],
        "receipt_in_use",
    );
    let mut b = Book::after(&d, &docs);
    b.put(cancel_content(&a.id().long(), voided_of(&a)));
    b.put_json(&sale_json("Çay", "1.50"));
    b.close();
    out.push(one(
                98,
        "an advance spent by a sale, then cancelled: the goods leave the books while the money stays with the customer",
        &["RC-11", "RC-17"],
        &b.docs,
        "receipt_in_use",
        6,
    ));

    // --- A cancel that voids more cash than its receipt took (RC-17).
    // 4 sale S 10.00 cash; 5 (forged) cancel of S whose voided cash is 15.00; the Z-report
    // (7) counts the cancel as the journal states it, 15.00 out: only the cancel's content is
    // wrong.
    let (mut d, mut docs) = till();
    let s = put(&mut d, &mut docs, &sale_json("Pendir", "10.00"), &[]);
    let mut more = voided_of(&s);
    more.payments.cash = amount("15.00");
    more.payments.tendered = amount("15.00");
    let mut b = Book::after(&d, &docs);
    b.put(cancel_content(&s.id().long(), more));
    b.put_json(&sale_json("Çay", "1.50"));
    b.close();
    out.push(one(
                99,
        "a cancel of a 10.00 cash sale whose voided payments say 15.00 cash (the Z-report counts the cancel as written)",
        &["RC-17", "PK-02"],
        &b.docs,
        "content_invalid",
        5,
    ));

    // --- Documents after a decommission (NM-12, LC-02).
    // 4 sale; 5 Z-report; 6 decommission; 7 (forged) shift 2 opened; 8 a sale; 9 its Z-report:
    // one finding, at 7.
    let (mut d, mut docs) = till();
    put(&mut d, &mut docs, &sale_json("Çörək", "0.60"), &[]);
    docs.push(d.close_shift(later(&docs)).unwrap().document);
    d.acknowledge_upload(5, None).unwrap();
    docs.push(d.decommission(later(&docs)).unwrap().document);
    let mut b = Book::after(&d, &docs);
    b.open();
    b.put_json(&sale_json("Çay", "1.50"));
    b.close();
    out.push(one(
        100,
        "a shift opened, a sale and a Z-report after the decommission: reported once, at the first",
        &["NM-12", "LC-02"],
        &b.docs,
        "decommissioned",
        7,
    ));

    // --- References to the wrong kind of receipt (RC-11, RC-17).
    // 4 sale S 20.00; 5 (forged) a sale takes 20.00 from S as if it were an advance.
    let (mut d, mut docs) = till();
    let s = put(&mut d, &mut docs, &sale_json("Pendir", "20.00"), &[]);
    let spend = against_advances_json(&[&s], "50", "30", "20");
    refused(&d, &docs, &spend, &[s.clone()], "reference_wrong_kind");
    let mut b = Book::after(&d, &docs);
    b.put_json(&spend);
    b.close();
    out.push(one(
        101,
        "a sale that takes 20.00 from a plain sale named as its advance",
        &["RC-11", "RC-17"],
        &b.docs,
        "reference_wrong_kind",
        5,
    ));

    // 4 sale S 20.00; 5 (forged) a return of S as an advance's residue (moneyBackType 1).
    let (mut d, mut docs) = till();
    let s = put(&mut d, &mut docs, &sale_json("Pendir", "20.00"), &[]);
    let refund = residue_json(&s.id().long(), "5.00");
    refused(&d, &docs, &refund, &[s.clone()], "reference_wrong_kind");
    let mut b = Book::after(&d, &docs);
    b.put_json(&refund);
    b.close();
    out.push(one(
        102,
        "an advance's residue (moneyBackType 1) refunded against a plain sale",
        &["RC-17"],
        &b.docs,
        "reference_wrong_kind",
        5,
    ));

    // --- Credit sales (RC-13, RC-17, RC-18).
    // 4 credit sale C (180.00 cash, 1000.00 debt); 5 instalment 1 of 100.00; 6 (forged) C
    // cancelled: rule 5 of a cancel (receipt_in_use).
    let (mut d, mut docs) = till();
    let c = put(&mut d, &mut docs, CREDIT, &[]);
    put(
        &mut d,
        &mut docs,
        &creditpay_json(&c.id().long(), 1, "100", "900"),
        &[c.clone()],
    );
    refused(
        &d,
        &docs,
        &rollback(&c.id().long()),
        &[c.clone()],
        "receipt_in_use",
    );
    let mut b = Book::after(&d, &docs);
    b.put(cancel_content(&c.id().long(), voided_of(&c)));
    b.close();
    out.push(one(
                103,
        "a credit sale cancelled after an instalment was paid on it: the debt leaves the books while the instalment stays paid",
        &["RC-13", "RC-17", "RC-18"],
        &b.docs,
        "receipt_in_use",
        6,
    ));

    // 4 credit sale C; 5 C cancelled; 6 (forged) instalment 1 of 100.00 on C: rule 2 of an
    // instalment (already_cancelled).
    let (mut d, mut docs) = till();
    let c = put(&mut d, &mut docs, CREDIT, &[]);
    put(&mut d, &mut docs, &rollback(&c.id().long()), &[c.clone()]);
    let pay = creditpay_json(&c.id().long(), 1, "100", "900");
    refused(&d, &docs, &pay, &[c.clone()], "already_cancelled");
    let mut b = Book::after(&d, &docs);
    b.put_json(&pay);
    b.close();
    out.push(one(
        104,
        "an instalment paid on a cancelled credit sale",
        &["RC-17", "RC-18"],
        &b.docs,
        "already_cancelled",
        6,
    ));

    // --- The drawer (PK-01).
    // 3 float 100.00; 4 sale 10.00 cash: 110.00 in the drawer; 5 (forged) withdrawal of
    // 500.00; 6, 7 more cash sales (cash in: not refused again); 8 the Z-report counts the
    // withdrawal: one finding, at 5.
    let (mut d, mut docs) = till();
    put(&mut d, &mut docs, &sale_json("Pendir", "10.00"), &[]);
    refused(&d, &docs, WITHDRAW_500, &[], "cash_insufficient");
    let mut b = Book::after(&d, &docs);
    b.put_json(WITHDRAW_500);
    b.put_json(&sale_json("Çay", "1.50"));
    b.put_json(&sale_json("Qənd", "2.20"));
    b.close();
    out.push(one(
                105,
        "a withdrawal of 500.00 from a drawer holding 110.00, then two cash sales and the Z-report that counts it all",
        &["PK-01", "PK-02"],
        &b.docs,
        "cash_insufficient",
        5,
    ));

    // --- Genuine: what the ledger allows (the device issues every document).
    // 4 advance A 20.00; 5 a sale takes 15.00 of it; 6 its residue 5.00 refunded; 7 Z-report.
    let (mut d, mut docs) = till();
    let a = put(&mut d, &mut docs, &advance_json("20"), &[]);
    put(
        &mut d,
        &mut docs,
        &against_advances_json(&[&a], "50", "35", "15"),
        &[a.clone()],
    );
    put(
        &mut d,
        &mut docs,
        &residue_json(&a.id().long(), "5.00"),
        &[a.clone()],
    );
    // Nothing is left of A now.
    refused(
        &d,
        &docs,
        &residue_json(&a.id().long(), "0.01"),
        &[a.clone()],
        "advances_exceeded",
    );
    docs.push(d.close_shift(later(&docs)).unwrap().document);
    out.push(genuine(
                106,
        "genuine: an advance of 20.00, 15.00 of it spent by a sale, the residue of exactly 5.00 refunded",
        &["RC-11", "RC-17"],
        &docs,
    ));

    // 4 advance A1 20.00; 5 advance A2 30.00; 6 a sale of 60.00 with 45.00 from its advances:
    // 20.00 from A1, then 25.00 from A2 (in the order named); 7 A2's residue 5.00 refunded;
    // 8 Z-report.
    let (mut d, mut docs) = till();
    let a1 = put(&mut d, &mut docs, &advance_json("20"), &[]);
    let a2 = put(&mut d, &mut docs, &advance_json("30"), &[]);
    put(
        &mut d,
        &mut docs,
        &against_advances_json(&[&a1, &a2], "60", "15", "45"),
        &[a1.clone(), a2.clone()],
    );
    put(
        &mut d,
        &mut docs,
        &residue_json(&a2.id().long(), "5.00"),
        &[a2.clone()],
    );
    refused(
        &d,
        &docs,
        &residue_json(&a1.id().long(), "0.01"),
        &[a1.clone()],
        "advances_exceeded",
    );
    docs.push(d.close_shift(later(&docs)).unwrap().document);
    out.push(genuine(
                107,
        "genuine: a sale of 60.00 against two advances (20.00 and 30.00) takes 45.00, the first one's whole, then 25.00 of the second, whose residue of 5.00 is refunded",
        &["RC-11", "RC-17"],
        &docs,
    ));

    out
}

/// Each planted fault is one finding (SPEC.md §14.6, §15.2): the engine's report, not only
/// its set of (code, number) pairs, holds exactly one.
#[test]
fn findings_never_cascade() {
    let cases = cases();
    let tampered: Vec<&JCase> = cases.iter().filter(|c| !c.must.is_empty()).collect();
    assert_eq!(tampered.len(), 10);
    for c in tampered {
        let (report, _) = super::findings_of(&c.journal);
        assert_eq!(
            report.findings.len(),
            1,
            "{}: {:#?}",
            c.comment,
            report.findings
        );
        let f = &report.findings[0];
        assert_eq!(
            (f.code.as_str().to_string(), f.number),
            c.must[0],
            "{}",
            c.comment
        );
    }
}
