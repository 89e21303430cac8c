"""Facts as flat rows: one row per fact, one column per field, for CSV, DuckDB and pandas.

The columns are declared once, in ``FACT_COLUMNS``, with a DuckDB type each; the CSV and
JSON Lines writers, the DuckDB export, the pandas read options and the README table all
read that declaration, so a column has one name and one type whatever the sample (a range
column is a number even in a corpus that has no range).

>>> [column.name for column in FACT_COLUMNS][:5]
['doc_id', 'path', 'doc_date', 'date_source', 'type']
>>> duckdb_types()["amount"], pandas_csv_options()["dtype"]["amount"]
('DOUBLE', 'float64')
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, Literal

from kzaz_facts.output.encoded import Encoder, Piece, Pieces
from kzaz_facts.output.streams import FactFilter, Item, Tally, write_lines
from kzaz_facts.records import Document, Fact, Report

if TYPE_CHECKING:
    from kzaz_facts.results import Batch

ColumnType = Literal["VARCHAR", "DOUBLE", "BIGINT", "BOOLEAN", "DATE"]
Cell = str | int | float | bool | dt.date | None
Row = dict[str, Cell]


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: ColumnType
    meaning: str


FACT_COLUMNS: tuple[Column, ...] = (
    Column("doc_id", "VARCHAR", "the document (`documents.doc_id`)"),
    Column("path", "VARCHAR", "the document's path as found"),
    Column("doc_date", "DATE", "the document's date"),
    Column("date_source", "VARCHAR", "`header`, `dateline`, `content` (guessed) or `none`"),
    Column("type", "VARCHAR", "the fact type: `trade_turnover`, `agreement`, …"),
    Column("flow", "VARCHAR", "trade: `turnover`, `export` or `import`"),
    Column("modality", "VARCHAR", "`actual`, or `target` for a goal, plan or potential"),
    Column("target_kind", "VARCHAR", "targets: `level` or `increase`"),
    Column("scope", "VARCHAR", "trade: `total`, `agriculture`, `energy`, `non-oil`, …"),
    Column("amount", "DOUBLE", "the figure in `unit` (the midpoint of a range)"),
    Column("unit", "VARCHAR", "`USD` or another ISO 4217 code, `t`, `TEU`, `people`"),
    Column("approximate", "BOOLEAN", "a qualified figure or a range"),
    Column("qualifier", "VARCHAR", "the qualifier: `almost`, `over`, `about`, …"),
    Column("low", "DOUBLE", "a range's lower bound"),
    Column("high", "DOUBLE", "a range's upper bound"),
    Column("original_amount", "DOUBLE", "the figure as the text gave it, when converted to USD"),
    Column("original_unit", "VARCHAR", "its unit"),
    Column("change_percent", "DOUBLE", "a relative change in percent (negative for a fall)"),
    Column("change_multiplier", "DOUBLE", 'a change as a factor ("tripled" = 3)'),
    Column("change_low", "DOUBLE", "a change range's lower bound"),
    Column("change_high", "DOUBLE", "a change range's upper bound"),
    Column("period_start", "DATE", "first day of the period"),
    Column("period_end", "DATE", "last day of the period"),
    Column("period_text", "VARCHAR", "the period as written"),
    Column("period_resolved", "VARCHAR", "`explicit`, `relative`, `inferred` or `unresolved`"),
    Column("period_partial", "BOOLEAN", "a year-to-date figure (up to the document date)"),
    Column("parties", "VARCHAR", "canonical parties, sorted, joined with `;`"),
    Column("source", "VARCHAR", "exporter, tourists' origin or investor"),
    Column("destination", "VARCHAR", "importer, tourists' destination or investment recipient"),
    Column("route", "VARCHAR", "cargo: the route"),
    Column("speaker", "VARCHAR", "the person the text attributes the figure to"),
    Column("evidence_text", "VARCHAR", "the quoted text"),
    Column("evidence_start", "BIGINT", "its start offset in the file text"),
    Column("evidence_end", "BIGINT", "its end offset (half-open)"),
    Column("sentence", "VARCHAR", "the sentence around the evidence"),
    Column("fact_id", "VARCHAR", "the fact's stable `id`"),
)

PARTY_SEPARATOR = ";"

# Which attribute of each fact type fills `source` and `destination`.
ENDPOINTS: Mapping[str, tuple[str, str]] = {
    "trade_turnover": ("exporter", "importer"),
    "tourist_flow": ("origin", "destination"),
    "investment": ("source", "recipient"),
}

_DOUBLE_COLUMNS = tuple(column.name for column in FACT_COLUMNS if column.type == "DOUBLE")

_PANDAS_TYPES: Mapping[ColumnType, str] = {
    "VARCHAR": "str",
    "DOUBLE": "float64",
    "BIGINT": "Int64",
    "BOOLEAN": "boolean",
    # Not a dtype for read_csv: dates go to ``parse_dates`` instead.
    "DATE": "datetime64[us]",
}


def column_names(columns: Iterable[Column] = FACT_COLUMNS) -> list[str]:
    return [column.name for column in columns]


def duckdb_types(columns: Iterable[Column] = FACT_COLUMNS) -> dict[str, str]:
    """``{name: DuckDB type}``, for ``read_csv(dtype=...)`` and ``read_json(columns=...)``."""
    return {column.name: column.type for column in columns}


def pandas_csv_options() -> dict[str, Any]:
    """Keyword arguments for ``pandas.read_csv`` on flat CSV."""
    return {
        "dtype": {c.name: _PANDAS_TYPES[c.type] for c in FACT_COLUMNS if c.type != "DATE"},
        "parse_dates": [c.name for c in FACT_COLUMNS if c.type == "DATE"],
    }


def pandas_json_options() -> dict[str, Any]:
    """Keyword arguments for ``pandas.read_json`` on flat JSON Lines."""
    return {"lines": True, "dtype": {c.name: _PANDAS_TYPES[c.type] for c in FACT_COLUMNS}}


def markdown_table(columns: Iterable[Column] = FACT_COLUMNS) -> str:
    """The README's table of columns."""
    lines = ["| column | type | meaning |", "| --- | --- | --- |"]
    lines += [f"| `{c.name}` | {c.type} | {c.meaning} |" for c in columns]
    return "\n".join(lines) + "\n"


