"""The JSON contract: pydantic models for documents, facts, entities and the report.

Field names here are a public interface (``kzaz schema`` exports them); change them only
with a new ``SCHEMA_VERSION``. Offsets are half-open character offsets into the decoded
file text, so ``text[start:end]`` is always the quoted string. Each field's docstring is its
description in the exported schema.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from kzaz_facts.field_docs import describe_fields

SCHEMA_VERSION = "1.1"

# Amounts stay integers when they are whole ("$465 million" -> 465000000), so JSON consumers
# never see 465000000.0; fractional values ("2.4 times") are floats.
Number = int | float

FactType = Literal["trade_turnover", "tourist_flow", "cargo_volume", "investment", "agreement"]
FACT_TYPES: tuple[FactType, ...] = (
    "trade_turnover",
    "tourist_flow",
    "cargo_volume",
    "investment",
    "agreement",
)
Modality = Literal["actual", "target"]
MODALITIES: tuple[Modality, ...] = ("actual", "target")
Resolution = Literal["explicit", "relative", "inferred", "unresolved"]
DateSource = Literal["header", "dateline", "content", "none"]
DatePrecision = Literal["day", "month", "year"]
# Why an input gave no document: every kind the loader and the engine report.
ErrorKind = Literal[
    "not_found",
    "unreadable",
    "not_regular_file",
    "too_large",
    "empty",
    "binary",
    "undecodable",
    "no_input",
    "duplicate",
    "link_outside",
    "worker_died",
    "internal",
    "bad_date",
    "timeout",
]
Span = tuple[int, int]


class Record(BaseModel):
    # Every field is always written (none is left out for being a default), so the schema
    # of the output lists every field as required. Validators are built on first use
    # (defer_build): a JSON run never builds the report's, --help none.
    model_config = ConfigDict(
        extra="forbid", frozen=True, json_schema_serialization_defaults_required=True,
        defer_build=True,
    )

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        describe_fields(cls)  # each field's docstring is its description


class Document(Record):
    """One input file split into header and body. ``text`` is the decoded file text."""

    doc_id: str
    """The file stem ("stdin" for standard input); the path without its extension when two
    inputs share a file name."""
    path: str
    """The path as found ("-" for standard input)."""
    title: str | None = None
    """The title from the header, or null."""
    date: dt.date | None = None
    """The document's date (YYYY-MM-DD), or null."""
    date_source: DateSource = "none"
    """Where the date came from: the header, the dateline, guessed from years in the content,
    or none."""
    date_precision: DatePrecision | None = None
    """How precise the date is; null without a date."""
    byline: str | None = None
    """The byline from the header, or null."""
    dateline: str | None = None
    """The dateline opening the body ("BAKU, Azerbaijan, March 2"), or null."""
    body_start: int
    """Offset of the body's first character in the file text."""
    body_end: int
    """Offset just past the body's last character in the file text."""
    encoding: str = "utf-8"
    """The codec that decoded the file; decoding with it gives the text the offsets index."""
    content_hash: str = ""
    """SHA-256 of the file's bytes (hex)."""
    # Kept for processing, never written to JSON (a report read back from JSON has it empty).
    text: str = Field(default="", exclude=True, repr=False)
    """The decoded file text (not written to JSON)."""
    warnings: tuple[tuple[ErrorKind, str], ...] = Field(default=(), exclude=True, repr=False)
    """Problems found while reading it (a header date that is no date), reported in the
    report's ``errors`` (not written with the document)."""

    @property
    def body(self) -> str:
        return self.text[self.body_start : self.body_end]


class Original(Record):
    """The figure as the text gave it, when the sentence also gave a conversion."""

    amount: Number
    """The figure the text gave first, in ``unit``."""
    unit: str
    """Its unit (an ISO 4217 code)."""


