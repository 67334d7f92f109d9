"""``fiscal-core fleet``: generate, verify, export, sql, report.

    fiscal-core fleet generate OUT [--devices N] [--days M] [--seed S] [--receipts LO-HI]
                     [--faults SHARE]
    fiscal-core fleet verify JOURNAL|DIR... --authority KEY|FILE [--scheduler ADDR | --workers N]
                     [--retries N] [--all] [--json]
    fiscal-core fleet export JOURNAL|DIR... --authority KEY|FILE --out DIR
                     [--scheduler ADDR | --workers N] [--retries N] [--json]
    fiscal-core fleet sql --data DIR [QUERY|"SELECT …"] [--set NAME=VALUE] [--json] [--list]
                     [--setup]
    fiscal-core fleet report --data DIR [--out PNG] [--title TEXT]

Exit codes as the other commands: 0 valid (or done), 1 findings, 2 usage error or unreadable
input. ``cli.py`` registers the command with :func:`add_parser` and runs it with :func:`run`;
the extra's packages are imported only when a command runs.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Optional, Sequence, TextIO

from fiscal_core._argtypes import count as _count
from fiscal_core._argtypes import positive as _positive

EXIT_VALID = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

_EXAMPLES = """\
  fiscal-core fleet generate fleet --devices 20 --days 3        a synthetic fleet, faults planted
  fiscal-core fleet verify fleet --authority fleet/authority.hex
  fiscal-core fleet verify /data/journals --authority key.hex --scheduler tcp://scheduler:8786
  fiscal-core fleet export fleet --authority fleet/authority.hex --out parquet
  fiscal-core fleet sql --data parquet turnover_per_voen_day
  fiscal-core fleet sql --data parquet "SELECT kind, count(*) FROM documents GROUP BY kind"
  fiscal-core fleet report --data parquet --out fleet.png
