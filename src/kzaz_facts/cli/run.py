"""Run the library over the inputs and hand the results on: streamed to a writer, or
gathered into one report; the stderr lines that sum a run up.

Only what a run needs is imported, when it needs it: the engine (and spaCy) once inputs are
read, the output writers once something is written, rich only for a table or a progress bar.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, cast, overload

import typer

from kzaz_facts.cli.guards import (
    EXIT_USAGE,
    Limits,
    errors_reported,
    quiet_broken_pipe,
    refuse_output_among_inputs,
)
from kzaz_facts.cli.options import OutputFormat

if TYPE_CHECKING:
    from kzaz_facts.engine import Engine, Task
    from kzaz_facts.meter import ByteMeter
    from kzaz_facts.output.encoded import Encoded, Encoder
    from kzaz_facts.output.streams import StreamWriter, Tally
    from kzaz_facts.records import ErrorKind, ErrorRecord, Fact, Report
    from kzaz_facts.results import DocumentResult

    Results = Iterator[DocumentResult | ErrorRecord]
    Written = Iterator[DocumentResult | Encoded | ErrorRecord]

# Inputs that were passed over rather than broken; --strict counts them as failures.
SKIP_KINDS: frozenset[ErrorKind] = frozenset(
    {"empty", "no_input", "duplicate", "link_outside", "bad_date"}
)
# A progress bar is drawn (on a terminal's stderr) for runs of at least this many files, or
# of this many bytes (one long file: the bar moves as its chunks are done).
PROGRESS_FROM = 10
PROGRESS_FROM_BYTES = 1_000_000


@overload
def results(
    paths: list[str],
    data: Path | None,
    gazetteer: bool,
    jobs: int,
    debug: bool = False,
    limits: Limits | None = None,
) -> Results: ...


@overload
def results(
    paths: list[str],
    data: Path | None,
    gazetteer: bool,
    jobs: int,
    debug: bool = False,
    limits: Limits | None = None,
    *,
    encoder: Encoder | None,
) -> Written: ...


def results(
    paths: list[str],
    data: Path | None,
    gazetteer: bool,
    jobs: int,
    debug: bool = False,
    limits: Limits | None = None,
    *,
    encoder: Encoder | None = None,
) -> Written:
    """Every input as a result or an error, in input order, with a progress bar on a TTY;
    each document encoded by ``encoder`` (``writer_encoder``) where it was processed."""
    from kzaz_facts.engine import Engine, plan

    limits = limits or Limits()
    with errors_reported(EXIT_USAGE, debug=debug):
        engine = Engine(data, gazetteer=gazetteer, debug=debug, doc_timeout=limits.doc_timeout)
        stdin = sys.stdin.buffer.read(limits.max_bytes + 1) if "-" in paths else None
        tasks = plan(paths, stdin, max_bytes=limits.max_bytes, follow_links=limits.follow_links)
    start_up_done()
    if limits.output is not None:
        inputs = [task.source for task in tasks if isinstance(task.source, Path)]
        refuse_output_among_inputs(limits.output, inputs)
    size = sum(task.size for task in tasks)
    if not sys.stderr.isatty() or (len(tasks) < PROGRESS_FROM and size < PROGRESS_FROM_BYTES):
        return _run(engine, tasks, jobs, encoder)
    from kzaz_facts.meter import ByteMeter
    from kzaz_facts.output.progress import with_progress

    meter = ByteMeter()
    return with_progress(_run(engine, tasks, jobs, encoder, meter), len(tasks), meter, size)


def _run(
    engine: Engine,
    tasks: list[Task],
    jobs: int,
    encoder: Encoder | None,
    meter: ByteMeter | None = None,
) -> Written:
    if encoder is None:
        return engine.run_tasks(tasks, jobs=jobs, meter=meter)
    return engine.run_encoded(tasks, encoder, jobs=jobs, meter=meter)


def start_up_done() -> None:
    """The pipeline is built: the garbage collector, paused by ``main`` while the process
    started, collects again and leaves what start-up made (modules, the pipeline, compiled
    patterns, all kept to the end) out of its scans (``gc.freeze``).

    Start-up makes few reference cycles, but each full collection on the way scanned every
    object spaCy had made so far: a tenth of the start-up time. Paused, then frozen before
    workers fork, is the use the ``gc`` documentation gives for a process that forks.
    """
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def close(run: Iterator[object]) -> None:
    """Stop the run behind ``run`` now (its workers, its threads), not whenever the iterator
    is collected: at interpreter exit the pool's threads would find their pipes closed."""
    stop = getattr(run, "close", None)
    if stop is not None:
        stop()


