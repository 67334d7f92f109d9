"""Shared fixtures: a test authority, a certified device and a day at the till.

Every expected value in these tests is worked out by hand or taken from spec/SPEC.md (its
worked examples, §10 and §16), never copied from the engine's own output.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

import pytest

import fiscal_core
from fiscal_core import BAKU, Certificate, Device, Document, PrivateKey

ROOT = Path(__file__).resolve().parents[2]
WORKED_EXAMPLE = ROOT / "spec" / "worked-example.json"
PIN = "4821"


def workspace_version() -> str:
    """The version of Cargo.toml's [workspace.package], the one version of everything (read by
    hand: tomllib is Python 3.11+)."""
    import re

    text = (ROOT / "Cargo.toml").read_text(encoding="utf-8")
    section = text.split("[workspace.package]", 1)[1].split("\n[", 1)[0]
    found = re.search(r'^version = "([^"]+)"$', section, re.M)
    assert found, "Cargo.toml has [workspace.package] version"
    return found.group(1)


def at(hour: int, minute: int = 0, second: int = 0, *, day: int = 23, us: int = 0) -> datetime:
    """2026-11-<day> hh:mm:ss in Baku."""
    return datetime(2026, 11, day, hour, minute, second, us, tzinfo=BAKU)


def worked_example() -> dict[str, Any]:
    """spec/worked-example.json, decimals read exactly."""
    data: dict[str, Any] = json.loads(
        WORKED_EXAMPLE.read_text(encoding="utf-8"), parse_float=Decimal
    )
    return data


def make_certificate(
    authority: PrivateKey,
    key: PrivateKey,
    *,
    valid_from: datetime = datetime(2026, 1, 1, tzinfo=BAKU),
    valid_until: datetime = datetime(2029, 1, 1, tzinfo=BAKU),
    voen: str = "1234567891",
) -> Certificate:
    return Certificate.issue(
        authority,
        serial=1001,
        kassa_model="Kassa-X 200",
        kassa_factory_number="KX2-000123",
        nmq_factory_number="NMQ-77-000456",
        nmq_registration_number="AZ-NMQ-2026-000789",
        taxpayer_name="Bakı Çörək MMC",
        voen=voen,
        object_code="OBJ-0042",
        object_name="Çörək dükanı №3",
        object_address="Bakı ş., Nizami küç. 10",
        valid_from=valid_from,
        valid_until=valid_until,
        device_key=key.public_key(),
    )


def sale(*items: dict[str, Any], **data: Any) -> dict[str, Any]:
    """A sale request with these items and payment members."""
    return {"doc_type": "sale", "data": {"cashier": "Aysel", "items": list(items), **data}}


def item(name: str, qty: Any, price: Any, vat: Any = 18, **more: Any) -> dict[str, Any]:
    """One item line."""
    line = {"itemName": name, "itemQuantity": qty, "itemPrice": price, **more}
    if vat is not None:
        line["itemVatPercent"] = vat
    return line


@dataclass
class Till:
    """An activated device with its certificate, keys and the documents issued so far."""

    authority: PrivateKey
    key: PrivateKey
    certificate: Certificate
    device: Device
    documents: list[Document] = field(default_factory=list)
    minute: int = 0

    def issue(self, request: Any, refs: Iterable[Document] = ()) -> Document:
        """Issues at the next minute after 09:00 and keeps the document."""
        self.minute += 1
        doc = self.device.issue(request, at(9, self.minute), references=refs)
        self.documents.append(doc)
        return doc

    def journal(self) -> str:
        """The journal: the certificate line, then one line per document."""
        lines = [self.certificate.to_journal_line()] + [d.to_json() for d in self.documents]
        return "\n".join(lines) + "\n"


@pytest.fixture
def authority() -> PrivateKey:
    return PrivateKey.from_seed(b"fiscal_core pytest authority")


@pytest.fixture
def device_key() -> PrivateKey:
    return PrivateKey.from_seed(b"fiscal_core pytest device")


@pytest.fixture
def certificate(authority: PrivateKey, device_key: PrivateKey) -> Certificate:
    return make_certificate(authority, device_key)


@pytest.fixture
def till(authority: PrivateKey, device_key: PrivateKey, certificate: Certificate) -> Till:
    """Activated at 08:00 (document 1), shift opened at 09:00 (document 2)."""
    device, activation = Device.activate(
        certificate, authority.public_key(), device_key, PIN, at(8)
    )
    t = Till(authority, device_key, certificate, device, [activation])
    t.documents.append(device.open_shift(at(9)))
    return t


@pytest.fixture
def day(till: Till) -> Till:
    """A whole shift: one document of every kind, then the Z-report (documents 1–14)."""
    till.issue({"doc_type": "deposit", "data": {"cashier": "Aysel", "sum": "100"}})  # 3
    bread = till.issue(sale(item("Çörək", 2, Decimal("0.60")), cashSum=Decimal("1.20")))  # 4
    advance = till.issue(
        {"doc_type": "prepay", "data": {"cashier": "Aysel",
         "items": [item("Avans: tort", 1, 20)], "cashlessSum": 20}}
    )  # 5
    till.issue(
        sale(item("Tort", 1, 50), cashSum=30, prepaymentSum=20, parents=[advance.short_id]),
        [advance],
    )  # 6
    credit = till.issue(sale(item("Televizor", 1, 1180), cashSum=180, creditSum=1000))  # 7
    till.issue(
        {"doc_type": "creditpay", "data": {
            "cashier": "Aysel", "parentDocument": credit.fiscal_id, "paymentNumber": 1,
            "residue": 900, "items": [item("Nisyə ödənişi", 1, 100)], "cashSum": 100}},
        [credit],
    )  # 8
    till.issue(
        {"doc_type": "money_back", "data": {
            "cashier": "Aysel", "parentDocument": bread.short_id,
            "items": [item("Çörək", 1, Decimal("0.60"))], "cashSum": Decimal("0.60")}},
        [bread],
    )  # 9
    coffee = till.issue(sale(item("Qəhvə", 1, Decimal("3.50"), 8), cashSum=Decimal("3.50")))  # 10
    till.issue(
        {"doc_type": "rollback", "data": {"cashier": "Aysel", "parentDocument": coffee.short_id}},
        [coffee],
    )  # 11
    till.issue(
        {"doc_type": "correction", "data": {
            "cashier": "Aysel", "sum": 12, "cashSum": 12,
            "vatAmounts": [{"vatSum": 12, "vatPercent": 18}]}}
    )  # 12
    till.issue({"doc_type": "withdraw", "data": {"cashier": "Aysel", "sum": 200}})  # 13
    till.documents.append(till.device.close_shift(at(18)))  # 14
    return till


@pytest.fixture
def files(day: Till, tmp_path: Path) -> tuple[Path, Path]:
    """The day's journal and its authority key (hex), as files, for the command-line tool."""
    journal = tmp_path / "journal.jsonl"
    journal.write_text(day.journal(), encoding="utf-8")
    key = tmp_path / "authority.hex"
    key.write_text(day.authority.public_key().hex() + "\n", encoding="ascii")
    return journal, key


__all__ = ["PIN", "Till", "at", "workspace_version", "fiscal_core", "item", "make_certificate", "sale", "worked_example"]
