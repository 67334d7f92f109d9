"""The C and the Python bindings describe the same document and the same journal with the same
JSON bytes: both serialize the engine's description (fiscal_core::describe, SPEC.md §8.5) and
build none of their own. The C library is loaded with ctypes from the build tree
(``cargo build -p fiscal-core-c``, which ``bindings-python/test.sh`` runs first)."""

from __future__ import annotations

import ctypes
import json
from pathlib import Path
from typing import Any, Iterator

import pytest

from conftest import Till
from fiscal_core import verify_journal

LIBRARY = Path(__file__).resolve().parents[2] / "target" / "debug" / "libfiscal_core.so"


@pytest.fixture(scope="module")
def c_library() -> Iterator[Any]:
    if not LIBRARY.exists():
        pytest.skip(f"{LIBRARY} is not built: run `cargo build -p fiscal-core-c` (test.sh does)")
    lib = ctypes.CDLL(str(LIBRARY))
    buffer = ctypes.c_void_p
    lib.fc_buffer_data.argtypes = [buffer]
    lib.fc_buffer_data.restype = ctypes.POINTER(ctypes.c_uint8)
    lib.fc_buffer_len.argtypes = [buffer]
    lib.fc_buffer_len.restype = ctypes.c_size_t
    lib.fc_buffer_free.argtypes = [buffer]
    lib.fc_buffer_free.restype = None
    lib.fc_document_describe.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.POINTER(buffer)]
    lib.fc_document_describe.restype = ctypes.c_int
    lib.fc_verify_journal.argtypes = [
        ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.POINTER(buffer)]
    lib.fc_verify_journal.restype = ctypes.c_int
    yield lib


def taken(lib: Any, out: ctypes.c_void_p) -> bytes:
    """The bytes of a C buffer, which is then freed."""
    try:
        return ctypes.string_at(lib.fc_buffer_data(out), lib.fc_buffer_len(out))
    finally:
        lib.fc_buffer_free(out)


def c_describe(lib: Any, line: str, qr_base: str) -> bytes:
    out = ctypes.c_void_p()
    assert lib.fc_document_describe(line.encode(), qr_base.encode(), ctypes.byref(out)) == 0
    return taken(lib, out)


def c_verify(lib: Any, journal: str, key_hex: str) -> tuple[int, bytes]:
    data = journal.encode()
    out = ctypes.c_void_p()
    status = lib.fc_verify_journal(data, len(data), key_hex.encode(), ctypes.byref(out))
    return status, taken(lib, out)


def test_every_document_of_a_day_is_described_alike(c_library: Any, day: Till) -> None:
    # Every kind of the day: activation, shift opening, sales, advance, instalment, return,
    # cancel, cash in and out, Z-report; with the default QR base and another.
    for base in ("https://monitoring.e-kassa.gov.az/#/index?doc=", "https://x.invalid/?d="):
        for doc in day.documents:
            c_text = c_describe(c_library, doc.to_json(), base)
            assert c_text == doc.describe_json(base).encode(), doc
            # The dict is that text, parsed: the description's decimals are strings.
            assert json.loads(c_text) == json.loads(doc.describe_json(base))
            assert doc.as_dict(base)["fiscal_id"] == doc.fiscal_id
    sale = json.loads(c_describe(c_library, day.documents[3].to_json(), "q:"))
    assert sale["amounts"]["total"] == "1.20" and sale["qr_payload"] == "q:" + day.documents[3].fiscal_id


def test_a_journal_report_is_the_same_bytes(c_library: Any, day: Till) -> None:
    key = day.authority.public_key()
    lines = day.journal().splitlines()
    del lines[5]  # document 5: a number gap and what follows from it
    for journal in (day.journal(), "\n".join(lines) + "\n", ""):
        status, c_text = c_verify(c_library, journal, key.hex())
        report = verify_journal(journal, key)
        assert c_text == report.to_json().encode()
        assert (status == 0) == report.is_valid
    status, c_text = c_verify(c_library, "\n".join(lines) + "\n", key.hex())
    first = json.loads(c_text)["findings"][0]
    assert first == {"code": "number_gap", "code_number": 271, "document_number": 6, "line": 6,
                     "message": "document 5 is missing", "rule": "NM-03"}
    assert json.loads(c_text)["findings_dropped"] == 0


def test_a_device_status_is_the_same_bytes(c_library: Any, day: Till) -> None:
    # The same saved state, restored on both sides (so both are locked until the PIN).
    from fiscal_core import Device

    lib = c_library
    handle = ctypes.c_void_p()
    lib.fc_device_new.argtypes = [ctypes.POINTER(ctypes.c_void_p)]
    lib.fc_device_new.restype = ctypes.c_int
    lib.fc_device_restore.argtypes = [
        ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t]
    lib.fc_device_restore.restype = ctypes.c_int
    lib.fc_device_status.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p)]
    lib.fc_device_status.restype = ctypes.c_int
    lib.fc_device_free.argtypes = [ctypes.c_void_p]
    lib.fc_device_free.restype = None
    state, key = day.device.export_state(), day.key.to_bytes()
    assert lib.fc_device_new(ctypes.byref(handle)) == 0
    try:
        assert lib.fc_device_restore(handle, state, len(state), key, len(key)) == 0
        out = ctypes.c_void_p()
        assert lib.fc_device_status(handle, ctypes.byref(out)) == 0
        c_text = taken(lib, out)
    finally:
        lib.fc_device_free(handle)
    python = Device.restore(state, day.key)
    assert c_text == python.status_json().encode()
    status = json.loads(c_text)
    # What the day left: its documents, none uploaded, the device locked after the restore.
    assert status["last_number"] == len(day.documents) and status["pending"] == len(day.documents)
    assert status["unlocked"] is False and status["status"] == "active"
    assert status["last_fiscal_id"] == day.documents[-1].fiscal_id


def test_operator_messages_are_the_c_librarys(c_library: Any) -> None:
    """``error_message`` and ``fc_status_message`` give the same sentence for every code and
    both languages (one table, the engine's)."""
    from fiscal_core import error_codes, error_message

    c_library.fc_status_message.argtypes = [ctypes.c_uint32, ctypes.c_char_p]
    c_library.fc_status_message.restype = ctypes.c_char_p
    for name, number, _rule, _family in error_codes():
        for language in ("az", "en"):
            c_text = c_library.fc_status_message(number, language.encode()).decode()
            assert error_message(name, language) == c_text, (name, language)
