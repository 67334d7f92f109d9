"""The fleet's tasks: what one Dask worker does with one device's journal.

Both are pure: the same journal gives the same result and the same files, so a task that the
scheduler runs again (a retry, or a worker lost mid-run) changes nothing. They never raise for
a bad journal — an unreadable one is a finding (``unreadable_journal``) — so one broken file
never fails the job. Arguments are plain values (paths, the authority key in hex): the workers
read the journals themselves, which must be reachable at the same path there (a shared
filesystem on a real cluster).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from fiscal_core._native import PublicKey
from fiscal_core.fleet._journal import (
    DeviceSummary,
    Parsed,
    read,
    summarize,
    summarize_bytes,
    unreadable,
)


def verify_task(path: str, jid: str, *, authority: str, engine_threads: int = 1) -> DeviceSummary:
    """Verifies one journal (the engine runs with the GIL released) and summarizes it."""
    return summarize(path, PublicKey.from_hex(authority), jid=jid, engine_threads=engine_threads)


@dataclass(frozen=True)
class ExportOutcome:
    """What exporting one journal did: skipped (its content hash was exported already), or
    the files written (relative to the output folder), rows by dataset and bytes."""

    path: str
    journal_id: str
    sha256: Optional[str]
    skipped: bool
    summary: Optional[DeviceSummary]
    files: tuple[str, ...] = ()
    rows: dict[str, int] = field(default_factory=dict)
    size: int = 0


def export_task(
    path: str,
    jid: str,
    previous_sha: Optional[str],
    previous_files: tuple[str, ...],
    *,
    authority: str,
    out_dir: str,
    engine_threads: int = 1,
) -> ExportOutcome:
    """Verifies one journal and writes its Parquet files; skips it when its content hash is
    ``previous_sha``. Files of an earlier version of the journal (``previous_files``) that
    this one does not write again are removed."""
    from fiscal_core.fleet import _tables  # pyarrow: only where the export runs

    out = Path(out_dir)
    try:
        data = read(path)
    except OSError as e:
        summary = unreadable(path, jid, e)
        sha: Optional[str] = None
        parsed = Parsed(None, [])
    else:
        sha = hashlib.sha256(data).hexdigest()
        if sha == previous_sha:
            return ExportOutcome(path, jid, sha, True, None, previous_files)
        summary, parsed = summarize_bytes(
            path, jid, data, PublicKey.from_hex(authority), engine_threads=engine_threads
        )
    rows = _tables.rows_of(summary, parsed)
    stem = f"{jid}-{sha[:16] if sha else 'unreadable'}"
    files, counts, size = _tables.write(out, stem, rows)
    for old in set(previous_files) - set(files):
        try:
            os.remove(out / old)
        except FileNotFoundError:
            pass
    return ExportOutcome(path, jid, sha, False, summary, tuple(files), counts, size)


__all__ = ["ExportOutcome", "export_task", "verify_task"]
