"""Each data table is read once per Engine and shared by the pipeline and the extractor."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from kzaz_facts import extract_text
from kzaz_facts.engine import Engine
from kzaz_facts.load import parse_document
from kzaz_facts.records import ErrorRecord
from kzaz_facts.resources import default_data_dir


def test_every_table_is_read_once_per_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir = default_data_dir().resolve()
    reads: Counter[str] = Counter()
    read_text = Path.read_text

    def counting(self: Path, *args: Any, **kwargs: Any) -> str:
        if self.resolve().is_relative_to(data_dir):
            reads[self.resolve().relative_to(data_dir).as_posix()] += 1
        return read_text(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", counting)
    Engine(data_dir)
    tables = sorted(
        path.relative_to(data_dir).as_posix()
        for path in data_dir.rglob("*")
        # The country codes are read only by the command-line filters (`--parties KZ,AZ`).
        if path.suffix in {".json", ".jsonl"} and path.name != "country_codes.jsonl"
    )
    assert "entities/people.jsonl" in tables
    assert "triggers/words.jsonl" in tables
    assert "loader.jsonl" in tables
    assert {name: reads[name] for name in tables} == dict.fromkeys(tables, 1)


@pytest.mark.parametrize(
    ("sentence", "text", "unit"),
    [
        ("Trade included 1.5 million barrels of oil.", "1.5 million barrels", "bbl"),
        ("Trade covered 2 billion cubic metres of gas.", "2 billion cubic metres", "m3"),
        ("Gas trade reached 3 bcm.", "3 bcm", "bcm"),
    ],
)
def test_volumes_are_quantities_not_money(sentence: str, text: str, unit: str) -> None:
    report = extract_text(sentence, date=dt.date(2024, 1, 1))
    figures = [e for e in report.entities if e.label in {"MONEY", "QUANTITY"}]
    assert [(e.label, e.text, e.attrs.get("unit")) for e in figures] == [("QUANTITY", text, unit)]
    assert report.facts == []


def test_one_currency_sign_set_guards_years_everywhere() -> None:
    from kzaz_facts.header_patterns import header_patterns
    from kzaz_facts.load import infer_content_date
    from kzaz_facts.tables import Tables

    tables = Tables()
    assert "¥" in tables.normaliser.currency_signs
    assert "₼" in tables.normaliser.currency_signs
    # A number glued to a currency sign is money, never a year: in the period finder...
    assert [m.text for m in tables.periods.find("Trade hit ¥2023 million in 2022.")] == ["in 2022"]
    assert [m.text for m in tables.periods.find("It cost ₼2020 in 2021.")] == ["in 2021"]
    # ...in the loader's guess of an undated article's year...
    assert header_patterns().year.search("₺2024") is None
    assert infer_content_date("Deals worth ¥2030 were signed in 2019.") == 2019
    # ...and in the amount grammar, which reads the sign as its currency.
    (amount,) = tables.normaliser.find_amounts("worth ¥5 billion")
    assert (amount.amount, amount.unit) == (5_000_000_000, "CNY")


def test_periods_are_found_once_per_document_by_the_pipeline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kzaz_facts.periods import PeriodFinder

    engine = Engine()
    text = (
        "In January-May 2023 trade reached $300 million.\n\n"
        "The parties aim to bring trade to $1 billion by 2030.\n\n"
        "The weather was fine."
    )
    doc = engine.parse(text)
    periods = [(p.text, p.future) for p in doc._.kzaz_periods]
    # The sentences with a figure have their periods; the last sentence is not searched.
    assert periods == [("In January-May 2023", False), ("by 2030", True)]
    calls: list[tuple[int, int | None]] = []
    find = PeriodFinder.find

    def counting(self: PeriodFinder, text: str, start: int = 0, end: int | None = None) -> Any:
        calls.append((start, end))
        return find(self, text, start, end)

    monkeypatch.setattr(PeriodFinder, "find", counting)
    document = parse_document(" date 2024-01-01\n" + text, doc_id="d", path="d")
    assert document.body == text
    facts, _ = engine.extractor.extract(document, doc)
    assert calls == []  # the extractor only reads doc._.kzaz_periods
    assert [(f.modality, f.period.text if f.period else None) for f in facts] == [
        ("actual", "In January-May 2023"),
        ("target", "by 2030"),
    ]


def test_no_regex_is_compiled_per_document(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every pattern is compiled once per engine, with the tables or when first tried (a
    period row, a rule gated by its words): a document like one already processed only runs
    compiled regexes (a pattern source compiled again would be parsed again: re's cache
    misses it)."""
    import re._parser as sre_parse

    engine = Engine()
    text = (
        " date 2024-03-05\nBAKU, Azerbaijan, March 5. Trade between Kazakhstan and Azerbaijan "
        "reached $300 million in January-May 2023, up 12% compared to the same period of 2022. "
        "That is $50 million more. Since then, 20,000 tourists from Kazakhstan visited Baku.\n"
    )
    engine.process(parse_document(text, doc_id="warm", path="warm"))
    parsed: list[str] = []
    parse = sre_parse.parse

    def counting(source: str, *args: Any) -> Any:
        parsed.append(source)
        return parse(source, *args)

    monkeypatch.setattr(sre_parse, "parse", counting)
    other = text.replace("2023", "2022").replace("Baku", "Aktau")
    engine.process(parse_document(other, doc_id="d", path="d", patterns=engine.tables.header))
    assert parsed == []


def test_data_dir_applies_to_the_file_loader(tmp_path: Path) -> None:
    """``--data DIR`` reaches the loader's tables too: a date-line label added there is read."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(default_data_dir(), data)
    with (data / "loader.jsonl").open("a", encoding="utf-8") as rows:
        rows.write('{"kind": "date_label", "phrase": "issued"}\n')
    text = "Issued: 10 April 2023\n\nTrade grew by 5%.\n"
    packaged = Engine().tables.header
    assert parse_document(text, doc_id="d", path="d", patterns=packaged).date_source != "header"
    engine = Engine(data)
    document = parse_document(text, doc_id="d", path="d", patterns=engine.tables.header)
    assert (document.date, document.date_source) == (dt.date(2023, 4, 10), "header")
    path = tmp_path / "issued.txt"
    path.write_text(text, encoding="utf-8")
    (result,) = engine.run([str(path)])
    assert not isinstance(result, ErrorRecord)
    assert result.document.date == dt.date(2023, 4, 10)
