"""Flat fact rows: the row of each fact type, CSV and JSON Lines as DuckDB and pandas read them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from pydantic import TypeAdapter
from typer.testing import CliRunner

from kzaz_facts import flat
from kzaz_facts.cli import app
from kzaz_facts.records import Document, Fact

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
runner = CliRunner()

NAMES = [column.name for column in flat.FACT_COLUMNS]
HEADER = ",".join(NAMES) + "\n"
DUCKDB_TYPES = [column.type for column in flat.FACT_COLUMNS]
PANDAS_TYPES = {
    "VARCHAR": "str",
    "DOUBLE": "float64",
    "BIGINT": "Int64",
    "BOOLEAN": "boolean",
    "DATE": "datetime64[us]",
}

PYTHON_TYPES = {"VARCHAR": str, "DOUBLE": float, "BIGINT": int, "BOOLEAN": bool, "DATE": dt.date}

DOCUMENT = Document(
    doc_id="d1",
    path="news/d1.txt",
    date=dt.date(2024, 3, 15),
    date_source="header",
    date_precision="day",
    body_start=0,
    body_end=500,
)
EVIDENCE = {
    "start": 10,
    "end": 20,
    "text": "0123456789",
    "sentence": "A sentence.",
    "sentence_start": 5,
    "sentence_end": 40,
}
# Columns every case below shares; each case adds or overrides the rest.
EMPTY_ROW: dict[str, Any] = dict.fromkeys(NAMES) | {
    "doc_id": "d1",
    "path": "news/d1.txt",
    "doc_date": dt.date(2024, 3, 15),
    "date_source": "header",
    "modality": "actual",
    "evidence_text": "0123456789",
    "evidence_start": 10,
    "evidence_end": 20,
    "sentence": "A sentence.",
    "fact_id": "f1",
}

CASES = [
    pytest.param(
        {
            "type": "trade_turnover",
            "value": {
                "amount": 450000000,
                "unit": "USD",
                "approximate": True,
                "low": 400000000,
                "high": 500000000,
                "original": {"amount": 700000000, "unit": "AZN"},
                "text": "400-500 million",
                "span": [10, 20],
            },
            "change": {"percent": -12.5, "low": -15, "high": -10, "text": "x", "span": [1, 2]},
            "period": {
                "start": "2023-01-01",
                "end": "2023-06-30",
                "text": "first half of 2023",
                "resolved": "explicit",
                "span": [3, 4],
            },
            "parties": ["Azerbaijan", "Kazakhstan"],
            "speaker": "Some Minister",
            "attributes": {
                "scope": "energy",
                "flow": "export",
                "exporter": "Kazakhstan",
                "importer": "Azerbaijan",
            },
        },
        {
            "type": "trade_turnover",
            "flow": "export",
            "scope": "energy",
            "amount": 450000000,
            "unit": "USD",
            "approximate": True,
            "low": 400000000,
            "high": 500000000,
            "original_amount": 700000000,
            "original_unit": "AZN",
            "change_percent": -12.5,
            "change_low": -15,
            "change_high": -10,
            "period_start": dt.date(2023, 1, 1),
            "period_end": dt.date(2023, 6, 30),
            "period_text": "first half of 2023",
            "period_resolved": "explicit",
            "period_partial": False,
            "parties": "Azerbaijan;Kazakhstan",
            "source": "Kazakhstan",
            "destination": "Azerbaijan",
            "speaker": "Some Minister",
        },
        id="trade export with a range, a conversion and a change",
    ),
    pytest.param(
        {
            "type": "tourist_flow",
            "modality": "target",
            "value": {"amount": 100000, "unit": "people", "text": "100,000", "span": [10, 20]},
            "attributes": {
                "target_kind": "level",
                "origin": "Kazakhstan",
                "destination": "Azerbaijan",
            },
        },
        {
            "type": "tourist_flow",
            "modality": "target",
            "target_kind": "level",
            "amount": 100000,
            "unit": "people",
            "approximate": False,
            "source": "Kazakhstan",
            "destination": "Azerbaijan",
        },
        id="tourist target: origin and destination",
    ),
    pytest.param(
        {
            "type": "cargo_volume",
            "change": {"multiplier": 5, "text": "five times", "span": [10, 20]},
            "attributes": {"route": "Middle Corridor"},
        },
        {"type": "cargo_volume", "change_multiplier": 5, "route": "Middle Corridor"},
        id="cargo change without a value: value columns null",
    ),
    pytest.param(
        {
            "type": "investment",
            "value": {
                "amount": 2000000000,
                "unit": "USD",
                "approximate": True,
                "qualifier": "over",
                "text": "over $2 billion",
                "span": [10, 20],
            },
            "parties": ["Kazakhstan"],
            "attributes": {"source": "Azerbaijan", "recipient": "Kazakhstan"},
        },
        {
            "type": "investment",
            "amount": 2000000000,
            "unit": "USD",
            "approximate": True,
            "qualifier": "over",
            "parties": "Kazakhstan",
            "source": "Azerbaijan",
            "destination": "Kazakhstan",
        },
        id="investment: source and recipient",
    ),
    pytest.param(
        {
            "type": "agreement",
            "period": {"text": "soon", "resolved": "unresolved", "span": [3, 4]},
            "parties": ["Azerbaijan", "Kazakhstan"],
            "attributes": {"name": "road map", "action": "signed"},
        },
        {
            "type": "agreement",
            "period_text": "soon",
            "period_resolved": "unresolved",
            "period_partial": False,
            "parties": "Azerbaijan;Kazakhstan",
        },
        id="agreement: no figure, unresolved period",
    ),
]


@pytest.mark.parametrize(("fact", "expected"), CASES)
def test_fact_row(fact: dict[str, Any], expected: dict[str, Any]) -> None:
    record = TypeAdapter(Fact).validate_python(
        {"id": "f1", "doc_id": "d1", "evidence": EVIDENCE} | fact
    )
    row = flat.fact_row(record, DOCUMENT)
    assert list(row) == NAMES
    assert row == EMPTY_ROW | expected
    kinds = {column.name: PYTHON_TYPES[column.type] for column in flat.FACT_COLUMNS}
    assert {name: type(cell) for name, cell in row.items() if cell is not None} == {
        name: kinds[name] for name, cell in row.items() if cell is not None
    }


def test_columns_are_unique_and_typed_once() -> None:
    assert len(set(NAMES)) == len(NAMES) == 36
    assert flat.duckdb_types() == dict(zip(NAMES, DUCKDB_TYPES, strict=True))


def test_readme_documents_every_column() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert flat.markdown_table() in readme


# -- the CLI's flat output, read back -------------------------------------------------------


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The seeds as CSV (format from the extension) and as --flat JSON Lines, written once."""
    directory = tmp_path_factory.mktemp("flat")
    paths = {"csv": directory / "facts.csv", "jsonl": directory / "facts.jsonl"}
    for name, path in paths.items():
        extra = ["--flat"] if name == "jsonl" else []
        result = runner.invoke(app, ["extract", str(SEEDS), "-j", "1", "-o", str(path), *extra])
        assert result.exit_code == 0, result.stderr
    return paths


