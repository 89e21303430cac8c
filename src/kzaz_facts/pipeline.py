"""Build the spaCy pipeline once: blank English, sentences, gazetteer ruler, people, quantities."""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language

from kzaz_facts import components as _components  # noqa: F401  (registers the factories)
from kzaz_facts import ports as _ports  # noqa: F401  (registers the factories)
from kzaz_facts import ruler as _ruler  # noqa: F401  (registers the factories)
from kzaz_facts.tables import Tables, share


def build_nlp(
    data_dir: Path | str | None = None, *, gazetteer: bool = True, tables: Tables | None = None
) -> Language:
    """The extraction pipeline; ``gazetteer=False`` leaves people to the title rules alone.

    ``tables``: the data already read (by an ``Engine``), else the tables of ``data_dir``.
    """
    data = tables if tables is not None else Tables(data_dir)
    config = {"data_dir": str(data.data_dir), "tables": share(data)}
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kzaz_paragraphs")
    nlp.add_pipe("kzaz_gazetteer", config={**config, "people": gazetteer})
    nlp.add_pipe("kzaz_ports", config=config)
    nlp.add_pipe("kzaz_people", config=config)
    nlp.add_pipe("kzaz_quantities", config=config)
    return nlp
