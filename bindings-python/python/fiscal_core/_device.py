"""The control device (NMQ): the Pythonic face of ``fiscal_core._native.Device``."""

from __future__ import annotations

from datetime import datetime
from typing import Iterable, Optional

from fiscal_core import _native
from fiscal_core._native import Certificate, Document, PrivateKey, PublicKey, ShiftReport
from fiscal_core._request import RequestLike, request_json


class Device:
    """A control device: a pure state machine over its state and key (SPEC.md §14).

    Create one with ``Device.activate`` or ``Device.restore``. Every operation takes the
    current moment ``now`` as a timezone-aware ``datetime`` (naive ones are refused with
    ``ValueError``) and returns the ``Document`` it issued. A refused operation raises a
    ``FiscalError`` and changes nothing (except the wrong-PIN count). Save ``export_state()``
    after every operation; the key is never in it.
    """

    __slots__ = ("_native",)

    def __init__(self, native: _native.Device) -> None:
        """Wraps a native device; use ``activate`` or ``restore`` instead."""
        self._native = native

    @classmethod
    def activate(
        cls,
        certificate: Certificate,
        authority: PublicKey,
        key: PrivateKey,
        pin: str,
        now: datetime,
        *,
        qr_base: Optional[str] = None,
    ) -> tuple[Device, Document]:
        """Activates a device (LC-01): checks the certificate against the trusted
        ``authority`` key, its validity at ``now`` and that ``key`` is the certified key;
        returns the device (unlocked) and document 1, the activation record."""
        native, doc = _native.Device.activate(certificate, authority, key, pin, now, qr_base=qr_base)
        return cls(native), doc

    @classmethod
    def restore(cls, state: bytes, key: PrivateKey) -> Device:
        """Resumes from ``export_state()`` bytes. The device is locked until ``unlock``."""
        return cls(_native.Device.restore(state, key))

    def unlock(self, pin: str) -> None:
        """Enters the PIN (NM-07); the fifth wrong PIN in a row locks the device."""
        self._native.unlock(pin)

    def open_shift(self, now: datetime) -> Document:
        """Opens a shift; returns its opening document."""
        return self._native.open_shift(now)

    def issue(
        self,
        request: RequestLike,
        now: datetime,
        *,
        references: Iterable[Document] = (),
        expected_previous: Optional[int] = None,
    ) -> Document:
        """Validates and issues a request: a sale, return, cancel, advance, credit payment,
        deposit, withdrawal or correction (SPEC.md §14.3).

        ``request`` is a dict in the JSON shape of SPEC.md §8 (``{"doc_type": "sale",
        "data": {...}}``) or its JSON text. Amounts are ``Decimal``, ``int`` or ``str``; a
        ``float`` raises ``FloatAmountError``. ``references`` are the documents the request
        names (the parent receipt, or the advances); the device remembers earlier returns and
        instalments itself (SPEC.md §14.6).
        ``expected_previous`` is the number of the last document the POS knows of: a retry of
        a request already issued is refused (``sequence_mismatch``) instead of issued twice.
        """
        return self._native.issue_json(
            request_json(request),
            now,
            references=list(references),
            expected_previous=expected_previous,
        )

    def x_report(self) -> ShiftReport:
        """The open shift's report so far (the X-report); changes nothing."""
        return self._native.x_report()

    def close_shift(self, now: datetime) -> Document:
        """Closes the shift; returns the Z-report document."""
        return self._native.close_shift(now)

    def acknowledge_upload(self, through: int, next_pending: Optional[Document] = None) -> None:
        """Records that the tax service has every document up to number ``through`` (NM-01).
        When documents remain, ``next_pending`` must be document ``through + 1``."""
        self._native.acknowledge_upload(through, next_pending)

    def decommission(self, now: datetime) -> Document:
        """Takes the device out of service (LC-02); returns the last document."""
        return self._native.decommission(now)

    def export_state(self) -> bytes:
        """The state to save after every operation (the key is not in it)."""
        return self._native.export_state()

    def qr_payload(self, document: Document) -> str:
        """The QR text of ``document``: this device's QR base and the long fiscal ID."""
        return self._native.qr_payload(document)

    def qr_svg(self, document: Document) -> str:
        """The QR code of ``document`` as an SVG image."""
        return _native.qr_svg(self._native.qr_payload(document))

    @property
    def certificate(self) -> Certificate:
        """The device's certificate."""
        return self._native.certificate

    @property
    def public_key(self) -> PublicKey:
        """The device's public key."""
        return self._native.public_key

    @property
    def qr_base(self) -> str:
        """The QR base address."""
        return self._native.qr_base

    @property
    def status(self) -> str:
        """``"active"``, ``"locked"`` or ``"decommissioned"``."""
        return self._native.status

    @property
    def is_unlocked(self) -> bool:
        """True after the right PIN (a restored device starts locked)."""
        return self._native.is_unlocked

    @property
    def last_number(self) -> int:
        """Number of the last document issued."""
        return self._native.last_number

    @property
    def last_time(self) -> datetime:
        """Time of the last document issued."""
        return self._native.last_time

    @property
    def pending(self) -> int:
        """Documents issued and not yet acknowledged as uploaded."""
        return self._native.pending

    @property
    def acknowledged(self) -> int:
        """The highest document number acknowledged as uploaded."""
        return self._native.acknowledged

    @property
    def last_shift(self) -> int:
        """The last shift's number (0 before the first)."""
        return self._native.last_shift

    @property
    def shift_open(self) -> bool:
        """True while a shift is open."""
        return self._native.shift_open

    @property
    def pin_failures(self) -> int:
        """Wrong PINs since the last right one."""
        return self._native.pin_failures

    def __repr__(self) -> str:
        return repr(self._native)
