//! The dialect family (`spec/vectors/dialects.json`, SPEC.md §8.1–§8.7): a request's wire text
//! exactly as its POS program sent it, with the dialect (`auto` or a name), the policy and the
//! endpoint of a `kas_*` body → the dialect recognised, the operation, and the canonical
//! request (or the control call) with every notice; or the problems of its refusal. The cases
//! are every request sample of `spec/dialects/samples/` (read here, from the repository, three
//! ways each) and small synthetic texts ([`synthetic`]); the expected values are the engine's
//! (`fiscal_core::describe::reading`, what `fiscal-core validate --json` and Python's
//! `read_request_dict` print), and `spec/tools/references/check_dialects.py` re-derives what
//! needs no tax arithmetic from SPEC.md §8 alone.
//!
//! [`exchanges`] writes the second file, `dialect_exchanges.json`: texts carried out on a
//! device with `fiscal_core::dialect::handle`, each answer byte for byte (SPEC.md §8.8).

pub(crate) mod exchanges;
mod samples;
pub(crate) mod schema;
mod synthetic;

use fiscal_core::dialect::{read_request, Dialect, Policy, ReadOptions};
use fiscal_core::{describe, RateTable, ValidationContext};
use serde_json::{json, Map, Value};

use crate::engine::tc_ids::check_tc_ids;

/// The day every case is read on (the rates in force, SPEC.md §5.1).
pub(crate) const DATE: &str = "2026-11-23";

/// The samples' folder.
const SAMPLES_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../dialects/samples");

/// One case: its tcId, group, what it shows, its flags, the wire text and how it is read.
pub(crate) struct DCase {
    pub(crate) id: u64,
    pub(crate) group: usize,
    pub(crate) comment: String,
    pub(crate) flags: Vec<&'static str>,
    pub(crate) text: String,
    /// `auto` or a dialect's name.
    pub(crate) dialect: &'static str,
    /// `strict` or `deployed`.
    pub(crate) policy: &'static str,
    /// The endpoint a `kas_*` body was posted to, or the operation the caller expects.
    pub(crate) operation: Option<String>,
}

/// The groups of the file: (type, comment).
const GROUPS: [(&str, &str); 6] = [
    (
        "samples",
        "every request sample of spec/dialects/samples/ (INDEX-*.md; files named …-response… are answers, not requests), three ways: auto + deployed, the sample's named dialect + deployed, auto + strict; an e-Kassam body with the endpoint of its file name (kas_…)",
    ),
    (
        "notices",
        "one text per notice code of SPEC.md §8.6 the engine gives, under both policies: the same text accepted with the notice, and under strict either accepted with it too (the dialect's own conventions) or refused with the code in brackets",
    ),
    (
        "bugs",
        "the real mistakes of SPEC.md §8.6, refused in both policies",
    ),
    (
        "controls",
        "every control call of every vendor dialect (SPEC.md §8.1): the operation and {operation, pin_given, user}",
    ),
    (
        "operations",
        "texts whose operation cannot be told, or is not this engine's (unknown_operation, unknown_doc_type, missing_field), and dialects named for a text of another",
    ),
    (
        "malformed",
        "texts that are not a JSON object, repeat a member (duplicate_member with its path, SPEC.md §8.3), or whose envelope has the wrong JSON type",
    ),
];

/// The engine's description of the reading (SPEC.md §8.6): `describe::reading`.
pub(crate) fn describe_reading(
    text: &str,
    dialect: &str,
    policy: &str,
    operation: Option<&str>,
    date: &str,
) -> Value {
    let rates = RateTable::azerbaijan();
    let policy = Policy::from_name(policy).unwrap();
    let options = ReadOptions {
        dialect: match dialect {
            "auto" => None,
            name => Some(Dialect::from_name(name).unwrap()),
        },
        policy,
        operation,
        context: ValidationContext {
            rates: &rates,
            date: date.parse().unwrap(),
        },
        cashier: None,
    };
    describe::reading(&read_request(text, &options), policy)
}

/// `[{code, path}]` of a description's notices or problems.
fn code_paths(list: &Value) -> Value {
    list.as_array()
        .unwrap()
        .iter()
        .map(|n| json!({"code": n["code"], "path": n["path"]}))
        .collect()
}

