"""The encoding and journal families of the runner protocol (spec/README.md), over this engine's
Python module. `adapter_fiscal_core.py` hands every message with `"family": "encoding"` or
`"journal"` to `answer()`.

- encoding, `input.body` (a document body in the structured form of SPEC.md §13.6): the body is
  signed with the key of the group's `deviceSeed` and the reply gives its bytes, SHA-256,
  signature, fiscal ID, short ID, QR payload (with the group's `qrBase`) and journal line. The
  engine signs arbitrary bodies only through `Document.lab_sign_body`, a test and lab tool; a
  vendor's adapter does the same with its kassa's signing of a document it is given.
- encoding, `input.journalLine`: the line is read (`invalid_document`, `wrong_fiscal_id`) and
  its signature checked against the group's `devicePublicKey` (`bad_signature`).
- encoding, `input.certificate` (a certificate body in the structured form of SPEC.md §13.6):
  the certificate is issued with `Certificate.issue` by the authority of the group's
  `authoritySeed`, and the reply gives its signed bytes, SHA-256, the authority's signature, the
  certificate's hash and its journal line; a body the engine refuses gives its code
  (`invalid_certificate`).
- encoding, `input.certificateLine`: the line is read (`Certificate.from_journal_line`) and
  checked against the group's `authorityPublicKey` (`certificate_signature`, then the rules:
  `invalid_certificate`).
- journal, `input.journal` (lines, the certificate first): the journal is verified against the
  group's `authorityPublicKey`; a good one gives its counts and last document, a bad one its
  findings' codes and (code, document number) pairs.

Broken modes: `bad-signature` is a faulty kassa whose signatures are high-S (it forgets the
normalization of SPEC.md §13.2), so every encoded document has another signature, fiscal ID
and journal line, and every certificate it issues has the authority's high-S signature, another
hash and journal line; and a faulty verifier that accepts documents and certificates whose
signature is bad (it never reports `bad_signature` or `certificate_signature`). `skip` answers "skip".
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone
from typing import Any

import fiscal_core
from fiscal_core import Certificate, Document, PrivateKey, PublicKey

N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551  # P-256 order
P256_P = 0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF  # P-256 field prime
ID_TAG = b"fiscal-core/fiscal-id/v1\0"
CERT_TAG = b"fiscal-core/certificate/v1\0"
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

# The structured form's names (SPEC.md §13.6) → the engine's serde names.
UNITS = {"piece": "Piece", "kg": "Kilogram", "l": "Litre", "m": "Metre", "m2": "SquareMetre", "m3": "CubicMetre"}
CODE_TYPES = {"text": "Text", "ean8": "Ean8", "ean13": "Ean13", "service": "Service", "credit_payment": "CreditPayment"}
RETURN_OF = {"sale": "Sale", "advance_residue": "AdvanceResidue", "credit_payment": "CreditPayment"}
TAX_KINDS = {"vat": "Vat", "vat_margin": "VatOnMargin", "simplified": "Simplified", "vat_exempt": "VatExempt"}
CATEGORIES = {**TAX_KINDS, "margin_remainder": "MarginRemainder"}
DOC_TYPES = {"sale": "Sale", "return": "Return", "cancel": "Cancel", "advance": "Advance",
             "credit_payment": "CreditPayment", "deposit": "Deposit", "withdraw": "Withdraw", "correction": "Correction"}


def payments(p: dict[str, str]) -> dict[str, str]:
    return {"cash": p["cash"], "cashless": p["cashless"], "bonus": p["bonus"], "gift_card": p["giftCard"],
            "fuel_card": p["fuelCard"], "prepayment": p["prepayment"], "credit": p["credit"],
            "tendered": p["tendered"], "change": p["change"]}


def groups(gs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"key": {"category": CATEGORIES[g["category"]], "percent": g["percent"]}, "gross": g["gross"], "tax": g["tax"]}
            for g in gs]


def totals(t: dict[str, Any]) -> dict[str, Any]:
    return {"total": t["total"], "sum": t["sum"], "tax_groups": groups(t["taxGroups"]),
            "counted_groups": groups(t["countedGroups"])}


def line(item: dict[str, Any]) -> dict[str, Any]:
    code, adj, dep = item["code"], item["adjustment"], item["department"]
    return {
        "name": item["name"],
        "code": None if code is None else {"kind": CODE_TYPES[code["type"]], "code": code["code"]},
        "unit": UNITS[item["unit"]], "quantity": item["quantity"], "price": item["price"], "total": item["total"],
        "treatment": {"kind": TAX_KINDS[item["treatment"]["kind"]], "percent": item["treatment"]["percent"]},
        "margin": item["margin"], "margin_price": item["marginPrice"],
        "adjustment": None if adj is None else {adj["type"].capitalize(): adj["amount"]},
        "department": None if dep is None else {"number": dep["number"], "name": dep["name"]},
        "tax": item["tax"],
    }


def receipt(r: dict[str, Any]) -> dict[str, Any]:
    return {"cashier": r["cashier"], "lines": [line(x) for x in r["lines"]], "payments": payments(r["payments"]),
            "totals": totals(r["totals"]), "vehicle_plate": r["vehiclePlate"], "rrn": r["rrn"]}


def kind_totals(k: dict[str, Any]) -> dict[str, Any]:
    return {"kind": DOC_TYPES[k["kind"]], "count": k["count"], "sum": k["sum"], "payments": payments(k["payments"]),
            "groups": groups(k["groups"])}


def content(c: dict[str, Any]) -> Any:
    kind = c["type"]
    if kind == "activation":
        return {"Activation": {"certificate": c["certificate"]}}
    if kind == "open_shift":
        return "OpenShift"
    if kind == "decommission":
        return "Decommission"
    if kind == "zreport":
        z = c["report"]
        return {"ZReport": {"shift": z["shift"], "opened_at": z["openedAt"], "first_number": z["firstNumber"],
                            "last_number": z["lastNumber"], "receipts": z["receipts"],
                            "kinds": [kind_totals(k) for k in z["kinds"]], "cash_in": z["cashIn"], "cash_out": z["cashOut"]}}
    if kind == "cancel":
        v = c["voided"]
        return {"Cancel": {"request": {"cashier": c["cashier"], "parent": c["parent"]},
                           "voided": {"number": v["number"], "kind": DOC_TYPES[v["kind"]], "sum": v["sum"],
                                      "payments": payments(v["payments"]), "groups": groups(v["groups"])}}}
    request: dict[str, Any]
    if kind == "sale":
        request = {"Sale": {"body": receipt(c["receipt"]), "advances": c["advances"], "credit_contract": c["creditContract"]}}
    elif kind == "return":
        request = {"Return": {"body": receipt(c["receipt"]), "parent": c["parent"], "return_of": RETURN_OF[c["returnOf"]]}}
    elif kind == "cancel_request":
        request = {"Cancel": {"cashier": c["cashier"], "parent": c["parent"]}}
    elif kind == "advance":
        request = {"Advance": receipt(c["receipt"])}
    elif kind == "credit_payment":
        request = {"CreditPayment": {"body": receipt(c["receipt"]), "parent": c["parent"], "instalment": c["instalment"],
                                     "debt_left": c["debtLeft"], "credit_contract": c["creditContract"]}}
    elif kind in ("deposit", "withdraw"):
        request = {kind.capitalize(): {"cashier": c["cashier"], "amount": c["amount"]}}
    elif kind == "correction":
        request = {"Correction": {"cashier": c["cashier"], "payments": payments(c["payments"]), "totals": totals(c["totals"])}}
    else:
        raise ValueError(f"unknown content type {kind!r}")
    return {"Request": request}


def engine_body(body: dict[str, Any]) -> str:
    """The structured body (SPEC.md §13.6) in the engine's serde JSON form."""
    return json.dumps({"number": body["number"], "time": body["time"], "shift": body["shift"],
                       "shift_receipt": body["shiftReceipt"], "previous": body["previous"],
                       "content": content(body["content"])}, ensure_ascii=False)


