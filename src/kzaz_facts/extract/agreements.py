"""Sentence -> agreements signed, adopted or planned: the document's name, date and place.

An agreement needs a head word ("agreement", "memorandum", "roadmap") and an action word
("signed", "adopted") in one sentence. Its name (``agreement_names.py``) runs over the words
around the head; its date, place and parties are the setting of the sentence. Names that
recur in one document are merged by ``agreement_merge.py``.

Three more shapes: the items of a list under "the following documents were signed:" take
the lead's action, date and place; an unnamed document between named parties ("a
memorandum was signed between A and B") is named by its kind; a capitalised, bilateral
agreement with a complement and no action in its sentence is ``mentioned``, never dated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from kzaz_facts.extract.agreement_merge import MENTIONED
from kzaz_facts.extract.agreement_names import WORD, NameWalker
from kzaz_facts.extract.context import DocumentContext, Sentence, word_before
from kzaz_facts.lexicon import Lexicon
from kzaz_facts.periods import PeriodMatch, year_span
from kzaz_facts.records import YearSpan

# A list item: a dash, bullet or number opening its line ("- Memorandum ...", "2) Agreement").
_BULLET = re.compile(r"(?:[-–—•*·▪]|\d{1,2}[.)]|[a-z]\))\s+")
_MARKER = re.compile(r"\d{1,2}[.)]|[-–—•*·▪]")
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
        self.names = NameWalker(context, lexicon, when_words)
        cues = lexicon.agreement_cues
        self._list_leads = cues.get("list_lead", _NEVER)
        self._day_cues = cues.get("day_cue", _NEVER)
        document = context.document
        day = document.date_precision == "day" and document.date_source != "content"
        self._today = today if day else None
        self._lead: _ListLead | None = None
        self._marker = False

    def drafts(self, sentence: Sentence) -> list[AgreementDraft]:
        lead = self._lead
        if lead is None and self.context.names_no_agreement(sentence):
            # No match of ``agreement_words``, the action and head words together, so neither
            # ``agreement_actions`` nor ``agreement_heads`` matches in the sentence: with no
            # list open the code below finds no action, keeps ``_lead`` None, finds no head to
            # mention and returns nothing.
            return []
        start, end = sentence.start_char, sentence.end_char
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
            named = self.names.name(head, start, end)
            name_span = named or self._typed(head, start, end)
            if name_span is None:
                continue
            name_start, name_end = name_span
            signatories = tuple(self.names.signatories(name_end, end))
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
    def _list_lead(self, sentence: Sentence, actions: list[re.Match[str]]) -> _ListLead | None:
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
        for count, word in enumerate(WORD.finditer(self.text, start, end)):
            if self.lexicon.agreement_heads.match(self.text, word.start()):
                return True
            if count > 2:
                return False
        return False

    def _list_item(self, sentence: Sentence, lead: _ListLead) -> list[AgreementDraft]:
        """A bullet under a list lead: its first head names the document signed."""
        start, end = sentence.start_char, sentence.end_char
        for head in self.lexicon.agreement_heads.finditer(self.text, start, end):
            name_span = self.names.name(head, start, end, listed=True)
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

    def _mentions(self, sentence: Sentence) -> list[AgreementDraft]:
        """A capitalised agreement with a complement, named with no action ("the
        implementation of the Comprehensive Program on ..."): mentioned, never dated."""
        start, end = sentence.start_char, sentence.end_char
        found: list[AgreementDraft] = []
        taken_until = start
        for head in self.lexicon.agreement_heads.finditer(self.text, start, end):
            if head.start() < taken_until or not self.text[head.start()].isupper():
                continue
            name_span = self.names.name(head, start, end)
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
            word.group(0).lower() == "between" for word in WORD.finditer(text, name_start, name_end)
        )

    def _typed(self, head: re.Match[str], start: int, end: int) -> tuple[int, int] | None:
        """An unnamed document of a known kind signed between or by named parties ("a
        memorandum of understanding was signed between KazakhExport and ..."): the head."""
        if self.text[head.start()].isupper():
            return None
        if word_before(self.text, head.start()) not in self.words["name_stop"]:
            return None
        return (head.start(), head.end()) if self.names.signatories(head.end(), end) else None

    # -- setting --------------------------------------------------------------------------
    def _action(self, action: re.Match[str]) -> str:
        word = action.group(0).lower()
        return self.lexicon.actions.get(word, word)

    def _kind(self, head: re.Match[str]) -> str | None:
        return self.lexicon.agreement_kinds.get(" ".join(head.group(0).lower().split()))

    def _covers(self, sentence: Sentence, name_start: int, name_end: int) -> YearSpan | None:
        for period in self.context.periods_of(sentence):
            span = year_span(period)
            if span is not None and name_start <= period.start and period.end <= name_end:
                return YearSpan(start_year=span[0], end_year=span[1], text=period.text)
        return None

    def _setting(
        self, sentence: Sentence, name_start: int, name_end: int, action_start: int
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
            canonical = context.ents.canonical(ent)
            if (
                ent.label_ == "GPE"
                and context.gazetteer.kind(canonical) == "city"
                and word_before(self.text, ent.start_char) in self.words["place_lead"]
            ):
                place = canonical
                break
        return _Setting(signed, covers, place, self._parties(sentence))

    def _on_the_day(self, sentence: Sentence) -> PeriodMatch | None:
        """ "following the talks", "during the visit": the article's own day, when known."""
        if self._today is None:
            return None
        cue = self._day_cues.search(self.text, sentence.start_char, sentence.end_char)
        if cue is None:
            return None
        return replace(self._today, start=cue.start(), end=cue.end(), text=cue.group(0))

    def _parties(self, sentence: Sentence) -> list[str]:
        countries = list(
            dict.fromkeys(
                p.canonical for p in self.context.places_in(sentence.start_char, sentence.end_char)
            )
        )
        return sorted(countries[:2]) if len(countries) >= 2 else list(self.context.pair)
