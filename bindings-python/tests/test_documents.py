"""Documents, certificates and keys: fields, serialization, QR codes, verification."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from decimal import Decimal

import pytest
from conftest import Till, at, item, make_certificate, sale

from fiscal_core import (
    BAKU,
    Certificate,
    CryptoError,
    Document,
    FormatError,
    PrivateKey,
    PublicKey,
    StateError,
    qr_svg,
    qr_terminal,
    verify_document,
)

D = Decimal


def test_document_fields_and_journal_line(till: Till) -> None:
    doc = till.issue(sale(item("Çörək", 2, "0.60", itemCodeType=2, itemCode="4006381333931",
                                discount="0.10", department=3, departmentName="Çörək şöbəsi"),
                           cashSum="1.20", incomingSum="2"))
    assert (doc.number, doc.kind, doc.is_receipt, doc.shift, doc.shift_receipt) == (3, "sale", True, 1, 1)
    assert doc.time == at(9, 1) and doc.time.tzinfo is not None
    assert len(doc.fiscal_id) == 64 and doc.short_id == doc.fiscal_id[:12]
    # The fiscal ID is SHA-256("fiscal-core/fiscal-id/v1" 0 ‖ signed bytes ‖ signature), §13.3.
    expected = hashlib.sha256(b"fiscal-core/fiscal-id/v1\x00" + doc.signed_bytes + doc.signature)
    assert doc.fiscal_id == expected.hexdigest()
    assert doc.signed_bytes.startswith(b"fiscal-core/document/v1\x00")
    assert len(doc.signature) == 64
    line = doc.lines[0]
    assert (line.name, line.code, line.code_type, line.unit) == ("Çörək", "4006381333931", "ean13", "piece")
    assert (line.quantity, line.price, line.total, line.tax) == (D("2.000"), D("0.6000"), D("1.20"), D("0.18"))
    assert str(line.price) == "0.6000"  # the value's own scale, exactly
    assert (line.discount, line.markup, line.department, line.department_name) == (
        D("0.10"), None, 3, "Çörək şöbəsi")
    assert (line.tax_treatment, line.percent, line.margin) == ("vat", D("18"), None)
    p = doc.payments
    assert p is not None
    assert (p.cash, p.tendered, p.change, p.cashless, p.bonus, p.gift_card, p.fuel_card) == (
        D("1.20"), D("2.00"), D("0.80"), D("0"), D("0"), D("0"), D("0"))
    assert (p.prepayment, p.credit) == (D("0.00"), D("0.00"))
    assert [(g.category, g.gross, g.tax) for g in doc.counted_groups] == [("vat", D("1.20"), D("0.18"))]
    # The journal line of §13.5: exactly these members, in this order, no spaces.
    text = doc.to_json()
    assert list(json.loads(text)) == ["number", "id", "body", "signature"] and " " not in text
    assert json.loads(text)["body"] == doc.signed_bytes.hex()
    again = Document.from_json(text + "\n")
    assert again == doc and hash(again) == hash(doc) and again != till.documents[0]
    assert "Document(number=3" in repr(doc) and "Çörək" in repr(line)
    # Jupyter shows the receipt (issue #21): the engine's HTML drawing, with the short ID.
    html = doc._repr_html_()
    assert html.startswith("<!DOCTYPE html>") and doc.short_id in html
    assert "vat" in repr(doc.tax_groups[0]) and "cash=1.20" in repr(p)


def test_as_dict_is_readable_and_exact(day: Till) -> None:
    sale_doc = day.documents[3].as_dict()
    assert sale_doc["number"] == 4 and sale_doc["kind"] == "sale"
    assert sale_doc["time"] == "2026-11-23T09:02:00+04:00"
    assert sale_doc["fiscal_id"] == day.documents[3].fiscal_id
    data = sale_doc["content"]["data"]
    assert sale_doc["content"]["doc_type"] == "sale"
    assert data["cashSum"] == D("1.20") and isinstance(data["cashSum"], Decimal)
    assert data["items"][0]["itemName"] == "Çörək"
    # The description's own decimals are strings with their scale (SPEC.md §8.5).
    amounts = sale_doc["amounts"]
    assert amounts is not None  # None only for the device's own records
    assert amounts["total"] == "1.20" and amounts["tax_total"] == "0.18"
    cancel = day.documents[10].as_dict()["content"]
    assert cancel["doc_type"] == "rollback" and cancel["voided"]["sum"] == "3.50"
    assert cancel["voided"]["number"] == 10 and cancel["voided"]["kind"] == "sale"
    z = day.documents[-1].as_dict()["content"]
    assert z["receipts"] == 8 and z["cash_out"] == "204.10"
    assert day.documents[0].as_dict()["content"] == {"certificate": day.certificate.hash.hex()}
    assert day.documents[1].as_dict()["content"] == {}


def test_qr_payload_and_svg(till: Till) -> None:
    doc = till.documents[-1]
    assert doc.qr_payload() == "https://monitoring.e-kassa.gov.az/#/index?doc=" + doc.fiscal_id
    assert doc.qr_payload("https://x.invalid/?d=") == "https://x.invalid/?d=" + doc.fiscal_id
    svg = doc.qr_svg()
    assert svg.startswith("<?xml") and "<svg" in svg
    assert svg == qr_svg(doc.qr_payload())
    assert qr_terminal(doc.qr_payload()).strip()


def test_reading_bad_journal_lines(till: Till) -> None:
    line = till.documents[-1].to_json()
    good = json.loads(line)

    def spelled(d: dict[str, object]) -> str:  # the exact spelling of SPEC.md §13.5
        return json.dumps(d, separators=(",", ":"))

    assert spelled(good) == line
    with pytest.raises(FormatError) as e:
        Document.from_json("not a line")
    assert (e.value.code, e.value.number, e.value.rule) == ("invalid_document", 261, "PK-11")
    with pytest.raises(FormatError, match="number"):
        Document.from_json(spelled({**good, "number": 7}))
    with pytest.raises(CryptoError) as c:
        Document.from_json(spelled({**good, "id": "0" * 64}))
    assert (c.value.code, c.value.number, c.value.rule) == ("wrong_fiscal_id", 262, "NM-02")
    with pytest.raises(FormatError):
        Document.from_json(spelled({**good, "body": good["body"][:-2]}))
    # One spelling: the same document with spaces, or its hex in upper case, is refused.
    with pytest.raises(FormatError):
        Document.from_json(json.dumps(good))
    with pytest.raises(FormatError):
        Document.from_json(spelled({**good, "body": good["body"].upper()}))


def test_verify_one_document(day: Till) -> None:
    doc = day.documents[3]
    verify_document(doc, day.certificate, day.authority.public_key())
    assert doc.verify_signature(day.key.public_key())
    assert not doc.verify_signature(day.authority.public_key())
    with pytest.raises(CryptoError) as e:
        verify_document(doc, day.certificate, PrivateKey.from_seed(b"x").public_key())
    assert e.value.code == "certificate_signature"
    other = make_certificate(day.authority, PrivateKey.from_seed(b"other device"))
    with pytest.raises(CryptoError) as f:
        verify_document(doc, other, day.authority.public_key())
    assert (f.value.code, f.value.number, f.value.rule) == ("bad_signature", 270, "NM-11")


def test_certificate_round_trips_and_fields(certificate: Certificate, authority: PrivateKey,
                                             device_key: PrivateKey) -> None:
    certificate.verify(authority.public_key())
    for again in (
        Certificate.from_bytes(certificate.to_bytes()),
        Certificate.from_json(certificate.to_json()),
        Certificate.from_journal_line(certificate.to_journal_line()),
    ):
        assert again == certificate and hash(again) == hash(certificate)
    assert (certificate.serial, certificate.voen, certificate.taxpayer_name) == (1001, "1234567891", "Bakı Çörək MMC")
    assert (certificate.kassa_model, certificate.kassa_factory_number) == ("Kassa-X 200", "KX2-000123")
    assert (certificate.nmq_factory_number, certificate.nmq_registration_number) == ("NMQ-77-000456", "AZ-NMQ-2026-000789")
    assert (certificate.object_code, certificate.object_name) == ("OBJ-0042", "Çörək dükanı №3")
    assert certificate.object_address == "Bakı ş., Nizami küç. 10"
    assert certificate.valid_from == datetime(2026, 1, 1, tzinfo=BAKU)
    assert certificate.valid_until == datetime(2028, 12, 31, 20, tzinfo=timezone.utc)
    assert certificate.device_key == device_key.public_key()
    assert len(certificate.hash) == 32 and len(certificate.signature) == 64
    # SPEC §12.2: hash = SHA-256(signed bytes ‖ signature); signed bytes = tag ‖ canonical body.
    body = certificate.to_bytes()[:-64]
    assert certificate.hash == hashlib.sha256(
        b"fiscal-core/certificate/v1\x00" + body + certificate.signature).digest()
    assert certificate.is_valid_at(at(12)) and not certificate.is_valid_at(datetime(2030, 1, 1, tzinfo=BAKU))
    d = certificate.as_dict()
    assert d["voen"] == "1234567891" and d["device_key"] == device_key.public_key().hex()
    assert "1001" in repr(certificate)


def test_certificate_errors(authority: PrivateKey, device_key: PrivateKey, certificate: Certificate) -> None:
    # A certificate that breaks its format is a FormatError (category `format`, SPEC.md §9).
    with pytest.raises(FormatError) as e:
        make_certificate(authority, device_key, voen="12345")
    assert (e.value.code, e.value.number, e.value.rule) == ("invalid_certificate", 200, "NM-09")
    with pytest.raises(FormatError):
        Certificate.from_bytes(b"\x00")
    with pytest.raises(FormatError):
        Certificate.from_json("{}")
    with pytest.raises(CryptoError) as c:
        certificate.verify(device_key.public_key())
    assert c.value.code == "certificate_signature"


def test_keys() -> None:
    a = PrivateKey.from_seed(b"seed")
    assert a.public_key() == PrivateKey.from_seed("seed").public_key()
    assert PrivateKey.from_bytes(a.to_bytes()).public_key() == a.public_key()
    pub = a.public_key()
    assert len(pub.to_bytes()) == 33 and pub.to_bytes()[0] in (2, 3)
    assert PublicKey.from_hex(" " + pub.hex() + "\n") == pub == PublicKey.from_bytes(pub.to_bytes())
    assert hash(pub) == hash(PublicKey.from_hex(pub.hex())) and str(pub) == pub.hex()
    assert pub != PrivateKey.from_seed(b"other").public_key() and pub != "x"
    assert a.to_bytes().hex() not in repr(a) and pub.hex() in repr(a)
    for bad in (b"", b"\x07" * 33, pub.to_bytes()[:-1]):
        with pytest.raises(ValueError):
            PublicKey.from_bytes(bad)
    for bad in (b"", b"\x00" * 32, b"\xff" * 32, b"\x01" * 33):  # 0 and ≥ n are not scalars
        with pytest.raises(ValueError):
            PrivateKey.from_bytes(bad)
    with pytest.raises(ValueError, match="hexadecimal"):
        PublicKey.from_hex("zz")
    with pytest.raises(TypeError):
        PrivateKey.from_seed(42)  # type: ignore[arg-type]
