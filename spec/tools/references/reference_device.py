#!/usr/bin/env python3
"""An independent model of the device's rules (SPEC.md §12.2, §14; RULES.md NM, U, LC, PK, RC),
written from the specification's text with Python's standard library only (`decimal`,
`datetime`), for the scenario vectors (spec/vectors/scenarios.json).

For a scenario — a device and its sequence of timed operations — it computes what every step
must give: each document's number, kind, shift, receipt counter, warnings and amounts, each
X- and Z-report, or the error code of each refusal. It computes everything except the fiscal
IDs (cryptography: checked by spec/tools/references/check_worked_example.py and the engine's own tests);
money comes from spec/tools/references/reference.py (SPEC.md §5). Claims on earlier receipts (returns,
cancels, instalments, sales against advances) are decided by the device's ledger of §14.6, kept
in its state (so across restarts), bounded at 1 024 entries with the fallback on the supplied
documents below its horizon: spec/tools/references/reference_ledger.py. The documents as the model keeps
them, which both share, are in spec/tools/references/reference_documents.py.

It does not validate requests (SPEC.md §7) beyond the reconciliation of payments (§7.4 rule 1):
the scenarios' requests are valid but for that one fault.

    python3 spec/tools/references/reference_device.py [spec/vectors/scenarios.json]   # exit 0 when all agree

`run(group, test)` returns the expected object of one case without its `fiscalId` members.
"""
from __future__ import annotations

import copy
import json
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, Optional

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import reference  # noqa: E402  (SPEC.md §5, Python's decimal)
from reference_documents import RECEIPTS, Doc, Key, Ref, Supplied, qepik  # noqa: E402  (the model's documents)
from reference_ledger import Ledger, claim_rules  # noqa: E402  (the ledger, SPEC.md §14.6)

sys.path.insert(0, str(HERE.parent / "harness"))
from compare import first_difference, without_ids  # noqa: E402, F401  (comparing with a vector, shared with the harness)

VECTORS = HERE.parent.parent / "vectors" / "scenarios.json"

# The limits, as SPEC.md and RULES.md state them (milliseconds).
SECOND = 1000
HOUR = 3600 * SECOND
DAY = 24 * HOUR
MAX_PIN_ATTEMPTS = 5  # NM-07: the fifth wrong PIN in a row locks the device
MAX_SHIFT = 24 * HOUR  # §14.3 step 5: a receipt 24 h or more after the opening is refused
MAX_OFFLINE = 7 * DAY  # NM-04, U-06: the oldest document not uploaded, at most 7 days old
MAX_PENDING = 4000  # NM-05
WARNING_BEFORE_EXPIRY = 7 * DAY  # NM-08, §12.2
RATES_FROM = "2019-01-01"  # §5.1: every row of v1's rate table is in force from this date

BAKU = timezone(timedelta(hours=4))
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

# §13.1 DocType order: the order of the rows of a shift report.
REQUEST_KINDS = ["sale", "money_back", "rollback", "prepay", "creditpay", "deposit", "withdraw", "correction"]
FORMS = [  # (report name, request member) — the payment forms of §7.4
    ("cash", "cashSum"), ("cashless", "cashlessSum"), ("bonus", "bonusSum"), ("giftCard", "giftCardSum"),
    ("fuelCard", "fuelCardSum"), ("prepayment", "prepaymentSum"), ("credit", "creditSum"),
]
# §7.1: the forms each kind takes (others are absent).
KIND_FORMS = {
    "sale": {f for f, _ in FORMS},
    "money_back": {f for f, _ in FORMS},
    "prepay": {"cash", "cashless"},
    "creditpay": {"cash", "cashless"},
    "correction": {f for f, _ in FORMS},
}


