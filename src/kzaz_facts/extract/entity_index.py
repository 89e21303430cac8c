"""The entities of one document, read once from ``doc.ents`` and looked up by position.

``doc.ents`` and ``Span.ents`` rebuild every span on each call, and ``Span.text``,
``Span.ent_id_`` and ``span._`` build ``Token`` or ``Underscore`` objects: the extractor
asks for the entities of a sentence or a few words many times per document, so texts,
canonical names and attributes are read here once.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING, Any

from spacy.tokens import Doc, Span

from kzaz_facts.components import Layout, layout, read_layout, span_values

if TYPE_CHECKING:
    from kzaz_facts.extract.context import Sentence


def token_bounds(doc: Doc) -> tuple[list[int], list[int]]:
    """The start and end character of every token, read as two columns."""
    found = read_layout(doc)
    return found.token_starts, found.token_ends


class EntityIndex:
    """The document's entities, read once from ``doc.ents``, looked up by position.

    ``doc.ents`` and ``span.ents`` rebuild every span of the document on each call; the
    extractor asks for the entities of a sentence or a few words many times per document.
    """

    def __init__(self, doc: Doc, text: str, bounds: Layout | None = None) -> None:
        """``text``: the text of ``doc`` (``doc_text``), which entity texts are cut from;
        ``bounds``: its layout, when read already."""
        self.all: list[Span] = list(doc.ents)
        self._text = text
        self._starts = [ent.start for ent in self.all]
        bounds = bounds if bounds is not None else layout(doc)
        self._token_starts, self._token_ends = bounds.token_starts, bounds.token_ends
        # ``Span.text`` and ``Span.ent_id_`` build a ``Token`` per word on every call; each
        # entity's text and canonical name are read once here, by its first token.
        self._texts = {ent.start: text[ent.start_char : ent.end_char] for ent in self.all}
        # ``doc.ents`` gives each span its first token's id, which every token of it shares.
        self._canonicals = {ent.start: ent.id_ or self._texts[ent.start] for ent in self.all}
        # ``span._.kzaz_attrs`` builds an ``Underscore`` object per call: read all at once.
        self._attrs = span_values(doc, "kzaz_attrs")

    def token_text(self, i: int) -> str:
        """The text of token ``i`` (``doc[i].text``), or "" past the last token."""
        if i >= len(self._token_starts):
            return ""
        return self._text[self._token_starts[i] : self._token_ends[i]]

    def text(self, ent: Span) -> str:
        """``ent.text`` of one of these entities."""
        return self._texts[ent.start]

    def canonical(self, ent: Span) -> str:
        """``ent.ent_id_ or ent.text`` of one of these entities: its canonical name."""
        return self._canonicals[ent.start]

    def attrs(self, ent: Span) -> dict[str, Any] | None:
        """``ent._.kzaz_attrs`` of one of these entities (the role a title gives a person)."""
        value: dict[str, Any] | None = self._attrs.get((ent.start_char, ent.end_char))
        return value

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

    def of(self, sentence: Sentence) -> list[Span]:
        return self.within(sentence.start, sentence.end)
