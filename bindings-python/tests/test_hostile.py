"""Hostile values at every entry point: huge ints, NaN and infinity, wrong types, bytes for
text, text for bytes, lone surrogates, NUL bytes, enormous inputs. Each call must end in an
ordinary Python exception of a documented kind — never a crash, a Rust panic
(``pyo3_runtime.PanicException``, a ``BaseException``) or a silent success.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import pytest

import fiscal_core
from fiscal_core import BAKU, Certificate, Device, Document, PrivateKey, PublicKey

from conftest import PIN, Till, at, item, make_certificate, sale

HOSTILE: list[Any] = [
    10**100,
    -(10**100),
    -1,
    float("nan"),
    float("inf"),
    -float("inf"),
    1.5,
    Decimal("NaN"),
    Decimal("sNaN"),
    Decimal("Infinity"),
    Decimal("-1"),
    Decimal("1e400"),
    "",
    "\x00",
    "\ud800",
    "9" * 100_000,
    b"\xff\xfe",
    bytearray(b"x"),
    None,
    [],
    {},
    (),
    object(),
    True,
]

# What a refusal may raise: the engine's errors, and Python's own for wrong types and values.
ALLOWED = (fiscal_core.FiscalError, TypeError, ValueError, OverflowError, OSError)


def refuses(call: Callable[[], Any]) -> BaseException:
    """Runs `call`; it must raise an allowed Exception (not a panic, not success)."""
    try:
        call()
    except BaseException as e:  # noqa: BLE001 - the point is to see everything
        assert isinstance(e, Exception), f"{type(e).__name__} is not an Exception: {e!r}"
        assert type(e).__name__ != "PanicException", f"a Rust panic crossed into Python: {e!r}"
        assert isinstance(e, ALLOWED), f"unexpected {type(e).__name__}: {e!r}"
        return e
    raise AssertionError("a hostile value was accepted")


def ids(v: Any) -> str:
    return type(v).__name__ + ":" + repr(v)[:20]


@pytest.mark.parametrize("bad", HOSTILE, ids=ids)
def test_keys_refuse_hostile_values(bad: Any) -> None:
    refuses(lambda: PrivateKey.from_bytes(bad))
    refuses(lambda: PublicKey.from_bytes(bad))
    refuses(lambda: PublicKey.from_hex(bad))
    if not isinstance(bad, (bytes, bytearray, str)):
        refuses(lambda: PrivateKey.from_seed(bad))


@pytest.mark.parametrize("bad", HOSTILE, ids=ids)
def test_certificates_refuse_hostile_values(bad: Any, authority: PrivateKey, device_key: PrivateKey, certificate: Certificate) -> None:
    refuses(lambda: Certificate.from_bytes(bad))
    refuses(lambda: Certificate.from_json(bad))
    refuses(lambda: Certificate.from_journal_line(bad))
    refuses(lambda: certificate.verify(bad))
    if not isinstance(bad, bool):
        refuses(lambda: certificate.is_valid_at(bad))
    fields = dict(
        kassa_model="K", kassa_factory_number="K-1", nmq_factory_number="N-1", nmq_registration_number="AZ-1",
        taxpayer_name="T", voen="1234567891", object_code="O-1", object_name="Shop", object_address="Bakı",
        valid_from=datetime(2026, 1, 1, tzinfo=BAKU), valid_until=datetime(2027, 1, 1, tzinfo=BAKU),
        device_key=device_key.public_key(),
    )
    for name in ["serial", "voen", "taxpayer_name", "valid_from", "valid_until", "device_key"]:
        if name == "serial" and isinstance(bad, int) and 0 <= bad < 2**64:  # bool is an int in Python
            continue
        refuses(lambda: Certificate.issue(authority, **{**fields, "serial": 1, name: bad}))


@pytest.mark.parametrize("bad", HOSTILE, ids=ids)
def test_the_device_refuses_hostile_values_and_keeps_its_state(bad: Any, till: Till) -> None:
    d = till.device
    before = d.export_state()
    refuses(lambda: d.open_shift(bad))
    refuses(lambda: d.close_shift(bad))
    refuses(lambda: d.decommission(bad))
    refuses(lambda: d.issue(bad, at(10)))
    refuses(lambda: d.issue(sale(item("Çörək", 1, "1.00")), bad))
    # A hostile value in every place a request takes a number or a text.
    refuses(lambda: d.issue(sale(item("Çörək", bad, "1.00"), cashSum="1.00"), at(10)))
    refuses(lambda: d.issue(sale(item("Çörək", 1, bad), cashSum="1.00"), at(10)))
    refuses(lambda: d.issue(sale(item(bad, 1, "1.00"), cashSum="1.00"), at(10)))
    if bad is not None:  # no rate is VAT-exempt (SPEC.md §5.1): valid
        refuses(lambda: d.issue(sale(item("Çörək", 1, "1.00", vat=bad), cashSum="1.00"), at(10)))
    refuses(lambda: d.issue(sale(item("Çörək", 1, "1.00"), cashSum=bad), at(10)))
    refuses(lambda: d.issue({"doc_type": bad, "data": {}}, at(10)))
    refuses(lambda: d.issue(sale(item("Çörək", 1, "1.00"), cashSum="1.00"), at(10), references=[bad]))
    if bad is not None:  # None: no expectation (valid)
        refuses(lambda: d.issue(sale(item("Çörək", 1, "1.00"), cashSum="1.00"), at(10), expected_previous=bad))
    if not isinstance(bad, bool) and not (isinstance(bad, int) and 0 <= bad <= d.last_number):
        refuses(lambda: d.acknowledge_upload(bad))
    refuses(lambda: Device.restore(bad, till.key))
    refuses(lambda: Device.restore(before, bad))
    assert d.export_state() == before, "a refused call changed the device"
    # Last, as a wrong PIN deliberately counts (NM-07): a string changes the count, nothing else.
    refuses(lambda: d.unlock(bad))


@pytest.mark.parametrize("bad", HOSTILE, ids=ids)
def test_documents_verification_and_qr_refuse_hostile_values(bad: Any, till: Till, tmp_path: Path) -> None:
    doc = till.documents[-1]
    key = till.authority.public_key()
    refuses(lambda: Document.from_json(bad))
    refuses(lambda: fiscal_core.verify_document(bad, till.certificate, key))
    refuses(lambda: fiscal_core.verify_document(doc, bad, key))
    refuses(lambda: fiscal_core.verify_document(doc, till.certificate, bad))
    refuses(lambda: fiscal_core.verify_journal(till.journal(), bad))
    if not isinstance(bad, (str, bytes, bytearray)):
        refuses(lambda: fiscal_core.verify_journal(bad, key))
        refuses(lambda: fiscal_core.qr_svg(bad))
        refuses(lambda: fiscal_core.qr_terminal(bad))
    refuses(lambda: fiscal_core.verify_journal_file(tmp_path / "missing.jsonl", key))
    if bad is not None:  # None is the certificate-less reader's view (`fiscal-core show`)
        refuses(lambda: doc.render(bad))
    if not isinstance(bad, (str, bytes, bytearray)) or bad in ("", "\x00", "\ud800"):
        refuses(lambda: fiscal_core.verify_journal_file(bad, key))


def test_hostile_journals_give_findings_not_crashes(till: Till) -> None:
    key = till.authority.public_key()
    good = till.journal()
    for text in [
        "\x00" * 1000,
        "{" * 10_000,
        "[" * 10_000 + "]" * 10_000,
        good + '{"number":18446744073709551615,"id":"00","body":"00","signature":"00"}\n',
        good + '{"number":-1}\n',
        good + '{"certificate":"' + "ff" * 100_000 + '"}\n',
        '{"number":1,"id":"' + "a" * 64 + '","body":"' + "6" * 2_000_000 + '","signature":"' + "0" * 128 + '"}\n',
    ]:
        report = fiscal_core.verify_journal(text, key)
        assert not report.is_valid, "a hostile journal was reported valid"


def test_nan_and_infinity_in_decimals_are_named_in_the_error(till: Till) -> None:
    for bad in [Decimal("NaN"), Decimal("Infinity"), float("nan"), math.inf]:
        e = refuses(lambda: till.device.issue(sale(item("Çörək", 1, bad), cashSum="1.00"), at(10)))
        assert isinstance(e, (fiscal_core.ValidationError, fiscal_core.FloatAmountError, TypeError, ValueError))
    _ = timedelta, PIN, make_certificate


def test_crlf_line_endings_are_a_finding_but_the_documents_still_verify(till: Till) -> None:
    # A journal copied through a Windows tool is no longer the device's bytes (SPEC.md §13.5,
    # one spelling): each line's CR is a finding, and each document is still read and checked
    # (certificate line, activation, shift opening: three lines, no other finding).
    report = fiscal_core.verify_journal(till.journal().replace("\n", "\r\n"), till.authority.public_key())
    assert [(f.code, f.line) for f in report.findings] == [("noncanonical_line", n) for n in (1, 2, 3)]
    assert report.documents == 2 and report.last_number == 2


def test_a_member_written_twice_is_refused_as_duplicate_member(till: Till) -> None:
    # SPEC.md §8.3 (PK-11): a text that reads two ways is never signed, not even at its last
    # value (before, this sale was signed at 0.80).
    twice = (
        '{"doc_type":"sale","data":{"cashier":"Aysel","items":[{"itemName":"Çörək","itemQuantity":1,'
        '"itemPrice":100.0,"itemVatPercent":18,"itemPrice":0.8}],"cashSum":0.80}}'
    )
    escaped = twice.replace(',"itemPrice":0.8', ',"itemPr\\u0069ce":0.8')
    for text in (twice, escaped):
        with pytest.raises(fiscal_core.ValidationError) as e:
            fiscal_core.validate_request(text, "2026-11-23")
        assert e.value.code == "duplicate_member"
        assert [(p.code, p.path) for p in e.value.problems] == [("duplicate_member", "items[0].itemPrice")]
    issued = len(till.documents)
    with pytest.raises(fiscal_core.ValidationError) as e:
        till.issue(twice)
    assert e.value.code == "duplicate_member" and len(till.documents) == issued
    # Either reading alone is a valid sale.
    once = fiscal_core.validate_request(twice.replace('"itemPrice":100.0,', ""), "2026-11-23")
    assert once["data"]["sum"] == Decimal("0.80")

    # Journal lines and the certificate line: refused, and reported by the verifier, as
    # duplicate_member.
    line = till.documents[-1].to_json()
    assert line.startswith('{"number":2,')
    doubled = line.replace('{"number":2,', '{"number":2,"number":2,', 1)
    with pytest.raises(fiscal_core.FiscalError) as f:
        Document.from_json(doubled)
    assert f.value.code == "duplicate_member"
    cert_line = till.certificate.to_journal_line()
    hex_text = cert_line[len('{"certificate":"'):-len('"}')]
    cert_twice = '{"certificate":"%s","certificate":"%s"}' % (hex_text, hex_text)
    with pytest.raises(fiscal_core.FiscalError) as f:
        Certificate.from_journal_line(cert_twice)
    assert f.value.code == "duplicate_member"
    key = till.authority.public_key()
    for journal in (till.journal().replace(line, doubled), till.journal().replace(cert_line, cert_twice)):
        report = fiscal_core.verify_journal(journal, key)
        assert report.has("duplicate_member"), [f.code for f in report.findings]
