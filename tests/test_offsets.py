"""file_text[start:end] equals the quoted text, for every fact and entity of the seeds."""

from __future__ import annotations

from pathlib import Path

from kzaz_facts.records import Report


def _texts(report: Report) -> dict[str, str]:
    return {d.doc_id: Path(d.path).read_text(encoding="utf-8") for d in report.documents}


def test_fact_offsets(seeds_report: Report) -> None:
    texts = _texts(seeds_report)
    assert seeds_report.facts
    for fact in seeds_report.facts:
        text = texts[fact.doc_id]
        evidence = fact.evidence
        assert text[evidence.start : evidence.end] == evidence.text
        assert text[evidence.sentence_start : evidence.sentence_end] == evidence.sentence
        assert evidence.sentence_start <= evidence.start < evidence.end <= evidence.sentence_end
        for part in (fact.value, fact.change, fact.period):
            if part is not None:
                start, end = part.span
                assert text[start:end] == part.text


def test_entity_offsets(seeds_report: Report) -> None:
    texts = _texts(seeds_report)
    assert len(seeds_report.entities) > 100
    for entity in seeds_report.entities:
        assert texts[entity.doc_id][entity.start : entity.end] == entity.text


def test_ids_are_unique_and_stable(seeds_report: Report) -> None:
    from kzaz_facts import extract_corpus

    ids = [f.id for f in seeds_report.facts]
    assert len(ids) == len(set(ids))
    again = extract_corpus([Path(seeds_report.documents[0].path).parent])
    assert [f.id for f in again.facts] == ids
