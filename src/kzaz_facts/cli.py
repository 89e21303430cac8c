"""The ``kzaz`` command: parse arguments, call the library, render, choose the exit code.

This is the one place where errors become messages on stderr and exit codes:
0 all inputs processed, 1 some input failed (the rest was still processed) or the output
could not be written, 2 usage error; 130, 143 and 129 after SIGINT, SIGTERM and SIGHUP.
spaCy is imported only by commands that need it, so ``--version`` and ``--help`` are quick.
"""

from __future__ import annotations

import math
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, Optional, TypeVar

import typer
from typer.core import TyperArgument, TyperCommand, TyperOption

from kzaz_facts import __version__
from kzaz_facts.errors import KzazError
from kzaz_facts.input_files import DEFAULT_MAX_BYTES
from kzaz_facts.records import FACT_TYPES, MODALITIES, ErrorKind, ErrorRecord, Fact, Report

if TYPE_CHECKING:
    from kzaz_facts.output import Tally
    from kzaz_facts.results import DocumentResult

app = typer.Typer(
    name="kzaz",
    help="Typed, source-grounded facts from news about Kazakhstan–Azerbaijan relations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_OK, EXIT_INPUT_FAILED, EXIT_USAGE = 0, 1, 2


class _ArgumentHelp(TyperArgument):
    """An argument whose help shows its name (PATH), not its Python type (<list[str]>)."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None


class _OptionHelp(TyperOption):
    """An option whose help shows its value's name (N, NAME,NAME), and nothing for a flag."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None if self.is_flag else super().display_type_rich(ctx)


class _Command(TyperCommand):
    """Every command: help reads as a person would write it, values named, never typed."""

    def get_params(self, ctx: Any) -> Any:
        params = super().get_params(ctx)
        for param in params:
            if isinstance(param, TyperArgument):
                param.__class__ = _ArgumentHelp
            elif isinstance(param, TyperOption):
                param.__class__ = _OptionHelp
        return params


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
        metavar="N",
        help="Worker processes; 0 (the default) uses every core, 1 runs in this process. "
        "The output is the same whatever the number.",
    ),
]
DataOption = Annotated[
    Optional[Path],  # noqa: UP045  (typer reads the annotation at run time)
    typer.Option(
        "--data", metavar="DIR", help="Use the patterns and gazetteers of this directory."
    ),
]
PartiesHelp = "Any alias, demonym or country code, any case: kazakhstan,AZ or Kazakh,Azerbaijani."
ScopeOption = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option(
        "--scope",
        metavar="SCOPE",
        help="Keep only trade figures of this scope (total, agriculture, energy, ...); "
        "repeatable.",
    ),
]
MaxBytesOption = Annotated[
    int,
    typer.Option(
        "--max-bytes",
        min=1,
        help="Report larger files as too_large without reading them (default 50 MB).",
    ),
]
FollowLinksOption = Annotated[
    bool,
    typer.Option(
        "--follow-links",
        help="Follow symlinks that lead out of a directory given (not followed by default).",
    ),
]


# Output options, declared once with the formats above and their default (`_format`); the
# writer of each format is in the tables at the end of output.py.
FormatT = TypeVar("FormatT", OutputFormat, EntityFormat)

FormatOption = Annotated[
    Optional[OutputFormat],  # noqa: UP045
    typer.Option(
        "--format",
        "-f",
        metavar="table|json|jsonl|csv",
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
        metavar="table|json|jsonl|csv",
        help="table, json, jsonl or csv. Default: a table on a terminal, JSON when piped.",
    ),
]
OutputOption = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option(
        "--output", "-o", metavar="FILE", help="Write to this file (atomically) instead of stdout."
    ),
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


def _fact_types(values: list[str] | None) -> set[str] | None:
    """``--type`` values in any case (``Trade-Turnover``), checked against the fact types."""
    from kzaz_facts import filters

    if not values:
        return None
    with _errors_reported(EXIT_USAGE):
        return filters.choose_all("--type", values, filters.vocabulary(FACT_TYPES))


def _party_pair(value: str | None, data: Path | None) -> set[str] | None:
    """``--parties A,B`` as two canonical names from the gazetteer (aliases, demonyms, codes)."""
    from kzaz_facts import filters
    from kzaz_facts.resources import resolve_data_dir

    if value is None:
        return None
    with _errors_reported(EXIT_USAGE):
        return filters.parse_parties(value, filters.party_vocabulary(resolve_data_dir(data)))


