//! The synthetic cases of the dialect family: small texts, each showing one thing — a notice
//! code under both policies, a real client mistake, a control call, an operation that cannot
//! be told, a text that is not a JSON object or repeats a member. The tcIds follow the
//! samples' (1–423) and are written here, once; a new case takes the next free one.

use super::DCase;

/// The session token the vendor envelopes carry (transport; the engine does not check it).
const TOKEN: &str = "T0k3n";
/// A fiscal ID in hex (SPEC.md §13.3).
const HEX_ID: &str = "5101c73bede2ce6924a16e4f10e5f3b52f5814ffe3aaeb52a5613049988e8263";
/// A long Base58 fiscal ID (the NBA PDF's sample, 44 characters, 32 bytes).
const BASE58_ID: &str = "EsVkkzPE1Tvav2AvKzuhNzqYf6LzFKBnUKPwBzf4UNVw";

/// A 2 × 0.60 line at 18 %.
const ITEM: &str =
    r#"{"itemName":"Çörək","itemQuantity":2,"itemPrice":0.60,"itemSum":1.20,"itemVatPercent":18}"#;

/// An NBA `createDocument` of `doc` with `data`, and `extra` members of `parameters`.
fn nba_with(doc: &str, extra: &str, data: &str) -> String {
    format!(
        r#"{{"version":1,"operationId":"createDocument","parameters":{{"access_token":"{TOKEN}","doc_type":"{doc}"{extra},"data":{data}}}}}"#
    )
}

fn nba(doc: &str, data: &str) -> String {
    nba_with(doc, "", data)
}

/// An NBA sale of [`ITEM`] paid 1.20 in cash, with `extra` members of `data` (each with its
/// leading comma).
fn nba_sale(extra: &str) -> String {
    nba(
        "sale",
        &format!(
            r#"{{"cashier":"Aysel","currency":"AZN","items":[{ITEM}],"sum":1.20,"cashSum":1.20{extra}}}"#
        ),
    )
}

