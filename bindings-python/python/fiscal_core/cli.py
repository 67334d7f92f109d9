"""The ``fiscal-core`` command-line tool.

    fiscal-core verify JOURNAL --authority KEY|KEYFILE [--json] [--workers N] [--low-memory] [--from N]
    fiscal-core show DOCUMENT|JOURNAL|- [--number N] [--certificate FILE] [--width N]
                     [--language az|en] [--format text|svg|html|escpos|eml] [--qr-base URL]
                     [--qr-svg FILE]
    fiscal-core demo [--out DIR | --journal PATH] [--journal-size N] [--no-qr]
    fiscal-core validate FILE...|- [--dialect auto|airconn|nba|omnitech|ekassam|fiscal-core]
                     [--operation NAME] [--policy deployed|strict] [--date YYYY-MM-DD] [--json]
    fiscal-core token init --db PATH [--pin PIN]
                     [--certificate FILE --device-key FILE --authority FILE]
    fiscal-core token serve --dialect nba|airconn|omnitech|ekassam --listen ADDR --db PATH
                     [--transport zmq|http] [--allow-remote] [--policy deployed|strict]
                     [--session-minutes N] [--upload-to DIR|URL] [--verbose]
    fiscal-core token export --db PATH JOURNAL
    fiscal-core token upload --db PATH --to DIR|URL
    fiscal-core fleet generate|verify|export|sql|report …   (fleet/cli.py)

Exit codes: 0 valid (or done, or every request accepted), 1 findings (or a request refused),
2 usage error or unreadable input.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import sys
import tempfile
from datetime import date as _date
from pathlib import Path
from typing import Any, Optional, Sequence, TextIO

from tqdm import tqdm

from fiscal_core import _demo
from fiscal_core._argtypes import positive as _positive
from fiscal_core._native import (
    __version__,
    DEFAULT_QR_BASE,
    operation_name,
    Certificate,
    Document,
    Finding,
    JournalReport,
    PublicKey,
    verify_journal_file,
)
from fiscal_core.dialects import DIALECTS, POLICIES, read_request_json
from fiscal_core.errors import FiscalError
from fiscal_core.fleet import cli as _fleet_cli

EXIT_VALID = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
#: The output was cut by its reader (`| head`): 128 + SIGPIPE, as a shell reports it.
EXIT_BROKEN_PIPE = 141


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="fiscal-core",
        description="Verify e-kassa journals, show documents, run the demo (fiscal-core).",
    )
    p.add_argument("--version", action="version", version=f"fiscal-core {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    v = sub.add_parser(
        "verify",
        help="verify a journal (JSON Lines: the certificate line, then one line per document)",
        description="Verify a journal against the tax authority's public key. Exit 0 when "
        "valid, 1 when there are findings, 2 when the input cannot be read.",
    )
    v.add_argument("journal", metavar="JOURNAL", help="the journal file")
    v.add_argument(
        "--authority",
        required=True,
        metavar="KEY",
        help="the authority's public key in hex (33-byte compressed SEC1, 66 characters), or a "
        "file holding it",
    )
    v.add_argument("--json", action="store_true",
                   help="print the report as JSON (schema: spec/schemas/verify-report.schema.json)")
    v.add_argument(
        "--workers", type=_positive, metavar="N", help="threads to use (default: every core)"
    )
    v.add_argument(
        "--low-memory",
        action="store_true",
        help="read the file twice and index only the receipts something refers to: the same "
        "report, memory that does not grow with the journal (for very large journals)",
    )
    v.add_argument(
        "--from",
        dest="excerpt_from",
        type=_positive,
        metavar="N",
        help="the file is an excerpt whose first document is number N (the certificate line "
        "first, then documents N, N+1, …): what depends on documents before N is listed as "
        "not checked instead of reported (SPEC.md §15.4)",
    )
    s = sub.add_parser("show", help="print one document (a file holding one journal line)")
    s.add_argument(
        "document",
        metavar="DOCUMENT",
        help="a file holding one journal line, or a journal (then choose with --number; its "
        "certificate line is used); - for standard input",
    )
    s.add_argument("--number", type=_positive, metavar="N", help="the document numbered N of a journal")
    s.add_argument("--qr-base", default=DEFAULT_QR_BASE, help="QR base address")
    s.add_argument("--qr-svg", metavar="FILE", help="also write the QR code as SVG to FILE")
    s.add_argument(
        "--certificate",
        metavar="FILE",
        help="the device's certificate line (or its journal, whose first line it is): prints "
        "the printable receipt with every mandatory field (SPEC.md §17); without it, the "
        "document alone",
    )
    s.add_argument("--width", type=_positive, default=42, help="columns of the printable receipt (24 to 200)")
    s.add_argument("--language", choices=["az", "en"], default="az", help="labels' language")
    s.add_argument(
        "--format",
        choices=["text", "svg", "html", "escpos", "eml"],
        default="text",
        help="printable form (svg, html, escpos and eml need the certificate; escpos writes the "
        "printer's bytes to standard output, eml the e-mail receipt as a MIME message)",
    )
    d = sub.add_parser(
        "demo",
        help="a day at the till: issue, print, write and verify a journal",
        description="Without --journal-size: the demo story (the same documents as `cargo run "
        "-p fiscal-core --example demo`), writing journal.jsonl, journal.jsonl.authority and "
        "receipt.html. With it: a genuine journal of N documents (for benchmarks) and its "
        "authority key file beside it.",
    )
    where = d.add_mutually_exclusive_group()
    where.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="the folder to write to (created if missing; default: a new temporary folder, "
        "printed)",
    )
    where.add_argument(
        "--journal",
        type=Path,
        metavar="PATH",
        help="the journal's path instead (the authority key goes to PATH.authority, the "
        "receipt to the same folder)",
    )
    d.add_argument("--journal-size", type=_positive, metavar="N", help="documents to generate")
    d.add_argument("--no-qr", action="store_true", help="do not print the QR code")
    r = sub.add_parser(
        "validate",
        help="check request files as POS software sends them to a token (any dialect)",
        description="Read each request exactly as its POS program sent it, in its dialect, and "
        "say whether a kassa takes it: the operation, the canonical request and every notice, "
        "or every problem. Exit 0 when every request is accepted, 1 when one is refused, 2 when "
        "one cannot be read (not UTF-8, not JSON) or on a usage error. A kas_* body's "
        "operation comes from --operation, else from a kas_NAME in the file's name.",
    )
    r.add_argument("files", nargs="+", metavar="FILE", help="request files; - for standard input")
    r.add_argument("--dialect", choices=list(DIALECTS), default="auto", help="the request's dialect (default: recognise it)")
    r.add_argument("--operation", metavar="NAME", help="the endpoint of a kas_* body (kas_sale) or the operation expected")
    r.add_argument("--policy", choices=list(POLICIES), default="deployed", help="deployed: what deployed tokens accept, each leniency a notice; strict: the specification as written")
    r.add_argument("--date", type=_day, metavar="YYYY-MM-DD", help="the day whose tax rates apply (default: today in Baku)")
    r.add_argument("--json", action="store_true", help="print one JSON object per file "
                   "(schema: spec/schemas/validate-reading.schema.json)")
    _token_parser(sub)
    _fleet_cli.add_parser(sub)  # fiscal-core fleet …: fleet/cli.py (issue #20)
    # Examples in --help (issue #21): what a tax inspector, a lab and a POS vendor type first.
    for parser, examples in [
        (p, _EXAMPLES_TOP),
        (v, _EXAMPLES_VERIFY),
        (s, _EXAMPLES_SHOW),
        (r, _EXAMPLES_VALIDATE),
        (d, _EXAMPLES_DEMO),
    ]:
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        parser.epilog = "examples:\n" + examples
    return p


_EXAMPLES_TOP = """\
  fiscal-core demo                                       a day at the till, verified
  fiscal-core verify journal.jsonl --authority key.hex   check a journal (exit 1: findings)
  fiscal-core validate requests/*.json                   check what a POS sends to a token
  fiscal-core token init --db token.db                   a software token for POS developers
"""
_EXAMPLES_VERIFY = """\
  fiscal-core verify journal.jsonl --authority authority.hex
  fiscal-core verify journal.jsonl --authority 02ab…(66 hex) --json > report.json
  fiscal-core verify big.jsonl --authority authority.hex --low-memory --workers 2
  fiscal-core verify november.jsonl --authority authority.hex --from 20418   an excerpt
"""
_EXAMPLES_SHOW = """\
  fiscal-core show journal.jsonl --number 12                 document 12, as the customer holds it
  fiscal-core show line.json --certificate journal.jsonl --format html > receipt.html
  fiscal-core show journal.jsonl --number 12 --format escpos --width 32 > /dev/usb/lp0
  fiscal-core show journal.jsonl --number 12 --format eml > receipt.eml
  tail -n 1 journal.jsonl | fiscal-core show -
"""
_EXAMPLES_VALIDATE = """\
  fiscal-core validate requests/*.json                       each file: accepted or refused, why
  fiscal-core validate --dialect nba --policy strict sale.json
  fiscal-core validate --operation kas_sale body.json --json
  fiscal-core validate --date 2026-11-23 inteko-ekassam-kas_sale.json   (kas_NAME in the name)
"""
_EXAMPLES_DEMO = """\
  fiscal-core demo                                           (writes to a new temporary folder)
  fiscal-core demo --out demo-out --no-qr
  fiscal-core demo --journal big.jsonl --journal-size 1000000   (a journal for benchmarks)
"""


def _token_parser(sub: Any) -> None:
    t = sub.add_parser(
        "token",
        help="a software token for POS developers (TEST authority): init, serve, export, upload",
        description="A token that existing POS programs talk to unchanged: ZeroMQ for AirConn "
        "and NBA, HTTP for Omnitech (POST /v2) and e-Kassam (/api/kas_*), with the device, "
        "the journal and the upload queue in one SQLite file. For development and tests: "
        "`token init` makes a TEST authority; nothing it issues is a fiscal document.",
    )
    ts = t.add_subparsers(dest="token_command", required=True, metavar="ACTION")
    i = ts.add_parser("init", help="make a test authority, certificate and device in a new database")
    i.add_argument("--db", type=Path, required=True, help="the SQLite file to create")
    i.add_argument("--pin", help="the device PIN, 4-16 digits (default: six random digits)")
    i.add_argument("--certificate", type=Path, metavar="FILE",
                   help="load this certificate (its journal line or JSON) instead of making a "
                   "test authority; needs --device-key and --authority")
    i.add_argument("--device-key", type=Path, metavar="FILE",
                   help="the device's private key, 32 bytes in hex (stored in the database)")
    i.add_argument("--authority", type=Path, metavar="FILE",
                   help="the authority's public key in hex (as `fiscal-core verify` takes it)")
    s = ts.add_parser("serve", help="answer POS programs on ADDR (loopback unless --allow-remote)")
    s.add_argument("--dialect", required=True, choices=["nba", "airconn", "omnitech", "ekassam"])
    s.add_argument("--listen", required=True, metavar="ADDR",
                   help="HOST:PORT (ZeroMQ also tcp://HOST:PORT); port 0 picks a free one")
    s.add_argument("--db", type=Path, required=True)
    s.add_argument("--transport", choices=["zmq", "http"],
                   help="default: zmq for nba and airconn, http for omnitech and ekassam "
                   "(nba and airconn also over http: a POST to any path)")
    s.add_argument("--allow-remote", action="store_true",
                   help="allow an address that is not loopback (the token has no TLS)")
    s.add_argument("--policy", choices=list(POLICIES), default="deployed")
    s.add_argument("--session-minutes", type=_positive, default=720,
                   help="how long an access token lives (default 720)")
    s.add_argument("--verbose", action="store_true",
                   help="log each HTTP request and each retry answered from the store")
    s.add_argument("--upload-to", metavar="DIR|URL",
                   help="drain the upload queue there every two seconds (as `token upload`)")
    e = ts.add_parser("export", help="write the journal `fiscal-core verify` checks")
    e.add_argument("--db", type=Path, required=True)
    e.add_argument("journal", type=Path, metavar="JOURNAL",
                   help="where to write it (the authority key goes to JOURNAL.authority)")
    u = ts.add_parser("upload", help="drain the upload queue to a directory or an HTTP "
                      "receiver, then acknowledge it")
    u.add_argument("--db", type=Path, required=True)
    u.add_argument("--to", required=True, metavar="DIR|URL",
                   help="a directory (one upload-FIRST-LAST.jsonl per drain) or an http(s):// "
                   "receiver (one POST of the lines; acknowledged on 2xx)")


def _day(text: str) -> str:
    try:
        return _date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


class _Progress:
    """The bytes verified so far as a ``tqdm`` bar on ``stream``: the engine calls it with
    (bytes read, file size) after each chunk of lines."""

    def __init__(self, stream: TextIO, what: str) -> None:
        self.bar = tqdm(
            desc=what, total=None, unit="B", unit_scale=True, file=stream, leave=True,
            dynamic_ncols=True,
        )

    def __call__(self, done: int, total: int) -> None:
        if self.bar.total != total:
            self.bar.total = total
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        self.bar.close()


def _error(message: str) -> int:
    print(f"fiscal-core: {message}", file=sys.stderr)
    return EXIT_USAGE


def _completeness(report: JournalReport, out: TextIO) -> None:
    """What the journal's completeness is checked against (SPEC.md §15.3): documents cut from
    the end leave no trace in the journal, so an inspector compares its last document and
    shift with the device's and the tax service's."""
    if report.last_number is None:
        out.write("  last document: none (no document with the device's signature)\n")
        return
    when = report.last_time.isoformat() if report.last_time is not None else "?"
    out.write(f"  last document: {report.last_number} ({when}), fiscal ID {report.last_fiscal_id}\n")
    if report.last_shift is None:
        out.write("  last shift: none\n")
    elif report.last_shift_closed:
        out.write(f"  last shift: {report.last_shift}, closed by its Z-report\n")
    else:
        out.write(f"  last shift: {report.last_shift}, open (the journal ends inside it)\n")


def _where(f: Finding) -> str:
    where = []
    if f.line is not None:
        where.append(f"line {f.line}")
    if f.document_number is not None:
        where.append(f"document {f.document_number}")
    return ", ".join(where) or "journal"


def _human(journal: str, report: JournalReport, out: TextIO) -> None:
    counts = f"{report.lines} lines, {report.documents} documents, {report.receipts} receipts"
    if report.is_valid:
        out.write(f"{journal}: VALID — {counts}, no findings\n")
        _completeness(report, out)
    else:
        n = len(report.findings)
        out.write(f"{journal}: INVALID — {n} finding{'s' if n != 1 else ''} ({counts})\n")
        _completeness(report, out)
        for f in report.findings:
            out.write(f"  {_where(f)}: {f.code} ({f.rule}) — {f.message}\n")
    # Never silent: what could not be checked (an excerpt's start, a foreign receipt) is listed.
    if report.unchecked_total:
        out.write(f"  not checked ({report.unchecked_total}):\n")
        for f in report.unchecked:
            out.write(f"    {_where(f)}: {f.message}\n")
        if report.unchecked_total > len(report.unchecked):
            out.write(f"    … and {report.unchecked_total - len(report.unchecked)} more\n")


def _verify(args: argparse.Namespace) -> int:
    # The key itself (66 hex characters) or a file holding it (issue #21).
    given = args.authority.strip()
    try:
        if len(given) == 66 and all(c in "0123456789abcdefABCDEF" for c in given):
            text = given
        else:
            text = Path(args.authority).read_text(encoding="ascii")
    except OSError as e:
        return _error(f"cannot read the authority key {args.authority}: {e.strerror or e}")
    except UnicodeDecodeError:
        return _error(f"{args.authority} does not hold a public key in hex")
    try:
        key = PublicKey.from_hex(text)
    except ValueError as e:
        return _error(
            f"{args.authority} does not hold a P-256 public key in hex "
            f"(66 hexadecimal characters, compressed SEC1): {e}"
        )
    # On a terminal only: a log or a pipe gets the report alone.
    progress = _Progress(sys.stderr, "verifying") if sys.stderr.isatty() else None
    try:
        report = verify_journal_file(
            args.journal,
            key,
            workers=args.workers,
            progress=progress,
            low_memory=args.low_memory,
            excerpt_from=args.excerpt_from,
        )
    except OSError as e:
        return _error(f"cannot read the journal {args.journal}: {e.strerror or e}")
    finally:
        if progress is not None:
            progress.close()
    if args.json:
        sys.stdout.write(report.to_json() + "\n")
    else:
        _human(args.journal, report, sys.stdout)
    return EXIT_VALID if report.is_valid else EXIT_FINDINGS


def _show(args: argparse.Namespace) -> int:
    try:
        data = sys.stdin.buffer.read() if args.document == "-" else Path(args.document).read_bytes()
        text = data.decode("utf-8")
    except OSError as e:
        return _error(f"cannot read {args.document}: {e.strerror or e}")
    except UnicodeDecodeError as e:
        return _error(f"{args.document} is not UTF-8 text ({e.reason} at byte {e.start})")
    lines = [line for line in text.splitlines() if line.strip()]
    # A journal: its certificate line first, then the documents (issue #21: choose one).
    journal_certificate: Optional[Certificate] = None
    if lines:
        try:
            journal_certificate = Certificate.from_journal_line(lines[0].strip())
            lines = lines[1:]
        except FiscalError:
            pass
    if args.number is not None:
        chosen = []
        for line in lines:
            try:
                candidate = Document.from_json(line)
            except FiscalError:
                continue
            if candidate.number == args.number:
                chosen.append(line)
        if not chosen:
            return _error(f"{args.document} holds no document numbered {args.number}")
        lines = chosen[:1]
    if len(lines) != 1:
        return _error(
            f"{args.document} holds {len(lines)} documents; give one journal line, or choose "
            "one with --number N"
        )
    try:
        doc = Document.from_json(lines[0])
    except FiscalError as e:
        return _error(f"{args.document} is not a document: [{e.code}] {e}")
    # Without a certificate the engine draws the document alone, without the taxpayer and
    # kassa rows: a reader's view of the line, not a receipt to hand over.
    certificate: Optional[Certificate] = journal_certificate
    if args.certificate:
        try:
            with open(args.certificate, encoding="utf-8") as f:
                certificate = Certificate.from_journal_line(f.readline().strip())
        except (OSError, UnicodeDecodeError) as e:
            return _error(f"cannot read the certificate {args.certificate}: {e}")
        except FiscalError as e:
            return _error(f"{args.certificate} does not start with a certificate line: {e}")
    if certificate is None and args.format != "text":
        # Never a silent fallback to text (issue #21): a receipt to print or mail names its
        # taxpayer, which only the certificate holds.
        return _error(f"--format {args.format} needs the certificate (--certificate, or a journal)")
    if args.format in ("escpos", "eml"):
        assert certificate is not None
        try:
            if args.format == "eml":
                from fiscal_core.email_receipt import message

                raw = bytes(message(doc, certificate, language=args.language, qr_base=args.qr_base))
            else:
                raw = doc.render_escpos(
                    certificate, width=args.width, language=args.language, qr_base=args.qr_base
                )
        except FiscalError as e:
            return _error(f"cannot print the document: [{e.code}] {e}")
        sys.stdout.buffer.write(raw)
        sys.stdout.buffer.flush()
        return EXIT_VALID
    try:
        printed = doc.render(
            certificate,
            form=args.format,
            width=args.width,
            language=args.language,
            qr_base=args.qr_base,
        )
    except FiscalError as e:  # a width outside 24–200: the engine refuses, never clamps
        return _error(f"cannot print the document: [{e.code}] {e}")
    sys.stdout.write(printed)
    if certificate is None and args.format == "text":
        sys.stdout.write("  (the signature is checked by `fiscal-core verify`, with the journal)\n")
    if args.qr_svg:
        try:
            Path(args.qr_svg).write_text(doc.qr_svg(args.qr_base), encoding="utf-8")
        except OSError as e:
            return _error(f"cannot write {args.qr_svg}: {e.strerror or e}")
        except FiscalError as e:
            return _error(f"cannot make the QR code: {e}")
    return EXIT_VALID


_ENDPOINT = re.compile(r"kas_[A-Za-z_]+")


def _validate_one(name: str, args: argparse.Namespace) -> tuple[int, dict[str, Any], str]:
    """Reads one request file: (exit code, the reading's description with ``file``, the same as
    the engine's JSON text with ``file`` first)."""
    unreadable: Optional[str] = None
    text = ""
    try:
        data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
        text = data.decode("utf-8")
    except OSError as e:
        unreadable = f"cannot read: {e.strerror or e}"
    except UnicodeDecodeError as e:
        unreadable = f"not UTF-8 text: {e}"
    if unreadable is not None:
        # The same members as every other answer; `malformed_json` for text that is not
        # UTF-8 (not JSON text either), `unreadable` (no engine code) for a file not read.
        code = "malformed_json" if unreadable.startswith("not UTF-8") else "unreadable"
        number, rule = (101, "PK-11") if code == "malformed_json" else (None, None)
        failed: dict[str, Any] = {
            "file": name,
            "dialect": None,
            "notices": [],
            "ok": False,
            "operation": None,
            "policy": args.policy,
            "problems": [
                {"code": code, "message": unreadable, "number": number, "path": "", "rule": rule}
            ],
        }
        return EXIT_USAGE, failed, json.dumps(failed, ensure_ascii=False)
    operation = args.operation
    if operation is None and args.dialect in ("auto", "ekassam"):
        found = _ENDPOINT.search(Path(name).name)
        operation = found.group(0) if found else None
    engine = read_request_json(text, args.dialect, args.policy, operation=operation, date=args.date)
    out: dict[str, Any] = json.loads(engine)
    out["file"] = name
    line = '{"file":' + json.dumps(name, ensure_ascii=False) + "," + engine[1:]
    if out["ok"]:
        return EXIT_VALID, out, line
    codes = {p["code"] for p in out["problems"]}
    return (EXIT_USAGE if "malformed_json" in codes else EXIT_FINDINGS), out, line


def _print_reading(out: dict[str, Any], stream: TextIO) -> None:
    name = out["file"]
    if any(p["code"] == "unreadable" for p in out.get("problems", [])):
        print(f"{name}: unreadable: {out['problems'][0]['message']}", file=stream)
        return
    what = " ".join(str(x) for x in (out.get("dialect"), out.get("operation")) if x)
    verdict = "accepted" if out["ok"] else "refused"
    print(f"{name}: {verdict}{f' ({what})' if what else ''}", file=stream)
    for p in out.get("problems", []):
        where = f"{p['path']}: " if p["path"] else ""
        print(f"  error [{p['code']}] {where}{p['message']} ({p['rule']})", file=stream)
    for n in out.get("notices", []):
        where = f"{n['path']}: " if n["path"] else ""
        print(f"  notice [{n['code']}] {where}{n['message']} ({n['rule']})", file=stream)


def _validate(args: argparse.Namespace) -> int:
    if args.operation is not None and operation_name(args.operation) is None:
        return _error(
            f"--operation {args.operation!r} names no operation (kas_sale, money_back, close_shift, …)"
        )
    worst = EXIT_VALID
    for name in args.files:
        code, out, line = _validate_one(name, args)
        worst = max(worst, code)
        if args.json:
            print(line)
        else:
            _print_reading(out, sys.stdout)
    return worst


def _demo_command(args: argparse.Namespace) -> int:
    try:
        if args.journal is not None:
            journal = args.journal
        else:
            # A fresh folder by default, never a fixed path another run or user may hold.
            out = args.out if args.out is not None else Path(tempfile.mkdtemp(prefix="fiscal-core-demo-"))
            out.mkdir(parents=True, exist_ok=True)
            journal = out / "journal.jsonl"
        ok = _demo.run(sys.stdout, journal, args.journal_size, show_qr=not args.no_qr)
    except OSError as e:
        return _error(f"cannot write the demo's files: {e}")
    return EXIT_VALID if ok else EXIT_FINDINGS


def _listen(addr: str) -> tuple[str, int]:
    text = addr[len("tcp://"):] if addr.startswith("tcp://") else addr
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit():
        raise ValueError(f"{addr!r} is not HOST:PORT")
    return host.strip("[]") or "127.0.0.1", int(port)


def _is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


TEST_BANNER = "TEST AUTHORITY: this token's documents are not fiscal documents"


def _token(args: argparse.Namespace) -> int:
    from fiscal_core.token import service as token_service

    if args.token_command == "init":
        if args.db.exists():
            return _error(f"{args.db} exists; a token is made in a new file")
        loaded = (args.certificate, args.device_key, args.authority)
        if any(loaded):
            return _init_loaded(args)
        try:
            pin, authority = token_service.init_token(args.db, args.pin)
        except FiscalError as e:
            return _error(f"cannot activate the device: {e}")
        except OSError as e:
            return _error(f"cannot create {args.db}: {e.strerror or e}")
        print(TEST_BANNER)
        print(f"token:      {args.db} (device activated, document 1)")
        print(f"authority:  {authority}  (a TEST authority made now; no tax service trusts it)")
        print(f"PIN:        {pin}")
        return EXIT_VALID
    if args.token_command == "export":
        try:
            key_path = token_service.export_journal(args.db, args.journal)
        except (OSError, LookupError, sqlite3.Error) as e:
            return _error(f"cannot export {args.db}: {e}")
        print(f"journal:   {args.journal}")
        print(f"authority: {key_path}   (fiscal-core verify {args.journal} --authority {key_path})")
        return EXIT_VALID
    if args.token_command == "upload":
        try:
            first, last = token_service.drain(args.db, args.to)
        except (OSError, LookupError, sqlite3.Error) as e:
            return _error(f"cannot drain {args.db}: {e}")
        if last == 0:
            print("nothing pending")
        else:
            print(f"uploaded documents {first}-{last} to {args.to} (acknowledged)")
        return EXIT_VALID
    return _serve(args, token_service)


def _init_loaded(args: argparse.Namespace) -> int:
    from fiscal_core._native import PrivateKey
    from fiscal_core.token import service as token_service

    if not (args.certificate and args.device_key and args.authority):
        return _error("--certificate, --device-key and --authority go together")
    if not args.pin:
        return _error("a loaded certificate needs --pin")
    try:
        text = args.certificate.read_text(encoding="utf-8").strip()
        certificate = (Certificate.from_journal_line(text) if text.startswith('{"certificate"')
                       else Certificate.from_json(text))
        key = PrivateKey.from_bytes(bytes.fromhex(args.device_key.read_text(encoding="ascii").strip()))
        authority = PublicKey.from_hex(args.authority.read_text(encoding="ascii").strip())
    except (OSError, ValueError, FiscalError) as e:
        return _error(f"cannot read the certificate, key or authority: {e}")
    try:
        token_service.load_token(args.db, certificate, authority, key, args.pin)
    except FiscalError as e:
        return _error(f"cannot activate the device: {e}")
    except (OSError, sqlite3.Error) as e:
        return _error(f"cannot create {args.db}: {e}")
    print(f"token:      {args.db} (device activated, document 1)")
    print(f"certificate: serial {certificate.serial}, {certificate.taxpayer_name}")
    print(f"the device key is now in {args.db}: keep that file as secret as the key")
    return EXIT_VALID


def _serve(args: argparse.Namespace, token_service: Any) -> int:
    import signal
    import threading

    try:
        host, port = _listen(args.listen)
    except ValueError as e:
        return _error(str(e))
    if not _is_loopback(host) and not args.allow_remote:
        return _error(f"{host} is not a loopback address: the token has no TLS and its "
                      "sessions are bearer tokens; pass --allow-remote to listen there anyway")
    if not args.db.exists():
        return _error(f"{args.db} does not exist (make one with `fiscal-core token init`)")
    try:
        service = token_service.TokenService(
            args.db, args.dialect, policy=args.policy,
            session_lifetime=args.session_minutes * 60.0, verbose=args.verbose,
        )
    except (LookupError, RuntimeError, OSError, sqlite3.Error) as e:
        return _error(f"cannot serve {args.db}: {e}")
    server: Any
    transport = args.transport or ("zmq" if args.dialect in ("nba", "airconn") else "http")
    if transport == "zmq" and args.dialect not in ("nba", "airconn"):
        service.close()
        return _error(f"{args.dialect} is spoken over http only")
    try:
        if transport == "zmq":
            from fiscal_core.token.zmq_server import ZmqTokenServer

            bind_host = f"[{host}]" if ":" in host else host
            server = ZmqTokenServer(service, f"tcp://{bind_host}:{port if port else '*'}")
            where = server.address
        else:
            from fiscal_core.token.http_server import HttpTokenServer

            server = HttpTokenServer(service, host, port, verbose=args.verbose)
            where = f"http://{host}:{server.port}" + {
                "omnitech": "/v2", "ekassam": "/api/kas_*"}.get(args.dialect, "/ (POST)")
    except Exception as e:  # noqa: BLE001 - the port taken, an address not ours, …
        service.close()
        return _error(f"cannot listen on {args.listen}: {e}")
    stop = threading.Event()

    def _stop(*_: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    server.start()
    if service.store.get_int("test_authority"):
        print(TEST_BANNER)
    print(f"serving {args.dialect} on {where}", flush=True)
    while not stop.wait(2.0 if args.upload_to else 1.0):
        if args.upload_to:
            try:
                token_service.drain(args.db, args.upload_to)
            except (OSError, sqlite3.Error) as e:
                print(f"upload to {args.upload_to} failed: {e}", file=sys.stderr, flush=True)
    server.stop()
    service.close()
    return EXIT_VALID


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Runs the tool with ``argv`` (default: the command line); returns the exit code."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as e:  # argparse: --help (0) or a usage error (2)
        return e.code if isinstance(e.code, int) else EXIT_USAGE
    try:
        return _dispatch(args)
    except BrokenPipeError:
        # The reader went away (`fiscal-core validate … | head`): no traceback. Later writes
        # go nowhere (the interpreter flushes stdout at exit), and the status is the shell's
        # for a closed pipe.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "verify":
        return _verify(args)
    if args.command == "show":
        return _show(args)
    if args.command == "validate":
        return _validate(args)
    if args.command == "token":
        return _token(args)
    if args.command == "fleet":
        return _fleet_cli.run(args)
    return _demo_command(args)
