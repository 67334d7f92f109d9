"""Requests as deployed POS programs send them (SPEC.md §8.1, §8.6–§8.8): ``read_request`` and
``Device.handle``.

Every expectation is worked out by hand from the wire text (the sums, the VAT, the IDs), or
taken from SPEC.md's tables of operations, notices and answers — never copied from the engine's
output. The wire texts are read from spec/dialects/samples/ (re-created from the public POS
integrations, byte for byte) or written out here in the forms those programs print.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any, Optional

import pytest
from conftest import PIN, Till, at

from fiscal_core import Document, FiscalError, ValidationError, verify_journal
from fiscal_core.dialects import Handled, Reading, read_request

SAMPLES = Path(__file__).resolve().parents[2] / "spec" / "dialects" / "samples"
DAY = "2026-11-23"

# The Bitcoin alphabet of Base58 (the deployed tokens' form of a fiscal ID, SPEC.md §8.8).
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58decode(text: str) -> bytes:
    """Base58 text → bytes: the number in base 58, plus one zero byte per leading '1'."""
    n = 0
    for ch in text:
        n = n * 58 + B58.index(ch)
    zeros = len(text) - len(text.lstrip("1"))
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    return b"\0" * zeros + body


def b58encode(data: bytes) -> str:
    """Bytes → Base58 text (the inverse of ``b58decode``)."""
    n = int.from_bytes(data, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = B58[r] + out
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + out


def sample(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


def read(text: str, dialect: str = "auto", policy: str = "deployed",
         operation: Optional[str] = None) -> Reading:
    return read_request(text, dialect, policy, operation=operation, date=DAY)


def refused(text: str, dialect: str = "auto", policy: str = "deployed",
            operation: Optional[str] = None) -> FiscalError:
    with pytest.raises(FiscalError) as info:
        read_request(text, dialect, policy, operation=operation, date=DAY)
    return info.value


def problems(error: FiscalError) -> set[tuple[str, str]]:
    """(code, path) of every problem of a refusal."""
    return {(p.code, p.path) for p in error.problems}


def notices(reading: Reading) -> list[tuple[str, str]]:
    """(code, path) of every notice of a reading, in order."""
    return [(n.code, n.path) for n in reading.notices]


def codes(reading: Reading) -> set[str]:
    return {n.code for n in reading.notices}


def data(reading: Reading) -> dict[str, Any]:
    """The canonical request's ``data`` (amounts as ``Decimal``)."""
    out: dict[str, Any] = reading.request["data"]
    return out


TOKEN = "CECERlo9yRItsutk\\u002Bh7XmA=="


def nba(doc_type: str, body: str, *, prev: Optional[int] = None) -> str:
    """A createDocument request in the NBA envelope, ``body`` the text of ``data``."""
    guard = f',"prev_doc_number":{prev}' if prev is not None else ""
    return ('{"parameters":{"access_token":"' + TOKEN + '","doc_type":"' + doc_type + '"'
            + guard + ',"data":' + body + '},"operationId":"createDocument","version":1}')


def omnitech(check_type: int, body: Optional[str] = None, doc_type: Optional[str] = "sale",
             extra: str = "") -> str:
    """An Omnisoft / OmniTech v2 request: ``body`` the text of ``data`` (no tokenData without
    one), ``extra`` more members of ``requestData`` (``,"fiscalId":…``)."""
    token = ""
    if body is not None:
        kind = f'"doc_type":"{doc_type}",' if doc_type else ""
        token = (',"tokenData":{"parameters":{' + kind + '"data":' + body
                 + '},"operationId":"createDocument","version":1}')
    return ('{"requestData":{"access_token":"7dOF7HlXb/uG2J/FD+GtjA=="' + token
            + ',"checkData":{"check_type":' + str(check_type) + "}" + extra + "}}")


# Çörək 2 × 0.60 = 1.20 at 18 % (a good EAN-13: 4760001000121).
BREAD = ('{"itemName":"\\u00C7\\u00F6r\\u0259k","itemCodeType":2,"itemCode":"4760001000121",'
         '"itemQuantityType":0,"itemQuantity":2,"itemPrice":0.6,"itemSum":1.2,"itemVatPercent":18}')
# A receipt of 32 bytes, in hex, for the references the readers need not resolve.
PARENT = "ab" * 32


# --- the dialects, recognised by `auto` and by name -------------------------------------------


def test_nba_sale_is_recognised_and_read() -> None:
    text = sample("nextintegrations-nba-sale.json")
    reading = read(text)
    assert (reading.dialect, reading.operation, reading.policy) == ("nba", "sale", "deployed")
    assert reading.is_document and reading.request["doc_type"] == "sale"
    # prev_doc_number 156 in `parameters`: the double-issue guard (SPEC.md §8.6).
    assert reading.expected_previous == 156
    assert ("previous_number_guard", "parameters.prev_doc_number") in notices(reading)
    d = data(reading)
    # \u escapes decoded: "Aynur M\u0259mm\u0259dova", "\u00C7\u00F6r\u0259k".
    assert d["cashier"] == "Aynur Məmmədova"
    assert [i["itemName"] for i in d["items"]] == ["Çörək", "Süd 1 L", "Ağ pendir"]
    # 2 × 0.60 = 1.20, 1 × 1.85 = 1.85, 0.350 × 12.40 = 4.34: 7.39, paid 7.39 cash of 10.00.
    assert [i["itemSum"] for i in d["items"]] == [Decimal("1.20"), Decimal("1.85"), Decimal("4.34")]
    assert d["items"][2]["itemQuantityType"] == 1 and d["items"][2]["itemQuantity"] == Decimal("0.350")
    assert (d["sum"], d["cashSum"], d["incomingSum"], d["changeSum"]) == (
        Decimal("7.39"), Decimal("7.39"), Decimal("10.00"), Decimal("2.61"))
    # VAT 18 % inside 7.39: 739 × 18 / 118 = 112.7… → 1.13.
    assert [(g["taxTreatment"], g["gross"], g["tax"]) for g in d["taxGroups"]] == [
        ("vat", Decimal("7.39"), Decimal("1.13"))]
    assert [(v["vatSum"], v["vatPercent"]) for v in d["vatAmounts"]] == [(Decimal("7.39"), 18)]
    # By name, the same reading.
    assert read(text, "nba") == reading


def test_airconn_pretty_printed_sale_with_null_members() -> None:
    # Jackson's pretty printer (" : ", two-space indent), nulls written; AirConn's document
    # class always has firstOperationAtUtc: that is how `auto` tells it from NBA.
    text = sample("setretail-airconn-sale.json")
    assert '"firstOperationAtUtc" : null' in text and '"parentDocument" : null' in text
    reading = read(text)
    assert (reading.dialect, reading.operation) == ("airconn", "sale")
    # Null members are absent (SPEC.md §8.3): nothing to say about them.
    assert reading.notices == [] and reading.expected_previous is None
    d = data(reading)
    assert "parentDocument" not in d
    # 1.20 + 2.35 + 0.750 × 3.20 (= 2.40) = 5.95; VAT 595 × 18 / 118 = 90.76 → 0.91.
    assert [i["itemSum"] for i in d["items"]] == [Decimal("1.20"), Decimal("2.35"), Decimal("2.40")]
    assert (d["sum"], d["cashSum"], d["incomingSum"], d["changeSum"]) == (
        Decimal("5.95"), Decimal("5.95"), Decimal("5.95"), Decimal("0.00"))
    assert [g["tax"] for g in d["taxGroups"]] == [Decimal("0.91")]
    assert read(text, "airconn") == reading
    # Nothing in it is unknown to AirConn: the strict policy reads it alike.
    strict = read(text, policy="strict")
    assert strict.request == reading.request and strict.policy == "strict"


