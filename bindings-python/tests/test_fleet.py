"""``fiscal_core.fleet`` (issue #20): a Dask ``LocalCluster`` of 2 worker processes over 50
synthetic devices, some tampered with.

What is checked, each against something computed without the fleet code:

- the cluster's summary equals single-process verification, device by device (the engine's
  ``verify_journal_file`` in this process);
- bad input at scale is one finding of its device, never a failed job;
- the Parquet sums equal the Z-reports the engine reads from the journals;
- the DuckDB answers equal sums computed here from the journals (``Document`` objects);
- killing a worker during a run changes no result;
- the export is incremental (content hash) and leaves no stale file;
- the ``fiscal-core fleet`` commands, the PNG report.

Bounded: one module-wide cluster (plus one for the kill test and one the CLI starts), loopback
only, explicit timeouts; the whole module runs in well under two minutes on 2 cores.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import struct
import time
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator, Optional

import pytest

from fiscal_core import Certificate, Document, FiscalError, PublicKey, verify_journal_file
from fiscal_core import fleet
from fiscal_core.cli import main
from fiscal_core.fleet import sql
from fiscal_core.fleet._tables import SCHEMAS

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
distributed = pytest.importorskip("distributed")

DEVICES = 50
DAYS = 2
SEED = 20
IN = ("sale", "prepay", "creditpay", "correction")  # what turnover counts in …
OUT = ("money_back", "rollback")  # … and out (fleet/README.md, the ready queries)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> fleet.Fleet:
    return fleet.generate(tmp_path_factory.mktemp("fleet") / "journals", DEVICES, DAYS,
                          seed=SEED, receipts=(5, 15), faults=0.2)


@pytest.fixture(scope="module")
def authority(generated: fleet.Fleet) -> PublicKey:
    return PublicKey.from_hex(generated.authority)


def _local_cluster() -> Any:
    return distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
        host="127.0.0.1", silence_logs=50, death_timeout="30s",
    )


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    cluster = _local_cluster()
    c = distributed.Client(cluster, timeout="60s")
    try:
        c.wait_for_workers(2, timeout=60)
        yield c
    finally:
        c.close(timeout=30)
        cluster.close(timeout=30)


@pytest.fixture(scope="module")
def report(generated: fleet.Fleet, client: Any) -> fleet.FleetReport:
    return fleet.verify(generated.directory, generated.authority, client, timeout=120)


@pytest.fixture(scope="module")
def exported(generated: fleet.Fleet, client: Any,
             tmp_path_factory: pytest.TempPathFactory) -> fleet.ExportReport:
    out = tmp_path_factory.mktemp("parquet")
    return fleet.export(generated.directory, out, generated.authority, client, timeout=120)


class Journal:
    """A journal as this test reads it, with the engine's objects and nothing of the fleet."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.certificate: Optional[Certificate] = None
        self.documents: list[Document] = []
        text = path.read_bytes().decode("utf-8", "replace")
        for i, line in enumerate(text.split("\n")):
            line = line.rstrip("\r")
            if i == 0:
                try:
                    self.certificate = Certificate.from_journal_line(line)
                    continue
                except FiscalError:
                    pass
            try:
                self.documents.append(Document.from_json(line))
            except FiscalError:
                pass


@pytest.fixture(scope="module")
def journals(generated: fleet.Fleet) -> list[Journal]:
    """Every journal that can be read, read here."""
    return [Journal(p) for p in generated.journals if p.is_file()]


def _sign(kind: str) -> int:
    return 1 if kind in IN else -1 if kind in OUT else 0


# --------------------------------------------------------------------------- generator


