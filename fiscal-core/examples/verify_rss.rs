//! Journal verification speed and memory, for the benchmarks and for issue #10.
//!
//! ```text
//! cargo run --release -p fiscal-core --example verify_rss -- gen 10000 /tmp/j10k.jsonl
//! cargo run --release -p fiscal-core --example verify_rss -- verify /tmp/j10k.jsonl 1
//! cargo run --release -p fiscal-core --example verify_rss -- verify /tmp/j10k.jsonl 2
//! cargo run --release -p fiscal-core --example verify_rss -- bare /tmp/j10k.jsonl
//! ```
//!
//! `gen N PATH` writes a genuine journal of N documents (the shape of the Python demo
//! generator: shifts of 1 000 two-line sales, a return every 25th, a cancel every 40th, a
//! deposit, the Z-report; one shift a day) and the authority key beside it (`PATH.authority`).
//! `verify PATH THREADS` streams the file through [`fiscal_core::verify_journal_reader`] (the
//! file is never held whole) and prints µs per document and the peak resident set size
//! (`VmHWM`, Linux), so runs of 10 000 and 1 000 000 documents show whether memory stays flat.
//! `bare PATH` times the provider's signature check alone over the same documents: the floor
//! the journal verifier is measured against. The keys come from public seeds: demo only.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::time::Instant;

use fiscal_core::{
    verify_journal_reader, Certificate, CertificateBody, CivilDate, Device, Document, IssueOptions,
    JournalVerifier, PrivateKey, PublicKey, RateTable, Request, Timestamp, ValidationContext,
};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["gen", n, path] => n
            .parse()
            .map_err(Into::into)
            .and_then(|n| generate(n, path)),
        ["verify", path, threads] => threads
            .parse()
            .map_err(Into::into)
            .and_then(|t| verify(path, t)),
        ["bare", path] => bare(path),
        ["seq", path] => seq(path),
        _ => Err("usage: verify_rss gen N PATH | verify PATH THREADS | bare PATH".into()),
    };
    if let Err(e) = result {
        eprintln!("verify_rss: {e}");
        std::process::exit(1);
    }
}

fn authority() -> PrivateKey {
    PrivateKey::from_seed(b"DEMO tax authority - not a real key")
}

fn certificate(key: &PrivateKey) -> Result<Certificate> {
    let at = |y| -> Result<Timestamp> {
        Ok(Timestamp::from_baku(CivilDate::new(y, 1, 1).ok_or("date")?, 0, 0, 0).ok_or("time")?)
    };
    Ok(Certificate::issue(
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
            valid_from: at(2026)?,
            valid_until: at(2029)?,
            device_key: key.public_key(),
        },
        &authority(),
    )?)
}

