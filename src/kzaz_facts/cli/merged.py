"""``kzaz entities`` and ``kzaz timeline``: mentions and figures merged across documents."""

from __future__ import annotations

import math
import sys
from typing import Annotated, Optional

import typer

from kzaz_facts.cli import filter_options as chosen_filters
from kzaz_facts.cli import run
from kzaz_facts.cli.guards import EXIT_INPUT_FAILED, Limits, fail, require_stdout, write_stdout
from kzaz_facts.cli.options import (
    DataOption,
    DocTimeoutOption,
    FollowLinksOption,
    JobsOption,
    MaxBytesOption,
    OutputFormat,
    PartiesHelp,
    PathsArgument,
    RowFormatOption,
    default_format,
)
from kzaz_facts.input_files import DEFAULT_MAX_BYTES
from kzaz_facts.records import FACT_TYPES, MODALITIES

ENTITIES_EXAMPLES = """Examples:

  kzaz entities seeds/                     every person, port, route, organisation and place

  kzaz entities seeds/ --label person -f csv -o people.csv

  kzaz entities seeds/ -l ROUTE -l PORT -f json
"""


def entities(
    paths: PathsArgument,
    labels: Annotated[
        Optional[list[str]],  # noqa: UP045  (typer reads the annotation at run time)
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
    from kzaz_facts.entities import aggregate_entities

    wanted = chosen_filters.labels(labels)
    require_stdout()
    chosen = default_format(output_format)
    report = run.report(paths, data, jobs, Limits(max_bytes, follow_links, doc_timeout=doc_timeout))
    rows = aggregate_entities(report.entities, wanted)
    if chosen is OutputFormat.table:
        from kzaz_facts.output.entities import print_entities

        print_entities(rows, sys.stdout)
    else:
        from kzaz_facts.output.entities import ENTITY_WRITERS

        write_stdout(ENTITY_WRITERS[chosen](rows))
    run.summarise(run.tally_of(report))
    if not rows and report.documents:
        chosen_filters.say_empty("entities", chosen_filters.filters_text(label=wanted))
    if run.failed(report.errors):
        raise typer.Exit(EXIT_INPUT_FAILED)


TIMELINE_EXAMPLES = """Examples:

  kzaz timeline seeds/                     Kazakhstan–Azerbaijan trade turnover by period

  kzaz timeline seeds/ --type cargo_volume -f csv     cargo series, one per route

  kzaz timeline corpus/ --modality target --scope agriculture -f json
"""


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
    from kzaz_facts.timeline import ROUTE_KEYED
    from kzaz_facts.timeline import timeline as merge_series

    if not math.isfinite(tolerance) or tolerance < 0:
        raise fail("--tolerance is a finite number >= 0 (a relative difference, e.g. 0.05)")
    (series_type,) = chosen_filters.fact_types([fact_type]) or {"trade_turnover"}
    pair = chosen_filters.party_pair(parties, data)
    scopes = chosen_filters.scopes([scope] if scope else None, data)
    series_modality = next((m for m in MODALITIES if m == modality), None)
    if series_modality is None:
        raise fail("--modality is actual or target")
    require_stdout()
    chosen = default_format(output_format)
    report = run.report(paths, data, jobs, Limits(max_bytes, follow_links, doc_timeout=doc_timeout))
    failed = run.report_errors(report.errors)
    points = merge_series(
        report,
        fact_type=series_type,
        parties=pair,
        scope=next(iter(scopes)) if scopes else None,
        modality=series_modality,
        tolerance=tolerance,
    )
    if chosen is OutputFormat.table:
        from kzaz_facts.output.timeline import print_timeline

        print_timeline(points, sys.stdout)
    else:
        from kzaz_facts.output.timeline import TIMELINE_WRITERS

        write_stdout(TIMELINE_WRITERS[chosen](points))
    conflicts = sum(point.conflict for point in points)
    typer.echo(f"kzaz: {len(points)} points, {conflicts} conflicts", err=True)
    if not points and report.documents:
        shown: dict[str, object] = {"type": series_type, "modality": series_modality}
        shown["scope"] = scopes
        if series_type not in ROUTE_KEYED:
            shown["parties"] = pair
        chosen_filters.say_empty("points", chosen_filters.filters_text(**shown))
    if failed:
        raise typer.Exit(EXIT_INPUT_FAILED)
