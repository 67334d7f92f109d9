//! Fixtures shared by the criterion benchmarks (`benches/benches/*.rs`) and the `fiscal-bench`
//! helper: test keys from public seeds, a certificate, receipts of any number of lines, an
//! activated device with an open shift, and a generator of realistic journals of any length.
//!
//! Everything here is deterministic (seeds, fixed times), so two runs measure the same bytes.
//! The keys are public: benchmarks only.
//!
//! ```
//! let mut till = fiscal_core_benches::Till::new();
//! let doc = till.issue_json(&fiscal_core_benches::sale_json(3, 0));
//! assert_eq!(doc.number(), 3); // activation, open shift, this sale
//! ```
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "benchmark fixtures: a fixture that cannot be built is a bug in the benchmark, and \
              stopping with the message is what we want"
)]

use fiscal_core::{
    Certificate, CertificateBody, CivilDate, Device, Document, IssueOptions, PrivateKey, PublicKey,
    RateTable, Request, Timestamp, ValidationContext,
};

/// The PIN of the bench device.
pub const PIN: &str = "4821";

/// The bench tax authority's key (a public seed: benchmarks only).
pub fn authority() -> PrivateKey {
    PrivateKey::from_seed(b"fiscal-core bench authority - not a real key")
}

/// The bench device's key (a public seed: benchmarks only).
pub fn device_key() -> PrivateKey {
    PrivateKey::from_seed(b"fiscal-core bench device - not a real key")
}

/// A date in the certificate's validity.
pub fn date(year: u16, month: u8, day: u8) -> CivilDate {
    CivilDate::new(year, month, day).expect("a valid date")
}

/// The first day of the bench device's life: 2026-01-02 (Baku).
pub fn first_day() -> CivilDate {
    date(2026, 1, 2)
}

/// The certificate of the bench device: valid 2026-01-01 to 2029-01-01 (three years, the most
/// NM-08 allows), long enough for a journal of a million documents at 1 000 receipts a day.
pub fn certificate() -> Certificate {
    let midnight = |d| Timestamp::from_baku(d, 0, 0, 0).expect("midnight");
    Certificate::issue(
        CertificateBody {
            serial: 2026_0001,
            kassa_model: "Kassa-X 200".into(),
            kassa_factory_number: "KX2-000123".into(),
            nmq_factory_number: "NMQ-77-000456".into(),
            nmq_registration_number: "AZ-NMQ-2026-000789".into(),
            taxpayer_name: "Bakı Çörək MMC".into(),
            voen: "1234567891".into(),
            object_code: "OBJ-0042".into(),
            object_name: "Çörək dükanı №3".into(),
            object_address: "Bakı ş., Nizami küç. 10".into(),
            valid_from: midnight(date(2026, 1, 1)),
            valid_until: midnight(date(2029, 1, 1)),
            device_key: device_key().public_key(),
        },
        &authority(),
    )
    .expect("the bench certificate")
}

/// Line `i` of a receipt (cycling through VAT 18 %, VAT 0 % and VAT-exempt goods, priced from
/// `variant` so that receipts differ) as a JSON item, and its total in qəpik.
fn item(i: usize, variant: u64) -> (String, u64) {
    const NAMES: [&str; 6] = ["Çörək", "Pendir", "Süd", "Dərman", "Alma", "Qəhvə"];
    let price = 50 + (variant * 7 + i as u64 * 13) % 950; // 0.50 to 9.99 AZN
    let quantity = 1 + (i as u64 + variant) % 3;
    let vat = match i % 3 {
        0 => r#","itemVatPercent":18"#,
        1 => r#","itemVatPercent":0"#,
        _ => "",
    };
    let json = format!(
        r#"{{"itemName":"{} {}","itemCodeType":2,"itemCode":"4006381333931","itemQuantity":{quantity},"itemPrice":{}{vat}}}"#,
        NAMES[i % NAMES.len()],
        i + 1,
        azn(price)
    );
    (json, price * quantity)
}

