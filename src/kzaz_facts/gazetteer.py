"""The entity gazetteer: spaCy ruler patterns and the attributes of each canonical entity."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, field_validator

from kzaz_facts.resources import nested_quantifier, read_jsonl

EntityKind = Literal["country", "city", "region", "group"]


class PatternRow(BaseModel):
    """One spaCy EntityRuler row; aliases of one entity share its canonical ``id``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    label: Literal["PERSON", "PORT", "ROUTE", "ORG", "GPE", "NORP"]
    pattern: str | list[dict[str, Any]]
    id: str

    @field_validator("pattern")
    @classmethod
    def _safe_regexes(cls, pattern: str | list[dict[str, Any]]) -> str | list[dict[str, Any]]:
        for regex in _regexes(pattern):
            if nested_quantifier(regex):
                raise ValueError(f"REGEX {regex!r} repeats a group that itself repeats")
        return pattern


def _regexes(value: object) -> list[str]:
    """Every "REGEX" value of a token pattern, however deep."""
    if isinstance(value, dict):
        found = [regex for k, regex in value.items() if k == "REGEX" and isinstance(regex, str)]
        return found + [regex for item in value.values() for regex in _regexes(item)]
    if isinstance(value, list):
        return [regex for item in value for regex in _regexes(item)]
    return []


class AttributeRow(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    label: Literal["PERSON", "PORT", "ROUTE", "ORG", "GPE", "NORP"]
    kind: EntityKind | None = None
    country: str | None = None
    role: str | None = None


ATTRIBUTES_FILE = "attributes.jsonl"


class Gazetteer:
    """Pattern rows for the ruler and a lookup of attributes by canonical name."""

    def __init__(self, data_dir: Path) -> None:
        entity_dir = data_dir / "entities"
        self.patterns: list[PatternRow] = []
        for path in sorted(entity_dir.glob("*.jsonl")):
            if path.name != ATTRIBUTES_FILE:
                self.patterns.extend(read_jsonl(path, PatternRow))
        attributes_path = entity_dir / ATTRIBUTES_FILE
        rows = read_jsonl(attributes_path, AttributeRow) if attributes_path.exists() else []
        self.attributes: dict[str, AttributeRow] = {row.id: row for row in rows}

    def kind(self, canonical: str) -> EntityKind | None:
        row = self.attributes.get(canonical)
        return row.kind if row else None

    def is_country_like(self, canonical: str) -> bool:
        """Countries and country groups can be trade parties; cities and regions of one cannot."""
        return self.kind(canonical) in {"country", "group", "region", None}

    def person_by_role(self, role: str) -> str | None:
        """The one person whose gazetteer role is ``role`` ("President of Kazakhstan")."""
        wanted = role.casefold()
        found = [
            row.id for row in self.attributes.values() if (row.role or "").casefold() == wanted
        ]
        return found[0] if len(found) == 1 else None
