#!/usr/bin/env python3
"""Re-derives the dialect vectors (spec/vectors/dialects.json) from SPEC.md §8 alone, without
the engine (standard library only; the §5 numbers of an accepted document's request come from
the math reference, reference.py).

For every case it reads the wire text as SPEC.md says a reader must, and compares:

- the JSON reading (§8.3): not JSON or not an object → malformed_json; a member repeated in one
  object, names compared after unescaping, null a value like any other → duplicate_member with
  its path (members of data without `data.`, the envelope's request object — NBA's
  `parameters`, Omnitech's `requestData.tokenData.parameters`, this engine's wrappers —
  without its prefix, every other member by its whole path); numbers kept as their text;
- the dialect `auto` recognises and the operation (§8.1: the envelope tables, `operationId`,
  `check_type`, the `kas_*` endpoints, `doc_type`), and the refusals of an envelope
  (unknown_operation, unknown_doc_type, missing_field, wrong_type);
- every member the dialect does not know (§8.3, §8.7: unknown_member under strict,
  unknown_member_ignored under deployed, with the path), every vendor member read or left aside
  (§8.6, §8.7: vendor_member_ignored, cash_from_client, vehicle_plate_member,
  correction_period_not_kept, previous_number_guard), the dialect's conventions
  (cash_sum_as_amount, money_back_type_mapped, reference_member, cashier_from_session,
  operation_from_endpoint, cancel_amounts_to_check with the claimed amounts,
  incoming_sum_on_return, gift_certificate_as_prepayment), the item codes (item_code_empty,
  item_code_not_gs1 against the GS1 check digit of §4.3, invalid_item_code), the number forms
  (an exponent: number_exponent under deployed, not_a_number under strict; more decimals than
  the scale: number_rounded / too_many_decimals), the Base58 references (reference_base58:
  the text decoded here, 43–44 characters giving 32 bytes, or a 12-character short ID that is
  not hex) and what §7.1 and §4 say without arithmetic (members a kind does not take or needs,
  texts, references);
- for an accepted document, what the notices say of the canonical request (the rewritten
  members, no member left that §8.2 does not define) and, when it has lines, its line totals
  and taxes, groups, sum and vatAmounts against reference.py;
- for a control call, the whole request ({operation, pin_given, user}).

What needs the tax arithmetic of a refusal (sum_mismatch, underpaid, overpaid,
vat_amounts_mismatch, line_total_mismatch, no_lines, …) or the deployed policy's bands
(line_total_band, sum_includes_deferred, vat_amounts_include_deferred, margin_convention) is
not re-derived: a case whose expected notices or problems hold such a code is counted as
skipped, and everything else of it is still compared.

Where this reading of SPEC.md and the engine disagree, the vectors follow the engine; the
known disagreements are listed in KNOWN (each with why) and reported on every run. They do not
fail the run unless --strict; a known disagreement that no longer occurs does (remove it).

Usage: python3 spec/tools/references/check_dialects.py [--strict] [spec/vectors/dialects.json]
Prints `N re-derived, M skipped, K mismatches` and exits 1 on a mismatch.
"""
from __future__ import annotations

import json
import re
import sys
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Optional

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import reference  # noqa: E402  (SPEC.md §5 in `decimal`: the numbers of an accepted request)

MAX_REQUEST_BYTES = 4 * 1024 * 1024  # §4.1

# Disagreements between this reading of SPEC.md and the engine, by tcId: reported, and the
# vector follows the engine.
KNOWN: list[tuple[str, set[int]]] = []

# ---------------------------------------------------------------------------------------------
# JSON as sent (§8.3): numbers as their text, members in order, repeats found.


class Num(str):
    """A JSON number, as its text."""


class Obj:
    """A JSON object as its (name, value) pairs, in order."""

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        self.pairs = pairs


class Malformed(Exception):
    pass


def _constant(name: str) -> Any:
    raise Malformed(f"{name} is not JSON")


def parse(text: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=Obj, parse_float=Num, parse_int=Num,
                          parse_constant=_constant)
    except (ValueError, RecursionError) as e:
        raise Malformed(str(e)) from e


def first_repeat(v: Any, path: list[Any]) -> Optional[list[Any]]:
    """The path of the first member repeated in an object, in text order."""
    if isinstance(v, Obj):
        seen = set()
        for k, x in v.pairs:
            if k in seen:
                return path + [k]
            seen.add(k)
            found = first_repeat(x, path + [k])
            if found:
                return found
    elif isinstance(v, list):
        for i, x in enumerate(v):
            found = first_repeat(x, path + [i])
            if found:
                return found
    return None


def plain(v: Any) -> Any:
    """Obj → dict (no repeats left), recursively."""
    if isinstance(v, Obj):
        return {k: plain(x) for k, x in v.pairs}
    if isinstance(v, list):
        return [plain(x) for x in v]
    return v


def dotted(steps: list[Any]) -> str:
    out = ""
    for s in steps:
        if isinstance(s, int):
            out += f"[{s}]"
        else:
            out += ("." if out else "") + s
    return out


# ---------------------------------------------------------------------------------------------
# §8.1: dialects, envelopes, operations.

DOC_TYPES = ["sale", "money_back", "rollback", "prepay", "creditpay", "deposit", "withdraw", "correction"]
CONTROLS = ["login", "logout", "open_shift", "close_shift", "x_report", "shift_status", "get_info", "last_document"]
OPERATION_IDS = {  # NBA / AirConn operationId → control call (createDocument: the doc_type)
    "toLogin": "login", "toLogout": "logout", "openShift": "open_shift", "closeShift": "close_shift",
    "getXReport": "x_report", "getShiftStatus": "shift_status", "getInfo": "get_info",
    "getLastDocument": "last_document",
}
AIRCONN_ONLY = {"audit", "repairTime", "saveSoftChecksum", "verifySoftChecksum"}
CHECK_TYPES = {
    1: "sale", 100: "money_back", 10: "rollback", 32: "rollback", 7: "deposit", 8: "withdraw",
    19: "correction", 31: "creditpay", 34: "prepay", 12: "x_report", 13: "close_shift",
    14: "shift_status", 15: "open_shift", 40: "login", 41: "get_info",
}
ENDPOINTS = {
    "kas_sale": "sale", "kas_moneyback": "money_back", "kas_rollback": "rollback", "kas_prepay": "prepay",
    "kas_creditpay": "creditpay", "kas_deposit": "deposit", "kas_depo": "deposit", "kas_withdraw": "withdraw",
    "kas_correction": "correction", "kas_login": "login", "kas_openshift": "open_shift",
    "kas_closeshift": "close_shift", "kas_xreport": "x_report", "kas_shift": "shift_status",
    "kas_info": "get_info", "kas_lastDocument": "last_document",
}
RECEIPT_MEMBERS = ("items", "cashier", "cashSum", "sum", "parentDocument")


