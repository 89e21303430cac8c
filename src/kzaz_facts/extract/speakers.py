"""Who says each sentence: quotes, "X said", "Statement by X" sections, interviews."""

from __future__ import annotations

import re
from bisect import bisect_left

from spacy.tokens import Span

from kzaz_facts.extract.context import DocumentContext, Sentence
from kzaz_facts.lexicon import Lexicon
from kzaz_facts.scan import words_pattern

# Typography, not vocabulary: the marks that open and close a quote, and the dashes that open
# an interviewer's question.
OPEN_QUOTES = "\"“«‘'"
CLOSE_QUOTES = "\"”»’'"
DASHES = "-–—"
# "As President X has mentioned," / "as noted by X": a speaker quoting someone else.
_AS_ATTRIBUTION = re.compile(r"\b[Aa]s\s+(?:[\w’'-]+\s+){0,4}$")


def role_phrase(titles: list[str]) -> re.Pattern[str]:
    """ "the president of (the Republic of) ": a title leading to a country."""
    return re.compile(
        rf"\bthe\s+({words_pattern(titles, bounded=False)})\s+of\s+(?:the\s+republic\s+of\s+)?$",
        re.I,
    )


def assign_speakers(
    context: DocumentContext, lexicon: Lexicon, roles: re.Pattern[str]
) -> list[str | None]:
    """The speaker of each of ``context.sentences`` (None where nobody is quoted)."""
    return _Speakers(context, lexicon, roles).assign()


class _Speakers:
    def __init__(self, context: DocumentContext, lexicon: Lexicon, roles: re.Pattern[str]) -> None:
        self.context = context
        self.ents = context.ents
        self.sentences = context.sentences
        self.text = context.text
        self.speech = lexicon.speech
        self.verbs = lexicon.speech_verbs
        self.roles = roles
        people = [ent for ent in context.ents.all if ent.label_ == "PERSON"]
        self._people = people
        self._person_tokens = [ent.start for ent in people]
        self._person_ends = [ent.end_char for ent in people]
        self._person_ids = [self.ents.canonical(ent) for ent in people]

    def assign(self) -> list[str | None]:
        speakers: list[str | None] = []
        section: str | None = None
        last: str | None = None
        for paragraph in self._paragraphs():
            first, stop = paragraph[0], paragraph[-1]
            para_start, para_end = self.sentences[first].start_char, self.sentences[stop].end_char
            para_text = self.text[para_start:para_end]
            people = [
                ent for ent in self.ents.between(para_start, para_end) if ent.label_ == "PERSON"
            ]
            heading = self._section_heading(para_text, para_start, people)
            if heading is not None:
                section = last = heading
                speakers.extend(None for _ in paragraph)
                continue
            is_question = para_text[:1] in DASHES and para_text.rstrip().endswith("?")
            quoted = para_text[:1] in OPEN_QUOTES
            quote_speaker = None
            if quoted:
                # "he", "the minister": the last speaker, or else the last person named.
                referent = last or self._recent_person(para_start)
                quote_speaker = self._quote_attribution(para_text, para_start, people, referent)
                if quote_speaker is None:
                    quote_speaker = last
            for index in paragraph:
                sentence = self.sentences[index]
                explicit = self._explicit(sentence, last)
                if quoted and quote_speaker is not None:
                    speaker = quote_speaker
                elif explicit is not None:
                    speaker = explicit
                elif is_question:
                    speaker = None
                else:
                    speaker = section
                if section is None and not is_question:
                    # "In an interview with X": the person named is looked up first, the
                    # interview word only in a sentence that names one.
                    interviewee = self._first_person(sentence)
                    if interviewee is not None and self.speech["interview"].search(
                        self.context.span_text(sentence)
                    ):
                        section = self.ents.canonical(interviewee)
                        speaker = speaker or section
                speakers.append(speaker)
                if explicit is not None:
                    last = explicit
                elif speaker is not None:
                    last = speaker
        return speakers

    def _first_person(self, sentence: Sentence) -> Span | None:
        """The first person of ``ents.of(sentence)``: entities do not overlap, so one that
        starts in the sentence but runs past it leaves none after it inside."""
        index = bisect_left(self._person_tokens, sentence.start)
        if index == len(self._people):
            return None
        person = self._people[index]
        return person if person.start < sentence.end and person.end <= sentence.end else None

    def _recent_person(self, position: int) -> str | None:
        """The last person named before ``position``."""
        index = bisect_left(self._person_ends, position + 1) - 1
        return self._person_ids[index] if index >= 0 else None

    def _paragraphs(self) -> list[list[int]]:
        paragraphs: list[list[int]] = []
        previous_end = 0
        for index, sentence in enumerate(self.sentences):
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
        canonical = self.ents.canonical(person)
        section = self.speech["section"].match(para_text)
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
                return self.ents.canonical(ent)
        tail = para_text[close:]
        if self.speech["reference"].search(tail) and self.speech["verb"].search(tail):
            return last
        return None

    def _explicit(self, sentence: Sentence, last: str | None) -> str | None:
        """ "X said": the person nearest the first speech verb. "He said": ``last``, the last
        speaker, or else the last person named before the sentence."""
        verb = self.verbs.search(self.text, sentence.start_char, sentence.end_char)
        if verb is None:
            return None
        # "As President X has mentioned, ..." quotes someone else inside another's speech.
        lead = self.text[max(sentence.start_char, verb.start() - 40) : verb.start()]
        if _AS_ATTRIBUTION.search(lead):
            return None
        people = [ent for ent in self.ents.of(sentence) if ent.label_ == "PERSON"]
        if people:
            closest = min(
                people,
                key=lambda ent: min(
                    abs(ent.end_char - verb.start()), abs(ent.start_char - verb.end())
                ),
            )
            return self.ents.canonical(closest)
        window_start = max(sentence.start_char, verb.start() - 60)
        role = self._role_reference(window_start, verb.start())
        if role is not None:
            return role
        if self.speech["reference"].search(self.text, window_start, verb.end() + 20):
            return last or self._recent_person(sentence.start_char)
        return None

    def _role_reference(self, start: int, end: int) -> str | None:
        """ "The president of Kazakhstan stated": the one person the gazetteer gives that role."""
        for ent in self.ents.between(start, end):
            if ent.label_ != "GPE":
                continue
            match = self.roles.search(self.text, start, ent.start_char)
            if match is not None:
                role = f"{match.group(1)} of {self.ents.canonical(ent)}"
                return self.context.gazetteer.person_by_role(role)
        return None
