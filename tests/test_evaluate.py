"""Scoring against gold annotations: one table row per matching rule, then the dev set.

Each row gives gold records and predictions and the exact counts expected at both levels,
so a row fails when a rule is loosened or tightened.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kzaz_facts.cli import app
from kzaz_facts.errors import DataError
from kzaz_facts.eval_results import Evaluation
from kzaz_facts.evaluate import evaluate
from kzaz_facts.gold import GoldRecord, parse_gold
from kzaz_facts.records import (
    AgreementAttributes,
    AgreementFact,
    CargoAttributes,
    CargoFact,
    Change,
    Document,
    Entity,
    Evidence,
    Fact,
    InvestmentAttributes,
    InvestmentFact,
    Period,
    Report,
    TouristAttributes,
    TouristFact,
    TradeAttributes,
    TradeFact,
    Value,
)

DEVSET = Path(__file__).resolve().parent / "devset"
DOC = "d"
PAIR = ["Azerbaijan", "Kazakhstan"]
UNITS = {
    "trade_turnover": "USD",
    "investment": "USD",
    "cargo_volume": "t",
    "tourist_flow": "people",
}

runner = CliRunner()


# -- builders ------------------------------------------------------------------------------


def gold(*rows: dict[str, Any]) -> list[GoldRecord]:
    facts = {"trade_turnover", "trade_target", "tourist_flow", "cargo_volume", "investment"}
    quoted = facts | {"agreement"}
    lines = [
        json.dumps({"doc": DOC, **({"quote": "q"} if row["type"] in quoted else {}), **row})
        for row in rows
    ]
    return parse_gold("\n".join(lines), "gold.jsonl")


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def fact(
    kind: str = "trade_turnover",
    amount: float | None = None,
    *,
    unit: str | None = None,
    percent: float | None = None,
    multiplier: float | None = None,
    low: float | None = None,
    high: float | None = None,
    period: tuple[str, str] | None = None,
    modality: str = "actual",
    parties: list[str] = PAIR,
    flow: str = "turnover",
    name: str = "",
    doc: str = DOC,
) -> Fact:
    """A prediction with only what the evaluation reads filled in."""
    span = (0, 1)
    value = None
    if amount is not None:
        value = Value(amount=amount, unit=unit or UNITS[kind], text="x", span=span)
    change = None
    if percent is not None or multiplier is not None or low is not None:
        change = Change(
            percent=percent, multiplier=multiplier, low=low, high=high, text="x", span=span
        )
    when = None
    if period is not None:
        when = Period(
            start=day(period[0]), end=day(period[1]), text="x", resolved="explicit", span=span
        )
    evidence = Evidence(start=0, end=1, text="x", sentence="x", sentence_start=0, sentence_end=1)
    common: dict[str, Any] = {
        "id": f"{kind}-{amount}-{percent}-{name}",
        "doc_id": doc,
        "modality": modality,
        "value": value,
        "change": change,
        "period": when,
        "parties": parties,
        "evidence": evidence,
    }
    if kind == "trade_turnover":
        return TradeFact(**common, attributes=TradeAttributes(flow=flow))  # type: ignore[arg-type]
    if kind == "cargo_volume":
        return CargoFact(**common, attributes=CargoAttributes())
    if kind == "tourist_flow":
        return TouristFact(**common, attributes=TouristAttributes())
    if kind == "investment":
        return InvestmentFact(**common, attributes=InvestmentAttributes())
    return AgreementFact(**common, attributes=AgreementAttributes(name=name, action="signed"))


def document(doc: str = DOC, date: str | None = None, source: str = "none") -> Document:
    return Document(
        doc_id=doc,
        path=f"{doc}.txt",
        date=day(date) if date else None,
        date_source=source,  # type: ignore[arg-type]
        body_start=0,
        body_end=1,
    )


def report(*facts: Fact, entities: tuple[Entity, ...] = ()) -> Report:
    return Report(documents=[document()], facts=list(facts), entities=list(entities))


def counts(evaluation: Evaluation, kind: str) -> dict[str, tuple[int, ...]]:
    """(tp, fp, fn, duplicates, optional_matched, out_of_scope) per level for one type."""
    return {
        level: (s.tp, s.fp, s.fn, s.duplicates, s.optional_matched, s.out_of_scope)
        for level, s in (
            ("core", evaluation.core.per_type[kind]),
            ("full", evaluation.full.per_type[kind]),
        )
    }


TRADE_2022 = {
    "type": "trade_turnover",
    "amount_usd": 100_000_000,
    "period": {"start": "2022-01", "end": "2022-12"},
}
YEAR_2022 = ("2022-01-01", "2022-12-31")

# (id, gold rows, predictions, gold type, {level: (tp, fp, fn, dup, optional, out_of_scope)})
CASES: list[tuple[str, list[dict[str, Any]], list[Fact], str, dict[str, tuple[int, ...]]]] = [
    # amounts: within 2%
    (
        "amount within 2%",
        [TRADE_2022],
        [fact(amount=101_900_000, period=YEAR_2022)],
        "trade_turnover",
        {"core": (1, 0, 0, 0, 0, 0), "full": (1, 0, 0, 0, 0, 0)},
    ),
    (
        "amount beyond 2%",
        [TRADE_2022],
        [fact(amount=102_100_000, period=YEAR_2022)],
        "trade_turnover",
        {"core": (0, 1, 1, 0, 0, 0), "full": (0, 1, 1, 0, 0, 0)},
    ),
    (
        "TEU are not tons",
        [{"type": "cargo_volume", "tons": 80000}],
        [fact("cargo_volume", 80000, unit="TEU")],
        "cargo_volume",
        {"core": (0, 1, 1, 0, 0, 0), "full": (0, 1, 1, 0, 0, 0)},
    ),
    # lone changes
    (
        "lone change: no amount, same change",
        [{"type": "trade_turnover", "amount_usd": None, "change_pct": 65.6}],
        [fact(percent=65.6)],
        "trade_turnover",
        {"core": (1, 0, 0, 0, 0, 0), "full": (1, 0, 0, 0, 0, 0)},
    ),
    (
        "lone change: another change",
        [{"type": "trade_turnover", "amount_usd": None, "change_pct": 65.6}],
        [fact(percent=67.0)],
        "trade_turnover",
        {"core": (0, 1, 1, 0, 0, 0), "full": (0, 1, 1, 0, 0, 0)},
    ),
    (
        "lone change: a prediction with an amount is not one",
        [{"type": "trade_turnover", "amount_usd": None, "change_multiplier": 3.1}],
        [fact(amount=194_100_000, multiplier=3.1)],
        "trade_turnover",
        {"core": (0, 1, 1, 0, 0, 0), "full": (0, 1, 1, 0, 0, 0)},
    ),
    (
        "lone multiplier is not a percent",
        [{"type": "trade_turnover", "amount_usd": None, "change_multiplier": 3}],
        [fact(percent=200)],
        "trade_turnover",
        {"core": (0, 1, 1, 0, 0, 0), "full": (0, 1, 1, 0, 0, 0)},
    ),
    # optional records
    (
        "optional matched: neither hit nor false positive",
        [{"type": "investment", "amount_usd": 300_000_000, "optional": True}],
        [fact("investment", 300_000_000)],
        "investment",
        {"core": (0, 0, 0, 0, 1, 0), "full": (0, 0, 0, 0, 1, 0)},
    ),
    (
        "optional not found: not a miss",
        [{"type": "cargo_volume", "tons": 1500, "optional": True}],
        [],
        "cargo_volume",
        {"core": (0, 0, 0, 0, 0, 0), "full": (0, 0, 0, 0, 0, 0)},
    ),
    (
        "a prediction prefers the required record",
        [
            {"type": "cargo_volume", "tons": 1_500_000, "optional": True},
            {"type": "cargo_volume", "tons": 1_500_000},
        ],
        [fact("cargo_volume", 1_500_000)],
        "cargo_volume",
        {"core": (1, 0, 0, 0, 0, 0), "full": (1, 0, 0, 0, 0, 0)},
    ),
    # out of scope: other pairs, groups, one-way flows
    (
        "another pair is out of scope",
        [TRADE_2022],
        [fact(amount=5_100_000_000, parties=["Azerbaijan", "Türkiye"])],
        "trade_turnover",
        {"core": (0, 0, 1, 0, 0, 1), "full": (0, 0, 1, 0, 0, 1)},
    ),
    (
        "a one-way export is out of scope even with the right amount",
        [TRADE_2022],
        [fact(amount=100_000_000, period=YEAR_2022, flow="export")],
        "trade_turnover",
        {"core": (0, 0, 1, 0, 0, 1), "full": (0, 0, 1, 0, 0, 1)},
    ),
    (
        "a regional total is out of scope",
        [],
        [fact(amount=900_000_000, parties=["Azerbaijan", "Central Asia"])],
        "trade_turnover",
        {"core": (0, 0, 0, 0, 0, 1), "full": (0, 0, 0, 0, 0, 1)},
    ),
    (
        "out of scope is for trade only: tourists of a group are false positives",
        [],
        [fact("tourist_flow", 10744, parties=["Azerbaijan", "Central Asia"])],
        "tourist_flow",
        {"core": (0, 1, 0, 0, 0, 0), "full": (0, 1, 0, 0, 0, 0)},
    ),
    # duplicates
    (
        "a second match is a duplicate, not a false positive",
        [TRADE_2022],
        [fact(amount=100_000_000, period=YEAR_2022), fact(amount=100_500_000, period=YEAR_2022)],
        "trade_turnover",
        {"core": (1, 0, 0, 1, 0, 0), "full": (1, 0, 0, 1, 0, 0)},
    ),
    (
        "a duplicate with the wrong period is a false positive at full level",
        [TRADE_2022],
        [fact(amount=100_000_000, period=YEAR_2022), fact(amount=100_000_000)],
        "trade_turnover",
        {"core": (1, 0, 0, 1, 0, 0), "full": (1, 1, 0, 0, 0, 0)},
    ),
    # targets and modality
    (
        "a target is a trade fact whose modality is target",
        [{"type": "trade_target", "amount_usd": 1_000_000_000}],
        [fact(amount=1_000_000_000, modality="target")],
        "trade_target",
        {"core": (1, 0, 0, 0, 0, 0), "full": (1, 0, 0, 0, 0, 0)},
    ),
    (
        "an actual figure does not answer a target",
        [{"type": "trade_target", "amount_usd": 1_000_000_000}],
        [fact(amount=1_000_000_000)],
        "trade_target",
        {"core": (0, 0, 1, 0, 0, 0), "full": (0, 0, 1, 0, 0, 0)},
    ),
    (
        "cargo modality is part of its type",
        [{"type": "cargo_volume", "tons": 7_000_000, "modality": "target"}],
        [fact("cargo_volume", 7_000_000)],
        "cargo_volume",
        {"core": (0, 1, 1, 0, 0, 0), "full": (0, 1, 1, 0, 0, 0)},
    ),
    # periods compare as months
    (
        "period: same months, day ends ignored",
        [{**TRADE_2022, "period": {"start": "2018-01", "end": "2018-09"}}],
        [fact(amount=100_000_000, period=("2018-01-01", "2018-09-30"))],
        "trade_turnover",
        {"core": (1, 0, 0, 0, 0, 0), "full": (1, 0, 0, 0, 0, 0)},
    ),
    (
        "period: another end month fails full only",
        [{**TRADE_2022, "period": {"start": "2018-01", "end": "2018-09"}}],
        [fact(amount=100_000_000, period=("2018-01-01", "2018-12-31"))],
        "trade_turnover",
        {"core": (1, 0, 0, 0, 0, 0), "full": (0, 1, 1, 0, 0, 0)},
    ),
    (
        "period: none predicted where the gold gives one",
        [TRADE_2022],
        [fact(amount=100_000_000)],
        "trade_turnover",
        {"core": (1, 0, 0, 0, 0, 0), "full": (0, 1, 1, 0, 0, 0)},
    ),
    (
        "period: a gold period of null accepts any",
        [{"type": "trade_turnover", "amount_usd": 500_000_000, "period": None}],
        [fact(amount=500_000_000, period=("2020-01-01", "2020-12-31"))],
        "trade_turnover",
        {"core": (1, 0, 0, 0, 0, 0), "full": (1, 0, 0, 0, 0, 0)},
    ),
    (
        "greedy: each prediction finds the record whose period it has",
        [
            {
                "type": "cargo_volume",
                "tons": 1000,
                "period": {"start": "2019-01", "end": "2019-12"},
            },
            {
                "type": "cargo_volume",
                "tons": 1000,
                "period": {"start": "2018-01", "end": "2018-12"},
            },
        ],
        [
            fact("cargo_volume", 1000, period=("2018-01-01", "2018-12-31")),
            fact("cargo_volume", 1000, period=("2019-01-01", "2019-12-31")),
        ],
        "cargo_volume",
        {"core": (2, 0, 0, 0, 0, 0), "full": (2, 0, 0, 0, 0, 0)},
    ),
    # changes: within 1%, a range's ends or its midpoint
    (
        "change within 1%",
        [{**TRADE_2022, "change_pct": 40}],
        [fact(amount=100_000_000, period=YEAR_2022, percent=40.3)],
        "trade_turnover",
        {"core": (1, 0, 0, 0, 0, 0), "full": (1, 0, 0, 0, 0, 0)},
    ),
    (
        "change beyond 1% fails full only",
        [{**TRADE_2022, "change_pct": 40}],
        [fact(amount=100_000_000, period=YEAR_2022, percent=40.5)],
        "trade_turnover",
        {"core": (1, 0, 0, 0, 0, 0), "full": (0, 1, 1, 0, 0, 0)},
    ),
    (
        "change missing where the gold gives one",
        [{**TRADE_2022, "change_multiplier": 2.5}],
        [fact(amount=100_000_000, period=YEAR_2022)],
        "trade_turnover",
        {"core": (1, 0, 0, 0, 0, 0), "full": (0, 1, 1, 0, 0, 0)},
    ),
    (
        "change range: the same ends",
        [{"type": "trade_target", "amount_usd": None, "change_pct": [85, 90]}],
        [fact(modality="target", percent=87.5, low=85, high=90)],
        "trade_target",
        {"core": (1, 0, 0, 0, 0, 0), "full": (1, 0, 0, 0, 0, 0)},
    ),
    (
        "change range: its midpoint",
        [{"type": "trade_target", "amount_usd": None, "change_pct": [85, 90]}],
        [fact(modality="target", percent=87.5)],
        "trade_target",
        {"core": (1, 0, 0, 0, 0, 0), "full": (1, 0, 0, 0, 0, 0)},
    ),
    (
        "change range: one end is not the range",
        [{"type": "trade_target", "amount_usd": None, "change_pct": [85, 90]}],
        [fact(modality="target", percent=90)],
        "trade_target",
        {"core": (0, 1, 1, 0, 0, 0), "full": (0, 1, 1, 0, 0, 0)},
    ),
    (
        "change: a predicted range's midpoint answers a gold figure",
        [{**TRADE_2022, "change_pct": 13.5}],
        [fact(amount=100_000_000, period=YEAR_2022, percent=None, low=12, high=15)],
        "trade_turnover",
        {"core": (1, 0, 0, 0, 0, 0), "full": (1, 0, 0, 0, 0, 0)},
    ),
    # agreements: name overlap and signing date
    (
        "agreement: word overlap of 0.6",
        [{"type": "agreement", "name": "Agreement on Strategic Partnership and Allied Relations"}],
        [fact("agreement", name="Strategic Partnership Agreement")],
        "agreement",
        {"core": (1, 0, 0, 0, 0, 0), "full": (1, 0, 0, 0, 0, 0)},
    ),
    (
        "agreement: word overlap of 0.4",
        [{"type": "agreement", "name": "Agreement on Strategic Partnership and Allied Relations"}],
        [fact("agreement", name="the Strategic Partnership")],
        "agreement",
        {"core": (0, 1, 1, 0, 0, 0), "full": (0, 1, 1, 0, 0, 0)},
    ),
    (
        "agreement: stop words do not count",
        [{"type": "agreement", "name": "roadmap"}],
        [fact("agreement", name="the roadmap of the and for to in on a")],
        "agreement",
        {"core": (1, 0, 0, 0, 0, 0), "full": (1, 0, 0, 0, 0, 0)},
    ),
    (
        "agreement: signed on the gold's day",
        [{"type": "agreement", "name": "joint statement", "signed": "2023-04-10"}],
        [fact("agreement", name="joint statement", period=("2023-04-10", "2023-04-10"))],
        "agreement",
        {"core": (1, 0, 0, 0, 0, 0), "full": (1, 0, 0, 0, 0, 0)},
    ),
    (
        "agreement: a year is not the gold's day",
        [{"type": "agreement", "name": "joint statement", "signed": "2023-04-10"}],
        [fact("agreement", name="joint statement", period=("2023-01-01", "2023-12-31"))],
        "agreement",
        {"core": (1, 0, 0, 0, 0, 0), "full": (0, 1, 1, 0, 0, 0)},
    ),
    (
        "agreement: a day answers a gold year",
        [{"type": "agreement", "name": "joint statement", "signed": "2005"}],
        [fact("agreement", name="joint statement", period=("2005-05-24", "2005-05-24"))],
        "agreement",
        {"core": (1, 0, 0, 0, 0, 0), "full": (1, 0, 0, 0, 0, 0)},
    ),
    (
        "agreement: a month answers a gold month, not a gold day",
        [
            {"type": "agreement", "name": "roadmap", "signed": "2022-08"},
            {"type": "agreement", "name": "declaration", "signed": "2022-08-24"},
        ],
        [
            fact("agreement", name="roadmap", period=("2022-08-01", "2022-08-31")),
            fact("agreement", name="declaration", period=("2022-08-01", "2022-08-31")),
        ],
        "agreement",
        {"core": (2, 0, 0, 0, 0, 0), "full": (1, 1, 1, 0, 0, 0)},
    ),
]


@pytest.mark.parametrize(
    ("rows", "predictions", "kind", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_matching_rules(
    rows: list[dict[str, Any]],
    predictions: list[Fact],
    kind: str,
    expected: dict[str, tuple[int, ...]],
) -> None:
    evaluation = evaluate(gold({"type": "document", "date": None}, *rows), report(*predictions))
    assert counts(evaluation, kind) == expected


def test_misses_and_false_positives_name_the_problem() -> None:
    evaluation = evaluate(
        gold(
            {"type": "document", "date": None},
            {**TRADE_2022, "quote": "trade reached $100 million in 2022"},
            {"type": "investment", "amount_usd": 5_000_000, "quote": "invested $5 million"},
        ),
        report(
            fact(amount=100_000_000, period=("2021-01-01", "2021-12-31")), fact("cargo_volume", 9)
        ),
    )
    assert [(m.type, m.level, m.quote, m.problems) for m in evaluation.misses] == [
        (
            "investment",
            "core",
            "invested $5 million",
            [],
        ),
        (
            "trade_turnover",
            "full",
            "trade reached $100 million in 2022",
            ["period 2021-01..2021-12 vs gold 2022-01..2022-12"],
        ),
    ]
    assert [(f.type, f.level, f.predicted.get("amount")) for f in evaluation.false_positives] == [
        ("cargo_volume", "core", 9),
        ("trade_turnover", "full", 100_000_000),
    ]
    assert evaluation.full.micro.f1 == 0.0
    assert evaluation.core.micro.f1 == 0.5


# -- entities ------------------------------------------------------------------------------


def entity(label: str, canonical: str, **attrs: Any) -> Entity:
    return Entity(
        doc_id=DOC,
        label=label,
        text=canonical,
        canonical=canonical,
        start=0,
        end=1,
        attrs=attrs,  # type: ignore[arg-type]
    )


ENTITY_CASES = [
    (
        "port: 'port', 'of', 'sea' ignored",
        "PORT",
        [{"type": "port", "name": "Aktau"}],
        [entity("PORT", "Port of Aktau")],
        (1, 0, 0),
    ),
    (
        "port: Alyat is Alat",
        "PORT",
        [{"type": "port", "name": "Alyat"}],
        [entity("PORT", "Port of Alat")],
        (1, 0, 0),
    ),
    (
        "port: the Baku International Sea Trade Port is Alat",
        "PORT",
        [{"type": "port", "name": "Alat"}],
        [entity("PORT", "Baku International Sea Trade Port")],
        (1, 0, 0),
    ),
    (
        "port: another port",
        "PORT",
        [{"type": "port", "name": "Kuryk"}],
        [entity("PORT", "Port of Aktau")],
        (0, 1, 1),
    ),
    (
        "money: rounded to thousands",
        "MONEY",
        [{"type": "money", "amount_usd": 36_000_000}],
        [entity("MONEY", "almost $36 million", amount=36_000_400, currency="USD")],
        (1, 0, 0),
    ),
    (
        "money: another amount",
        "MONEY",
        [{"type": "money", "amount_usd": 36_000_000}],
        [entity("MONEY", "$36.6 million", amount=36_600_000, currency="USD")],
        (0, 1, 1),
    ),
    (
        "money: other currencies are not dollar figures",
        "MONEY",
        [],
        [entity("MONEY", "22.8 billion tenge", amount=22_800_000_000, currency="KZT")],
        (0, 0, 0),
    ),
    (
        "money: one set per document",
        "MONEY",
        [{"type": "money", "amount_usd": 5_000_000}],
        [
            entity("MONEY", "$5 million", amount=5_000_000, currency="USD"),
            entity("MONEY", "5 million dollars", amount=5_000_000, currency="USD"),
        ],
        (1, 0, 0),
    ),
    (
        "person: canonical names",
        "PERSON",
        [{"type": "person", "name": "Kassym-Jomart Tokayev"}],
        [entity("PERSON", "Kassym-Jomart Tokayev"), entity("PERSON", "Ilham Aliyev")],
        (1, 1, 0),
    ),
    (
        "person: an optional journalist is not a false positive",
        "PERSON",
        [{"type": "person", "name": "Rashid Shirinov", "optional": True}],
        [entity("PERSON", "Rashid Shirinov")],
        (0, 0, 0),
    ),
    (
        "route: dashes are one",
        "ROUTE",
        [{"type": "route", "name": "Baku-Tbilisi-Ceyhan pipeline"}],
        [entity("ROUTE", "Baku–Tbilisi–Ceyhan pipeline")],
        (1, 0, 0),
    ),
]


@pytest.mark.parametrize(
    ("label", "rows", "entities", "expected"),
    [case[1:] for case in ENTITY_CASES],
    ids=[case[0] for case in ENTITY_CASES],
)
def test_entity_sets(
    label: str, rows: list[dict[str, Any]], entities: list[Entity], expected: tuple[int, int, int]
) -> None:
    rows = [{"type": "document", "date": None}, *rows]
    evaluation = evaluate(gold(*rows), report(entities=tuple(entities)))
    score = evaluation.entities[label]
    assert (score.tp, score.fp, score.fn) == expected


# -- document dates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gold_date", "date", "source", "right"),
    [
        ("2023-03-02", "2023-03-02", "header", True),
        ("2023-03-02", "2023-03-03", "header", False),
        ("2024-03-19", "2024-01-01", "content", False),
        (None, "2022-01-01", "content", True),
        (None, None, "none", True),
        (None, "2022-08-24", "header", False),
    ],
)
def test_document_dates(gold_date: str | None, date: str | None, source: str, right: bool) -> None:
    rows = gold({"type": "document", "date": gold_date})
    evaluation = evaluate(rows, Report(documents=[document(date=date, source=source)]))
    assert (evaluation.dates.correct, evaluation.dates.total) == (int(right), 1)


def test_a_document_the_run_lacks_counts_against_it() -> None:
    rows = gold({"type": "document", "date": "2023-01-05", "doc": "absent"}, TRADE_2022)
    evaluation = evaluate(rows, Report(documents=[document("other", "2023-01-05", "header")]))
    assert evaluation.missing_documents == ["absent", "d"]
    assert evaluation.unannotated_documents == ["other"]
    assert (evaluation.dates.correct, evaluation.full.micro.fn) == (0, 1)


# -- the gold file -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"doc": "a", "type": "document", "date": null}\n{"doc": "a"', "g.jsonl:2: "),
        (
            '{"doc": "a", "type": "route", "name": "X", "colour": 1}',
            "g.jsonl:1: route.colour: Extra",
        ),
        ('{"doc": "a", "type": "pipeline", "name": "X"}', "g.jsonl:1: "),
        (
            '{"doc": "a", "type": "investment", "amount_usd": null, "quote": "q"}',
            "g.jsonl:1: investment: a fact without an amount needs change_pct or change_multiplier",
        ),
        (
            '{"doc": "a", "type": "cargo_volume", "tons": 5, "quote": "q", '
            '"period": {"start": "2018-13", "end": "2018-12"}}',
            "g.jsonl:1: cargo_volume.period.start: String should match pattern",
        ),
        ("\n\n", "g.jsonl: no gold records"),
    ],
    ids=["bad JSON", "unknown field", "unknown type", "no figure", "bad month", "empty"],
)
def test_a_bad_gold_file_names_file_and_line(text: str, message: str) -> None:
    with pytest.raises(DataError) as error:
        parse_gold(text, "g.jsonl")
    assert str(error.value).startswith(message)


def test_the_dev_set_gold_is_valid_and_quoted_verbatim() -> None:
    rows = parse_gold((DEVSET / "gold.jsonl").read_text(encoding="utf-8"), "gold.jsonl")
    assert len(rows) == 145
    for row in rows:
        quote = getattr(row, "quote", None) or getattr(row, "text", None)
        if quote:
            article = (DEVSET / "articles" / f"{row.doc}.txt").read_text(encoding="utf-8")
            assert quote in article, (row.doc, quote)


# -- the command on the dev set ------------------------------------------------------------


def run_eval(*options: str) -> Any:
    gold_file, articles = str(DEVSET / "gold.jsonl"), str(DEVSET / "articles")
    return runner.invoke(app, ["eval", gold_file, articles, "-j", "1", *options])


@pytest.fixture(scope="module")
def devset_json() -> dict[str, Any]:
    result = run_eval("--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_devset_scores_are_exactly_todays(devset_json: dict[str, Any]) -> None:
    """Any change in extraction shows here; update the figures when a change is meant."""

    def table(level: dict[str, Any]) -> dict[str, tuple[int, int, int]]:
        return {kind: (s["tp"], s["fp"], s["fn"]) for kind, s in level["per_type"].items()}

    core, full = devset_json["core"], devset_json["full"]
    perfect = {"precision": 1.0, "recall": 1.0, "f1": 1.0, "tp": 40, "fp": 0, "fn": 0}
    counted = {"duplicates": 0, "optional_matched": 5, "out_of_scope": 8}
    assert core["micro"] == perfect | counted
    assert full["micro"] == perfect | counted
    every_type = {
        "trade_turnover": (11, 0, 0),
        "trade_target": (1, 0, 0),
        "tourist_flow": (2, 0, 0),
        "cargo_volume": (6, 0, 0),
        "investment": (8, 0, 0),
        "agreement": (12, 0, 0),
    }
    assert table(core) == every_type
    assert table(full) == every_type
    entities = {label: (s["tp"], s["fp"], s["fn"]) for label, s in devset_json["entities"].items()}
    assert entities == {
        "PERSON": (18, 0, 0),
        "PORT": (0, 0, 0),
        "ROUTE": (3, 0, 0),
        "MONEY": (27, 0, 0),
    }
    dates = devset_json["dates"]
    assert (dates["correct"], dates["total"], dates["accuracy"]) == (12, 12, 1.0)
    assert dates["wrong"] == []
    assert (len(devset_json["misses"]), len(devset_json["false_positives"])) == (0, 0)


def edited_gold(tmp_path: Path) -> Path:
    """The dev-set gold with one record the articles do not state (a miss) and without one
    they do (the prediction becomes a false positive)."""
    rows = (DEVSET / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    dropped = next(i for i, row in enumerate(rows) if '"amount_usd": 194100000' in row)
    del rows[dropped]
    invented = {
        "doc": "24_newsaz_igc_trade_btc_oil_2025",
        "type": "trade_turnover",
        "amount_usd": 777000000,
        "period": {"start": "2019-01", "end": "2019-12"},
        "scope": "total",
        "approximate": False,
        "change_pct": None,
        "change_multiplier": None,
        "quote": "trade",
    }
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join([*rows, json.dumps(invented)]) + "\n", encoding="utf-8")
    return gold


@pytest.mark.parametrize(("threshold", "code"), [("0.9", 0), ("0.99", 1), ("0", 0)])
def test_min_f1_gates_on_the_full_micro_f1(tmp_path: Path, threshold: str, code: int) -> None:
    gold = str(edited_gold(tmp_path))
    result = runner.invoke(app, ["eval", gold, str(DEVSET / "articles"), "-j", "1", "--min-f1", threshold])
    assert result.exit_code == code
    f1 = json.loads(result.stdout)["full"]["micro"]["f1"]  # JSON when stdout is not a terminal
    assert f1 == 0.975  # 39 of 40 gold records found, 1 false positive: P = R = 39/40
    if code:
        assert f"full micro F1 {f1:.4f} is below --min-f1 {float(threshold)}" in result.stderr


def test_table_with_verbose_lists_misses_and_false_positives(tmp_path: Path) -> None:
    gold = str(edited_gold(tmp_path))
    options = ["--format", "table", "--verbose"]
    result = runner.invoke(app, ["eval", gold, str(DEVSET / "articles"), "-j", "1", *options])
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "Facts, full match" in text
    assert "miss core 24_newsaz_igc_trade_btc_oil_2025 trade_turnover: trade" in text
    assert "false positive core 16_azernews_h1_trade_3x_2022 trade_turnover:" in text


def test_a_bad_gold_file_is_a_usage_error(tmp_path: Path) -> None:
    bad = tmp_path / "gold.jsonl"
    bad.write_text('{"doc": "a", "type": "money"}\n', encoding="utf-8")
    result = runner.invoke(app, ["eval", str(bad), str(DEVSET / "articles")])
    assert result.exit_code == 2
    assert result.stderr == f"kzaz: error: {bad}:1: money.amount_usd: Field required\n"
    assert result.stdout == ""


def test_the_readme_example_gold_is_valid() -> None:
    readme = (DEVSET.parent.parent / "README.md").read_text(encoding="utf-8")
    lines = [line for line in readme.splitlines() if line.startswith('{"doc": "my_article"')]
    rows = parse_gold("\n".join(lines), "README.md")
    assert [row.type for row in rows] == [
        "document",
        "trade_turnover",
        "trade_target",
        "agreement",
        "person",
        "money",
    ]
