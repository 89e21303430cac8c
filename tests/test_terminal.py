"""What an analyst reads on a terminal: the extract table, checked filters, the timeline, the
check diff."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kzaz_facts import output
from kzaz_facts.baseline import compare, describe
from kzaz_facts.cli import app

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

runner = CliRunner()


def _seed_report() -> dict[str, object]:
    result = runner.invoke(app, ["extract", str(SEEDS), "-f", "json"])
    assert result.exit_code == 0
    report: dict[str, object] = json.loads(result.stdout)
    return report


# -- the extract table ---------------------------------------------------------------------


def test_table_fits_100_columns_without_splitting_a_number_or_a_name() -> None:
    report = _seed_report()
    facts = report["facts"]
    assert isinstance(facts, list)
    result = runner.invoke(app, ["extract", str(SEEDS), "-f", "table"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) == 100
    amounts = {f"{f['value']['amount']:,}" for f in facts if f["value"]}
    assert amounts == {
        "500,000,000",
        "1,000,000,000",
        "300,000,000",
        "10,000,000",
        "465,000,000",
        "60,000",
        "2,523",
        "221,000,000",
        "191,000,000",
        "146,000,000",
        "320,000,000,000",
    }
    names = {name for f in facts for name in f["parties"]}
    names |= {f["speaker"] for f in facts if f["speaker"]}
    assert "Kassym-Jomart Tokayev" in names
    for whole in sorted(amounts | names | {"Middle Corridor"}):
        assert any(whole in line for line in lines), whole
    # Every fact's amount cell starts its own line, whole (no piece of it on the next line).
    assert [line.split()[2] for line in lines if "500,000,000" in line] == [
        "500,000,000",
        "~500,000,000",
    ]
    # Document date, target kind, scope and flow are shown; the evidence is cut with "…".
    for shown in ("2023-03-02", "2019-12-09", "level", "increase", "agriculture", "turnover"):
        assert any(shown in line for line in lines), shown
    assert any(line.rstrip().endswith("…") for line in lines)
    assert "18 facts from 5 documents" in lines[0]


def test_wide_table_keeps_the_whole_evidence_and_doc_id() -> None:
    evidence = (
        "trade turnover in January-October last year amounted to $465 million, "
        "which is 22% higher"
    )
    narrow = runner.invoke(app, ["extract", str(SEEDS), "-f", "table"], env={"COLUMNS": "100"})
    assert not any(evidence in line for line in narrow.stdout.splitlines())
    wide = runner.invoke(
        app, ["extract", str(SEEDS), "-f", "table", "--wide"], env={"COLUMNS": "100"}
    )
    assert wide.exit_code == 0
    lines = wide.stdout.splitlines()
    assert any(evidence in line for line in lines)
    assert any(line.startswith("002_43d849b502656bca ") for line in lines)


def test_piped_table_width_is_columns_else_the_terminal_else_120(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_terminal(fd: int = 1) -> os.terminal_size:
        raise OSError("not a terminal")

    monkeypatch.setattr(os, "get_terminal_size", no_terminal)
    monkeypatch.delenv("COLUMNS", raising=False)
    assert output.table_width() == 120
    monkeypatch.setattr(os, "get_terminal_size", lambda fd=1: os.terminal_size((132, 40)))
    assert output.table_width() == 132
    monkeypatch.setenv("COLUMNS", "90")
    assert output.table_width() == 90


# -- filters -------------------------------------------------------------------------------

KZ_AZ_FACTS = 14


@pytest.mark.parametrize(
    "pair",
    ["Kazakhstan,Azerbaijan", "kazakhstan,AZERBAIJAN", "KZ,Azerbaijani", "Kazakh,aze"],
)
def test_parties_accepts_any_alias_demonym_or_code(pair: str) -> None:
    result = runner.invoke(app, ["extract", str(SEEDS), "-f", "json", "--parties", pair])
    assert result.exit_code == 0, result.stderr
    facts = json.loads(result.stdout)["facts"]
    assert len(facts) == KZ_AZ_FACTS
    assert {tuple(f["parties"]) for f in facts} == {("Azerbaijan", "Kazakhstan")}


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (
            ["extract", "--parties", "Kazakhstan,Azerbajan"],
            "unknown --parties name 'Azerbajan'; close: Azerbaijan",
        ),
        (["extract", "--parties", "KZ,Kazakh"], "--parties names one party twice: KZ,Kazakh"),
        (["extract", "--type", "cargo"], "unknown --type 'cargo'; close: cargo_volume"),
        (["extract", "--scope", "agri"], "unknown --scope 'agri'; close: agriculture"),
        (["entities", "--label", "persn"], "unknown --label 'persn'; close: PERSON"),
        (["timeline", "--type", "tourism"], "unknown --type 'tourism'; close: tourist_flow"),
        (
            ["timeline", "--scope", "oil"],
            "unknown --scope 'oil'; close: non-oil",
        ),
        (
            ["timeline", "--parties", "Kazakhstan,Atlantis"],
            "unknown --parties name 'Atlantis'; close: Balkans, Albania, Italy",
        ),
    ],
)
def test_an_unknown_filter_value_is_a_usage_error_naming_close_values(
    command: list[str], message: str
) -> None:
    result = runner.invoke(app, [*command, str(SEEDS), "-f", "json"])
    assert result.exit_code == 2
    assert result.stderr == f"kzaz: error: {message}\n"
    assert result.stdout == ""


def test_type_label_and_scope_accept_any_case() -> None:
    cargo = runner.invoke(app, ["extract", str(SEEDS), "-f", "json", "-t", "Cargo-Volume"])
    assert [f["type"] for f in json.loads(cargo.stdout)["facts"]] == ["cargo_volume"] * 3
    farm = runner.invoke(app, ["extract", str(SEEDS), "-f", "json", "--scope", "AGRICULTURE"])
    facts = json.loads(farm.stdout)["facts"]
    assert [(f["value"]["amount"], f["attributes"]["scope"]) for f in facts] == [
        (146000000, "agriculture")
    ]
    ports = runner.invoke(app, ["entities", str(SEEDS), "-l", "port", "-f", "json"])
    assert {row["label"] for row in json.loads(ports.stdout)} == {"PORT"}


NO_ENTITY = " date 2024-02-01 Nothing here names anything at all.\n"


@pytest.mark.parametrize(
    ("command", "line"),
    [
        (["extract", "SEEDS", "--scope", "energy"], "kzaz: no facts left after --scope energy"),
        (
            ["extract", "SEEDS", "--type", "investment", "--parties", "KZ,TR"],
            "kzaz: no facts left after --type investment --parties Kazakhstan,Türkiye",
        ),
        (["entities", "EMPTY", "--label", "port"], "kzaz: no entities left after --label PORT"),
        (
            ["timeline", "SEEDS", "--parties", "kazakh,georgia"],
            "kzaz: no points left after --type trade_turnover --modality actual "
            "--parties Georgia,Kazakhstan",
        ),
        (
            ["timeline", "SEEDS", "--scope", "energy"],
            "kzaz: no points left after --type trade_turnover --modality actual "
            "--scope energy --parties Azerbaijan,Kazakhstan",
        ),
    ],
)
def test_a_filter_that_leaves_nothing_says_so_once(
    command: list[str], line: str, tmp_path: Path
) -> None:
    (tmp_path / "empty.txt").write_text(NO_ENTITY, encoding="utf-8")
    paths = {"SEEDS": str(SEEDS), "EMPTY": str(tmp_path / "empty.txt")}
    result = runner.invoke(app, [paths.get(word, word) for word in command] + ["-f", "json"])
    assert result.exit_code == 0
    assert result.stderr.splitlines().count(line) == 1, result.stderr
    assert sum("left after" in text for text in result.stderr.splitlines()) == 1


def test_a_filter_that_keeps_something_says_nothing_more() -> None:
    result = runner.invoke(app, ["extract", str(SEEDS), "-f", "json", "--scope", "total"])
    assert result.exit_code == 0
    assert "left after" not in result.stderr
    assert len(json.loads(result.stdout)["facts"]) == 8


# -- timeline ------------------------------------------------------------------------------

FLOWS = (
    " date 2024-02-01 BAKU – Kazakhstan and Azerbaijan.\n\n"
    "In 2023, trade turnover between Kazakhstan and Azerbaijan totaled $460 million. "
    "Kazakhstan's exports to Azerbaijan amounted to $300 million in 2023, while imports "
    "from Azerbaijan reached $160 million.\n"
)
OTHER_FIGURE = (
    " date 2024-03-15 ASTANA – Kazakhstan and Azerbaijan.\n\n"
    "In 2023, trade turnover between Kazakhstan and Azerbaijan reached about $610 million.\n"
)


def test_cargo_timeline_is_keyed_by_route_and_keeps_its_facts() -> None:
    result = runner.invoke(app, ["timeline", str(SEEDS), "--type", "cargo_volume", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    points = json.loads(result.stdout)
    assert [
        (p["route"], p["parties"], p["flow"], p["period_start"], p["period_end"], p["amount"])
        for p in points
    ] == [("Middle Corridor", [], None, "2023-01-01", "2023-11-30", 2523)]
    assert points[0]["unit"] == "t"
    table = runner.invoke(app, ["timeline", str(SEEDS), "-t", "cargo", "-f", "table"])
    assert table.exit_code == 2  # "cargo" alone is not a type name; the error says which is
    chart = runner.invoke(
        app, ["timeline", str(SEEDS), "-t", "cargo_volume", "-f", "table"], env={"COLUMNS": "100"}
    )
    assert "Middle Corridor (t)" in chart.stdout.splitlines()
    assert any(line.startswith("2023-01-01–2023-11-30 █") for line in chart.stdout.splitlines())


def test_flows_are_series_of_their_own_and_csv_keeps_every_source(tmp_path: Path) -> None:
    (tmp_path / "flows.txt").write_text(FLOWS, encoding="utf-8")
    (tmp_path / "other.txt").write_text(OTHER_FIGURE, encoding="utf-8")
    result = runner.invoke(app, ["timeline", str(tmp_path), "-f", "csv"])
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [
        (r["series"], r["flow"], r["amount"], r["conflict"], r["doc_id"], r["source_amount"])
        for r in rows
    ] == [
        ("Kazakhstan → Azerbaijan export, total (USD)", "export", "300000000", "false",
         "flows", "300000000"),
        ("Azerbaijan → Kazakhstan import, total (USD)", "import", "160000000", "false",
         "flows", "160000000"),
        ("Azerbaijan – Kazakhstan turnover, total (USD)", "turnover", "460000000", "true",
         "flows", "460000000"),
        ("Azerbaijan – Kazakhstan turnover, total (USD)", "turnover", "460000000", "true",
         "other", "610000000"),
    ]  # fmt: skip
    last = rows[-1]
    assert (last["doc_date"], last["approximate"], last["qualifier"], last["speaker"]) == (
        "2024-03-15",
        "true",
        "about",
        "",
    )
    assert last["evidence"] == (
        "In 2023, trade turnover between Kazakhstan and Azerbaijan reached about $610 million"
    )
    assert (rows[0]["exporter"], rows[0]["importer"]) == ("Kazakhstan", "Azerbaijan")


def test_timeline_chart_labels_whole_periods_units_and_conflicts(tmp_path: Path) -> None:
    (tmp_path / "flows.txt").write_text(FLOWS, encoding="utf-8")
    (tmp_path / "other.txt").write_text(OTHER_FIGURE, encoding="utf-8")
    result = runner.invoke(app, ["timeline", str(tmp_path), "-f", "table"], env={"COLUMNS": "100"})
    lines = result.stdout.splitlines()
    heading = lines.index("Azerbaijan – Kazakhstan turnover, total (USD)")
    assert lines[heading + 1].startswith("2023-01-01–2023-12-31 █")
    assert lines[heading + 1].endswith(" 460,000,000 ⚠ conflict")
    assert "Kazakhstan → Azerbaijan export, total (USD)" in lines
    assert "other (2024-03-15, no" in result.stdout
    assert "speaker): ~610,000,000: In" in result.stdout


# -- check ---------------------------------------------------------------------------------

EDITED = (
    " date 2019-12-09 BAKU.\n\n"
    "In 2018, trade turnover between Kazakhstan and Azerbaijan amounted to $221 million. "
    "Kazakhstan's exports to Azerbaijan reached $150 million in 2018.\n"
)


def test_check_pairs_a_figure_edited_in_place(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(EDITED, encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    runner.invoke(app, ["check", str(article), "--baseline", str(baseline), "--update"])
    article.write_text(EDITED.replace("$221 million", "$231 million"), encoding="utf-8")
    result = runner.invoke(app, ["check", str(article), "--baseline", str(baseline)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "~ changed a trade_turnover",
        "    amount: 221000000 -> 231000000",
        "    evidence: 'In 2018, trade turnover between Kazakhstan and Azerbaijan amounted to "
        "$221 million' -> 'In 2018, trade turnover between Kazakhstan and Azerbaijan amounted "
        "to $231 million'",
    ]
    assert "kzaz: 2 facts checked: 0 added, 0 removed, 1 changed" in result.stderr


def _slim(amount: int, sentence: str, parties: list[str], period: list[str]) -> dict[str, object]:
    return {
        "doc_id": "d",
        "type": "trade_turnover",
        "evidence": f"{sentence} ${amount}",
        "sentence": sentence,
        "amount": amount,
        "parties": parties,
        "period": period,
    }


def test_compare_pairs_by_parties_and_period_only_when_evidence_and_sentence_differ() -> None:
    kz_az = ["Azerbaijan", "Kazakhstan"]
    old = [
        _slim(221, "Trade was $221m.", kz_az, ["2018-01-01", "2018-12-31"]),
        _slim(80, "Tourism earned $80m.", kz_az, ["2019-01-01", "2019-12-31"]),
    ]
    new = [
        _slim(231, "Trade was $231m.", kz_az, ["2018-01-01", "2018-12-31"]),
        _slim(80, "Tourism earned $80m.", ["Georgia", "Kazakhstan"], ["2019-01-01", "2019-12-31"]),
        _slim(90, "Trade grew to $90m.", kz_az, ["2019-01-01", "2019-12-31"]),
    ]
    differences = compare(old, new)
    assert [(d.kind, d.fact["amount"]) for d in differences] == [
        ("added", 90),
        ("changed", 80),
        ("changed", 231),
    ]
    assert [(c.field, c.old, c.new) for c in differences[1].changes] == [
        ("parties", kz_az, ["Georgia", "Kazakhstan"])
    ]
    assert [(c.field, c.old, c.new) for c in differences[2].changes] == [
        ("amount", 221, 231),
        ("evidence", "Trade was $221m. $221", "Trade was $231m. $231"),
    ]
    assert describe(differences).splitlines()[0] == "+ added d trade_turnover"
