#!/usr/bin/env python3
"""A pure-Python journal verifier: the straightforward one an integrator would write with the
`cryptography` package, the peer that `fiscal_core.verify_journal` is compared with.

For each line of a journal (SPEC.md §13.5) it does what Python can do cheaply:

- the certificate line: splits postcard(body) ‖ signature, verifies the authority's signature
  over "fiscal-core/certificate/v1\\0" ‖ body (low-S), reads the validity and the device key
  from the body, and takes SHA-256(signed bytes ‖ signature) as the chain's start (§12.2);
- each document line: `json.loads`; the body starts with the document tag; decodes the body's
  header (number, time, shift, shift receipt, previous: §13.1) and checks the declared number,
  the fiscal ID = SHA-256(tag ‖ bytes ‖ signature) (§13.3), numbers consecutive, `previous` =
  the previous document's ID, time increasing and within the certificate's validity; refuses a
  high-S signature and verifies the signature with the device key (§13.2).

It does not decode or re-validate the content (receipts, shifts, Z-reports, references): the
engine's verifier does all of that too (SPEC.md §15.2), so the comparison flatters this one.

Usage: pyverify.py JOURNAL [AUTHORITY]   (AUTHORITY: hex key, default JOURNAL.authority)
Prints one JSON line: documents, findings, seconds. Exit 1 when something was found.
"""
import hashlib
import json
import sys
import time
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551  # P-256 order
HALF_N = N // 2
CERT_TAG = b"fiscal-core/certificate/v1\0"
DOC_TAG = b"fiscal-core/document/v1\0"
ID_TAG = b"fiscal-core/fiscal-id/v1\0"
ECDSA = ec.ECDSA(hashes.SHA256())


def varint(data, pos):
    """An unsigned LEB128 varint at `pos`: (value, next position)."""
    value = shift = 0
    while True:
        b = data[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        if b < 0x80:
            return value, pos
        shift += 7


def zigzag(data, pos):
    """A zigzag-encoded i64 at `pos`."""
    v, pos = varint(data, pos)
    return (v >> 1) ^ -(v & 1), pos


def signature_ok(key, message, sig):
    """Low-S ECDSA P-256 / SHA-256 over `message`, r ‖ s."""
    if len(sig) != 64:
        return False
    r, s = int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big")
    if not (0 < r < N and 0 < s <= HALF_N):
        return False
    try:
        key.verify(encode_dss_signature(r, s), message, ECDSA)
        return True
    except InvalidSignature:
        return False


def verify_journal(lines, authority_hex):
    """Verifies journal lines; returns (documents, findings)."""
    authority = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), bytes.fromhex(authority_hex))
    findings = []
    device = None
    valid_from = valid_until = None
    previous_id = None
    last_number = 0
    last_time = None
    documents = 0
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        obj = json.loads(line)
        if "certificate" in obj:
            raw = bytes.fromhex(obj["certificate"])
            body, sig = raw[:-64], raw[-64:]
            signed = CERT_TAG + body
            if not signature_ok(authority, signed, sig):
                findings.append((n, "certificate not signed by the authority"))
            pos = varint(body, 0)[1]  # serial
            for _ in range(9):  # the nine texts
                length, pos = varint(body, pos)
                pos += length
            valid_from, pos = zigzag(body, pos)
            valid_until, pos = zigzag(body, pos)
            device = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), body[pos:pos + 33])
            previous_id = hashlib.sha256(signed + sig).digest()
            continue
        documents += 1
        data = bytes.fromhex(obj["body"])
        # v3 (SPEC.md §13.2): R.x ‖ R.y ‖ s. This verifier checks (r, s), r = R.x mod n, the
        # standard way and leaves R.y unchecked (that needs point arithmetic Python's
        # `cryptography` does not offer): one more check the engine makes and this one does not.
        whole = bytes.fromhex(obj["signature"])
        sig = (int.from_bytes(whole[:32], "big") % N).to_bytes(32, "big") + whole[64:96]
        if device is None or not data.startswith(DOC_TAG):
            findings.append((n, "no certificate, or not a document"))
            continue
        number, pos = varint(data, len(DOC_TAG))
        moment, pos = zigzag(data, pos)
        pos = varint(data, varint(data, pos)[1])[1]  # shift, shift receipt
        previous = data[pos:pos + 32]
        fid = hashlib.sha256(ID_TAG + data + sig).digest()
        if number != obj["number"]:
            findings.append((n, "declared number"))
        if fid.hex() != obj["id"]:
            findings.append((n, "wrong fiscal ID"))
        if not signature_ok(device, data, sig):
            findings.append((n, "bad signature"))
            continue
        if number != last_number + 1:
            findings.append((n, "number gap or order"))
        if previous != previous_id:
            findings.append((n, "broken chain"))
        if last_time is not None and moment <= last_time:
            findings.append((n, "time not increasing"))
        if not valid_from <= moment < valid_until:
            # Z-reports may follow expiry (SPEC.md §14.3); this verifier does not decode the
            # content to tell, so it only flags documents before the validity.
            if moment < valid_from:
                findings.append((n, "before the certificate's validity"))
        previous_id, last_number, last_time = fid, number, moment
    return documents, findings


def main(argv):
    path = Path(argv[1])
    authority = argv[2] if len(argv) > 2 else Path(f"{path}.authority").read_text().strip()
    data = path.read_bytes()
    started = time.perf_counter()
    documents, findings = verify_journal(data.decode("utf-8").splitlines(), authority)
    seconds = time.perf_counter() - started
    print(json.dumps({"documents": documents, "findings": len(findings), "seconds": round(seconds, 3)}))
    for f in findings[:5]:
        print(f, file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
