#!/usr/bin/env python3
"""Regenerates benches/RESULTS.md: every number in it, and the targets met or missed.

    python3 benches/results.py            # from the repository root (or anywhere)

In order (about 25 minutes on 2 cores the first time, less once the journals are cached):

1. criterion, p256 provider: `cargo bench -p fiscal-core-benches` (every bench target; the
   whole-journal benchmark on a smaller journal, --p256-journal-docs);
2. criterion, ring provider: `cargo bench -p fiscal-core-benches --features ring --bench verify`
   (the 100 000-document journal, --journal-docs);
3. `openssl speed ecdsap256`;
4. the Python peers (peers/python_peers.py in .venv, where it builds and installs `fiscal_core`
   with maturin and installs `cryptography` and `segno`): the pure-Python verifier against
   `fiscal_core.verify_journal` on 1 and 2 workers; segno against our QR;
5. peak RSS (`/usr/bin/time -v`) of journal verification for 10 000 and 1 000 000 documents
   (the journals generated once into target/fiscal-bench/ and reused);
6. the serialized state's size (`fiscal-bench state`);
7. sizes: the size probe (size-probe/: issuing + p256 only, no_std, linked into a C program)
   and the C library's release static library;
8. `perf` profiles of issuing and of journal verification (top symbols), the evidence for any
   target missed.

criterion's estimates are read from target/criterion/**/new/{benchmark,estimates}.json (the
median, robust to a neighbour's build taking a core); only those written by this run count.
Options: --skip-cargo (reuse the criterion results of an earlier run), --report-only (rewrite
RESULTS.md from results.json, measuring nothing), --rss-only (measure the peak RSS again), --journal-docs N,
--p256-journal-docs N, --rss-docs A,B, --python-journal-docs N.
"""
import argparse
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHES = ROOT / "benches"
TARGET = ROOT / "target"
DATA = TARGET / "fiscal-bench"
VENV = ROOT / ".venv"
PY = VENV / "bin" / "python"
BIN = TARGET / "release" / "fiscal-bench"


def log(*args):
    print("[results]", *args, file=sys.stderr, flush=True)


def run(cmd, *, cwd=ROOT, env=None, check=True, capture=True):
    log("$", " ".join(str(c) for c in cmd))
    e = dict(os.environ)
    if env:
        e.update(env)
    p = subprocess.run(
        [str(c) for c in cmd],
        cwd=cwd,
        env=e,
        text=True,
        stdout=subprocess.PIPE if capture else None,
        stderr=subprocess.PIPE if capture else None,
    )
    if check and p.returncode != 0:
        sys.stderr.write((p.stdout or "") + (p.stderr or ""))
        raise SystemExit(f"failed ({p.returncode}): {' '.join(str(c) for c in cmd)}")
    return p


# --- criterion ------------------------------------------------------------------------------
def criterion_results(since):
    """{full_id: {"median": ns, "mean": ns, "low": ns, "high": ns}} written after `since`."""
    out = {}
    for est in (TARGET / "criterion").glob("**/new/estimates.json"):
        if est.stat().st_mtime < since:
            continue
        bench = json.loads((est.parent / "benchmark.json").read_text())
        e = json.loads(est.read_text())
        sample = json.loads((est.parent / "sample.json").read_text())
        out[bench["full_id"]] = {
            # The fastest sample's time per iteration: the estimate least disturbed by other
            # processes taking the core (criterion's samples are 10 to 100 batches of runs).
            "best": min(t / n for t, n in zip(sample["times"], sample["iters"])),
            "median": e["median"]["point_estimate"],
            "mean": e["mean"]["point_estimate"],
            "low": e["median"]["confidence_interval"]["lower_bound"],
            "high": e["median"]["confidence_interval"]["upper_bound"],
        }
    return out


def cargo_benches(args):
    started = time.time() - 1
    run(
        ["cargo", "bench", "-p", "fiscal-core-benches"],
        env={"FISCAL_BENCH_JOURNAL_DOCS": str(args.p256_journal_docs)},
        capture=False,
    )
    run(
        ["cargo", "bench", "-p", "fiscal-core-benches", "--features", "ring", "--bench", "verify"],
        env={"FISCAL_BENCH_JOURNAL_DOCS": str(args.journal_docs)},
        capture=False,
    )
    return started


# --- openssl ------------------------------------------------------------------------------
def openssl_speed():
    p = run(["openssl", "speed", "-seconds", "3", "-elapsed", "ecdsap256"])
    m = re.search(
        r"256 bits ecdsa \(nistp256\)\s+([\d.]+)s\s+([\d.]+)s\s+([\d.]+)\s+([\d.]+)", p.stdout
    )
    if not m:
        raise SystemExit("cannot read `openssl speed` output:\n" + p.stdout)
    version = run(["openssl", "version"]).stdout.strip()
    return {
        "sign_s": float(m.group(1)),
        "verify_s": float(m.group(2)),
        "sign_per_s": float(m.group(3)),
        "verify_per_s": float(m.group(4)),
        "version": version,
    }


