"""The README's snippet runs as written and ends with a verified receipt."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_snippet(capsys: pytest.CaptureFixture[str]) -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    code = blocks[0]
    assert code.startswith("import fiscal_core") and len(code.strip().splitlines()) <= 10
    scope: dict[str, Any] = {}
    exec(compile(code, str(README), "exec"), scope)
    sale = scope["sale"]
    # 2 × 0.60 = 1.20; VAT 1.20 × 18/118 = 0.183… → 0.18.
    assert (sale.total, sale.tax_total) == (Decimal("1.20"), Decimal("0.18"))
    assert capsys.readouterr().out == f"{sale.short_id} 1.20 0.18\n"
