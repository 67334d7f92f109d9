//! Robustness: the invariants the fuzz targets (`fuzz/`) check, run by proptest on every CI run;
//! crash safety (a power cut between any two steps of issuing, `spec/CRASH-SAFETY.md`); and the
//! engine weaknesses found while hardening it (`spec/SECURITY.md`).
//!
//! - Random operation sequences on the device (`common/ops.rs`, shared with the fuzz target
//!   `device_ops`): no panic, numbers without gaps, a refused operation leaves the state
//!   byte-identical, every document is signed and chained, and the run's journal verifies with
//!   no finding (SPEC.md §14, §15).
//! - Random byte flips in a genuine journal always produce a finding, unless the flipped line
//!   still decodes to the very same document (SPEC.md §13.5, §15.2).
//! - Power cuts: before the journal line is written, after it but before the state is saved,
//!   after both; recovery by deterministic replay loses nothing and duplicates nothing.
//! - Regression tests for the engine bugs and weaknesses this work found (fixed in e848dc1):
//!   four arithmetic overflows (panics in builds with overflow checks), an advance the device
//!   let two sales spend, and a receipt that could be refunded twice.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/ops.rs"]
mod ops;

use fiscal_core::{
    verify_journal, Certificate, CertificateBody, Content, Device, Document, DocumentBody,
    ErrorCode as C, IssueOptions, JournalVerification, PrivateKey, RateTable, Request, Status,
    Timestamp, ValidationContext,
};
use ops::{authority, certificate, device_key, genuine, start, Op, Run, Step, PIN};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// Random operation sequences
// ---------------------------------------------------------------------------------------------

fn dt() -> impl Strategy<Value = i64> {
    prop_oneof![
        16 => 1i64..=120_000,                        // up to two minutes
        2 => 3_600_000i64..=30 * 3_600_000,          // hours: the 24-hour shift
        1 => 86_400_000i64..=3 * 86_400_000,         // days: 7 days offline, expiry
        1 => -120_000i64..=0,                        // the clock goes back or stands still
    ]
}

/// Receipts and cash documents: what fills a shift.
fn receipt() -> impl Strategy<Value = Op> {
    prop_oneof![
        10 => (any::<u8>(), any::<u16>(), 1u32..100_000, any::<u8>()).prop_map(
            |(template, qty, price, split)| Op::Sale { template, qty, price, split }
        ),
        2 => (1u32..50_000).prop_map(|price| Op::Advance { price }),
        2 => (any::<u8>(), 0u32..50_000, 0u32..60_000).prop_map(|(which, price, offset)| {
            Op::SaleAgainstAdvance { which, price, offset }
        }),
        3 => (any::<u8>(), any::<u32>(), any::<bool>(), prop::bool::weighted(0.1)).prop_map(
            |(which, amount, cash, wrong_kind)| Op::Return { which, amount, cash, wrong_kind }
        ),
        2 => any::<u8>().prop_map(|which| Op::Cancel { which }),
        2 => (any::<u8>(), any::<u32>(), prop::bool::weighted(0.1)).prop_map(
            |(which, amount, skip)| Op::CreditPayment { which, amount, skip }
        ),
        2 => (0u32..100_000).prop_map(|amount| Op::Deposit { amount }),
        2 => (0u32..100_000).prop_map(|amount| Op::Withdraw { amount }),
        1 => (0u32..100_000).prop_map(|amount| Op::Correction { amount }),
    ]
}

/// Any operation, receipts included.
fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => Just(Op::OpenShift),
        6 => receipt(),
        2 => Just(Op::CloseShift),
        3 => prop::bool::weighted(0.7).prop_map(|right| Op::Unlock { right }),
        3 => (0u16..8, prop::bool::weighted(0.2)).prop_map(|(through, wrong)| Op::Acknowledge { through, wrong }),
        2 => prop::bool::weighted(0.8).prop_map(|unlock| Op::Restore { unlock }),
        1 => Just(Op::Decommission),
    ]
}

/// A shift as a till runs it: opened, receipts a few seconds to minutes apart, mostly closed.
fn shift() -> impl Strategy<Value = Vec<Step>> {
    (
        prop::collection::vec((1i64..=120_000, receipt()), 1..10),
        prop::bool::weighted(0.8),
    )
        .prop_map(|(receipts, close)| {
            let mut v = vec![Step {
                dt: 60_000,
                op: Op::OpenShift,
            }];
            v.extend(receipts.into_iter().map(|(dt, op)| Step { dt, op }));
            if close {
                v.push(Step {
                    dt: 60_000,
                    op: Op::CloseShift,
                });
            }
            v
        })
}