# --- journals and the helper binary ------------------------------------------------------------
def build_helper():
    run(["cargo", "build", "--release", "-p", "fiscal-core-benches", "--features", "ring", "--bin", "fiscal-bench"], capture=False)


def journal(docs):
    """The cached journal of `docs` documents (generated when missing or no longer valid)."""
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"journal-{docs}.jsonl"
    if path.exists() and (DATA / f"journal-{docs}.jsonl.authority").exists():
        return path
    partial = DATA / f"journal-{docs}.partial.jsonl"
    run([BIN, "generate", docs, partial], capture=False)
    Path(f"{partial}.authority").replace(f"{path}.authority")
    partial.replace(path)
    return path


def rss(cmd):
    """Peak RSS (KiB), wall seconds and stdout of `cmd` under /usr/bin/time -v."""
    p = run(["/usr/bin/time", "-v"] + cmd, check=False)
    if p.returncode != 0:
        return None
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1))
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", p.stderr).group(1)
    seconds = 0.0
    for part in wall.split(":"):
        seconds = seconds * 60 + float(part)
    return {"peak_kib": peak, "wall_s": seconds, "stdout": p.stdout.strip()}


def verify_rss(path):
    """Peak RSS of the streaming verifiers on `path`; regenerates the journal once if stale."""
    out = {}
    for mode in ("--stream", "--reader", "--two-pass"):
        r = rss([str(BIN), "verify", str(path), mode])
        if r is None and mode == "--stream":
            log(f"{path} does not verify with this engine: regenerating it")
            path.unlink()
            journal(int(re.search(r"journal-(\d+)", path.name).group(1)))
            r = rss([str(BIN), "verify", str(path), mode])
        out[mode.strip("-").replace("-", "_")] = r
    cli = VENV / "bin" / "fiscal-core"
    if cli.exists():
        out["python_cli_2_workers"] = rss([str(cli), "verify", str(path), "--authority", f"{path}.authority", "--workers", "2"])
        out["python_cli_low_memory"] = rss([str(cli), "verify", str(path), "--authority", f"{path}.authority", "--workers", "2", "--low-memory"])
    return out


# --- Python -----------------------------------------------------------------------------
def python_env():
    if not PY.exists():
        run([sys.executable, "-m", "venv", VENV])
    run([PY, "-m", "pip", "install", "-q", "--disable-pip-version-check", "maturin>=1.7,<2", "cryptography>=43", "segno>=1.6"])
    # Always rebuilt (incrementally), so Python measures the engine of this tree.
    run(
        [VENV / "bin" / "maturin", "develop", "--release", "--quiet"],
        cwd=ROOT / "bindings-python",
        env={"VIRTUAL_ENV": str(VENV), "PATH": f"{VENV / 'bin'}:{os.environ['PATH']}"},
        capture=False,
    )


def python_peers(path):
    p = run([PY, BENCHES / "peers" / "python_peers.py", path, "--repeat", "3"])
    return json.loads(p.stdout.strip().splitlines()[-1])


# --- sizes ----------------------------------------------------------------------------------
def sizes():
    out = {}
    probe = BENCHES / "size-probe"
    probe_target = TARGET / "size-probe"
    run(["cargo", "build", "--release"], cwd=probe, env={"CARGO_TARGET_DIR": str(probe_target)}, capture=False)
    lib = probe_target / "release" / "libfiscal_core_size_probe.a"
    out["probe_archive_bytes"] = lib.stat().st_size
    exe, empty = DATA / "probe", DATA / "probe-empty"
    run(["cc", "-O2", "-Wl,--gc-sections", probe / "probe.c", lib, "-o", exe])
    run(["cc", "-O2", "-Wl,--gc-sections", probe / "empty.c", "-o", empty])
    out["probe_runs"] = run([exe]).stdout.strip()

    def text_data(path):
        line = run(["size", path]).stdout.strip().splitlines()[-1].split()
        return int(line[0]), int(line[1]) + int(line[2])

    (t1, d1), (t0, d0) = text_data(exe), text_data(empty)
    out["probe_adds_text"] = t1 - t0
    out["probe_adds_data_bss"] = d1 - d0
    for f in (exe, empty):
        run(["strip", f])
    out["probe_adds_stripped"] = exe.stat().st_size - empty.stat().st_size
    run(["cargo", "build", "--release", "-p", "fiscal-core-c"], capture=False)
    c_lib = TARGET / "release" / "libfiscal_core.a"
    out["c_staticlib_bytes"] = c_lib.stat().st_size
    stripped = DATA / "libfiscal_core.stripped.a"
    shutil.copy(c_lib, stripped)
    run(["strip", "--strip-debug", stripped])
    out["c_staticlib_stripped_bytes"] = stripped.stat().st_size
    so = TARGET / "release" / "libfiscal_core.so"
    if so.exists():
        out["c_shared_bytes"] = so.stat().st_size
    return out