def operation_named(name: str) -> Optional[str]:
    """The operation a caller names: an endpoint, an operationId, a doc_type or a control call."""
    last = name.rsplit("/", 1)[-1]
    return ENDPOINTS.get(last) or OPERATION_IDS.get(last) or (last if last in DOC_TYPES + CONTROLS else None)


def recognise(root: dict[str, Any]) -> Optional[str]:
    if "requestData" in root:
        return "omnitech"
    if "operationId" in root or "parameters" in root:
        params: dict[str, Any] = root["parameters"] if isinstance(root.get("parameters"), dict) else {}
        data = params["data"] if isinstance(params.get("data"), dict) else None
        op = root.get("operationId")
        if op in AIRCONN_ONLY or (params.get("doc_type") != "correction" and data is not None
                                  and "firstOperationAtUtc" in data):
            return "airconn"
        return "nba"
    if "doc_type" in root or "data" in root:
        return "fiscal-core"
    if any(k in root for k in RECEIPT_MEMBERS):
        return "ekassam"
    return None


class Refusal(Exception):
    def __init__(self, dialect: Optional[str], operation: Optional[str], problems: list[tuple[str, str]]):
        super().__init__(problems)
        self.dialect, self.operation, self.problems = dialect, operation, problems


class Envelope:
    def __init__(self, dialect: str) -> None:
        self.dialect = dialect
        self.kind: Optional[str] = None
        self.data: Optional[dict[str, Any]] = None
        self.data_path = ""
        self.params: Optional[tuple[dict[str, Any], str]] = None  # where prev_doc_number is
        self.credentials: list[dict[str, Any]] = []
        self.reference: Optional[Any] = None  # Omnitech's requestData.fiscalId
        self.unknown: list[str] = []


def distance(a: str, b: str) -> int:
    """The edit distance of two names, letter case ignored (Levenshtein)."""
    a, b = a.lower(), b.lower()
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a):
        prev, row[0] = row[0], i + 1
        for j, cb in enumerate(b):
            prev, row[j + 1] = row[j + 1], min(row[j + 1] + 1, row[j] + 1, prev + (ca != cb))
    return row[len(b)]


def misspells(name: str, known: list[str]) -> bool:
    """§8.6: a name within two edits of a member it does not equal (one edit for a member of
    four letters or fewer), letter case ignored."""
    return any(k != name and distance(name, k) <= (1 if len(k) <= 4 else 2) for k in known)


def unknown_in(obj: dict[str, Any], known: list[str], base: str, out: list[str]) -> None:
    for k in obj:
        if k not in known:
            out.append(f"{base}.{k}" if base else k)


def doc_type_of(v: Any, path: str, d: str) -> Optional[str]:
    if v is None:
        return None
    if not isinstance(v, str) or isinstance(v, Num):
        raise Refusal(d, None, [("wrong_type", path)])
    if v not in DOC_TYPES:
        raise Refusal(d, None, [("unknown_doc_type", path)])
    return v


# The envelope members of §8.1, with a login's credentials (SPEC.md §8.1 names the PIN and the
# user of a login — toLogin's pin, role, login, password and the factory number its clients
# send — only as what a login carries).
LOGIN_PARAMETERS = ["pin", "role", "login", "password", "cashregister_factory_number"]
# Every member of every envelope (§8.1): what a misspelt envelope member is compared with.
ENVELOPE_MEMBERS = ["version", "operationId", "parameters", "access_token", "doc_type", "prev_doc_number", "data",
                    "requestData", "int_ref", "tokenData", "checkData", "check_type", "payment_change",
                    "receiptDetails", "fiscalId", "name", "password", "username"] + LOGIN_PARAMETERS


def vendor_envelope(root: dict[str, Any], d: str, given: Optional[str]) -> Envelope:
    e = Envelope(d)
    unknown_in(root, ["version", "operationId", "parameters"], "", e.unknown)
    params = root.get("parameters")
    if params is not None and not isinstance(params, dict):
        raise Refusal(d, None, [("wrong_type", "parameters")])
    if params is not None:
        unknown_in(params, ["access_token", "doc_type", "prev_doc_number", "data"] + LOGIN_PARAMETERS,
                   "parameters", e.unknown)
    doc = doc_type_of((params or {}).get("doc_type"), "doc_type", d)
    op = root.get("operationId")
    if op is None:
        if doc:
            e.kind = doc
        elif given:
            e.kind = given
        else:
            raise Refusal(d, None, [("unknown_operation", "operationId")])
    elif not isinstance(op, str) or isinstance(op, Num):
        raise Refusal(d, None, [("wrong_type", "operationId")])
    elif op == "createDocument":
        if not doc:
            raise Refusal(d, None, [("missing_field", "doc_type")])
        e.kind = doc
    elif op in OPERATION_IDS:
        e.kind = OPERATION_IDS[op]
    else:
        raise Refusal(d, None, [("unknown_operation", "operationId")])
    data = (params or {}).get("data")
    if data is not None and not isinstance(data, dict):
        raise Refusal(d, None, [("wrong_type", "data")])
    e.data, e.data_path = data, "parameters.data"
    e.params = (params, "parameters") if params is not None else None
    e.credentials = [params] if params is not None else []
    return e


