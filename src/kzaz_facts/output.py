"""Report -> JSON, JSON Lines, CSV or a rich table; the JSON schemas of every output.

rich is imported here only, and lazily, so JSON output never pays for it.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal, Union

from pydantic import BaseModel, TypeAdapter

from kzaz_facts.entities import EntityRow
from kzaz_facts.records import SCHEMA_VERSION, ErrorRecord, Fact, Report
from kzaz_facts.timeline import Point

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from kzaz_facts.engine import DocumentResult
    from kzaz_facts.evaluate import Evaluation, Score

Format = Literal["table", "json", "jsonl"]


def report_json(report: Report) -> str:
    return report.model_dump_json(indent=2) + "\n"


def facts_jsonl(facts: Iterable[Fact]) -> str:
    return "".join(fact.model_dump_json() + "\n" for fact in facts)


def render(report: Report, output_format: Format) -> str:
    if output_format == "json":
        return report_json(report)
    if output_format == "jsonl":
        return facts_jsonl(report.facts)
    raise ValueError(f"not a text format: {output_format}")


# -- streaming ------------------------------------------------------------------------------


@dataclass
class Tally:
    """What a run wrote: counted as it streams, so nothing needs the whole report."""

    documents: int = 0
    facts: int = 0
    errors: list[ErrorRecord] = field(default_factory=list)

    @classmethod
    def of(cls, report: Report) -> Tally:
        return cls(len(report.documents), len(report.facts), list(report.errors))


Item = Union["DocumentResult", ErrorRecord]
FactFilter = Callable[[Fact], bool]


def _keep_all(fact: Fact) -> bool:
    return True


def stream_jsonl(results: Iterable[Item], stream: IO[str], keep: FactFilter = _keep_all) -> Tally:
    """One fact per line, written as each document is done."""
    tally = Tally()
    for result in results:
        if isinstance(result, ErrorRecord):
            tally.errors.append(result)
            continue
        tally.documents += 1
        facts = [fact for fact in result.facts if keep(fact)]
        tally.facts += len(facts)
        stream.write(facts_jsonl(facts))
    return tally


class _Array:
    """One array of the report, written item by item with the indentation of ``report_json``."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.count = 0

    def add(self, record: BaseModel) -> None:
        text = record.model_dump_json(indent=2).replace("\n", "\n    ")
        self.stream.write(("," if self.count else "") + "\n    " + text)
        self.count += 1

    def close(self) -> str:
        return "]" if not self.count else "\n  ]"


def stream_json(results: Iterable[Item], stream: IO[str], keep: FactFilter = _keep_all) -> Tally:
    """The report of ``report_json``, byte for byte, written as documents are done.

    Documents go straight to ``stream``; facts, entities and errors wait in temporary files
    (not in memory) until the documents are all written, then follow in turn.
    """
    tally = Tally()
    with ExitStack() as stack:
        spools = {
            name: stack.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8"))
            for name in ("facts", "entities", "errors")
        }
        documents = _Array(stream)
        arrays = {name: _Array(spool) for name, spool in spools.items()}
        stream.write('{\n  "schema_version": ' + json.dumps(SCHEMA_VERSION) + ',\n  "documents": [')
        for result in results:
            if isinstance(result, ErrorRecord):
                tally.errors.append(result)
                arrays["errors"].add(result)
                continue
            tally.documents += 1
            documents.add(result.document)
            for fact in result.facts:
                if keep(fact):
                    arrays["facts"].add(fact)
                    tally.facts += 1
            for entity in result.entities:
                arrays["entities"].add(entity)
        stream.write(documents.close())
        for name, spool in spools.items():
            stream.write(f',\n  "{name}": [')
            spool.seek(0)
            shutil.copyfileobj(spool, stream)
            stream.write(arrays[name].close())
        stream.write("\n}\n")
    return tally


