"""The ``kzaz`` command: parse arguments, call the library, render, choose the exit code.

This is the one place where errors become messages on stderr and exit codes:
0 all inputs processed, 1 some input failed (the rest was still processed), 2 usage error.
spaCy is imported only by commands that need it, so ``--version`` and ``--help`` are quick.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum, StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, Optional, TypeVar

import typer

from kzaz_facts import __version__
from kzaz_facts.errors import KzazError
from kzaz_facts.records import FACT_TYPES, MODALITIES, ErrorKind, ErrorRecord, Fact, Report

if TYPE_CHECKING:
    from kzaz_facts.engine import DocumentResult
    from kzaz_facts.output import Tally

app = typer.Typer(
    name="kzaz",
    help="Typed, source-grounded facts from news about Kazakhstan–Azerbaijan relations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_OK, EXIT_INPUT_FAILED, EXIT_USAGE = 0, 1, 2


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


# The format an output file's extension implies when --format is not given.
FORMAT_OF_SUFFIX = {
    ".csv": OutputFormat.csv,
    ".jsonl": OutputFormat.jsonl,
    ".json": OutputFormat.json,
}


class EntityFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


FactTypeName = Enum("FactTypeName", {name: name for name in FACT_TYPES}, type=str)  # type: ignore[misc]


# Arguments and options shared by every command that reads a corpus, declared once.
PathsArgument = Annotated[
    list[str],
    typer.Argument(
        metavar="PATH",
        help="Files or directories (*.txt found recursively); '-' reads standard input.",
    ),
]
DocTimeoutOption = Annotated[
    Optional[float],  # noqa: UP045
    typer.Option(
        "--doc-timeout",
        min=0,
        metavar="SECONDS",
        help="Time one document may take before it becomes a 'timeout' error and the run goes "
        "on; 0: no limit. Default: 60 s plus 180 s per MB of text.",
    ),
]
JobsOption = Annotated[
    int,
    typer.Option(
        "--jobs",
        "-j",
        min=0,
        help="Worker processes; 0 (the default) uses every core, 1 runs in this process. "
        "The output is the same whatever the number.",
    ),
]
DataOption = Annotated[
    Optional[Path],  # noqa: UP045  (typer reads the annotation at run time)
    typer.Option("--data", help="Use the patterns and gazetteers of this directory."),
]


# Output options, declared once with the formats above and their default (`_format`); the
# writer of each format is in the tables at the end of output.py.
FormatT = TypeVar("FormatT", OutputFormat, EntityFormat)

FormatOption = Annotated[
    Optional[OutputFormat],  # noqa: UP045
    typer.Option(
        "--format",
        "-f",
        help="Output format. Default: from the -o extension (.csv, .jsonl, .json), "
        "else a table on a terminal, JSON when stdout is piped.",
    ),
]
FlatOption = Annotated[
    bool, typer.Option("--flat", help="JSON Lines of flat rows (the CSV columns).")
]
RowFormatOption = Annotated[
    Optional[EntityFormat],  # noqa: UP045
    typer.Option(
        "--format",
        "-f",
        help="table, json, jsonl or csv. Default: a table on a terminal, JSON when piped.",
    ),
]
OutputOption = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option("--output", "-o", help="Write to this file (atomically) instead of stdout."),
]


def _format(chosen: FormatT | None, formats: type[FormatT], output: Path | None = None) -> FormatT:
    """The format asked for; by default a table on a terminal, JSON into a pipe or a file."""
    if chosen is not None:
        return chosen
    return formats("table" if output is None and sys.stdout.isatty() else "json")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kzaz {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        Optional[bool],  # noqa: UP045  (typer reads the annotation at run time)
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = None,
) -> None:
    """Extract trade, tourism, cargo, investment and agreement facts from news articles."""


def _fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    typer.echo(f"kzaz: error: {message}", err=True)
    return typer.Exit(code)


@contextmanager
def _errors_reported(code: int = EXIT_INPUT_FAILED, *, debug: bool = False) -> Iterator[None]:
    """The one way every command handles a ``KzazError``: its message on stderr and exit
    ``code`` (``--debug`` lets it through with its traceback)."""
    try:
        yield
    except KzazError as error:
        if debug:
            raise
        raise _fail(str(error), code) from error


def _parse_parties(value: str | None) -> set[str] | None:
    if value is None:
        return None
    names = {name.strip() for name in value.split(",") if name.strip()}
    if len(names) != 2:
        raise _fail("--parties takes two names separated by a comma, e.g. Kazakhstan,Azerbaijan")
    return names


@app.command()
def extract(
    paths: PathsArgument,
    output_format: FormatOption = None,
    flat: FlatOption = False,
    output: OutputOption = None,
    fact_types: Annotated[
        Optional[list[FactTypeName]],  # noqa: UP045
        typer.Option(
            "--type",
            "-t",
            metavar="TYPE",
            help="Keep only facts of this type (repeatable): " + ", ".join(FACT_TYPES) + ".",
        ),
    ] = None,
    parties: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(help="Keep only facts of this pair of parties, e.g. Kazakhstan,Azerbaijan."),
    ] = None,
    data: DataOption = None,
    gazetteer: Annotated[
        bool, typer.Option("--gazetteer/--no-gazetteer", help="Tag people from the gazetteer.")
    ] = True,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 when any input was skipped, not only failed.")
    ] = False,
    jobs: JobsOption = 0,
    doc_timeout: DocTimeoutOption = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show Python tracebacks.")] = False,
) -> None:
    """Extract typed fact records from news articles."""
    types = {t.value for t in fact_types or []} or None
    wanted_parties = _parse_parties(parties)
    chosen = _extract_format(output_format, output, flat)
    results = _results(paths, data, gazetteer, jobs, debug, doc_timeout)
    with _errors_reported(debug=debug):
        tally = _emit(results, chosen, output, types, wanted_parties, flat)
    _summarise(tally)
    failed = [e for e in tally.errors if strict or e.kind not in SKIP_KINDS]
    if failed:
        raise typer.Exit(EXIT_INPUT_FAILED)


def _extract_format(chosen: OutputFormat | None, output: Path | None, flat: bool) -> OutputFormat:
    """--format, else the output file's extension, else jsonl for --flat, else table or JSON."""
    implied = FORMAT_OF_SUFFIX.get(output.suffix.lower()) if output is not None else None
    chosen = chosen or implied or (OutputFormat.jsonl if flat else None)
    if flat and chosen not in {OutputFormat.jsonl, OutputFormat.csv}:
        raise _fail(f"--flat writes jsonl or csv rows, not {chosen}")
    return _format(chosen, OutputFormat, output)


