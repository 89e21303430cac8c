"""Build the spaCy pipeline once: blank English, sentences, gazetteer ruler, people, quantities."""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language

from kzaz_facts import components as _components  # noqa: F401  (registers the factories)
from kzaz_facts.gazetteer import Gazetteer
from kzaz_facts.resources import resolve_data_dir


def build_nlp(data_dir: Path | str | None = None, *, gazetteer: bool = True) -> Language:
    """The extraction pipeline; ``gazetteer=False`` leaves people to the title rules alone."""
    directory = resolve_data_dir(data_dir)
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kzaz_paragraphs")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH"})
    rows = Gazetteer(directory).ruler_patterns()
    if not gazetteer:
        rows = [row for row in rows if row["label"] != "PERSON"]
    ruler.add_patterns(rows)  # type: ignore[attr-defined]
    nlp.add_pipe("kzaz_people", config={"data_dir": str(directory)})
    nlp.add_pipe("kzaz_quantities", config={"data_dir": str(directory)})
    return nlp
