//! The ledger, differentially (SPEC.md §14.3 step 7, §14.6, §15.2): the device (before it signs)
//! and the journal verifier (as it reads) must come to the same verdict on every claim a
//! document makes on earlier receipts — returns, cancels, instalments, sales against advances.
//!
//! Random operation sequences run through the device, with references to random earlier
//! receipts (of any kind, so wrong kinds happen) and amounts that sometimes exceed what is left
//! (worked out from this file's own bookkeeping of what it asked for, never from the engine).
//! Properties:
//!
//! 1. whatever the device accepts verifies clean: the journal (certificate line and every
//!    document) has no finding;
//! 2. whenever the device refuses a request with a ledger code ([`LEDGER_CODES`]):
//!    (a) its exported state is byte-identical to before; (b) a key holder who forges that same
//!    request into the journal anyway — the next document, signed with the device key, next
//!    number, chained, timed after the last, in the open shift with the next receipt counter,
//!    its content what the device would have made (a cancel carries what it voids) — gets
//!    exactly one finding from the verifier: the device's code, at that document. The forged
//!    document is always the journal's last (the device cannot continue after a forgery).
//!
//! The same driver runs under libFuzzer: `fuzz/fuzz_targets/ledger.rs` includes this file with
//! `#[path]` (the proptest part is `cfg(test)`) and decodes its operations from bytes.
#![allow(
    dead_code,
    missing_docs,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use std::fmt::Write as _;
use std::sync::OnceLock;

use fiscal_core::{
    verify_journal, Certificate, CertificateBody, CivilDate, Content, Device, DocType, Document,
    DocumentBody, ErrorCode, IssueOptions, JournalReport, JournalVerification, PrivateKey,
    RateTable, Request, Timestamp, ValidationContext, Voided,
};

/// The codes of the ledger and the cash drawer (§14.3 steps 7–8, §14.6): a refusal with one
/// of them is what the verifier must find at a forged document.
pub const LEDGER_CODES: [ErrorCode; 10] = [
    ErrorCode::ReferenceWrongKind,
    ErrorCode::AlreadyCancelled,
    ErrorCode::CancelOutsideShift,
    ErrorCode::ReturnExceedsSale,
    ErrorCode::AdvancesExceeded,
    ErrorCode::ReceiptInUse,
    ErrorCode::InstalmentNumberMismatch,
    ErrorCode::InstalmentExceedsDebt,
    ErrorCode::DebtMismatch,
    ErrorCode::CashInsufficient,
];

const PIN: &str = "7391";

fn authority() -> PrivateKey {
    static K: OnceLock<PrivateKey> = OnceLock::new();
    K.get_or_init(|| PrivateKey::from_seed(b"fiscal-core ledger authority"))
        .clone()
}

fn device_key() -> PrivateKey {
    static K: OnceLock<PrivateKey> = OnceLock::new();
    K.get_or_init(|| PrivateKey::from_seed(b"fiscal-core ledger device"))
        .clone()
}

fn certificate() -> Certificate {
    let from = Timestamp::from_baku(CivilDate::new(2026, 1, 1).unwrap(), 0, 0, 0).unwrap();
    let until = Timestamp::from_baku(CivilDate::new(2029, 1, 1).unwrap(), 0, 0, 0).unwrap();
    let body = CertificateBody {
        serial: 5150,
        kassa_model: "Kassa-L 1".into(),
        kassa_factory_number: "KL1-000001".into(),
        nmq_factory_number: "NMQ-L-000001".into(),
        nmq_registration_number: "AZ-NMQ-L-000001".into(),
        taxpayer_name: "Hesab MMC".into(),
        voen: "1500123451".into(),
        object_code: "OBJ-L1".into(),
        object_name: "Kitab evi".into(),
        object_address: "Bakı ş., Xaqani küç. 7".into(),
        valid_from: from,
        valid_until: until,
        device_key: device_key().public_key(),
    };
    Certificate::issue(body, &authority()).unwrap()
}

/// 2026-11-23 08:00 in Baku: activation.
fn start() -> Timestamp {
    Timestamp::from_baku(CivilDate::new(2026, 11, 23).unwrap(), 8, 0, 0).unwrap()
}

/// An earlier document a request names. `mode % 16`: 0–11 a document of the kind the
/// operation wants (a sale for a return of a sale, an advance for a sale against advances, …);
/// 12–14 any receipt or cash document; 15 any document at all (shift records too). `index`
/// chooses among them, counted from the newest (even: among the newest 3). `form`: how the
/// reference is written (long, short, upper or lower case).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pick {
    pub mode: u8,
    pub index: u16,
    pub form: u8,
}

/// An amount relative to what this file's bookkeeping says is left (of a sale to return, a
/// debt to pay, advances to spend, the drawer): `left × pct / 100 + delta` qəpik, at least 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Amt {
    pub pct: u8,
    pub delta: i8,
}

