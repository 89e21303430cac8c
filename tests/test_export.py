"""kzaz export: declared table types, the README's analyst queries, Parquet, a missing extra."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from kzaz_facts import export
from kzaz_facts.cli import app

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
runner = CliRunner()

# Two articles that disagree on 2023 (as in the timeline tests): one conflict row.
DISAGREEING = {
    "one.txt": " date 2024-02-01 BAKU – Kazakhstan and Azerbaijan.\n\n"
    "Bilateral trade between Kazakhstan and Azerbaijan reached $460 million last year.\n",
    "two.txt": " date 2024-03-15 ASTANA – Kazakhstan and Azerbaijan.\n\n"
    "In 2023, trade turnover between Kazakhstan and Azerbaijan totaled $610 million.\n",
}


def _export(*args: str) -> str:
    result = runner.invoke(app, ["export", *args, "-j", "1"])
    assert result.exit_code == 0, result.stderr
    return result.stderr


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    database = tmp_path_factory.mktemp("export") / "facts.duckdb"
    stderr = _export(str(SEEDS), "--to", str(database))
    assert "documents 5, facts 18, entities 309, timeline 8 rows" in stderr
    return database


def readme_queries() -> list[str]:
    """The statements of the README's ```sql block, in order."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sql\n(.*?)```", readme, flags=re.DOTALL)
    assert len(blocks) == 1
    return [statement.strip() for statement in blocks[0].split(";\n") if statement.strip()]


def test_readme_lists_every_table_column() -> None:
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    # Remarks in brackets ("`sources` (how many facts)") are not column names.
    readme = re.sub(r" \([^)]*\)", "", readme)
    for name in ("documents", "entities", "timeline"):
        assert ", ".join(f"`{column.name}`" for column in export.TABLES[name]) in readme, name


def test_tables_have_the_declared_types(seeds_db: Path) -> None:
    with duckdb.connect(str(seeds_db), read_only=True) as connection:
        for name, columns in export.TABLES.items():
            described = connection.sql(f"DESCRIBE {name}").fetchall()
            assert [(row[0], row[1]) for row in described] == [(c.name, c.type) for c in columns]
        counts = {
            name: connection.sql(f"SELECT count(*) FROM {name}").fetchall()[0][0]
            for name in export.TABLES
        }
        assert counts == {"documents": 5, "facts": 18, "entities": 309, "timeline": 8}
        person = connection.sql(
            "SELECT count(*), count(DISTINCT doc_id), list(DISTINCT text ORDER BY text) "
            "FROM entities WHERE label = 'PERSON' AND canonical = 'Ilham Aliyev'"
        ).fetchall()
        first = connection.sql("SELECT * FROM entities WHERE label = 'PERSON' LIMIT 1").fetchall()
    assert person == [(8, 3, ["Ilham Aliyev", "Ilham Heydar oglu", "Ilham Heydar oglu Aliyev"])]
    assert first == [
        ("000_cc0684bcd0eaa77f", "PERSON", "Kanat Tumysh", "Kanat Tumysh", 167, 179,
         "Deputy Minister of Foreign Affairs of Kazakhstan", "Kazakhstan", None),
    ]  # fmt: skip


SERIES = [
    (2018, dt.date(2018, 1, 1), dt.date(2018, 12, 31), 221000000.0, 221000000.0, 1),
    (2019, dt.date(2019, 1, 1), dt.date(2019, 10, 31), 191000000.0, 191000000.0, 1),
    (2022, dt.date(2022, 1, 1), dt.date(2022, 12, 31), 500000000.0, 500000000.0, 2),
    (2023, dt.date(2023, 1, 1), dt.date(2023, 10, 31), 465000000.0, 465000000.0, 1),
]
TOKAYEV = [
    (dt.date(2023, 4, 10), "trade_turnover", "actual", 500000000.0, "USD", None, "last year",
     "turnover between our countries approached the half-billion mark last year"),
    (dt.date(2023, 4, 10), "trade_turnover", "actual", 146000000.0, "USD", 3.0, "At the end of last year",
     "At the end of last year, the volume of bilateral trade and agricultural products tripled to $146 million"),
    (dt.date(2024, 1, 1), "cargo_volume", "target", None, None, 5.0, None,
     "transportation on this route can be increased five times"),
    (dt.date(2024, 3, 11), "cargo_volume", "target", 10000000.0, "t", None, "in the foreseeable future",
     "transportation along the route and the potential for reaching 10 million tons in the foreseeable future"),
]  # fmt: skip


def test_readme_queries_on_the_seeds(seeds_db: Path) -> None:
    series, speaker, conflicts = readme_queries()
    with duckdb.connect(str(seeds_db), read_only=True) as connection:
        assert connection.sql(series).fetchall() == SERIES
        assert connection.sql(speaker).fetchall() == TOKAYEV
        assert connection.sql(conflicts).fetchall() == []