def with_progress(results: Iterable[Item], total: int) -> Iterator[Item]:
    """``results`` passed through while a progress bar on stderr counts them."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    columns = (BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        bar = progress.add_task("documents", total=total)
        try:
            for result in results:
                yield result
                progress.advance(bar)
        finally:
            # The worker pool first, then the bar's own thread: at interpreter exit the
            # pool's threads would find their pipes closed.
            close = getattr(results, "close", None)
            if close is not None:
                close()


@contextmanager
def atomic_stream(path: Path) -> Iterator[IO[str]]:
    """A text stream to a temporary file renamed to ``path`` when the block completes.

    A symlink is followed: the file it names is replaced, the link stays. A device or a FIFO
    (``/dev/null``, ``/dev/stdout``) is written straight through, as ``>`` would, never
    replaced by a file.
    """
    path = Path(os.path.realpath(path))
    if path.exists() and not path.is_file() and not path.is_dir():
        with path.open("w", encoding="utf-8") as stream:
            yield stream
        return
    directory = path.parent
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            yield stream
        os.chmod(temporary, _file_mode(path))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _file_mode(path: Path) -> int:
    """The mode the file would get from a plain ``open``: its own if it exists, else umask's.

    (``mkstemp`` creates its files readable by their owner only.)
    """
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


# -- JSON schemas ----------------------------------------------------------------------------

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SchemaName = Literal["report", "fact", "entities", "timeline"]
# What each schema describes: the model (or list of models) and the title and description
# that head it. A JSON Lines output has one item of the JSON array (or one fact) per line.
_SCHEMAS: dict[SchemaName, tuple[TypeAdapter[Any], str, str]] = {
    "report": (
        TypeAdapter(Report),
        "Report",
        "The output of `kzaz extract --format json`.",
    ),
    "fact": (
        TypeAdapter(Fact),
        "Fact",
        "One line of `kzaz extract --format jsonl`: one fact.",
    ),
    "entities": (
        TypeAdapter(list[EntityRow]),
        "Entities",
        "The output of `kzaz entities --format json`; each line of `--format jsonl` is one item.",
    ),
    "timeline": (
        TypeAdapter(list[Point]),
        "Timeline",
        "The output of `kzaz timeline --format json`; each line of `--format jsonl` is one item.",
    ),
}
SCHEMA_NAMES: tuple[SchemaName, ...] = tuple(_SCHEMAS)


def schema_id(name: SchemaName) -> str:
    """The ``$id`` of a schema: its name and the schema version.

    >>> schema_id("fact")
    'urn:kzaz-facts:schema:1.1:fact'
    """
    return f"urn:kzaz-facts:schema:{SCHEMA_VERSION}:{name}"


def schema(name: SchemaName = "report") -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one output, as it is written (serialization mode)."""
    adapter, title, description = _SCHEMAS[name]
    body = adapter.json_schema(mode="serialization")
    body.update(title=title, description=description)
    return {"$schema": SCHEMA_DIALECT, "$id": schema_id(name), **body}