def test_generator_is_deterministic_and_plants_every_fault(
    generated: fleet.Fleet, tmp_path: Path
) -> None:
    a = fleet.generate(tmp_path / "a", 3, 2, seed=5, faults=0)
    b = fleet.generate(tmp_path / "b", 3, 2, seed=5, faults=0)
    c = fleet.generate(tmp_path / "c", 3, 2, seed=6, faults=0)
    for x, y, z in zip(a.journals, b.journals, c.journals):
        assert x.read_bytes() == y.read_bytes() != z.read_bytes()
    assert a.planted == ()
    # 50 devices × 0.2: ten faults, every kind at least once, on ten distinct devices.
    kinds = [p.fault for p in generated.planted]
    assert len(kinds) == 10 and set(kinds) == set(fleet.FAULTS)
    assert len({p.journal for p in generated.planted}) == 10
    assert json.loads((generated.directory / "planted.json").read_text())["planted"] == [
        p.as_dict() for p in generated.planted]
    assert len(generated.journals) == DEVICES


# --------------------------------------------------------------------------- verify


def test_summary_equals_single_process_verification(
    generated: fleet.Fleet, report: fleet.FleetReport, authority: PublicKey, client: Any
) -> None:
    assert report.workers == 2
    assert [Path(d.journal) for d in report.devices] == list(generated.journals)
    faulty = generated.faulty()
    for summary, path in zip(report.devices, generated.journals):
        # The same work in this process: the fleet's task function, without Dask …
        assert summary == fleet.summarize(path, authority, jid=summary.journal_id)
        fault = faulty.get(path.name)
        if fault == "unreadable":
            assert [f.code for f in summary.findings] == [fleet.UNREADABLE]
            with pytest.raises(OSError):
                verify_journal_file(path, authority)
            continue
        # … and the engine's own verifier: every count and finding the same.
        engine = verify_journal_file(path, authority, workers=1)
        assert (summary.documents, summary.receipts, summary.lines, summary.valid) == (
            engine.documents, engine.receipts, engine.lines, engine.is_valid)
        assert (summary.last_number, summary.last_time, summary.last_shift) == (
            engine.last_number, engine.last_time, engine.last_shift)
        assert [(f.code, f.rule, f.document_number, f.line, f.message) for f in summary.findings] \
            == [(f.code, f.rule, f.document_number, f.line, f.message) for f in engine.findings]
        assert summary.valid == (fault in (None, "offline_gap")), path.name
    # Shifts and Z-reports counted from the documents read here.
    for summary, j in zip((d for d in report.devices if d.sha256), _readable(generated)):
        kinds = [d.kind for d in j.documents]
        assert (summary.shifts, summary.z_reports) == (kinds.count("open_shift"), kinds.count("zreport"))
        if j.documents:
            assert (summary.first_number, summary.first_time) == (
                j.documents[0].number, j.documents[0].time)
    tampered = [p for p in generated.planted if p.fault in fleet.TAMPERING]
    assert report.valid == DEVICES - len(tampered) == 41  # offline_gap breaks no rule
    assert sum(report.findings_by("rule").values()) == len(report.findings)
    # The same code on a scheduler's address (here the module's cluster, over loopback).
    again = fleet.verify(generated.journals[:5], authority, client.scheduler.address, timeout=60)
    assert again.devices == report.devices[:5]


def _readable(generated: fleet.Fleet) -> Iterator[Journal]:
    for p in generated.journals:
        if p.is_file():
            yield Journal(p)


def test_bad_input_is_one_finding_never_a_failed_job(
    generated: fleet.Fleet, client: Any, tmp_path: Path
) -> None:
    missing = tmp_path / "kassa-missing.jsonl"
    empty = tmp_path / "kassa-empty.jsonl"
    empty.write_bytes(b"")
    kinds = {p.fault: generated.directory / p.journal for p in generated.planted}
    paths = [kinds["unreadable"], missing, kinds["garbage"], kinds["truncated"], empty]
    result = fleet.verify(paths, generated.authority, client, timeout=60)
    by_name = {Path(d.journal).name: d for d in result.devices}
    for name in (kinds["unreadable"].name, missing.name):
        d = by_name[name]
        assert [f.code for f in d.findings] == [fleet.UNREADABLE] and d.sha256 is None
        assert d.findings[0].rule is None and d.findings[0].code_number is None
    # Read but broken: the engine's findings (a truncated line is `invalid_document`).
    assert "invalid_document" in by_name[kinds["truncated"].name].findings_by_code
    assert by_name[kinds["garbage"].name].findings_by_code.get("empty_journal") == 1
    assert by_name[empty.name].findings_by_code == {"empty_journal": 1}


