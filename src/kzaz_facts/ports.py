"""Coordinated ports: "the ports of Aktau and Kuryk", "Kuryk and Aktau ports", and the two
ends of a line: "the Aktau–Alat ferry line" (the words after the pair: ``port_line`` rows of
``words.jsonl``).

The gazetteer tags one port per pattern ("ports of Aktau"); the other towns of the list stay
cities. This component, run after the gazetteer, makes each town coordinated with a plural
port phrase a port too. Which port a town names comes from the gazetteer's own port rows of
the shape ``[{"ORTH": town}, {"LOWER": "port"}]``: no list of its own.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span

from kzaz_facts.components import doc_text
from kzaz_facts.gazetteer import PatternRow
from kzaz_facts.tables import shared

PORT = "PORT"
_LIST_WORDS = frozenset({",", "and", "&"})
_DASHES = frozenset({"-", "–", "—"})
_PLURAL_CUE = "ports"  # in every word ``_plural`` looks for


def port_towns(rows: Iterable[PatternRow]) -> dict[str, str]:
    """Town -> canonical port, from the rows "Aktau port" -> "Port of Aktau".

    >>> row = PatternRow(label="PORT", pattern=[{"ORTH": "Aktau"}, {"LOWER": "port"}],
    ...                  id="Port of Aktau")
    >>> port_towns([row])
    {'Aktau': 'Port of Aktau'}
    """
    towns: dict[str, str] = {}
    for row in rows:
        pattern = row.pattern
        if row.label != PORT or isinstance(pattern, str) or len(pattern) != 2:
            continue
        town, noun = pattern
        if set(town) == {"ORTH"} and noun == {"LOWER": "port"} and isinstance(town["ORTH"], str):
            towns.setdefault(town["ORTH"], row.id)
    return towns


class CoordinatedPorts:
    """Tag the towns listed with a plural port phrase as the ports they name."""

    def __init__(self, towns: dict[str, str], line_nouns: Iterable[str] = ()) -> None:
        """``line_nouns``: the words after "Aktau–Alat" that make both towns ports ("ferry")."""
        self.towns = towns
        self.line_nouns = frozenset(noun.lower() for noun in line_nouns)

    def __call__(self, doc: Doc) -> Doc:
        # A plural port phrase holds "ports" and a line a line noun: a text with neither
        # (most) has nothing to tag, and its entities are never built.
        lowered = doc_text(doc).lower()
        if _PLURAL_CUE not in lowered and not any(noun in lowered for noun in self.line_nouns):
            return doc
        ents = list(doc.ents)
        plural = [ent for ent in ents if ent.label_ == PORT and _plural(ent)]
        by_start = {ent.start: ent for ent in ents}
        by_end = {ent.end: ent for ent in ents}
        ports: dict[int, Span] = self._line_ends(doc, ents, by_start)
        for ent in plural:
            if ent[0].lower_.endswith("ports"):  # "the ports of Baku, Alat and Aktau"
                ports.update(self._walk(doc, ent.end, by_start, forward=True))
            else:  # "Kuryk and Aktau ports"
                ports.update(self._walk(doc, ent.start, by_end, forward=False))
        if not ports:
            return doc
        # Each port span covers the tokens of one entity exactly, and every other token is
        # outside an entity since the gazetteer ran: only the port spans need writing.
        doc.set_ents(sorted(ports.values(), key=lambda span: span.start), default="unmodified")
        return doc

    def _line_ends(self, doc: Doc, ents: list[Span], by_start: dict[int, Span]) -> dict[int, Span]:
        """ "the Aktau–Alat ferry line", "the Kuryk-Baku line": the two ends are ports."""
        found: dict[int, Span] = {}
        for first in ents:
            second = by_start.get(first.end + 1)
            if second is None or first.end + 1 >= len(doc) or doc[first.end].text not in _DASHES:
                continue
            if second.end >= len(doc) or doc[second.end].lower_ not in self.line_nouns:
                continue
            ends = {town: self._port_of(town) for town in (first, second)}
            for town, canonical in ends.items():
                if canonical is not None and None not in ends.values():
                    found[town.start] = Span(doc, town.start, town.end, PORT, span_id=canonical)
        return found

    def _port_of(self, town: Span) -> str | None:
        if town.label_ == PORT:
            return town.ent_id_ or None
        if town.label_ != "GPE":
            return None
        return self.towns.get(town.text) or self.towns.get(town.ent_id_)

    def _walk(
        self, doc: Doc, position: int, ents: dict[int, Span], *, forward: bool
    ) -> dict[int, Span]:
        """The towns listed from ``position`` on (or back), each as its port."""
        found: dict[int, Span] = {}
        while True:
            gap = position
            step = 1 if forward else -1
            while 0 <= (gap if forward else gap - 1) < len(doc):
                token = doc[gap if forward else gap - 1]
                if token.lower_ not in _LIST_WORDS:
                    break
                gap += step
            if gap == position:
                return found
            town = ents.get(gap)
            if town is None or town.label_ != "GPE":
                return found
            canonical = self.towns.get(town.text) or self.towns.get(town.ent_id_)
            if canonical is None:
                return found
            span = Span(doc, town.start, town.end, label=PORT, span_id=canonical)
            found[town.start] = span
            position = town.end if forward else town.start


def _plural(ent: Span) -> bool:
    return any(token.lower_ in {"ports", "seaports"} for token in ent)


@Language.factory(
    "kzaz_ports",
    default_config={"data_dir": None, "tables": None},
    assigns=["doc.ents"],
)
def make_ports(
    nlp: Language, name: str, data_dir: str | None, tables: str | None
) -> CoordinatedPorts:
    shared_tables = shared(tables, data_dir)
    return CoordinatedPorts(
        port_towns(shared_tables.gazetteer.patterns), shared_tables.lexicon.words["port_line"]
    )
