"""The conformance runner (spec/tools/harness/runner.py) against the example adapter, and against
deliberately broken adapters: each must fail exactly the cases its fault touches, which the
tests work out here from the vectors, independently of the engine."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
RUNNER = ROOT / "spec" / "tools" / "harness" / "runner.py"
ADAPTER = ROOT / "spec" / "tools" / "adapters" / "adapter_fiscal_core.py"
CENT = Decimal("0.01")


def run(*args: str, tmp: Path) -> tuple[int, dict[str, Any]]:
    report = tmp / "report.json"
    proc = subprocess.run(
        [sys.executable, str(RUNNER), "--quiet", "--json", str(report), *args,
         *([] if "--run" in args else ["--run", "math/*"])],
        capture_output=True, text=True, timeout=600,
    )
    data: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    return proc.returncode, data


def adapter(*extra: str) -> str:
    return " ".join([sys.executable, str(ADAPTER), *extra])


def vectors() -> list[dict[str, Any]]:
    doc = json.loads((ROOT / "spec" / "vectors" / "math.json").read_text(encoding="utf-8"), parse_float=Decimal)
    tests: list[dict[str, Any]] = doc["testGroups"][0]["tests"]
    return tests


def failed(report: dict[str, Any]) -> set[int]:
    return {c["tcId"] for c in report["cases"] if c["verdict"] == "fail"}


def test_the_example_adapter_passes_every_case_and_reports(tmp_path: Path) -> None:
    junit = tmp_path / "report.xml"
    code, report = run("--name", "fiscal-core (Python module)", "--junit", str(junit), tmp=tmp_path)
    n = len(vectors())
    assert code == 0
    assert report["totals"] == {"pass": n, "fail": 0, "skip": 0}
    assert report["implementation"] == "fiscal-core (Python module)" and report["suiteVersion"] == "1"
    assert {c["verdict"] for c in report["cases"]} == {"pass"}
    suite = ET.parse(junit).getroot()
    assert suite.get("tests") == str(n) and suite.get("failures") == "0"
    assert len(suite.findall("testcase")) == n


def half_even_differs(exact: Decimal) -> bool:
    return exact.quantize(CENT, ROUND_HALF_UP) != exact.quantize(CENT, ROUND_HALF_EVEN)


def test_wrong_rounding_fails_exactly_the_cases_with_a_tie_it_rounds_the_other_way(tmp_path: Path) -> None:
    # Worked out here from the vectors: a valid case is affected when a computed line total or
    # a group tax is an exact half qəpik whose half-even rounding differs from half-up.
    affected = set()
    for t in vectors():
        if t["result"] != "valid":
            continue
        for item in t["input"]["data"]["items"]:
            if "itemSum" not in item and half_even_differs(Decimal(str(item["itemQuantity"])) * Decimal(str(item["itemPrice"]))):
                affected.add(t["tcId"])
        for g in t["expected"]["taxGroups"]:
            if g["taxTreatment"] in ("vat", "vat_margin", "simplified") and "percent" in g:
                p, gross = Decimal(g["percent"]), Decimal(g["gross"])
                if half_even_differs(gross * p / (100 if g["taxTreatment"] == "simplified" else 100 + p)):
                    affected.add(t["tcId"])
    assert {7, 9} <= affected and 8 not in affected  # the handcrafted midpoints
    code, report = run("--adapter", adapter("--break", "rounding"), tmp=tmp_path)
    assert code == 1
    assert failed(report) == affected


def test_per_line_tax_rounding_fails_the_allocation_cases(tmp_path: Path) -> None:
    code, report = run("--adapter", adapter("--break", "line-tax"), tmp=tmp_path)
    assert code == 1
    bad = failed(report)
    # SPEC.md §10.4: 100 lines of 0.01 at 18% — per line 0.00, by group 0.15.
    assert 4 in bad
    # Faults in tax rounding never touch an invalid case's verdict.
    invalid = {t["tcId"] for t in vectors() if t["result"] == "invalid"}
    assert not bad & invalid
    # A case with a single taxed line per group is unaffected: its line tax is the group tax.
    for t in vectors():
        if t["result"] == "valid" and len(t["input"]["data"]["items"]) == 1 and "itemMarginSum" not in t["input"]["data"]["items"][0]:
            assert t["tcId"] not in bad, t["comment"]


def test_skipping_is_not_passing(tmp_path: Path) -> None:
    code, report = run("--adapter", adapter("--break", "skip"), tmp=tmp_path)
    assert code == 1 and report["totals"]["pass"] == 0 and report["totals"]["skip"] == len(vectors())
    code, report = run("--adapter", adapter("--break", "skip"), "--allow-skip", "--run", "math/1*", tmp=tmp_path)
    assert code == 0 and report["totals"]["pass"] == 0


def test_an_adapter_that_dies_at_start_is_exit_2_at_once(tmp_path: Path) -> None:
    """Issue #21: an adapter that stops before answering anything (a missing module, a wrong
    path) is "cannot be started" (exit 2, as documented), not restarted for every case."""
    # The message is built at run time, so the command line itself does not hold it.
    dies = f"{sys.executable} -c \"import sys; sys.stderr.write('no module ' + 'here'); sys.exit(3)\""
    proc = subprocess.run(
        [sys.executable, str(RUNNER), "--quiet", "--adapter", dies, "--run", "math/*"],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("no module here") == 1, proc.stderr
    assert "cannot start the adapter" in proc.stderr


def test_the_report_says_when_and_against_which_vectors(tmp_path: Path) -> None:
    """Issue #21: the JSON report has a timestamp and the SHA-256 of every vector file."""
    import hashlib

    code, report = run("--run", "math/1", tmp=tmp_path)
    assert code == 0
    assert report["finishedAt"].endswith("+00:00")
    files = report["vectorFiles"]
    math = ROOT / "spec" / "vectors" / "math.json"
    assert files["math.json"] == hashlib.sha256(math.read_bytes()).hexdigest()
    assert {"scenarios.json", "journals.json", "encoding.json", "dialects.json"} <= set(files)