/// One operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// Z-report, then the next shift opens.
    NewShift,
    /// A sale of `price` qəpik (`form % 3`: cash, cashless, half and half).
    Sale { price: u32, form: u8 },
    /// A credit sale: `credit_pct`% of `price` left as debt, the rest cash.
    CreditSale { price: u32, credit_pct: u8 },
    /// An advance (prepay).
    Advance { price: u32, cash: bool },
    /// A sale naming one or two advances, `take` of what is left of them as `prepaymentSum`,
    /// `extra` qəpik paid in cash.
    AgainstAdvances {
        first: Pick,
        second: Option<Pick>,
        take: Amt,
        extra: u32,
    },
    /// A return (`money_back`): `back % 8` < 6 sends the `moneyBackType` that fits the
    /// receipt named, otherwise `back % 3`.
    Return {
        parent: Pick,
        back: u8,
        amount: Amt,
        cash: bool,
    },
    /// A cancel (`rollback`).
    Cancel { parent: Pick },
    /// An instalment (`creditpay`): `paymentNumber` = instalments paid + 1 + `number`
    /// (at least 1), `residue` = debt − amount + `residue` qəpik (at least 0).
    Instalment {
        parent: Pick,
        number: i8,
        amount: Amt,
        residue: i8,
        cash: bool,
    },
    /// Cash in.
    Deposit { amount: u32 },
    /// Cash out, relative to the drawer.
    Withdraw { amount: Amt },
}

/// An operation after `dt` seconds (at least 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub dt: u16,
    pub op: Op,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Activation,
    Open,
    ZReport,
    Sale,
    Return,
    Cancel,
    Advance,
    CreditPay,
    Deposit,
    Withdraw,
}

impl Kind {
    fn is_receipt(self) -> bool {
        matches!(
            self,
            Kind::Sale | Kind::Return | Kind::Cancel | Kind::Advance | Kind::CreditPay
        )
    }
    fn is_record(self) -> bool {
        matches!(self, Kind::Activation | Kind::Open | Kind::ZReport)
    }
}

/// This file's own bookkeeping of a document (what it asked for; what later claims took).
#[derive(Debug, Clone)]
struct Entry {
    kind: Kind,
    shift: u32,
    total: i64,
    cash: i64,
    credit: i64,
    returned: i64,
    consumed: i64,
    paid: i64,
    instalments: i64,
    cancelled: bool,
}

impl Entry {
    fn new(kind: Kind, shift: u32) -> Entry {
        Entry {
            kind,
            shift,
            total: 0,
            cash: 0,
            credit: 0,
            returned: 0,
            consumed: 0,
            paid: 0,
            instalments: 0,
            cancelled: false,
        }
    }
    fn advance_left(&self) -> i64 {
        (self.total - self.consumed - self.returned).max(0)
    }
}

/// What a run saw.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    pub issued: usize,
    /// Requests that did not validate (never reached the device).
    pub invalid: usize,
    /// Refusals with a ledger code, by code.
    pub refused: Vec<(ErrorCode, usize)>,
    /// Refusals with another code (reference_not_found, …).
    pub other: Vec<(ErrorCode, usize)>,
    /// Forged documents checked against the verifier.
    pub forged: usize,
}

fn count(v: &mut Vec<(ErrorCode, usize)>, code: ErrorCode) {
    match v.iter_mut().find(|(c, _)| *c == code) {
        Some((_, n)) => *n += 1,
        None => v.push((code, 1)),
    }
}

/// What to do with refusals.
#[derive(Debug, Clone, Copy)]
pub struct Config {
    /// Forge (and verify) at most this many refused requests.
    pub max_forgeries: usize,
    /// Stop at the first forged document (the fuzz target: one verification per input).
    pub stop_after_forgery: bool,
    /// Let [`Pick`] mode 15 name shift records (activation, shift opening, Z-report), which
    /// are not receipts. Off in the random runs: the device refuses such a reference with
    /// `reference_wrong_kind`, the verifier reports `unknown_reference` (the test
    /// `a_reference_to_a_shift_record_gets_the_same_code_from_both`, ignored until that is
    /// settled).
    pub shift_records: bool,
    /// Verify journals as text, signatures included (`verify_journal`). Off (the fuzz target,
    /// where ECDSA under coverage instrumentation is most of the time): the certificate line
    /// is read as text, and the documents — all signed by the device key, by the device or by
    /// this file — go to `fiscal_core::internal::add_checked` as correctly signed; every rule but
    /// the signature's is checked the same way.
    pub verify_signatures: bool,
}

/// A device under test, everything it issued, and the journal so far.
pub struct Harness {
    device: Device,
    key: PrivateKey,
    authority: PrivateKey,
    rates: RateTable,
    now: Timestamp,
    docs: Vec<Document>,
    entries: Vec<Entry>,
    journal: String,
    shift: u32,
    receipts_in_shift: u32,
    drawer: i64,
    shift_records: bool,
    pub tally: Tally,
}

