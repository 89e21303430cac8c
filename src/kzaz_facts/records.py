"""The JSON contract: pydantic models for documents, facts, entities and the report.

Field names here are a public interface (``kzaz schema`` exports them); change them only
with a new ``SCHEMA_VERSION``. Offsets are half-open character offsets into the decoded
file text, so ``text[start:end]`` is always the quoted string.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

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
Resolution = Literal["explicit", "relative", "inferred", "unresolved"]
DateSource = Literal["header", "dateline", "content", "none"]
DatePrecision = Literal["day", "month", "year"]
Span = tuple[int, int]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Document(Record):
    """One input file split into header and body. ``text`` is the decoded file text."""

    doc_id: str
    path: str
    title: str | None = None
    date: dt.date | None = None
    date_source: DateSource = "none"
    date_precision: DatePrecision | None = None
    byline: str | None = None
    dateline: str | None = None
    body_start: int
    body_end: int
    encoding: str = "utf-8"
    content_hash: str = ""
    # The decoded file text: kept for processing, never written to JSON (a report read back
    # from JSON has it empty).
    text: str = Field(default="", exclude=True, repr=False)

    @property
    def body(self) -> str:
        return self.text[self.body_start : self.body_end]


class Original(Record):
    """The figure as the text gave it, when the sentence also gave a conversion."""

    amount: Number
    unit: str


class Value(Record):
    amount: Number
    unit: str
    approximate: bool = False
    qualifier: str | None = None
    low: Number | None = None
    high: Number | None = None
    original: Original | None = None
    # The text gave a scale but no currency ("the half-billion mark"); the unit was taken
    # from the kind of fact (trade and investment figures are in US dollars).
    unit_inferred: bool = False
    text: str
    span: Span


class Change(Record):
    """A relative change: ``percent`` (negative for a fall) or ``multiplier`` ("tripled" = 3)."""

    percent: Number | None = None
    multiplier: Number | None = None
    low: Number | None = None
    high: Number | None = None
    approximate: bool = False
    text: str
    span: Span


class Period(Record):
    start: dt.date | None = None
    end: dt.date | None = None
    text: str
    resolved: Resolution
    span: Span


class Evidence(Record):
    start: int
    end: int
    text: str
    sentence: str
    sentence_start: int
    sentence_end: int


class QuantityAttributes(Record):
    target_kind: Literal["level", "increase"] | None = None
    horizon: str | None = None


class TradeAttributes(QuantityAttributes):
    scope: str = "total"
    flow: Literal["turnover", "export", "import"] = "turnover"
    exporter: str | None = None
    importer: str | None = None


class TouristAttributes(QuantityAttributes):
    origin: str | None = None
    destination: str | None = None


class CargoAttributes(QuantityAttributes):
    route: str | None = None


class InvestmentAttributes(QuantityAttributes):
    source: str | None = None
    recipient: str | None = None


class YearSpan(Record):
    start_year: int
    end_year: int
    text: str


class AgreementAttributes(Record):
    name: str
    action: str
    place: str | None = None
    covers: YearSpan | None = None


class FactBase(Record):
    id: str
    doc_id: str
    # The SHA-256 of the document's bytes: facts of two copies of one file share it.
    content_hash: str = ""
    modality: Modality = "actual"
    value: Value | None = None
    change: Change | None = None
    period: Period | None = None
    parties: list[str] = Field(default_factory=list)
    speaker: str | None = None
    evidence: Evidence


class TradeFact(FactBase):
    type: Literal["trade_turnover"] = "trade_turnover"
    attributes: TradeAttributes


class TouristFact(FactBase):
    type: Literal["tourist_flow"] = "tourist_flow"
    attributes: TouristAttributes


class CargoFact(FactBase):
    type: Literal["cargo_volume"] = "cargo_volume"
    attributes: CargoAttributes


class InvestmentFact(FactBase):
    type: Literal["investment"] = "investment"
    attributes: InvestmentAttributes


class AgreementFact(FactBase):
    type: Literal["agreement"] = "agreement"
    attributes: AgreementAttributes


Fact = Annotated[
    TradeFact | TouristFact | CargoFact | InvestmentFact | AgreementFact,
    Field(discriminator="type"),
]

EntityLabel = Literal["PERSON", "PORT", "ROUTE", "ORG", "GPE", "NORP", "MONEY", "QUANTITY"]


class Entity(Record):
    doc_id: str
    label: EntityLabel
    text: str
    canonical: str
    start: int
    end: int
    attrs: dict[str, str | Number | bool | None] = Field(default_factory=dict)


class ErrorRecord(Record):
    path: str
    kind: str
    message: str


class Report(Record):
    schema_version: str = SCHEMA_VERSION
    documents: list[Document] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    errors: list[ErrorRecord] = Field(default_factory=list)
