//! The exchanges of the dialect family (`spec/vectors/dialect_exchanges.json`, SPEC.md §8.8):
//! a device activated with the scenario family's test keys, then wire texts carried out one
//! after the other with `fiscal_core::dialect::handle` at given moments; each answer is recorded
//! byte for byte (the JSON text a POS program reads back), with the dialect, the document
//! issued, the error of a refusal and the notices. A text may name a document of the run by
//! `{{base58:N}}`: document N's long Base58 fiscal ID, the form the vendor answers hand out.

use fiscal_core::dialect::{handle, Dialect, Exchange, Policy};
use fiscal_core::{Device, Document, RateTable};
use serde_json::{json, Value};

use crate::engine::scenario::{certificate, parse_time};
use crate::engine::tc_ids::check_tc_ids;
use crate::scenario::device_params;

/// The device is activated at this moment (document 1).
const ACTIVATED: &str = "2026-11-23T08:00:00+04:00";

/// The moment `hh:mm:ss` of the exchanges' day, in Baku.
fn at(hms: &str) -> String {
    format!("2026-11-23T{hms}+04:00")
}

/// One step: a text carried out at a moment.
struct Step {
    at: String,
    text: String,
    dialect: &'static str,
    policy: &'static str,
    operation: Option<&'static str>,
    references: Vec<u64>,
    cashier: Option<&'static str>,
}

fn step(hms: &str, text: &str) -> Step {
    Step {
        at: at(hms),
        text: text.into(),
        dialect: "auto",
        policy: "deployed",
        operation: None,
        references: Vec::new(),
        cashier: None,
    }
}

impl Step {
    fn dialect(mut self, d: &'static str) -> Step {
        self.dialect = d;
        self
    }
    fn endpoint(mut self, op: &'static str) -> Step {
        self.operation = Some(op);
        self
    }
    fn refs(mut self, r: &[u64]) -> Step {
        self.references = r.to_vec();
        self
    }
    fn cashier(mut self, c: &'static str) -> Step {
        self.cashier = Some(c);
        self
    }
    fn json(&self) -> Value {
        json!({
            "at": self.at,
            "text": self.text,
            "dialect": self.dialect,
            "policy": self.policy,
            "operation": self.operation,
            "references": self.references,
            "cashier": self.cashier,
        })
    }
}

/// `text` with every `{{base58:N}}` replaced by document N's long Base58 fiscal ID.
pub(crate) fn substitute(text: &str, docs: &[Document]) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("{{base58:") {
        out.push_str(&rest[..i]);
        let after = &rest[i + "{{base58:".len()..];
        let end = after.find("}}").expect("{{base58:N}} is closed");
        let n: usize = after[..end].parse().expect("{{base58:N}} names a number");
        out.push_str(&docs[n - 1].id().base58());
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// Carries out an exchange's steps on a fresh device; the expected steps.
pub(crate) fn run(device: &Value, input: &Value) -> Value {
    let (cert, authority, key) = certificate(device);
    let rates = RateTable::azerbaijan();
    let (mut dev, first) = Device::activate(
        cert,
        &authority.public_key(),
        key,
        device["pin"].as_str().unwrap(),
        Some(device["qrBase"].as_str().unwrap()),
        parse_time(input["activateAt"].as_str().unwrap()),
    )
    .unwrap();
    let mut docs = vec![first.document];
    let mut out = Vec::new();
    for s in input["steps"].as_array().unwrap() {
        let text = substitute(s["text"].as_str().unwrap(), &docs);
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
            now: parse_time(s["at"].as_str().unwrap()),
            rates: &rates,
            references: &refs,
            cashier: s["cashier"].as_str(),
            session_token: None,
        };
        let h = handle(&mut dev, &text, &ex);
        let issued = h.issued.map(|i| {
            assert_eq!(i.document.number() as usize, docs.len() + 1);
            let j =
                json!({"number": i.document.number(), "kind": i.document.body().content.name()});
            docs.push(i.document);
            j
        });
        out.push(json!({
            "dialect": h.dialect.name(),
            "answer": h.response.to_string(),
            "error": h.error.map(|e| e.code().as_str()),
            "issued": issued,
            "notices": h.notices.iter().map(|n| json!({"code": n.code.as_str(), "path": n.path})).collect::<Vec<_>>(),
        }));
    }
    json!({ "steps": out })
}

const TOKEN: &str = "T0k3n";

