"""``verify`` and ``export``: one Dask task per device journal.

The client is the caller's (``Client("tcp://scheduler:8786")``, or its address as text), or an
embedded ``LocalCluster`` of worker processes started for the call and closed after it. Tasks
are pure and submitted with ``retries``; a worker lost mid-run has its tasks run again
elsewhere by the scheduler, and the results are the same. A journal whose task fails on every
try ends as one ``journal_not_processed`` finding, never as a failed job.
"""

from __future__ import annotations

import json
import logging
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional, Sequence, Union

from fiscal_core._native import PublicKey
from fiscal_core.fleet._journal import (
    NOT_PROCESSED,
    DeviceSummary,
    FleetFinding,
    PathLike,
    journal_id,
    unreadable,
)
from fiscal_core.fleet._tasks import ExportOutcome, export_task, verify_task

#: ``progress(done, total, summary)`` after each journal.
Progress = Callable[[int, int, DeviceSummary], object]
Journals = Union[PathLike, Iterable[PathLike]]
ClientLike = Any  # a distributed.Client, or a scheduler's address ("tcp://host:8786")

MANIFEST = Path("_fleet") / "manifest.json"


def journal_paths(journals: Journals) -> list[Path]:
    """The journals named, as absolute paths (a worker's working folder is not the caller's):
    a folder stands for every ``*.jsonl`` under it (sorted), anything else for itself (read by
    a worker: a missing file is a finding there, not an error here)."""
    items: Iterable[PathLike] = [journals] if isinstance(journals, (str, Path)) else journals
    out: list[Path] = []
    for item in items:
        p = Path(os.path.abspath(item))
        if p.is_dir() and p.suffix != ".jsonl":
            out.extend(sorted(p.rglob("*.jsonl")))
        else:
            out.append(p)
    return out


def _authority_hex(authority: Union[PublicKey, str]) -> str:
    if isinstance(authority, PublicKey):
        return authority.hex()
    return PublicKey.from_hex(authority.strip()).hex()  # refuses a bad key here, not per task


@contextmanager
def cluster(client: ClientLike = None, workers: Optional[int] = None) -> Iterator[Any]:
    """The client to run on: ``client`` itself, a client of the scheduler at that address,
    or an embedded ``LocalCluster`` of ``workers`` processes (default: one per core), one
    thread each (a task's engine call releases the GIL, but the rest of a task is Python)."""
    import distributed

    dask: Any = distributed  # its constructors are not annotated

    if client is not None and not isinstance(client, str):
        yield client
        return
    if isinstance(client, str):
        remote = dask.Client(client, timeout="30s")
        try:
            yield remote
        finally:
            remote.close()
        return
    local = dask.LocalCluster(
        n_workers=workers or os.cpu_count() or 1,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",  # the embedded cluster listens on loopback only
        dashboard_address=":0",  # any free port: never "8787 is already in use"
        silence_logs=logging.ERROR,
    )
    try:
        embedded = dask.Client(local, timeout="60s")
        try:
            yield embedded
        finally:
            embedded.close()
    finally:
        local.close(timeout=30)


def _workers(client: Any) -> int:
    try:
        return len(client.scheduler_info(n_workers=-1)["workers"])
    except TypeError:  # older distributed: no n_workers
        return len(client.scheduler_info()["workers"])


def _gather(
    client: Any,
    futures: Sequence[Any],
    on_done: Callable[[int, Any], None],
    on_failed: Callable[[int, BaseException], None],
    timeout: Optional[float],
) -> None:
    import distributed

    dask: Any = distributed

    index = {f.key: i for i, f in enumerate(futures)}
    # Results are fetched as tasks finish, concurrently (with_results), not one round trip
    # each; a task that failed on every try comes back as its exception.
    done = dask.as_completed(futures, with_results=True, raise_errors=False, timeout=timeout)
    for future, result in done:
        i = index[future.key]
        if future.status == "error":
            on_failed(i, result[1] if isinstance(result, tuple) else RuntimeError(str(result)))
        elif isinstance(result, BaseException):  # cancelled
            on_failed(i, result)
        else:
            on_done(i, result)
        future.release()


