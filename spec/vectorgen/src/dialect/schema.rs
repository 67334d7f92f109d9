//! The JSON Schemas (draft 2020-12) of `dialects.json` and `dialect_exchanges.json`
//! (`spec/vectors/schemas/dialects.schema.json`, `exchanges.schema.json`), written from the
//! engine's own lists of codes, dialects and operations so that they follow them.

use fiscal_core::dialect::{Control, Dialect, NoticeCode};
use fiscal_core::{DocType, ErrorCode};
use serde_json::{json, Value};

fn header(family: &str, file: &str, title: &str, description: &str) -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": format!("https://example.invalid/fiscal-core/spec/vectors/schemas/{file}"),
        "title": title,
        "description": description,
        "type": "object",
        "required": ["schema", "schemaFile", "suiteVersion", "spec", "comment", "notes", "testGroups"],
        "properties": {
            "schema": {"const": format!("fiscal-core-vectors/{family}/v1")},
            "schemaFile": {"const": format!("schemas/{file}")},
            "suiteVersion": {"const": "1"},
            "spec": {"type": "string", "minLength": 1},
            "comment": {"type": "string", "minLength": 1},
            "notes": {"type": "object", "additionalProperties": {"type": "string"}},
            "testGroups": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/group"}},
        },
        "additionalProperties": false,
    })
}

fn error_codes() -> Value {
    let mut names: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    names.sort_unstable();
    json!({ "enum": names })
}

fn notice_codes() -> Value {
    let mut names: Vec<&str> = NoticeCode::ALL.iter().map(|c| c.as_str()).collect();
    names.sort_unstable();
    json!({ "enum": names })
}

fn dialect_names() -> Vec<&'static str> {
    Dialect::ALL.iter().map(|d| d.name()).collect()
}

fn operations() -> Value {
    let mut names: Vec<&str> = DocType::ALL.iter().map(|d| d.wire_name()).collect();
    names.extend(Control::ALL.iter().map(|c| c.name()));
    json!({ "enum": names })
}

/// The members every test has.
fn test_common() -> Value {
    json!({
        "tcId": {"type": "integer", "minimum": 1},
        "comment": {"type": "string", "minLength": 1},
        "rules": {
            "type": "array", "minItems": 1,
            "items": {"type": "string", "pattern": "^[A-Z]{1,2}-[0-9]{2}$"},
            "uniqueItems": true,
        },
        "flags": {"type": "array", "items": {"type": "string", "minLength": 1}, "uniqueItems": true},
    })
}

fn code_paths(code: &str, min: u64) -> Value {
    json!({
        "type": "array",
        "minItems": min,
        "items": {
            "type": "object",
            "required": ["code", "path"],
            "additionalProperties": false,
            "properties": {"code": {"$ref": format!("#/$defs/{code}")}, "path": {"type": "string"}},
        },
    })
}

/// `schemas/dialects.schema.json`.
pub(crate) fn dialects_schema() -> Value {
    let mut s = header(
        "dialects",
        "dialects.schema.json",
        "fiscal-core conformance vectors: the dialects family",
        "Dialects family (spec/README.md): a request's wire text exactly as sent, with the dialect (auto or a name), the policy, the date and a kas_* body's endpoint (SPEC.md §8.1–§8.7) → the dialect, the operation, the canonical request or control call and the notices; or the problems of the refusal (codes of SPEC.md §9).",
    );
    let mut dialects = vec!["auto"];
    dialects.extend(dialect_names());
    let mut props = test_common();
    for (k, v) in [
        ("input", json!({"type": "string"})),
        ("dialect", json!({"enum": dialects})),
        ("policy", json!({"enum": ["deployed", "strict"]})),
        (
            "operation",
            json!({"type": ["string", "null"], "minLength": 1}),
        ),
        (
            "date",
            json!({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}),
        ),
        ("result", json!({"enum": ["accepted", "refused"]})),
        ("expected", json!({"type": "object"})),
    ] {
        props[k] = v;
    }
    let mut or_null = dialect_names()
        .into_iter()
        .map(Value::from)
        .collect::<Vec<_>>();
    or_null.push(Value::Null);
    let mut ops_or_null = operations()["enum"].as_array().unwrap().clone();
    ops_or_null.push(Value::Null);
    s["$defs"] = json!({
        "group": {
            "type": "object",
            "required": ["type", "comment", "tests"],
            "properties": {
                "type": {"enum": ["samples", "notices", "bugs", "controls", "operations", "malformed"]},
                "comment": {"type": "string", "minLength": 1},
                "tests": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/test"}},
            },
            "additionalProperties": false,
        },
        "test": {
            "type": "object",
            "required": ["tcId", "comment", "rules", "flags", "input", "dialect", "policy", "operation", "date", "result", "expected"],
            "properties": props,
            "additionalProperties": false,
            "allOf": [
                {
                    "if": {"properties": {"result": {"const": "accepted"}}, "required": ["result"]},
                    "then": {"properties": {"expected": {"$ref": "#/$defs/accepted"}}},
                },
                {
                    "if": {"properties": {"result": {"const": "refused"}}, "required": ["result"]},
                    "then": {"properties": {"expected": {"$ref": "#/$defs/refused"}}},
                },
            ],
        },
        "accepted": {
            "type": "object",
            "required": ["dialect", "operation", "request", "notices", "expected_previous", "claimed"],
            "additionalProperties": false,
            "properties": {
                "dialect": {"enum": dialect_names()},
                "operation": operations(),
                "request": {
                    "description": "a document's canonical request (SPEC.md §8.4: {doc_type, data}, amounts JSON numbers with their scale), or a control call's {operation, pin_given, user}",
                    "oneOf": [
                        {"type": "object", "required": ["doc_type", "data"], "additionalProperties": false,
                         "properties": {"doc_type": {"type": "string"}, "data": {"type": "object"}}},
                        {"type": "object", "required": ["operation", "pin_given", "user"], "additionalProperties": false,
                         "properties": {"operation": {"type": "string"}, "pin_given": {"type": "boolean"}, "user": {"type": ["string", "null"]}}},
                    ],
                },
                "notices": code_paths("noticeCode", 0),
                "expected_previous": {"type": ["integer", "null"], "minimum": 0},
                "claimed": {"type": "object", "additionalProperties": {"$ref": "#/$defs/decimal"}},
            },
        },
        "refused": {
            "type": "object",
            "required": ["dialect", "operation", "problems"],
            "additionalProperties": false,
            "properties": {
                "dialect": {"enum": or_null},
                "operation": {"enum": ops_or_null},
                "problems": code_paths("errorCode", 1),
            },
        },
        "errorCode": error_codes(),
        "noticeCode": notice_codes(),
        "decimal": {"type": "string", "pattern": "^-?[0-9]+\\.[0-9]+$"},
    });
    s
}

