"""kzaz-facts: typed, source-grounded facts from news about Kazakhstan–Azerbaijan relations.

>>> from kzaz_facts import extract_text
>>> report = extract_text("Trade between Kazakhstan and Azerbaijan reached $500 million in 2023.")
>>> fact = report.facts[0]
>>> fact.type, fact.value.amount, fact.period.start.isoformat(), fact.parties
('trade_turnover', 500000000, '2023-01-01', ['Azerbaijan', 'Kazakhstan'])
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from kzaz_facts.records import Report

if TYPE_CHECKING:
    from kzaz_facts.engine import Engine

__version__ = "0.1.0"
__all__ = ["Report", "__version__", "default_engine", "extract_corpus", "extract_text"]


@cache
def default_engine() -> Engine:
    """The engine over the packaged data, built on first use and shared afterwards."""
    from kzaz_facts.engine import Engine

    return Engine()


def extract_text(
    text: str, *, doc_id: str = "text", date: dt.date | None = None, engine: Engine | None = None
) -> Report:
    """Extract facts from one article given as a string (header lines are recognised too)."""
    from kzaz_facts.load import parse_document
    from kzaz_facts.report import build_report

    engine = engine or default_engine()
    document = parse_document(text, doc_id=doc_id, path=doc_id, patterns=engine.tables.header)
    if date is not None:
        document = document.model_copy(
            update={"date": date, "date_source": "header", "date_precision": "day"}
        )
    return build_report([engine.process(document)])


def extract_corpus(
    paths: Sequence[str | Path],
    *,
    data_dir: Path | str | None = None,
    types: set[str] | None = None,
    parties: set[str] | None = None,
    jobs: int = 1,
) -> Report:
    """Extract facts from files and directories (``*.txt`` found recursively).

    ``jobs`` > 1 spreads the documents over worker processes (0: one per core); the report
    is the same whatever the number.
    """
    from kzaz_facts.engine import Engine
    from kzaz_facts.report import build_report

    engine = default_engine() if data_dir is None else Engine(data_dir)
    results = engine.run([str(path) for path in paths], jobs=jobs)
    return build_report(results, types=types, parties=parties)
