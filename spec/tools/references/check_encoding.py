#!/usr/bin/env python3
"""Re-derives every valid vector of spec/vectors/encoding.json independently of the Rust engine.

For each case the document body is given in the structured JSON form of SPEC.md §13.6; this
script encodes it by hand (spec/tools/references/encoding.py: postcard written out field by field), then
derives the SHA-256, the device's deterministic low-S ECDSA P-256 signature (RFC 6979, via the
`cryptography` package) with the key from the group's deviceSeed (§12.3), the fiscal ID, short
ID, QR payload and journal line, and compares each with the vector. It never reads the
expected bytes to build anything.

For the invalid (decode) cases it checks what can be checked without a postcard decoder: a
`wrong_fiscal_id` line declares an ID that is not SHA-256(tag ‖ body ‖ signature); a
`bad_signature` line declares the right ID and well-formed parts, and its signature does not
verify as a low-S signature of the device.

The certificate cases (groups with `authoritySeed`, SPEC.md §12) are re-derived the same way: the
structured body (§13.6) is encoded by hand, signed with the authority's key from its seed, and
its SHA-256, signature, hash and journal line compared; a body to refuse must break a rule of
§12.1 (checked here: VÖEN, texts by §4.2, validity). A certificate line to refuse is read by a
hand-written postcard decoder (encoding.decode_certificate) and judged in the engine's order —
`invalid_certificate` when it cannot be read (JSON, hex, truncated, trailing, not canonical, a
key that is not a point), `certificate_signature` when the authority's low-S signature does not
verify, `invalid_certificate` when the signed body breaks §12.1 — and the code compared.

Usage: python3 spec/tools/references/check_encoding.py [spec/vectors/encoding.json]   (exit 0 when all agree)
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import encoding as enc  # noqa: E402

from cryptography.exceptions import InvalidSignature  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402


def repeats_a_member(text: str) -> bool:
    """True when some object of the JSON text has a member twice (names compared after
    unescaping, as Python's decoder gives them): SPEC.md §8.3."""
    found = False

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal found
        names = [k for k, _ in items]
        found = found or len(names) != len(set(names))
        return dict(items)

    json.loads(text, object_pairs_hook=pairs)
    return found


def check_invalid(t: dict[str, Any], public: ec.EllipticCurvePublicKey) -> str | None:
    """Why the refusal of an invalid case is not confirmed, or None."""
    (code,) = t["errors"]
    text = t["input"]["journalLine"]
    if code == "duplicate_member":
        return None if repeats_a_member(text) else "no member is repeated"
    if code == "invalid_document":
        return None  # needs a decoder: checked against the engine only
    line = json.loads(text)
    if list(line) != ["number", "id", "body", "signature"]:
        return "not the four members of §13.5"
    data, sig = bytes.fromhex(line["body"]), bytes.fromhex(line["signature"])
    if not data.startswith(enc.DOC_TAG) or len(sig) != 96:
        return "not a document"
    declared, computed = line["id"], enc.fiscal_id(data, enc.r_of(sig) + sig[64:])
    if code == "wrong_fiscal_id":
        return None if declared != computed else "the declared ID is the computed one"
    if code == "bad_signature":
        if declared != computed:
            return "the declared ID is wrong too: the reader would refuse it first"
        try:
            enc.verify_with_nonce(public, data, sig)
        except (AssertionError, InvalidSignature, ValueError):
            return None
        return "the signature verifies, R included"
    return f"unexpected code {code}"


def certificate_line_error(text: str, authority: ec.EllipticCurvePublicKey) -> str | None:
    """The code a reader and verifier give a certificate line, worked out here, or None."""
    try:
        if repeats_a_member(text):
            return "duplicate_member"
        line = json.loads(text)
        if not isinstance(line, dict) or list(line) != ["certificate"] or not isinstance(line["certificate"], str):
            return "invalid_certificate"
        body, sig = enc.decode_certificate(bytes.fromhex(line["certificate"]))
    except ValueError:
        return "invalid_certificate"
    try:
        enc.verify(authority, enc.CERT_TAG + enc.certificate_body(body), sig)
    except (AssertionError, InvalidSignature, ValueError):
        return "certificate_signature"
    return "invalid_certificate" if enc.certificate_rule_broken(body) else None


def check_certificate(t: dict[str, Any], authority: ec.EllipticCurvePrivateKey) -> list[str]:
    """Why a certificate case does not hold, independently of the engine."""
    inp = t["input"]
    if t["result"] == "valid":
        c = inp["certificate"]
        if enc.certificate_rule_broken(c):
            return [f"a valid body breaks §12.1: {enc.certificate_rule_broken(c)}"]
        got = enc.encode_certificate(c, authority)
        out = [f"{k} differs\n  derived  {got.get(k)}\n  expected {want}"
               for k, want in t["expected"].items() if got.get(k) != want]
        if set(got) != set(t["expected"]):
            out.append(f"members {sorted(t['expected'])}")
        decoded = enc.decode_certificate(bytes.fromhex(json.loads(got["journalLine"])["certificate"]))[0]
        if decoded != c:
            out.append("the journal line does not decode to the body")
        return out
    (code,) = t["errors"]
    if "certificate" in inp:
        why = enc.certificate_rule_broken(inp["certificate"])
        return [] if code == "invalid_certificate" and why else [f"{code}: the body breaks no rule of §12.1"]
    got = certificate_line_error(inp["certificateLine"], authority.public_key())
    return [] if got == code else [f"the line gives {got}, expected {code}"]


def main(path: Path) -> int:
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["schema"] == "fiscal-core-vectors/encoding/v1", doc["schema"]
    failures: list[str] = []
    valid = invalid = 0
    for g in doc["testGroups"]:
        if "authoritySeed" in g:
            authority = enc.key_from_seed(g["authoritySeed"])
            if enc.public_hex(authority) != g["authorityPublicKey"]:
                failures.append(f"group: authorityPublicKey is not the key of seed {g['authoritySeed']!r}")
            for t in g["tests"]:
                valid += t["result"] == "valid"
                invalid += t["result"] != "valid"
                try:
                    why = check_certificate(t, authority)
                except (AssertionError, KeyError, ValueError) as e:
                    why = [f"cannot check: {e!r}"]
                failures += [f"tcId {t['tcId']} ({t['comment']}): {w}" for w in why]
            continue
        key = enc.key_from_seed(g["deviceSeed"])
        if enc.public_hex(key) != g["devicePublicKey"]:
            failures.append(f"group: devicePublicKey is not the key of seed {g['deviceSeed']!r}")
        for t in g["tests"]:
            where = f"tcId {t['tcId']} ({t['comment']})"
            if t["result"] == "valid":
                valid += 1
                try:
                    got = enc.encode(t["input"]["body"], key, g["qrBase"])
                except (AssertionError, KeyError, ValueError) as e:
                    failures.append(f"{where}: cannot encode: {e!r}")
                    continue
                for k, want in t["expected"].items():
                    if got.get(k) != want:
                        failures.append(f"{where}: {k} differs\n  derived  {got.get(k)}\n  expected {want}")
                if set(got) != set(t["expected"]):
                    failures.append(f"{where}: members {sorted(t['expected'])}")
            else:
                invalid += 1
                why = check_invalid(t, key.public_key())
                if why:
                    failures.append(f"{where}: {why}")
    for f in failures[:30]:
        print("FAIL", f)
    print(f"encoding vectors: {valid} valid re-derived, {invalid} invalid checked, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent.parent / "vectors" / "encoding.json"))
