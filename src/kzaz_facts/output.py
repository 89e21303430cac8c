"""Report -> JSON, JSON Lines, CSV or a rich table; the JSON schemas of every output.

rich is imported here only, and lazily, so JSON output never pays for it.
"""

from __future__ import annotations

import datetime as dt
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
from kzaz_facts.timeline import Point, Source

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from kzaz_facts.engine import DocumentResult
    from kzaz_facts.eval_results import Evaluation, Score

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


# -- the terminal table of `kzaz extract` ------------------------------------------------------

# Short labels of the fact types, so the narrow table keeps its room for the evidence.
TYPE_LABELS = {
    "trade_turnover": "trade",
    "tourist_flow": "tourists",
    "cargo_volume": "cargo",
    "investment": "investment",
    "agreement": "agreement",
}
# Width a piped table takes when no terminal tells it one (`COLUMNS` still wins).
PIPED_WIDTH = 120
# The narrow table cuts the doc id and the evidence to these many characters (with "…").
DOC_ID_WIDTH = 10
EVIDENCE_LINES = 3
MIN_EVIDENCE_WIDTH = 16


def table_width() -> int:
    """``COLUMNS``, else the width of whichever standard stream is a terminal, else 120."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    for fd in (1, 2, 0):
        try:
            return os.get_terminal_size(fd).columns
        except OSError:
            continue
    return PIPED_WIDTH


def _amount_lines(fact: Fact) -> list[str]:
    """The figure on its own line (never wrapped), then its unit and change."""
    lines: list[str] = []
    tail: list[str] = []
    if fact.value is not None:
        value = fact.value
        lines.append(f"{'~' if value.approximate else ''}{value.amount:,}")
        tail.append(value.unit)
    if fact.change is not None:
        change = fact.change
        if change.percent is not None:
            tail.append(f"{change.percent:+g}%")
        elif change.multiplier is not None:
            tail.append(f"x{change.multiplier:g}")
    if tail:
        lines.append(" ".join(tail))
    return lines


def period_label(start: dt.date, end: dt.date) -> str:
    """A period as short as it stays exact: a year, a month range, or first–last day.

    >>> period_label(dt.date(2022, 1, 1), dt.date(2022, 12, 31))
    '2022'
    >>> period_label(dt.date(2023, 1, 1), dt.date(2023, 9, 30))
    '2023-01–09'
    >>> period_label(dt.date(2023, 5, 1), dt.date(2023, 5, 31))
    '2023-05'
    >>> period_label(dt.date(2023, 11, 1), dt.date(2024, 2, 29))
    '2023-11–2024-02'
    >>> period_label(dt.date(2024, 3, 4), dt.date(2024, 3, 4))
    '2024-03-04'
    """
    whole_months = start.day == 1 and (end + dt.timedelta(days=1)).day == 1
    if not whole_months:
        return start.isoformat() if start == end else f"{start.isoformat()}–{end.isoformat()}"
    if start.year == end.year and (start.month, end.month) == (1, 12):
        return str(start.year)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start:%Y-%m}"
    if start.year == end.year:
        return f"{start:%Y-%m}–{end:%m}"
    return f"{start:%Y-%m}–{end:%Y-%m}"


def _period(fact: Fact) -> str:
    period = fact.period
    if period is None:
        return ""
    if period.start is None or period.end is None:
        return f"? ({period.text})"
    return period_label(period.start, period.end)


def _kind_lines(fact: Fact) -> list[str]:
    """Modality and target kind, then scope and flow (trade): one short word a line."""
    attributes = fact.attributes
    lines: list[str] = [fact.modality]
    for name in ("target_kind", "scope", "flow"):
        value = getattr(attributes, name, None)
        if value:
            lines.append(str(value))
    return lines


def _who_lines(fact: Fact) -> tuple[list[str], list[str]]:
    """Names kept whole (parties or route, then the speaker), and text that may wrap (an
    agreement's name)."""
    route = getattr(fact.attributes, "route", None)
    names = [*fact.parties, *([route] if route else []), *([fact.speaker] if fact.speaker else [])]
    free = [fact.attributes.name] if fact.type == "agreement" else []
    return names, free


def _shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, at a space when it can, ending in "…".

    >>> _shorten("Trade reached $500 million", 20)
    'Trade reached $500…'
    >>> _shorten("000_cc0684bcd0eaa77f", 10)
    '000_cc068…'
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip() + "…"


@dataclass(frozen=True)
class _Row:
    """The lines of one fact's cells; ``whole`` lines are never wrapped, ``free`` text may be."""

    doc: list[str]
    fact: list[str]
    amount: list[str]
    period: list[str]
    who: list[str]
    free_period: str
    free_who: list[str]
    evidence: str


def _table_row(fact: Fact, date: dt.date | None, wide: bool) -> _Row:
    doc_id = fact.doc_id if wide else _shorten(fact.doc_id, DOC_ID_WIDTH)
    period = _period(fact)
    resolved = not period.startswith("?")
    names, free = _who_lines(fact)
    return _Row(
        doc=[doc_id, date.isoformat() if date else "no date"],
        fact=[TYPE_LABELS.get(fact.type, fact.type), *_kind_lines(fact)],
        amount=_amount_lines(fact),
        period=[period] if resolved else [],
        who=names,
        free_period="" if resolved or fact.period is None else fact.period.text,
        free_who=free,
        evidence=fact.evidence.text,
    )


TABLE_COLUMNS = ("doc / date", "fact", "amount", "period", "parties / speaker", "evidence")
WHOLE_CELLS = ("doc", "fact", "amount", "period", "who")
# Columns are parted by two spaces; the table has no outer border.
GAP = 2


def print_table(
    report: Report, stream: IO[str], *, wide: bool = False, width: int | None = None
) -> None:
    """The facts as a table that fits ``width`` columns (the terminal's by default).

    Figures, dates, periods, parties and people are never split across lines: each column
    is as wide as its longest such line; an agreement's name wraps, an unresolved period's
    text is cut to the column. The evidence takes the room left, cut to a few lines
    with "…"; ``wide`` keeps whole doc ids and evidence and lets the table grow instead.
    """
    from rich import box
    from rich.console import Console
    from rich.table import Table

    dates = {document.doc_id: document.date for document in report.documents}
    rows = [_table_row(fact, dates.get(fact.doc_id), wide) for fact in report.facts]
    widths = [
        max(
            [
                len(title.split(" / ")[0]),
                *(len(line) for row in rows for line in getattr(row, cell)),
            ]
        )
        for title, cell in zip(TABLE_COLUMNS, WHOLE_CELLS, strict=False)
    ]
    width = width or table_width()
    evidence_width = max(width - sum(widths) - GAP * len(widths), MIN_EVIDENCE_WIDTH)
    if wide:
        evidence_width = max(evidence_width, *(len(row.evidence) for row in rows), 0)
    total = sum(widths) + GAP * len(widths) + evidence_width
    console = Console(file=stream, width=max(width, total))
    table = Table(
        title=f"{len(report.facts)} facts from {len(report.documents)} documents",
        box=box.SIMPLE_HEAD,
        show_lines=True,
        show_edge=False,
        pad_edge=False,
        padding=(0, GAP - 1, 0, 0),
    )
    for title, size in zip(TABLE_COLUMNS, widths, strict=False):
        table.add_column(title, width=size, overflow="fold")
    table.add_column(TABLE_COLUMNS[-1], width=evidence_width, overflow="fold")
    for row in rows:
        evidence = row.evidence if wide else _shorten(row.evidence, evidence_width * EVIDENCE_LINES)
        period = row.period or ["?", _shorten(row.free_period, widths[3])]
        table.add_row(
            escape("\n".join(row.doc)),
            escape("\n".join(row.fact)),
            escape("\n".join(row.amount)),
            escape("\n".join(period)),
            escape("\n".join([*row.free_who, *row.who])),
            escape(" ".join(evidence.split())),
        )
    console.print(table)


def escape(text: str) -> str:
    from rich.markup import escape as rich_escape

    return rich_escape(text)


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


TIMELINE_CSV_COLUMNS = (
    "period_start",
    "period_end",
    "series",
    "parties",
    "route",
    "flow",
    "exporter",
    "importer",
    "scope",
    "modality",
    "unit",
    "amount",
    "spread",
    "conflict",
    "doc_id",
    "doc_date",
    "speaker",
    "source_amount",
    "approximate",
    "qualifier",
    "evidence",
)


def _csv_bool(value: bool) -> str:
    return "true" if value else "false"


def timeline_csv(points: list[Point]) -> str:
    """One line per source of each point: the point's columns, then the source's own.

    Booleans are ``true``/``false``; parties are joined with "; "; empty means null.
    """
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(TIMELINE_CSV_COLUMNS)
    for point in points:
        head = [
            point.period_start.isoformat(),
            point.period_end.isoformat(),
            series_label(point),
            "; ".join(point.parties),
            point.route or "",
            point.flow or "",
            point.exporter or "",
            point.importer or "",
            point.scope or "",
            point.modality,
            point.unit,
            point.amount,
            point.spread,
            _csv_bool(point.conflict),
        ]
        for source in point.sources:
            writer.writerow(
                [
                    *head,
                    source.doc_id,
                    source.date.isoformat() if source.date else "",
                    source.speaker or "",
                    source.amount,
                    _csv_bool(source.approximate),
                    source.qualifier or "",
                    source.evidence,
                ]
            )
    return buffer.getvalue()


def series_label(point: Point) -> str:
    """What a series is about, in words: parties or route, flow, scope and unit.

    >>> import datetime as dt
    >>> day = dt.date(2022, 1, 1)
    >>> point = Point(parties=["Azerbaijan", "Kazakhstan"], route=None, flow="export",
    ...     exporter="Kazakhstan", importer="Azerbaijan", period_start=day, period_end=day,
    ...     scope="total", modality="actual", unit="USD", amount=1, spread=0, conflict=False,
    ...     sources=[])
    >>> series_label(point)
    'Kazakhstan → Azerbaijan export, total (USD)'
    """
    if point.flow in {"export", "import"}:
        direction = f"{point.exporter or '?'} → {point.importer or '?'}"
        who = f"{direction} {point.flow}"
    elif point.parties:
        who = " – ".join(point.parties) + (f" {point.flow}" if point.flow else "")
    elif point.route is not None or point.flow is None:
        who = point.route or "no route named"
    else:
        who = point.flow
    scope = f", {point.scope}" if point.scope else ""
    return f"{who}{scope} ({point.unit})"


def _whole_period(point: Point) -> str:
    return f"{point.period_start.isoformat()}–{point.period_end.isoformat()}"


def _source_line(source: Source) -> str:
    mark = "~" if source.approximate else ""
    said = source.speaker or "no speaker"
    return (
        f"{source.doc_id} ({source.date or 'no date'}, {said}): {mark}{source.amount:,}: "
        f"{escape(source.evidence)}"
    )


def print_timeline(points: list[Point], stream: IO[str], width: int = 40) -> None:
    """A table of the series, then one bar chart per series (bars labelled by the whole
    period, conflicts marked), each headed by what it counts and its unit."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=stream, width=table_width())
    table = Table(title=f"{len(points)} points", show_lines=True)
    for column in ("period", "series", "amount", "spread", "sources"):
        table.add_column(column, overflow="fold")
    for point in points:
        mark = "\n[bold red]CONFLICT[/]" if point.conflict else ""
        table.add_row(
            f"{point.period_start}\n{point.period_end}",
            escape(series_label(point)),
            f"{point.amount:,}\n{point.unit}{mark}",
            f"{point.spread:,}",
            "\n".join(_source_line(source) for source in point.sources),
        )
    console.print(table)
    series: dict[str, list[Point]] = {}
    for point in points:
        series.setdefault(series_label(point), []).append(point)
    for label, members in series.items():
        console.print(f"\n[bold]{escape(label)}[/]")
        largest = max(float(p.amount) for p in members)
        for point in members:
            size = max(1, round(width * float(point.amount) / largest)) if largest else 0
            mark = " [bold red]⚠ conflict[/]" if point.conflict else ""
            console.print(f"{_whole_period(point)} {'█' * size} {point.amount:,}{mark}")


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
