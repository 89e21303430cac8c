"""The JSON Schemas (draft 2020-12) of every output, as written by `kzaz schema`."""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import TypeAdapter

from kzaz_facts.entities import EntityRow
from kzaz_facts.records import SCHEMA_VERSION, Fact, Report
from kzaz_facts.timeline import Point

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SchemaName = Literal["report", "fact", "entities", "timeline"]
# What each schema describes: the model (or list of models) and the title and description
# that head it. A JSON Lines output has one item of the JSON array (or one fact) per line.
_SCHEMAS: dict[SchemaName, tuple[TypeAdapter[Any], str, str]] = {
    "report": (
        TypeAdapter(Report),
        "Report",
        "The output of `kzaz extract --format json`.",
    ),
    "fact": (
        TypeAdapter(Fact),
        "Fact",
        "One line of `kzaz extract --format jsonl`: one fact.",
    ),
    "entities": (
        TypeAdapter(list[EntityRow]),
        "Entities",
        "The output of `kzaz entities --format json`; each line of `--format jsonl` is one item.",
    ),
    "timeline": (
        TypeAdapter(list[Point]),
        "Timeline",
        "The output of `kzaz timeline --format json`; each line of `--format jsonl` is one item.",
    ),
}
SCHEMA_NAMES: tuple[SchemaName, ...] = tuple(_SCHEMAS)


def schema_id(name: SchemaName) -> str:
    """The ``$id`` of a schema: its name and the schema version.

    >>> schema_id("fact")
    'urn:kzaz-facts:schema:1.1:fact'
    """
    return f"urn:kzaz-facts:schema:{SCHEMA_VERSION}:{name}"


def schema(name: SchemaName = "report") -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one output, as it is written (serialization mode)."""
    adapter, title, description = _SCHEMAS[name]
    body = adapter.json_schema(mode="serialization")
    body.update(title=title, description=description)
    return {"$schema": SCHEMA_DIALECT, "$id": schema_id(name), **body}


def schema_json(name: SchemaName = "report") -> str:
    return json.dumps(schema(name), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
