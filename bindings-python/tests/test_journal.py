"""Journal verification (SPEC.md §13.5, §15.2): genuine journals pass; every break is
reported with its code, rule, document number and line — streamed, in parallel, without the
GIL."""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path
from typing import Any

import pytest
from conftest import Till, at

from fiscal_core import PrivateKey, PublicKey, verify_journal, verify_journal_file
from fiscal_core._demo import AUTHORITY_SEED, generate


def lines_of(till: Till) -> list[str]:
    return till.journal().splitlines()


def findings(report: Any) -> list[tuple[str, int | None, int | None]]:
    return [(f.code, f.line, f.document_number) for f in report.findings]


P256_N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


def resign_free_tamper(line: str, old: bytes, new: bytes) -> str:
    """Changes the body and recomputes the declared ID (SPEC.md §13.3) without the key: the
    line reads as a document, but its signature is no longer the device's."""
    d = json.loads(line)
    body = bytes.fromhex(d["body"])
    assert old in body
    body = body.replace(old, new, 1)
    d["body"] = body.hex()
    # The line's signature is R.x ‖ R.y ‖ s; the ID hashes r ‖ s with r = R.x mod n
    # (SPEC.md §13.2, §13.3).
    sig = bytes.fromhex(d["signature"])
    r = (int.from_bytes(sig[:32], "big") % P256_N).to_bytes(32, "big")
    d["id"] = hashlib.sha256(
        b"fiscal-core/fiscal-id/v1\x00" + body + r + sig[64:]
    ).hexdigest()
    return json.dumps(d, separators=(",", ":"))


def test_a_genuine_journal_is_valid(day: Till) -> None:
    report = verify_journal(day.journal(), day.authority.public_key())
    assert report.is_valid and report.findings == []
    # 1 certificate line + 14 documents; receipts: 4 sales, advance, instalment, return, cancel.
    assert (report.lines, report.documents, report.receipts) == (15, 14, 8)
    # The last document is the Z-report of shift 1 at 18:00 (SPEC.md §15.3).
    z = day.documents[-1]
    assert report.as_dict() == {
        "valid": True, "lines": 15, "documents": 14, "receipts": 8,
        "last_number": 14, "last_fiscal_id": z.fiscal_id, "last_time": "2026-11-23T18:00:00+04:00",
        "last_time_ms": 1795442400000, "last_shift": 1, "last_shift_closed": True,
        "findings": [], "findings_dropped": 0, "unchecked": [], "unchecked_total": 0,
    }
    assert (report.last_number, report.last_fiscal_id, report.last_time) == (14, z.fiscal_id, at(18))
    assert (report.last_shift, report.last_shift_closed) == (1, True)
    assert "valid=True" in repr(report)


def test_a_removed_document_is_caught(day: Till) -> None:
    lines = lines_of(day)
    del lines[5]  # document 5, the advance
    report = verify_journal("\n".join(lines), day.authority.public_key())
    assert not report.is_valid
    gap = report.findings[0]
    assert (gap.code, gap.code_number, gap.rule, gap.line, gap.document_number) == (
        "number_gap", 271, "NM-03", 6, 6)
    assert str(gap) == "line 6: document 6: [NM-03 number_gap] document 5 is missing"
    # Document 6 is the sale against that advance; the Z-report no longer matches its shift.
    assert report.has("unknown_reference") and report.has("counter_mismatch")
    assert findings(report)[-1] == ("zreport_mismatch", 14, 14)
    with pytest.raises(ValueError):
        report.has("no_such_code")


def test_broken_line_keeps_line_numbers_right(day: Till) -> None:
    lines = lines_of(day)
    lines[7] = '{"number":7,"id":"x'  # document 7 (line 8), cut off
    report = verify_journal("\n".join(lines), day.authority.public_key())
    assert findings(report)[:2] == [("invalid_document", 8, None), ("number_gap", 9, 8)]
    assert report.findings[0].rule == "PK-11"
    assert (report.lines, report.documents) == (15, 13)