# Inputs that were passed over rather than broken; --strict counts them as failures.
SKIP_KINDS: frozenset[ErrorKind] = frozenset({"empty", "no_input"})
# A progress bar is drawn (on a terminal's stderr) for runs of at least this many files.
PROGRESS_FROM = 10


def _results(
    paths: list[str],
    data: Path | None,
    gazetteer: bool,
    jobs: int,
    debug: bool = False,
    doc_timeout: float | None = None,
) -> Iterator[DocumentResult | ErrorRecord]:
    """Every input as a result or an error, in input order, with a progress bar on a TTY."""
    from kzaz_facts import output as render
    from kzaz_facts.engine import Engine, plan

    with _errors_reported(EXIT_USAGE, debug=debug):
        engine = Engine(data, gazetteer=gazetteer, debug=debug, doc_timeout=doc_timeout)
        stdin = sys.stdin.buffer.read() if "-" in paths else None
        tasks = plan(paths, stdin)
    results = engine.run_tasks(tasks, jobs=jobs)
    if len(tasks) < PROGRESS_FROM or not sys.stderr.isatty():
        return results
    return render.with_progress(results, len(tasks))


def _run(
    paths: list[str], data: Path | None, jobs: int, doc_timeout: float | None = None
) -> Report:
    from kzaz_facts.report import build_report

    results = _results(paths, data, True, jobs, doc_timeout=doc_timeout)
    with _errors_reported():
        return build_report(results)


def _emit(
    results: Iterator[DocumentResult | ErrorRecord],
    chosen: OutputFormat,
    output: Path | None,
    types: set[str] | None,
    parties: set[str] | None,
    flat: bool = False,
) -> Tally:
    from kzaz_facts import flat as row_writers
    from kzaz_facts import output as render
    from kzaz_facts.report import build_report, keep_fact

    def keep(fact: Fact) -> bool:
        return keep_fact(fact, types, parties)

    if chosen is OutputFormat.table:
        report = build_report(results, types=types, parties=parties)
        if output is not None:
            with render.atomic_stream(output) as stream:
                render.print_table(report, stream)
        else:
            render.print_table(report, sys.stdout)
        return render.Tally.of(report)
    # CSV is always flat rows; JSON Lines are flat rows with --flat, nested facts without.
    flat_rows = flat or chosen is OutputFormat.csv
    write = (row_writers.FLAT_WRITERS if flat_rows else render.STREAM_WRITERS)[chosen]
    if output is not None:
        with render.atomic_stream(output) as stream:
            return write(results, stream, keep)
    try:
        return write(results, sys.stdout, keep)
    except BrokenPipeError:
        _quiet_broken_pipe()