@dataclass(frozen=True)
class FleetReport:
    """What :func:`verify` found: one summary per journal, in the order given."""

    devices: tuple[DeviceSummary, ...]
    seconds: float
    workers: int
    #: Seconds spent starting the embedded cluster (0 on a cluster given), not in ``seconds``.
    startup: float = 0.0

    @property
    def documents(self) -> int:
        return sum(d.documents for d in self.devices)

    @property
    def receipts(self) -> int:
        return sum(d.receipts for d in self.devices)

    @property
    def valid(self) -> int:
        """Journals without findings."""
        return sum(1 for d in self.devices if d.valid)

    @property
    def findings(self) -> list[tuple[DeviceSummary, FleetFinding]]:
        """Every finding, with the journal it is in."""
        return [(d, f) for d in self.devices for f in d.findings]

    def findings_by(self, key: str = "rule") -> dict[str, int]:
        """Findings counted by ``"rule"`` (a fleet-level finding, which has none, by its
        code) or by ``"code"``, over every journal."""
        counts: dict[str, int] = {}
        for d in self.devices:
            for name, n in (d.findings_by_rule if key == "rule" else d.findings_by_code).items():
                counts[name] = counts.get(name, 0) + n
        return dict(sorted(counts.items()))

    def as_dict(self) -> dict[str, Any]:
        return {
            "journals": len(self.devices),
            "valid": self.valid,
            "documents": self.documents,
            "receipts": self.receipts,
            "findings_by_rule": self.findings_by("rule"),
            "findings_by_code": self.findings_by("code"),
            "workers": self.workers,
            "seconds": round(self.seconds, 3),
            "startup_seconds": round(self.startup, 3),
            "devices": [d.as_dict() for d in self.devices],
        }


def verify(
    journals: Journals,
    authority: Union[PublicKey, str],
    client: ClientLike = None,
    *,
    workers: Optional[int] = None,
    retries: int = 2,
    engine_threads: int = 1,
    progress: Optional[Progress] = None,
    timeout: Optional[float] = None,
) -> FleetReport:
    """Verifies every journal, one Dask task per device journal, and summarizes each: its
    documents, receipts, first and last number and time, shifts, Z-reports and findings (by
    rule and in full). ``client``: a ``distributed.Client``, a scheduler's address, or None for
    an embedded ``LocalCluster`` of ``workers`` processes. ``retries``: how often a failed
    task is tried again. ``timeout``: seconds before the run is abandoned (``TimeoutError``).
    """
    paths = journal_paths(journals)
    key = _authority_hex(authority)
    jids = [journal_id(p) for p in paths]
    results: list[Optional[DeviceSummary]] = [None] * len(paths)
    begun = time.perf_counter()
    with cluster(client, workers) as c:
        n_workers = _workers(c)
        started = time.perf_counter()
        futures = c.map(
            verify_task, [str(p) for p in paths], jids, authority=key,
            engine_threads=engine_threads, retries=retries, pure=False,
        )
        done = 0

        def on_done(i: int, summary: DeviceSummary) -> None:
            nonlocal done
            results[i] = summary
            done += 1
            if progress is not None:
                progress(done, len(paths), summary)

        def on_failed(i: int, error: BaseException) -> None:
            on_done(i, unreadable(paths[i], jids[i], error, code=NOT_PROCESSED))

        _gather(c, futures, on_done, on_failed, timeout)
        seconds = time.perf_counter() - started
    summaries = tuple(r for r in results if r is not None)
    return FleetReport(summaries, seconds, n_workers, started - begun)


@dataclass(frozen=True)
class ExportReport:
    """What :func:`export` did: every journal's summary (a skipped journal's from the
    manifest), how many were exported and skipped, and what was written this time."""

    out_dir: Path
    devices: tuple[DeviceSummary, ...]
    exported: int
    skipped: int
    files: int
    rows: dict[str, int]
    size: int
    seconds: float
    workers: int
    #: Seconds spent starting the embedded cluster (0 on a cluster given), not in ``seconds``.
    startup: float = 0.0

    @property
    def documents(self) -> int:
        return sum(d.documents for d in self.devices)

    def as_dict(self) -> dict[str, Any]:
        return {
            "out_dir": str(self.out_dir),
            "journals": len(self.devices),
            "exported": self.exported,
            "skipped": self.skipped,
            "files": self.files,
            "rows": dict(self.rows),
            "bytes": self.size,
            "documents": self.documents,
            "workers": self.workers,
            "seconds": round(self.seconds, 3),
            "startup_seconds": round(self.startup, 3),
        }


