"""Requests as deployed POS software sends them (SPEC.md §8): AirConn, NBA, Omnisoft /
OmniTech, e-Kassam ``kas_*`` bodies and this engine's own form, read by the engine.

``read_request`` recognises the dialect (or is told it), tells the operation — a document to
issue, with its canonical request, or a control call (login, open shift, X-report, close
shift, shift status, get info, last document) — and returns every notice: what the
``deployed`` policy accepted that the specification would not, and each vendor member read
or left aside. A refused request raises the engine's error (``ValidationError`` for a
request's problems), with the dialect, operation and notices found before.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date as _date
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple, Optional, Union

from fiscal_core import _native, errors
from fiscal_core.results import NoticeDict, ReadingDict

__all__ = [
    "DIALECTS",
    "POLICIES",
    "Handled",
    "Notice",
    "Reading",
    "read_request",
    "read_request_dict",
    "read_request_json",
]

#: The dialect names ``read_request`` takes (``"auto"`` recognises the envelope).
DIALECTS = ("auto", "fiscal-core", "airconn", "nba", "omnitech", "ekassam")
#: The policies: ``"deployed"`` accepts what the deployed tokens accept, each leniency a
#: notice; ``"strict"`` is the specification as written.
POLICIES = ("deployed", "strict")


class Notice(NamedTuple):
    """One notice: its stable code and number, where (the member's path), a message for
    people and the rule it touches."""

    code: str
    path: str
    message: str
    rule: str
    number: int


@dataclass(frozen=True)
class Reading:
    """A request read: its dialect, policy and operation, the canonical request (a document's,
    in the JSON form of SPEC.md §8.4 with ``Decimal`` amounts; for a control call
    ``{"operation", "pin_given", "user"}``), the ``prev_doc_number`` guard, the amounts a
    cancel carried (checked against the voided receipt when issued) and every notice."""

    dialect: str
    policy: str
    operation: str
    request: dict[str, Any]
    notices: list[Notice] = field(default_factory=list)
    expected_previous: Optional[int] = None
    claimed: dict[str, Decimal] = field(default_factory=dict)

    @property
    def is_document(self) -> bool:
        """True when the request asks for a document (not a control call)."""
        return "doc_type" in self.request


class Handled(NamedTuple):
    """A request carried out by ``Device.handle``: the answer in the request's dialect (JSON
    text, what goes back to the POS program), the document issued (append its journal line
    and save the state before sending the answer), the notices, the error of a refusal (or
    ``None``) and the dialect recognised."""

    response: str
    document: Optional[Any]
    notices: list[Notice]
    error: Optional[BaseException]
    dialect: str

    @property
    def ok(self) -> bool:
        """True when the request was carried out."""
        return self.error is None

    def response_dict(self) -> dict[str, Any]:
        """The answer as a dict (numbers with a fraction as ``Decimal``)."""
        out: dict[str, Any] = json.loads(self.response, parse_float=Decimal)
        return out


def _notices(raw: list[NoticeDict]) -> list[Notice]:
    return [Notice(n["code"], n["path"], n["message"], n["rule"], n["number"]) for n in raw]


def _today() -> str:
    return datetime.now(_native.BAKU).date().isoformat()


def read_request_dict(
    text: Union[str, bytes],
    dialect: str = "auto",
    policy: str = "deployed",
    *,
    operation: Optional[str] = None,
    date: Union[_date, str, None] = None,
) -> ReadingDict:
    """The engine's description of the reading (SPEC.md §8.6) as a dict, accepted or not
    (``ok`` tells which): what ``fiscal-core validate --json`` prints. Arguments as
    ``read_request``."""
    result: ReadingDict = json.loads(
        read_request_json(text, dialect, policy, operation=operation, date=date),
        parse_float=Decimal,
    )
    return result


def read_request_json(
    text: Union[str, bytes],
    dialect: str = "auto",
    policy: str = "deployed",
    *,
    operation: Optional[str] = None,
    date: Union[_date, str, None] = None,
) -> str:
    """``read_request_dict``'s description as the engine writes it: JSON text, members in
    byte order, the canonical request's amounts as JSON numbers with their scale."""
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode("utf-8")
    day = _today() if date is None else date if isinstance(date, str) else date.isoformat()
    result: str = _native.read_request_json(text, dialect, policy, operation, day)
    return result


def read_request(
    text: Union[str, bytes],
    dialect: str = "auto",
    policy: str = "deployed",
    *,
    operation: Optional[str] = None,
    date: Union[_date, str, None] = None,
) -> Reading:
    """Reads ``text`` exactly as its POS program sent it.

    ``dialect`` is one of ``DIALECTS`` (``"auto"`` recognises the envelope); ``policy``
    ``"deployed"`` or ``"strict"``; ``operation`` the endpoint a ``kas_*`` body was posted to
    (``"kas_sale"``) or the operation expected; ``date`` the day whose rates apply (default:
    today in Baku). Raises the engine's error when the request is refused (its ``problems``
    each with code, path and message; ``dialect``, ``operation`` and ``notices`` attributes
    say what was recognised before), ``ValueError`` for an unknown dialect or policy and
    ``UnicodeDecodeError`` for bytes that are not UTF-8."""
    out = read_request_dict(text, dialect, policy, operation=operation, date=date)
    notices = _notices(out["notices"])
    if not out["ok"]:
        problems = [(p["code"], p["path"], p["message"]) for p in out["problems"]]
        first = out["problems"][0]
        number, rule, family = _native.error_code(first["code"])
        message = f"[{first['code']}] {first['path'] + ': ' if first['path'] else ''}{first['message']}"
        if len(problems) > 1:
            message += f" (and {len(problems) - 1} more)"
        cls = getattr(errors, family)
        error: errors.FiscalError = cls(message, first["code"], number, rule, problems)
        error.dialect = out["dialect"]  # type: ignore[attr-defined]
        error.operation = out["operation"]  # type: ignore[attr-defined]
        error.notices = notices  # type: ignore[attr-defined]
        raise error
    return Reading(
        dialect=out["dialect"],
        policy=out["policy"],
        operation=out["operation"],
        request=out["request"],
        notices=notices,
        expected_previous=out["expected_previous"],
        claimed={k: Decimal(v) for k, v in out["claimed"].items()},
    )
