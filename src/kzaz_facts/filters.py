"""The values of ``--parties``, ``--type``, ``--label`` and ``--scope``, checked and made canonical.

Each filter has a vocabulary: a map from every accepted spelling (case-folded) to the canonical
value facts carry. A value outside it is a ``FilterError`` that names the close values, so a
typo never silently filters everything away.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from kzaz_facts.errors import KzazError
from kzaz_facts.gazetteer import Gazetteer, PatternRow
from kzaz_facts.records import Fact
from kzaz_facts.resources import read_jsonl

# Entity labels that name a party of a figure: countries, their demonyms, country groups.
PARTY_LABELS = frozenset({"GPE", "NORP"})
CODES_FILE = "country_codes.jsonl"
ENTITY_LABELS = ("PERSON", "PORT", "ROUTE", "ORG", "GPE", "NORP")


class FilterError(KzazError):
    """A filter value that no fact can carry (a usage error)."""


class CodeRow(BaseModel):
    """An ISO 3166 country code accepted by ``--parties`` ("KZ", "KAZ") for a canonical name."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    code: str
    id: str


def choose(option: str, value: str, known: Mapping[str, str]) -> str:
    """The canonical value of ``value`` (any case); unknown values name the close ones.

    >>> types = vocabulary(["cargo_volume", "trade_turnover"])
    >>> choose("--type", "Cargo-Volume", types)
    'cargo_volume'
    >>> choose("--type", "cargo", types)
    Traceback (most recent call last):
    ...
    kzaz_facts.filters.FilterError: unknown --type 'cargo'; close: cargo_volume
    """
    canonical = known.get(_fold(value))
    if canonical is not None:
        return canonical
    folded = _fold(value)
    starting = [name for name in known if folded and name.startswith(folded)]
    close = difflib.get_close_matches(folded, list(known), n=6, cutoff=0.6)
    names = list(dict.fromkeys(known[name] for name in [*starting, *close]))[:3]
    if names:
        hint = "close: " + ", ".join(names)
    else:
        every = sorted(set(known.values()))
        hint = "known: " + ", ".join(every) if len(every) <= 12 else "no close name"
    raise FilterError(f"unknown {option} {value!r}; {hint}")


def choose_all(option: str, values: Iterable[str], known: Mapping[str, str]) -> set[str]:
    return {choose(option, value, known) for value in values}


def _fold(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").casefold().split())


def vocabulary(names: Iterable[str]) -> dict[str, str]:
    """Each name, accepted in any case, with ``-``, ``_`` or a space between words.

    >>> vocabulary(["trade_turnover"])
    {'trade turnover': 'trade_turnover'}
    """
    return {_fold(name): name for name in names}


def party_vocabulary(data_dir: Path) -> dict[str, str]:
    """Every alias, demonym and country code of a party, mapped to its canonical name."""
    gazetteer = Gazetteer(data_dir)
    known: dict[str, str] = {}
    for row in gazetteer.patterns:
        if not _names_a_party(row, gazetteer):
            continue
        known.setdefault(_fold(row.id), row.id)
        alias = _pattern_text(row.pattern)
        if alias:
            known.setdefault(_fold(alias), row.id)
    codes = data_dir / CODES_FILE
    for code in read_jsonl(codes, CodeRow) if codes.exists() else []:
        known.setdefault(_fold(code.code), code.id)
    return known


def _names_a_party(row: PatternRow, gazetteer: Gazetteer) -> bool:
    if row.label in PARTY_LABELS:
        return gazetteer.is_country_like(row.id)
    return gazetteer.kind(row.id) == "group"


def _pattern_text(pattern: str | list[dict[str, Any]]) -> str | None:
    """The words a ruler pattern matches, when each token names one word.

    >>> _pattern_text([{"LOWER": "middle"}, {"LOWER": "corridor"}])
    'middle corridor'
    """
    if isinstance(pattern, str):
        return pattern
    words = []
    for token in pattern:
        word = token.get("ORTH", token.get("LOWER", token.get("TEXT")))
        if not isinstance(word, str):
            return None
        words.append(word)
    return " ".join(words)


def parse_parties(value: str, known: Mapping[str, str]) -> set[str]:
    """``A,B`` (two names, any alias, any case) as the pair of canonical names."""
    names = [name.strip() for name in value.split(",") if name.strip()]
    if len(names) != 2:
        raise FilterError(
            "--parties takes two names separated by a comma, e.g. Kazakhstan,Azerbaijan"
        )
    pair = choose_all("--parties name", names, known)
    if len(pair) != 2:
        raise FilterError(f"--parties names one party twice: {value}")
    return pair


def scope_names(data_dir: Path) -> list[str]:
    """The trade scopes a figure can carry: ``total`` and those of the scope triggers."""
    from kzaz_facts.lexicon import ScopeCue

    rows = read_jsonl(data_dir / "triggers" / "scopes.jsonl", ScopeCue)
    return ["total", *dict.fromkeys(row.scope for row in rows)]


@dataclass(frozen=True)
class FactFilter:
    """``--type``, ``--parties`` and ``--scope`` of ``kzaz extract``, already made canonical.

    ``--scope`` keeps trade figures of those scopes; facts of other types have no scope and go.
    """

    types: set[str] | None = None
    parties: set[str] | None = None
    scopes: set[str] | None = None

    def __call__(self, fact: Fact) -> bool:
        if self.types and fact.type not in self.types:
            return False
        if self.parties and set(fact.parties) != self.parties:
            return False
        return not self.scopes or getattr(fact.attributes, "scope", None) in self.scopes