class Refused(Exception):
    """An operation the device refuses, with its SPEC.md §9 code."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# --- time -------------------------------------------------------------------------------------

def moment(text: str) -> int:
    """ISO 8601 with an offset → milliseconds since 1970-01-01T00:00:00Z (§13.1)."""
    dt = datetime.fromisoformat(text)
    if dt.utcoffset() is None:
        raise ValueError(f"{text}: a moment needs its offset")
    return (dt - EPOCH) // timedelta(milliseconds=1)


def iso(ms: int) -> str:
    """Milliseconds → ISO 8601 in Baku (+04:00), with milliseconds only when not 0."""
    dt = EPOCH + timedelta(milliseconds=ms)
    local = dt.astimezone(BAKU)
    text = local.strftime("%Y-%m-%dT%H:%M:%S")
    if ms % 1000:
        text += f".{ms % 1000:03d}"
    return text + "+04:00"


def baku_date(ms: int) -> str:
    """The civil date in Baku (§6: UTC+04:00 all year)."""
    return (EPOCH + timedelta(milliseconds=ms)).astimezone(BAKU).strftime("%Y-%m-%d")


# --- money (qepik and Key: reference_documents.py) ----------------------------------------------

def key_order(key: Key) -> tuple:
    """§5.3: by category, then from the highest rate to the lowest."""
    return reference.group_key_order(key)


def parse_groups(presented: list[dict[str, Any]]) -> dict[Key, list[int]]:
    """reference.present() groups → {(category, percent): [gross, tax]} in qəpik."""
    out: dict[Key, list[int]] = {}
    for g in presented:
        p = None if "percent" not in g else int((Decimal(g["percent"]) * 100).to_integral_exact())
        out[(g["taxTreatment"], p)] = [qepik(g["gross"]), qepik(g["tax"])]
    return out


def correction_groups(data: dict[str, Any]) -> dict[Key, list[int]]:
    """§5.5: on a correction, each `vatAmounts` entry is a group (treatment by §5.1 inference);
    each group's tax by §5.3."""
    out: dict[Key, list[int]] = {}
    for entry in data["vatAmounts"]:
        pct = entry.get("vatPercent")
        kind, p = reference.treatment({"itemVatPercent": pct} if pct is not None else {})
        kind = entry.get("taxTreatment") or kind
        out.setdefault((kind, p), [0, 0])[0] += qepik(entry["vatSum"])
    for (kind, p), row in out.items():
        row[1] = reference.round_half_up(*reference.fraction(kind, p or 0, row[0]))
    return out


# --- references (RC-17, RC-18; Ref, Doc and Supplied: reference_documents.py) -------------------

def symbol(value: Any) -> Any:
    """A request value with its placeholders read as symbolic references (the vectors' notes)."""
    if isinstance(value, str) and value.startswith("{{") and value.endswith("}}"):
        name, n = value[2:-2].split(":")
        if name in ("fiscalId", "shortId"):
            return ("own", int(n))  # the long and the short ID name the same document (§13.3)
        if name == "foreignFiscalId":
            return ("foreign", int(n))
        raise ValueError(f"unknown placeholder {value}")
    if isinstance(value, str):
        return ("text", value)
    return value


def find(ref: Ref, supplied: Supplied) -> Doc:
    """§14.3 step 7: the supplied document the reference names, which must be this device's."""
    for s in supplied:
        if isinstance(s, Doc) and ref == ("own", s.number):
            return s
        if isinstance(s, tuple) and ref == s:
            raise Refused("reference_not_authentic")  # found, but not signed by this device
    raise Refused("reference_not_found")


# --- the shift report (§14.4) ----------------------------------------------------------------

