"""SPEC.md §12–§13 written again in Python, independently of the Rust engine: postcard (by
hand), test keys from seeds, deterministic low-S ECDSA P-256 signatures, fiscal IDs, journal
lines, and the canonical bytes of a document body given in the structured JSON form of
SPEC.md §13.6.

Used by check_worked_example.py and check_encoding.py. Needs Python 3.9+ and cryptography >= 43
(deterministic ECDSA).
"""
from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any, Callable, Optional

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551  # P-256 order
CERT_TAG = b"fiscal-core/certificate/v1\0"
DOC_TAG = b"fiscal-core/document/v1\0"
ID_TAG = b"fiscal-core/fiscal-id/v1\0"
KEY_TAG = b"fiscal-core/test-key/v1\0"
QR_BASE = "https://monitoring.e-kassa.gov.az/#/index?doc="


# --- postcard, SPEC.md §13.1 -------------------------------------------------------------
def varint(n: int) -> bytes:
    assert n >= 0
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def zigzag(i: int) -> bytes:
    assert -(1 << 63) <= i < (1 << 63)
    return varint(((i << 1) ^ (i >> 63)) & ((1 << 64) - 1))


def string(s: str) -> bytes:
    b = s.encode("utf-8")
    return varint(len(b)) + b


def option(value: Any, enc: Callable[[Any], bytes]) -> bytes:
    return b"\x00" if value is None else b"\x01" + enc(value)


def seq(items: list[Any], enc: Callable[[Any], bytes]) -> bytes:
    return varint(len(items)) + b"".join(enc(x) for x in items)


def units(text: Any, scale: int) -> int:
    d = Decimal(str(text))
    return int(d.scaleb(scale).to_integral_exact())


def fixed(text: str, scale: int) -> bytes:
    """A decimal of a fixed scale (§3.1), written with exactly that many decimals."""
    assert isinstance(text, str), f"decimals are strings: {text!r}"
    whole, _, frac = text.partition(".")
    assert len(frac) == scale and whole.isdigit() and (frac.isdigit() or scale == 0), f"{text!r} is not of scale {scale}"
    return zigzag(units(text, scale))


def amount(t: str) -> bytes:
    return fixed(t, 2)


def percent(t: str) -> bytes:
    return fixed(t, 2)


def raw_hex(t: str, n: int) -> bytes:
    b = bytes.fromhex(t)
    assert len(b) == n and t == t.lower()
    return b


# --- keys and signatures, SPEC.md §12.3, §13.2 ---------------------------------------------
def key_from_seed(seed: str) -> ec.EllipticCurvePrivateKey:
    counter = 0
    while True:
        d = int.from_bytes(hashlib.sha256(KEY_TAG + seed.encode() + bytes([counter])).digest(), "big")
        if 0 < d < N:
            return ec.derive_private_key(d, ec.SECP256R1())
        counter += 1


def public_hex(key: ec.EllipticCurvePrivateKey) -> str:
    return key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint).hex()


