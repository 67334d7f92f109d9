//! A driver that runs a device through a sequence of operations and checks, after every step,
//! the invariants of SPEC.md §14: no panic; numbers without gaps; a refused operation leaves
//! `export_state()` byte-identical (the wrong-PIN count excepted, §14.1); every document is
//! signed by the device key, timed `now` and chained to the one before; and, at the end, the
//! journal of the run verifies with no finding (§15).
//!
//! Shared, unchanged, by `tests/robustness.rs` (proptest picks the steps) and the fuzz target
//! `device_ops` (libFuzzer picks them), which includes this file with `#[path]`. It depends on
//! `fiscal_core` only.
#![allow(
    dead_code,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use std::fmt::Write as _;
use std::sync::OnceLock;

use fiscal_core::{
    verify_journal, Certificate, CertificateBody, CivilDate, Content, Device, Document, ErrorCode,
    IssueOptions, PrivateKey, PublicKey, RateTable, Request, Status, Timestamp, ValidationContext,
};

/// The PIN of the test device.
pub const PIN: &str = "2580";

/// The test tax authority (tests and fuzzing only).
pub fn authority() -> PrivateKey {
    static K: OnceLock<PrivateKey> = OnceLock::new();
    K.get_or_init(|| PrivateKey::from_seed(b"fiscal-core robustness authority"))
        .clone()
}

/// The test device key (tests and fuzzing only).
pub fn device_key() -> PrivateKey {
    static K: OnceLock<PrivateKey> = OnceLock::new();
    K.get_or_init(|| PrivateKey::from_seed(b"fiscal-core robustness device"))
        .clone()
}

fn device_public_key() -> PublicKey {
    static K: OnceLock<PublicKey> = OnceLock::new();
    *K.get_or_init(|| device_key().public_key())
}

/// 2026-11-23 08:00 in Baku: activation.
pub fn start() -> Timestamp {
    Timestamp::from_baku(CivilDate::new(2026, 11, 23).unwrap(), 8, 0, 0).unwrap()
}

/// A certificate valid from 2026-01-01 to 2026-12-20 (Baku): a few weeks of random time reach
/// the 7-day expiry warning and the expiry itself.
pub fn certificate() -> Certificate {
    static C: OnceLock<Certificate> = OnceLock::new();
    C.get_or_init(make_certificate).clone()
}

fn make_certificate() -> Certificate {
    let from = Timestamp::from_baku(CivilDate::new(2026, 1, 1).unwrap(), 0, 0, 0).unwrap();
    let until = Timestamp::from_baku(CivilDate::new(2026, 12, 20).unwrap(), 0, 0, 0).unwrap();
    let body = CertificateBody {
        serial: 4242,
        kassa_model: "Kassa-R 1".into(),
        kassa_factory_number: "KR1-000001".into(),
        nmq_factory_number: "NMQ-R-000001".into(),
        nmq_registration_number: "AZ-NMQ-R-000001".into(),
        taxpayer_name: "Dözümlülük MMC".into(),
        voen: "1402345671".into(),
        object_code: "OBJ-R1".into(),
        object_name: "Sınaq mağazası".into(),
        object_address: "Bakı ş., Füzuli küç. 5".into(),
        valid_from: from,
        valid_until: until,
        device_key: device_key().public_key(),
    };
    Certificate::issue(body, &authority()).unwrap()
}