@dataclass
class Shift:
    number: int
    opened_at: int
    first: int
    last: int
    receipts: int = 0
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)
    cash_in: int = 0
    cash_out: int = 0

    def account(self, doc: Doc) -> None:
        """What a document adds: its kind's row and the cash drawer (§14.3 step 8): a document
        that takes cash out may not leave the drawer below zero; one that only brings cash in
        is never refused for the drawer."""
        if doc.kind == "rollback":
            assert doc.voided is not None
            v = doc.voided
            row_sum, payments, groups = v.sum, v.payments, v.groups
            cash_in, cash_out = 0, v.payments["cash"]
        else:
            row_sum, payments, groups = doc.sum, doc.payments, doc.groups
            cash = payments.get("cash", 0)
            if doc.kind == "deposit":
                cash_in, cash_out = doc.sum, 0
            elif doc.kind == "withdraw":
                cash_in, cash_out = 0, doc.sum
            elif doc.kind == "money_back":
                cash_in, cash_out = 0, cash
            else:  # sale, prepay, creditpay, correction: the cash part
                cash_in, cash_out = cash, 0
        if cash_out > 0 and self.cash_out + cash_out > self.cash_in + cash_in:
            raise Refused("cash_insufficient")
        self.cash_in += cash_in
        self.cash_out += cash_out
        row = self.rows.setdefault(doc.kind, {"count": 0, "sum": 0, "payments": {f: 0 for f, _ in FORMS}, "groups": {}})
        row["count"] += 1
        row["sum"] += row_sum
        for f, _ in FORMS:
            row["payments"][f] += payments.get(f, 0)
        for k, (gross, tax) in groups.items():
            g = row["groups"].setdefault(k, [0, 0])
            g[0] += gross
            g[1] += tax

    def present(self, last: int) -> dict[str, Any]:
        def group(k: Key, gross: int, tax: int) -> dict[str, Any]:
            return reference.present({"category": k[0], "percent": k[1], "gross": gross, "tax": tax})

        return {
            "shift": self.number,
            "openedAt": iso(self.opened_at),
            "firstNumber": self.first,
            "lastNumber": last,
            "receipts": self.receipts,
            "kinds": [
                {
                    "kind": kind,
                    "count": row["count"],
                    "sum": reference.money(row["sum"]),
                    "payments": {f: reference.money(row["payments"][f]) for f, _ in FORMS},
                    "taxGroups": [group(k, *row["groups"][k]) for k in sorted(row["groups"], key=key_order)],
                }
                for kind in REQUEST_KINDS
                if (row := self.rows.get(kind))
            ],
            "cashIn": reference.money(self.cash_in),
            "cashOut": reference.money(self.cash_out),
            "cashInDrawer": reference.money(self.cash_in - self.cash_out),
        }


# --- the device (§14) --------------------------------------------------------------------------

