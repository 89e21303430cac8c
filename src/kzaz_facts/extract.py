"""Doc + Document -> typed fact records and entity mentions.

The pipeline has already tagged entities (gazetteer and titled people) and found every
amount, change and period of the body. Extraction works sentence by sentence: each figure
gets the trigger word nearest to it (trade, tourism, cargo, investment), its own clause's
period and change, the parties its clause names, and a modality. Offsets in records are
offsets into the file text: body offsets plus ``Document.body_start``.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol, TypeVar

from spacy.tokens import Doc, Span

from kzaz_facts.components import doc_text, iter_sentences
from kzaz_facts.gazetteer import Gazetteer
from kzaz_facts.lexicon import Lexicon
from kzaz_facts.normalise import AmountMatch, ChangeMatch
from kzaz_facts.periods import PeriodFinder, PeriodMatch, resolve, year_span
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
    Modality,
    Original,
    Period,
    TouristAttributes,
    TouristFact,
    TradeAttributes,
    TradeFact,
    Value,
    YearSpan,
)

Kind = Literal["trade", "tourism", "cargo", "investment"]
MONEY_KINDS: tuple[Kind, ...] = ("trade", "investment")
COUNT_UNITS = {"t": "cargo", "TEU": "cargo", "people": "tourism"}
PLACE_LABELS = frozenset({"GPE", "NORP"})
OPEN_QUOTES = "\"“«‘'"
CLOSE_QUOTES = "\"”»’'"
DASHES = "-–—"

# Between two figures of one sentence, the first separator splits what follows the first
# figure from what leads to the second: "$221 million, and in 2019 - $191 million".
_SEPARATOR = re.compile(r",|;|\s(?:and|while|whereas|but|against)\s|\s[-–—]\s")
_BILATERAL = re.compile(
    r"\b(?:bilateral|mutual|between\s+(?:our|the\s+two)\s+(?:countries|states|nations)|"
    r"our\s+(?:two\s+)?countries|two\s+countries|both\s+(?:countries|directions))\b",
    re.IGNORECASE,
)
# "As President X has mentioned," / "as noted by X": a speaker quoting someone else.
_AS_ATTRIBUTION = re.compile(r"\b[Aa]s\s+(?:[\w’'-]+\s+){0,4}$")
_ROUTE_REFERENCE = re.compile(r"\b(?:route|corridor)\b", re.IGNORECASE)
_PARTNER_WORDS = frozenset({"with", "to", "from", "and", "between"})
_WORD_BEFORE = re.compile(r"([\w’']+)\W*$")
_WORD = re.compile(r"[\w’'-]+")

T = TypeVar("T", AmountMatch, ChangeMatch, PeriodMatch)


class Anchor(Protocol):
    """What a fact hangs on in its clause: a figure, or a change stated without one."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Place:
    """A country or group mention in the body, with the word just before it."""

    canonical: str
    start: int
    end: int
    before: str
    possessive: bool
    norp: bool


@dataclass(slots=True)
class Clause:
    """What one figure owns: the text leading to it (left) and following it (right)."""

    left: int
    right: int


@dataclass(slots=True)
class Parties:
    """Who a figure belongs to; ``source``/``destination`` give its direction when it has one
    (exporter/importer, tourists' origin/destination, investor/recipient)."""

    parties: list[str] = field(default_factory=list)
    reporter: str | None = None
    flow: Literal["turnover", "export", "import"] = "turnover"
    source: str | None = None
    destination: str | None = None


@dataclass(slots=True)
class Draft:
    """A quantitative fact before it becomes a record."""

    kind: Kind
    modality: Modality
    amount: AmountMatch | None
    change: ChangeMatch | None
    period: PeriodMatch | None
    pieces: list[tuple[int, int]]
    parties: Parties
    scope: str = "total"
    target_kind: Literal["level", "increase"] | None = None
    route: str | None = None


def fact_id(doc_id: str, fact_type: str, start: int, end: int) -> str:
    """Stable across runs: a hash of the document, the fact type and the evidence offsets.

    >>> fact_id("a", "trade_turnover", 1, 5)
    '6f5057d89a9302d8'
    """
    key = f"{doc_id}|{fact_type}|{start}|{end}".encode()
    return hashlib.sha256(key).hexdigest()[:16]


def _within(items: Sequence[T], starts: Sequence[int], start: int, end: int) -> list[T]:
    first = bisect_left(starts, start)
    found = []
    for item in items[first:]:
        if item.start >= end:
            break
        if item.end <= end:
            found.append(item)
    return found


def _word_before(text: str, position: int) -> str:
    match = _WORD_BEFORE.search(text, max(0, position - 40), position)
    return match.group(1).lower() if match else ""


def _nearest(
    pattern: re.Pattern[str], text: str, start: int, end: int, anchor: int
) -> re.Match[str] | None:
    """The match of ``pattern`` in ``text[start:end]`` closest to ``anchor``."""
    best: re.Match[str] | None = None
    best_distance = 0
    for match in pattern.finditer(text, start, end):
        distance = anchor - match.end() if match.end() <= anchor else match.start() - anchor
        if best is None or distance < best_distance:
            best, best_distance = match, distance
    return best


