"""The entity gazetteer in data/entities: row shape, consistency, and what the ruler finds.

The pattern files feed spaCy's own entity ruler unchanged, so the table below runs them through
``spacy.blank("en")`` + ``entity_ruler`` exactly as the pipeline does and checks every entity of
each sentence: text, label and canonical id. Sentences are written for these tests, not taken
from ``seeds/``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.language import Language

ENTITY_DIR = Path(__file__).resolve().parent.parent / "data" / "entities"
ATTRIBUTES_FILE = "attributes.jsonl"
PATTERN_FILES = {
    "people.jsonl": "PERSON",
    "ports.jsonl": "PORT",
    "routes.jsonl": "ROUTE",
    "orgs.jsonl": "ORG",
    "places.jsonl": "GPE",
    "demonyms.jsonl": "NORP",
}
LABELS = frozenset(PATTERN_FILES.values())
ATTRIBUTE_KEYS = frozenset({"id", "label", "kind", "country", "role"})
KINDS = frozenset({"country", "city", "region", "group"})
# Token-pattern keys the files may use: exact text, any case, or a set of dashes.
TOKEN_KEYS = frozenset({"ORTH", "LOWER"})

Row = dict[str, Any]


def _read(path: Path) -> list[tuple[int, Row]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        assert line.strip(), f"{path.name}:{number}: blank line"
        row = json.loads(line)
        assert isinstance(row, dict), f"{path.name}:{number}: not an object"
        rows.append((number, row))
    return rows


def _pattern_rows() -> list[tuple[str, int, Row]]:
    return [
        (name, number, row)
        for name in sorted(PATTERN_FILES)
        for number, row in _read(ENTITY_DIR / name)
    ]


def _key(pattern: str | list[dict[str, Any]]) -> str:
    return json.dumps(pattern, sort_keys=True, ensure_ascii=False)


PATTERN_ROWS = _pattern_rows()
ATTRIBUTE_ROWS = [row for _, row in _read(ENTITY_DIR / ATTRIBUTES_FILE)]
ATTRIBUTES = {row["id"]: row for row in ATTRIBUTE_ROWS}


# -- the files ------------------------------------------------------------------------------
def test_every_entity_file_is_known() -> None:
    found = {path.name for path in ENTITY_DIR.glob("*.jsonl")}
    assert found == set(PATTERN_FILES) | {ATTRIBUTES_FILE}


def test_pattern_rows_have_exactly_label_pattern_id() -> None:
    for name, number, row in PATTERN_ROWS:
        where = f"{name}:{number}"
        assert set(row) == {"label", "pattern", "id"}, where
        assert row["label"] == PATTERN_FILES[name], where
        assert isinstance(row["id"], str), where
        assert row["id"] == row["id"].strip(), where
        assert row["id"], where


def test_patterns_are_phrases_or_simple_token_lists() -> None:
    for name, number, row in PATTERN_ROWS:
        where = f"{name}:{number}"
        pattern = row["pattern"]
        if isinstance(pattern, str):
            assert pattern, where
            assert pattern == pattern.strip(), where
            assert "  " not in pattern, where
            continue
        assert isinstance(pattern, list), where
        assert len(pattern) >= 2, f"{where}: a one-token list belongs in a phrase pattern"
        for token in pattern:
            assert len(token) == 1, where
            assert set(token) <= TOKEN_KEYS, where
            value = next(iter(token.values()))
            if isinstance(value, dict):
                assert set(value) == {"IN"}, where
            elif "LOWER" in token:
                assert value == value.lower(), where


def test_one_pattern_means_one_entity() -> None:
    """The ruler cannot choose between two ids (or labels) for the same words."""
    owners: dict[str, set[tuple[str, str]]] = defaultdict(set)
    seen: set[tuple[str, str, str]] = set()
    for name, number, row in PATTERN_ROWS:
        key = _key(row["pattern"])
        entry = (row["label"], key, row["id"])
        assert entry not in seen, f"{name}:{number}: duplicate row"
        seen.add(entry)
        owners[key].add((row["label"], row["id"]))
    clashes = {key: ids for key, ids in owners.items() if len(ids) > 1}
    assert clashes == {}


def test_attribute_rows_use_the_allowed_keys() -> None:
    ids = [row["id"] for row in ATTRIBUTE_ROWS]
    assert len(ids) == len(set(ids)), "an id has two attribute rows"
    for row in ATTRIBUTE_ROWS:
        assert set(row) <= ATTRIBUTE_KEYS, row
        assert {"id", "label"} <= set(row), row
        assert row["label"] in LABELS - {"NORP"}, row
        if row["label"] == "GPE":
            assert row.get("kind") in KINDS, row
            assert "role" not in row, row
            if row["kind"] == "city":
                assert "country" in row, row
        else:
            assert "kind" not in row, row
        if row["label"] == "PORT":
            assert "country" in row, row
        if row["label"] == "PERSON":
            assert row.get("role"), row
        if "country" in row:
            assert ATTRIBUTES.get(row["country"], {}).get("kind") == "country", row


def test_every_entity_has_attributes_and_every_attribute_an_entity() -> None:
    used = {(row["label"], row["id"]) for _, _, row in PATTERN_ROWS if row["label"] != "NORP"}
    described = {(row["label"], row["id"]) for row in ATTRIBUTE_ROWS}
    assert used - described == set()
    assert described - used == set()


def test_demonyms_point_at_places() -> None:
    for name, number, row in PATTERN_ROWS:
        if row["label"] == "NORP":
            place = ATTRIBUTES.get(row["id"], {})
            assert place.get("label") == "GPE", f"{name}:{number}"
            assert place.get("kind") != "city", f"{name}:{number}"


def test_current_roles_name_one_person() -> None:
    """Extraction resolves "the President of Kazakhstan said" through the role string."""
    holders: dict[str, list[str]] = defaultdict(list)
    for row in ATTRIBUTE_ROWS:
        if row["label"] == "PERSON" and "Deputy Minister" not in row["role"]:
            holders[row["role"].casefold()].append(row["id"])
    assert {role: ids for role, ids in holders.items() if len(ids) > 1} == {}


# -- the ruler ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def nlp() -> Language:
    pipeline = spacy.blank("en")
    ruler = pipeline.add_pipe(
        "entity_ruler", config={"phrase_matcher_attr": "ORTH", "validate": True}
    )
    ruler.add_patterns([row for _, _, row in PATTERN_ROWS])  # type: ignore[attr-defined]
    return pipeline


Found = list[tuple[str, str, str]]

RULER_CASES: list[tuple[str, str, Found]] = [
    (
        "patronymic-address",
        "Over dinner in Shusha, Ilham Heydar oglu raised the question of ferry tariffs.",
        [("Shusha", "GPE", "Shusha"), ("Ilham Heydar oglu", "PERSON", "Ilham Aliyev")],
    ),
    (
        "father-not-son",
        "A bust of Heydar Aliyev now stands in a park in Almaty.",
        [("Heydar Aliyev", "PERSON", "Heydar Aliyev"), ("Almaty", "GPE", "Almaty")],
    ),
    (
        "father-long-forms",
        "Streets named after Heydar Alirza oglu Aliyev and Heydar Aliyevich Aliyev are one man's.",
        [
            ("Heydar Alirza oglu Aliyev", "PERSON", "Heydar Aliyev"),
            ("Heydar Aliyevich Aliyev", "PERSON", "Heydar Aliyev"),
        ],
    ),
    (
        "bare-surname-is-left-alone",
        "Aliyev did not comment, a spokesman said.",
        [],
    ),
    (
        "title-and-spelling-variant",
        "President Aliyev hosted Tokaev and Kassym-Jomart Kemelevich Tokayev's delegation.",
        [
            ("President Aliyev", "PERSON", "Ilham Aliyev"),
            ("Tokaev", "PERSON", "Kassym-Jomart Tokayev"),
            ("Kassym-Jomart Kemelevich Tokayev", "PERSON", "Kassym-Jomart Tokayev"),
        ],
    ),
    (
        "route-acronym-and-full-name",
        "Freight on TITR doubled once the Trans-Caspian International Transport Route cut tariffs.",
        [
            ("TITR", "ROUTE", "Middle Corridor"),
            ("Trans-Caspian International Transport Route", "ROUTE", "Middle Corridor"),
        ],
    ),
    (
        "route-lowercase-and-en-dash",
        "Shippers compare the middle corridor with the North–South corridor and the INSTC.",
        [
            ("middle corridor", "ROUTE", "Middle Corridor"),
            ("North–South corridor", "ROUTE", "International North–South Transport Corridor"),
            ("INSTC", "ROUTE", "International North–South Transport Corridor"),
        ],
    ),
    (
        "railway-beats-its-cities",
        "Wagons from Kars reach Baku on the Baku-Tbilisi-Kars railway, also called BTK.",
        [
            ("Kars", "GPE", "Kars"),
            ("Baku", "GPE", "Baku"),
            ("Baku-Tbilisi-Kars railway", "ROUTE", "Baku–Tbilisi–Kars railway"),
            ("BTK", "ROUTE", "Baku–Tbilisi–Kars railway"),
        ],
    ),
    (
        "port-beats-its-city",
        "Wheat loaded at the port of Aktau reached Aktau residents' bakeries, not Kuryk Port.",
        [
            ("port of Aktau", "PORT", "Port of Aktau"),
            ("Aktau", "GPE", "Aktau"),
            ("Kuryk Port", "PORT", "Port of Kuryk"),
        ],
    ),
    (
        "baku-port-aliases",
        "The Alat port, officially Baku International Sea Trade Port, faces Turkmenbashi port.",
        [
            ("Alat port", "PORT", "Baku International Sea Trade Port"),
            ("Baku International Sea Trade Port", "PORT", "Baku International Sea Trade Port"),
            ("Turkmenbashi port", "PORT", "Port of Turkmenbashi"),
        ],
    ),
    (
        "turkey-and-turkiye",
        "Officials in Türkiye, still often called Turkey, met envoys of the Republic of Turkey.",
        [
            ("Türkiye", "GPE", "Türkiye"),
            ("Turkey", "GPE", "Türkiye"),
            ("Republic of Turkey", "GPE", "Türkiye"),
        ],
    ),
    (
        "hyphenated-demonyms",
        "The Kazakh-Azerbaijani working group and Turkish and Georgian observers met.",
        [
            ("Kazakh", "NORP", "Kazakhstan"),
            ("Azerbaijani", "NORP", "Azerbaijan"),
            ("Turkish", "NORP", "Türkiye"),
            ("Georgian", "NORP", "Georgia"),
        ],
    ),
    (
        "possessives-and-old-capital",
        "Azerbaijan’s envoy flew to Nur-Sultan, now Astana, and on to Kazakhstan's west.",
        [
            ("Azerbaijan", "GPE", "Azerbaijan"),
            ("Nur-Sultan", "GPE", "Astana"),
            ("Astana", "GPE", "Astana"),
            ("Kazakhstan", "GPE", "Kazakhstan"),
        ],
    ),
    (
        "agency-name-is-case-sensitive",
        "A Trend correspondent noted the upward trend, and Report confirmed the report.",
        [
            ("Trend", "ORG", "Trend News Agency"),
            ("Report", "ORG", "Report News Agency"),
        ],
    ),
    (
        "org-aliases",
        "The Turkic Council, now the Organization of Turkic States (OTS), admitted an observer.",
        [
            ("Turkic Council", "ORG", "Organization of Turkic States"),
            ("Organization of Turkic States", "ORG", "Organization of Turkic States"),
            ("OTS", "ORG", "Organization of Turkic States"),
        ],
    ),
    (
        "names-inside-institutions",
        "Nazarbayev University signed with the Heydar Aliyev Foundation and SOCAR.",
        [
            ("Nazarbayev University", "ORG", "Nazarbayev University"),
            ("Heydar Aliyev Foundation", "ORG", "Heydar Aliyev Foundation"),
            ("SOCAR", "ORG", "State Oil Company of Azerbaijan Republic"),
        ],
    ),
    (
        "bilateral-body-keeps-its-parties",
        "A Kazakh-Azerbaijani intergovernmental commission serves the Supreme Interstate Council.",
        [
            ("Kazakh", "NORP", "Kazakhstan"),
            ("Azerbaijani", "NORP", "Azerbaijan"),
            ("intergovernmental commission", "ORG", "Intergovernmental Commission"),
            ("Supreme Interstate Council", "ORG", "Supreme Interstate Council"),
        ],
    ),
    (
        "fibre-line-and-dateline",
        "BAKU, Azerbaijan. Work on the TransCaspian Fiber Optic line (TCFO) resumed.",
        [
            ("BAKU", "GPE", "Baku"),
            ("Azerbaijan", "GPE", "Azerbaijan"),
            ("TransCaspian Fiber Optic line", "ROUTE", "Trans-Caspian Fiber Optic"),
            ("TCFO", "ROUTE", "Trans-Caspian Fiber Optic"),
        ],
    ),
    (
        "regions-and-groups",
        "Trade between Central Asia, the South Caucasus and the EU crosses the Caspian Sea.",
        [
            ("Central Asia", "GPE", "Central Asia"),
            ("South Caucasus", "GPE", "South Caucasus"),
            ("EU", "GPE", "European Union"),
            ("Caspian Sea", "GPE", "Caspian Sea"),
        ],
    ),
]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [pytest.param(sentence, expected, id=name) for name, sentence, expected in RULER_CASES],
)
def test_ruler_finds(nlp: Language, sentence: str, expected: Found) -> None:
    doc = nlp(sentence)
    assert [(ent.text, ent.label_, ent.ent_id_) for ent in doc.ents] == expected