def schema_json(name: SchemaName = "report") -> str:
    return json.dumps(schema(name), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file renamed into place: a crash never leaves half a file."""
    with atomic_stream(path) as stream:
        stream.write(text)


def _amount(fact: Fact) -> str:
    parts = []
    if fact.value is not None:
        value = fact.value
        mark = "~" if value.approximate else ""
        parts.append(f"{mark}{value.amount:,} {value.unit}".strip())
    if fact.change is not None:
        change = fact.change
        if change.percent is not None:
            parts.append(f"{change.percent:+g}%")
        elif change.multiplier is not None:
            parts.append(f"x{change.multiplier:g}")
    return "\n".join(parts)


def _period(fact: Fact) -> str:
    period = fact.period
    if period is None:
        return ""
    if period.start is None or period.end is None:
        return f"? ({period.text})"
    return f"{period.start.isoformat()} … {period.end.isoformat()}"


def _detail(fact: Fact) -> str:
    if fact.type == "agreement":
        return fact.attributes.name
    return " – ".join(fact.parties)


def print_table(report: Report, stream: IO[str]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(file=stream)
    table = Table(
        title=f"{len(report.facts)} facts from {len(report.documents)} documents", show_lines=True
    )
    for column in (
        "doc",
        "type",
        "modality",
        "amount",
        "period",
        "parties / name",
        "speaker",
        "evidence",
    ):
        table.add_column(column, overflow="fold")
    for fact in report.facts:
        table.add_row(
            fact.doc_id,
            fact.type,
            fact.modality,
            _amount(fact),
            _period(fact),
            _detail(fact),
            fact.speaker or "",
            fact.evidence.text,
        )
    console.print(table)


def entities_json(rows: list[EntityRow]) -> str:
    return json.dumps([row.model_dump() for row in rows], indent=2, ensure_ascii=False) + "\n"


def entities_jsonl(rows: list[EntityRow]) -> str:
    return "".join(row.model_dump_json() + "\n" for row in rows)


def entities_csv(rows: list[EntityRow]) -> str:
    """One line per entity; list fields joined with "; "."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    fields = list(EntityRow.model_fields)
    writer.writerow(fields)
    for row in rows:
        values = row.model_dump()
        writer.writerow(
            "; ".join(value) if isinstance(value, list) else value
            for value in (values[name] for name in fields)
        )
    return buffer.getvalue()


def print_entities(rows: list[EntityRow], stream: IO[str]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(rows)} entities")
    for column in ("label", "canonical", "aliases", "roles", "countries", "mentions", "documents"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(
            row.label,
            row.canonical,
            "\n".join(row.aliases),
            "\n".join(row.roles),
            ", ".join(row.countries),
            str(row.mentions),
            str(len(row.documents)),
        )
    Console(file=stream).print(table)


def timeline_json(points: list[Point]) -> str:
    return (
        json.dumps([p.model_dump(mode="json") for p in points], indent=2, ensure_ascii=False) + "\n"
    )


def timeline_jsonl(points: list[Point]) -> str:
    return "".join(point.model_dump_json() + "\n" for point in points)


def timeline_csv(points: list[Point]) -> str:
    """One line per point; sources as "doc_id:amount" joined with "; "."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "period_start",
            "period_end",
            "parties",
            "scope",
            "modality",
            "amount",
            "unit",
            "spread",
            "conflict",
            "sources",
        ]
    )
    for point in points:
        writer.writerow(
            [
                point.period_start.isoformat(),
                point.period_end.isoformat(),
                "; ".join(point.parties),
                point.scope or "",
                point.modality,
                point.amount,
                point.unit,
                point.spread,
                point.conflict,
                "; ".join(f"{s.doc_id}:{s.amount}" for s in point.sources),
            ]
        )
    return buffer.getvalue()


def print_timeline(points: list[Point], stream: IO[str], width: int = 40) -> None:
    """A table of the series, then a bar chart of its amounts."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=stream)
    table = Table(title=f"{len(points)} points", show_lines=True)
    for column in ("period", "parties", "scope", "amount", "spread", "sources"):
        table.add_column(column, overflow="fold")
    for point in points:
        sources = "\n".join(
            f"{s.doc_id} ({s.date or '?'}, {s.speaker or 'no speaker'}): {s.evidence}"
            for s in point.sources
        )
        mark = " [bold red]CONFLICT[/]" if point.conflict else ""
        table.add_row(
            f"{point.period_start} … {point.period_end}",
            " – ".join(point.parties),
            point.scope or "",
            f"{point.amount:,} {point.unit}{mark}",
            f"{point.spread:,}",
            sources,
        )
    console.print(table)
    largest = max((float(p.amount) for p in points), default=0.0)
    for point in points:
        bar = "█" * max(1, round(width * float(point.amount) / largest)) if largest else ""
        console.print(f"{point.period_start} {point.scope or '':<12} {bar} {point.amount:,}")


# -- writers by format: the one table of what each format of each command writes -------------

StreamWriter = Callable[[Iterable[Item], IO[str], FactFilter], Tally]
STREAM_WRITERS: dict[str, StreamWriter] = {"json": stream_json, "jsonl": stream_jsonl}
ENTITY_WRITERS: dict[str, Callable[[list[EntityRow]], str]] = {
    "json": entities_json,
    "jsonl": entities_jsonl,
    "csv": entities_csv,
}
TIMELINE_WRITERS: dict[str, Callable[[list[Point]], str]] = {
    "json": timeline_json,
    "jsonl": timeline_jsonl,
    "csv": timeline_csv,
}


# -- evaluation ------------------------------------------------------------------------------


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