# -- rows -------------------------------------------------------------------------------------


def fact_row(fact: Fact, document: Document | None = None) -> Row:
    """One fact as a flat row, keyed by ``FACT_COLUMNS`` in order.

    Columns of a part the fact lacks (no value, no change, no period, an attribute its type
    does not have) are ``None``. Numbers of a DOUBLE column are floats, whole or not, so a
    reader that guesses types from the values still sees one type.
    """
    value, change, period, evidence = fact.value, fact.change, fact.period, fact.evidence
    attributes = fact.attributes
    source_name, destination_name = ENDPOINTS.get(fact.type, ("", ""))
    original = value.original if value else None
    row: Row = {
        "doc_id": fact.doc_id,
        "path": document.path if document else None,
        "doc_date": document.date if document else None,
        "date_source": document.date_source if document else None,
        "type": fact.type,
        "flow": getattr(attributes, "flow", None),
        "modality": fact.modality,
        "target_kind": getattr(attributes, "target_kind", None),
        "scope": getattr(attributes, "scope", None),
        "amount": value.amount if value else None,
        "unit": value.unit if value else None,
        "approximate": value.approximate if value else None,
        "qualifier": value.qualifier if value else None,
        "low": value.low if value else None,
        "high": value.high if value else None,
        "original_amount": original.amount if original else None,
        "original_unit": original.unit if original else None,
        "change_percent": change.percent if change else None,
        "change_multiplier": change.multiplier if change else None,
        "change_low": change.low if change else None,
        "change_high": change.high if change else None,
        "period_start": period.start if period else None,
        "period_end": period.end if period else None,
        "period_text": period.text if period else None,
        "period_resolved": period.resolved if period else None,
        "period_partial": period.partial if period else None,
        "parties": PARTY_SEPARATOR.join(fact.parties) or None,
        "source": getattr(attributes, source_name, None) if source_name else None,
        "destination": getattr(attributes, destination_name, None) if destination_name else None,
        "route": getattr(attributes, "route", None),
        "speaker": fact.speaker,
        "evidence_text": evidence.text,
        "evidence_start": evidence.start,
        "evidence_end": evidence.end,
        "sentence": evidence.sentence,
        "fact_id": fact.id,
    }
    for name in _DOUBLE_COLUMNS:
        cell = row[name]
        if isinstance(cell, int | float):
            row[name] = float(cell)
    return row


