"""Comparing what a kassa (or a model) gave with what a vector expects, in one place for the
harness (runner.py, check_vectors.py) and the device reference
(spec/tools/references/reference_device.py). Standard library only."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any


def dumps(value: Any) -> str:
    """JSON text with every decimal number written exactly as it was read (never a float)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return "{" + ",".join(json.dumps(str(k), ensure_ascii=False) + ":" + dumps(v) for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(dumps(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def first_difference(expected: Any, got: Any, path: str = "") -> str | None:
    """The JSON path of the first place where `got` differs from `expected`, or None."""
    if isinstance(expected, dict) and isinstance(got, dict):
        for k in list(expected) + [k for k in got if k not in expected]:
            if k not in got:
                return f"{path}.{k} missing (expected {dumps(expected[k])[:120]})"
            if k not in expected:
                return f"{path}.{k} not expected (got {dumps(got[k])[:120]})"
            d = first_difference(expected[k], got[k], f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(expected, list) and isinstance(got, list):
        for i, (e, g) in enumerate(zip(expected, got)):
            d = first_difference(e, g, f"{path}[{i}]")
            if d:
                return d
        if len(expected) != len(got):
            return f"{path}: {len(got)} items, expected {len(expected)}"
        return None
    if expected != got or type(expected) is not type(got):
        return f"{path or 'output'}: expected {dumps(expected)[:120]}, got {dumps(got)[:120]}"
    return None


def without_ids(value: Any) -> Any:
    """`value` without its `fiscalId` members (--no-ids: a kassa whose key cannot be seeded)."""
    if isinstance(value, dict):
        return {k: without_ids(v) for k, v in value.items() if k != "fiscalId"}
    if isinstance(value, list):
        return [without_ids(v) for v in value]
    return value
