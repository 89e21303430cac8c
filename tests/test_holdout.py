"""The holdout set (tests/holdout): six articles written as a check of generality, never tuned on.

The floors are the scores reached when the set was added, rounded down to 0.01: extraction may
get better here, never worse. tests/holdout/README.md lists what is still missed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kzaz_facts.cli import app

HOLDOUT = Path(__file__).resolve().parent / "holdout"


@pytest.fixture(scope="module")
def holdout_json() -> dict[str, Any]:
    gold, articles = str(HOLDOUT / "gold.jsonl"), str(HOLDOUT / "articles")
    result = CliRunner().invoke(app, ["eval", gold, articles, "-j", "1", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_holdout_micro_f1_floors(holdout_json: dict[str, Any]) -> None:
    assert holdout_json["full"]["micro"]["f1"] >= 0.98
    assert holdout_json["core"]["micro"]["f1"] >= 0.98
    assert holdout_json["full"]["micro"]["fp"] == 0


def test_holdout_dates_all_right(holdout_json: dict[str, Any]) -> None:
    dates = holdout_json["dates"]
    assert (dates["correct"], dates["total"], dates["wrong"]) == (6, 6, [])


def test_holdout_every_gold_quote_is_in_its_article() -> None:
    rows = [json.loads(line) for line in (HOLDOUT / "gold.jsonl").read_text().splitlines()]
    docs = {row["doc"] for row in rows}
    assert len(docs) == len(list((HOLDOUT / "articles").glob("*.txt"))) == 6
    for row in rows:
        text = (HOLDOUT / "articles" / f"{row['doc']}.txt").read_text(encoding="utf-8")
        for key in ("quote", "text"):
            if key in row:
                assert row[key] in text, (row["doc"], row[key])


def test_holdout_entities_all_found(holdout_json: dict[str, Any]) -> None:
    scores = {label: (s["tp"], s["fp"], s["fn"]) for label, s in holdout_json["entities"].items()}
    assert scores == {
        "PERSON": (8, 0, 0),
        "PORT": (7, 0, 0),
        "ROUTE": (2, 0, 0),
        "MONEY": (20, 0, 0),
    }
