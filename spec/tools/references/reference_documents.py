"""The documents as the device model keeps them (SPEC.md §13.1, §14.3): the part of the model
of spec/tools/references/reference_device.py that its ledger (spec/tools/references/reference_ledger.py, §14.6) shares
with it. Standard library only; money comes from spec/tools/references/reference.py (SPEC.md §5)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional, Union

import reference  # SPEC.md §5, Python's decimal (found next to this file)

# §14.3: receipts are counted within the shift (RC-06); other documents carry 0. Only a receipt
# can be named by a reference (§14.3 step 7).
RECEIPTS = {"sale", "money_back", "rollback", "prepay", "creditpay"}


# --- money --------------------------------------------------------------------------------------

def qepik(x: Any) -> int:
    return int(reference.qepik(x)) if x is not None else 0


Key = tuple  # (category, percent in hundredths or None)


# --- references (RC-17, RC-18) -----------------------------------------------------------------

Ref = tuple  # ("own", N) | ("foreign", K) | ("text", s)


@dataclass
class Doc:
    """A document as the model keeps it."""

    number: int
    time: int
    kind: str
    shift: int
    receipt: int
    data: dict[str, Any] = field(default_factory=dict)
    refs: list[Ref] = field(default_factory=list)
    total: int = 0
    sum: int = 0
    payments: dict[str, int] = field(default_factory=dict)
    groups: dict[Key, list[int]] = field(default_factory=dict)
    voided: Optional["Doc"] = None
    report: Optional[dict[str, Any]] = None
    warnings: list[str] = field(default_factory=list)


# A supplied document: this device's Doc, or ("foreign", K), signed by another device.
Supplied = list[Union[Doc, tuple]]
