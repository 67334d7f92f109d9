"""The shapes of what ``fiscal_core`` hands back as dicts, for type checkers (issue #21).

Each is a ``TypedDict`` of the engine's description (SPEC.md §8.4–§8.6): ``validate_request``
gives a ``ValidatedRequest``; ``Document.as_dict()`` a ``DocumentDict``;
``ShiftReport.as_dict()`` a ``ShiftReportDict``; ``JournalReport.as_dict()`` a
``JournalReportDict``; ``Certificate.as_dict()`` a ``CertificateDict``;
``dialects.read_request_dict`` a ``ReadingDict``. ``RenderForm`` and ``Language`` are the
values ``Document.render`` takes, so that ``form="pdf"`` is a type error, not only a run-time
one.

At run time they are plain dicts: nothing is converted or checked here.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, Optional, TypedDict, Union

if TYPE_CHECKING:
    # For type checkers only (typing has it from 3.11; mypy knows typing_extensions): with
    # postponed annotations it is never looked up at run time, so nothing is needed there.
    from typing_extensions import NotRequired

__all__ = [
    "AmountsDict",
    "CertificateDict",
    "DocumentDict",
    "FindingDict",
    "ItemDict",
    "JournalReportDict",
    "KindTotalsDict",
    "Language",
    "NoticeDict",
    "PaymentsDict",
    "ProblemDict",
    "ReadingAccepted",
    "ReadingDict",
    "ReadingRefused",
    "RenderForm",
    "RequestData",
    "RequestTaxGroup",
    "ShiftReportDict",
    "TaxGroupDict",
    "ValidatedRequest",
    "VatAmount",
    "WarningDict",
]

#: The printable forms of ``Document.render`` (``render_escpos`` gives the printer's bytes, and
#: ``transliterate=True`` the ASCII text).
RenderForm = Literal["text", "svg", "html"]
#: The labels' language: Azerbaijani (the legal text) or English.
Language = Literal["az", "en"]

# --- a validated request (SPEC.md §8.2, §8.4): decimals as Decimal, whole numbers as int ---

#: A percent: a JSON number without a fraction reads as ``int`` (18), with one as ``Decimal``.
_Percent = Union[int, Decimal]


class ItemDict(TypedDict, total=False):
    """One line of a validated request (§7.2, §8.2); ``itemSum``, ``itemTaxSum`` and
    ``taxTreatment`` are always filled in."""

    itemName: str
    itemCodeType: int
    itemCode: str
    itemQuantityType: int
    itemQuantity: Decimal
    itemPrice: Decimal
    itemSum: Decimal
    itemTaxSum: Decimal
    itemVatPercent: _Percent
    taxTreatment: str
    itemMarginSum: Decimal
    itemMarginPrice: Decimal
    discount: Decimal
    markup: Decimal
    department: int
    departmentName: str


class RequestTaxGroup(TypedDict):
    """A tax group of a validated request (``taxGroups``, ``countedTaxGroups``): ``percent``
    absent for groups without a rate."""

    taxTreatment: str
    percent: NotRequired[_Percent]
    gross: Decimal
    tax: Decimal


class VatAmount(TypedDict):
    """One ``vatAmounts`` entry (§5.5)."""

    vatSum: Decimal
    vatPercent: NotRequired[_Percent]
    taxTreatment: NotRequired[str]


class RequestData(TypedDict, total=False):
    """``data`` of a validated request: the members of §8.2 that apply to its kind, and the
    computed ones of §8.4."""

    cashier: str
    currency: str
    items: list[ItemDict]
    sum: Decimal
    cashSum: Decimal
    cashlessSum: Decimal
    bonusSum: Decimal
    giftCardSum: Decimal
    fuelCardSum: Decimal
    prepaymentSum: Decimal
    creditSum: Decimal
    incomingSum: Decimal
    changeSum: Decimal
    residue: Decimal
    vatAmounts: list[VatAmount]
    taxGroups: list[RequestTaxGroup]
    countedTaxGroups: list[RequestTaxGroup]
    parentDocument: str
    parents: list[str]
    creditContract: str
    rrn: str
    paymentNumber: int
    moneyBackType: int
    vehiclePlate: str


class ValidatedRequest(TypedDict):
    """``validate_request``'s answer: the request in the JSON form of SPEC.md §8.4."""

    doc_type: str
    data: RequestData


# --- the engine's description (SPEC.md §8.5): decimals as strings with their scale ---


