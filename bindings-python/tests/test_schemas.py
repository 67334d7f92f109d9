"""Every JSON output of the command-line tool and the conformance runner follows its schema in
spec/schemas/ (draft 2020-12), and every schema there is itself a valid schema (issue #21)."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import Till
from jsonschema import Draft202012Validator

from fiscal_core.cli import _parser, main

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "spec" / "schemas"
SAMPLES = ROOT / "spec" / "dialects" / "samples"
HARNESS = ROOT / "spec" / "tools" / "harness"
#: The schema of each command that has `--json` (the command's words as typed).
SCHEMA_OF = {
    ("verify",): "verify-report.schema.json",
    ("validate",): "validate-reading.schema.json",
}
#: `fiscal-core fleet COMMAND --json` has spec/schemas/fleet-COMMAND-*.schema.json (tests/test_fleet.py
#: validates its outputs against them).
FLEET_SCHEMAS = SCHEMAS


def validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


def check(name: str, value: Any) -> None:
    errors = sorted(validator(name).iter_errors(value), key=lambda e: list(e.path))
    assert not errors, f"{name}: " + "; ".join(
        f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors[:5]
    )


def test_every_schema_is_a_valid_draft_2020_12_schema() -> None:
    names = sorted(p.name for p in SCHEMAS.glob("*.schema.json"))
    fleet = {p.name for p in SCHEMAS.glob("fleet-*.schema.json")}
    assert names == sorted({*SCHEMA_OF.values(), "runner-report.schema.json", *fleet})
    for name in names:
        schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema", name
        Draft202012Validator.check_schema(schema)


def _commands_with_json(parser: argparse.ArgumentParser, words: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    found: set[tuple[str, ...]] = set()
    for action in parser._actions:
        if "--json" in action.option_strings:
            found.add(words)
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found |= _commands_with_json(sub, (*words, name))
    return found


def test_every_json_option_of_the_cli_has_a_schema() -> None:
    """A command that gains `--json` gains a schema too (and a case that checks its output)."""
    commands = _commands_with_json(_parser())
    fleet = {c for c in commands if c[:1] == ("fleet",)}
    assert commands - fleet == set(SCHEMA_OF)
    for command in sorted(fleet):
        found = sorted(FLEET_SCHEMAS.glob(f"fleet-{command[-1]}-*.schema.json"))
        assert len(found) == 1, f"fiscal-core {' '.join(command)} --json has no schema"
        schema = json.loads(found[0].read_text(encoding="utf-8"))
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema", found[0]
        Draft202012Validator.check_schema(schema)


def test_verify_json_follows_its_schema(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    journal, key = files
    lines = journal.read_text(encoding="utf-8").splitlines()
    cases = {
        "valid": lines,
        "a document removed": lines[:5] + lines[6:],
        "certificate alone": lines[:1],
        "a CR line end": [*lines[:3], lines[3] + "\r", *lines[4:]],
    }
    for what, text in cases.items():
        journal.write_text("\n".join(text) + "\n", encoding="utf-8")
        code = main(["verify", str(journal), "--authority", str(key), "--json"])
        out = capsys.readouterr().out
        assert code == (0 if what == "valid" else 1), what
        assert out.endswith("\n") and out.count("\n") == 1, what
        check("verify-report.schema.json", json.loads(out))


def test_validate_json_follows_its_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    samples = sorted(str(p) for p in SAMPLES.glob("*.json") if "response" not in p.name)
    assert len(samples) > 100
    not_utf8 = tmp_path / "latin1.json"
    not_utf8.write_bytes(b'{"doc_type": "sale", "data": {"cashier": "J\xfcrgen"}}')
    missing = tmp_path / "missing.json"
    files = [*samples, str(not_utf8), str(missing)]
    for policy in ("deployed", "strict"):
        assert main(["validate", "--json", "--date", "2026-11-23", "--policy", policy, *files]) == 2
        lines = capsys.readouterr().out.splitlines()
        assert len(lines) == len(files)
        readings = [json.loads(line) for line in lines]
        for reading in readings:
            check("validate-reading.schema.json", reading)
        assert {r["ok"] for r in readings} == {True, False}
        assert {p["code"] for p in readings[-1]["problems"]} == {"unreadable"}


def _runner(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(HARNESS / "runner.py"), *args],
        capture_output=True, text=True, timeout=300, check=False,
    )


def test_runner_json_report_follows_its_schema(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    run = _runner("--run", "math/1*", "--run", "journals/2*", "--quiet", "--json", str(report))
    assert run.returncode == 0, run.stdout + run.stderr
    data = json.loads(report.read_text(encoding="utf-8"))
    check("runner-report.schema.json", data)
    assert data["totals"]["pass"] == len(data["cases"]) > 10


def test_runner_audit_json_report_follows_its_schema(tmp_path: Path) -> None:
    scenario = ROOT / "spec" / "audit" / "shop-day.json"
    journal, report = tmp_path / "kassa.jsonl", tmp_path / "audit.json"
    assert _runner("--audit", str(scenario), "--play", str(journal), "--fault", "price:3").returncode == 0
    run = _runner("--audit", str(scenario), "--journal", str(journal),
                  "--authority", f"{journal}.authority", "--quiet", "--json", str(report))
    assert run.returncode == 1, run.stdout + run.stderr  # the fault is a deviation
    data = json.loads(report.read_text(encoding="utf-8"))
    check("runner-report.schema.json", data)
    assert data["totals"]["fail"] >= 1 and data["cases"][0]["tcId"] == 0


def test_the_schemas_refuse_what_the_tools_never_write() -> None:
    """The schemas are not vacuous: a missing member, an extra one, a wrong type is refused."""
    report = {"documents": 1, "findings": [], "findings_dropped": 0, "last_fiscal_id": None,
              "last_number": None, "last_shift": None, "last_shift_closed": False,
              "last_time": None, "last_time_ms": None, "lines": 1, "receipts": 0,
              "unchecked": [], "unchecked_total": 0, "valid": True}
    verify = validator("verify-report.schema.json")
    assert verify.is_valid(report)
    assert not verify.is_valid({**report, "extra": 1})
    assert not verify.is_valid({k: v for k, v in report.items() if k != "valid"})
    assert not verify.is_valid({**report, "last_time": "2026-11-23 09:00"})
    refused = {"file": "a.json", "dialect": None, "notices": [], "ok": False, "operation": None,
               "policy": "deployed", "problems": [{"code": "unreadable", "message": "gone",
                                                   "number": None, "path": "", "rule": None}]}
    reading = validator("validate-reading.schema.json")
    assert reading.is_valid(refused)
    assert not reading.is_valid({**refused, "ok": True})
    assert not reading.is_valid({**refused, "problems": []})
    assert not reading.is_valid({**refused, "policy": "lenient"})
