"""SQL over an export: DuckDB views of the Parquet datasets, and the inspector's ready queries.

Each dataset of ``fiscal_core.fleet.export`` is a view of the same name (``documents``,
``lines``, ``tax_groups``, ``payments``, ``refs``, ``zreports``, ``findings``; ``refs`` holds
the references, REFERENCES being an SQL keyword), reading every file of the dataset with its
hive partitions (``date``, ``voen``), so a ``WHERE date = …`` or ``WHERE voen = …`` opens only
those folders. The session's time zone is Baku's, so times print as the receipts do.

The ready queries are the ``.sql`` files beside this module (``queries/``); each starts with a
comment saying what it answers. ``setup_sql(data_dir)`` is the SQL that makes the views, to
paste into the ``duckdb`` command-line tool.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Optional, Union

from fiscal_core.fleet._tables import DATASETS

QUERY_DIR = Path(__file__).resolve().parent / "queries"


@dataclass(frozen=True)
class Query:
    """A ready query: its name (the file's), its one-line title, the rest of its comment, and
    its SQL text."""

    name: str
    title: str
    description: str
    sql: str


@dataclass(frozen=True)
class Result:
    """A query's answer: column names and rows (DuckDB's Python values: ``Decimal`` for
    amounts, aware ``datetime`` in Baku for times, ``date`` for dates)."""

    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]

    def as_dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row)) for row in self.rows]


def queries() -> dict[str, Query]:
    """The ready queries, by name."""
    out: dict[str, Query] = {}
    for path in sorted(QUERY_DIR.glob("*.sql")):
        text = path.read_text(encoding="utf-8")
        comment = [ln[2:].strip() for ln in text.splitlines() if ln.startswith("--")]
        out[path.stem] = Query(path.stem, comment[0] if comment else path.stem,
                               " ".join(comment[1:]), text)
    return out


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def setup_sql(data_dir: Union[str, Path]) -> str:
    """The statements that make the views over the export in ``data_dir`` (a dataset with no
    file yet is left out: ``connect`` makes it an empty view of its schema)."""
    base = Path(data_dir).absolute()
    statements = ["SET TimeZone = 'Asia/Baku';"]
    for name in DATASETS:
        if not any((base / name).glob("*/*/*.parquet")):
            continue
        pattern = _literal((base / name / "*" / "*" / "*.parquet").as_posix())
        statements.append(
            f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM read_parquet({pattern}, "
            "hive_partitioning = true, hive_types = {'date': DATE, 'voen': VARCHAR}, "
            "union_by_name = true);"
        )
    return "\n".join(statements) + "\n"


def connect(data_dir: Union[str, Path]) -> Any:
    """An in-memory DuckDB connection with a view per dataset of the export in ``data_dir``."""
    import duckdb

    from fiscal_core.fleet._tables import empty

    base = Path(data_dir)
    if not base.is_dir():
        raise FileNotFoundError(f"{data_dir} is not a folder (an export's output)")
    con = duckdb.connect()
    con.execute(setup_sql(base))
    present = {row[0] for row in con.execute(
        "SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    for name in DATASETS:
        if name not in present:
            con.register(f"_empty_{name}", empty(name))
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM _empty_{name}")
    return con


def run(
    data_dir: Union[str, Path],
    query: str,
    variables: Optional[Mapping[str, Union[int, float, str]]] = None,
) -> Result:
    """Runs a ready query (by name) or any SQL text over the export in ``data_dir``.
    ``variables`` are set first (``SET VARIABLE name = value``, read with ``getvariable``)."""
    con = connect(data_dir)
    try:
        for name, value in (variables or {}).items():
            if not name.isidentifier():
                raise ValueError(f"{name!r} is not a variable name")
            literal = _literal(value) if isinstance(value, str) else repr(value)
            con.execute(f"SET VARIABLE {name} = {literal}")
        ready = queries().get(query)
        cur = con.execute(ready.sql if ready else query)
        columns = tuple(d[0] for d in (cur.description or ()))
        rows = [tuple(r) for r in cur.fetchall()] if columns else []
        return Result(columns, rows)
    finally:
        con.close()


__all__ = ["QUERY_DIR", "Query", "Result", "connect", "queries", "run", "setup_sql"]