class Device:
    def __init__(self, params: dict[str, Any]) -> None:
        c = params["certificate"]
        self.valid_from = moment(c["validFrom"])
        self.valid_until = moment(c["validUntil"])
        self.pin = params["pin"]
        self.active = False
        self.status = "active"  # active | locked | decommissioned
        self.unlocked = False
        self.pin_failures = 0
        self.docs: list[Doc] = []
        self.last_shift = 0
        self.shift: Optional[Shift] = None
        self.acknowledged = 0
        self.ledger = Ledger()  # in the saved state: it survives a restart (§14.6)

    # the checks, in the order of §14.3
    def certificate_valid(self, now: int) -> None:
        """§12.2: valid_from ≤ t < valid_until."""
        if now < self.valid_from:
            raise Refused("certificate_not_yet_valid")
        if now >= self.valid_until:
            raise Refused("certificate_expired")

    def warnings(self, now: int) -> list[str]:
        """§12.2, NM-08: from valid_until − 7 days every document carries the warning (read here
        as: while the certificate has not yet expired)."""
        if self.valid_until - WARNING_BEFORE_EXPIRY <= now < self.valid_until:
            return ["certificate_expires_soon"]
        return []

    def status_and_pin(self) -> None:
        """§14.2: a decommissioned device does nothing; a locked one neither; without the PIN
        nothing is issued (NM-07)."""
        if self.status == "decommissioned":
            raise Refused("decommissioned")
        if self.status == "locked":
            raise Refused("device_locked")
        if not self.unlocked:
            raise Refused("not_unlocked")

    def later(self, now: int) -> None:
        """§14.3 step 3: strictly later than the previous document."""
        if self.docs and now <= self.docs[-1].time:
            raise Refused("time_not_increasing")

    def upload_limits(self, now: int) -> None:
        """§14.3 step 4 (NM-05, NM-04, U-06): fewer than 4000 pending; the oldest not uploaded
        at most 7 days before now."""
        pending = len(self.docs) - self.acknowledged
        if pending >= MAX_PENDING:
            raise Refused("too_many_pending")
        if pending > 0 and now - self.docs[self.acknowledged].time > MAX_OFFLINE:
            raise Refused("offline_too_long")

    def open_shift_checks(self, now: int) -> Shift:
        """§14.3 step 5."""
        if self.shift is None:
            raise Refused("no_open_shift")
        if now - self.shift.opened_at >= MAX_SHIFT:
            raise Refused("shift_too_long")
        return self.shift

    def emit(self, doc: Doc) -> Doc:
        """Numbered last + 1 without gaps (NM-03)."""
        assert doc.number == len(self.docs) + 1
        self.docs.append(doc)
        if self.shift is not None:
            self.shift.last = doc.number
        return doc

    def new(self, now: int, kind: str, shift: int, receipt: int = 0) -> Doc:
        return Doc(number=len(self.docs) + 1, time=now, kind=kind, shift=shift, receipt=receipt,
                   warnings=self.warnings(now))

    # the operations
    def activate(self, now: int) -> Doc:
        """§14.2, LC-01: the certificate valid at now; document 1; the device unlocked."""
        self.certificate_valid(now)
        self.active = True
        self.unlocked = True
        return self.emit(self.new(now, "activation", 0))

    def unlock(self, pin: str) -> None:
        """§14.2, NM-07."""
        if self.status == "decommissioned":
            raise Refused("decommissioned")
        if self.status == "locked":
            raise Refused("device_locked")
        if pin == self.pin:
            self.pin_failures = 0
            self.unlocked = True
            return
        self.pin_failures += 1
        if self.pin_failures >= MAX_PIN_ATTEMPTS:
            self.status = "locked"
            raise Refused("device_locked")
        raise Refused("wrong_pin")

    def restart(self) -> None:
        """§14.1–14.2: the state survives (wrong-PIN count included); the PIN is needed again."""
        self.unlocked = False

    def open_shift(self, now: int) -> Doc:
        """§14.4: no shift open; checks 2–4 of §14.3; shift number last + 1. (The text lists the
        open shift first; the vectors never make it race another check.)"""
        if self.shift is not None:
            raise Refused("shift_already_open")
        self.status_and_pin()
        self.certificate_valid(now)
        self.later(now)
        self.upload_limits(now)
        number = self.last_shift + 1
        doc = self.new(now, "open_shift", number)
        self.last_shift = number
        self.shift = Shift(number=number, opened_at=now, first=doc.number, last=doc.number)
        return self.emit(doc)

    def close_shift(self, now: int) -> Doc:
        """§14.4, §14.2: the Z-report; no valid certificate or upload limit needed."""
        self.status_and_pin()
        self.later(now)
        if self.shift is None:
            raise Refused("no_open_shift")
        doc = self.new(now, "zreport", self.shift.number)
        doc.report = self.shift.present(doc.number)
        self.shift = None
        return self.emit(doc)

    def x_report(self) -> dict[str, Any]:
        """§14.4: the open shift's running report; changes nothing."""
        if self.status == "decommissioned":
            raise Refused("decommissioned")
        if self.shift is None:
            raise Refused("no_open_shift")
        return self.shift.present(self.shift.last)

    def acknowledge(self, through: int) -> None:
        """§14.5 (NM-01): up to the last number; at or below the acknowledgement nothing changes.
        Document through + 1, when it exists, starts the window (upload_limits reads it)."""
        if self.status == "decommissioned":
            raise Refused("decommissioned")
        if through > len(self.docs):
            raise Refused("invalid_acknowledgement")
        self.acknowledged = max(self.acknowledged, through)

    def decommission(self, now: int) -> Doc:
        """§14.2, LC-02, NM-12: no shift open, every document acknowledged; the last document."""
        self.status_and_pin()
        self.later(now)
        if self.shift is not None:
            raise Refused("shift_open")
        if len(self.docs) > self.acknowledged:
            raise Refused("pending_uploads")
        doc = self.emit(self.new(now, "decommission", self.last_shift))
        self.status = "decommissioned"
        return doc

    def issue(self, now: int, request: dict[str, Any], supplied: Supplied, expected_previous: Optional[int]) -> Doc:
        """§14.3, in its order: the first failure wins."""
        kind = request["doc_type"]
        data = request["data"]
        doc = Doc(number=len(self.docs) + 1, time=now, kind=kind, shift=0, receipt=0, data=data)
        amounts(doc)  # §7: a request that does not validate never reaches the device
        if expected_previous is not None and expected_previous != len(self.docs):  # 1
            raise Refused("sequence_mismatch")
        self.status_and_pin()  # 2
        self.certificate_valid(now)
        self.later(now)  # 3
        self.upload_limits(now)  # 4
        shift = self.open_shift_checks(now)  # 5
        if baku_date(now) < RATES_FROM:  # 6
            raise Refused("unknown_tax_rate")
        ledger = self.check_references(doc, supplied, shift)  # 7
        doc.shift = shift.number
        doc.warnings = self.warnings(now)
        # 8: the drawer, on a copy: a refused operation changes nothing (§14.1)
        shift = copy.deepcopy(shift)
        shift.account(doc)
        self.shift = shift
        self.ledger = ledger
        if kind in RECEIPTS:
            shift.receipts += 1
            doc.receipt = shift.receipts
        return self.emit(doc)

    def check_references(self, doc: Doc, supplied: Supplied, shift: Shift) -> "Ledger":
        """§14.3 step 7: each reference names a supplied document of this device that is a
        receipt; then the claim is checked against the ledger (§14.6). Returns the ledger with
        the claim's effects, for the caller to keep when the document is issued."""
        parents = []
        for ref in doc.refs:
            p = find(ref, supplied)
            if p.kind not in RECEIPTS:
                raise Refused("reference_wrong_kind")
            parents.append(p)
        ledger = copy.deepcopy(self.ledger)
        if not parents:
            return ledger
        balances = {p.number: ledger.balance(p, supplied) for p in parents}
        code = claim_rules(doc, parents, balances, shift.number)
        if code is not None:
            raise Refused(code)
        if doc.kind == "rollback":
            doc.voided = parents[0]  # it carries what it voids
        ledger.record(balances)
        return ledger