/// The items of a receipt of `lines` lines, and its total in qəpik.
fn items(lines: usize, variant: u64) -> (String, u64) {
    let mut out = String::new();
    let mut total = 0;
    for i in 0..lines {
        let (json, t) = item(i, variant);
        if i > 0 {
            out.push(',');
        }
        out.push_str(&json);
        total += t;
    }
    (out, total)
}

/// AZN text of an amount in qəpik.
fn azn(qepik: u64) -> String {
    format!("{}.{:02}", qepik / 100, qepik % 100)
}

/// A sale of `lines` lines as deployed POS software sends it, paid in cash (`variant` changes
/// the prices).
pub fn sale_json(lines: usize, variant: u64) -> String {
    let (items, total) = items(lines, variant);
    format!(
        r#"{{"doc_type":"sale","data":{{"cashier":"Aysel Məmmədova","items":[{items}],"cashSum":{}}}}}"#,
        azn(total)
    )
}

/// The rate table, and a validation context on `date`.
pub fn context(rates: &RateTable, date: CivilDate) -> ValidationContext<'_> {
    ValidationContext { rates, date }
}

/// An activated, unlocked device with a shift open: what a till looks like during the day.
pub struct Till {
    /// The device.
    pub device: Device,
    /// The rate table.
    pub rates: RateTable,
    /// The time of the last document issued.
    pub now: Timestamp,
    /// The activation and every document since.
    pub issued: u64,
}

impl Default for Till {
    fn default() -> Self {
        Self::new()
    }
}

impl Till {
    /// Activates the bench device on [`first_day`] at 08:00 and opens a shift at 08:01.
    pub fn new() -> Till {
        let start = Timestamp::from_baku(first_day(), 8, 0, 0).expect("08:00");
        let (mut device, _) = Device::activate(
            certificate(),
            &authority().public_key(),
            device_key(),
            PIN,
            None,
            start,
        )
        .expect("activation");
        let now = start.plus(Timestamp::SECOND * 60);
        device.open_shift(now).expect("open shift");
        Till {
            device,
            rates: RateTable::azerbaijan(),
            now,
            issued: 2,
        }
    }

    /// Validates `json` and issues it one millisecond after the last document.
    pub fn issue_json(&mut self, json: &str) -> Document {
        self.issue_with(json, &[])
    }

    /// Validates `json` and issues it one millisecond after the last document, with the
    /// documents it refers to.
    pub fn issue_with(&mut self, json: &str, references: &[Document]) -> Document {
        let now = self.now.plus(1);
        let ctx = context(&self.rates, now.date_in_baku());
        let request = Request::from_json(json, &ctx)
            .unwrap_or_else(|e| panic!("a bench request is invalid: {e}: {json}"));
        self.issue_at(&request, now, references)
    }

    /// Issues a validated request at `now` and acknowledges the upload every 1 000 documents (so
    /// the device never refuses for too many pending documents).
    pub fn issue_at(&mut self, request: &Request, now: Timestamp, refs: &[Document]) -> Document {
        let options = IssueOptions {
            rates: &self.rates,
            references: refs,
            expected_previous: None,
            foreign_references: false,
        };
        let doc = self
            .device
            .issue(request, now, &options)
            .unwrap_or_else(|e| panic!("the bench device refused: {e}"))
            .document;
        self.after(now);
        doc
    }

    /// Bookkeeping after a document: the clock, the count and the upload acknowledgement.
    pub fn after(&mut self, now: Timestamp) {
        self.now = now;
        self.issued += 1;
        if self.issued % 1000 == 0 {
            let last = self.device.state().last_number();
            self.device
                .acknowledge_upload(last, None)
                .expect("acknowledge everything issued");
        }
    }
}

/// The mix of a generated journal, per shift (one a day): open, a 100 AZN deposit,
/// [`RECEIPTS_PER_SHIFT`] receipts — sales of 1 to 5 lines, every 40th receipt a return of
/// part of the sale before it, every 100th a cancel of the sale before it —, a withdrawal, the
/// Z-report.
pub const RECEIPTS_PER_SHIFT: u64 = 1000;

