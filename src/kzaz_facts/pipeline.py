"""Build the spaCy pipeline once: blank English, sentences, gazetteer ruler, people, quantities."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from kzaz_facts import components as _components  # noqa: F401  (registers the factories)
from kzaz_facts import ports as _ports  # noqa: F401  (registers the factories)
from kzaz_facts import ruler as _ruler  # noqa: F401  (registers the factories)
from kzaz_facts import titled_people as _titled_people  # noqa: F401  (registers the factory)
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
    nlp.tokenizer = BoundedTokenizer(nlp.tokenizer)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kzaz_paragraphs")
    nlp.add_pipe("kzaz_gazetteer", config={**config, "people": gazetteer})
    nlp.add_pipe("kzaz_ports", config=config)
    nlp.add_pipe("kzaz_people", config=config)
    nlp.add_pipe("kzaz_quantities", config=config)
    return nlp


# A run of non-space characters this long is no word of running text (a URL is shorter); spaCy
# peels affixes off a token one by one and searches the rest again each time, so a run of
# "$" or "%" costs the square of its length. Such a run is kept whole as one token.
LONG_RUN = 100
_LONG_RUN = re.compile(rf"(?<!\S)\S{{{LONG_RUN},}}")


def nlp_vocab(tokenizer: Callable[[str], Doc]) -> Vocab:
    vocab: Vocab = getattr(tokenizer, "vocab")  # noqa: B009  (spaCy's Tokenizer is untyped)
    return vocab


def may_hold_long_run(text: str) -> bool:
    """Whether ``text`` may hold ``LONG_RUN`` characters in a row without a space: false
    means it holds no run ``_LONG_RUN`` finds (a run of white space other than spaces may
    make it true where there is none).

    Jumps from the last space of each stretch of ``LONG_RUN`` characters to the next, about
    ``LONG_RUN`` characters a step, where ``_LONG_RUN`` tries every position.

    >>> may_hold_long_run("word " * 100), may_hold_long_run("x" * LONG_RUN)
    (False, True)
    """
    position = 0
    while len(text) - position >= LONG_RUN:
        space = text.rfind(" ", position, position + LONG_RUN)
        if space < 0:
            return True
        position = space + 1
    return False


class BoundedTokenizer:
    """spaCy's tokenizer, in linear time: whitespace-free runs of ``LONG_RUN`` characters or
    more become single tokens; the text between them is tokenised as usual."""

    def __init__(self, inner: Callable[[str], Doc]) -> None:
        self.inner = inner
        self.vocab = nlp_vocab(inner)

    def __call__(self, text: str) -> Doc:
        runs = list(_LONG_RUN.finditer(text)) if may_hold_long_run(text) else []
        if not runs:
            return self.inner(text)
        docs: list[Doc] = []
        position = 0
        for run in runs:
            if run.start() > position:
                docs.append(self.inner(text[position : run.start()]))
            # one plain space after a token is its trailing whitespace, as spaCy has it
            space = text.startswith(" ", run.end())
            docs.append(Doc(self.vocab, words=[run.group()], spaces=[space]))
            position = run.end() + space
        if position < len(text):
            docs.append(self.inner(text[position:]))
        return Doc.from_docs(docs, ensure_whitespace=False)
