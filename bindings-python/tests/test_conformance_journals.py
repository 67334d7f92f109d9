"""The encoding and journal vector families (spec/vectors/encoding.json, journals.json) through
the conformance runner: the example adapter passes every case; a faulty kassa whose signatures
are high-S and whose verifier accepts bad signatures (`--break bad-signature`) fails exactly the
cases that the tests work out here from the vector files (certificates included: a faulty
authority's high-S signature, a verifier that accepts bad certificate signatures); the independent Python re-derivation
(spec/tools/references/check_encoding.py) agrees with every valid encoding vector."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import fiscal_core

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / "spec" / "tools"
RUNNER = TOOLS / "harness" / "runner.py"
ADAPTER = TOOLS / "adapters" / "adapter_fiscal_core.py"
SELECT = ["--run", "encoding/*", "--run", "journal/*"]


def run(*args: str, tmp: Path) -> tuple[int, dict[str, Any]]:
    report = tmp / "report.json"
    proc = subprocess.run(
        [sys.executable, str(RUNNER), "--quiet", "--json", str(report), *SELECT, *args],
        capture_output=True, text=True, timeout=600,
    )
    data: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, data


def adapter(*extra: str) -> str:
    return " ".join([sys.executable, str(ADAPTER), *extra])


def vectors_of(name: str) -> list[dict[str, Any]]:
    doc = json.loads((ROOT / "spec" / "vectors" / name).read_text(encoding="utf-8"))
    return [t for g in doc["testGroups"] for t in g["tests"]]


def cases(report: dict[str, Any], verdict: str) -> set[tuple[str, int]]:
    return {(c["family"], c["tcId"]) for c in report["cases"] if c["verdict"] == verdict}


def test_the_families_are_big_enough_and_cite_rules() -> None:
    enc, jou = vectors_of("encoding.json"), vectors_of("journals.json")
    assert len(enc) >= 60 and len(jou) >= 60
    assert sum(t["result"] == "valid" for t in enc) >= 40
    assert sum(t["result"] == "invalid" for t in jou) >= 60
    assert all(t["rules"] for t in enc + jou)
    kinds = {t["input"]["body"]["content"]["type"] for t in enc if t["result"] == "valid" and "body" in t["input"]}
    assert kinds == {"activation", "open_shift", "sale", "return", "cancel_request", "advance", "credit_payment",
                     "deposit", "withdraw", "correction", "cancel", "zreport", "decommission"}
    # The certificate cases (SPEC.md §12): bodies to sign and to refuse, lines to refuse.
    certs = [t for t in enc if "certificate" in t["input"] or "certificateLine" in t["input"]]
    assert sum(t["result"] == "valid" for t in certs) >= 8 and len(certs) >= 25
    assert {c for t in certs if t["result"] == "invalid" for c in t["errors"]} == {
        "invalid_certificate", "certificate_signature", "duplicate_member"}
    assert {"RC-01", "RC-02", "RC-04", "RC-07", "RC-16", "PK-07", "NM-08", "NM-09", "NM-10", "U-05"} <= {
        r for t in certs for r in t["rules"]}
    codes = {c for t in jou if t["result"] == "invalid" for c in t["errors"]}
    assert {"bad_signature", "wrong_fiscal_id", "invalid_document", "number_gap", "duplicate_document",
            "out_of_order", "broken_chain", "time_not_increasing", "zreport_mismatch", "outside_shift",
            "counter_mismatch", "cancel_outside_shift", "return_exceeds_sale", "certificate_signature",
            "certificate_expired", "unknown_reference", "content_invalid"} <= codes


def test_the_example_adapter_passes_every_encoding_and_journal_case(tmp_path: Path) -> None:
    code, report = run(tmp=tmp_path)
    n = len(vectors_of("encoding.json")) + len(vectors_of("journals.json"))
    assert code == 0
    assert report["totals"] == {"pass": n, "fail": 0, "skip": 0}
    assert {c["family"] for c in report["cases"]} == {"encoding", "journal"}


def test_a_kassa_with_bad_signatures_fails_exactly_the_cases_that_check_them(tmp_path: Path) -> None:
    # Worked out from the vector files alone: every encoded document and certificate (their
    # signature, ID or hash, QR and journal line all follow from the signature), every document
    # or certificate line a reader must refuse for its signature, and every journal whose
    # findings include a bad signature. A certificate body the engine refuses is not touched.
    affected = {("encoding", t["tcId"]) for t in vectors_of("encoding.json")
                if t["result"] == "valid"
                or {"bad_signature", "certificate_signature"} & set(t.get("errors", []))}
    affected |= {("journal", t["tcId"]) for t in vectors_of("journals.json") if "bad_signature" in t.get("errors", [])}
    assert len(affected) > 60
    code, report = run("--adapter", adapter("--break", "bad-signature"), tmp=tmp_path)
    assert code == 1
    assert cases(report, "fail") == affected
    for c in report["cases"]:
        if c["verdict"] == "fail" and c["family"] == "encoding" and c["message"].startswith("."):
            # the bytes and their SHA-256 are right; what follows from the signature is not
            assert c["message"].split(":")[0] in (".fiscalId", ".signature", ".journalLine", ".qrPayload", ".shortId",
                                                  ".hash"), c["message"]


def test_the_skip_mode_skips_everything_and_fails_the_run(tmp_path: Path) -> None:
    code, report = run("--adapter", adapter("--break", "skip"), tmp=tmp_path)
    assert code == 1
    assert report["totals"]["pass"] == 0 and report["totals"]["fail"] == 0 and report["totals"]["skip"] > 120


def test_the_independent_python_encoder_rederives_every_valid_encoding_vector() -> None:
    proc = subprocess.run([sys.executable, str(TOOLS / "references" / "check_encoding.py")], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert " 0 failed" in proc.stdout


def test_lab_sign_body_refuses_what_is_not_a_body() -> None:
    key = fiscal_core.PrivateKey.from_seed("fiscal-core test device 1")
    with pytest.raises(fiscal_core.FiscalError) as e:
        fiscal_core.Document.lab_sign_body('{"number": 1}', key)
    assert e.value.code == "invalid_document"
    # A valid encoding vector's body, in the engine's form, signs to the vector's line.
    sys.path.insert(0, str(TOOLS / "adapters"))
    try:
        adapter_journals: Any = importlib.import_module("adapter_journals")
    finally:
        sys.path.remove(str(TOOLS / "adapters"))
    t = vectors_of("encoding.json")[0]
    doc = fiscal_core.Document.lab_sign_body(adapter_journals.engine_body(t["input"]["body"]), key)
    assert doc.to_json() == t["expected"]["journalLine"]
    assert doc.verify_signature(key.public_key())