def encoded(data: bytes, sig: bytes, nonce: bytes, number: int, qr_base: str) -> dict[str, Any]:
    """What the encoding vectors expect, from r ‖ s and the nonce point R.x ‖ R.y (SPEC.md
    §13.2, v3): the fiscal ID hashes r ‖ s, the journal line carries R.x ‖ R.y ‖ s."""
    fid = hashlib.sha256(ID_TAG + data + sig).hexdigest()
    return {
        "bytes": data.hex(), "sha256": hashlib.sha256(data).hexdigest(), "signature": sig.hex(),
        "noncePoint": nonce.hex(), "fiscalId": fid, "shortId": fid[:12], "qrPayload": qr_base + fid,
        "journalLine": json.dumps({"number": number, "id": fid, "body": data.hex(),
                                   "signature": nonce.hex() + sig[32:].hex()}, separators=(",", ":")),
    }


def negated(nonce: bytes) -> bytes:
    """−R: R.x ‖ (p − R.y)."""
    y = int.from_bytes(nonce[32:], "big")
    return nonce[:32] + (P256_P - y).to_bytes(32, "big")


def high_s(sig: bytes) -> bytes:
    """(r, n − s): what a signer that forgets the low-S normalization (SPEC.md §13.2) gives."""
    return sig[:32] + (N - int.from_bytes(sig[32:], "big")).to_bytes(32, "big")


