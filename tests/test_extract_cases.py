"""Sentences written for the tests, phrased unlike the seeds: each rule must generalise."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import pytest
from pydantic import BaseModel, ConfigDict

from kzaz_facts import extract_text


class FactCase(BaseModel):
    """A row of facts.jsonl: a sentence, its document's date and every fact it states.

    Each expected fact is the whole record (``WHOLE_RECORD`` names the keys of each type, see
    ``_actual``); ``original`` is pinned where a figure was converted.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    origin: Literal["seed", "new"]
    doc_date: dt.date
    sentence: str
    expected: list[dict[str, Any]]
    # Replaces the lead sentence (another article's countries); a paragraph break follows it.
    lead: str | None = None
    # A known bug: the row states the right record, the extractor does not produce it yet.
    xfail: str | None = None


# The lead sentence makes Kazakhstan and Azerbaijan the article's countries, as in real
# articles of the corpus; the sentence under test follows as its own paragraph.
LEAD = "Kazakhstan and Azerbaijan discussed cooperation.\n\n"


_QUANTITY = [
    "type",
    "modality",
    "amount",
    "unit",
    "approximate",
    "percent",
    "multiplier",
    "period",
    "parties",
]
WHOLE_RECORD: dict[str, list[str]] = {
    "trade_turnover": [*_QUANTITY, "flow", "scope", "exporter", "importer"],
    "tourist_flow": [*_QUANTITY, "origin", "destination"],
    "cargo_volume": [*_QUANTITY, "route"],
    "investment": [*_QUANTITY, "source", "recipient"],
    "agreement": [
        "type",
        "modality",
        "parties",
        "period",
        "name",
        "action",
        "kind",
        "place",
        "signatories",
        "covers",
    ],
}
TARGET = ["target_kind", "horizon"]


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


@pytest.mark.cases("facts.jsonl", FactCase)
def test_sentence(case: FactCase) -> None:
    text = (f"{case.lead}\n\n" if case.lead else LEAD) + case.sentence
    report = extract_text(text, date=case.doc_date)
    facts = report.facts
    assert len(facts) == len(case.expected), [f.evidence.text for f in facts]
    for fact, expected in zip(facts, case.expected, strict=True):
        actual = _actual(fact)
        for key, value in expected.items():
            assert actual[key] == value, (key, fact.evidence.text)
        assert text[fact.evidence.start : fact.evidence.end] == fact.evidence.text


def test_every_row_pins_whole_records(case_table: Any) -> None:
    partial = []
    for row in case_table("facts.jsonl", FactCase):
        for expected in row.expected:
            keys = WHOLE_RECORD[expected["type"]]
            keys = keys + TARGET if expected.get("modality") == "target" else keys
            missing = [key for key in keys if key not in expected]
            if missing:
                partial.append((row.id, missing))
    assert partial == []


def test_parties_filter_keeps_only_the_pair(case_table: Any) -> None:
    from kzaz_facts.report import keep_fact

    first = case_table("facts.jsonl", FactCase)[0]
    assert first.id == "four-partners"
    text = LEAD + first.sentence
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