def test_truncated_file(day: Till) -> None:
    text = day.journal()
    cut = text[: len(text) - 40]  # in the middle of the last line (the Z-report)
    report = verify_journal(cut, day.authority.public_key())
    assert findings(report) == [("invalid_document", 15, None)]
    # Cut at a line end, the verifier cannot see it (SPEC.md §15.3): only the device can.
    whole_lines = "\n".join(lines_of(day)[:-1]) + "\n"
    assert verify_journal(whole_lines, day.authority.public_key()).is_valid


def test_wrong_encodings(day: Till, tmp_path: Path) -> None:
    lines = [line.encode() for line in lines_of(day)]
    lines[3] = b"\xff\xfe not text"  # document 3
    sig_at = lines[4].index(b'"signature":"') + 20
    lines[4] = lines[4][:sig_at] + b"\xe9" + lines[4][sig_at + 1:]  # document 4: one byte
    data = b"\n".join(lines) + b"\n"
    report = verify_journal(data, day.authority.public_key())
    assert findings(report)[:3] == [
        ("invalid_document", 4, None), ("invalid_document", 5, None), ("number_gap", 6, 5)]
    assert "UTF-8" in report.findings[0].message
    path = tmp_path / "journal.jsonl"
    path.write_bytes(data)
    assert verify_journal_file(path, day.authority.public_key()).as_dict() == report.as_dict()
    # A journal saved as UTF-16 is not a journal: nothing in it is trusted, and it holds no
    # document at all.
    utf16 = verify_journal(day.journal().encode("utf-16"), day.authority.public_key())
    assert not utf16.is_valid and utf16.documents == 0
    assert {f.code for f in utf16.findings} == {"invalid_document", "empty_journal"}


def test_a_tampered_document_is_caught(day: Till) -> None:
    lines = lines_of(day)
    # The cashier of document 4 renamed, its ID recomputed: only the signature can tell.
    lines[4] = resign_free_tamper(lines[4], b"\x05Aysel", b"\x05Bysel")
    report = verify_journal("\n".join(lines), day.authority.public_key())
    # An unsigned document proves nothing: the next one finds document 4 missing.
    assert findings(report)[:2] == [("bad_signature", 5, 4), ("number_gap", 6, 5)]
    assert report.findings[0].rule == "NM-11"
    # Changed without recomputing the ID: the declared ID is wrong.
    lines = lines_of(day)
    d = json.loads(lines[4])
    d["body"] = d["body"].replace("417973656c", "427973656c")  # "Aysel" → "Bysel"
    lines[4] = json.dumps(d, separators=(",", ":"))
    report = verify_journal("\n".join(lines), day.authority.public_key())
    assert findings(report)[0] == ("wrong_fiscal_id", 5, 4)
    assert report.findings[0].rule == "NM-02"


def test_duplicates_reordering_wrong_keys(day: Till) -> None:
    key = day.authority.public_key()
    lines = lines_of(day)
    dup = verify_journal("\n".join(lines[:6] + [lines[5]] + lines[6:]), key)
    assert findings(dup) == [("duplicate_document", 7, 5)]
    swapped = lines[:5] + [lines[6], lines[5]] + lines[7:]
    report = verify_journal("\n".join(swapped), key)
    assert report.has("number_gap") and report.has("out_of_order")
    wrong = verify_journal(day.journal(), PrivateKey.from_seed(b"not the authority").public_key())
    assert findings(wrong) == [("certificate_signature", 1, None)]
    headless = verify_journal("\n".join(lines[1:]), key)
    assert findings(headless) == [("invalid_certificate", 1, 1)]


