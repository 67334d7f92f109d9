"""Receipts through the device: SPEC.md §10's worked examples and the README's, by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import Till, at, item, sale

import fiscal_core
from fiscal_core import FloatAmountError, ValidationError, request_json

D = Decimal


def groups(doc: object) -> list[tuple[str, object, Decimal, Decimal]]:
    return [(g.category, g.percent, g.gross, g.tax) for g in getattr(doc, "tax_groups")]


def test_spec_10_1_sale_with_vat_18_0_and_exempt(till: Till) -> None:
    doc = till.issue(
        sale(
            item("Çörək", 2, D("0.60")),
            item("Süd", 1, D("2.35")),
            item("Pendir", D("0.750"), D("4.99"), itemQuantityType=1),
            item("Dərman", 1, D("5.00"), vat=None),
            item("Eksport", 1, D("3.00"), vat=0),
            cashSum=D("10.29"), cashlessSum=D("5.00"), incomingSum=D("20.00"),
        )
    )
    assert [line.total for line in doc.lines] == [D("1.20"), D("2.35"), D("3.74"), D("5.00"), D("3.00")]
    # Group vat 18: 7.29, tax 1.11; parts' floors 18, 35, 57 and the qəpik left goes to Süd.
    assert [line.tax for line in doc.lines] == [D("0.18"), D("0.36"), D("0.57"), D("0.00"), D("0.00")]
    assert groups(doc) == [
        ("vat", D("18"), D("7.29"), D("1.11")),
        ("vat", D("0"), D("3.00"), D("0.00")),
        ("vat_exempt", None, D("5.00"), D("0.00")),
    ]
    assert doc.total == D("15.29") and doc.sum == D("15.29") and doc.tax_total == D("1.11")
    p = doc.payments
    assert p is not None
    assert (p.cash, p.cashless, p.tendered, p.change) == (D("10.29"), D("5.00"), D("20.00"), D("9.71"))
    pendir = doc.lines[2]
    assert (pendir.unit, pendir.quantity, pendir.price) == ("kg", D("0.750"), D("4.99"))
    assert pendir.quantity.as_tuple().exponent == -3  # Quantity keeps its scale: 0.750
    assert doc.lines[3].tax_treatment == "vat_exempt" and doc.lines[3].percent is None


def test_spec_10_2_credit_sale_counts_the_part_paid_now(till: Till) -> None:
    doc = till.issue(sale(item("TV", 1, D("1180.00")), cashSum=180, creditSum=1000))
    assert groups(doc) == [("vat", D("18"), D("1180.00"), D("180.00"))]
    # sum = 1180 − 1000 = 180.00; its tax ⌊(2 × 18 000 × 1800 + 11 800) / 23 600⌋ = 2 746.
    assert doc.sum == D("180.00")
    assert [(g.gross, g.tax) for g in doc.counted_groups] == [(D("180.00"), D("27.46"))]
    assert doc.payments is not None and doc.payments.credit == D("1000.00")


def test_spec_10_3_vat_on_the_margin(till: Till) -> None:
    doc = till.issue(
        sale(item("Alma", 2, D("1.50"), itemQuantityType=1, itemMarginSum=D("0.59")), cashSum=3)
    )
    line = doc.lines[0]
    assert (line.tax_treatment, line.margin, line.tax) == ("vat_margin", D("0.59"), D("0.09"))
    assert groups(doc) == [
        ("vat_margin", D("18"), D("0.59"), D("0.09")),
        ("margin_remainder", None, D("2.41"), D("0.00")),
    ]


def test_spec_10_5_simplified_tax_on_turnover(till: Till) -> None:
    doc = till.issue(
        sale(item("Plov", 1, D("12.50"), 8), item("Çay", 1, D("2.50"), 8), cashSum=D("15.00"))
    )
    assert groups(doc) == [("simplified", D("8"), D("15.00"), D("1.20"))]
    assert [line.tax for line in doc.lines] == [D("1.00"), D("0.20")]


def test_readme_sale_change(till: Till) -> None:
    doc = till.issue(sale(item("Süd 1 l", 2, "2.35"), cashSum="4.70", incomingSum=5))
    # 4.70 × 18/118 = 0.7169… → 0.72; change 5 − 4.70.
    assert (doc.total, doc.tax_total) == (D("4.70"), D("0.72"))
    assert doc.payments is not None and doc.payments.change == D("0.30")


def test_readme_bad_request_reports_every_problem(till: Till) -> None:
    before = till.device.export_state()
    with pytest.raises(ValidationError) as e:
        till.device.issue(
            sale(item("Süd", 2, D("2.35"), 20, itemSum=D("4.80")), cashlessSum=5), at(9, 30)
        )
    assert [p.code for p in e.value.problems] == ["line_total_mismatch", "unknown_tax_rate"]
    assert e.value.code == "line_total_mismatch"
    assert (e.value.number, e.value.rule) == (132, "RC-05")
    assert all(p.path.startswith("items[0]") for p in e.value.problems)
    assert till.device.export_state() == before  # refused: nothing changed


def test_floats_are_refused_before_anything_is_sent(till: Till) -> None:
    before = till.device.export_state()
    with pytest.raises(FloatAmountError) as e:
        till.device.issue(sale(item("Çörək", 2, 0.6), cashSum=D("1.20")), at(9, 30))
    err = e.value
    assert isinstance(err, ValidationError) and isinstance(err, TypeError)
    assert (err.code, err.number, err.rule) == ("wrong_type", 102, "PK-11")
    # The engine's path style: inside `data`, without it (issue #21).
    assert err.problems[0].path == err.path == "items[0].itemPrice"
    assert "float" in str(err) and "Decimal" in str(err)
    assert till.device.export_state() == before
    with pytest.raises(FloatAmountError, match=r"^cashSum is the float 1\.2"):
        request_json(sale(item("Çörək", 2, "0.60"), cashSum=1.2))
    # The same path as the engine gives for the member when it is wrong otherwise.
    with pytest.raises(ValidationError) as engine:
        fiscal_core.validate_request(sale(item("Çörək", 2, "0.60"), cashSum="x"), "2026-11-23")
    assert engine.value.problems[0].path == "cashSum"


def test_decimal_str_int_and_json_text_are_exact(till: Till) -> None:
    assert request_json(sale(item("Ç", 1, D("0.10")), cashSum=D("1E+1"))) == (
        '{"doc_type":"sale","data":{"cashier":"Aysel","items":[{"itemName":"Ç",'
        '"itemQuantity":1,"itemPrice":0.10,"itemVatPercent":18}],"cashSum":10}}'
    )
    text = '{"doc_type":"sale","data":{"cashier":"Aysel","items":[{"itemName":"Çörək",' \
           '"itemQuantity":3,"itemPrice":0.10,"itemVatPercent":18}],"cashSum":0.30}}'
    assert request_json(text) is text
    doc = till.issue(text)  # 0.10 × 3 is exactly 0.30 (it would not be in binary floats)
    assert doc.total == D("0.30")
    assert till.issue(text.encode()).total == D("0.30")
    with pytest.raises(TypeError):
        request_json(42)  # type: ignore[arg-type]


def test_every_problem_of_a_request_has_a_code_path_and_message(till: Till) -> None:
    with pytest.raises(ValidationError) as e:
        till.device.issue(
            {"doc_type": "sale", "data": {"cashier": "", "items": [], "cashSum": "1.234"}},
            at(9, 30),
        )
    codes = {p.code for p in e.value.problems}
    assert {"text_empty", "no_lines", "too_many_decimals"} <= codes
    assert all(p.message for p in e.value.problems)


def test_validate_request_without_a_device() -> None:
    # SPEC.md §10.1 worked by hand: VAT 18 group 7.29 → 1.11, lines 0.18, 0.36, 0.57; change 9.71.
    from datetime import date

    out = fiscal_core.validate_request(
        sale(item("Çörək", 2, "0.60"), item("Süd", 1, "2.35"),
             item("Pendir", "0.750", "4.99", itemQuantityType=1),
             item("Dərman", 1, "5.00", vat=None), item("Eksport", 1, "3.00", vat=0),
             cashSum="10.29", cashlessSum="5.00", incomingSum="20.00"),
        date(2026, 11, 23),
    )
    items = out["data"]["items"]
    assert [i["itemTaxSum"] for i in items] == [D("0.18"), D("0.36"), D("0.57"), D("0.00"), D("0.00")]
    assert out["data"]["changeSum"] == D("9.71") and out["data"]["sum"] == D("15.29")
    with pytest.raises(fiscal_core.ValidationError) as e:
        fiscal_core.validate_request(sale(item("X", 2, "1", itemSum="3"), cashSum="3"), "2026-11-23")
    assert e.value.code == "line_total_mismatch"
    with pytest.raises(ValueError):
        fiscal_core.validate_request(sale(item("X", 1, "1"), cashSum="1"), "23.11.2026")
