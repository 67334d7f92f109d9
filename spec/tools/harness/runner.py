#!/usr/bin/env python3
"""The conformance runner: runs the vectors of spec/vectors/ against any implementation.

The implementation is an *adapter*: a command the runner starts once and talks to through a
line-based protocol on stdin/stdout (spec/README.md, "The runner protocol"). Numbers in the
input are written exactly as in the vectors (read them as decimals, never as binary floats):

    runner → adapter   {"suite": "fiscal-core-vectors", "suiteVersion": "1", "family": "math",
                        "tcId": 12, "date": "2026-11-23", "input": {...the request...}}
    adapter → runner   {"tcId": 12, "result": "valid", "output": {...the numbers...}}
                     | {"tcId": 12, "result": "invalid", "errors": ["line_total_mismatch", ...]}
                     | {"tcId": 12, "result": "skip", "reason": "..."}

A case passes when the verdict matches and, for a valid case, the output equals the expected
numbers exactly (decimals as strings), or, for an invalid one, the set of error codes equals
the expected set. The dialects family answers `accepted` or `refused` with an output compared
with the expected object (notices and problems as multisets of code and path); an exchange's
answers are compared byte for byte (with --no-ids, as JSON without the members that carry a
fiscal ID or a session token). A skipped case does not pass: the run fails unless --allow-skip.

Usage:
  python3 spec/tools/harness/runner.py [--adapter "COMMAND"] [--name NAME] [--run GLOB] [--skip GLOB]
                               [--timeout SECONDS] [--json FILE] [--junit FILE] [--allow-skip]

Without --adapter it runs the example adapter over this engine's Python module
(spec/tools/adapters/adapter_fiscal_core.py). Exit code: 0 all passed, 1 some failed, 2 usage or an
adapter that cannot be started.
"""
from __future__ import annotations

import argparse
import fnmatch
import json
import os
import selectors
import shlex
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

HERE = Path(__file__).resolve().parent  # spec/tools/harness
TOOLS = HERE.parent  # spec/tools: harness/, adapters/, references/
VECTORS = TOOLS.parent / "vectors"
SUITE = "fiscal-core-vectors"
sys.path.insert(0, str(HERE))
from compare import dumps, first_difference, without_ids  # noqa: E402  (shared with the device reference)