"""


def _share(text: str) -> float:
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 <= x <= 1:
        raise argparse.ArgumentTypeError("a share, from 0 to 1")
    return x


def _range(text: str) -> tuple[int, int]:
    lo, sep, hi = text.partition("-")
    try:
        a, b = int(lo), int(hi if sep else lo)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not LO-HI (10-30)") from None
    if not 1 <= a <= b:
        raise argparse.ArgumentTypeError("LO-HI with 1 <= LO <= HI")
    return a, b


def _cluster_options(p: argparse.ArgumentParser) -> None:
    where = p.add_mutually_exclusive_group()
    where.add_argument("--scheduler", metavar="ADDR",
                       help="a running Dask scheduler (tcp://scheduler:8786); default: a local "
                       "cluster started for this run")
    where.add_argument("--workers", type=_positive, metavar="N",
                       help="worker processes of the local cluster (default: one per core)")
    p.add_argument("--retries", type=_count, default=2, metavar="N",
                   help="tries again of a task that failed (default 2)")
    p.add_argument("--authority", required=True, metavar="KEY",
                   help="the authority's public key in hex, or a file holding it")


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Adds ``fleet`` and its actions to the ``fiscal-core`` subparsers ``sub``."""
    f: argparse.ArgumentParser = sub.add_parser(
        "fleet",
        help="every kassa's journals at national scale: Dask, Parquet, SQL (extra: fleet)",
        description="Verify and analyse many devices' journals on a Dask cluster (one task per "
        "device journal), export them to Parquet partitioned by date and VÖEN, and ask them "
        "with SQL (DuckDB). Needs `pip install 'fiscal-core[fleet]'`.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n" + _EXAMPLES,
    )
    fs = f.add_subparsers(dest="fleet_command", required=True, metavar="ACTION")
    g = fs.add_parser("generate", help="write a synthetic fleet under a TEST authority, with "
                      "planted faults (for tests, benchmarks and trying the commands)")
    g.add_argument("out", type=Path, metavar="OUT", help="the folder to write the journals to")
    g.add_argument("--devices", type=_positive, default=50, help="devices (default 50)")
    g.add_argument("--days", type=_positive, default=3, help="working days each (default 3)")
    g.add_argument("--seed", type=int, default=0, help="the same seed writes the same bytes")
    g.add_argument("--receipts", type=_range, default=(10, 30), metavar="LO-HI",
                   help="receipts a day, lowest-highest (default 10-30)")
    g.add_argument("--faults", type=_share, default=0.2, metavar="SHARE",
                   help="share of devices with a planted fault (default 0.2)")
    v = fs.add_parser("verify", help="verify every journal, one Dask task per device")
    v.add_argument("journals", nargs="+", metavar="JOURNAL|DIR",
                   help="journals, or folders (every *.jsonl under them)")
    _cluster_options(v)
    v.add_argument("--all", action="store_true", help="list every device, not only those "
                   "with findings")
    v.add_argument("--json", action="store_true", help="print the report as JSON")
    e = fs.add_parser("export", help="verify and write Parquet datasets partitioned by date "
                      "and VÖEN (incremental: journals exported already are skipped)")
    e.add_argument("journals", nargs="+", metavar="JOURNAL|DIR")
    e.add_argument("--out", type=Path, required=True, metavar="DIR", help="the datasets' folder")
    _cluster_options(e)
    e.add_argument("--json", action="store_true", help="print what was done as JSON")
    s = fs.add_parser("sql", help="ask an export with SQL (DuckDB): a ready query by name, or "
                      "any SELECT")
    s.add_argument("query", nargs="?", metavar="QUERY|SQL",
                   help="a ready query's name (--list) or SQL text")
    s.add_argument("--data", type=Path, required=True, metavar="DIR", help="an export's folder")
    s.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                   help="a variable the query reads with getvariable (offline_days=3)")
    s.add_argument("--json", action="store_true", help="print the rows as a JSON array")
    s.add_argument("--list", action="store_true", help="list the ready queries")
    s.add_argument("--setup", action="store_true",
                   help="print the SQL that makes the views, for the duckdb tool")
    r = fs.add_parser("report", help="draw the daily turnover and the findings as a PNG")
    r.add_argument("--data", type=Path, required=True, metavar="DIR", help="an export's folder")
    r.add_argument("--out", type=Path, default=Path("fleet-report.png"), metavar="PNG",
                   help="the image to write (default fleet-report.png)")
    r.add_argument("--title", help="the chart's title (default: the fleet's totals)")
    return f


def _error(message: str) -> int:
    print(f"fiscal-core fleet: {message}", file=sys.stderr)
    return EXIT_USAGE


def _authority(given: str) -> str:
    """The key in hex, from the argument or the file it names (raises ValueError)."""
    from fiscal_core._native import PublicKey

    text = given.strip()
    if not (len(text) == 66 and all(c in "0123456789abcdefABCDEF" for c in text)):
        try:
            text = Path(given).read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError) as e:
            raise ValueError(f"cannot read the authority key {given}: {e}") from None
    try:
        return PublicKey.from_hex(text).hex()
    except ValueError as e:
        raise ValueError(f"{given} does not hold a P-256 public key in hex: {e}") from None


def _missing_extra(e: ImportError) -> int:
    return _error(f"needs the fleet extra (pip install 'fiscal-core[fleet]'): {e}")


def run(args: argparse.Namespace) -> int:
    """Runs ``fiscal-core fleet ACTION``; returns the exit code."""
    try:
        if args.fleet_command == "generate":
            return _generate(args)
        if args.fleet_command in ("verify", "export"):
            return _verify_or_export(args)
        if args.fleet_command == "sql":
            return _sql(args)
        return _report(args)
    except ImportError as e:
        return _missing_extra(e)


def _generate(args: argparse.Namespace) -> int:
    from fiscal_core.fleet.synth import generate

    try:
        fleet = generate(args.out, args.devices, args.days, seed=args.seed,
                         receipts=args.receipts, faults=args.faults)
    except OSError as e:
        return _error(f"cannot write {args.out}: {e.strerror or e}")
    print(f"TEST AUTHORITY: {fleet.authority}  (in {fleet.authority_file}; no tax service "
          "trusts it)")
    print(f"wrote {len(fleet.journals)} journals, {fleet.documents} documents, "
          f"to {fleet.directory}")
    for p in fleet.planted:
        print(f"  planted {p.fault:<16} {p.journal}: {p.detail}")
    return EXIT_VALID