def amounts(doc: Doc) -> None:
    """A request's amounts (SPEC.md §5 via reference.py) and references; refuses a request whose
    payments do not reconcile with its total (§7.4 rule 1: underpaid, overpaid)."""
    data = doc.data
    if doc.kind in ("deposit", "withdraw"):
        doc.total = doc.sum = qepik(data["sum"])
        return
    if doc.kind == "rollback":
        doc.refs = [symbol(data["parentDocument"])]
        return
    taken = KIND_FORMS[doc.kind]
    doc.payments = {f: (qepik(data.get(member)) if f in taken else 0) for f, member in FORMS}
    if doc.kind == "correction":
        doc.groups = correction_groups(data)
        doc.total = doc.sum = qepik(data["sum"])
        paid = sum(doc.payments.values())
    else:
        numbers = reference.compute({"doc_type": doc.kind, "data": data})
        doc.total = qepik(numbers["total"])
        doc.sum = qepik(numbers["sum"])
        doc.groups = parse_groups(numbers["countedTaxGroups"])
        paid = sum(doc.payments.values())
    if paid < doc.total:
        raise Refused("underpaid")
    if paid > doc.total:
        raise Refused("overpaid")
    if doc.kind == "sale":
        doc.refs = [symbol(r) for r in data.get("parents") or []]
    elif doc.kind in ("money_back", "creditpay"):
        doc.refs = [symbol(data["parentDocument"])]


