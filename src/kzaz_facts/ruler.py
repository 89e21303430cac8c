"""Gazetteer entities from ``data/entities/*.jsonl`` ruler rows, matched by phrase matchers.

The rows are spaCy EntityRuler rows (``{"label", "pattern", "id"}``), and matches are
resolved the way the EntityRuler resolves them: longest first, then earliest, never over
an entity already set. The difference is speed. A phrase (``"Aktau"``) and a token pattern
made only of ``LOWER`` and ``ORTH`` tokens (``[{"ORTH": "Aktau"}, {"LOWER": "port"}]``) go to
one ``LOWER`` ``PhraseMatcher``, with their ``ORTH`` tokens (every token of a phrase) checked
on the few matches, instead of spaCy's token ``Matcher``, which steps through every pattern
at every token, and a second phrase matcher, which would pass over the text again. Any
other token pattern still goes to the ``Matcher``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokenizer import Tokenizer  # type: ignore[import-not-found]
from spacy.tokens import Doc, Span

from kzaz_facts.gazetteer import PatternRow
from kzaz_facts.tables import shared

Match = tuple[int, int, int]  # rule index, start token, end token
Phrase = tuple[int, ...]  # a phrase's tokens, as the ORTH or LOWER values a matcher compares
_PHRASES = "kzaz_gazetteer"  # the one match key of each phrase matcher
_OUTSIDE = 2  # a token's ``ent_iob`` outside every entity ("O")


@dataclass(frozen=True, slots=True)
class _Rule:
    # the label and canonical id as string-store keys: a ``Span`` given strings hashes them
    label: int
    id: int
    # Per token, the ORTH values of the texts allowed there; None where the lower-case match
    # suffices.
    orth: tuple[frozenset[int] | None, ...] = ()

    def accepts(self, orths: Sequence[int]) -> bool:
        """Whether the matched tokens, of ``orths``, have the texts the rule pins."""
        return all(
            allowed is None or orth in allowed
            for orth, allowed in zip(orths, self.orth, strict=False)
        )


def _phrase_tokens(pattern: Sequence[dict[str, Any]]) -> list[tuple[list[str], bool]] | None:
    """Per token, its alternative texts and whether ``ORTH`` pins them (else ``LOWER``).

    >>> _phrase_tokens([{"ORTH": {"IN": ["-", "–"]}}, {"LOWER": "port"}])
    [(['-', '–'], True), (['port'], False)]
    >>> _phrase_tokens([{"LOWER": "port", "OP": "?"}]) is None
    True
    """
    tokens: list[tuple[list[str], bool]] = []
    for token in pattern:
        if len(token) != 1:
            return None
        ((attr, value),) = token.items()
        if isinstance(value, dict) and set(value) == {"IN"}:
            value = value["IN"]
        values = [value] if isinstance(value, str) else value
        if attr not in {"ORTH", "LOWER"} or not isinstance(values, list) or not values:
            return None
        if not all(isinstance(item, str) for item in values):
            return None
        tokens.append((values, attr == "ORTH"))
    return tokens


def _lower_keys(nlp: Language, words: Sequence[str]) -> Phrase:
    """``words`` as the ``LOWER`` values a phrase matcher compares (the form it restores its
    patterns from): a ``Doc`` of them would make a lexeme of each word at start-up, where most
    are never met in a text."""
    return tuple(nlp.vocab.strings.add(word.lower()) for word in words)


def _rule(nlp: Language, row: PatternRow, orth: tuple[frozenset[int] | None, ...] = ()) -> _Rule:
    strings = nlp.vocab.strings
    return _Rule(strings.add(row.label), strings.add(row.id), orth)


class PlainWords:
    """Whether the tokenizer keeps a word whole, read off its rules rather than by running it
    (which would make a lexeme of each word of every phrase at start-up).

    A word of letters only, no special case, in which no prefix, suffix or infix rule finds
    anything, is one token: the tokenizer splits a word only by those. Special cases matched
    across tokens all hold a character other than a letter (``tests/test_ruler.py``), so
    none of them applies to a run of such words either. Where the tokenizer is not spaCy's
    own, or runs without its faster heuristics, no word is taken as plain. The answer for
    each word is kept.

    >>> import spacy
    >>> plain = PlainWords(spacy.blank("en"))
    >>> plain("Aktau"), plain("Baku's"), plain("can't"), plain("cannot"), plain("")
    (True, False, False, False, False)
    """

    def __init__(self, nlp: Language) -> None:
        tokenizer = getattr(nlp.tokenizer, "inner", nlp.tokenizer)
        # without its faster heuristics, every special case is matched across tokens
        own = isinstance(tokenizer, Tokenizer) and tokenizer.faster_heuristics
        self._tokenizer: Any = tokenizer if own else None
        self._known: dict[str, bool] = {}

    def __call__(self, word: str) -> bool:
        known = self._known.get(word)
        if known is None:
            known = self._known[word] = self._plain(word)
        return known

    def _plain(self, word: str) -> bool:
        tokenizer = self._tokenizer
        if tokenizer is None or not word.isalpha() or word in tokenizer.rules:
            return False
        prefix, suffix = tokenizer.prefix_search, tokenizer.suffix_search
        infixes = tokenizer.infix_finditer
        return (
            (prefix is None or prefix(word) is None)
            and (suffix is None or suffix(word) is None)
            and (infixes is None or next(iter(infixes(word)), None) is None)
        )


class GazetteerRuler:
    """Tag gazetteer entities with their canonical ``id`` as the span id (``ent.ent_id_``).

    The phrase matcher holds all its phrases under one match key, and a match is traced back
    to its rows through the token values it matched: a key of its own per row would make a
    lexeme of each key at start-up.
    """

    def __init__(self, nlp: Language, rows: Iterable[PatternRow]) -> None:
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.tokens = Matcher(nlp.vocab)
        self.rules: list[_Rule] = []
        self._index: dict[int, int] = {}  # token matcher key -> rule index
        # The rules of each phrase row, by its tokens' ORTH values, and of each token pattern,
        # by its tokens' LOWER values; the phrase matcher holds the LOWER values of both.
        self._written: dict[Phrase, list[int]] = {}
        self._folded: dict[Phrase, list[int]] = {}
        self._keys: dict[Phrase, None] = {}  # in the order first added
        plain = PlainWords(nlp)
        for row in rows:
            self._add(nlp, row, plain)
        if self._keys:
            # token values in place of ``Doc``s: the form a phrase matcher restores from
            patterns: Any = list(self._keys)
            self.phrases.add(_PHRASES, patterns)

    def _add(self, nlp: Language, row: PatternRow, plain: PlainWords) -> None:
        index = len(self.rules)
        if isinstance(row.pattern, str):
            written = row.pattern.split(" ")
            if not all(map(plain, written)):
                written = [token.text for token in nlp.make_doc(row.pattern)]
            self.rules.append(_rule(nlp, row))
            if written:  # matched in any case, then kept where the texts are as written
                self._keys[_lower_keys(nlp, written)] = None
                phrase = tuple(nlp.vocab.strings.add(word) for word in written)
                self._written.setdefault(phrase, []).append(index)
            return
        tokens = _phrase_tokens(row.pattern)
        if tokens is None:
            self.rules.append(_rule(nlp, row))
            key = f"kzaz_gazetteer:{index}"
            self._index[nlp.vocab.strings.add(key)] = index
            self.tokens.add(key, [row.pattern])
            return
        strings = nlp.vocab.strings
        orth = tuple(
            frozenset(map(strings.add, texts)) if pinned else None for texts, pinned in tokens
        )
        self.rules.append(_rule(nlp, row, orth))
        words = [sorted({text.lower() for text in texts}) for texts, _ in tokens]
        for choice in itertools.product(*words):
            lowered = _lower_keys(nlp, choice)
            self._keys[lowered] = None
            self._folded.setdefault(lowered, []).append(index)

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> list[Match]:
        """Matches sorted as they are applied: longest first, then earliest, then row order."""
        found: set[Match] = set()
        token_matches = self.tokens(doc) if len(self.tokens) else []
        for match_id, start, end in token_matches:
            found.add((self._index[match_id], start, end))
        written, folded = self._written, self._folded
        for _, start, end in self.phrases(doc):
            tokens = [doc[i] for i in range(start, end)]  # no slice: no Span
            orths = tuple([token.orth for token in tokens])  # ``text`` costs a string look-up
            for index in written.get(orths, ()):
                found.add((index, start, end))
            if folded:
                for index in folded.get(tuple([token.lower for token in tokens]), ()):
                    if self.rules[index].accepts(orths):
                        found.add((index, start, end))
        return sorted((m for m in found if m[1] != m[2]), key=lambda m: (m[1] - m[2], m[1], m[0]))

    def set_annotations(self, doc: Doc, matches: list[Match]) -> None:
        taken = {i for ent in doc.ents for i in range(ent.start, ent.end)}
        spans = []
        for index, start, end in matches:
            if not taken.isdisjoint(range(start, end)):
                continue
            rule = self.rules[index]
            spans.append(Span(doc, start, end, label=rule.label, span_id=rule.id))
            taken.update(range(start, end))
        set_outside(doc, spans)


def set_outside(doc: Doc, spans: list[Span]) -> None:
    """What ``doc.set_ents(list(doc.ents) + spans, default="outside")`` does, for ``spans`` over
    tokens of no entity: they become entities, and every token of no entity is outside one.

    ``set_ents`` with that default walks every token of the document in Python; here only
    the new spans are written, and the outside tokens in one column.
    """
    if spans:
        doc.set_ents(spans, default="unmodified")
    iob = doc.to_array("ENT_IOB")
    # 0: not yet annotated, as in a new document (whose tokens have no entity type either)
    missing = iob == 0
    if missing.any():
        iob[missing] = _OUTSIDE
        doc.from_array("ENT_IOB", cast(Any, iob))


@Language.factory(
    "kzaz_gazetteer",
    default_config={"data_dir": None, "people": True, "tables": None},
    assigns=["doc.ents"],
)
def make_gazetteer(
    nlp: Language, name: str, data_dir: str | None, people: bool, tables: str | None
) -> GazetteerRuler:
    rows = shared(tables, data_dir).gazetteer.patterns
    return GazetteerRuler(nlp, (row for row in rows if people or row.label != "PERSON"))
