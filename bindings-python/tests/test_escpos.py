"""ESC/POS by printer profile (SPEC.md §17), decoded back from the bytes.

The raster profile (the default) sends the receipt as ``GS v 0`` images, every Azerbaijani
letter as drawn: the bands are put together into one image, written as PNG (by hand: zlib and
struct) and its QR code scanned back with ``zbarimg`` (Debian's zbar-tools). The text profile
is the old transliterated ASCII, for printers that cannot print images.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from conftest import Till, item, sale
from fiscal_core import Document, ValidationError

ESC_AT = b"\x1b@"
FEED_CUT = b"\x1bd\x04\x1dVB\x00"


def parse(raw: bytes) -> tuple[list[tuple[int, list[bytes]]], list[bytes]]:
    """The ``GS v 0`` images (bytes a row, rows) and the QR payloads stored by ``GS ( k``, in
    order; any other command fails the test."""
    assert raw.startswith(ESC_AT) and raw.endswith(FEED_CUT)
    images: list[tuple[int, list[bytes]]] = []
    qrs: list[bytes] = []
    i = len(ESC_AT)
    while i < len(raw):
        if raw[i : i + 4] == b"\x1dv0\x00":
            x, y = struct.unpack_from("<HH", raw, i + 4)
            data = raw[i + 8 : i + 8 + x * y]
            images.append((x, [data[r * x : (r + 1) * x] for r in range(y)]))
            i += 8 + x * y
        elif raw[i : i + 3] == b"\x1d(k":
            (n,) = struct.unpack_from("<H", raw, i + 3)
            if raw[i + 5 : i + 8] == b"1P0":
                qrs.append(raw[i + 8 : i + 5 + n])
            i += 5 + n
        elif raw[i : i + 2] in (b"\x1ba", b"\x1bd"):
            i += 3
        elif raw[i : i + 4] == b"\x1dVB\x00":
            i += 4
        elif raw[i : i + 1] == b"\n":
            i += 1
        else:
            raise AssertionError(f"unexpected bytes at {i}: {raw[i:i + 8]!r}")
    return images, qrs


def png(rows: list[bytes], width: int) -> bytes:
    """A 1-bit greyscale PNG of ``GS v 0`` rows (1 black there, 0 black in PNG)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + bytes(255 - b for b in row) for row in rows)
    header = struct.pack(">IIBBBBB", width, len(rows), 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def scan(path: Path) -> list[str]:
    zbarimg = shutil.which("zbarimg")
    assert zbarimg, "needs zbarimg: apt-get install zbar-tools (test.sh does)"
    out = subprocess.run(
        [zbarimg, "--quiet", "--raw", str(path)], capture_output=True, text=True, timeout=30
    )
    return out.stdout.split()


def bread(till: Till) -> Document:
    return till.issue(
        sale(item("Çörək ağ, şəkərsiz (ğ ı ö ü Ə İ) № 3", 2, "0.60"), cashSum="1.20")
    )


@pytest.mark.parametrize(("width", "dots"), [(32, 384), (48, 576)])
def test_the_raster_profile_prints_an_image_whose_qr_scans_back(
    till: Till, tmp_path: Path, width: int, dots: int
) -> None:
    doc = bread(till)
    raw = doc.render_escpos(till.certificate, width=width)
    images, qrs = parse(raw)
    assert qrs == [], "the QR is drawn in, not sent as a command"
    assert all(x == dots // 8 and 0 < len(rows) <= 240 for x, rows in images)
    rows = [r for _, band in images for r in band]
    path = tmp_path / f"receipt-{width}.png"
    path.write_bytes(png(rows, dots))
    assert scan(path) == [doc.qr_payload()]
    # The same bytes as the engine's format (the C library's FC_RENDER_FORMAT_ESCPOS).
    assert raw == doc.render_escpos(till.certificate, width=width, profile="raster", dots=dots)


def test_the_printers_qr_and_the_text_profile(till: Till, tmp_path: Path) -> None:
    doc = bread(till)
    images, qrs = parse(doc.render_escpos(till.certificate, width=32, qr="command"))
    assert qrs == [doc.qr_payload().encode()]
    path = tmp_path / "no-qr.png"
    path.write_bytes(png([r for _, band in images for r in band], 384))
    assert scan(path) == []
    text = doc.render_escpos(till.certificate, width=32, profile="text")
    assert text.isascii() and b"Baki Corek MMC" in text and b"\x1bE\x01" in text
    assert parse_text_qr(text) == doc.qr_payload().encode()


def parse_text_qr(raw: bytes) -> bytes:
    """The payload the text profile's ``GS ( k`` stores (function 80: ``1P0``)."""
    start = raw.index(b"\x1d(k")
    store = raw.index(b"1P0", start)
    (n,) = struct.unpack_from("<H", raw, store - 2)
    return raw[store + 3 : store + n]


def test_profiles_refuse_what_cannot_print(till: Till) -> None:
    doc = bread(till)
    with pytest.raises(ValidationError) as e:
        doc.render_escpos(till.certificate, dots=100)
    assert e.value.code == "out_of_range"
    with pytest.raises(ValidationError):
        doc.render_escpos(till.certificate, width=23)
    for bad in (
        {"profile": "pdf"},
        {"qr": "maybe"},
        {"profile": "text", "dots": 384},
        {"profile": "text", "qr": "command"},
    ):
        with pytest.raises(ValueError):
            doc.render_escpos(till.certificate, **bad)
