"""The dialect families of the runner protocol (spec/README.md), over this engine's Python module.
`adapter_fiscal_core.py` hands every message with `"family": "dialects"` or `"exchanges"` to
`answer()`.

- dialects: `input` is a request's wire text exactly as its POS program sent it; the message
  also carries `dialect` (auto or a name), `policy` (deployed | strict), `operation` (the
  endpoint of a kas_* body, or null) and `date`. The reply is `accepted` with {dialect,
  operation, request, notices [{code, path}], expected_previous, claimed}, or `refused` with
  {dialect, operation, problems [{code, path}]} — here `fiscal_core.dialects.read_request_dict`,
  exactly `describe::reading`'s JSON. A lab's adapter for a vendor's token does the same with
  what the token (or its vendor's reader) says of the text: which dialect and operation, what it
  accepted and how (the notices are this engine's codes, SPEC.md §8.6; a token that reports none
  answers `skip` for the cases whose expected notices it cannot give).
- exchanges: the group's `device` (keys from seeds, the certificate's fields, the PIN, the QR
  base) is activated at `input.activateAt`, then each step's text is carried out with
  `Device.handle` at its moment; the reply lists, for each step, the dialect, the answer exactly
  as written, the error code of a refusal, the document issued ({number, kind}) and the notices.
  `{{base58:N}}` in a text stands for this run's document N's long Base58 fiscal ID. A lab's
  adapter sends each text to the token (its clock set to `at`) and writes back what it answered.

Broken mode (`--break no-notices`): a reader that accepts what the deployed policy accepts but
says nothing of it — every notice dropped — so exactly the accepted cases with notices fail.
"""
from __future__ import annotations

import re
from typing import Any

from fiscal_core import Device
from fiscal_core.dialects import read_request_dict
from fiscal_core.errors import FiscalError

import adapter_scenarios  # spec/tools/adapters/adapter_scenarios.py: the device from seeds

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58(raw: bytes) -> str:
    """Bitcoin Base58 of `raw` (SPEC.md §8.8)."""
    n = int.from_bytes(raw, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = B58[r] + out
    return "1" * (len(raw) - len(raw.lstrip(b"\0"))) + out


def code_paths(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"code": x["code"], "path": x["path"]} for x in items]


def reading(message: dict[str, Any], mode: str | None) -> dict[str, Any]:
    tc = message["tcId"]
    out = read_request_dict(message["input"], message["dialect"], message["policy"],
                            operation=message.get("operation"), date=message["date"])
    if out["ok"]:
        notices = [] if mode == "no-notices" else code_paths(out["notices"])
        return {"tcId": tc, "result": "accepted", "output": {
            "dialect": out["dialect"], "operation": out["operation"], "request": out["request"],
            "notices": notices, "expected_previous": out["expected_previous"], "claimed": out["claimed"],
        }}
    return {"tcId": tc, "result": "refused", "output": {
        "dialect": out["dialect"], "operation": out["operation"], "problems": code_paths(out["problems"]),
    }}


def exchange(message: dict[str, Any], mode: str | None) -> dict[str, Any]:
    tc = message["tcId"]
    device, steps_in = message["device"], message["input"]
    cert, authority, key = adapter_scenarios.certificate(device)
    dev, first = Device.activate(cert, authority.public_key(), key, device["pin"],
                                 adapter_scenarios.moment(steps_in["activateAt"]), qr_base=device["qrBase"])
    docs = [first]
    steps = []
    for s in steps_in["steps"]:
        text = re.sub(r"\{\{base58:(\d+)\}\}", lambda m: base58(bytes.fromhex(docs[int(m.group(1)) - 1].fiscal_id)),
                      s["text"])
        refs = [docs[int(n) - 1] for n in s["references"]]
        h = dev.handle(text, adapter_scenarios.moment(s["at"]), dialect=s["dialect"], policy=s["policy"],
                       operation=s["operation"], references=refs, cashier=s["cashier"])
        issued = None
        if h.document is not None:
            docs.append(h.document)
            issued = {"number": h.document.number, "kind": h.document.kind}
        error = h.error.code if isinstance(h.error, FiscalError) else (None if h.error is None else str(h.error))
        steps.append({
            "dialect": h.dialect, "answer": h.response, "error": error, "issued": issued,
            "notices": [] if mode == "no-notices" else [{"code": n.code, "path": n.path} for n in h.notices],
        })
    return {"tcId": tc, "result": "valid", "output": {"steps": steps}}


def answer(message: dict[str, Any], mode: str | None) -> dict[str, Any]:
    if message["family"] == "dialects":
        return reading(message, mode)
    return exchange(message, mode)
