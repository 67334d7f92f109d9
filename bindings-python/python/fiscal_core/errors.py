"""Exceptions of ``fiscal_core``: one base class, one subclass per family of error codes.

Every exception the engine raises carries its stable error code (SPEC.md §9):

- ``code``: the stable name, e.g. ``"line_total_mismatch"`` — match on this, never on text;
- ``number``: its number, e.g. ``132``;
- ``rule``: the rule it enforces, e.g. ``"RC-05"``;
- ``problems``: every problem found, as ``Problem(code, path, message)`` tuples (a request
  reports all of its problems at once; other errors carry one).

The family is the code's category in the engine's code table (SPEC.md §9,
``ErrorCode::category``), mapped in one place (``to_py_err`` in the native module):
``ValidationError`` for ``request`` codes (100–199 but ``malformed_json``), ``StateError`` for
``device`` codes (200–269 but the others), ``CryptoError`` for ``crypto`` codes (signatures,
keys and fiscal IDs: 201, 204, 241, 262, 270) and ``FormatError`` for ``format`` codes
(unreadable input: 101, 200, 260, 261). ``error_codes()`` lists every code with its family.
"""

from __future__ import annotations

from typing import Any, Iterable, Literal, NamedTuple

__all__ = [
    "CertificateExpiresSoon",
    "CryptoError",
    "FiscalError",
    "FloatAmountError",
    "FormatError",
    "Problem",
    "StateError",
    "ValidationError",
]


class Problem(NamedTuple):
    """One problem: its stable code, where (a JSON path such as ``items[2].itemPrice``; empty
    for the whole request) and a message for people."""

    code: str
    path: str
    message: str


class FiscalError(Exception):
    """Base class of every error the engine reports."""

    code: str
    number: int
    rule: str
    problems: list[Problem]
    message: str

    def __init__(
        self,
        message: str,
        code: str,
        number: int,
        rule: str,
        problems: Iterable[tuple[str, str, str]] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.number = number
        self.rule = rule
        self.problems = [Problem(*p) for p in problems]

    def __str__(self) -> str:
        return self.message

    def operator_message(self, language: Literal["az", "en"] = "az") -> str:
        """The short sentence for the operator's screen for this error's code, in ``"az"``
        (the legal language) or ``"en"``; the same text as C's ``fc_status_message``. It
        carries no detail: show it, and log ``message`` and ``problems``."""
        from fiscal_core import _native

        return _native.error_message(self.code, language)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, message={self.message!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            type(self),
            (self.message, self.code, self.number, self.rule, [tuple(p) for p in self.problems]),
        )


class ValidationError(FiscalError):
    """A request breaks the rules (codes 100–199): every problem is in ``problems``."""


class StateError(FiscalError):
    """The device refuses the operation in its present state (codes 200–269): PIN, shift,
    certificate validity, upload limits, references…"""


class CryptoError(FiscalError):
    """A signature, key or fiscal ID does not check out: ``certificate_signature``,
    ``key_mismatch``, ``reference_not_authentic``, ``wrong_fiscal_id``, ``bad_signature``."""


class FormatError(FiscalError):
    """Input that cannot be read: ``malformed_json``, ``invalid_certificate``,
    ``invalid_state``, ``invalid_document``."""


class FloatAmountError(ValidationError, TypeError):
    """A ``float`` in a request. Binary floating point cannot hold 0.10 exactly; amounts are
    ``decimal.Decimal``, ``int`` or ``str``. Code ``wrong_type``; ``path`` says where, as the
    engine's problems do (``items[0].itemPrice``: a member of ``data`` named from ``data``)."""

    def __init__(self, path: str, value: float) -> None:
        from fiscal_core import _native

        # One path style (issue #21): the request is walked from its root, the engine names a
        # member of `data` from `data` (and an envelope member by its name).
        if path.startswith("data."):
            path = path[len("data."):]
        number, rule, _family = _native.error_code("wrong_type")
        message = (
            f"{path} is the float {value!r}: give amounts as decimal.Decimal or str "
            f"(e.g. Decimal({str(value)!r})), never float; a request read from a file: pass "
            f"its text as it is, or load it with json.load(f, parse_float=decimal.Decimal)"
        )
        super().__init__(message, "wrong_type", number, rule, [("wrong_type", path, message)])
        self.path = path
        self.value = value

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.value))


class CertificateExpiresSoon(UserWarning):
    """The device's certificate expires within 7 days (NM-08): every document issued then
    carries this warning, and the user must be told."""