def test_omnitech_sale_and_money_back() -> None:
    sale = omnitech(1, '{"cashier":"Aysel","currency":"AZN","items":[' + BREAD + '],'
                       '"sum":1.2,"cashSum":1.2,"cashlessSum":0,"incomingSum":2,'
                       '"vatAmounts":[{"vatSum":1.2,"vatPercent":18}]}')
    reading = read(sale)
    assert (reading.dialect, reading.operation) == ("omnitech", "sale")
    d = data(reading)
    assert (d["sum"], d["cashSum"], d["incomingSum"], d["changeSum"]) == (
        Decimal("1.20"), Decimal("1.20"), Decimal("2.00"), Decimal("0.80"))
    # 120 × 18 / 118 = 18.3 → 0.18.
    assert d["items"][0]["itemTaxSum"] == Decimal("0.18")
    assert read(sale, "omnitech") == reading
    back = omnitech(100, '{"cashier":"Aysel","currency":"AZN","parentDocument":"' + PARENT + '",'
                         '"items":[' + BREAD + '],"sum":1.2,"cashSum":1.2}', "money_back")
    reading = read(back)
    assert (reading.dialect, reading.operation) == ("omnitech", "money_back")
    assert data(reading)["parentDocument"] == PARENT and data(reading)["moneyBackType"] == 0
    # check_type 100 without doc_type reads alike; a doc_type that disagrees is refused.
    assert read(back.replace('"doc_type":"money_back",', "")).request == reading.request
    wrong = refused(back.replace('"doc_type":"money_back"', '"doc_type":"sale"'))
    assert problems(wrong) == {("unknown_operation", "requestData.checkData.check_type")}


def test_omnitech_rollback_by_fiscal_id() -> None:
    # check_type 10 carries no tokenData: the receipt is `requestData.fiscalId` (Base58 here)
    # and the cashier is the token's logged-in user.
    long_id = "BX2RFjuzMF1v3j7bpSh6pnkLt4AYVXBAKnRRwmgKoqKP"
    assert len(b58decode(long_id)) == 32
    text = omnitech(10, extra=',"fiscalId":"' + long_id + '"')
    reading = read(text)
    assert (reading.dialect, reading.operation) == ("omnitech", "rollback")
    # A Base58 reference is kept as written (SPEC.md §8.6): matched by its bytes when issued.
    assert data(reading) == {"cashier": "Kassir", "currency": "AZN", "parentDocument": long_id}
    assert codes(reading) >= {"reference_member", "reference_base58", "cashier_from_session"}
    assert ("reference_base58", "parentDocument") in notices(reading)
    assert reading.claimed == {}
    # Under strict there is no session cashier: the cashier is missing.
    assert ("missing_field", "cashier") in problems(refused(text, policy="strict"))


def test_omnitech_deposit_with_only_cash_sum() -> None:
    text = sample("nextintegrations-omnitech-deposit.json")
    assert '"data":{"cashSum":100}' in text
    reading = read(text)
    assert (reading.dialect, reading.operation) == ("omnitech", "deposit")
    assert data(reading) == {"cashier": "Kassir", "currency": "AZN", "sum": Decimal("100.00")}
    assert ("cash_sum_as_amount", "sum") in notices(reading)
    assert ("cashier_from_session", "cashier") in notices(reading)
    assert ("missing_field", "cashier") in problems(refused(text, policy="strict"))


def test_ekassam_bodies_take_the_operation_from_the_endpoint() -> None:
    text = sample("shopping-ekassam-kas_sale.json")
    reading = read(text, operation="kas_sale")
    assert (reading.dialect, reading.operation) == ("ekassam", "sale")
    assert ("operation_from_endpoint", "") in notices(reading)
    d = data(reading)
    # 1.20 + 2.35 + 3.45 = 7.00 paid cash, 10.00 handed over: change 3.00.
    assert (d["sum"], d["cashSum"], d["incomingSum"], d["changeSum"]) == (
        Decimal("7.00"), Decimal("7.00"), Decimal("10.00"), Decimal("3.00"))
    # Gson's \u0027 is an apostrophe.
    assert d["items"][2]["itemName"] == "Çay 'Azerçay' 100q"
    assert read(text, "ekassam", operation="kas_sale") == reading
    # A bare body without its endpoint cannot tell its operation.
    error = refused(text)
    assert problems(error) == {("unknown_operation", "")}
    assert getattr(error, "dialect") == "ekassam"


def test_ekassam_money_back_endpoint_path_and_base58_reference() -> None:
    text = sample("shopping-ekassam-kas_moneyback.json")
    reading = read(text, operation="/api/kas_moneyback")
    assert (reading.dialect, reading.operation) == ("ekassam", "money_back")
    # "2PzEsXTJ…" is 44 Base58 characters (32 bytes): kept as written, with a notice.
    long_id = "2PzEsXTJGsZKxnUNtdj4G7mT35YRCreT48KaGYr1JzAG"
    assert len(b58decode(long_id)) == 32
    d = data(reading)
    assert d["parentDocument"] == long_id
    assert ("reference_base58", "parentDocument") in notices(reading)
    # The whole receipt back (7.00 in cash); the 10.00 handed over at the sale is no cash
    # handed over now.
    assert (d["sum"], d["cashSum"]) == (Decimal("7.00"), Decimal("7.00"))
    assert ("incoming_sum_on_return", "incomingSum") in notices(reading)
    assert ("field_not_allowed", "incomingSum") in problems(
        refused(text, policy="strict", operation="kas_moneyback"))


def test_fiscal_core_form_and_its_wrappers() -> None:
    text = ('{"doc_type":"sale","data":{"cashier":"Aysel","items":[{"itemName":"Süd",'
            '"itemQuantity":2,"itemPrice":"0.60","itemVatPercent":18}],"cashSum":"1.20"}}')
    reading = read(text)
    assert (reading.dialect, reading.operation) == ("fiscal-core", "sale")
    assert reading.notices == [] and data(reading)["sum"] == Decimal("1.20")
    assert read(text, "fiscal-core", "strict") == read(text, policy="strict")
    # The vendor members mean nothing in this engine's own form (SPEC.md §8.7).
    vendor = text.replace('"cashSum":"1.20"', '"cashSum":"1.20","cashFromClient":"5.00"')
    assert problems(refused(vendor, policy="strict")) == {("unknown_member", "cashFromClient")}
    assert notices(read(vendor)) == [("unknown_member_ignored", "cashFromClient")]
    assert data(read(vendor))["incomingSum"] == Decimal("1.20")
    # An NBA text read as this engine's form: doc_type and data inside `parameters` are found,
    # the envelope's other members are unknown to it.
    wrapped = nba("sale", sale_body(BREAD, '"cashSum":1.2'))
    assert problems(refused(wrapped, "fiscal-core", "strict")) == {
        ("unknown_member", "operationId"), ("unknown_member", "version"),
        ("unknown_member", "parameters.access_token")}
    assert read(wrapped, "fiscal-core").request == read(wrapped).request


