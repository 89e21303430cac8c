"""A report as analysis tables: a DuckDB database, or Parquet files, through DuckDB.

Four tables, each with declared column types: ``documents``, ``facts`` (the flat rows of
``flat.py``), ``entities`` (one row per named mention) and ``timeline`` (the series of
``timeline.timeline`` for every fact type and modality, conflicts flagged). Where they go
depends on ``--to``:

- ``NAME.duckdb``: one database file holding the four tables;
- ``NAME.parquet``: the facts table alone;
- a directory (existing, or written with a trailing ``/``): ``documents.parquet``,
  ``facts.parquet``, ``entities.parquet`` and ``timeline.parquet`` in it.

DuckDB is an optional extra (``pip install 'kzaz-facts[duckdb]'``), imported only here.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Literal

from kzaz_facts import flat
from kzaz_facts.entities import NAMED_LABELS
from kzaz_facts.errors import KzazError
from kzaz_facts.flat import Column, Row
from kzaz_facts.records import FACT_TYPES, Report
from kzaz_facts.timeline import timeline

if TYPE_CHECKING:
    import duckdb

MISSING_DUCKDB = (
    "kzaz export needs the duckdb package, an optional extra: pip install 'kzaz-facts[duckdb]'"
)

DOCUMENT_COLUMNS: tuple[Column, ...] = (
    Column("doc_id", "VARCHAR", "the document"),
    Column("path", "VARCHAR", "the path as found"),
    Column("title", "VARCHAR", "from the header"),
    Column("date", "DATE", "the document's date"),
    Column("date_source", "VARCHAR", "`header`, `dateline`, `content` (guessed) or `none`"),
    Column("date_precision", "VARCHAR", "`day`, `month` or `year`"),
    Column("byline", "VARCHAR", "from the header"),
    Column("dateline", "VARCHAR", "from the header"),
    Column("body_start", "BIGINT", "offset of the body in the file text"),
    Column("body_end", "BIGINT", "end offset of the body"),
    Column("encoding", "VARCHAR", "how the file was decoded"),
    Column("content_hash", "VARCHAR", "SHA-256 of the file bytes"),
)

ENTITY_COLUMNS: tuple[Column, ...] = (
    Column("doc_id", "VARCHAR", "the document"),
    Column("label", "VARCHAR", "`PERSON`, `PORT`, `ROUTE`, `ORG`, `GPE` or `NORP`"),
    Column("text", "VARCHAR", "the mention as written"),
    Column("canonical", "VARCHAR", "the entity it names (aliases share it)"),
    Column("start", "BIGINT", "start offset in the file text"),
    Column("end", "BIGINT", "end offset (half-open)"),
    Column("role", "VARCHAR", "people: their role"),
    Column("country", "VARCHAR", "the entity's country"),
    Column("kind", "VARCHAR", "places: `country`, `city`, …"),
)

TIMELINE_COLUMNS: tuple[Column, ...] = (
    Column("type", "VARCHAR", "the fact type of the series"),
    Column("modality", "VARCHAR", "`actual` or `target`"),
    Column("parties", "VARCHAR", "canonical parties joined with `;`"),
    Column("flow", "VARCHAR", "trade: `turnover`, `export` or `import`"),
    Column("route", "VARCHAR", "cargo: the route of the series"),
    Column("scope", "VARCHAR", "trade scope"),
    Column("period_start", "DATE", "first day of the period"),
    Column("period_end", "DATE", "last day of the period"),
    Column("partial", "BOOLEAN", "a year-to-date figure, apart from the full period's"),
    Column("unit", "VARCHAR", "unit of the amounts"),
    Column("amount", "DOUBLE", "the first unqualified figure"),
    Column("spread", "DOUBLE", "largest minus smallest figure"),
    Column("conflict", "BOOLEAN", "the figures differ by more than 5%"),
    Column("sources", "BIGINT", "how many facts give a figure"),
    Column("doc_ids", "VARCHAR", "their documents joined with `;`"),
)

TABLES: dict[str, tuple[Column, ...]] = {
    "documents": DOCUMENT_COLUMNS,
    "facts": flat.FACT_COLUMNS,
    "entities": ENTITY_COLUMNS,
    "timeline": TIMELINE_COLUMNS,
}

TargetKind = Literal["duckdb", "parquet", "directory"]


@dataclass(frozen=True, slots=True)
class Target:
    path: Path
    kind: TargetKind


def plan_target(name: str) -> Target:
    """What ``--to`` names; checked (and DuckDB found) before any document is read."""
    require_duckdb()
    path = Path(name)
    suffix = path.suffix.lower()
    if suffix == ".duckdb":
        return Target(path, "duckdb")
    if suffix == ".parquet":
        return Target(path, "parquet")
    if path.is_dir() or name.endswith(("/", os.sep)):
        return Target(path, "directory")
    raise KzazError(
        f"--to {path}: give a .duckdb file, a .parquet file (the facts table) "
        "or a directory (one .parquet file per table; end a new one with '/')"
    )


def require_duckdb() -> ModuleType:
    try:
        import duckdb
    except ImportError as error:
        raise KzazError(MISSING_DUCKDB) from error
    return duckdb


# -- rows -------------------------------------------------------------------------------------


def document_rows(report: Report) -> list[Row]:
    return [
        {column.name: getattr(document, column.name) for column in DOCUMENT_COLUMNS}
        for document in report.documents
    ]


def entity_rows(report: Report) -> list[Row]:
    rows: list[Row] = []
    for entity in report.entities:
        if entity.label not in NAMED_LABELS:
            continue
        attrs = entity.attrs
        rows.append(
            {
                "doc_id": entity.doc_id,
                "label": entity.label,
                "text": entity.text,
                "canonical": entity.canonical,
                "start": entity.start,
                "end": entity.end,
                "role": _text(attrs.get("role")),
                "country": _text(attrs.get("country")),
                "kind": _text(attrs.get("kind")),
            }
        )
    return rows


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def timeline_rows(report: Report) -> list[Row]:
    """Every series: each fact type and modality, every pair of parties, every scope."""
    rows: list[Row] = []
    for fact_type in FACT_TYPES:
        for modality in ("actual", "target"):
            for point in timeline(report, fact_type=fact_type, modality=modality):
                rows.append(
                    {
                        "type": fact_type,
                        "modality": point.modality,
                        "parties": flat.PARTY_SEPARATOR.join(point.parties) or None,
                        "flow": point.flow,
                        "route": point.route,
                        "scope": point.scope,
                        "period_start": point.period_start,
                        "period_end": point.period_end,
                        "partial": point.partial,
                        "unit": point.unit,
                        "amount": point.amount,
                        "spread": point.spread,
                        "conflict": point.conflict,
                        "sources": len(point.sources),
                        "doc_ids": ";".join(sorted({s.doc_id for s in point.sources})),
                    }
                )
    return rows


def table_rows(report: Report) -> dict[str, list[Row]]:
    return {
        "documents": document_rows(report),
        "facts": flat.report_rows(report),
        "entities": entity_rows(report),
        "timeline": timeline_rows(report),
    }


# -- writing ----------------------------------------------------------------------------------


def export(report: Report, target: Target) -> dict[str, int]:
    """Write the tables where ``target`` says; returns the row count of each table written.

    Every file appears whole or not at all: it is written under a temporary name in its
    directory, then renamed.
    """
    duckdb_module = require_duckdb()
    tables = table_rows(report)
    if target.kind == "parquet":
        tables = {"facts": tables["facts"]}
    try:
        if target.kind == "duckdb":
            with _staging(target.path.parent) as staging:
                database = staging / target.path.name
                with duckdb_module.connect(str(database)) as connection:
                    _load(connection, tables, staging)
                os.replace(database, target.path)
        else:
            directory = target.path if target.kind == "directory" else target.path.parent
            directory.mkdir(parents=True, exist_ok=True)
            with _staging(directory) as staging, duckdb_module.connect() as connection:
                _load(connection, tables, staging)
                for name in tables:
                    final = (
                        target.path if target.kind == "parquet" else directory / f"{name}.parquet"
                    )
                    _copy_parquet(connection, name, staging / final.name)
                    os.replace(staging / final.name, final)
    except (OSError, duckdb_module.Error) as error:
        raise KzazError(f"cannot write {target.path}: {error}") from error
    return {name: len(rows) for name, rows in tables.items()}


@contextmanager
def _staging(directory: Path) -> Iterator[Path]:
    """A temporary directory beside the target, so the final rename stays on one file system."""
    directory = directory if str(directory) else Path(".")
    staging = Path(tempfile.mkdtemp(prefix=".kzaz-export.", dir=directory))
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _load(
    connection: duckdb.DuckDBPyConnection, tables: dict[str, list[Row]], staging: Path
) -> None:
    """Create each table with its declared types, then fill it from JSON Lines in one read."""
    for name, rows in tables.items():
        columns = TABLES[name]
        rows_file = staging / f"{name}.jsonl"
        rows_file.write_text(flat.jsonl_text(rows, columns), encoding="utf-8")
        declared = ", ".join(f'"{c.name}" {c.type}' for c in columns)
        connection.execute(f'CREATE TABLE "{name}" ({declared})')
        connection.execute(
            f'INSERT INTO "{name}" SELECT * FROM read_json(?, columns = {_struct(columns)}, '
            "format = 'newline_delimited')",
            [str(rows_file)],
        )
        rows_file.unlink()


def _struct(columns: Sequence[Column]) -> str:
    """``{'doc_id': 'VARCHAR', ...}``: DuckDB's spelling of the declared column types."""
    return "{" + ", ".join(f"'{c.name}': '{c.type}'" for c in columns) + "}"


def _copy_parquet(connection: duckdb.DuckDBPyConnection, table: str, path: Path) -> None:
    literal = str(path).replace("'", "''")
    connection.execute(f"COPY \"{table}\" TO '{literal}' (FORMAT parquet)")