class Value(Record):
    """The figure a fact states."""

    amount: Number
    """A plain number in ``unit``; the midpoint for a range."""
    unit: str
    """An ISO 4217 code (USD, AZN, KZT, ...), "t" (tonnes), "TEU" or "people"."""
    approximate: bool = False
    """True for a qualified figure ("almost", "over", "about") or a range."""
    qualifier: str | None = None
    """The qualifying word ("almost", "over", ...), or null."""
    low: Number | None = None
    """Lower bound of a range, or null."""
    high: Number | None = None
    """Upper bound of a range, or null."""
    original: Original | None = None
    """The figure as the text gave it when the sentence also gave its dollar equivalent."""
    # The text gave a scale but no currency ("the half-billion mark"); the unit was taken
    # from the kind of fact (trade and investment figures are in US dollars).
    unit_inferred: bool = False
    """True when the text gave no currency and the unit was taken from the kind of fact."""
    text: str
    """The figure as written."""
    span: Span
    """Half-open offsets of ``text`` in the file text."""


class Change(Record):
    """A relative change: ``percent`` (negative for a fall) or ``multiplier`` ("tripled" = 3)."""

    percent: Number | None = None
    """Signed percentage change (a fall is negative), or null."""
    multiplier: Number | None = None
    """Growth factor ("tripled" = 3, "increased 2.4 times" = 2.4), or null."""
    low: Number | None = None
    """Lower bound of a range of changes, or null."""
    high: Number | None = None
    """Upper bound of a range of changes, or null."""
    approximate: bool = False
    """True for a qualified change or a range."""
    text: str
    """The change as written."""
    span: Span
    """Half-open offsets of ``text`` in the file text."""


class Period(Record):
    """The calendar range a figure refers to."""

    start: dt.date | None = None
    """First day of the period (inclusive), or null when unresolved."""
    end: dt.date | None = None
    """Last day of the period (inclusive), or null when unresolved."""
    text: str
    """The period as written."""
    resolved: Resolution
    """How the dates were found: named in the text (explicit), against the document date
    (relative), against a date guessed from the content (inferred), or not (unresolved)."""
    partial: bool = False
    """True for a year-to-date figure ("so far this year", "since the beginning of the year",
    or "this year" for a figure already reached): it covers the year only up to the document
    date, where ``end`` then stops; when only the document's year is known, start and end are
    that whole year and the figure covers only its first part."""
    span: Span
    """Half-open offsets of ``text`` in the file text."""


class Evidence(Record):
    """The exact text that states a fact, with its sentence."""

    start: int
    """Offset of the evidence's first character in the file text."""
    end: int
    """Offset just past the evidence's last character in the file text."""
    text: str
    """The evidence: the file text from ``start`` to ``end``."""
    sentence: str
    """The sentence holding the evidence."""
    sentence_start: int
    """Offset of the sentence in the file text."""
    sentence_end: int
    """Offset just past the sentence in the file text."""


class QuantityAttributes(Record):
    """Attributes shared by the facts that carry a figure."""

    target_kind: Literal["level", "increase"] | None = None
    """For a target: a level to reach or an increase to add; null for actual figures."""
    horizon: str | None = None
    """For a target: its period as written ("by 2026"), or null."""


class TradeAttributes(QuantityAttributes):
    """Attributes of a trade_turnover fact."""

    scope: str = "total"
    """What is traded: total, agriculture, energy, non-oil, ..."""
    flow: Literal["turnover", "export", "import"] = "turnover"
    """Both directions (turnover), or one (export, import)."""
    exporter: str | None = None
    """The exporting party of an export or import flow, or null."""
    importer: str | None = None
    """The importing party of an export or import flow, or null."""


class TouristAttributes(QuantityAttributes):
    """Attributes of a tourist_flow fact."""

    origin: str | None = None
    """Where the tourists come from, or null."""
    destination: str | None = None
    """Where the tourists go, or null."""


class CargoAttributes(QuantityAttributes):
    """Attributes of a cargo_volume fact."""

    route: str | None = None
    """The canonical route the cargo moves on ("Middle Corridor"), or null."""


class InvestmentAttributes(QuantityAttributes):
    """Attributes of an investment fact."""

    source: str | None = None
    """Who invests, or null."""
    recipient: str | None = None
    """Where the investment goes, or null."""


class YearSpan(Record):
    """The years an agreement covers ("for 2022-2026")."""

    start_year: int
    """First year covered."""
    end_year: int
    """Last year covered."""
    text: str
    """The span as written."""


