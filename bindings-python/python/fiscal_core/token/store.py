"""The token's database: one SQLite file (``sqlite3``, WAL, ``synchronous=FULL``).

It holds the certificate, the authority's public key, the device key, the device state, the
journal (with the four forms of each fiscal ID, for looking up references), the upload queue's
acknowledged number, the sessions and an idempotency table (the answer given to a document
request, by the SHA-256 of its text).

**The device key is stored in the file.** That is what a *test* token does: a real token keeps
its key in a secure element the owner cannot read (spec/SECURITY.md §2.3, NM-13). A database
made by ``fiscal-core token init`` is marked ``test_authority`` and its authority is a test
authority whose certificates no tax service trusts.

Crash safety (spec/CRASH-SAFETY.md): every operation that issues a document commits its
journal line, the new state and the idempotency row in **one** transaction
(``Store.commit_document``). SQLite with ``synchronous=FULL`` makes the commit durable before
it returns, and atomic: after a ``kill -9`` or a power cut either all three are there or none
is, so the journal is never ahead of or behind the state, and §3's replay is never needed.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional, Union

from fiscal_core._native import Certificate, Document, PrivateKey, PublicKey

__all__ = ["Store", "StoredDocument", "base58", "request_key", "SCHEMA_VERSION"]

SCHEMA_VERSION = 1
#: How long an answer is kept for a retry (``prev_doc_number`` retries included).
ANSWERS_KEPT_MS = 24 * 3600 * 1000
_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS journal (
    number INTEGER PRIMARY KEY,
    line TEXT NOT NULL,
    fiscal_hex TEXT NOT NULL UNIQUE,
    short_hex TEXT NOT NULL,
    b58 TEXT NOT NULL,
    b58_short TEXT NOT NULL,
    kind TEXT NOT NULL,
    time_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS journal_short_hex ON journal (short_hex);
CREATE INDEX IF NOT EXISTS journal_b58 ON journal (b58);
CREATE INDEX IF NOT EXISTS journal_b58_short ON journal (b58_short);
CREATE TABLE IF NOT EXISTS journal_refs (parent_hex TEXT NOT NULL, number INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS journal_refs_parent ON journal_refs (parent_hex);
CREATE TABLE IF NOT EXISTS sessions (
    token TEXT PRIMARY KEY, user TEXT, created_ms INTEGER NOT NULL, expires_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS idempotency (
    key TEXT PRIMARY KEY, answer TEXT NOT NULL, number INTEGER NOT NULL, time_ms INTEGER NOT NULL,
    delivered INTEGER NOT NULL DEFAULT 0
);
"""


def base58(data: bytes) -> str:
    """Base58 (Bitcoin alphabet) of ``data``: the form the vendor dialects answer IDs in."""
    n = int.from_bytes(data, "big")
    out = []
    while n:
        n, r = divmod(n, 58)
        out.append(_ALPHABET[r])
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + "".join(reversed(out))


def request_key(dialect: str, operation: Optional[str], text: str) -> str:
    """The idempotency key of a request: SHA-256 of the dialect, the endpoint and the text."""
    h = hashlib.sha256()
    for part in (dialect, operation or "", text):
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def now_ms() -> int:
    """The wall clock in milliseconds since the epoch."""
    return time.time_ns() // 1_000_000


@dataclass(frozen=True)
class StoredDocument:
    """One journal row."""

    number: int
    line: str
    fiscal_hex: str
    b58: str
    kind: str
    time_ms: int

    def document(self) -> Document:
        return Document.from_json(self.line)


