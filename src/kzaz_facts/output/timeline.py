"""`kzaz timeline` -> JSON, JSON Lines, CSV, or a rich table and one bar chart per series."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import IO

from kzaz_facts.output.terminal import escape, table_width
from kzaz_facts.timeline import Point, Source


def timeline_json(points: list[Point]) -> str:
    return (
        json.dumps([p.model_dump(mode="json") for p in points], indent=2, ensure_ascii=False) + "\n"
    )


def timeline_jsonl(points: list[Point]) -> str:
    return "".join(point.model_dump_json() + "\n" for point in points)


TIMELINE_CSV_COLUMNS = (
    "period_start",
    "period_end",
    "partial",
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
            _csv_bool(point.partial),
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
    ...     partial=False, scope="total", modality="actual", unit="USD", amount=1, spread=0,
    ...     conflict=False, sources=[])
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
    """The period of a bar; a year-to-date figure says so.

    >>> import datetime as dt
    >>> point = Point(parties=[], route=None, flow=None, exporter=None, importer=None,
    ...     period_start=dt.date(2024, 1, 1), period_end=dt.date(2024, 12, 31), partial=True,
    ...     scope=None, modality="actual", unit="t", amount=1, spread=0, conflict=False,
    ...     sources=[])
    >>> _whole_period(point)
    '2024-01-01–2024-12-31 (partial)'
    """
    whole = f"{point.period_start.isoformat()}–{point.period_end.isoformat()}"
    return f"{whole} (partial)" if point.partial else whole


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
            f"{point.period_start}\n{point.period_end}" + ("\n(partial)" if point.partial else ""),
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


TIMELINE_WRITERS: dict[str, Callable[[list[Point]], str]] = {
    "json": timeline_json,
    "jsonl": timeline_jsonl,
    "csv": timeline_csv,
}
