"""SPEC.md §16: the worked example, rebuilt through the Python API, byte for byte."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

from conftest import worked_example

from fiscal_core import BAKU, DEFAULT_QR_BASE, Certificate, Device, Document, PrivateKey

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def ms(value: int) -> datetime:
    return EPOCH + timedelta(milliseconds=value)


def test_worked_example_is_reproduced_byte_for_byte() -> None:
    w = worked_example()
    authority = PrivateKey.from_seed(w["authority_seed"].encode())
    key = PrivateKey.from_seed(w["device_seed"])  # str seeds are their UTF-8 bytes
    assert authority.public_key().hex() == w["authority_public_key"]
    assert key.public_key().hex() == w["device_public_key"]
    c = w["certificate"]
    cert = Certificate.issue(
        authority,
        serial=c["serial"],
        kassa_model=c["kassa_model"],
        kassa_factory_number=c["kassa_factory_number"],
        nmq_factory_number=c["nmq_factory_number"],
        nmq_registration_number=c["nmq_registration_number"],
        taxpayer_name=c["taxpayer_name"],
        voen=c["voen"],
        object_code=c["object_code"],
        object_name=c["object_name"],
        object_address=c["object_address"],
        valid_from=ms(c["valid_from_ms"]),
        valid_until=ms(c["valid_until_ms"]),
        device_key=key.public_key(),
    )
    assert cert.hash.hex() == c["hash"]
    assert cert.signature.hex() == c["signature"]
    assert cert.to_journal_line() == w["journal"][0]
    # 2026-01-01T00:00+04:00 is 2025-12-31T20:00Z = 1 767 211 200 000 ms.
    assert cert.valid_from == datetime(2026, 1, 1, tzinfo=BAKU)
    assert c["valid_from_ms"] == 1_767_211_200_000

    device, activation = Device.activate(
        cert, authority.public_key(), key, "4821", datetime(2026, 11, 23, 8, tzinfo=BAKU)
    )
    opening = device.open_shift(datetime(2026, 11, 23, 9, tzinfo=BAKU))
    sale = device.issue(w["sale_request"], datetime(2026, 11, 23, 9, 15, 30, tzinfo=BAKU))
    for doc, expected, line in zip(
        [activation, opening, sale], w["documents"], w["journal"][1:]
    ):
        assert doc.number == expected["number"]
        assert doc.kind == expected["content"]
        assert doc.fiscal_id == expected["fiscal_id"]
        assert doc.short_id == expected["short_id"]
        assert doc.previous == expected["previous"]
        assert doc.signature.hex() == expected["signature"]
        assert doc.signed_bytes.hex() == expected["bytes"]
        assert doc.shift == expected["shift"]
        assert doc.shift_receipt == expected["shift_receipt"]
        assert doc.time == ms(expected["time_ms"])
        assert doc.time.isoformat() == expected["time"]
        assert doc.qr_payload() == expected["qr_payload"]
        assert device.qr_payload(doc) == expected["qr_payload"]
        assert doc.to_json() == line
        assert Document.from_json(line) == doc
    # §16: 2 × Çörək at 0.60, VAT 18%: total 1.20, VAT 0.18 (1.20 × 18/118 = 0.183…), cash 1.20.
    assert sale.total == Decimal("1.20")
    assert sale.tax_total == Decimal("0.18")
    assert sale.payments is not None and sale.payments.cash == Decimal("1.20")
    assert DEFAULT_QR_BASE == "https://monitoring.e-kassa.gov.az/#/index?doc="
