"""The release wheel works on its own (issue #21): installed into a fresh virtual environment
that holds nothing else, its command-line tool runs the demo and verifies the journal, the
README's Python snippet runs, and its version is the workspace's everywhere.

Run by bindings-python/test.sh's wheel step, after `bash bindings-python/release.sh DIR`, with
FISCAL_CORE_DIST=DIR; without it (a plain `pytest`) these tests are skipped, with that reason.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from conftest import workspace_version

ROOT = Path(__file__).resolve().parents[2]
DIST = os.environ.get("FISCAL_CORE_DIST")
pytestmark = pytest.mark.skipif(
    not DIST, reason="needs FISCAL_CORE_DIST (bindings-python/test.sh builds the wheel and sets it)"
)


def only(pattern: str) -> Path:
    assert DIST is not None
    found = sorted(Path(DIST).glob(pattern))
    assert len(found) == 1, f"{DIST}: {pattern} matches {found}"
    return found[0]


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment with the wheel installed, and nothing but what it needs."""
    where = tmp_path_factory.mktemp("wheel") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True, timeout=120)
    wheel = only("fiscal_core-*.whl")
    install = subprocess.run(
        [str(where / "bin" / "python"), "-m", "pip", "install", "-q",
         "--disable-pip-version-check", str(wheel)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    return where


def run(venv: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    # Away from the source tree and with no PYTHONPATH: only the installed package is found.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        list(args), cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False,
    )


def test_the_wheel_is_abi3_and_of_the_workspace_version() -> None:
    wheel = only("fiscal_core-*.whl")
    # abi3: one wheel for CPython 3.10 and every later version (Cargo.toml: pyo3 abi3-py310).
    assert re.fullmatch(rf"fiscal_core-{re.escape(workspace_version())}-cp310-abi3-.+\.whl", wheel.name)
    sdist = only("fiscal_core-*.tar.gz")
    assert sdist.name == f"fiscal_core-{workspace_version()}.tar.gz"
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    # What a build from the sdist needs: the package, the binding, the engine it depends on.
    for needed in ("pyproject.toml", "bindings-python/Cargo.toml", "bindings-python/src/lib.rs",
                   "python/fiscal_core/cli.py", "python/fiscal_core/_native.pyi", "fiscal-core/Cargo.toml",
                   "fiscal-core/src/lib.rs"):
        assert needed in names, f"{sdist.name} lacks {needed}"
    # The fonts the receipt images embed go with their notice (their licence requires it).
    import zipfile
    with zipfile.ZipFile(wheel) as z:
        shipped = z.read("fiscal_core/FONT-LICENSE.txt")
    assert shipped == (ROOT / "fiscal-core" / "src" / "render" / "fonts" / "LICENSE").read_bytes()


#: Run in the fresh environment: what is installed beyond the package and what it requires
#: (its Requires-Dist, followed; extras left out).
_EXTRAS_PROBE = """
import importlib.metadata as m, json, re
norm = lambda n: re.sub(r"[-_.]+", "-", n).lower()
installed = {norm(d.metadata["Name"]) for d in m.distributions()}
need, todo = {"fiscal-core"}, ["fiscal-core"]
while todo:
    for r in m.distribution(todo.pop()).requires or []:
        name = norm(re.split(r"[ ;<>=!~\\[(]", r, maxsplit=1)[0])
        # Not for this platform (colorama: Windows), or an extra's: not installed, not followed.
        if "extra ==" not in r and name in installed and name not in need:
            need.add(name)
            todo.append(name)
print(json.dumps({"extra": sorted(installed - need - {"pip", "setuptools", "wheel"}),
                  "needed": sorted(need & installed)}))
"""


def test_the_fresh_environment_holds_the_package_and_what_it_requires(venv: Path) -> None:
    probe = run(venv, str(venv / "bin" / "python"), "-c", _EXTRAS_PROBE, cwd=venv)
    assert probe.returncode == 0, probe.stderr
    found = json.loads(probe.stdout)
    assert found["extra"] == [] and {"fiscal-core", "tqdm"} <= set(found["needed"]), found


def test_one_version_everywhere(venv: Path) -> None:
    """Cargo.toml's workspace version → the wheel's metadata → `fiscal-core --version` →
    `fiscal_core.__version__`."""
    version = workspace_version()
    cli = run(venv, str(venv / "bin" / "fiscal-core"), "--version", cwd=venv)
    assert (cli.returncode, cli.stdout) == (0, f"fiscal-core {version}\n"), cli.stderr
    python = run(venv, str(venv / "bin" / "python"), "-c",
                 "import fiscal_core, importlib.metadata as m; "
                 "print(fiscal_core.__version__, m.version('fiscal-core'), fiscal_core.__file__)",
                 cwd=venv)
    module, metadata, where = python.stdout.split()
    assert (module, metadata) == (version, version), python.stderr
    assert Path(where).is_relative_to(venv), "the installed package, not the source tree"


def test_the_cli_runs_the_demo_and_verifies_its_journal(venv: Path, tmp_path: Path) -> None:
    out = tmp_path / "demo"
    demo = run(venv, str(venv / "bin" / "fiscal-core"), "demo", "--out", str(out), "--no-qr",
               cwd=tmp_path)
    assert demo.returncode == 0, demo.stderr
    assert "14 documents, 8 receipts, 0 findings: VALID" in demo.stdout
    journal = out / "journal.jsonl"
    verify = run(venv, str(venv / "bin" / "fiscal-core"), "verify", str(journal),
                 "--authority", f"{journal}.authority", "--json", cwd=tmp_path)
    assert verify.returncode == 0, verify.stderr
    assert json.loads(verify.stdout)["valid"] is True
    lines = journal.read_text(encoding="utf-8").splitlines()
    journal.write_text("\n".join(lines[:5] + lines[6:]) + "\n", encoding="utf-8")
    tampered = run(venv, str(venv / "bin" / "fiscal-core"), "verify", str(journal),
                   "--authority", f"{journal}.authority", cwd=tmp_path)
    assert tampered.returncode == 1 and "number_gap (NM-03)" in tampered.stdout


def test_the_readme_snippet_runs(venv: Path, tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```python\n(.*?)```", readme, re.S)
              if b.startswith("import fiscal_core")]
    assert blocks, "README.md has its Python snippet"
    snippet = run(venv, str(venv / "bin" / "python"), "-c", blocks[0], cwd=tmp_path)
    assert snippet.returncode == 0, snippet.stderr
    assert re.fullmatch(r"[0-9a-f]{12} 1\.20 0\.18\n", snippet.stdout), snippet.stdout