/// The case's result (`accepted` | `refused`), its expected object and its rules (PK-11, the
/// format control every reading is, with the rule of each notice and problem).
pub(crate) fn expected(reading: &Value) -> (&'static str, Value, Vec<String>) {
    let mut rules = vec!["PK-11".to_string()];
    let list = if reading["ok"] == json!(true) {
        "notices"
    } else {
        "problems"
    };
    for n in reading[list].as_array().unwrap() {
        rules.push(n["rule"].as_str().unwrap().to_string());
    }
    rules.retain(|r| is_rule_id(r));
    rules.sort();
    rules.dedup();
    if reading["ok"] == json!(true) {
        (
            "accepted",
            json!({
                "dialect": reading["dialect"],
                "operation": reading["operation"],
                "request": reading["request"],
                "notices": code_paths(&reading["notices"]),
                "expected_previous": reading["expected_previous"],
                "claimed": reading["claimed"],
            }),
            rules,
        )
    } else {
        (
            "refused",
            json!({
                "dialect": reading["dialect"],
                "operation": reading["operation"],
                "problems": code_paths(&reading["problems"]),
            }),
            rules,
        )
    }
}

/// A RULES.md ID (`RC-05`), not a section of SPEC.md some codes name instead.
pub(crate) fn is_rule_id(r: &str) -> bool {
    let Some((family, number)) = r.split_once('-') else {
        return false;
    };
    (1..=2).contains(&family.len())
        && family.bytes().all(|b| b.is_ascii_uppercase())
        && number.len() == 2
        && number.bytes().all(|b| b.is_ascii_digit())
}

/// The three cases of each request sample, read from the repository.
fn sample_cases() -> Vec<DCase> {
    let mut files: Vec<String> = std::fs::read_dir(SAMPLES_DIR)
        .unwrap_or_else(|e| panic!("{SAMPLES_DIR}: {e}"))
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".json") && !n.contains("response"))
        .collect();
    files.sort();
    let listed: Vec<&str> = samples::SAMPLES.iter().map(|(_, f)| *f).collect();
    for f in &files {
        assert!(
            listed.contains(&f.as_str()),
            "the request sample {f} has no tcIds: add it to spec/vectorgen/src/dialect/samples.rs with the next free ids"
        );
    }
    let mut out = Vec::new();
    for &(id, file) in samples::SAMPLES {
        assert!(
            files.iter().any(|f| f == file),
            "samples.rs lists {file}, which is not a request sample of spec/dialects/samples/"
        );
        let bytes = std::fs::read(format!("{SAMPLES_DIR}/{file}")).unwrap();
        let text = String::from_utf8(bytes).unwrap_or_else(|_| panic!("{file} is not UTF-8"));
        // `<client>-<dialect>-<operation>[-…].json`; an e-Kassam body's endpoint is its
        // operation part (`kas_sale`).
        let stem = file.trim_end_matches(".json");
        let parts: Vec<&str> = stem.split('-').collect();
        let named: &'static str = match parts[1] {
            "nba" => "nba",
            "airconn" => "airconn",
            "omnitech" => "omnitech",
            "ekassam" => "ekassam",
            other => panic!("{file}: no dialect {other}"),
        };
        let operation = (named == "ekassam").then(|| parts[2].to_string());
        let mut flags = vec!["sample"];
        if stem.contains("-bug-") {
            flags.push("bug");
        }
        for (k, (dialect, policy, how)) in [
            ("auto", "deployed", "auto, deployed"),
            (named, "deployed", "named dialect, deployed"),
            ("auto", "strict", "auto, strict"),
        ]
        .into_iter()
        .enumerate()
        {
            let mut f = flags.clone();
            if dialect != "auto" {
                f.push("named-dialect");
            }
            out.push(DCase {
                id: id + k as u64,
                group: 0,
                comment: format!("sample {file} ({how})"),
                flags: f,
                text: text.clone(),
                dialect,
                policy,
                operation: operation.clone(),
            });
        }
    }
    out
}

