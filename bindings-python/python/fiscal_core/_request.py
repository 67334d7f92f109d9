"""Requests as JSON text, exactly: floats refused, decimals written as exact strings."""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal
from typing import Any, Mapping, Union

from fiscal_core.errors import FloatAmountError

#: What ``Device.issue`` takes: a dict in the JSON shape of SPEC.md §8, or its JSON text.
RequestLike = Union[Mapping[str, Any], str, bytes]


_MARK = "\x00decimal\x00"
# The marker as json.dumps escapes it, around plain decimal text.
_MARKED = re.compile(r'"\\u0000decimal\\u0000(-?[0-9]+(?:\.[0-9]+)?)\\u0000decimal\\u0000"')


def _exact(value: Any, path: str) -> Any:
    if isinstance(value, float):
        raise FloatAmountError(path or "the request", value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{path or 'the request'}: {value} is not a finite decimal")
        # Plain decimal text (no exponent), which the engine reads exactly (SPEC.md §3.2,
        # §8.3). Marked here and written as a bare JSON number below, so that a Decimal given
        # where text belongs (a name) is a type error, not quietly a name "1.20".
        return _MARK + format(value, "f") + _MARK
    if isinstance(value, Mapping):
        return {k: _exact(v, f"{path}.{k}" if path else str(k)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_exact(v, f"{path}[{i}]") for i, v in enumerate(value)]
    return value


def request_json(request: RequestLike) -> str:
    """The JSON text of a request given as a dict (or already as JSON text).

    Amounts may be ``decimal.Decimal``, ``int`` or ``str``; a ``float`` anywhere raises
    ``FloatAmountError`` (a ``ValidationError`` and a ``TypeError``) naming its path, before
    anything is serialized; so does a NaN or infinite ``Decimal`` (``ValueError``). Decimals are
    written as bare JSON numbers in plain decimal notation (``0.10``, never ``1E-1``), which
    the engine reads from their text, exactly; a ``Decimal`` where text belongs is a type
    error the engine reports.
    """
    if isinstance(request, str):
        return request
    if isinstance(request, (bytes, bytearray)):
        return bytes(request).decode("utf-8")
    if not isinstance(request, Mapping):
        raise TypeError(f"a request is a dict or JSON text, not {type(request).__name__}")
    text = json.dumps(_exact(request, ""), ensure_ascii=False, separators=(",", ":"))
    return _MARKED.sub(r"\1", text)


def validate_request(request: RequestLike, date: Union[datetime.date, str]) -> dict[str, Any]:
    """Validates a request without a device, for a date (a ``datetime.date`` or
    ``"YYYY-MM-DD"``; the rates in force in Baku that day), and returns it as a dict in the JSON
    form of SPEC.md §8.4: every computed member filled in (``itemSum``, ``itemTaxSum``, ``sum``,
    ``changeSum``, ``vatAmounts``, ``taxGroups``, ``countedTaxGroups``), decimals as
    ``decimal.Decimal``. Raises ``ValidationError`` with every problem when it is invalid.
    """
    from fiscal_core import _native

    day = date if isinstance(date, str) else date.isoformat()
    text = _native.validate_request(request_json(request), day)
    out: dict[str, Any] = json.loads(text, parse_float=Decimal)
    return out