def test_the_operation_given_must_agree_with_the_text() -> None:
    text = nba("sale", sale_body(BREAD, '"cashSum":1.2'))
    assert read(text, operation="sale").operation == "sale"
    assert read(text, operation="kas_sale").notices == read(text).notices
    error = refused(text, operation="money_back")
    assert problems(error) == {("unknown_operation", "")}
    error = refused(text, operation="frobnicate")
    assert problems(error) == {("unknown_operation", "")}


@pytest.mark.parametrize(
    ("check_type", "body", "operation"),
    [
        (8, '{"cashSum":45.5}', "withdraw"),
        (34, '{"cashier":"Aysel","currency":"AZN","items":[' + BREAD + '],"cashSum":1.2}', "prepay"),
    ],
)
def test_more_omnitech_check_types(check_type: int, body: str, operation: str) -> None:
    reading = read(omnitech(check_type, body, doc_type=None))
    assert (reading.dialect, reading.operation) == ("omnitech", operation)


def test_omnitech_32_is_a_rollback_too() -> None:
    reading = read(omnitech(32, extra=',"fiscalId":"' + PARENT + '"'))
    assert reading.operation == "rollback" and data(reading)["parentDocument"] == PARENT


# --- control calls ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "dialect", "operation"),
    [
        ('{"parameters":{"pin":"12348765","role":"user","cashregister_factory_number":"F1"},'
         '"operationId":"toLogin","version":1}', "nba", "login"),
        ('{"parameters":{"access_token":"' + TOKEN + '"},"operationId":"toLogout","version":1}',
         "nba", "logout"),
        ('{"parameters":{"access_token":"' + TOKEN + '"},"operationId":"openShift","version":1}',
         "nba", "open_shift"),
        ('{"parameters":{"access_token":"' + TOKEN + '"},"operationId":"closeShift","version":1}',
         "nba", "close_shift"),
        ('{"parameters":{"access_token":"' + TOKEN + '"},"operationId":"getXReport","version":1}',
         "nba", "x_report"),
        ('{"parameters":{"access_token":"' + TOKEN + '"},"operationId":"getShiftStatus",'
         '"version":1}', "nba", "shift_status"),
        ('{"operationId":"getInfo","version":1}', "nba", "get_info"),
        ('{"operationId":"getLastDocument","version":1}', "nba", "last_document"),
        (omnitech(15), "omnitech", "open_shift"),
        (omnitech(13), "omnitech", "close_shift"),
        (omnitech(12), "omnitech", "x_report"),
        (omnitech(14), "omnitech", "shift_status"),
        (omnitech(41), "omnitech", "get_info"),
    ],
)
def test_control_calls(text: str, dialect: str, operation: str) -> None:
    for policy in ("deployed", "strict"):
        reading = read(text, policy=policy)
        assert (reading.dialect, reading.operation) == (dialect, operation)
        assert not reading.is_document
        pin = operation == "login"
        assert reading.request == {"operation": operation, "pin_given": pin,
                                   "user": "user" if pin else None}
        assert reading.notices == []


def test_logins_carry_the_pin_never_written_out() -> None:
    nba_login = sample("inteko-nba-toLogin.json")
    reading = read(nba_login)
    assert (reading.dialect, reading.operation) == ("nba", "login")
    assert reading.request == {"operation": "login", "pin_given": True, "user": "user"}
    assert "12348765" not in json.dumps(reading.request)
    airconn = read(sample("setretail-airconn-toLogin.json"), "airconn")
    assert airconn.request == {"operation": "login", "pin_given": True, "user": "user"}
    # Omnitech check type 40: `name` and `password` in requestData.
    omni = read(sample("nextintegrations-omnitech-toLogin.json"))
    assert (omni.dialect, omni.operation) == ("omnitech", "login")
    assert omni.request == {"operation": "login", "pin_given": True, "user": "SuperApi"}


@pytest.mark.parametrize(
    ("endpoint", "operation"),
    [("kas_openshift", "open_shift"), ("kas_closeshift", "close_shift"),
     ("kas_xreport", "x_report"), ("kas_shift", "shift_status"), ("kas_info", "get_info"),
     ("/api/kas_lastDocument", "last_document"), ("kas_login", "login")],
)
def test_ekassam_control_endpoints(endpoint: str, operation: str) -> None:
    # e-Kassam's control calls are GET requests without a body: "{}" stands for it.
    reading = read("{}", operation=endpoint)
    assert (reading.dialect, reading.operation) == ("ekassam", operation)
    assert reading.request["operation"] == operation


@pytest.mark.parametrize(
    ("text", "operation", "dialect"),
    [
        # Omnitech: 11 receipt copy, 16 reprint, 17 history, 18 periodic report, 28/29 drawer.
        *[(omnitech(n), None, "omnitech") for n in (11, 16, 17, 18, 28, 29)],
        # AirConn's audit and checksum calls.
        (sample("setretail-airconn-audit.json"), None, "airconn"),
        (sample("setretail-airconn-saveSoftChecksum.json"), None, "airconn"),
        (sample("setretail-airconn-verifySoftChecksum.json"), None, "airconn"),
        # NBA periodic Z-report and receipt copy.
        (sample("inteko-nba-getPeriodicZReport.json"), None, "nba"),
        (sample("taxmanager-nba-printReceiptCopy.json"), None, "nba"),
        # e-Kassam endpoints this engine does not have.
        (sample("inteko-ekassam-kas_periodic_z.json"), "kas_periodic_z", None),
        (sample("shopping-ekassam-kas_receipt_copy.json"), "/api/kas_receipt_copy", None),
    ],
)
def test_operations_not_supported_are_unknown_operation(
    text: str, operation: Optional[str], dialect: Optional[str]
) -> None:
    for policy in ("deployed", "strict"):
        error = refused(text, policy=policy, operation=operation)
        assert {p.code for p in error.problems} == {"unknown_operation"}
        assert isinstance(error, ValidationError) and error.number == 109
        assert getattr(error, "operation") is None
        if dialect is not None:
            assert getattr(error, "dialect") == dialect


def test_unrecognisable_text() -> None:
    for text in ('{"hello":"world"}', "{}"):
        error = refused(text)
        assert problems(error) == {("unknown_operation", "")}
        assert getattr(error, "dialect") is None and getattr(error, "operation") is None
    # Not JSON at all, or not an object: malformed_json.
    for text in ("not json", "[1, 2]", '"sale"'):
        assert {p.code for p in refused(text).problems} == {"malformed_json"}


# --- strict and deployed ------------------------------------------------------------------------