def _scopes(values: list[str] | None, data: Path | None) -> set[str] | None:
    from kzaz_facts import filters
    from kzaz_facts.resources import resolve_data_dir

    if not values:
        return None
    with _errors_reported(EXIT_USAGE):
        known = filters.vocabulary(filters.scope_names(resolve_data_dir(data)))
        return filters.choose_all("--scope", values, known)


def _filters_text(**given: object) -> str:
    """The filters that were given, as the user would write them."""
    parts = []
    for name, value in given.items():
        if value:
            shown = ",".join(sorted(value)) if isinstance(value, set | list) else str(value)
            parts.append(f"--{name.replace('_', '-')} {shown}")
    return " ".join(parts)


def _say_empty(what: str, filters_text: str) -> None:
    """The one stderr line saying the filters left nothing (the exit code stays 0)."""
    if filters_text:
        typer.echo(f"kzaz: no {what} left after {filters_text}", err=True)


EXTRACT_EXAMPLES = """Examples:

  kzaz extract seeds/                      a table on a terminal, JSON when piped

  kzaz extract seeds/ -t trade_turnover --parties kazakhstan,AZ -f csv -o trade.csv

  kzaz extract article.txt --wide          every column and the whole evidence
"""


@app.command(cls=_Command, epilog=EXTRACT_EXAMPLES)
def extract(
    paths: PathsArgument,
    output_format: FormatOption = None,
    flat: FlatOption = False,
    output: OutputOption = None,
    fact_types: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            "--type",
            "-t",
            metavar="TYPE",
            help="Keep only facts of this type (repeatable): " + ", ".join(FACT_TYPES) + ".",
        ),
    ] = None,
    parties: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            metavar="NAME,NAME",
            help="Keep only facts of this pair of parties. " + PartiesHelp,
        ),
    ] = None,
    scopes: ScopeOption = None,
    wide: Annotated[
        bool,
        typer.Option("--wide", help="Table: every column at full width and the whole evidence."),
    ] = False,
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
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
    follow_links: FollowLinksOption = False,
) -> None:
    """Extract typed fact records from news articles."""
    from kzaz_facts.filters import FactFilter

    keep = FactFilter(_fact_types(fact_types), _party_pair(parties, data), _scopes(scopes, data))
    if output is None:
        _require_stdout()
    else:
        _check_output(output)
    chosen = _extract_format(output_format, output, flat)
    limits = _Limits(max_bytes, follow_links, output, doc_timeout)
    results = _results(paths, data, gazetteer, jobs, debug, limits)
    try:
        with _errors_reported(debug=debug):
            tally = _emit(results, chosen, output, keep, flat, wide)
    except OSError as error:
        if debug:
            raise
        raise _output_failed(error, output) from error
    finally:
        _close(results)
    _summarise(tally)
    if not tally.facts and tally.documents:
        _say_empty("facts", _filters_text(type=keep.types, parties=keep.parties, scope=keep.scopes))
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
SKIP_KINDS: frozenset[ErrorKind] = frozenset(
    {"empty", "no_input", "duplicate", "link_outside", "bad_date"}
)
# A progress bar is drawn (on a terminal's stderr) for runs of at least this many files, or
# of this many bytes (one long file: the bar moves as its chunks are done).
PROGRESS_FROM = 10
PROGRESS_FROM_BYTES = 1_000_000


@dataclass(frozen=True)
class _Limits:
    """What a run may read (``--max-bytes``, ``--follow-links``), the ``-o`` it writes, and how
    long one document may take (``--doc-timeout``)."""

    max_bytes: int = DEFAULT_MAX_BYTES
    follow_links: bool = False
    output: Path | None = None
    doc_timeout: float | None = None


def _require_stdout() -> None:
    """``kzaz extract ... >&-``: say so before any work, not with a traceback after it."""
    if sys.stdout is None:
        raise _fail("standard output is closed; use -o FILE", EXIT_INPUT_FAILED)


def _check_output(output: Path) -> None:
    """Refuse an ``-o`` that cannot be written before any input is read (exit 2).

    A symlink is judged by what it names; a device or a FIFO is written through, as ``>``
    would; anything else gets a new file in its directory, renamed into place.
    """
    target = Path(os.path.realpath(output))
    if target.is_dir():
        raise _fail(f"-o {output}: is a directory; name a file")
    if target.exists() and not target.is_file():
        if not os.access(target, os.W_OK):
            raise _fail(f"-o {output}: not writable")
        return
    if not target.parent.is_dir():
        raise _fail(f"-o {output}: directory {target.parent} does not exist")
    if not os.access(target.parent, os.W_OK):
        raise _fail(f"-o {output}: directory {target.parent} is not writable")


