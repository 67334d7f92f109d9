#!/usr/bin/env python3
"""The fleet's figures (issue #20): documents per second on 1 and 2 Dask workers against the
single-process verifier, and Parquet bytes per document.

    .venv/bin/python benches/fleet_bench.py            # prints the figures (Markdown)
    .venv/bin/python benches/fleet_bench.py --write    # and puts them in benches/RESULTS.md

Needs the module built with the fleet extra's packages (``bash bindings-python/test.sh``
installs them into ``.venv``). Generates a synthetic fleet under a TEST authority into a
temporary folder (removed after): by default 60 devices × 6 days of 20–45 receipts (the
national average is about 33 receipts a kassa a day), no planted fault. Each timing is the
best of ``--repeat`` runs (the machine is shared), with the CPU time of that run in every
process (the client's and the workers'): what the national estimate is made of, since a
neighbour's build stretches the wall time but not the CPU time. A cluster is started once per
size, and its start is timed apart. See benches/README.md, "Fleet", for what the figures say at
national scale.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benches" / "RESULTS.md"
BEGIN = "<!-- fleet_bench.py: begin -->"
END = "<!-- fleet_bench.py: end -->"


def log(message: str) -> None:
    print(f"[fleet_bench] {message}", file=sys.stderr, flush=True)


def best(repeat: int, run: Callable[[], Any], cpu: Callable[[], float] = time.process_time,
         ) -> tuple[float, Any, float]:
    """(the best wall time, the last result, the CPU seconds of that best run): CPU time is
    what the figures per document are made of, since a neighbour's build on the shared cores
    stretches the wall time but not the CPU time."""
    runs, result = [], None
    for _ in range(repeat):
        c, t = cpu(), time.perf_counter()
        result = run()
        runs.append((time.perf_counter() - t, cpu() - c))
    wall, used = min(runs)
    return wall, result, used


def _rusage() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def measure(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    import distributed

    from fiscal_core import PublicKey, verify_journal_file
    from fiscal_core import fleet
    from fiscal_core.fleet import _tasks, sql

    raw: dict[str, Any] = {
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": f"{cpu_model()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
                   f"dask {distributed.__version__}",
        "load_before": os.getloadavg(),
        "devices": args.devices, "days": args.days, "receipts": args.receipts,
    }
    log(f"generating {args.devices} devices × {args.days} days …")
    t = time.perf_counter()
    g = fleet.generate(work / "journals", args.devices, args.days, seed=1,
                       receipts=tuple(args.receipts), faults=0.0)
    raw["generate_s"] = time.perf_counter() - t
    key = PublicKey.from_hex(g.authority)
    docs = g.documents
    raw["documents"] = docs
    raw["journal_bytes"] = sum(p.stat().st_size for p in g.journals)
    log(f"{docs} documents, {raw['journal_bytes']:,} journal bytes")

    def engine_only() -> int:
        return sum(verify_journal_file(p, key, workers=1).documents for p in g.journals)

    def fleet_task_in_process() -> int:
        return sum(fleet.summarize(p, key).documents for p in g.journals)

    def export_in_process() -> int:
        out = work / "export-in-process"
        shutil.rmtree(out, ignore_errors=True)
        n = 0
        for p in g.journals:
            o = _tasks.export_task(str(p), fleet.journal_id(p), None, (), authority=g.authority,
                                   out_dir=str(out))
            n += o.rows.get("documents", 0)
        return n

    log("single process …")
    raw["single_engine_s"], n, raw["single_engine_cpu"] = best(args.repeat, engine_only)
    assert n == docs, (n, docs)
    raw["single_engine_2threads_s"], _, raw["single_engine_2threads_cpu"] = best(
        args.repeat, lambda: sum(verify_journal_file(p, key, workers=2).documents
                                 for p in g.journals))
    raw["single_task_s"], _, raw["single_task_cpu"] = best(args.repeat, fleet_task_in_process)
    raw["single_export_s"], _, raw["single_export_cpu"] = best(args.repeat, export_in_process)

    for workers in (1, 2):
        log(f"LocalCluster, {workers} worker{'s' if workers > 1 else ''} …")
        t = time.perf_counter()
        cluster = distributed.LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
            dashboard_address=":0", silence_logs=50)
        client = distributed.Client(cluster)
        client.wait_for_workers(workers)
        raw[f"cluster_start_{workers}_s"] = time.perf_counter() - t
        def cluster_cpu() -> float:
            # Every worker process's CPU time, and this process's (the client's side).
            return sum(client.run(_rusage).values()) + _rusage()

        try:
            fleet.verify(g.journals[:workers * 2], key, client)  # warm: imports on the workers
            fleet.export(g.journals[:workers * 2], work / "warm", key, client)
            raw[f"dask{workers}_verify_s"], report, raw[f"dask{workers}_verify_cpu"] = best(
                args.repeat, lambda: fleet.verify(g.journals, key, client), cluster_cpu)
            assert report.documents == docs and report.valid == len(g.journals)
            # One more run, to see how the work was shared and how many cores the machine gave.
            before, mine, t = client.run(_rusage), _rusage(), time.perf_counter()
            fleet.verify(g.journals, key, client)
            wall = time.perf_counter() - t
            after = client.run(_rusage)
            shares = [after[w] - before[w] for w in before]
            raw[f"dask{workers}_verify_worker_cpu"] = shares
            raw[f"dask{workers}_verify_cores"] = (sum(shares) + _rusage() - mine) / wall

            def export_run() -> Any:
                out = work / f"export-{workers}"
                shutil.rmtree(out, ignore_errors=True)
                return fleet.export(g.journals, out, key, client)

            raw[f"dask{workers}_export_s"], exported, raw[f"dask{workers}_export_cpu"] = best(
                args.repeat, export_run, cluster_cpu)
            again = fleet.export(g.journals, work / f"export-{workers}", key, client)
            raw[f"dask{workers}_export_skip_s"] = again.seconds
            assert again.skipped == len(g.journals)
        finally:
            client.close()
            cluster.close()
    out = work / "export-2"
    files = sorted(out.glob("*/*/*/*.parquet"))
    raw["parquet_files"] = len(files)
    raw["parquet_bytes"] = sum(f.stat().st_size for f in files)
    raw["rows"] = exported.rows
    per: dict[str, int] = {}
    for f in files:
        dataset = f.relative_to(out).parts[0]
        per[dataset] = per.get(dataset, 0) + f.stat().st_size
    raw["parquet_bytes_by_dataset"] = per
    # The same rows compacted: one zstd file per dataset (what a daily compaction would write),
    # and the same again in the export's layout with one file per (date, VÖEN) partition.
    con = sql.connect(out)
    compact: dict[str, int] = {}
    merged = work / "merged"
    merged.mkdir()
    for dataset in per:
        target = work / f"compact-{dataset}.parquet"
        con.execute(f"COPY (SELECT * FROM {dataset} ORDER BY date, voen, device) TO "
                    f"'{target.as_posix()}' (FORMAT parquet, COMPRESSION zstd)")
        compact[dataset] = target.stat().st_size
        con.execute(f"COPY (SELECT * FROM {dataset} ORDER BY date, voen, device) TO "
                    f"'{(merged / dataset).as_posix()}' (FORMAT parquet, COMPRESSION zstd, "
                    "PARTITION_BY (date, voen), WRITE_PARTITION_COLUMNS true, "
                    "FILENAME_PATTERN 'part{i}')")
    con.close()
    raw["compact_bytes_by_dataset"] = compact
    raw["merged_files"] = len(list(merged.glob("*/*/*/*.parquet")))

    def queries(folder: Path) -> float:
        t = time.perf_counter()
        for name in sql.queries():
            sql.run(folder, name)
        return time.perf_counter() - t

    raw["queries_s"] = min(queries(out) for _ in range(2))
    raw["queries_merged_s"] = min(queries(merged) for _ in range(2))
    raw["load_after"] = os.getloadavg()
    return raw


def report(raw: dict[str, Any]) -> str:
    docs = raw["documents"]

    def rate(key: str) -> str:
        return f"{docs / raw[key]:,.0f}"

    def vs(key: str, base: str = "single_engine_s") -> str:
        return f"{raw[base] / raw[key]:.2f} ×"

    def row(label: str, name: str) -> str:
        cpu = raw.get(f"{name}_cpu")
        per = f"{cpu / docs * 1e6:,.0f}" if cpu else ""
        return (f"| {label} | {raw[name + '_s']:.2f} | {rate(name + '_s')} | {vs(name + '_s')} "
                f"| {per} |")

    lo, hi = raw["receipts"]
    pq = raw["parquet_bytes"]
    compact = sum(raw["compact_bytes_by_dataset"].values())
    lines = [
        BEGIN,
        "## Fleet: Dask, Parquet (issue #20)",
        "",
        f"Measured {raw['when']} by `.venv/bin/python benches/fleet_bench.py --write` (best of "
        f"{raw.get('repeat', 3)} runs each). Machine: {raw['machine']}; load average "
        f"{tuple(round(x, 2) for x in raw['load_before'])} at the start, "
        f"{tuple(round(x, 2) for x in raw['load_after'])} at the end (the cores are shared).",
        "",
        f"Fleet: {raw['devices']} synthetic devices × {raw['days']} days, {lo}–{hi} receipts a "
        f"day, no fault: **{docs:,} documents** in {raw['devices']} journals "
        f"({raw['journal_bytes'] / docs:,.0f} journal bytes a document). Generated in "
        f"{raw['generate_s']:.1f} s.",
        "",
        "Read the wall-clock columns against the load: with other builds on the two cores (a load "
        "average above 2) they are upper bounds, and 2 workers cannot beat 1 by much; the CPU "
        "column (the best run's CPU time in every process: the client with the LocalCluster's "
        "scheduler, and each worker) is the cost a document has on free cores.",
        "",
        "| what | seconds (best) | documents/s | vs the single-process verifier | CPU µs a document (all processes) |",
        "|---|---|---|---|---|",
        row("single process: `verify_journal_file(…, workers=1)` on each journal in turn (the engine alone)", "single_engine"),
        row("single process: the same, `workers=2` (the engine's threads within a journal)", "single_engine_2threads"),
        row("single process: the fleet's verify task (`fleet.summarize`: engine + summary)", "single_task"),
        row("**`fleet.verify`, LocalCluster, 1 worker**", "dask1_verify"),
        row("**`fleet.verify`, LocalCluster, 2 workers**", "dask2_verify"),
        row("single process: the export task on each journal (verify, Arrow, Parquet files)", "single_export"),
        row("`fleet.export`, LocalCluster, 1 worker", "dask1_export"),
        row("`fleet.export`, LocalCluster, 2 workers", "dask2_export"),
        f"| `fleet.export` again, nothing changed (every journal hashed and skipped), 2 workers | {raw['dask2_export_skip_s']:.2f} | {rate('dask2_export_skip_s')} | | |",
        "",
        f"How the work was shared, in one more verify run on 2 workers: "
        f"{' s and '.join(f'{x:.2f}' for x in raw['dask2_verify_worker_cpu'])} s of CPU in "
        f"the two workers, and all our processes together used "
        f"{raw['dask2_verify_cores']:.2f} cores of the machine's two (1 worker: "
        f"{raw['dask1_verify_cores']:.2f})"
        + (": the other core was busy with other processes, so this run could not show what "
           "a second worker gives on a free core." if raw["dask2_verify_cores"] < 1.6 else "."),
        "",
        f"2 workers against 1: verify {raw['dask1_verify_s'] / raw['dask2_verify_s']:.2f} ×, "
        f"export {raw['dask1_export_s'] / raw['dask2_export_s']:.2f} ×. Starting the LocalCluster "
        f"(not in the times above): {raw['cluster_start_1_s']:.1f} s with 1 worker, "
        f"{raw['cluster_start_2_s']:.1f} s with 2. The 8 ready queries over the export "
        f"({raw['parquet_files']:,} files): {raw['queries_s']:.2f} s together; over the same rows "
        f"with one file per dataset and (date, VÖEN) partition ({raw['merged_files']:,} files): "
        f"{raw['queries_merged_s']:.2f} s.",
        "",
        f"Parquet: **{pq / docs:,.0f} bytes a document** as exported ({raw['parquet_files']:,} "
        f"files, partitioned by date and VÖEN, one file per journal, dataset and partition: "
        f"{pq / raw['parquet_files'] / 1024:,.1f} KiB a file on average); "
        f"**{compact / docs:,.0f} bytes a document** compacted (each dataset's rows in one zstd "
        f"file, ordered by date, VÖEN and device).",
        "",
        "| dataset | rows | exported bytes | bytes/document | compacted bytes | bytes/document |",
        "|---|---|---|---|---|---|",
    ]
    for dataset, size in raw["parquet_bytes_by_dataset"].items():
        c = raw["compact_bytes_by_dataset"][dataset]
        lines.append(f"| {dataset} | {raw['rows'].get(dataset, 0):,} | {size:,} | {size / docs:,.1f} "
                     f"| {c:,} | {c / docs:,.1f} |")
    lines.append(f"| **all** | | {pq:,} | **{pq / docs:,.0f}** | {compact:,} | **{compact / docs:,.0f}** |")
    lines += ["", END, ""]
    return "\n".join(lines)


def write_results(text: str) -> None:
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    if BEGIN in current and END in current:
        pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END) + r"\n?", re.S)
        updated = pattern.sub(lambda _: text, current)
    else:
        updated = current.rstrip("\n") + "\n\n" + text
    RESULTS.write_text(updated, encoding="utf-8")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--devices", type=int, default=60)
    p.add_argument("--days", type=int, default=6)
    p.add_argument("--receipts", type=int, nargs=2, default=[20, 45], metavar=("LO", "HI"))
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--write", action="store_true",
                   help="put the figures into benches/RESULTS.md (its fleet section)")
    p.add_argument("--json", type=Path, help="also write the raw numbers to this file")
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="fleet-bench-") as tmp:
        raw = measure(args, Path(tmp))
    raw["repeat"] = args.repeat
    text = report(raw)
    print(text)
    if args.json:
        args.json.write_text(json.dumps(raw, indent=1, default=str) + "\n", encoding="utf-8")
    if args.write:
        write_results(text)
        log(f"wrote the fleet section of {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
