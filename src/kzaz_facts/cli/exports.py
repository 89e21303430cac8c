"""``kzaz export`` and ``kzaz schema``: the output for other tools, as database tables or as
the JSON Schemas of what ``kzaz`` writes."""

from __future__ import annotations

from typing import Annotated

import typer

from kzaz_facts.cli import run
from kzaz_facts.cli.guards import (
    EXIT_INPUT_FAILED,
    EXIT_USAGE,
    Limits,
    errors_reported,
    write_stdout,
)
from kzaz_facts.cli.options import (
    DataOption,
    DocTimeoutOption,
    JobsOption,
    PathsArgument,
    SchemaName,
)

EXPORT_EXAMPLES = """Examples:

  kzaz export seeds/ --to facts.duckdb     tables documents, facts, entities, timeline

  kzaz export seeds/ --to facts.parquet    the facts table only

  kzaz export corpus/ --to tables/         one .parquet file per table
"""


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

    with errors_reported(EXIT_USAGE):
        target = exporting.plan_target(to)
    report = run.report(paths, data, jobs, Limits(doc_timeout=doc_timeout))
    with errors_reported():
        counts = exporting.export(report, target)
    run.summarise(run.tally_of(report))
    written = ", ".join(f"{name} {count}" for name, count in counts.items())
    typer.echo(f"kzaz: written {to}: {written} rows", err=True)
    if run.failed(report.errors):
        raise typer.Exit(EXIT_INPUT_FAILED)


SCHEMA_EXAMPLES = """Examples:

  kzaz schema > report.schema.json         the schema of `kzaz extract -f json`

  kzaz schema --for fact                   one line of `kzaz extract -f jsonl`

  kzaz schema --for timeline
"""


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
    from kzaz_facts.output.schemas import schema_json

    write_stdout(schema_json(name.value))
