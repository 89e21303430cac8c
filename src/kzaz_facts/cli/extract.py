"""``kzaz extract``: fact records from news articles, streamed as documents are done."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from kzaz_facts.cli import filter_options as chosen_filters
from kzaz_facts.cli import run
from kzaz_facts.cli.guards import (
    EXIT_INPUT_FAILED,
    Limits,
    check_output,
    errors_reported,
    fail,
    output_failed,
    require_stdout,
)
from kzaz_facts.cli.options import (
    FORMAT_OF_SUFFIX,
    DataOption,
    DocTimeoutOption,
    FlatOption,
    FollowLinksOption,
    FormatOption,
    JobsOption,
    MaxBytesOption,
    OutputFormat,
    OutputOption,
    PartiesHelp,
    PathsArgument,
    ScopeOption,
    default_format,
)
from kzaz_facts.input_files import DEFAULT_MAX_BYTES
from kzaz_facts.records import FACT_TYPES

EXTRACT_EXAMPLES = """Examples:

  kzaz extract seeds/                      a table on a terminal, JSON when piped

  kzaz extract seeds/ -t trade_turnover --parties kazakhstan,AZ -f csv -o trade.csv

  kzaz extract article.txt --wide          every column and the whole evidence
"""


def extract(
    paths: PathsArgument,
    output_format: FormatOption = None,
    flat: FlatOption = False,
    output: OutputOption = None,
    fact_types: Annotated[
        Optional[list[str]],  # noqa: UP045  (typer reads the annotation at run time)
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

    keep = FactFilter(
        chosen_filters.fact_types(fact_types),
        chosen_filters.party_pair(parties, data),
        chosen_filters.scopes(scopes, data),
    )
    if output is None:
        require_stdout()
    else:
        check_output(output)
    chosen = extract_format(output_format, output, flat)
    limits = Limits(max_bytes, follow_links, output, doc_timeout)
    encoder = run.writer_encoder(chosen, keep, flat)
    results = run.results(paths, data, gazetteer, jobs, debug, limits, encoder=encoder)
    try:
        with errors_reported(debug=debug):
            tally = run.emit(results, chosen, output, keep, flat, wide)
    except OSError as error:
        if debug:
            raise
        raise output_failed(error, output) from error
    finally:
        run.close(results)
    run.summarise(tally)
    if not tally.facts and tally.documents:
        given = {"type": keep.types, "parties": keep.parties, "scope": keep.scopes}
        chosen_filters.say_empty("facts", chosen_filters.filters_text(**given))
    failed = [e for e in tally.errors if strict or e.kind not in run.SKIP_KINDS]
    if failed:
        raise typer.Exit(EXIT_INPUT_FAILED)


def extract_format(chosen: OutputFormat | None, output: Path | None, flat: bool) -> OutputFormat:
    """--format, else the output file's extension, else jsonl for --flat, else table or JSON."""
    implied = FORMAT_OF_SUFFIX.get(output.suffix.lower()) if output is not None else None
    chosen = chosen or implied or (OutputFormat.jsonl if flat else None)
    if flat and chosen not in {OutputFormat.jsonl, OutputFormat.csv}:
        raise fail(f"--flat writes jsonl or csv rows, not {chosen}")
    return default_format(chosen, output)