class Extractor:
    """Turns one processed document into fact records and entity mentions."""

    def __init__(self, data_dir: Path) -> None:
        self.lexicon = Lexicon(data_dir)
        self.gazetteer = Gazetteer(data_dir)
        self.periods = PeriodFinder(data_dir)
        titles = "|".join(
            re.escape(title) for title in sorted(self.lexicon.people.titles, key=len, reverse=True)
        )
        self.role_phrase = re.compile(
            rf"\bthe\s+({titles})\s+of\s+(?:the\s+republic\s+of\s+)?$", re.I
        )

    # -- entry point ----------------------------------------------------------------------
    def extract(self, document: Document, doc: Doc) -> tuple[list[Fact], list[Entity]]:
        run = _DocumentRun(self, document, doc)
        return run.facts(), run.entities()


class _DocumentRun:
    """The state of extraction over one document (context countries, speakers, last route)."""

    def __init__(self, extractor: Extractor, document: Document, doc: Doc) -> None:
        self.role_phrase = extractor.role_phrase
        self.lexicon = extractor.lexicon
        self.gazetteer = extractor.gazetteer
        self.document = document
        self.doc = doc
        self.text = doc_text(doc)
        self.offset = document.body_start
        self.amounts: list[AmountMatch] = doc._.kzaz_amounts or []
        self.changes: list[ChangeMatch] = doc._.kzaz_changes or []
        self.period_finder = extractor.periods
        self._periods: dict[int, list[PeriodMatch]] = {}
        self.ents = _EntityIndex(doc)
        self._amount_starts = [item.start for item in self.amounts]
        self._change_starts = [item.start for item in self.changes]
        self.places = self._places()
        self._place_starts = [place.start for place in self.places]
        self.context = self._context_pair()
        self.sentences = list(iter_sentences(doc))
        self.speakers = _Speakers(self).assign()
        self.speaker_at = {
            sentence.start_char: speaker
            for sentence, speaker in zip(self.sentences, self.speakers, strict=True)
        }

    def _periods_of(self, sentence: Span) -> list[PeriodMatch]:
        """The periods of one sentence, found on first use."""
        found = self._periods.get(sentence.start_char)
        if found is None:
            found = self.period_finder.find(self.text, sentence.start_char, sentence.end_char)
            self._periods[sentence.start_char] = found
        return found

    # -- document context -----------------------------------------------------------------
    def _places(self) -> list[Place]:
        places = []
        for ent in self.ents.all:
            if ent.label_ not in PLACE_LABELS:
                continue
            canonical = ent.ent_id_ or ent.text
            if not self.gazetteer.is_country_like(canonical):
                continue
            after = self.doc[ent.end].text if ent.end < len(self.doc) else ""
            places.append(
                Place(
                    canonical=canonical,
                    start=ent.start_char,
                    end=ent.end_char,
                    before=_word_before(self.text, ent.start_char),
                    possessive=after in {"'s", "’s", "'", "’"},
                    norp=ent.label_ == "NORP",
                )
            )
        return places

    def _context_pair(self) -> list[str]:
        """The two countries the article is about: the most mentioned, first seen first."""
        counts = Counter(
            p.canonical
            for p in self.places
            if self.gazetteer.kind(p.canonical) in {"country", None}
        )
        title = self.document.title or ""
        for place in self.places:
            if place.canonical in title:
                counts[place.canonical] += 2
        order = {p.canonical: i for i, p in reversed(list(enumerate(self.places)))}
        ranked = sorted(counts, key=lambda name: (-counts[name], order[name]))
        return sorted(ranked[:2])

    def _places_in(self, start: int, end: int) -> list[Place]:
        first = bisect_left(self._place_starts, start)
        found = []
        for place in self.places[first:]:
            if place.start >= end:
                break
            found.append(place)
        return found

    # -- facts ------------------------------------------------------------------------------
    def facts(self) -> list[Fact]:
        records: list[Fact] = []
        agreements: list[tuple[frozenset[str], AgreementFact]] = []
        for index, sentence in enumerate(self.sentences):
            speaker = self.speakers[index]
            for draft in self._quantities(sentence):
                records.append(self._record(draft, sentence, speaker))
            for fact in self._agreements(sentence, speaker):
                _merge_agreement(agreements, fact)
        records.extend(fact for _, fact in agreements)
        records.sort(key=lambda fact: (fact.doc_id, fact.evidence.start, fact.type))
        return records

    def _quantities(self, sentence: Span) -> list[Draft]:
        start, end = sentence.start_char, sentence.end_char
        amounts = _within(self.amounts, self._amount_starts, start, end)
        changes = _within(self.changes, self._change_starts, start, end)
        if not amounts and not changes:
            return []
        periods = [p for p in self._periods_of(sentence) if not p.comparison]
        clauses = self._clauses(amounts, start, end)
        drafts: list[Draft] = []
        claimed: set[int] = set()
        previous: Draft | None = None
        for amount, clause in zip(amounts, clauses, strict=True):
            kind = self._kind(amount, sentence)
            if kind is None:
                continue
            draft = self._draft(kind, amount, clause, changes, periods, previous, sentence, claimed)
            drafts.append(draft)
            previous = draft
        for change in changes:
            if id(change) in claimed or _inside_any(change, amounts):
                continue
            lone = self._change_only(change, amounts, periods, sentence)
            if lone is not None:
                drafts.append(lone)
        return drafts

    def _clauses(self, amounts: list[AmountMatch], start: int, end: int) -> list[Clause]:
        clauses = [Clause(start, end) for _ in amounts]
        for i in range(len(amounts) - 1):
            gap_start, gap_end = amounts[i].end, amounts[i + 1].start
            split = _SEPARATOR.search(self.text, gap_start, gap_end)
            if split is None:
                clauses[i].right = gap_start
                clauses[i + 1].left = gap_start
            else:
                clauses[i].right = split.start()
                clauses[i + 1].left = split.end()
        return clauses

    def _kind(self, amount: AmountMatch, sentence: Span) -> Kind | None:
        start, end = sentence.start_char, sentence.end_char
        count_kind = COUNT_UNITS.get(amount.unit or "")
        if count_kind == "tourism":
            return (
                "tourism" if self.lexicon.facts["tourism"].search(self.text, start, end) else None
            )
        if count_kind == "cargo":
            has_route = any(ent.label_ == "ROUTE" for ent in self.ents.of(sentence))
            if has_route or self.lexicon.facts["cargo"].search(self.text, start, end):
                return "cargo"
            return None
        best: tuple[int, Kind] | None = None
        for kind in MONEY_KINDS:
            match = _nearest(self.lexicon.facts[kind], self.text, start, end, amount.start)
            if match is None:
                continue
            before = match.end() <= amount.start
            distance = amount.start - match.end() if before else 2 * (match.start() - amount.end)
            if best is None or distance < best[0]:
                best = (distance, kind)
        return best[1] if best else None

    def _draft(
        self,
        kind: Kind,
        amount: AmountMatch,
        clause: Clause,
        changes: list[ChangeMatch],
        periods: list[PeriodMatch],
        previous: Draft | None,
        sentence: Span,
        claimed: set[int],
    ) -> Draft:
        # Only a trigger in the figure's own clause joins the evidence: "…, while the
        # countries aim to bring this figure to $1 billion" quotes the goal clause alone.
        trigger = _nearest(
            self.lexicon.facts[kind], self.text, clause.left, clause.right, amount.start
        )
        change = self._own_change(amount, clause, changes)
        if change is not None:
            claimed.add(id(change))
        period = self._own_period(amount, clause, periods)
        modality, cue = self._modality(clause.left, amount.start)
        pieces = [(amount.start, amount.end)]
        for part in (trigger, change, period, cue):
            if part is None:
                continue
            span = (
                (part.start(), part.end()) if isinstance(part, re.Match) else (part.start, part.end)
            )
            if sentence.start_char <= span[0] and span[1] <= sentence.end_char:
                pieces.append(span)
        if (
            period is None
            and previous is not None
            and previous.kind == kind
            and previous.modality == modality
        ):
            period = previous.period
        draft = Draft(kind, modality, amount, change, period, pieces, Parties())
        return self._complete(draft, amount, clause, sentence, previous)

    def _complete(
        self, draft: Draft, anchor: Anchor, clause: Clause, sentence: Span, previous: Draft | None
    ) -> Draft:
        """Fill what depends on the kind of fact: target kind, parties, scope, route."""
        if draft.modality == "target":
            # "increase … by $300 million" is an increase; "bring … to $1 billion" a level;
            # a lone change ("can be increased five times") is always an increase.
            by = _word_before(self.text, anchor.start) == "by"
            draft.target_kind = "increase" if draft.amount is None or by else "level"
        if draft.kind == "trade":
            draft.parties = self._trade_parties(anchor, clause, sentence, previous)
            draft.scope = self._scope(clause.left, anchor.start) or "total"
        elif draft.kind == "tourism":
            draft.parties = self._tourist_parties(clause, sentence)
        elif draft.kind == "investment":
            draft.parties = self._investment_parties(clause, sentence)
        else:
            draft.route = self._route(sentence, anchor.start)
        return draft

    def _own_change(
        self, amount: AmountMatch, clause: Clause, changes: list[ChangeMatch]
    ) -> ChangeMatch | None:
        after = [c for c in changes if amount.end <= c.start and c.end <= clause.right]
        if after:
            return after[0]
        before = [c for c in changes if clause.left <= c.start and c.end <= amount.start]
        return before[-1] if before else None

    def _own_period(
        self, anchor: Anchor, clause: Clause, periods: list[PeriodMatch]
    ) -> PeriodMatch | None:
        """The period nearest to the figure (or lone change) within its clause."""
        best: PeriodMatch | None = None
        best_distance = 0
        for period in periods:
            if clause.left <= period.start and period.end <= anchor.start:
                distance = anchor.start - period.end
            elif anchor.end <= period.start and period.end <= clause.right:
                distance = period.start - anchor.end
            else:
                continue
            if best is None or distance < best_distance:
                best, best_distance = period, distance
        return best

    def _modality(self, left: int, position: int) -> tuple[Modality, re.Match[str] | None]:
        """``target`` when a goal cue leads to the figure, with the cue for the evidence."""
        cues = list(self.lexicon.modality["target"].finditer(self.text, left, position))
        if cues:
            # A cue inside a period is a word of the date: "In January-May 2023" holds no goal.
            periods = self.period_finder.find(self.text, left, position)
            cues = [
                cue
                for cue in cues
                if not any(p.start <= cue.start() and cue.end() <= p.end for p in periods)
            ]
        if not cues:
            return "actual", None
        target = cues[-1]
        for actual in self.lexicon.modality["actual"].finditer(self.text, target.end(), position):
            # "can be increased" stays a goal; "has increased", "amounted" after a cue do not.
            if _word_before(self.text, actual.start()) != "be":
                return "actual", None
        return "target", target

    def _scope(self, start: int, end: int) -> str | None:
        best: tuple[int, str] | None = None
        for scope, pattern in self.lexicon.scopes.items():
            for match in pattern.finditer(self.text, start, end):
                if best is None or match.start() > best[0]:
                    best = (match.start(), scope)
        return best[1] if best else None

    def _route(self, sentence: Span, position: int) -> str | None:
        routes = [ent for ent in self.ents.of(sentence) if ent.label_ == "ROUTE"]
        if routes:
            nearest = min(routes, key=lambda ent: abs(ent.start_char - position))
            return nearest.ent_id_ or nearest.text
        if _ROUTE_REFERENCE.search(sentence.text):
            earlier = [
                ent
                for ent in self.ents.all
                if ent.label_ == "ROUTE" and ent.end_char <= sentence.start_char
            ]
            if earlier:
                return earlier[-1].ent_id_ or earlier[-1].text
        return None

    # -- parties ----------------------------------------------------------------------------
    def _other(self, party: str) -> str | None:
        if party in self.context and len(self.context) == 2:
            return self.context[1] if self.context[0] == party else self.context[0]
        return None

    def _bilateral(self, sentence: Span) -> bool:
        return _BILATERAL.search(sentence.text) is not None

    def _trade_parties(
        self, amount: Anchor, clause: Clause, sentence: Span, previous: Draft | None
    ) -> Parties:
        left = self._places_in(clause.left, amount.start)
        right = [
            p
            for p in self._places_in(amount.end, min(clause.right, amount.end + 40))
            if p.before in {"with", "to", "from"}
        ][:1]
        flow_word = _nearest(
            self.lexicon.facts["trade"], self.text, clause.left, amount.start, amount.start
        )
        if flow_word is None:
            flow_word = _nearest(
                self.lexicon.facts["trade"],
                self.text,
                sentence.start_char,
                amount.start,
                amount.start,
            )
        flow: Literal["turnover", "export", "import"] = "turnover"
        if flow_word is not None:
            word = flow_word.group(0).lower()
            if word.startswith("export"):
                flow = "export"
            elif word.startswith("import"):
                flow = "import"
        result = Parties(flow=flow)
        between = [p for p in left if p.before in {"between", "and"}]
        reporters = [p for p in left if p.before not in _PARTNER_WORDS]
        partners = [p for p in left if p.before in _PARTNER_WORDS] + right
        inherited = previous.parties if previous is not None and previous.kind == "trade" else None
        reporter = reporters[0].canonical if reporters else None
        partner = partners[-1].canonical if partners else None
        if inherited is not None and partner is None and len(left) == 1 and not left[0].possessive:
            # A list continues the first figure's reporter: "…, Russia ($27 billion)".
            reporter, partner = inherited.reporter, left[0].canonical
        if len(between) >= 2 and between[0].before == "between":
            reporter, partner = between[0].canonical, between[1].canonical
        if reporter is None and partner is not None:
            reporter = (inherited.reporter if inherited else None) or self._fallback_reporter(
                partner, sentence
            )
        if reporter is not None and partner is None and len(reporters) >= 2:
            partner = reporters[1].canonical
        if reporter is not None and partner is None and self._bilateral(sentence):
            partner = self._other(reporter)
        if reporter is None and partner is None:
            if inherited is not None:
                return inherited
            sentence_places = self._places_in(sentence.start_char, sentence.end_char)
            distinct = list(dict.fromkeys(p.canonical for p in sentence_places))
            if len(distinct) == 2:
                reporter, partner = distinct
            elif len(distinct) == 1:
                reporter, partner = distinct[0], self._other(distinct[0])
            else:
                pair = self.context
                reporter, partner = (pair[0], pair[1]) if len(pair) == 2 else (None, None)
        names = [name for name in (reporter, partner) if name]
        result.parties = sorted(set(names))
        result.reporter = reporter
        if flow == "export":
            result.source, result.destination = self._direction(left + right, reporter, partner)
        elif flow == "import":
            importer, exporter = self._direction(left + right, reporter, partner)
            result.source, result.destination = exporter, importer
        return result

    def _direction(
        self, places: list[Place], first: str | None, second: str | None
    ) -> tuple[str | None, str | None]:
        """(from, to) of an export/import clause: explicit "from X"/"to Y" beat subject order."""
        source = next((p.canonical for p in places if p.before == "from"), None)
        target = next((p.canonical for p in places if p.before in {"to", "into"}), None)
        if source and target:
            return source, target
        if source:
            # "imports from Azerbaijan": the reporter receives.
            return first if first != source else second, source
        return first, second

    def _fallback_reporter(self, partner: str, sentence: Span) -> str | None:
        speaker = self.speaker_at.get(sentence.start_char)
        row = self.gazetteer.attributes.get(speaker) if speaker else None
        speaker_country = row.country if row else None
        if speaker_country and speaker_country != partner:
            return speaker_country
        return self._other(partner)

    def _tourist_parties(self, clause: Clause, sentence: Span) -> Parties:
        places = self._places_in(clause.left, clause.right)
        origin = next((p.canonical for p in places if p.before == "from" or p.norp), None)
        destination = next(
            (
                p.canonical
                for p in places
                if p.before in {"to", "in", "visited", "visiting", "into"}
            ),
            None,
        )
        if origin and not destination:
            destination = self._other(origin)
        elif destination and not origin:
            origin = self._other(destination)
        if origin is None and destination is None and self._bilateral(sentence):
            return Parties(parties=list(self.context))
        return Parties(
            parties=sorted({n for n in (origin, destination) if n}),
            source=origin,
            destination=destination,
        )

    def _investment_parties(self, clause: Clause, sentence: Span) -> Parties:
        places = self._places_in(clause.left, clause.right)
        source = next((p.canonical for p in places if p.before == "from" or p.norp), None)
        recipient = next((p.canonical for p in places if p.before in {"in", "into"}), None)
        subject = next(
            (p for p in places if p.before not in _PARTNER_WORDS | {"in", "into"} and not p.norp),
            None,
        )
        if subject is not None:
            verb = re.search(
                r"\b(attract\w*|receiv\w*|invest\w*)", self.text[subject.end : clause.right], re.I
            )
            if verb is not None and verb.group(1).lower().startswith("invest"):
                source = source or subject.canonical
            elif recipient is None:
                recipient = subject.canonical
        if source is None and recipient is None and self._bilateral(sentence):
            return Parties(parties=list(self.context))
        return Parties(
            parties=sorted({n for n in (source, recipient) if n}),
            source=source,
            destination=recipient,
        )

    # -- change-only facts ------------------------------------------------------------------
    def _change_only(
        self,
        change: ChangeMatch,
        amounts: list[AmountMatch],
        periods: list[PeriodMatch],
        sentence: Span,
    ) -> Draft | None:
        left = max([a.end for a in amounts if a.end <= change.start], default=sentence.start_char)
        best: tuple[int, Kind, re.Match[str]] | None = None
        for kind in ("trade", "tourism", "cargo", "investment"):
            match = _nearest(self.lexicon.facts[kind], self.text, left, change.start, change.start)
            if match is not None and (best is None or match.end() > best[2].end()):
                best = (match.end(), kind, match)
        if best is None:
            return None
        _, kind, trigger = best
        modality, _ = self._modality(left, change.start)
        clause = Clause(left, sentence.end_char)
        period = self._own_period(change, clause, periods)
        pieces = [(trigger.start(), trigger.end()), (change.start, change.end)]
        if period is not None:
            pieces.append((period.start, period.end))
        draft = Draft(kind, modality, None, change, period, pieces, Parties())
        return self._complete(draft, change, clause, sentence, None)

    # -- agreements -------------------------------------------------------------------------
    def _agreements(self, sentence: Span, speaker: str | None) -> list[AgreementFact]:
        start, end = sentence.start_char, sentence.end_char
        actions = list(self.lexicon.agreement_actions.finditer(self.text, start, end))
        if not actions:
            return []
        found: list[AgreementFact] = []
        taken_until = start
        for head in self.lexicon.agreement_heads.finditer(self.text, start, end):
            if head.start() < taken_until:
                continue
            name_span = self._agreement_name(head, start, end)
            if name_span is None:
                continue
            name_start, name_end = name_span
            taken_until = name_end
            action = min(actions, key=lambda m: abs(m.start() - head.start()))
            found.append(self._agreement(sentence, speaker, name_start, name_end, action))
        return found

    def _agreement_name(self, head: re.Match[str], start: int, end: int) -> tuple[int, int] | None:
        text = self.text
        generic = self.lexicon.agreement_generic
        name_start = head.start()
        capitalised = text[head.start()].isupper()
        modifiers = 0
        # Left: capitalised words ("Comprehensive Program") or up to two lowercase modifiers
        # ("strategic declaration"), never across a determiner or a verb of signing.
        for word in reversed(list(_WORD.finditer(text, start, head.start()))):
            between = text[word.end() : name_start]
            if between.strip() not in {"", "-"}:
                break
            token = word.group(0)
            lower = token.lower()
            if lower in generic:
                return None
            if lower in _NAME_STOP or lower in self.lexicon.actions:
                break
            if token[:1].isupper():
                capitalised = True
            elif modifiers >= 2 or capitalised:
                break
            else:
                modifiers += 1
            name_start = word.start()
        name_end = head.end()
        complement = re.match(
            r"\s+(?:on|of|for|between|to|in|regarding|about)\b", text[name_end:end]
        )
        if complement is not None:
            position = name_end
            for word in _WORD.finditer(text, name_end, end):
                between = text[position : word.start()]
                if between.strip() not in {"", "-", "–"}:
                    break
                lower = word.group(0).lower()
                if lower in _COMPLEMENT_STOP or self._starts_setting(lower, word.end(), end):
                    break
                position = word.end()
            name_end = position
        if complement is None and modifiers == 0 and not capitalised:
            return None
        if complement is None and name_start == head.start() and text[name_start].isupper():
            return None  # "the Declaration" alone names nothing
        return name_start, name_end

    def _starts_setting(self, word: str, position: int, end: int) -> bool:
        """ "in Astana", "on Tuesday": where and when it was signed, not part of the name."""
        if word not in {"in", "at", "on"}:
            return False
        following = _WORD.search(self.text, position, end)
        if following is None:
            return False
        if following.group(0).lower() in _WHEN_WORDS:
            return True
        ent = next(iter(self.ents.between(following.start(), following.end())), None)
        return (
            ent is not None
            and ent.label_ == "GPE"
            and self.gazetteer.kind(ent.ent_id_ or ent.text) == "city"
        )

    def _agreement(
        self,
        sentence: Span,
        speaker: str | None,
        name_start: int,
        name_end: int,
        action: re.Match[str],
    ) -> AgreementFact:
        name = self.text[name_start:name_end]
        covers = None
        periods = self._periods_of(sentence)
        signed: PeriodMatch | None = None
        for period in periods:
            span = year_span(period)
            inside = name_start <= period.start and period.end <= name_end
            follows = period.text.lower().startswith("for ") and 0 <= period.start - name_end <= 1
            if span is not None and (inside or follows):
                covers = YearSpan(start_year=span[0], end_year=span[1], text=period.text)
                continue
            if period.comparison or period.future or inside:
                continue
            if signed is None or abs(period.start - action.start()) < abs(
                signed.start - action.start()
            ):
                signed = period
        place = None
        for ent in self.ents.of(sentence):
            canonical = ent.ent_id_ or ent.text
            if (
                ent.label_ == "GPE"
                and self.gazetteer.kind(canonical) == "city"
                and _word_before(self.text, ent.start_char) in {"in", "to", "at"}
            ):
                place = canonical
                break
        countries = list(
            dict.fromkeys(
                p.canonical for p in self._places_in(sentence.start_char, sentence.end_char)
            )
        )
        parties = sorted(countries[:2]) if len(countries) >= 2 else list(self.context)
        start = min(name_start, action.start())
        end = max(name_end, action.end())
        evidence = self._evidence(sentence, start, end)
        return AgreementFact(
            id=fact_id(self.document.doc_id, "agreement", evidence.start, evidence.end),
            doc_id=self.document.doc_id,
            content_hash=self.document.content_hash,
            period=self._period(signed) if signed else None,
            parties=parties,
            speaker=speaker,
            evidence=evidence,
            attributes=AgreementAttributes(
                name=name,
                action=self.lexicon.actions.get(action.group(0).lower(), action.group(0).lower()),
                place=place,
                covers=covers,
            ),
        )

    # -- records ----------------------------------------------------------------------------
    def _evidence(self, sentence: Span, start: int, end: int) -> Evidence:
        offset = self.offset
        return Evidence(
            start=start + offset,
            end=end + offset,
            text=self.text[start:end],
            sentence=sentence.text,
            sentence_start=sentence.start_char + offset,
            sentence_end=sentence.end_char + offset,
        )

    def _span(self, start: int, end: int) -> tuple[int, int]:
        return start + self.offset, end + self.offset

    def _period(self, match: PeriodMatch) -> Period:
        reference = self.document.date
        resolved = resolve(
            match, reference, reference_inferred=self.document.date_source == "content"
        )
        return Period(
            start=resolved.start,
            end=resolved.end,
            text=match.text,
            resolved=resolved.resolved,
            span=self._span(match.start, match.end),
        )

    def _value(self, amount: AmountMatch) -> Value:
        # Only trade and investment figures may lack a unit (count units decide the kind).
        unit, inferred = (amount.unit, False) if amount.unit else ("USD", True)
        original = None
        if amount.original_amount is not None and amount.original_unit is not None:
            original = Original(amount=amount.original_amount, unit=amount.original_unit)
        return Value(
            amount=amount.amount,
            unit=unit,
            approximate=amount.approximate,
            qualifier=amount.qualifier,
            low=amount.low,
            high=amount.high,
            original=original,
            unit_inferred=inferred,
            text=amount.text,
            span=self._span(amount.start, amount.end),
        )

    def _change(self, change: ChangeMatch) -> Change:
        return Change(
            percent=change.percent,
            multiplier=change.multiplier,
            low=change.low,
            high=change.high,
            approximate=change.approximate,
            text=change.text,
            span=self._span(change.start, change.end),
        )

    def _record(self, draft: Draft, sentence: Span, speaker: str | None) -> Fact:
        start = min(piece[0] for piece in draft.pieces)
        end = max(piece[1] for piece in draft.pieces)
        evidence = self._evidence(sentence, start, end)
        value = self._value(draft.amount) if draft.amount is not None else None
        change = self._change(draft.change) if draft.change is not None else None
        period = self._period(draft.period) if draft.period is not None else None
        horizon = period.text if period is not None and draft.modality == "target" else None
        parties = draft.parties
        common = {
            "doc_id": self.document.doc_id,
            "content_hash": self.document.content_hash,
            "modality": draft.modality,
            "value": value,
            "change": change,
            "period": period,
            "parties": parties.parties,
            "speaker": speaker,
            "evidence": evidence,
        }
        target = {"target_kind": draft.target_kind, "horizon": horizon}
        doc_id = self.document.doc_id
        if draft.kind == "trade":
            return TradeFact(
                id=fact_id(doc_id, "trade_turnover", evidence.start, evidence.end),
                attributes=TradeAttributes(
                    scope=draft.scope,
                    flow=parties.flow,
                    exporter=parties.source,
                    importer=parties.destination,
                    **target,
                ),
                **common,
            )
        if draft.kind == "tourism":
            return TouristFact(
                id=fact_id(doc_id, "tourist_flow", evidence.start, evidence.end),
                attributes=TouristAttributes(
                    origin=parties.source, destination=parties.destination, **target
                ),
                **common,
            )
        if draft.kind == "investment":
            return InvestmentFact(
                id=fact_id(doc_id, "investment", evidence.start, evidence.end),
                attributes=InvestmentAttributes(
                    source=parties.source, recipient=parties.destination, **target
                ),
                **common,
            )
        return CargoFact(
            id=fact_id(doc_id, "cargo_volume", evidence.start, evidence.end),
            attributes=CargoAttributes(route=draft.route, **target),
            **common,
        )

    # -- entities ---------------------------------------------------------------------------
    def entities(self) -> list[Entity]:
        doc_id = self.document.doc_id
        offset = self.offset
        found: list[Entity] = []
        for ent in self.ents.all:
            canonical = ent.ent_id_ or ent.text
            attrs: dict[str, str | int | float | bool | None] = {}
            row = self.gazetteer.attributes.get(canonical)
            if row is not None:
                attrs.update(
                    {
                        k: v
                        for k, v in (
                            ("kind", row.kind),
                            ("role", row.role),
                            ("country", row.country),
                        )
                        if v
                    }
                )
            if ent._.kzaz_attrs:
                attrs.update({k: v for k, v in ent._.kzaz_attrs.items() if v})
            found.append(
                Entity(
                    doc_id=doc_id,
                    label=ent.label_,
                    text=ent.text,
                    canonical=canonical,
                    start=ent.start_char + offset,
                    end=ent.end_char + offset,
                    attrs=attrs,
                )
            )
        for amount in self.amounts:
            unit = amount.unit
            money = unit is None or unit not in COUNT_UNITS
            attrs = {"amount": amount.amount, "approximate": amount.approximate}
            attrs["currency" if money else "unit"] = unit
            found.append(
                Entity(
                    doc_id=doc_id,
                    label="MONEY" if money else "QUANTITY",
                    text=amount.text,
                    canonical=amount.text,
                    start=amount.start + offset,
                    end=amount.end + offset,
                    attrs=attrs,
                )
            )
        found.sort(key=lambda entity: (entity.start, entity.end, entity.label))
        return found