def sale_body(item: str, pay: str = '"cashSum":1.20') -> str:
    return '{"cashier":"Aysel","currency":"AZN","items":[' + item + "]," + pay + "}"


def test_misspelt_member() -> None:
    # "itemVatPercnt" is one edit from itemVatPercent: left aside, the line would have no rate
    # and be VAT-exempt, so it is refused in both policies (SPEC.md §8.6).
    text = nba("sale", sale_body('{"itemName":"Süd","itemQuantity":2,"itemPrice":0.60,'
                                 '"itemVatPercnt":18}', '"sum":1.20,"cashSum":1.20'))
    for policy in ("strict", "deployed"):
        assert problems(refused(text, policy=policy)) == {
            ("unknown_member", "items[0].itemVatPercnt")}
    # Only the letter case differs: the same.
    cased = nba("sale", sale_body(BREAD, '"CashSum":1.20'))
    for policy in ("strict", "deployed"):
        assert ("unknown_member", "CashSum") in problems(refused(cased, policy=policy))


def test_misspelt_envelope_member() -> None:
    # "prev_doc_numbr": one edit from prev_doc_number, in NBA's `parameters`.
    text = nba("sale", sale_body(BREAD, '"cashSum":1.20')).replace(
        '"doc_type":"sale"', '"doc_type":"sale","prev_doc_numbr":41')
    for policy in ("strict", "deployed"):
        assert ("unknown_member", "parameters.prev_doc_numbr") in problems(
            refused(text, policy=policy))


def test_unknown_member() -> None:
    # A member no dialect knows and that misspells none: refused under strict, left aside
    # under deployed with a notice; the line keeps its 18 %.
    text = nba("sale", sale_body('{"itemName":"Süd","itemQuantity":2,"itemPrice":0.60,'
                                 '"itemVatPercent":18,"itemColour":"ağ"}',
                                 '"sum":1.20,"cashSum":1.20,"posComment":"masa 4"'))
    assert problems(refused(text, policy="strict")) == {
        ("unknown_member", "items[0].itemColour"), ("unknown_member", "posComment")}
    reading = read(text)
    assert sorted(notices(reading)) == [("unknown_member_ignored", "items[0].itemColour"),
                                        ("unknown_member_ignored", "posComment")]
    line = data(reading)["items"][0]
    # 1.20 at 18 %: 120 × 18 / 118 = 18.3 → 0.18.
    assert (line["taxTreatment"], line["itemVatPercent"], line["itemTaxSum"]) == (
        "vat", 18, Decimal("0.18"))
    assert "posComment" not in data(reading) and "itemColour" not in line
    # In the envelope too.
    outer = nba("sale", sale_body(BREAD, '"cashSum":1.20')).replace(
        '"version":1', '"version":1,"requestId":"a7"')
    assert problems(refused(outer, policy="strict")) == {("unknown_member", "requestId")}
    assert notices(read(outer)) == [("unknown_member_ignored", "requestId")]


@pytest.mark.parametrize(
    "code", ['"itemCodeType":0,"itemCode":""', '"itemCodeType":0', '"itemCodeType":0,"itemCode":"  "',
             '"itemCodeType":3,"itemCode":""', '"itemCodeType":5,"itemCode":""'],
)
def test_empty_item_code_in_both_policies(code: str) -> None:
    text = nba("sale", sale_body('{"itemName":"Süd",' + code + ','
                                 '"itemQuantity":2,"itemPrice":0.60,"itemVatPercent":18}'))
    for policy in ("strict", "deployed"):
        reading = read(text, policy=policy)
        assert notices(reading) == [("item_code_empty", "items[0].itemCode")]
        line = data(reading)["items"][0]
        assert "itemCode" not in line and "itemCodeType" not in line


def test_empty_code_under_an_ean_type_is_refused() -> None:
    text = nba("sale", sale_body('{"itemName":"Süd","itemCodeType":1,"itemCode":"",'
                                 '"itemQuantity":2,"itemPrice":0.60,"itemVatPercent":18}'))
    for policy in ("strict", "deployed"):
        assert problems(refused(text, policy=policy)) == {("invalid_item_code", "items[0].itemCode")}


def test_ten_digits_under_ean8() -> None:
    # The NBA PDF's own sample: itemCodeType 1 (EAN-8) with the 10-digit code 1564854651.
    text = nba("sale", sale_body('{"itemName":"Süd","itemCodeType":1,"itemCode":"1564854651",'
                                 '"itemQuantity":2,"itemPrice":0.60,"itemVatPercent":18}'))
    assert problems(refused(text, policy="strict")) == {("invalid_item_code", "items[0].itemCode")}
    reading = read(text)
    assert notices(reading) == [("item_code_not_gs1", "items[0].itemCode")]
    line = data(reading)["items"][0]
    assert (line["itemCodeType"], line["itemCode"]) == (0, "1564854651")
    # 13 digits under EAN-13 with a wrong check digit (…121 is right) fit type 0 as well.
    bad = text.replace('"itemCodeType":1,"itemCode":"1564854651"',
                       '"itemCodeType":2,"itemCode":"4760001000122"')
    assert notices(read(bad)) == [("item_code_not_gs1", "items[0].itemCode")]
    assert problems(refused(bad, policy="strict")) == {("invalid_item_code", "items[0].itemCode")}


def test_exponent_numbers() -> None:
    # Gson prints 50 × 250 000.0 = 12 500 000 as 1.25E7 (Double.toString from 10^7 up).
    text = ('{"cashier":"R\u0259\u015fad","currency":"AZN","items":[{"itemName":"Y\u00fck ma\u015f\u0131n\u0131",'
            '"itemCodeType":0,"itemCode":"TR-01","itemPrice":250000.0,"itemQuantity":50.0,'
            '"itemSum":1.25E7,"itemVatPercent":18.0}],"sum":1.25E7,"cashSum":0.0,'
            '"cashlessSum":1.25E7,"vatAmounts":[{"vatPercent":18.0,"vatSum":1.25E7}]}')
    paths = {"items[0].itemSum", "sum", "cashlessSum", "vatAmounts[0].vatSum"}
    assert problems(refused(text, policy="strict", operation="kas_sale")) == {
        ("not_a_number", p) for p in paths}
    reading = read(text, operation="kas_sale")
    assert {p for c, p in notices(reading) if c == "number_exponent"} == paths
    d = data(reading)
    twelve_and_a_half_million = Decimal("12500000.00")
    for value in (d["sum"], d["cashlessSum"], d["items"][0]["itemSum"], d["vatAmounts"][0]["vatSum"]):
        assert value == twelve_and_a_half_million and str(value) == "12500000.00"
    # VAT inside 12 500 000.00 at 18 %: 1 250 000 000 × 18 / 118 = 190 677 966.1 qəpik.
    assert d["items"][0]["itemTaxSum"] == Decimal("1906779.66")