def sign(key: ec.EllipticCurvePrivateKey, message: bytes) -> bytes:
    der = key.sign(message, ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
    r, s = decode_dss_signature(der)
    s = min(s, N - s)  # low-S
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def verify(public_key: ec.EllipticCurvePublicKey, message: bytes, sig: bytes) -> None:
    r, s = int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big")
    assert s <= N // 2, "high-S signature"
    public_key.verify(encode_dss_signature(r, s), message, ec.ECDSA(hashes.SHA256()))


# --- the nonce point R of a v3 document signature, SPEC.md §13.2 ---------------------------
# Two derivations that share nothing with the engine's (p256 signs, arkworks lifts and checks):
# `nonce_point` re-derives the RFC 6979 nonce k with hmac and has `cryptography` compute k·G;
# `verify_with_nonce` checks R = (e/s)·G + (r/s)·Q with the textbook affine formulas below —
# a test oracle only (slow, not constant-time), never product code.
P = 0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF  # P-256 field prime
A, B = P - 3, 0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B
G = (0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296,
     0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5)


def rfc6979_k(d: int, message: bytes) -> int:
    """RFC 6979 §3.2 with HMAC-SHA-256 for P-256 (qlen = hlen = 256)."""
    import hmac
    x = d.to_bytes(32, "big")
    h1 = (int.from_bytes(hashlib.sha256(message).digest(), "big") % N).to_bytes(32, "big")
    v, k = b"\x01" * 32, b"\x00" * 32
    k = hmac.new(k, v + b"\x00" + x + h1, hashlib.sha256).digest()
    v = hmac.new(k, v, hashlib.sha256).digest()
    k = hmac.new(k, v + b"\x01" + x + h1, hashlib.sha256).digest()
    v = hmac.new(k, v, hashlib.sha256).digest()
    while True:
        v = hmac.new(k, v, hashlib.sha256).digest()
        t = int.from_bytes(v, "big")
        if 0 < t < N:
            return t
        k = hmac.new(k, v + b"\x00", hashlib.sha256).digest()
        v = hmac.new(k, v, hashlib.sha256).digest()


def nonce_point(key: ec.EllipticCurvePrivateKey, message: bytes) -> bytes:
    """R.x ‖ R.y of the device's signature of `message`: R = k·G computed by `cryptography`
    from the re-derived nonce; low-S negates k, hence R (R.y → p − R.y)."""
    k = rfc6979_k(key.private_numbers().private_value, message)
    point = ec.derive_private_key(k, ec.SECP256R1()).public_key().public_numbers()
    der = key.sign(message, ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
    r, s = decode_dss_signature(der)
    assert point.x % N == r, "the re-derived nonce is not the one cryptography used"
    y = P - point.y if s > N // 2 else point.y
    return point.x.to_bytes(32, "big") + y.to_bytes(32, "big")


def r_of(nonce: bytes) -> bytes:
    """r = R.x mod n (SPEC.md §13.2)."""
    return (int.from_bytes(nonce[:32], "big") % N).to_bytes(32, "big")


def _add(p1: Optional[tuple[int, int]], p2: Optional[tuple[int, int]]) -> Optional[tuple[int, int]]:
    if p1 is None:
        return p2
    if p2 is None:
        return p1
    (x1, y1), (x2, y2) = p1, p2
    if x1 == x2 and (y1 + y2) % P == 0:
        return None
    if p1 == p2:
        m = (3 * x1 * x1 + A) * pow(2 * y1, -1, P) % P
    else:
        m = (y2 - y1) * pow(x2 - x1, -1, P) % P
    x3 = (m * m - x1 - x2) % P
    return x3, (m * (x1 - x3) - y1) % P


def _mul(k: int, point: tuple[int, int]) -> Optional[tuple[int, int]]:
    out: Optional[tuple[int, int]] = None
    addend: Optional[tuple[int, int]] = point
    while k:
        if k & 1:
            out = _add(out, addend)
        addend = _add(addend, addend)
        k >>= 1
    return out


def verify_with_nonce(public_key: ec.EllipticCurvePublicKey, message: bytes, sig: bytes) -> None:
    """Raises unless `sig` (the journal line's R.x ‖ R.y ‖ s) is a valid v3 signature:
    `cryptography`'s standard verification of (r, s) with r = R.x mod n, then R on the curve
    and R = (e/s)·G + (r/s)·Q."""
    assert len(sig) == 96, "not R.x ‖ R.y ‖ s"
    r_bytes = r_of(sig[:64])
    verify(public_key, message, r_bytes + sig[64:])
    x, y = int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:64], "big")
    r, s = int.from_bytes(r_bytes, "big"), int.from_bytes(sig[64:], "big")
    assert x < P and y < P, "R's coordinates are not field elements"
    assert y * y % P == (x * x * x + A * x + B) % P, "R is not on the curve"
    numbers = public_key.public_numbers()
    e = int.from_bytes(hashlib.sha256(message).digest(), "big") % N
    w = pow(s, -1, N)
    point = _add(_mul(e * w % N, G), _mul(r * w % N, (numbers.x, numbers.y)))
    assert point == (x, y), "R is not the signature's nonce point"