/// The whole of `dialects.json`.
pub(crate) fn dialects_file() -> Value {
    let mut cases = sample_cases();
    cases.extend(synthetic::cases());
    check_tc_ids("dialects", cases.iter().map(|c| (c.id, c.comment.as_str())));
    let mut groups: Vec<Vec<Value>> = vec![Vec::new(); GROUPS.len()];
    for c in &cases {
        let reading = describe_reading(&c.text, c.dialect, c.policy, c.operation.as_deref(), DATE);
        let (result, expected, rules) = expected(&reading);
        groups[c.group].push(json!({
            "tcId": c.id,
            "comment": c.comment,
            "rules": rules,
            "flags": c.flags,
            "input": c.text,
            "dialect": c.dialect,
            "policy": c.policy,
            "operation": c.operation,
            "date": DATE,
            "result": result,
            "expected": expected,
        }));
    }
    for g in &mut groups {
        g.sort_by_key(|t| t["tcId"].as_u64().unwrap());
    }
    let test_groups: Vec<Value> = GROUPS
        .iter()
        .zip(groups)
        .map(|((kind, comment), tests)| json!({"type": kind, "comment": comment, "tests": tests}))
        .collect();
    let mut notes = Map::new();
    for (k, v) in NOTES {
        notes.insert((*k).into(), json!(v));
    }
    json!({
        "schema": "fiscal-core-vectors/dialects/v1",
        "schemaFile": "schemas/dialects.schema.json",
        "suiteVersion": "1",
        "spec": "spec/SPEC.md §8.1–§8.7, §9",
        "comment": "Dialects: input is a request's wire text exactly as its POS program sent it (a JSON string: every byte, pretty-printing and \\u escapes kept), read under `dialect` (auto: recognised from the envelope, SPEC.md §8.1; or a name: fiscal-core, airconn, nba, omnitech, ekassam) and `policy` (strict | deployed, §8.6) on `date` (the rates in force), with `operation` the endpoint a kas_* body was posted to (or null). result accepted: expected = {dialect, operation (a doc_type or a control call's name), request (the canonical request of §8.4 — amounts JSON numbers with their scale — or, for a control call, {operation, pin_given, user}), notices [{code, path}] (§8.6), expected_previous (the prev_doc_number guard, or null), claimed ({member: amount} a cancel carried, checked against the receipt it voids when issued)}. result refused: expected = {dialect (null when not recognised), operation (null when not told), problems [{code, path}] (codes of §9)}. Notices and problems are compared as multisets of (code, path); paths name members of data without `data.` and envelope members by their whole path. The expected values are this engine's (fiscal_core::describe::reading); spec/tools/references/check_dialects.py re-derives the dialect, the operation and every notice and problem that needs no tax arithmetic from SPEC.md §8 alone.",
        "notes": Value::Object(notes),
        "testGroups": test_groups,
    })
}

/// What each flag means.
const NOTES: &[(&str, &str)] = &[
    ("sample", "a request sample of spec/dialects/samples/, named in the comment (INDEX-*.md says which POS program sends it and how its bytes were made)"),
    ("bug", "a sample of a real client bug (its file name has -bug-): SPEC.md §8.6 says which are refused in both policies and which the deployed policy accepts with a notice"),
    ("named-dialect", "the dialect is given by name instead of recognised (auto)"),
    ("notice", "shows one notice code of SPEC.md §8.6 (the code is in the comment)"),
    ("leniency", "a leniency of the deployed policy: refused under strict with the code in brackets in SPEC.md §8.6"),
    ("convention", "a dialect's own convention: read the same under both policies"),
    ("real-bug", "one of the real mistakes SPEC.md §8.6 refuses in both policies"),
    ("control", "a control call (SPEC.md §8.1)"),
    ("unknown-operation", "no dialect's envelope, or an operation, check type or endpoint this engine does not have (unknown_operation)"),
    ("envelope", "the envelope itself is at fault (missing or wrong member, or a dialect named for a text of another)"),
    ("malformed", "not JSON, or not a JSON object (malformed_json)"),
    ("duplicate-member", "a member repeated in one object, names compared after unescaping (duplicate_member, SPEC.md §8.3)"),
    ("escape", "a \\u escape in the text, decoded before any check"),
    ("misspelt", "a member within two edits (one for a name of four letters or fewer) of a member of its object or of the envelope, letter case ignored: refused in both policies (SPEC.md §8.6)"),
    ("no-notice", "read with no notice: nothing was left aside or read otherwise than written"),
    ("silent", "a vendor member, or a member a cancel takes, that the reading treats without a notice of its own (SPEC.md §8.6: nothing is normalised silently); the independent reference expects one"),
];