def test_more_decimals_than_the_scale() -> None:
    # 1.05 as a binary double summed up: 1.0499999999999996.
    text = nba("sale", sale_body('{"itemName":"Süd","itemQuantity":1,"itemPrice":1.05,'
                                 '"itemSum":1.0499999999999996,"itemVatPercent":18}',
                                 '"sum":1.05,"cashSum":1.05'))
    assert problems(refused(text, policy="strict")) == {("too_many_decimals", "items[0].itemSum")}
    reading = read(text)
    assert notices(reading) == [("number_rounded", "items[0].itemSum")]
    assert str(data(reading)["items"][0]["itemSum"]) == "1.05"


def test_nba_money_back_type() -> None:
    for nba_code, ours in ((6, 1), (7, 2)):
        text = nba("money_back", '{"cashier":"Aysel","currency":"AZN","parentDocument":"'
                   + PARENT + '","moneyBackType":' + str(nba_code) + ',"items":[' + BREAD
                   + '],"sum":1.2,"cashSum":1.2}')
        for policy in ("deployed", "strict"):
            reading = read(text, policy=policy)
            assert reading.operation == "money_back"
            assert data(reading)["moneyBackType"] == ours
            assert ("money_back_type_mapped", "moneyBackType") in notices(reading)
    # AirConn numbers them as the specification: 6 is no return type there.
    error = refused(text, "airconn")
    assert ("invalid_enum_value", "moneyBackType") in problems(error)


def test_previous_number_guard() -> None:
    text = nba("sale", sale_body(BREAD, '"cashSum":1.2'), prev=41)
    reading = read(text)
    assert reading.expected_previous == 41
    assert notices(reading) == [("previous_number_guard", "parameters.prev_doc_number")]
    # In a kas_* body it is a member of the body (Shopping's kas_depo).
    depo = read(sample("shopping-ekassam-kas_depo.json"), operation="kas_depo")
    assert (depo.operation, depo.expected_previous) == ("deposit", 41)
    assert data(depo)["sum"] == Decimal("50.00")
    no_guard = read(nba("sale", sale_body(BREAD, '"cashSum":1.2')))
    assert no_guard.expected_previous is None


def test_cash_from_client() -> None:
    # TaxManager: cashFromClient is the cash handed over.
    text = nba("sale", sale_body(BREAD, '"sum":1.20,"cashSum":1.20,"cashFromClient":5.00'))
    reading = read(text)
    assert ("cash_from_client", "incomingSum") in notices(reading)
    d = data(reading)
    assert (d["incomingSum"], d["changeSum"]) == (Decimal("5.00"), Decimal("3.80"))
    # Paid by card: nothing is handed over in cash; the member is left aside.
    card = read(nba("sale", sale_body(BREAD, '"cashlessSum":1.20,"cashSum":0.0,"cashFromClient":1.20')))
    assert ("vendor_member_ignored", "cashFromClient") in notices(card)
    assert (data(card)["incomingSum"], data(card)["changeSum"]) == (Decimal("0.00"), Decimal("0.00"))
    # The TaxManager sample itself: 7.39 cash, 10.00 handed over, change 2.61.
    tm = data(read(sample("taxmanager-nba-sale.json")))
    assert (tm["incomingSum"], tm["changeSum"]) == (Decimal("10.00"), Decimal("2.61"))


def test_rollback_carrying_amounts() -> None:
    text = nba("rollback", '{"cashier":"Aysel","currency":"AZN","parentDocument":"' + PARENT
               + '","sum":7.39,"cashSum":7.39,"cashlessSum":0,"vatAmounts":[{"vatSum":7.39,'
               '"vatPercent":18}]}')
    reading = read(text)
    assert reading.operation == "rollback"
    # Only the non-zero amounts are claimed, to be checked against the voided receipt.
    assert reading.claimed == {"sum": Decimal("7.39"), "cashSum": Decimal("7.39")}
    assert ("cancel_amounts_to_check", "") in notices(reading)
    assert data(reading) == {"cashier": "Aysel", "currency": "AZN", "parentDocument": PARENT}
    found = problems(refused(text, policy="strict"))
    assert ("field_not_allowed", "sum") in found
    assert ("payment_form_not_allowed", "cashSum") in found


def test_sum_counting_the_credit() -> None:
    # AirConn counts credit and bonus inside `sum` and `vatSum`: 2.50 card + 3.00 credit +
    # 0.45 bonus = 5.95, of which 2.95 is paid now (SPEC.md §5.4).
    text = sample("setretail-airconn-sale-bonus-credit.json")
    reading = read(text)
    assert reading.dialect == "airconn"
    assert ("sum_includes_deferred", "sum") in notices(reading)
    assert ("vat_amounts_include_deferred", "vatAmounts") in notices(reading)
    d = data(reading)
    assert (d["sum"], d["cashlessSum"], d["creditSum"], d["bonusSum"]) == (
        Decimal("2.95"), Decimal("2.50"), Decimal("3.00"), Decimal("0.45"))
    assert [(v["vatSum"], v["vatPercent"]) for v in d["vatAmounts"]] == [(Decimal("2.95"), 18)]
    found = problems(refused(text, policy="strict"))
    assert ("sum_mismatch", "sum") in found and ("vat_amounts_mismatch", "vatAmounts") in found


def test_prepayment_without_parents_is_a_gift_certificate() -> None:
    # AirConn books a gift certificate as prepaymentSum without parents: 0.95 cash + 5.00.
    text = sample("setretail-airconn-sale-giftcert.json")
    reading = read(text)
    assert ("gift_certificate_as_prepayment", "prepaymentSum") in notices(reading)
    d = data(reading)
    assert (d["giftCardSum"], d["prepaymentSum"], d["cashSum"], d["sum"]) == (
        Decimal("5.00"), Decimal("0.00"), Decimal("0.95"), Decimal("5.95"))
    assert ("missing_reference", "parents") in problems(refused(text, policy="strict"))


def test_line_total_band() -> None:
    # 0.471 × 3.99 = 1.87929, sent truncated as 1.87: 0.00929 off. SPEC.md §5.2 allows
    # (0.471 + 1) × 0.005 = 0.007355; the deployed tokens 0.01 × 0.471 + 0.01 = 0.01471.
    text = ('{"cashier":"Aysel","currency":"AZN","items":[{"itemName":"K\u0259smik","itemCodeType":0,'
            '"itemCode":"1044","itemPrice":3.99,"itemQuantity":0.471,"itemSum":1.87,'
            '"itemVatPercent":18.0},{"itemName":"\u00c7\u00f6r\u0259k","itemPrice":0.6,"itemQuantity":1.0,'
            '"itemSum":0.6,"itemVatPercent":18.0}],"sum":2.47,"cashSum":2.47,"incomingSum":5.0,'
            '"changeSum":2.53,"vatAmounts":[{"vatPercent":18.0,"vatSum":2.47}]}')
    assert problems(refused(text, policy="strict", operation="kas_sale")) == {
        ("line_total_mismatch", "items[0].itemSum")}
    reading = read(text, operation="kas_sale")
    assert ("line_total_band", "items[0].itemSum") in notices(reading)
    d = data(reading)
    assert (d["items"][0]["itemSum"], d["sum"], d["changeSum"]) == (
        Decimal("1.87"), Decimal("2.47"), Decimal("2.53"))
    # A receipt discount pushed into a line (TaxManager): 2 × 0.60 = 1.20 sent as 0.81, 0.39
    # off, beyond 0.01 × 2 + 0.01 = 0.03: refused in both policies.
    pushed = nba("sale", sale_body('{"itemName":"Süd","itemQuantity":2,"itemPrice":0.60,'
                                   '"itemSum":0.81,"itemVatPercent":18}', '"cashSum":0.81'))
    for policy in ("strict", "deployed"):
        assert ("line_total_mismatch", "items[0].itemSum") in problems(refused(pushed, policy=policy))


