"""Ports: coordinated lists of towns with a plural port phrase, and spelling variants."""

from __future__ import annotations

import pytest

from kzaz_facts.engine import Engine
from kzaz_facts.load import parse_document

BAKU = "Baku International Sea Trade Port"


def _ports(engine: Engine, sentence: str) -> list[tuple[str, str]]:
    document = parse_document("Kazakhstan and Azerbaijan.\n\n" + sentence, doc_id="t", path="t")
    result = engine.process(document)
    return [(e.text, e.canonical) for e in result.entities if e.label == "PORT"]


@pytest.mark.parametrize(
    ("sentence", "ports"),
    [
        ("Cargo moves through the ports of Aktau and Kuryk to Europe.", [("ports of Aktau", "Port of Aktau"), ("Kuryk", "Port of Kuryk")]),
        ("Kuryk and Aktau ports handled more grain this year.", [("Kuryk", "Port of Kuryk"), ("Aktau ports", "Port of Aktau")]),
        ("Trucks reach the ports of Baku, Alat and Aktau by rail.", [("ports of Baku", BAKU), ("Alat", BAKU), ("Aktau", "Port of Aktau")]),
        ("Turkmenbashi, Kuryk and Aktau ports compete for transit.", [("Turkmenbashi", "Port of Turkmenbashi"), ("Kuryk", "Port of Kuryk"), ("Aktau ports", "Port of Aktau")]),
        ("Ships from Alyat port reach Aktau daily.", [("Alyat port", BAKU)]),
        ("The Baku International Sea Trade Port in Alat grew.", [(BAKU, BAKU)]),
        ("The ports of Aktau and Astana officials met.", [("ports of Aktau", "Port of Aktau")]),
        ("Aktau and Baku agreed to build new ports.", []),
        ("The Aktau–Alat ferry line will get two more vessels.", [("Aktau", "Port of Aktau"), ("Alat", BAKU)]),
        ("Wagons cross on the Kuryk-Baku ferries every day.", [("Kuryk", "Port of Kuryk"), ("Baku", BAKU)]),
        ("Traffic on the Aktau — Alat line grew.", [("Aktau", "Port of Aktau"), ("Alat", BAKU)]),
        ("Traffic on the Kuryk–Alat shipping route grew.", [("Kuryk", "Port of Kuryk"), ("Alat", BAKU)]),
        ("The Aktau-Baku highway and the Astana–Baku flights are busy.", []),
    ],
)  # fmt: skip
def test_coordinated_and_variant_ports(
    engine: Engine, sentence: str, ports: list[tuple[str, str]]
) -> None:
    assert _ports(engine, sentence) == ports