# --------------------------------------------------------------------------- export


def _table(out: Path, dataset: str) -> Any:
    files = sorted((out / dataset).glob("*/*/*.parquet"))
    return pa.concat_tables([pq.read_table(f) for f in files]) if files else SCHEMAS[dataset].empty_table()


def test_export_schemas_and_layout(exported: fleet.ExportReport) -> None:
    out = exported.out_dir
    assert exported.exported == DEVICES and exported.skipped == 0
    docs = pq.read_schema(next((out / "documents").glob("*/*/*.parquet")))
    assert docs.field("sum").type == pa.decimal128(18, 2)
    assert docs.field("time").type == pa.timestamp("ms", tz="+04:00")
    assert docs.field("date").type == pa.date32() and docs.field("voen").type == pa.string()
    lines = pq.read_schema(next((out / "lines").glob("*/*/*.parquet")))
    assert (lines.field("quantity").type, lines.field("price").type, lines.field("percent").type) \
        == (pa.decimal128(18, 3), pa.decimal128(18, 4), pa.decimal128(5, 2))
    for dataset in SCHEMAS:
        for f in (out / dataset).glob("*/*/*.parquet"):
            t = pq.read_table(f)
            assert t.schema.equals(SCHEMAS[dataset], check_metadata=False)
            day, voen = f.parent.parent.name, f.parent.name
            # The folder says what the rows say (NULL written as Hive's default partition).
            assert {("date=" + (d.isoformat() if d else "__HIVE_DEFAULT_PARTITION__"))
                    for d in t.column("date").to_pylist()} == {day}
            assert {("voen=" + (v or "__HIVE_DEFAULT_PARTITION__"))
                    for v in t.column("voen").to_pylist()} == {voen}


def test_parquet_rows_are_the_journals_documents(exported: fleet.ExportReport,
                                                  journals: list[Journal]) -> None:
    docs = _table(exported.out_dir, "documents").to_pylist()
    by_key = {(r["device"], r["number"], r["fiscal_id"]) for r in docs}
    expected = {(j.certificate.nmq_registration_number if j.certificate else None, d.number,
                 d.fiscal_id) for j in journals for d in j.documents}
    assert by_key == expected and len(docs) == sum(len(j.documents) for j in journals)
    row = next(r for r in docs if r["kind"] == "sale")
    assert isinstance(row["sum"], Decimal) and row["time"].utcoffset().total_seconds() == 4 * 3600
    assert row["date"] == row["time"].date()


def test_parquet_sums_equal_the_zreports(exported: fleet.ExportReport,
                                         journals: list[Journal]) -> None:
    out = exported.out_dir
    docs = _table(out, "documents").to_pylist()
    pays = _table(out, "payments").to_pylist()
    groups = [g for g in _table(out, "tax_groups").to_pylist() if g["counted"]]
    counted: dict[tuple[str, int, str], list[Any]] = defaultdict(lambda: [0, Decimal(0)])
    shift_of = {}
    for r in docs:
        shift_of[(r["device"], r["number"])] = r["shift"]
        if r["kind"] not in ("activation", "open_shift", "zreport", "decommission"):
            c = counted[(r["device"], r["shift"], r["kind"])]
            c[0] += 1
            c[1] += r["sum"]
    paid: dict[tuple[str, int, str, str], Decimal] = defaultdict(Decimal)
    for p in pays:
        paid[(p["device"], shift_of[(p["device"], p["number"])], p["kind"], p["form"])] += p["amount"]
    taxed: dict[tuple[str, int, str, str, Optional[Decimal]], list[Decimal]] = defaultdict(
        lambda: [Decimal(0), Decimal(0)])
    for g in groups:
        t = taxed[(g["device"], shift_of[(g["device"], g["number"])], g["kind"], g["category"], g["percent"])]
        t[0] += g["gross"]
        t[1] += g["tax"]
    checked = mismatched = 0
    for j in journals:
        if j.certificate is None:
            continue
        device = j.certificate.nmq_registration_number
        for d in j.documents:
            z = d.z_report
            if z is None:
                continue
            ok = True
            for k in z.kinds:  # the engine's Z-report, read from the journal here
                ok &= counted.get((device, z.shift, k.kind)) == [k.count, k.sum]
                for form in ("cash", "cashless", "prepayment", "credit"):
                    ok &= paid.get((device, z.shift, k.kind, form), Decimal(0)) == getattr(k.payments, form)
                for g in k.groups:
                    ok &= taxed.get((device, z.shift, k.kind, g.category, g.percent)) == [g.gross, g.tax]
            kinds = {k.kind for k in z.kinds}
            ok &= {key[2] for key in counted if key[:2] == (device, z.shift)} == kinds
            checked += 1
            if not ok:
                mismatched += 1
                assert device in _tampered_devices(exported), (device, z.shift)
    assert checked >= 80 and 1 <= mismatched <= 5
    # The ready query says the same: only tampered devices' shifts differ from their Z.
    rows = sql.run(out, "zreport_vs_documents").as_dicts()
    assert rows and {r["device"] for r in rows} <= _tampered_devices(exported)