REAL_BUGS = [
    # F-Lab: a sale with no payment member at all.
    pytest.param(sample("flab-nba-sale-bug-no_payment.json"), ("underpaid", ""), id="no_payment"),
    # TaxManager: a return sent as doc_type sale with parentDocument.
    pytest.param(sample("taxmanager-nba-money_back-bug-return_as_sale.json"),
                 ("field_not_allowed", "parentDocument"), id="return_as_sale"),
    # INTEKO: the whole advance taken from every group, 0 % → -8.000000.
    pytest.param(sample("inteko-omnitech-sale-with-advance-bug-negative-vatsum.json"),
                 ("negative_value", "vatAmounts[1].vatSum"), id="negative_vatsum"),
    # INTEKO: the 2 % group's vatSum is the 0 % accumulator (0.0 for a 5.00 line).
    pytest.param(sample("inteko-omnitech-sale-bug-vat2-from-vat0.json"),
                 ("vat_amounts_mismatch", "vatAmounts"), id="vat2_from_vat0"),
]


@pytest.mark.parametrize(("text", "problem"), REAL_BUGS)
def test_real_bugs_refused_in_both_policies(text: str, problem: tuple[str, str]) -> None:
    for policy in ("strict", "deployed"):
        assert problem in problems(refused(text, policy=policy))


def test_strict_reports_every_problem_of_a_return_with_no_refund() -> None:
    # INTEKO: a cash + card receipt returned with cashSum 0.0, cashlessSum 0.0 and the cash
    # part in incomingSum: no refund payment at all (5.95 owed, 0.00 paid back).
    text = sample("inteko-omnitech-money_back-bug-cashcard-incoming-only.json")
    assert ("underpaid", "") in problems(refused(text, policy="deployed"))
    found = problems(refused(text, policy="strict"))
    assert ("field_not_allowed", "incomingSum") in found
    assert ("underpaid", "") in found


def test_a_negative_vat_sum_written_by_hand() -> None:
    # 10.00 at 18 % and 2.00 at 0 %, with the 0 % group's sum negative.
    text = nba("sale", '{"cashier":"Aysel","currency":"AZN","items":[{"itemName":"Tort",'
               '"itemQuantity":1,"itemPrice":10,"itemVatPercent":18},{"itemName":"Eksport",'
               '"itemQuantity":1,"itemPrice":2,"itemVatPercent":0}],"sum":12.00,"cashSum":12.00,'
               '"vatAmounts":[{"vatSum":14.00,"vatPercent":18},{"vatSum":-2.00,"vatPercent":0}]}')
    for policy in ("strict", "deployed"):
        assert ("negative_value", "vatAmounts[1].vatSum") in problems(refused(text, policy=policy))
    ok = read(text.replace("14.00", "10.00").replace("-2.00", "2.00"))
    assert [(v["vatSum"], v["vatPercent"]) for v in data(ok)["vatAmounts"]] == [
        (Decimal("10.00"), 18), (Decimal("2.00"), 0)]


def test_base58_references_are_kept_as_written() -> None:
    long_id = "EsVkkzPE1Tvav2AvKzuhNzqYf6LzFKBnUKPwBzf4UNVw"  # the NBA sample's document_id
    assert len(long_id) == 44
    raw = b58decode(long_id)
    assert len(raw) == 32 and b58encode(raw) == long_id
    body = ('{"cashier":"Aysel","currency":"AZN","parentDocument":"%s","moneyBackType":0,'
            '"items":[' + BREAD + '],"sum":1.2,"cashSum":1.2}')
    # The long form and the 12-character short form (its first 12 characters), both policies.
    for ref in (long_id, long_id[:12]):
        for policy in ("deployed", "strict"):
            reading = read(nba("money_back", body % ref), policy=policy)
            assert data(reading)["parentDocument"] == ref
            assert ("reference_base58", "parentDocument") in notices(reading)
    # The hex forms are read as they are, without a notice; a 12-character short ID of hex
    # digits only is hex.
    for ref in (raw.hex(), raw.hex()[:12]):
        plain = read(nba("money_back", body % ref))
        assert data(plain)["parentDocument"] == ref and "reference_base58" not in codes(plain)


def test_the_engines_own_cancel_reads_back_without_notices() -> None:
    text = ('{"doc_type":"rollback","data":{"cashier":"Aysel","currency":"AZN",'
            '"parentDocument":"' + PARENT + '"}}')
    assert read(text, policy="strict").notices == []
    assert read(text).notices == []


# --- Device.handle ------------------------------------------------------------------------------


def response(handled: Handled) -> dict[str, Any]:
    return handled.response_dict()


def check_document_ids(answer: dict[str, Any], long_key: str, short_key: str,
                       document: Document) -> None:
    """A vendor answer's IDs: the long one is Base58 of the fiscal ID's 32 bytes, the short one
    its first 12 characters (SPEC.md §8.8)."""
    long_id, short_id = answer[long_key], answer[short_key]
    assert len(long_id) in (43, 44) and set(long_id) <= set(B58)
    assert b58decode(long_id).hex() == document.fiscal_id
    assert short_id == long_id[:12]


NBA_SALE = nba("sale", sale_body(BREAD, '"sum":1.2,"cashSum":1.2,"incomingSum":2'))


def test_login(till: Till) -> None:
    device = till.device
    text = sample("inteko-nba-toLogin.json").replace("12348765", PIN)
    handled = device.handle(text, at(9, 1))
    assert handled.ok and handled.dialect == "nba" and handled.document is None
    answer = response(handled)
    assert answer["code"] == 0 and set(answer) == {"code", "data", "message"}
    token = answer["data"]["access_token"]
    assert isinstance(token, str) and token
    # Omnitech: top-level access_token and code 1 ("login success", its PDF's answer).
    omni = device.handle(sample("nextintegrations-omnitech-toLogin.json").replace('"123"', f'"{PIN}"'),
                         at(9, 2))
    assert omni.ok and omni.dialect == "omnitech"
    answer = response(omni)
    assert answer["code"] == 1 and answer["message"] == "login success"
    assert isinstance(answer["access_token"], str) and answer["access_token"] != token


