"""A plain-text rendering of a document from its fields (the printable layout is a later
issue): enough to read every amount, the fiscal ID and the QR payload."""

from __future__ import annotations

from decimal import Decimal
from typing import Optional

from fiscal_core._native import DEFAULT_QR_BASE, Certificate, Document, ShiftReport

RULE = "─" * 58

_LABELS = {
    "sale": "SATIŞ ÇEKİ (sale)",
    "money_back": "QAYTARMA ÇEKİ (return)",
    "rollback": "LƏĞV ÇEKİ (cancel)",
    "prepay": "AVANS ÇEKİ (advance)",
    "creditpay": "NİSYƏ ÖDƏNİŞİ ÇEKİ (credit payment)",
    "deposit": "MƏDAXİL (cash in)",
    "withdraw": "MƏXARİC (cash out)",
    "correction": "KORREKSİYA ÇEKİ (correction)",
    "activation": "AKTİVLƏŞDİRMƏ (activation)",
    "open_shift": "NÖVBƏ AÇILDI (shift opened)",
    "zreport": "Z-HESABAT (shift closed)",
    "decommission": "İSTİSMARDAN ÇIXARILMA (decommissioned)",
}


def _num(d: Decimal) -> str:
    """A quantity or price without trailing zeros: 2.000 → 2, 0.6000 → 0.6."""
    text = format(d.normalize(), "f")
    return text


def label(doc: Document) -> str:
    """The document's title, e.g. ``SATIŞ ÇEKİ (sale)``; a credit sale or a sale against
    advances says so."""
    text = _LABELS.get(doc.kind, doc.kind)
    p = doc.payments
    if doc.kind == "sale" and p is not None:
        if p.credit:
            text += " — nisyə (credit)"
        if p.prepayment:
            text += " — avans hesabına (against advances)"
    return text


def _report(z: ShiftReport) -> list[str]:
    out = [
        f"  shift {z.shift}, opened {z.opened_at.isoformat()}, "
        f"documents {z.first_number}–{z.last_number}, {z.receipts} receipts"
    ]
    for k in z.kinds:
        groups = "; ".join(
            f"{g.category}{'' if g.percent is None else ' ' + _num(g.percent) + '%'} "
            f"{g.gross}→{g.tax}"
            for g in k.groups
        )
        out.append(
            f"  {k.kind:<11} ×{k.count:<4} {k.sum:>11}  cash {k.payments.cash:>10}"
            f"  card {k.payments.cashless:>10}  {groups}"
        )
    out.append(f"  cash in {z.cash_in} − cash out {z.cash_out} = in the drawer {z.cash_in_drawer}")
    return out


def render_text(
    doc: Document, certificate: Optional[Certificate] = None, qr_base: str = DEFAULT_QR_BASE
) -> str:
    """Renders ``doc`` as plain text; with its ``certificate`` the taxpayer, object and kassa
    are printed too."""
    out = [RULE]
    if certificate is not None and doc.cashier is not None:
        out.append(f"{certificate.taxpayer_name} | VÖEN {certificate.voen}")
        out.append(
            f"{certificate.object_name} ({certificate.object_code}) {certificate.object_address}"
        )
    out.append(f"{label(doc)} — {doc.time.isoformat()}")
    if doc.cashier is not None:
        out.append(f"  Kassir: {doc.cashier}")
    for line in doc.lines:
        out.append(
            f"  {line.name:<26}{_num(line.quantity):>8} × {_num(line.price):<9}{line.total:>10}"
        )
        rate = (
            "ƏDV-dən azad (exempt)"
            if line.percent is None
            else f"{line.tax_treatment} {_num(line.percent)}%"
        )
        out.append(f"      {rate:<26} vergi {line.tax:>10}")
    if doc.total is not None:
        out.append(f"  Cəmi (total) {doc.total:>33}")
        if doc.tax_groups:
            out.append(f"  Toplam vergi (tax) {doc.tax_total:>27}")
            for g in doc.tax_groups:
                rate = "" if g.percent is None else f" {_num(g.percent)}%"
                out.append(f"    {g.category}{rate}: {g.gross} → vergi {g.tax}")
        if doc.sum is not None and doc.sum != doc.total:
            out.append(f"  Məbləğ (sum counted now) {doc.sum:>21}")
    p = doc.payments
    if p is not None:
        for name, value in (
            ("Nağd (cash)", p.cash),
            ("Nağdsız (card)", p.cashless),
            ("Bonus", p.bonus),
            ("Hədiyyə kartı (gift card)", p.gift_card),
            ("Yanacaq kartı (fuel card)", p.fuel_card),
            ("Avans (advance)", p.prepayment),
            ("Nisyə (credit)", p.credit),
            ("Verilən (tendered)", p.tendered),
            ("Qalıq (change)", p.change),
        ):
            if value:
                out.append(f"  {name:<27}{value:>19}")
    for ref in doc.references:
        out.append(f"  Əsas çek (refers to): {ref}")
    z = doc.z_report
    if z is not None:
        out.extend(_report(z))
    if doc.kind in ("open_shift", "zreport") or doc.is_receipt:
        counter = f", çek {doc.shift_receipt}" if doc.is_receipt else ""
        out.append(f"  Növbə (shift) {doc.shift}{counter}")
    if certificate is not None and doc.cashier is not None:
        out.append(
            f"  NKA: {certificate.kassa_model} №{certificate.kassa_factory_number}"
            f"   NMQ: {certificate.nmq_registration_number}"
        )
    out.append(f"  Sənəd (document) {doc.number}   Fiskal ID: {doc.short_id}")
    out.append(f"  fiscal ID {doc.fiscal_id}")
    if doc.cashier is not None:
        out.append(f"  QR: {doc.qr_payload(qr_base)}")
    return "\n".join(out) + "\n"
