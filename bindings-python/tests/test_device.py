"""The device's life cycle (SPEC.md §14) and every family of exceptions it raises."""

from __future__ import annotations

import pickle
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Callable

import pytest
from conftest import PIN, Till, at, item, make_certificate, sale

from fiscal_core import (
    CertificateExpiresSoon,
    CryptoError,
    Device,
    FiscalError,
    FormatError,
    PrivateKey,
    StateError,
    ValidationError,
)

D = Decimal


def test_a_day_numbers_every_document_and_closes_with_its_z_report(day: Till) -> None:
    docs = day.documents
    assert [d.number for d in docs] == list(range(1, 15))
    assert [d.kind for d in docs] == [
        "activation", "open_shift", "deposit", "sale", "prepay", "sale", "sale", "creditpay",
        "money_back", "sale", "rollback", "correction", "withdraw", "zreport",
    ]
    # Receipts are counted 1, 2, … within the shift; other documents carry 0 (RC-06).
    assert [d.shift_receipt for d in docs] == [0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0]
    assert [d.shift for d in docs] == [0] + [1] * 13
    # Each document names the previous one's ID; document 1 the certificate's hash.
    assert docs[0].previous == day.certificate.hash.hex()
    assert all(b.previous == a.fiscal_id for a, b in zip(docs, docs[1:]))
    z = docs[-1].z_report
    assert z is not None
    assert (z.shift, z.first_number, z.last_number, z.receipts) == (1, 2, 14, 8)
    # Cash in: 100 + 1.20 + 30 + 180 + 100 + 3.50 + 12 = 426.70; out: 0.60 + 3.50 + 200.
    assert (z.cash_in, z.cash_out, z.cash_in_drawer) == (D("426.70"), D("204.10"), D("222.60"))
    sales = {k.kind: k for k in z.kinds}["sale"]
    # Sales' sums: 1.20 + (50 − 20) + (1180 − 1000) + 3.50 = 214.70.
    assert (sales.count, sales.sum) == (4, D("214.70"))
    assert z.opened_at == at(9)
    assert z.as_dict()["cash_in_drawer"] == "222.60"  # the description's decimals are text
    assert day.device.shift_open is False and day.device.last_shift == 1


def test_every_kind_carries_its_amounts(day: Till) -> None:
    deposit, cake, credit, pay, ret, cancel, corr, withdraw = (
        day.documents[i] for i in (2, 5, 6, 7, 8, 10, 11, 12)
    )
    assert (deposit.total, deposit.payments, deposit.cashier) == (D("100.00"), None, "Aysel")
    assert cake.payments is not None and cake.payments.prepayment == D("20.00")
    assert cake.sum == D("30.00") and cake.references == [day.documents[4].short_id]
    assert credit.references == [] and credit.payments is not None
    assert pay.references == [credit.fiscal_id] and pay.total == D("100.00")
    assert ret.total == D("0.60") and ret.references == [day.documents[3].short_id]
    # A cancel carries the voided receipt's amounts: the coffee, 3.50 at simplified 8%.
    assert cancel.total == D("3.50") and cancel.lines == []
    assert [(g.category, g.tax) for g in cancel.tax_groups] == [("simplified", D("0.28"))]
    assert corr.total == D("12.00")
    assert [(g.gross, g.tax) for g in corr.tax_groups] == [(D("12.00"), D("1.83"))]
    assert withdraw.total == D("200.00")
    assert day.documents[0].total is None and day.documents[0].cashier is None


def test_x_report_shows_the_open_shift(till: Till) -> None:
    till.issue({"doc_type": "deposit", "data": {"cashier": "Aysel", "sum": D("50.00")}})
    till.issue(sale(item("Çörək", 3, D("0.60")), cashSum=D("1.80")))
    x = till.device.x_report()
    assert (x.shift, x.receipts, x.cash_in) == (1, 1, D("51.80"))
    assert [(k.kind, k.count) for k in x.kinds] == [("sale", 1), ("deposit", 1)]
    assert x.kinds[0].payments.cash == D("1.80")
    assert [(g.gross, g.tax) for g in x.kinds[0].groups] == [(D("1.80"), D("0.27"))]


