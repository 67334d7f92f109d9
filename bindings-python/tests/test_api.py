"""The public API: every name documented, codes and families from SPEC.md §9."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest

import fiscal_core
from fiscal_core import (
    CryptoError,
    FiscalError,
    FormatError,
    Problem,
    StateError,
    ValidationError,
    error_codes,
)

# SPEC.md §9, a few rows copied by hand: (name, number, rule).
SPEC_ROWS = [
    ("invalid_request", 100, "PK-11"),
    ("malformed_json", 101, "PK-11"),
    ("line_total_mismatch", 132, "RC-05"),
    ("missing_vehicle_plate", 170, "RC-19"),
    ("certificate_signature", 201, "NM-10"),
    ("wrong_pin", 210, "NM-07"),
    ("totals_overflow", 250, "RC-10"),
    ("invalid_state", 260, "NM-13"),
    ("wrong_fiscal_id", 262, "NM-02"),
    ("bad_signature", 270, "NM-11"),
    ("counter_mismatch", 279, "RC-06"),
]

CRYPTO = {"certificate_signature", "key_mismatch", "reference_not_authentic", "bad_signature",
          "wrong_fiscal_id"}
FORMAT = {"malformed_json", "invalid_certificate", "invalid_state", "invalid_document"}


def expected_family(name: str, number: int) -> str:
    """The issue's rule, restated independently of the implementation."""
    if name in CRYPTO:
        return "CryptoError"
    if name in FORMAT:
        return "FormatError"
    if 100 <= number <= 199:
        return "ValidationError"
    if 200 <= number <= 269:
        return "StateError"
    return "FiscalError"


def test_error_codes_follow_the_spec_and_the_families() -> None:
    table = {name: (number, rule, family) for name, number, rule, family in error_codes()}
    for name, number, rule in SPEC_ROWS:
        assert table[name][:2] == (number, rule)
    for name, (number, _, family) in table.items():
        assert family == expected_family(name, number), name
    numbers = [n for n, _, _ in table.values()]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    for cls in (ValidationError, StateError, CryptoError, FormatError):
        assert issubclass(cls, FiscalError)


def test_fiscal_error_carries_its_code() -> None:
    e = ValidationError("bad", "no_lines", 130, "RC-05", [("no_lines", "items", "no lines")])
    assert (e.code, e.number, e.rule, str(e)) == ("no_lines", 130, "RC-05", "bad")
    assert e.problems == [Problem("no_lines", "items", "no lines")]
    assert e.problems[0].path == "items"


def test_operator_messages_in_both_languages(till: Any) -> None:
    # The operator's sentences for wrong_pin (fiscal-core/src/error/messages.rs), copied by hand.
    assert fiscal_core.error_message("wrong_pin", "en") == "Wrong PIN."
    assert fiscal_core.error_message("wrong_pin") == "PIN yanlışdır."
    with pytest.raises(StateError) as caught:
        till.device.unlock("0000")
    assert caught.value.code == "wrong_pin"
    assert caught.value.operator_message("en") == "Wrong PIN."
    assert caught.value.operator_message() == "PIN yanlışdır."
    with pytest.raises(ValueError):
        fiscal_core.error_message("wrong_pin", "ru")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        fiscal_core.error_message("no_such_code", "en")


def public_members(obj: Any) -> list[tuple[str, Any]]:
    return [(n, m) for n, m in vars(obj).items() if not n.startswith("_")]


def test_every_public_name_is_documented() -> None:
    missing = []
    for name in fiscal_core.__all__:
        obj = getattr(fiscal_core, name)
        if inspect.isclass(obj) or callable(obj):
            if not (obj.__doc__ or "").strip():
                missing.append(name)
        if inspect.isclass(obj) and obj.__module__.startswith("fiscal_core"):
            for member, value in public_members(obj):
                if (callable(value) or isinstance(value, property) or inspect.isdatadescriptor(value)
                        ) and not (getattr(value, "__doc__", None) or "").strip():
                    missing.append(f"{name}.{member}")
    assert missing == []
    assert fiscal_core.__version__ == "0.1.0"
    assert str(fiscal_core.BAKU.utcoffset(None)) == "4:00:00"


def test_the_namespace_is_the_api() -> None:
    """Issue #21: `annotations` (from `from __future__ import annotations`) does not leak."""
    assert not hasattr(fiscal_core, "annotations")
    public = {n for n in dir(fiscal_core) if not n.startswith("_")}
    assert public - set(fiscal_core.__all__) <= {
        # Submodules, once imported (results: the TypedDicts of the results).
        "cli", "dialects", "email_receipt", "errors", "fleet", "results", "token"
    }, public - set(fiscal_core.__all__)


def test_the_font_notice_ships_with_the_package() -> None:
    # The receipt images embed DejaVu Sans Mono (fiscal-core's `raster` feature): its notice
    # goes with every copy, this package included; the two files must not drift apart.
    import fiscal_core

    here = Path(fiscal_core.__file__).resolve().parent / "FONT-LICENSE.txt"
    engine = Path(__file__).resolve().parents[2] / "fiscal-core" / "src" / "render" / "fonts" / "LICENSE"
    assert here.read_bytes() == engine.read_bytes()