/// Writes a genuine journal of exactly `size` documents.
fn generate(size: u64, path: &str) -> Result<()> {
    let key = PrivateKey::from_seed(b"DEMO device - not a real key");
    let certificate = certificate(&key)?;
    let rates = RateTable::azerbaijan();
    let mut now =
        Timestamp::from_baku(CivilDate::new(2026, 1, 2).ok_or("date")?, 8, 0, 0).ok_or("time")?;
    let (mut device, activation) = Device::activate(
        certificate.clone(),
        &authority().public_key(),
        key,
        "4821",
        None,
        now,
    )?;
    let mut out = BufWriter::new(File::create(path)?);
    writeln!(out, "{}", certificate.to_journal_line())?;
    writeln!(out, "{}", activation.document.to_journal_line())?;
    let mut written = 1u64;
    let emit = |out: &mut BufWriter<File>, written: &mut u64, d: &Document| -> Result<()> {
        writeln!(out, "{}", d.to_journal_line())?;
        *written += 1;
        Ok(())
    };
    let day_ms = 86_400_000;
    let mut day = now;
    let issue = |device: &mut Device, json: &str, now: Timestamp, refs: &[Document]| {
        let ctx = ValidationContext {
            rates: &rates,
            date: now.date_in_baku(),
        };
        let request = Request::from_json(json, &ctx)?;
        let options = IssueOptions {
            rates: &rates,
            references: refs,
            expected_previous: None,
        };
        Ok::<_, Box<dyn std::error::Error>>(device.issue(&request, now, &options)?.document)
    };
    while written < size {
        day = Timestamp(day.millis() + day_ms);
        now = day;
        emit(&mut out, &mut written, &device.open_shift(now)?.document)?;
        if written == size {
            break;
        }
        if written < size - 1 {
            now = Timestamp(now.millis() + 30_000);
            let d = issue(
                &mut device,
                r#"{"doc_type":"deposit","data":{"cashier":"Aysel","sum":500}}"#,
                now,
                &[],
            )?;
            emit(&mut out, &mut written, &d)?;
        }
        let mut i = 0u32;
        while written < size - 1 && i < 1000 {
            i += 1;
            now = Timestamp(now.millis() + 7_000);
            let qty = 1 + i % 3;
            let price_cents = (1 + i % 17) * 100 + i * 37 % 100;
            let total_cents = 60 * qty + price_cents;
            let pay = if i % 3 == 0 { "cashlessSum" } else { "cashSum" };
            let json = format!(
                r#"{{"doc_type":"sale","data":{{"cashier":"Aysel","items":[
                {{"itemName":"Çörək","itemQuantity":{qty},"itemPrice":0.60,"itemVatPercent":18}},
                {{"itemName":"Süd 1 l","itemQuantity":1,"itemPrice":{}.{:02},"itemVatPercent":{}}}],
                "{pay}":{}.{:02}}}}}"#,
                price_cents / 100,
                price_cents % 100,
                if i % 5 == 0 { 8 } else { 18 },
                total_cents / 100,
                total_cents % 100
            );
            let sale = issue(&mut device, &json, now, &[])?;
            emit(&mut out, &mut written, &sale)?;
            if written >= size - 1 {
                break;
            }
            if i % 25 == 0 {
                now = Timestamp(now.millis() + 3_000);
                let json = format!(
                    r#"{{"doc_type":"money_back","data":{{"cashier":"Aysel","parentDocument":"{}",
                    "items":[{{"itemName":"Çörək","itemQuantity":1,"itemPrice":0.60,"itemVatPercent":18}}],
                    "{pay}":0.60}}}}"#,
                    sale.id().short()
                );
                let d = issue(&mut device, &json, now, std::slice::from_ref(&sale))?;
                emit(&mut out, &mut written, &d)?;
            } else if i % 40 == 39 {
                now = Timestamp(now.millis() + 3_000);
                let json = format!(
                    r#"{{"doc_type":"rollback","data":{{"cashier":"Aysel","parentDocument":"{}"}}}}"#,
                    sale.id().long()
                );
                let d = issue(&mut device, &json, now, std::slice::from_ref(&sale))?;
                emit(&mut out, &mut written, &d)?;
            }
        }
        now = Timestamp(now.millis() + 60_000);
        emit(&mut out, &mut written, &device.close_shift(now)?.document)?;
        let last = device.state().last_number();
        device.acknowledge_upload(last, None)?;
    }
    out.flush()?;
    std::fs::write(
        format!("{path}.authority"),
        format!("{}\n", authority().public_key()),
    )?;
    println!("wrote {path}: {written} documents");
    Ok(())
}

fn authority_of(path: &str) -> Result<PublicKey> {
    let text = std::fs::read_to_string(format!("{path}.authority"))?;
    Ok(PublicKey::from_sec1(&hex_decode(text.trim())?)?)
}

fn hex_decode(text: &str) -> Result<Vec<u8>> {
    (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|b| u8::from_str_radix(b, 16).ok())
                .ok_or_else(|| "not hexadecimal".into())
        })
        .collect()
}