def report(paths: list[str], data: Path | None, jobs: int, limits: Limits | None = None) -> Report:
    """Every input read into one report (the commands that need the whole corpus at once)."""
    from kzaz_facts.report import build_report

    run = results(paths, data, True, jobs, limits=limits)
    try:
        with errors_reported():  # e.g. workers that keep dying
            return build_report(run)
    finally:
        close(run)


def writer_encoder(
    chosen: OutputFormat, keep: Callable[[Fact], bool], flat: bool
) -> Encoder | None:
    """What the writer of ``emit`` encodes each document with; to be done where documents are
    processed (``results``). None for a table, drawn from the whole report."""
    if chosen is OutputFormat.table:
        return None
    _, encoder = _streamed(chosen, flat)
    return encoder(keep)


def _streamed(
    chosen: OutputFormat, flat: bool
) -> tuple[StreamWriter, Callable[[Callable[[Fact], bool]], Encoder]]:
    """The writer of a format written as documents are done, and its documents' encoder."""
    # CSV is always flat rows; JSON Lines are flat rows with --flat, nested facts without.
    if flat or chosen is OutputFormat.csv:
        from kzaz_facts.flat import FLAT_ENCODERS, FLAT_WRITERS

        return FLAT_WRITERS[chosen], FLAT_ENCODERS[chosen]
    from kzaz_facts.output.streams import STREAM_ENCODERS, STREAM_WRITERS

    return STREAM_WRITERS[chosen], STREAM_ENCODERS[chosen]


def emit(
    run: Written,
    chosen: OutputFormat,
    output: Path | None,
    keep: Callable[[Fact], bool],
    flat: bool = False,
    wide: bool = False,
) -> Tally:
    """Write the facts ``keep`` accepts in the ``chosen`` format, to ``output`` or stdout.

    A table needs the whole report; every other format is written as documents are done,
    from their text if ``results`` was given the ``writer_encoder`` of the same arguments.
    """
    from kzaz_facts.output.atomic import atomic_stream

    if chosen is OutputFormat.table:
        return _table(cast("Results", run), output, keep, wide)  # no encoder for a table
    write, _ = _streamed(chosen, flat)
    if output is not None:
        with atomic_stream(output) as stream:
            return write(run, stream, keep)
    try:
        tally = write(run, sys.stdout, keep)
        sys.stdout.flush()  # a full disk or /dev/full shows here, not at exit
    except BrokenPipeError:
        quiet_broken_pipe()
    return tally


def _table(run: Results, output: Path | None, keep: Callable[[Fact], bool], wide: bool) -> Tally:
    from kzaz_facts.output.atomic import atomic_stream
    from kzaz_facts.output.fact_table import print_table
    from kzaz_facts.output.streams import Tally
    from kzaz_facts.report import build_report

    gathered = build_report(run)
    gathered = gathered.model_copy(update={"facts": [f for f in gathered.facts if keep(f)]})
    if output is not None:
        with atomic_stream(output) as stream:
            print_table(gathered, stream, wide=wide)
    else:
        print_table(gathered, sys.stdout, wide=wide)
    return Tally.of(gathered)


def report_errors(errors: list[ErrorRecord]) -> bool:
    """One stderr line per input that was not read; whether any of them is a failure."""
    for error in errors:
        typer.echo(f"kzaz: {error.kind}: {error.path}: {error.message}", err=True)
    return failed(errors)


def failed(errors: list[ErrorRecord]) -> bool:
    """Whether any input failed (a skip, such as an empty file, is no failure)."""
    return any(error.kind not in SKIP_KINDS for error in errors)


def summarise(tally: Tally) -> None:
    """The errors, then one line counting documents, errors and facts."""
    report_errors(tally.errors)
    typer.echo(
        f"kzaz: {tally.documents} documents processed, "
        f"{len(tally.errors)} skipped or failed, {tally.facts} facts",
        err=True,
    )


def tally_of(gathered: Report) -> Tally:
    """What ``summarise`` counts, for a run gathered into one report."""
    from kzaz_facts.output.streams import Tally

    return Tally.of(gathered)