class Adapter:
    """One adapter process, restarted after a timeout or a crash."""

    def __init__(self, command: str, timeout: float) -> None:
        self.command = command
        self.timeout = timeout
        self.proc: subprocess.Popen[str] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            shlex.split(self.command), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=sys.stderr, text=True, encoding="utf-8", bufsize=1,
        )

    def ask(self, message: dict[str, Any]) -> dict[str, Any]:
        if self.proc is None or self.proc.poll() is not None:
            self.start()
        assert self.proc and self.proc.stdin and self.proc.stdout
        try:
            self.proc.stdin.write(dumps(message) + "\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            self.stop()
            return {"error": "the adapter closed its input"}
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        if not sel.select(self.timeout):
            self.stop()
            return {"error": f"no answer within {self.timeout} s"}
        line = self.proc.stdout.readline()
        if not line:
            self.stop()
            return {"error": "the adapter stopped"}
        try:
            answer: dict[str, Any] = json.loads(line, parse_float=Decimal)  # decimals exactly
            return answer
        except json.JSONDecodeError:
            return {"error": f"not a JSON line: {line[:200]!r}"}

    def stop(self) -> None:
        if self.proc:
            self.proc.kill()
            self.proc.wait()
            self.proc = None


def cases(run: list[str], skip: list[str]) -> list[tuple[str, dict[str, Any], dict[str, Any], dict[str, Any]]]:
    """(file, file document, group, test) for every selected case, by `family/tcId` globs."""
    out = []
    for path in sorted(VECTORS.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
        family = doc["schema"].split("/")[1]
        for group in doc["testGroups"]:
            for t in group["tests"]:
                name = f"{family}/{t['tcId']}"
                if run and not any(fnmatch.fnmatch(name, g) for g in run):
                    continue
                if any(fnmatch.fnmatch(name, g) for g in skip):
                    continue
                out.append((family, doc, group, t))
    return out


GROUP_META = ("tests", "type", "comment")
# Members of a test, besides its input, that the adapter needs (the dialects family: how the
# text is read).
TEST_PARAMS = ("dialect", "policy", "operation", "date")
# What carries a fiscal ID, a short ID or a session token in an exchange's answers (--no-ids).
ID_MEMBERS = {"document_id", "short_document_id", "long_id", "short_id", "access_token", "fiscal_id",
              "journal_line", "qr_payload", "previous"}


def as_multisets(value: Any) -> Any:
    """A dialect reading (or an exchange's steps) with its notices and problems sorted by code
    and path: an implementation may give them in another order."""
    if isinstance(value, dict):
        out = {k: as_multisets(v) for k, v in value.items()}
        for k in ("notices", "problems"):
            if isinstance(out.get(k), list):
                out[k] = sorted(out[k], key=lambda x: (str(x.get("code")), str(x.get("path")))
                                if isinstance(x, dict) else ("", ""))
        return out
    if isinstance(value, list):
        return [as_multisets(v) for v in value]
    return value


def without_answer_ids(value: Any) -> Any:
    """An exchange's steps with each answer read as JSON and its ID members left out (--no-ids:
    a token whose key cannot be seeded gives other IDs and session tokens)."""
    def strip(v: Any) -> Any:
        if isinstance(v, dict):
            return {k: strip(x) for k, x in v.items() if k not in ID_MEMBERS}
        if isinstance(v, list):
            return [strip(x) for x in v]
        return v

    if not isinstance(value, dict) or not isinstance(value.get("steps"), list):
        return value
    steps = []
    for s in value["steps"]:
        s = dict(s) if isinstance(s, dict) else s
        if isinstance(s, dict) and isinstance(s.get("answer"), str):
            try:
                s["answer"] = strip(json.loads(s["answer"], parse_float=Decimal))
            except json.JSONDecodeError:
                pass
        steps.append(s)
    return {**value, "steps": steps}


def finding_set(findings: Any) -> list[tuple[str, Any]]:
    return sorted({(str(f.get("code")), f.get("number")) for f in findings or []}, key=repr)


def verdict(t: dict[str, Any], answer: dict[str, Any], no_ids: bool = False,
            family: str = "") -> tuple[str, str]:
    """('pass' | 'fail' | 'skip', why) for one case."""
    if "error" in answer:
        return "fail", answer["error"]
    if answer.get("tcId") != t["tcId"]:
        return "fail", f"the answer is for tcId {answer.get('tcId')}"
    result = answer.get("result")
    if result == "skip":
        return "skip", str(answer.get("reason", "skipped"))
    if result != t["result"]:
        detail = answer.get("errors") if result == "invalid" else ""
        return "fail", f"expected {t['result']}, got {result} {detail or ''}".strip()
    if family in ("dialects", "exchanges"):
        expected, got = as_multisets(t["expected"]), as_multisets(answer.get("output"))
        if no_ids and family == "exchanges":
            expected, got = without_answer_ids(expected), without_answer_ids(got)
        diff = first_difference(expected, got)
        return ("fail", diff) if diff else ("pass", "")
    if result == "valid":
        expected, got = t["expected"], answer.get("output")
        if no_ids:
            expected, got = without_ids(expected), without_ids(got)
        diff = first_difference(expected, got)
        return ("fail", diff) if diff else ("pass", "")
    got_errors = sorted(set(answer.get("errors") or []))
    if got_errors != sorted(set(t["errors"])):
        return "fail", f"errors {got_errors}, expected {sorted(set(t['errors']))}"
    if "findings" in t and finding_set(answer.get("findings")) != finding_set(t["findings"]):
        return "fail", f"findings {finding_set(answer.get('findings'))}, expected {finding_set(t['findings'])}"
    return "pass", ""


def summarize_and_write(args: argparse.Namespace, name: str, version: str,
                        results: list[dict[str, Any]], started: float) -> dict[str, int]:
    """Prints the summary by rule family and writes the JSON and JUnit reports."""
    # Summary by rule family (RC, NM, U, PK, LC, S): a case counts for each family it cites.
    families: dict[str, dict[str, int]] = {}
    for r in results:
        for fam in sorted({rule.split("-")[0] for rule in r["rules"]}):
            row = families.setdefault(fam, {"pass": 0, "fail": 0, "skip": 0})
            row[r["verdict"]] += 1
    totals = {k: sum(1 for r in results if r["verdict"] == k) for k in ("pass", "fail", "skip")}
    print(f"\nfiscal-core conformance suite {version} — implementation: {name}")
    for fam, row in sorted(families.items()):
        print(f"  {fam:3} pass {row['pass']:4}  fail {row['fail']:4}  skip {row['skip']:4}")
    print(f"{totals['pass']} passed, {totals['fail']} failed, {totals['skip']} skipped "
          f"in {time.monotonic() - started:.1f} s")

    if args.json:
        import datetime
        import hashlib

        files = sorted({doc_file for doc_file in VECTORS.glob("*.json")})
        args.json.write_text(json.dumps({
            "suite": SUITE, "suiteVersion": version, "implementation": name,
            # When, and against which vector files exactly (issue #21): a report is evidence.
            "finishedAt": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "vectorFiles": {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in files},
            "fiscalIdsCompared": not args.no_ids, "totals": totals, "byRuleFamily": families, "cases": results,
        }, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if args.junit:
        lines = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<testsuite name={quoteattr(SUITE + " " + version)} tests="{len(results)}" '
            f'failures="{totals["fail"]}" skipped="{totals["skip"]}">',
            f'  <properties><property name="implementation" value={quoteattr(name)}/></properties>',
        ]
        for r in results:
            lines.append(f'  <testcase classname={quoteattr(r["family"])} '
                         f'name={quoteattr(str(r["tcId"]) + " " + r["comment"])} time="{r["seconds"]}">')
            if r["verdict"] == "fail":
                lines.append(f'    <failure message={quoteattr(r["message"])}>{escape(", ".join(r["rules"]))}</failure>')
            elif r["verdict"] == "skip":
                lines.append(f'    <skipped message={quoteattr(r["message"])}/>')
            lines.append("  </testcase>")
        lines.append("</testsuite>")
        args.junit.write_text("\n".join(lines) + "\n", encoding="utf-8")

    return totals


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = f"{shlex.quote(sys.executable)} {shlex.quote(str(TOOLS / 'adapters' / 'adapter_fiscal_core.py'))}"
    ap.add_argument("--adapter", default=default, help="the adapter command (default: this engine)")
    ap.add_argument("--name", default=None, help="the implementation's name, for the reports")
    ap.add_argument("--run", action="append", default=[], help="only cases matching family/tcId globs")
    ap.add_argument("--skip", action="append", default=[], help="leave out cases matching family/tcId globs")
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds per case")
    ap.add_argument("--json", type=Path,
                    help="write the JSON report here (schema: spec/schemas/runner-report.schema.json)")
    ap.add_argument("--junit", type=Path, help="write a JUnit XML report here")
    ap.add_argument("--allow-skip", action="store_true", help="skipped cases do not fail the run")
    ap.add_argument("--quiet", action="store_true", help="only the summary")
    ap.add_argument("--audit", type=Path, metavar="SCENARIO",
                    help="audit mode: check --journal against this published scenario (spec/audit/)")
    ap.add_argument("--journal", type=Path, help="audit mode: the journal the kassa produced")
    ap.add_argument("--authority", help="audit mode: the authority public key (hex, or a file holding it)")
    ap.add_argument("--from", dest="start", type=int, help="audit mode: the scenario starts at the first "
                    "shift opened at or after this document number (default: the first in the journal)")
    ap.add_argument("--play", type=Path, metavar="JOURNAL",
                    help="with --audit: perform the scenario on this engine and write its journal (and "
                         "JOURNAL.authority); --fault skip:N|price:N|extra:N|swap:N makes it deviate")
    ap.add_argument("--fault", help="with --play: the deviation to make")
    ap.add_argument("--no-ids", action="store_true",
                    help="do not compare fiscal IDs in scenario outputs (a kassa whose key cannot be seeded)")
    args = ap.parse_args(argv)
    if args.audit:
        return run_audit(args)

    selected = cases(args.run, args.skip)
    if not selected:
        print("no case selected", file=sys.stderr)
        return 2
    adapter = Adapter(args.adapter, args.timeout)
    try:
        adapter.start()
    except OSError as e:
        print(f"cannot start the adapter: {e}", file=sys.stderr)
        return 2
    name = args.name or args.adapter
    version = str(selected[0][1].get("suiteVersion", selected[0][1].get("suite_version", "?")))
    results = []
    started = time.monotonic()
    answered = False
    for family, _doc, group, t in selected:
        t0 = time.monotonic()
        message = {"suite": SUITE, "suiteVersion": version, "family": family, "tcId": t["tcId"]}
        message.update({k: v for k, v in group.items() if k not in GROUP_META})
        message.update({k: t[k] for k in TEST_PARAMS if k in t})
        message["input"] = t["input"]
        answer = adapter.ask(message)
        if not answered and answer.get("error") in ("the adapter stopped", "the adapter closed its input"):
            # It dies before answering anything (a missing module, a wrong path): restarting
            # it for every case would only repeat that (issue #21).
            adapter.stop()
            print(f"cannot start the adapter: {args.adapter!r} stopped before answering its first "
                  "case (its error output is above)", file=sys.stderr)
            return 2
        answered = answered or "error" not in answer
        v, why = verdict(t, answer, args.no_ids, family)
        results.append({
            "family": family, "tcId": t["tcId"], "comment": t["comment"], "rules": t["rules"],
            "verdict": v, "message": why, "seconds": round(time.monotonic() - t0, 4),
        })
        # Plain lines, no progress bar (issue #21): the runner goes to labs with the standard
        # library only, its output is mostly read as a CI log (where a bar's redrawn line is
        # noise), and the whole suite takes seconds against this engine.
        if v != "pass" and not args.quiet:
            print(f"{v.upper():4} {family}/{t['tcId']} ({t['comment']}): {why}")
    adapter.stop()

    totals = summarize_and_write(args, name, version, results, started)
    failed = totals["fail"] > 0 or (totals["skip"] > 0 and not args.allow_skip)
    return 1 if failed else 0


def run_audit(args: argparse.Namespace) -> int:
    """Audit mode (spec/tools/harness/audit.py): one case per scenario step, 'fail' with every deviation."""
    import audit

    script = json.loads(args.audit.read_text(encoding="utf-8"))
    if args.play:
        key = audit.play(script, args.play, args.fault)
        args.play.with_name(args.play.name + ".authority").write_text(key + "\n", encoding="ascii")
        print(f"wrote {args.play} (authority key in {args.play}.authority)")
        return 0
    if not args.journal or not args.authority:
        print("audit mode needs --journal and --authority", file=sys.stderr)
        return 2
    key = args.authority
    if Path(key).is_file():
        key = Path(key).read_text(encoding="ascii").strip()
    try:
        text = args.journal.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        print(f"cannot read the journal: {e}", file=sys.stderr)
        return 2
    started = time.monotonic()
    try:
        steps = audit.audit(script, text, key, args.start)
    except ValueError as e:
        print(f"cannot audit: {e}", file=sys.stderr)
        return 2
    results = []
    for r in steps:
        v = "fail" if r["deviations"] else "pass"
        results.append({
            "family": f"audit:{script['name']}", "tcId": r["step"], "comment": r["do"], "rules": r["rules"],
            "verdict": v, "message": "; ".join(r["deviations"]), "seconds": 0.0,
        })
        if not args.quiet:
            for d in r["deviations"]:
                print(f"DEVIATION step {r['step']} ({r['do']}): {d}")
    name = args.name or str(args.journal)
    totals = summarize_and_write(args, name, str(script.get("suiteVersion", "?")), results, started)
    return 1 if totals["fail"] else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