/// An NBA control call.
fn nba_control(operation: &str, parameters: &str) -> String {
    if parameters.is_empty() {
        format!(r#"{{"version":1,"operationId":"{operation}"}}"#)
    } else {
        format!(r#"{{"version":1,"operationId":"{operation}","parameters":{parameters}}}"#)
    }
}

/// An Omnitech request of `check_type` with `tokenData.parameters` holding `parameters`.
fn omni(check_type: u32, parameters: &str) -> String {
    format!(
        r#"{{"requestData":{{"access_token":"{TOKEN}","tokenData":{{"parameters":{parameters},"operationId":"createDocument","version":1}},"checkData":{{"check_type":{check_type}}}}}}}"#
    )
}

/// An Omnitech control call: `requestData` with its check type and these members.
fn omni_control(check_type: u32, members: &str) -> String {
    format!(r#"{{"requestData":{{{members}"checkData":{{"check_type":{check_type}}}}}}}"#)
}

struct Builder(Vec<DCase>);

impl Builder {
    #[allow(clippy::too_many_arguments)]
    fn one(
        &mut self,
        id: u64,
        group: usize,
        comment: &str,
        flags: &[&'static str],
        text: &str,
        dialect: &'static str,
        policy: &'static str,
        operation: Option<&str>,
    ) {
        self.0.push(DCase {
            id,
            group,
            comment: comment.into(),
            flags: flags.to_vec(),
            text: text.into(),
            dialect,
            policy,
            operation: operation.map(str::to_string),
        });
    }

    /// The same text under `deployed` (tcId `id`) and `strict` (`id + 1`).
    #[allow(clippy::too_many_arguments)]
    fn both(
        &mut self,
        id: u64,
        group: usize,
        comment: &str,
        flags: &[&'static str],
        text: &str,
        dialect: &'static str,
        operation: Option<&str>,
    ) {
        for (k, policy) in ["deployed", "strict"].into_iter().enumerate() {
            self.one(
                id + k as u64,
                group,
                &format!("{comment} ({policy})"),
                flags,
                text,
                dialect,
                policy,
                operation,
            );
        }
    }
}

/// Every synthetic case.
pub(crate) fn cases() -> Vec<DCase> {
    let mut b = Builder(Vec::new());
    notices(&mut b);
    misspellings(&mut b);
    bugs(&mut b);
    controls(&mut b);
    operations(&mut b);
    malformed(&mut b);
    b.0
}

/// Group 1: one text per notice code the engine gives (SPEC.md §8.6), under both policies.
fn notices(b: &mut Builder) {
    const N: usize = 1;
    let len = ["notice", "leniency"];
    let conv = ["notice", "convention"];
    b.both(
        424,
        N,
        "unknown_member_ignored: a member of data no dialect knows (comment); strict: unknown_member",
        &len,
        &nba_sale(r#","comment":"table 4""#),
        "auto",
        None,
    );
    b.both(
        426,
        N,
        "unknown_member_ignored: a member of the envelope's parameters NBA does not know (parameters.client); strict: unknown_member",
        &len,
        &nba_with(
            "sale",
            r#","client":"POS-7""#,
            &format!(
                r#"{{"cashier":"Aysel","currency":"AZN","items":[{ITEM}],"sum":1.20,"cashSum":1.20}}"#
            ),
        ),
        "auto",
        None,
    );
    b.both(
        428,
        N,
        "unknown_member_ignored: a member of an item no dialect knows (itemColour); strict: unknown_member",
        &len,
        &nba(
            "sale",
            r#"{"cashier":"Aysel","items":[{"itemName":"Süd","itemQuantity":1,"itemPrice":1.85,"itemVatPercent":18,"itemColour":"ağ"}],"sum":1.85,"cashSum":1.85}"#,
        ),
        "auto",
        None,
    );
    b.both(
        430,
        N,
        "vendor_member_ignored: a vendor member holding something (bonusCardNumber), left aside in both policies",
        &conv,
        &nba_sale(r#","bonusCardNumber":"9944001""#),
        "auto",
        None,
    );
    b.both(
        432,
        N,
        "number_exponent: itemSum and sum written 1.2E0 (Gson's Double.toString); strict: not_a_number",
        &len,
        &nba(
            "sale",
            &format!(
                r#"{{"cashier":"Aysel","items":[{}],"sum":1.2E0,"cashSum":1.20}}"#,
                ITEM.replace("1.20", "1.2E0")
            ),
        ),
        "auto",
        None,
    );
    b.both(
        434,
        N,
        "number_rounded: cashSum 1.2000001 (more decimals than an amount has), rounded half away from zero; strict: too_many_decimals",
        &len,
        &nba(
            "sale",
            &format!(r#"{{"cashier":"Aysel","items":[{ITEM}],"sum":1.20,"cashSum":1.2000001}}"#),
        ),
        "auto",
        None,
    );
    b.both(
        436,
        N,
        "item_code_not_gs1: itemCodeType 1 (EAN-8) with a database id (152), read as the shop's own code; strict: invalid_item_code",
        &len,
        &nba(
            "sale",
            r#"{"cashier":"Aysel","items":[{"itemName":"Çörək","itemCodeType":1,"itemCode":"152","itemQuantity":2,"itemPrice":0.60,"itemVatPercent":18}],"sum":1.20,"cashSum":1.20}"#,
        ),
        "auto",
        None,
    );
    b.both(
        438,
        N,
        "item_code_empty: itemCodeType 0 with an empty itemCode is a line without a code, in both policies",
        &conv,
        &nba(
            "sale",
            r#"{"cashier":"Aysel","items":[{"itemName":"Çörək","itemCodeType":0,"itemCode":"","itemQuantity":2,"itemPrice":0.60,"itemVatPercent":18}],"sum":1.20,"cashSum":1.20}"#,
        ),
        "auto",
        None,
    );
    b.both(
        440,
        N,
        "line_total_band: 0.471 × 3.99 = 1.87929 sent truncated as 1.87, within the deployed tokens' band; strict: line_total_mismatch",
        &len,
        &nba(
            "sale",
            r#"{"cashier":"Aysel","items":[{"itemName":"Pomidor","itemQuantityType":1,"itemQuantity":0.471,"itemPrice":3.99,"itemSum":1.87,"itemVatPercent":18}],"sum":1.87,"cashSum":1.87}"#,
        ),
        "auto",
        None,
    );
    b.both(
        442,
        N,
        "money_back_type_mapped: NBA's moneyBackType 6 (advance) is this engine's 1, in both policies",
        &conv,
        &nba(
            "money_back",
            &format!(
                r#"{{"cashier":"Aysel","parentDocument":"{HEX_ID}","moneyBackType":6,"items":[{ITEM}],"sum":1.20,"cashSum":1.20}}"#
            ),
        ),
        "auto",
        None,
    );
    b.both(
        444,
        N,
        "reference_member: an Omnitech rollback (check_type 10) naming its receipt in requestData.fiscalId, in both policies",
        &conv,
        &format!(
            r#"{{"requestData":{{"access_token":"{TOKEN}","tokenData":{{"parameters":{{"data":{{"cashier":"Aysel"}}}}}},"checkData":{{"check_type":10}},"fiscalId":"{HEX_ID}"}}}}"#
        ),
        "auto",
        None,
    );
    b.both(
        446,
        N,
        "cancel_amounts_to_check: a rollback repeating the receipt's sum and cashSum, kept as claimed; strict: field_not_allowed, payment_form_not_allowed",
        &len,
        &nba(
            "rollback",
            &format!(
                r#"{{"cashier":"Aysel","parentDocument":"{HEX_ID}","sum":1.20,"cashSum":1.20}}"#
            ),
        ),
        "auto",
        None,
    );
    b.both(
        448,
        N,
        "incoming_sum_on_return: incomingSum on a money_back is left aside; strict: field_not_allowed",
        &len,
        &nba(
            "money_back",
            &format!(
                r#"{{"cashier":"Aysel","parentDocument":"{HEX_ID}","items":[{ITEM}],"sum":1.20,"cashSum":1.20,"incomingSum":10}}"#
            ),
        ),
        "auto",
        None,
    );
    b.both(
        450,
        N,
        "sum_includes_deferred: a credit sale whose sum counts the credit (10.00 = 4.00 cash + 6.00 credit); strict: sum_mismatch",
        &len,
        &nba(
            "sale",
            r#"{"cashier":"Aysel","items":[{"itemName":"Televizor","itemQuantity":1,"itemPrice":10.00,"itemVatPercent":18}],"sum":10.00,"cashSum":4.00,"creditSum":6.00,"creditContract":"K-17"}"#,
        ),
        "auto",
        None,
    );
    b.both(
        452,
        N,
        "gift_certificate_as_prepayment: prepaymentSum with no parents, read as a gift certificate; strict: missing_reference (and the sum that counts it, sum_mismatch)",
        &len,
        &nba(
            "sale",
            r#"{"cashier":"Aysel","items":[{"itemName":"Televizor","itemQuantity":1,"itemPrice":10.00,"itemVatPercent":18}],"sum":10.00,"cashSum":5.00,"prepaymentSum":5.00}"#,
        ),
        "auto",
        None,
    );
    b.both(
        454,
        N,
        "margin_convention: vatAmounts counting the whole margin line at its rate (Omnitech's convention); strict: vat_amounts_mismatch",
        &len,
        &nba(
            "sale",
            r#"{"cashier":"Aysel","items":[{"itemName":"Saat","itemQuantity":1,"itemPrice":10.00,"itemVatPercent":18,"itemMarginSum":3.00}],"sum":10.00,"cashSum":10.00,"vatAmounts":[{"vatSum":10.00,"vatPercent":18}]}"#,
        ),
        "auto",
        None,
    );
    b.both(
        456,
        N,
        "previous_number_guard: prev_doc_number 156 in parameters is the double-issue guard, in both policies",
        &conv,
        &nba_with(
            "sale",
            r#","prev_doc_number":156"#,
            &format!(
                r#"{{"cashier":"Aysel","currency":"AZN","items":[{ITEM}],"sum":1.20,"cashSum":1.20}}"#
            ),
        ),
        "auto",
        None,
    );
    b.both(
        458,
        N,
        "cash_from_client: cashFromClient 5 with cash paid is incomingSum, in both policies",
        &conv,
        &nba_sale(r#","cashFromClient":5"#),
        "auto",
        None,
    );
    b.both(
        460,
        N,
        "vehicle_plate_member: carNumber is vehiclePlate, in both policies",
        &conv,
        &nba_sale(r#","carNumber":"10-AB-123""#),
        "auto",
        None,
    );
    b.both(
        462,
        N,
        "cash_sum_as_amount: an NBA deposit whose amount is in cashSum, in both policies",
        &conv,
        &nba(
            "deposit",
            r#"{"cashier":"Aysel","currency":"AZN","cashSum":50.00}"#,
        ),
        "auto",
        None,
    );
    b.both(
        464,
        N,
        "correction_period_not_kept: a correction's firstOperationAtUtc and lastOperationAtUtc, in both policies",
        &conv,
        &nba(
            "correction",
            r#"{"cashier":"Aysel","currency":"AZN","firstOperationAtUtc":"2026-11-22T05:00:00Z","lastOperationAtUtc":"2026-11-22T17:00:00Z","cashSum":120.00,"cashlessSum":30.00,"sum":150.00,"vatAmounts":[{"vatPercent":18,"vatSum":150.00}]}"#,
        ),
        "auto",
        None,
    );
    b.both(
        466,
        N,
        "vat_amounts_include_deferred: a credit sale whose vatAmounts list the whole receipt (10.00) while sum is the 4.00 paid now; strict: vat_amounts_mismatch",
        &len,
        &nba(
            "sale",
            r#"{"cashier":"Aysel","items":[{"itemName":"Televizor","itemQuantity":1,"itemPrice":10.00,"itemVatPercent":18}],"sum":4.00,"cashSum":4.00,"creditSum":6.00,"creditContract":"K-17","vatAmounts":[{"vatSum":10.00,"vatPercent":18}]}"#,
        ),
        "auto",
        None,
    );
    b.both(
        468,
        N,
        "operation_from_endpoint: a kas_deposit body, its operation from the endpoint, in both policies",
        &conv,
        r#"{"cashier":"Aysel","sum":50.00}"#,
        "auto",
        Some("kas_deposit"),
    );
    b.both(
        470,
        N,
        "cashier_from_session: an Omnitech deposit (check_type 7) with no cashier takes the name Kassir; strict: missing_field",
        &len,
        &omni_control(7, r#""access_token":"T0k3n","tokenData":{"parameters":{"data":{"cashSum":50}}},"#),
        "auto",
        None,
    );
    b.both(
        472,
        N,
        "reference_base58: a money_back naming its receipt by the long Base58 ID, kept as written, in both policies",
        &conv,
        &nba(
            "money_back",
            &format!(
                r#"{{"cashier":"Aysel","parentDocument":"{BASE58_ID}","items":[{ITEM}],"sum":1.20,"cashSum":1.20}}"#
            ),
        ),
        "auto",
        None,
    );
    // What SPEC.md §8.6 says is never done silently, where the engine reads on without a
    // notice: each shows what a reader does with a vendor member it leaves aside.
    let silent = ["notice", "silent"];
    b.one(
        561,
        N,
        "prev_doc_number inside an NBA data (its place is parameters): a vendor member the guard does not read",
        &silent,
        &nba_sale(r#","prev_doc_number":5"#),
        "auto",
        "deployed",
        None,
    );
    b.one(
        562,
        N,
        "cashFromClient beside incomingSum: the vendor member is left aside",
        &silent,
        &nba_sale(r#","incomingSum":2,"cashFromClient":5"#),
        "auto",
        "deployed",
        None,
    );
    b.one(
        563,
        N,
        "carNumber beside another vehiclePlate: the vendor member is left aside",
        &silent,
        &nba_sale(r#","vehiclePlate":"10-AB-123","carNumber":"99-ZZ-999""#),
        "auto",
        "deployed",
        None,
    );
    b.one(
        564,
        N,
        "a rollback with currency AZN and no amounts: currency is taken by every kind (SPEC.md §7.1), so nothing is left aside (no cancel_amounts_to_check)",
        &["no-notice"],
        &nba(
            "rollback",
            &format!(r#"{{"cashier":"Aysel","currency":"AZN","parentDocument":"{HEX_ID}"}}"#),
        ),
        "auto",
        "deployed",
        None,
    );
}

/// The misspellings SPEC.md §8.6 refuses in both policies: a member within two edits of one the
/// object (or the envelope) has, letter case ignored (group 1).
fn misspellings(b: &mut Builder) {
    const N: usize = 1;
    let f = ["misspelt"];
    b.both(
        565,
        N,
        "a misspelt member of an item (itemVatPercnt): left aside, the 18 % line would be VAT-exempt: unknown_member",
        &f,
        &nba(
            "sale",
            r#"{"cashier":"Aysel","items":[{"itemName":"Süd","itemQuantity":1,"itemPrice":1.85,"itemVatPercnt":18}],"sum":1.85,"cashSum":1.85}"#,
        ),
        "auto",
        None,
    );
    b.both(
        567,
        N,
        "a member of data in another letter case (CashSum): unknown_member",
        &f,
        &nba(
            "sale",
            &format!(r#"{{"cashier":"Aysel","items":[{ITEM}],"sum":1.20,"CashSum":1.20}}"#),
        ),
        "auto",
        None,
    );
    b.both(
        569,
        N,
        "a misspelt envelope member (prev_doc_numbr): left aside, the double-issue guard would be lost: unknown_member",
        &f,
        &nba_with(
            "sale",
            r#","prev_doc_numbr":156"#,
            &format!(r#"{{"cashier":"Aysel","items":[{ITEM}],"sum":1.20,"cashSum":1.20}}"#),
        ),
        "auto",
        None,
    );
}

/// Group 2: the real mistakes of SPEC.md §8.6, refused in both policies.
fn bugs(b: &mut Builder) {
    const G: usize = 2;
    let f = ["real-bug"];
    b.both(
        474,
        G,
        "a VAT group's sum taken from another group (the 2 % group's vatSum is the 0 % accumulator, INTEKO): vat_amounts_mismatch",
        &f,
        &omni(
            1,
            r#"{"doc_type":"sale","data":{"cashier":"Aysel","items":[{"itemName":"Çörək","itemQuantity":2,"itemPrice":0.60,"itemVatPercent":18},{"itemName":"Un","itemQuantity":1,"itemPrice":5.00,"itemVatPercent":2}],"sum":6.20,"cashSum":6.20,"vatAmounts":[{"vatSum":1.20,"vatPercent":18},{"vatSum":0.0,"vatPercent":2}]}}"#,
        ),
        "auto",
        None,
    );
    b.both(
        476,
        G,
        "a negative VAT group sum (the whole advance taken from every group): negative_value",
        &f,
        &omni(
            1,
            &format!(
                r#"{{"doc_type":"sale","data":{{"cashier":"Aysel","parents":["{HEX_ID}"],"items":[{{"itemName":"Paltar","itemQuantity":1,"itemPrice":20.00,"itemVatPercent":18}},{{"itemName":"Kitab","itemQuantity":1,"itemPrice":2.00,"itemVatPercent":0}}],"sum":12.00,"cashSum":12.00,"prepaymentSum":10.00,"vatAmounts":[{{"vatSum":10.00,"vatPercent":18}},{{"vatSum":-8.00,"vatPercent":0}}]}}}}"#
            ),
        ),
        "auto",
        None,
    );
    b.both(
        478,
        G,
        "a partial refund carrying the whole receipt's sum (one line of 2.35 returned, sum and cashSum 5.95): sum_mismatch, overpaid",
        &f,
        &omni(
            100,
            &format!(
                r#"{{"doc_type":"money_back","data":{{"cashier":"Aysel","parentDocument":"{HEX_ID}","items":[{{"itemName":"Süd","itemQuantity":1,"itemPrice":2.35,"itemVatPercent":18}}],"sum":5.95,"cashSum":5.95}}}}"#
            ),
        ),
        "auto",
        None,
    );
    b.both(
        480,
        G,
        "a document with no payment member (sum only): underpaid",
        &f,
        &nba(
            "sale",
            &format!(r#"{{"cashier":"Aysel","currency":"AZN","items":[{ITEM}],"sum":1.20}}"#),
        ),
        "auto",
        None,
    );
    b.both(
        482,
        G,
        "a return sent as a sale with parentDocument (TaxManager): field_not_allowed",
        &f,
        &nba(
            "sale",
            &format!(
                r#"{{"parentDocument":"{HEX_ID}","cashier":"Aysel","items":[{ITEM}],"sum":1.20,"cashSum":1.20}}"#
            ),
        ),
        "auto",
        None,
    );
    b.both(
        484,
        G,
        "a receipt discount pushed into one line's itemSum (2 × 0.60 sent as 0.81): line_total_mismatch",
        &f,
        &nba(
            "sale",
            r#"{"cashier":"Aysel","items":[{"itemName":"Çörək","itemQuantity":2,"itemPrice":0.60,"itemSum":0.81,"itemVatPercent":18},{"itemName":"Süd","itemQuantity":1,"itemPrice":1.85,"itemSum":1.85,"itemVatPercent":18}],"sum":2.66,"cashSum":2.66}"#,
        ),
        "auto",
        None,
    );
}

/// Group 3: every control call of every vendor dialect (deployed).
fn controls(b: &mut Builder) {
    const G: usize = 3;
    let f = ["control"];
    let login = r#"{"pin":"1234","role":"user","cashregister_factory_number":"KX2-000777"}"#;
    let token = format!(r#"{{"access_token":"{TOKEN}"}}"#);
    let nba_calls: [(&str, &str); 8] = [
        ("toLogin", login),
        ("toLogout", &token),
        ("openShift", &token),
        ("closeShift", &token),
        ("getXReport", &token),
        ("getShiftStatus", &token),
        ("getInfo", ""),
        ("getLastDocument", &token),
    ];
    let mut id = 486;
    for (dialect, named) in [("nba", "auto"), ("airconn", "airconn")] {
        for (op, params) in nba_calls {
            b.one(
                id,
                G,
                &format!("{dialect} {op}"),
                &f,
                &nba_control(op, params),
                named,
                "deployed",
                None,
            );
            id += 1;
        }
    }
    let omni_calls: [(u32, &str, &str); 6] = [
        (40, "login", r#""name":"SuperApi","password":"1234","#),
        (15, "open shift", r#""access_token":"T0k3n","#),
        (13, "close shift (Z-report)", r#""access_token":"T0k3n","#),
        (12, "X-report", r#""access_token":"T0k3n","#),
        (14, "shift status", r#""access_token":"T0k3n","#),
        (41, "get info", r#""access_token":"T0k3n","#),
    ];
    for (check, what, members) in omni_calls {
        b.one(
            id,
            G,
            &format!("omnitech check_type {check}: {what}"),
            &f,
            &omni_control(check, members),
            "auto",
            "deployed",
            None,
        );
        id += 1;
    }
    // e-Kassam's control calls are GET requests without a body: the text is an empty object.
    for endpoint in [
        "kas_login",
        "kas_openshift",
        "kas_closeshift",
        "kas_xreport",
        "kas_shift",
        "kas_info",
        "kas_lastDocument",
    ] {
        b.one(
            id,
            G,
            &format!("ekassam {endpoint} (a GET without a body: the text {{}})"),
            &f,
            "{}",
            "auto",
            "deployed",
            Some(endpoint),
        );
        id += 1;
    }
    assert_eq!(id, 515);
    b.one(
        515,
        G,
        "airconn toLogin under strict: every member of parameters is AirConn's",
        &f,
        &nba_control("toLogin", login),
        "airconn",
        "strict",
        None,
    );
    b.one(
        516,
        G,
        "nba openShift carrying a data object: its members are not a control call's (unknown_member_ignored)",
        &f,
        &nba_control(
            "openShift",
            r#"{"access_token":"T0k3n","data":{"cashier":"Aysel"}}"#,
        ),
        "auto",
        "deployed",
        None,
    );
    b.one(
        517,
        G,
        "nba openShift carrying a data object, strict: unknown_member",
        &f,
        &nba_control(
            "openShift",
            r#"{"access_token":"T0k3n","data":{"cashier":"Aysel"}}"#,
        ),
        "auto",
        "strict",
        None,
    );
}

/// Group 4: operations that cannot be told or are not this engine's; dialects named wrongly.
fn operations(b: &mut Builder) {
    const G: usize = 4;
    let u = ["unknown-operation"];
    let e = ["envelope"];
    b.one(
        518,
        G,
        "nba operationId getControlTape: not an operation of this engine",
        &u,
        &nba_control("getControlTape", r#"{"access_token":"T0k3n"}"#),
        "auto",
        "deployed",
        None,
    );
    b.one(
        519,
        G,
        "an AirConn-only operation (repairTime): auto says airconn, and the operation is not this engine's",
        &u,
        &nba_control("repairTime", r#"{"access_token":"T0k3n"}"#),
        "auto",
        "deployed",
        None,
    );
    for (id, check, what) in [
        (520, 11, "the receipt copy"),
        (
            521,
            16,
            "the token's reprint (a Laravel POS sends it for Z)",
        ),
        (
            522,
            17,
            "the token's history (a Laravel POS sends it for X)",
        ),
        (523, 18, "the periodic report"),
        (524, 28, "the cash drawer"),
        (525, 99, "no check type at all"),
    ] {
        b.one(
            id,
            G,
            &format!("omnitech check_type {check}: {what}, not an operation of this engine"),
            &u,
            &omni_control(check, r#""access_token":"T0k3n","#),
            "auto",
            "deployed",
            None,
        );
    }
    b.one(
        526,
        G,
        "omnitech check_type 1 (sale) with doc_type money_back: the two must agree",
        &u,
        &omni(
            1,
            &format!(
                r#"{{"doc_type":"money_back","data":{{"cashier":"Aysel","parentDocument":"{HEX_ID}","items":[{ITEM}],"sum":1.20,"cashSum":1.20}}}}"#
            ),
        ),
        "auto",
        "deployed",
        None,
    );
    b.one(
        527,
        G,
        "a kas_* body with no endpoint given: its operation cannot be told",
        &u,
        &format!(r#"{{"cashier":"Aysel","items":[{ITEM}],"sum":1.20,"cashSum":1.20}}"#),
        "auto",
        "deployed",
        None,
    );
    b.one(
        528,
        G,
        "a kas_* body posted to kas_periodic_z: not an endpoint of this engine",
        &u,
        r#"{"from":"2026-11-01T00:00:00Z","to":"2026-11-22T23:59:59Z"}"#,
        "auto",
        "deployed",
        Some("kas_periodic_z"),
    );
    b.one(
        529,
        G,
        "no dialect's envelope and no receipt member",
        &u,
        r#"{"hello":"world"}"#,
        "auto",
        "deployed",
        None,
    );
    b.one(
        530,
        G,
        "an NBA closeShift read for the endpoint kas_sale: the text asks for another operation",
        &u,
        &nba_control("closeShift", r#"{"access_token":"T0k3n"}"#),
        "auto",
        "deployed",
        Some("kas_sale"),
    );
    b.one(
        531,
        G,
        "an NBA envelope with neither operationId nor doc_type",
        &u,
        r#"{"version":1,"parameters":{"access_token":"T0k3n"}}"#,
        "auto",
        "deployed",
        None,
    );
    b.one(
        532,
        G,
        "createDocument without doc_type: missing_field",
        &e,
        &format!(
            r#"{{"version":1,"operationId":"createDocument","parameters":{{"access_token":"{TOKEN}","data":{{"cashier":"Aysel","items":[{ITEM}],"sum":1.20,"cashSum":1.20}}}}}}"#
        ),
        "auto",
        "deployed",
        None,
    );
    b.one(
        533,
        G,
        "fiscal-core form with an unknown doc_type (open_shift: not a document kind; this form has no control calls)",
        &e,
        r#"{"doc_type":"open_shift","data":{"cashier":"Aysel"}}"#,
        "auto",
        "deployed",
        None,
    );
    b.one(
        534,
        G,
        "fiscal-core form without data",
        &e,
        r#"{"doc_type":"sale"}"#,
        "auto",
        "deployed",
        None,
    );
    b.both(
        535,
        G,
        "fiscal-core form with a vendor member (bonusCardNumber): no vendor member is known to this dialect",
        &e,
        &format!(
            r#"{{"doc_type":"sale","data":{{"cashier":"Aysel","items":[{ITEM}],"sum":1.20,"cashSum":1.20,"bonusCardNumber":"9944001"}}}}"#
        ),
        "auto",
        None,
    );
    b.both(
        537,
        G,
        "fiscal-core form inside parameters (compatibility), with an access_token beside it: unknown to this dialect",
        &e,
        &format!(
            r#"{{"parameters":{{"access_token":"{TOKEN}","doc_type":"sale","data":{{"cashier":"Aysel","items":[{ITEM}],"sum":1.20,"cashSum":1.20}}}}}}"#
        ),
        "fiscal-core",
        None,
    );
    b.one(
        539,
        G,
        "an NBA sale read as omnitech: no requestData",
        &e,
        &nba_sale(""),
        "omnitech",
        "deployed",
        None,
    );
    b.one(
        540,
        G,
        "an Omnitech sale read as nba: no operation in the NBA envelope's place",
        &e,
        &omni(
            1,
            &format!(
                r#"{{"doc_type":"sale","data":{{"cashier":"Aysel","items":[{ITEM}],"sum":1.20,"cashSum":1.20}}}}"#
            ),
        ),
        "nba",
        "deployed",
        None,
    );
    b.one(
        541,
        G,
        "an NBA sale read as ekassam for kas_sale: the envelope's members are unknown to a bare body",
        &e,
        &nba_sale(""),
        "ekassam",
        "deployed",
        Some("kas_sale"),
    );
    b.one(
        542,
        G,
        "an NBA sale read as airconn (the same envelope)",
        &e,
        &nba_sale(""),
        "airconn",
        "deployed",
        None,
    );
    b.one(
        543,
        G,
        "an AirConn sale recognised by auto: the document body carries firstOperationAtUtc (null)",
        &e,
        &nba_sale(r#","firstOperationAtUtc":null,"lastOperationAtUtc":null"#),
        "auto",
        "deployed",
        None,
    );
}

/// Group 5: texts that are not a JSON object, repeat a member, or have envelope members of the
/// wrong JSON type.
fn malformed(b: &mut Builder) {
    const G: usize = 5;
    let m = ["malformed"];
    let d = ["duplicate-member"];
    let e = ["envelope"];
    for (id, text, what) in [
        (544, "", "an empty text"),
        (545, "not json", "not JSON"),
        (546, "[1,2]", "a JSON array, not an object"),
        (547, "\"sale\"", "a JSON string, not an object"),
        (
            548,
            r#"{"doc_type":"sale","data":{"cashier":"Aysel""#,
            "a text cut short",
        ),
        (549, "{} {}", "two objects"),
    ] {
        b.one(id, G, what, &m, text, "auto", "deployed", None);
    }
    b.one(
        550,
        G,
        "itemPrice twice in an item (100.00, then 0.60): the text reads two ways",
        &d,
        &nba(
            "sale",
            r#"{"cashier":"Aysel","items":[{"itemName":"Çörək","itemQuantity":2,"itemPrice":100.00,"itemSum":1.20,"itemVatPercent":18,"itemPrice":0.60}],"sum":1.20,"cashSum":1.20}"#,
        ),
        "auto",
        "deployed",
        None,
    );
    b.one(
        551,
        G,
        "doc_type twice in parameters (sale, then prepay)",
        &d,
        &format!(
            r#"{{"version":1,"operationId":"createDocument","parameters":{{"access_token":"{TOKEN}","doc_type":"sale","doc_type":"prepay","data":{{"cashier":"Aysel","items":[{ITEM}],"sum":1.20,"cashSum":1.20}}}}}}"#
        ),
        "auto",
        "deployed",
        None,
    );
    b.one(
        552,
        G,
        "sum and \\u0073um in a kas_sale body: the same member after unescaping",
        &["duplicate-member", "escape"],
        &format!(
            r#"{{"cashier":"Aysel","items":[{ITEM}],"sum":1.20,"\u0073um":12.00,"cashSum":1.20}}"#
        ),
        "auto",
        "deployed",
        Some("kas_sale"),
    );
    b.one(
        553,
        G,
        "check_type twice in an Omnitech checkData",
        &d,
        r#"{"requestData":{"access_token":"T0k3n","checkData":{"check_type":15,"check_type":13}}}"#,
        "auto",
        "deployed",
        None,
    );
    b.one(
        554,
        G,
        "a vendor member repeated with null (null counts as a value)",
        &d,
        &nba_sale(r#","uuid":null,"uuid":"7f1c""#),
        "auto",
        "strict",
        None,
    );
    b.one(
        555,
        G,
        "parameters is not an object",
        &e,
        r#"{"version":1,"operationId":"openShift","parameters":"T0k3n"}"#,
        "auto",
        "deployed",
        None,
    );
    b.one(
        556,
        G,
        "operationId is not a string",
        &e,
        r#"{"version":1,"operationId":7,"parameters":{"access_token":"T0k3n"}}"#,
        "auto",
        "deployed",
        None,
    );
    b.one(
        557,
        G,
        "data is not an object",
        &e,
        &nba("sale", r#"[1.20]"#),
        "auto",
        "deployed",
        None,
    );
    b.one(
        558,
        G,
        "requestData is not an object",
        &e,
        r#"{"requestData":"login"}"#,
        "auto",
        "deployed",
        None,
    );
    b.one(
        559,
        G,
        "a cashier written with \\u escapes (\\u00C7\\u00F6r\\u0259k style): decoded before the character check of §4.2, accepted",
        &["escape"],
        &nba(
            "sale",
            r#"{"cashier":"\u0041ysel \u018Fliyeva","items":[{"itemName":"\u00C7\u00F6r\u0259k","itemQuantity":2,"itemPrice":0.60,"itemVatPercent":18}],"sum":1.20,"cashSum":1.20}"#,
        ),
        "auto",
        "deployed",
        None,
    );
    b.one(
        560,
        G,
        "an item name with an escaped tab (\\t): decoded, then refused by the character check (text_bad_character)",
        &["escape"],
        &nba(
            "sale",
            r#"{"cashier":"Aysel","items":[{"itemName":"\u00C7\u00F6r\u0259k\t","itemQuantity":2,"itemPrice":0.60,"itemVatPercent":18}],"sum":1.20,"cashSum":1.20}"#,
        ),
        "auto",
        "deployed",
        None,
    );
}
