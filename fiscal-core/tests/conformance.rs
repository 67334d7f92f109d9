//! The per-case conformance harness (`harness = false`): every case of every vector family
//! (spec/vectors/*.json) against this engine, each on its own. Every failing case is named by
//! family and tcId (a failure does not stop the run), and the last line reads `N passed, M
//! failed` — alone on its line, for CI tooling — with a non-zero exit code when M > 0.
//!
//! `cargo test -p fiscal-core --test conformance [-- GLOB…]` (e.g. `math/1*`, `journal/*`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::duplicate_mod,
    clippy::type_complexity,
    missing_docs
)]

#[path = "common/vectors/encoding.rs"]
mod encoding_family;
#[path = "common/vectors/journal.rs"]
mod journal_family;
#[path = "common/vectors/math.rs"]
mod math_family;
#[path = "common/vectors/scenario.rs"]
mod scenario_family;

use std::collections::BTreeSet;
use std::panic::{catch_unwind, AssertUnwindSafe};

use serde_json::{json, Value};

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/vectors");

fn math(_g: &Value, t: &Value) -> Result<(), String> {
    match (t["result"].as_str(), math_family::validate(&t["input"])) {
        (Some("valid"), Ok(r)) => {
            let got = math_family::expected(&r);
            (got == t["expected"])
                .then_some(())
                .ok_or(format!("expected {}, got {got}", t["expected"]))
        }
        (Some("invalid"), Err(e)) => {
            let codes: BTreeSet<&str> = e.problems().iter().map(|p| p.code.as_str()).collect();
            (json!(codes) == t["errors"])
                .then_some(())
                .ok_or(format!("errors {}, got {codes:?}", t["errors"]))
        }
        (want, Ok(_)) => Err(format!("wanted {want:?}, the engine accepts the request")),
        (want, Err(e)) => Err(format!("wanted {want:?}, the engine refuses it: {e}")),
    }
}

fn scenario(g: &Value, t: &Value) -> Result<(), String> {
    let got = scenario_family::run(&g["device"], &t["input"]);
    let (got, want) = (
        got["steps"].as_array().unwrap(),
        t["expected"]["steps"].as_array().unwrap(),
    );
    if got.len() != want.len() {
        return Err(format!("{} steps, {} expected", got.len(), want.len()));
    }
    match got.iter().zip(want).position(|(a, b)| a != b) {
        None => Ok(()),
        Some(i) => Err(format!(
            "step {}: expected {}, got {}",
            i + 1,
            want[i],
            got[i]
        )),
    }
}

fn encoding(g: &Value, t: &Value) -> Result<(), String> {
    encoding_family::check_encoding_case(g, t);
    Ok(())
}

fn journal(g: &Value, t: &Value) -> Result<(), String> {
    journal_family::check_journal_case(g, t)
}

fn glob(pattern: &str, name: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == name,
        Some((head, tail)) => {
            name.len() >= head.len() + tail.len() && name.starts_with(head) && name.ends_with(tail)
        }
    }
}

fn main() {
    let select: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let families: [(&str, &str, fn(&Value, &Value) -> Result<(), String>); 4] = [
        ("math", "math.json", math),
        ("scenario", "scenarios.json", scenario),
        ("encoding", "encoding.json", encoding),
        ("journal", "journals.json", journal),
    ];
    // Panics inside a case become its failure message, not noise on stderr.
    std::panic::set_hook(Box::new(|_| {}));
    let (mut passed, mut failed) = (0usize, 0usize);
    for (family, file, check) in families {
        let path = format!("{VECTORS}/{file}");
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let mut seen = BTreeSet::new();
        for g in doc["testGroups"].as_array().unwrap() {
            for t in g["tests"].as_array().unwrap() {
                let id = t["tcId"].as_u64().unwrap_or(0);
                let name = format!("{family}/{id}");
                if !select.is_empty() && !select.iter().any(|p| glob(p, &name)) {
                    continue;
                }
                let verdict = if !seen.insert(id) {
                    Err("tcId given twice".to_string())
                } else {
                    catch_unwind(AssertUnwindSafe(|| check(g, t))).unwrap_or_else(|p| {
                        Err(p
                            .downcast_ref::<String>()
                            .cloned()
                            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                            .unwrap_or_else(|| "panicked".into()))
                    })
                };
                match verdict {
                    Ok(()) => passed += 1,
                    Err(why) => {
                        failed += 1;
                        let why: String = why.chars().take(600).collect();
                        println!(
                            "FAIL {name} ({}): {why}",
                            t["comment"].as_str().unwrap_or("")
                        );
                    }
                }
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    if failed > 0 {
        std::process::exit(1);
    }
}