/// Writes a self-contained journal (SPEC.md §13.5) of at least `documents` documents (it stops
/// after the first shift's end at or beyond that count, so the journal ends with a Z-report)
/// through `out`, one line at a time (`out` gets each line without its line feed). Returns the
/// authority key that verifies it and the number of documents written.
///
/// About 10 000 documents a second on one core (p256 signing).
pub fn write_journal(documents: u64, mut out: impl FnMut(&str)) -> (PublicKey, u64) {
    let certificate = certificate();
    let rates = RateTable::azerbaijan();
    out(&certificate.to_journal_line());
    let mut day = Timestamp::from_baku(first_day(), 8, 0, 0).expect("08:00");
    let (mut device, activation) = Device::activate(
        certificate,
        &authority().public_key(),
        device_key(),
        PIN,
        None,
        day,
    )
    .expect("activation");
    out(&activation.document.to_journal_line());
    let mut written = 1u64;
    let mut now = day;
    let mut emit = |doc: &Document, written: &mut u64| {
        out(&doc.to_journal_line());
        *written += 1;
    };
    while written < documents {
        day = day.plus(Timestamp::DAY);
        now = now.max(day).plus(Timestamp::SECOND);
        let ctx = context(&rates, now.date_in_baku());
        let issue = |device: &mut Device, json: &str, refs: &[Document], now: &mut Timestamp| {
            *now = now.plus(20 * Timestamp::SECOND);
            let request = Request::from_json(json, &ctx)
                .unwrap_or_else(|e| panic!("a journal request is invalid: {e}: {json}"));
            let options = IssueOptions {
                rates: &rates,
                references: refs,
                expected_previous: None,
                foreign_references: false,
            };
            device
                .issue(&request, *now, &options)
                .unwrap_or_else(|e| panic!("the journal device refused: {e}"))
                .document
        };
        emit(
            &device.open_shift(now).expect("open shift").document,
            &mut written,
        );
        let deposit = r#"{"doc_type":"deposit","data":{"cashier":"Aysel","sum":100}}"#;
        emit(&issue(&mut device, deposit, &[], &mut now), &mut written);
        // The last sale, and its first line (JSON, total in qəpik).
        let mut last_sale: Option<(Document, (String, u64))> = None;
        for r in 1..=RECEIPTS_PER_SHIFT {
            let doc = match (r % 40, r % 100, last_sale.take()) {
                (0, _, Some((sale, (first_line, total)))) => {
                    let json = format!(
                        r#"{{"doc_type":"money_back","data":{{"cashier":"Aysel","parentDocument":"{}","items":[{first_line}],"cashSum":{}}}}}"#,
                        sale.id().short(),
                        azn(total)
                    );
                    issue(&mut device, &json, &[sale], &mut now)
                }
                (_, 70, Some((sale, _))) => {
                    let json = format!(
                        r#"{{"doc_type":"rollback","data":{{"cashier":"Aysel","parentDocument":"{}"}}}}"#,
                        sale.id().long()
                    );
                    issue(&mut device, &json, &[sale], &mut now)
                }
                _ => {
                    let lines = 1 + (r % 5) as usize;
                    let doc = issue(&mut device, &sale_json(lines, written), &[], &mut now);
                    last_sale = Some((doc.clone(), item(0, written)));
                    doc
                }
            };
            emit(&doc, &mut written);
        }
        let withdraw = r#"{"doc_type":"withdraw","data":{"cashier":"Aysel","sum":50}}"#;
        emit(&issue(&mut device, withdraw, &[], &mut now), &mut written);
        now = now.plus(Timestamp::SECOND);
        emit(
            &device.close_shift(now).expect("close shift").document,
            &mut written,
        );
        let last = device.state().last_number();
        device
            .acknowledge_upload(last, None)
            .expect("acknowledge the day");
    }
    (authority().public_key(), written)
}

/// A generated journal in memory, with its authority key and document count.
pub fn journal(documents: u64) -> (String, PublicKey, u64) {
    let mut text = String::new();
    let (authority, written) = write_journal(documents, |line| {
        text.push_str(line);
        text.push('\n');
    });
    (text, authority, written)
}
