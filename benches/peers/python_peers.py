#!/usr/bin/env python3
"""The Python-side measurements of benches/RESULTS.md (run by benches/results.py with the
.venv interpreter, where `fiscal_core`, `cryptography` and `segno` are installed).

- journal verification of one in-memory journal (bytes read before timing): the pure-Python
  verifier (pyverify.py) against `fiscal_core.verify_journal(data, authority, workers=1)` and
  `workers=2` (the GIL released, signatures checked on every worker);
- the QR code of a receipt: `segno` (error correction M, no boost, SVG at 4 px a module with the
  4-module quiet zone) against `fiscal_core` from Python (`Document.qr_payload` + `qr_svg`,
  the same symbol and SVG).

Usage: python_peers.py JOURNAL [--repeat N]   Prints one JSON object. Best of N runs each.
"""
import json
import re
import sys
import time
import timeit
from pathlib import Path

import fiscal_core
import segno

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pyverify  # noqa: E402


def best(fn, repeat):
    """Best wall time of `repeat` calls of fn(), and its last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), result


def per_call(stmt, repeat=5):
    """Best time of one call of stmt() (timeit, auto-ranged)."""
    timer = timeit.Timer(stmt)
    number, _ = timer.autorange()
    return min(timer.repeat(repeat=repeat, number=number)) / number


def svg_modules(svg):
    """Modules across of an SVG (its width in px / 4, less the 8-module quiet zone)."""
    m = re.search(r'width="(\d+)(?:px)?"', svg)
    return int(m.group(1)) // 4 - 8 if m else None


def main(argv):
    path = Path(argv[1])
    repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 3
    data = path.read_bytes()
    authority_hex = Path(f"{path}.authority").read_text().strip()
    authority = fiscal_core.PublicKey.from_hex(authority_hex)
    out = {"journal": str(path), "repeat": repeat}

    def pure():
        return pyverify.verify_journal(data.decode("utf-8").splitlines(), authority_hex)

    seconds, (documents, findings) = best(pure, repeat)
    assert not findings, findings[:3]
    out["documents"] = documents
    out["pure_python_s"] = seconds
    for workers in (1, 2):
        seconds, report = best(lambda: fiscal_core.verify_journal(data, authority, workers=workers), repeat)
        assert report.is_valid and report.documents == documents, report.findings[:3]
        out[f"fiscal_core_{workers}_worker_s"] = seconds

    # The QR code of the journal's first sale.
    doc = None
    for line in data.decode("utf-8").splitlines()[1:200]:
        d = fiscal_core.Document.from_json(line)
        if d.kind == "sale":
            doc = d
            break
    assert doc is not None
    payload = doc.qr_payload()
    ours = fiscal_core.qr_svg(payload)
    theirs_symbol = segno.make(payload, error="m", boost_error=False)
    theirs = theirs_symbol.svg_inline(scale=4, border=4)
    out["qr_payload_chars"] = len(payload)
    out["qr_modules_fiscal_core"] = svg_modules(ours)
    out["qr_modules_segno"] = theirs_symbol.symbol_size(border=0)[0]
    out["qr_version_segno"] = theirs_symbol.version
    out["segno_payload_svg_s"] = per_call(
        lambda: segno.make(doc.qr_payload(), error="m", boost_error=False).svg_inline(scale=4, border=4)
    )
    out["segno_make_s"] = per_call(lambda: segno.make(payload, error="m", boost_error=False))
    out["fiscal_core_py_payload_svg_s"] = per_call(lambda: fiscal_core.qr_svg(doc.qr_payload()))
    out["fiscal_core_py_doc_qr_svg_s"] = per_call(lambda: doc.qr_svg())
    out["segno_version"] = segno.__version__ if hasattr(segno, "__version__") else None
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
