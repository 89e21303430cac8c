"""Gold annotations + a Report -> precision, recall and F1: how well the extractor does.

The gold format and the matching rules are those of ``tests/devset/FORMAT.md``:

- Facts are matched per document and type, greedily one to one. ``core`` asks for the same
  type (a ``trade_target`` is a trade fact whose modality is ``target``; a cargo figure's
  modality is part of its type too), an amount within 2% (dollars, tons, people), or, for a
  lone change, no amount and the same change; agreements need a name word overlap (Jaccard,
  stop words ignored) of at least 0.5. ``full`` adds the period's months where the gold gives
  a period, the change (within 1%, a range's ends or its midpoint) where the gold gives one,
  and the signing date where the gold gives one.
- Optional gold records are never misses, and a prediction that matches one is not a false
  positive. A prediction matching an already matched gold record is a duplicate, not a false
  positive. A predicted trade fact whose parties are not exactly {Kazakhstan, Azerbaijan}, or
  a one-way export or import, is out of scope: neither a hit nor a false positive.
- Entities compare per document as sets of canonical names per label; document dates are
  right when equal, or, for a gold date of null, when the tool says the date was guessed from
  the content.

Everything here is pure except ``read_gold``, which only reads the file it is given.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Annotated, Literal, TypeAlias, TypeVar

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from kzaz_facts.errors import DataError
from kzaz_facts.records import Document, Entity, Fact, Report

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
PAIR = frozenset({"Kazakhstan", "Azerbaijan"})
AMOUNT_TOLERANCE = 0.02
CHANGE_TOLERANCE = 0.01
NAME_OVERLAP = 0.5
NAME_STOP_WORDS = frozenset({"the", "of", "on", "for", "and", "a", "to", "in"})
PORT_STOP_WORDS = frozenset({"port", "of", "sea"})
# One port under several names: the Baku International Sea Trade Port stands at Alat.
PORT_ALIASES = {"alyat": "alat", "baku international trade": "alat"}


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


# -- results -------------------------------------------------------------------------------


class Result(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Score(Result):
    """Counts and the scores made from them; a score with nothing to divide by is ``None``."""

    precision: float | None
    recall: float | None
    f1: float | None
    tp: int
    fp: int
    fn: int
    duplicates: int = 0
    optional_matched: int = 0
    out_of_scope: int = 0

    @classmethod
    def of(
        cls,
        tp: int,
        fp: int,
        fn: int,
        duplicates: int = 0,
        optional_matched: int = 0,
        out_of_scope: int = 0,
    ) -> Score:
        """
        >>> Score.of(3, 1, 2).f1
        0.6667
        >>> Score.of(0, 0, 0).precision is None
        True
        """
        return cls(
            precision=_ratio(tp, tp + fp),
            recall=_ratio(tp, tp + fn),
            f1=_ratio(2 * tp, 2 * tp + fp + fn),
            tp=tp,
            fp=fp,
            fn=fn,
            duplicates=duplicates,
            optional_matched=optional_matched,
            out_of_scope=out_of_scope,
        )


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


class Level(Result):
    micro: Score
    per_type: dict[str, Score]


class Miss(Result):
    """A gold record no prediction matched; ``level`` is ``core`` when nothing came close,
    ``full`` when a prediction matched it at core level but got its period, change or date
    wrong (that prediction is ``nearest``)."""

    doc: str
    type: str
    level: Literal["core", "full"]
    quote: str
    gold: dict[str, object]
    problems: list[str] = Field(default_factory=list)
    nearest: dict[str, object] | None = None


class FalsePositive(Result):
    doc: str
    type: str
    level: Literal["core", "full"]
    quote: str
    predicted: dict[str, object]


class EntityScore(Score):
    misses: list[dict[str, str]] = Field(default_factory=list)
    false_positives: list[dict[str, str]] = Field(default_factory=list)


class DateCheck(Result):
    doc: str
    gold: dt.date | None
    predicted: dt.date | None
    source: str


class Dates(Result):
    accuracy: float | None
    correct: int
    total: int
    wrong: list[DateCheck]


class Evaluation(Result):
    core: Level
    full: Level
    entities: dict[str, EntityScore]
    dates: Dates
    misses: list[Miss]
    false_positives: list[FalsePositive]
    # Gold documents the run did not produce, and documents of the run that have no gold.
    missing_documents: list[str] = Field(default_factory=list)
    unannotated_documents: list[str] = Field(default_factory=list)


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
            f"period {_period_text(fact)} vs gold {gold.period.start}..{gold.period.end}"
        )
    if not same_change(gold, fact):
        problems.append(f"change {_change_text(fact)} vs gold {_gold_change_text(gold)}")
    return problems


def _period_text(fact: Fact) -> str:
    period = fact.period
    if period is None:
        return "none"
    if period.start is None or period.end is None:
        return f"unresolved ({period.text!r})"
    return f"{month(period.start)}..{month(period.end)}"


def _change_text(fact: Fact) -> str:
    change = fact.change
    if change is None:
        return "none"
    if change.percent is not None:
        return f"{change.percent:g}%"
    return f"x{change.multiplier:g}" if change.multiplier is not None else "none"


def _gold_change_text(gold: GoldQuantity) -> str:
    parts = []
    if gold.change_pct is not None:
        parts.append(f"{_figure_text(gold.change_pct)}%")
    if gold.change_multiplier is not None:
        parts.append(f"x{_figure_text(gold.change_multiplier)}")
    return " ".join(parts) or "none"


def _figure_text(figure: Figure) -> str:
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


def _group(items: Iterable[tuple[str, str, ItemT]]) -> dict[tuple[str, str], list[ItemT]]:
    grouped: dict[tuple[str, str], list[ItemT]] = {}
    for doc, kind, item in items:
        grouped.setdefault((doc, kind), []).append(item)
    return grouped


def _level(
    name: Literal["core", "full"],
    golds: dict[tuple[str, str], list[GoldFact]],
    facts: dict[tuple[str, str], list[Fact]],
    ignored: dict[str, int],
) -> tuple[Level, dict[tuple[str, str], Matching]]:
    counts = {kind: [0, 0, 0, 0, 0] for kind in FACT_TYPES}  # tp fp fn duplicates optional
    matchings = {}
    for key in sorted(set(golds) | set(facts)):
        doc_golds, doc_facts = golds.get(key, []), facts.get(key, [])
        matching = match(doc_golds, doc_facts, core_match if name == "core" else full_match)
        matchings[key] = matching
        paired = {g for g, _ in matching.pairs}
        row = counts[key[1]]
        row[0] += sum(not doc_golds[g].optional for g in paired)
        row[1] += len(matching.false_positives)
        row[2] += sum(not gold.optional and g not in paired for g, gold in enumerate(doc_golds))
        row[3] += len(matching.duplicates)
        row[4] += sum(doc_golds[g].optional for g in paired)
    per_type = {kind: _score(row, ignored.get(kind, 0)) for kind, row in counts.items()}
    totals = [sum(row[i] for row in counts.values()) for i in range(5)]
    micro = _score(totals, sum(ignored.values()))
    return Level(micro=micro, per_type=per_type), matchings


def _score(counts: list[int], ignored: int) -> Score:
    tp, fp, fn, duplicates, optional_matched = counts
    return Score.of(tp, fp, fn, duplicates, optional_matched, out_of_scope=ignored)


def _gold_summary(gold: GoldFact) -> dict[str, object]:
    return gold.model_dump(exclude={"doc", "type", "quote", "optional"}, exclude_none=True)


def _fact_summary(fact: Fact) -> dict[str, object]:
    summary: dict[str, object] = {"modality": fact.modality, "parties": list(fact.parties)}
    if fact.value is not None:
        summary["amount"] = fact.value.amount
        summary["unit"] = fact.value.unit
    if fact.change is not None:
        summary["change"] = _change_text(fact)
    if fact.period is not None:
        summary["period"] = _period_text(fact)
    if fact.type == "agreement":
        summary["name"] = fact.attributes.name
        summary["signed"] = signing_date(fact)
    return summary


def _misses_and_false_positives(
    golds: dict[tuple[str, str], list[GoldFact]],
    facts: dict[tuple[str, str], list[Fact]],
    core: dict[tuple[str, str], Matching],
    full: dict[tuple[str, str], Matching],
) -> tuple[list[Miss], list[FalsePositive]]:
    misses, false_positives = [], []
    for key in sorted(full):
        doc, kind = key
        doc_golds, doc_facts = golds.get(key, []), facts.get(key, [])
        core_pairs = dict(core[key].pairs)
        full_paired = {g for g, _ in full[key].pairs}
        for g, gold in enumerate(doc_golds):
            if gold.optional or g in full_paired:
                continue
            nearest = doc_facts[core_pairs[g]] if g in core_pairs else None
            misses.append(
                Miss(
                    doc=doc,
                    type=kind,
                    level="core" if nearest is None else "full",
                    quote=gold.quote,
                    gold=_gold_summary(gold),
                    problems=[] if nearest is None else full_problems(gold, nearest),
                    nearest=None
                    if nearest is None
                    else _fact_summary(nearest) | {"evidence": nearest.evidence.text},
                )
            )
        core_wrong = set(core[key].false_positives)
        for f in full[key].false_positives:
            fact = doc_facts[f]
            false_positives.append(
                FalsePositive(
                    doc=doc,
                    type=kind,
                    level="core" if f in core_wrong else "full",
                    quote=fact.evidence.text,
                    predicted=_fact_summary(fact),
                )
            )
    return misses, false_positives


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


def _entity_view(row: GoldEntity) -> str:
    if isinstance(row, GoldMoney):
        return row.text or money_key(row.amount_usd)
    return row.name


def entity_scores(
    rows: Sequence[GoldEntity], entities: Sequence[Entity], docs: Iterable[str]
) -> dict[str, EntityScore]:
    """Per label, per document: the set of predicted keys against the gold set."""
    scores = {}
    doc_ids = sorted(set(docs))
    for kind, label in ENTITY_LABELS.items():
        tp = fp = fn = optional_matched = 0
        misses, false_positives = [], []
        for doc in doc_ids:
            required: dict[str, str] = {}
            optional: set[str] = set()
            for row in rows:
                if row.doc == doc and row.type == kind:
                    key = gold_entity_key(row)
                    if row.optional:
                        optional.add(key)
                    else:
                        required.setdefault(key, _entity_view(row))
            predicted: dict[str, str] = {}
            for entity in entities:
                if entity.doc_id == doc and entity.label == label:
                    entity_key = predicted_entity_key(entity)
                    if entity_key is not None:
                        view = entity.text if kind == "money" else entity.canonical
                        predicted.setdefault(entity_key, view)
            tp += len(required.keys() & predicted.keys())
            optional_matched += len((predicted.keys() & optional) - required.keys())
            for key, name in required.items():
                if key not in predicted:
                    fn += 1
                    misses.append({"doc": doc, "name": name})
            for key, name in predicted.items():
                if key not in required and key not in optional:
                    fp += 1
                    false_positives.append({"doc": doc, "name": name})
        base = Score.of(tp, fp, fn, optional_matched=optional_matched)
        scores[label] = EntityScore(
            **base.model_dump(), misses=misses, false_positives=false_positives
        )
    return scores


def date_right(gold: dt.date | None, document: Document | None) -> bool:
    if document is None:
        return False
    if gold is None:
        return document.date is None or document.date_source == "content"
    return document.date == gold


def date_scores(rows: Sequence[GoldDocument], documents: dict[str, Document]) -> Dates:
    wrong, correct = [], 0
    for row in rows:
        document = documents.get(row.doc)
        if date_right(row.date, document):
            correct += 1
            continue
        wrong.append(
            DateCheck(
                doc=row.doc,
                gold=row.date,
                predicted=document.date if document else None,
                source=document.date_source if document else "missing",
            )
        )
    return Dates(accuracy=_ratio(correct, len(rows)), correct=correct, total=len(rows), wrong=wrong)


# -- the whole evaluation ------------------------------------------------------------------


def evaluate(gold: Sequence[GoldRecord], report: Report) -> Evaluation:
    """Score ``report`` against the gold records; only documents named in the gold count."""
    gold_docs = {row.doc for row in gold}
    documents = {document.doc_id: document for document in report.documents}
    fact_rows = [row for row in gold if isinstance(row, GoldFact)]
    golds = _group((row.doc, row.type, row) for row in fact_rows)
    ignored: dict[str, int] = {}
    predictions = []
    for fact in report.facts:
        if fact.doc_id not in gold_docs:
            continue
        if out_of_scope(fact):
            ignored[fact_type(fact)] = ignored.get(fact_type(fact), 0) + 1
            continue
        predictions.append((fact.doc_id, fact_type(fact), fact))
    facts = _group(predictions)
    core, core_matchings = _level("core", golds, facts, ignored)
    full, full_matchings = _level("full", golds, facts, ignored)
    misses, false_positives = _misses_and_false_positives(
        golds, facts, core_matchings, full_matchings
    )
    entity_rows = [row for row in gold if isinstance(row, GoldEntity)]
    entities = [entity for entity in report.entities if entity.doc_id in gold_docs]
    return Evaluation(
        core=core,
        full=full,
        entities=entity_scores(entity_rows, entities, gold_docs),
        dates=date_scores([row for row in gold if isinstance(row, GoldDocument)], documents),
        misses=misses,
        false_positives=false_positives,
        missing_documents=sorted(gold_docs - documents.keys()),
        unannotated_documents=sorted(documents.keys() - gold_docs),
    )
