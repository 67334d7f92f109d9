"""Arrow tables of one journal, and their Parquet files partitioned by date and VÖEN.

Every value comes from the engine's objects (``Document``, ``Line``, ``TaxGroup``,
``Payments``, ``ShiftReport``): this module only lays them out. Amounts stay exact: a
``Decimal`` of the engine goes into an Arrow ``decimal128`` at the scale SPEC.md §3.1 gives —
money 2, quantity 3, unit price 4, percent 2 — with 18 digits (an i64 of units, as the engine
holds them, always fits). Moments are ``timestamp[ms]`` (the engine's resolution) in the
engine's zone, UTC+04:00 (SPEC.md §6: Baku, no daylight saving since 2016); the partition
``date`` is the document's civil date there.

Layout: ``OUT/<dataset>/date=YYYY-MM-DD/voen=NNNNNNNNNN/<journal id>-<hash>.parquet``; a value
that is not known (a finding of a journal without certificate or document) is written
``__HIVE_DEFAULT_PARTITION__``, which DuckDB and Arrow read as NULL. The partition columns are
also inside each file, typed, so a file read alone says where it belongs.
"""

from __future__ import annotations

import os
from bisect import bisect_right
from datetime import date
from pathlib import Path
from typing import Any, Optional

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from fiscal_core._native import Document
from fiscal_core.fleet._journal import DeviceSummary, Parsed

#: The engine's zone as Arrow writes it (a fixed offset: exactly ``fiscal_core.BAKU``).
ZONE = "+04:00"
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"

AMOUNT = pa.decimal128(18, 2)
QUANTITY = pa.decimal128(18, 3)
UNIT_PRICE = pa.decimal128(18, 4)
PERCENT = pa.decimal128(5, 2)
MOMENT = pa.timestamp("ms", tz=ZONE)

#: Payment forms a payment row may have (``Payments`` of SPEC.md §13.1 without ``tendered``
#: and ``change``, which the documents table carries).
PAYMENT_FORMS = ("cash", "cashless", "bonus", "gift_card", "fuel_card", "prepayment", "credit")

_KEYS = [("date", pa.date32()), ("voen", pa.string()), ("device", pa.string())]

SCHEMAS: dict[str, Any] = {
    "documents": pa.schema(_KEYS + [
        ("object_code", pa.string()),
        ("journal", pa.string()),
        ("number", pa.int64()),
        ("kind", pa.string()),
        ("is_receipt", pa.bool_()),
        ("time", MOMENT),
        ("shift", pa.int64()),
        ("shift_receipt", pa.int64()),
        ("fiscal_id", pa.string()),
        ("short_id", pa.string()),
        ("previous", pa.string()),
        ("cashier", pa.string()),
        ("total", AMOUNT),
        ("sum", AMOUNT),
        ("tax_total", AMOUNT),
        ("tendered", AMOUNT),
        ("change", AMOUNT),
        ("lines", pa.int32()),
        ("flagged", pa.bool_()),
    ]),
    "lines": pa.schema(_KEYS + [
        ("number", pa.int64()),
        ("kind", pa.string()),
        ("line", pa.int32()),
        ("name", pa.string()),
        ("code", pa.string()),
        ("code_type", pa.string()),
        ("unit", pa.string()),
        ("quantity", QUANTITY),
        ("price", UNIT_PRICE),
        ("total", AMOUNT),
        ("tax_treatment", pa.string()),
        ("percent", PERCENT),
        ("tax", AMOUNT),
        ("margin", AMOUNT),
        ("discount", AMOUNT),
        ("markup", AMOUNT),
        ("department", pa.int32()),
        ("department_name", pa.string()),
    ]),
    "tax_groups": pa.schema(_KEYS + [
        ("number", pa.int64()),
        ("kind", pa.string()),
        ("counted", pa.bool_()),
        ("position", pa.int32()),
        ("category", pa.string()),
        ("percent", PERCENT),
        ("gross", AMOUNT),
        ("tax", AMOUNT),
    ]),
    "payments": pa.schema(_KEYS + [
        ("number", pa.int64()),
        ("kind", pa.string()),
        ("form", pa.string()),
        ("amount", AMOUNT),
    ]),
    "refs": pa.schema(_KEYS + [
        ("number", pa.int64()),
        ("kind", pa.string()),
        ("position", pa.int32()),
        ("reference", pa.string()),
    ]),
    "zreports": pa.schema(_KEYS + [
        ("number", pa.int64()),
        ("shift", pa.int64()),
        ("opened_at", MOMENT),
        ("first_number", pa.int64()),
        ("last_number", pa.int64()),
        ("receipts", pa.int64()),
        ("kind", pa.string()),
        ("count", pa.int64()),
        ("sum", AMOUNT),
    ] + [(form, AMOUNT) for form in PAYMENT_FORMS] + [
        ("tendered", AMOUNT),
        ("change", AMOUNT),
        ("cash_in", AMOUNT),
        ("cash_out", AMOUNT),
    ]),
    "findings": pa.schema(_KEYS + [
        ("journal", pa.string()),
        ("code", pa.string()),
        ("code_number", pa.int32()),
        ("rule", pa.string()),
        ("document_number", pa.int64()),
        ("line", pa.int64()),
        ("message", pa.string()),
    ]),
}
#: The datasets, in the order they are written.
DATASETS = tuple(SCHEMAS)