# --- output ------------------------------------------------------------------------------------

def present(doc: Doc) -> dict[str, Any]:
    """A document step as the vectors write it (without its fiscal ID)."""
    out: dict[str, Any] = {
        "result": "document", "number": doc.number, "kind": doc.kind, "shift": doc.shift,
        "shiftReceipt": doc.receipt, "warnings": doc.warnings,
    }
    if doc.kind in ("sale", "money_back", "prepay", "creditpay", "correction"):
        out["total"] = reference.money(doc.total)
        out["sum"] = reference.money(doc.sum)
    elif doc.kind in ("deposit", "withdraw"):
        out["sum"] = reference.money(doc.sum)
    elif doc.kind == "rollback":
        assert doc.voided is not None
        out["voided"] = {"number": doc.voided.number, "kind": doc.voided.kind, "sum": reference.money(doc.voided.sum)}
    elif doc.kind == "zreport":
        out["report"] = doc.report
    return out


def run(group: dict[str, Any], test: dict[str, Any]) -> dict[str, Any]:
    """The expected object of one scenario, without fiscal IDs."""
    device = Device(group["device"])
    steps = []
    for step in test["input"]["steps"]:
        op = step["op"]
        now = moment(step["at"]) if "at" in step else None
        try:
            if op == "activate":
                result: dict[str, Any] = present(device.activate(now))  # type: ignore[arg-type]
            elif op == "openShift":
                result = present(device.open_shift(now))  # type: ignore[arg-type]
            elif op == "closeShift":
                result = present(device.close_shift(now))  # type: ignore[arg-type]
            elif op == "decommission":
                result = present(device.decommission(now))  # type: ignore[arg-type]
            elif op == "xReport":
                result = {"result": "report", "report": device.x_report()}
            elif op == "unlock":
                device.unlock(step["pin"])
                result = {"result": "ok"}
            elif op == "restart":
                device.restart()
                result = {"result": "ok"}
            elif op == "acknowledge":
                device.acknowledge(int(step["through"]))
                result = {"result": "ok"}
            elif op == "issue":
                request = resolve(step["request"])
                supplied: Supplied = [
                    device.docs[r - 1] if isinstance(r, int) else ("foreign", int(r["foreign"]))
                    for r in step.get("references") or []
                ]
                result = present(device.issue(now, request, supplied, step.get("expectedPrevious")))  # type: ignore[arg-type]
            else:
                raise ValueError(f"unknown op {op}")
        except Refused as e:
            result = {"result": "refused", "error": e.code}
        steps.append(result)
    return {"steps": steps}


def resolve(request: dict[str, Any]) -> dict[str, Any]:
    """The request as the model reads it: references stay symbolic (strings kept as text)."""
    return json.loads(json.dumps(request, default=str), parse_float=Decimal)


def main(argv: Optional[list[str]] = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else VECTORS
    doc = json.loads(path.read_text(encoding="utf-8"))
    failures, checked, steps = [], 0, 0
    for group in doc["testGroups"]:
        for t in group["tests"]:
            want = without_ids(t["expected"])
            try:
                got = run(group, t)
            except Exception as e:  # a model that cannot follow a case is a failure, not a crash
                failures.append(f"tcId {t['tcId']}: {type(e).__name__}: {e}")
                continue
            diff = first_difference(want, got)
            if diff:
                failures.append(f"tcId {t['tcId']} ({t['comment']}): {diff}")
            checked += 1
            steps += len(want["steps"])
    for f in failures[:30]:
        print("FAIL", f)
    print(f"{checked} scenarios ({steps} steps) checked against the model: {len(failures)} differ")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
