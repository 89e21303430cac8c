"""Every data table of one data directory, read once and shared by the pipeline and extractor.

An ``Engine`` builds one ``Tables`` and hands it to ``build_nlp`` (whose spaCy components
take it through ``share``: a component's config holds only strings) and to the ``Extractor``.
A component built alone, from its ``data_dir``, reads its own copy.
"""

from __future__ import annotations

import weakref
from pathlib import Path

from kzaz_facts.gazetteer import Gazetteer
from kzaz_facts.header_patterns import build_patterns, read_loader_words
from kzaz_facts.lexicon import Lexicon
from kzaz_facts.normalise import Normaliser
from kzaz_facts.periods import PeriodFinder
from kzaz_facts.resources import resolve_data_dir


class Tables:
    """The compiled tables of ``data_dir``: triggers and word lists, gazetteer, periods, amounts,
    and the file loader's header patterns (``load.parse_document(..., patterns=...)``)."""

    def __init__(self, data_dir: Path | str | None = None) -> None:
        self.data_dir = resolve_data_dir(data_dir)
        self.lexicon = Lexicon(self.data_dir)
        self.gazetteer = Gazetteer(self.data_dir)
        self.normaliser = Normaliser(self.data_dir)
        self.periods = PeriodFinder(self.data_dir, self.normaliser.currency_signs)
        self.header = build_patterns(
            self.periods.calendar,
            read_loader_words(self.data_dir),
            self.normaliser.currency_signs,
        )


_SHARED: weakref.WeakValueDictionary[str, Tables] = weakref.WeakValueDictionary()


def share(tables: Tables) -> str:
    """A key under which spaCy component factories find ``tables`` (while it is alive)."""
    key = f"tables-{id(tables)}"
    _SHARED[key] = tables
    return key


def shared(key: str | None, data_dir: str | None) -> Tables:
    """The tables shared under ``key``, or else the tables of ``data_dir`` read afresh."""
    found = _SHARED.get(key) if key else None
    return found if found is not None else Tables(data_dir)
