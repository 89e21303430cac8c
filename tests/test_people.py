"""People the gazetteer does not know are found from the titles around their names."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict

from kzaz_facts.engine import Engine
from kzaz_facts.load import parse_document

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def bare_engine() -> Engine:
    return Engine(gazetteer=False)


def _people(engine: Engine, text: str) -> dict[str, dict[str, object]]:
    document = parse_document(text, doc_id="t", path="t")
    result = engine.process(document.model_copy(update={"date": dt.date(2024, 1, 1)}))
    people: dict[str, dict[str, object]] = {}
    for entity in result.entities:
        if entity.label == "PERSON":
            people.setdefault(entity.canonical, entity.attrs)
    return people


def test_seed_officials_without_gazetteer(bare_engine: Engine) -> None:
    found: dict[str, dict[str, object]] = {}
    for path in sorted(SEEDS.glob("*.txt")):
        for name, attrs in _people(bare_engine, path.read_text(encoding="utf-8")).items():
            found.setdefault(name, attrs)
    assert found["Kanat Tumysh"]["role"] == (
        "Deputy Minister of Foreign Affairs of the Republic of Kazakhstan"
    )
    assert found["Kanat Tumysh"]["country"] == "Kazakhstan"
    assert found["Alim Bayel"]["role"] == "Ambassador of Kazakhstan to Azerbaijan"
    assert found["Alim Bayel"]["country"] == "Kazakhstan"
    assert found["Ramin Guluzade"]["role"] == (
        "minister of Transport, Communications and High Technologies"
    )
    assert found["Serzhan Abdykarimov"]["country"] == "Kazakhstan"
    assert "Kassym-Jomart Tokayev" in found


@pytest.mark.parametrize(
    ("sentence", "name", "role", "country"),
    [
        ("Uzbek Ambassador to Kazakhstan Bakhtiyor Ibragimov opened the forum.", "Bakhtiyor Ibragimov", "Ambassador to Kazakhstan", "Uzbekistan"),
        ("Daniyar Sarekenov, Chairman of the Board of the port, told reporters the news.", "Daniyar Sarekenov", "Chairman of the Board", None),
        ("The talks were led by Deputy Prime Minister Samir Valiyev yesterday.", "Samir Valiyev", "Deputy Prime Minister", None),
        ("Ambassador of Türkiye to Azerbaijan, Mr. Cahit Bagci, spoke at the event.", "Cahit Bagci", "Ambassador of Türkiye to Azerbaijan", "Türkiye"),
    ],
)  # fmt: skip
def test_titled_names_in_new_sentences(
    bare_engine: Engine, sentence: str, name: str, role: str, country: str | None
) -> None:
    people = _people(bare_engine, "Kazakhstan and Azerbaijan.\n\n" + sentence)
    assert name in people
    assert people[name]["role"] == role
    assert people[name].get("country") == country


def test_surname_alone_joins_the_full_name(bare_engine: Engine) -> None:
    text = "Minister Arman Zhaksybekov visited Baku. Zhaksybekov said the talks went well."
    document = parse_document(text, doc_id="t", path="t")
    result = bare_engine.process(document)
    names = [(e.text, e.canonical) for e in result.entities if e.label == "PERSON"]
    assert names == [
        ("Arman Zhaksybekov", "Arman Zhaksybekov"),
        ("Zhaksybekov", "Arman Zhaksybekov"),
    ]


def test_not_a_person(bare_engine: Engine) -> None:
    people = _people(bare_engine, "On Tuesday, the President of Kazakhstan met investors.")
    assert people == {}


class PeopleCase(BaseModel):
    """A row of people.jsonl: a sentence and every person the title rules find in it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    sentence: str
    expected: list[dict[str, str | None]]


@pytest.mark.cases("people.jsonl", PeopleCase)
def test_people_table(bare_engine: Engine, case: PeopleCase) -> None:
    people = _people(bare_engine, "Kazakhstan and Azerbaijan.\n\n" + case.sentence)
    actual = [
        {"name": name, "role": attrs.get("role"), "country": attrs.get("country")}
        for name, attrs in people.items()
    ]
    assert actual == case.expected
