"""The loader of tests/cases/*.jsonl (``read_cases`` in conftest.py, the ``case_table`` fixture)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict

from kzaz_facts.errors import DataError

CASES = Path(__file__).resolve().parent / "cases"


class Row(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    sentence: str
    xfail: str | None = None


def test_comments_and_blank_lines_are_skipped(tmp_path: Path, case_table: Any) -> None:
    table = tmp_path / "rows.jsonl"
    table.write_text(
        '// what the table holds\n\n{"id": "a", "sentence": "One."}\n'
        '  // an indented comment\n{"id": "b", "sentence": "Two.", "xfail": "not yet"}\n',
        encoding="utf-8",
    )
    assert case_table(table, Row) == [
        Row(id="a", sentence="One."),
        Row(id="b", sentence="Two.", xfail="not yet"),
    ]


def test_a_malformed_row_names_its_file_and_line(tmp_path: Path, case_table: Any) -> None:
    table = tmp_path / "rows.jsonl"
    table.write_text('// comment\n{"id": "a", "sentence": "One.", "sentense": "typo"}\n')
    with pytest.raises(DataError, match=r"rows\.jsonl:2: sentense: Extra inputs"):
        case_table(table, Row)


def test_a_repeated_id_is_refused(tmp_path: Path, case_table: Any) -> None:
    table = tmp_path / "rows.jsonl"
    table.write_text('{"id": "a", "sentence": "One."}\n{"id": "a", "sentence": "Two."}\n')
    with pytest.raises(ValueError, match="case ids used twice: a"):
        case_table(table, Row)


def test_every_table_loads(case_table: Any) -> None:
    class AnyRow(BaseModel):
        model_config = ConfigDict(extra="allow")
        id: str

    tables = sorted(path.name for path in CASES.glob("*.jsonl"))
    assert tables == [
        "amounts.jsonl",
        "changes.jsonl",
        "facts.jsonl",
        "headers.jsonl",
        "people.jsonl",
        "periods.jsonl",
    ]
    for table in tables:
        lines = (CASES / table).read_text(encoding="utf-8").splitlines()
        rows = [line for line in lines if line.strip() and not line.lstrip().startswith("//")]
        assert len(case_table(table, AnyRow)) == len(rows) > 0, table
