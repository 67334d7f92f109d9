"""Requests as JSON text, exactly: floats refused, decimals written as exact strings."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, Mapping, Union

from fiscal_core.errors import FloatAmountError

#: What ``Device.issue`` takes: a dict in the JSON shape of SPEC.md §8, or its JSON text.
RequestLike = Union[Mapping[str, Any], str, bytes]


def _exact(value: Any, path: str) -> Any:
    if isinstance(value, float):
        raise FloatAmountError(path or "the request", value)
    if isinstance(value, Decimal):
        # Plain decimal text (no exponent), which the engine reads exactly (SPEC.md §3.2, §8.3).
        return format(value, "f")
    if isinstance(value, Mapping):
        return {k: _exact(v, f"{path}.{k}" if path else str(k)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_exact(v, f"{path}[{i}]") for i, v in enumerate(value)]
    return value


def request_json(request: RequestLike) -> str:
    """The JSON text of a request given as a dict (or already as JSON text).

    Amounts may be ``decimal.Decimal``, ``int`` or ``str``; a ``float`` anywhere raises
    ``FloatAmountError`` (a ``ValidationError`` and a ``TypeError``) naming its path, before
    anything is serialized. Decimals are written as plain decimal strings, which the engine
    reads exactly.
    """
    if isinstance(request, str):
        return request
    if isinstance(request, (bytes, bytearray)):
        return bytes(request).decode("utf-8")
    if not isinstance(request, Mapping):
        raise TypeError(f"a request is a dict or JSON text, not {type(request).__name__}")
    return json.dumps(_exact(request, ""), ensure_ascii=False, separators=(",", ":"))
