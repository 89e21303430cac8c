"""Gold annotations + a Report -> precision, recall and F1: how well the extractor does.

The gold format and the matching rules are those of ``tests/devset/FORMAT.md``:

- Facts are matched per document and type, greedily one to one. ``core`` asks for the same
  type (a ``trade_target`` is a trade fact whose modality is ``target``; a cargo figure's
  modality is part of its type too), an amount within 2% (dollars, tons, people), or, for a
  lone change, no amount and the same change; agreements need a name word overlap (Jaccard,
  stop words ignored) of at least 0.5. ``full`` adds the period's months where the gold gives
  a period, the change (within 1%, a range's ends or its midpoint) where the gold gives one,
  and the signing date where the gold gives one.
- Optional gold records are never misses, and a prediction that matches one is not a false
  positive. A prediction matching an already matched gold record is a duplicate, not a false
  positive. A predicted trade fact whose parties are not exactly {Kazakhstan, Azerbaijan}, or
  a one-way export or import, is out of scope: neither a hit nor a false positive.
- Entities compare per document as sets of canonical names per label; document dates are
  right when equal, or, for a gold date of null, when the tool says the date was guessed from
  the content.

Everything here is pure. The gold format is ``kzaz_facts.gold``, the one-to-one matching
``kzaz_facts.gold_match`` and the reported models ``kzaz_facts.eval_results``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Literal

from kzaz_facts.eval_results import (
    DateCheck,
    Dates,
    EntityScore,
    Evaluation,
    FalsePositive,
    Level,
    Miss,
    Score,
    ratio,
)
from kzaz_facts.gold import (
    ENTITY_LABELS,
    FACT_TYPES,
    GoldDocument,
    GoldEntity,
    GoldFact,
    GoldMoney,
    GoldRecord,
)
from kzaz_facts.gold_match import (
    ItemT,
    Matching,
    change_text,
    core_match,
    fact_type,
    full_match,
    full_problems,
    gold_entity_key,
    match,
    money_key,
    out_of_scope,
    period_text,
    predicted_entity_key,
    signing_date,
)
from kzaz_facts.records import Document, Entity, Fact, Report

# -- scoring -------------------------------------------------------------------------------


def _group(items: Iterable[tuple[str, str, ItemT]]) -> dict[tuple[str, str], list[ItemT]]:
    grouped: dict[tuple[str, str], list[ItemT]] = {}
    for doc, kind, item in items:
        grouped.setdefault((doc, kind), []).append(item)
    return grouped


def _level(
    name: Literal["core", "full"],
    golds: dict[tuple[str, str], list[GoldFact]],
    facts: dict[tuple[str, str], list[Fact]],
    ignored: dict[str, int],
) -> tuple[Level, dict[tuple[str, str], Matching]]:
    counts = {kind: [0, 0, 0, 0, 0] for kind in FACT_TYPES}  # tp fp fn duplicates optional
    matchings = {}
    for key in sorted(set(golds) | set(facts)):
        doc_golds, doc_facts = golds.get(key, []), facts.get(key, [])
        matching = match(doc_golds, doc_facts, core_match if name == "core" else full_match)
        matchings[key] = matching
        paired = {g for g, _ in matching.pairs}
        row = counts[key[1]]
        row[0] += sum(not doc_golds[g].optional for g in paired)
        row[1] += len(matching.false_positives)
        row[2] += sum(not gold.optional and g not in paired for g, gold in enumerate(doc_golds))
        row[3] += len(matching.duplicates)
        row[4] += sum(doc_golds[g].optional for g in paired)
    per_type = {kind: _score(row, ignored.get(kind, 0)) for kind, row in counts.items()}
    totals = [sum(row[i] for row in counts.values()) for i in range(5)]
    micro = _score(totals, sum(ignored.values()))
    return Level(micro=micro, per_type=per_type), matchings


def _score(counts: list[int], ignored: int) -> Score:
    tp, fp, fn, duplicates, optional_matched = counts
    return Score.of(tp, fp, fn, duplicates, optional_matched, out_of_scope=ignored)


def _gold_summary(gold: GoldFact) -> dict[str, object]:
    return gold.model_dump(exclude={"doc", "type", "quote", "optional"}, exclude_none=True)


def _fact_summary(fact: Fact) -> dict[str, object]:
    summary: dict[str, object] = {"modality": fact.modality, "parties": list(fact.parties)}
    if fact.value is not None:
        summary["amount"] = fact.value.amount
        summary["unit"] = fact.value.unit
    if fact.change is not None:
        summary["change"] = change_text(fact)
    if fact.period is not None:
        summary["period"] = period_text(fact)
    if fact.type == "agreement":
        summary["name"] = fact.attributes.name
        summary["signed"] = signing_date(fact)
    return summary


def _misses_and_false_positives(
    golds: dict[tuple[str, str], list[GoldFact]],
    facts: dict[tuple[str, str], list[Fact]],
    core: dict[tuple[str, str], Matching],
    full: dict[tuple[str, str], Matching],
) -> tuple[list[Miss], list[FalsePositive]]:
    misses, false_positives = [], []
    for key in sorted(full):
        doc, kind = key
        doc_golds, doc_facts = golds.get(key, []), facts.get(key, [])
        core_pairs = dict(core[key].pairs)
        full_paired = {g for g, _ in full[key].pairs}
        for g, gold in enumerate(doc_golds):
            if gold.optional or g in full_paired:
                continue
            nearest = doc_facts[core_pairs[g]] if g in core_pairs else None
            misses.append(
                Miss(
                    doc=doc,
                    type=kind,
                    level="core" if nearest is None else "full",
                    quote=gold.quote,
                    gold=_gold_summary(gold),
                    problems=[] if nearest is None else full_problems(gold, nearest),
                    nearest=None
                    if nearest is None
                    else _fact_summary(nearest) | {"evidence": nearest.evidence.text},
                )
            )
        core_wrong = set(core[key].false_positives)
        for f in full[key].false_positives:
            fact = doc_facts[f]
            false_positives.append(
                FalsePositive(
                    doc=doc,
                    type=kind,
                    level="core" if f in core_wrong else "full",
                    quote=fact.evidence.text,
                    predicted=_fact_summary(fact),
                )
            )
    return misses, false_positives


# -- entities and dates --------------------------------------------------------------------


def _entity_view(row: GoldEntity) -> str:
    if isinstance(row, GoldMoney):
        return row.text or money_key(row.amount_usd)
    return row.name


def entity_scores(
    rows: Sequence[GoldEntity], entities: Sequence[Entity], docs: Iterable[str]
) -> dict[str, EntityScore]:
    """Per label, per document: the set of predicted keys against the gold set."""
    scores = {}
    doc_ids = sorted(set(docs))
    for kind, label in ENTITY_LABELS.items():
        tp = fp = fn = optional_matched = 0
        misses, false_positives = [], []
        for doc in doc_ids:
            required: dict[str, str] = {}
            optional: set[str] = set()
            for row in rows:
                if row.doc == doc and row.type == kind:
                    key = gold_entity_key(row)
                    if row.optional:
                        optional.add(key)
                    else:
                        required.setdefault(key, _entity_view(row))
            predicted: dict[str, str] = {}
            for entity in entities:
                if entity.doc_id == doc and entity.label == label:
                    entity_key = predicted_entity_key(entity)
                    if entity_key is not None:
                        view = entity.text if kind == "money" else entity.canonical
                        predicted.setdefault(entity_key, view)
            tp += len(required.keys() & predicted.keys())
            optional_matched += len((predicted.keys() & optional) - required.keys())
            for key, name in required.items():
                if key not in predicted:
                    fn += 1
                    misses.append({"doc": doc, "name": name})
            for key, name in predicted.items():
                if key not in required and key not in optional:
                    fp += 1
                    false_positives.append({"doc": doc, "name": name})
        base = Score.of(tp, fp, fn, optional_matched=optional_matched)
        scores[label] = EntityScore(
            **base.model_dump(), misses=misses, false_positives=false_positives
        )
    return scores


def date_right(gold: dt.date | None, document: Document | None) -> bool:
    if document is None:
        return False
    if gold is None:
        return document.date is None or document.date_source == "content"
    return document.date == gold


def date_scores(rows: Sequence[GoldDocument], documents: dict[str, Document]) -> Dates:
    wrong, correct = [], 0
    for row in rows:
        document = documents.get(row.doc)
        if date_right(row.date, document):
            correct += 1
            continue
        wrong.append(
            DateCheck(
                doc=row.doc,
                gold=row.date,
                predicted=document.date if document else None,
                source=document.date_source if document else "missing",
            )
        )
    return Dates(accuracy=ratio(correct, len(rows)), correct=correct, total=len(rows), wrong=wrong)


# -- the whole evaluation ------------------------------------------------------------------


def evaluate(gold: Sequence[GoldRecord], report: Report) -> Evaluation:
    """Score ``report`` against the gold records; only documents named in the gold count."""
    gold_docs = {row.doc for row in gold}
    documents = {document.doc_id: document for document in report.documents}
    fact_rows = [row for row in gold if isinstance(row, GoldFact)]
    golds = _group((row.doc, row.type, row) for row in fact_rows)
    ignored: dict[str, int] = {}
    predictions = []
    for fact in report.facts:
        if fact.doc_id not in gold_docs:
            continue
        if out_of_scope(fact):
            ignored[fact_type(fact)] = ignored.get(fact_type(fact), 0) + 1
            continue
        predictions.append((fact.doc_id, fact_type(fact), fact))
    facts = _group(predictions)
    core, core_matchings = _level("core", golds, facts, ignored)
    full, full_matchings = _level("full", golds, facts, ignored)
    misses, false_positives = _misses_and_false_positives(
        golds, facts, core_matchings, full_matchings
    )
    entity_rows = [row for row in gold if isinstance(row, GoldEntity)]
    entities = [entity for entity in report.entities if entity.doc_id in gold_docs]
    return Evaluation(
        core=core,
        full=full,
        entities=entity_scores(entity_rows, entities, gold_docs),
        dates=date_scores([row for row in gold if isinstance(row, GoldDocument)], documents),
        misses=misses,
        false_positives=false_positives,
        missing_documents=sorted(gold_docs - documents.keys()),
        unannotated_documents=sorted(documents.keys() - gold_docs),
    )
