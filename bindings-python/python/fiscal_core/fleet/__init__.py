"""fiscal_core.fleet — every kassa's journals at national scale: verified on a Dask cluster,
exported to Parquet, asked with SQL (``pip install 'fiscal-core[fleet]'``).

- :func:`verify` — one Dask task per device journal (a device's chain is the unit of work),
  on the ``distributed.Client`` given, a scheduler's address (``"tcp://scheduler:8786"``), or
  an embedded ``LocalCluster``; each task calls the engine's verifier, which releases the GIL.
  The result: per device, its documents, receipts, first and last number and time, shifts,
  Z-reports and findings by rule, and the findings themselves.
- :func:`export` — the same, writing Parquet datasets partitioned by date and VÖEN with typed
  Arrow schemas (amounts ``decimal128`` at their scale, times in Baku's zone): documents,
  lines, tax groups, payments, references, Z-reports, findings. Incremental: a journal already
  exported (same content hash) is skipped.
- :mod:`fiscal_core.fleet.sql` — DuckDB over an export, with the inspector's ready queries;
  :mod:`fiscal_core.fleet.chart` — the daily turnover and findings as a PNG.
- :func:`generate` — a synthetic fleet (N devices × M days, faults planted) for tests and
  benchmarks, under a TEST authority.

An unreadable journal is one finding of its device (``unreadable_journal``), never a failed
job; a worker lost mid-run is replaced and its tasks run again, with the same results. See
``fleet/README.md`` for the datasets, the queries and the finding codes.

Importing this package needs none of the extra's packages: Dask, pyarrow, DuckDB and
matplotlib are imported by the functions that use them.
"""

from __future__ import annotations

from fiscal_core.fleet._journal import (
    NOT_PROCESSED,
    UNREADABLE,
    DeviceSummary,
    FleetFinding,
    journal_id,
    summarize,
)
from fiscal_core.fleet._run import (
    ExportReport,
    FleetReport,
    cluster,
    export,
    journal_paths,
    read_manifest,
    verify,
)
from fiscal_core.fleet.synth import FAULTS, TAMPERING, Fleet, Planted, generate

__all__ = [
    "DeviceSummary",
    "ExportReport",
    "FAULTS",
    "Fleet",
    "FleetFinding",
    "FleetReport",
    "NOT_PROCESSED",
    "Planted",
    "TAMPERING",
    "UNREADABLE",
    "cluster",
    "export",
    "generate",
    "journal_id",
    "journal_paths",
    "read_manifest",
    "summarize",
    "verify",
]

del annotations
