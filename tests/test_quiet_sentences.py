"""Sentences the pipeline marks as stating no fact are passed over without losing a fact.

``Quantities`` records the sentences holding an amount, a change, an agreement word or a
tourist word; the extractor drafts nothing for the others (``DocumentContext.quiet``), and
looks for agreements only in those holding an agreement word (``names_no_agreement``). The
facts must be those found when every sentence is drafted.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kzaz_facts.engine import Engine
from kzaz_facts.extract.context import DocumentContext
from kzaz_facts.load import load_document

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = [ROOT / "seeds", ROOT / "tests" / "devset" / "articles"]


def _facts(engine: Engine) -> list[str]:
    found = []
    for folder in FOLDERS:
        for path in sorted(folder.glob("*.txt")):
            document = load_document(path)
            result = engine.process(document)
            found += [fact.model_dump_json() for fact in result.facts]
    return found


@pytest.mark.parametrize("skip", ["quiet", "names_no_agreement"])
def test_passed_over_sentences_hold_no_fact(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, skip: str
) -> None:
    answers = []
    original = getattr(DocumentContext, skip)

    def counted(context: DocumentContext, sentence):  # type: ignore[no-untyped-def]
        answer = original(context, sentence)
        answers.append(answer)
        return answer

    monkeypatch.setattr(DocumentContext, skip, counted)
    skipping = _facts(engine)
    assert any(answers)  # the test passes some sentences over
    assert not all(answers)
    monkeypatch.setattr(DocumentContext, skip, lambda context, sentence: False)
    assert _facts(engine) == skipping


def test_quiet_sentences_hold_no_word_a_rule_reads(engine: Engine) -> None:
    lexicon = engine.tables.lexicon
    patterns = [lexicon.agreement_actions, lexicon.agreement_heads, lexicon.facts["tourism"]]
    for path in sorted(FOLDERS[0].glob("*.txt")):
        document = load_document(path)
        doc = engine.parse(document.body)
        context = DocumentContext(document, doc, engine.tables.gazetteer)
        for sentence in context.sentences:
            start, end = sentence.start_char, sentence.end_char
            if context.names_no_agreement(sentence):
                assert not any(p.search(context.text, start, end) for p in patterns[:2])
            if not context.quiet(sentence):
                continue
            assert not context.amounts_in(start, end)
            assert not context.changes_in(start, end)
            assert not any(p.search(context.text, start, end) for p in patterns)


def test_sentences_marked_are_those_every_search_marks(engine: Engine) -> None:
    """``Quantities`` looks for action words only in sentences holding a cue: the sentences it
    marks are those marked when the action words are looked for in every sentence."""
    quantities = dict(engine.nlp.pipeline)["kzaz_quantities"]
    texts = [path.read_text(encoding="utf-8") for f in FOLDERS for path in f.glob("*.txt")]
    texts.append("Signed-off ſigned. Cosigned, TOURISTS. A memorandum\nof understanding_x. 5%")
    for text in texts:
        doc = engine.parse(text)
        starts = sorted(m.start for m in [*doc._.kzaz_amounts, *doc._.kzaz_changes])
        worded, stating = [], []
        for start, end in doc._.kzaz_layout.sentence_chars:
            agreement = quantities.actions.search(text, start, end) is not None
            figure = any(start <= at < end for at in starts)
            if agreement:
                worded.append((start, end))
            if agreement or figure or quantities.cues.search(text, start, end):
                stating.append((start, end))
        assert doc._.kzaz_agreement_sentences == worded
        assert doc._.kzaz_fact_sentences == stating
