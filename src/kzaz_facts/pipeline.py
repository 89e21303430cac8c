"""Build the spaCy pipeline once: blank English, sentences, gazetteer ruler, people, quantities."""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language

from kzaz_facts import components as _components  # noqa: F401  (registers the factories)
from kzaz_facts import ruler as _ruler  # noqa: F401  (registers the factories)
from kzaz_facts.resources import resolve_data_dir


def build_nlp(data_dir: Path | str | None = None, *, gazetteer: bool = True) -> Language:
    """The extraction pipeline; ``gazetteer=False`` leaves people to the title rules alone."""
    directory = resolve_data_dir(data_dir)
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kzaz_paragraphs")
    nlp.add_pipe("kzaz_gazetteer", config={"data_dir": str(directory), "people": gazetteer})
    nlp.add_pipe("kzaz_people", config={"data_dir": str(directory)})
    nlp.add_pipe("kzaz_quantities", config={"data_dir": str(directory)})
    return nlp
