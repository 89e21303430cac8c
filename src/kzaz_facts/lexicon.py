"""Word lists from ``data/`` turned into compiled, case-insensitive regular expressions.

A phrase is matched on word boundaries, spaces match any run of white space, and a
trailing ``*`` on a word matches any ending: ``export*`` covers export, exports, exported.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict

from kzaz_facts.resources import read_json, read_jsonl, validated
from kzaz_facts.scan import compile_cues, compile_words, words_pattern


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FactTrigger(_Row):
    kind: Literal["trade", "tourism", "cargo", "investment"]
    phrase: str


class ModalityCue(_Row):
    kind: Literal["target", "actual"]
    phrase: str


class ScopeCue(_Row):
    scope: str
    phrase: str


class SpeechCue(_Row):
    kind: Literal["verb", "reference", "section", "interview"]
    phrase: str


class AgreementCue(_Row):
    kind: Literal["head", "action", "generic", "list_lead", "day_cue", "covers_lead"]
    phrase: str
    action: str | None = None
    document: str | None = None


WordKind = Literal[
    "clause_separator",
    "period_anaphora",
    "period_anaphora_lead",
    "present_time",
    "present_lead",
    "same_period",
    "previous_year",
    "year_earlier",
    "speech_date_lead",
    "baseline_lead",
    "coordination",
    "completion",
    "change_anaphor",
    "port_line",
    "bilateral",
    "partner",
    "partner_after",
    "pair_link",
    "export_word",
    "import_word",
    "origin",
    "destination",
    "visit_destination",
    "investment_destination",
    "lead_skip",
    "investor_verb",
    "recipient_verb",
    "route_noun",
    "name_stop",
    "complement_lead",
    "complement_stop",
    "setting_lead",
    "place_lead",
    "count_lead",
    "count_follow",
    "any_origin",
    "origin_noun",
    "visited_after",
    "respectively",
    "change_break",
    "signatory_lead",
]


class RuleWord(_Row):
    """One row of ``triggers/words.jsonl``: a word of one of the rules' closed lists."""

    kind: WordKind
    phrase: str


class PeopleLexicon(_Row):
    titles: list[str]
    honorifics: list[str]
    connectors: list[str]
    not_names: list[str]


