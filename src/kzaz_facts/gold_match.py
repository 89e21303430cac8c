"""One prediction against one gold record, and the greedy one-to-one pairing of the two.

The rules are those of ``tests/devset/FORMAT.md`` (see ``kzaz_facts.evaluate``).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import TypeVar

from kzaz_facts.eval_results import Result
from kzaz_facts.gold import (
    UNITS,
    Figure,
    GoldAgreement,
    GoldCargo,
    GoldEntity,
    GoldFact,
    GoldMoney,
    GoldPeriod,
    GoldPort,
    GoldQuantity,
)
from kzaz_facts.records import Entity, Fact

PAIR = frozenset({"Kazakhstan", "Azerbaijan"})
AMOUNT_TOLERANCE = 0.02
CHANGE_TOLERANCE = 0.01
NAME_OVERLAP = 0.5
NAME_STOP_WORDS = frozenset({"the", "of", "on", "for", "and", "a", "to", "in"})
PORT_STOP_WORDS = frozenset({"port", "of", "sea"})
# One port under several names: the Baku International Sea Trade Port stands at Alat.
PORT_ALIASES = {"alyat": "alat", "baku international trade": "alat"}


# -- comparing one prediction with one gold record -----------------------------------------


def fact_type(fact: Fact) -> str:
    """The gold type a prediction stands for: a trade goal is a ``trade_target``."""
    if fact.type == "trade_turnover" and fact.modality == "target":
        return "trade_target"
    return fact.type


def out_of_scope(fact: Fact) -> bool:
    """A trade figure of another pair, a group, or one way only: neither hit nor miss."""
    if fact.type != "trade_turnover":
        return False
    return set(fact.parties) != PAIR or fact.attributes.flow != "turnover"


def close(predicted: float, gold: float, tolerance: float) -> bool:
    """
    >>> close(101.9, 100, 0.02), close(102.1, 100, 0.02), close(0, 0, 0.01)
    (True, False, True)
    """
    return abs(predicted - gold) <= tolerance * abs(gold)


def change_matches(
    gold: Figure, value: float | None, low: float | None, high: float | None
) -> bool:
    """The predicted change equals the gold one within 1%: a gold range matches the same
    ends or its midpoint, a gold figure matches the figure or a predicted range's midpoint.

    >>> change_matches((12, 15), None, 12, 15), change_matches((12, 15), 13.5, None, None)
    (True, True)
    >>> change_matches(65.6, 66.5, None, None), change_matches(13.5, None, 12, 15)
    (False, True)
    """
    if isinstance(gold, tuple):
        gold_low, gold_high = gold
        if (
            low is not None
            and high is not None
            and close(low, gold_low, CHANGE_TOLERANCE)
            and close(high, gold_high, CHANGE_TOLERANCE)
        ):
            return True
        return value is not None and close(value, (gold_low + gold_high) / 2, CHANGE_TOLERANCE)
    if value is not None and close(value, gold, CHANGE_TOLERANCE):
        return True
    return low is not None and high is not None and close((low + high) / 2, gold, CHANGE_TOLERANCE)


def same_change(gold: GoldQuantity, fact: Fact) -> bool:
    """Every change the gold gives (percent, multiplier) is the predicted one."""
    change = fact.change
    checks = ((gold.change_pct, "percent"), (gold.change_multiplier, "multiplier"))
    for figure, kind in checks:
        if figure is None:
            continue
        if change is None:
            return False
        value = change.percent if kind == "percent" else change.multiplier
        other = change.multiplier if kind == "percent" else change.percent
        if value is None and other is not None:
            return False
        # ``low``/``high`` belong to whichever of percent and multiplier is given.
        low = None if change.low is None else float(change.low)
        high = None if change.high is None else float(change.high)
        if not change_matches(figure, None if value is None else float(value), low, high):
            return False
    return True


def name_words(name: str) -> frozenset[str]:
    """
    >>> sorted(name_words("Agreement on the Strategic Partnership"))
    ['agreement', 'partnership', 'strategic']
    """
    return frozenset(re.findall(r"\w+", name.casefold())) - NAME_STOP_WORDS


def name_overlap(gold: str, predicted: str) -> float:
    """Jaccard overlap of the two names' words, stop words left out.

    >>> name_overlap("joint statement to strengthen cooperation", "joint statement")
    0.5
    """
    gold_words, predicted_words = name_words(gold), name_words(predicted)
    union = gold_words | predicted_words
    return len(gold_words & predicted_words) / len(union) if union else 0.0


def month(day: dt.date | None) -> str | None:
    return day.strftime("%Y-%m") if day is not None else None


def same_period(gold: GoldPeriod, fact: Fact) -> bool:
    period = fact.period
    if period is None:
        return False
    return (month(period.start), month(period.end)) == (gold.start, gold.end)


def signing_date(fact: Fact) -> str | None:
    """The predicted signing date at the precision its period has: a whole year is "2022",
    a whole month "2022-08", anything else its first day."""
    period = fact.period
    if period is None or period.start is None:
        return None
    start, end = period.start, period.end or period.start
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return f"{start.year:04d}"
    next_month = (end + dt.timedelta(days=1)).month != end.month
    if start.day == 1 and next_month and (start.year, start.month) == (end.year, end.month):
        return start.strftime("%Y-%m")
    return start.isoformat()


def core_closeness(gold: GoldFact, fact: Fact) -> float | None:
    """How well ``fact`` matches ``gold`` at core level (lower is closer), or None."""
    if isinstance(gold, GoldAgreement):
        if fact.type != "agreement":
            return None
        overlap = name_overlap(gold.name, fact.attributes.name)
        return 1 - overlap if overlap >= NAME_OVERLAP else None
    if isinstance(gold, GoldCargo) and fact.modality != gold.modality:
        return None
    value = fact.value
    if gold.amount is None:
        return 0.0 if value is None and same_change(gold, fact) else None
    if value is None or value.unit != UNITS[gold.type]:
        return None
    amount = float(value.amount)
    if not close(amount, gold.amount, AMOUNT_TOLERANCE):
        return None
    return abs(amount - gold.amount) / max(abs(gold.amount), 1.0)


def full_problems(gold: GoldFact, fact: Fact) -> list[str]:
    """What keeps a core match from a full one: wrong period, change or signing date."""
    problems = []
    if isinstance(gold, GoldAgreement):
        signed = signing_date(fact)
        if gold.signed is not None and not (signed or "").startswith(gold.signed):
            problems.append(f"signed {signed} vs gold {gold.signed}")
        return problems
    if gold.period is not None and not same_period(gold.period, fact):
        problems.append(
            f"period {period_text(fact)} vs gold {gold.period.start}..{gold.period.end}"
        )
    if not same_change(gold, fact):
        problems.append(f"change {change_text(fact)} vs gold {_goldchange_text(gold)}")
    return problems


def period_text(fact: Fact) -> str:
    period = fact.period
    if period is None:
        return "none"
    if period.start is None or period.end is None:
        return f"unresolved ({period.text!r})"
    return f"{month(period.start)}..{month(period.end)}"


def change_text(fact: Fact) -> str:
    change = fact.change
    if change is None:
        return "none"
    if change.percent is not None:
        return f"{change.percent:g}%"
    return f"x{change.multiplier:g}" if change.multiplier is not None else "none"


def _goldchange_text(gold: GoldQuantity) -> str:
    parts = []
    if gold.change_pct is not None:
        parts.append(f"{figure_text(gold.change_pct)}%")
    if gold.change_multiplier is not None:
        parts.append(f"x{figure_text(gold.change_multiplier)}")
    return " ".join(parts) or "none"


def figure_text(figure: Figure) -> str:
    if isinstance(figure, tuple):
        return f"{figure[0]:g}-{figure[1]:g}"
    return f"{figure:g}"


# -- matching ------------------------------------------------------------------------------


ItemT = TypeVar("ItemT")
Matcher = Callable[[GoldFact, Fact], float | None]


def core_match(gold: GoldFact, fact: Fact) -> float | None:
    return core_closeness(gold, fact)


def full_match(gold: GoldFact, fact: Fact) -> float | None:
    closeness = core_closeness(gold, fact)
    if closeness is None or full_problems(gold, fact):
        return None
    return closeness


class Matching(Result):
    """The outcome for one document and type at one level (indices into the two lists)."""

    pairs: list[tuple[int, int]]
    duplicates: list[int]
    false_positives: list[int]


def match(golds: Sequence[GoldFact], facts: Sequence[Fact], matcher: Matcher) -> Matching:
    """Greedy one-to-one over the candidate pairs, best first: a full match before a core
    one, then a required gold record before an optional one, then the closest figure (or the
    largest name overlap), then text order. An unpaired prediction that matches a paired gold
    record is a duplicate; one that matches nothing is a false positive."""
    candidates = []
    for g, gold in enumerate(golds):
        for f, fact in enumerate(facts):
            closeness = matcher(gold, fact)
            if closeness is None:
                continue
            partial = full_match(gold, fact) is None
            candidates.append((partial, gold.optional, round(closeness, 6), g, f))
    candidates.sort()
    pairs: list[tuple[int, int]] = []
    used_gold: set[int] = set()
    used_fact: set[int] = set()
    matchable: set[int] = set()
    for *_, g, f in candidates:
        matchable.add(f)
        if g in used_gold or f in used_fact:
            continue
        pairs.append((g, f))
        used_gold.add(g)
        used_fact.add(f)
    unpaired = [f for f in range(len(facts)) if f not in used_fact]
    return Matching(
        pairs=sorted(pairs),
        duplicates=[f for f in unpaired if f in matchable],
        false_positives=[f for f in unpaired if f not in matchable],
    )


# -- entities and dates --------------------------------------------------------------------


def plain_name(name: str) -> str:
    """
    >>> plain_name("Baku–Tbilisi–Ceyhan  pipeline")
    'baku-tbilisi-ceyhan pipeline'
    """
    text = unicodedata.normalize("NFKC", name).casefold()
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    return " ".join(text.split())


def port_key(name: str) -> str:
    """
    >>> port_key("Port of Aktau"), port_key("Aktau Sea Port"), port_key("Alyat port")
    ('aktau', 'aktau', 'alat')
    >>> port_key("Baku International Sea Trade Port")
    'alat'
    """
    words = [word for word in plain_name(name).split() if word not in PORT_STOP_WORDS]
    key = " ".join(words)
    return PORT_ALIASES.get(key, key)


def money_key(amount: float) -> str:
    """Dollar amounts compare rounded to thousands.

    >>> money_key(36000000.0), money_key(51000400)
    ('36000000', '51000000')
    """
    return str(round(amount / 1000) * 1000)


def gold_entity_key(row: GoldEntity) -> str:
    if isinstance(row, GoldMoney):
        return money_key(row.amount_usd)
    if isinstance(row, GoldPort):
        return port_key(row.name)
    return plain_name(row.name)


def predicted_entity_key(entity: Entity) -> str | None:
    """The key a predicted entity compares by, or None when it is not comparable (a money
    entity in another currency)."""
    if entity.label == "MONEY":
        amount = entity.attrs.get("amount")
        if entity.attrs.get("currency") != "USD" or not isinstance(amount, int | float):
            return None
        return money_key(float(amount))
    if entity.label == "PORT":
        return port_key(entity.canonical)
    return plain_name(entity.canonical)