def fiscal_id(data: bytes, sig: bytes) -> str:
    """SHA-256(tag ‖ bytes ‖ r ‖ s): R.y is not hashed (SPEC.md §13.3)."""
    return hashlib.sha256(ID_TAG + data + sig[:64]).hexdigest()


def journal_line(number: int, data: bytes, sig: bytes, nonce: bytes) -> str:
    """The v3 journal line: the signature member is R.x ‖ R.y ‖ s (192 hex); `sig` is r ‖ s."""
    return json.dumps({"number": number, "id": fiscal_id(data, sig), "body": data.hex(),
                       "signature": nonce.hex() + sig[32:64].hex()},
                      separators=(",", ":"))


# --- the structured body, SPEC.md §13.6 ----------------------------------------------------
UNITS = ["piece", "kg", "l", "m", "m2", "m3"]
CODE_TYPES = ["text", "ean8", "ean13", "service", "credit_payment"]
RETURN_OF = ["sale", "advance_residue", "credit_payment"]
TAX_KINDS = ["vat", "vat_margin", "simplified", "vat_exempt"]
CATEGORIES = ["vat", "vat_margin", "simplified", "vat_exempt", "margin_remainder"]
DOC_TYPES = ["sale", "return", "cancel", "advance", "credit_payment", "deposit", "withdraw", "correction"]


def index(names: list[str], name: str) -> bytes:
    return varint(names.index(name))


def u32(n: int) -> bytes:
    assert 0 <= n < 1 << 32
    return varint(n)


def u64(n: int) -> bytes:
    assert 0 <= n < 1 << 64
    return varint(n)


def payments(p: dict[str, str]) -> bytes:
    order = ("cash", "cashless", "bonus", "giftCard", "fuelCard", "prepayment", "credit", "tendered", "change")
    assert set(p) == set(order), sorted(p)
    return b"".join(amount(p[k]) for k in order)


def group(g: dict[str, Any]) -> bytes:
    return index(CATEGORIES, g["category"]) + option(g["percent"], percent) + amount(g["gross"]) + amount(g["tax"])


def totals(t: dict[str, Any]) -> bytes:
    return amount(t["total"]) + amount(t["sum"]) + seq(t["taxGroups"], group) + seq(t["countedGroups"], group)


def line(item: dict[str, Any]) -> bytes:
    def code(c: dict[str, str]) -> bytes:
        return index(CODE_TYPES, c["type"]) + string(c["code"])

    def adjustment(a: dict[str, str]) -> bytes:
        return varint(["discount", "markup"].index(a["type"])) + amount(a["amount"])

    def department(d: dict[str, Any]) -> bytes:
        assert 0 <= d["number"] < 1 << 16
        return varint(d["number"]) + option(d["name"], string)

    t = item["treatment"]
    return (
        string(item["name"]) + option(item["code"], code) + index(UNITS, item["unit"])
        + fixed(item["quantity"], 3) + fixed(item["price"], 4) + amount(item["total"])
        + index(TAX_KINDS, t["kind"]) + option(t["percent"], percent)
        + option(item["margin"], amount) + option(item["marginPrice"], lambda p: fixed(p, 4))
        + option(item["adjustment"], adjustment) + option(item["department"], department)
        + amount(item["tax"])
    )


def receipt(r: dict[str, Any]) -> bytes:
    return (
        string(r["cashier"]) + seq(r["lines"], line) + payments(r["payments"]) + totals(r["totals"])
        + option(r["vehiclePlate"], string) + option(r["rrn"], string)
    )


def kind_totals(k: dict[str, Any]) -> bytes:
    return index(DOC_TYPES, k["kind"]) + u32(k["count"]) + amount(k["sum"]) + payments(k["payments"]) + seq(k["groups"], group)