/// Money text from qəpik.
fn money(q: i64) -> String {
    format!("{}.{:02}", q / 100, q % 100)
}

fn amount(left: i64, a: Amt) -> i64 {
    (left.max(0) * i64::from(a.pct) / 100 + i64::from(a.delta)).max(1)
}

fn price(p: u32) -> i64 {
    i64::from(p % 200_000) + 1
}

fn line(name: &str, q: i64) -> String {
    format!(
        r#"{{"itemName":"{name}","itemQuantity":1,"itemPrice":{},"itemVatPercent":18}}"#,
        money(q)
    )
}

fn findings_text(report: &fiscal_core::JournalReport) -> String {
    let mut s = String::new();
    for f in &report.findings {
        let _ = writeln!(s, "    {f}");
    }
    s
}

/// A request ready for the device: its JSON, the documents it names (indices), and what to
/// book when it is accepted.
struct Built {
    json: String,
    named: Vec<usize>,
    book: Book,
}

enum Book {
    New {
        kind: Kind,
        total: i64,
        cash: i64,
        credit: i64,
    },
    Sale {
        cash: i64,
        take: i64,
        advances: Vec<usize>,
    },
    Return {
        parent: usize,
        amount: i64,
        cash: i64,
    },
    Cancel {
        parent: usize,
    },
    Instalment {
        parent: usize,
        amount: i64,
        cash: i64,
    },
    Cash {
        kind: Kind,
        amount: i64,
    },
}

impl Default for Harness {
    fn default() -> Self {
        Harness::new()
    }
}

impl Harness {
    /// An activated device (document 1) with shift 1 open (document 2).
    pub fn new() -> Harness {
        static START: OnceLock<(Device, Vec<Document>, String, RateTable)> = OnceLock::new();
        let (device, docs, journal, rates) = START.get_or_init(Harness::start).clone();
        Harness {
            device,
            key: device_key(),
            authority: authority(),
            rates,
            now: docs[1].body().time,
            docs,
            entries: vec![Entry::new(Kind::Activation, 0), Entry::new(Kind::Open, 1)],
            journal,
            shift: 1,
            receipts_in_shift: 0,
            drawer: 0,
            shift_records: false,
            tally: Tally::default(),
        }
    }

    fn start() -> (Device, Vec<Document>, String, RateTable) {
        let certificate = certificate();
        let authority = authority();
        let key = device_key();
        let (mut device, act) = Device::activate(
            certificate.clone(),
            &authority.public_key(),
            key.clone(),
            PIN,
            None,
            start(),
        )
        .unwrap();
        let now = start().plus(60_000);
        let open = device.open_shift(now).unwrap().document;
        let mut journal = certificate.to_journal_line();
        for d in [&act.document, &open] {
            journal.push('\n');
            journal.push_str(&d.to_journal_line());
        }
        (
            device,
            vec![act.document, open],
            journal,
            RateTable::azerbaijan(),
        )
    }

    /// The verifier's report on the journal so far, and `forged` after it.
    fn verify(&self, forged: Option<&Document>, signatures: bool) -> JournalReport {
        if signatures {
            let mut journal = self.journal.clone();
            if let Some(d) = forged {
                journal.push('\n');
                journal.push_str(&d.to_journal_line());
            }
            return verify_journal(&journal, &self.authority.public_key(), &self.rates);
        }
        let mut v = JournalVerification::new(&self.authority.public_key(), &self.rates).start();
        v.add_line(self.journal.lines().next().unwrap_or_default());
        for d in self.docs.iter().chain(forged) {
            fiscal_core::internal::add_checked(&mut v, d, true);
        }
        v.finish()
    }

    /// The journal so far (certificate line first).
    pub fn journal(&self) -> &str {
        &self.journal
    }

    fn push(&mut self, doc: Document, entry: Entry) {
        self.journal.push('\n');
        self.journal.push_str(&doc.to_journal_line());
        self.docs.push(doc);
        self.entries.push(entry);
    }

    fn pick(&self, p: Pick, fits: impl Fn(&Entry) -> bool) -> Option<usize> {
        let mode = p.mode % 16;
        let candidates: Vec<usize> = (0..self.entries.len())
            .filter(|&i| {
                let e = &self.entries[i];
                match mode {
                    0..=11 => fits(e),
                    15 if self.shift_records => true,
                    _ => !e.kind.is_record(),
                }
            })
            .collect();
        if candidates.is_empty() {
            return None;
        }
        let window = if p.index & 1 == 0 {
            candidates.len().min(3)
        } else {
            candidates.len()
        };
        let back = usize::from(p.index / 2) % window;
        Some(candidates[candidates.len() - 1 - back])
    }