def test_wrong_pin_answers_the_vendor_code(till: Till) -> None:
    device = till.device
    nba_wrong = device.handle(sample("inteko-nba-toLogin.json"), at(9, 1))  # PIN 12348765
    assert not nba_wrong.ok and nba_wrong.document is None
    assert response(nba_wrong)["code"] == 404 and set(response(nba_wrong)) == {"code", "message"}
    assert nba_wrong.error is not None and getattr(nba_wrong.error, "code") == "wrong_pin"
    assert device.pin_failures == 1
    omni_wrong = device.handle(sample("nextintegrations-omnitech-toLogin.json"), at(9, 2))
    assert not omni_wrong.ok and response(omni_wrong)["code"] == 401
    assert device.pin_failures == 2
    # A login without any PIN is refused as a missing member, not as a wrong PIN.
    none = device.handle('{"operationId":"toLogin","version":1}', at(9, 3))
    assert not none.ok and response(none)["code"] == 103  # missing_field
    assert device.pin_failures == 2


def test_logout_ends_the_session(till: Till) -> None:
    device = till.device
    logout = device.handle('{"parameters":{"access_token":"' + TOKEN + '"},"operationId":'
                           '"toLogout","version":1}', at(9, 1))
    assert logout.ok and response(logout) == {"code": 0, "message": "Successful operation"}
    locked = not device.is_unlocked
    assert locked
    # A document now needs the PIN again (not_unlocked): NBA 404, Omnitech 401.
    before = device.export_state()
    nba_sale = device.handle(NBA_SALE, at(9, 2))
    assert not nba_sale.ok and response(nba_sale)["code"] == 404
    assert getattr(nba_sale.error, "code") == "not_unlocked"
    omni_sale = device.handle(omnitech(1, sale_body(BREAD, '"cashSum":1.2')), at(9, 2))
    assert not omni_sale.ok and response(omni_sale)["code"] == 401
    assert device.export_state() == before and device.last_number == 2
    login = device.handle('{"parameters":{"pin":"' + PIN + '","role":"user"},'
                          '"operationId":"toLogin","version":1}', at(9, 3))
    assert login.ok and device.is_unlocked
    assert device.handle(NBA_SALE, at(9, 4)).ok and device.last_number == 3


def test_sale_answers(till: Till) -> None:
    device = till.device
    handled = device.handle(NBA_SALE, at(9, 5))
    assert handled.ok and handled.error is None and handled.dialect == "nba"
    doc = handled.document
    assert doc is not None and doc.kind == "sale" and doc.number == 3
    # 2 × 0.60 = 1.20 cash of 2.00 handed over: change 0.80.
    assert doc.total == Decimal("1.20") and doc.payments is not None
    assert doc.payments.change == Decimal("0.80")
    answer = response(handled)
    assert (answer["code"], answer["message"]) == (0, "Successful operation")
    body = answer["data"]
    assert set(body) == {"document_id", "short_document_id", "document_number",
                         "shift_document_number"}
    check_document_ids(body, "document_id", "short_document_id", doc)
    assert body["document_number"] == device.last_number == 3
    assert body["shift_document_number"] == doc.shift_receipt
    # Omnitech: the same at the top, as long_id and short_id.
    omni = device.handle(omnitech(1, sale_body(BREAD, '"sum":1.2,"cashSum":1.2')), at(9, 6))
    assert omni.ok and omni.document is not None
    answer = response(omni)
    assert answer["code"] == 0 and "data" not in answer
    check_document_ids(answer, "long_id", "short_id", omni.document)
    assert answer["document_number"] == device.last_number == 4
    # e-Kassam and AirConn write "Success operation".
    kas = device.handle(sale_body(BREAD), at(9, 7), operation="kas_sale")
    assert kas.ok and kas.document is not None and kas.dialect == "ekassam"
    assert response(kas)["message"] == "Success operation"
    check_document_ids(response(kas)["data"], "document_id", "short_document_id", kas.document)
    assert response(kas)["data"]["document_number"] == 5


def test_refusals_change_nothing(till: Till) -> None:
    device = till.device
    before = device.export_state()
    # 2 × 0.60 is not 1.00: line_total_mismatch, the engine's 132 for NBA…
    bad_line = BREAD.replace('"itemSum":1.2', '"itemSum":1.0')
    handled = device.handle(nba("sale", sale_body(bad_line, '"cashSum":1.0')), at(9, 5))
    assert not handled.ok and handled.document is None
    assert response(handled)["code"] == 132 and set(response(handled)) == {"code", "message"}
    assert handled.error is not None and getattr(handled.error, "code") == "line_total_mismatch"
    # …AirConn's own 313.
    airconn = device.handle(nba("sale", sale_body(bad_line, '"cashSum":1.0')), at(9, 5),
                            dialect="airconn")
    assert not airconn.ok and response(airconn)["code"] == 313
    # Strict: a member the dialect does not know.
    unknown = device.handle(NBA_SALE.replace('"incomingSum"', '"incomingSumm"'), at(9, 5),
                            policy="strict")
    assert not unknown.ok and response(unknown)["code"] == 108
    # The double-issue guard: the last document is 2, not 7 (sequence_mismatch).
    guarded = device.handle(nba("sale", sale_body(BREAD), prev=7), at(9, 5))
    assert not guarded.ok and response(guarded)["code"] == 226
    assert device.export_state() == before and device.last_number == 2
    # The right guard issues it.
    assert device.handle(nba("sale", sale_body(BREAD), prev=2), at(9, 5)).ok
    assert device.last_number == 3


def test_unprintable_item_name_answers_nba_1206(till: Till) -> None:
    # NBA's token answers 1206 to an item name it cannot print (a tab, sent escaped as \\t).
    text = sample("nextintegrations-nba-sale_illegalchar-testsample.json")
    assert "\\t" in text
    before = till.device.export_state()
    handled = till.device.handle(text, at(9, 5))
    assert not handled.ok and response(handled)["code"] == 1206
    assert handled.error is not None and getattr(handled.error, "code") == "text_bad_character"
    assert till.device.export_state() == before


def test_rollback_claims_are_checked_against_the_receipt(till: Till) -> None:
    device = till.device
    sale = device.handle(NBA_SALE, at(9, 5))
    assert sale.ok and sale.document is not None
    receipt = sale.document
    before = device.export_state()
    # TaxManager's rollback repeats the amounts: 9.99 is not the sale's 1.20.
    wrong = nba("rollback", '{"cashier":"Aysel","currency":"AZN","parentDocument":"'
                + receipt.fiscal_id + '","sum":9.99,"cashSum":9.99}')
    handled = device.handle(wrong, at(9, 6), references=[receipt])
    assert not handled.ok and response(handled)["code"] == 140  # sum_mismatch
    assert device.export_state() == before
    # Omnitech's rollback: the receipt by fiscalId in Base58, the cashier the session's user.
    long_id = b58encode(bytes.fromhex(receipt.fiscal_id))
    text = omnitech(10, extra=',"fiscalId":"' + long_id + '"')
    handled = device.handle(text, at(9, 6), references=[receipt], cashier="Aysel")
    assert handled.ok and handled.document is not None
    cancel = handled.document
    assert cancel.kind == "rollback" and cancel.cashier == "Aysel"
    # The reference as written: the Base58 form of the receipt's 32 bytes.
    assert cancel.references == [long_id]
    assert {n.code for n in handled.notices} >= {"reference_member", "reference_base58",
                                                  "cashier_from_session"}
    check_document_ids(response(handled), "long_id", "short_id", cancel)