Partition = tuple[Optional[date], Optional[str]]


class _Rows:
    """Rows of one dataset, by partition, as column lists."""

    def __init__(self, name: str) -> None:
        self.names = SCHEMAS[name].names
        self.parts: dict[Partition, dict[str, list[Any]]] = {}

    def add(self, part: Partition, **row: Any) -> None:
        cols = self.parts.get(part)
        if cols is None:
            cols = self.parts[part] = {n: [] for n in self.names}
        for n in self.names:
            cols[n].append(row.get(n))


Rows = dict[str, dict[Partition, dict[str, list[Any]]]]


def rows_of(summary: DeviceSummary, parsed: Parsed) -> Rows:
    """Every dataset's rows of one journal, by (date, VÖEN)."""
    tables = {name: _Rows(name) for name in DATASETS}
    voen, device = summary.voen, summary.device
    flagged = {f.document_number for f in summary.findings if f.document_number is not None}
    date_of_number: dict[int, date] = {}
    line_numbers: list[int] = []
    line_dates: list[date] = []
    for line_no, d in parsed.documents:
        day = d.time.date()
        date_of_number.setdefault(d.number, day)
        line_numbers.append(line_no)
        line_dates.append(day)
        _document_rows(tables, d, day, voen, device, summary, d.number in flagged)
    for f in summary.findings:
        when: Optional[date] = None
        if f.document_number is not None:
            when = date_of_number.get(f.document_number)
        if when is None and f.line is not None and line_numbers:
            i = bisect_right(line_numbers, f.line) - 1
            when = line_dates[max(i, 0)]
        if when is None and line_dates:
            when = line_dates[-1]
        tables["findings"].add(
            (when, voen), date=when, voen=voen, device=device, journal=summary.journal_id,
            code=f.code, code_number=f.code_number, rule=f.rule,
            document_number=f.document_number, line=f.line, message=f.message,
        )
    return {name: rows.parts for name, rows in tables.items()}