def omnitech_envelope(root: dict[str, Any]) -> Envelope:
    d = "omnitech"
    e = Envelope(d)
    unknown_in(root, ["requestData", "username", "password"], "", e.unknown)  # a bridge's login: transport
    rd = root.get("requestData")
    if not isinstance(rd, dict):
        raise Refusal(d, None, [("wrong_type", "requestData")])
    unknown_in(rd, ["access_token", "int_ref", "tokenData", "checkData", "receiptDetails", "fiscalId",
                    "name", "password"], "requestData", e.unknown)
    token = rd.get("tokenData") if isinstance(rd.get("tokenData"), dict) else None
    if token is not None:
        unknown_in(token, ["parameters", "operationId", "version"], "requestData.tokenData", e.unknown)
    params = token.get("parameters") if token is not None and isinstance(token.get("parameters"), dict) else None
    if params is not None:
        unknown_in(params, ["doc_type", "prev_doc_number", "data"], "requestData.tokenData.parameters", e.unknown)
    check_data = rd.get("checkData") if isinstance(rd.get("checkData"), dict) else None
    if check_data is not None:
        unknown_in(check_data, ["check_type", "payment_change"], "requestData.checkData", e.unknown)
    doc = doc_type_of((params or {}).get("doc_type"), "requestData.tokenData.parameters.doc_type", d)
    check = (check_data or {}).get("check_type")
    where = "requestData.checkData.check_type"
    if check is None:
        if not doc:
            raise Refusal(d, None, [("unknown_operation", where)])
        e.kind = doc
    else:
        n = int(check) if isinstance(check, str) and re.fullmatch(r"[0-9]+", check) else None
        if n not in CHECK_TYPES:
            raise Refusal(d, None, [("unknown_operation", where)])
        e.kind = CHECK_TYPES[n]
    if doc and e.kind in DOC_TYPES and doc != e.kind:
        raise Refusal(d, None, [("unknown_operation", where)])
    data = (params or {}).get("data")
    if data is not None and not isinstance(data, dict):
        raise Refusal(d, None, [("wrong_type", "requestData.tokenData.parameters.data")])
    e.data, e.data_path = data, "requestData.tokenData.parameters.data"
    e.params = (params, "requestData.tokenData.parameters") if params is not None else None
    e.credentials = [rd]
    e.reference = rd.get("fiscalId")
    return e


WRAPPERS = ("parameters", "tokenData", "requestData")


