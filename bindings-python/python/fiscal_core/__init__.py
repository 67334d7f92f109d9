"""fiscal_core — the e-kassa engine for Azerbaijan's online cash registers, in Python.

A thin layer over the Rust engine ``fiscal-core``: receipts validated to the qəpik, the control
device (NMQ) as a state machine issuing signed, chained documents with their fiscal ID and QR
code, and a journal verifier that catches any removed, altered or reordered document.

- Amounts are ``decimal.Decimal`` in and out (``str`` and ``int`` accepted; ``float`` refused).
- Moments are timezone-aware ``datetime`` objects (naive ones refused); documents come back in
  Baku's zone, ``BAKU`` (UTC+04:00).
- Errors are ``FiscalError`` subclasses carrying the engine's stable code (SPEC.md §9).

>>> import fiscal_core
>>> key = fiscal_core.PrivateKey.from_seed(b"doctest")
>>> len(key.public_key().to_bytes())
33
"""

from __future__ import annotations

from fiscal_core._native import (
    BAKU,
    DEFAULT_QR_BASE,
    Certificate,
    Device,
    Document,
    Finding,
    JournalReport,
    KindTotals,
    Line,
    Payments,
    PrivateKey,
    PublicKey,
    ShiftReport,
    TaxGroup,
    __version__,
    error_codes,
    error_message,
    qr_svg,
    qr_terminal,
    request_json,
    validate_request,
    verify_document,
    verify_journal,
    verify_journal_file,
)
from fiscal_core.dialects import Notice, Reading, read_request
from fiscal_core.errors import (
    CertificateExpiresSoon,
    CryptoError,
    FiscalError,
    FloatAmountError,
    FormatError,
    Problem,
    StateError,
    ValidationError,
)

__all__ = [
    "validate_request",
    "BAKU",
    "DEFAULT_QR_BASE",
    "Certificate",
    "CertificateExpiresSoon",
    "CryptoError",
    "Device",
    "Document",
    "Finding",
    "FiscalError",
    "FloatAmountError",
    "FormatError",
    "JournalReport",
    "KindTotals",
    "Line",
    "Payments",
    "PrivateKey",
    "Problem",
    "PublicKey",
    "ShiftReport",
    "StateError",
    "TaxGroup",
    "ValidationError",
    "__version__",
    "error_codes",
    "error_message",
    "Notice",
    "Reading",
    "read_request",
    "qr_svg",
    "qr_terminal",
    "request_json",
    "verify_document",
    "verify_journal",
    "verify_journal_file",
]

# `from __future__ import annotations` binds the name here; it is not part of the package.
del annotations
