"""Corpus-wide views of extraction results: merged entities and the baseline check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import Field, TypeAdapter

from kzaz_facts.errors import KzazError
from kzaz_facts.records import (
    AgreementAttributes,
    Entity,
    EntityLabel,
    Fact,
    Record,
    Report,
    Value,
)

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


# -- regression check against a baseline ----------------------------------------------------

# The fields a baseline pins, field by field; offsets are left out so that an edit elsewhere
# in a file does not turn one fact into "removed + added".
CHECKED_FIELDS = ("modality", "amount", "unit", "period", "change", "speaker", "parties", "name")


def slim_fact(fact: Fact) -> dict[str, Any]:
    """What a baseline keeps of a fact: its identity (doc, type, evidence) and checked fields."""
    value, change, period = fact.value, fact.change, fact.period
    name = fact.attributes.name if isinstance(fact.attributes, AgreementAttributes) else None
    return {
        "doc_id": fact.doc_id,
        "type": fact.type,
        "evidence": fact.evidence.text,
        "sentence": fact.evidence.sentence,
        "modality": fact.modality,
        "amount": value.amount if value else None,
        "unit": value.unit if value else None,
        "period": [_iso(period.start), _iso(period.end)] if period else None,
        "change": (
            {"percent": change.percent, "multiplier": change.multiplier} if change else None
        ),
        "speaker": fact.speaker,
        "parties": list(fact.parties),
        "name": name,
    }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def snapshot(report: Report) -> dict[str, Any]:
    return {"schema_version": report.schema_version, "facts": [slim_fact(f) for f in report.facts]}


def baseline_facts(data: Any) -> list[dict[str, Any]]:
    """Facts of a baseline file: a ``check --update`` snapshot or a full ``extract`` JSON."""
    if not isinstance(data, dict) or not isinstance(data.get("facts"), list):
        raise KzazError("the baseline is not a kzaz JSON report or snapshot (no 'facts' list)")
    facts = data["facts"]
    if facts and "evidence" in facts[0] and isinstance(facts[0]["evidence"], dict):
        return [slim_fact(fact) for fact in TypeAdapter(list[Fact]).validate_python(facts)]
    return [dict(fact) for fact in facts]


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class Difference:
    kind: str  # "added" | "removed" | "changed"
    fact: dict[str, Any]
    changes: tuple[FieldChange, ...] = ()


def compare(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Difference]:
    """Added, removed and changed facts, whatever the order of either list.

    Facts pair up first by document, type and evidence text, then by document, type and
    sentence, so a widened evidence span shows as a change, not as removed + added.
    """
    remaining_old = list(old)
    pairs: list[tuple[dict[str, Any], dict[str, Any]]] = []
    unmatched_new: list[dict[str, Any]] = list(new)
    for keys in (("doc_id", "type", "evidence"), ("doc_id", "type", "sentence")):
        pool: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
        for fact in remaining_old:
            pool.setdefault(tuple(fact.get(k) for k in keys), []).append(fact)
        still_new = []
        for fact in unmatched_new:
            candidates = pool.get(tuple(fact.get(k) for k in keys))
            if candidates:
                match = candidates.pop(0)
                remaining_old.remove(match)
                pairs.append((match, fact))
            else:
                still_new.append(fact)
        unmatched_new = still_new
    differences = [Difference("removed", fact) for fact in remaining_old]
    differences += [Difference("added", fact) for fact in unmatched_new]
    for before, after in pairs:
        fields = [*CHECKED_FIELDS, "evidence"]
        changes = tuple(
            FieldChange(name, before.get(name), after.get(name))
            for name in fields
            if before.get(name) != after.get(name)
        )
        if changes:
            differences.append(Difference("changed", after, changes))
    differences.sort(key=lambda d: (d.fact["doc_id"], d.fact["type"], d.kind, d.fact["evidence"]))
    return differences


def describe(differences: list[Difference]) -> str:
    """A readable diff: one block per fact, with the evidence sentence."""
    marks = {"added": "+", "removed": "-", "changed": "~"}
    lines = []
    for difference in differences:
        fact = difference.fact
        lines.append(f"{marks[difference.kind]} {difference.kind} {fact['doc_id']} {fact['type']}")
        for change in difference.changes:
            lines.append(f"    {change.field}: {change.old!r} -> {change.new!r}")
        if difference.kind != "changed":
            lines.append(f"    amount: {fact.get('amount')!r}  period: {fact.get('period')!r}")
        lines.append(f"    sentence: {fact['sentence']}")
    return "\n".join(lines) + ("\n" if lines else "")


# -- timeline --------------------------------------------------------------------------------


class Source(Record):
    doc_id: str
    date: dt.date | None
    speaker: str | None
    amount: float | int
    approximate: bool
    qualifier: str | None
    evidence: str


class Point(Record):
    """One (parties, period, scope, modality) point of a series, with every source."""

    parties: list[str]
    period_start: dt.date
    period_end: dt.date
    scope: str | None
    modality: str
    unit: str
    amount: float | int
    spread: float | int
    conflict: bool
    sources: list[Source]


def _scope(fact: Fact) -> str | None:
    return getattr(fact.attributes, "scope", None)


def timeline(
    report: Report,
    *,
    fact_type: str = "trade_turnover",
    parties: set[str] | None = None,
    scope: str | None = None,
    modality: str = "actual",
    tolerance: float = 0.05,
) -> list[Point]:
    """Facts of one type merged across documents into a series ordered by period.

    Two figures of one point that differ by more than ``tolerance`` (relative to the larger)
    are a conflict; a qualified figure ("approached", "almost") widens the tolerance by half
    again, since its writer did not claim the exact number.
    """
    dates = {document.doc_id: document.date for document in report.documents}
    groups: dict[tuple[Any, ...], list[tuple[Fact, Value]]] = {}
    for fact in report.facts:
        value, period = fact.value, fact.period
        if fact.type != fact_type or fact.modality != modality or value is None:
            continue
        if period is None or period.start is None or period.end is None:
            continue
        if parties and set(fact.parties) != parties:
            continue
        if scope and _scope(fact) != scope:
            continue
        key = (tuple(fact.parties), period.start, period.end, _scope(fact), value.unit)
        groups.setdefault(key, []).append((fact, value))
    points = []
    for (names, start, end, fact_scope, unit), members in sorted(groups.items(), key=_order):
        sources = [
            Source(
                doc_id=fact.doc_id,
                date=dates.get(fact.doc_id),
                speaker=fact.speaker,
                amount=value.amount,
                approximate=value.approximate,
                qualifier=value.qualifier,
                evidence=fact.evidence.text,
            )
            for fact, value in members
        ]
        amounts = [source.amount for source in sources]
        exact = [s.amount for s in sources if not s.approximate]
        spread = max(amounts) - min(amounts)
        allowed = tolerance * (1.5 if any(s.approximate for s in sources) else 1.0)
        conflict = bool(max(amounts)) and spread / max(amounts) > allowed
        points.append(
            Point(
                parties=list(names),
                period_start=start,
                period_end=end,
                scope=fact_scope,
                modality=modality,
                unit=unit,
                amount=(exact or amounts)[0],
                spread=spread,
                conflict=conflict,
                sources=sources,
            )
        )
    return points


def _order(item: tuple[tuple[Any, ...], list[tuple[Fact, Value]]]) -> tuple[Any, ...]:
    names, start, end, fact_scope, unit = item[0]
    return (start, end, names, fact_scope or "", unit)