    fn reference(&self, i: usize, form: u8) -> String {
        let id = self.docs[i].id();
        match form % 4 {
            0 => id.long(),
            1 => id.short().to_uppercase(),
            2 => id.short(),
            _ => id.long().to_uppercase(),
        }
    }

    fn build(&self, op: &Op) -> Option<Built> {
        let c = r#""cashier":"Nərgiz""#;
        Some(match *op {
            Op::NewShift => return None,
            Op::Sale { price: p, form } => {
                let total = price(p);
                let (pay, cash) = match form % 3 {
                    0 => (format!(r#""cashSum":{}"#, money(total)), total),
                    1 => (format!(r#""cashlessSum":{}"#, money(total)), 0),
                    _ => (
                        format!(
                            r#""cashSum":{},"cashlessSum":{}"#,
                            money(total / 2),
                            money(total - total / 2)
                        ),
                        total / 2,
                    ),
                };
                Built {
                    json: format!(
                        r#"{{"doc_type":"sale","data":{{{c},"items":[{}],{pay}}}}}"#,
                        line("Kitab", total)
                    ),
                    named: Vec::new(),
                    book: Book::New {
                        kind: Kind::Sale,
                        total,
                        cash,
                        credit: 0,
                    },
                }
            }
            Op::CreditSale {
                price: p,
                credit_pct,
            } => {
                let total = price(p) + 1;
                let credit = (total * i64::from(credit_pct % 101) / 100).clamp(1, total);
                let cash = total - credit;
                Built {
                    json: format!(
                        r#"{{"doc_type":"sale","data":{{{c},"items":[{}],"cashSum":{},"creditSum":{},"creditContract":"NK-2026/7"}}}}"#,
                        line("Televizor", total),
                        money(cash),
                        money(credit)
                    ),
                    named: Vec::new(),
                    book: Book::New {
                        kind: Kind::Sale,
                        total,
                        cash,
                        credit,
                    },
                }
            }
            Op::Advance { price: p, cash } => {
                let total = price(p);
                let form = if cash { "cashSum" } else { "cashlessSum" };
                Built {
                    json: format!(
                        r#"{{"doc_type":"prepay","data":{{{c},"items":[{}],"{form}":{}}}}}"#,
                        line("Avans", total),
                        money(total)
                    ),
                    named: Vec::new(),
                    book: Book::New {
                        kind: Kind::Advance,
                        total,
                        cash: if cash { total } else { 0 },
                        credit: 0,
                    },
                }
            }
            Op::AgainstAdvances {
                first,
                second,
                take,
                extra,
            } => {
                let fits = |e: &Entry| e.kind == Kind::Advance;
                let mut named = vec![self.pick(first, fits)?];
                let mut refs = vec![self.reference(named[0], first.form)];
                if let Some(s) = second {
                    let i = self.pick(s, fits)?;
                    named.push(i);
                    refs.push(self.reference(i, s.form));
                }
                let mut left = 0;
                let mut seen = Vec::new();
                for &i in &named {
                    if !seen.contains(&i) {
                        seen.push(i);
                        left += self.entries[i].advance_left();
                    }
                }
                let take = amount(left, take);
                let cash = i64::from(extra % 100_000);
                let total = take + cash;
                let parents: Vec<String> = refs.iter().map(|r| format!(r#""{r}""#)).collect();
                Built {
                    json: format!(
                        r#"{{"doc_type":"sale","data":{{{c},"items":[{}],"cashSum":{},"prepaymentSum":{},"parents":[{}]}}}}"#,
                        line("Tort", total),
                        money(cash),
                        money(take),
                        parents.join(",")
                    ),
                    named,
                    book: Book::Sale {
                        cash,
                        take,
                        advances: seen,
                    },
                }
            }
            Op::Return {
                parent,
                back,
                amount: a,
                cash,
            } => {
                let i = self.pick(parent, |e| {
                    matches!(e.kind, Kind::Sale | Kind::Advance | Kind::CreditPay)
                })?;
                let e = &self.entries[i];
                let fit = match e.kind {
                    Kind::Advance => 1,
                    Kind::CreditPay => 2,
                    _ => 0,
                };
                let ty = if back % 8 < 6 { fit } else { back % 3 };
                let left = if e.kind == Kind::Advance {
                    e.advance_left()
                } else {
                    e.total - e.returned
                };
                let q = amount(left, a);
                let form = if cash { "cashSum" } else { "cashlessSum" };
                Built {
                    json: format!(
                        r#"{{"doc_type":"money_back","data":{{{c},"parentDocument":"{}","moneyBackType":{ty},"items":[{}],"{form}":{}}}}}"#,
                        self.reference(i, parent.form),
                        line("Qaytarma", q),
                        money(q)
                    ),
                    named: vec![i],
                    book: Book::Return {
                        parent: i,
                        amount: q,
                        cash: if cash { q } else { 0 },
                    },
                }
            }
            Op::Cancel { parent } => {
                let i = self.pick(parent, |e| {
                    matches!(e.kind, Kind::Sale | Kind::Advance | Kind::CreditPay)
                })?;
                Built {
                    json: format!(
                        r#"{{"doc_type":"rollback","data":{{{c},"parentDocument":"{}"}}}}"#,
                        self.reference(i, parent.form)
                    ),
                    named: vec![i],
                    book: Book::Cancel { parent: i },
                }
            }
            Op::Instalment {
                parent,
                number,
                amount: a,
                residue,
                cash,
            } => {
                let i = self.pick(parent, |e| e.kind == Kind::Sale && e.credit > 0)?;
                let e = &self.entries[i];
                let debt = e.credit - e.paid;
                let q = amount(debt, a);
                let n = (e.instalments + 1 + i64::from(number)).max(1);
                let r = (debt - q + i64::from(residue)).max(0);
                let form = if cash { "cashSum" } else { "cashlessSum" };
                Built {
                    json: format!(
                        r#"{{"doc_type":"creditpay","data":{{{c},"parentDocument":"{}","paymentNumber":{n},"residue":{},"items":[{}],"{form}":{}}}}}"#,
                        self.reference(i, parent.form),
                        money(r),
                        line("Nisyə ödənişi", q),
                        money(q)
                    ),
                    named: vec![i],
                    book: Book::Instalment {
                        parent: i,
                        amount: q,
                        cash: if cash { q } else { 0 },
                    },
                }
            }
            Op::Deposit { amount: a } => {
                let q = i64::from(a % 1_000_000) + 1;
                Built {
                    json: format!(
                        r#"{{"doc_type":"deposit","data":{{{c},"sum":{}}}}}"#,
                        money(q)
                    ),
                    named: Vec::new(),
                    book: Book::Cash {
                        kind: Kind::Deposit,
                        amount: q,
                    },
                }
            }
            Op::Withdraw { amount: a } => {
                let q = amount(self.drawer, a);
                Built {
                    json: format!(
                        r#"{{"doc_type":"withdraw","data":{{{c},"sum":{}}}}}"#,
                        money(q)
                    ),
                    named: Vec::new(),
                    book: Book::Cash {
                        kind: Kind::Withdraw,
                        amount: q,
                    },
                }
            }
        })
    }

    /// Books an accepted request in this file's own records.
    fn book(&mut self, book: Book, doc: Document) {
        let shift = self.shift;
        let entry = match book {
            Book::New {
                kind,
                total,
                cash,
                credit,
            } => {
                self.drawer += cash;
                Entry {
                    total,
                    cash,
                    credit,
                    ..Entry::new(kind, shift)
                }
            }
            Book::Sale {
                cash,
                take,
                advances,
            } => {
                self.drawer += cash;
                let mut need = take;
                for i in advances {
                    let e = &mut self.entries[i];
                    let t = need.min(e.advance_left());
                    e.consumed += t;
                    need -= t;
                }
                Entry {
                    total: take + cash,
                    cash,
                    ..Entry::new(Kind::Sale, shift)
                }
            }
            Book::Return {
                parent,
                amount,
                cash,
            } => {
                self.drawer -= cash;
                self.entries[parent].returned += amount;
                Entry {
                    total: amount,
                    cash,
                    ..Entry::new(Kind::Return, shift)
                }
            }
            Book::Cancel { parent } => {
                self.drawer -= self.entries[parent].cash;
                self.entries[parent].cancelled = true;
                Entry::new(Kind::Cancel, shift)
            }
            Book::Instalment {
                parent,
                amount,
                cash,
            } => {
                self.drawer += cash;
                self.entries[parent].paid += amount;
                self.entries[parent].instalments += 1;
                Entry {
                    total: amount,
                    cash,
                    ..Entry::new(Kind::CreditPay, shift)
                }
            }
            Book::Cash { kind, amount } => {
                self.drawer += if kind == Kind::Deposit {
                    amount
                } else {
                    -amount
                };
                Entry {
                    total: amount,
                    ..Entry::new(kind, shift)
                }
            }
        };
        if entry.kind.is_receipt() {
            self.receipts_in_shift += 1;
        }
        self.push(doc, entry);
    }

    /// The cash a request takes out of the drawer, by this file's books.
    fn cash_out(&self, book: &Book) -> i64 {
        match *book {
            Book::Return { cash, .. } => cash,
            Book::Cancel { parent } => self.entries[parent].cash,
            Book::Cash {
                kind: Kind::Withdraw,
                amount,
            } => amount,
            _ => 0,
        }
    }

    /// What a key holder signs for a refused request: the next document, exactly what the
    /// device would have made of it.
    fn forge(&self, request: &Request, named: &[usize]) -> Document {
        let content = match request {
            Request::Cancel(c) => {
                let parent = &self.docs[named[0]];
                Content::Cancel {
                    request: c.clone(),
                    voided: voided(parent),
                }
            }
            other => Content::Request(other.clone()),
        };
        let is_receipt = request.doc_type().is_receipt();
        let last = self.docs.last().unwrap();
        let body = DocumentBody {
            number: last.number() + 1,
            time: self.now,
            shift: self.shift,
            shift_receipt: if is_receipt {
                self.receipts_in_shift + 1
            } else {
                0
            },
            previous: last.id().0,
            content,
        };
        let bytes = body.signed_bytes();
        {
            let (s, r) = self.key.sign_with_nonce(&bytes);
            Document::from_parts(&bytes, s, r)
        }
        .unwrap()
    }

    /// Runs one step; `Err` describes a broken property. `Ok(true)`: a document was forged.
    pub fn step(&mut self, step: &Step, config: &Config) -> Result<bool, String> {
        self.now = self.now.plus(i64::from(step.dt.max(1)) * 1_000);
        if step.op == Op::NewShift {
            let z = self
                .device
                .close_shift(self.now)
                .map_err(|e| format!("close_shift refused: {e}"))?;
            let shift = self.shift;
            self.push(z.document, Entry::new(Kind::ZReport, shift));
            self.now = self.now.plus(1_000);
            let open = self
                .device
                .open_shift(self.now)
                .map_err(|e| format!("open_shift refused: {e}"))?;
            self.shift += 1;
            self.receipts_in_shift = 0;
            self.drawer = 0;
            let shift = self.shift;
            self.push(open.document, Entry::new(Kind::Open, shift));
            self.tally.issued += 2;
            return Ok(false);
        }
        let Some(built) = self.build(&step.op) else {
            self.tally.invalid += 1;
            return Ok(false);
        };
        let ctx = ValidationContext {
            rates: &self.rates,
            date: self.now.date_in_baku(),
        };
        let Ok(request) = Request::from_json(&built.json, &ctx) else {
            self.tally.invalid += 1;
            return Ok(false);
        };
        let mut supplied: Vec<Document> = Vec::new();
        for &i in &built.named {
            if !supplied.contains(&self.docs[i]) {
                supplied.push(self.docs[i].clone());
            }
        }
        let before = self.device.export_state();
        let last = self.docs.last().unwrap().number();
        let options = IssueOptions {
            rates: &self.rates,
            references: &supplied,
            expected_previous: Some(last),
            foreign_references: false,
        };
        match self.device.issue(&request, self.now, &options) {
            Ok(issued) => {
                let doc = issued.document;
                if doc.number() != last + 1 {
                    return Err(format!("document {} after {last}", doc.number()));
                }
                self.tally.issued += 1;
                self.book(built.book, doc);
                Ok(false)
            }
            Err(e) => {
                let code = e.code();
                if !LEDGER_CODES.contains(&code) {
                    count(&mut self.tally.other, code);
                    return Ok(false);
                }
                count(&mut self.tally.refused, code);
                if self.device.export_state() != before {
                    return Err(format!(
                        "refused with {} ({e}), yet the state changed",
                        code.as_str()
                    ));
                }
                if self.tally.forged >= config.max_forgeries {
                    return Ok(false);
                }
                self.tally.forged += 1;
                let forged = self.forge(&request, &built.named);
                let report = self.verify(Some(&forged), config.verify_signatures);
                let at = Some(forged.number());
                let mut found: Vec<(ErrorCode, Option<u64>)> =
                    report.findings.iter().map(|f| (f.code, f.number)).collect();
                // Exactly the device's code at that document, and nothing else: a forged
                // document that breaks a ledger rule and also overdraws the drawer is reported
                // for the first, as the device stops there (§14.3 step 7 before step 8, §15.2).
                let mut expected = vec![(code, at)];
                found.sort();
                expected.sort();
                if found != expected || report.findings_dropped != 0 {
                    return Err(format!(
                        "the device refused with {} ({e}); forged as document {}, the verifier found:\n{}    (expected exactly {:?})\n    request: {}",
                        code.as_str(),
                        forged.number(),
                        findings_text(&report),
                        expected,
                        built.json
                    ));
                }
                Ok(true)
            }
        }
    }

    /// Property 1: the journal of what the device issued verifies with no finding.
    pub fn check_journal(&self, signatures: bool) -> Result<(), String> {
        let report = self.verify(None, signatures);
        if report.is_valid() && report.documents == self.docs.len() as u64 {
            return Ok(());
        }
        Err(format!(
            "the device's own journal ({} documents) has findings:\n{}",
            self.docs.len(),
            findings_text(&report)
        ))
    }

    /// Runs `steps`, then checks property 1 (unless a forgery already verified the journal
    /// before it); `Err` names the step that broke a property.
    pub fn run(steps: &[Step], config: &Config) -> Result<Harness, String> {
        let mut h = Harness::new();
        h.shift_records = config.shift_records;
        let mut verified_through = 0usize;
        for (n, s) in steps.iter().enumerate() {
            match h.step(s, config) {
                Ok(true) => {
                    verified_through = h.docs.len();
                    if config.stop_after_forgery {
                        return Ok(h);
                    }
                }
                Ok(false) => {}
                Err(e) => return Err(format!("step {n} ({s:?}): {e}")),
            }
        }
        if verified_through < h.docs.len() {
            h.check_journal(config.verify_signatures)?;
        }
        Ok(h)
    }
}

/// What a cancel of `parent` carries, as the device computes it (RC-17, §14.6): the voided
/// receipt's number, kind, `sum`, payments and counted groups. A key holder forging a cancel
/// of a document that has no receipt body (a cash document, a cancel, a shift record) — which
/// the device refuses before it could compute this — writes its number and total and nothing
/// else.
fn voided(parent: &Document) -> Voided {
    match &parent.body().content {
        Content::Request(r) => match r.body() {
            Some(b) => Voided {
                number: parent.number(),
                kind: r.doc_type(),
                sum: b.totals().sum(),
                payments: *b.payments(),
                groups: b.totals().counted_groups().to_vec(),
            },
            None => Voided {
                number: parent.number(),
                kind: r.doc_type(),
                sum: r.total(),
                payments: fiscal_core::Payments::default(),
                groups: Vec::new(),
            },
        },
        other => Voided {
            number: parent.number(),
            kind: other.doc_type().unwrap_or(DocType::Sale),
            sum: fiscal_core::Amount::ZERO,
            payments: fiscal_core::Payments::default(),
            groups: Vec::new(),
        },
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn pick() -> impl Strategy<Value = Pick> {
        (any::<u8>(), any::<u16>(), any::<u8>()).prop_map(|(mode, index, form)| Pick {
            mode,
            index,
            form,
        })
    }

    fn amt() -> impl Strategy<Value = Amt> {
        (
            prop_oneof![3 => Just(100u8), 3 => 1u8..=100, 2 => 90u8..=140],
            prop_oneof![3 => Just(0i8), 1 => -2i8..=2],
        )
            .prop_map(|(pct, delta)| Amt { pct, delta })
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            1 => Just(Op::NewShift),
            3 => (any::<u32>(), any::<u8>()).prop_map(|(price, form)| Op::Sale { price, form }),
            3 => (any::<u32>(), any::<u8>())
                .prop_map(|(price, credit_pct)| Op::CreditSale { price, credit_pct }),
            3 => (any::<u32>(), any::<bool>()).prop_map(|(price, cash)| Op::Advance { price, cash }),
            3 => (pick(), proptest::option::weighted(0.3, pick()), amt(), any::<u32>()).prop_map(
                |(first, second, take, extra)| Op::AgainstAdvances { first, second, take, extra }
            ),
            4 => (pick(), any::<u8>(), amt(), any::<bool>()).prop_map(
                |(parent, back, amount, cash)| Op::Return { parent, back, amount, cash }
            ),
            3 => pick().prop_map(|parent| Op::Cancel { parent }),
            4 => (
                pick(),
                prop_oneof![4 => Just(0i8), 1 => -2i8..=2],
                amt(),
                prop_oneof![4 => Just(0i8), 1 => -3i8..=3],
                any::<bool>()
            )
                .prop_map(|(parent, number, amount, residue, cash)| Op::Instalment {
                    parent,
                    number,
                    amount,
                    residue,
                    cash
                }),
            1 => any::<u32>().prop_map(|amount| Op::Deposit { amount }),
            2 => amt().prop_map(|amount| Op::Withdraw { amount }),
        ]
    }

    fn steps() -> impl Strategy<Value = Vec<Step>> {
        proptest::collection::vec(
            (1u16..=900, op()).prop_map(|(dt, op)| Step { dt, op }),
            20..=40,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            // 64 by default; PROPTEST_CASES=n for a longer hunt.
            cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(64),
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// Properties 1 and 2 (the module's documentation), for the first 8 ledger refusals
        /// of each sequence.
        #[test]
        fn device_and_verifier_agree_on_every_claim(steps in steps()) {
            let config = Config { max_forgeries: 8, stop_after_forgery: false, shift_records: false, verify_signatures: true };
            match Harness::run(&steps, &config) {
                Err(e) => prop_assert!(false, "{}\nsteps: {:#?}", e, steps),
                Ok(h) if std::env::var_os("LEDGER_STATS").is_some() => eprintln!("{:?}", h.tally),
                Ok(_) => {}
            }
        }
    }

    /// A fixed sequence through every ledger rule, so that a run of the property that happens
    /// to draw few refusals still covers each code at least once.
    #[test]
    fn every_ledger_code_is_reached_and_agreed_on() {
        let p = |mode, index| Pick {
            mode,
            index,
            form: index as u8,
        };
        let over = Amt { pct: 100, delta: 1 };
        let half = Amt { pct: 50, delta: 0 };
        let s = |op| Step { dt: 30, op };
        // Receipts a return or cancel may name, oldest first: S, C, A, S2 (then CP, S3).
        let steps = vec![
            s(Op::Sale {
                price: 10_000,
                form: 0,
            }),
            s(Op::CreditSale {
                price: 50_000,
                credit_pct: 80,
            }),
            s(Op::Advance {
                price: 3_000,
                cash: true,
            }),
            s(Op::Sale {
                price: 2_000,
                form: 1,
            }),
            // S: return_exceeds_sale, a good return, then a cancel after it (return_exceeds_sale)
            s(Op::Return {
                parent: p(0, 7),
                back: 0,
                amount: over,
                cash: false,
            }),
            s(Op::Return {
                parent: p(0, 7),
                back: 0,
                amount: half,
                cash: false,
            }),
            s(Op::Cancel { parent: p(0, 7) }),
            // S2: cancelled, then returned (already_cancelled), then moneyBackType 1
            // (reference_wrong_kind)
            s(Op::Cancel { parent: p(0, 0) }),
            s(Op::Return {
                parent: p(0, 0),
                back: 0,
                amount: half,
                cash: false,
            }),
            s(Op::Return {
                parent: p(0, 0),
                back: 7,
                amount: half,
                cash: false,
            }),
            // C: instalment number, debt and residue wrong, then a good one
            s(Op::Instalment {
                parent: p(0, 0),
                number: 1,
                amount: half,
                residue: 0,
                cash: true,
            }),
            s(Op::Instalment {
                parent: p(0, 0),
                number: 0,
                amount: over,
                residue: 0,
                cash: true,
            }),
            s(Op::Instalment {
                parent: p(0, 0),
                number: 0,
                amount: half,
                residue: 1,
                cash: true,
            }),
            s(Op::Instalment {
                parent: p(0, 0),
                number: 0,
                amount: half,
                residue: 0,
                cash: true,
            }),
            // C with an instalment paid: receipt_in_use
            s(Op::Cancel { parent: p(0, 7) }),
            // A: advances_exceeded, then spent; a cancel of it is receipt_in_use
            s(Op::AgainstAdvances {
                first: p(0, 0),
                second: None,
                take: over,
                extra: 100,
            }),
            s(Op::AgainstAdvances {
                first: p(0, 0),
                second: None,
                take: half,
                extra: 100,
            }),
            s(Op::Cancel { parent: p(0, 7) }),
            // cash_insufficient
            s(Op::Withdraw { amount: over }),
            // S3 from the shift before: cancel_outside_shift
            s(Op::NewShift),
            s(Op::Cancel { parent: p(0, 1) }),
        ];
        let config = Config {
            max_forgeries: usize::MAX,
            stop_after_forgery: false,
            shift_records: false,
            verify_signatures: true,
        };
        let h = Harness::run(&steps, &config).unwrap_or_else(|e| panic!("{e}"));
        let reached: Vec<ErrorCode> = h.tally.refused.iter().map(|(c, _)| *c).collect();
        for code in LEDGER_CODES {
            assert!(
                reached.contains(&code),
                "{} not reached: {:?}",
                code.as_str(),
                h.tally
            );
        }
    }

    /// A return, a cancel, an instalment and a sale against advances naming a shift record
    /// (here the opening of shift 1, document 2), which is no receipt: the device refuses with
    /// `reference_wrong_kind` (SPEC.md §14.3 step 7), and the forged document gets that same
    /// finding from the verifier (§15.2: every signed document is indexed).
    #[test]
    fn a_reference_to_a_shift_record_gets_the_same_code_from_both() {
        let record = Pick {
            mode: 15,
            index: 1,
            form: 0,
        };
        let half = Amt { pct: 50, delta: 0 };
        let config = Config {
            max_forgeries: 1,
            stop_after_forgery: true,
            shift_records: true,
            verify_signatures: true,
        };
        let mut failures = Vec::new();
        for op in [
            Op::AgainstAdvances {
                first: record,
                second: None,
                take: half,
                extra: 0,
            },
            Op::Return {
                parent: record,
                back: 0,
                amount: half,
                cash: false,
            },
            Op::Cancel { parent: record },
            Op::Instalment {
                parent: record,
                number: 0,
                amount: half,
                residue: 0,
                cash: false,
            },
        ] {
            let steps = [Step { dt: 1, op }];
            match Harness::run(&steps, &config) {
                Ok(h) => assert_eq!(h.tally.forged, 1, "{:?}", h.tally),
                Err(e) => failures.push(e),
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
