"""The demo: a day at the till, issued, printed, written to a journal and verified — the same
story, document for document, as the Rust demo (``cargo run -p fiscal-core --example demo``; a
test compares the two journals byte for byte) — and a generator of large journals for
benchmarks. The keys come from public seeds: demo only.

The story writes three files to the folder it is given: ``journal.jsonl``,
``journal.jsonl.authority`` (the authority's public key, for ``fiscal-core verify``) and
``receipt.html`` (a receipt as an e-mail would carry it)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Optional, TextIO

from fiscal_core._native import (
    BAKU,
    Certificate,
    Device,
    Document,
    PrivateKey,
    qr_terminal,
    verify_journal,
    verify_journal_file,
)

AUTHORITY_SEED = b"DEMO tax authority - not a real key"
DEVICE_SEED = b"DEMO device - not a real key"
PIN = "4821"


def baku(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A moment in Baku (UTC+04:00)."""
    return datetime(year, month, day, hour, minute, tzinfo=BAKU)


def demo_certificate(authority: PrivateKey, key: PrivateKey) -> Certificate:
    """The demo device's certificate, valid 2026-01-01 to 2029-01-01."""
    return Certificate.issue(
        authority,
        serial=2026_0001,
        kassa_model="Kassa-X 200",
        kassa_factory_number="KX2-000123",
        nmq_factory_number="NMQ-77-000456",
        nmq_registration_number="AZ-NMQ-2026-000789",
        taxpayer_name="Bakı Çörək MMC",
        voen="1234567891",
        object_code="OBJ-0042",
        object_name="Çörək dükanı №3",
        object_address="Bakı ş., Nizami küç. 10",
        valid_from=baku(2026, 1, 1),
        valid_until=baku(2029, 1, 1),
        device_key=key.public_key(),
    )


