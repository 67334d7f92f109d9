"""The scenario family of the runner protocol (spec/README.md), over this engine's Python module.

`adapter_fiscal_core.py` hands every message with `"family": "scenario"` to `answer()`. A
scenario is a device (keys from seeds, the certificate's fields, the PIN) and a sequence of
timed operations (spec/vectors/scenarios.json, its `format` notes); the reply lists, step by
step, each document issued (number, kind, shift, receipt counter, fiscal ID, warnings, amounts,
reports) or each refusal's error code.

A vendor's adapter does the same against its kassa: activate a device with the certificate,
run the steps in order with the given moments, and write what each step gave.

Broken modes (`--break`): `skip` answers "skip"; `skip-number` is a faulty kassa that skips one
document number after the third document, so every document from the fourth on (and every
report and cancel naming such a number) is one higher than it should be.
"""
from __future__ import annotations

import warnings
from datetime import datetime
from decimal import Decimal
from typing import Any, Callable, Optional

from fiscal_core import BAKU, Certificate, Device, Document, PrivateKey
from fiscal_core.errors import CertificateExpiresSoon, FiscalError

CENT = Decimal("0.01")
SKIPPED_AFTER = 3  # skip-number: the number after document 3 is skipped
FORMS = [("cash", "cash"), ("cashless", "cashless"), ("bonus", "bonus"), ("giftCard", "gift_card"),
         ("fuelCard", "fuel_card"), ("prepayment", "prepayment"), ("credit", "credit")]


def moment(text: str) -> datetime:
    """A step's `at` (ISO 8601 with its offset)."""
    dt = datetime.fromisoformat(text)
    if dt.utcoffset() is None:
        raise ValueError(f"{text}: no offset")
    return dt


def iso(dt: datetime) -> str:
    """ISO 8601 in Baku, milliseconds only when not 0 (the vectors' time format)."""
    local = dt.astimezone(BAKU)
    text = local.strftime("%Y-%m-%dT%H:%M:%S")
    ms = local.microsecond // 1000
    return text + (f".{ms:03d}" if ms else "") + "+04:00"


def money(d: Any) -> str:
    return str(Decimal(str(d)).quantize(CENT))


def percent(d: Any) -> str:
    return format(Decimal(str(d)).normalize(), "f")


def certificate(device: dict[str, Any]) -> tuple[Certificate, PrivateKey, PrivateKey]:
    """The group's certificate, issued by the authority of `authoritySeed` (SPEC.md §12.3)."""
    authority = PrivateKey.from_seed(device["authoritySeed"])
    key = PrivateKey.from_seed(device["deviceSeed"])
    c = device["certificate"]
    cert = Certificate.issue(
        authority,
        serial=int(c["serial"]),
        kassa_model=c["kassaModel"],
        kassa_factory_number=c["kassaFactoryNumber"],
        nmq_factory_number=c["nmqFactoryNumber"],
        nmq_registration_number=c["nmqRegistrationNumber"],
        taxpayer_name=c["taxpayerName"],
        voen=c["voen"],
        object_code=c["objectCode"],
        object_name=c["objectName"],
        object_address=c["objectAddress"],
        valid_from=moment(c["validFrom"]),
        valid_until=moment(c["validUntil"]),
        device_key=key.public_key(),
    )
    return cert, authority, key


def groups(gs: Any) -> list[dict[str, Any]]:
    out = []
    for g in gs:
        row: dict[str, Any] = {"taxTreatment": g.category}
        if g.percent is not None:
            row["percent"] = percent(g.percent)
        row["gross"] = money(g.gross)
        row["tax"] = money(g.tax)
        out.append(row)
    return out


def report(r: Any) -> dict[str, Any]:
    """An X- or Z-report (`fiscal_core.ShiftReport`) in the vectors' form."""
    return {
        "shift": r.shift,
        "openedAt": iso(r.opened_at),
        "firstNumber": r.first_number,
        "lastNumber": r.last_number,
        "receipts": r.receipts,
        "kinds": [
            {
                "kind": k.kind,
                "count": k.count,
                "sum": money(k.sum),
                "payments": {name: money(getattr(k.payments, attr)) for name, attr in FORMS},
                "taxGroups": groups(k.groups),
            }
            for k in r.kinds
        ],
        "cashIn": money(r.cash_in),
        "cashOut": money(r.cash_out),
        "cashInDrawer": money(r.cash_in_drawer),
    }


def document(doc: Document, warned: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "result": "document",
        "number": doc.number,
        "kind": doc.kind,
        "shift": doc.shift,
        "shiftReceipt": doc.shift_receipt,
        "fiscalId": doc.fiscal_id,
        "warnings": warned,
    }
    kind = doc.kind
    if kind in ("sale", "money_back", "prepay", "creditpay", "correction"):
        out["total"] = money(doc.total)
        out["sum"] = money(doc.sum)
    elif kind in ("deposit", "withdraw"):
        out["sum"] = money(doc.sum)
    elif kind == "rollback":
        voided = doc.as_dict()["content"]["voided"]
        out["voided"] = {"number": voided["number"], "kind": voided["kind"], "sum": money(voided["sum"])}
    elif kind == "zreport":
        z = doc.z_report
        assert z is not None
        out["report"] = report(z)
    return out