_NAME_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "our",
        "their",
        "its",
        "his",
        "her",
        "my",
        "your",
        "of",
        "and",
        "or",
        "to",
        "in",
        "on",
        "for",
        "with",
        "by",
        "at",
        "from",
        "as",
        "we",
        "they",
        "he",
        "she",
        "it",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "will",
        "would",
        "today's",
    ]
)
_WHEN_WORDS = frozenset(
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)
_COMPLEMENT_STOP = frozenset(
    [
        "was",
        "were",
        "is",
        "are",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "will",
        "would",
        "shall",
        "can",
        "could",
        "may",
        "might",
        "should",
        "which",
        "that",
        "who",
        "whose",
        "signed",
        "adopted",
        "approved",
        "ratified",
        "concluded",
        "inked",
        "during",
        "at",
        "by",
        "within",
        "also",
        "aims",
        "aimed",
        "as",
        "today",
    ]
)


class _EntityIndex:
    """The document's entities, read once from ``doc.ents``, looked up by position.

    ``doc.ents`` and ``span.ents`` rebuild every span of the document on each call; the
    extractor asks for the entities of a sentence or a few words many times per document.
    """

    def __init__(self, doc: Doc) -> None:
        self.all: list[Span] = list(doc.ents)
        self._starts = [ent.start for ent in self.all]
        columns = doc.to_array(["IDX", "LENGTH"]).tolist() if len(doc) else []
        self._token_starts = [start for start, _ in columns]
        self._token_ends = [start + length for start, length in columns]

    def within(self, start: int, end: int) -> list[Span]:
        """Entities inside tokens ``start``..``end`` (``Span.ents``)."""
        found = []
        for ent in self.all[bisect_left(self._starts, start) :]:
            if ent.start >= end:
                break
            if ent.end <= end:
                found.append(ent)
        return found

    def between(self, start: int, end: int) -> list[Span]:
        """Entities inside the tokens that the characters ``start``..``end`` touch."""
        first = bisect_right(self._token_ends, start)
        stop = bisect_left(self._token_starts, end)
        return self.within(first, stop) if first < stop else []

    def of(self, sentence: Span) -> list[Span]:
        return self.within(sentence.start, sentence.end)


