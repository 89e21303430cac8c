"""kzaz timeline: a year-to-date (partial) figure is a point of its own, labelled as such."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from kzaz_facts.cli import app

runner = CliRunner()

# A full-year 2024 figure, and two year-to-date ones: one dated mid-year, one in an article
# that gives only its year, so its period is the whole of 2024 like the full figure's.
PARTIAL_AND_FULL = {
    "midyear.txt": " date 2024-06-10 BAKU – Kazakhstan and Azerbaijan.\n\n"
    "Since the beginning of 2024, trade turnover between Kazakhstan and Azerbaijan reached "
    "$300 million.\n",
    "full.txt": " date 2025-02-01 ASTANA – Kazakhstan and Azerbaijan.\n\n"
    "In 2024, trade turnover between Kazakhstan and Azerbaijan totaled $610 million.\n",
    "yearonly.txt": " date 2024 ASTANA – Kazakhstan and Azerbaijan.\n\n"
    "So far this year, trade turnover between Kazakhstan and Azerbaijan amounted to "
    "$320 million.\n",
}


def write_corpus(directory: Path) -> Path:
    for name, text in PARTIAL_AND_FULL.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def test_partial_figures_are_points_of_their_own_and_never_conflict(tmp_path: Path) -> None:
    result = runner.invoke(app, ["timeline", str(write_corpus(tmp_path)), "-f", "json"])
    assert result.exit_code == 0, result.stderr
    points = [
        (
            p["period_start"],
            p["period_end"],
            p["partial"],
            p["amount"],
            p["spread"],
            p["conflict"],
            [s["doc_id"] for s in p["sources"]],
        )
        for p in json.loads(result.stdout)
    ]
    assert points == [
        ("2024-01-01", "2024-06-10", True, 300000000, 0, False, ["midyear"]),
        ("2024-01-01", "2024-12-31", False, 610000000, 0, False, ["full"]),
        ("2024-01-01", "2024-12-31", True, 320000000, 0, False, ["yearonly"]),
    ]
    assert "3 points, 0 conflicts" in result.stderr


def test_two_partial_figures_of_one_period_merge_and_can_conflict(tmp_path: Path) -> None:
    for name, amount in (("a.txt", "$320 million"), ("b.txt", "$400 million")):
        (tmp_path / name).write_text(
            " date 2024 ASTANA – Kazakhstan and Azerbaijan.\n\nSo far this year, trade turnover "
            f"between Kazakhstan and Azerbaijan amounted to {amount}.\n",
            encoding="utf-8",
        )
    points = json.loads(runner.invoke(app, ["timeline", str(tmp_path), "-f", "json"]).stdout)
    assert [
        (p["period_start"], p["period_end"], p["partial"], p["amount"], p["spread"], p["conflict"])
        for p in points
    ] == [("2024-01-01", "2024-12-31", True, 320000000, 80000000, True)]


def test_csv_has_a_partial_column(tmp_path: Path) -> None:
    result = runner.invoke(app, ["timeline", str(write_corpus(tmp_path)), "-f", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0])[:4] == ["period_start", "period_end", "partial", "series"]
    assert [(r["period_end"], r["partial"], r["amount"], r["doc_id"]) for r in rows] == [
        ("2024-06-10", "true", "300000000", "midyear"),
        ("2024-12-31", "false", "610000000", "full"),
        ("2024-12-31", "true", "320000000", "yearonly"),
    ]


def test_table_and_chart_label_partial_periods(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["timeline", str(write_corpus(tmp_path)), "-f", "table"], env={"COLUMNS": "120"}
    )
    assert result.exit_code == 0, result.stderr
    chart = [line for line in result.stdout.splitlines() if line.startswith("2024-01-01–")]
    assert [line.split(" █")[0] + " " + line.split()[-1] for line in chart] == [
        "2024-01-01–2024-06-10 (partial) 300,000,000",
        "2024-01-01–2024-12-31 610,000,000",
        "2024-01-01–2024-12-31 (partial) 320,000,000",
    ]
    assert result.stdout.count("(partial)") == 4  # two table cells, two bars