@dataclass
class _Bar:
    """Progress on a terminal: ``[####......]  12/50 journals``."""

    stream: TextIO
    shown: bool = False

    def __call__(self, done: int, total: int, _summary: object) -> None:
        part = done / total if total else 1.0
        self.stream.write(f"\r[{'#' * int(part * 30):.<30}] {done}/{total} journals")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


def _verify_or_export(args: argparse.Namespace) -> int:
    from fiscal_core.fleet import _run

    try:
        key = _authority(args.authority)
    except ValueError as e:
        return _error(str(e))
    if not _run.journal_paths(args.journals):
        return _error("no journal: the folders hold no *.jsonl")
    bar = _Bar(sys.stderr) if sys.stderr.isatty() else None
    try:
        if args.fleet_command == "verify":
            report = _run.verify(args.journals, key, args.scheduler, workers=args.workers,
                                 retries=args.retries, progress=bar)
        else:
            exported = _run.export(args.journals, args.out, key, args.scheduler,
                                   workers=args.workers, retries=args.retries, progress=bar)
    except OSError as e:
        return _error(f"{e.strerror or e}")
    finally:
        if bar is not None:
            bar.close()
    if args.fleet_command == "verify":
        if args.json:
            print(json.dumps(report.as_dict(), ensure_ascii=False))
        else:
            _print_fleet(report, sys.stdout, every=args.all)
        return EXIT_VALID if report.valid == len(report.devices) else EXIT_FINDINGS
    if args.json:
        print(json.dumps(exported.as_dict(), ensure_ascii=False))
    else:
        _print_export(exported, sys.stdout)
    return EXIT_VALID if all(d.valid for d in exported.devices) else EXIT_FINDINGS


def _started(startup: float) -> str:
    return f" (+{startup:.1f} s to start the local cluster)" if startup >= 0.05 else ""


def _print_fleet(report: Any, out: TextIO, *, every: bool) -> None:
    devices = report.devices
    n = len(devices)
    bad = n - report.valid
    seconds, workers = report.seconds, report.workers
    rate = report.documents / seconds if seconds > 0 else 0.0
    out.write(f"{n} journals on {workers} worker{'s' if workers != 1 else ''}: "
              f"{report.documents} documents, {report.receipts} receipts in {seconds:.1f} s "
              f"({rate:,.0f} documents/s){_started(report.startup)}\n")
    out.write(f"  {report.valid} valid, {bad} with findings\n")
    by_rule = report.findings_by("rule")
    if by_rule:
        out.write("  findings by rule: " + ", ".join(f"{k} {v}" for k, v in by_rule.items()) + "\n")
    shown = [d for d in devices if every or not d.valid]
    if not shown:
        return
    out.write(f"\n{'journal':<20} {'device':<20} {'VÖEN':<10} {'docs':>5} {'rcpts':>5} "
              f"{'numbers':>9} {'first':<16} {'last':<16} {'shifts':>6} {'Z':>3}  findings\n")
    for d in shown:
        numbers = (f"{d.first_number or '?'}-{d.last_number or '?'}"
                   if d.first_number or d.last_number else "-")
        first = d.first_time.strftime("%Y-%m-%d %H:%M") if d.first_time else "-"
        last = d.last_time.strftime("%Y-%m-%d %H:%M") if d.last_time else "-"
        found = ", ".join(f"{k} {v}" for k, v in d.findings_by_code.items()) or "none"
        out.write(f"{Path(d.journal).name:<20} {d.device or '-':<20} {d.voen or '-':<10} "
                  f"{d.documents:>5} {d.receipts:>5} {numbers:>9} {first:<16} {last:<16} "
                  f"{d.shifts:>6} {d.z_reports:>3}  {found}\n")