class AgreementAttributes(Record):
    """Attributes of an agreement fact."""

    name: str
    """The agreement's name as written."""
    action: str
    """What was done with it: signed, adopted, ratified; mentioned (named, no action)."""
    kind: str | None = None
    """The kind of document: agreement, memorandum, roadmap, declaration, program, ..."""
    signatories: list[str] = []
    """The parties after the name: "(a memorandum) was signed between A and B" gives A, B."""
    place: str | None = None
    """Where it was signed, or null."""
    covers: YearSpan | None = None
    """The years it covers, or null."""


class FactBase(Record):
    """Fields shared by every fact type."""

    id: str
    """Stable across runs: a hash of doc_id, type and the evidence offsets."""
    doc_id: str
    """The document stating the fact."""
    content_hash: str = ""
    """The document's content_hash: facts of two copies of one file share it."""
    modality: Modality = "actual"
    """An actual figure, or a target (a goal, plan or potential)."""
    value: Value | None = None
    """The figure, or null (a change alone, an agreement)."""
    change: Change | None = None
    """A relative change stated with the figure, or null."""
    period: Period | None = None
    """The period the figure refers to (for agreements, when signed or adopted), or null."""
    parties: list[str] = Field(default_factory=list)
    """Canonical countries or groups the figure belongs to, sorted."""
    speaker: str | None = None
    """Canonical name of the person the text attributes the fact to, or null."""
    evidence: Evidence
    """The text that states the fact."""


class TradeFact(FactBase):
    """Trade turnover, exports or imports between parties."""

    type: Literal["trade_turnover"] = "trade_turnover"
    """The fact type."""
    attributes: TradeAttributes
    """Type-specific attributes."""


class TouristFact(FactBase):
    """A number of tourists travelling between parties."""

    type: Literal["tourist_flow"] = "tourist_flow"
    """The fact type."""
    attributes: TouristAttributes
    """Type-specific attributes."""


class CargoFact(FactBase):
    """A cargo volume (tonnes, TEU) on a route or through a port."""

    type: Literal["cargo_volume"] = "cargo_volume"
    """The fact type."""
    attributes: CargoAttributes
    """Type-specific attributes."""


class InvestmentFact(FactBase):
    """An investment between parties."""

    type: Literal["investment"] = "investment"
    """The fact type."""
    attributes: InvestmentAttributes
    """Type-specific attributes."""


class AgreementFact(FactBase):
    """An agreement signed, adopted or ratified."""

    type: Literal["agreement"] = "agreement"
    """The fact type."""
    attributes: AgreementAttributes
    """Type-specific attributes."""


Fact = Annotated[
    TradeFact | TouristFact | CargoFact | InvestmentFact | AgreementFact,
    Field(discriminator="type"),
]

EntityLabel = Literal["PERSON", "PORT", "ROUTE", "ORG", "GPE", "NORP", "MONEY", "QUANTITY"]


class Entity(Record):
    """One mention of a named entity or an amount."""

    doc_id: str
    """The document of the mention."""
    label: EntityLabel
    """What kind of mention this is (NORP: a demonym, whose canonical is the country)."""
    text: str
    """The mention as written."""
    canonical: str
    """The canonical name, shared by all aliases of one entity."""
    start: int
    """Offset of the mention in the file text."""
    end: int
    """Offset just past the mention in the file text."""
    attrs: dict[str, str | Number | bool | None] = Field(default_factory=dict)
    """role and country for people, kind for places; amount, currency or unit and
    approximate for amounts."""


class ErrorRecord(Record):
    """An input that gave no document, or a warning about one that did (``bad_date``)."""

    path: str
    """The path as given or found."""
    kind: ErrorKind
    """Why: empty and no_input are skips, bad_date a warning (the document is read, its
    header date ignored); the other kinds are failures."""
    message: str
    """What went wrong, for a person to read."""


class Report(Record):
    """The output of ``kzaz extract --format json``."""

    schema_version: str = SCHEMA_VERSION
    """The version of this schema."""
    documents: list[Document] = Field(default_factory=list)
    """Every input read as a document, in input order."""
    facts: list[Fact] = Field(default_factory=list)
    """Every fact, by document in input order, then by evidence offset."""
    entities: list[Entity] = Field(default_factory=list)
    """Every entity mention, by document in input order."""
    errors: list[ErrorRecord] = Field(default_factory=list)
    """Every input that gave no document, and every warning, in input order."""
