"""Facts of one type merged across documents into a series ordered by period (``kzaz timeline``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field

from kzaz_facts.records import Fact, Modality, Number, Record, Report, Value


class Source(Record):
    """One document's figure for a point of the series."""

    doc_id: str = Field(description="The document the figure comes from.")
    date: dt.date | None = Field(description="The document's date, when it has one.")
    speaker: str | None = Field(description="Who gave the figure, when the text says.")
    amount: Number = Field(description="The figure, in the point's unit.")
    approximate: bool = Field(description="The text hedged the figure (about, over, almost).")
    qualifier: str | None = Field(description="The hedging word (\"about\", \"almost\"), if any.")
    evidence: str = Field(description="The quoted evidence text of the fact.")


class Point(Record):
    """One point of a series (parties or route, flow, period, partial, scope, modality)."""

    parties: list[str] = Field(description="The parties of the series, sorted.")
    route: str | None = Field(
        description="Cargo: the route the series is keyed by (null when the text names none)."
    )
    flow: str | None = Field(
        description="Trade: turnover (both directions), export or import; null for other types."
    )
    exporter: str | None = Field(description="Trade export or import: the exporting party.")
    importer: str | None = Field(description="Trade export or import: the importing party.")
    period_start: dt.date = Field(description="First day of the period (inclusive).")
    period_end: dt.date = Field(description="Last day of the period (inclusive).")
    partial: bool = Field(
        description="A year-to-date figure: it covers the period only up to its document's "
        "date, so it is kept apart from (and never in conflict with) a full period's figure."
    )
    scope: str | None = Field(description="Trade scope (total, agriculture, ...); null if none.")
    modality: Modality = Field(description="Whether the series holds actual figures or targets.")
    unit: str = Field(description="The unit of every amount of the point.")
    amount: Number = Field(description="The first exact figure of the sources, else the first.")
    spread: Number = Field(description="Largest minus smallest figure of the sources.")
    conflict: bool = Field(description="The sources disagree by more than the tolerance.")
    sources: list[Source] = Field(description="Every figure of the point, in input order.")


# Fact types whose series are keyed by route, not by parties (cargo names a corridor).
ROUTE_KEYED = frozenset({"cargo_volume"})


def _scope(fact: Fact) -> str | None:
    return getattr(fact.attributes, "scope", None)


def _series(fact: Fact) -> tuple[Any, ...]:
    """What keeps one series apart from another of the same type: parties or route, flow."""
    attributes = fact.attributes
    route = getattr(attributes, "route", None) if fact.type in ROUTE_KEYED else None
    names = () if fact.type in ROUTE_KEYED else tuple(fact.parties)
    flow = getattr(attributes, "flow", None)
    exporter = getattr(attributes, "exporter", None) if flow in {"export", "import"} else None
    importer = getattr(attributes, "importer", None) if flow in {"export", "import"} else None
    return (names, route, flow, exporter, importer)


def timeline(
    report: Report,
    *,
    fact_type: str = "trade_turnover",
    parties: set[str] | None = None,
    scope: str | None = None,
    modality: Modality = "actual",
    tolerance: float = 0.05,
) -> list[Point]:
    """Facts of one type merged across documents into a series ordered by period.

    ``parties`` keeps one pair; it is not applied to route-keyed types (cargo), whose series
    are keyed by route. Export and import flows make series of their own, apart from turnover.
    A partial (year-to-date) figure is a point of its own beside the full period's figure:
    the two are never merged, so they never conflict.
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
        if parties and fact.type not in ROUTE_KEYED and set(fact.parties) != parties:
            continue
        if scope and _scope(fact) != scope:
            continue
        key = (*_series(fact), period.start, period.end, period.partial, _scope(fact), value.unit)
        groups.setdefault(key, []).append((fact, value))
    points = []
    for key, members in sorted(groups.items(), key=_order):
        names, route, flow, exporter, importer, start, end, partial, fact_scope, unit = key
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
                route=route,
                flow=flow,
                exporter=exporter,
                importer=importer,
                period_start=start,
                period_end=end,
                partial=partial,
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
    names, route, flow, exporter, importer, start, end, partial, fact_scope, unit = item[0]
    series = (names, route or "", flow or "", exporter or "", importer or "")
    return (start, end, partial, series, fact_scope or "", unit)
