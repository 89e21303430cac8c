"""`kzaz eval` -> JSON or rich tables of the scores, misses and false positives."""

from __future__ import annotations

import json
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from kzaz_facts.eval_results import Evaluation, Score


def evaluation_json(evaluation: Evaluation) -> str:
    return json.dumps(evaluation.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def _score_cells(score: Score) -> list[str]:
    def cell(value: float | None) -> str:
        return "–" if value is None else f"{value:.3f}"

    return [
        cell(score.precision),
        cell(score.recall),
        cell(score.f1),
        str(score.tp),
        str(score.fp),
        str(score.fn),
    ]


def _score_columns(table: Table, first: str) -> None:
    table.add_column(first, no_wrap=True)
    for column in ("P", "R", "F1", "TP", "FP", "FN"):
        table.add_column(column, justify="right", no_wrap=True)


def print_evaluation(evaluation: Evaluation, stream: IO[str], verbose: bool = False) -> None:
    """Scores per fact type at both levels, entities per label, dates; with ``verbose``,
    every miss and false positive."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=stream)
    for name, level in (("core", evaluation.core), ("full", evaluation.full)):
        facts = Table(title=f"Facts, {name} match")
        _score_columns(facts, "type")
        for kind, score in level.per_type.items():
            facts.add_row(kind, *_score_cells(score))
        facts.add_row("[bold]micro[/]", *_score_cells(level.micro))
        console.print(facts)
    entities = Table(title="Entities")
    _score_columns(entities, "label")
    for label, score in evaluation.entities.items():
        entities.add_row(label, *_score_cells(score))
    console.print(entities)
    dates = evaluation.dates
    accuracy = "–" if dates.accuracy is None else f"{dates.accuracy:.3f}"
    console.print(f"Document dates: {dates.correct}/{dates.total} right ({accuracy})")
    for name, docs in (
        ("not processed", evaluation.missing_documents),
        ("without gold (not scored)", evaluation.unannotated_documents),
    ):
        if docs:
            console.print(f"Documents {name}: {', '.join(docs)}")
    if verbose:
        _print_errors(evaluation, console)


def _print_errors(evaluation: Evaluation, console: Console) -> None:
    from rich.markup import escape

    for miss in evaluation.misses:
        detail = f" ({'; '.join(miss.problems)})" if miss.problems else ""
        console.print(
            f"[red]miss[/] {miss.level} {miss.doc} {miss.type}: {escape(miss.quote)}{detail}"
        )
    for wrong in evaluation.false_positives:
        where = f"{wrong.level} {wrong.doc} {wrong.type}"
        console.print(f"[yellow]false positive[/] {where}: {escape(wrong.quote)}")
    for label, score in evaluation.entities.items():
        for item in score.misses:
            console.print(f"[red]miss[/] {item['doc']} {label}: {escape(item['name'])}")
        for item in score.false_positives:
            console.print(
                f"[yellow]false positive[/] {item['doc']} {label}: {escape(item['name'])}"
            )
    for check in evaluation.dates.wrong:
        console.print(
            f"[red]date[/] {check.doc}: {check.predicted} ({check.source}) vs gold {check.gold}"
        )
