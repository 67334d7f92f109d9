//! The README's main command: a day at the till, end to end.
//!
//! A test tax authority certifies a test device; the device opens a shift, issues one document
//! of every kind from the JSON deployed POS software sends, closes the shift with its Z-report;
//! each receipt is printed as the customer holds it (fiscal ID, QR); the journal is written to a file
//! and verified, and a tampered copy is caught. The keys come from public seeds: demo only.
//!
//! The same story, document for document, as the Python package's `fiscal-core demo` (a test
//! compares the two journals). Files go to `--out DIR` (default: a new temporary folder, printed):
//! `journal.jsonl`, `journal.jsonl.authority` (the authority's public key, for
//! `fiscal-core verify`) and `receipt.html` (a receipt as an e-mail would carry it).
//!
//! ```sh
//! cargo run -p fiscal-core --example demo -- --out demo-out
//! ```

use std::path::{Path, PathBuf};

use fiscal_core::render::{Labels, Receipt};
use fiscal_core::{
    verify_journal, Certificate, CertificateBody, CivilDate, Content, Device, Document,
    IssueOptions, PrivateKey, RateTable, Request, Timestamp, ValidationContext,
};

const USAGE: &str = "usage: demo [--out DIR]   (default: a new temporary folder)";

fn main() {
    let out = match out_dir(std::env::args().skip(1)) {
        Ok(Some(dir)) => dir,
        Ok(None) => {
            println!("{USAGE}");
            return;
        }
        Err(e) => {
            eprintln!("demo: {e}\n{USAGE}");
            std::process::exit(2);
        }
    };
    if let Err(e) = run(&out) {
        eprintln!("demo failed: {e}");
        std::process::exit(1);
    }
}

