"""Corpus-wide views built from extraction results: one row per real-world entity."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import Field

from kzaz_facts.records import Entity, EntityLabel, Record

# Amounts are mentions, not real-world entities: they have no aliases to merge.
NAMED_LABELS: frozenset[str] = frozenset({"PERSON", "PORT", "ROUTE", "ORG", "GPE", "NORP"})


class EntityRow(Record):
    canonical: str
    label: EntityLabel
    aliases: list[str] = Field(default_factory=list)
    roles: list[str] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)
    mentions: int
    documents: list[str] = Field(default_factory=list)


def aggregate_entities(
    entities: Iterable[Entity], labels: set[str] | None = None
) -> list[EntityRow]:
    """Merge mentions by (label, canonical): "Ilham Heydar oglu" and "Ilham Aliyev" are one row.

    Rows are sorted by label, then by mentions (most first), then by name.
    """
    wanted = labels or NAMED_LABELS
    grouped: dict[tuple[str, str], list[Entity]] = {}
    for entity in entities:
        if entity.label in wanted:
            grouped.setdefault((entity.label, entity.canonical), []).append(entity)
    rows = []
    for (_, canonical), mentions in grouped.items():
        rows.append(
            EntityRow(
                canonical=canonical,
                label=mentions[0].label,
                aliases=sorted({m.text for m in mentions}),
                roles=sorted({str(m.attrs["role"]) for m in mentions if m.attrs.get("role")}),
                countries=sorted(
                    {str(m.attrs["country"]) for m in mentions if m.attrs.get("country")}
                ),
                mentions=len(mentions),
                documents=sorted({m.doc_id for m in mentions}),
            )
        )
    rows.sort(key=lambda row: (row.label, -row.mentions, row.canonical))
    return rows