def read_manifest(out_dir: Path) -> dict[str, Any]:
    """The export's manifest: for each journal id, its path, content hash, files, rows and
    summary (``{}`` when nothing was exported there yet)."""
    path = out_dir / MANIFEST
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    journals: dict[str, Any] = data.get("journals", {})
    return journals


def _write_manifest(out_dir: Path, journals: dict[str, Any]) -> None:
    path = out_dir / MANIFEST
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(
        json.dumps({"format": 1, "journals": journals}, ensure_ascii=False, indent=0,
                   sort_keys=True) + "\n",
        encoding="utf-8",
    )
    os.replace(tmp, path)


def export(
    journals: Journals,
    out_dir: PathLike,
    authority: Union[PublicKey, str],
    client: ClientLike = None,
    *,
    workers: Optional[int] = None,
    retries: int = 2,
    engine_threads: int = 1,
    progress: Optional[Progress] = None,
    timeout: Optional[float] = None,
) -> ExportReport:
    """Verifies every journal and writes its documents, lines, tax groups, payments,
    references (``refs``), Z-reports and findings as Parquet datasets under ``out_dir``,
    partitioned by date and VÖEN (fleet/README.md). Incremental: a journal whose content hash
    was exported already is skipped; one that changed has its earlier files replaced."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = journal_paths(journals)
    key = _authority_hex(authority)
    jids = [journal_id(p) for p in paths]
    manifest = read_manifest(out)
    previous = [manifest.get(j, {}) for j in jids]
    outcomes: list[Optional[ExportOutcome]] = [None] * len(paths)
    begun = time.perf_counter()
    with cluster(client, workers) as c:
        n_workers = _workers(c)
        started = time.perf_counter()
        futures = c.map(
            export_task,
            [str(p) for p in paths],
            jids,
            [p.get("sha256") for p in previous],
            [tuple(p.get("files", ())) for p in previous],
            authority=key, out_dir=str(out.absolute()), engine_threads=engine_threads,
            retries=retries, pure=False,
        )
        done = 0

        def on_done(i: int, outcome: ExportOutcome) -> None:
            nonlocal done
            outcomes[i] = outcome
            done += 1
            if progress is not None:
                summary = outcome.summary or DeviceSummary.from_dict(previous[i]["summary"])
                progress(done, len(paths), summary)

        def on_failed(i: int, error: BaseException) -> None:
            summary = unreadable(paths[i], jids[i], error, code=NOT_PROCESSED)
            on_done(i, ExportOutcome(str(paths[i]), jids[i], None, False, summary,
                                     tuple(previous[i].get("files", ()))))

        _gather(c, futures, on_done, on_failed, timeout)
        seconds = time.perf_counter() - started
    summaries: list[DeviceSummary] = []
    rows: dict[str, int] = {}
    exported = skipped = files = size = 0
    for i, o in enumerate(outcomes):
        assert o is not None
        if o.skipped:
            skipped += 1
            summaries.append(DeviceSummary.from_dict(previous[i]["summary"]))
            continue
        assert o.summary is not None
        exported += 1
        files += len(o.files)
        size += o.size
        for name, n in o.rows.items():
            rows[name] = rows.get(name, 0) + n
        summaries.append(o.summary)
        manifest[o.journal_id] = {
            "path": o.path,
            "sha256": o.sha256,
            "files": list(o.files),
            "rows": o.rows,
            "bytes": o.size,
            "summary": o.summary.as_dict(),
        }
    _write_manifest(out, manifest)
    return ExportReport(out, tuple(summaries), exported, skipped, files, rows, size, seconds,
                        n_workers, started - begun)


__all__ = ["ExportReport", "FleetReport", "cluster", "export", "journal_paths",
           "read_manifest", "verify"]
