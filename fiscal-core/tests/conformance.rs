//! The per-case conformance harness (`harness = false`): every case of every vector family
//! (spec/vectors/*.json) against this engine, each on its own. Every failing case is named by
//! family and tcId (a failure does not stop the run), and the last line reads `N passed, M
//! failed` — alone on its line, for CI tooling — with a non-zero exit code when M > 0.
//!
//! `cargo test -p fiscal-core --test conformance [-- GLOB…]` (e.g. `math/1*`, `journal/*`,
//! `dialects/4*`, `exchanges/*`).
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

use fiscal_core::dialect::{handle, read_request, Dialect, Exchange, Policy, ReadOptions};
use fiscal_core::{describe, Device, Document, RateTable, ValidationContext};
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

/// `[(code, path)]` of notices or problems, sorted: compared as multisets.
fn code_paths(list: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = list
        .as_array()
        .map(|a| {
            a.iter()
                .map(|n| {
                    (
                        n["code"].as_str().unwrap_or("").to_string(),
                        n["path"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// A case of `dialects.json`: the wire text read with the case's dialect, policy, endpoint and
/// date (SPEC.md §8.1–§8.7), described as `describe::reading` describes it.
fn dialects(_g: &Value, t: &Value) -> Result<(), String> {
    let rates = RateTable::azerbaijan();
    let policy = Policy::from_name(t["policy"].as_str().unwrap()).unwrap();
    let options = ReadOptions {
        dialect: match t["dialect"].as_str().unwrap() {
            "auto" => None,
            name => Some(Dialect::from_name(name).unwrap()),
        },
        policy,
        operation: t["operation"].as_str(),
        context: ValidationContext {
            rates: &rates,
            date: t["date"].as_str().unwrap().parse().unwrap(),
        },
        cashier: None,
    };
    let got = describe::reading(
        &read_request(t["input"].as_str().unwrap(), &options),
        policy,
    );
    let want = &t["expected"];
    let result = if got["ok"] == json!(true) {
        "accepted"
    } else {
        "refused"
    };
    if t["result"] != json!(result) {
        let detail = if result == "refused" {
            format!("{:?}", code_paths(&got["problems"]))
        } else {
            String::new()
        };
        return Err(format!("expected {}, got {result} {detail}", t["result"]));
    }
    for k in ["dialect", "operation"] {
        if got[k] != want[k] {
            return Err(format!("{k}: expected {}, got {}", want[k], got[k]));
        }
    }
    let list = if result == "accepted" {
        "notices"
    } else {
        "problems"
    };
    let (g, w) = (code_paths(&got[list]), code_paths(&want[list]));
    if g != w {
        return Err(format!("{list}: expected {w:?}, got {g:?}"));
    }
    if result == "accepted" {
        for k in ["request", "expected_previous", "claimed"] {
            if got[k] != want[k] {
                return Err(format!("{k}: expected {}, got {}", want[k], got[k]));
            }
        }
    }
    Ok(())
}

/// `text` with every `{{base58:N}}` replaced by document N's long Base58 fiscal ID.
fn substitute(text: &str, docs: &[Document]) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("{{base58:") {
        out.push_str(&rest[..i]);
        let after = &rest[i + "{{base58:".len()..];
        let end = after.find("}}").ok_or("an unclosed {{base58:")?;
        let n: usize = after[..end].parse().map_err(|_| "{{base58:N}} without N")?;
        let doc = docs
            .get(n.wrapping_sub(1))
            .ok_or(format!("{{{{base58:{n}}}}}: no document {n} yet"))?;
        out.push_str(&doc.id().base58());
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// An exchange of `dialect_exchanges.json`: the group's device activated, then each text
/// carried out with `dialect::handle` at its moment; every answer compared byte for byte.
fn exchanges(g: &Value, t: &Value) -> Result<(), String> {
    let device = &g["device"];
    let (cert, authority, key) = scenario_family::certificate(device);
    let rates = RateTable::azerbaijan();
    let input = &t["input"];
    let (mut dev, first) = Device::activate(
        cert,
        &authority.public_key(),
        key,
        device["pin"].as_str().unwrap(),
        Some(device["qrBase"].as_str().unwrap()),
        scenario_family::parse_time(input["activateAt"].as_str().unwrap()),
    )
    .map_err(|e| format!("activation: {e}"))?;
    let mut docs = vec![first.document];
    let want = t["expected"]["steps"].as_array().unwrap();
    let steps = input["steps"].as_array().unwrap();
    if steps.len() != want.len() {
        return Err(format!("{} steps, {} expected", steps.len(), want.len()));
    }
    for (i, (s, w)) in steps.iter().zip(want).enumerate() {
        let text = substitute(s["text"].as_str().unwrap(), &docs)?;
        let refs: Vec<Document> = s["references"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| docs[n.as_u64().unwrap() as usize - 1].clone())
            .collect();
        let ex = Exchange {
            dialect: match s["dialect"].as_str().unwrap() {
                "auto" => None,
                name => Some(Dialect::from_name(name).unwrap()),
            },
            policy: Policy::from_name(s["policy"].as_str().unwrap()).unwrap(),
            operation: s["operation"].as_str(),
            now: scenario_family::parse_time(s["at"].as_str().unwrap()),
            rates: &rates,
            references: &refs,
            cashier: s["cashier"].as_str(),
            session_token: None,
        };
        let h = handle(&mut dev, &text, &ex);
        let step = i + 1;
        let answer = h.response.to_string();
        if json!(answer) != w["answer"] {
            return Err(format!(
                "step {step}: answer {answer}, expected {}",
                w["answer"]
            ));
        }
        let issued = h.issued.map(|x| {
            let j =
                json!({"kind": x.document.body().content.name(), "number": x.document.number()});
            docs.push(x.document);
            j
        });
        let notices: Vec<Value> = h
            .notices
            .iter()
            .map(|n| json!({"code": n.code.as_str(), "path": n.path}))
            .collect();
        let got = json!({
            "dialect": h.dialect.name(),
            "error": h.error.map(|e| e.code().as_str()),
            "issued": issued,
        });
        for k in ["dialect", "error", "issued"] {
            if got[k] != w[k] {
                return Err(format!("step {step}: {k} {}, expected {}", got[k], w[k]));
            }
        }
        if code_paths(&json!(notices)) != code_paths(&w["notices"]) {
            return Err(format!(
                "step {step}: notices {:?}, expected {:?}",
                code_paths(&json!(notices)),
                code_paths(&w["notices"])
            ));
        }
    }
    Ok(())
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
    let families: [(&str, &str, fn(&Value, &Value) -> Result<(), String>); 6] = [
        ("math", "math.json", math),
        ("scenario", "scenarios.json", scenario),
        ("encoding", "encoding.json", encoding),
        ("journal", "journals.json", journal),
        ("dialects", "dialects.json", dialects),
        ("exchanges", "dialect_exchanges.json", exchanges),
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