def _refuse_output_among_inputs(output: Path, inputs: list[Path]) -> None:
    if not output.exists():
        return
    for source in inputs:
        try:
            same = os.path.samefile(output, source)
        except OSError:
            continue
        if same:
            raise _fail(f"-o {output}: is one of the inputs; it would be overwritten")


def _output_failed(error: OSError, output: Path | None) -> typer.Exit:
    """A write that failed (a full disk, ``> /dev/full``, a read-only directory): one line."""
    import errno
    import tempfile

    where = "standard output" if output is None else str(output)
    reason = error.strerror or str(error)
    if error.errno == errno.ENOSPC:
        reason += f" (on {where}, or under the temporary directory {tempfile.gettempdir()})"
    if output is None:
        _discard_stdout()
    return _fail(f"cannot write the output to {where}: {reason}", EXIT_INPUT_FAILED)


def _results(
    paths: list[str],
    data: Path | None,
    gazetteer: bool,
    jobs: int,
    debug: bool = False,
    limits: _Limits | None = None,
) -> Iterator[DocumentResult | ErrorRecord]:
    """Every input as a result or an error, in input order, with a progress bar on a TTY."""
    from kzaz_facts.engine import Engine, plan

    limits = limits or _Limits()
    with _errors_reported(EXIT_USAGE, debug=debug):
        engine = Engine(data, gazetteer=gazetteer, debug=debug, doc_timeout=limits.doc_timeout)
        stdin = sys.stdin.buffer.read(limits.max_bytes + 1) if "-" in paths else None
        tasks = plan(paths, stdin, max_bytes=limits.max_bytes, follow_links=limits.follow_links)
    if limits.output is not None:
        inputs = [task.source for task in tasks if isinstance(task.source, Path)]
        _refuse_output_among_inputs(limits.output, inputs)
    size = sum(task.size for task in tasks)
    if not sys.stderr.isatty() or (len(tasks) < PROGRESS_FROM and size < PROGRESS_FROM_BYTES):
        return engine.run_tasks(tasks, jobs=jobs)
    from kzaz_facts.meter import ByteMeter
    from kzaz_facts.output.progress import with_progress

    meter = ByteMeter()
    return with_progress(engine.run_tasks(tasks, jobs=jobs, meter=meter), len(tasks), meter, size)


def _close(results: Iterator[DocumentResult | ErrorRecord]) -> None:
    """Stop the run behind ``results`` now (its workers, its threads), not whenever the
    iterator is collected: at interpreter exit the pool's threads would find their pipes
    closed."""
    close = getattr(results, "close", None)
    if close is not None:
        close()


def _run(paths: list[str], data: Path | None, jobs: int, limits: _Limits | None = None) -> Report:
    from kzaz_facts.report import build_report

    results = _results(paths, data, True, jobs, limits=limits)
    try:
        with _errors_reported():  # e.g. workers that keep dying
            return build_report(results)
    finally:
        _close(results)


def _emit(
    results: Iterator[DocumentResult | ErrorRecord],
    chosen: OutputFormat,
    output: Path | None,
    keep: Callable[[Fact], bool],
    flat: bool = False,
    wide: bool = False,
) -> Tally:
    from kzaz_facts import flat as row_writers
    from kzaz_facts import output as render
    from kzaz_facts.report import build_report

    if chosen is OutputFormat.table:
        report = build_report(results)
        report = report.model_copy(update={"facts": [f for f in report.facts if keep(f)]})
        if output is not None:
            with render.atomic_stream(output) as stream:
                render.print_table(report, stream, wide=wide)
        else:
            render.print_table(report, sys.stdout, wide=wide)
        return render.Tally.of(report)
    # CSV is always flat rows; JSON Lines are flat rows with --flat, nested facts without.
    flat_rows = flat or chosen is OutputFormat.csv
    write = (row_writers.FLAT_WRITERS if flat_rows else render.STREAM_WRITERS)[chosen]
    if output is not None:
        with render.atomic_stream(output) as stream:
            return write(results, stream, keep)
    try:
        tally = write(results, sys.stdout, keep)
        sys.stdout.flush()  # a full disk or /dev/full shows here, not at exit
    except BrokenPipeError:
        _quiet_broken_pipe()
    return tally


