"""spaCy components of the pipeline: paragraph-aware sentences and quantities.

Each component settles its tables in ``__init__`` (compiled once per process) and keeps its
per-document call small. Entities from the gazetteer come from ``kzaz_gazetteer``
(``ruler.py``), titled people from ``kzaz_people`` (``titled_people.py``); these components
only add what spaCy lacks.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

import numpy
from spacy.language import Language
from spacy.tokens import Doc, Span

from kzaz_facts.normalise import Normaliser
from kzaz_facts.periods import PeriodFinder, PeriodMatch
from kzaz_facts.tables import shared


def _register_extensions() -> None:
    if not Span.has_extension("kzaz_attrs"):
        Span.set_extension("kzaz_attrs", default=None)
    for name in (
        "kzaz_text",
        "kzaz_amounts",
        "kzaz_changes",
        "kzaz_periods",
        "kzaz_fact_sentences",
        "kzaz_agreement_sentences",
        "kzaz_layout",
    ):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


_register_extensions()


def span_values(doc: Doc, name: str) -> dict[tuple[int, int], Any]:
    """The values set on spans of ``doc`` for the extension ``name``, by the spans' character
    bounds: ``doc[a:b]._.name`` is ``span_values(doc, name).get((start_char, end_char))`` or
    the default. spaCy keeps a span's values in ``doc.user_data`` under
    ``("._.", name, start_char, end_char)``; each ``span._`` builds an ``Underscore`` object,
    which costs more than the look-up, so a document's values are read here once."""
    values: dict[tuple[int, int], Any] = {}
    for key, value in doc.user_data.items():
        if isinstance(key, tuple) and len(key) == 4 and key[:2] == ("._.", name):
            values[(key[2], key[3])] = value
    return values


