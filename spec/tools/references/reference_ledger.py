"""The device's ledger of SPEC.md §14.6 (RC-11, RC-13, RC-17, RC-18), for the independent model
of the device (spec/tools/references/reference_device.py): what has happened to each receipt a claim was
made on (returns, cancels, instalments, sales against advances), the rules a new claim must keep,
and the fallback on the supplied documents below the ledger's horizon. Standard library only."""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Optional

from reference_documents import RECEIPTS, Doc, Supplied, qepik

MAX_LEDGER_ENTRIES = 1024  # §14.6: the receipts the device's ledger keeps a balance for


def names(doc: Doc, parent: Doc) -> bool:
    return ("own", parent.number) in doc.refs


@dataclass
class Balance:
    """What has happened to one receipt since it was issued (§14.6: returned, taken by sales,
    paid, the instalment count, cancelled)."""

    number: int
    returned: int = 0
    taken: int = 0
    paid: int = 0
    instalments: int = 0
    cancelled: bool = False


def left(advance: Doc, b: Balance) -> int:
    """What is left of an advance: its total less what sales took and what was refunded."""
    return max(0, advance.total - b.taken - b.returned)


def claim_rules(doc: Doc, parents: list[Doc], balances: dict[int, Balance], shift: int) -> Optional[str]:
    """The claim `doc` makes on `parents` (its references, in the order named), by the rules of
    §14.6 in their order: returns the first rule broken (its code) or None, and records the
    claim's effects in `balances` (keyed by the parent's document number, which stands for its
    fiscal ID here) whether or not a rule is broken — the caller decides whether to keep them."""
    data = doc.data
    verdict: Optional[str] = None

    def breaks(code: str) -> None:
        nonlocal verdict
        if verdict is None:
            verdict = code

    if doc.kind == "money_back":
        p = parents[0]
        b = balances[p.number]
        m = int(data.get("moneyBackType") or 0)
        if p.kind != {0: "sale", 1: "prepay", 2: "creditpay"}[m]:  # 1
            breaks("reference_wrong_kind")
        if b.cancelled:  # 2: a receipt is refunded once
            breaks("already_cancelled")
        if b.returned + doc.total > p.total:  # 3
            breaks("return_exceeds_sale")
        if p.kind == "prepay" and doc.total > left(p, b):  # 4: spent money is not refunded
            breaks("advances_exceeded")
        if p.kind == {0: "sale", 1: "prepay", 2: "creditpay"}[m]:  # a wrong kind is not charged
            b.returned += doc.total
    elif doc.kind == "rollback":
        p = parents[0]
        b = balances[p.number]
        if p.kind not in ("sale", "prepay", "creditpay"):  # 1
            breaks("reference_wrong_kind")
        if p.shift != shift:  # 2
            breaks("cancel_outside_shift")
        if b.cancelled:  # 3
            breaks("already_cancelled")
        if b.returned:  # 4: returns and a cancel pay twice
            breaks("return_exceeds_sale")
        # 5: a spent advance, a sale paid from advances, a credit sale with instalments
        if b.taken or (p.kind == "sale" and p.payments.get("prepayment", 0)) or b.instalments:
            breaks("receipt_in_use")
        if p.kind in ("sale", "prepay", "creditpay"):  # a wrong kind is not charged
            b.cancelled = True
    elif doc.kind == "creditpay":
        p = parents[0]
        b = balances[p.number]
        credit = p.payments.get("credit", 0) if p.kind == "sale" else 0
        if credit == 0:  # 1: a credit sale
            breaks("reference_wrong_kind")
        if b.cancelled:  # 2
            breaks("already_cancelled")
        if int(data["paymentNumber"]) != b.instalments + 1:  # 3
            breaks("instalment_number_mismatch")
        debt = max(0, credit - b.paid)
        if doc.total > debt:  # 4
            breaks("instalment_exceeds_debt")
        elif qepik(data["residue"]) != debt - doc.total:  # 5
            breaks("debt_mismatch")
        if credit:  # a wrong kind is not charged
            b.instalments += 1
            b.paid += doc.total
    elif doc.kind == "sale" and parents:
        for a in parents:  # 1: each named advance, in order
            if a.kind != "prepay":
                breaks("reference_wrong_kind")
            elif balances[a.number].cancelled:
                breaks("already_cancelled")
        # Only advances give (and are charged): a receipt of the wrong kind gives nothing.
        distinct = list({a.number: a for a in parents if a.kind == "prepay"}.values())
        need = doc.payments.get("prepayment", 0)
        if need > sum(left(a, balances[a.number]) for a in distinct):  # 2
            breaks("advances_exceeded")
        for a in distinct:  # p is taken from A1, then A2, …, each up to what is left
            take = min(need, left(a, balances[a.number]))
            balances[a.number].taken += take
            need -= take
    return verdict


@dataclass
class Ledger:
    """The device's ledger, in its saved state (§14.6): a balance for each receipt a claim was
    made on, at most MAX_LEDGER_ENTRIES; receipts numbered from `horizon` on are all known (no
    entry: nothing was claimed of them)."""

    horizon: int = 0
    entries: dict[int, Balance] = field(default_factory=dict)

    def balance(self, parent: Doc, supplied: Supplied) -> Balance:
        """The parent's balance: the entry, a fresh one at or above the horizon, or, for a
        receipt below the horizon, what the supplied documents say was claimed of it."""
        if parent.number in self.entries:
            return copy.copy(self.entries[parent.number])
        if parent.number >= self.horizon:
            return Balance(parent.number)
        return from_supplied(parent, supplied)

    def record(self, balances: dict[int, Balance]) -> None:
        """Keeps a claim's effects; forgets the lowest-numbered entries past the bound, moving
        the horizon past each. A receipt below the horizon stays forgotten."""
        for n, b in balances.items():
            if n >= self.horizon:
                self.entries[n] = b
        while len(self.entries) > MAX_LEDGER_ENTRIES:
            lowest = min(self.entries)
            del self.entries[lowest]
            self.horizon = max(self.horizon, lowest + 1)


def from_supplied(parent: Doc, supplied: Supplied) -> Balance:
    """§14.6, below the horizon: the claims found in the supplied documents — the earlier returns,
    cancels, instalments and sales against `parent`, this device's, each once, in number order —
    counted by the same rules (as made: whether they broke a rule is not this request's
    question). A document whose own references are not all supplied is not counted."""
    own = {s.number: s for s in supplied if isinstance(s, Doc)}
    scratch: dict[int, Balance] = {}
    for n in sorted(own):
        d = own[n]
        if d is parent or not names(d, parent):
            continue
        ps = [own.get(r[1]) if r[0] == "own" else None for r in d.refs]
        if any(p is None or p.kind not in RECEIPTS for p in ps):
            continue
        for p in ps:
            scratch.setdefault(p.number, Balance(p.number))
        claim_rules(d, ps, scratch, d.shift)
    return scratch.get(parent.number, Balance(parent.number))