def test_a_journal_has_one_spelling(day: Till, tmp_path: Path) -> None:
    # SPEC.md §13.5: lines end with LF; a CR at a line's end, an empty line or a line of only
    # whitespace is a noncanonical_line finding, and the line's document is still read.
    key = day.authority.public_key()
    crlf = verify_journal(day.journal().replace("\n", "\r\n"), key)
    assert not crlf.is_valid and crlf.documents == 14
    assert findings(crlf) == [("noncanonical_line", 1, None)] + [
        ("noncanonical_line", n + 1, n) for n in range(1, 15)
    ]
    # Without its final LF, the same journal: the last line ends the text.
    assert verify_journal(day.journal().rstrip("\n"), key).is_valid
    # Two more LFs: the first ends line 15, the next two are empty lines 16 and 17.
    blank = verify_journal(day.journal() + "\n\n", key)
    assert blank.lines == 17 and blank.documents == 14
    assert findings(blank) == [("noncanonical_line", 16, None), ("noncanonical_line", 17, None)]
    lines = lines_of(day)
    stray = verify_journal("\n".join(lines[:4] + [lines[4] + "\r"] + lines[5:]), key)
    assert findings(stray) == [("noncanonical_line", 5, 4)]
    spaces = verify_journal("\n".join(lines[:4] + [" \t "] + lines[4:]), key)
    assert findings(spaces) == [("noncanonical_line", 5, None)] and spaces.documents == 14
    # The file reader says the same as the text reader (it keeps the CRs to report them).
    path = tmp_path / "crlf.jsonl"
    path.write_bytes(day.journal().replace("\n", "\r\n").encode())
    assert verify_journal_file(path, key).to_json() == crlf.to_json()
    assert verify_journal_file(path, key, workers=2, low_memory=True).to_json() == crlf.to_json()


def test_a_journal_without_documents_is_not_valid(day: Till) -> None:
    key = day.authority.public_key()
    cert_line = lines_of(day)[0]
    texts: list[bytes | str] = [b"", cert_line, cert_line + "\n"]
    for text in texts:
        report = verify_journal(text, key)
        assert not report.is_valid
        assert findings(report) == [("empty_journal", None, None)]
        assert report.findings[0].rule == "NM-03" and report.findings[0].code_number == 280
        assert (report.last_number, report.last_fiscal_id, report.last_time) == (None, None, None)
        assert (report.last_shift, report.last_shift_closed) == (None, False)
    blank = verify_journal("\n\n", key)
    assert findings(blank) == [
        ("noncanonical_line", 1, None), ("noncanonical_line", 2, None), ("empty_journal", None, None)
    ]
    with pytest.raises(ValueError, match="workers"):
        verify_journal(day.journal(), key, workers=0)


def test_the_report_gives_the_last_document_and_shift(day: Till, tmp_path: Path) -> None:
    # SPEC.md §15.3: what completeness is checked against. Cut after document 8 (the
    # instalment, 09:06): shift 1 is still open.
    key = day.authority.public_key()
    lines = lines_of(day)
    report = verify_journal("\n".join(lines[:9]), key)
    assert report.is_valid
    eighth = day.documents[7]
    assert (report.last_number, report.last_fiscal_id, report.last_time) == (8, eighth.fiscal_id, at(9, 6))
    assert (report.last_shift, report.last_shift_closed) == (1, False)
    assert report.as_dict()["last_time"] == "2026-11-23T09:06:00+04:00"
    # Only the activation: a document, no shift.
    first = verify_journal("\n".join(lines[:2]), key)
    assert (first.last_number, first.last_shift, first.last_shift_closed) == (1, None, False)
    # The same from a file.
    path = tmp_path / "cut.jsonl"
    path.write_text("\n".join(lines[:9]) + "\n")
    assert verify_journal_file(path, key).to_json() == report.to_json()
    with pytest.raises(TypeError):
        verify_journal(42, key)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def big_journal(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, PublicKey]:
    """9 000 documents: more than two chunks of the streaming reader (4 096 lines each)."""
    path = tmp_path_factory.mktemp("big") / "journal.jsonl"
    with open(os.devnull, "w") as out:
        generate(path, 9000, out)
    return path, PrivateKey.from_seed(AUTHORITY_SEED).public_key()


def test_generated_journal_has_the_size_asked(big_journal: tuple[Path, PublicKey]) -> None:
    path, key = big_journal
    report = verify_journal_file(path, key)
    assert report.is_valid, report.findings[:3]
    assert (report.lines, report.documents) == (9001, 9000)
    assert verify_journal_file(path, key, low_memory=True).to_json() == report.to_json()
    assert path.with_name(path.name + ".authority").read_text().strip() == key.hex()