fn nba_control(op: &str) -> String {
    format!(r#"{{"version":1,"operationId":"{op}","parameters":{{"access_token":"{TOKEN}"}}}}"#)
}

fn nba_login(pin: &str) -> String {
    format!(
        r#"{{"version":1,"operationId":"toLogin","parameters":{{"pin":"{pin}","role":"user","cashregister_factory_number":"KX2-000777"}}}}"#
    )
}

const NBA_SALE_DATA: &str = r#"{"cashier":"Aysel","currency":"AZN","items":[{"itemName":"Çörək","itemCodeType":0,"itemCode":"","itemQuantityType":0,"itemQuantity":2,"itemPrice":0.60,"itemSum":1.20,"itemVatPercent":18},{"itemName":"Süd","itemCodeType":2,"itemCode":"4760001000015","itemQuantityType":0,"itemQuantity":1,"itemPrice":2.35,"itemSum":2.35,"itemVatPercent":18}],"sum":3.55,"cashSum":3.55,"cashlessSum":0,"bonusSum":0,"prepaymentSum":0,"creditSum":0,"incomingSum":5,"changeSum":1.45,"vatAmounts":[{"vatSum":3.55,"vatPercent":18}]}"#;

fn nba_sale(prev: u64) -> String {
    format!(
        r#"{{"version":1,"operationId":"createDocument","parameters":{{"access_token":"{TOKEN}","doc_type":"sale","prev_doc_number":{prev},"data":{NBA_SALE_DATA}}}}}"#
    )
}

/// A return naming a receipt of the kassa's previous token by its Base58 ID (the NBA PDF's
/// sample), which this device never issued: a foreign reference under `deployed`.
fn nba_foreign_return() -> String {
    format!(
        r#"{{"version":1,"operationId":"createDocument","parameters":{{"access_token":"{TOKEN}","doc_type":"money_back","data":{{"cashier":"Aysel","currency":"AZN","parentDocument":"EsVkkzPE1Tvav2AvKzuhNzqYf6LzFKBnUKPwBzf4UNVw","moneyBackType":0,"items":[{{"itemName":"Süd","itemCodeType":2,"itemCode":"4760001000015","itemQuantityType":0,"itemQuantity":1,"itemPrice":2.35,"itemSum":2.35,"itemVatPercent":18}}],"sum":2.35,"cashSum":2.35,"vatAmounts":[{{"vatSum":2.35,"vatPercent":18}}]}}}}}}"#
    )
}

fn omni(check: u32, members: &str) -> String {
    format!(
        r#"{{"requestData":{{"access_token":"{TOKEN}",{members}"checkData":{{"check_type":{check}}}}}}}"#
    )
}

/// The exchanges: (tcId, comment, flags, extra rules, steps).
fn cases() -> Vec<(u64, &'static str, Vec<&'static str>, Vec<Step>)> {
    let omni_sale = omni(
        1,
        r#""int_ref":"123456","tokenData":{"parameters":{"doc_type":"sale","data":{"cashier":"Aysel","currency":"AZN","items":[{"itemName":"Pomidor","itemCodeType":0,"itemCode":"57","itemQuantityType":1,"itemQuantity":0.750,"itemPrice":3.20,"itemSum":2.40,"itemVatPercent":18,"discount":0}],"sum":2.40,"cashSum":2.40,"cashlessSum":0,"bonusSum":0,"prepaymentSum":0,"creditSum":0,"incomingSum":2.40,"vatAmounts":[{"vatSum":2.40,"vatPercent":18}]}},"operationId":"createDocument","version":1},"#,
    );
    let omni_rollback = r#"{"requestData":{"access_token":"T0k3n","checkData":{"check_type":10},"fiscalId":"{{base58:3}}"}}"#;
    let kas_sale = r#"{"cashier":"Aysel","currency":"AZN","items":[{"itemName":"Süd 3,2% 1L","itemCodeType":2,"itemCode":"4760012345679","itemQuantityType":0,"itemQuantity":1.0,"itemPrice":2.35,"itemSum":2.35,"itemVatPercent":18.0,"itemMarginPrice":0.0,"itemMarginSum":0.0}],"sum":2.35,"cashSum":2.35,"cashlessSum":0.0,"bonusSum":0.0,"prepaymentSum":0.0,"creditSum":0.0,"incomingSum":5.0,"changeSum":2.65,"vatAmounts":[{"vatSum":2.35,"vatPercent":18}]}"#;
    let kas_moneyback = r#"{"cashier":"Aysel","currency":"AZN","parentDocument":"{{base58:3}}","moneyBackType":0,"items":[{"itemName":"Süd 3,2% 1L","itemCodeType":0,"itemCode":"4760012345679","itemQuantityType":0,"itemQuantity":1.0,"itemPrice":2.35,"itemSum":2.35,"itemVatPercent":18.0,"itemMarginPrice":0.0,"itemMarginSum":0.0}],"sum":2.35,"cashSum":2.35,"cashlessSum":0.0,"bonusSum":0.0,"prepaymentSum":0.0,"creditSum":0.0,"changeSum":0.0,"vatAmounts":[{"vatSum":2.35,"vatPercent":18}]}"#;
    let airconn_sale = r#"{
  "version" : 1,
  "parameters" : {
    "data" : {
      "cashier" : "Məmmədova A.",
      "currency" : "AZN",
      "items" : [ {
        "itemName" : "Çörək",
        "itemCodeType" : 0,
        "itemCode" : "101",
        "itemQuantityType" : 0,
        "itemQuantity" : 2.000,
        "itemPrice" : 0.60,
        "itemSum" : 1.20,
        "itemVatPercent" : 18.0
      } ],
      "sum" : 1.20,
      "cashSum" : 1.20,
      "cashlessSum" : 0.00,
      "prepaymentSum" : 0.00,
      "creditSum" : 0.00,
      "bonusSum" : 0.00,
      "vatAmounts" : [ {
        "vatPercent" : 18.0,
        "vatSum" : 1.20
      } ],
      "parentDocument" : null,
      "firstOperationAtUtc" : null,
      "lastOperationAtUtc" : null
    },
    "access_token" : "pC/2ipixHe9/IUoKUUj+uA==",
    "doc_type" : "sale"
  },
  "operationId" : "createDocument"
}"#;
    let airconn_control = |op: &str| {
        format!(
            "{{\n  \"version\" : 1,\n  \"parameters\" : {{\n    \"access_token\" : \"pC/2ipixHe9/IUoKUUj+uA==\"\n  }},\n  \"operationId\" : \"{op}\"\n}}"
        )
    };
    let fc_sale = r#"{"doc_type":"sale","data":{"cashier":"Aysel","items":[{"itemName":"Çay","itemQuantity":1,"itemPrice":3.00,"itemVatPercent":18}],"cashSum":3.00}}"#;
    let fc_bad = r#"{"doc_type":"sale","data":{"cashier":"Aysel","items":[{"itemName":"Çay","itemQuantity":1,"itemPrice":3.00,"itemSum":2.50,"itemVatPercent":18}],"cashSum":2.50}}"#;
    vec![
        (
            1,
            "nba: toLogin, openShift, a sale guarded by prev_doc_number, a return on a receipt of the kassa's previous token named by its Base58 ID (a foreign reference: the notice foreign_reference), getXReport, getShiftStatus, the same sale again (its guard no longer holds: sequence_mismatch), closeShift (the Z-report), getLastDocument, toLogout, and a login with a wrong PIN (NBA's 404)",
            vec!["nba", "refusal"],
            vec![
                step("09:00:00", &nba_login("1234")),
                step("09:00:05", &nba_control("openShift")),
                step("09:15:00", &nba_sale(2)),
                step("09:18:00", &nba_foreign_return()),
                step("09:20:00", &nba_control("getXReport")),
                step("09:21:00", &nba_control("getShiftStatus")),
                step("09:30:00", &nba_sale(2)),
                step("18:00:00", &nba_control("closeShift")),
                step("18:01:00", &nba_control("getLastDocument")),
                step("18:02:00", &nba_control("toLogout")),
                step("18:03:00", &nba_login("9999")),
            ],
        ),
        (
            2,
            "omnitech: login (check_type 40), open shift (15), a sale (1), its rollback by fiscalId = the sale's long_id (10), the same rollback again (Omnitech's 1312), a deposit with no cashier (the session's user), shift status (14), X-report (12), Z-report (13)",
            vec!["omnitech", "refusal"],
            vec![
                step(
                    "09:00:00",
                    r#"{"requestData":{"checkData":{"check_type":40},"name":"SuperApi","password":"1234"}}"#,
                ),
                step("09:00:05", &omni(15, "")),
                step("09:15:00", &omni_sale),
                step("09:16:00", omni_rollback).refs(&[3]),
                step("09:17:00", omni_rollback).refs(&[3]),
                step(
                    "09:30:00",
                    &omni(7, r#""tokenData":{"parameters":{"data":{"cashSum":50}}},"#),
                )
                .cashier("Aysel Məmmədova"),
                step("09:31:00", &omni(14, "")),
                step("09:32:00", &omni(12, "")),
                step("18:00:00", &omni(13, "")),
            ],
        ),
        (
            3,
            "ekassam: kas_openshift (a GET: the text {}), kas_sale, kas_moneyback naming the sale by its Base58 document_id, kas_shift, kas_xreport, kas_closeshift, then kas_sale with no shift open (the token's text \"document: invalid shift status\")",
            vec!["ekassam", "refusal"],
            vec![
                step("09:00:00", "{}").endpoint("kas_openshift"),
                step("09:15:00", kas_sale).endpoint("kas_sale"),
                step("09:15:30", kas_moneyback).endpoint("kas_moneyback").refs(&[3]),
                step("09:16:00", "{}").endpoint("kas_shift"),
                step("09:17:00", "{}").endpoint("kas_xreport"),
                step("18:00:00", "{}").endpoint("kas_closeshift"),
                step("18:05:00", kas_sale).endpoint("kas_sale"),
            ],
        ),
        (
            4,
            "airconn (Set Retail's pretty-printed Jackson texts): toLogin, openShift, openShift again (AirConn's 103), a sale (recognised by its firstOperationAtUtc), getXReport (AirConn's report rows), closeShift",
            vec!["airconn", "refusal"],
            vec![
                step(
                    "09:00:00",
                    "{\n  \"version\" : 1,\n  \"parameters\" : {\n    \"cashregister_factory_number\" : \"KX2-000777\",\n    \"pin\" : \"1234\",\n    \"role\" : \"user\"\n  },\n  \"operationId\" : \"toLogin\"\n}",
                )
                .dialect("airconn"),
                step("09:00:05", &airconn_control("openShift")).dialect("airconn"),
                step("09:00:10", &airconn_control("openShift")).dialect("airconn"),
                step("09:15:00", airconn_sale),
                step("09:20:00", &airconn_control("getXReport")).dialect("airconn"),
                step("18:00:00", &airconn_control("closeShift")).dialect("airconn"),
            ],
        ),
        (
            5,
            "fiscal-core: a sale in this engine's form before any shift (refused: the error's description), an NBA openShift, the sale (the document's description), a sale whose line total is wrong (refused with its problems)",
            vec!["fiscal-core", "refusal"],
            vec![
                step("09:00:00", fc_sale),
                step("09:00:05", &nba_control("openShift")),
                step("09:15:00", fc_sale),
                step("09:16:00", fc_bad),
            ],
        ),
    ]
}

/// The whole of `dialect_exchanges.json`.
pub(crate) fn exchanges_file() -> Value {
    let device = device_params();
    let cases = cases();
    check_tc_ids("exchanges", cases.iter().map(|c| (c.0, c.1)));
    let tests: Vec<Value> = cases
        .into_iter()
        .map(|(id, comment, flags, steps)| {
            let input = json!({
                "activateAt": ACTIVATED,
                "steps": steps.iter().map(Step::json).collect::<Vec<_>>(),
            });
            let expected = run(&device, &input);
            let mut rules = vec!["PK-11".to_string(), "PK-02".to_string()];
            for s in expected["steps"].as_array().unwrap() {
                if let Some(code) = s["error"].as_str() {
                    let code = fiscal_core::ErrorCode::from_name(code).unwrap();
                    rules.push(code.rule().to_string());
                }
                for n in s["notices"].as_array().unwrap() {
                    let code =
                        fiscal_core::dialect::NoticeCode::from_name(n["code"].as_str().unwrap())
                            .unwrap();
                    rules.push(code.rule().to_string());
                }
            }
            rules.retain(|r| super::is_rule_id(r));
            rules.sort();
            rules.dedup();
            json!({
                "tcId": id,
                "comment": comment,
                "rules": rules,
                "flags": flags,
                "input": input,
                "result": "valid",
                "expected": expected,
            })
        })
        .collect();
    json!({
        "schema": "fiscal-core-vectors/exchanges/v1",
        "schemaFile": "schemas/exchanges.schema.json",
        "suiteVersion": "1",
        "spec": "spec/SPEC.md §8.1–§8.8, §14",
        "comment": "Exchanges: a device (the group's `device`: keys from seeds, SPEC.md §12.3, the certificate's fields, the PIN, the QR base) activated at input.activateAt (document 1), then input.steps carried out in order, each a wire text exactly as sent, at `at`, read with `dialect` (auto or a name), `policy` and `operation` (the endpoint of a kas_* body), with `references` (numbers of this run's documents the request refers to, handed to the device as the receipts it names) and `cashier` (the session's user, or null). In a text, {{base58:N}} stands for the long Base58 fiscal ID of this run's document N (the form the vendor answers hand out). expected.steps: for each step the dialect answered in, the answer exactly as written (`answer`: JSON text, compared byte for byte; SPEC.md §8.8), the error code of a refusal (or null), the document issued ({number, kind}, or null) and the notices [{code, path}] of the reading.",
        "notes": {
            "nba": "NBA's envelope and answers",
            "airconn": "AirConn's (Set Retail's pretty-printed texts)",
            "omnitech": "Omnisoft / OmniTech's",
            "ekassam": "e-Kassam kas_* bodies, the endpoint given",
            "fiscal-core": "this engine's own form: answers are the document's or the error's description (SPEC.md §8.5)",
            "refusal": "a step is refused: the answer is the dialect's {code, message} (SPEC.md §8.8)",
        },
        "testGroups": [{"type": "exchanges", "device": device, "tests": tests}],
    })
}