def compile_groups(rows: Iterable[tuple[str, str]]) -> dict[str, re.Pattern[str]]:
    """``(group, phrase)`` rows -> one compiled alternation per group."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for group, phrase in rows:
        grouped[group].append(phrase)
    return {group: compile_words(phrases) for group, phrases in grouped.items()}


class Lexicon:
    """Every trigger list of ``data/``, read and compiled once."""

    def __init__(self, data_dir: Path) -> None:
        triggers = data_dir / "triggers"
        fact_rows = read_jsonl(triggers / "facts.jsonl", FactTrigger)
        self.facts = compile_groups((row.kind, row.phrase) for row in fact_rows)
        self.modality = compile_groups(
            (row.kind, row.phrase) for row in read_jsonl(triggers / "modality.jsonl", ModalityCue)
        )
        self.scopes = compile_groups(
            (row.scope, row.phrase) for row in read_jsonl(triggers / "scopes.jsonl", ScopeCue)
        )
        speech = read_jsonl(triggers / "speech.jsonl", SpeechCue)
        self.speech = compile_groups((row.kind, row.phrase) for row in speech)
        # The speech verbs as searched in every sentence (``speakers``): the same matches as
        # ``speech["verb"]``, found faster (``compile_cues``); that one stays a plain regex,
        # whose source other patterns are built from.
        self.speech_verbs = compile_cues(row.phrase for row in speech if row.kind == "verb")
        agreements = read_jsonl(triggers / "agreements.jsonl", AgreementCue)
        self.agreement_heads = compile_words(r.phrase for r in agreements if r.kind == "head")
        self.agreement_generic = {r.phrase.lower() for r in agreements if r.kind == "generic"}
        self.actions = {
            r.phrase.lower(): r.action or r.phrase for r in agreements if r.kind == "action"
        }
        self.agreement_actions = compile_words(self.actions)
        # Sentences whose periods an agreement may need: an action word or a head.
        self.agreement_words = compile_words(
            [*self.actions, *(r.phrase for r in agreements if r.kind == "head")]
        )
        # Sentences whose periods a fact may need beyond those holding an amount or change:
        # an agreement's action word or head, or a tourist word (a bare number may count).
        self.period_cues = compile_cues(
            [
                *self.actions,
                *(r.phrase for r in agreements if r.kind == "head"),
                *(row.phrase for row in fact_rows if row.kind == "tourism"),
            ]
        )
        self.agreement_kinds = {
            " ".join(r.phrase.lower().split()): r.document
            for r in agreements
            if r.kind == "head" and r.document
        }
        self.agreement_cues = compile_groups(
            (r.kind, r.phrase)
            for r in agreements
            if r.kind in {"list_lead", "day_cue", "covers_lead"}
        )
        self.people = validated(
            PeopleLexicon, read_json(data_dir / "people.json"), data_dir / "people.json"
        )
        rule_words = read_jsonl(triggers / "words.jsonl", RuleWord)
        grouped: dict[str, list[str]] = {kind: [] for kind in get_args(WordKind)}
        for row in rule_words:
            grouped[row.kind].append(row.phrase)
        self.words = {
            kind: frozenset(p.lower() for p in phrases) for kind, phrases in grouped.items()
        }
        separators = words_pattern(grouped["clause_separator"], case_sensitive=True)
        # Punctuation always separates; the words only between spaces. Case matters ("And").
        self.clause_separator = re.compile(rf",|;|\s{separators}\s|\s[-–—]\s")
        self.bilateral = compile_words(grouped["bilateral"])
        self.export_words = compile_words(grouped["export_word"])
        self.import_words = compile_words(grouped["import_word"])
        self.flow_words = compile_words(grouped["export_word"] + grouped["import_word"])
        self.route_nouns = compile_words(grouped["route_noun"])
        self.investor_verbs = compile_words(grouped["investor_verb"])
        self.investment_verbs = compile_words(
            grouped["investor_verb"] + grouped["recipient_verb"]
        )
        leads = words_pattern(grouped["complement_lead"], case_sensitive=True)
        self.complement_lead = re.compile(rf"\s+{leads}")
        # A bare number is a count only right after a lead ("amounted to", "Uzbekistan at",
        # "from Kazakhstan:") and before a word that ends its phrase ("4,352 in February").
        count_leads = words_pattern(grouped["count_lead"])
        self.count_lead = re.compile(rf"(?:{count_leads}|[:\-–—])\s*$", re.IGNORECASE)
        # "…, Uzbekistan at 2,877", "Armenia - 4,300": the country the list item counts
        self.item_link = re.compile(rf"\s*(?:{count_leads}|[:\-–—])\s*$", re.IGNORECASE)
        follow = words_pattern(grouped["count_follow"])
        self.count_follow = re.compile(rf"\s*(?:[,;.:()]|$)|\s+{follow}", re.IGNORECASE)
        self.any_origin = compile_words(grouped["any_origin"])
        self.respectively = compile_words(grouped["respectively"])
        # Between a figure and a change after the next figure: the change is not the figure's.
        breaks = words_pattern(grouped["change_break"], case_sensitive=True)
        self.change_break = re.compile(rf";|{breaks}")
        visited = words_pattern(grouped["visited_after"])
        self.visited_after = re.compile(rf"\s+{visited}", re.IGNORECASE)
        origin_nouns = words_pattern(grouped["origin_noun"])
        self.origin_noun = re.compile(rf"{origin_nouns}\s+of\s+$", re.IGNORECASE)
        # A sentence opening that only gives the figure of the change before ("That is ..."),
        # and the words right before the only change of a sentence ("The figure was ...").
        self.completion = re.compile(rf"\W*{words_pattern(grouped['completion'])}", re.IGNORECASE)
        self.change_anaphor = re.compile(
            rf"{words_pattern(grouped['change_anaphor'])}\s+(?:an?\s+)?\Z", re.IGNORECASE
        )