def test_state_survives_a_restart_and_asks_for_the_pin(till: Till) -> None:
    till.issue(sale(item("Çörək", 1, "0.60"), cashSum="0.60"))
    state = till.device.export_state()
    restored = Device.restore(state, till.key)
    assert restored.is_unlocked is False and restored.last_number == 3
    with pytest.raises(StateError) as e:
        restored.issue(sale(item("Çörək", 1, "0.60"), cashSum="0.60"), at(10))
    assert (e.value.code, e.value.number, e.value.rule) == ("not_unlocked", 212, "NM-07")
    with pytest.raises(StateError) as e:
        restored.unlock("0000")
    assert e.value.code == "wrong_pin" and restored.pin_failures == 1
    restored.unlock(PIN)
    doc = restored.issue(sale(item("Çörək", 1, "0.60"), cashSum="0.60"), at(10))
    assert (doc.number, doc.shift_receipt, doc.previous) == (4, 2, till.documents[-1].fiscal_id)
    with pytest.raises(FormatError) as f:
        Device.restore(b"not a state", till.key)
    assert (f.value.code, f.value.number) == ("invalid_state", 260)
    with pytest.raises(CryptoError) as c:
        Device.restore(state, PrivateKey.from_seed(b"someone else"))
    assert c.value.code == "key_mismatch"


def test_five_wrong_pins_lock_the_device(till: Till) -> None:
    device = Device.restore(till.device.export_state(), till.key)
    for left in (4, 3, 2, 1):
        with pytest.raises(StateError, match=f"{left} attempts left"):
            device.unlock("1111")
    with pytest.raises(StateError) as e:
        device.unlock("1111")
    assert e.value.code == "device_locked" and device.status == "locked"


def test_state_errors_carry_their_codes(till: Till) -> None:
    d = till.device
    cases: list[tuple[Callable[[], object], str, int, str]] = [
        (lambda: d.open_shift(at(10)), "shift_already_open", 220, "PK-02"),
        (lambda: d.issue(sale(item("Ç", 1, 1), cashSum=1), at(8, 30)), "time_not_increasing", 223, "NM-04"),
        (lambda: d.issue({"doc_type": "withdraw", "data": {"cashier": "A", "sum": 5}}, at(10)), "cash_insufficient", 227, "PK-01"),
        (lambda: d.issue(sale(item("Ç", 1, 1), cashSum=1), at(10), expected_previous=1), "sequence_mismatch", 226, "NM-03"),
        (lambda: d.acknowledge_upload(99), "invalid_acknowledgement", 230, "NM-01"),
        (lambda: d.decommission(at(10)), "shift_open", 228, "LC-02"),
        (lambda: d.issue({"doc_type": "rollback", "data": {"cashier": "A", "parentDocument": "abcdef012345"}}, at(10)), "reference_not_found", 240, "RC-17"),
        (lambda: d.open_shift(datetime(2029, 1, 2, tzinfo=timezone.utc)), "certificate_expired", 203, "U-08"),
    ]
    for call, code, number, rule in cases:
        before = d.export_state()
        with pytest.raises(StateError) as e:
            call()
        assert (e.value.code, e.value.number, e.value.rule) == (code, number, rule), code
        assert e.value.problems[0].code == code
        assert d.export_state() == before, code
    # The same request with the right expected number goes through.
    assert d.issue(sale(item("Ç", 1, 1), cashSum=1), at(10), expected_previous=2).number == 3


def test_uploads_decommissioning_and_after(till: Till) -> None:
    d = till.device
    d.close_shift(at(10))
    with pytest.raises(StateError) as e:
        d.decommission(at(11))
    assert e.value.code == "pending_uploads"
    assert d.pending == 3
    d.acknowledge_upload(1, till.documents[1])  # document 2 is the oldest not uploaded
    assert (d.acknowledged, d.pending) == (1, 2)
    d.acknowledge_upload(3)
    last = d.decommission(at(11))
    assert (last.kind, last.number, d.status) == ("decommission", 4, "decommissioned")
    with pytest.raises(StateError) as e2:
        d.open_shift(at(12))
    assert (e2.value.code, e2.value.number) == ("decommissioned", 213)


def test_no_open_shift(till: Till) -> None:
    till.device.close_shift(at(10))
    with pytest.raises(StateError) as e:
        till.device.x_report()
    assert e.value.code == "no_open_shift"


def test_crypto_errors(till: Till, authority: PrivateKey) -> None:
    stranger = PrivateKey.from_seed(b"another device")
    with pytest.raises(CryptoError) as e:
        Device.activate(till.certificate, authority.public_key(), stranger, PIN, at(8))
    assert (e.value.code, e.value.number, e.value.rule) == ("key_mismatch", 204, "NM-10")
    with pytest.raises(CryptoError) as e:
        Device.activate(till.certificate, stranger.public_key(), till.key, PIN, at(8))
    assert (e.value.code, e.value.number) == ("certificate_signature", 201)
    # A receipt of another device, even with the same certificate data, is not authentic here.
    other_cert = make_certificate(authority, stranger)
    other, _ = Device.activate(other_cert, authority.public_key(), stranger, PIN, at(8))
    other.open_shift(at(9))
    foreign = other.issue(sale(item("Ç", 1, 1), cashSum=1), at(9, 1))
    with pytest.raises(CryptoError) as e:
        till.device.issue(
            {"doc_type": "rollback", "data": {"cashier": "A", "parentDocument": foreign.short_id}},
            at(9, 30),
            references=[foreign],
        )
    assert (e.value.code, e.value.number) == ("reference_not_authentic", 241)