/// `schemas/exchanges.schema.json`.
pub(crate) fn exchanges_schema() -> Value {
    let mut s = header(
        "exchanges",
        "exchanges.schema.json",
        "fiscal-core conformance vectors: the dialect exchanges",
        "Exchanges (spec/README.md): a device activated from the group's seeds, then wire texts carried out in order at given moments (SPEC.md §8.8) → for each, the answer exactly as written (JSON text, byte for byte), the dialect, the error of a refusal, the document issued and the notices.",
    );
    let mut dialects = vec!["auto"];
    dialects.extend(dialect_names());
    let time = json!({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{3})?\\+04:00$"});
    let mut props = test_common();
    props["result"] = json!({"const": "valid"});
    props["input"] = json!({
        "type": "object",
        "required": ["activateAt", "steps"],
        "additionalProperties": false,
        "properties": {
            "activateAt": time,
            "steps": {"type": "array", "minItems": 1, "items": {
                "type": "object",
                "required": ["at", "text", "dialect", "policy", "operation", "references", "cashier"],
                "additionalProperties": false,
                "properties": {
                    "at": time,
                    "text": {"type": "string"},
                    "dialect": {"enum": dialects},
                    "policy": {"enum": ["deployed", "strict"]},
                    "operation": {"type": ["string", "null"], "minLength": 1},
                    "references": {"type": "array", "items": {"type": "integer", "minimum": 1}},
                    "cashier": {"type": ["string", "null"], "minLength": 1},
                },
            }},
        },
    });
    let mut error_or_null = error_codes()["enum"].as_array().unwrap().clone();
    error_or_null.push(Value::Null);
    props["expected"] = json!({
        "type": "object",
        "required": ["steps"],
        "additionalProperties": false,
        "properties": {"steps": {"type": "array", "minItems": 1, "items": {
            "type": "object",
            "required": ["dialect", "answer", "error", "issued", "notices"],
            "additionalProperties": false,
            "properties": {
                "dialect": {"enum": dialect_names()},
                "answer": {"type": "string", "minLength": 2},
                "error": {"enum": error_or_null},
                "issued": {"oneOf": [
                    {"type": "null"},
                    {"type": "object", "required": ["number", "kind"], "additionalProperties": false,
                     "properties": {"number": {"type": "integer", "minimum": 1}, "kind": {"type": "string"}}},
                ]},
                "notices": code_paths("noticeCode", 0),
            },
        }}},
    });
    s["$defs"] = json!({
        "group": {
            "type": "object",
            "required": ["type", "device", "tests"],
            "properties": {
                "type": {"const": "exchanges"},
                "device": {
                    "type": "object",
                    "required": ["authoritySeed", "deviceSeed", "pin", "qrBase", "certificate"],
                    "properties": {
                        "authoritySeed": {"type": "string"}, "deviceSeed": {"type": "string"},
                        "pin": {"type": "string"}, "qrBase": {"type": "string"},
                        "certificate": {"type": "object"},
                    },
                    "additionalProperties": false,
                },
                "tests": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/test"}},
            },
            "additionalProperties": false,
        },
        "test": {
            "type": "object",
            "required": ["tcId", "comment", "rules", "flags", "input", "result", "expected"],
            "properties": props,
            "additionalProperties": false,
        },
        "errorCode": error_codes(),
        "noticeCode": notice_codes(),
    });
    s
}
