#!/usr/bin/env python3
"""Audit mode: checks a journal that a vendor's kassa produced for a published scripted
scenario (spec/audit/*.json) and reports every deviation (spec/README.md, "Audit mode").

    python3 spec/tools/harness/runner.py --audit spec/audit/shop-day.json --journal JOURNAL \\
        --authority KEY [--name NAME] [--json FILE] [--junit FILE]

What is checked, step by step:

1. The journal as a whole, with this engine's verifier (`fiscal_core.verify_journal`): the
   certificate against the authority key, every signature, fiscal ID, number, chain link,
   time, shift and refund rule (SPEC.md §15–§16). Every finding is a deviation.
2. The scenario's documents: from the first shift opened in the journal (or the one given with
   --from), each step must be the next document, of the kind the step asks for (RC-15), with
   the shift's receipt counter one more than the last (RC-06), with the numbers that the
   independent reference (spec/tools/references/reference.py, Python `decimal`) computes from the step's
   request: line totals and taxes (RC-05), tax groups, `sum` (RC-10), change (RC-12), VAT
   amounts; and, where the step refers to an earlier step's receipt, that receipt's fiscal ID
   (RC-17, RC-18). A cash document carries the step's `sum`; a cancel carries the voided
   receipt's.
3. The Z-report that closes the shift (PK-02): its receipt count, and per kind the count and
   the `sum`, against what the scenario's steps add up to.

A document the scenario does not ask for, a step with no document, and documents after the
last step are deviations too. The JSON and JUnit reports carry one case per step (0 for the
journal as a whole), like the vector families.

`--play` is the other side, for demonstrations and tests: it performs the scenario on this
engine (a reference kassa) and writes the journal, optionally with a fault (--fault
skip:N | price:N | extra:N | swap:N), so that a lab can see what each deviation looks like.
"""
from __future__ import annotations

import json
import re
import sys
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent  # spec/tools/harness
sys.path.insert(0, str(HERE.parent / "references"))
sys.path.insert(0, str(HERE.parent / "adapters"))
import reference  # noqa: E402  (independent money math, SPEC.md §5)
from adapter_fiscal_core import output  # noqa: E402  (engine JSON form → protocol numbers)

PLACEHOLDER = re.compile(r"^\{\{step:(\d+)\}\}$")
RECEIPT_KINDS = {"sale", "money_back", "rollback", "prepay", "creditpay", "correction"}
CASH_KINDS = {"deposit", "withdraw"}
KIND_OF_OP = {"openShift": "open_shift", "closeShift": "zreport"}