@Language.component("kzaz_paragraphs", assigns=["token.is_sent_start"])
def paragraph_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headings, datelines and list items have no full stop.

    A line break that only wraps a sentence (``soft_breaks``) does not.
    """
    text = doc_text(doc)
    breaks = _line_break_tokens(doc, text)
    soft = soft_breaks(text, [idx for _, idx in breaks])
    hard = [i + 1 for i, idx in breaks if idx not in soft]
    starts = [i for i in hard if doc[i].is_sent_start is not True]
    if starts:
        # One array write, not one ``is_sent_start`` per break: spaCy checks the whole document
        # on each of those, which made 40,000 short paragraphs take half a minute.
        flags = doc.to_array("SENT_START")
        flags[starts] = 1
        # spaCy's stub asks for a 2-D array; one attribute takes the 1-D column to_array gave
        doc.from_array("SENT_START", cast(Any, flags))
    return doc


_LINE_BREAK = re.compile(r"[\r\n]")


def _line_break_tokens(doc: Doc, text: str) -> list[tuple[int, int]]:
    """The tokens holding a line break, but the last, as their index and first character.

    Only white-space tokens hold one (the tokenizer splits where white space starts and
    ends); each is found from a break's character (``char_span`` searches in C), where
    reading a column of every token would cost more than the few breaks of a text.
    """
    found: list[tuple[int, int]] = []
    end = -1
    for match in _LINE_BREAK.finditer(text):
        position = match.start()
        if position < end:
            continue  # in the token found last
        token = doc.char_span(position, position + 1, alignment_mode="expand")
        if token is None:
            continue
        end = token.end_char
        if token.start < len(doc) - 1:
            found.append((token.start, token.start_char))
    return found


# The end of a sentence, a heading's colon or a list item's semicolon, before closing quotes.
_LINE_END = re.compile(r"[.!?:;…][\"'”’»)\]]*$")
_LIST_ITEM = re.compile(r"[-–—•*·▪]\s|\d{1,2}[.)]\s|[a-z]\)\s")


def soft_breaks(text: str, positions: list[int]) -> set[int]:
    r"""The line breaks (offsets of the white space holding them) that only wrap a sentence.

    Text saved from e-mail or PDF breaks lines inside sentences. A single line break is a wrap
    when its line has no sentence end and the next line goes on in lower case; in a text with
    at least two such wraps, also when its line is long (60% of the longest wrapped line) and
    the next goes on with a capital or a digit. A blank line, a line ending in a full stop,
    colon or semicolon, and a next line opening a list item always end the sentence.

    >>> def wraps(text):
    ...     breaks = [i for i, c in enumerate(text) if c == "\n"]
    ...     return [text[i - 3 : i + 4] for i in sorted(soft_breaks(text, breaks))]
    >>> wraps("Trade grew from 109 to\n529 million dollars, while exports\nrose in\nthe first half")
    [' to\n529', 'rts\nros', ' in\nthe']
    >>> wraps("Trade grew from 109 to\n529 million dollars.")
    []
    >>> wraps("Kazakhstan and Azerbaijan sign a roadmap\nBAKU, March 3")
    []
    >>> wraps("Trade grew.\nExports rose.\n- item one\n- item two\n\nNew paragraph")
    []
    """
    lower: set[int] = set()
    other: dict[int, int] = {}
    for position in positions:
        after = position
        while after < len(text) and text[after].isspace():
            after += 1
        if after == len(text) or text.count("\n", position, after) != 1:
            continue
        line = text[text.rfind("\n", 0, position) + 1 : position].rstrip()
        if not line or _LINE_END.search(line) or _LIST_ITEM.match(text, after):
            continue
        if text[after].islower():
            lower.add(position)
        elif text[after].isupper() or text[after].isdigit():
            other[position] = len(line)
    if len(lower) < 2:
        return lower
    width = max(len(text[text.rfind("\n", 0, p) + 1 : p].rstrip()) for p in lower)
    return lower | {p for p, length in other.items() if length >= 0.6 * width}


class Quantities:
    """Amounts and relative changes of the whole text, and the periods of the sentences that
    may state a fact: those holding an amount, a change, an agreement's action word or head,
    or a tourist word (whose bare numbers the extractor may read as counts).

    Periods are found once here, sentence by sentence (most of an article needs none); every
    later step reads them from ``doc._.kzaz_periods``, sorted and non-overlapping. The
    character bounds of those sentences go to ``doc._.kzaz_fact_sentences`` (None without a
    tourist pattern): the extractor passes over the others; those of the sentences holding
    an action or head word go to ``doc._.kzaz_agreement_sentences``, the only ones the
    extractor looks for agreements in. The token and sentence bounds read on the way are
    kept in ``doc._.kzaz_layout`` for the extractor.
    """

    def __init__(
        self,
        normaliser: Normaliser,
        periods: PeriodFinder,
        actions: re.Pattern[str],
        cues: re.Pattern[str],
        counted: bool,
    ) -> None:
        """``actions``: an agreement's action or head words; ``cues``: the words other than
        amounts and changes that make a sentence's periods needed (``Lexicon.period_cues``),
        which hold wherever ``actions`` do; ``counted``: whether the tables name tourist
        words at all."""
        self.normaliser = normaliser
        self.periods = periods
        self.actions = actions
        self.cues = cues
        self.counted = counted

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        amounts, changes = self.normaliser.find_quantities(text)
        doc._.kzaz_amounts = amounts
        doc._.kzaz_changes = changes
        starts = sorted([a.start for a in amounts] + [c.start for c in changes])
        found: list[PeriodMatch] = []
        stating: list[tuple[int, int]] = []
        worded: list[tuple[int, int]] = []
        found_layout = doc._.kzaz_layout = read_layout(doc)
        for start, end in found_layout.sentence_chars:
            first = bisect.bisect_left(starts, start)
            # The cues hold in a stretch of text exactly where an action or head word or a
            # tourist word does (``Lexicon.period_cues``, ``tests/test_scan.py``): searched
            # in every sentence, they leave the action words to look for in the few that
            # hold a cue. The extractor looks for agreements only where an action or head
            # word is, also in a sentence with a figure.
            cue = self.cues.search(text, start, end) is not None
            agreement = cue and self.actions.search(text, start, end) is not None
            if agreement:
                worded.append((start, end))
            if cue or (first < len(starts) and starts[first] < end):
                found.extend(self.periods.find(text, start, end))
                stating.append((start, end))
        doc._.kzaz_periods = found
        doc._.kzaz_fact_sentences = stating if self.counted else None
        doc._.kzaz_agreement_sentences = worded
        return doc


@Language.factory(
    "kzaz_quantities",
    default_config={"data_dir": None, "tables": None},
    assigns=[
        "doc._.kzaz_amounts",
        "doc._.kzaz_changes",
        "doc._.kzaz_periods",
        "doc._.kzaz_fact_sentences",
        "doc._.kzaz_agreement_sentences",
        "doc._.kzaz_layout",
    ],
)
def make_quantities(
    nlp: Language, name: str, data_dir: str | None, tables: str | None
) -> Quantities:
    found = shared(tables, data_dir)
    lexicon = found.lexicon
    return Quantities(
        found.normaliser,
        found.periods,
        lexicon.agreement_words,
        lexicon.period_cues,
        counted="tourism" in lexicon.facts,
    )


def doc_text(doc: Doc) -> str:
    """The text of ``doc``: as given to ``make_doc`` when the caller kept it in
    ``doc._.kzaz_text``, else rebuilt from the tokens (``doc.text`` joins every token)."""
    text: str | None = doc._.kzaz_text
    return text if text is not None else doc.text


def sentence_tokens(doc: Doc) -> list[tuple[int, int]]:
    """The token bounds of the sentences, leading and trailing white space left out, empty
    sentences skipped."""
    if not len(doc):
        return []
    starts = numpy.flatnonzero(doc.to_array("SENT_START") == 1).tolist()
    bounds = ([] if starts[:1] == [0] else [0]) + starts + [len(doc)]
    spaces = doc.to_array("IS_SPACE").tolist()
    found = []
    for start, end in itertools.pairwise(bounds):
        while start < end and spaces[start]:
            start += 1
        while end > start and spaces[end - 1]:
            end -= 1
        if start < end:
            found.append((start, end))
    return found


def sentence_chars(doc: Doc) -> list[tuple[int, int]]:
    """The character bounds of the sentences of ``iter_sentences``."""
    return read_layout(doc).sentence_chars


@dataclass(frozen=True, slots=True)
class Layout:
    """Where the tokens and sentences of a document are: ``token_starts``/``token_ends`` the
    characters of each token, ``sentences`` the token bounds ``iter_sentences`` gives and
    ``sentence_chars`` their character bounds."""

    token_starts: list[int]
    token_ends: list[int]
    sentences: list[tuple[int, int]]
    sentence_chars: list[tuple[int, int]]


def read_layout(doc: Doc) -> Layout:
    """The layout of ``doc``, read from its token columns."""
    if not len(doc):
        return Layout([], [], [], [])
    # ``tolist`` of the unsigned columns ``to_array`` gives is slow; signed ones convert fast.
    columns = doc.to_array(["IDX", "LENGTH"]).astype("int64")
    starts = columns[:, 0]
    token_starts, token_ends = starts.tolist(), (starts + columns[:, 1]).tolist()
    sentences = sentence_tokens(doc)
    chars = [(token_starts[start], token_ends[end - 1]) for start, end in sentences]
    return Layout(token_starts, token_ends, sentences, chars)


def layout(doc: Doc) -> Layout:
    """The layout the ``Quantities`` component read (``doc._.kzaz_layout``, the last
    component, so no later one moved a sentence), else read now."""
    given: Layout | None = doc._.kzaz_layout
    if given is not None and len(given.token_starts) == len(doc):
        return given
    return read_layout(doc)


def iter_sentences(doc: Doc) -> Iterator[Span]:
    """Sentences without their leading and trailing line breaks, empty ones skipped."""
    # ``doc.sents`` walks every token in Python; the columns are read in one call each.
    # ``Span(doc, start, end)`` is what ``doc[start:end]`` makes, without checking the slice.
    for start, end in sentence_tokens(doc):
        yield Span(doc, start, end)