class TaxGroupDict(TypedDict):
    """``group``: ``percent`` ``None`` for a group without a rate."""

    category: str
    gross: str
    percent: Optional[str]
    tax: str


class PaymentsDict(TypedDict):
    """``payments``: every form, zero when unused."""

    bonus: str
    cash: str
    cashless: str
    change: str
    credit: str
    fuel_card: str
    gift_card: str
    prepayment: str
    tendered: str


class AmountsDict(TypedDict):
    """A document's ``amounts`` (``payments`` ``None`` for cash in and out)."""

    counted_groups: list[TaxGroupDict]
    payments: Optional[PaymentsDict]
    sum: str
    tax_groups: list[TaxGroupDict]
    tax_total: str
    total: str


class WarningDict(TypedDict):
    """A warning given when the document was issued."""

    at: Optional[str]
    at_ms: Optional[int]
    code: str
    message: str


class DocumentDict(TypedDict):
    """``Document.as_dict()``: ``content`` is the request (§8.4, with ``Decimal`` numbers), the
    cancel, the Z-report's ``ShiftReportDict`` or ``{}``; ``amounts`` ``None`` for the device's
    own records."""

    amounts: Optional[AmountsDict]
    content: dict[str, Any]
    fiscal_id: str
    journal_line: str
    kind: str
    number: int
    previous: str
    qr_payload: str
    shift: int
    shift_receipt: int
    short_id: str
    time: str
    time_ms: int
    warnings: list[WarningDict]


class KindTotalsDict(TypedDict):
    """One kind's totals in a shift report."""

    count: int
    groups: list[TaxGroupDict]
    kind: str
    payments: PaymentsDict
    sum: str


class ShiftReportDict(TypedDict):
    """``ShiftReport.as_dict()``: the shift's totals (an X- or Z-report)."""

    cash_in: str
    cash_in_drawer: str
    cash_out: str
    first_number: int
    kinds: list[KindTotalsDict]
    last_number: int
    opened_at: str
    opened_at_ms: int
    receipts: int
    shift: int


class FindingDict(TypedDict):
    """A verifier's finding."""

    code: str
    code_number: int
    document_number: Optional[int]
    line: Optional[int]
    message: str
    rule: str


class JournalReportDict(TypedDict):
    """``JournalReport.as_dict()`` (what ``fiscal-core verify --json`` prints; its JSON Schema is
    spec/schemas/verify-report.schema.json)."""

    documents: int
    findings: list[FindingDict]
    findings_dropped: int
    last_fiscal_id: Optional[str]
    last_number: Optional[int]
    last_shift: Optional[int]
    last_shift_closed: bool
    last_time: Optional[str]
    last_time_ms: Optional[int]
    lines: int
    receipts: int
    unchecked: list[FindingDict]
    unchecked_total: int
    valid: bool


class CertificateDict(TypedDict):
    """``Certificate.as_dict()``: its body, the device key in hex and the certificate's hash."""

    serial: int
    kassa_model: str
    kassa_factory_number: str
    nmq_factory_number: str
    nmq_registration_number: str
    taxpayer_name: str
    voen: str
    object_code: str
    object_name: str
    object_address: str
    valid_from: datetime
    valid_until: datetime
    device_key: str
    hash: str


# --- a request read in its dialect (SPEC.md §8.6) ---


class NoticeDict(TypedDict):
    """A notice: what the reading accepted or mapped, where, and the rule it touches."""

    code: str
    message: str
    number: int
    path: str
    rule: str


class ProblemDict(TypedDict):
    """A problem of a refused request (``path`` empty for all of it)."""

    code: str
    message: str
    number: int
    path: str
    rule: str


class ReadingAccepted(TypedDict):
    """A request accepted: its canonical form (``request``, §8.4; for a control call
    ``{operation, pin_given, user}``), the ``prev_doc_number`` guard and the amounts a cancel
    carried (``claimed``, decimals as strings)."""

    claimed: dict[str, str]
    dialect: str
    expected_previous: Optional[int]
    notices: list[NoticeDict]
    ok: Literal[True]
    operation: str
    policy: str
    request: dict[str, Any]


class ReadingRefused(TypedDict):
    """A request refused: every problem; ``dialect`` and ``operation`` ``None`` when they could
    not be told."""

    dialect: Optional[str]
    notices: list[NoticeDict]
    ok: Literal[False]
    operation: Optional[str]
    policy: str
    problems: list[ProblemDict]


#: ``dialects.read_request_dict``'s answer (test ``ok`` to tell which).
ReadingDict = Union[ReadingAccepted, ReadingRefused]
