"""The gold annotation format of ``tests/devset/FORMAT.md``: one checked record per line.

Everything here is pure except ``read_gold``, which only reads the file it is given.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from kzaz_facts.errors import DataError

# -- the gold format -----------------------------------------------------------------------

Month = Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
Figure = float | tuple[float, float]


class GoldModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GoldPeriod(GoldModel):
    start: Month
    end: Month


class GoldRow(GoldModel):
    doc: Annotated[str, Field(min_length=1)]
    optional: bool = False


class GoldDocument(GoldRow):
    type: Literal["document"]
    date: dt.date | None
    title: str | None = None
    byline: str | None = None
    dateline: str | None = None


class GoldPerson(GoldRow):
    type: Literal["person"]
    name: str
    role: str | None = None
    country: str | None = None


class GoldPort(GoldRow):
    type: Literal["port"]
    name: str


class GoldRoute(GoldRow):
    type: Literal["route"]
    name: str


class GoldMoney(GoldRow):
    type: Literal["money"]
    amount_usd: float
    text: str | None = None


class GoldQuantity(GoldRow):
    """A figure: an amount, or a lone change ("tripled in the first quarter")."""

    quote: str
    period: GoldPeriod | None = None
    change_pct: Figure | None = None
    change_multiplier: Figure | None = None

    @property
    def amount(self) -> float | None:
        raise NotImplementedError

    @model_validator(mode="after")
    def _amount_or_change(self) -> GoldQuantity:
        if self.amount is None and self.change_pct is None and self.change_multiplier is None:
            raise ValueError("a fact without an amount needs change_pct or change_multiplier")
        return self


class GoldTrade(GoldQuantity):
    type: Literal["trade_turnover"]
    amount_usd: float | None
    scope: str = "total"
    approximate: bool = False

    @property
    def amount(self) -> float | None:
        return self.amount_usd


class GoldTarget(GoldQuantity):
    type: Literal["trade_target"]
    amount_usd: float | None
    kind: Literal["level", "multiplier", "percent"] | None = None
    year: int | None = None
    horizon: str | None = None

    @property
    def amount(self) -> float | None:
        return self.amount_usd


class GoldTourists(GoldQuantity):
    type: Literal["tourist_flow"]
    count: float | None
    origin: str | None = None
    destination: str | None = None
    approximate: bool = False

    @property
    def amount(self) -> float | None:
        return self.count


class GoldCargo(GoldQuantity):
    type: Literal["cargo_volume"]
    tons: float | None
    route: str | None = None
    modality: Literal["actual", "target"] = "actual"

    @property
    def amount(self) -> float | None:
        return self.tons


class GoldInvestment(GoldQuantity):
    type: Literal["investment"]
    amount_usd: float | None
    recipient: str | None = None

    @property
    def amount(self) -> float | None:
        return self.amount_usd


class GoldAgreement(GoldRow):
    type: Literal["agreement"]
    name: str
    quote: str
    signed: Annotated[str, Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")] | None = None
    place: str | None = None
    covers: str | None = None


GoldFact: TypeAlias = (
    GoldTrade | GoldTarget | GoldTourists | GoldCargo | GoldInvestment | GoldAgreement
)
GoldEntity: TypeAlias = GoldPerson | GoldPort | GoldRoute | GoldMoney
GoldRecord: TypeAlias = Annotated[
    GoldDocument
    | GoldPerson
    | GoldPort
    | GoldRoute
    | GoldMoney
    | GoldTrade
    | GoldTarget
    | GoldTourists
    | GoldCargo
    | GoldInvestment
    | GoldAgreement,
    Field(discriminator="type"),
]
_GOLD = TypeAdapter(GoldRecord)

FACT_TYPES = (
    "trade_turnover",
    "trade_target",
    "tourist_flow",
    "cargo_volume",
    "investment",
    "agreement",
)
ENTITY_LABELS = {"person": "PERSON", "port": "PORT", "route": "ROUTE", "money": "MONEY"}
UNITS = {
    "trade_turnover": "USD",
    "trade_target": "USD",
    "tourist_flow": "people",
    "cargo_volume": "t",
    "investment": "USD",
}


def parse_gold(text: str, source: str) -> list[GoldRecord]:
    """Every line of a gold file as a checked record; a bad line names ``source`` and line.

    >>> rows = parse_gold('{"doc": "a", "type": "route", "name": "Middle Corridor"}', "g")
    >>> rows[0].name
    'Middle Corridor'
    >>> parse_gold('{"doc": "a", "type": "route"}', "gold.jsonl")
    Traceback (most recent call last):
    kzaz_facts.errors.DataError: gold.jsonl:1: route.name: Field required
    """
    rows: list[GoldRecord] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append(_GOLD.validate_json(line))
        except ValidationError as error:
            detail = error.errors()[0]
            where = ".".join(str(part) for part in detail["loc"]) or "row"
            message = detail["msg"].removeprefix("Value error, ")
            raise DataError(f"{source}:{number}: {where}: {message}") from error
    if not rows:
        raise DataError(f"{source}: no gold records")
    return rows


def read_gold(path: Path) -> list[GoldRecord]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DataError(f"{path}: cannot read the gold file ({error})") from error
    return parse_gold(text, str(path))
