"""Token attributes read as columns give what the ``Token`` and ``Span`` objects give."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.tokens import Doc

from kzaz_facts import default_engine
from kzaz_facts.components import iter_sentences, layout, read_layout, sentence_chars, span_values
from kzaz_facts.extract.context import DocumentContext
from kzaz_facts.extract.entity_index import EntityIndex, token_bounds
from kzaz_facts.extract.speakers import _Speakers, role_phrase
from kzaz_facts.load import parse_document

ROOT = Path(__file__).resolve().parents[1]
TEXTS = [
    *(path.read_text(encoding="utf-8") for path in sorted((ROOT / "seeds").glob("*.txt"))),
    "",
    "\n\n  \n",
    "One line\n\n\nAnother, after blank lines.  Then more.\n",
    "\n  Leading space. Two\n \n \nthree .\n\n",
]


@pytest.fixture(scope="module")
def docs() -> list[Doc]:
    engine = default_engine()
    return [engine.parse(text) for text in TEXTS]


def _sentences_from_tokens(doc: Doc) -> list[tuple[int, int]]:
    """The sentences as ``iter_sentences`` promises them, read token by token."""
    found = []
    for sentence in doc.sents:
        tokens = [token for token in sentence if not token.is_space]
        if tokens:
            found.append((tokens[0].i, tokens[-1].i + 1))
    return found


def test_sentences_match_the_token_walk(docs: list[Doc]) -> None:
    for doc in docs:
        expected = _sentences_from_tokens(doc)
        sentences = list(iter_sentences(doc))
        assert [(s.start, s.end) for s in sentences] == expected
        assert sentence_chars(doc) == [(s.start_char, s.end_char) for s in sentences]


def test_the_pipeline_leaves_the_layout_it_read(docs: list[Doc]) -> None:
    for doc in docs:
        assert doc._.kzaz_layout == read_layout(doc)
        assert layout(doc).sentences == [(s.start, s.end) for s in iter_sentences(doc)]
        assert layout(doc).sentence_chars == sentence_chars(doc)


def test_entity_index_reads_what_the_spans_say(docs: list[Doc]) -> None:
    for doc in docs:
        index = EntityIndex(doc, doc.text)
        starts, ends = token_bounds(doc)
        assert starts == [token.idx for token in doc]
        assert ends == [token.idx + len(token) for token in doc]
        for ent in index.all:
            assert index.text(ent) == ent.text
            assert index.canonical(ent) == (ent.ent_id_ or ent.text)
            following = doc[ent.end].text if ent.end < len(doc) else ""
            assert index.token_text(ent.end) == following
            assert index.attrs(ent) == ent._.kzaz_attrs


def test_span_values_read_what_the_spans_say(docs: list[Doc]) -> None:
    given = 0
    for doc in docs:
        values = span_values(doc, "kzaz_attrs")
        for ent in doc.ents:
            assert values.get((ent.start_char, ent.end_char)) == ent._.kzaz_attrs
            given += ent._.kzaz_attrs is not None
    assert given  # the seeds name people with titles


def test_first_person_of_a_sentence_is_the_entity_walks(docs: list[Doc]) -> None:
    engine = default_engine()
    lexicon = engine.tables.lexicon
    roles = role_phrase(lexicon.people.titles)
    named = 0
    for doc, text in zip(docs, TEXTS, strict=True):
        document = parse_document(text, doc_id="t", path="t")
        context = DocumentContext(document, doc, engine.tables.gazetteer)
        speakers = _Speakers(context, lexicon, roles)
        assert [(s.start, s.end, s.start_char, s.end_char) for s in context.sentences] == [
            (s.start, s.end, s.start_char, s.end_char) for s in iter_sentences(doc)
        ]
        for sentence in context.sentences:
            walked = next((e for e in context.ents.of(sentence) if e.label_ == "PERSON"), None)
            assert speakers._first_person(sentence) == walked
            named += walked is not None
    assert named
