"""Entity mentions merged across the corpus: one row per real-world entity (``kzaz entities``)."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import Field

from kzaz_facts.records import Entity, EntityLabel, Record

# Amounts are mentions, not real-world entities: they have no aliases to merge.
NAMED_LABELS: frozenset[str] = frozenset({"PERSON", "PORT", "ROUTE", "ORG", "GPE", "NORP"})


class EntityRow(Record):
    """One real-world entity of the corpus with every way it was named (``kzaz entities``)."""

    canonical: str = Field(description="The entity's canonical name, shared by its aliases.")
    label: EntityLabel = Field(description="What kind of entity this is.")
    aliases: list[str] = Field(
        default_factory=list, description="Every wording seen in the texts, sorted."
    )
    roles: list[str] = Field(
        default_factory=list, description="Roles given to a person (\"Minister of ...\"), sorted."
    )
    countries: list[str] = Field(
        default_factory=list, description="Countries the entity belongs to, sorted."
    )
    mentions: int = Field(description="How many times the entity is mentioned in the corpus.")
    documents: list[str] = Field(
        default_factory=list, description="The doc_id of every document mentioning it, sorted."
    )


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
