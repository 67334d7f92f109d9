"""One demo story for both entry points (issue #21): `cargo run -p fiscal-core --example demo`
and `fiscal-core demo` issue the same documents — one of every kind, a correction among them —
and write them where they are told."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from fiscal_core import Document
from fiscal_core.cli import main

ROOT = Path(__file__).resolve().parents[2]
#: Every kind a shift can hold, in the story's order (README: "one document of every kind").
STORY = [
    "activation", "open_shift", "deposit", "sale", "prepay", "sale", "sale", "creditpay",
    "money_back", "sale", "rollback", "correction", "withdraw", "zreport",
]


def kinds(journal: Path) -> list[str]:
    lines = journal.read_text(encoding="utf-8").splitlines()[1:]
    return [Document.from_json(line).kind for line in lines]


def test_the_rust_and_python_demos_tell_the_same_story(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cargo = shutil.which("cargo")
    assert cargo, "needs cargo (the Rust demo is the README's first command)"
    rust, python = tmp_path / "rust", tmp_path / "python"
    # The example may need building: bounded, but generous for a cold build.
    run = subprocess.run(
        [cargo, "run", "-q", "-p", "fiscal-core", "--example", "demo", "--", "--out", str(rust)],
        cwd=ROOT, capture_output=True, text=True, timeout=900, check=False,
    )
    assert run.returncode == 0, run.stderr
    assert main(["demo", "--out", str(python)]) == 0
    printed = capsys.readouterr().out
    assert kinds(rust / "journal.jsonl") == kinds(python / "journal.jsonl") == STORY
    # The same requests at the same moments from the same seeds: the same bytes.
    for name in ("journal.jsonl", "journal.jsonl.authority", "receipt.html"):
        assert (rust / name).read_bytes() == (python / name).read_bytes(), name
    # And the same words, but for where the files went.
    assert run.stdout.replace(str(rust), "DIR") == printed.replace(str(python), "DIR")