/// One operation on the device (or on the POS around it).
#[derive(Debug, Clone)]
pub enum Op {
    /// Open a shift.
    OpenShift,
    /// A sale from one of six templates (`template % 6`), `qty` pieces at `price` qəpik;
    /// `split` (0–255) shares the total between two payment forms.
    Sale {
        template: u8,
        qty: u16,
        price: u32,
        split: u8,
    },
    /// An advance (prepay) of `price` qəpik.
    Advance { price: u32 },
    /// A sale of `price` qəpik that uses `offset` qəpik of an earlier advance (`which`).
    SaleAgainstAdvance { which: u8, price: u32, offset: u32 },
    /// A return of `amount` qəpik against an earlier receipt (`which`); `wrong_kind` sends a
    /// `moneyBackType` that does not fit the receipt.
    Return {
        which: u8,
        amount: u32,
        cash: bool,
        wrong_kind: bool,
    },
    /// A cancel of an earlier receipt (`which`).
    Cancel { which: u8 },
    /// An instalment of `amount` qəpik on an earlier credit sale (`which`); `skip` sends the
    /// wrong instalment number.
    CreditPayment { which: u8, amount: u32, skip: bool },
    /// Cash in.
    Deposit { amount: u32 },
    /// Cash out.
    Withdraw { amount: u32 },
    /// A correction of `amount` qəpik, cash.
    Correction { amount: u32 },
    /// Close the shift (Z-report).
    CloseShift,
    /// Enter the right or a wrong PIN.
    Unlock { right: bool },
    /// Acknowledge uploads through document `through % (last + 2)` (0: through the last);
    /// `wrong` supplies the wrong next document.
    Acknowledge { through: u16, wrong: bool },
    /// Save the state and restore the device from it (a restart); `unlock`: the cashier then
    /// enters the PIN.
    Restore { unlock: bool },
    /// Take the device out of service.
    Decommission,
}

/// One step: the clock moves by `dt` milliseconds (possibly backwards), then `op` runs.
#[derive(Debug, Clone)]
pub struct Step {
    /// Milliseconds the clock moves before the operation.
    pub dt: i64,
    /// The operation.
    pub op: Op,
}

#[derive(Debug, Clone)]
struct Receipt {
    doc: usize,
    kind: &'static str,
    total: i64,
    credit: i64,
    children: Vec<usize>,
    instalments: u32,
    paid: i64,
    consumed: i64,
}

/// What happened, for statistics.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tally {
    /// Documents issued.
    pub issued: usize,
    /// Operations refused by the device.
    pub refused: usize,
    /// Requests that did not validate (never reached the device).
    pub invalid: usize,
    /// Operations that succeeded without a document (PIN, acknowledgement, restore).
    pub quiet: usize,
}

/// A device under test and everything it has issued.
pub struct Run {
    device: Device,
    authority: PrivateKey,
    certificate: Certificate,
    rates: RateTable,
    now: Timestamp,
    /// Every document issued, in order (document n at index n − 1).
    pub docs: Vec<Document>,
    receipts: Vec<Receipt>,
    /// Counts of what happened.
    pub tally: Tally,
}

/// Amount text with 2 decimals from qəpik.
pub fn money(q: i64) -> String {
    format!("{}.{:02}", q / 100, q % 100)
}

fn item(name: &str, qty: &str, price: i64, vat: &str) -> String {
    format!(
        r#"{{"itemName":"{name}","itemQuantity":{qty},"itemPrice":{},{vat}}}"#,
        money(price)
    )
}

impl Default for Run {
    fn default() -> Self {
        Run::new()
    }
}

impl Run {
    /// Activates the test device at [`start`] (document 1).
    pub fn new() -> Run {
        let authority = authority();
        let certificate = certificate();
        let (device, act) = Device::activate(
            certificate.clone(),
            &authority.public_key(),
            device_key(),
            PIN,
            None,
            start(),
        )
        .unwrap();
        let doc = act.document;
        assert_eq!(doc.number(), 1);
        assert!(doc.verify(&device_public_key()));
        assert_eq!(doc.body().previous, certificate.hash());
        Run {
            device,
            authority,
            certificate,
            rates: RateTable::azerbaijan(),
            now: start(),
            docs: vec![doc],
            receipts: Vec::new(),
            tally: Tally::default(),
        }
    }

    /// The device.
    pub fn device(&self) -> &Device {
        &self.device
    }

    /// The certificate.
    pub fn certificate(&self) -> &Certificate {
        &self.certificate
    }

    /// The journal of the run: the certificate line and every document line.
    pub fn journal(&self) -> String {
        let mut out = self.certificate.to_journal_line();
        for d in &self.docs {
            out.push('\n');
            out.push_str(&d.to_journal_line());
        }
        out
    }