def shift_report(z: dict[str, Any]) -> bytes:
    return (
        u32(z["shift"]) + zigzag(z["openedAt"]) + u64(z["firstNumber"]) + u64(z["lastNumber"]) + u32(z["receipts"])
        + seq(z["kinds"], kind_totals) + amount(z["cashIn"]) + amount(z["cashOut"])
    )


def content(c: dict[str, Any]) -> bytes:
    kind = c["type"]
    request = {  # Content::Request(…): 02, then the Request variant
        "sale": lambda: b"\x00" + receipt(c["receipt"]) + seq(c["advances"], string) + option(c["creditContract"], string),
        "return": lambda: b"\x01" + receipt(c["receipt"]) + string(c["parent"]) + index(RETURN_OF, c["returnOf"]),
        "cancel_request": lambda: b"\x02" + string(c["cashier"]) + string(c["parent"]),
        "advance": lambda: b"\x03" + receipt(c["receipt"]),
        "credit_payment": lambda: (b"\x04" + receipt(c["receipt"]) + string(c["parent"]) + u32(c["instalment"])
                                   + amount(c["debtLeft"]) + option(c["creditContract"], string)),
        "deposit": lambda: b"\x05" + string(c["cashier"]) + amount(c["amount"]),
        "withdraw": lambda: b"\x06" + string(c["cashier"]) + amount(c["amount"]),
        "correction": lambda: b"\x07" + string(c["cashier"]) + payments(c["payments"]) + totals(c["totals"]),
    }
    if kind == "activation":
        return b"\x00" + raw_hex(c["certificate"], 32)
    if kind == "open_shift":
        return b"\x01"
    if kind in request:
        return b"\x02" + request[kind]()
    if kind == "cancel":
        v = c["voided"]
        voided = u64(v["number"]) + index(DOC_TYPES, v["kind"]) + amount(v["sum"]) + payments(v["payments"]) + seq(v["groups"], group)
        return b"\x03" + string(c["cashier"]) + string(c["parent"]) + voided
    if kind == "zreport":
        return b"\x04" + shift_report(c["report"])
    if kind == "decommission":
        return b"\x05"
    raise ValueError(f"unknown content type {kind!r}")


def document_bytes(body: dict[str, Any]) -> bytes:
    """The signed bytes of a structured body: DOC_TAG ‖ postcard(body)."""
    return (
        DOC_TAG + u64(body["number"]) + zigzag(body["time"]) + u32(body["shift"]) + u32(body["shiftReceipt"])
        + raw_hex(body["previous"], 32) + content(body["content"])
    )


def encode(body: dict[str, Any], key: ec.EllipticCurvePrivateKey, qr_base: Optional[str] = None) -> dict[str, Any]:
    """Everything the encoding vectors expect of a body, derived here."""
    data = document_bytes(body)
    sig = sign(key, data)
    nonce = nonce_point(key, data)
    assert r_of(nonce) == sig[:32], "R.x mod n is not r"
    verify_with_nonce(key.public_key(), data, nonce + sig[32:])
    fid = fiscal_id(data, sig)
    return {
        "bytes": data.hex(),
        "sha256": hashlib.sha256(data).hexdigest(),
        "signature": sig.hex(),
        "noncePoint": nonce.hex(),
        "fiscalId": fid,
        "shortId": fid[:12],
        "qrPayload": (QR_BASE if qr_base is None else qr_base) + fid,
        "journalLine": journal_line(body["number"], data, sig, nonce),
    }


# --- the certificate, SPEC.md §12 (structured form §13.6) ----------------------------------
CERT_TEXTS = ["kassaModel", "kassaFactoryNumber", "nmqFactoryNumber", "nmqRegistrationNumber", "taxpayerName",
              "voen", "objectCode", "objectName", "objectAddress"]  # the strings of §12.1, in their order
MAX_VALIDITY_MS = 1096 * 86_400_000  # 3 years (NM-08)