def _write_journal(path: Path, certificate: Certificate, documents: Iterable[Document]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as f:
        f.write(certificate.to_journal_line() + "\n")
        for d in documents:
            f.write(d.to_json() + "\n")


def _write_key(path: Path, authority: PrivateKey) -> Path:
    key_path = path.with_name(path.name + ".authority")
    key_path.write_text(authority.public_key().hex() + "\n", encoding="ascii")
    return key_path


def story(out: TextIO, journal: Path, *, show_qr: bool = True) -> bool:
    """Runs the demo story, printing to ``out`` and writing ``journal``, its ``.authority`` key
    beside it and ``receipt.html`` in its folder; True when the journal verifies and the
    tampered copy is caught."""
    authority = PrivateKey.from_seed(AUTHORITY_SEED)
    key = PrivateKey.from_seed(DEVICE_SEED)
    certificate = demo_certificate(authority, key)
    device, activation = Device.activate(
        certificate, authority.public_key(), key, PIN, baku(2026, 11, 23, 8)
    )
    docs = [activation, device.open_shift(baku(2026, 11, 23, 9))]
    minute = 0

    def issue(request: dict[str, Any], refs: Iterable[Document] = ()) -> Document:
        nonlocal minute
        minute += 3
        doc = device.issue(request, baku(2026, 11, 23, 9, minute), references=refs)
        docs.append(doc)
        return doc

    def sale(data: dict[str, Any], kind: str = "sale") -> dict[str, Any]:
        return {"doc_type": kind, "data": {"cashier": "Aysel", **data}}

    issue(sale({"sum": 100}, "deposit"))
    bread = issue(sale({
        "items": [
            {"itemName": "Çörək", "itemCodeType": 2, "itemCode": "4006381333931",
             "itemQuantity": 2, "itemPrice": Decimal("0.60"), "itemVatPercent": 18},
            {"itemName": "Pendir", "itemQuantityType": 1, "itemQuantity": Decimal("0.750"),
             "itemPrice": Decimal("4.99"), "itemVatPercent": 18},
            {"itemName": "Dərman", "itemQuantity": 1, "itemPrice": Decimal("5.00")},
            {"itemName": "Alma", "itemQuantityType": 1, "itemQuantity": 2,
             "itemPrice": Decimal("1.50"), "itemVatPercent": 18,
             "itemMarginSum": Decimal("0.59")},
        ],
        "cashSum": Decimal("7.94"), "cashlessSum": Decimal("5.00"),
        "incomingSum": Decimal("10.00"),
    }))
    advance = issue(sale({
        "items": [{"itemName": "Avans: ad günü tortu", "itemQuantity": 1, "itemPrice": 20,
                   "itemVatPercent": 18}],
        "cashlessSum": 20,
    }, "prepay"))
    issue(sale({
        "items": [{"itemName": "Ad günü tortu", "itemQuantity": 1, "itemPrice": 50,
                   "itemVatPercent": 18}],
        "cashSum": 30, "prepaymentSum": 20, "parents": [advance.short_id],
    }), [advance])
    credit = issue(sale({
        "items": [{"itemName": "Çörək sobası", "itemQuantity": 1, "itemPrice": 1180,
                   "itemVatPercent": 18}],
        "cashSum": 180, "creditSum": 1000, "creditContract": "KR-2026/117",
    }))
    issue(sale({
        "parentDocument": credit.fiscal_id, "paymentNumber": 1, "residue": 900,
        "items": [{"itemName": "Nisyə ödənişi", "itemCodeType": 5, "itemCode": "KR-2026-117",
                   "itemQuantity": 1, "itemPrice": 100, "itemVatPercent": 18}],
        "cashSum": 100,
    }, "creditpay"), [credit])
    issue(sale({
        "parentDocument": bread.short_id,
        "items": [{"itemName": "Çörək", "itemQuantity": 1, "itemPrice": Decimal("0.60"),
                   "itemVatPercent": 18}],
        "cashSum": Decimal("0.60"),
    }, "money_back"), [bread])
    coffee = issue({"doc_type": "sale", "data": {
        "cashier": "Rəşad",
        "items": [{"itemName": "Qəhvə", "itemQuantity": 1, "itemPrice": Decimal("3.50"),
                   "itemVatPercent": 8}],
        "cashSum": Decimal("3.50"),
    }})
    issue({"doc_type": "rollback",
           "data": {"cashier": "Rəşad", "parentDocument": coffee.short_id}}, [coffee])
    issue(sale({
        "sum": 12, "cashSum": 12, "vatAmounts": [{"vatSum": 12, "vatPercent": 18}],
    }, "correction"))
    issue(sale({"sum": 200}, "withdraw"))
    docs.append(device.close_shift(baku(2026, 11, 23, 18)))

    for d in docs:
        out.write(d.render(certificate, qr_base=device.qr_base) + "\n")
    if show_qr:
        out.write(f"QR code of receipt {bread.short_id}:\n")
        out.write(qr_terminal(device.qr_payload(bread)) + "\n")
    html = journal.parent / "receipt.html"
    html.write_text(bread.render(certificate, form="html", qr_base=device.qr_base), encoding="utf-8")
    out.write(f"The same receipt by e-mail: {html}\n")

    _write_journal(journal, certificate, docs)
    key_path = _write_key(journal, authority)
    report = verify_journal_file(journal, authority.public_key())
    verdict = "VALID" if report.is_valid else "INVALID"
    out.write(
        f"Journal {journal}: {report.documents} documents, {report.receipts} receipts, "
        f"{len(report.findings)} findings: {verdict}\n"
        f"(authority key in {key_path}; check it with: fiscal-core verify {journal} "
        f"--authority {key_path})\n"
    )
    # A tampered copy: document 5 (line 6) removed.
    lines = journal.read_text(encoding="utf-8").splitlines()
    tampered = verify_journal("\n".join(lines[:5] + lines[6:]) + "\n", authority.public_key())
    out.write(f"Journal with document 5 removed: {len(tampered.findings)} finding(s):\n")
    for f in tampered.findings:
        out.write(f"  {f}\n")
    return report.is_valid and not tampered.is_valid


def generate(journal: Path, size: int, out: TextIO, *, receipts_per_shift: int = 1000) -> Path:
    """Writes a genuine journal of exactly ``size`` documents (shifts of sales, returns,
    cancels and cash documents, one shift a day, uploads acknowledged after each shift) and
    the authority key beside it; returns the key file's path."""
    authority = PrivateKey.from_seed(AUTHORITY_SEED)
    key = PrivateKey.from_seed(DEVICE_SEED)
    certificate = demo_certificate(authority, key)
    day = baku(2026, 1, 2, 8)
    device, activation = Device.activate(certificate, authority.public_key(), key, PIN, day)
    written = 1
    with journal.open("w", encoding="utf-8", newline="\n") as f:
        f.write(certificate.to_journal_line() + "\n")
        f.write(activation.to_json() + "\n")

        def emit(doc: Document) -> Document:
            nonlocal written
            f.write(doc.to_json() + "\n")
            written += 1
            return doc

        while written < size:
            day += timedelta(days=1)
            now = day
            emit(device.open_shift(now))
            if written == size:
                break  # room for nothing but the opening document
            if written < size - 1:
                now += timedelta(seconds=30)
                emit(device.issue(
                    {"doc_type": "deposit", "data": {"cashier": "Aysel", "sum": 500}}, now
                ))
            i = 0
            # Always keep room for the Z-report.
            while written < size - 1 and i < receipts_per_shift:
                i += 1
                now += timedelta(seconds=7)
                qty = 1 + i % 3
                price = Decimal(1 + i % 17) + Decimal(i * 37 % 100) / 100
                total = Decimal("0.60") * qty + price
                pay = "cashSum" if i % 3 else "cashlessSum"
                sale = emit(device.issue({"doc_type": "sale", "data": {
                    "cashier": "Aysel",
                    "items": [
                        {"itemName": "Çörək", "itemQuantity": qty, "itemPrice": Decimal("0.60"),
                         "itemVatPercent": 18},
                        {"itemName": "Süd 1 l", "itemQuantity": 1, "itemPrice": price,
                         "itemVatPercent": 18 if i % 5 else 8},
                    ],
                    pay: total,
                }}, now))
                if written >= size - 1:
                    break
                if i % 25 == 0:
                    now += timedelta(seconds=3)
                    emit(device.issue({"doc_type": "money_back", "data": {
                        "cashier": "Aysel", "parentDocument": sale.short_id,
                        "items": [{"itemName": "Çörək", "itemQuantity": 1,
                                   "itemPrice": Decimal("0.60"), "itemVatPercent": 18}],
                        pay: Decimal("0.60"),
                    }}, now, references=[sale]))
                elif i % 40 == 39:
                    now += timedelta(seconds=3)
                    emit(device.issue({"doc_type": "rollback", "data": {
                        "cashier": "Aysel", "parentDocument": sale.fiscal_id,
                    }}, now, references=[sale]))
            now += timedelta(seconds=60)
            emit(device.close_shift(now))
            device.acknowledge_upload(device.last_number)
    key_path = _write_key(journal, authority)
    out.write(f"wrote {journal}: {written} documents; authority key in {key_path}\n")
    return key_path


def run(out: TextIO, journal: Path, size: Optional[int], *, show_qr: bool = True) -> bool:
    """The ``demo`` command: the story, or with ``size`` a generated journal of that many
    documents; either writes ``journal`` (its folder must exist)."""
    out.write(f"Writing to {journal.parent}\n")
    if size is None:
        return story(out, journal, show_qr=show_qr)
    generate(journal, size, out)
    return True