# --- profiles -------------------------------------------------------------------------------
def profile(cmd, name):
    data = DATA / f"{name}.perf.data"
    p = run(["perf", "record", "-q", "-F", "1999", "-o", data, "--"] + cmd, check=False)
    if p.returncode != 0:
        return None
    rep = run(["perf", "report", "-i", data, "--stdio", "--no-children", "--sort", "symbol", "--percent-limit", "1.5"], check=False)
    rows = []
    for line in rep.stdout.splitlines():
        m = re.match(r"\s+([\d.]+)%\s+\[\.\]\s+(.*?)\s*$", line)
        if m:
            symbol = re.sub(r"\s+-\s+-\s*$", "", m.group(2)).strip()
            rows.append((float(m.group(1)), symbol[:110]))
    return rows[:14]


# The verifiers whose peak RSS is measured: (key in results.json, label).
RSS_MODES = (
    ("stream", "engine, `JournalVerifier` a line at a time, 1 thread"),
    ("reader", "engine, `JournalVerification::verify_reader`, 2 threads"),
    ("two_pass", "engine, two passes (`JournalVerification::low_memory`), 2 threads"),
    ("python_cli_2_workers", "Python CLI `fiscal-core verify`, 2 workers"),
    ("python_cli_low_memory", "Python CLI `fiscal-core verify --low-memory`, 2 workers"),
)


# --- the report -------------------------------------------------------------------------------
def fmt_time(ns):
    if ns is None:
        return "–"
    if ns < 0:
        return "−" + fmt_time(-ns)
    if ns >= 1e9:
        return f"{ns / 1e9:.2f} s"
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.1f} µs"
    return f"{ns:.0f} ns"


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def fmt_ratio(r):
    return "–" if r is None else f"{r:.2f} ×"


def verdict(ok):
    return "–" if ok is None else ("**met**" if ok else "**missed**")


def machine():
    cpu = "?"
    try:
        for line in run(["lscpu"]).stdout.splitlines():
            if line.startswith("Model name:"):
                cpu = line.split(":", 1)[1].strip()
    except SystemExit:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "rustc": run(["rustc", "--version"]).stdout.strip(),
        "python": platform.python_version(),
        "load_start": os.getloadavg(),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--skip-cargo", action="store_true")
    ap.add_argument("--rss-only", action="store_true",
                    help="measure only the peak RSS again, keep the other numbers of results.json")
    ap.add_argument("--report-only", action="store_true",
                    help="measure nothing: rewrite RESULTS.md from the numbers in results.json")
    ap.add_argument("--journal-docs", type=int, default=100_000)
    ap.add_argument("--p256-journal-docs", type=int, default=20_000)
    ap.add_argument("--rss-docs", default="10000,1000000")
    ap.add_argument("--python-journal-docs", type=int, default=100_000)
    args = ap.parse_args()
    if args.rss_only:
        raw = json.loads((BENCHES / "results.json").read_text())
        build_helper()
        python_env()
        raw["rss"] = {str(d): verify_rss(journal(d)) for d in (int(x) for x in args.rss_docs.split(","))}
        (BENCHES / "results.json").write_text(json.dumps(raw, indent=1, ensure_ascii=False) + "\n")
        args.report_only = True
    if args.report_only:
        raw = json.loads((BENCHES / "results.json").read_text())
        (BENCHES / "RESULTS.md").write_text(report(raw))
        log("rewrote benches/RESULTS.md from benches/results.json")
        return

    started_at = datetime.datetime.now().astimezone()
    m = machine()
    since = 0 if args.skip_cargo else cargo_benches(args)
    crit = criterion_results(since)
    build_helper()
    ossl = openssl_speed()
    state = json.loads(run([BIN, "state"]).stdout)
    paired = json.loads(run([BIN, "paired", "30"]).stdout)
    python_env()
    peers = python_peers(journal(args.python_journal_docs))
    rss_results = {}
    for docs in (int(x) for x in args.rss_docs.split(",")):
        rss_results[docs] = verify_rss(journal(docs))
    baseline_rss = rss([str(BIN), "state"])
    sz = sizes()
    issue_profile = profile([str(BIN), "issue", "3000", "10"], "issue")
    verify_profile = profile([str(BIN), "verify", str(journal(10_000)), "--stream"], "verify")
    qr_profile = profile([str(BIN), "qr", "2000"], "qr")
    m["load_end"] = os.getloadavg()
    raw = {
        "machine": m,
        "criterion": crit,
        "openssl": ossl,
        "state": state,
        "paired": paired,
        "python": peers,
        "rss": {str(k): v for k, v in rss_results.items()},
        "rss_baseline": baseline_rss,
        "sizes": sz,
        "profiles": {"issue": issue_profile, "verify": verify_profile, "qr": qr_profile},
        "args": vars(args),
        "started": started_at.isoformat(timespec="seconds"),
    }
    (BENCHES / "results.json").write_text(json.dumps(raw, indent=1, ensure_ascii=False) + "\n")
    (BENCHES / "RESULTS.md").write_text(report(raw))
    log("wrote benches/RESULTS.md and benches/results.json")


