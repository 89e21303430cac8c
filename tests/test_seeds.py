"""Concrete values per seed article: amounts, periods, changes, parties, speakers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kzaz_facts.records import Report

D = dt.date

# (doc prefix, type, modality, amount, unit, approximate, period start, period end,
#  resolved, percent, multiplier, speaker)
QUANTITATIVE = [
    ("000", "trade_turnover", "actual", 500_000_000, "USD", False, D(2022, 1, 1), D(2022, 12, 31), "relative", None, None, "Kanat Tumysh"),
    ("000", "trade_turnover", "target", 1_000_000_000, "USD", False, None, None, None, None, None, "Kanat Tumysh"),
    ("000", "trade_turnover", "target", 300_000_000, "USD", True, D(2023, 1, 1), D(2023, 12, 31), "relative", None, None, "Kanat Tumysh"),
    ("001", "cargo_volume", "target", 10_000_000, "t", False, None, None, "unresolved", None, None, "Kassym-Jomart Tokayev"),
    ("002", "trade_turnover", "actual", 465_000_000, "USD", False, D(2023, 1, 1), D(2023, 10, 31), "inferred", 22, None, "Alim Bayel"),
    ("002", "tourist_flow", "actual", 60_000, "people", True, D(2023, 1, 1), D(2023, 12, 31), "explicit", 90, None, "Alim Bayel"),
    ("002", "cargo_volume", "target", None, None, None, None, None, None, None, 5, "Kassym-Jomart Tokayev"),
    ("002", "cargo_volume", "actual", 2_523, "t", False, D(2023, 1, 1), D(2023, 11, 30), "explicit", 107, None, "Alim Bayel"),
    ("003", "trade_turnover", "actual", 221_000_000, "USD", False, D(2018, 1, 1), D(2018, 12, 31), "explicit", None, None, "Ramin Guluzade"),
    ("003", "trade_turnover", "actual", 191_000_000, "USD", False, D(2019, 1, 1), D(2019, 10, 31), "relative", None, None, "Ramin Guluzade"),
    ("003", "investment", "actual", 320_000_000_000, "USD", True, None, None, "unresolved", None, None, "Serzhan Abdykarimov"),
    ("004", "trade_turnover", "actual", 500_000_000, "USD", True, D(2022, 1, 1), D(2022, 12, 31), "relative", None, None, "Kassym-Jomart Tokayev"),
    ("004", "trade_turnover", "actual", 146_000_000, "USD", False, D(2022, 1, 1), D(2022, 12, 31), "relative", None, 3, "Kassym-Jomart Tokayev"),
    ("004", "trade_turnover", "target", 1_000_000_000, "USD", False, None, None, "unresolved", None, None, "Ilham Aliyev"),
]  # fmt: skip


def _row(fact: Any) -> tuple[Any, ...]:
    value, change, period = fact.value, fact.change, fact.period
    return (
        fact.doc_id[:3],
        fact.type,
        fact.modality,
        value.amount if value else None,
        value.unit if value else None,
        value.approximate if value else None,
        period.start if period else None,
        period.end if period else None,
        period.resolved if period else None,
        change.percent if change else None,
        change.multiplier if change else None,
        fact.speaker,
    )


def test_every_quantitative_fact_of_the_seeds(seeds_report: Report) -> None:
    rows = [_row(f) for f in seeds_report.facts if f.type != "agreement"]
    assert rows == QUANTITATIVE


def test_bilateral_trade_has_the_article_pair(seeds_report: Report) -> None:
    trade = [f for f in seeds_report.facts if f.type == "trade_turnover"]
    assert trade
    assert all(f.parties == ["Azerbaijan", "Kazakhstan"] for f in trade)
    agriculture = [f for f in trade if f.attributes.scope == "agriculture"]
    assert [f.value.amount for f in agriculture if f.value] == [146_000_000]


def test_targets_say_level_or_increase(seeds_report: Report) -> None:
    kinds = [
        (f.doc_id[:3], f.attributes.target_kind, f.attributes.horizon)
        for f in seeds_report.facts
        if f.modality == "target" and f.type == "trade_turnover"
    ]
    assert kinds == [
        ("000", "level", None),
        ("000", "increase", "this year"),
        ("004", "level", "medium-term"),
    ]


def test_routes_of_cargo(seeds_report: Report) -> None:
    routes = {f.attributes.route for f in seeds_report.facts if f.type == "cargo_volume"}
    assert routes == {"Middle Corridor"}


AGREEMENTS = [
    ("001", "strategic declaration to deepen allied cooperation", "adopted", D(2022, 1, 1), "Baku", None),
    ("003", "road map for trade and economic cooperation for 2018-2020", "adopted", D(2017, 1, 1), None, (2018, 2020)),
    ("004", "Comprehensive Program for the Development of Cooperation for 2022-2026", "signed", D(2022, 10, 1), None, (2022, 2026)),
    ("004", "Declaration on the Deepening of Mutual Alliance Relations and Strategic Partnership", "signed", D(2022, 8, 1), "Baku", None),
]  # fmt: skip


def test_agreements_signed_or_adopted_once_each(seeds_report: Report) -> None:
    rows = []
    for fact in seeds_report.facts:
        if fact.type != "agreement":
            continue
        covers = fact.attributes.covers
        rows.append(
            (
                fact.doc_id[:3],
                fact.attributes.name,
                fact.attributes.action,
                fact.period.start if fact.period else None,
                fact.attributes.place,
                (covers.start_year, covers.end_year) if covers else None,
            )
        )
    assert rows == AGREEMENTS


def test_no_spurious_figure_from_rhetoric(seeds_report: Report) -> None:
    texts = " ".join(f.evidence.text for f in seeds_report.facts)
    assert "millions or billions" not in texts


def test_documents_headers(seeds_report: Report) -> None:
    dates = [(d.doc_id[:3], d.date, d.date_source) for d in seeds_report.documents]
    assert dates == [
        ("000", D(2023, 3, 2), "header"),
        ("001", D(2024, 3, 11), "header"),
        ("002", D(2024, 1, 1), "content"),
        ("003", D(2019, 12, 9), "header"),
        ("004", D(2023, 4, 10), "header"),
    ]


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("Ilham Heydar oglu", "Ilham Aliyev"),
        ("Kassym-Jomart Kemelevich", "Kassym-Jomart Tokayev"),
        ("Heydar Aliyev", "Heydar Aliyev"),
        ("TITR", "Middle Corridor"),
        ("Trans-Caspian International Transport Route", "Middle Corridor"),
    ],
)
def test_aliases_resolve_to_canonical(seeds_report: Report, text: str, canonical: str) -> None:
    found = {e.canonical for e in seeds_report.entities if e.text == text}
    assert found == {canonical}