def test_request_format_and_validation_families(till: Till) -> None:
    with pytest.raises(FormatError) as e:
        till.device.issue("{not json", at(9, 30))
    assert (e.value.code, e.value.number, e.value.rule) == ("malformed_json", 101, "PK-11")
    with pytest.raises(ValidationError) as v:
        till.device.issue({"doc_type": "gift", "data": {"cashier": "A"}}, at(9, 30))
    assert v.value.code == "unknown_doc_type"
    with pytest.raises(ValidationError) as v:
        Device.activate(till.certificate, till.authority.public_key(), till.key, "12", at(8))
    assert v.value.code == "out_of_range" and v.value.problems[0].path == "pin"


def test_errors_are_fiscal_errors_and_pickle(till: Till) -> None:
    with pytest.raises(FiscalError) as e:
        till.device.open_shift(at(10))
    err = e.value
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is StateError
    assert (again.code, again.number, again.rule, again.problems, str(again)) == (
        err.code, err.number, err.rule, err.problems, str(err)
    )
    assert "shift_already_open" in repr(err)


def test_naive_datetimes_are_refused(till: Till, authority: PrivateKey) -> None:
    naive = datetime(2026, 11, 23, 10)
    before = till.device.export_state()
    with pytest.raises(ValueError, match="naive datetime"):
        till.device.issue(sale(item("Ç", 1, 1), cashSum=1), naive)
    with pytest.raises(ValueError, match="naive"):
        till.device.close_shift(naive)
    with pytest.raises(ValueError, match="naive"):
        make_certificate(authority, till.key, valid_from=datetime(2026, 1, 1))
    with pytest.raises(TypeError, match="datetime"):
        till.device.open_shift(1795406400000)  # type: ignore[arg-type]
    assert till.device.export_state() == before


def test_aware_datetimes_of_any_zone_keep_their_instant_to_the_millisecond(till: Till) -> None:
    # 09:30:15.123456 in Baku is 05:30:15.123456 UTC; microseconds below the ms are dropped.
    utc = datetime(2026, 11, 23, 5, 30, 15, 123456, tzinfo=timezone.utc)
    doc = till.device.issue(sale(item("Ç", 1, 1), cashSum=1), utc)
    assert doc.time == utc - timedelta(microseconds=456)
    assert doc.time.utcoffset() == timedelta(hours=4)
    assert (doc.time.hour, doc.time.microsecond) == (9, 123000)
    assert doc.as_dict()["time"] == "2026-11-23T09:30:15.123+04:00"
    # Two documents in the same second: milliseconds keep them increasing (NM-04).
    later = till.device.issue(sale(item("Ç", 1, 1), cashSum=1), utc + timedelta(milliseconds=1))
    assert later.time > doc.time and till.device.last_time == later.time


def test_certificate_expiring_soon_warns(authority: PrivateKey, device_key: PrivateKey) -> None:
    until = datetime(2026, 12, 1, tzinfo=timezone.utc)
    cert = make_certificate(authority, device_key, valid_until=until)
    with pytest.warns(CertificateExpiresSoon, match="expires"):
        device, _ = Device.activate(
            cert, authority.public_key(), device_key, PIN, until - timedelta(days=3)
        )
    with pytest.warns(CertificateExpiresSoon):
        device.open_shift(until - timedelta(days=2))
    # Closing the shift carries no warning (and works after expiry, SPEC.md §14.2).
    device.close_shift(until + timedelta(days=1))


def test_custom_qr_base(till: Till, authority: PrivateKey, device_key: PrivateKey) -> None:
    base = "https://example.invalid/check?id="
    device, doc = Device.activate(
        till.certificate, authority.public_key(), device_key, PIN, at(8), qr_base=base
    )
    assert device.qr_base == base
    assert device.qr_payload(doc) == base + doc.fiscal_id
    assert device.qr_svg(doc).startswith("<?xml")
    assert device.certificate == till.certificate and device.public_key == device_key.public_key()
    assert "Device(" in repr(device)
    # Python's booleans, not Rust's (issue #21).
    assert repr(device).endswith(("shift_open=True)", "shift_open=False)")), repr(device)