def _tampered_devices(exported: fleet.ExportReport) -> set[Optional[str]]:
    return {d.device for d in exported.devices if not d.valid}


def test_duckdb_answers_equal_sums_from_the_journals(exported: fleet.ExportReport,
                                                     journals: list[Journal]) -> None:
    out = exported.out_dir
    turnover: dict[tuple[date, str], Decimal] = defaultdict(Decimal)
    receipts: dict[tuple[date, str], int] = defaultdict(int)
    vat: dict[tuple[str, Optional[Decimal]], list[Decimal]] = defaultdict(
        lambda: [Decimal(0), Decimal(0)])
    objects: dict[tuple[str, str], list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    gaps: set[tuple[str, int, int]] = set()
    unclosed: set[tuple[str, int]] = set()
    silent: set[str] = set()
    for j in journals:
        if j.certificate is None:
            continue
        cert = j.certificate
        for d in j.documents:
            key = (d.time.date(), cert.voen)
            receipts[key] += d.is_receipt
            turnover[key] += _sign(d.kind) * (d.sum or 0)
            shop = objects[(cert.voen, cert.object_code)]
            if d.sum is not None and d.kind in ("sale", "prepay", "creditpay"):
                shop[0] += d.sum
            elif d.sum is not None and d.kind == "money_back":
                shop[1] += d.sum
            for g in d.counted_groups:
                vat[(g.category, g.percent)][0] += _sign(d.kind) * g.gross
                vat[(g.category, g.percent)][1] += _sign(d.kind) * g.tax
        numbers = sorted({d.number for d in j.documents})
        gaps |= {(cert.nmq_registration_number, a + 1, b - 1)
                 for a, b in zip(numbers, numbers[1:]) if b > a + 1}
        opened = {d.shift for d in j.documents if d.kind == "open_shift"}
        closed = {d.shift for d in j.documents if d.kind == "zreport"}
        unclosed |= {(cert.nmq_registration_number, s) for s in opened - closed}
        times = sorted(d.time for d in j.documents)
        if any((b - a).total_seconds() > 7 * 86400 for a, b in zip(times, times[1:])):
            silent.add(cert.nmq_registration_number)

    got = sql.run(out, "turnover_per_voen_day").as_dicts()
    assert {(r["date"], r["voen"]): r["turnover"] for r in got} == dict(turnover)
    assert {(r["date"], r["voen"]): r["receipts"] for r in got} == dict(receipts)
    got = sql.run(out, "vat_by_rate").as_dicts()
    assert {(r["treatment"], r["percent"]): [r["gross"], r["tax"]] for r in got} == dict(vat)
    assert {r["treatment"] for r in got} >= {"vat", "vat_exempt", "simplified"}
    got = sql.run(out, "return_ratio_per_object").as_dicts()
    assert {(r["voen"], r["object_code"]): [r["sales"], r["returns"]] for r in got} == {
        k: v for k, v in objects.items()}
    for r in got:
        assert r["return_ratio"] == pytest.approx(float(r["returns"] / r["sales"]), abs=5e-5)
    got = sql.run(out, "number_gaps").as_dicts()
    assert {(r["device"], r["first_missing"], r["last_missing"]) for r in got} == gaps
    got = sql.run(out, "shifts_without_zreport").as_dicts()
    assert {(r["device"], r["shift"]) for r in got} == unclosed
    assert sql.run(out, "offline_periods").as_dicts()[0]["days"] > 7
    assert {r["device"] for r in sql.run(out, "offline_periods").as_dicts()} == silent
    assert {r["device"] for r in sql.run(out, "offline_periods", {"offline_days": 0.25}).as_dicts()} \
        > silent
    # The planted faults are where the questions point.
    planted = {p.device: p.fault for p in _planted(exported)}
    assert {planted.get(d) for d, _, _ in gaps} <= {"deleted_line", "missing_zreport", "altered_amount"}
    assert "missing_zreport" in {planted.get(d) for d, _ in unclosed}
    assert {planted.get(d) for d in silent} == {"offline_gap"}
    findings = sql.run(out, "findings_by_rule").as_dicts()
    assert sum(r["findings"] for r in findings) == sum(len(d.findings) for d in exported.devices)


def _planted(exported: fleet.ExportReport) -> list[fleet.Planted]:
    data = json.loads((Path(exported.devices[0].journal).parent / "planted.json").read_text())
    return [fleet.Planted(**p) for p in data["planted"]]


def test_export_is_incremental(generated: fleet.Fleet, client: Any, tmp_path: Path) -> None:
    src = tmp_path / "journals"
    shutil.copytree(generated.directory, src, symlinks=True)
    out = tmp_path / "parquet"
    first = fleet.export(src, out, generated.authority, client, timeout=60)
    assert (first.exported, first.skipped) == (DEVICES, 0)
    again = fleet.export(src, out, generated.authority, client, timeout=60)
    # An unreadable journal has no content hash: it is tried again each time.
    assert (again.exported, again.skipped) == (1, DEVICES - 1)
    assert again.devices == first.devices
    # A journal that grew (here: lost its last line) is exported again, its old files gone.
    valid = next(p for p in src.glob("*.jsonl") if p.name not in generated.faulty())
    lines = valid.read_text().splitlines()
    valid.write_text("\n".join(lines[:-1]) + "\n")
    third = fleet.export(src, out, generated.authority, client, timeout=60)
    assert (third.exported, third.skipped) == (2, DEVICES - 2)
    manifest = fleet.read_manifest(out)
    listed = {f for entry in manifest.values() for f in entry["files"]}
    on_disk = {p.relative_to(out).as_posix() for p in out.glob("*/*/*/*.parquet")}
    assert listed == on_disk
    docs = sql.run(out, "SELECT count(*) AS n FROM documents").rows[0][0]
    assert docs == first.rows["documents"] - 1


# --------------------------------------------------------------------------- a worker lost


def test_killing_a_worker_changes_no_result(generated: fleet.Fleet, report: fleet.FleetReport,
                                            exported: fleet.ExportReport, tmp_path: Path) -> None:
    cluster = _local_cluster()
    c = distributed.Client(cluster, timeout="60s")
    try:
        c.wait_for_workers(2, timeout=60)
        killed: list[int] = []
        lost: list[int] = []

        def kill_one(done: int, total: int, _summary: object) -> None:
            if killed or done < 2:
                return
            # The worker that is running a task now, killed outright (SIGKILL): its tasks and
            # the results it held are lost, and the scheduler runs them again elsewhere.
            processing = c.processing()
            worker = max(processing, key=lambda w: len(processing[w]))
            if not processing[worker]:
                return  # between two tasks: at the next result
            pids = c.run(os.getpid)
            lost.append(len(processing[worker]))
            killed.append(pids[worker])
            os.kill(pids[worker], signal.SIGKILL)

        before = set(c.run(os.getpid).values())
        again = fleet.verify(generated.directory, generated.authority, c, progress=kill_one,
                             timeout=90)
        assert killed and killed[0] in before and lost[0] >= 1  # tasks were lost mid-run
        assert again.devices == report.devices  # every summary, finding and count the same
        # The nanny brings the worker back: a new process.
        c.wait_for_workers(2, timeout=60)
        deadline = time.monotonic() + 30
        while killed[0] in set(c.run(os.getpid).values()) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert killed[0] not in set(c.run(os.getpid).values())

        killed.clear()
        out = tmp_path / "parquet"
        redo = fleet.export(generated.directory, out, generated.authority, c, progress=kill_one,
                            timeout=90)
        assert killed
        assert redo.devices == exported.devices and redo.rows == exported.rows
        for dataset in SCHEMAS:
            a, b = _table(out, dataset).to_pylist(), _table(exported.out_dir, dataset).to_pylist()
            assert sorted(map(_row_key, a)) == sorted(map(_row_key, b)), dataset
    finally:
        c.close(timeout=30)
        cluster.close(timeout=30)


def _row_key(row: dict[str, Any]) -> str:
    return json.dumps(row, default=str, sort_keys=True)


# --------------------------------------------------------------------------- CLI and report


def test_cli_generate_verify_export_sql_report(tmp_path: Path, client: Any,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    journals = tmp_path / "fleet"
    assert main(["fleet", "generate", str(journals), "--devices", "8", "--days", "2",
                 "--faults", "0.25", "--receipts", "3-6"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("TEST AUTHORITY: ") and "wrote 8 journals" in out
    assert out.count("  planted ") == 2
    key = str(journals / "authority.hex")
    # The embedded default: a LocalCluster started and closed by the command.
    assert main(["fleet", "verify", str(journals), "--authority", key, "--workers", "2"]) == 1
    out = capsys.readouterr().out
    assert "8 journals on 2 workers" in out and "6 valid, 2 with findings" in out
    scheduler = client.scheduler.address
    assert main(["fleet", "verify", str(journals), "--authority", key, "--scheduler", scheduler,
                 "--json", "--all"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["journals"] == 8 and data["valid"] == 6 and len(data["devices"]) == 8
    _check_schema("fleet-verify-report", data)
    parquet = tmp_path / "parquet"
    assert main(["fleet", "export", str(journals), "--authority", key, "--out", str(parquet),
                 "--scheduler", scheduler]) == 1
    out = capsys.readouterr().out
    assert "8 exported, 0 skipped" in out and "bytes/document" in out
    assert main(["fleet", "export", str(journals), "--authority", key, "--out", str(parquet),
                 "--scheduler", scheduler, "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["skipped"] >= 7
    _check_schema("fleet-export-report", data)
    assert main(["fleet", "sql", "--data", str(parquet), "--list"]) == 0
    listed = capsys.readouterr().out
    assert all(name in listed for name in sql.queries())
    assert main(["fleet", "sql", "--data", str(parquet), "turnover_per_voen_day"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["date", "voen", "receipts", "sales", "returns",
                                           "cancels", "turnover"]
    assert main(["fleet", "sql", "--data", str(parquet), "--json",
                 "SELECT kind, count(*) AS n FROM documents GROUP BY kind ORDER BY kind"]) == 0
    data = json.loads(capsys.readouterr().out)
    _check_schema("fleet-sql-rows", data)
    kinds = {r["kind"]: r["n"] for r in data}
    assert kinds["open_shift"] >= 6 and kinds["sale"] > 10
    assert main(["fleet", "sql", "--data", str(parquet), "--set", "offline_days=0.1",
                 "offline_periods", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data and data[0]["silent_from"].endswith("+04:00")
    _check_schema("fleet-sql-rows", data)
    assert main(["fleet", "sql", "--data", str(parquet), "--setup"]) == 0
    assert "CREATE OR REPLACE VIEW documents" in capsys.readouterr().out
    # Refusals: exit 2 and a message, never a traceback.
    assert main(["fleet", "sql", "--data", str(parquet), "no_such_query"]) == 2
    assert "ready queries:" in capsys.readouterr().err
    assert main(["fleet", "sql", "--data", str(tmp_path / "nowhere"), "number_gaps"]) == 2
    assert main(["fleet", "verify", str(journals), "--authority", "00" * 33]) == 2
    assert main(["fleet", "verify", str(tmp_path / "parquet" / "documents"),
                 "--authority", key]) == 2
    assert "no journal" in capsys.readouterr().err
    png = tmp_path / "fleet.png"
    assert main(["fleet", "report", "--data", str(parquet), "--out", str(png)]) == 0
    assert f"wrote {png}" in capsys.readouterr().out
    _check_png(png)


def _check_schema(name: str, value: Any) -> None:
    """The fleet's JSON outputs follow their schemas (spec/schemas/fleet-*, draft 2020-12)."""
    from jsonschema import Draft202012Validator

    schema = json.loads((Path(__file__).resolve().parents[2] / "spec" / "schemas" / f"{name}.schema.json").read_text())
    Draft202012Validator.check_schema(schema)
    errors = [f"{list(e.path)}: {e.message}" for e in Draft202012Validator(schema).iter_errors(value)]
    assert not errors, errors[:5]


def _check_png(path: Path) -> None:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert width >= 800 and height >= 500 and len(data) > 20_000
    assert data[-8:-4] == b"IEND"


def test_report_chart(exported: fleet.ExportReport, tmp_path: Path) -> None:
    from fiscal_core.fleet import chart

    drawn = chart.draw(exported.out_dir, tmp_path / "chart.png")
    _check_png(drawn.path)
    turnover = sum((r["turnover"] for r in sql.run(exported.out_dir, "turnover_per_voen_day").as_dicts()),
                   Decimal(0))
    assert drawn.turnover == turnover and drawn.days[0] == date(2026, 11, 23)
    assert drawn.findings + drawn.undated_findings == sum(len(d.findings) for d in exported.devices)


def test_ready_queries_are_documented_as_written() -> None:
    doc = (sql.QUERY_DIR.parent / "README.md").read_text(encoding="utf-8")
    ready = sql.queries()
    assert len(ready) == 8
    for q in ready.values():
        assert f"### `{q.name}` — {q.title}" in doc and q.sql in doc, q.name


def test_readme_shows_what_the_commands_print(tmp_path: Path, client: Any,
                                              monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """README.md, "At national scale": the same fleet gives the same output (timings aside)."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## At national scale", 1)[1].split("\n## ", 1)[0]
    shown = [body for lang, body in re.findall(r"^```(\w*)\n(.*?)^```$", section, re.M | re.S)
             if lang == "text"]  # the outputs (the commands are ```sh)
    monkeypatch.chdir(tmp_path)  # relative paths, as typed (the workers' folder is not this)
    assert main(["fleet", "generate", "fleet", "--devices", "20", "--days", "3",
                 "--faults", "0.4"]) == 0
    capsys.readouterr()
    at = ["--scheduler", client.scheduler.address]
    assert main(["fleet", "verify", "fleet", "--authority", "fleet/authority.hex", *at]) == 1
    got = capsys.readouterr().out.splitlines()
    want = shown[0].splitlines()
    assert got[1:] == want[1:] and _untimed(got[0]) == _untimed(want[0])
    assert main(["fleet", "export", "fleet", "--authority", "fleet/authority.hex",
                 "--out", "parquet", *at]) == 1
    got = capsys.readouterr().out.splitlines()
    want = shown[1].splitlines()
    assert got[1:] == want[1:] and _untimed(got[0]) == _untimed(want[0])
    assert main(["fleet", "sql", "--data", "parquet", "vat_by_rate"]) == 0
    assert main(["fleet", "sql", "--data", "parquet", "shifts_without_zreport"]) == 0
    assert capsys.readouterr().out == shown[2]


def _untimed(line: str) -> str:
    line = re.sub(r" in [0-9.]+ s( \([0-9,]+ documents/s\))?", "", line)
    return re.sub(r" \(\+[0-9.]+ s to start the local cluster\)", "", line)