# (doc, type, amount, unit, period_start, period_end, speaker) of the seeds' first facts.
FIRST_FACTS = [
    (
        "000_cc0684bcd0eaa77f",
        "trade_turnover",
        500000000.0,
        "USD",
        dt.date(2022, 1, 1),
        dt.date(2022, 12, 31),
        "Kanat Tumysh",
    ),
    ("000_cc0684bcd0eaa77f", "trade_turnover", 1000000000.0, "USD", None, None, "Kanat Tumysh"),
    (
        "000_cc0684bcd0eaa77f",
        "trade_turnover",
        300000000.0,
        "USD",
        dt.date(2023, 1, 1),
        dt.date(2023, 12, 31),
        "Kanat Tumysh",
    ),
    (
        "001_824fb12ad621f6f2",
        "agreement",
        None,
        None,
        dt.date(2022, 1, 1),
        dt.date(2022, 12, 31),
        "Kassym-Jomart Tokayev",
    ),
]
SAMPLE = "SELECT doc_id, type, amount, unit, period_start, period_end, speaker FROM facts LIMIT 4"


def _describe(relation: duckdb.DuckDBPyRelation) -> tuple[list[str], list[str]]:
    return relation.columns, [str(t) for t in relation.types]


def test_csv_header_and_one_line_per_fact(outputs: dict[str, Path]) -> None:
    text = outputs["csv"].read_text(encoding="utf-8")
    assert text.startswith(HEADER)
    facts = json.loads(runner.invoke(app, ["extract", str(SEEDS), "-j", "1", "-f", "json"]).stdout)
    assert (
        len(pd.read_csv(outputs["csv"], **flat.pandas_csv_options())) == len(facts["facts"]) == 18
    )


@pytest.mark.parametrize("kind", ["csv", "jsonl"])
def test_duckdb_reads_the_declared_columns_and_types(outputs: dict[str, Path], kind: str) -> None:
    path = str(outputs[kind])
    if kind == "csv":
        facts = duckdb.read_csv(path, dtype=flat.duckdb_types())
    else:
        facts = duckdb.read_json(path, columns=flat.duckdb_types())
    assert _describe(facts) == (NAMES, DUCKDB_TYPES)
    assert duckdb.sql("SELECT count(*) FROM facts").fetchall() == [(18,)]
    assert duckdb.sql(SAMPLE).fetchall() == FIRST_FACTS
    # Columns with no value anywhere in the seeds keep their declared type.
    empty = duckdb.sql("SELECT count(low), count(original_amount), count(change_low) FROM facts")
    assert empty.fetchall() == [(0, 0, 0)]


