"""Types a checker enforces (issue #21): results are TypedDicts, render forms and languages are
Literals. `mypy --strict` (bindings-python/test.sh) checks this file with `warn_unused_ignores`:
each `# type: ignore[code]` below is an error mypy must report, and the check fails if it stops
reporting it. The test here strips the ignores and asks mypy for those errors by name."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import Till

import fiscal_core
from fiscal_core import Certificate, Document
from fiscal_core.results import JournalReportDict, ReadingDict, ValidatedRequest


def _checked_by_mypy_only(doc: Document, cert: Certificate) -> None:
    """Never called: what mypy must refuse (and accept)."""
    doc.render(cert, form="pdf")  # type: ignore[arg-type]
    doc.render(cert, language="ru")  # type: ignore[arg-type]
    doc.render(cert, form="html", language="en")
    request = fiscal_core.validate_request({"doc_type": "deposit", "data": {}}, date(2026, 11, 23))
    total: Decimal = request["data"]["sum"]
    request["data"]["sumTotal"]  # type: ignore[typeddict-item]
    report: JournalReportDict = fiscal_core.verify_journal("", cert.device_key).as_dict()
    last: int = report["last_number"]  # type: ignore[assignment]
    reading = fiscal_core.dialects.read_request_dict("{}")
    if reading["ok"]:
        request_dict = reading["request"]
    else:
        first = reading["problems"][0]["code"]
    del total, last, request_dict, first


def test_results_are_the_typed_shapes(day: Till) -> None:
    """The TypedDicts name the members the engine gives, no more and no fewer."""
    sale = day.documents[3]
    validated: ValidatedRequest = fiscal_core.validate_request(
        {"doc_type": "sale", "data": {"cashier": "Aysel", "items": [
            {"itemName": "Çörək", "itemQuantity": 2, "itemPrice": "0.60", "itemVatPercent": 18}],
            "cashSum": "1.20"}}, "2026-11-23")
    assert set(validated) == set(ValidatedRequest.__annotations__)
    assert set(validated["data"]) <= set(fiscal_core.results.RequestData.__annotations__)
    assert set(validated["data"]["items"][0]) <= set(fiscal_core.results.ItemDict.__annotations__)
    described = sale.as_dict()
    assert set(described) == set(fiscal_core.results.DocumentDict.__annotations__)
    assert described["amounts"] is not None
    assert set(described["amounts"]) == set(fiscal_core.results.AmountsDict.__annotations__)
    report = fiscal_core.verify_journal(day.journal(), day.authority.public_key()).as_dict()
    assert set(report) == set(JournalReportDict.__annotations__)
    z = day.documents[-1].z_report
    assert z is not None
    assert set(z.as_dict()) == set(fiscal_core.results.ShiftReportDict.__annotations__)
    assert set(day.certificate.as_dict()) == set(fiscal_core.results.CertificateDict.__annotations__)
    accepted: ReadingDict = fiscal_core.dialects.read_request_dict(
        '{"doc_type": "deposit", "data": {"cashier": "A", "sum": 5}}', date="2026-11-23")
    refused: ReadingDict = fiscal_core.dialects.read_request_dict("{}", date="2026-11-23")
    assert set(accepted) == set(fiscal_core.results.ReadingAccepted.__annotations__)
    assert set(refused) == set(fiscal_core.results.ReadingRefused.__annotations__)


def test_a_wrong_form_is_refused_at_run_time_too(day: Till) -> None:
    with pytest.raises(ValueError, match="pdf"):
        day.documents[3].render(day.certificate, form="pdf")  # type: ignore[arg-type]


def test_mypy_reports_each_ignored_error(tmp_path: Path) -> None:
    """Without its `# type: ignore[code]`, each line of `_checked_by_mypy_only` is the error it
    names: mypy is run on that function alone, its ignores taken out."""
    import inspect

    from mypy import api

    header = (
        "from __future__ import annotations\n"
        "from datetime import date\n"
        "from decimal import Decimal\n"
        "import fiscal_core\n"
        "import fiscal_core.dialects\n"
        "from fiscal_core import Certificate, Document\n"
        "from fiscal_core.results import JournalReportDict\n\n\n"
    )
    ignored: dict[int, str] = {}
    lines = header.splitlines()
    for line in inspect.getsource(_checked_by_mypy_only).splitlines():
        found = re.search(r"  # type: ignore\[([a-z-]+)\]$", line)
        if found:
            line = line[: found.start()]
            ignored[len(lines) + 1] = found.group(1)
        lines.append(line)
    probe = tmp_path / "typing_probe.py"
    probe.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out, err, _status = api.run(
        ["--strict", "--no-incremental", "--python-version", "3.10", "--config-file", "", str(probe)]
    )
    reported = {
        int(m.group(1)): m.group(2)
        for m in re.finditer(r"typing_probe\.py:(\d+): error: .*\[([a-z-]+)\]$", out, re.M)
    }
    assert len(ignored) == 4 and reported == ignored, out + err
