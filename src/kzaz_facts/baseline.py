"""The regression check (``kzaz check``): facts slimmed to what a baseline pins, then compared."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import TypeAdapter, ValidationError

from kzaz_facts.errors import KzazError
from kzaz_facts.records import SCHEMA_VERSION, AgreementAttributes, Fact, Report

# The fields a baseline pins, field by field; offsets are left out so that an edit elsewhere
# in a file does not turn one fact into "removed + added".
CHECKED_FIELDS = ("modality", "amount", "unit", "period", "change", "speaker", "parties", "name")


def slim_fact(fact: Fact) -> dict[str, Any]:
    """What a baseline keeps of a fact: its identity (doc, type, evidence) and checked fields."""
    value, change, period = fact.value, fact.change, fact.period
    name = fact.attributes.name if isinstance(fact.attributes, AgreementAttributes) else None
    return {
        "doc_id": fact.doc_id,
        "type": fact.type,
        "evidence": fact.evidence.text,
        "sentence": fact.evidence.sentence,
        "modality": fact.modality,
        "amount": value.amount if value else None,
        "unit": value.unit if value else None,
        "period": [_iso(period.start), _iso(period.end)] if period else None,
        "change": (
            {"percent": change.percent, "multiplier": change.multiplier} if change else None
        ),
        "speaker": fact.speaker,
        "parties": list(fact.parties),
        "name": name,
    }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def snapshot(report: Report) -> dict[str, Any]:
    return {"schema_version": report.schema_version, "facts": [slim_fact(f) for f in report.facts]}


# Snapshots of these schema versions pin the same fields as today's and are read as they are.
READABLE_VERSIONS = frozenset({"1.0", SCHEMA_VERSION})
# The text fields every pinned fact names; the checked fields hold JSON scalars or lists.
_IDENTITY = ("doc_id", "type", "evidence", "sentence")


def baseline_facts(data: Any) -> list[dict[str, Any]]:
    """Facts of a baseline file: a ``check --update`` snapshot or a full ``extract`` JSON.

    Raises ``KzazError`` naming the first fault: another schema version, a fact that is not
    an object or lacks its identity, a field of the wrong shape.
    """
    if not isinstance(data, dict) or not isinstance(data.get("facts"), list):
        raise KzazError("the baseline is not a kzaz JSON report or snapshot (no 'facts' list)")
    version = data.get("schema_version")
    if version not in READABLE_VERSIONS:
        raise KzazError(
            f"the baseline has schema version {version!r}, this kzaz reads "
            f"{', '.join(sorted(READABLE_VERSIONS))}: write it anew with --update"
        )
    facts = data["facts"]
    for index, fact in enumerate(facts):
        if not isinstance(fact, dict):
            raise KzazError(f"fact {index} of the baseline is not an object")
    if facts and isinstance(facts[0].get("evidence"), dict):
        try:
            full = TypeAdapter(list[Fact]).validate_python(facts)
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "0"
            raise KzazError(f"fact {where} of the baseline: {first['msg']}") from None
        return [slim_fact(fact) for fact in full]
    return [_slim_checked(index, fact) for index, fact in enumerate(facts)]


def _slim_checked(index: int, fact: dict[str, Any]) -> dict[str, Any]:
    for name in _IDENTITY:
        if not isinstance(fact.get(name), str):
            raise KzazError(f"fact {index} of the baseline has no text {name!r}")
    for name in CHECKED_FIELDS:
        value = fact.get(name)
        if isinstance(value, dict) and name != "change":
            raise KzazError(f"fact {index} of the baseline: {name!r} is an object")
    return dict(fact)


def read_baseline(path: Path) -> list[dict[str, Any]]:
    """The facts of a baseline file; raises ``KzazError`` when it cannot be read or used."""
    try:
        return baseline_facts(json.loads(path.read_text(encoding="utf-8")))
    except RecursionError:
        raise KzazError(f"cannot read baseline {path}: nested too deeply") from None
    except (OSError, ValueError, KzazError) as error:
        raise KzazError(f"cannot read baseline {path}: {error}") from error


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: Any
    new: Any


DifferenceKind = Literal["added", "removed", "changed"]
DIFFERENCE_KINDS: tuple[DifferenceKind, ...] = ("added", "removed", "changed")


@dataclass(frozen=True, slots=True)
class Difference:
    kind: DifferenceKind
    fact: dict[str, Any]
    changes: tuple[FieldChange, ...] = ()


# The passes that pair an old fact with a new one, tried in turn on what is left unpaired:
# the same evidence; the same sentence (a widened span); then, for a sentence edited in place
# ("$221 million" became "$231 million"), the same parties and period, matched by position
# among the facts of that document and type still unpaired.
PAIRING_KEYS: tuple[tuple[str, ...], ...] = (
    ("doc_id", "type", "evidence"),
    ("doc_id", "type", "sentence"),
    ("doc_id", "type", "parties", "period"),
)


def _key(fact: dict[str, Any], keys: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(json.dumps(fact.get(k), sort_keys=True) for k in keys)


def _pair(
    old: list[dict[str, Any]], new: list[dict[str, Any]]
) -> tuple[list[tuple[dict[str, Any], dict[str, Any]]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Pairs of (old, new) facts, then the old facts and the new facts left unpaired.

    Within one key, facts pair in the order they come (document order), so the first of two
    edited figures of a sentence pairs with the first.
    """
    remaining_old = list(old)
    unmatched_new = list(new)
    pairs: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for keys in PAIRING_KEYS:
        pool: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
        for fact in remaining_old:
            pool.setdefault(_key(fact, keys), []).append(fact)
        still_new = []
        for fact in unmatched_new:
            candidates = pool.get(_key(fact, keys))
            if candidates:
                match = candidates.pop(0)
                remaining_old = [f for f in remaining_old if f is not match]
                pairs.append((match, fact))
            else:
                still_new.append(fact)
        unmatched_new = still_new
    return pairs, remaining_old, unmatched_new


def compare(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Difference]:
    """Added, removed and changed facts, whatever the order of either list.

    Facts pair up by the passes of ``PAIRING_KEYS``, so a widened evidence span or a figure
    edited in place shows as a change, not as removed + added.
    """
    pairs, removed, added = _pair(old, new)
    differences = [Difference("removed", fact) for fact in removed]
    differences += [Difference("added", fact) for fact in added]
    for before, after in pairs:
        fields = [*CHECKED_FIELDS, "evidence"]
        changes = tuple(
            FieldChange(name, before.get(name), after.get(name))
            for name in fields
            if before.get(name) != after.get(name)
        )
        if changes:
            differences.append(Difference("changed", after, changes))
    differences.sort(key=lambda d: (d.fact["doc_id"], d.fact["type"], d.kind, d.fact["evidence"]))
    return differences


def describe(differences: list[Difference]) -> str:
    """A readable diff: one block per fact, with the evidence sentence."""
    marks: dict[DifferenceKind, str] = {"added": "+", "removed": "-", "changed": "~"}
    lines = []
    for difference in differences:
        fact = difference.fact
        lines.append(f"{marks[difference.kind]} {difference.kind} {fact['doc_id']} {fact['type']}")
        for change in difference.changes:
            lines.append(f"    {change.field}: {change.old!r} -> {change.new!r}")
        if difference.kind != "changed":
            lines.append(f"    amount: {fact.get('amount')!r}  period: {fact.get('period')!r}")
        lines.append(f"    sentence: {fact['sentence']}")
    return "\n".join(lines) + ("\n" if lines else "")