/// The folder the demo writes to: `--out DIR` (created if missing), else a new one under the
/// system's temporary folder; `None` for `--help`.
fn out_dir(mut args: impl Iterator<Item = String>) -> Result<Option<PathBuf>, String> {
    let mut out = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out" => out = Some(PathBuf::from(args.next().ok_or("--out needs a folder")?)),
            "-h" | "--help" => return Ok(None),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if let Some(dir) = out {
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        return Ok(Some(dir));
    }
    // A fresh folder, never one a previous run (or another user) left: create_dir fails on an
    // existing one.
    for n in 0..1000 {
        let dir = std::env::temp_dir().join(format!("fiscal-core-demo-{}-{n}", std::process::id()));
        match std::fs::create_dir(&dir) {
            Ok(()) => return Ok(Some(dir)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(format!("cannot create {}: {e}", dir.display())),
        }
    }
    Err("cannot create a temporary folder".into())
}

fn baku(h: u8, m: u8) -> Result<Timestamp, String> {
    let d = CivilDate::new(2026, 11, 23).ok_or("date")?;
    Timestamp::from_baku(d, h, m, 0).ok_or_else(|| "time".into())
}

fn run(out: &Path) -> Result<(), Box<dyn std::error::Error>> {
    println!("Writing to {}", out.display());
    // The tax authority (a test one) certifies the device.
    let authority = PrivateKey::from_seed(b"DEMO tax authority - not a real key");
    let key = PrivateKey::from_seed(b"DEMO device - not a real key");
    let certificate = Certificate::issue(
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
            valid_from: Timestamp::from_baku(CivilDate::new(2026, 1, 1).ok_or("date")?, 0, 0, 0)
                .ok_or("time")?,
            valid_until: Timestamp::from_baku(CivilDate::new(2029, 1, 1).ok_or("date")?, 0, 0, 0)
                .ok_or("time")?,
            device_key: key.public_key(),
        },
        &authority,
    )?;
    let (mut device, activation) = Device::activate(
        certificate.clone(),
        &authority.public_key(),
        key,
        "4821",
        None,
        baku(8, 0)?,
    )?;
    let rates = RateTable::azerbaijan();
    let ctx = ValidationContext {
        rates: &rates,
        date: CivilDate::new(2026, 11, 23).ok_or("date")?,
    };
    let mut journal: Vec<Document> = vec![activation.document];
    journal.push(device.open_shift(baku(9, 0)?)?.document);

    // Each request as a POS sends it; `refs` names earlier documents it refers to.
    let mut minute = 0u8;
    let mut issue = |device: &mut Device,
                     json: String,
                     refs: &[&Document]|
     -> Result<Document, Box<dyn std::error::Error>> {
        minute += 3;
        let request = Request::from_json(&json, &ctx)?;
        let refs: Vec<Document> = refs.iter().map(|d| (*d).clone()).collect();
        let options = IssueOptions {
            rates: &rates,
            references: &refs,
            expected_previous: None,
            foreign_references: false,
        };
        Ok(device.issue(&request, baku(9, minute)?, &options)?.document)
    };
    let deposit = issue(
        &mut device,
        r#"{"doc_type":"deposit","data":{"cashier":"Aysel","sum":100}}"#.into(),
        &[],
    )?;
    let sale = issue(
        &mut device,
        r#"{"doc_type":"sale","data":{"cashier":"Aysel","items":[
            {"itemName":"Çörək","itemCodeType":2,"itemCode":"4006381333931","itemQuantity":2,"itemPrice":0.60,"itemVatPercent":18},
            {"itemName":"Pendir","itemQuantityType":1,"itemQuantity":0.750,"itemPrice":4.99,"itemVatPercent":18},
            {"itemName":"Dərman","itemQuantity":1,"itemPrice":5.00},
            {"itemName":"Alma","itemQuantityType":1,"itemQuantity":2,"itemPrice":1.50,"itemVatPercent":18,"itemMarginSum":0.59}],
          "cashSum":7.94,"cashlessSum":5.00,"incomingSum":10.00}}"#
            .into(),
        &[],
    )?;
    let advance = issue(
        &mut device,
        r#"{"doc_type":"prepay","data":{"cashier":"Aysel","items":[{"itemName":"Avans: ad günü tortu","itemQuantity":1,"itemPrice":20,"itemVatPercent":18}],"cashlessSum":20}}"#.into(),
        &[],
    )?;
    let cake = issue(
        &mut device,
        format!(
            r#"{{"doc_type":"sale","data":{{"cashier":"Aysel","items":[{{"itemName":"Ad günü tortu","itemQuantity":1,"itemPrice":50,"itemVatPercent":18}}],"cashSum":30,"prepaymentSum":20,"parents":["{}"]}}}}"#,
            advance.id().short()
        ),
        &[&advance],
    )?;
    let credit = issue(
        &mut device,
        r#"{"doc_type":"sale","data":{"cashier":"Aysel","items":[{"itemName":"Çörək sobası","itemQuantity":1,"itemPrice":1180,"itemVatPercent":18}],"cashSum":180,"creditSum":1000,"creditContract":"KR-2026/117"}}"#.into(),
        &[],
    )?;
    let instalment = issue(
        &mut device,
        format!(
            r#"{{"doc_type":"creditpay","data":{{"cashier":"Aysel","parentDocument":"{}","paymentNumber":1,"residue":900,"items":[{{"itemName":"Nisyə ödənişi","itemCodeType":5,"itemCode":"KR-2026-117","itemQuantity":1,"itemPrice":100,"itemVatPercent":18}}],"cashSum":100}}}}"#,
            credit.id().long()
        ),
        &[&credit],
    )?;
    let ret = issue(
        &mut device,
        format!(
            r#"{{"doc_type":"money_back","data":{{"cashier":"Aysel","parentDocument":"{}","items":[{{"itemName":"Çörək","itemQuantity":1,"itemPrice":0.60,"itemVatPercent":18}}],"cashSum":0.60}}}}"#,
            sale.id().short()
        ),
        &[&sale],
    )?;
    let coffee = issue(
        &mut device,
        r#"{"doc_type":"sale","data":{"cashier":"Rəşad","items":[{"itemName":"Qəhvə","itemQuantity":1,"itemPrice":3.50,"itemVatPercent":8}],"cashSum":3.50}}"#.into(),
        &[],
    )?;
    let cancel = issue(
        &mut device,
        format!(
            r#"{{"doc_type":"rollback","data":{{"cashier":"Rəşad","parentDocument":"{}"}}}}"#,
            coffee.id().short()
        ),
        &[&coffee],
    )?;
    let correction = issue(
        &mut device,
        r#"{"doc_type":"correction","data":{"cashier":"Aysel","sum":12,"cashSum":12,"vatAmounts":[{"vatSum":12,"vatPercent":18}]}}"#.into(),
        &[],
    )?;
    let withdraw = issue(
        &mut device,
        r#"{"doc_type":"withdraw","data":{"cashier":"Aysel","sum":200}}"#.into(),
        &[],
    )?;
    journal.extend([
        deposit, sale, advance, cake, credit, instalment, ret, coffee, cancel, correction, withdraw,
    ]);
    journal.push(device.close_shift(baku(18, 0)?)?.document);

    // Every document as the customer (or the shift manager) holds it: 42 columns, 80 mm roll.
    let labels = Labels::azerbaijani();
    for doc in &journal {
        let receipt = Receipt {
            document: doc,
            certificate: Some(certificate.body()),
            qr_base: device.state().qr_base(),
        };
        println!("{}", receipt.text(&labels, 42, false));
    }
    if let Some(first_sale) = journal
        .iter()
        .find(|d| matches!(&d.body().content, Content::Request(Request::Sale(_))))
    {
        println!("QR code of receipt {}:", first_sale.id().short());
        println!(
            "{}",
            fiscal_core::qr::qr_terminal(&device.qr_payload(first_sale))?
        );
        let receipt = Receipt {
            document: first_sale,
            certificate: Some(certificate.body()),
            qr_base: device.state().qr_base(),
        };
        let html = out.join("receipt.html");
        std::fs::write(&html, receipt.html(&labels, 42)?)?;
        println!("The same receipt by e-mail: {}", html.display());
    }

    // The journal is self-contained: its certificate first, then one line per document.
    let mut text = certificate.to_journal_line() + "\n";
    text.extend(journal.iter().map(|d| d.to_journal_line() + "\n"));
    let path = out.join("journal.jsonl");
    std::fs::write(&path, &text)?;
    let key_path = out.join("journal.jsonl.authority");
    std::fs::write(
        &key_path,
        hex::encode(authority.public_key().to_sec1()) + "\n",
    )?;
    let report = verify_journal(
        &std::fs::read_to_string(&path)?,
        &authority.public_key(),
        &rates,
    );
    println!(
        "Journal {}: {} documents, {} receipts, {} findings: {}",
        path.display(),
        report.documents,
        report.receipts,
        report.findings.len(),
        if report.is_valid() {
            "VALID"
        } else {
            "INVALID"
        }
    );
    println!(
        "(authority key in {}; check it with: fiscal-core verify {} --authority {})",
        key_path.display(),
        path.display(),
        key_path.display()
    );
    if !report.is_valid() {
        return Err("the demo's own journal did not verify".into());
    }

    // A tampered copy: one receipt (document 5, on line 6) removed.
    let tampered: String = text
        .lines()
        .enumerate()
        .filter(|(i, _)| *i != 5)
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    let report = verify_journal(&tampered, &authority.public_key(), &rates);
    println!(
        "Journal with document 5 removed: {} finding(s):",
        report.findings.len()
    );
    for f in &report.findings {
        println!("  {f}");
    }
    if report.is_valid() {
        return Err("the tampered journal was not caught".into());
    }
    Ok(())
}