def find(crit, prefix, suffix=""):
    for k, v in crit.items():
        if k.startswith(prefix) and k.endswith(suffix):
            return k, v["best"]
    return None, None


def report(raw):
    c = raw["criterion"]
    est = lambda k: c[k]["best"] if k in c else None  # noqa: E731
    mdn = lambda k: c[k]["median"] if k in c else None  # noqa: E731
    m = raw["machine"]
    ossl = raw["openssl"]
    py = raw["python"]
    L = []
    w = L.append
    w("# Benchmark results\n")
    w(f"Regenerated {raw['started']} by `python3 benches/results.py` (every number below; the raw")
    w("numbers are in `benches/results.json`). Speed is measured here, never asserted in a test.\n")
    w("**Estimates.** Each time is criterion's **best sample** (the fastest of its 10–100 samples, time per")
    w("run; wall clock), with criterion's median beside it where it matters. The 2 cores are shared with")
    w("other engineers' builds, which take a core for seconds at a time: the best sample is the estimate")
    w("least disturbed by them (as `timeit` takes the best of its repeats), and the verdicts use it. A")
    w("verdict that the medians would change is marked so. Ratios are what the targets are stated in.\n")
    w(f"Machine: {m['cpu']}, {m['cores']} cores, {m['rustc']}, Python {m['python']}, {ossl['version']}.")
    w(f"Load average (1, 5, 15 min) at the start {tuple(round(x, 2) for x in m['load_start'])}, at the end "
      f"{tuple(round(x, 2) for x in m['load_end'])}.\n")

    # Targets.
    issue10 = est("issue/end_to_end/10")
    sign = est("floor/p256_sign")
    r_issue = ratio(issue10, sign)
    jr_key, jr = find(c, "verify_ring_journal/", "/1_thread")
    jr2_key, jr2 = find(c, "verify_ring_journal/", "_threads")
    jp_key, jp = find(c, "verify_p256_journal/", "/1_thread")
    jp2_key, jp2 = find(c, "verify_p256_journal/", "_threads")
    docs_of = lambda k: int(re.search(r"/(\d+)_docs/", k).group(1)) if k else None  # noqa: E731
    per_doc_ring = jr / docs_of(jr_key) if jr else None
    per_doc_p256 = jp / docs_of(jp_key) if jp else None
    ring_verify = est("floor/ring_verify")
    p256_verify = est("floor/p256_verify")
    ossl_verify_ns = 1e9 / ossl["verify_per_s"]
    ossl_sign_ns = 1e9 / ossl["sign_per_s"]
    py_pure = py["pure_python_s"]
    py1, py2 = py["fiscal_core_1_worker_s"], py["fiscal_core_2_worker_s"]
    qr_ours = est("qr/payload_and_svg")
    qr_segno = py["segno_payload_svg_s"] * 1e9
    qr_py = py["fiscal_core_py_payload_svg_s"] * 1e9
    state_bytes = raw["state"]["state_bytes_busy_shift"]
    rss = raw["rss"]
    keys = sorted(rss, key=int)
    small, big = (rss[keys[0]], rss[keys[-1]]) if len(keys) >= 2 else (None, None)

    def peak(r, mode):
        return r.get(mode, {}).get("peak_kib") if r and r.get(mode) else None

    def both(label, measured, r_best, r_median, ok):
        """A target row from best-sample and median ratios; `ok` judges a ratio."""
        cell = fmt_ratio(r_best)
        v = verdict(None if r_best is None else ok(r_best))
        if r_median is not None:
            cell += f" (median {fmt_ratio(r_median)})"
            if r_best is not None and ok(r_best) != ok(r_median):
                v += " (the medians disagree)"
        w(f"| {label} | {measured} | {cell} | {v} |")

    md = lambda k: mdn(k) if k else None  # noqa: E731
    per = lambda k: md(k) / docs_of(k) if k and md(k) else None  # noqa: E731
    w("## Targets\n")
    w("| target | measured (best sample) | ratio | verdict |")
    w("|---|---|---|---|")
    both("issuing a 10-line receipt end to end ≤ 1.15 × a bare p256 sign (the provider issuing uses)",
         f"{fmt_time(issue10)} vs {fmt_time(sign)}", r_issue,
         ratio(mdn("issue/end_to_end/10"), mdn("floor/p256_sign")), lambda r: r <= 1.15)
    both(f"verifying a journal (ring, {docs_of(jr_key) or '–'} documents, 1 core) ≤ 1.15 × a bare ring verify, per document",
         f"{fmt_time(per_doc_ring)} vs {fmt_time(ring_verify)}", ratio(per_doc_ring, ring_verify),
         ratio(per(jr_key), mdn("floor/ring_verify")), lambda r: r <= 1.15)
    both(f"verifying a journal (p256, {docs_of(jp_key) or '–'} documents, 1 core) ≤ 1.15 × a bare p256 verify, per document",
         f"{fmt_time(per_doc_p256)} vs {fmt_time(p256_verify)}", ratio(per_doc_p256, p256_verify),
         ratio(per(jp_key), mdn("floor/p256_verify")), lambda r: r <= 1.15)
    both("with ring, a journal's document (1 core) verified faster than `openssl speed`'s bare verify",
         f"{fmt_time(per_doc_ring)} vs {fmt_time(ossl_verify_ns)}", ratio(per_doc_ring, ossl_verify_ns),
         ratio(per(jr_key), ossl_verify_ns), lambda r: r < 1.0)
    both("journal on both cores ≥ 1.8 × one core (ring)", f"{fmt_time(jr2)} vs {fmt_time(jr)}",
         ratio(jr, jr2), ratio(md(jr_key), md(jr2_key)), lambda r: r >= 1.8)
    both("journal on both cores ≥ 1.8 × one core (p256)", f"{fmt_time(jp2)} vs {fmt_time(jp)}",
         ratio(jp, jp2), ratio(md(jp_key), md(jp2_key)), lambda r: r >= 1.8)
    r = ratio(py_pure, py2)
    w(f"| `fiscal_core.verify_journal` from Python, 2 workers, ≥ 3 × the pure-Python verifier ({py['documents']} documents) | "
      f"{py2:.2f} s vs {py_pure:.2f} s | {fmt_ratio(r)} | {verdict(r >= 3)} |")
    r1 = ratio(py_pure, py1)
    w(f"| (reported) the same on 1 worker | {py1:.2f} s vs {py_pure:.2f} s | {fmt_ratio(r1)} | – |")
    both("QR payload + SVG ≥ 10 × faster than segno (Rust engine vs segno)", f"{fmt_time(qr_ours)} vs {fmt_time(qr_segno)}",
         ratio(qr_segno, qr_ours), ratio(qr_segno, mdn("qr/payload_and_svg")), lambda r: r >= 10)
    r = ratio(qr_segno, qr_py)
    w(f"| (reported) the same called from Python (`fiscal_core.qr_svg(doc.qr_payload())`) | {fmt_time(qr_py)} vs {fmt_time(qr_segno)} | "
      f"{fmt_ratio(r)} | {verdict(r >= 10)} |")
    w(f"| serialized device state ≤ 1 KiB (busy open shift) | {state_bytes} bytes | {state_bytes / 1024:.2f} of 1 KiB | {verdict(state_bytes <= 1024)} |")
    for mode, label in RSS_MODES:
        a, b = peak(small, mode), peak(big, mode)
        if a is None or b is None:
            w(f"| journal verification in constant memory ({label}) | not measured | – | – |")
            continue
        growth = ratio(b, a)
        ok = b <= a * 1.25 + 4096
        w(f"| journal verification in constant memory ({label}): peak RSS {int(keys[0]):,} → {int(keys[-1]):,} documents | "
          f"{a / 1024:.1f} MiB → {b / 1024:.1f} MiB | {fmt_ratio(growth)} | {verdict(ok)} |")
    w("")
    pr = raw["paired"]
    w(f"The same ratios **measured side by side** (`fiscal-bench paired 30`, engine verifying with {pr['provider']}): "
      "in each of 30 rounds every contender runs once, one after the other, and each keeps its best round, so a")
    w(f"neighbour's build slows both sides of a ratio alike. Journal: {pr['documents']:,} documents in memory; "
      "the bare verifications are of the same documents' bytes and signatures.\n")
    w("| target | measured (best round) | ratio | verdict |")
    w("|---|---|---|---|")
    us = lambda x: fmt_time(x * 1e3)  # noqa: E731
    r = pr["issue10_us"] / pr["p256_sign_us"]
    w(f"| issuing a 10-line receipt end to end ≤ 1.15 × a bare p256 sign | {us(pr['issue10_us'])} vs {us(pr['p256_sign_us'])} | "
      f"{fmt_ratio(r)} | {verdict(r <= 1.15)} |")
    floor_key = "ring_verify_us" if pr["provider"] == "ring" else "p256_verify_us"
    r = pr["journal_1_thread_us_per_doc"] / pr[floor_key]
    w(f"| verifying a journal ({pr['provider']}, 1 thread) ≤ 1.15 × a bare {pr['provider']} verify, per document | "
      f"{us(pr['journal_1_thread_us_per_doc'])} vs {us(pr[floor_key])} | {fmt_ratio(r)} | {verdict(r <= 1.15)} |")
    r = pr["journal_1_thread_us_per_doc"] / ossl_verify_ns * 1e3
    w(f"| with ring, faster per document than `openssl speed`'s bare verify | {us(pr['journal_1_thread_us_per_doc'])} vs "
      f"{fmt_time(ossl_verify_ns)} | {fmt_ratio(r)} | {verdict(r < 1.0)} |")
    r = pr["journal_1_thread_us_per_doc"] / pr["journal_all_threads_us_per_doc"]
    w(f"| journal on all {pr['threads']} cores ≥ 1.8 × one core | {us(pr['journal_all_threads_us_per_doc'])} vs "
      f"{us(pr['journal_1_thread_us_per_doc'])} a document | {fmt_ratio(r)} | {verdict(r >= 1.8)} |")
    w(f"| (reported) bare p256 verify of the same documents | {us(pr['p256_verify_us'])} | "
      f"{fmt_ratio(pr['p256_verify_us'] / pr['ring_verify_us'])} ring's | – |")
    w("")
    w("\"Constant memory\" is read as: the peak RSS for the large journal at most 1.25 × that for the")
    w("small one plus 4 MiB. The journals are files read as a stream (the whole-text APIs,")
    w("`verify_journal(&str)` and `JournalVerification::verify_text`, hold the text itself).\n")

    # All criterion numbers.
    w("## Issuing (criterion, p256 signing)\n")
    w("| benchmark | best sample | median | vs bare p256 sign (best) |")
    w("|---|---|---|---|")
    for lines in (1, 10, 100):
        k = f"issue/end_to_end/{lines}"
        w(f"| issue a {lines}-line receipt end to end (JSON → document + QR payload) | {fmt_time(est(k))} | {fmt_time(mdn(k))} | {fmt_ratio(ratio(est(k), sign))} |")
    for name, label in (
        ("parse_json", "parse the request JSON (draft)"),
        ("validate", "validate the draft"),
        ("parse_and_validate", "parse + validate (`Request::from_json`)"),
        ("tax", "tax computation (`tax::compute`)"),
        ("encode", "canonical encoding (`DocumentBody::signed_bytes`)"),
        ("sign", "sign (engine seam: p256, RFC 6979, low-S)"),
        ("fiscal_id", "fiscal ID hash"),
        ("qr_payload", "QR payload text"),
        ("device_issue_validated", "`Device::issue` of a validated request (checks, state, encode, sign, ID)"),
    ):
        k = f"stage_10_lines/{name}"
        w(f"| stage, 10 lines: {label} | {fmt_time(est(k))} | {fmt_time(mdn(k))} | {fmt_ratio(ratio(est(k), sign))} |")
    w("")
    w("## Floors (criterion, canonical bytes of the 10-line receipt)\n")
    w("| benchmark | best sample | median | note |")
    w("|---|---|---|---|")
    for k, label, note in (
        ("floor/p256_sign", "bare p256 sign (`p256` crate, RFC 6979)", f"`openssl speed`: {fmt_time(ossl_sign_ns)} a sign (random k)"),
        ("floor/p256_verify", "bare p256 verify (`p256` crate)", ""),
        ("floor/ring_verify", "bare ring verify (`ring` crate)", f"`openssl speed`: {fmt_time(ossl_verify_ns)} a verify"),
        ("floor/sha256", "bare SHA-256 of the bytes (`sha2`)", ""),
        ("engine_crypto/sign", "engine seam: sign", "adds low-S normalization"),
    ):
        w(f"| {label} | {fmt_time(est(k))} | {fmt_time(mdn(k))} | {note} |")
    for prov in ("p256", "ring"):
        k = f"engine_crypto/verify_{prov}"
        if k in c:
            w(f"| engine seam: verify ({prov}) | {fmt_time(est(k))} | {fmt_time(mdn(k))} | adds the low-S check |")
    w("")
    w("## Verification (criterion)\n")
    w("| benchmark | best sample | median | per document (best) | vs bare verify of the provider (best) |")
    w("|---|---|---|---|---|")
    for prov, floor in (("p256", p256_verify), ("ring", ring_verify)):
        for name, label in (("document", "`verify_document` (certificate, then document)"),
                            ("journal_line", "one journal line: parse, rebuild, ID, signature")):
            k = f"verify_{prov}/{name}"
            w(f"| {prov}: {label} | {fmt_time(est(k))} | {fmt_time(mdn(k))} | {fmt_time(est(k))} | {fmt_ratio(ratio(est(k), floor))} |")
        for k in sorted(x for x in c if x.startswith(f"verify_{prov}_journal/")):
            n = docs_of(k)
            each = est(k) / n
            threads = k.rsplit("/", 1)[1].replace("_", " ")
            w(f"| {prov}: journal of {n:,} documents, {threads} | {fmt_time(est(k))} | {fmt_time(mdn(k))} | {fmt_time(each)} "
              f"({1e9 / each:,.0f} documents/s) | {fmt_ratio(ratio(each, floor))} |")
    w("")
    w("## QR and state (criterion)\n")
    w("| benchmark | best sample | median |")
    w("|---|---|---|")
    for k, label in (("qr/payload", "QR payload text"), ("qr/matrix", "QR matrix (EC level M)"),
                     ("qr/svg", "QR SVG"), ("qr/payload_and_svg", "QR payload + SVG"),
                     ("state/export", "state export (postcard)"), ("state/import", "state import (`Device::restore`)")):
        w(f"| {label} | {fmt_time(est(k))} | {fmt_time(mdn(k))} |")
    w("")
    st = raw["state"]
    w(f"Serialized device state: {st['state_bytes_shift_opened']} bytes with a shift just opened, "
      f"{st['state_bytes_busy_shift']} bytes in a busy shift (200 sales of 1–5 lines, a cancel, a deposit,")
    w("a withdrawal: every kind's row and tax group in the running report).\n")

    w("## Peers\n")
    w(f"`openssl speed -seconds 3 -elapsed ecdsap256` ({ossl['version']}): {ossl['sign_per_s']:,.0f} signs/s "
      f"({fmt_time(ossl_sign_ns)}), {ossl['verify_per_s']:,.0f} verifies/s ({fmt_time(ossl_verify_ns)}).\n")
    n = py["documents"]
    w(f"Journal of {n:,} documents verified from Python (in memory, best of {py['repeat']}):\n")
    w("| verifier | seconds | documents/s | vs pure Python |")
    w("|---|---|---|---|")
    for label, s in (("pure Python + `cryptography` (peers/pyverify.py)", py_pure),
                     ("`fiscal_core.verify_journal(…, workers=1)`", py1),
                     ("`fiscal_core.verify_journal(…, workers=2)`", py2)):
        w(f"| {label} | {s:.2f} | {n / s:,.0f} | {fmt_ratio(ratio(py_pure, s))} |")
    w("")
    w("The pure-Python verifier checks the tag, the declared number and ID, the signature, the numbering,")
    w("the chain and the time; the engine also decodes every document, checks its canonical form and")
    w("re-validates its content, shifts, Z-reports, counters and references (SPEC.md §15.2).\n")
    w(f"QR code of a receipt ({py['qr_payload_chars']} characters; fiscal_core: {py['qr_modules_fiscal_core']} modules, "
      f"segno: {py['qr_modules_segno']} modules, version {py['qr_version_segno']}; error correction M, SVG 4 px a module):\n")
    w("| | one payload + SVG | vs segno |")
    w("|---|---|---|")
    w(f"| segno `make(…, error='m', boost_error=False).svg_inline(scale=4, border=4)` | {fmt_time(qr_segno)} | 1.00 × |")
    w(f"| segno `make` alone (no SVG) | {fmt_time(py['segno_make_s'] * 1e9)} | |")
    w(f"| fiscal_core from Python: `qr_svg(doc.qr_payload())` | {fmt_time(qr_py)} | {fmt_ratio(ratio(qr_segno, qr_py))} faster |")
    w(f"| fiscal_core from Python: `doc.qr_svg()` | {fmt_time(py['fiscal_core_py_doc_qr_svg_s'] * 1e9)} | {fmt_ratio(ratio(qr_segno, py['fiscal_core_py_doc_qr_svg_s'] * 1e9))} faster |")
    w(f"| the engine in Rust (criterion `qr/payload_and_svg`) | {fmt_time(qr_ours)} | {fmt_ratio(ratio(qr_segno, qr_ours))} faster |")
    w("")

    w("## Memory: peak RSS of journal verification (`/usr/bin/time -v`)\n")
    w("| documents | " + " | ".join(label for _, label in RSS_MODES) + " |")
    w("|---" * (len(RSS_MODES) + 1) + "|")

    def cell(r):
        if not r:
            return "–"
        return f"{r['peak_kib'] / 1024:.1f} MiB ({r['wall_s']:.1f} s)"

    for k in keys:
        r = rss[k]
        w(f"| {int(k):,} | " + " | ".join(cell(r.get(mode)) for mode, _ in RSS_MODES) + " |")
    if raw.get("rss_baseline"):
        w(f"\nThe helper doing nothing but print the state size peaks at {raw['rss_baseline']['peak_kib'] / 1024:.1f} MiB.")
    w("The journals are generated by `fiscal-bench generate` (benches/src/lib.rs, `write_journal`): a shift")
    w("a day of 1 000 receipts (sales of 1–5 lines, every 40th a return, every 100th a cancel), a deposit,")
    w("a withdrawal and the Z-report.\n")

    sz = raw["sizes"]
    w("## Library size\n")
    w("| what | bytes |")
    w("|---|---|")
    w(f"| size probe (benches/size-probe: `no_std`, fiscal-core `--no-default-features`: issuing + p256 only), release `.a` | {sz['probe_archive_bytes']:,} |")
    w(f"| what the probe adds to a C program (`size`: text) — the issuing path as linked | {sz['probe_adds_text']:,} |")
    w(f"| what it adds (data + bss) | {sz['probe_adds_data_bss']:,} |")
    w(f"| what it adds to the stripped executable | {sz['probe_adds_stripped']:,} |")
    w(f"| C library (`bindings-c`: json, qr, ring, text/SVG/ESC-POS rendering), release `libfiscal_core.a` | {sz['c_staticlib_bytes']:,} |")
    w(f"| the same, `strip --strip-debug` | {sz['c_staticlib_stripped_bytes']:,} |")
    if "c_shared_bytes" in sz:
        w(f"| C library, release `libfiscal_core.so` | {sz['c_shared_bytes']:,} |")
    w("")
    w("A static archive holds whole object files (Rust's `core`/`alloc` and the compiler builtins included),")
    w("most of which a linker drops; the probe's \"adds\" rows are what a firmware image actually grows by.\n")

    w("## Profiles (`perf record`, top symbols, self time)\n")
    for name, label in (("issue", "issuing 3 000 receipts of 10 lines (`fiscal-bench issue 3000 10`)"),
                        ("verify", "verifying a 10 000-document journal, one thread, ring (`fiscal-bench verify … --stream`)"),
                        ("qr", "making 2 000 QR SVGs (`fiscal-bench qr 2000`)")):
        rows = raw["profiles"].get(name)
        w(f"{label}:\n")
        if not rows:
            w("(perf unavailable)\n")
            continue
        w("| self % | symbol |")
        w("|---|---|")
        for pct, sym in rows:
            w(f"| {pct:.1f} | `{sym}` |")
        w("")
    w("## Where the time goes (computed from the numbers above)\n")
    st = lambda k: est(f"stage_10_lines/{k}")  # noqa: E731
    if issue10 and sign:
        over = issue10 - sign
        parse = st("parse_and_validate")
        w(f"- **Issuing** a 10-line receipt costs {fmt_time(over)} more than a bare p256 sign "
          f"({fmt_ratio(r_issue)}). Reading and validating the POS's JSON is {fmt_time(parse)} of it "
          f"(parse {fmt_time(st('parse_json'))}, validate {fmt_time(st('validate'))}); `Device::issue` of an "
          f"already validated request is {fmt_time(st('device_issue_validated'))}, "
          f"{fmt_ratio(ratio(st('device_issue_validated'), sign))} the bare sign (its own sign, through the "
          f"seam, {fmt_time(st('sign'))}; encode {fmt_time(st('encode'))}, tax {fmt_time(st('tax'))}, fiscal ID "
          f"{fmt_time(st('fiscal_id'))}, QR text {fmt_time(st('qr_payload'))}). The profile of `fiscal-bench issue` "
          "below agrees: the p256 arithmetic of the signature is most of the time, and the rest is spread thin "
          "(the allocator, JSON and decimals, each a few per cent at most). The side-by-side measurement "
          "(`fiscal-bench paired`) gives the steadier ratio.")
    for prov, key, floor in (("ring", jr_key, ring_verify), ("p256", jp_key, p256_verify)):
        if not key or not floor:
            continue
        each = est(key) / docs_of(key)
        line = est(f"verify_{prov}/journal_line")
        parse_part, rest = (line - floor, each - line) if line else (None, None)
        if parse_part is not None and parse_part > 0 and rest > 0:
            split = (f"so about {fmt_time(parse_part)} a line goes to parsing and {fmt_time(rest)} to the "
                     "re-validation of the content and the in-order checks")
        else:
            split = ("and the differences between these three numbers are within what the machine's noise moves "
                     "them (compare the medians)")
        w(f"- **Journal, {prov}, one core**: {fmt_time(each)} a document against a bare verify of {fmt_time(floor)}. "
          f"Reading one line alone (JSON, hex, decode, canonical re-encoding, fiscal ID, signature) is "
          f"{fmt_time(line)}, {split}.")
    if jr and jr2:
        w(f"- **Both cores** verify the ring journal {fmt_ratio(ratio(jr, jr2))} faster than one "
          f"({fmt_ratio(ratio(jp, jp2))} with p256). On this shared machine a neighbour's build often holds one "
          "core, which caps the 2-thread number first.")
    w(f"- **Python**: the pure-Python verifier spends {py_pure / py['documents'] * 1e6:.0f} µs a document "
      f"(OpenSSL's verify through `cryptography`, plus JSON and hashing), `fiscal_core` "
      f"{py1 / py['documents'] * 1e6:.0f} µs on one worker and {py2 / py['documents'] * 1e6:.0f} µs on two; it also "
      "decodes and re-validates every document, which the pure-Python one does not.")
    qm, qs = est("qr/matrix"), est("qr/svg")
    if qm and qs:
        w(f"- **QR**: of {fmt_time(qr_ours)} for payload + SVG, the symbol itself (the `qrcode` crate's data "
          "encoding, error correction and drawing; the 8 masks scored by fiscal-core on bit-packed rows) is "
          f"{fmt_time(qm)} (`qr/matrix`), {fmt_time(qs)} with its SVG (`qr/svg`); the QR profile shows the rest.")
    if small and big and peak(small, "stream") and peak(big, "stream"):
        n0, n1 = int(keys[0]), int(keys[-1])
        for mode, label in RSS_MODES:
            a_, b_ = peak(small, mode), peak(big, mode)
            if a_ and b_:
                w(f"- **Memory**, {label}: {(b_ - a_) * 1024 / (n1 - n0):.0f} bytes of peak RSS per extra document "
                  f"({a_ / 1024:.1f} → {b_ / 1024:.1f} MiB).")
    w("")
    w("benches/README.md, \"What the numbers say\", discusses the misses.")
    return "\n".join(L) + "\n"


if __name__ == "__main__":
    main()