def _write_stdout(text: str) -> None:
    _require_stdout()
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_broken_pipe()
    except OSError as error:
        raise _output_failed(error, None) from error


def _discard_stdout() -> None:
    """Point stdout at the null device, so that what is left in its buffer goes nowhere at
    exit instead of failing a second time."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _quiet_broken_pipe() -> NoReturn:
    """``kzaz extract ... | head -1``: the reader left; exit without a traceback."""
    _discard_stdout()
    raise typer.Exit(EXIT_OK)


def _report_errors(errors: list[ErrorRecord]) -> bool:
    """One stderr line per input that was not read; whether any of them is a failure."""
    for error in errors:
        typer.echo(f"kzaz: {error.kind}: {error.path}: {error.message}", err=True)
    return any(error.kind not in SKIP_KINDS for error in errors)


def _summarise(tally: Tally) -> None:
    _report_errors(tally.errors)
    typer.echo(
        f"kzaz: {tally.documents} documents processed, "
        f"{len(tally.errors)} skipped or failed, {tally.facts} facts",
        err=True,
    )


ENTITIES_EXAMPLES = """Examples:

  kzaz entities seeds/                     every person, port, route, organisation and place

  kzaz entities seeds/ --label person -f csv -o people.csv

  kzaz entities seeds/ -l ROUTE -l PORT -f json
"""


@app.command(cls=_Command, epilog=ENTITIES_EXAMPLES)
def entities(
    paths: PathsArgument,
    labels: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            "--label",
            "-l",
            metavar="LABEL",
            help="Keep only this label, any case (PERSON, PORT, ROUTE, ORG, GPE, NORP); "
            "repeatable.",
        ),
    ] = None,
    output_format: RowFormatOption = None,
    data: DataOption = None,
    jobs: JobsOption = 0,
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
    follow_links: FollowLinksOption = False,
    doc_timeout: DocTimeoutOption = None,
) -> None:
    """One row per real-world entity across the corpus, with every alias seen."""
    from kzaz_facts import filters
    from kzaz_facts import output as render
    from kzaz_facts.entities import aggregate_entities

    wanted = None
    if labels:
        with _errors_reported(EXIT_USAGE):
            known = filters.vocabulary(filters.ENTITY_LABELS)
            wanted = filters.choose_all("--label", labels, known)
    _require_stdout()
    chosen = _format(output_format, EntityFormat)
    report = _run(paths, data, jobs, _Limits(max_bytes, follow_links, doc_timeout=doc_timeout))
    rows = aggregate_entities(report.entities, wanted)
    if chosen is EntityFormat.table:
        render.print_entities(rows, sys.stdout)
    else:
        _write_stdout(render.ENTITY_WRITERS[chosen](rows))
    _summarise(render.Tally.of(report))
    if not rows and report.documents:
        _say_empty("entities", _filters_text(label=wanted))
    if any(error.kind not in SKIP_KINDS for error in report.errors):
        raise typer.Exit(EXIT_INPUT_FAILED)


CHECK_EXAMPLES = """Examples:

  kzaz check seeds/ --baseline tests/baseline/seeds.json

  kzaz check seeds/ --baseline tests/baseline/seeds.json --update   after a meant change

  kzaz check corpus/ --baseline facts.json   a saved `kzaz extract -f json` output
"""


@app.command(cls=_Command, epilog=CHECK_EXAMPLES)
def check(
    paths: PathsArgument,
    baseline: Annotated[
        Path,
        typer.Option(
            metavar="FILE",
            help="Baseline: JSON from `kzaz extract -f json` or a snapshot from --update."
        ),
    ],
    update: Annotated[
        bool, typer.Option("--update", help="Write the current facts as the new baseline.")
    ] = False,
    data: DataOption = None,
    jobs: JobsOption = 0,
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
    follow_links: FollowLinksOption = False,
    doc_timeout: DocTimeoutOption = None,
) -> None:
    """Compare extracted facts with a baseline: exit 0 when equal, 1 on any difference.

    A figure edited in place ("$221 million" became "$231 million") shows as one changed
    fact, with each changed field as `old -> new`.

    Exit codes: 0 the facts equal the baseline (or --update wrote it); 1 some fact was
    added, removed or changed, or an input could not be read; 2 usage error (the baseline
    is missing or unreadable, a bad option).
    """
    import json

    from kzaz_facts import baseline as check_baseline
    from kzaz_facts.output import write_atomic

    if not update:
        _require_stdout()
    report = _run(paths, data, jobs, _Limits(max_bytes, follow_links, doc_timeout=doc_timeout))
    failed = _report_errors(report.errors)
    current = check_baseline.snapshot(report)
    if update:
        try:
            write_atomic(baseline, json.dumps(current, indent=2, ensure_ascii=False) + "\n")
        except OSError as error:
            raise _output_failed(error, baseline) from error
        typer.echo(f"kzaz: baseline written: {baseline} ({len(report.facts)} facts)", err=True)
        if failed:
            raise typer.Exit(EXIT_INPUT_FAILED)
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
    if differences or failed:
        raise typer.Exit(EXIT_INPUT_FAILED)


TIMELINE_EXAMPLES = """Examples:

  kzaz timeline seeds/                     Kazakhstan–Azerbaijan trade turnover by period

  kzaz timeline seeds/ --type cargo_volume -f csv     cargo series, one per route

  kzaz timeline corpus/ --modality target --scope agriculture -f json
