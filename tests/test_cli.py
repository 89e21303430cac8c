"""The kzaz command through Typer's CliRunner: stdout parsed as JSON, stderr read apart."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from kzaz_facts import __version__
from kzaz_facts.cli import app

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

runner = CliRunner()

FOUR_PARTNERS = (
    " date 2024-11-05 BAKU, Azerbaijan, Nov. 5. Kazakhstan and Azerbaijan keep growing their trade.\n\n"
    "In January-September 2024, Azerbaijan's trade with Türkiye amounted to $5.1 billion, "
    "with Russia - $3.2 billion, with Kazakhstan - $380 million and with Georgia - $600 million.\n"
)


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"kzaz {__version__}"


def test_extract_seeds_as_json() -> None:
    result = runner.invoke(app, ["extract", str(SEEDS), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["schema_version"] == "1.1"
    assert [d["doc_id"][:3] for d in report["documents"]] == ["000", "001", "002", "003", "004"]
    assert report["errors"] == []
    amounts = [
        f["value"]["amount"]
        for f in report["facts"]
        if f["type"] == "trade_turnover" and f["value"]
    ]
    assert amounts[:3] == [500000000, 1000000000, 300000000]
    assert "5 documents processed" in result.stderr


def test_jsonl_one_fact_per_line_and_type_filter() -> None:
    result = runner.invoke(app, ["extract", str(SEEDS), "-f", "jsonl", "--type", "agreement"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 4
    assert {json.loads(line)["type"] for line in lines} == {"agreement"}


def test_parties_filter(tmp_path: Path) -> None:
    article = tmp_path / "partners.txt"
    article.write_text(FOUR_PARTNERS, encoding="utf-8")
    every = json.loads(runner.invoke(app, ["extract", str(article), "-f", "json"]).stdout)
    assert len(every["facts"]) == 4
    result = runner.invoke(
        app, ["extract", str(article), "-f", "json", "--parties", "Kazakhstan,Azerbaijan"]
    )
    facts = json.loads(result.stdout)["facts"]
    assert [(f["value"]["amount"], f["parties"]) for f in facts] == [
        (380000000, ["Azerbaijan", "Kazakhstan"])
    ]


def test_bad_inputs_are_reported_and_the_rest_processed(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(FOUR_PARTNERS, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    missing = tmp_path / "missing.txt"
    result = runner.invoke(app, ["extract", str(tmp_path), str(missing), "-f", "json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert [d["doc_id"] for d in report["documents"]] == ["good"]
    kinds = {Path(e["path"]).name: e["kind"] for e in report["errors"]}
    assert kinds == {"empty.txt": "empty", "picture.txt": "binary", "missing.txt": "not_found"}
    assert "missing.txt" in result.stderr
    assert "Traceback" not in result.stderr


def test_stdin(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", "-", "-f", "json"], input=FOUR_PARTNERS)
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["documents"][0]["doc_id"] == "stdin"
    assert len(report["facts"]) == 4


def test_output_file(tmp_path: Path) -> None:
    target = tmp_path / "facts.json"
    result = runner.invoke(app, ["extract", str(SEEDS), "-f", "json", "-o", str(target)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert len(json.loads(target.read_text())["facts"]) == 18
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask  # as a plain open() would leave it
    assert [path.name for path in tmp_path.iterdir()] == ["facts.json"]  # no temporary left


def test_output_file_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path) -> None:
    target = tmp_path / "facts.jsonl"
    target.write_text("old\n")
    target.chmod(0o640)
    result = runner.invoke(app, ["extract", str(SEEDS), "-f", "jsonl", "-o", str(target)])
    assert result.exit_code == 0
    assert target.stat().st_mode & 0o777 == 0o640
    assert len(target.read_text().splitlines()) == 18


def test_usage_error_exits_2() -> None:
    result = runner.invoke(app, ["extract", str(SEEDS), "--parties", "Kazakhstan"])
    assert result.exit_code == 2
    assert "--parties" in result.stderr


def test_schema_lists_the_report_fields() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert set(schema["properties"]) == {
        "schema_version",
        "documents",
        "facts",
        "entities",
        "errors",
    }


COMMANDS = typer.main.get_command(app).commands  # type: ignore[attr-defined]


def test_every_command_is_known() -> None:
    assert sorted(COMMANDS) == [
        "check",
        "entities",
        "eval",
        "export",
        "extract",
        "schema",
        "timeline",
    ]


def test_root_help_lists_every_command() -> None:
    result = runner.invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "Usage: kzaz [OPTIONS] COMMAND [ARGS]..." in result.stdout
    for name, command in COMMANDS.items():
        assert name in result.stdout
        assert command.help.splitlines()[0] in result.stdout, name


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help(name: str) -> None:
    """`kzaz NAME --help` exits 0 with the command's summary and every option explained."""
    result = runner.invoke(app, [name, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    assert f"Usage: kzaz {name} [OPTIONS]" in result.stdout
    command = COMMANDS[name]
    assert command.help.splitlines()[0] in result.stdout
    for param in command.params:
        if param.param_type_name == "option":
            assert param.help, f"{name} {param.opts[0]} has no help"
            assert param.opts[0] in result.stdout, f"{name} {param.opts[0]}"
    # Two or three examples, each a whole `kzaz NAME ...` line; values named, never typed.
    examples = [line for line in command.epilog.splitlines() if line.strip().startswith("kzaz ")]
    assert 2 <= len(examples) <= 3, name
    assert all(line.split()[:2] == ["kzaz", name] for line in examples), name
    assert "Examples:" in result.stdout
    for example in examples:
        assert example.strip() in result.stdout, example
    for python_type in ("<list[", "<bool>", "<int>", "<float>", "<str>", "<Path>", "<path>"):
        assert python_type not in result.stdout, f"{name}: {python_type}"


@pytest.mark.parametrize(
    ("name", "option", "metavar"),
    [
        ("extract", "--parties", "NAME,NAME"),
        ("extract", "--jobs", "N"),
        ("extract", "--output", "FILE"),
        ("extract", "--data", "DIR"),
        ("extract", "--type", "TYPE"),
        ("extract", "--scope", "SCOPE"),
        ("entities", "--label", "LABEL"),
        ("timeline", "--tolerance", "FRACTION"),
        ("check", "--baseline", "FILE"),
        ("eval", "--min-f1", "F1"),
        ("export", "--to", "PATH"),
    ],
)
def test_help_names_each_value_as_a_person_would(name: str, option: str, metavar: str) -> None:
    result = runner.invoke(app, [name, "--help"], env={"COLUMNS": "200"})
    line = next(line for line in result.stdout.splitlines() if f" {option} " in line)
    assert f" {metavar} " in line, line


def test_check_help_names_its_exit_codes() -> None:
    result = runner.invoke(app, ["check", "--help"], env={"COLUMNS": "200"})
    text = " ".join(result.stdout.split())
    assert (
        "Exit codes: 0 the facts equal the baseline (or --update wrote it); 1 some fact was "
        "added, removed or changed, or an input could not be read; 2 usage error"
    ) in text


def test_entities_merge_aliases_and_keep_namesakes_apart() -> None:
    result = runner.invoke(app, ["entities", str(SEEDS), "--label", "PERSON", "-f", "json"])
    assert result.exit_code == 0
    rows = {row["canonical"]: row for row in json.loads(result.stdout)}
    assert "Ilham Heydar oglu" in rows["Ilham Aliyev"]["aliases"]
    assert rows["Kassym-Jomart Tokayev"]["aliases"] == [
        "Kassym-Jomart Kemelevich",
        "Kassym-Jomart Tokayev",
        "Tokayev",
    ]
    assert rows["Heydar Aliyev"]["aliases"] == ["Heydar Aliyev", "Heydar Aliyevich Aliyev"]
    assert rows["Alim Bayel"]["roles"] == ["Ambassador of Kazakhstan to Azerbaijan"]
    assert rows["Kanat Tumysh"]["documents"] == ["000_cc0684bcd0eaa77f"]
    assert {row["label"] for row in rows.values()} == {"PERSON"}


def test_entities_csv_header_and_routes() -> None:
    result = runner.invoke(app, ["entities", str(SEEDS), "-l", "ROUTE", "-f", "csv"])
    lines = result.stdout.splitlines()
    assert lines[0] == "canonical,label,aliases,roles,countries,mentions,documents"
    middle = next(line for line in lines if line.startswith("Middle Corridor,ROUTE,"))
    assert "TITR" in middle
    assert "Trans-Caspian International Transport Route" in middle


def test_check_against_the_committed_baseline() -> None:
    baseline = SEEDS.parent / "tests" / "baseline" / "seeds.json"
    result = runner.invoke(app, ["check", str(SEEDS), "--baseline", str(baseline)])
    assert result.exit_code == 0, result.stdout
    assert "0 added, 0 removed, 0 changed" in result.stderr


def test_check_names_the_changed_field_then_update(tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    runner.invoke(app, ["extract", str(SEEDS), "-f", "json", "-o", str(baseline)])
    data = json.loads(baseline.read_text())
    edited = next(f for f in data["facts"] if f["value"] and f["value"]["amount"] == 465000000)
    edited["value"]["amount"] = 456000000
    data["facts"].reverse()  # order must not matter
    baseline.write_text(json.dumps(data))
    result = runner.invoke(app, ["check", str(SEEDS), "--baseline", str(baseline)])
    assert result.exit_code == 1
    assert "~ changed 002_43d849b502656bca trade_turnover" in result.stdout
    assert "amount: 456000000 -> 465000000" in result.stdout
    assert "0 added, 0 removed, 1 changed" in result.stderr
    updated = runner.invoke(app, ["check", str(SEEDS), "--baseline", str(baseline), "--update"])
    assert updated.exit_code == 0
    again = runner.invoke(app, ["check", str(SEEDS), "--baseline", str(baseline)])
    assert again.exit_code == 0


def test_check_survives_offset_shifts(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(FOUR_PARTNERS, encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    runner.invoke(app, ["check", str(article), "--baseline", str(baseline), "--update"])
    article.write_text(FOUR_PARTNERS.replace("keep growing", "keep on growing"), encoding="utf-8")
    result = runner.invoke(app, ["check", str(article), "--baseline", str(baseline)])
    assert result.exit_code == 0, result.stdout


def test_check_missing_baseline_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(SEEDS), "--baseline", str(tmp_path / "none.json")])
    assert result.exit_code == 2
    assert "cannot read baseline" in result.stderr


def test_timeline_merges_the_2022_point_from_two_seeds() -> None:
    result = runner.invoke(app, ["timeline", str(SEEDS), "-f", "json"])
    assert result.exit_code == 0
    points = json.loads(result.stdout)
    point = next(p for p in points if p["period_start"] == "2022-01-01" and p["scope"] == "total")
    assert point["amount"] == 500000000
    assert [s["doc_id"][:3] for s in point["sources"]] == ["000", "004"]
    assert [s["speaker"] for s in point["sources"]] == ["Kanat Tumysh", "Kassym-Jomart Tokayev"]
    assert point["conflict"] is False
    assert [p["period_start"] for p in points] == sorted(p["period_start"] for p in points)
    lines = runner.invoke(app, ["timeline", str(SEEDS), "-f", "jsonl"]).stdout.splitlines()
    assert [json.loads(line) for line in lines] == points


def test_timeline_flags_a_conflict(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text(
        " date 2024-02-01 BAKU – Kazakhstan and Azerbaijan.\n\n"
        "Bilateral trade between Kazakhstan and Azerbaijan reached $460 million last year.\n",
        encoding="utf-8",
    )
    (tmp_path / "two.txt").write_text(
        " date 2024-03-15 ASTANA – Kazakhstan and Azerbaijan.\n\n"
        "In 2023, trade turnover between Kazakhstan and Azerbaijan totaled $610 million.\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["timeline", str(tmp_path), "-f", "json"])
    points = json.loads(result.stdout)
    assert len(points) == 1
    assert points[0]["conflict"] is True
    assert points[0]["spread"] == 150000000
    assert "1 conflicts" in result.stderr
    loose = runner.invoke(app, ["timeline", str(tmp_path), "-f", "json", "--tolerance", "0.5"])
    assert json.loads(loose.stdout)[0]["conflict"] is False


def test_schema_validates_the_seed_output() -> None:
    import jsonschema

    schema = json.loads(runner.invoke(app, ["schema"]).stdout)
    output = json.loads(runner.invoke(app, ["extract", str(SEEDS), "-f", "json"]).stdout)
    jsonschema.validate(output, schema)
    broken = dict(output, facts=[dict(output["facts"][0], modality="maybe")])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_readme_covers_every_command() -> None:
    readme = (SEEDS.parent / "README.md").read_text(encoding="utf-8")
    for command in app.registered_commands:
        name = command.name or (command.callback.__name__ if command.callback else "")
        assert f"kzaz {name}" in readme, name


def test_strict_turns_skips_into_failures(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(FOUR_PARTNERS, encoding="utf-8")
    (tmp_path / "blank.txt").write_text("   \n\n", encoding="utf-8")
    relaxed = runner.invoke(app, ["extract", str(tmp_path), "-f", "json"])
    assert relaxed.exit_code == 0
    assert json.loads(relaxed.stdout)["errors"][0]["kind"] == "empty"
    strict = runner.invoke(app, ["extract", str(tmp_path), "-f", "json", "--strict"])
    assert strict.exit_code == 1


@pytest.mark.parametrize(
    "command",
    [["extract"], ["entities"], ["timeline"], ["check", "--baseline", "none.json"]],
)
def test_every_command_reports_a_library_error_alike(command: list[str], tmp_path: Path) -> None:
    missing = tmp_path / "no-data"
    result = runner.invoke(app, [*command, str(SEEDS), "--data", str(missing)])
    assert result.exit_code == 2
    assert result.stderr == f"kzaz: error: data directory not found: {missing}\n"
    assert result.stdout == ""


def test_timeline_modality_is_actual_or_target() -> None:
    result = runner.invoke(app, ["timeline", str(SEEDS), "--modality", "planned"])
    assert result.exit_code == 2
    assert result.stderr == "kzaz: error: --modality is actual or target\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"schema_version": "1.1", "facts": [1, 2]}', "fact 0 of the baseline is not an object"),
        (
            '{"schema_version": "1.1", "facts": [{"type": "cargo", "evidence": "e",'
            ' "sentence": "s"}]}',
            "fact 0 of the baseline has no text 'doc_id'",
        ),
        (
            '{"schema_version": "1.1", "facts": [{"doc_id": ["a"], "type": "cargo",'
            ' "evidence": "e", "sentence": "s"}]}',
            "fact 0 of the baseline has no text 'doc_id'",
        ),
        (
            '{"schema_version": "1.1", "facts": [{"doc_id": "a", "type": "cargo",'
            ' "evidence": {"text": []}}]}',
            "fact 0 of the baseline: ",
        ),
        (
            '{"schema_version": "1.1", "facts": ' + "[" * 100_000 + "]" * 100_000 + "}",
            "nested too deeply",
        ),
        ('{"schema_version": "0.3", "facts": []}', "schema version '0.3'"),
        ('{"facts": []}', "schema version None"),
        ('{"schema_version": "1.1", "facts": {"a": 1}}', "no 'facts' list"),
    ],
)
def test_check_refuses_a_corrupt_baseline_in_one_line(
    tmp_path: Path, content: str, message: str
) -> None:
    baseline = tmp_path / "baseline.json"
    baseline.write_text(content, encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text("Trade grew by 5%.\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(article), "--baseline", str(baseline)])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert message in result.stderr


def test_the_committed_baseline_is_at_the_current_schema_version() -> None:
    from kzaz_facts.records import SCHEMA_VERSION

    baseline = SEEDS.parent / "tests" / "baseline" / "seeds.json"
    assert json.loads(baseline.read_text())["schema_version"] == SCHEMA_VERSION


@pytest.mark.parametrize("value", ["-0.1", "nan", "inf", "-inf"])
def test_timeline_tolerance_is_a_finite_number_not_below_zero(value: str) -> None:
    result = runner.invoke(app, ["timeline", str(SEEDS), "--tolerance", value])
    assert result.exit_code == 2
    assert "--tolerance" in result.stderr
