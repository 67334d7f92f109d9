#!/usr/bin/env python3
"""An independent reference for SPEC.md §5 (money math), written from the spec text alone,
using only Python's standard library `decimal` and integers.

It computes, from a valid request in the JSON form (SPEC.md §8): each line's total and tax,
the tax groups (gross and tax), the document's total and `sum`, the counted groups, the
change, and `vatAmounts`. The conformance vectors' expected numbers are checked against it
(`check_vectors.py`), so the suite never simply blesses the engine's own output.

It does not validate: it assumes the request is valid, and the rate table of §5.1.
"""
from decimal import Decimal, ROUND_HALF_UP

# SPEC.md §5.1: treatments by kind; inference from the percent.
INCLUDED = {"vat", "vat_margin"}
TURNOVER = {"simplified"}
RATES = {("vat", 18), ("vat", 0), ("vat_margin", 18), ("simplified", 2), ("simplified", 8)}
CATEGORY_ORDER = ["vat", "vat_margin", "simplified", "vat_exempt", "margin_remainder"]


def D(x):
    """A Decimal from a JSON number or string, by its text (never a float)."""
    return Decimal(str(x))


def qepik(x):
    """Amount text → integer qəpik."""
    return int((D(x) * 100).to_integral_exact())


def money(q):
    """Integer qəpik → '12.50'."""
    sign = "-" if q < 0 else ""
    q = abs(q)
    return f"{sign}{q // 100}.{q % 100:02d}"


def treatment(item):
    """(kind, percent in hundredths) of a line, SPEC.md §5.1."""
    pct = item.get("itemVatPercent")
    p = None if pct is None else int((D(pct) * 100).to_integral_exact())
    kind = item.get("taxTreatment")
    if kind is None:
        if p is None:
            kind = "vat_exempt"
        elif item.get("itemMarginSum") not in (None, 0) and D(item["itemMarginSum"]) != 0:
            kind = "vat_margin"
        else:
            matches = [k for (k, r) in RATES if r * 100 == p and k != "vat_margin"]
            assert len(matches) == 1, f"rate {pct} is ambiguous or unknown"
            kind = matches[0]
    return kind, p


def line_total(item):
    """SPEC.md §5.2: itemSum when given, else round half up of quantity × price."""
    if item.get("itemSum") is not None:
        return qepik(item["itemSum"])
    exact = D(item["itemQuantity"]) * D(item["itemPrice"])
    return qepik(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def fraction(category, p, g):
    """The exact tax of g qəpik as n/d (SPEC.md §5.3)."""
    if category in INCLUDED:
        return g * p, 10_000 + p
    if category in TURNOVER:
        return g * p, 10_000
    return 0, 1


def round_half_up(n, d):
    return (2 * n + d) // (2 * d)


def allocate(total, nums, d):
    """Largest remainder: floors, then one unit each by remainder, earlier first on ties."""
    out = [n // d for n in nums]
    left = total - sum(out)
    order = sorted(range(len(nums)), key=lambda i: (-(nums[i] % d), i))
    k = 0
    while left > 0 and order:
        out[order[k % len(order)]] += 1
        left -= 1
        k += 1
    return out


def group_key_order(key):
    category, p = key
    return (CATEGORY_ORDER.index(category), -(p if p is not None else -1))


def compute(request):
    """The numbers of SPEC.md §5 for a valid request with lines."""
    data = request["data"]
    items = data["items"]
    totals, parts = [], {}
    for i, item in enumerate(items):
        kind, p = treatment(item)
        t = line_total(item)
        totals.append(t)
        if kind == "vat_margin":
            m = qepik(item["itemMarginSum"])
            parts.setdefault(("vat_margin", p), []).append((i, m))
            parts.setdefault(("margin_remainder", None), []).append((i, t - m))
        else:
            parts.setdefault((kind, p), []).append((i, t))
    line_tax = [0] * len(items)
    groups = []
    for key in sorted(parts, key=group_key_order):
        category, p = key
        members = parts[key]
        gross = sum(g for _, g in members)
        n, d = fraction(category, p or 0, gross)
        tax = round_half_up(n, d)
        shares = allocate(tax, [fraction(category, p or 0, g)[0] for _, g in members], d)
        for (i, _), share in zip(members, shares):
            line_tax[i] += share
        groups.append({"category": category, "percent": p, "gross": gross, "tax": tax})
    total = sum(totals)
    z = lambda k: qepik(data[k]) if data.get(k) is not None else 0  # noqa: E731
    deferred = z("prepaymentSum") + z("creditSum") if request["doc_type"] == "sale" else 0
    s = total - deferred
    # §5.4: the counted part spread over the groups by largest remainder.
    if s == total:
        counted = [dict(g) for g in groups]
    else:
        weights = [s * g["gross"] for g in groups]
        parts_now = allocate(s, weights, max(total, 1))
        counted = []
        for g, c in zip(groups, parts_now):
            n, d = fraction(g["category"], g["percent"] or 0, c)
            counted.append({"category": g["category"], "percent": g["percent"], "gross": c, "tax": round_half_up(n, d)})
    cash = z("cashSum")
    if data.get("incomingSum") is not None:
        tendered = qepik(data["incomingSum"])
    elif data.get("changeSum") is not None:
        tendered = cash + qepik(data["changeSum"])
    else:
        tendered = cash
    change = tendered - cash if request["doc_type"] in ("sale", "prepay", "creditpay") else 0
    by_rate = {}
    for g in counted:
        by_rate[g["percent"]] = by_rate.get(g["percent"], 0) + g["gross"]
    vat_amounts = sorted(
        ((p, v) for p, v in by_rate.items() if v != 0),
        key=lambda pv: (pv[0] is None, -(pv[0] or 0)),
    )
    return {
        "lines": [{"total": money(t), "tax": money(x)} for t, x in zip(totals, line_tax)],
        "total": money(total),
        "sum": money(s),
        "taxGroups": [present(g) for g in groups],
        "countedTaxGroups": [present(g) for g in counted],
        "taxTotal": money(sum(g["tax"] for g in groups)),
        "change": money(change),
        "vatAmounts": [
            ({"vatPercent": str(Decimal(p) / 100).rstrip("0").rstrip(".") if p else "0", "vatSum": money(v)} if p is not None else {"vatSum": money(v)})
            for p, v in vat_amounts
        ],
    }


def present(g):
    out = {"taxTreatment": g["category"], "gross": money(g["gross"]), "tax": money(g["tax"])}
    if g["percent"] is not None:
        out["percent"] = str(Decimal(g["percent"]) / 100).rstrip("0").rstrip(".") if g["percent"] else "0"
    return out