def certificate(message: dict[str, Any], mode: str | None) -> dict[str, Any]:
    """A certificate case (SPEC.md §12): issue a structured body, or read and check a line."""
    tc, inp = message["tcId"], message["input"]
    if "certificateLine" in inp:
        try:
            cert = Certificate.from_journal_line(inp["certificateLine"])
            cert.verify(PublicKey.from_hex(message["authorityPublicKey"]))
        except fiscal_core.FiscalError as e:
            if not (e.code == "certificate_signature" and mode == "bad-signature"):  # the faulty verifier accepts it
                return {"tcId": tc, "result": "invalid", "errors": [e.code]}
        return {"tcId": tc, "result": "valid", "output": {}}
    c = inp["certificate"]
    moment = lambda ms: EPOCH + timedelta(milliseconds=ms)  # noqa: E731
    try:
        cert = Certificate.issue(
            PrivateKey.from_seed(message["authoritySeed"]), serial=c["serial"], kassa_model=c["kassaModel"],
            kassa_factory_number=c["kassaFactoryNumber"], nmq_factory_number=c["nmqFactoryNumber"],
            nmq_registration_number=c["nmqRegistrationNumber"], taxpayer_name=c["taxpayerName"], voen=c["voen"],
            object_code=c["objectCode"], object_name=c["objectName"], object_address=c["objectAddress"],
            valid_from=moment(c["validFrom"]), valid_until=moment(c["validUntil"]),
            device_key=PublicKey.from_hex(c["deviceKey"]))
    except fiscal_core.FiscalError as e:
        return {"tcId": tc, "result": "invalid", "errors": [e.code]}
    body, sig = cert.to_bytes()[:-64], cert.signature  # canonical bytes = postcard(body) ‖ signature
    if mode == "bad-signature":  # the faulty authority: the high-S twin
        sig = high_s(sig)
    data = CERT_TAG + body
    out = {"bytes": data.hex(), "sha256": hashlib.sha256(data).hexdigest(), "signature": sig.hex(),
           "hash": hashlib.sha256(data + sig).hexdigest(),
           "journalLine": json.dumps({"certificate": (body + sig).hex()}, separators=(",", ":"))}
    if mode != "bad-signature":  # the engine's own hash and line are the same
        assert out["hash"] == cert.hash.hex() and out["journalLine"] == cert.to_journal_line()
    return {"tcId": tc, "result": "valid", "output": out}


def encode(message: dict[str, Any], mode: str | None) -> dict[str, Any]:
    tc, inp = message["tcId"], message["input"]
    if "certificate" in inp or "certificateLine" in inp:
        return certificate(message, mode)
    if "body" in inp:
        key = PrivateKey.from_seed(message["deviceSeed"])
        doc = Document.lab_sign_body(engine_body(inp["body"]), key)
        sig = doc.signature
        if mode == "bad-signature":  # the faulty kassa: (r, n − s), the high-S twin (its R is −R)
            sig = high_s(sig)
            return {"tcId": tc, "result": "valid",
                    "output": encoded(doc.signed_bytes, sig, negated(doc.nonce_point), doc.number, message["qrBase"])}
        out = {
            "bytes": doc.signed_bytes.hex(), "sha256": hashlib.sha256(doc.signed_bytes).hexdigest(),
            "signature": sig.hex(), "noncePoint": doc.nonce_point.hex(), "fiscalId": doc.fiscal_id, "shortId": doc.short_id,
            "qrPayload": doc.qr_payload(message["qrBase"]), "journalLine": doc.to_json(),
        }
        return {"tcId": tc, "result": "valid", "output": out}
    try:
        doc = Document.from_json(inp["journalLine"])
    except fiscal_core.FiscalError as e:
        return {"tcId": tc, "result": "invalid", "errors": [e.code]}
    device = PublicKey.from_hex(message["devicePublicKey"])
    if not doc.verify_signature(device) and mode != "bad-signature":  # the faulty verifier accepts it
        return {"tcId": tc, "result": "invalid", "errors": ["bad_signature"]}
    return {"tcId": tc, "result": "valid", "output": {"number": doc.number, "fiscalId": doc.fiscal_id}}


def verify(message: dict[str, Any], mode: str | None) -> dict[str, Any]:
    tc, lines = message["tcId"], message["input"]["journal"]
    report = fiscal_core.verify_journal("\n".join(lines), PublicKey.from_hex(message["authorityPublicKey"]))
    findings = [(f.code, f.document_number) for f in report.findings]
    if mode == "bad-signature":  # the faulty verifier: a bad signature is not a finding
        findings = [f for f in findings if f[0] != "bad_signature"]
    if not findings:
        last = Document.from_json(lines[-1])
        return {"tcId": tc, "result": "valid", "output": {
            "documents": report.documents, "receipts": report.receipts,
            "lastNumber": last.number, "lastFiscalId": last.fiscal_id}}
    unique = sorted(set(findings), key=repr)
    return {"tcId": tc, "result": "invalid", "errors": sorted({c for c, _ in unique}),
            "findings": [{"code": c, "number": n} for c, n in unique]}


def answer(message: dict[str, Any], mode: str | None) -> dict[str, Any]:
    tc = message["tcId"]
    if mode == "skip":
        return {"tcId": tc, "result": "skip", "reason": "this adapter skips everything"}
    if message.get("family") == "encoding":
        return encode(message, mode)
    if message.get("family") == "journal":
        return verify(message, mode)
    return {"tcId": tc, "result": "skip", "reason": f"family {message.get('family')} not supported"}