def certificate_body(c: dict[str, Any]) -> bytes:
    """postcard(body) of a structured certificate body (§12.1): serial, the nine strings, the two
    moments, the 33-byte compressed device key."""
    assert set(c) == {"serial", *CERT_TEXTS, "validFrom", "validUntil", "deviceKey"}, sorted(c)
    key = raw_hex(c["deviceKey"], 33)
    assert key[0] in (2, 3), "not a compressed SEC1 key"
    return (u64(c["serial"]) + b"".join(string(c[k]) for k in CERT_TEXTS)
            + zigzag(c["validFrom"]) + zigzag(c["validUntil"]) + key)


def certificate_journal_line(canonical: bytes) -> str:
    return json.dumps({"certificate": canonical.hex()}, separators=(",", ":"))


def encode_certificate(c: dict[str, Any], authority: ec.EllipticCurvePrivateKey) -> dict[str, str]:
    """Everything the certificate vectors expect of a body, derived here (§12.2)."""
    body = certificate_body(c)
    data = CERT_TAG + body
    sig = sign(authority, data)
    verify(authority.public_key(), data, sig)
    return {
        "bytes": data.hex(),
        "sha256": hashlib.sha256(data).hexdigest(),
        "signature": sig.hex(),
        "hash": hashlib.sha256(data + sig).hexdigest(),
        "journalLine": certificate_journal_line(body + sig),
    }


def printable(ch: str) -> bool:
    """A character of §4.2."""
    o = ord(ch)
    return (
        (ch.isascii() and ch.isalnum()) or ch == " " or ch in ".,;:!?-_/\\()[]%+*&'\"#@=<>" or ch in "№«»°’‘“”–—₼€$"
        or (0xC0 <= o <= 0xFF and ch not in "×÷") or 0x100 <= o <= 0x17F or ch in "Əə" or 0x400 <= o <= 0x4FF
    )


def certificate_rule_broken(c: dict[str, Any]) -> Optional[str]:
    """The first rule of §12.1 the structured body breaks, or None."""
    voen = c["voen"]
    if not (len(voen) == 10 and all("0" <= ch <= "9" for ch in voen)):
        return "the VÖEN is not 10 digits"
    for k in CERT_TEXTS:
        v = c[k]
        if not v.strip() or len(v) > 256 or not all(printable(ch) for ch in v):
            return f"{k} is empty, over 256 characters or not printable"
    if c["validUntil"] <= c["validFrom"]:
        return "the validity period is empty"
    if c["validUntil"] - c["validFrom"] > MAX_VALIDITY_MS:
        return "the validity period is over 1 096 days"
    return None


def decode_certificate(data: bytes) -> tuple[dict[str, Any], bytes]:
    """Reads the canonical bytes of a certificate (postcard(body) ‖ 64-byte signature) into the
    structured body and the signature. Raises ValueError for bytes that are not a certificate:
    truncated, trailing, not UTF-8, a moment or serial out of range, a key that is not a point,
    or bytes that do not re-encode to themselves (§13.1: one certificate, one encoding)."""
    pos = 0

    def take(n: int) -> bytes:
        nonlocal pos
        if pos + n > len(data):
            raise ValueError("truncated")
        out = data[pos:pos + n]
        pos += n
        return out

    def uvarint(bits: int) -> int:
        n, shift = 0, 0
        while True:
            (b,) = take(1)
            n |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                break
            if shift >= bits + 7:
                raise ValueError("varint too long")
        if n >> bits:
            raise ValueError("varint out of range")
        return n

    c: dict[str, Any] = {"serial": uvarint(64)}
    for k in CERT_TEXTS:
        c[k] = take(uvarint(64)).decode("utf-8")  # UnicodeDecodeError is a ValueError
    for k in ("validFrom", "validUntil"):
        z = uvarint(64)
        c[k] = (z >> 1) ^ -(z & 1)
    key = take(33)
    if key[0] not in (2, 3):
        raise ValueError("the device key is not a compressed SEC1 point")
    ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), key)  # ValueError if not on the curve
    c["deviceKey"] = key.hex()
    sig = take(64)
    if pos != len(data):
        raise ValueError("bytes after the certificate")
    if certificate_body(c) + sig != data:
        raise ValueError("not canonical")
    return c, sig