def test_every_family_passes_against_the_example_adapter(tmp_path: Path) -> None:
    # The whole suite, as a lab runs it: every vector file, one report.
    files = sorted((ROOT / "spec" / "vectors").glob("*.json"))
    expected: dict[str, int] = {}
    for f in files:
        doc = json.loads(f.read_text(encoding="utf-8"))
        family = doc["schema"].split("/")[1]
        expected[family] = sum(len(g["tests"]) for g in doc["testGroups"])
    assert set(expected) == {"math", "scenario", "encoding", "journal", "dialects", "exchanges"}
    code, report = run("--run", "*", tmp=tmp_path)
    assert code == 0
    got: dict[str, int] = {}
    for c in report["cases"]:
        assert c["verdict"] == "pass", c
        got[c["family"]] = got.get(c["family"], 0) + 1
    assert got == expected
    assert report["totals"] == {"pass": sum(expected.values()), "fail": 0, "skip": 0}


def dialect_cases() -> list[dict[str, Any]]:
    doc = json.loads((ROOT / "spec" / "vectors" / "dialects.json").read_text(encoding="utf-8"))
    return [t for g in doc["testGroups"] for t in g["tests"]]


def test_a_reader_that_says_nothing_of_its_leniencies_fails_exactly_the_cases_with_notices(tmp_path: Path) -> None:
    # Worked out from the vectors: a reading that drops every notice passes a refused case and an
    # accepted one without notices, and fails each accepted case that has one; an exchange fails
    # when one of its steps had notices.
    cases = dialect_cases()
    affected = {t["tcId"] for t in cases if t["result"] == "accepted" and t["expected"]["notices"]}
    assert affected and len(affected) < len(cases)
    code, report = run("--adapter", adapter("--break", "no-notices"), "--run", "dialects/*", tmp=tmp_path)
    assert code == 1
    assert failed(report) == affected
    exchanges = json.loads((ROOT / "spec" / "vectors" / "dialect_exchanges.json").read_text(encoding="utf-8"))
    noticed = {t["tcId"] for t in exchanges["testGroups"][0]["tests"]
               if any(s["notices"] for s in t["expected"]["steps"])}
    code, report = run("--adapter", adapter("--break", "no-notices"), "--run", "exchanges/*", tmp=tmp_path)
    assert code == (1 if noticed else 0)
    assert failed(report) == noticed


def test_the_dialect_cases_carry_how_the_text_is_read(tmp_path: Path) -> None:
    # The adapter gets the text exactly as sent and the test's dialect, policy, endpoint and
    # date: an adapter that echoes its message back shows what a lab's adapter receives.
    echo = tmp_path / "echo.py"
    echo.write_text(
        "import json, sys\n"
        "for line in sys.stdin:\n"
        "    m = json.loads(line)\n"
        "    print(json.dumps({'tcId': m['tcId'], 'result': 'skip', 'reason': json.dumps(m)}), flush=True)\n",
        encoding="utf-8",
    )
    code, report = run("--adapter", f"{sys.executable} {echo}", "--run", "dialects/552", tmp=tmp_path)
    (case,) = report["cases"]
    message = json.loads(case["message"])
    (want,) = [t for t in dialect_cases() if t["tcId"] == 552]
    assert message["family"] == "dialects" and message["input"] == want["input"]
    assert "\\u0073um" in message["input"]  # the escape is sent as written, not decoded
    assert {k: message[k] for k in ("dialect", "policy", "operation", "date")} == {
        "dialect": "auto", "policy": "deployed", "operation": "kas_sale", "date": want["date"]}