def substitute(value: Any, ids: dict[int, str]) -> Any:
    """The request with each "{{step:N}}" replaced by the fiscal ID of step N's document."""
    if isinstance(value, dict):
        return {k: substitute(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute(v, ids) for v in value]
    if isinstance(value, str):
        m = PLACEHOLDER.match(value)
        if m:
            return ids.get(int(m.group(1)), "0" * 12)
    return value


def step_kind(step: dict[str, Any]) -> str:
    if step["op"] == "issue":
        return str(step["request"]["doc_type"])
    return KIND_OF_OP[step["op"]]


def expected_numbers(step: dict[str, Any]) -> dict[str, Any] | None:
    """The reference's numbers for a receipt step with items; None for other steps."""
    if step["op"] != "issue" or "items" not in step["request"]["data"]:
        return None
    return reference.compute(substitute(step["request"], {}))


def referenced_ids(data: dict[str, Any]) -> list[str]:
    out = []
    if "parentDocument" in data:
        out.append(str(data["parentDocument"]))
    out.extend(str(p) for p in data.get("parents", []))
    return out


def same_id(printed: str, full: str) -> bool:
    """A reference may be the long fiscal ID or its 12-character short form (SPEC.md §13.3)."""
    return len(printed) >= 12 and full.startswith(printed.lower())


def audit(script: dict[str, Any], journal_text: str, authority_hex: str,
          start: int | None = None) -> list[dict[str, Any]]:
    """One result per step (and step 0 for the journal as a whole): {step, do, rules,
    deviations: [text]}."""
    import fiscal_core  # the verifier and the document reader of this engine

    results: list[dict[str, Any]] = []
    report = fiscal_core.verify_journal(journal_text, fiscal_core.PublicKey.from_hex(authority_hex))
    results.append({
        "step": 0, "do": "the journal verifies (signatures, chain, numbering, rules)",
        "rules": ["NM-02", "NM-03", "NM-06", "NM-09", "NM-11"],
        "deviations": [f"{f.rule} {f.code}: {f.message}"
                       + (f" (document {f.document_number})" if f.document_number else "")
                       for f in report.findings],
    })
    docs = []
    for line in journal_text.splitlines()[1:]:
        if not line.strip():
            continue
        try:
            docs.append(fiscal_core.Document.from_json(line).as_dict())
        except fiscal_core.FiscalError:
            continue  # already a finding of step 0
    first = next((k for k, d in enumerate(docs)
                  if d["kind"] == "open_shift" and (start is None or d["number"] >= start)), len(docs))
    steps = script["steps"]
    assign, extras, order = align(steps, docs, first)
    ids = {steps[n]["step"]: docs[k]["fiscal_id"] for n, k in assign.items()}
    per_kind: dict[str, list[Decimal]] = {}
    receipts = 0
    for n, step in enumerate(steps):
        dev: list[str] = [f"document {docs[k]['number']} ({docs[k]['kind']}) is not in the scenario"
                          for k in extras.get(n, [])]
        rules = ["NM-03", "RC-15"]
        want = step_kind(step)
        # The Z-report is checked against what the scenario asks for, done or not.
        if want in RECEIPT_KINDS:
            receipts += 1
        if step["op"] == "issue":
            per_kind.setdefault(want, []).append(scenario_amount(step, steps))
        if n in order:
            dev.append(f"done in the wrong order: after step {steps[order[n]]['step']}")
        if n not in assign:
            dev.append(f"no {want} document for this step")
            results.append({"step": step["step"], "do": step["do"], "rules": rules, "deviations": dev})
            continue
        doc = docs[assign[n]]
        if doc["kind"] != want:
            dev.append(f"document {doc['number']} is a {doc['kind']}, the step asks for a {want}")
        data = doc["content"].get("data", {}) if isinstance(doc["content"], dict) else {}
        if step["op"] == "issue":
            req = step["request"]["data"]
            exp = expected_numbers(step)
            if exp is not None:
                rules += ["RC-05", "RC-10", "RC-12", "RC-14"]
                got = numbers(doc) or {}
                for key in ("lines", "sum", "taxGroups", "countedTaxGroups", "taxTotal", "change", "vatAmounts"):
                    if got.get(key) != exp.get(key):
                        dev.append(f"{key}: expected {json.dumps(exp.get(key), ensure_ascii=False)}, "
                                   f"found {json.dumps(got.get(key), ensure_ascii=False)}")
            elif "sum" in req:
                amount = Decimal(str(req["sum"]))
                if str(data.get("sum")) == "None" or Decimal(str(data.get("sum"))) != amount:
                    dev.append(f"sum: expected {amount}, found {data.get('sum')} (RC-10)")
            if step.get("references"):
                rules.append("RC-18" if want == "creditpay" else "RC-17")
                given = references_of(doc)
                for ref_step in step["references"]:
                    full = ids.get(ref_step)
                    if full is None:
                        dev.append(f"cannot check the reference to step {ref_step}: it has no document")
                    elif not any(same_id(g, full) for g in given):
                        dev.append(f"does not refer to the receipt of step {ref_step} ({full[:12]}); refers to {given}")
        elif step["op"] == "closeShift":
            rules += ["PK-02", "RC-06"]
            z = doc["content"]
            if z.get("receipts") != receipts:
                dev.append(f"Z-report counts {z.get('receipts')} receipts, the scenario issued {receipts}")
            kinds = {k["kind"]: k for k in z.get("kinds", [])}
            for kind, amounts in sorted(per_kind.items()):
                k = kinds.get(kind)
                total = sum(amounts, Decimal(0))
                if k is None:
                    dev.append(f"Z-report has no {kind} total (expected {len(amounts)} for {total})")
                elif k.get("count") != len(amounts) or Decimal(str(k.get("sum"))) != total:
                    dev.append(f"Z-report {kind}: {k.get('count')} for {k.get('sum')}, "
                               f"expected {len(amounts)} for {total:.2f}")
            for kind in sorted(set(kinds) - set(per_kind)):
                dev.append(f"Z-report has {kind} totals the scenario did not issue")
        results.append({"step": step["step"], "do": step["do"], "rules": sorted(set(rules)), "deviations": dev})
    if extras.get(len(steps)):
        extra = ", ".join(f"{docs[k]['number']} ({docs[k]['kind']})" for k in extras[len(steps)][:10])
        results[0]["deviations"].append(f"documents after the scenario's last step: {extra}")
    if first == len(docs):
        results[0]["deviations"].append("the journal has no shift opened where the scenario starts")
    return results


def scenario_amount(step: dict[str, Any], steps: list[dict[str, Any]]) -> Decimal:
    """The `sum` a step's document carries: the reference's for a receipt with items, the
    step's own for a cash document, the voided receipt's for a cancel."""
    exp = expected_numbers(step)
    if exp is not None:
        return Decimal(str(exp["sum"]))
    if "sum" in step["request"]["data"]:
        return Decimal(str(step["request"]["data"]["sum"]))
    parent = next((s for s in steps if s["step"] in step.get("references", [])), None)
    pexp = expected_numbers(parent) if parent else None
    return Decimal(str(pexp["sum"])) if pexp else Decimal(0)


def numbers(doc: dict[str, Any]) -> dict[str, Any] | None:
    """A receipt's numbers in the protocol's form, or None for a document without items."""
    data = doc["content"].get("data", {}) if isinstance(doc["content"], dict) else {}
    return output(data) if "items" in data else None


def references_of(doc: dict[str, Any]) -> list[str]:
    content = doc["content"]
    data = content.get("data", {})
    given = referenced_ids(data)
    request = content.get("request")
    if isinstance(request, dict):
        given += referenced_ids(request.get("data", {}))
    return given


def matches(step: dict[str, Any], doc: dict[str, Any]) -> bool:
    """The document is the step's: the same kind and, for a receipt with items, the numbers."""
    if doc["kind"] != step_kind(step):
        return False
    exp = expected_numbers(step)
    got = numbers(doc)
    return exp is None or (got is not None and got["lines"] == exp["lines"] and got["sum"] == exp["sum"])


def align(steps: list[dict[str, Any]], docs: list[dict[str, Any]], first: int,
          window: int = 5) -> tuple[dict[int, int], dict[int, list[int]], dict[int, int]]:
    """Matches the scenario's steps to the journal's documents from index `first`: (step →
    document, step → documents not in the scenario found before it (key len(steps): after the
    last step), step → the step it was done after when two were swapped)."""
    assign: dict[int, int] = {}
    extras: dict[int, list[int]] = {}
    order: dict[int, int] = {}
    n, i = 0, first
    while n < len(steps) and i < len(docs):
        if matches(steps[n], docs[i]):
            assign[n] = i
            n, i = n + 1, i + 1
            continue
        if (n + 1 < len(steps) and i + 1 < len(docs)
                and matches(steps[n + 1], docs[i]) and matches(steps[n], docs[i + 1])):
            assign[n], assign[n + 1] = i + 1, i
            order[n] = n + 1
            n, i = n + 2, i + 2
            continue
        k = next((k for k in range(1, window) if i + k < len(docs) and matches(steps[n], docs[i + k])), 0)
        j = next((j for j in range(1, window) if n + j < len(steps) and matches(steps[n + j], docs[i])), 0)
        if k and (not j or k <= j):
            extras.setdefault(n, []).extend(range(i, i + k))
            i += k
        elif j:
            n += j  # steps n .. n+j-1 have no document
        elif docs[i]["kind"] == step_kind(steps[n]):
            assign[n] = i  # the step's document, with different numbers
            n, i = n + 1, i + 1
        else:
            extras.setdefault(n, []).append(i)
            i += 1
    if i < len(docs):
        extras.setdefault(len(steps), []).extend(range(i, len(docs)))
    return assign, extras, order


def play(script: dict[str, Any], journal: Path, fault: str | None = None) -> str:
    """Performs the scenario on this engine and writes the journal; returns the authority's
    public key (hex). Test keys from fixed seeds (SPEC.md §16)."""
    from fiscal_core import _demo
    from fiscal_core import Device, PrivateKey

    authority = PrivateKey.from_seed(_demo.AUTHORITY_SEED)
    key = PrivateKey.from_seed(_demo.DEVICE_SEED)
    certificate = _demo.demo_certificate(authority, key)
    t = datetime(2026, 11, 23, 8, tzinfo=timezone(timedelta(hours=4)))
    device, activation = Device.activate(certificate, authority.public_key(), key, _demo.PIN, t)
    docs = [activation]
    kind, _, arg = (fault or "").partition(":")
    target = int(arg) if arg else -1
    steps = list(script["steps"])
    if kind == "swap":
        k = next(j for j, s in enumerate(steps) if s["step"] == target)
        steps[k], steps[k + 1] = steps[k + 1], steps[k]
    by_step: dict[int, Any] = {}
    for step in steps:
        if kind == "skip" and step["step"] == target:
            continue
        t += timedelta(minutes=3)
        if step["op"] == "openShift":
            doc = device.open_shift(t)
        elif step["op"] == "closeShift":
            doc = device.close_shift(t)
        else:
            request = json.loads(json.dumps(step["request"]))
            if kind == "price" and step["step"] == target:
                request["data"]["items"][0]["itemPrice"] = str(Decimal(str(request["data"]["items"][0]["itemPrice"])) + Decimal("0.01"))
                for pay in ("cashSum", "cashlessSum"):
                    if pay in request["data"]:
                        request["data"][pay] = str(Decimal(str(request["data"][pay])) + Decimal(str(request["data"]["items"][0].get("itemQuantity", 1))) * Decimal("0.01"))
                        break
            if any(r not in by_step for r in step.get("references", [])):
                continue  # what it refers to was not done: neither is this step
            ids = {n: d.short_id for n, d in by_step.items()}
            refs = [by_step[r] for r in step["references"]] if "references" in step else []
            doc = device.issue(substitute(request, ids), t, references=refs)
        by_step[step["step"]] = doc
        docs.append(doc)
        if kind == "extra" and step["step"] == target:
            t += timedelta(minutes=1)
            docs.append(device.issue({"doc_type": "sale", "data": {"cashier": "X", "items": [
                {"itemName": "Su", "itemQuantity": 1, "itemPrice": "1.00", "itemVatPercent": 18}],
                "cashSum": "1.00"}}, t))
    journal.write_text("\n".join([certificate.to_journal_line()] + [d.to_json() for d in docs]) + "\n",
                       encoding="utf-8")
    return authority.public_key().hex()