def report_rows(report: Report) -> list[Row]:
    documents = {document.doc_id: document for document in report.documents}
    return [fact_row(fact, documents.get(fact.doc_id)) for fact in report.facts]


# -- text -------------------------------------------------------------------------------------


def _csv_cell(cell: Cell) -> str | int | float:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return cell


def _json_cell(cell: Cell) -> str | int | float | bool | None:
    return cell.isoformat() if isinstance(cell, dt.date) else cell


def csv_text(
    rows: Iterable[Row], columns: Iterable[Column] = FACT_COLUMNS, header: bool = True
) -> str:
    """Rows as CSV (RFC 4180 quoting, ``\\n`` line ends); empty cells are nulls."""
    names = column_names(columns)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if header:
        writer.writerow(names)
    for row in rows:
        writer.writerow(_csv_cell(row[name]) for name in names)
    return buffer.getvalue()


def jsonl_text(rows: Iterable[Row], columns: Iterable[Column] = FACT_COLUMNS) -> str:
    """One JSON object per row, every column present (``null`` when empty), dates ISO."""
    names = column_names(columns)
    return "".join(
        json.dumps({name: _json_cell(row[name]) for name in names}, ensure_ascii=False) + "\n"
        for row in rows
    )


# -- streaming --------------------------------------------------------------------------------


def _keep_all(fact: Fact) -> bool:
    return True


def _csv_rows(rows: list[Row]) -> str:
    return csv_text(rows, header=False)


# How a run of rows is written, by format.
_ROW_TEXT: dict[str, Callable[[list[Row]], str]] = {"csv": _csv_rows, "jsonl": jsonl_text}


@dataclass(frozen=True)
class FlatEncoder(Encoder):
    """The facts ``keep`` accepts as flat rows of ``form`` ("csv" or "jsonl"); a name, not
    a function, so that the encoder pickles into worker processes."""

    keep: FactFilter = _keep_all
    form: str = "jsonl"

    @property
    def kind(self) -> str:
        return f"flat {self.form}"

    def encode(self, document: Document, batches: Iterable[Batch]) -> Iterator[Pieces]:
        write = _ROW_TEXT[self.form]
        for batch in batches:
            rows = [fact_row(fact, document) for fact in batch.facts if self.keep(fact)]
            yield (Piece(write(rows), len(rows)),)


def csv_encoder(keep: FactFilter) -> FlatEncoder:
    return FlatEncoder(keep, "csv")


def jsonl_encoder(keep: FactFilter) -> FlatEncoder:
    return FlatEncoder(keep, "jsonl")


def stream_csv(results: Iterable[Item], stream: IO[str], keep: FactFilter = _keep_all) -> Tally:
    """The header, then one row per fact, written as each document is done."""
    stream.write(csv_text([]))
    return write_lines(results, stream, csv_encoder(keep))


def stream_jsonl(results: Iterable[Item], stream: IO[str], keep: FactFilter = _keep_all) -> Tally:
    """One flat row per line, written as each document is done."""
    return write_lines(results, stream, jsonl_encoder(keep))


# The writers of flat rows by format (``extract -f csv``, ``-f jsonl --flat``), and what
# their documents are encoded with where they are processed, given the filter.
FLAT_WRITERS: dict[str, Callable[[Iterable[Item], IO[str], FactFilter], Tally]] = {
    "jsonl": stream_jsonl,
    "csv": stream_csv,
}
FLAT_ENCODERS: dict[str, Callable[[FactFilter], Encoder]] = {
    "jsonl": jsonl_encoder,
    "csv": csv_encoder,
}