class Store:
    """The token's SQLite database. One ``Store`` is one connection; use it from one thread
    at a time (the service holds its lock around every call)."""

    def __init__(self, path: Union[str, Path], *, create: bool = False, timeout: float = 30.0) -> None:
        self.path = Path(path)
        if not create and not self.path.is_file():
            raise FileNotFoundError(f"{self.path}: no token here (run `fiscal-core token init`)")
        self.db = sqlite3.connect(
            str(self.path), timeout=timeout, isolation_level=None, check_same_thread=False
        )
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.executescript(_SCHEMA)

    def close(self) -> None:
        self.db.close()

    # -- transactions -------------------------------------------------------------------
    def begin(self) -> None:
        """Starts a write transaction (``BEGIN IMMEDIATE``: the write lock is taken now)."""
        self.db.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.db.execute("COMMIT")

    def rollback(self) -> None:
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")

    # -- meta ----------------------------------------------------------------------------
    def get(self, name: str) -> Optional[bytes]:
        row = self.db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        if row is None:
            return None
        value = row[0]
        return value if isinstance(value, bytes) else str(value).encode("utf-8")

    def get_text(self, name: str) -> Optional[str]:
        value = self.get(name)
        return None if value is None else value.decode("utf-8")

    def get_int(self, name: str, default: int = 0) -> int:
        value = self.get_text(name)
        return default if value is None else int(value)

    def put(self, name: str, value: Union[bytes, str, int]) -> None:
        blob = value if isinstance(value, bytes) else str(value).encode("utf-8")
        self.db.execute(
            "INSERT INTO meta (name, value) VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            (name, blob),
        )

    @property
    def initialised(self) -> bool:
        return self.get("state") is not None

    def certificate(self) -> Certificate:
        text = self.get_text("certificate")
        if text is None:
            raise LookupError(f"{self.path}: no token here (run `fiscal-core token init`)")
        return Certificate.from_journal_line(text)

    def authority(self) -> PublicKey:
        text = self.get_text("authority")
        if text is None:
            raise LookupError(f"{self.path}: no authority key")
        return PublicKey.from_hex(text)

    def device_key(self) -> PrivateKey:
        data = self.get("device_key")
        if data is None:
            raise LookupError(f"{self.path}: no device key")
        return PrivateKey.from_bytes(data)

    def state(self) -> bytes:
        data = self.get("state")
        if data is None:
            raise LookupError(f"{self.path}: no device state")
        return data

    # -- journal -------------------------------------------------------------------------
    def _insert(self, doc: Document, parents: list[str]) -> None:
        fiscal = doc.fiscal_id
        b58 = base58(bytes.fromhex(fiscal))
        self.db.execute(
            "INSERT INTO journal (number, line, fiscal_hex, short_hex, b58, b58_short, kind, "
            "time_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (doc.number, doc.to_json(), fiscal, doc.short_id, b58, b58[:12], doc.kind,
             int(doc.time.timestamp() * 1000)),
        )
        for parent in parents:
            self.db.execute(
                "INSERT INTO journal_refs (parent_hex, number) VALUES (?, ?)", (parent, doc.number)
            )

    def commit_document(
        self,
        doc: Document,
        state: bytes,
        *,
        parents: list[str],
        request: Optional[str] = None,
        answer: Optional[str] = None,
    ) -> None:
        """Inside the transaction begun by ``begin``: the journal line, the new state and the
        idempotency row (when ``request`` is given), then COMMIT — one atomic, durable write."""
        self._insert(doc, parents)
        self.put("state", state)
        if request is not None and answer is not None:
            t = now_ms()
            self.db.execute(
                "INSERT OR REPLACE INTO idempotency (key, answer, number, time_ms) "
                "VALUES (?, ?, ?, ?)",
                (request, answer, doc.number, t),
            )
            if doc.number % 500 == 0:  # answers are kept a day: a retry comes within minutes
                self.db.execute("DELETE FROM idempotency WHERE time_ms < ?", (t - ANSWERS_KEPT_MS,))
        self.commit()

    def initialise(
        self,
        certificate: Certificate,
        authority: PublicKey,
        key: PrivateKey,
        activation: Document,
        state: bytes,
        *,
        test_authority: bool,
    ) -> None:
        """Stores a freshly activated device (document 1) in one transaction."""
        self.begin()
        try:
            if self.initialised:
                raise FileExistsError(f"{self.path} already holds a token")
            self.put("schema", SCHEMA_VERSION)
            self.put("certificate", certificate.to_journal_line())
            self.put("authority", authority.hex())
            self.put("device_key", key.to_bytes())
            self.put("test_authority", 1 if test_authority else 0)
            self.put("acknowledged_request", 0)
            self.commit_document(activation, state, parents=[])
        except BaseException:
            self.rollback()
            raise

    def last_number(self) -> int:
        row = self.db.execute("SELECT MAX(number) FROM journal").fetchone()
        return int(row[0] or 0)

    def find(self, reference: str) -> Optional[StoredDocument]:
        """The document a reference names, in any of its four forms (hex or Base58, long or
        short); ``None`` when the journal has none."""
        r = reference.strip()
        row = self.db.execute(
            "SELECT number, line, fiscal_hex, b58, kind, time_ms FROM journal WHERE "
            "fiscal_hex = ? OR short_hex = ? OR b58 = ? OR b58_short = ? LIMIT 1",
            (r.lower(), r.lower(), r, r),
        ).fetchone()
        return None if row is None else StoredDocument(*row)

    def claims_on(self, fiscal_hex: str) -> list[StoredDocument]:
        """The documents that named the receipt ``fiscal_hex`` (earlier returns, instalments,
        sales spending an advance): supplied too, for receipts below the ledger's horizon."""
        rows = self.db.execute(
            "SELECT j.number, j.line, j.fiscal_hex, j.b58, j.kind, j.time_ms FROM journal_refs r "
            "JOIN journal j ON j.number = r.number WHERE r.parent_hex = ? ORDER BY j.number",
            (fiscal_hex,),
        ).fetchall()
        return [StoredDocument(*row) for row in rows]

    def document(self, number: int) -> Optional[Document]:
        row = self.db.execute("SELECT line FROM journal WHERE number = ?", (number,)).fetchone()
        return None if row is None else Document.from_json(row[0])

    def lines(self, after: int = 0) -> Iterator[tuple[int, str]]:
        """Journal lines numbered above ``after``, in order."""
        cur = self.db.execute(
            "SELECT number, line FROM journal WHERE number > ? ORDER BY number", (after,)
        )
        for number, line in cur:
            yield int(number), str(line)

    def numbers(self) -> list[int]:
        return [int(r[0]) for r in self.db.execute("SELECT number FROM journal ORDER BY number")]

    # -- idempotency ----------------------------------------------------------------------
    def answer_for(self, key: str) -> Optional[tuple[str, int, int, bool]]:
        """The answer already given to a request: (answer text, document number, time ms,
        whether it is known to have been handed to the transport)."""
        row = self.db.execute(
            "SELECT answer, number, time_ms, delivered FROM idempotency WHERE key = ?", (key,)
        ).fetchone()
        return None if row is None else (str(row[0]), int(row[1]), int(row[2]), bool(row[3]))

    def mark_delivered(self, key: str) -> None:
        """Records that the answer to ``key`` was handed to the transport. Not made durable
        (``synchronous=OFF`` for this one write): a lost mark only lets a retry of that text
        be answered from the store, which is the safe side."""
        self.db.execute("PRAGMA synchronous=OFF")
        try:
            self.db.execute("UPDATE idempotency SET delivered = 1 WHERE key = ?", (key,))
        finally:
            self.db.execute("PRAGMA synchronous=FULL")

    # -- sessions -------------------------------------------------------------------------
    def add_session(self, token: str, user: Optional[str], lifetime_ms: int) -> None:
        t = now_ms()
        self.db.execute("DELETE FROM sessions WHERE expires_ms <= ?", (t,))
        self.db.execute(
            "INSERT INTO sessions (token, user, created_ms, expires_ms) VALUES (?, ?, ?, ?)",
            (token, user, t, t + lifetime_ms),
        )

    def session(self, token: str) -> Optional[tuple[Optional[str], int]]:
        """The session's user and expiry when ``token`` is a live session."""
        row = self.db.execute(
            "SELECT user, expires_ms FROM sessions WHERE token = ? AND expires_ms > ?",
            (token, now_ms()),
        ).fetchone()
        return None if row is None else (row[0], int(row[1]))

    def end_session(self, token: Optional[str]) -> None:
        if token is None:
            self.db.execute("DELETE FROM sessions")
        else:
            self.db.execute("DELETE FROM sessions WHERE token = ?", (token,))

    # -- uploads --------------------------------------------------------------------------
    def acknowledged_request(self) -> int:
        """The highest number an upload drain has delivered (the device is told at its next
        operation; see ``TokenService``)."""
        return self.get_int("acknowledged_request")
