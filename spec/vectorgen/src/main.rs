//! The generator of the conformance vectors (`spec/vectors/`, spec/README.md): the case lists
//! and the code that turns them into the JSON files. The checks against the engine stay in
//! fiscal-core's tests (`cargo test -p fiscal-core`), which only read the files.
//!
//! ```text
//! cargo run -p fiscal-core-vectorgen -- --write   # (re)writes the vector files
//! cargo run -p fiscal-core-vectorgen -- --check   # fails, naming each file, when a committed
//!                                                 # file differs from what it would write
//! ```
//!
//! Files written: `math.json` ([`math`]), `scenarios.json` ([`scenario`]), `encoding.json`
//! ([`encoding`]), `journals.json` ([`journal`]), and `dialects.json` and
//! `dialect_exchanges.json` with their schemas ([`dialect`]). The expected values are the engine's own
//! output; the independent references of `spec/tools/` re-derive them, so the suite does not
//! just bless the engine. A new case takes the next free tcId of
//! its file (tcIds are never renumbered; `engine::tc_ids` refuses a missing or repeated one).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod dialect;
mod encoding;
mod engine;
mod journal;
mod math;
mod scenario;

use std::process::ExitCode;

/// The vector files' folder.
const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../vectors");

/// Gives a file's text.
type Text = fn() -> String;

/// Each file this generator writes, with the function that gives its text.
const FILES: [(&str, Text); 8] = [
    ("math.json", math_text),
    ("scenarios.json", scenario::text),
    ("encoding.json", encoding_text),
    ("journals.json", journal_text),
    ("dialects.json", dialects_text),
    ("dialect_exchanges.json", exchanges_text),
    ("schemas/dialects.schema.json", dialects_schema_text),
    ("schemas/exchanges.schema.json", exchanges_schema_text),
];

/// A value as the files are written: pretty JSON with a final newline.
fn pretty(v: &serde_json::Value) -> String {
    serde_json::to_string_pretty(v).unwrap() + "\n"
}

fn math_text() -> String {
    pretty(&math::generate())
}

fn encoding_text() -> String {
    pretty(&encoding::encoding_file())
}

fn journal_text() -> String {
    pretty(&journal::journal_file())
}

fn dialects_text() -> String {
    pretty(&dialect::dialects_file())
}

fn exchanges_text() -> String {
    let mut text = String::new();
    scenario::write_value(&dialect::exchanges::exchanges_file(), 0, &mut text);
    text.push('\n');
    text
}

fn dialects_schema_text() -> String {
    pretty(&dialect::schema::dialects_schema())
}

fn exchanges_schema_text() -> String {
    pretty(&dialect::schema::exchanges_schema())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let write = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["--write"] => true,
        ["--check"] => false,
        _ => {
            eprintln!("usage: fiscal-core-vectorgen --write | --check");
            return ExitCode::from(2);
        }
    };
    let mut stale = 0;
    for (name, text) in FILES {
        let path = format!("{VECTORS}/{name}");
        let text = text();
        if write {
            std::fs::write(&path, &text).unwrap_or_else(|e| panic!("{path}: {e}"));
            println!("wrote spec/vectors/{name}");
        } else if std::fs::read_to_string(&path).ok().as_deref() == Some(text.as_str()) {
            println!("spec/vectors/{name} is current");
        } else {
            stale += 1;
            eprintln!(
                "spec/vectors/{name} is not what the cases give: run \
                 `cargo run -p fiscal-core-vectorgen -- --write` and read the diff"
            );
        }
    }
    if stale > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