"""


@app.command(cls=_Command, epilog=TIMELINE_EXAMPLES)
def timeline(
    paths: PathsArgument,
    fact_type: Annotated[
        str,
        typer.Option(
            "--type",
            "-t",
            metavar="TYPE",
            help="Fact type of the series, any case: " + ", ".join(FACT_TYPES) + ".",
        ),
    ] = "trade_turnover",
    parties: Annotated[
        str,
        typer.Option(
            metavar="NAME,NAME",
            help="The pair of the series (not applied to cargo, whose series are keyed by "
            "route). " + PartiesHelp,
        ),
    ] = "Kazakhstan,Azerbaijan",
    scope: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(metavar="SCOPE", help="Keep one trade scope (total, agriculture, ...)."),
    ] = None,
    modality: Annotated[
        str, typer.Option(metavar="actual|target", help="actual or target.")
    ] = "actual",
    tolerance: Annotated[
        float,
        typer.Option(
            metavar="FRACTION", help="Relative difference above which two figures conflict."
        ),
    ] = 0.05,
    output_format: RowFormatOption = None,
    data: DataOption = None,
    jobs: JobsOption = 0,
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
    follow_links: FollowLinksOption = False,
    doc_timeout: DocTimeoutOption = None,
) -> None:
    """Merge one kind of figure across documents into a series, flagging conflicts."""
    from kzaz_facts import output as render
    from kzaz_facts.timeline import ROUTE_KEYED
    from kzaz_facts.timeline import timeline as merge_series

    if not math.isfinite(tolerance) or tolerance < 0:
        raise _fail("--tolerance is a finite number >= 0 (a relative difference, e.g. 0.05)")
    (series_type,) = _fact_types([fact_type]) or {"trade_turnover"}
    pair = _party_pair(parties, data)
    scopes = _scopes([scope] if scope else None, data)
    series_modality = next((m for m in MODALITIES if m == modality), None)
    if series_modality is None:
        raise _fail("--modality is actual or target")
    _require_stdout()
    chosen = _format(output_format, EntityFormat)
    report = _run(paths, data, jobs, _Limits(max_bytes, follow_links, doc_timeout=doc_timeout))
    failed = _report_errors(report.errors)
    points = merge_series(
        report,
        fact_type=series_type,
        parties=pair,
        scope=next(iter(scopes)) if scopes else None,
        modality=series_modality,
        tolerance=tolerance,
    )
    if chosen is EntityFormat.table:
        render.print_timeline(points, sys.stdout)
    else:
        _write_stdout(render.TIMELINE_WRITERS[chosen](points))
    conflicts = sum(point.conflict for point in points)
    typer.echo(f"kzaz: {len(points)} points, {conflicts} conflicts", err=True)
    if not points and report.documents:
        shown: dict[str, object] = {"type": series_type, "modality": series_modality}
        shown["scope"] = scopes
        if series_type not in ROUTE_KEYED:
            shown["parties"] = pair
        _say_empty("points", _filters_text(**shown))
    if failed:
        raise typer.Exit(EXIT_INPUT_FAILED)


class SchemaName(StrEnum):
    report = "report"
    fact = "fact"
    entities = "entities"
    timeline = "timeline"


class EvalFormat(StrEnum):
    table = "table"
    json = "json"


EVAL_EXAMPLES = """Examples:

  kzaz eval tests/devset/gold.jsonl tests/devset/articles/

  kzaz eval tests/devset/gold.jsonl tests/devset/articles/ --verbose   every miss

  kzaz eval gold.jsonl articles/ --min-f1 0.5 -f json > scores.json