/// Shifts, and between them any operation at any time.
fn steps(blocks: usize) -> impl Strategy<Value = Vec<Step>> {
    prop::collection::vec(
        prop_oneof![
            3 => shift(),
            2 => prop::collection::vec((dt(), op()).prop_map(|(dt, op)| Step { dt, op }), 1..4),
        ],
        1..blocks,
    )
    .prop_map(|blocks| blocks.into_iter().flatten().collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// SPEC.md §14.1, §14.3, §15: whatever the operations and the clock do.
    #[test]
    fn random_operations_keep_every_device_invariant(steps in steps(10)) {
        let mut run = Run::new();
        for step in &steps {
            run.step(step);
        }
        if std::env::var_os("ROBUSTNESS_STATS").is_some() {
            eprintln!("{:?} last {}", run.tally, run.device().state().last_number());
        }
        if let Err(findings) = run.check_journal() {
            panic!("the run's own journal has findings:\n{findings}");
        }
    }
}

/// The driver itself must reach the interesting states, or the property above proves little:
/// a fixed, plausible day issues every kind of document and its journal verifies.
#[test]
fn the_driver_reaches_every_document_kind() {
    let s = |dt: i64, op: Op| Step { dt, op };
    let mut run = Run::new();
    let day = [
        s(60_000, Op::OpenShift),
        s(1_000, Op::Deposit { amount: 50_000 }),
        s(
            1_000,
            Op::Sale {
                template: 0,
                qty: 1,
                price: 120,
                split: 0,
            },
        ),
        s(
            1_000,
            Op::Sale {
                template: 3,
                qty: 0,
                price: 118_000,
                split: 200,
            },
        ),
        s(
            1_000,
            Op::Sale {
                template: 4,
                qty: 2,
                price: 300,
                split: 0,
            },
        ),
        s(
            1_000,
            Op::Sale {
                template: 5,
                qty: 0,
                price: 499,
                split: 0,
            },
        ),
        s(
            1_000,
            Op::Sale {
                template: 2,
                qty: 3,
                price: 250,
                split: 100,
            },
        ),
        s(1_000, Op::Advance { price: 1_999 }),
        s(
            1_000,
            Op::SaleAgainstAdvance {
                which: 0,
                price: 3_000,
                offset: 1_000,
            },
        ),
        s(
            1_000,
            Op::Return {
                which: 0,
                amount: 59,
                cash: true,
                wrong_kind: false,
            },
        ),
        s(1_000, Op::Cancel { which: 4 }),
        s(
            1_000,
            Op::CreditPayment {
                which: 0,
                amount: 10_000,
                skip: false,
            },
        ),
        s(1_000, Op::Withdraw { amount: 100 }),
        s(1_000, Op::Correction { amount: 1_000 }),
        s(1_000, Op::CloseShift),
        s(1_000, Op::Restore { unlock: false }),
        s(1_000, Op::Unlock { right: true }),
        s(
            1_000,
            Op::Acknowledge {
                through: 0,
                wrong: false,
            },
        ),
        s(1_000, Op::Decommission),
    ];
    for step in &day {
        run.step(step);
    }
    run.check_journal().unwrap();
    let names: Vec<&str> = run.docs.iter().map(|d| d.body().content.name()).collect();
    for kind in [
        "activation",
        "open_shift",
        "deposit",
        "sale",
        "prepay",
        "money_back",
        "rollback",
        "creditpay",
        "withdraw",
        "correction",
        "zreport",
        "decommission",
    ] {
        assert!(names.contains(&kind), "{kind} missing from {names:?}");
    }
    // Activation; open, deposit, 5 sales, advance, sale against it, return, cancel,
    // instalment, withdraw, correction, Z-report (15 in the shift); decommission.
    assert_eq!(run.docs.len(), 17, "{names:?}");
    assert_eq!(run.tally.refused, 0);
    assert_eq!(run.tally.invalid, 0);
}

// ---------------------------------------------------------------------------------------------
// Random byte flips in a genuine journal
// ---------------------------------------------------------------------------------------------

/// What a journal line decodes to (certificate lines by their canonical bytes).
#[derive(Debug, PartialEq)]
enum Decoded {
    Certificate(Vec<u8>),
    Document(Box<Document>),
    Blank,
    Nothing,
}

fn decode(line: &str) -> Decoded {
    if line.trim().is_empty() {
        Decoded::Blank
    } else if let Ok(c) = Certificate::from_journal_line(line) {
        Decoded::Certificate(c.to_bytes())
    } else if let Ok(d) = Document::from_journal_line(line) {
        Decoded::Document(Box::new(d))
    } else {
        Decoded::Nothing
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, ..ProptestConfig::default() })]

    /// SPEC.md §15.2: a journal whose lines decode to anything but the genuine documents is
    /// never valid. (A flip may leave the decoded document unchanged — a letter's case in the
    /// body or signature hex — and such a journal is rightly still valid.)
    #[test]
    fn byte_flips_in_journal_lines_are_always_found(
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>(), 1u8..=255), 1..4)
    ) {
        let (lines, _) = genuine();
        let mut bytes: Vec<Vec<u8>> = lines.iter().map(|l| l.clone().into_bytes()).collect();
        for (line, pos, mask) in &flips {
            let l = line.index(bytes.len());
            let p = pos.index(bytes[l].len());
            bytes[l][p] ^= mask;
        }
        let text = bytes
            .iter()
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .collect::<Vec<_>>()
            .join("\n");
        let report = verify_journal(&text, &authority().public_key(), &RateTable::azerbaijan());
        let same = text.lines().count() == lines.len()
            && text.lines().zip(lines).all(|(m, g)| decode(m) == decode(g));
        prop_assert!(
            same || !report.is_valid(),
            "a changed journal passed:\n{}",
            text
        );
        if !same {
            prop_assert!(!report.findings.is_empty());
        }
    }
}

/// Every single-bit flip of one document line (all positions of a sale's line) is found: a
/// line has one spelling (SPEC.md §13.5), so even a flip that would decode to the same
/// document (the letter case of its hex) is refused.
#[test]
fn every_bit_of_a_sale_line_matters() {
    let (lines, docs) = genuine();
    let i = 1 + docs
        .iter()
        .position(|d| d.body().content.name() == "sale")
        .unwrap();
    let rates = RateTable::azerbaijan();
    let mut unchanged = 0;
    for pos in 0..lines[i].len() {
        for bit in [0x01u8, 0x20] {
            let mut tampered = lines.clone();
            let mut b = tampered[i].clone().into_bytes();
            b[pos] ^= bit;
            tampered[i] = String::from_utf8_lossy(&b).into_owned();
            // The journal up to the flipped line: what follows cannot hide a finding.
            let report = verify_journal(
                &tampered[..=i].join("\n"),
                &authority().public_key(),
                &rates,
            );
            if decode(&tampered[i]) == decode(&lines[i]) {
                unchanged += 1;
            }
            assert!(
                !report.is_valid(),
                "flip {bit:#x} at byte {pos} of line {i} not found"
            );
        }
    }
    // No flipped line is read as the same document (SECURITY.md §2.1, "one spelling").
    assert_eq!(unchanged, 0);
}

