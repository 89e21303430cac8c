"""Per-document results gathered into one ``Report``, with the ``--type`` / ``--parties`` filter."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from kzaz_facts.records import Document, Entity, ErrorRecord, Fact, Report

if TYPE_CHECKING:
    from kzaz_facts.results import DocumentResult


def keep_fact(fact: Fact, types: set[str] | None, parties: set[str] | None) -> bool:
    """``--type`` keeps the listed fact types; ``--parties A,B`` keeps exactly that pair."""
    if types and fact.type not in types:
        return False
    return not parties or set(fact.parties) == parties


def build_report(
    results: Iterable[DocumentResult | ErrorRecord],
    *,
    types: set[str] | None = None,
    parties: set[str] | None = None,
) -> Report:
    documents: list[Document] = []
    facts: list[Fact] = []
    entities: list[Entity] = []
    errors: list[ErrorRecord] = []
    for result in results:
        if isinstance(result, ErrorRecord):
            errors.append(result)
            continue
        documents.append(result.document)
        facts.extend(fact for fact in result.facts if keep_fact(fact, types, parties))
        entities.extend(result.entities)
    return Report(documents=documents, facts=facts, entities=entities, errors=errors)
