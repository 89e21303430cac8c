"""Report -> JSON, JSON Lines or a rich table; the JSON schema of the report.

rich is imported here only, and lazily, so JSON output never pays for it.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any, Literal

from kzaz_facts.corpus import EntityRow, Point
from kzaz_facts.records import Fact, Report

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


def schema() -> dict[str, Any]:
    return Report.model_json_schema(mode="serialization")


def schema_json() -> str:
    return json.dumps(schema(), indent=2, sort_keys=True) + "\n"


def write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file renamed into place: a crash never leaves half a file."""
    directory = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


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