@pytest.mark.parametrize("kind", ["csv", "jsonl"])
def test_pandas_reads_the_declared_columns_and_types(outputs: dict[str, Path], kind: str) -> None:
    if kind == "csv":
        frame = pd.read_csv(outputs["csv"], **flat.pandas_csv_options())
    else:
        frame = pd.read_json(outputs["jsonl"], **flat.pandas_json_options())
    assert list(frame.columns) == NAMES
    assert {name: str(frame[name].dtype) for name in NAMES} == {
        column.name: PANDAS_TYPES[column.type] for column in flat.FACT_COLUMNS
    }
    assert len(frame) == 18
    first = frame.iloc[0]
    assert (first["amount"], first["evidence_start"], first["approximate"]) == (
        500000000.0,
        1688,
        False,
    )
    assert first["period_start"] == pd.Timestamp("2022-01-01")
    assert first["parties"] == "Azerbaijan;Kazakhstan"


def test_csv_and_flat_jsonl_hold_the_same_rows(outputs: dict[str, Path]) -> None:
    from_csv = duckdb.read_csv(str(outputs["csv"]), dtype=flat.duckdb_types()).fetchall()
    from_json = duckdb.read_json(str(outputs["jsonl"]), columns=flat.duckdb_types()).fetchall()
    assert from_csv == from_json


def test_a_document_without_facts_still_gets_the_header(tmp_path: Path) -> None:
    article = tmp_path / "quiet.txt"
    article.write_text("Nothing about trade here.\n", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(article), "-j", "1", "-f", "csv"])
    assert result.exit_code == 0
    assert result.stdout == HEADER
    saved = tmp_path / "quiet.csv"
    saved.write_text(result.stdout, encoding="utf-8")
    facts = duckdb.read_csv(str(saved), dtype=flat.duckdb_types())
    assert _describe(facts) == (NAMES, DUCKDB_TYPES)
    assert facts.fetchall() == []


@pytest.mark.parametrize(
    ("name", "options", "first_line"),
    [
        pytest.param("facts.csv", [], HEADER.rstrip("\n"), id="csv"),
        pytest.param(
            "facts.CSV", ["--type", "agreement"], HEADER.rstrip("\n"), id="csv upper case"
        ),
        pytest.param("facts.jsonl", [], "nested", id="jsonl: nested records"),
        pytest.param("facts.jsonl", ["--flat"], "flat", id="jsonl --flat: rows"),
        pytest.param("facts.json", [], "report", id="json"),
        pytest.param(
            "facts.json", ["-f", "csv"], HEADER.rstrip("\n"), id="-f wins over the extension"
        ),
        pytest.param("facts.txt", [], "report", id="other extension: JSON as before"),
    ],
)
def test_format_follows_the_output_extension(
    tmp_path: Path, name: str, options: list[str], first_line: str
) -> None:
    output = tmp_path / name
    result = runner.invoke(
        app,
        [
            "extract",
            str(SEEDS / "001_824fb12ad621f6f2.txt"),
            "-j",
            "1",
            "-o",
            str(output),
            *options,
        ],
    )
    assert result.exit_code == 0, result.stderr
    line = output.read_text(encoding="utf-8").splitlines()[0]
    if first_line == "nested":
        assert json.loads(line)["evidence"]["start"] > 0
    elif first_line == "flat":
        assert list(json.loads(line)) == NAMES
    elif first_line == "report":
        assert line == "{"
    else:
        assert line == first_line


@pytest.mark.parametrize(
    ("options", "message"),
    [
        pytest.param(
            ["-f", "json", "--flat"], "--flat writes jsonl or csv rows, not json", id="json"
        ),
        pytest.param(
            ["-f", "table", "--flat"], "--flat writes jsonl or csv rows, not table", id="table"
        ),
    ],
)
def test_flat_needs_a_row_format(options: list[str], message: str) -> None:
    result = runner.invoke(app, ["extract", str(SEEDS), *options])
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_flat_alone_writes_json_lines_rows() -> None:
    result = runner.invoke(app, ["extract", str(SEEDS), "-j", "1", "--flat", "--type", "agreement"])
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(row["doc_id"][:3], row["type"], row["period_start"]) for row in rows] == [
        ("001", "agreement", "2022-01-01"),
        ("003", "agreement", "2017-01-01"),
        ("004", "agreement", "2022-10-01"),
        ("004", "agreement", "2022-08-01"),
    ]