def _inside_any(change: ChangeMatch, amounts: list[AmountMatch]) -> bool:
    return any(a.start <= change.start and change.end <= a.end for a in amounts)


def _agreement_key(name: str) -> frozenset[str]:
    words = re.findall(r"[a-z]+", name.lower())
    return frozenset(word[:4] for word in words if word not in _NAME_STOP and len(word) > 2)


def _merge_agreement(seen: list[tuple[frozenset[str], AgreementFact]], fact: AgreementFact) -> None:
    """The same agreement named twice in one document is reported once, with the best date."""
    key = _agreement_key(fact.attributes.name)
    for index, (other_key, other) in enumerate(seen):
        union = key | other_key
        if union and len(key & other_key) / len(union) >= 0.7:
            if _date_quality(fact) > _date_quality(other):
                seen[index] = (key, fact)
            return
    seen.append((key, fact))


def _date_quality(fact: AgreementFact) -> tuple[int, int, bool]:
    """Prefer the mention with the narrowest date, then a named date, then a place."""
    period = fact.period
    if period is None or period.start is None or period.end is None:
        return 0, 0, fact.attributes.place is not None
    days = (period.end - period.start).days
    precision = 3 if days < 32 else 2 if days < 370 else 1
    named = 0 if re.search(r"\bago\b", period.text, re.IGNORECASE) else 1
    return precision, named, fact.attributes.place is not None


