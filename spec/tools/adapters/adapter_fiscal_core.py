#!/usr/bin/env python3
"""Example adapter: this engine, through its Python module, speaking the runner protocol
(spec/README.md, "The runner protocol"). A vendor's adapter does the same for their kassa:
read one JSON line, run the request through the implementation, write one JSON line.

    python3 spec/tools/adapters/adapter_fiscal_core.py [--break rounding|line-tax|skip|no-notices|…]

The --break modes exist to show that the suite catches a wrong implementation: `rounding`
rounds half to even instead of half up (SPEC.md §3.4), `line-tax` rounds tax per line instead
of once per group (§5.3), `skip` answers "skip" for every case; the other families' modes are
in their modules (adapter_scenarios.py, adapter_journals.py, adapter_dialects.py).
"""
from __future__ import annotations

import json
import sys
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import Any

import fiscal_core

CENT = Decimal("0.01")


def money(d: Any) -> str:
    return str(Decimal(str(d)).quantize(CENT))


def percent(d: Any) -> str:
    n = Decimal(str(d)).normalize()
    return format(n, "f")


def output(data: dict[str, Any]) -> dict[str, Any]:
    """The protocol's numbers from the engine's JSON form (SPEC.md §8.4)."""
    def group(g: dict[str, Any]) -> dict[str, Any]:
        out = {"taxTreatment": g["taxTreatment"], "gross": money(g["gross"]), "tax": money(g["tax"])}
        if "percent" in g:
            out["percent"] = percent(g["percent"])
        return out

    def vat(v: dict[str, Any]) -> dict[str, Any]:
        out = {"vatSum": money(v["vatSum"])}
        if "vatPercent" in v:
            out["vatPercent"] = percent(v["vatPercent"])
        return out

    items = data["items"]
    groups = [group(g) for g in data["taxGroups"]]
    return {
        "lines": [{"total": money(i["itemSum"]), "tax": money(i["itemTaxSum"])} for i in items],
        "total": money(sum((Decimal(str(i["itemSum"])) for i in items), Decimal(0))),
        "sum": money(data["sum"]),
        "taxGroups": groups,
        "countedTaxGroups": [group(g) for g in data["countedTaxGroups"]],
        "taxTotal": money(sum((Decimal(g["tax"]) for g in groups), Decimal(0))),
        "change": money(data.get("changeSum", 0)),
        "vatAmounts": [vat(v) for v in data["vatAmounts"]],
    }


def broken(mode: str, request: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    """Recomputes some numbers the wrong way, as a faulty kassa would."""
    items = request["data"].get("items", [])
    if mode == "rounding":
        # Half to even instead of half up: line totals (when computed) and group taxes.
        for line, item in zip(out["lines"], items):
            if "itemSum" not in item:
                exact = Decimal(str(item["itemQuantity"])) * Decimal(str(item["itemPrice"]))
                line["total"] = str(exact.quantize(CENT, rounding=ROUND_HALF_EVEN))
        for g in out["taxGroups"]:
            if "percent" in g and g["taxTreatment"] in ("vat", "vat_margin", "simplified"):
                p, gross = Decimal(g["percent"]), Decimal(g["gross"])
                exact = gross * p / (100 if g["taxTreatment"] == "simplified" else 100 + p)
                g["tax"] = str(exact.quantize(CENT, rounding=ROUND_HALF_EVEN))
    elif mode == "line-tax":
        # Tax rounded per line, the group tax the sum of the lines.
        for line, item in zip(out["lines"], items):
            p = Decimal(str(item.get("itemVatPercent", 0)))
            kind = item.get("taxTreatment", "simplified" if p in (2, 8) else "vat")
            total = Decimal(line["total"])
            if kind == "vat_exempt" or "itemVatPercent" not in item or kind == "vat_margin":
                continue
            exact = total * p / (100 if kind == "simplified" else 100 + p)
            line["tax"] = str(exact.quantize(CENT, rounding=ROUND_HALF_UP))
        taxed = sum((Decimal(l["tax"]) for l in out["lines"]), Decimal(0))
        out["taxTotal"] = str(taxed.quantize(CENT, rounding=ROUND_HALF_UP))
    return out


def answer(message: dict[str, Any], mode: str | None) -> dict[str, Any]:
    tc = message["tcId"]
    if mode == "skip":
        return {"tcId": tc, "result": "skip", "reason": "this adapter skips everything"}
    family = message.get("family")
    if family == "scenario":
        import adapter_scenarios  # spec/tools/adapters/adapter_scenarios.py

        return adapter_scenarios.answer(message, mode)
    if family in ("encoding", "journal"):
        import adapter_journals  # spec/tools/adapters/adapter_journals.py

        return adapter_journals.answer(message, mode)
    if family in ("dialects", "exchanges"):
        import adapter_dialects  # spec/tools/adapters/adapter_dialects.py

        return adapter_dialects.answer(message, mode)
    if family != "math":
        return {"tcId": tc, "result": "skip", "reason": f"family {message.get('family')} not supported"}
    try:
        request = message["input"]
        # A string is the request's text exactly as sent (notes: text); anything else that is
        # not a request object is handed to the engine as its JSON text.
        if not isinstance(request, (dict, str)):
            request = json.dumps(request)
        data = fiscal_core.validate_request(request, message["date"])["data"]
    except fiscal_core.FiscalError as e:  # invalid (every problem), or not a request at all
        return {"tcId": tc, "result": "invalid", "errors": sorted({p.code for p in e.problems} or {e.code})}
    out = output(data)
    if mode in ("rounding", "line-tax"):
        out = broken(mode, message["input"], out)
    return {"tcId": tc, "result": "valid", "output": out}


def dumps(value: Any) -> str:
    """JSON text with every decimal written exactly as it was read (a canonical request's
    amounts are JSON numbers with their scale, SPEC.md §8.4: never turned into floats)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return "{" + ",".join(json.dumps(str(k), ensure_ascii=False) + ":" + dumps(v) for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(dumps(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def main() -> int:
    mode = sys.argv[sys.argv.index("--break") + 1] if "--break" in sys.argv else None
    for line in sys.stdin:
        if not line.strip():
            continue
        message = json.loads(line, parse_float=Decimal)  # decimals exactly, never floats
        try:
            reply = answer(message, mode)
        except Exception as e:  # an adapter must answer every line
            reply = {"tcId": message.get("tcId"), "result": "error", "errors": [f"adapter: {e}"]}
        sys.stdout.write(dumps(reply) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
