"""The token service: one device, its database and the rules a token server adds around
``Device.handle`` — sessions, retries, time, references and the upload queue.

Everything a document *is* comes from the engine: the server hands the wire text, unchanged,
to ``Device.handle`` and sends back the answer it returns (SPEC.md §8.8). What this module adds
is what a token does around the engine:

- **Serialization.** One device, one lock: requests are carried out one at a time, so no two
  clients ever see the same number or a gap.
- **Time.** The wall clock in milliseconds, but strictly after the device's last document
  (``max(now, last + 1 ms)``), so a clock step back never refuses a sale.
- **References.** The documents a request names (``parentDocument``, ``parents``), found in
  the journal by any of their four ID forms, with the earlier documents that named the same
  receipts (SPEC.md §14.6, for receipts below the ledger's horizon).
- **Sessions.** A login hands out a random ``secrets.token_urlsafe`` access token (passed to
  ``Device.handle`` as ``session_token``) that expires; every other call must carry a live
  one (NBA, AirConn: ``parameters.access_token``; Omnitech: ``requestData.access_token`` or
  ``tokenData.parameters.access_token``). A call with an unknown or expired token is carried
  out on a *locked copy* of the device (restored from its state, PIN not entered): a
  document, an open or a close shift is then refused exactly as the engine refuses it on a
  locked token (``not_unlocked``, in the dialect's refusal shape and code), and nothing of the
  real device changes. Reads that a deployed token answers without a login (get info, shift
  status, last document, the X-report) are answered. e-Kassam's clients send no access token
  at all (they sign headers with a shared key, spec/dialects/samples/INDEX-airconn-ekassam.md):
  for ``ekassam`` the device's PIN (``kas_login``) is the only guard.
- **Retries.** A request that issued a document is stored with its answer, by the SHA-256 of
  its text, in the document's transaction; the same text again gets the same answer and no
  second document when it carries ``prev_doc_number`` (the guard names exactly one
  position), or else when that answer was never handed to the transport (the server died or
  the connection broke before it left) and is at most ``replay_window`` seconds old. An answer
  that left is marked so; the same text after it is a new request (two customers buying the
  same bread with the same coins are two sales), as on a deployed token. An open or close
  shift is answered again only while the device is still in the shift it made (e-Kassam's
  ``kas_openshift`` text is ``{}`` every day).
- **Crash safety.** A document's journal line, the device's new state and the stored answer
  are one SQLite transaction (``Store.commit_document``), committed before the answer leaves.
- **Uploads.** Every issued document is pending until a drain (``drain``) delivers it and
  records the number it reached; the device is told (``acknowledge_upload``) at its next
  operation, in that operation's transaction.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import sys
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any, Callable, Optional, Union

from fiscal_core._native import BAKU, Device, Document, PrivateKey
from fiscal_core.dialects import Handled, read_request
from fiscal_core.errors import FiscalError
from fiscal_core.token.store import Store, now_ms, request_key

__all__ = ["TokenService", "TOKEN_DIALECTS", "CONTROL_OPERATIONS", "drain", "access_token_of"]

#: The dialects a token server speaks (each with its transport).
TOKEN_DIALECTS = ("nba", "airconn", "omnitech", "ekassam")
#: Operations that are not documents (SPEC.md §8.1).
CONTROL_OPERATIONS = frozenset(
    {"login", "logout", "open_shift", "close_shift", "x_report", "shift_status", "get_info",
     "last_document"}
)


def _moment(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc)


def _ms(moment: datetime) -> int:
    delta = moment - datetime(1970, 1, 1, tzinfo=timezone.utc)
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def access_token_of(text: str, dialect: str) -> Optional[str]:
    """The ``access_token`` a request carries where its dialect puts it (``None`` if none)."""
    try:
        obj = json.loads(text)
    except ValueError:
        return None
    if not isinstance(obj, dict):
        return None
    candidates: list[Any] = []
    if dialect in ("nba", "airconn"):
        params = obj.get("parameters")
        if isinstance(params, dict):
            candidates.append(params.get("access_token"))
    elif dialect == "omnitech":
        rd = obj.get("requestData")
        if isinstance(rd, dict):
            candidates.append(rd.get("access_token"))
            td = rd.get("tokenData")
            if isinstance(td, dict) and isinstance(td.get("parameters"), dict):
                candidates.append(td["parameters"].get("access_token"))
    for c in candidates:
        if isinstance(c, str) and c:
            return c
    return None


def _exclusive(path: Path) -> Optional[IO[bytes]]:
    """Holds an exclusive lock on ``path`` for as long as the service lives: one device is
    served by one process (two would each hold a device in memory and fork the numbering;
    the journal's primary key would refuse the second document, but not the race). The
    system drops the lock when the process dies, even by ``kill -9``. Without ``fcntl``
    (Windows) no lock is taken."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return None
    f = path.open("ab")
    try:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        f.close()
        raise RuntimeError(f"{path.with_suffix('')}: another process serves this token") from None
    return f


class TokenService:
    """One token: the device restored from ``db_path``, answering in ``dialect``.

    ``handle(text, operation)`` returns the answer text. Thread-safe (one lock)."""

    def __init__(
        self,
        db_path: Union[str, Path],
        dialect: str,
        *,
        policy: str = "deployed",
        session_lifetime: float = 12 * 3600.0,
        replay_window: float = 120.0,
        verbose: bool = False,
    ) -> None:
        if dialect not in TOKEN_DIALECTS:
            raise ValueError(f"dialect must be one of {', '.join(TOKEN_DIALECTS)}")
        self.dialect = dialect
        self.policy = policy
        #: Retries answered from the store (since this service started); logged when verbose.
        self.replayed = 0
        self.verbose = verbose
        self.session_lifetime_ms = int(session_lifetime * 1000)
        self.replay_window_ms = int(replay_window * 1000)
        if not Path(db_path).is_file():
            raise FileNotFoundError(f"{db_path}: no token here (run `fiscal-core token init`)")
        self._lockfile = _exclusive(Path(str(db_path) + ".lock"))
        try:
            self.store = Store(db_path)
        except BaseException:
            if self._lockfile is not None:
                self._lockfile.close()
            raise
        try:
            self._key: PrivateKey = self.store.device_key()
            self.device: Device = Device.restore(self.store.state(), self._key)
            self._check_consistent()
        except BaseException:
            self.store.close()
            if self._lockfile is not None:
                self._lockfile.close()
            raise
        self._lock = threading.Lock()
        with self._lock:
            self.store.begin()
            try:
                before = self.device.export_state()
                self._apply_acknowledgements()
                if self.device.export_state() != before:
                    self.store.put("state", self.device.export_state())
                self.store.commit()
            except BaseException:
                self.store.rollback()
                raise

    def _check_consistent(self) -> None:
        last = self.store.last_number()
        if last != self.device.last_number:
            # One transaction per operation: this only happens to a file edited or restored
            # from a backup (spec/CRASH-SAFETY.md §3, "anything else"): stop, do not repair.
            raise RuntimeError(
                f"{self.store.path}: the journal ends at {last} but the state at "
                f"{self.device.last_number}; refusing to serve"
            )

    def close(self) -> None:
        with self._lock:
            self.store.close()
            if self._lockfile is not None:
                self._lockfile.close()
                self._lockfile = None

    # -- helpers ------------------------------------------------------------------------
    def _now(self) -> datetime:
        last = _ms(self.device.last_time)
        return _moment(max(now_ms(), last + 1))

    def _apply_acknowledgements(self) -> None:
        """Tells the device what the last drain delivered (inside the caller's transaction)."""
        target = min(self.store.acknowledged_request(), self.device.last_number)
        if target <= self.device.acknowledged:
            return
        following = (
            self.store.document(target + 1) if target < self.device.last_number else None
        )
        self.device.acknowledge_upload(target, following)

    def _references(self, parents: list[str]) -> tuple[list[Document], list[str]]:
        """The documents the request names and those that named the same receipts; the
        parents' hex IDs (kept in ``journal_refs``)."""
        docs: dict[int, Document] = {}
        hexes: list[str] = []
        for ref in parents:
            found = self.store.find(ref)
            if found is None:
                continue
            hexes.append(found.fiscal_hex)
            docs[found.number] = found.document()
            for earlier in self.store.claims_on(found.fiscal_hex):
                docs.setdefault(earlier.number, earlier.document())
        return [docs[n] for n in sorted(docs)], hexes

    def _locked_copy(self) -> Device:
        return Device.restore(self.device.export_state(), self._key)

    # -- the one entry --------------------------------------------------------------------
    def handle(self, text: str, operation: Optional[str] = None) -> str:
        """Carries out one wire text and returns the answer text (success or refusal); the
        answer counts as delivered (the caller has it)."""
        sent: list[str] = []
        self.exchange(text, operation, sent.append)
        return sent[0]

    def exchange(self, text: str, operation: Optional[str], send: Callable[[str], None]) -> None:
        """Carries out one wire text and hands the answer to ``send`` (the transport); when
        ``send`` returns, the answer is marked delivered, and the same text is then a new
        request. When ``send`` raises, a retry of the text gets the stored answer."""
        with self._lock:
            try:
                handled, key = self._handle(text, operation)
                answer = handled.response
            except Exception as e:  # noqa: BLE001 - a transport must always answer
                # Not a refusal of the engine (those come back as answers): a fault of this
                # server. The dialects' refusal shape, the engine's fallback code 100.
                print(f"fiscal-core token: internal error: {e!r}", file=sys.stderr, flush=True)
                answer = json.dumps({"code": 100, "message": f"token internal error: {type(e).__name__}"})
                key = None
        send(answer)
        if key is not None:
            with self._lock:
                try:
                    self.store.mark_delivered(key)
                except sqlite3.Error as e:  # closed while stopping, a full disk: the safe side
                    print(f"fiscal-core token: answer not marked delivered: {e}",
                          file=sys.stderr, flush=True)

    def handle_full(self, text: str, operation: Optional[str] = None) -> Handled:
        """As ``handle``, with the whole ``Handled`` (for tests and tools)."""
        with self._lock:
            handled, key = self._handle(text, operation)
            if key is not None:
                self.store.mark_delivered(key)
            return handled

    def _read(self, text: str, operation: Optional[str], now: datetime) -> tuple[
        Optional[str], list[str], Optional[int], Optional[str]
    ]:
        """The operation, the parents, the ``prev_doc_number`` and the login user of a text
        (as the engine reads it; nothing when it is refused: the device refuses it too)."""
        try:
            r = read_request(text, self.dialect, self.policy, operation=operation,
                             date=now.astimezone(BAKU).date())
        except FiscalError as e:
            op = getattr(e, "operation", None)
            return (op if isinstance(op, str) else None), [], None, None
        except (ValueError, UnicodeError):
            return None, [], None, None
        data = r.request.get("data")
        parents: list[str] = []
        if isinstance(data, dict):
            if isinstance(data.get("parentDocument"), str):
                parents.append(data["parentDocument"])
            for p in data.get("parents") or []:
                if isinstance(p, str):
                    parents.append(p)
        user = r.request.get("user") if not r.is_document else None
        return r.operation, parents, r.expected_previous, (user if isinstance(user, str) else None)

    def _still_current(self, op: str, number: int) -> bool:
        """An open or close shift is answered again only while the device is still in the
        shift it opened or closed (a later one is a new request)."""
        if op not in ("open_shift", "close_shift"):
            return True
        doc = self.store.document(number)
        if doc is None or doc.shift != self.device.last_shift:
            return False
        return self.device.shift_open == (op == "open_shift")

    def _handle(self, text: str, operation: Optional[str]) -> tuple[Handled, Optional[str]]:
        """The answer, and the idempotency key when a document was issued (or replayed)."""
        now = self._now()
        op, parents, guard, user = self._read(text, operation, now)
        token = access_token_of(text, self.dialect)
        session_user: Optional[str] = None
        if self.dialect != "ekassam" and op != "login":
            session = self.store.session(token) if token else None
            if session is None:
                # Unknown or expired: the locked token's own refusal, the device untouched.
                return self._locked_copy().handle(
                    text, now, dialect=self.dialect, policy=self.policy, operation=operation
                ), None
            session_user = session[0]
        key = request_key(self.dialect, operation, text)
        if op is not None and op not in ("login", "logout", "x_report", "shift_status",
                                         "get_info", "last_document"):
            hit = self.store.answer_for(key)
            if hit is not None and (
                guard is not None
                or (not hit[3] and now_ms() - hit[2] <= self.replay_window_ms)
            ) and self._still_current(op, hit[1]):
                self.replayed += 1
                if self.verbose:
                    print(f"fiscal-core token: document {hit[1]} answered again (a retry)",
                          file=sys.stderr, flush=True)
                return Handled(hit[0], None, [], None, self.dialect), key
        new_token = secrets.token_urlsafe(24) if op == "login" else None
        references, parent_hexes = self._references(parents)
        before = self.device.export_state()
        self.store.begin()
        try:
            if self.store.last_number() != self.device.last_number:
                raise RuntimeError("the journal and the device disagree: the database was "
                                   "changed under this server")
            self._apply_acknowledgements()
            handled = self.device.handle(
                text, now, dialect=self.dialect, policy=self.policy, operation=operation,
                references=references, cashier=session_user, session_token=new_token,
            )
            if handled.ok and op == "login" and new_token is not None:
                self.store.add_session(new_token, user, self.session_lifetime_ms)
            if handled.ok and op == "logout":
                # The engine locked the device (NM-07): every session ends with it.
                self.store.end_session(None)
            if handled.document is not None:
                self.store.commit_document(
                    handled.document, self.device.export_state(), parents=parent_hexes,
                    request=key, answer=handled.response,
                )
                return handled, key
            state = self.device.export_state()
            if state != before:
                self.store.put("state", state)
            self.store.commit()
            return handled, None
        except BaseException as e:
            self.store.rollback()
            # The database did not take it: the device goes back to the stored state (locked:
            # a restored device needs the PIN again) and the request is refused as such.
            self.device = Device.restore(self.store.state(), self._key)
            if isinstance(e, sqlite3.Error):
                return self._locked_copy().handle(
                    text, now, dialect=self.dialect, policy=self.policy, operation=operation
                ), None
            raise


def _to_directory(out: Path, first: int, last: int, lines: list[str]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    final = out / f"upload-{first:09d}-{last:09d}.jsonl"
    tmp = final.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="\n") as f:
        for line in lines:
            f.write(line + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, final)
    dfd = os.open(out, os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)


def _to_receiver(url: str, first: int, last: int, lines: list[str]) -> None:
    import urllib.request

    body = "".join(line + "\n" for line in lines).encode("utf-8")
    request = urllib.request.Request(
        url, data=body, method="POST",
        headers={"Content-Type": "application/x-ndjson", "X-First-Number": str(first),
                 "X-Last-Number": str(last)},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - the user's URL
        status = int(response.status)
        response.read()
    if not 200 <= status < 300:
        raise OSError(f"{url} answered {status}")


def drain(db_path: Union[str, Path], target: Union[str, Path]) -> tuple[int, int]:
    """Delivers the upload queue — the journal lines after the last delivery — to ``target``,
    then records the last number delivered (one transaction). ``target`` is a directory (one
    file ``upload-FIRST-LAST.jsonl``, written, fsynced, renamed, the directory fsynced) or an
    ``http://`` / ``https://`` receiver (one ``POST`` of the lines, ``application/x-ndjson``,
    headers ``X-First-Number`` / ``X-Last-Number``; delivered when it answers 2xx). A running
    server tells its device (``acknowledge_upload``) at its next operation; a stopped one at
    its start. A drain cut before its record is sent again (a duplicate changes nothing at the
    receiver, SECURITY.md §2.4). Returns (first, last); (0, 0) when nothing is pending."""
    store = Store(db_path)
    try:
        done = store.acknowledged_request()
        rows = list(store.lines(after=done))
        if not rows:
            return 0, 0
        first, last = rows[0][0], rows[-1][0]
        lines = [line for _, line in rows]
        where = str(target)
        if where.startswith(("http://", "https://")):
            _to_receiver(where, first, last, lines)
        else:
            _to_directory(Path(target), first, last, lines)
        store.begin()
        try:
            if store.acknowledged_request() < last:
                store.put("acknowledged_request", last)
            store.commit()
        except BaseException:
            store.rollback()
            raise
        return first, last
    finally:
        store.close()


def init_token(db_path: Union[str, Path], pin: Optional[str] = None) -> tuple[str, str]:
    """Makes a **test** token in ``db_path``: a random test authority, a certificate for a
    random device key (valid from yesterday for three years), the device activated
    (document 1). Returns (the PIN, the authority's public key in hex). The authority's
    private key is not kept: nobody can certify another device under it."""
    from fiscal_core._native import Certificate

    pin = pin if pin is not None else f"{secrets.randbelow(10**6):06d}"
    authority = PrivateKey.from_seed(secrets.token_bytes(32))
    key = PrivateKey.from_seed(secrets.token_bytes(32))
    start = now_ms()
    certificate = Certificate.issue(
        authority,
        serial=secrets.randbelow(10**9) + 1,
        kassa_model="fiscal-core test token",
        kassa_factory_number=f"TEST-{secrets.token_hex(4).upper()}",
        nmq_factory_number=f"TEST-NMQ-{secrets.token_hex(4).upper()}",
        nmq_registration_number="TEST-AUTHORITY-NOT-FISCAL",
        taxpayer_name="TEST AUTHORITY - not a fiscal device",
        voen="0000000000",
        object_code="TEST",
        object_name="Test token (fiscal-core)",
        object_address="127.0.0.1",
        valid_from=_moment(start - 86_400_000),
        valid_until=_moment(start + 1090 * 86_400_000),
        device_key=key.public_key(),
    )
    device, activation = Device.activate(
        certificate, authority.public_key(), key, pin, _moment(start)
    )
    store = Store(db_path, create=True)
    try:
        store.initialise(certificate, authority.public_key(), key, activation,
                         device.export_state(), test_authority=True)
    finally:
        store.close()
    return pin, authority.public_key().hex()


def load_token(
    db_path: Union[str, Path], certificate: Any, authority: Any, key: PrivateKey, pin: str
) -> None:
    """Makes a token from a certificate, its authority's public key and the device key
    instead of a test authority (a lab's own authority, say): the device is activated now
    (``Device.activate`` checks the certificate against the authority and the key). The key
    is then stored in ``db_path`` like a test token's: keep the file as secret as the key."""
    device, activation = Device.activate(certificate, authority, key, pin, _moment(now_ms()))
    store = Store(db_path, create=True)
    try:
        store.initialise(certificate, authority, key, activation, device.export_state(),
                         test_authority=False)
    finally:
        store.close()


def export_journal(db_path: Union[str, Path], journal: Union[str, Path]) -> Path:
    """Writes the journal ``fiscal-core verify`` checks (the certificate line, then every
    document) and the authority key file beside it (``JOURNAL.authority``, as ``fiscal-core
    demo`` does); returns the key file's path."""
    store = Store(db_path)
    try:
        path = Path(journal)
        with path.open("w", encoding="utf-8", newline="\n") as f:
            f.write(store.certificate().to_journal_line() + "\n")
            for _, line in store.lines():
                f.write(line + "\n")
        key_path = path.with_name(path.name + ".authority")
        key_path.write_text(store.authority().hex() + "\n", encoding="ascii")
        return key_path
    finally:
        store.close()
