"""Long documents go through in chunks with file offsets intact, nothing dropped."""

from __future__ import annotations

import itertools
from pathlib import Path

from kzaz_facts.engine import Engine, chunk_bounds
from kzaz_facts.load import parse_document

SEED = Path(__file__).resolve().parent.parent / "seeds" / "003_5cb35d2f2badd455.txt"


def test_chunks_cover_the_text_exactly() -> None:
    text = "Para one.\n\nPara two is longer.\nLine.\n\n" * 50
    bounds = chunk_bounds(text, 100)
    assert bounds[0][0] == 0
    assert bounds[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(bounds))
    assert all(end - start <= 100 for start, end in bounds)


def test_long_document_in_chunks_keeps_every_fact() -> None:
    seed = SEED.read_text(encoding="utf-8")
    header, body = seed.split("\n\n", 1)
    text = header + "\n\n" + "\n\n".join([body] * 12)
    small = Engine(chunk_chars=len(body) + 10)
    document = parse_document(text, doc_id="long", path="long")
    whole = Engine().process(parse_document(seed, doc_id="one", path="one"))
    result = small.process(document)
    assert len(result.facts) == 12 * len(whole.facts)
    amounts = sorted({f.value.amount for f in result.facts if f.value})
    assert amounts == sorted({f.value.amount for f in whole.facts if f.value})
    for fact in result.facts:
        assert text[fact.evidence.start : fact.evidence.end] == fact.evidence.text
    for entity in result.entities:
        assert text[entity.start : entity.end] == entity.text
