"""``kzaz check`` and ``kzaz eval``: the facts compared with a baseline, or scored on gold."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from kzaz_facts.cli import run
from kzaz_facts.cli.guards import (
    EXIT_INPUT_FAILED,
    EXIT_USAGE,
    Limits,
    errors_reported,
    output_failed,
    require_stdout,
    write_stdout,
)
from kzaz_facts.cli.options import (
    DataOption,
    DocTimeoutOption,
    EvalFormat,
    EvalFormatOption,
    FollowLinksOption,
    JobsOption,
    MaxBytesOption,
    PathsArgument,
)
from kzaz_facts.input_files import DEFAULT_MAX_BYTES

CHECK_EXAMPLES = """Examples:

  kzaz check seeds/ --baseline tests/baseline/seeds.json

  kzaz check seeds/ --baseline tests/baseline/seeds.json --update   after a meant change

  kzaz check corpus/ --baseline facts.json   a saved `kzaz extract -f json` output
"""


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
    from kzaz_facts.output.atomic import write_atomic

    if not update:
        require_stdout()
    report = run.report(paths, data, jobs, Limits(max_bytes, follow_links, doc_timeout=doc_timeout))
    failed = run.report_errors(report.errors)
    current = check_baseline.snapshot(report)
    if update:
        try:
            write_atomic(baseline, json.dumps(current, indent=2, ensure_ascii=False) + "\n")
        except OSError as error:
            raise output_failed(error, baseline) from error
        typer.echo(f"kzaz: baseline written: {baseline} ({len(report.facts)} facts)", err=True)
        if failed:
            raise typer.Exit(EXIT_INPUT_FAILED)
        return
    with errors_reported(EXIT_USAGE):
        old = check_baseline.read_baseline(baseline)
    differences = check_baseline.compare(old, current["facts"])
    write_stdout(check_baseline.describe(differences))
    counts = {
        kind: sum(d.kind == kind for d in differences) for kind in check_baseline.DIFFERENCE_KINDS
    }
    summary = ", ".join(f"{count} {kind}" for kind, count in counts.items())
    typer.echo(f"kzaz: {len(current['facts'])} facts checked: {summary}", err=True)
    if differences or failed:
        raise typer.Exit(EXIT_INPUT_FAILED)


EVAL_EXAMPLES = """Examples:

  kzaz eval tests/devset/gold.jsonl tests/devset/articles/

  kzaz eval tests/devset/gold.jsonl tests/devset/articles/ --verbose   every miss

  kzaz eval gold.jsonl articles/ --min-f1 0.5 -f json > scores.json
"""


def evaluate(
    gold: Annotated[
        Path, typer.Argument(metavar="GOLD", help="Gold annotations, JSON Lines (see README).")
    ],
    paths: PathsArgument,
    output_format: EvalFormatOption = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="List every miss and false positive.")
    ] = False,
    min_f1: Annotated[
        Optional[float],  # noqa: UP045  (typer reads the annotation at run time)
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
    from kzaz_facts.gold import read_gold
    from kzaz_facts.output import evaluation as render

    with errors_reported(EXIT_USAGE):
        rows = read_gold(gold)
    report = run.report(paths, data, jobs, Limits(doc_timeout=doc_timeout))
    evaluation = scoring.evaluate(rows, report)
    chosen = output_format or (EvalFormat.table if sys.stdout.isatty() else EvalFormat.json)
    if chosen is EvalFormat.table:
        render.print_evaluation(evaluation, sys.stdout, verbose=verbose)
    else:
        write_stdout(render.evaluation_json(evaluation))
    run.summarise(run.tally_of(report))
    f1 = evaluation.full.micro.f1 or 0.0
    failed_inputs = run.failed(report.errors)
    if min_f1 is not None and f1 < min_f1:
        typer.echo(f"kzaz: full micro F1 {f1:.4f} is below --min-f1 {min_f1}", err=True)
        raise typer.Exit(EXIT_INPUT_FAILED)
    if failed_inputs:
        raise typer.Exit(EXIT_INPUT_FAILED)