class _Speakers:
    """Who says each sentence: quotes, "X said", "Statement by X" sections, interviews."""

    def __init__(self, run: _DocumentRun) -> None:
        self.run = run
        people = [ent for ent in run.ents.all if ent.label_ == "PERSON"]
        self._person_ends = [ent.end_char for ent in people]
        self._person_ids = [ent.ent_id_ or ent.text for ent in people]
        self.lexicon = run.lexicon
        self.text = run.text

    def assign(self) -> list[str | None]:
        run = self.run
        speakers: list[str | None] = []
        section: str | None = None
        last: str | None = None
        for paragraph in self._paragraphs():
            first, stop = paragraph[0], paragraph[-1]
            para_start, para_end = run.sentences[first].start_char, run.sentences[stop].end_char
            para_text = self.text[para_start:para_end]
            people = [
                ent for ent in run.ents.between(para_start, para_end) if ent.label_ == "PERSON"
            ]
            heading = self._section_heading(para_text, para_start, people)
            if heading is not None:
                section = last = heading
                speakers.extend(None for _ in paragraph)
                continue
            is_question = para_text[:1] in DASHES and para_text.rstrip().endswith("?")
            quoted = para_text[:1] in OPEN_QUOTES
            # "he", "the minister": the last speaker, or else the last person named.
            referent = last or self._recent_person(para_start)
            quote_speaker = (
                self._quote_attribution(para_text, para_start, people, referent) if quoted else None
            )
            if quoted and quote_speaker is None:
                quote_speaker = last
            for index in paragraph:
                sentence = run.sentences[index]
                explicit = self._explicit(
                    sentence, last or self._recent_person(sentence.start_char)
                )
                if quoted and quote_speaker is not None:
                    speaker = quote_speaker
                elif explicit is not None:
                    speaker = explicit
                elif is_question:
                    speaker = None
                else:
                    speaker = section
                if (
                    section is None
                    and not is_question
                    and self.lexicon.speech["interview"].search(sentence.text)
                ):
                    interviewee = next(
                        (ent for ent in run.ents.of(sentence) if ent.label_ == "PERSON"), None
                    )
                    if interviewee is not None:
                        section = interviewee.ent_id_ or interviewee.text
                        speaker = speaker or section
                speakers.append(speaker)
                if explicit is not None:
                    last = explicit
                elif speaker is not None:
                    last = speaker
        return speakers

    def _recent_person(self, position: int) -> str | None:
        """The last person named before ``position``."""
        index = bisect_left(self._person_ends, position + 1) - 1
        return self._person_ids[index] if index >= 0 else None

    def _paragraphs(self) -> list[list[int]]:
        paragraphs: list[list[int]] = []
        previous_end = 0
        for index, sentence in enumerate(self.run.sentences):
            gap = self.text[previous_end : sentence.start_char]
            if not paragraphs or "\n" in gap or "\r" in gap:
                paragraphs.append([index])
            else:
                paragraphs[-1].append(index)
            previous_end = sentence.end_char
        return paragraphs

    def _section_heading(self, para_text: str, para_start: int, people: list[Span]) -> str | None:
        """ "Statement by President X" or "President X:" opens a section that X speaks."""
        if not people:
            return None
        person = people[0]
        canonical = person.ent_id_ or person.text
        section = self.lexicon.speech["section"].match(para_text)
        if section is not None and "\n" not in para_text.strip() and len(para_text) < 120:
            return canonical
        after = self.text[person.end_char : person.end_char + 2]
        if after.startswith(":") and person.start_char - para_start < 40:
            return canonical
        return None

    def _quote_attribution(
        self, para_text: str, para_start: int, people: list[Span], last: str | None
    ) -> str | None:
        close = max(para_text.rfind(q) for q in CLOSE_QUOTES)
        if close <= 0:
            return None
        tail_start = para_start + close
        for ent in people:
            if ent.start_char >= tail_start:
                return ent.ent_id_ or ent.text
        tail = para_text[close:]
        if self.lexicon.speech["reference"].search(tail) and self.lexicon.speech["verb"].search(
            tail
        ):
            return last
        return None

    def _explicit(self, sentence: Span, last: str | None) -> str | None:
        verbs = list(
            self.lexicon.speech["verb"].finditer(self.text, sentence.start_char, sentence.end_char)
        )
        if not verbs:
            return None
        people = [ent for ent in self.run.ents.of(sentence) if ent.label_ == "PERSON"]
        verb = verbs[0]
        # "As President X has mentioned, ..." quotes someone else inside another's speech.
        lead = self.text[max(sentence.start_char, verb.start() - 40) : verb.start()]
        if _AS_ATTRIBUTION.search(lead):
            return None
        if people:
            nearest = min(
                people,
                key=lambda ent: min(
                    abs(ent.end_char - verb.start()), abs(ent.start_char - verb.end())
                ),
            )
            return nearest.ent_id_ or nearest.text
        window_start = max(sentence.start_char, verb.start() - 60)
        role = self._role_reference(window_start, verb.start())
        if role is not None:
            return role
        if self.lexicon.speech["reference"].search(self.text, window_start, verb.end() + 20):
            return last
        return None

    def _role_reference(self, start: int, end: int) -> str | None:
        """ "The president of Kazakhstan stated": the one person the gazetteer gives that role."""
        for ent in self.run.ents.between(start, end):
            if ent.label_ != "GPE":
                continue
            match = self.run.role_phrase.search(self.text, start, ent.start_char)
            if match is not None:
                role = f"{match.group(1)} of {ent.ent_id_ or ent.text}"
                return self.run.gazetteer.person_by_role(role)
        return None
