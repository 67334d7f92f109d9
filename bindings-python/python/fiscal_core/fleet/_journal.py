"""One device's journal: read it, verify it with the engine, summarize it.

This is the unit of work of the fleet (a device's chain is verified whole, in order): the Dask
tasks of ``fiscal_core.fleet`` call :func:`summarize` and :func:`read_parsed` on a worker, and
the tests call them in-process to check that the cluster changes nothing. Nothing here needs a
third-party package.

Every business rule is the engine's: ``verify_journal`` finds what is wrong, ``Certificate``
and ``Document`` read the lines. What this module adds is only bookkeeping — counting, the
first document, the journal's identity — and the two fleet-level findings for what the engine
never sees (``UNREADABLE``, ``NOT_PROCESSED``; fleet/README.md §Findings).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Optional, Union

from fiscal_core._native import Certificate, Document, PublicKey, verify_journal
from fiscal_core.errors import FiscalError

#: Fleet-level finding: the journal could not be read at all (missing, a directory, an I/O
#: error). The engine's own findings cover everything inside a journal that was read, a
#: truncated or garbage one included (``invalid_document``, ``empty_journal``).
UNREADABLE = "unreadable_journal"
#: Fleet-level finding: the cluster gave up on the journal (its task failed on every try,
#: e.g. a worker killed each time it ran it). The job still ends, with this finding.
NOT_PROCESSED = "journal_not_processed"

PathLike = Union[str, Path]


@dataclass(frozen=True)
class FleetFinding:
    """One finding of one journal: the engine's (``code_number`` and ``rule`` set) or a
    fleet-level one (``unreadable_journal``, ``journal_not_processed``: no number, no rule)."""

    code: str
    code_number: Optional[int]
    rule: Optional[str]
    document_number: Optional[int]
    line: Optional[int]
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "code_number": self.code_number,
            "rule": self.rule,
            "document_number": self.document_number,
            "line": self.line,
            "message": self.message,
        }


@dataclass(frozen=True)
class DeviceSummary:
    """What the fleet knows of one device's journal after verifying it.

    ``documents``, ``receipts``, ``lines``, ``last_*`` and the findings are the engine's
    ``JournalReport`` (``last_*`` are the last document whose signature verified, SPEC.md
    §15.3). ``first_number`` / ``first_time`` are those of the first line that reads as a
    document, ``shifts`` the shift openings and ``z_reports`` the Z-reports among the lines
    that read as documents (a forged line is counted there, and flagged by a finding).
    """

    journal: str
    journal_id: str
    sha256: Optional[str]
    size: int
    device: Optional[str]
    voen: Optional[str]
    object_code: Optional[str]
    taxpayer: Optional[str]
    valid: bool
    lines: int
    documents: int
    receipts: int
    first_number: Optional[int]
    first_time: Optional[datetime]
    last_number: Optional[int]
    last_time: Optional[datetime]
    last_shift: Optional[int]
    last_shift_closed: bool
    shifts: int
    z_reports: int
    findings: tuple[FleetFinding, ...] = ()
    findings_dropped: int = 0
    unchecked_total: int = 0
    findings_by_rule: dict[str, int] = field(default_factory=dict)
    findings_by_code: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON types (times in ISO 8601 with their zone)."""
        return {
            "journal": self.journal,
            "journal_id": self.journal_id,
            "sha256": self.sha256,
            "size": self.size,
            "device": self.device,
            "voen": self.voen,
            "object_code": self.object_code,
            "taxpayer": self.taxpayer,
            "valid": self.valid,
            "lines": self.lines,
            "documents": self.documents,
            "receipts": self.receipts,
            "first_number": self.first_number,
            "first_time": self.first_time.isoformat() if self.first_time else None,
            "last_number": self.last_number,
            "last_time": self.last_time.isoformat() if self.last_time else None,
            "last_shift": self.last_shift,
            "last_shift_closed": self.last_shift_closed,
            "shifts": self.shifts,
            "z_reports": self.z_reports,
            "findings_by_rule": dict(self.findings_by_rule),
            "findings_by_code": dict(self.findings_by_code),
            "findings_dropped": self.findings_dropped,
            "unchecked_total": self.unchecked_total,
            "findings": [f.as_dict() for f in self.findings],
        }

    @staticmethod
    def from_dict(d: dict[str, Any]) -> DeviceSummary:
        """The inverse of :meth:`as_dict` (the export manifest keeps summaries this way)."""

        def when(text: Optional[str]) -> Optional[datetime]:
            return datetime.fromisoformat(text) if text else None

        return DeviceSummary(
            journal=d["journal"],
            journal_id=d["journal_id"],
            sha256=d["sha256"],
            size=d["size"],
            device=d["device"],
            voen=d["voen"],
            object_code=d["object_code"],
            taxpayer=d["taxpayer"],
            valid=d["valid"],
            lines=d["lines"],
            documents=d["documents"],
            receipts=d["receipts"],
            first_number=d["first_number"],
            first_time=when(d["first_time"]),
            last_number=d["last_number"],
            last_time=when(d["last_time"]),
            last_shift=d["last_shift"],
            last_shift_closed=d["last_shift_closed"],
            shifts=d["shifts"],
            z_reports=d["z_reports"],
            findings=tuple(FleetFinding(**f) for f in d["findings"]),
            findings_dropped=d["findings_dropped"],
            unchecked_total=d["unchecked_total"],
            findings_by_rule=dict(d["findings_by_rule"]),
            findings_by_code=dict(d["findings_by_code"]),
        )


