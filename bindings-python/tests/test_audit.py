"""Audit mode (spec/tools/harness/audit.py through spec/tools/harness/runner.py --audit): a journal that a kassa
produced for the published scenario spec/audit/shop-day.json is checked step by step.

The journals come from this engine playing the scenario (`--play`), faithfully or with one
fault. Which steps each fault must break is worked out here from the scenario's text, not
from the audit's code: a skipped step has no document and the Z-report misses its totals; a
price typed differently changes that receipt's numbers and the Z-report's sales; an extra
receipt is not in the scenario and inflates the Z-report; two steps swapped are out of order,
and nothing else differs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from fiscal_core import PrivateKey

ROOT = Path(__file__).resolve().parents[2]
RUNNER = ROOT / "spec" / "tools" / "harness" / "runner.py"
SCENARIO = ROOT / "spec" / "audit" / "shop-day.json"


def runner(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(RUNNER), "--audit", str(SCENARIO), *args],
                          capture_output=True, text=True, timeout=300)


def play(tmp: Path, fault: str | None = None) -> Path:
    journal = tmp / "journal.jsonl"
    extra = ["--fault", fault] if fault else []
    assert runner("--play", str(journal), *extra).returncode == 0
    return journal


def audit(journal: Path, authority: Path, tmp: Path) -> tuple[int, dict[int, str]]:
    """(exit code, step → deviations text) of the failing steps, from the JSON report."""
    report = tmp / "audit.json"
    junit = tmp / "audit.xml"
    proc = runner("--journal", str(journal), "--authority", str(authority), "--quiet",
                  "--name", "reference kassa", "--json", str(report), "--junit", str(junit))
    data: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    assert data["implementation"] == "reference kassa"
    assert junit.read_text(encoding="utf-8").count("<testcase") == len(data["cases"])
    return proc.returncode, {c["tcId"]: c["message"] for c in data["cases"] if c["verdict"] == "fail"}


def test_the_faithful_kassa_has_no_deviation(tmp_path: Path) -> None:
    journal = play(tmp_path)
    code, failing = audit(journal, Path(f"{journal}.authority"), tmp_path)
    steps = json.loads(SCENARIO.read_text(encoding="utf-8"))["steps"]
    assert (code, failing) == (0, {})
    assert len(journal.read_text(encoding="utf-8").splitlines()) == 1 + 1 + len(steps)  # cert, activation


@pytest.mark.parametrize(("fault", "expected"), [
    ("skip:8", {8: ["no money_back document"], 12: ["counts 7 receipts, the scenario issued 8", "no money_back total"]}),
    ("skip:11", {11: ["no withdraw document"], 12: ["no withdraw total"]}),
    # Step 8 returns from step 3: without step 3 it cannot be done either.
    ("skip:3", {3: ["no sale document"], 8: ["no money_back document"],
                12: ["counts 6 receipts", "sale: 3 for 213.50, expected 4 for 226.44"]}),
    # Çörək at 0.61 instead of 0.60: 2 × 0.61 = 1.22, VAT 18/118 of the 4.96 group = 0.76.
    ("price:3", {3: ['"total": "1.22"', 'sum: expected "12.94", found "12.96"', 'taxTotal: expected "0.84", found "0.85"'],
                 12: ["sale: 4 for 226.46, expected 4 for 226.44"]}),
    ("extra:5", {6: ["(sale) is not in the scenario"], 12: ["counts 9 receipts", "sale: 5 for 227.44"]}),
    ("swap:8", {8: ["wrong order: after step 9"]}),
])
def test_each_fault_breaks_exactly_the_steps_it_touches(tmp_path: Path, fault: str, expected: dict[int, list[str]]) -> None:
    journal = play(tmp_path, fault)
    code, failing = audit(journal, Path(f"{journal}.authority"), tmp_path)
    assert code == 1
    assert set(failing) == set(expected)
    for step, fragments in expected.items():
        for fragment in fragments:
            assert fragment in failing[step], (step, fragment, failing[step])


def test_a_tampered_journal_is_reported_by_the_verifier_and_the_steps(tmp_path: Path) -> None:
    journal = play(tmp_path)
    lines = journal.read_text(encoding="utf-8").splitlines()
    # Line 6 is document 5: the advance of step 4 (activation 1, open 2, deposit 3, sale 4).
    assert json.loads(lines[5])["number"] == 5
    tampered = tmp_path / "tampered.jsonl"
    tampered.write_text("\n".join(lines[:5] + lines[6:]) + "\n", encoding="utf-8")
    code, failing = audit(tampered, Path(f"{journal}.authority"), tmp_path)
    assert code == 1
    # The kassa's own Z-report is untouched and still what the scenario adds up to.
    assert set(failing) == {0, 4, 5}
    assert "number_gap" in failing[0] and "document 5 is missing" in failing[0]
    assert "no prepay document" in failing[4]
    assert "cannot check the reference to step 4" in failing[5]


def test_another_authority_key_fails_the_journal_check(tmp_path: Path) -> None:
    journal = play(tmp_path)
    other = tmp_path / "other.authority"
    other.write_text(PrivateKey.from_seed(b"another authority").public_key().hex() + "\n", encoding="ascii")
    code, failing = audit(journal, other, tmp_path)
    assert code == 1 and set(failing) == {0}
    assert "certificate" in failing[0]


def test_a_key_that_is_not_a_key_is_a_usage_error(tmp_path: Path) -> None:
    journal = play(tmp_path)
    proc = runner("--journal", str(journal), "--authority", "02" + "11" * 32)
    assert proc.returncode == 2 and "cannot audit" in proc.stderr


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert runner("--journal", str(tmp_path / "missing.jsonl"), "--authority", "00").returncode == 2
    assert runner("--journal", str(tmp_path / "x")).returncode == 2