def _write_stdout(text: str) -> None:
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_broken_pipe()


def _quiet_broken_pipe() -> NoReturn:
    """``kzaz extract ... | head -1``: the reader left; exit without a traceback."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    raise typer.Exit(EXIT_OK)


def _summarise(tally: Tally) -> None:
    for error in tally.errors:
        typer.echo(f"kzaz: {error.kind}: {error.path}: {error.message}", err=True)
    typer.echo(
        f"kzaz: {tally.documents} documents processed, "
        f"{len(tally.errors)} skipped or failed, {tally.facts} facts",
        err=True,
    )


@app.command()
def entities(
    paths: PathsArgument,
    labels: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            "--label",
            "-l",
            help="Keep only this label (PERSON, PORT, ROUTE, ORG, GPE, NORP); repeatable.",
        ),
    ] = None,
    output_format: RowFormatOption = None,
    data: DataOption = None,
    jobs: JobsOption = 0,
    doc_timeout: DocTimeoutOption = None,
) -> None:
    """One row per real-world entity across the corpus, with every alias seen."""
    from kzaz_facts import output as render
    from kzaz_facts.entities import aggregate_entities

    chosen = _format(output_format, EntityFormat)
    report = _run(paths, data, jobs, doc_timeout)
    rows = aggregate_entities(report.entities, {label.upper() for label in labels or []} or None)
    if chosen is EntityFormat.table:
        render.print_entities(rows, sys.stdout)
    else:
        _write_stdout(render.ENTITY_WRITERS[chosen](rows))
    _summarise(render.Tally.of(report))
    if any(error.kind not in SKIP_KINDS for error in report.errors):
        raise typer.Exit(EXIT_INPUT_FAILED)


@app.command()
def check(
    paths: PathsArgument,
    baseline: Annotated[
        Path,
        typer.Option(
            help="Baseline: JSON from `kzaz extract -f json` or a snapshot from --update."
        ),
    ],
    update: Annotated[
        bool, typer.Option("--update", help="Write the current facts as the new baseline.")
    ] = False,
    data: DataOption = None,
    jobs: JobsOption = 0,
    doc_timeout: DocTimeoutOption = None,
) -> None:
    """Compare extracted facts with a baseline: exit 0 when equal, 1 on any difference."""
    import json

    from kzaz_facts import baseline as check_baseline
    from kzaz_facts.output import write_atomic

    report = _run(paths, data, jobs, doc_timeout)
    current = check_baseline.snapshot(report)
    if update:
        write_atomic(baseline, json.dumps(current, indent=2, ensure_ascii=False) + "\n")
        typer.echo(f"kzaz: baseline written: {baseline} ({len(report.facts)} facts)", err=True)
        return
    with _errors_reported(EXIT_USAGE):
        old = check_baseline.read_baseline(baseline)
    differences = check_baseline.compare(old, current["facts"])
    _write_stdout(check_baseline.describe(differences))
    counts = {
        kind: sum(d.kind == kind for d in differences) for kind in check_baseline.DIFFERENCE_KINDS
    }
    summary = ", ".join(f"{count} {kind}" for kind, count in counts.items())
    typer.echo(f"kzaz: {len(current['facts'])} facts checked: {summary}", err=True)
    if differences:
        raise typer.Exit(EXIT_INPUT_FAILED)


@app.command()
def timeline(
    paths: PathsArgument,
    fact_type: Annotated[
        FactTypeName,
        typer.Option("--type", "-t", help="Fact type of the series."),
    ] = FactTypeName("trade_turnover"),  # noqa: B008
    parties: Annotated[
        str, typer.Option(help="The pair of the series, e.g. Kazakhstan,Azerbaijan.")
    ] = "Kazakhstan,Azerbaijan",
    scope: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(help="Keep one trade scope (total, agriculture, ...)."),
    ] = None,
    modality: Annotated[str, typer.Option(help="actual or target.")] = "actual",
    tolerance: Annotated[
        float, typer.Option(help="Relative difference above which two figures conflict.")
    ] = 0.05,
    output_format: RowFormatOption = None,
    data: DataOption = None,
    jobs: JobsOption = 0,
    doc_timeout: DocTimeoutOption = None,
) -> None:
    """Merge one kind of figure across documents into a series, flagging conflicts."""
    from kzaz_facts import output as render
    from kzaz_facts.timeline import timeline as merge_series

    if not math.isfinite(tolerance) or tolerance < 0:
        raise _fail("--tolerance is a finite number >= 0 (a relative difference, e.g. 0.05)")
    pair = _parse_parties(parties)
    series_modality = next((m for m in MODALITIES if m == modality), None)
    if series_modality is None:
        raise _fail("--modality is actual or target")
    chosen = _format(output_format, EntityFormat)
    report = _run(paths, data, jobs, doc_timeout)
    points = merge_series(
        report,
        fact_type=fact_type.value,
        parties=pair,
        scope=scope,
        modality=series_modality,
        tolerance=tolerance,
    )
    if chosen is EntityFormat.table:
        render.print_timeline(points, sys.stdout)
    else:
        _write_stdout(render.TIMELINE_WRITERS[chosen](points))
    conflicts = sum(point.conflict for point in points)
    typer.echo(f"kzaz: {len(points)} points, {conflicts} conflicts", err=True)


class SchemaName(StrEnum):
    report = "report"
    fact = "fact"
    entities = "entities"
    timeline = "timeline"


class EvalFormat(StrEnum):
    table = "table"
    json = "json"


@app.command(name="eval")
def evaluate(
    gold: Annotated[
        Path, typer.Argument(metavar="GOLD", help="Gold annotations, JSON Lines (see README).")
    ],
    paths: PathsArgument,
    output_format: Annotated[
        Optional[EvalFormat],  # noqa: UP045
        typer.Option("--format", "-f", help="Default: a table on a terminal, JSON when piped."),
    ] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="List every miss and false positive.")
    ] = False,
    min_f1: Annotated[
        Optional[float],  # noqa: UP045
        typer.Option(
            "--min-f1", min=0.0, max=1.0, help="Exit 1 when the full micro-averaged F1 is lower."
        ),
    ] = None,
    data: DataOption = None,
    jobs: JobsOption = 0,
    doc_timeout: DocTimeoutOption = None,
) -> None:
    """Score the extractor on annotated articles: precision, recall and F1 per fact type."""
    from kzaz_facts import evaluate as scoring
    from kzaz_facts import output as render

    with _errors_reported(EXIT_USAGE):
        rows = scoring.read_gold(gold)
    report = _run(paths, data, jobs, doc_timeout)
    evaluation = scoring.evaluate(rows, report)
    chosen = output_format or (EvalFormat.table if sys.stdout.isatty() else EvalFormat.json)
    if chosen is EvalFormat.table:
        render.print_evaluation(evaluation, sys.stdout, verbose=verbose)
    else:
        _write_stdout(render.evaluation_json(evaluation))
    _summarise(render.Tally.of(report))
    f1 = evaluation.full.micro.f1 or 0.0
    failed_inputs = any(error.kind not in SKIP_KINDS for error in report.errors)
    if min_f1 is not None and f1 < min_f1:
        typer.echo(f"kzaz: full micro F1 {f1:.4f} is below --min-f1 {min_f1}", err=True)
        raise typer.Exit(EXIT_INPUT_FAILED)
    if failed_inputs:
        raise typer.Exit(EXIT_INPUT_FAILED)


@app.command()
def export(
    paths: PathsArgument,
    to: Annotated[
        str,
        typer.Option(
            "--to",
            metavar="PATH",
            help="A .duckdb file (tables documents, facts, entities, timeline), a .parquet "
            "file (the facts table) or a directory (one .parquet file per table).",
        ),
    ],
    data: DataOption = None,
    jobs: JobsOption = 0,
    doc_timeout: DocTimeoutOption = None,
) -> None:
    """Write documents, flat facts, entities and the timeline as DuckDB or Parquet tables."""
    from kzaz_facts import export as exporting
    from kzaz_facts import output as render

    with _errors_reported(EXIT_USAGE):
        target = exporting.plan_target(to)
    report = _run(paths, data, jobs, doc_timeout)
    with _errors_reported():
        counts = exporting.export(report, target)
    _summarise(render.Tally.of(report))
    written = ", ".join(f"{name} {count}" for name, count in counts.items())
    typer.echo(f"kzaz: written {to}: {written} rows", err=True)
    if any(error.kind not in SKIP_KINDS for error in report.errors):
        raise typer.Exit(EXIT_INPUT_FAILED)


@app.command()
def schema(
    name: Annotated[
        SchemaName,
        typer.Option(
            "--for",
            help="Which output: report (`extract -f json`), fact (one line of `extract -f "
            "jsonl`), entities or timeline (their `-f json`; a jsonl line is one item).",
        ),
    ] = SchemaName.report,
) -> None:
    """Print the JSON Schema (draft 2020-12) of an output; by default `extract -f json`'s."""
    from kzaz_facts.output import schema_json

    _write_stdout(schema_json(name.value))


def main() -> None:
    app()