/// CPU time of the whole process so far, in seconds (`utime + stime` of /proc/self/stat, in
/// clock ticks of 1/100 s): on a shared machine a fairer measure than the wall clock.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let rest = stat.get(stat.rfind(')')? + 2..)?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// Peak resident set size in KiB (`VmHWM` of /proc/self/status), when the system says.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn verify(path: &str, threads: usize) -> Result<()> {
    let authority = authority_of(path)?;
    let rates = RateTable::azerbaijan();
    let reader = BufReader::with_capacity(1 << 20, File::open(path)?);
    let cpu = cpu_seconds();
    let start = Instant::now();
    let report = verify_journal_reader(reader, &authority, &rates, threads, |_| {
        Ok::<(), std::io::Error>(())
    })?;
    let took = start.elapsed();
    let cpu = cpu_seconds().zip(cpu).map_or(0.0, |(b, a)| b - a);
    let docs = report.documents.max(1);
    println!(
        "{path}: {} documents, {} findings ({} not kept), {threads} thread(s), provider {}: \
         {:.2} s wall, {:.1} µs/document wall, {:.1} µs/document CPU, peak RSS {} KiB",
        report.documents,
        report.findings.len(),
        report.findings_dropped,
        fiscal_core::crypto::VERIFY_PROVIDER,
        took.as_secs_f64(),
        took.as_secs_f64() * 1e6 / docs as f64,
        cpu * 1e6 / docs as f64,
        peak_rss_kib().map_or("?".into(), |k| k.to_string()),
    );
    for f in report.findings.iter().take(5) {
        println!("  {f}");
    }
    Ok(())
}

/// One thread, line by line through [`JournalVerifier::add_line`] (the sequential path).
fn seq(path: &str) -> Result<()> {
    let authority = authority_of(path)?;
    let rates = RateTable::azerbaijan();
    let reader = BufReader::with_capacity(1 << 20, File::open(path)?);
    let start = Instant::now();
    let mut v = JournalVerifier::new(&authority, &rates);
    for line in reader.lines() {
        v.add_line(&line?);
    }
    let report = v.finish();
    let took = start.elapsed();
    println!(
        "{path}: {} documents, {} findings, add_line, provider {}: {:.2} s, {:.1} µs/document, peak RSS {} KiB",
        report.documents,
        report.findings.len(),
        fiscal_core::crypto::VERIFY_PROVIDER,
        took.as_secs_f64(),
        took.as_secs_f64() * 1e6 / report.documents.max(1) as f64,
        peak_rss_kib().map_or("?".into(), |k| k.to_string()),
    );
    for f in report.findings.iter().take(5) {
        println!("  {f}");
    }
    Ok(())
}

/// The floor: the provider's signature check alone, one thread, over the journal's documents
/// (parsed beforehand, outside the timing).
fn bare(path: &str) -> Result<()> {
    let mut docs = Vec::new();
    let mut key = None;
    for line in BufReader::new(File::open(path)?).lines() {
        let line = line?;
        if line.starts_with("{\"certificate\"") {
            key = Some(Certificate::from_journal_line(&line)?.body().device_key);
        } else if !line.trim().is_empty() {
            docs.push(Document::from_journal_line(&line)?);
            if docs.len() == 20_000 {
                break;
            }
        }
    }
    let key = key.ok_or("no certificate line")?;
    let cpu = cpu_seconds();
    let start = Instant::now();
    let valid = docs.iter().filter(|d| d.verify(&key)).count();
    let took = start.elapsed();
    let cpu = cpu_seconds().zip(cpu).map_or(0.0, |(b, a)| b - a);
    println!(
        "{path}: bare verify ({}) of {} documents ({valid} valid): {:.1} µs/document wall, \
         {:.1} µs/document CPU",
        fiscal_core::crypto::VERIFY_PROVIDER,
        docs.len(),
        took.as_secs_f64() * 1e6 / docs.len().max(1) as f64,
        cpu * 1e6 / docs.len().max(1) as f64
    );
    Ok(())
}