def test_readme_conflict_query_finds_two_articles_that_disagree(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in DISAGREEING.items():
        (corpus / name).write_text(text, encoding="utf-8")
    database = tmp_path / "facts.duckdb"
    _export(str(SEEDS), str(corpus), "--to", str(database))
    with duckdb.connect(str(database), read_only=True) as connection:
        rows = connection.sql(readme_queries()[2]).fetchall()
        timeline = connection.sql(
            "SELECT amount, spread, conflict, doc_ids FROM timeline WHERE period_start = '2023-01-01' "
            "AND period_end = '2023-12-31' AND type = 'trade_turnover' AND modality = 'actual'"
        ).fetchall()
    assert rows == [
        ("trade_turnover", "actual", "Azerbaijan;Kazakhstan", "total", dt.date(2023, 1, 1),
         dt.date(2023, 12, 31), "USD", 460000000.0, 610000000.0,
         "one: 460000000.0; two: 610000000.0"),
    ]  # fmt: skip
    assert timeline == [(460000000.0, 150000000.0, True, "one;two")]


def test_parquet_directory_and_file(tmp_path: Path) -> None:
    directory = tmp_path / "tables"
    _export(str(SEEDS / "002_43d849b502656bca.txt"), "--to", f"{directory}/")
    assert sorted(p.name for p in directory.iterdir()) == [
        "documents.parquet",
        "entities.parquet",
        "facts.parquet",
        "timeline.parquet",
    ]
    facts = duckdb.read_parquet(str(directory / "facts.parquet"))
    assert [str(t) for t in facts.types] == [c.type for c in export.TABLES["facts"]]
    single = tmp_path / "facts.parquet"
    stderr = _export(str(SEEDS / "002_43d849b502656bca.txt"), "--to", str(single))
    assert "written" in stderr
    assert "facts 4 rows" in stderr
    amounts = duckdb.sql(f"SELECT type, amount FROM read_parquet('{single}')").fetchall()
    assert amounts == [
        ("trade_turnover", 465000000.0),
        ("tourist_flow", 60000.0),
        ("cargo_volume", None),
        ("cargo_volume", 2523.0),
    ]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_export_replaces_an_older_database(tmp_path: Path) -> None:
    database = tmp_path / "facts.duckdb"
    _export(str(SEEDS), "--to", str(database))
    _export(str(SEEDS / "003_5cb35d2f2badd455.txt"), "--to", str(database))
    with duckdb.connect(str(database), read_only=True) as connection:
        assert connection.sql("SELECT count(*) FROM documents").fetchall() == [(1,)]
        assert connection.sql("SELECT count(*) FROM facts").fetchall() == [(4,)]


@pytest.mark.parametrize(
    ("target", "message"),
    [
        pytest.param("facts.db", "--to facts.db: give a .duckdb file", id="unknown extension"),
        pytest.param("facts.sqlite", "or a directory", id="another"),
    ],
)
def test_unknown_target_is_a_usage_error(tmp_path: Path, target: str, message: str) -> None:
    result = runner.invoke(app, ["export", str(SEEDS), "--to", target])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "documents processed" not in result.stderr


def test_missing_duckdb_names_the_extra(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # A None entry in sys.modules makes `import duckdb` raise ImportError.
    monkeypatch.setitem(sys.modules, "duckdb", None)
    database = tmp_path / "facts.duckdb"
    result = runner.invoke(app, ["export", str(SEEDS), "--to", str(database)])
    assert result.exit_code == 2
    assert result.stderr == (
        "kzaz: error: kzaz export needs the duckdb package, an optional extra: "
        "pip install 'kzaz-facts[duckdb]'\n"
    )
    assert not database.exists()


# A full 2024 figure, a year-to-date one of the same year, an export flow and a cargo route.
SERIES_APART = {
    "full.txt": " date 2025-02-01 ASTANA – Kazakhstan and Azerbaijan.\n\n"
    "In 2024, trade turnover between Kazakhstan and Azerbaijan totaled $610 million.\n",
    "yearonly.txt": " date 2024 ASTANA – Kazakhstan and Azerbaijan.\n\n"
    "So far this year, trade turnover between Kazakhstan and Azerbaijan amounted to "
    "$320 million.\n",
    "routes.txt": " date 2025-02-01 ASTANA – Kazakhstan and Azerbaijan.\n\n"
    "In 2024, cargo transportation along the Middle Corridor reached 4.5 million tons. "
    "Kazakhstan's exports to Azerbaijan amounted to $200 million in 2024.\n",
}
SERIES_APART_ROWS = [
    ("cargo_volume", None, None, "Middle Corridor", dt.date(2024, 12, 31), False, 4500000.0,
     False, "routes"),
    ("trade_turnover", "Azerbaijan;Kazakhstan", "export", None, dt.date(2024, 12, 31), False,
     200000000.0, False, "routes"),
    ("trade_turnover", "Azerbaijan;Kazakhstan", "turnover", None, dt.date(2024, 12, 31), False,
     610000000.0, False, "full"),
    ("trade_turnover", "Azerbaijan;Kazakhstan", "turnover", None, dt.date(2024, 12, 31), True,
     320000000.0, False, "yearonly"),
]  # fmt: skip
SERIES_APART_QUERY = (
    "SELECT type, parties, flow, route, period_end, partial, amount, conflict, doc_ids "
    "FROM {table} WHERE period_start = '2024-01-01' ORDER BY type, flow, partial"
)


def test_timeline_rows_keep_flows_routes_and_partial_figures_apart(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in SERIES_APART.items():
        (corpus / name).write_text(text, encoding="utf-8")
    database = tmp_path / "facts.duckdb"
    assert "timeline 4 rows" in _export(str(corpus), "--to", str(database))
    directory = tmp_path / "tables"
    _export(str(corpus), "--to", f"{directory}/")
    with duckdb.connect(str(database), read_only=True) as connection:
        assert connection.sql(SERIES_APART_QUERY.format(table="timeline")).fetchall() == (
            SERIES_APART_ROWS
        )
    parquet = f"read_parquet('{directory / 'timeline.parquet'}')"
    assert duckdb.sql(SERIES_APART_QUERY.format(table=parquet)).fetchall() == SERIES_APART_ROWS
