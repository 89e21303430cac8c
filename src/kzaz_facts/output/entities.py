"""`kzaz entities` -> JSON, JSON Lines, CSV or a rich table."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import IO

from kzaz_facts.entities import EntityRow


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


ENTITY_WRITERS: dict[str, Callable[[list[EntityRow]], str]] = {
    "json": entities_json,
    "jsonl": entities_jsonl,
    "csv": entities_csv,
}
