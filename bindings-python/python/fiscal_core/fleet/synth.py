"""A synthetic fleet: N devices × M days of genuine journals, some with planted faults.

For tests and benchmarks only. Every document is issued by the engine's real ``Device``
(activated under a **TEST** authority made from a public seed, so nothing here is a fiscal
document): shifts opened and closed with their Z-reports, sales over several tax treatments,
returns, cancels, advances, cash in and out, uploads acknowledged after each shift as an online
kassa does. Everything follows from ``seed``: the same call writes the same bytes.

Faults are then planted by tampering with the journal text, as a dishonest owner or a broken
disk would, never through the engine:

- ``deleted_line``: one receipt's line removed;
- ``altered_amount``: one sale's amount changed in its signed body (its fiscal ID recomputed,
  so the line still reads: only the signature tells);
- ``reordered``: two documents swapped;
- ``missing_zreport``: a Z-report's line removed (a shift left without its report);
- ``truncated``: the file cut in the middle of a line (a failed copy);
- ``garbage``: the file replaced by random bytes;
- ``unreadable``: a directory where the journal should be.

And one pattern that breaks no rule of the journal: ``offline_gap``, a device silent for 9 days
between two working days (what the ``offline_periods`` query finds).
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, ROUND_UP, Decimal
from pathlib import Path
from typing import Any, Optional, Union

from fiscal_core._native import BAKU, Certificate, Device, Document, PrivateKey

#: Tampering faults (they make the journal invalid or unreadable), planted in this order.
TAMPERING = (
    "deleted_line",
    "altered_amount",
    "reordered",
    "missing_zreport",
    "truncated",
    "garbage",
    "unreadable",
)
#: Every planted kind: the tampering ones and the silent week.
FAULTS = TAMPERING + ("offline_gap",)

PIN = "4821"
# P-256's group order: r = R.x mod n (SPEC.md §13.2).
_P256_N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
#: Days of silence planted by ``offline_gap`` (more than the 7 days NM-04 allows offline).
OFFLINE_GAP_DAYS = 9

#: Goods: (name, unit price, itemVatPercent or None for VAT-exempt, quantity type: 0 piece, 1 kg).
_CATALOGUE: tuple[tuple[str, str, Optional[int], int], ...] = (
    ("Çörək", "0.60", 18, 0),
    ("Süd 1 l", "1.45", 18, 0),
    ("Pendir", "9.80", 18, 1),
    ("Alma", "1.90", 18, 1),
    ("Dərman", "5.00", None, 0),
    ("Kitab", "12.00", 0, 0),
    ("Qəhvə", "3.50", 18, 0),
    ("Yağ 1 l", "4.25", 18, 0),
    ("Düyü", "2.30", 18, 1),
    ("Su 0.5 l", "0.50", 18, 0),
)


@dataclass(frozen=True)
class Planted:
    """A fault planted in a journal (the answer key of the tests)."""

    journal: str
    device: str
    fault: str
    detail: str

    def as_dict(self) -> dict[str, str]:
        return {"journal": self.journal, "device": self.device, "fault": self.fault,
                "detail": self.detail}


@dataclass(frozen=True)
class Fleet:
    """What :func:`generate` wrote."""

    directory: Path
    authority: str
    authority_file: Path
    journals: tuple[Path, ...]
    planted: tuple[Planted, ...]
    documents: int

    def faulty(self) -> dict[str, str]:
        """Journal file name → planted fault."""
        return {p.journal: p.fault for p in self.planted}


def _authority(seed: int) -> PrivateKey:
    return PrivateKey.from_seed(f"fiscal-core fleet TEST authority {seed}".encode())


def _baku(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=BAKU)


def _certificate(authority: PrivateKey, key: PrivateKey, i: int, start: date) -> Certificate:
    taxpayer = i // 4  # four kassas a taxpayer, two an object (shop)
    shop = i // 2
    return Certificate.issue(
        authority,
        serial=100_000 + i,
        kassa_model="Kassa-X 200",
        kassa_factory_number=f"KX2-{i:06d}",
        nmq_factory_number=f"NMQ-77-{i:06d}",
        nmq_registration_number=f"AZ-NMQ-FLEET-{i:06d}",
        taxpayer_name=f"Test Vergi Ödəyicisi {taxpayer} MMC",
        voen=f"{1_400_000_000 + taxpayer * 7919:010d}",
        object_code=f"OBJ-{shop:05d}",
        object_name=f"Mağaza {shop}",
        object_address=f"Bakı ş., Test küç. {shop}",
        valid_from=_baku(start - timedelta(days=30), 0),
        valid_until=_baku(start + timedelta(days=730), 0),
        device_key=key.public_key(),
    )


def _sale_items(rng: random.Random, simplified: bool) -> list[dict[str, Any]]:
    items = []
    for name, price, vat, qtype in rng.sample(_CATALOGUE, rng.randint(1, 4)):
        if simplified:  # a simplified-tax payer: 2 % on turnover (SPEC.md §5.1)
            vat = 2
        qty: Any = rng.randint(1, 3) if qtype == 0 else Decimal(rng.randint(250, 2500)) / 1000
        line: dict[str, Any] = {"itemName": name, "itemQuantity": qty,
                                "itemPrice": Decimal(price), "itemQuantityType": qtype}
        if vat is not None:
            line["itemVatPercent"] = vat
        items.append(line)
    return items


def _line_total(item: dict[str, Any]) -> Decimal:
    # Only to choose how to pay: the engine computes and checks every total itself.
    total = Decimal(item["itemQuantity"]) * Decimal(item["itemPrice"])
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _device_journal(
    authority: PrivateKey, i: int, seed: int, start: date, days: int, receipts: tuple[int, int],
    gap_after_first_day: int,
) -> list[str]:
    rng = random.Random(f"{seed}/{i}")
    simplified = (i // 4) % 5 == 3  # one taxpayer in five pays the simplified tax
    key = PrivateKey.from_seed(f"fiscal-core fleet TEST device {seed}/{i}".encode())
    cert = _certificate(authority, key, i, start)
    activated = _baku(start, 7, rng.randint(0, 59))
    device, activation = Device.activate(cert, authority.public_key(), key, PIN, activated)
    docs: list[Document] = [activation]
    day = start
    for d in range(days):
        if d == 1:
            day += timedelta(days=gap_after_first_day)
        now = _baku(day, 8, rng.randint(0, 59), rng.randint(0, 59))
        docs.append(device.open_shift(now))

        def issue(request: dict[str, Any], refs: tuple[Document, ...] = ()) -> Document:
            nonlocal now
            now += timedelta(seconds=rng.randint(60, 1500))
            doc = device.issue(request, now, references=refs)
            docs.append(doc)
            return doc

        cashier = rng.choice(("Aysel", "Rəşad", "Leyla", "Elvin"))
        issue({"doc_type": "deposit", "data": {"cashier": cashier, "sum": 200}})
        sales: list[tuple[Document, dict[str, Any], str]] = []
        advance: Optional[Document] = None
        for r in range(rng.randint(*receipts)):
            roll = rng.random()
            if roll < 0.08 and sales:  # a return of one line of an earlier sale of the day
                parent, item, form = rng.choice(sales)
                whole = item["itemQuantityType"] != 0  # by weight: the whole line back
                back = dict(item, itemQuantity=item["itemQuantity"] if whole else 1)
                issue({"doc_type": "money_back", "data": {
                    "cashier": cashier, "parentDocument": parent.short_id, "items": [back],
                    form: _line_total(back)}}, (parent,))
                sales = [s for s in sales if s[0] is not parent]
                continue
            if roll < 0.11 and sales and sales[-1][0] is docs[-1]:  # cancel the last sale
                parent = sales.pop()[0]
                issue({"doc_type": "rollback", "data": {
                    "cashier": cashier, "parentDocument": parent.fiscal_id}}, (parent,))
                continue
            if roll < 0.13 and advance is None:  # an advance, spent later in the day
                advance = issue({"doc_type": "prepay", "data": {"cashier": cashier, "items": [
                    {"itemName": "Avans: sifariş", "itemQuantity": 1, "itemPrice": 20,
                     "itemVatPercent": 2 if simplified else 18}], "cashlessSum": 20}})
                continue
            items = _sale_items(rng, simplified)
            total = sum((_line_total(x) for x in items), Decimal(0))
            form = "cashSum" if rng.random() < 0.6 else "cashlessSum"
            if advance is not None and total > 20 and rng.random() < 0.5:
                data = {"cashier": cashier, "items": items, form: total - 20,
                        "prepaymentSum": 20, "parents": [advance.short_id]}
                issue({"doc_type": "sale", "data": data}, (advance,))
                advance = None
                continue
            data = {"cashier": cashier, "items": items, form: total}
            if form == "cashSum" and rng.random() < 0.3:
                data["incomingSum"] = (total + 5).quantize(Decimal("1"), rounding=ROUND_UP)
            sale = issue({"doc_type": "sale", "data": data})
            if len(items) == 1 or r % 3 == 0:
                sales.append((sale, items[0], form))
        if rng.random() < 0.5:
            issue({"doc_type": "withdraw", "data": {"cashier": cashier, "sum": 150}})
        now += timedelta(minutes=rng.randint(5, 50))
        docs.append(device.close_shift(now))
        device.acknowledge_upload(device.last_number)  # an online kassa: uploaded each day
        day += timedelta(days=1)
    return [cert.to_journal_line()] + [d.to_json() for d in docs]


def _leb128(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _alter_amount(line: str, amount: Decimal) -> str:
    """The line with every encoding of ``amount`` in its signed body replaced by another
    amount of the same length, and its fiscal ID recomputed (SPEC.md §13.1, §13.3): the line
    still reads as a document; its signature no longer matches."""
    doc = json.loads(line)
    body = bytes.fromhex(doc["body"])
    units = int(amount * 100)
    old = _leb128(units * 2)  # an amount is a zigzag varint of its units
    for delta in (100, 10, 1, -1):
        new = _leb128((units + delta) * 2)
        if len(new) == len(old) and units + delta > 0:
            break
    header = body.index(b"\x00") + 1
    body = body[:header] + body[header:].replace(old, new)
    signature = bytes.fromhex(doc["signature"])
    # The member is R.x ‖ R.y ‖ s; the ID hashes r ‖ s, r = R.x mod n (SPEC.md §13.2, §13.3).
    r = (int.from_bytes(signature[:32], "big") % _P256_N).to_bytes(32, "big")
    fid = hashlib.sha256(b"fiscal-core/fiscal-id/v1\x00" + body + r + signature[64:]).hexdigest()
    return (f'{{"number":{doc["number"]},"id":"{fid}","body":"{body.hex()}",'
            f'"signature":"{doc["signature"]}"}}')


def _plant(
    fault: str, lines: list[str], rng: random.Random
) -> tuple[Optional[list[str]], Optional[bytes], str]:
    """Tampers with a journal's lines: (new lines, or raw bytes, and what was done)."""
    docs = [(i, Document.from_json(t)) for i, t in enumerate(lines) if i > 0]
    middle = docs[len(docs) // 4: 3 * len(docs) // 4] or docs
    if fault == "deleted_line":
        i, d = rng.choice([x for x in middle if x[1].is_receipt] or middle)
        return lines[:i] + lines[i + 1:], None, f"document {d.number} ({d.kind}) removed"
    if fault == "altered_amount":
        i, d = rng.choice([x for x in middle if x[1].kind == "sale"] or middle)
        assert d.total is not None
        altered = lines[:i] + [_alter_amount(lines[i], d.total)] + lines[i + 1:]
        return altered, None, f"document {d.number}: amount {d.total} altered"
    if fault == "reordered":
        i, d = rng.choice(middle[:-1] or middle)
        swapped = lines[:i] + [lines[i + 1], lines[i]] + lines[i + 2:]
        return swapped, None, f"documents {d.number} and {d.number + 1} swapped"
    if fault == "missing_zreport":
        zs = [x for x in docs if x[1].kind == "zreport"]
        i, d = zs[0] if len(zs) > 1 else zs[-1]
        return lines[:i] + lines[i + 1:], None, f"Z-report {d.number} (shift {d.shift}) removed"
    if fault == "truncated":
        text = ("\n".join(lines) + "\n").encode()
        cut = rng.randint(len(text) * 2 // 3, len(text) - 10)
        return None, text[:cut], f"cut at byte {cut} of {len(text)}"
    if fault == "garbage":
        size = rng.randint(1024, 4096)
        return None, bytes(rng.getrandbits(8) for _ in range(size)), f"{size} random bytes"
    raise ValueError(f"no fault is named {fault!r}")


def generate(
    out_dir: Union[str, Path],
    devices: int = 50,
    days: int = 3,
    *,
    seed: int = 0,
    receipts: tuple[int, int] = (10, 30),
    faults: float = 0.2,
    start: date = date(2026, 11, 23),
) -> Fleet:
    """Writes ``devices`` journals (``kassa-000001.jsonl``, …) of ``days`` working days each
    into ``out_dir``, with ``receipts`` (lowest, highest) receipts a day, and plants faults in
    a ``faults`` share of them (each kind of :data:`FAULTS` in turn, on devices chosen from
    ``seed``). Also writes ``authority.hex`` (the TEST authority's public key, as
    ``fiscal-core verify --authority`` takes it) and ``planted.json`` (what was planted where).
    """
    if devices < 1 or days < 1:
        raise ValueError("devices and days must be at least 1")
    if not 0 <= faults <= 1:
        raise ValueError("faults is a share, from 0 to 1")
    lo, hi = receipts
    if not 1 <= lo <= hi:
        raise ValueError("receipts is (lowest, highest), from 1")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    authority = _authority(seed)
    rng = random.Random(f"fleet/{seed}")
    chosen = rng.sample(range(devices), round(devices * faults))
    kinds = {dev: FAULTS[n % len(FAULTS)] for n, dev in enumerate(chosen)}
    if days < 2:  # a silent week needs two working days
        kinds = {dev: k for dev, k in kinds.items() if k != "offline_gap"}
    journals: list[Path] = []
    planted: list[Planted] = []
    documents = 0
    for i in range(1, devices + 1):
        fault = kinds.get(i - 1)
        gap = OFFLINE_GAP_DAYS if fault == "offline_gap" else 0
        lines = _device_journal(authority, i, seed, start, days, (lo, hi), gap)
        documents += len(lines) - 1
        path = out / f"kassa-{i:06d}.jsonl"
        if path.is_dir():
            shutil.rmtree(path)
        journals.append(path)
        device = f"AZ-NMQ-FLEET-{i:06d}"
        if fault is None:
            path.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")
            continue
        if fault == "offline_gap":
            path.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")
            planted.append(Planted(path.name, device, fault,
                                   f"no document for {OFFLINE_GAP_DAYS} days after the first day"))
            continue
        if fault == "unreadable":
            path.mkdir()
            planted.append(Planted(path.name, device, fault, "a directory, not a file"))
            continue
        new_lines, raw, detail = _plant(fault, lines, random.Random(f"{seed}/{i}/fault"))
        if new_lines is not None:
            path.write_text("\n".join(new_lines) + "\n", encoding="utf-8", newline="\n")
        else:
            assert raw is not None
            path.write_bytes(raw)
        planted.append(Planted(path.name, device, fault, detail))
    key_file = out / "authority.hex"
    key_file.write_text(authority.public_key().hex() + "\n", encoding="ascii")
    (out / "planted.json").write_text(
        json.dumps({"seed": seed, "devices": devices, "days": days,
                    "planted": [p.as_dict() for p in planted]}, ensure_ascii=False, indent=1)
        + "\n", encoding="utf-8")
    return Fleet(out, authority.public_key().hex(), key_file, tuple(journals), tuple(planted),
                 documents)


__all__ = ["FAULTS", "Fleet", "OFFLINE_GAP_DAYS", "Planted", "TAMPERING", "generate"]
