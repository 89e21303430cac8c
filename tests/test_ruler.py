"""The gazetteer ruler tags exactly what spaCy's EntityRuler tags with the same rows."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from kzaz_facts.gazetteer import Gazetteer, PatternRow
from kzaz_facts.resources import resolve_data_dir
from kzaz_facts.ruler import GazetteerRuler, PlainWords

SEEDS = sorted(Path(__file__).parent.parent.joinpath("seeds").glob("*.txt"))

SENTENCES = [
    "Cargo through the aktau port and the Aktau Port rose; the Port of Baku was busy.",
    "The Trans-Caspian International Transport Route and the trans–caspian international "
    "transport route both count, as does the Middle Corridor (TITR).",
    "President Ilham Aliyev met Kassym-Jomart Tokayev in Astana.",
    "The Organization of Turkic States met in BAKU; the OTS secretary spoke in Baku.",
]


def _ents(nlp: spacy.language.Language, text: str) -> list[tuple[str, str, str]]:
    return [(ent.text, ent.label_, ent.ent_id_) for ent in nlp(text).ents]


@pytest.fixture(scope="module")
def pipelines() -> tuple[spacy.language.Language, spacy.language.Language]:
    rows = Gazetteer(resolve_data_dir(None)).patterns
    ours = spacy.blank("en")
    ours.add_pipe("kzaz_gazetteer")
    theirs = spacy.blank("en")
    ruler = theirs.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH"})
    ruler.add_patterns([row.model_dump() for row in rows])  # type: ignore[attr-defined]
    return ours, theirs


@pytest.mark.parametrize("text", SENTENCES + [path.read_text() for path in SEEDS])
def test_same_entities_as_spacy_entity_ruler(
    pipelines: tuple[spacy.language.Language, spacy.language.Language], text: str
) -> None:
    ours, theirs = pipelines
    assert _ents(ours, text) == _ents(theirs, text)


def test_orth_tokens_keep_their_case_and_lower_tokens_do_not() -> None:
    nlp = spacy.blank("en")
    rows = [PatternRow(label="PORT", pattern=[{"ORTH": "Aktau"}, {"LOWER": "port"}], id="Aktau")]
    ruler = GazetteerRuler(nlp, rows)
    found = [(e.text, e.ent_id_) for e in ruler(nlp.make_doc("Aktau PORT, aktau port")).ents]
    assert found == [("Aktau PORT", "Aktau")]


def test_longest_match_wins_then_the_earliest() -> None:
    nlp = spacy.blank("en")
    rows = [
        PatternRow(label="GPE", pattern="Aktau", id="Aktau"),
        PatternRow(label="PORT", pattern=[{"LOWER": "port"}, {"LOWER": "of"}, {"ORTH": "Aktau"}], id="Port of Aktau"),
        PatternRow(label="ORG", pattern="of Aktau region", id="Region"),
    ]
    ruler = GazetteerRuler(nlp, rows)
    doc = ruler(nlp.make_doc("The port of Aktau region and Aktau."))
    assert [(e.text, e.label_, e.start_char) for e in doc.ents] == [
        ("port of Aktau", "PORT", 4),
        ("Aktau", "GPE", 29),
    ]


def test_other_token_patterns_go_to_the_token_matcher() -> None:
    nlp = spacy.blank("en")
    rows = [
        PatternRow(
            label="ROUTE",
            pattern=[{"LOWER": "middle"}, {"LOWER": "corridor", "OP": "?"}],
            id="Middle",
        )
    ]
    doc = GazetteerRuler(nlp, rows)(nlp.make_doc("the Middle Corridor"))
    assert [(e.text, e.start_char, e.end_char) for e in doc.ents] == [("Middle Corridor", 4, 19)]


def test_no_special_case_matched_across_tokens_is_made_of_letters_only() -> None:
    """What ``PlainWords`` relies on: the tokenizer matches a special case across tokens only
    where affix rules split it or it holds a space, and none of those is letters alone."""
    tokenizer = spacy.blank("en").tokenizer
    across = [
        key
        for key in tokenizer.rules
        if " " in key
        or tokenizer.find_prefix(key)
        or tokenizer.find_suffix(key)
        or tokenizer.find_infix(key)
    ]
    assert across
    assert [key for key in across if key.replace(" ", "").isalpha()] == []


def test_plain_phrases_get_the_tokens_the_tokenizer_gives() -> None:
    nlp = spacy.blank("en")
    plain = PlainWords(nlp)
    phrases = [row.pattern for row in Gazetteer(resolve_data_dir(None)).patterns]
    words = [p.split(" ") for p in phrases if isinstance(p, str) and all(map(plain, p.split(" ")))]
    assert len(words) > 1000
    assert all([token.text for token in nlp.make_doc(" ".join(w))] == w for w in words)
