"""Sentence -> agreements signed, adopted or planned: the document's name, date and place.

An agreement needs a head word ("agreement", "memorandum", "roadmap") and an action word
("signed", "adopted") in one sentence. Its name runs left over capitalised words or up to
two lowercase modifiers, and right over a complement ("on cooperation in transport") up to
where the setting of the signing starts ("in Astana", "on Tuesday"), a verb joined by "and"
("and agreed to ..."), or a second agreement ("and the comprehensive program ...").

Three more shapes: the items of a list under "the following documents were signed:" take
the lead's action, date and place; an unnamed document between named parties ("a
memorandum was signed between A and B") is named by its kind; a capitalised, bilateral
agreement with a complement and no action in its sentence is ``mentioned``, never dated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.tokens import Span

from kzaz_facts.extract.context import DocumentContext, word_before
from kzaz_facts.lexicon import Lexicon
from kzaz_facts.periods import PeriodMatch, year_span
from kzaz_facts.records import AgreementFact, YearSpan

_WORD = re.compile(r"[\w’'-]+")
_LETTERS = re.compile(r"[a-z]+")
_AGO = re.compile(r"\bago\b", re.IGNORECASE)


MENTIONED = "mentioned"
"""The action of a named agreement the sentence refers to without saying what was done."""

# A list item: a dash, bullet or number opening its line ("- Memorandum ...", "2) Agreement").
_BULLET = re.compile(r"(?:[-–—•*·▪]|\d{1,2}[.)]|[a-z]\))\s+")
_MARKER = re.compile(r"\d{1,2}[.)]|[-–—•*·▪]")
_SPACE = re.compile(r"\s+")
_YEAR = re.compile(r"\s+\d{4}\b")
_NEVER = re.compile(r"(?!x)x")


@dataclass(frozen=True, slots=True)
class AgreementDraft:
    """An agreement before it becomes a record: offsets into the body text.

    ``action_span`` is where the action word stands when it is in the agreement's own
    sentence; a list item takes its action from the list's lead sentence, and a mention has
    none.
    """

    name_start: int
    name_end: int
    action: str
    action_span: tuple[int, int] | None
    signed: PeriodMatch | None
    covers: YearSpan | None
    place: str | None
    parties: list[str]
    kind: str | None
    group: int | None = None
    signatories: tuple[str, ...] = ()
    """The parties named after "between"/"by" past the name ("signed by A and B")."""
    """The list an item belongs to (its lead's offset): items of one list are distinct."""


@dataclass(frozen=True, slots=True)
class _Setting:
    """When and where something in a sentence was signed, and between which countries."""

    signed: PeriodMatch | None
    covers: YearSpan | None
    place: str | None
    parties: list[str]


@dataclass(frozen=True, slots=True)
class _ListLead:
    """ "the following documents were signed:": what its list items share."""

    action: str
    setting: _Setting
    start: int


class AgreementFinder:
    """Finds the agreements of each sentence of one document, sentences in order."""

    def __init__(
        self,
        context: DocumentContext,
        lexicon: Lexicon,
        when_words: frozenset[str],
        today: PeriodMatch | None = None,
    ) -> None:
        """``today``: the period "today" means, dating a signing "following the talks"."""
        self.context = context
        self.text = context.text
        self.lexicon = lexicon
        self.words = lexicon.words
        self.when_words = when_words
        self._complement = lexicon.complement_lead
        cues = lexicon.agreement_cues
        self._list_leads = cues.get("list_lead", _NEVER)
        self._day_cues = cues.get("day_cue", _NEVER)
        self._covers_lead = cues.get("covers_lead", _NEVER)
        document = context.document
        day = document.date_precision == "day" and document.date_source != "content"
        self._today = today if day else None
        self._trailing = (
            self.words["name_stop"] | self.words["complement_lead"] | self.words["pair_link"]
        )
        self._lead: _ListLead | None = None
        self._marker = False

    def drafts(self, sentence: Span) -> list[AgreementDraft]:
        start, end = sentence.start_char, sentence.end_char
        lead = self._lead
        if lead is not None and _MARKER.fullmatch(self.text, start, end):
            self._marker = True  # "1." split off as a sentence of its own: the item follows
            return []
        if lead is not None and (
            self._marker or _BULLET.match(self.text, start) or self._opens_with_head(start, end)
        ):
            self._marker = False
            return self._list_item(sentence, lead)
        actions = list(self.lexicon.agreement_actions.finditer(self.text, start, end))
        self._lead = self._list_lead(sentence, actions)
        if not actions:
            return self._mentions(sentence)
        found: list[AgreementDraft] = []
        taken_until = start
        for head in self.lexicon.agreement_heads.finditer(self.text, start, end):
            if head.start() < taken_until:
                continue
            named = self.name(head, start, end)
            name_span = named or self._typed(head, start, end)
            if name_span is None:
                continue
            name_start, name_end = name_span
            signatories = tuple(self._signatories(name_end, end))
            taken_until = name_end
            action = min(actions, key=lambda m: abs(m.start() - head.start()))
            setting = self._setting(sentence, name_start, name_end, action.start())
            found.append(
                AgreementDraft(
                    name_start,
                    name_end,
                    self._action(action),
                    (action.start(), action.end()),
                    setting.signed,
                    setting.covers,
                    setting.place,
                    setting.parties,
                    self._kind(head),
                    signatories=signatories,
                )
            )
        return found

    # -- lists and mentions ---------------------------------------------------------------
    def _list_lead(self, sentence: Span, actions: list[re.Match[str]]) -> _ListLead | None:
        """ "Following the talks, the following documents were signed:" opens a list."""
        start, end = sentence.start_char, sentence.end_char
        if not actions or not self.text[start:end].rstrip().endswith(":"):
            return None
        if self._list_leads.search(self.text, start, end) is None:
            return None
        action = actions[0]
        setting = self._setting(sentence, end, end, action.start())
        return _ListLead(self._action(action), setting, start)

    def _opens_with_head(self, start: int, end: int) -> bool:
        """An unmarked list item: the line opens with a document ("Agreement on ...",
        "A memorandum between ..."), an article and two modifiers at most before its head."""
        for count, word in enumerate(_WORD.finditer(self.text, start, end)):
            if self.lexicon.agreement_heads.match(self.text, word.start()):
                return True
            if count > 2:
                return False
        return False

    def _list_item(self, sentence: Span, lead: _ListLead) -> list[AgreementDraft]:
        """A bullet under a list lead: its first head names the document signed."""
        start, end = sentence.start_char, sentence.end_char
        for head in self.lexicon.agreement_heads.finditer(self.text, start, end):
            name_span = self.name(head, start, end, listed=True)
            if name_span is None:
                name_span = (head.start(), head.end())
            setting = lead.setting
            covers = self._covers(sentence, *name_span) or setting.covers
            return [
                AgreementDraft(
                    name_span[0],
                    name_span[1],
                    lead.action,
                    None,
                    setting.signed,
                    covers,
                    setting.place,
                    setting.parties,
                    self._kind(head),
                    lead.start,
                )
            ]
        return []

    def _mentions(self, sentence: Span) -> list[AgreementDraft]:
        """A capitalised agreement with a complement, named with no action ("the
        implementation of the Comprehensive Program on ..."): mentioned, never dated."""
        start, end = sentence.start_char, sentence.end_char
        found: list[AgreementDraft] = []
        taken_until = start
        for head in self.lexicon.agreement_heads.finditer(self.text, start, end):
            if head.start() < taken_until or not self.text[head.start()].isupper():
                continue
            name_span = self.name(head, start, end)
            if name_span is None or name_span[1] <= head.end() or not self._bilateral(*name_span):
                continue
            taken_until = name_span[1]
            parties = self._parties(sentence)
            covers = self._covers(sentence, *name_span)
            found.append(
                AgreementDraft(
                    *name_span, MENTIONED, None, None, covers, None, parties, self._kind(head)
                )
            )
        return found

    def _bilateral(self, name_start: int, name_end: int) -> bool:
        """The name says whose it is: "between the two countries", "Kazakh-Azerbaijani"."""
        text = self.text
        if self.lexicon.bilateral.search(text, name_start, name_end) is not None:
            return True
        if any(self.context.places_in(name_start, name_end)):
            return True
        return any(
            word.group(0).lower() == "between"
            for word in _WORD.finditer(text, name_start, name_end)
        )

    def _typed(self, head: re.Match[str], start: int, end: int) -> tuple[int, int] | None:
        """An unnamed document of a known kind signed between or by named parties ("a
        memorandum of understanding was signed between KazakhExport and ..."): the head."""
        if self.text[head.start()].isupper():
            return None
        if word_before(self.text, head.start()) not in self.words["name_stop"]:
            return None
        return (head.start(), head.end()) if self._signatories(head.end(), end) else None

    def _signatories(self, position: int, end: int) -> list[str]:
        """The capitalised parties after the first "between"/"by" past ``position``:
        "between KazakhExport and the Azerbaijan Export Promotion Agency" gives both."""
        words = self.words
        lead = next(
            (
                w
                for w in _WORD.finditer(self.text, position, end)
                if w.group(0).lower() in words["signatory_lead"]
            ),
            None,
        )
        if lead is None:
            return []
        parties: list[tuple[int, int]] = []
        current: tuple[int, int] | None = None
        last = lead.end()
        for word in _WORD.finditer(self.text, lead.end(), end):
            lower = word.group(0).lower()
            gap = self.text[last : word.start()].strip()
            if gap not in {"", ","}:
                break
            if word.group(0)[:1].isupper():
                if current is not None and gap == "":
                    current = (current[0], word.end())  # "Azerbaijan Export Promotion Agency"
                else:
                    if current is not None:
                        parties.append(current)
                    current = (word.start(), word.end())
            elif (
                current is not None
                and gap == ""
                and lower in words["complement_lead"] - words["setting_lead"]
            ):
                following = _WORD.search(self.text, word.end(), end)  # "State Oil Company of
                if following is None or not following.group(0)[:1].isupper():  # Azerbaijan"
                    break
            elif lower in words["pair_link"] and current is not None:
                parties.append(current)
                current = None
            elif not (lower in words["name_stop"] and current is None):
                break
            last = word.end()
        if current is not None:
            parties.append(current)
        return [self.text[a:b] for a, b in parties]

    # -- names ----------------------------------------------------------------------------
    def name(
        self, head: re.Match[str], start: int, end: int, *, listed: bool = False
    ) -> tuple[int, int] | None:
        """Where the agreement's name starts and ends, or None when the head names nothing.

        ``listed``: the head opens a list item, whose name may be a bare lowercase head.
        """
        text = self.text
        generic = self.lexicon.agreement_generic
        name_stop = self.words["name_stop"]
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
            if lower in name_stop or lower in self.lexicon.actions:
                break
            if token[:1].isupper():
                capitalised = True
            elif modifiers >= 2 or capitalised:
                break
            else:
                modifiers += 1
            name_start = word.start()
        name_end = head.end()
        complement = self._complement.match(text, name_end, end) or self._covers_start(
            name_end, end
        )
        if complement is not None:
            name_end = self._complement_end(name_end, end)
        if complement is None and modifiers == 0 and not capitalised and not listed:
            return None
        if (
            complement is None
            and name_start == head.start()
            and text[name_start].isupper()
            and not listed
        ):
            return None  # "the Declaration" alone names nothing
        return name_start, name_end

    def _covers_start(self, position: int, end: int) -> re.Match[str] | None:
        """ "until 2027", "through 2030" right after the head."""
        lead = _SPACE.match(self.text, position, end)
        if lead is None:
            return None
        cover = self._covers_lead.match(self.text, lead.end(), end)
        if cover is None or _YEAR.match(self.text, cover.end(), end) is None:
            return None
        return cover

    def _complement_end(self, position: int, end: int) -> int:
        """Where a complement ("on cooperation in transport") ends: at a stop word, a
        setting ("in Astana"), punctuation, or "and" + a verb or another agreement."""
        text = self.text
        kept: list[re.Match[str]] = []
        listing = False
        for word in _WORD.finditer(text, position, end):
            between = text[position : word.start()]
            gap = between.strip()
            if gap == "," and not self._listing_goes_on(listing, word.start(), end):
                break
            if gap not in {"", "-", "–", ","}:
                break
            lower = word.group(0).lower()
            if lower in self.words["complement_stop"] or self._starts_setting(
                lower, word.end(), end
            ):
                break
            if lower == "and" and self._next_head(word.end(), end):
                break
            if lower == "between":
                listing = True
            elif lower == "and":
                listing = False
            kept.append(word)
            position = word.end()
        while kept and kept[-1].group(0).lower() in self._trailing:
            kept.pop()
        return kept[-1].end() if kept else position

    def _listing_goes_on(self, listing: bool, position: int, end: int) -> bool:
        """ "between CJSC Azerbaijan Railways, JSC Kazakhstan Railways and ...": a comma in a
        list of parties, when a capitalised word follows and "and" comes before the next comma."""
        if not listing:
            return False
        following = _WORD.search(self.text, position, end)
        if following is None or not following.group(0)[:1].isupper():
            return False
        rest = self.text[position:end]
        comma = rest.find(",")
        part = rest if comma < 0 else rest[:comma]
        return " and " in part

    def _next_head(self, position: int, end: int) -> bool:
        """ "... and the comprehensive program": "and" starts a second agreement (a
        determiner and up to two modifiers may come before its head)."""
        words = self.words
        for count, word in enumerate(_WORD.finditer(self.text, position, end)):
            if self.lexicon.agreement_heads.match(self.text, word.start()):
                return True
            lower = word.group(0).lower()
            if count > 2 or lower in words["complement_lead"] or lower in words["pair_link"]:
                return False
            if count == 0 and lower in words["name_stop"]:
                continue
        return False

    def _starts_setting(self, word: str, position: int, end: int) -> bool:
        """ "in Astana", "on Tuesday": where and when it was signed, not part of the name."""
        if word not in self.words["setting_lead"]:
            return False
        following = _WORD.search(self.text, position, end)
        if following is None:
            return False
        if following.group(0).lower() in self.when_words:
            return True
        ent = next(iter(self.context.ents.between(following.start(), following.end())), None)
        return (
            ent is not None
            and ent.label_ == "GPE"
            and self.context.gazetteer.kind(ent.ent_id_ or ent.text) == "city"
        )

    # -- setting --------------------------------------------------------------------------
    def _action(self, action: re.Match[str]) -> str:
        word = action.group(0).lower()
        return self.lexicon.actions.get(word, word)

    def _kind(self, head: re.Match[str]) -> str | None:
        return self.lexicon.agreement_kinds.get(" ".join(head.group(0).lower().split()))

    def _covers(self, sentence: Span, name_start: int, name_end: int) -> YearSpan | None:
        for period in self.context.periods_of(sentence):
            span = year_span(period)
            if span is not None and name_start <= period.start and period.end <= name_end:
                return YearSpan(start_year=span[0], end_year=span[1], text=period.text)
        return None

    def _setting(
        self, sentence: Span, name_start: int, name_end: int, action_start: int
    ) -> _Setting:
        context = self.context
        covers = None
        signed: PeriodMatch | None = None
        for period in context.periods_of(sentence):
            span = year_span(period)
            inside = name_start <= period.start and period.end <= name_end
            follows = period.text.lower().startswith("for ") and 0 <= period.start - name_end <= 1
            if span is not None and (inside or follows):
                covers = YearSpan(start_year=span[0], end_year=span[1], text=period.text)
                continue
            if period.comparison or period.future or inside:
                continue
            if signed is None or abs(period.start - action_start) < abs(
                signed.start - action_start
            ):
                signed = period
        if signed is None:
            signed = self._on_the_day(sentence)
        place = None
        for ent in context.ents.of(sentence):
            canonical = ent.ent_id_ or ent.text
            if (
                ent.label_ == "GPE"
                and context.gazetteer.kind(canonical) == "city"
                and word_before(self.text, ent.start_char) in self.words["place_lead"]
            ):
                place = canonical
                break
        return _Setting(signed, covers, place, self._parties(sentence))

    def _on_the_day(self, sentence: Span) -> PeriodMatch | None:
        """ "following the talks", "during the visit": the article's own day, when known."""
        if self._today is None:
            return None
        cue = self._day_cues.search(self.text, sentence.start_char, sentence.end_char)
        if cue is None:
            return None
        return replace(self._today, start=cue.start(), end=cue.end(), text=cue.group(0))

    def _parties(self, sentence: Span) -> list[str]:
        countries = list(
            dict.fromkeys(
                p.canonical for p in self.context.places_in(sentence.start_char, sentence.end_char)
            )
        )
        return sorted(countries[:2]) if len(countries) >= 2 else list(self.context.pair)


def agreement_key(name: str, stop_words: frozenset[str]) -> frozenset[str]:
    """The words that identify an agreement's name, cut to four letters.

    >>> sorted(agreement_key("the Agreement on Transport", frozenset({"the", "on"})))
    ['agre', 'tran']
    """
    words = _LETTERS.findall(name.lower())
    return frozenset(word[:4] for word in words if word not in stop_words and len(word) > 2)


Seen = list[tuple[frozenset[str], AgreementFact, int | None]]


def merge_agreement(
    seen: Seen, fact: AgreementFact, stop_words: frozenset[str], group: int | None = None
) -> None:
    """The same agreement named twice in one document is reported once, with the best date.

    ``group``: the list the fact is an item of; two items of one list are never the same.
    """
    key = agreement_key(fact.attributes.name, stop_words)
    for index, (other_key, other, other_group) in enumerate(seen):
        if group is not None and group == other_group:
            continue
        union = key | other_key
        if union and len(key & other_key) / len(union) >= 0.7:
            if _date_quality(fact) > _date_quality(other):
                seen[index] = (key, fact, group)
            return
    seen.append((key, fact, group))


def _date_quality(fact: AgreementFact) -> tuple[int, int, bool, bool]:
    """Prefer the mention with the narrowest date, then a named date, then a place, then
    one that says what was done."""
    period = fact.period
    acted = fact.attributes.action != MENTIONED
    if period is None or period.start is None or period.end is None:
        return 0, 0, fact.attributes.place is not None, acted
    days = (period.end - period.start).days
    precision = 3 if days < 32 else 2 if days < 370 else 1
    named = 0 if _AGO.search(period.text) else 1
    return precision, named, fact.attributes.place is not None, acted