def test_base58_references_name_the_same_receipt(till: Till) -> None:
    device = till.device
    sale = device.handle(NBA_SALE, at(9, 5))  # 2 × 0.60 = 1.20
    assert sale.ok and sale.document is not None
    receipt = sale.document
    till.documents.append(receipt)
    long_id = b58encode(bytes.fromhex(receipt.fiscal_id))
    half = BREAD.replace('"itemQuantity":2', '"itemQuantity":1').replace('"itemSum":1.2', '"itemSum":0.6')

    def back(ref: str, minute: int) -> Handled:
        text = nba("money_back", '{"cashier":"Aysel","currency":"AZN","parentDocument":"' + ref
                   + '","moneyBackType":0,"items":[' + half + '],"sum":0.6,"cashSum":0.6}')
        return device.handle(text, at(9, minute), references=[receipt])

    # One loaf back by the long Base58 ID, the other by its 12-character short form: the
    # device finds the supplied receipt by the ID's bytes either way.
    for ref, minute in ((long_id, 6), (long_id[:12], 7)):
        handled = back(ref, minute)
        assert handled.ok and handled.document is not None, handled.response
        assert handled.document.references == [ref]
        assert "foreign_reference" not in {n.code for n in handled.notices}
        till.documents.append(handled.document)
    # Both returns are counted against the same sale: a third 0.60 is more than it sold.
    before = device.export_state()
    third = back(receipt.fiscal_id, 8)
    assert not third.ok and response(third)["code"] == 245  # return_exceeds_sale
    assert device.export_state() == before
    # The verifier matches the written forms too: the journal is clean.
    report = verify_journal(till.journal(), till.authority.public_key())
    assert report.is_valid and report.findings == []


def test_foreign_reference(till: Till) -> None:
    # A return on a receipt of the kassa's previous token: named in Base58, not supplied, not
    # in the device's ledger (SPEC.md §8.6).
    foreign = "EsVkkzPE1Tvav2AvKzuhNzqYf6LzFKBnUKPwBzf4UNVw"
    device = till.device
    # Refunded by card: the drawer holds no cash yet.
    text = nba("money_back", '{"cashier":"Aysel","currency":"AZN","parentDocument":"' + foreign
               + '","moneyBackType":0,"items":[' + BREAD + '],"sum":1.2,"cashlessSum":1.2}')
    before = device.export_state()
    strict = device.handle(text, at(9, 5), policy="strict")
    assert not strict.ok and response(strict)["code"] == 240  # reference_not_found
    # The same receipt named in hex is no receipt of the deployed system: not found.
    hexed = device.handle(text.replace(foreign, b58decode(foreign).hex()), at(9, 5))
    assert not hexed.ok and response(hexed)["code"] == 240
    # A cancel voids a receipt of the open shift, never a foreign one.
    cancel = device.handle(nba("rollback", '{"cashier":"Aysel","parentDocument":"' + foreign + '"}'),
                           at(9, 5))
    assert not cancel.ok and response(cancel)["code"] == 240
    assert device.export_state() == before
    handled = device.handle(text, at(9, 5))
    assert handled.ok and handled.document is not None
    assert handled.document.references == [foreign]
    assert ("foreign_reference", "parentDocument") in [(n.code, n.path) for n in handled.notices]


def test_x_and_z_reports(till: Till) -> None:
    device = till.device
    first = device.handle(NBA_SALE, at(9, 5))  # document 3: 1.20
    second = device.handle(sample("nextintegrations-nba-sale.json").replace(
        '"prev_doc_number":156', '"prev_doc_number":3'), at(9, 6))  # document 4: 7.39
    assert first.ok and second.ok
    x = device.handle('{"parameters":{"access_token":"' + TOKEN + '"},'
                      '"operationId":"getXReport","version":1}', at(10))
    assert x.ok and x.document is None
    report = response(x)["data"]
    assert (report["reportNumber"], report["firstDocNumber"], report["lastDocNumber"]) == (1, 2, 4)
    assert report["document_id"] == ""
    assert report["shiftOpenAtUtc"] == "2026-11-23T05:00:00Z"  # 09:00 in Baku
    assert report["createdAtUtc"] == "2026-11-23T06:00:00Z"
    row = report["currencies"][0]
    # Two sales: 1.20 + 7.39 = 8.59, all in cash.
    assert (row["currency"], row["saleCount"], row["saleSum"], row["saleCashSum"]) == (
        "AZN", 2, Decimal("8.59"), Decimal("8.59"))
    assert (row["moneyBackCount"], row["rollbackCount"]) == (0, 0)
    # Omnitech's X-report: `_z` 0, the same data.
    omni_x = response(device.handle(omnitech(12), at(10, 1)))
    assert omni_x["_z"] == 0 and omni_x["data"]["currencies"][0]["saleSum"] == Decimal("8.59")
    # The Z-report: document 5, the last number of its own shift.
    z = device.handle(omnitech(13), at(18))
    assert z.ok and z.document is not None and z.document.number == 5
    answer = response(z)
    assert answer["_z"] == 1 and answer["code"] == 0
    report = answer["data"]
    assert (report["reportNumber"], report["firstDocNumber"], report["lastDocNumber"]) == (1, 2, 5)
    assert b58decode(report["document_id"]).hex() == z.document.fiscal_id
    assert report["createdAtUtc"] == "2026-11-23T14:00:00Z"
    row = report["currencies"][0]
    assert (row["saleCount"], row["saleSum"]) == (2, Decimal("8.59"))
    assert not device.shift_open
    # No shift open now: another X-report is refused with the token's own text.
    again = device.handle(omnitech(12), at(18, 1))
    assert not again.ok and response(again)["message"] == "document: invalid shift status"


def test_shift_status_info_and_last_document(till: Till) -> None:
    device = till.device
    status = response(device.handle('{"operationId":"getShiftStatus","version":1}', at(9, 1)))
    assert status["data"] == {"shift_open": True, "shift_open_time": "2026-11-23T05:00:00Z"}
    omni = response(device.handle(omnitech(14), at(9, 1)))
    assert omni["shiftStatus"] is True and omni["serial"] == till.certificate.nmq_factory_number
    info = response(device.handle('{"operationId":"getInfo","version":1}', at(9, 1)))["data"]
    assert info["company_tax_number"] == "1234567891" and info["last_doc_number"] == 2
    assert info["cashbox_factory_number"] == "NMQ-77-000456"
    # AirConn's InfoData has no last_doc_number. Its getInfo carries nothing only AirConn has:
    # `auto` reads it as NBA's (SPEC.md §8.1), so an AirConn till names its dialect.
    assert read(sample("setretail-airconn-getInfo.json")).dialect == "nba"
    air = response(device.handle('{"operationId":"getInfo","version":1}', at(9, 1),
                                 dialect="airconn"))
    assert "last_doc_number" not in air["data"] and air["message"] == "Success operation"
    last = response(device.handle('{"operationId":"getLastDocument","version":1}', at(9, 1)))
    opening = till.documents[1]
    assert last["data"]["document_number"] == 2
    check_document_ids(last["data"], "document_id", "short_document_id", opening)
