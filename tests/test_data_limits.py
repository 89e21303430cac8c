"""Data files are read with guards: no catastrophic regex, no deep nesting, no huge file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kzaz_facts.errors import DataError
from kzaz_facts.gazetteer import Gazetteer
from kzaz_facts.resources import (
    MAX_DATA_BYTES,
    default_data_dir,
    nested_quantifier,
    read_json,
)
from kzaz_facts.tables import Tables


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(default_data_dir(), target)
    return target


def _append(path: Path, row: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, row]) + "\n", encoding="utf-8")
    return len(lines) + 1


@pytest.mark.parametrize(
    ("pattern", "nested"),
    [
        (r"(a+)+", True),
        (r"(?:\s*x)*y", True),
        (r"(?:(?:ab)+c)+", True),
        (r"(?:\w+ ){2,}", True),
        (r"(?:\w ){2}", False),
        (r"(?:ab)+", False),
        (r"\(a+\)+", False),
        (r"[(+]+x+", False),
        (r"(?:{month} )?{year}", False),
    ],
)
def test_nested_quantifiers_are_recognised(pattern: str, nested: bool) -> None:
    assert nested_quantifier(pattern) is nested


def test_a_catastrophic_period_pattern_names_file_and_line(data_copy: Path) -> None:
    periods = data_copy / "periods.jsonl"
    line = _append(periods, '{"phrase": "aaaa", "pattern": "(a+)+b", "kind": "vague"}')
    with pytest.raises(DataError) as caught:
        Tables(data_copy)
    assert str(caught.value).startswith(f"{periods}:{line}: pattern: Value error, a repeated")


def test_a_catastrophic_gazetteer_regex_names_file_and_line(data_copy: Path) -> None:
    ports = data_copy / "entities" / "ports.jsonl"
    line = _append(
        ports, '{"label": "PORT", "id": "X", "pattern": [{"TEXT": {"REGEX": "^(x+)*$"}}]}'
    )
    with pytest.raises(DataError) as caught:
        Gazetteer(data_copy)
    assert str(caught.value).startswith(f"{ports}:{line}: pattern")
    assert "repeats a group that itself repeats" in str(caught.value)


def test_deep_json_in_a_data_file_is_a_data_error(data_copy: Path) -> None:
    numbers = data_copy / "numbers.json"
    numbers.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(DataError, match="nested too deeply"):
        read_json(numbers)
    shutil.copy(default_data_dir() / "numbers.json", numbers)
    units = data_copy / "units.jsonl"
    _append(units, '{"unit": ' + "[" * 100_000 + "]" * 100_000 + "}")
    with pytest.raises(DataError, match=f"{units}:"):
        Tables(data_copy)


def test_a_data_file_over_the_size_cap_is_refused(data_copy: Path) -> None:
    units = data_copy / "units.jsonl"
    with units.open("a", encoding="utf-8") as stream:
        stream.truncate(MAX_DATA_BYTES + 1)
    with pytest.raises(DataError, match="over the 20 MB a data file may hold"):
        Tables(data_copy)