"""


@app.command(name="eval", cls=_Command, epilog=EVAL_EXAMPLES)
def evaluate(
    gold: Annotated[
        Path, typer.Argument(metavar="GOLD", help="Gold annotations, JSON Lines (see README).")
    ],
    paths: PathsArgument,
    output_format: Annotated[
        Optional[EvalFormat],  # noqa: UP045
        typer.Option(
            "--format",
            "-f",
            metavar="table|json",
            help="Default: a table on a terminal, JSON when piped.",
        ),
    ] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="List every miss and false positive.")
    ] = False,
    min_f1: Annotated[
        Optional[float],  # noqa: UP045
        typer.Option(
            "--min-f1",
            min=0.0,
            max=1.0,
            metavar="F1",
            help="Exit 1 when the full micro-averaged F1 (0 to 1) is lower.",
        ),
    ] = None,
    data: DataOption = None,
    jobs: JobsOption = 0,
    doc_timeout: DocTimeoutOption = None,
) -> None:
    """Score the extractor on annotated articles: precision, recall and F1 per fact type."""
    from kzaz_facts import evaluate as scoring
    from kzaz_facts import output as render
    from kzaz_facts.gold import read_gold

    with _errors_reported(EXIT_USAGE):
        rows = read_gold(gold)
    report = _run(paths, data, jobs, _Limits(doc_timeout=doc_timeout))
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


EXPORT_EXAMPLES = """Examples:

  kzaz export seeds/ --to facts.duckdb     tables documents, facts, entities, timeline

  kzaz export seeds/ --to facts.parquet    the facts table only

  kzaz export corpus/ --to tables/         one .parquet file per table
"""


@app.command(cls=_Command, epilog=EXPORT_EXAMPLES)
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
    report = _run(paths, data, jobs, _Limits(doc_timeout=doc_timeout))
    with _errors_reported():
        counts = exporting.export(report, target)
    _summarise(render.Tally.of(report))
    written = ", ".join(f"{name} {count}" for name, count in counts.items())
    typer.echo(f"kzaz: written {to}: {written} rows", err=True)
    if any(error.kind not in SKIP_KINDS for error in report.errors):
        raise typer.Exit(EXIT_INPUT_FAILED)


SCHEMA_EXAMPLES = """Examples:

  kzaz schema > report.schema.json         the schema of `kzaz extract -f json`

  kzaz schema --for fact                   one line of `kzaz extract -f jsonl`

  kzaz schema --for timeline
"""


@app.command(cls=_Command, epilog=SCHEMA_EXAMPLES)
def schema(
    name: Annotated[
        SchemaName,
        typer.Option(
            "--for",
            metavar="report|fact|entities|timeline",
            help="Which output: report (`extract -f json`), fact (one line of `extract -f "
            "jsonl`), entities or timeline (their `-f json`; a jsonl line is one item).",
        ),
    ] = SchemaName.report,
) -> None:
    """Print the JSON Schema (draft 2020-12) of an output; by default `extract -f json`'s."""
    from kzaz_facts.output import schema_json

    _write_stdout(schema_json(name.value))


class Interrupted(BaseException):
    """SIGINT, SIGTERM or SIGHUP: unwinds the run (workers stopped, temporary files removed)
    up to ``main``. A ``BaseException`` so that no ``except Exception`` stops it on the way."""

    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.number = number


_STOP_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")
_MAIN_PID = os.getpid()  # set again by main(): the process whose signals stop the run


def _stop(number: int, frame: object) -> None:
    if os.getpid() != _MAIN_PID:
        # A worker forked a moment ago, before it set its own handlers: Ctrl-C is the
        # parent's to handle, any other signal stops it as it would stop any process.
        if number != signal.SIGINT:
            signal.signal(number, signal.SIG_DFL)
            os.kill(os.getpid(), number)
        return
    for name in _STOP_SIGNALS:  # a second signal must not cut the clean-up short
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    raise Interrupted(number)


def main() -> None:
    global _MAIN_PID
    _MAIN_PID = os.getpid()
    for name in _STOP_SIGNALS:
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _stop)
    try:
        app()
    except Interrupted as stop:
        name = signal.Signals(stop.number).name
        text = "interrupted" if stop.number == signal.SIGINT else f"terminated ({name})"
        try:
            sys.stderr.write(f"kzaz: {text}\n")
            sys.stderr.flush()
        except (OSError, ValueError, AttributeError):  # the terminal is gone (SIGHUP)
            pass
        sys.exit(128 + stop.number)
