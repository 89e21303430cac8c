"""The JSON contract: `kzaz schema --for NAME` pinned by the committed snapshots in tests/schema/.

A change to a record model shows here as a diff of the schema. Once it is meant, regenerate
the snapshots with `make schema` and commit them (with a new SCHEMA_VERSION when a field is
renamed, removed or retyped).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, get_args

import jsonschema
import pytest
from typer.testing import CliRunner

from kzaz_facts.cli import SchemaName, app
from kzaz_facts.output.schemas import SCHEMA_NAMES
from kzaz_facts.records import ErrorKind

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SNAPSHOTS = Path(__file__).resolve().parent / "schema"

runner = CliRunner()


def schema_of(name: str) -> dict[str, Any]:
    result = runner.invoke(app, ["schema", "--for", name])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def stdout_of(*args: str) -> str:
    result = runner.invoke(app, [*args, str(SEEDS), "--jobs", "1"])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_every_schema_has_a_snapshot() -> None:
    assert SCHEMA_NAMES == ("report", "fact", "entities", "timeline")
    assert tuple(SchemaName) == SCHEMA_NAMES  # every --for choice has a schema, and back
    assert sorted(path.stem for path in SNAPSHOTS.glob("*.json")) == sorted(SCHEMA_NAMES)


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_matches_its_snapshot(name: str) -> None:
    result = runner.invoke(app, ["schema", "--for", name])
    assert result.exit_code == 0
    snapshot = (SNAPSHOTS / f"{name}.json").read_text(encoding="utf-8")
    assert result.stdout == snapshot, f"schema {name} changed: review, then run `make schema`"


def test_report_is_the_default() -> None:
    assert runner.invoke(app, ["schema"]).stdout == (SNAPSHOTS / "report.json").read_text()


def test_unknown_schema_name_is_a_usage_error() -> None:
    result = runner.invoke(app, ["schema", "--for", "facts"])
    assert result.exit_code == 2
    assert "--for" in result.stderr


@pytest.mark.parametrize(
    ("name", "title", "top"),
    [
        ("report", "Report", "object"),
        ("fact", "Fact", None),
        ("entities", "Entities", "array"),
        ("timeline", "Timeline", "array"),
    ],
)
def test_schema_header(name: str, title: str, top: str | None) -> None:
    schema = schema_of(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"urn:kzaz-facts:schema:1.1:{name}"
    assert schema["title"] == title
    assert schema.get("type") == top
    jsonschema.Draft202012Validator.check_schema(schema)


def _objects(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every object definition of a schema by title: its $defs and the top level."""
    objects = {d["title"]: d for d in schema.get("$defs", {}).values() if "properties" in d}
    if "properties" in schema:
        objects[schema["title"]] = schema
    return objects


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_field_is_described_and_required(name: str) -> None:
    """Every field is always written, so every field is required; each one says what it is."""
    for title, definition in _objects(schema_of(name)).items():
        assert definition.get("description"), title
        assert definition["additionalProperties"] is False, title
        properties = definition["properties"]
        assert sorted(definition["required"]) == sorted(properties), title
        undescribed = [field for field, spec in properties.items() if not spec.get("description")]
        assert undescribed == [], title


def test_report_schema_definitions() -> None:
    objects = _objects(schema_of("report"))
    assert sorted(objects) == [
        "AgreementAttributes",
        "AgreementFact",
        "CargoAttributes",
        "CargoFact",
        "Change",
        "Document",
        "Entity",
        "ErrorRecord",
        "Evidence",
        "InvestmentAttributes",
        "InvestmentFact",
        "Original",
        "Period",
        "Report",
        "TouristAttributes",
        "TouristFact",
        "TradeAttributes",
        "TradeFact",
        "Value",
        "YearSpan",
    ]
    assert "text" not in objects["Document"]["properties"]  # kept in memory, never written
    assert "warnings" not in objects["Document"]["properties"]  # written as errors instead
    assert objects["Period"]["properties"]["partial"]["type"] == "boolean"
    # The schema lists exactly the kinds of the ErrorKind literal, in its order.
    assert objects["ErrorRecord"]["properties"]["kind"]["enum"] == list(get_args(ErrorKind))


def test_timeline_modality_is_an_enum() -> None:
    point = _objects(schema_of("timeline"))["Point"]
    assert point["properties"]["modality"]["enum"] == ["actual", "target"]


def test_each_jsonl_line_is_a_fact() -> None:
    validator = jsonschema.Draft202012Validator(schema_of("fact"))
    lines = stdout_of("extract", "-f", "jsonl").splitlines()
    assert len(lines) == 18
    for line in lines:
        validator.validate(json.loads(line))
    broken = dict(json.loads(lines[0]), type="rumour")
    assert not validator.is_valid(broken)


@pytest.mark.parametrize("command", ["entities", "timeline"])
def test_json_and_jsonl_outputs_validate(command: str) -> None:
    validator = jsonschema.Draft202012Validator(schema_of(command))
    items = json.loads(stdout_of(command, "-f", "json"))
    assert len(items) >= 5
    validator.validate(items)
    lines = [json.loads(line) for line in stdout_of(command, "-f", "jsonl").splitlines()]
    assert lines == items
    validator.validate(lines)
    assert not validator.is_valid([dict(items[0], surprise=1)])
