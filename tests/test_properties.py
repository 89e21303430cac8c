"""Random and mutated documents through the whole pipeline: no exception, exact evidence."""

from __future__ import annotations

import math
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kzaz_facts import default_engine
from kzaz_facts.load import parse_document

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_SENTENCES = [
    sentence.strip() + "."
    for path in sorted(SEEDS.glob("*.txt"))
    for sentence in path.read_text(encoding="utf-8").split(". ")
    if sentence.strip()
]
PIECES = st.sampled_from(SEED_SENTENCES) | st.text(max_size=80)
SEPARATORS = st.sampled_from([" ", "\n", "\n\n", "\r\n", " - ", "“", "” ", "\t"])


@st.composite
def documents(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.tuples(PIECES, SEPARATORS), max_size=8))
    header = draw(
        st.sampled_from(["", " date 2023-03-02 BAKU – ", " date 2023-13-45 ", "Title\n\n"])
    )
    return header + "".join(piece + separator for piece, separator in parts)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_pipeline_never_breaks_its_promises(text: str) -> None:
    document = parse_document(text, doc_id="random", path="random")
    result = default_engine().process(document)
    for fact in result.facts:
        evidence = fact.evidence
        assert text[evidence.start : evidence.end] == evidence.text
        assert text[evidence.sentence_start : evidence.sentence_end] == evidence.sentence
        if fact.value is not None:
            assert math.isfinite(fact.value.amount)
            assert fact.value.amount >= 0
        if fact.period is not None and fact.period.start and fact.period.end:
            assert fact.period.start <= fact.period.end
    for entity in result.entities:
        assert text[entity.start : entity.end] == entity.text


def test_output_is_deterministic(tmp_path: Path) -> None:
    from kzaz_facts import extract_corpus
    from kzaz_facts.output.streams import report_json

    for name in ("b", "a", "c"):
        (tmp_path / f"{name}.txt").write_text((SEEDS.glob("*.txt").__next__()).read_text())
    first = report_json(extract_corpus([tmp_path]))
    second = report_json(extract_corpus([tmp_path]))
    assert first == second
    assert (
        next(line for line in first.splitlines() if '"doc_id": "' in line).strip()
        == '"doc_id": "a",'
    )
