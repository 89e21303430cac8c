"""The terminal table of `kzaz extract`: one row per fact, sized to the terminal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import IO

from kzaz_facts.output.terminal import escape, table_width
from kzaz_facts.records import Fact, Report

# Short labels of the fact types, so the narrow table keeps its room for the evidence.
TYPE_LABELS = {
    "trade_turnover": "trade",
    "tourist_flow": "tourists",
    "cargo_volume": "cargo",
    "investment": "investment",
    "agreement": "agreement",
}
# The narrow table cuts the doc id and the evidence to these many characters (with "…").
DOC_ID_WIDTH = 10
EVIDENCE_LINES = 3
MIN_EVIDENCE_WIDTH = 16


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
