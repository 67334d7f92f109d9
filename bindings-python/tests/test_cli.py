"""The ``fiscal-core`` command-line tool: verify, show, demo; exit codes 0 / 1 / 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Till

from fiscal_core.cli import main


@pytest.fixture
def files(day: Till, tmp_path: Path) -> tuple[Path, Path]:
    journal = tmp_path / "journal.jsonl"
    journal.write_text(day.journal(), encoding="utf-8")
    key = tmp_path / "authority.hex"
    key.write_text(day.authority.public_key().hex() + "\n", encoding="ascii")
    return journal, key


def test_verify_valid(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    journal, key = files
    assert main(["verify", str(journal), "--authority", str(key)]) == 0
    out = capsys.readouterr()
    assert "VALID" in out.out and "14 documents" in out.out and out.err == ""
    # What completeness is checked against (SPEC.md §15.3): the Z-report of shift 1, 18:00.
    z = journal.read_text().splitlines()[-1]
    z_id = json.loads(z)["id"]
    assert f"  last document: 14 (2026-11-23T18:00:00+04:00), fiscal ID {z_id}\n" in out.out
    assert "  last shift: 1, closed by its Z-report\n" in out.out
    assert main(["verify", str(journal), "--authority", str(key), "--json", "--workers", "1"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report == {"valid": True, "lines": 15, "documents": 14, "receipts": 8,
                      "last_number": 14, "last_fiscal_id": z_id,
                      "last_time": "2026-11-23T18:00:00+04:00", "last_time_ms": 1795442400000,
                      "last_shift": 1, "last_shift_closed": True, "findings": [],
                      "findings_dropped": 0}
    assert main(["verify", str(journal), "--authority", str(key), "--json", "--low-memory"]) == 0
    assert json.loads(capsys.readouterr().out) == report


def test_verify_findings(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    journal, key = files
    lines = journal.read_text().splitlines()
    del lines[5]
    journal.write_text("\n".join(lines) + "\n")
    assert main(["verify", str(journal), "--authority", str(key)]) == 1
    out = capsys.readouterr().out
    assert "INVALID" in out and "line 6, document 6: number_gap (NM-03)" in out
    assert main(["verify", str(journal), "--authority", str(key), "--json"]) == 1
    first = json.loads(capsys.readouterr().out)["findings"][0]
    assert first == {"code": "number_gap", "code_number": 271, "rule": "NM-03",
                     "document_number": 6, "line": 6, "message": "document 5 is missing"}


def test_verify_an_empty_or_cut_journal(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    # A failed export (nothing, or the certificate line alone) does not pass: exit 1.
    journal, key = files
    lines = journal.read_text().splitlines()
    for text in ["", lines[0] + "\n"]:
        journal.write_text(text)
        assert main(["verify", str(journal), "--authority", str(key)]) == 1
        out = capsys.readouterr().out
        assert "INVALID — 1 finding" in out and "journal: empty_journal (NM-03)" in out
        assert "  last document: none (no document with the device's signature)\n" in out
        assert main(["verify", str(journal), "--authority", str(key), "--json"]) == 1
        report = json.loads(capsys.readouterr().out)
        assert [f["code"] for f in report["findings"]] == ["empty_journal"]
        assert (report["last_number"], report["last_shift"], report["last_shift_closed"]) == (
            None, None, False)
    # Cut inside the shift (documents 1–9): valid, and it says the shift is open.
    journal.write_text("\n".join(lines[:10]) + "\n")
    assert main(["verify", str(journal), "--authority", str(key)]) == 0
    out = capsys.readouterr().out
    assert "  last document: 9 (2026-11-23T09:07:00+04:00)" in out
    assert "  last shift: 1, open (the journal ends inside it)\n" in out


def test_verify_usage_and_unreadable_input(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journal, key = files
    bad_key = tmp_path / "bad.hex"
    bad_key.write_text("not hex")
    assert main(["verify", str(tmp_path / "missing"), "--authority", str(key)]) == 2
    assert main(["verify", str(journal), "--authority", str(tmp_path / "missing")]) == 2
    assert main(["verify", str(journal), "--authority", str(bad_key)]) == 2
    bad_key.write_bytes(b"\xff\xfe")
    assert main(["verify", str(journal), "--authority", str(bad_key)]) == 2
    assert main(["verify", str(journal)]) == 2  # --authority is required
    assert main(["verify", str(journal), "--authority", str(key), "--workers", "0"]) == 2
    assert main(["verify", str(tmp_path), "--authority", str(key)]) == 2  # a directory
    assert main([]) == 2
    assert main(["--help"]) == 0
    err = capsys.readouterr().err
    assert "cannot read the journal" in err and "does not hold a P-256 public key" in err


def test_show(day: Till, files: tuple[Path, Path], tmp_path: Path,
              capsys: pytest.CaptureFixture[str]) -> None:
    journal, _ = files
    doc = tmp_path / "doc.json"
    doc.write_text(day.documents[3].to_json() + "\n")
    svg = tmp_path / "qr.svg"
    assert main(["show", str(doc), "--qr-svg", str(svg)]) == 0
    out = capsys.readouterr().out
    assert day.documents[3].short_id in out and "SATIŞ ÇEKİ" in out and "1.20" in out
    # The engine's layout without a certificate: no taxpayer or kassa rows.
    assert "VÖEN" not in out and "FİSKAL REJİM" in out
    assert svg.read_text().startswith("<?xml")
    assert main(["show", str(doc), "--certificate", str(journal), "--width", "32"]) == 0
    printed = capsys.readouterr().out
    assert "VÖEN" in printed and "1234567891" in printed
    assert max(len(line) for line in printed.splitlines()) <= 32
    assert main(["show", str(doc), "--certificate", str(journal), "--format", "html",
                 "--language", "en"]) == 0
    assert "<html" in capsys.readouterr().out.lower()
    # The width rule is the engine's: 24 to 200, refused outside, never clamped.
    assert main(["show", str(doc), "--width", "23"]) == 2
    assert main(["show", str(doc), "--certificate", str(journal), "--width", "201"]) == 2
    assert "[out_of_range]" in capsys.readouterr().err
    assert main(["show", str(doc), "--width", "24", "--language", "en"]) == 0
    assert max(len(line) for line in capsys.readouterr().out.splitlines()[:-1]) <= 24
    bad = tmp_path / "bad.json"
    for content in (b"garbage\n", b"\xff\xfe\n", (day.journal()).encode(), b""):
        bad.write_bytes(content)
        assert main(["show", str(bad)]) == 2
    assert main(["show", str(tmp_path / "missing")]) == 2
    assert main(["show", str(doc), "--certificate", str(doc)]) == 2  # not a certificate line


def test_demo_story_and_generated_journal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    journal = tmp_path / "demo.jsonl"
    assert main(["demo", "--journal", str(journal), "--no-qr"]) == 0
    out = capsys.readouterr().out
    assert "14 documents, 8 receipts, 0 findings: VALID" in out
    assert "[NM-03 number_gap] document 5 is missing" in out
    key = Path(str(journal) + ".authority")
    assert main(["verify", str(journal), "--authority", str(key)]) == 0
    capsys.readouterr()
    big = tmp_path / "big.jsonl"
    assert main(["demo", "--journal", str(big), "--journal-size", "50"]) == 0
    assert len(big.read_text().splitlines()) == 51
    assert main(["verify", str(big), "--authority", str(big) + ".authority", "--json"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["documents"] == 50


def test_console_script_and_module(files: tuple[Path, Path]) -> None:
    journal, key = files
    script = Path(sys.executable).parent / "fiscal-core"
    assert script.exists(), "the console script is installed with the package"
    run = subprocess.run(
        [str(script), "verify", str(journal), "--authority", str(key)],
        capture_output=True, text=True, check=False,
    )
    assert run.returncode == 0 and "VALID" in run.stdout
    assert run.stderr == ""  # stderr is not a terminal: no progress bar
    mod = subprocess.run([sys.executable, "-m", "fiscal_core", "--help"],
                         capture_output=True, text=True, check=False)
    assert mod.returncode == 0 and "verify" in mod.stdout