@dataclass
class Parsed:
    """A journal's lines as the engine reads them: its certificate (when the first line is
    one) and every line that reads as a document, with its line number (from 1)."""

    certificate: Optional[Certificate]
    documents: list[tuple[int, Document]]


def journal_id(path: PathLike) -> str:
    """A journal's stable name in an export: its file name's stem (letters, digits, ``-``,
    ``_`` and ``.``) and 8 hexadecimal characters of its absolute path's hash, so two
    ``kassa-1.jsonl`` in two folders do not collide."""
    p = Path(path)
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", p.stem)[:80] or "journal"
    digest = hashlib.sha256(str(p.absolute()).encode("utf-8", "surrogateescape")).hexdigest()
    return f"{stem}-{digest[:8]}"


def parse(data: bytes) -> Parsed:
    """Reads the lines the engine's reader reads (a CR before the LF is dropped, as the
    verifier does, SPEC.md §13.5). Lines that are not documents are skipped: the verifier
    reports them."""
    certificate: Optional[Certificate] = None
    documents: list[tuple[int, Document]] = []
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()  # a final LF ends the last line
    for number, raw in enumerate(lines, start=1):
        if raw.endswith(b"\r"):
            raw = raw[:-1]
        if not raw.startswith(b"{"):
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if not documents and certificate is None and text.startswith('{"certificate"'):
            try:
                certificate = Certificate.from_journal_line(text)
            except FiscalError:
                pass
            continue
        try:
            documents.append((number, Document.from_json(text)))
        except FiscalError:
            continue
    return Parsed(certificate, documents)


def _count(findings: tuple[FleetFinding, ...], key: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for f in findings:
        name = (f.rule if key == "rule" else f.code) or f.code
        counts[name] = counts.get(name, 0) + 1
    return dict(sorted(counts.items()))


def unreadable(
    path: PathLike, jid: str, error: BaseException, *, code: str = UNREADABLE
) -> DeviceSummary:
    """The summary of a journal that could not be read or processed: one finding."""
    reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
    finding = FleetFinding(code, None, None, None, None, f"{type(error).__name__}: {reason}")
    findings = (finding,)
    return DeviceSummary(
        journal=str(path),
        journal_id=jid,
        sha256=None,
        size=0,
        device=None,
        voen=None,
        object_code=None,
        taxpayer=None,
        valid=False,
        lines=0,
        documents=0,
        receipts=0,
        first_number=None,
        first_time=None,
        last_number=None,
        last_time=None,
        last_shift=None,
        last_shift_closed=False,
        shifts=0,
        z_reports=0,
        findings=findings,
        findings_by_rule=_count(findings, "rule"),
        findings_by_code=_count(findings, "code"),
    )


def summarize_bytes(
    path: PathLike,
    jid: str,
    data: bytes,
    authority: PublicKey,
    *,
    engine_threads: int = 1,
    parsed: Optional[Parsed] = None,
) -> tuple[DeviceSummary, Parsed]:
    """Verifies ``data`` (a journal's bytes) with the engine and summarizes it; also returns
    the parsed lines, for the export."""
    # The engine verifies the whole chain with the GIL released (bindings-python/src/
    # journal.rs: `py.allow_threads`), so a worker's other threads run meanwhile.
    report = verify_journal(data, authority, workers=engine_threads)
    if parsed is None:
        parsed = parse(data)
    cert = parsed.certificate
    findings = tuple(
        FleetFinding(f.code, f.code_number, f.rule, f.document_number, f.line, f.message)
        for f in report.findings
    )
    first = parsed.documents[0][1] if parsed.documents else None
    kinds = [d.kind for _, d in parsed.documents]
    summary = DeviceSummary(
        journal=str(path),
        journal_id=jid,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        device=cert.nmq_registration_number if cert else None,
        voen=cert.voen if cert else None,
        object_code=cert.object_code if cert else None,
        taxpayer=cert.taxpayer_name if cert else None,
        valid=report.is_valid,
        lines=report.lines,
        documents=report.documents,
        receipts=report.receipts,
        first_number=first.number if first else None,
        first_time=first.time if first else None,
        last_number=report.last_number,
        last_time=report.last_time,
        last_shift=report.last_shift,
        last_shift_closed=report.last_shift_closed,
        shifts=kinds.count("open_shift"),
        z_reports=kinds.count("zreport"),
        findings=findings,
        findings_dropped=report.findings_dropped,
        unchecked_total=report.unchecked_total,
        findings_by_rule=_count(findings, "rule"),
        findings_by_code=_count(findings, "code"),
    )
    return summary, parsed


def read(path: PathLike) -> bytes:
    """The journal's bytes (raises ``OSError``)."""
    with open(path, "rb") as f:
        return f.read()


def summarize(
    path: PathLike,
    authority: PublicKey,
    *,
    jid: Optional[str] = None,
    engine_threads: int = 1,
) -> DeviceSummary:
    """Reads, verifies and summarizes one journal, in this process: what one fleet task does.
    Never raises for a bad journal: an unreadable file is one ``unreadable_journal`` finding."""
    jid = jid or journal_id(path)
    try:
        data = read(path)
    except OSError as e:
        return unreadable(path, jid, e)
    return summarize_bytes(path, jid, data, authority, engine_threads=engine_threads)[0]


def local_date(moment: datetime) -> date:
    """A document's date: its civil date in Baku (SPEC.md §6; ``Document.time`` is in
    Baku's zone already)."""
    return moment.date()


__all__ = [
    "DeviceSummary",
    "FleetFinding",
    "NOT_PROCESSED",
    "Parsed",
    "UNREADABLE",
    "journal_id",
    "local_date",
    "parse",
    "read",
    "summarize",
    "summarize_bytes",
    "unreadable",
]