def test_parallel_verification_finds_what_one_worker_finds(
    big_journal: tuple[Path, PublicKey], tmp_path: Path
) -> None:
    path, key = big_journal
    lines = path.read_bytes().split(b"\n")
    # Breaks around the chunk boundaries (lines 4096/4097 and 8192/8193), 1-based.
    lines[4095] = b"garbage"
    lines[4096] = b"\xc3\x28 invalid UTF-8"
    del lines[8192]
    lines.insert(100, lines[99])
    tampered = tmp_path / "tampered.jsonl"
    tampered.write_bytes(b"\n".join(lines))
    one = verify_journal_file(tampered, key, workers=1)
    many = verify_journal_file(tampered, key, workers=4)
    assert one.to_json() == many.to_json()
    # Two readings, indexing only what is referred to: the same report.
    assert verify_journal_file(tampered, key, workers=2, low_memory=True).to_json() == one.to_json()
    assert findings(one)[0] == ("duplicate_document", 101, 99)
    got = findings(one)
    assert ("invalid_document", 4097, None) in got and ("invalid_document", 4098, None) in got
    assert one.has("number_gap") and not one.is_valid


def test_a_journal_in_memory_gives_the_report_of_its_file(
    big_journal: tuple[Path, PublicKey], tmp_path: Path
) -> None:
    # A str or UTF-8 bytes are verified as the engine reads a text (lines borrowed, chunks of
    # 2 048), a file as a stream (chunks of about 1 MiB): the same report either way, on any
    # number of workers, breaks around the chunk boundaries included.
    path, key = big_journal
    lines = path.read_bytes().split(b"\n")
    lines[2047] = b"garbage"
    del lines[4096]
    lines.insert(100, lines[99])
    lines[6000] = lines[6000] + b"\r"
    # Not ASCII: a `str` holding it is encoded to UTF-8 by Python (an ASCII one is borrowed).
    lines[3000] = lines[3000].replace(b'"number"', '"nömrə"'.encode())
    data = b"\n".join(lines)
    tampered = tmp_path / "tampered.jsonl"
    tampered.write_bytes(data)
    expected = verify_journal_file(tampered, key, workers=1).to_json()
    for workers in (1, 2, 4):
        assert verify_journal(data, key, workers=workers).to_json() == expected
        assert verify_journal(data.decode(), key, workers=workers).to_json() == expected
    got = findings(verify_journal(data.decode(), key))
    assert got[0] == ("duplicate_document", 101, 99)
    assert ("invalid_document", 2049, None) in got
    assert [f for f in got if f[1] == 3001] == [("invalid_document", 3001, None)]
    # Line 6 001 holds document 6 000 (one line deleted after it, one inserted before).
    assert ("noncanonical_line", 6001, 6000) in got


def test_progress_is_reported_and_can_stop_the_run(big_journal: tuple[Path, PublicKey]) -> None:
    path, key = big_journal
    calls: list[tuple[int, int]] = []
    verify_journal_file(path, key, progress=lambda done, total: calls.append((done, total)))
    size = path.stat().st_size
    assert len(calls) >= 3 and calls[-1] == (size, size)
    assert all(a[0] < b[0] for a, b in zip(calls, calls[1:]))

    class Stop(Exception):
        pass

    def stop(done: int, total: int) -> None:
        raise Stop

    with pytest.raises(Stop):
        verify_journal_file(path, key, progress=stop)


def test_unreadable_files_raise_os_errors(tmp_path: Path) -> None:
    key = PrivateKey.from_seed(b"k").public_key()
    with pytest.raises(FileNotFoundError):
        verify_journal_file(tmp_path / "missing.jsonl", key)
    with pytest.raises(IsADirectoryError):
        verify_journal_file(tmp_path, key)


def test_the_gil_is_released_while_reading(day: Till, tmp_path: Path) -> None:
    """The verifier blocks on a FIFO with the GIL released, so this thread can write it (with
    the GIL held, this test would never finish)."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    result: list[Any] = []
    t = threading.Thread(
        target=lambda: result.append(verify_journal_file(fifo, day.authority.public_key()))
    )
    t.start()
    with open(fifo, "w", encoding="utf-8") as f:
        f.write(day.journal())
    t.join(timeout=60)
    assert not t.is_alive() and result[0].is_valid and result[0].documents == 14
