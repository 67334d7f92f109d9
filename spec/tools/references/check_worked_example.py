#!/usr/bin/env python3
"""Re-derives SPEC.md §16's worked example independently of the Rust engine.

From the field values alone (not from the engine's bytes) it rebuilds, following SPEC.md
§12–§13: the test keys from their seeds, the certificate's signed bytes, hash and signature,
and each document's canonical bytes (postcard, by hand), deterministic low-S ECDSA P-256
signature (RFC 6979, via the `cryptography` package), fiscal ID, short ID, QR payload and
journal line; and compares every one with spec/worked-example.json.

Usage: python3 spec/tools/references/check_worked_example.py [spec/worked-example.json]
Needs: Python 3.9+, cryptography >= 43 (for deterministic ECDSA). Exit 0 when all agree.
"""
import hashlib
import json
import sys
from decimal import Decimal, ROUND_HALF_UP
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# postcard, test keys and signatures (SPEC.md §12.3, §13.1–§13.2), written out in encoding.py
from encoding import (  # noqa: E402
    CERT_TAG, DOC_TAG, ID_TAG, QR_BASE, key_from_seed, option, public_hex, nonce_point, r_of, seq, sign, string, units, varint,
    verify, verify_with_nonce, zigzag,
)

failures = []


def check(what, got, want):
    if got != want:
        failures.append(f"{what}:\n  derived  {got}\n  expected {want}")
    else:
        print(f"ok  {what}")


def main(path):
    ex = json.loads(Path(path).read_text(encoding="utf-8"))
    authority = key_from_seed(ex["authority_seed"])
    device = key_from_seed(ex["device_seed"])
    check("authority public key", public_hex(authority), ex["authority_public_key"])
    check("device public key", public_hex(device), ex["device_public_key"])

    c = ex["certificate"]
    body = (
        varint(c["serial"])
        + b"".join(string(c[k]) for k in (
            "kassa_model", "kassa_factory_number", "nmq_factory_number", "nmq_registration_number",
            "taxpayer_name", "voen", "object_code", "object_name", "object_address"))
        + zigzag(c["valid_from_ms"]) + zigzag(c["valid_until_ms"])
        + bytes.fromhex(public_hex(device))
    )
    cert_body = body
    cert_bytes = CERT_TAG + cert_body
    check("certificate signed bytes", cert_bytes.hex(), c["signed_bytes"])
    cert_sig = sign(authority, cert_bytes)
    check("certificate signature (RFC 6979, low-S)", cert_sig.hex(), c["signature"])
    verify(authority.public_key(), cert_bytes, cert_sig)
    cert_hash = hashlib.sha256(cert_bytes + cert_sig).digest()
    check("certificate hash", cert_hash.hex(), c["hash"])

    # The sale, computed from the request by SPEC.md §5 (Decimal, half up).
    item = ex["sale_request"]["data"]["items"][0]
    qty, price, pct = Decimal(str(item["itemQuantity"])), Decimal(str(item["itemPrice"])), Decimal(str(item["itemVatPercent"]))
    total = (qty * price).quantize(Decimal("0.01"), ROUND_HALF_UP)
    tax = (total * pct / (100 + pct)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    cash = units(ex["sale_request"]["data"]["cashSum"], 2)
    cents = lambda d: units(d, 2)  # noqa: E731
    payments = b"".join(zigzag(v) for v in (cash, 0, 0, 0, 0, 0, 0, cash, 0))  # tendered = cash, change 0
    group = b"\x00" + option(units(pct, 2), zigzag) + zigzag(cents(total)) + zigzag(cents(tax))
    line = (
        string(item["itemName"])
        + b"\x00"  # no item code
        + b"\x00"  # unit: piece
        + zigzag(units(qty, 3)) + zigzag(units(price, 4)) + zigzag(cents(total))
        + b"\x00" + option(units(pct, 2), zigzag)  # treatment: VAT, rate
        + b"\x00\x00\x00\x00"  # margin, margin price, adjustment, department
        + zigzag(cents(tax))
    )
    totals = zigzag(cents(total)) + zigzag(cents(total)) + seq([group], bytes) + seq([group], bytes)
    receipt = string(ex["sale_request"]["data"]["cashier"]) + seq([line], bytes) + payments + totals + b"\x00\x00"
    sale_content = b"\x02" + b"\x00" + receipt + seq([], bytes) + b"\x00"  # Content::Request(Request::Sale(…))

    # The journal's first line: the certificate's canonical bytes, postcard(body) ‖ signature.
    cert_line = json.dumps({"certificate": (cert_body + cert_sig).hex()}, separators=(",", ":"))
    check("journal certificate line", cert_line, ex["journal"][0])

    contents = [b"\x00" + cert_hash, b"\x01", sale_content]
    previous = cert_hash
    for doc, content, journal_line in zip(ex["documents"], contents, ex["journal"][1:]):
        n = doc["number"]
        body = varint(n) + zigzag(doc["time_ms"]) + varint(doc["shift"]) + varint(doc["shift_receipt"]) + previous + content
        data = DOC_TAG + body
        check(f"document {n} bytes", data.hex(), doc["bytes"])
        sig = sign(device, data)
        check(f"document {n} signature", sig.hex(), doc["signature"])
        nonce = nonce_point(device, data)
        check(f"document {n} nonce point (R re-derived)", nonce.hex(), doc["nonce_point"])
        check(f"document {n} r = R.x mod n", r_of(nonce).hex(), sig[:32].hex())
        verify_with_nonce(device.public_key(), data, nonce + sig[32:])
        fid = hashlib.sha256(ID_TAG + data + sig).digest()
        check(f"document {n} fiscal ID", fid.hex(), doc["fiscal_id"])
        check(f"document {n} short ID", fid.hex()[:12], doc["short_id"])
        check(f"document {n} QR payload", QR_BASE + fid.hex(), doc["qr_payload"])
        line = json.dumps({"number": n, "id": fid.hex(), "body": data.hex(), "signature": nonce.hex() + sig[32:].hex()},
                          separators=(",", ":"))
        check(f"document {n} journal line", line, journal_line)
        previous = fid

    if failures:
        print("\n".join(["", "MISMATCHES:"] + failures))
        return 1
    print("worked example: every byte re-derived independently")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent.parent / "worked-example.json"))