// ---------------------------------------------------------------------------------------------
// Crash safety: a power cut between any two steps of issuing (spec/CRASH-SAFETY.md)
// ---------------------------------------------------------------------------------------------

/// One operation of the POS's day.
#[derive(Clone, Copy, Debug)]
enum Act {
    Activate,
    Open,
    /// A request built from the journal so far (references by index into it).
    Issue(fn(&[Document]) -> (String, Vec<usize>)),
    Close,
    AcknowledgeAll,
    Decommission,
}

fn scenario() -> Vec<Act> {
    fn sale(_: &[Document]) -> (String, Vec<usize>) {
        (
            r#"{"doc_type":"sale","data":{"cashier":"Aysel","items":[{"itemName":"Çörək","itemQuantity":2,"itemPrice":0.60,"itemVatPercent":18}],"cashSum":1.20}}"#.into(),
            vec![],
        )
    }
    fn deposit(_: &[Document]) -> (String, Vec<usize>) {
        (
            r#"{"doc_type":"deposit","data":{"cashier":"Aysel","sum":50}}"#.into(),
            vec![],
        )
    }
    fn credit(_: &[Document]) -> (String, Vec<usize>) {
        (r#"{"doc_type":"sale","data":{"cashier":"Aysel","items":[{"itemName":"Televizor","itemQuantity":1,"itemPrice":1180,"itemVatPercent":18}],"cashSum":180,"creditSum":1000}}"#.into(), vec![])
    }
    fn last_of(docs: &[Document], kind: &str, credit: bool) -> usize {
        docs.iter()
            .rposition(|d| {
                d.body().content.name() == kind
                    && (!credit
                        || matches!(&d.body().content, Content::Request(Request::Sale(s)) if s.is_credit_sale()))
            })
            .unwrap()
    }
    fn instalment(docs: &[Document]) -> (String, Vec<usize>) {
        let p = last_of(docs, "sale", true);
        (
            format!(
                r#"{{"doc_type":"creditpay","data":{{"cashier":"Aysel","parentDocument":"{}","paymentNumber":1,"residue":900,"items":[{{"itemName":"Nisyə ödənişi","itemQuantity":1,"itemPrice":100,"itemVatPercent":18}}],"cashSum":100}}}}"#,
                docs[p].id().long()
            ),
            vec![p],
        )
    }
    fn ret(docs: &[Document]) -> (String, Vec<usize>) {
        let p = docs
            .iter()
            .rposition(|d| matches!(&d.body().content, Content::Request(Request::Sale(s)) if !s.is_credit_sale()))
            .unwrap();
        (
            format!(
                r#"{{"doc_type":"money_back","data":{{"cashier":"Aysel","parentDocument":"{}","items":[{{"itemName":"Çörək","itemQuantity":1,"itemPrice":0.60,"itemVatPercent":18}}],"cashSum":0.60}}}}"#,
                docs[p].id().short()
            ),
            vec![p],
        )
    }
    fn cancel(docs: &[Document]) -> (String, Vec<usize>) {
        let p = last_of(docs, "sale", false);
        (
            format!(
                r#"{{"doc_type":"rollback","data":{{"cashier":"Aysel","parentDocument":"{}"}}}}"#,
                docs[p].id().long()
            ),
            vec![p],
        )
    }
    fn advance(_: &[Document]) -> (String, Vec<usize>) {
        (r#"{"doc_type":"prepay","data":{"cashier":"Aysel","items":[{"itemName":"Avans","itemQuantity":1,"itemPrice":20,"itemVatPercent":18}],"cashSum":20}}"#.into(), vec![])
    }
    fn against(docs: &[Document]) -> (String, Vec<usize>) {
        let p = last_of(docs, "prepay", false);
        (
            format!(
                r#"{{"doc_type":"sale","data":{{"cashier":"Aysel","items":[{{"itemName":"Tort","itemQuantity":1,"itemPrice":50,"itemVatPercent":18}}],"cashSum":30,"prepaymentSum":20,"parents":["{}"]}}}}"#,
                docs[p].id().long()
            ),
            vec![p],
        )
    }
    fn withdraw(_: &[Document]) -> (String, Vec<usize>) {
        (
            r#"{"doc_type":"withdraw","data":{"cashier":"Aysel","sum":10}}"#.into(),
            vec![],
        )
    }
    vec![
        Act::Activate,
        Act::Open,
        Act::Issue(deposit),
        Act::Issue(sale),
        Act::Issue(credit),
        Act::Issue(instalment),
        Act::Issue(ret),
        Act::Issue(sale),
        Act::Issue(cancel),
        Act::Issue(advance),
        Act::Issue(against),
        Act::Issue(withdraw),
        Act::Close,
        Act::AcknowledgeAll,
        Act::Decommission,
    ]
}

/// What the POS keeps on disk.
#[derive(Default, Clone)]
struct Disk {
    /// The last saved device state.
    state: Option<Vec<u8>>,
    /// The journal's document lines, in order (the certificate line is kept apart).
    journal: Vec<String>,
}

impl Disk {
    fn docs(&self) -> Vec<Document> {
        self.journal
            .iter()
            .map(|l| Document::from_journal_line(l).unwrap())
            .collect()
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Cut {
    /// The document was issued; the power went before its journal line was written.
    BeforeJournal,
    /// The journal line is written; the power went before the state was saved.
    AfterJournal,
    /// Both written; the power went before the next operation.
    AfterBoth,
}

fn rates() -> RateTable {
    RateTable::azerbaijan()
}

/// Performs `act` at `now`; the document it issues, if any.
fn perform(
    device: &mut Option<Device>,
    act: Act,
    now: Timestamp,
    journal: &[Document],
) -> Option<Document> {
    let rates = rates();
    match act {
        Act::Activate => {
            let (d, issued) = Device::activate(
                certificate(),
                &authority().public_key(),
                device_key(),
                PIN,
                None,
                now,
            )
            .unwrap();
            *device = Some(d);
            Some(issued.document)
        }
        Act::Open => Some(device.as_mut().unwrap().open_shift(now).unwrap().document),
        Act::Close => Some(device.as_mut().unwrap().close_shift(now).unwrap().document),
        Act::Decommission => Some(device.as_mut().unwrap().decommission(now).unwrap().document),
        Act::AcknowledgeAll => {
            let d = device.as_mut().unwrap();
            let last = d.state().last_number();
            d.acknowledge_upload(last, None).unwrap();
            None
        }
        Act::Issue(build) => {
            let (json, refs) = build(journal);
            let refs: Vec<Document> = refs.iter().map(|&i| journal[i].clone()).collect();
            let ctx = ValidationContext {
                rates: &rates,
                date: now.date_in_baku(),
            };
            let request = Request::from_json(&json, &ctx).unwrap();
            let d = device.as_mut().unwrap();
            let options = IssueOptions {
                rates: &rates,
                references: &refs,
                // The POS always says which document it saw last (SPEC.md §14.3, step 1).
                expected_previous: Some(journal.len() as u64),
                foreign_references: false,
            };
            Some(d.issue(&request, now, &options).unwrap().document)
        }
    }
}

/// The documents in `journal` that `request` names, and every other document naming the same
/// receipts (earlier returns and instalments): what issuing it needed.
fn references_for(request: &Request, journal: &[Document]) -> Vec<Document> {
    let names = request.references();
    let named: Vec<&Document> = journal
        .iter()
        .filter(|d| names.iter().any(|n| d.id().matches(n)))
        .collect();
    let mut out: Vec<Document> = named.iter().map(|d| (*d).clone()).collect();
    for d in journal {
        if let Content::Request(r) = &d.body().content {
            let siblings = r
                .references()
                .iter()
                .any(|x| named.iter().any(|p| p.id().matches(x)));
            if siblings && !out.contains(d) {
                out.push(d.clone());
            }
        }
    }
    out
}

/// Re-runs the operation that issued `doc` on `device`, whose state is the one just before it:
/// with the same inputs and the same `now`, the device gives the same bytes (RFC 6979).
fn replay(device: &mut Device, doc: &Document, journal: &[Document]) -> Result<Document, String> {
    let rates = rates();
    let now = doc.body().time;
    let options = |refs| IssueOptions {
        rates: &rates,
        references: refs,
        expected_previous: Some(doc.number() - 1),
        foreign_references: false,
    };
    let issued = match &doc.body().content {
        Content::OpenShift => device.open_shift(now),
        Content::ZReport(_) => device.close_shift(now),
        Content::Decommission => device.decommission(now),
        Content::Request(r) => {
            let refs = references_for(r, journal);
            device.issue(r, now, &options(&refs))
        }
        Content::Cancel { request, .. } => {
            let r = Request::Cancel(request.clone());
            let refs = references_for(&r, journal);
            device.issue(&r, now, &options(&refs))
        }
        other => return Err(format!("cannot replay {}", other.name())),
    };
    issued.map(|i| i.document).map_err(|e| e.to_string())
}

/// The recovery procedure of CRASH-SAFETY.md: restore, unlock, compare with the journal, and
/// replay the one document the journal may be ahead by.
fn recover(disk: &mut Disk) -> Option<Device> {
    let journal = disk.docs();
    let mut device = match &disk.state {
        None => {
            // Never saved: activation did not complete, or its state was not saved.
            let first = journal.first()?;
            let (d, issued) = Device::activate(
                certificate(),
                &authority().public_key(),
                device_key(),
                PIN,
                None,
                first.body().time,
            )
            .unwrap();
            assert_eq!(
                &issued.document, first,
                "re-activation must give document 1 again"
            );
            d
        }
        Some(bytes) => {
            let mut d = Device::restore(bytes, device_key()).unwrap();
            if d.state().status() != Status::Decommissioned {
                d.unlock(PIN).unwrap();
            }
            d
        }
    };
    let saved = device.state().last_number();
    let written = journal.len() as u64;
    if written == saved + 1 {
        let doc = journal.last().unwrap();
        let again = replay(&mut device, doc, &journal[..journal.len() - 1]).unwrap();
        assert_eq!(
            &again, doc,
            "the replay must give the journal's document, byte for byte"
        );
    } else {
        assert_eq!(
            written, saved,
            "journal and state out of step beyond repair"
        );
    }
    disk.state = Some(device.export_state());
    Some(device)
}

/// Runs the scenario with at most one power cut; returns the disk at the end and the
/// documents the device handed out before a cut made them vanish.
fn run_with_cut(cut: Option<(usize, Cut)>) -> (Disk, Vec<Document>) {
    let acts = scenario();
    let mut disk = Disk::default();
    let mut device: Option<Device> = None;
    let mut vanished = Vec::new();
    for (i, &act) in acts.iter().enumerate() {
        let mut now = start().plus(i as i64 * 60_000);
        let mut first_try = true;
        loop {
            let journal = disk.docs();
            let doc = perform(&mut device, act, now, &journal);
            let here = |c| first_try && cut == Some((i, c));
            if here(Cut::BeforeJournal) {
                // The power goes: the document (or acknowledgement) exists only in memory.
                vanished.extend(doc);
                // Power cut: the device in memory is gone; the POS restarts from disk.
                device = recover(&mut disk);
                // The operation did not happen; the POS does it again a little later.
                first_try = false;
                now = now.plus(20_000);
                continue;
            }
            if let Some(d) = &doc {
                disk.journal.push(d.to_journal_line());
            }
            if here(Cut::AfterJournal) {
                // Power cut: the device in memory is gone; the POS restarts from disk.
                device = recover(&mut disk);
                if doc.is_none() {
                    // An acknowledgement lives only in the state: it is sent again.
                    first_try = false;
                    continue;
                }
                break;
            }
            disk.state = Some(device.as_ref().unwrap().export_state());
            if here(Cut::AfterBoth) {
                // Power cut: the device in memory is gone; the POS restarts from disk.
                device = recover(&mut disk);
            }
            break;
        }
    }
    (disk, vanished)
}

fn full_journal(disk: &Disk) -> String {
    let mut lines = vec![certificate().to_journal_line()];
    lines.extend(disk.journal.iter().cloned());
    lines.join("\n")
}

/// A document's content without its time-dependent parts (IDs named in references).
fn shape(d: &Document) -> (u64, &'static str, String, u32, u32) {
    let amount = match &d.body().content {
        Content::Request(r) => r.total().to_string(),
        Content::Cancel { voided, .. } => voided.sum.to_string(),
        Content::ZReport(z) => format!("{} {}", z.receipts, z.cash_in_drawer()),
        _ => String::new(),
    };
    (
        d.number(),
        d.body().content.name(),
        amount,
        d.body().shift,
        d.body().shift_receipt,
    )
}

#[test]
fn a_power_cut_at_any_point_loses_and_duplicates_nothing() {
    let (reference, _) = run_with_cut(None);
    let expected: Vec<_> = reference.docs().iter().map(shape).collect();
    assert_eq!(expected.len(), 14, "the scenario issues 14 documents");
    let acts = scenario().len();
    let mut cuts = 0;
    for i in 0..acts {
        for cut in [Cut::BeforeJournal, Cut::AfterJournal, Cut::AfterBoth] {
            let (disk, vanished) = run_with_cut(Some((i, cut)));
            cuts += 1;
            let what = format!("cut {cut:?} at step {i} ({:?})", scenario()[i]);
            let docs = disk.docs();
            // Gapless, no number twice, same documents as without the cut.
            let numbers: Vec<u64> = docs.iter().map(Document::number).collect();
            assert_eq!(numbers, (1..=14).collect::<Vec<u64>>(), "{what}");
            assert_eq!(
                docs.iter().map(shape).collect::<Vec<_>>(),
                expected,
                "{what}"
            );
            // The state knows every document of the journal, and only those.
            let device = Device::restore(disk.state.as_ref().unwrap(), device_key()).unwrap();
            assert_eq!(device.state().last_number(), 14, "{what}");
            assert_eq!(device.state().last_time(), docs[13].body().time, "{what}");
            // The journal verifies.
            let report = verify_journal(&full_journal(&disk), &authority().public_key(), &rates());
            assert!(report.is_valid(), "{what}: {:#?}", report.findings);
            // A document lost before its journal line was never in the journal: its number
            // went to the retried operation, under another ID. It must not have been printed.
            for v in &vanished {
                assert!(cut == Cut::BeforeJournal, "{what}");
                let kept = &docs[usize::try_from(v.number()).unwrap() - 1];
                assert_ne!(kept.id(), v.id(), "{what}");
                assert!(!disk.journal.contains(&v.to_journal_line()), "{what}");
            }
        }
    }
    assert_eq!(cuts, 45);
}

/// The journal is one document ahead of the state. The device, restored, does not know that
/// document: with `expected_previous` it refuses to issue (the POS must replay instead); without
/// it, it would issue a second, different document under the same number — a fork the verifier
/// reports.
#[test]
fn a_journal_ahead_of_the_state_must_be_replayed_not_skipped() {
    let acts = scenario();
    let mut disk = Disk::default();
    let mut device = None;
    // Activation, open shift, deposit, sale: all saved.
    for (i, &act) in acts.iter().enumerate().take(4) {
        let doc = perform(
            &mut device,
            act,
            start().plus(i as i64 * 60_000),
            &disk.docs(),
        );
        disk.journal.push(doc.unwrap().to_journal_line());
        disk.state = Some(device.as_ref().unwrap().export_state());
    }
    // The credit sale (document 5): journal line written, then the power cut.
    let now = start().plus(4 * 60_000);
    let doc5 = perform(&mut device, acts[4], now, &disk.docs()).unwrap();
    assert_eq!(doc5.number(), 5);
    disk.journal.push(doc5.to_journal_line());

    let mut restored = Device::restore(disk.state.as_ref().unwrap(), device_key()).unwrap();
    restored.unlock(PIN).unwrap();
    assert_eq!(restored.state().last_number(), 4);

    // 1. The POS says it saw document 5 last: refused, nothing changes.
    let rates = rates();
    let sale = Request::from_json(
        &(acts[3].sale_json()),
        &ValidationContext {
            rates: &rates,
            date: now.date_in_baku(),
        },
    )
    .unwrap();
    let before = restored.export_state();
    let e = restored
        .issue(
            &sale,
            now.plus(60_000),
            &IssueOptions {
                rates: &rates,
                references: &[],
                expected_previous: Some(5),
                foreign_references: false,
            },
        )
        .unwrap_err();
    assert_eq!(e.code(), C::SequenceMismatch);
    assert_eq!(restored.export_state(), before);

    // 2. Replayed with its own time and inputs: the very same document 5.
    let mut replayed = restored.clone();
    let again = replay(&mut replayed, &doc5, &disk.docs()[..4]).unwrap();
    assert_eq!(again, doc5);
    assert_eq!(replayed.state().last_number(), 5);

    // 3. Replayed at another moment: another document (another ID). Only the exact replay
    //    recovers; the POS must take `now` from the journal line, not from its clock.
    let mut late = restored.clone();
    let Content::Request(r) = &doc5.body().content else {
        unreachable!()
    };
    let other = late
        .issue(
            r,
            now.plus(1),
            &IssueOptions {
                rates: &rates,
                references: &[],
                expected_previous: Some(4),
                foreign_references: false,
            },
        )
        .unwrap()
        .document;
    assert_eq!(other.number(), 5);
    assert_ne!(other.id(), doc5.id());

    // 4. Ignored, and the next sale issued: a second document 5, which the verifier reports.
    let mut naive = restored.clone();
    let fork = naive
        .issue(
            &sale,
            now.plus(60_000),
            &IssueOptions {
                rates: &rates,
                references: &[],
                expected_previous: None,
                foreign_references: false,
            },
        )
        .unwrap()
        .document;
    assert_eq!(fork.number(), 5);
    let mut journal = disk.clone();
    journal.journal.push(fork.to_journal_line());
    let report = verify_journal(&full_journal(&journal), &authority().public_key(), &rates);
    // The fork chains correctly to document 4 and its time is later: the second number 5 is
    // the one thing that shows it.
    assert!(report.has(C::OutOfOrder), "{:#?}", report.findings);
}

/// Saving the state before the journal line is the wrong order: a cut between the two loses
/// the document for good (it cannot be issued again: the device has moved past its number),
/// and the journal shows a gap.
#[test]
fn saving_the_state_before_the_journal_loses_a_document() {
    let acts = scenario();
    let mut disk = Disk::default();
    let mut device = None;
    for (i, &act) in acts.iter().enumerate().take(4) {
        let doc = perform(
            &mut device,
            act,
            start().plus(i as i64 * 60_000),
            &disk.docs(),
        );
        disk.journal.push(doc.unwrap().to_journal_line());
        disk.state = Some(device.as_ref().unwrap().export_state());
    }
    // Wrong order: state saved, then the power cut before the journal line of document 5.
    let lost = perform(&mut device, acts[4], start().plus(4 * 60_000), &disk.docs()).unwrap();
    disk.state = Some(device.as_ref().unwrap().export_state());

    let mut d = Device::restore(disk.state.as_ref().unwrap(), device_key()).unwrap();
    d.unlock(PIN).unwrap();
    assert_eq!(d.state().last_number(), 5);
    assert_eq!(disk.docs().len(), 4);
    // Replaying it is impossible: the device is past it.
    assert!(replay(&mut d.clone(), &lost, &disk.docs()).is_err());
    // The POS, which saw document 4 last, is refused: it learns that the device is ahead.
    let rates = rates();
    let sale = Request::from_json(
        &acts[3].sale_json(),
        &ValidationContext {
            rates: &rates,
            date: start().date_in_baku(),
        },
    )
    .unwrap();
    let mut options = IssueOptions {
        rates: &rates,
        references: &[],
        expected_previous: Some(4),
        foreign_references: false,
    };
    let e = d
        .issue(&sale, start().plus(5 * 60_000), &options)
        .unwrap_err();
    assert_eq!(e.code(), C::SequenceMismatch);
    // Going on regardless leaves a hole at number 5 that nothing can fill.
    options.expected_previous = None;
    let next = d
        .issue(&sale, start().plus(5 * 60_000), &options)
        .unwrap()
        .document;
    assert_eq!(next.number(), 6);
    disk.journal.push(next.to_journal_line());
    let report = verify_journal(&full_journal(&disk), &authority().public_key(), &rates);
    assert!(report.has(C::NumberGap), "{:#?}", report.findings);
}

impl Act {
    fn sale_json(self) -> String {
        match self {
            Act::Issue(f) => f(&[]).0,
            _ => unreachable!(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Engine bugs and weaknesses found, now fixed (see spec/SECURITY.md §2.5)
// ---------------------------------------------------------------------------------------------

/// Re-signs `body` with `key`, as whoever holds that key can.
fn signed(body: &DocumentBody, key: &PrivateKey) -> Document {
    let bytes = body.signed_bytes();
    {
        let (s, r) = key.sign_with_nonce(&bytes);
        Document::from_parts(&bytes, s, r)
    }
    .unwrap()
}

/// A certificate of the attacker's own making for `key`, valid over `from..until`: the journal
/// verifier reports its signature (`certificate_signature`) but keeps reading the documents,
/// checking them with the key this certificate names.
fn self_made_certificate(key: &PrivateKey, from: i64, until: i64) -> Certificate {
    let mut body: CertificateBody = certificate().body().clone();
    body.device_key = key.public_key();
    body.valid_from = Timestamp(from);
    body.valid_until = Timestamp(until);
    Certificate::issue(body, &PrivateKey::from_seed(b"not the tax authority")).unwrap()
}

/// Was a bug (fixed in e848dc1): the verifier computed `n - 1` for a document numbered 0.
#[test]
fn verifier_survives_a_signed_document_numbered_zero() {
    let run = Run::new();
    let mut body = run.docs[0].body().clone();
    body.number = 0;
    let doc = signed(&body, &device_key());
    let rates = rates();
    let mut v = JournalVerification::new(&authority().public_key(), &rates)
        .certificate(&certificate())
        .start();
    v.add_document(&doc);
    let report = v.finish();
    assert!(
        report.has(C::OutOfOrder) || report.has(C::NumberGap),
        "{:#?}",
        report.findings
    );
}

/// Was a bug (fixed in e848dc1): `validity_at` computed `valid_until - 7 days` unchecked.
#[test]
fn validity_of_a_certificate_ending_near_the_earliest_moment() {
    let key = PrivateKey::from_seed(b"anyone");
    let c = self_made_certificate(&key, i64::MIN, i64::MIN + 1);
    // Valid at its only moment, and it expires within 7 days.
    assert!(c.validity_at(Timestamp(i64::MIN)).is_ok());
    // What the journal verifier does with such a certificate line and a document at that moment.
    let mut body = Run::new().docs[0].body().clone();
    body.time = Timestamp(i64::MIN);
    body.content = Content::OpenShift;
    let journal = [c.to_journal_line(), signed(&body, &key).to_journal_line()].join("\n");
    let report = verify_journal(&journal, &authority().public_key(), &rates());
    assert!(report.has(C::CertificateSignature));
}

/// Was a bug (fixed in e848dc1): `valid_until - valid_from` unchecked; in release builds the
/// wrapped difference passed the 3-year rule.
#[test]
fn a_certificate_valid_for_all_time_is_refused() {
    let mut body: CertificateBody = certificate().body().clone();
    body.valid_from = Timestamp(-(1 << 62));
    body.valid_until = Timestamp(1 << 62);
    let e = Certificate::issue(body, &authority()).unwrap_err();
    assert_eq!(e.code(), C::InvalidCertificate);
}

/// Was a bug (fixed in e848dc1): the verifier computed `time - opened_at` unchecked.
#[test]
fn verifier_survives_a_receipt_an_eternity_after_its_shift_opened() {
    // Anyone can do this: a self-made certificate and key; the verifier reports the
    // certificate, then checks the documents with its key and subtracts their times.
    let key = PrivateKey::from_seed(b"anyone");
    let c = self_made_certificate(&key, 0, 1_000);
    let genuine = &genuine().1;
    let sale = genuine
        .iter()
        .find(|d| d.body().content.name() == "deposit")
        .unwrap();
    let mut open = genuine[1].body().clone();
    open.number = 1;
    open.previous = c.hash();
    open.time = Timestamp(i64::MIN);
    let open = signed(&open, &key);
    let mut receipt = sale.body().clone();
    receipt.number = 2;
    receipt.previous = open.id().0;
    receipt.shift = open.body().shift;
    receipt.time = Timestamp(i64::MAX);
    let receipt = signed(&receipt, &key);
    let journal = [
        c.to_journal_line(),
        open.to_journal_line(),
        receipt.to_journal_line(),
    ]
    .join("\n");
    let report = verify_journal(&journal, &authority().public_key(), &rates());
    assert!(report.has(C::CertificateSignature));
    assert!(report.has(C::ShiftTooLong), "{:#?}", report.findings);
}

/// Issues `json` at `now` with `refs`.
fn try_issue(d: &mut Device, json: &str, now: Timestamp, refs: &[Document]) -> Result<Document, C> {
    let rates = rates();
    let ctx = ValidationContext {
        rates: &rates,
        date: now.date_in_baku(),
    };
    let request = Request::from_json(json, &ctx).unwrap();
    let options = IssueOptions {
        rates: &rates,
        references: refs,
        expected_previous: None,
        foreign_references: false,
    };
    d.issue(&request, now, &options)
        .map(|i| i.document)
        .map_err(|e| e.code())
}

fn journal_of(docs: &[Document]) -> String {
    let mut lines = vec![certificate().to_journal_line()];
    lines.extend(docs.iter().map(Document::to_journal_line));
    lines.join("\n")
}

/// A device with an open shift and 100 AZN in the drawer; its documents so far.
fn till() -> (Device, Vec<Document>) {
    let mut run = Run::new();
    run.step(&Step {
        dt: 60_000,
        op: Op::OpenShift,
    });
    run.step(&Step {
        dt: 1_000,
        op: Op::Deposit { amount: 10_000 },
    });
    (run.device().clone(), run.docs.clone())
}

/// Was a weakness (fixed in e848dc1): the device checked a sale's advance offset against the
/// advances' totals, not what supplied earlier sales had used; the verifier reported it.
#[test]
fn device_counts_an_advance_again_after_a_sale_used_it() {
    let (mut d, mut docs) = till();
    let t = |s: i64| start().plus(3_600_000 + s * 1_000);
    let adv = try_issue(&mut d, r#"{"doc_type":"prepay","data":{"cashier":"Aysel","items":[{"itemName":"Avans","itemQuantity":1,"itemPrice":20,"itemVatPercent":18}],"cashSum":20}}"#, t(1), &[]).unwrap();
    let against = |id: &str| {
        format!(
            r#"{{"doc_type":"sale","data":{{"cashier":"Aysel","items":[{{"itemName":"Tort","itemQuantity":1,"itemPrice":50,"itemVatPercent":18}}],"cashSum":30,"prepaymentSum":20,"parents":["{id}"]}}}}"#
        )
    };
    let first = try_issue(
        &mut d,
        &against(&adv.id().long()),
        t(2),
        std::slice::from_ref(&adv),
    )
    .unwrap();
    docs.extend([adv.clone(), first.clone()]);
    // The 20 AZN of the advance are spent; a second sale takes them again, with every
    // document supplied.
    let second = try_issue(
        &mut d,
        &against(&adv.id().long()),
        t(3),
        &[adv.clone(), first.clone()],
    );
    if let Ok(doc) = &second {
        docs.push(doc.clone());
        let report = verify_journal(&journal_of(&docs), &authority().public_key(), &rates());
        assert!(report.has(C::AdvancesExceeded), "{:#?}", report.findings);
    }
    assert_eq!(second.unwrap_err(), C::AdvancesExceeded);
}

/// Was a weakness (fixed in e848dc1): a cancelled receipt could still be returned, so the
/// money went back twice, and neither the device nor the verifier objected.
#[test]
fn a_receipt_is_refunded_once() {
    let (mut d, mut docs) = till();
    let t = |s: i64| start().plus(3_600_000 + s * 1_000);
    let sale = try_issue(&mut d, r#"{"doc_type":"sale","data":{"cashier":"Aysel","items":[{"itemName":"Çörək","itemQuantity":10,"itemPrice":1,"itemVatPercent":18}],"cashSum":10}}"#, t(1), &[]).unwrap();
    let cancel = try_issue(
        &mut d,
        &format!(
            r#"{{"doc_type":"rollback","data":{{"cashier":"Aysel","parentDocument":"{}"}}}}"#,
            sale.id().long()
        ),
        t(2),
        std::slice::from_ref(&sale),
    )
    .unwrap();
    docs.extend([sale.clone(), cancel]);
    let ret = format!(
        r#"{{"doc_type":"money_back","data":{{"cashier":"Aysel","parentDocument":"{}","items":[{{"itemName":"Çörək","itemQuantity":10,"itemPrice":1,"itemVatPercent":18}}],"cashSum":10}}}}"#,
        sale.id().long()
    );
    let refund = try_issue(&mut d, &ret, t(3), std::slice::from_ref(&sale));
    if let Ok(doc) = &refund {
        docs.push(doc.clone());
        let report = verify_journal(&journal_of(&docs), &authority().public_key(), &rates());
        assert!(
            !report.is_valid(),
            "10 AZN sold, 20 AZN given back, and the journal is valid"
        );
    }
    assert!(refund.is_err(), "a cancelled sale was returned");
}

/// SECURITY.md §3.1: the state the POS keeps is the device's memory, and nothing binds it to
/// its history. Restoring an older state forgets wrong PINs and lets a second document take a
/// number already used; the verifier sees the fork only when both documents reach it.
#[test]
fn an_older_state_forgets_wrong_pins_and_forks_the_numbering() {
    let (mut d, mut docs) = till();
    let saved = d.export_state();
    for _ in 0..4 {
        assert_eq!(d.unlock("0000").unwrap_err().code(), C::WrongPin);
    }
    assert_eq!(d.state().pin_failures(), 4);
    let mut old = Device::restore(&saved, device_key()).unwrap();
    assert_eq!(old.state().pin_failures(), 0, "four wrong PINs forgotten");
    old.unlock(PIN).unwrap();
    d.unlock(PIN).unwrap();

    let t = start().plus(3_600_000);
    let sale = |p: &str| {
        format!(
            r#"{{"doc_type":"sale","data":{{"cashier":"Aysel","items":[{{"itemName":"Çörək","itemQuantity":1,"itemPrice":{p},"itemVatPercent":18}}],"cashSum":{p}}}}}"#
        )
    };
    let real = try_issue(&mut d, &sale("100"), t, &[]).unwrap();
    let fork = try_issue(&mut old, &sale("1"), t, &[]).unwrap();
    assert_eq!(real.number(), fork.number());
    // Each branch alone verifies: the device key signed both.
    let mut a = docs.clone();
    a.push(real.clone());
    let mut b = docs.clone();
    b.push(fork.clone());
    for branch in [&a, &b] {
        let report = verify_journal(&journal_of(branch), &authority().public_key(), &rates());
        assert!(report.is_valid(), "{:#?}", report.findings);
    }
    // Together they do not.
    docs.extend([real, fork]);
    let report = verify_journal(&journal_of(&docs), &authority().public_key(), &rates());
    assert!(report.has(C::OutOfOrder), "{:#?}", report.findings);
}

/// SECURITY.md §3.1: the saved state must not give the PIN away. The PIN verifier it holds is
/// keyed with the device's private key (SPEC.md §14.2), so trying all 10 000 four-digit PINs
/// against the state file, with everything public (certificate, device public key), finds
/// nothing. (An unkeyed SHA-256(tag ‖ public key ‖ PIN) would be found at once.)
#[test]
fn the_pin_cannot_be_found_from_the_saved_state() {
    let (d, _) = till();
    let state = d.export_state();
    let key = certificate().body().device_key.to_sec1();
    let found = (0..10_000).map(|n| format!("{n:04}")).find(|pin| {
        let h = sha2_like(&[b"fiscal-core/pin/v1\0", &key, pin.as_bytes()]);
        state.windows(32).any(|w| w == h.as_slice())
    });
    assert_eq!(found, None);
    assert!(!state.windows(PIN.len()).any(|w| w == PIN.as_bytes()));
}

fn sha2_like(parts: &[&[u8]]) -> Vec<u8> {
    fiscal_core::internal::sha256(parts).to_vec()
}