def issued(call: Callable[[], Any]) -> tuple[Any, list[str]]:
    """Runs a device call, catching the certificate warning (NM-08) the module raises."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = call()
    codes = ["certificate_expires_soon" for w in caught if issubclass(w.category, CertificateExpiresSoon)]
    return value, codes


def substitute(value: Any, docs: list[Document], foreign: list[Document]) -> Any:
    """Replaces {{fiscalId:N}}, {{shortId:N}} and {{foreignFiscalId:K}} (the vectors' notes)."""
    if isinstance(value, str) and value.startswith("{{") and value.endswith("}}"):
        name, n = value[2:-2].split(":")
        i = int(n) - 1
        if name == "fiscalId":
            return docs[i].fiscal_id
        if name == "shortId":
            return docs[i].short_id
        if name == "foreignFiscalId":
            return foreign[i].fiscal_id
        raise ValueError(f"unknown placeholder {value}")
    if isinstance(value, dict):
        return {k: substitute(v, docs, foreign) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute(v, docs, foreign) for v in value]
    return value


def run(device_params: dict[str, Any], scenario: dict[str, Any]) -> dict[str, Any]:
    """Runs one scenario on a fresh device; returns {"steps": [...]}."""
    cert, authority, key = certificate(device_params)
    foreign = [Document.from_json(line) for line in scenario.get("foreignDocuments") or []]
    device: Optional[Device] = None
    docs: list[Document] = []
    out: list[dict[str, Any]] = []

    def record(call: Callable[[], Document]) -> dict[str, Any]:
        doc, warned = issued(call)
        docs.append(doc)
        return document(doc, warned)

    for step in scenario["steps"]:
        op = step["op"]
        now = moment(step["at"]) if "at" in step else None
        try:
            if op == "activate":
                (device, doc), warned = issued(lambda: Device.activate(
                    cert, authority.public_key(), key, device_params["pin"], now,  # type: ignore[arg-type]
                    qr_base=device_params.get("qrBase")))
                docs.append(doc)
                result = document(doc, warned)
            else:
                if device is None:
                    raise ValueError("an operation before the activation")
                d = device
                if op == "openShift":
                    result = record(lambda: d.open_shift(now))  # type: ignore[arg-type]
                elif op == "closeShift":
                    result = record(lambda: d.close_shift(now))  # type: ignore[arg-type]
                elif op == "decommission":
                    result = record(lambda: d.decommission(now))  # type: ignore[arg-type]
                elif op == "xReport":
                    result = {"result": "report", "report": report(d.x_report())}
                elif op == "unlock":
                    d.unlock(step["pin"])
                    result = {"result": "ok"}
                elif op == "restart":
                    device = Device.restore(d.export_state(), key)
                    result = {"result": "ok"}
                elif op == "acknowledge":
                    through = int(step["through"])
                    nxt = docs[through] if through < len(docs) else None
                    d.acknowledge_upload(through, nxt)
                    result = {"result": "ok"}
                elif op == "issue":
                    request = substitute(step["request"], docs, foreign)
                    refs = [docs[int(r) - 1] if not isinstance(r, dict) else foreign[int(r["foreign"]) - 1]
                            for r in step.get("references") or []]
                    expected = step.get("expectedPrevious")
                    result = record(lambda: d.issue(
                        request, now, references=refs,  # type: ignore[arg-type]
                        expected_previous=None if expected is None else int(expected)))
                else:
                    raise ValueError(f"unknown op {op}")
        except FiscalError as e:
            result = {"result": "refused", "error": e.code}
        out.append(result)
    return {"steps": out}


def skip_number(output: dict[str, Any]) -> dict[str, Any]:
    """The faulty kassa: every number after SKIPPED_AFTER is one higher (documents, the numbers
    a report or a cancel names)."""
    def bump(n: int) -> int:
        return n + 1 if n > SKIPPED_AFTER else n

    for step in output["steps"]:
        if step.get("result") == "document":
            step["number"] = bump(step["number"])
            if "voided" in step:
                step["voided"]["number"] = bump(step["voided"]["number"])
        r = step.get("report")
        if r:
            r["firstNumber"] = bump(r["firstNumber"])
            r["lastNumber"] = bump(r["lastNumber"])
    return output


def answer(message: dict[str, Any], mode: Optional[str]) -> dict[str, Any]:
    """The protocol reply to one scenario message."""
    tc = message["tcId"]
    if mode == "skip":
        return {"tcId": tc, "result": "skip", "reason": "this adapter skips everything"}
    output = run(message["device"], message["input"])
    if mode == "skip-number":
        output = skip_number(output)
    return {"tcId": tc, "result": "valid", "output": output}


__all__ = ["answer", "run", "skip_number"]