    fn pick(&self, which: u8, kinds: &[&str], credit: bool) -> Option<usize> {
        let candidates: Vec<usize> = (0..self.receipts.len())
            .filter(|&i| kinds.contains(&self.receipts[i].kind))
            .filter(|&i| !credit || self.receipts[i].credit > 0)
            .collect();
        if candidates.is_empty() {
            None
        } else {
            Some(candidates[usize::from(which) % candidates.len()])
        }
    }

    /// The reference text of document `doc`: long or short ID, alternately.
    fn reference(&self, doc: usize) -> String {
        let id = self.docs[doc].id();
        if doc % 2 == 0 {
            id.long()
        } else {
            id.short().to_uppercase()
        }
    }

    /// The parent and every earlier document that refers to it (returns, cancels, instalments,
    /// sales against an advance).
    fn family(&self, r: usize) -> Vec<Document> {
        let rec = &self.receipts[r];
        let mut v = vec![self.docs[rec.doc].clone()];
        v.extend(rec.children.iter().map(|&c| self.docs[c].clone()));
        v
    }

    /// Builds the request JSON, the references to supply, and what to record on success.
    fn request(&self, op: &Op) -> Option<(String, Vec<Document>, Effect)> {
        let c = r#""cashier":"Kassir""#;
        let vat = r#""itemVatPercent":18"#;
        Some(match *op {
            Op::Sale {
                template,
                qty,
                price,
                split,
            } => {
                let q = i64::from(qty % 100) + 1;
                let p = i64::from(price % 50_000_000);
                let total = q * p;
                let share = total * i64::from(split) / 255;
                let (items, pay, credit) = match template % 6 {
                    0 => (
                        item("Çörək", &q.to_string(), p, vat),
                        format!(r#""cashSum":{}"#, money(total)),
                        0,
                    ),
                    1 => (
                        item("Süd", &q.to_string(), p, vat),
                        format!(r#""cashlessSum":{}"#, money(total)),
                        0,
                    ),
                    2 => (
                        item("Pendir", &q.to_string(), p, vat),
                        format!(
                            r#""cashSum":{},"cashlessSum":{},"incomingSum":{}"#,
                            money(total - share),
                            money(share),
                            money(total - share + i64::from(split) * 7)
                        ),
                        0,
                    ),
                    3 => (
                        item("Televizor", &q.to_string(), p, vat),
                        format!(
                            r#""cashSum":{},"creditSum":{}"#,
                            money(total - share),
                            money(share)
                        ),
                        share,
                    ),
                    4 => {
                        // Three treatments on one receipt: VAT 0, exempt, simplified 2%.
                        let lines = [
                            item("Eksport", &q.to_string(), p, r#""itemVatPercent":0"#),
                            item("Dərman", "1", p, r#""taxTreatment":"vat_exempt""#),
                            item(
                                "Xidmət",
                                "1",
                                p,
                                r#""taxTreatment":"simplified","itemVatPercent":2"#,
                            ),
                        ];
                        (
                            lines.join(","),
                            format!(r#""cashlessSum":{}"#, money(q * p + 2 * p)),
                            0,
                        )
                    }
                    _ => {
                        // 0.750 kg: the line total is rounded half up to the qəpik.
                        let t = (750 * p + 500) / 1000;
                        (
                            item("Alma", "0.750", p, vat),
                            format!(r#""cashSum":{}"#, money(t)),
                            0,
                        )
                    }
                };
                let json =
                    format!(r#"{{"doc_type":"sale","data":{{{c},"items":[{items}],{pay}}}}}"#);
                (json, Vec::new(), Effect::Receipt("sale", credit))
            }
            Op::Advance { price } => {
                let p = i64::from(price % 10_000_000) + 1;
                let json = format!(
                    r#"{{"doc_type":"prepay","data":{{{c},"items":[{}],"cashSum":{}}}}}"#,
                    item("Avans", "1", p, vat),
                    money(p)
                );
                (json, Vec::new(), Effect::Receipt("prepay", 0))
            }
            Op::SaleAgainstAdvance {
                which,
                price,
                offset,
            } => {
                let r = self.pick(which, &["prepay"], false)?;
                let adv = &self.receipts[r];
                let offset = i64::from(offset % 10_000_000) + 1;
                let total = offset + i64::from(price % 10_000_000);
                let json = format!(
                    r#"{{"doc_type":"sale","data":{{{c},"items":[{}],"cashSum":{},"prepaymentSum":{},"parents":["{}"]}}}}"#,
                    item("Tort", "1", total, vat),
                    money(total - offset),
                    money(offset),
                    self.reference(adv.doc)
                );
                // The advance and every earlier sale that used it: the device counts what they
                // took (SPEC.md §14.3 step 7).
                (json, self.family(r), Effect::UsesAdvance(r, offset))
            }
            Op::Return {
                which,
                amount,
                cash,
                wrong_kind,
            } => {
                let r = self.pick(which, &["sale", "prepay", "creditpay"], false)?;
                let rec = &self.receipts[r];
                let fits = match rec.kind {
                    "sale" => 0,
                    "prepay" => 1,
                    _ => 2,
                };
                let ty = if wrong_kind { (fits + 1) % 3 } else { fits };
                let a = i64::from(amount) % (rec.total + rec.total / 4 + 2) + 1;
                let form = if cash { "cashSum" } else { "cashlessSum" };
                let json = format!(
                    r#"{{"doc_type":"money_back","data":{{{c},"parentDocument":"{}","moneyBackType":{ty},"items":[{}],"{form}":{}}}}}"#,
                    self.reference(rec.doc),
                    item("Qaytarma", "1", a, vat),
                    money(a)
                );
                (json, self.family(r), Effect::Child(r))
            }
            Op::Cancel { which } => {
                let r = self.pick(which, &["sale", "prepay", "creditpay"], false)?;
                let json = format!(
                    r#"{{"doc_type":"rollback","data":{{{c},"parentDocument":"{}"}}}}"#,
                    self.reference(self.receipts[r].doc)
                );
                // With the returns against it: a receipt is refunded once.
                (json, self.family(r), Effect::Child(r))
            }
            Op::CreditPayment {
                which,
                amount,
                skip,
            } => {
                let r = self.pick(which, &["sale"], true)?;
                let rec = &self.receipts[r];
                let debt = rec.credit - rec.paid;
                let a = i64::from(amount) % (rec.credit + 2) + 1;
                let residue = (debt - a).max(0);
                let n = rec.instalments + if skip { 2 } else { 1 };
                let json = format!(
                    r#"{{"doc_type":"creditpay","data":{{{c},"parentDocument":"{}","paymentNumber":{n},"residue":{},"items":[{}],"cashSum":{}}}}}"#,
                    self.reference(rec.doc),
                    money(residue),
                    item("Nisyə ödənişi", "1", a, vat),
                    money(a)
                );
                (json, self.family(r), Effect::Instalment(r))
            }
            Op::Deposit { amount } | Op::Withdraw { amount } => {
                let kind = if matches!(op, Op::Deposit { .. }) {
                    "deposit"
                } else {
                    "withdraw"
                };
                let json = format!(
                    r#"{{"doc_type":"{kind}","data":{{{c},"sum":{}}}}}"#,
                    money(i64::from(amount % 100_000_000))
                );
                (json, Vec::new(), Effect::None)
            }
            Op::Correction { amount } => {
                let a = money(i64::from(amount % 100_000_000));
                let json = format!(
                    r#"{{"doc_type":"correction","data":{{{c},"sum":{a},"cashSum":{a},"vatAmounts":[{{"vatSum":{a},"vatPercent":18}}]}}}}"#
                );
                (json, Vec::new(), Effect::None)
            }
            _ => return None,
        })
    }

    fn record(&mut self, effect: Effect, doc: usize, request: &Request) {
        let total = units(request.total());
        match effect {
            Effect::None => {}
            Effect::Receipt(kind, credit) => self.receipts.push(Receipt {
                doc,
                kind,
                total,
                credit,
                children: Vec::new(),
                instalments: 0,
                paid: 0,
                consumed: 0,
            }),
            Effect::UsesAdvance(r, offset) => {
                self.receipts[r].consumed += offset;
                self.receipts[r].children.push(doc);
                self.record(Effect::Receipt("sale", 0), doc, request);
            }
            Effect::Child(r) => self.receipts[r].children.push(doc),
            Effect::Instalment(r) => {
                let rec = &mut self.receipts[r];
                rec.children.push(doc);
                rec.instalments += 1;
                rec.paid += total;
                self.record(Effect::Receipt("creditpay", 0), doc, request);
            }
        }
    }

    /// Runs one step and checks the invariants; panics (with the step) when one breaks.
    pub fn step(&mut self, step: &Step) {
        self.now = self.now.plus(step.dt);
        let now = self.now;
        let before = self.device.export_state();
        let last = self.device.state().last_number();
        let last_time = self.device.state().last_time();
        let pin_failures = self.device.state().pin_failures();
        let key = device_public_key();

        let mut effect = Effect::None;
        let mut request = None;
        let result: Result<Option<Document>, fiscal_core::Error> = match &step.op {
            Op::OpenShift => self.device.open_shift(now).map(|i| Some(i.document)),
            Op::CloseShift => self.device.close_shift(now).map(|i| Some(i.document)),
            Op::Decommission => self.device.decommission(now).map(|i| Some(i.document)),
            Op::Unlock { right } => {
                let pin = if *right { PIN } else { "0000" };
                self.device.unlock(pin).map(|()| None)
            }
            Op::Acknowledge { through, wrong } => {
                // 0 acknowledges everything (what decommissioning needs).
                let through = match *through {
                    0 => last,
                    t => u64::from(t) % (last + 2),
                };
                let next = if *wrong {
                    self.docs.first()
                } else {
                    usize::try_from(through).ok().and_then(|i| self.docs.get(i))
                };
                self.device.acknowledge_upload(through, next).map(|()| None)
            }
            Op::Restore { unlock } => {
                let restored = Device::restore(&before, device_key()).unwrap();
                assert_eq!(
                    restored.state(),
                    self.device.state(),
                    "restore changed the state"
                );
                assert_eq!(restored.export_state(), before, "restore changed the bytes");
                assert!(
                    !restored.is_unlocked(),
                    "a restored device must ask for the PIN"
                );
                assert_eq!(
                    Device::restore(&before, authority()).unwrap_err().code(),
                    ErrorCode::KeyMismatch
                );
                self.device = restored;
                if *unlock {
                    // Refused only when the device is locked or out of service.
                    let _ = self.device.unlock(PIN);
                }
                Ok(None)
            }
            op => match self.request(op) {
                None => {
                    self.tally.invalid += 1;
                    return;
                }
                Some((json, refs, e)) => {
                    let ctx = ValidationContext {
                        rates: &self.rates,
                        date: now.date_in_baku(),
                    };
                    match Request::from_json(&json, &ctx) {
                        Err(_) => {
                            self.tally.invalid += 1;
                            return;
                        }
                        Ok(r) => {
                            effect = e;
                            let options = IssueOptions {
                                rates: &self.rates,
                                references: &refs,
                                expected_previous: (step.dt % 3 == 0).then_some(last),
                                foreign_references: false,
                            };
                            let out = self.device.issue(&r, now, &options);
                            request = Some(r);
                            out.map(|i| Some(i.document))
                        }
                    }
                }
            },
        };

        let state = self.device.state();
        match result {
            Err(e) => {
                self.tally.refused += 1;
                if std::env::var_os("ROBUSTNESS_STATS").is_some() {
                    eprintln!("refused {}", e.code().as_str());
                }
                let wrong_pin = matches!(step.op, Op::Unlock { right: false });
                if wrong_pin {
                    // The one deliberate exception (§14.1): only the count and the lock move.
                    assert_eq!(state.last_number(), last);
                    assert_eq!(state.last_time(), last_time);
                    assert!(
                        state.pin_failures() == pin_failures.saturating_add(1)
                            || state.status() != Status::Active,
                        "a wrong PIN must count: {e}"
                    );
                } else {
                    assert!(
                        self.device.export_state() == before,
                        "refused {:?} ({e}) changed the state",
                        step.op
                    );
                }
            }
            Ok(None) => {
                self.tally.quiet += 1;
                assert_eq!(state.last_number(), last, "{:?} issued nothing", step.op);
            }
            Ok(Some(doc)) => {
                self.tally.issued += 1;
                assert_eq!(doc.number(), last + 1, "numbers without gaps (NM-03)");
                assert_eq!(state.last_number(), doc.number());
                assert_eq!(doc.body().time, now);
                assert!(doc.body().time > last_time, "time must increase (NM-04)");
                assert!(doc.verify(&key), "document {} not signed", doc.number());
                let previous = self.docs.last().map(|d| d.id().0).unwrap();
                assert_eq!(doc.body().previous, previous, "chain (NM-11)");
                assert_eq!(
                    Document::from_journal_line(&doc.to_journal_line()).unwrap(),
                    doc
                );
                self.docs.push(doc);
                if let Some(r) = request {
                    self.record(effect, self.docs.len() - 1, &r);
                }
            }
        }
    }

    /// The journal of the run verifies with no finding; returns a description when it does
    /// not.
    pub fn check_journal(&self) -> Result<(), String> {
        let report = verify_journal(&self.journal(), &self.authority.public_key(), &self.rates);
        if report.is_valid() && report.documents == self.docs.len() as u64 {
            return Ok(());
        }
        let mut s = String::new();
        for f in &report.findings {
            let _ = writeln!(s, "{f}");
            if let Some(n) = f.number {
                if let Some(d) = usize::try_from(n)
                    .ok()
                    .and_then(|n| self.docs.get(n.wrapping_sub(1)))
                {
                    let _ = writeln!(s, "    {}", describe(d));
                }
            }
        }
        Err(s)
    }
}

/// A short description of a document, for failure messages.
pub fn describe(d: &Document) -> String {
    match &d.body().content {
        Content::Request(r) => format!("{} {}", d.number(), r.to_json()),
        c => format!("{} {}", d.number(), c.name()),
    }
}

#[derive(Debug, Clone, Copy)]
enum Effect {
    None,
    Receipt(&'static str, i64),
    UsesAdvance(usize, i64),
    Child(usize),
    Instalment(usize),
}

fn units(a: fiscal_core::Amount) -> i64 {
    a.to_string().replace('.', "").parse().unwrap_or(0)
}

/// A genuine journal: two shifts with every kind of document. Lines (certificate first) and
/// the documents.
pub fn genuine() -> &'static (Vec<String>, Vec<Document>) {
    static G: OnceLock<(Vec<String>, Vec<Document>)> = OnceLock::new();
    G.get_or_init(|| {
        let s = |dt: i64, op: Op| Step { dt, op };
        let mut run = Run::new();
        for shift in 0..2u8 {
            for step in [
                s(60_000, Op::OpenShift),
                s(1_000, Op::Deposit { amount: 20_000 }),
                s(
                    1_000,
                    Op::Sale {
                        template: shift,
                        qty: 2,
                        price: 235,
                        split: 90,
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
                        qty: 1,
                        price: 300,
                        split: 0,
                    },
                ),
                s(1_000, Op::Advance { price: 2_000 }),
                s(
                    1_000,
                    Op::SaleAgainstAdvance {
                        which: shift,
                        price: 1_000,
                        offset: 1_999,
                    },
                ),
                s(
                    1_000,
                    Op::Return {
                        which: 0,
                        amount: 99,
                        cash: false,
                        wrong_kind: false,
                    },
                ),
                s(
                    1_000,
                    Op::CreditPayment {
                        which: shift,
                        amount: 5_000,
                        skip: false,
                    },
                ),
                s(
                    1_000,
                    Op::Sale {
                        template: 5,
                        qty: 0,
                        price: 1_000,
                        split: 0,
                    },
                ),
                s(1_000, Op::Cancel { which: 255 }),
                s(1_000, Op::Withdraw { amount: 500 }),
                s(1_000, Op::CloseShift),
            ] {
                run.step(&step);
            }
        }
        if let Err(f) = run.check_journal() {
            panic!("the genuine journal does not verify:\n{f}");
        }
        let lines = run.journal().lines().map(String::from).collect();
        (lines, run.docs.clone())
    })
}