def _document_rows(
    tables: dict[str, _Rows], d: Document, day: date, voen: Optional[str],
    device: Optional[str], summary: DeviceSummary, flagged: bool,
) -> None:
    part = (day, voen)
    keys = {"date": day, "voen": voen, "device": device}
    number, kind = d.number, d.kind
    payments = d.payments
    lines = d.lines
    tables["documents"].add(
        part, **keys, object_code=summary.object_code, journal=summary.journal_id,
        number=number, kind=kind, is_receipt=d.is_receipt, time=d.time, shift=d.shift,
        shift_receipt=d.shift_receipt, fiscal_id=d.fiscal_id, short_id=d.short_id,
        previous=d.previous, cashier=d.cashier, total=d.total, sum=d.sum,
        tax_total=d.tax_total,
        tendered=payments.tendered if payments else None,
        change=payments.change if payments else None,
        lines=len(lines), flagged=flagged,
    )
    for i, ln in enumerate(lines, start=1):
        tables["lines"].add(
            part, **keys, number=number, kind=kind, line=i, name=ln.name, code=ln.code,
            code_type=ln.code_type, unit=ln.unit, quantity=ln.quantity, price=ln.price,
            total=ln.total, tax_treatment=ln.tax_treatment, percent=ln.percent, tax=ln.tax,
            margin=ln.margin, discount=ln.discount, markup=ln.markup,
            department=ln.department, department_name=ln.department_name,
        )
    for counted, groups in ((False, d.tax_groups), (True, d.counted_groups)):
        for i, g in enumerate(groups, start=1):
            tables["tax_groups"].add(
                part, **keys, number=number, kind=kind, counted=counted, position=i,
                category=g.category, percent=g.percent, gross=g.gross, tax=g.tax,
            )
    if payments is not None:
        for form in PAYMENT_FORMS:
            amount = getattr(payments, form)
            if amount:
                tables["payments"].add(part, **keys, number=number, kind=kind, form=form,
                                       amount=amount)
    for i, ref in enumerate(d.references, start=1):
        tables["refs"].add(part, **keys, number=number, kind=kind, position=i, reference=ref)
    z = d.z_report
    if z is not None:
        base = dict(keys, number=number, shift=z.shift, opened_at=z.opened_at,
                    first_number=z.first_number, last_number=z.last_number,
                    receipts=z.receipts, cash_in=z.cash_in, cash_out=z.cash_out)
        if not z.kinds:
            tables["zreports"].add(part, **base, count=0)
        for k in z.kinds:
            p = k.payments
            tables["zreports"].add(
                part, **base, kind=k.kind, count=k.count, sum=k.sum,
                **{form: getattr(p, form) for form in PAYMENT_FORMS},
                tendered=p.tendered, change=p.change,
            )


def partition_dir(out_dir: Path, dataset: str, part: Partition) -> Path:
    day, voen = part
    return (out_dir / dataset / f"date={day.isoformat() if day else NULL_PARTITION}"
            / f"voen={voen if voen else NULL_PARTITION}")


def write(out_dir: Path, stem: str, rows: Rows) -> tuple[list[str], dict[str, int], int]:
    """Writes every partition of every dataset as ``<stem>.parquet`` (zstd): (the files, as
    paths relative to ``out_dir``; rows by dataset; bytes written). Each file is written
    under a temporary name and renamed, so a reader never sees half a file and a task run
    twice (a retry) writes the same file again."""
    files: list[str] = []
    counts: dict[str, int] = {}
    size = 0
    for dataset, parts in rows.items():
        counts[dataset] = 0
        for part, cols in parts.items():
            table = pa.table(cols, schema=SCHEMAS[dataset])
            folder = partition_dir(out_dir, dataset, part)
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / f"{stem}.parquet"
            tmp = folder / f".{stem}.parquet.tmp-{os.getpid()}"
            pq.write_table(table, tmp, compression="zstd")
            os.replace(tmp, target)
            files.append(target.relative_to(out_dir).as_posix())
            counts[dataset] += table.num_rows
            size += target.stat().st_size
    return files, counts, size


def empty(dataset: str) -> Any:
    """An empty Arrow table of a dataset (what SQL sees when nothing was exported)."""
    return SCHEMAS[dataset].empty_table()


__all__ = ["DATASETS", "PAYMENT_FORMS", "SCHEMAS", "ZONE", "empty", "rows_of", "write"]