def _print_export(report: Any, out: TextIO) -> None:
    docs = report.rows.get("documents", 0)
    per_doc = f", {report.size / docs:,.0f} bytes/document" if docs else ""
    unread = sum(1 for d in report.devices if d.sha256 is None)
    retried = f" ({unread} of them unreadable)" if unread else ""
    out.write(f"{len(report.devices)} journals on {report.workers} worker"
              f"{'s' if report.workers != 1 else ''} in {report.seconds:.1f} s"
              f"{_started(report.startup)}: {report.exported} exported{retried}, "
              f"{report.skipped} skipped (unchanged)\n")
    out.write(f"  wrote {report.files} Parquet files, {report.size:,} bytes{per_doc}, to "
              f"{report.out_dir}\n")
    if report.rows:
        out.write("  rows: " + ", ".join(f"{k} {v}" for k, v in report.rows.items()) + "\n")
    bad = [d for d in report.devices if not d.valid]
    if bad:
        out.write(f"  {len(bad)} journals with findings (in the findings dataset): "
                  + ", ".join(Path(d.journal).name for d in bad[:8])
                  + (", …" if len(bad) > 8 else "") + "\n")


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def print_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], out: TextIO) -> None:
    """Rows as an aligned text table (numbers to the right)."""
    cells = [[_plain(v) for v in row] for row in rows]
    numeric = [all(isinstance(r[i], (int, float, Decimal)) and not isinstance(r[i], bool)
                   for r in rows if r[i] is not None) for i in range(len(columns))]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v.rjust(w) if num else v.ljust(w)
                         for v, w, num in zip(values, widths, numeric)).rstrip()

    out.write(line(list(columns)) + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for r in cells:
        out.write(line(r) + "\n")
    out.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")


def _variables(pairs: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip().isidentifier():
            raise ValueError(f"--set {pair!r} is not NAME=VALUE")
        text = value.strip()
        number: Any = text
        for kind in (int, float):
            try:
                number = kind(text)
                break
            except ValueError:
                continue
        out[name.strip()] = number
    return out


def _sql(args: argparse.Namespace) -> int:
    from fiscal_core.fleet import sql

    if args.list:
        for q in sql.queries().values():
            print(f"{q.name:<26} {q.title}")
        return EXIT_VALID
    if args.setup:
        print(sql.setup_sql(args.data), end="")
        return EXIT_VALID
    if not args.query:
        return _error("give a query's name (--list) or SQL text")
    try:
        variables = _variables(args.set)
    except ValueError as e:
        return _error(str(e))
    import duckdb

    try:
        result = sql.run(args.data, args.query, variables)
    except FileNotFoundError as e:
        return _error(str(e))
    except duckdb.Error as e:
        known = ", ".join(sql.queries())
        hint = "" if " " in args.query.strip() else f" (ready queries: {known})"
        return _error(f"the query failed: {e}{hint}")
    if args.json:
        print(json.dumps([{k: _json_value(v) for k, v in row.items()}
                          for row in result.as_dicts()], ensure_ascii=False))
    else:
        print_table(result.columns, result.rows, sys.stdout)
    return EXIT_VALID


def _report(args: argparse.Namespace) -> int:
    from fiscal_core.fleet import chart

    try:
        drawn = chart.draw(args.data, args.out, title=args.title)
    except FileNotFoundError as e:
        return _error(str(e))
    except OSError as e:
        return _error(f"cannot write {args.out}: {e.strerror or e}")
    print(f"wrote {drawn.path}: {len(drawn.days)} days, {drawn.receipts} receipts, turnover "
          f"{drawn.turnover} AZN, {drawn.findings + drawn.undated_findings} findings")
    return EXIT_VALID


def main(argv: Optional[Sequence[str]] = None) -> int:
    """``python -m fiscal_core.fleet.cli ACTION …``: the same as ``fiscal-core fleet``."""
    p = argparse.ArgumentParser(prog="fiscal-core")
    add_parser(p.add_subparsers(dest="command", required=True))
    try:
        args = p.parse_args(["fleet", *(sys.argv[1:] if argv is None else argv)])
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else EXIT_USAGE
    return run(args)


__all__ = ["add_parser", "main", "print_table", "run"]

if __name__ == "__main__":
    sys.exit(main())
