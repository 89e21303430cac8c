"""Sentences written for the tests, phrased unlike the seeds: each rule must generalise."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from kzaz_facts import extract_text

CASES = [
    json.loads(line)
    for line in (Path(__file__).parent / "cases" / "facts.jsonl").read_text().splitlines()
    if line.strip()
]
# The lead sentence makes Kazakhstan and Azerbaijan the article's countries, as in real
# articles of the corpus; the sentence under test follows as its own paragraph.
LEAD = "Kazakhstan and Azerbaijan discussed cooperation.\n\n"


def _actual(fact: Any) -> dict[str, Any]:
    value, change, period = fact.value, fact.change, fact.period
    flat: dict[str, Any] = {
        "type": fact.type,
        "modality": fact.modality,
        "parties": fact.parties,
        "amount": value.amount if value else None,
        "unit": value.unit if value else None,
        "approximate": value.approximate if value else None,
        "original": value.original.model_dump() if value and value.original else None,
        "percent": change.percent if change else None,
        "multiplier": change.multiplier if change else None,
        "period": [str(period.start), str(period.end)] if period else None,
    }
    flat.update(fact.attributes.model_dump())
    return flat


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_sentence(case: dict[str, Any]) -> None:
    text = LEAD + case["sentence"]
    report = extract_text(text, date=dt.date.fromisoformat(case["doc_date"]))
    facts = report.facts
    assert len(facts) == len(case["expected"]), [f.evidence.text for f in facts]
    for fact, expected in zip(facts, case["expected"], strict=True):
        actual = _actual(fact)
        for key, value in expected.items():
            assert actual[key] == value, (key, fact.evidence.text)
        assert text[fact.evidence.start : fact.evidence.end] == fact.evidence.text


def test_parties_filter_keeps_only_the_pair() -> None:
    from kzaz_facts.report import keep_fact

    text = LEAD + CASES[0]["sentence"]
    facts = extract_text(text, date=dt.date(2024, 11, 1)).facts
    kept = [f for f in facts if keep_fact(f, None, {"Kazakhstan", "Azerbaijan"})]
    assert [f.value.amount for f in kept if f.value] == [380000000]


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        ("Trade as a whole grew to $500 million, Guluzade said.", "Ramin Guluzade"),
        ("“Trade reached $500 million last year,” the minister noted.", "Ramin Guluzade"),
        ("As President Tokayev has mentioned, trade reached $500 million.", None),
        ("Trade reached $500 million last year.", None),
    ],
)
def test_speaker_attribution(sentence: str, speaker: str | None) -> None:
    text = "Minister of Transport Ramin Guluzade visited Astana.\n\n" + sentence
    facts = extract_text(text, date=dt.date(2024, 1, 1)).facts
    assert [fact.speaker for fact in facts] == [speaker]