def fiscal_core_walk(root: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """This engine's form, at the top or inside up to three wrappers (§8.1): the object holding
    doc_type and data, and the wrappers passed."""
    obj, passed = root, []
    for _ in range(3):
        if "doc_type" in obj:
            break
        inner = next(((k, obj[k]) for k in WRAPPERS if isinstance(obj.get(k), dict)), None)
        if inner is None:
            break
        passed.append(inner[0])
        obj = inner[1]
    return obj, passed


def fiscal_core_envelope(root: dict[str, Any]) -> Envelope:
    d = "fiscal-core"
    e = Envelope(d)
    obj, base = root, ""
    for _ in range(3):
        if "doc_type" in obj:
            break
        inner = next(((k, obj[k]) for k in WRAPPERS if isinstance(obj.get(k), dict)), None)
        if inner is None:
            break
        unknown_in(obj, [inner[0]], base, e.unknown)
        base = f"{base}.{inner[0]}" if base else inner[0]
        obj = inner[1]
    unknown_in(obj, ["doc_type", "data"], base, e.unknown)
    doc = doc_type_of(obj.get("doc_type"), "doc_type", d)
    if not doc:
        raise Refusal(d, None, [("missing_field", "doc_type")])
    data = obj.get("data")
    if data is not None and not isinstance(data, dict):
        raise Refusal(d, None, [("wrong_type", "data")])
    e.kind, e.data, e.data_path = doc, data, "data"
    return e


def ekassam_envelope(root: dict[str, Any], given: Optional[str]) -> Envelope:
    if not given:
        raise Refusal("ekassam", None, [("unknown_operation", "")])
    e = Envelope("ekassam")
    e.kind, e.data, e.data_path = given, root, ""
    e.params = (root, "")
    e.credentials = [root]
    return e


def duplicate_path(root: dict[str, Any], steps: list[Any], dialect: Optional[str]) -> str:
    """A repeated member's path as problems name members: inside data without `data.`, inside
    the envelope's request object without its prefix, elsewhere whole."""
    prefix: list[Any] = []
    if dialect in ("nba", "airconn"):
        prefix = ["parameters"]
    elif dialect == "omnitech":
        prefix = ["requestData", "tokenData", "parameters"]
    elif dialect == "fiscal-core":
        prefix = fiscal_core_walk(root)[1]
    if len(steps) > len(prefix) and steps[:len(prefix)] == prefix:
        rest = steps[len(prefix):]
        if dialect != "ekassam" and rest[0] == "data" and len(rest) > 1:
            rest = rest[1:]
        return dotted(rest)
    return dotted(steps)


# ---------------------------------------------------------------------------------------------
# §8.2, §8.7: members.

DATA = ["cashier", "currency", "items", "sum", "cashSum", "cashlessSum", "bonusSum", "giftCardSum",
        "fuelCardSum", "prepaymentSum", "creditSum", "incomingSum", "changeSum", "residue", "vatAmounts",
        "parentDocument", "parents", "creditContract", "rrn", "paymentNumber", "moneyBackType",
        "vehiclePlate", "taxGroups", "countedTaxGroups"]  # the last two: output-only (§8.4)
ITEM = ["itemName", "itemCodeType", "itemCode", "itemQuantityType", "itemQuantity", "itemPrice", "itemSum",
        "itemVatPercent", "taxTreatment", "itemMarginSum", "itemMarginPrice", "discount", "markup",
        "department", "departmentName", "itemTaxSum"]
VAT = ["vatSum", "vatPercent", "taxTreatment"]
VENDOR_DATA = ["prev_doc_number", "cashFromClient", "carNumber", "firstOperationAtUtc", "lastOperationAtUtc",
               "transactions", "approval_code", "bonusCardNumber", "textField1", "textField2", "textField3",
               "receiptDetails", "useTerminalBank", "uuid", "creditPayer", "committentInfo", "gasStationInfo",
               "guestsCount", "refund_document_number", "refund_short_document_id", "int_ref", "access_token"]
VENDOR_ITEM = ["itemMarkingCode", "itemMarkingCodes", "itemDiscountPrice", "itemCreditpaySum",
               "itemAgentCommission", "itemUnit", "itemId", "id", "productId"]
SCALES_DATA = {"sum": 2, "cashSum": 2, "cashlessSum": 2, "bonusSum": 2, "giftCardSum": 2, "fuelCardSum": 2,
               "prepaymentSum": 2, "creditSum": 2, "incomingSum": 2, "changeSum": 2, "residue": 2}
SCALES_ITEM = {"itemQuantity": 3, "itemPrice": 4, "itemSum": 2, "itemVatPercent": 2, "itemMarginSum": 2,
               "itemMarginPrice": 4, "discount": 2, "markup": 2}
SCALES_VAT = {"vatSum": 2, "vatPercent": 2}
PAYMENT_FORMS = ["cashSum", "cashlessSum", "bonusSum", "giftCardSum", "fuelCardSum", "prepaymentSum", "creditSum"]


def vendor_member(name: str) -> Optional[str]:
    """The vendor member of data this name is (§8.7; a PascalCase spelling is the same member)."""
    if name in VENDOR_DATA:
        return name
    if name[:1].isupper():
        camel = name[0].lower() + name[1:]
        if camel in VENDOR_DATA:
            return camel
    return None


def empty(v: Any) -> bool:
    return v is None or v == "" or v == [] or v == {}


def decimal_of(v: Any) -> Optional[Decimal]:
    """The value of a number or numeric string, exponent allowed; None when it is none."""
    if not isinstance(v, str):
        return None
    try:
        d = Decimal(v.strip() if not isinstance(v, Num) else v)
    except InvalidOperation:
        return None
    return d if d.is_finite() else None


def zero(v: Any) -> bool:
    d = decimal_of(v)
    return d is not None and d == 0


PLAIN = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def number_form(text: str, scale: int) -> Optional[tuple[Decimal, str]]:
    """(value at the scale, notice) when the deployed policy rewrites the text (§8.6): an
    exponent read exactly (number_exponent), more decimals than the scale rounded half away
    from zero (number_rounded); None when the text is plain within its scale, or no number."""
    exponent = "e" in text or "E" in text
    if not exponent and not PLAIN.fullmatch(text):
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    decimals = max(0, -value.normalize().as_tuple().exponent)  # type: ignore[operator]
    rounded = decimals > scale
    if not exponent and not rounded:
        return None
    q = Decimal(1).scaleb(-scale)
    fixed = (value.copy_abs().quantize(q, rounding=ROUND_HALF_UP)).copy_sign(value)
    return fixed, ("number_rounded" if rounded else "number_exponent")


def strict_number(text: str, scale: int) -> Optional[str]:
    """The problem a decimal's text has under §3.2, or None."""
    if len(text) > 40 or not PLAIN.fullmatch(text):
        return "not_a_number"
    value = Decimal(text)
    if max(0, -value.normalize().as_tuple().exponent) > scale:  # type: ignore[operator]
        return "too_many_decimals"
    if value < 0 and value != 0:
        return "negative_value"
    return None


# §4.2, §4.3, §4.4.
PUNCT = set(".,;:!?-_/\\()[]%+*&'\"#@=<> ") | set("№«»°’‘“”–—₼€$")


def allowed(c: str) -> bool:
    o = ord(c)
    return (c.isascii() and c.isalnum()) or c in PUNCT or (0xC0 <= o <= 0xFF and o not in (0xD7, 0xF7)) \
        or 0x100 <= o <= 0x17F or o in (0x18F, 0x259) or 0x400 <= o <= 0x4FF


def text_problem(v: Any, limit: int) -> Optional[str]:
    if not isinstance(v, str) or isinstance(v, Num):
        return "wrong_type"
    if v.strip() == "":
        return "text_empty"
    if any(not allowed(c) for c in v):
        return "text_bad_character"
    if len(v) > limit:
        return "text_too_long"
    return None


def gs1(code: str, length: int) -> bool:
    if len(code) != length or not code.isdigit() or not code.isascii():
        return False
    digits = [int(c) for c in code]
    body, check = digits[:-1], digits[-1]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def own_code(code: str) -> bool:
    return 1 <= len(code) <= 32 and re.fullmatch(r"[A-Za-z0-9._/-]+", code) is not None


B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58_decode(s: str) -> Optional[bytes]:
    n = 0
    for c in s:
        i = B58.find(c)
        if i < 0:
            return None
        n = n * 58 + i
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    return b"\0" * (len(s) - len(s.lstrip("1"))) + body


def base58_reference(s: Any) -> bool:
    """A reference in a Base58 form (§8.8): the long ID (43–44 characters, 32 bytes) or the
    12-character short ID (one of hex digits only is the hex short ID)."""
    if not isinstance(s, str):
        return False
    if len(s) in (43, 44):
        raw = base58_decode(s)
        return raw is not None and len(raw) == 32
    if len(s) == 12:
        return all(c in B58 for c in s) and not all(c in "0123456789abcdefABCDEF" for c in s)
    return False


# §7.1: members by kind. R required, o optional, c checked, - not taken.
KINDS = ["sale", "money_back", "rollback", "prepay", "creditpay", "deposit", "correction"]
TAKES = {
    "items": "RR-RR--", "sum": "cc-ccRR", "cashSum": "oo-oo-o", "cashlessSum": "oo-oo-o",
    "bonusSum": "oo----o", "giftCardSum": "oo----o", "fuelCardSum": "oo----o",
    "prepaymentSum": "oo----o", "creditSum": "oo----o", "incomingSum": "o--oo--", "changeSum": "o--oo--",
    "vatAmounts": "cc-cc-R", "parentDocument": "-RR-R--", "parents": "c------", "creditContract": "o---o--",
    "paymentNumber": "----R--", "residue": "----R--", "moneyBackType": "-o-----", "vehiclePlate": "oo-----",
    "rrn": "oo-oo-o",
}


def takes(kind: str, member: str) -> str:
    k = "deposit" if kind == "withdraw" else kind
    return TAKES[member][KINDS.index(k)]


def present(member: str, v: Any) -> bool:
    if v is None:
        return False
    if isinstance(v, list):
        return len(v) > 0
    if member in SCALES_DATA:
        return not zero(v)
    return True


# ---------------------------------------------------------------------------------------------
# A reading.


class Reading:
    def __init__(self) -> None:
        self.dialect: Optional[str] = None
        self.operation: Optional[str] = None
        self.notices: list[tuple[str, str]] = []
        self.problems: list[tuple[str, str]] = []
        self.request: Optional[dict[str, Any]] = None  # a control call's whole request
        self.data: Optional[dict[str, Any]] = None  # a document's data as normalised here
        self.rewritten: dict[str, Any] = {}  # members the notices set, path → value
        self.expected_previous: Optional[int] = None
        self.claimed: dict[str, str] = {}


def read(text: str, dialect: str, policy: str, operation: Optional[str]) -> Reading:
    r = Reading()
    try:
        read_into(r, text, dialect, policy, operation)
    except Refusal as e:
        r.dialect, r.operation, r.problems = e.dialect, e.operation, e.problems
    return r


def read_into(r: Reading, text: str, dialect: str, policy: str, operation: Optional[str]) -> None:
    deployed = policy == "deployed"
    named = None if dialect == "auto" else dialect
    if len(text.encode("utf-8")) > MAX_REQUEST_BYTES:
        raise Refusal(named, None, [("malformed_json", "")])
    try:
        tree = parse(text)
    except Malformed:
        raise Refusal(named, None, [("malformed_json", "")])
    if not isinstance(tree, Obj):
        raise Refusal(named, None, [("malformed_json", "")])
    root = plain(tree)
    repeat = first_repeat(tree, [])
    if repeat:
        d = named or recognise(root)
        # §8.3: nothing else of such a text is read or reported.
        raise Refusal(named, None, [("duplicate_member", duplicate_path(root, repeat, d))])
    given = None
    if operation is not None:
        given = operation_named(operation)
        if given is None:
            raise Refusal(named, None, [("unknown_operation", "")])
    d = named or recognise(root) or ("ekassam" if given else None)
    if d is None:
        raise Refusal(None, None, [("unknown_operation", "")])
    if d in ("nba", "airconn"):
        e = vendor_envelope(root, d, given)
    elif d == "omnitech":
        e = omnitech_envelope(root)
    elif d == "fiscal-core":
        e = fiscal_core_envelope(root)
    else:
        e = ekassam_envelope(root, given)
    kind = e.kind
    assert kind is not None
    if given and given != kind and d != "ekassam":
        raise Refusal(d, kind, [("unknown_operation", "")])
    r.dialect, r.operation = d, kind
    if d == "ekassam":
        r.notices.append(("operation_from_endpoint", ""))

    def unknown(path: str, known: Optional[list[str]] = None) -> None:
        # §8.6: a misspelling of a member of the same object, or of the envelope, is refused
        # in both policies.
        name = re.split(r"[.\]]", path)[-1]
        if deployed and not misspells(name, known if known is not None else ENVELOPE_MEMBERS):
            r.notices.append(("unknown_member_ignored", path))
        else:
            r.problems.append(("unknown_member", path))

    for path in e.unknown:
        unknown(path)
    if e.params is not None:
        obj, base = e.params
        v = obj.get("prev_doc_number")
        if v is not None:
            path = f"{base}.prev_doc_number" if base else "prev_doc_number"
            n = int(v) if isinstance(v, str) and v.strip().isdigit() and v.strip().isascii() else None
            if n is None:
                r.problems.append(("wrong_type", path))
            else:
                r.notices.append(("previous_number_guard", path))
                r.expected_previous = n
    if kind in CONTROLS:
        read_control(r, e, kind, unknown)
    else:
        read_document(r, e, kind, deployed, unknown)
    if r.problems:
        raise Refusal(d, kind, r.problems)


def read_control(r: Reading, e: Envelope, kind: str, unknown: Any) -> None:
    if e.data is not None and kind != "login":
        for k in e.data:
            unknown(f"{e.data_path}.{k}" if e.data_path else k)

    def text(k: str) -> Optional[str]:
        for o in e.credentials + ([e.data] if e.data is not None else []):
            v = o.get(k)
            if isinstance(v, str):
                return str(v)
        return None

    pin = text("pin") or text("password")
    user = text("role") or text("name") or text("login")
    r.request = {"operation": kind, "pin_given": pin is not None, "user": user}


def read_document(r: Reading, e: Envelope, kind: str, deployed: bool, unknown: Any) -> None:
    vendor = e.dialect != "fiscal-core"
    if e.data is None and e.reference is None:
        r.problems.append(("missing_field", "data"))
        raise Refusal(e.dialect, kind, r.problems)
    data = dict(e.data or {})
    if e.reference is not None and "parentDocument" not in data:
        data["parentDocument"] = e.reference
        r.notices.append(("reference_member", "parentDocument"))
        r.rewritten["parentDocument"] = e.reference
    for k in list(data):
        if k in DATA:
            continue
        member = vendor_member(k) if vendor else None
        v = data.pop(k)
        if member is None:
            unknown(k, DATA)
            continue
        if empty(v) or member == "prev_doc_number" and e.params is not None and e.params[1] == "":
            # an empty vendor member carries nothing; a kas_* body's guard is read above
            continue
        if member == "cashFromClient":
            if zero(v):
                continue
            if not present("cashSum", data.get("cashSum")):
                r.notices.append(("vendor_member_ignored", k))
            elif "incomingSum" not in data:
                data["incomingSum"] = v
                r.notices.append(("cash_from_client", "incomingSum"))
                r.rewritten["incomingSum"] = v
            else:
                r.notices.append(("vendor_member_ignored", k))
        elif member == "carNumber":
            if "vehiclePlate" not in data:
                data["vehiclePlate"] = v
                r.notices.append(("vehicle_plate_member", "vehiclePlate"))
                r.rewritten["vehiclePlate"] = v
            else:
                r.notices.append(("vendor_member_ignored", k))
        elif member in ("firstOperationAtUtc", "lastOperationAtUtc"):
            r.notices.append(("correction_period_not_kept", k))
        elif member == "prev_doc_number":
            # §8.6: inside an enveloped data it is the guard when parameters has none; a second
            # one beside parameters' is left aside.
            in_parameters = e.params is not None and "prev_doc_number" in e.params[0]
            if in_parameters:
                r.notices.append(("vendor_member_ignored", k))
            else:
                n = int(v) if isinstance(v, str) and v.strip().isdigit() and v.strip().isascii() else None
                if n is None:
                    r.problems.append(("wrong_type", k))
                else:
                    r.notices.append(("previous_number_guard", k))
                    if r.expected_previous is None:
                        r.expected_previous = n
        else:
            r.notices.append(("vendor_member_ignored", k))
    for path, v in [("parentDocument", data.get("parentDocument"))] + \
            [(f"parents[{i}]", x) for i, x in enumerate(data.get("parents") or [] if isinstance(data.get("parents"), list) else [])]:
        if base58_reference(v):
            r.notices.append(("reference_base58", path))
    items = data.get("items")
    if isinstance(items, list):
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            for k in list(item):
                if k in ITEM:
                    continue
                v = item.pop(k)
                if vendor and k in VENDOR_ITEM:
                    if not empty(v):
                        r.notices.append(("vendor_member_ignored", f"items[{i}].{k}"))
                else:
                    unknown(f"items[{i}].{k}", ITEM)
    vats = data.get("vatAmounts")
    if isinstance(vats, list):
        for i, entry in enumerate(vats):
            if isinstance(entry, dict):
                for k in list(entry):
                    if k not in VAT:
                        entry.pop(k)
                        unknown(f"vatAmounts[{i}].{k}", VAT)
    if kind in ("deposit", "withdraw") and "sum" not in data and "cashSum" in data:
        data["sum"] = data.pop("cashSum")
        r.notices.append(("cash_sum_as_amount", "sum"))
        r.rewritten["sum"] = data["sum"]
    if e.dialect == "nba" and kind == "money_back":
        mbt = data.get("moneyBackType")
        if isinstance(mbt, str) and mbt.strip() in ("6", "7"):
            data["moneyBackType"] = Num("1" if mbt.strip() == "6" else "2")
            r.notices.append(("money_back_type_mapped", "moneyBackType"))
            r.rewritten["moneyBackType"] = data["moneyBackType"]
    if deployed and e.dialect == "omnitech" and empty(data.get("cashier")):
        data["cashier"] = "Kassir"
        r.notices.append(("cashier_from_session", "cashier"))
        r.rewritten["cashier"] = "Kassir"
    if deployed and kind == "rollback":
        taken = []
        for k in ["sum"] + PAYMENT_FORMS:
            if k not in data:
                continue
            v = data.pop(k)
            if v is None:
                continue
            form = number_form(v, 2) if isinstance(v, str) else None
            value = form[0] if form else decimal_of(v)
            if value is None:
                continue
            if value != 0:
                r.claimed[k] = str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
                taken.append(k)
        # what a cancel repeats of the receipt without meaning (§8.6 "and the like")
        for k in ("vatAmounts", "incomingSum", "changeSum", "items", "rrn", "moneyBackType"):
            if k in data and not empty(data.pop(k)):
                taken.append(k)
        if taken:
            r.notices.append(("cancel_amounts_to_check", ""))
    numbers(r, data, deployed)
    codes(r, data, deployed)
    if deployed and kind == "money_back" and present("incomingSum", data.get("incomingSum")):
        data.pop("incomingSum")
        r.notices.append(("incoming_sum_on_return", "incomingSum"))
    if deployed and kind == "sale" and empty(data.get("parents")) and not present("giftCardSum", data.get("giftCardSum")) \
            and present("prepaymentSum", data.get("prepaymentSum")):
        data["giftCardSum"] = data.pop("prepaymentSum")
        r.notices.append(("gift_certificate_as_prepayment", "prepaymentSum"))
        r.rewritten["giftCardSum"] = data["giftCardSum"]
    members_by_kind(r, data, kind)
    r.data = data


def numbers(r: Reading, data: dict[str, Any], deployed: bool) -> None:
    """The decimal members' forms (§3.2, §8.6): rewritten under deployed, else refused."""
    def one(obj: dict[str, Any], scales: dict[str, int], base: str) -> None:
        for k, scale in scales.items():
            v = obj.get(k)
            if v is None:
                continue
            path = f"{base}.{k}" if base else k
            if not isinstance(v, str):
                r.problems.append(("wrong_type", path))
                continue
            if deployed:
                form = number_form(v, scale)
                if form:
                    obj[k] = Num(str(form[0]))
                    r.notices.append((form[1], path))
                    r.rewritten[path] = obj[k]
            problem = strict_number(str(obj[k]), scale)
            if problem:
                r.problems.append((problem, path))

    one(data, SCALES_DATA, "")
    for name, scales in (("items", SCALES_ITEM), ("vatAmounts", SCALES_VAT)):
        if isinstance(data.get(name), list):
            for i, x in enumerate(data[name]):
                if isinstance(x, dict):
                    one(x, scales, f"{name}[{i}]")


def codes(r: Reading, data: dict[str, Any], deployed: bool) -> None:
    """Item codes (§4.3, §8.6): an empty one where no code is needed, a non-GS1 code under an
    EAN type."""
    items = data.get("items")
    if not isinstance(items, list):
        return
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        path = f"items[{i}].itemCode"
        ty, code = item.get("itemCodeType"), item.get("itemCode")
        t = int(ty) if isinstance(ty, Num) and ty.isdigit() else (None if ty is None else -1)
        if t not in (None, 0, 1, 2, 3, 5):
            r.problems.append(("invalid_enum_value", f"items[{i}].itemCodeType"))
            continue
        text = None if code is None else str(code)
        if (text is None or text.strip() == "") and t in (None, 0, 3, 5) and (code is not None or ty is not None):
            r.notices.append(("item_code_empty", path))
            item.pop("itemCode", None)
            item.pop("itemCodeType", None)
            continue
        if text is None:
            continue
        if t in (1, 2):
            if gs1(text, 8 if t == 1 else 13):
                continue
            if deployed and own_code(text):
                r.notices.append(("item_code_not_gs1", path))
                item["itemCodeType"] = Num("0")
            else:
                r.problems.append(("invalid_item_code", path))
        elif not own_code(text):
            r.problems.append(("invalid_item_code", path))


def members_by_kind(r: Reading, data: dict[str, Any], kind: str) -> None:
    """§7.1 and §4 without arithmetic: members the kind does not take or needs, texts, the
    currency, references."""
    for member in TAKES:
        v = data.get(member)
        rule = takes(kind, member)
        if rule == "-" and present(member, v):
            r.problems.append(("payment_form_not_allowed" if member in PAYMENT_FORMS else "field_not_allowed", member))
        elif rule == "R" and v is None and member not in ("items",):
            r.problems.append(("missing_reference" if member == "parentDocument" else "missing_field", member))
    if kind == "sale" and present("prepaymentSum", data.get("prepaymentSum")) and empty(data.get("parents")):
        r.problems.append(("missing_reference", "parents"))
    if data.get("cashier") is None:
        r.problems.append(("missing_field", "cashier"))
    cur = data.get("currency")
    if cur is not None and cur != "AZN":
        r.problems.append(("unsupported_currency", "currency"))
    for member, limit in (("cashier", 64), ("creditContract", 64), ("rrn", 64)):
        v = data.get(member)
        if v is None or (member in TAKES and takes(kind, member) == "-"):
            continue
        p = text_problem(v, limit)
        if p:
            r.problems.append((p, member))
    for i, item in enumerate(data.get("items") or [] if isinstance(data.get("items"), list) else []):
        if isinstance(item, dict):
            for member, limit in (("itemName", 128), ("departmentName", 64)):
                v = item.get(member)
                if v is not None:
                    p = text_problem(v, limit)
                    if p:
                        r.problems.append((p, f"items[{i}].{member}"))
    refs = [("parentDocument", data.get("parentDocument"))]
    if isinstance(data.get("parents"), list):
        refs += [(f"parents[{i}]", x) for i, x in enumerate(data["parents"])]
    for path, v in refs:
        if v is not None and present(path, v) and not (isinstance(v, str) and not isinstance(v, Num)
                                                       and 12 <= len(v) <= 64 and v.isascii() and v.isalnum()):
            if not (path == "parentDocument" and takes(kind, "parentDocument") == "-"):
                r.problems.append(("invalid_reference", path))


# ---------------------------------------------------------------------------------------------
# Comparing with a vector.

# Codes this reading derives; any other code in a vector is not re-derived here.
DERIVED_NOTICES = {
    "unknown_member_ignored", "vendor_member_ignored", "number_exponent", "number_rounded", "item_code_not_gs1",
    "item_code_empty", "money_back_type_mapped", "reference_member", "cancel_amounts_to_check",
    "incoming_sum_on_return", "gift_certificate_as_prepayment", "previous_number_guard", "cash_from_client",
    "vehicle_plate_member", "cash_sum_as_amount", "correction_period_not_kept", "operation_from_endpoint",
    "cashier_from_session", "reference_base58",
}
DERIVED_PROBLEMS = {
    "malformed_json", "duplicate_member", "unknown_operation", "unknown_doc_type", "wrong_type", "missing_field",
    "unknown_member", "not_a_number", "too_many_decimals", "negative_value", "invalid_item_code",
    "invalid_enum_value", "text_empty", "text_bad_character", "text_too_long", "field_not_allowed",
    "payment_form_not_allowed", "missing_reference", "unsupported_currency", "invalid_reference",
}


def pairs(list_: list[dict[str, str]]) -> list[tuple[str, str]]:
    return sorted((x["code"], x["path"]) for x in list_)


def same_number(a: Any, b: Any) -> bool:
    try:
        return Decimal(str(a)) == Decimal(str(b))
    except InvalidOperation:
        return bool(a == b)


def get_path(data: dict[str, Any], path: str) -> Any:
    v: Any = data
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        if part.startswith("["):
            v = v[int(part[1:-1])] if isinstance(v, list) and int(part[1:-1]) < len(v) else None
        else:
            v = v.get(part) if isinstance(v, dict) else None
    return v


def money(x: Any) -> str:
    return str(Decimal(str(x)).quantize(Decimal("0.01")))


def math_differences(request: dict[str, Any]) -> list[str]:
    """The request's §5 numbers against reference.py (a document with lines)."""
    data = request["data"]
    try:
        want = reference.compute(request)  # type: ignore[no-untyped-call]
    except (AssertionError, KeyError, InvalidOperation) as e:
        return [f"reference.py cannot compute it: {e!r}"]
    out = []
    for i, (item, line) in enumerate(zip(data["items"], want["lines"])):
        if money(item["itemSum"]) != line["total"] or money(item.get("itemTaxSum", 0)) != line["tax"]:
            out.append(f"items[{i}]: {item['itemSum']}/{item.get('itemTaxSum')} against {line}")
    if money(data["sum"]) != want["sum"]:
        out.append(f"sum {data['sum']} against {want['sum']}")
    groups = [{"taxTreatment": g["taxTreatment"], "gross": money(g["gross"]), "tax": money(g["tax"]),
               **({"percent": format(Decimal(str(g["percent"])).normalize(), "f")} if "percent" in g else {})}
              for g in data.get("taxGroups", [])]
    if groups != want["taxGroups"]:
        out.append(f"taxGroups {groups} against {want['taxGroups']}")
    vat = [{"vatSum": money(v["vatSum"]),
            **({"vatPercent": format(Decimal(str(v["vatPercent"])).normalize(), "f")} if "vatPercent" in v else {})}
           for v in data.get("vatAmounts", [])]
    if request["doc_type"] != "correction" and vat != want["vatAmounts"]:
        out.append(f"vatAmounts {vat} against {want['vatAmounts']}")
    return out


def check(t: dict[str, Any]) -> tuple[bool, list[str]]:
    """(fully re-derived, differences) for one case."""
    r = read(t["input"], t["dialect"], t["policy"], t["operation"])
    exp = t["expected"]
    diffs = []
    refused = bool(r.problems)
    for k, mine in (("dialect", r.dialect), ("operation", r.operation)):
        if exp[k] != mine:
            diffs.append(f"{k}: the vector says {exp[k]!r}, SPEC.md gives {mine!r}")
    listed = pairs(exp["notices"] if t["result"] == "accepted" else exp["problems"])
    derived_set = DERIVED_NOTICES if t["result"] == "accepted" else DERIVED_PROBLEMS
    full = all(code in derived_set for code, _ in listed)
    if t["result"] == "accepted":
        if refused:
            diffs.append(f"accepted by the vector, refused here: {sorted(r.problems)}")
        want = [x for x in listed if x[0] in DERIVED_NOTICES]
        got = sorted(x for x in r.notices if x[0] in DERIVED_NOTICES)
        if want != got:
            diffs.append(f"notices: the vector says {want}, SPEC.md gives {got}")
        if r.operation in CONTROLS:
            if exp["request"] != r.request:
                diffs.append(f"request: the vector says {exp['request']}, SPEC.md gives {r.request}")
        elif isinstance(exp["request"], dict) and "data" in exp["request"]:
            diffs += request_differences(exp["request"], r)
        exp_prev = None if exp["expected_previous"] is None else int(exp["expected_previous"])
        if exp_prev != r.expected_previous:
            diffs.append(f"expected_previous: {exp['expected_previous']} against {r.expected_previous}")
        if exp["claimed"] != r.claimed:
            diffs.append(f"claimed: the vector says {exp['claimed']}, SPEC.md gives {r.claimed}")
    else:
        want = [x for x in listed if x[0] in DERIVED_PROBLEMS]
        got = sorted(x for x in r.problems if x[0] in DERIVED_PROBLEMS)
        if want != got:
            diffs.append(f"problems: the vector says {want}, SPEC.md gives {got}")
        if not refused and full:
            diffs.append("refused by the vector, nothing found here")
    return full, diffs


def request_differences(request: dict[str, Any], r: Reading) -> list[str]:
    out = []
    data = request["data"]
    if request["doc_type"] != r.operation:
        out.append(f"request.doc_type {request['doc_type']} for the operation {r.operation}")
    for k in data:
        if k not in DATA:
            out.append(f"request.data.{k}: not a member of §8.2")
    for i, item in enumerate(data.get("items") or []):
        for k in item:
            if k not in ITEM:
                out.append(f"request.data.items[{i}].{k}: not a member of §8.2")
    for path, v in r.rewritten.items():
        got = get_path(data, path)
        if isinstance(v, Num) or (path not in ("cashier", "parentDocument", "vehiclePlate") and isinstance(v, str)):
            if got is None or not same_number(got, v):
                out.append(f"request.data.{path} is {got}, the notice gives {v}")
        elif got != v:
            out.append(f"request.data.{path} is {got!r}, the notice gives {v!r}")
    # The texts and references pass through as written (a Base58 reference too, §8.6).
    mine = r.data or {}
    for k in ("cashier", "currency", "parentDocument", "parents", "creditContract", "rrn", "vehiclePlate"):
        if mine.get(k) is not None and data.get(k) != mine[k]:
            out.append(f"request.data.{k} is {data.get(k)!r}, the text gives {mine[k]!r}")
    for i, (got, item) in enumerate(zip(data.get("items") or [], mine.get("items") or [])):
        if isinstance(item, dict) and got.get("itemName") != item.get("itemName"):
            out.append(f"request.data.items[{i}].itemName is {got.get('itemName')!r}, the text gives {item.get('itemName')!r}")
    if data.get("items"):
        out += [f"§5: {d}" for d in math_differences(request)]
    return out


def main(argv: list[str]) -> int:
    strict = "--strict" in argv
    args = [a for a in argv if a != "--strict"]
    path = Path(args[0]) if args else HERE.parent.parent / "vectors" / "dialects.json"
    doc = json.loads(path.read_text(encoding="utf-8"), parse_float=Num, parse_int=Num)
    rederived = skipped = 0
    mismatches: list[str] = []
    known_seen = set()
    for group in doc["testGroups"]:
        for t in group["tests"]:
            tc = int(t["tcId"])
            try:
                full, diffs = check(t)
            except Exception as e:  # a case this reading cannot follow is a mismatch
                full, diffs = False, [f"{type(e).__name__}: {e}"]
            why = next((reason for reason, ids in KNOWN if tc in ids), None)
            if diffs and why:
                known_seen.add(tc)
                print(f"KNOWN DISAGREEMENT dialects tcId {tc} ({t['comment']}): {why}")
                for d in diffs:
                    print(f"    {d}")
                if strict:
                    mismatches.append(f"tcId {tc}: known disagreement")
                continue
            if diffs:
                mismatches.append(f"tcId {tc} ({t['comment']}): " + "; ".join(diffs))
            elif full:
                rederived += 1
            else:
                skipped += 1
    for tc in sorted(set().union(*(ids for _, ids in KNOWN)) - known_seen):
        mismatches.append(f"tcId {tc}: listed in KNOWN, but SPEC.md and the vector now agree: remove it")
    for m in mismatches[:40]:
        print("MISMATCH", m)
    print(f"{rederived} re-derived, {skipped} skipped (arithmetic not re-derived), {len(mismatches)} mismatches"
          f" ({len(known_seen)} known disagreements with the engine, listed above)")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
