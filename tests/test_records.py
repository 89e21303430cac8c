"""Records made with ``trusted`` (no validation) are the records validation would make."""

from __future__ import annotations

import pytest

from kzaz_facts.records import Entity, Report, Value
from kzaz_facts.trusted import trusted


def test_trusted_records_equal_validated_ones(seeds_report: Report) -> None:
    records = [*seeds_report.facts, *seeds_report.entities]
    assert records
    for record in records:
        again = type(record).model_validate(record.model_dump())
        assert again == record
        assert again.model_dump_json() == record.model_dump_json()
        assert list(dict(again)) == list(dict(record))  # fields in their order


def test_trusted_fills_plain_defaults() -> None:
    given = {"amount": 5, "unit": "USD", "text": "$5", "span": (0, 2)}
    made = trusted(Value, **given)
    assert made == Value(**given)
    assert made.model_dump_json() == Value(**given).model_dump_json()
    assert made.model_fields_set == Value(**given).model_fields_set


def test_trusted_refuses_unknown_and_missing_fields() -> None:
    values = {"doc_id": "a", "label": "GPE", "text": "X", "canonical": "X", "start": 0, "end": 1}
    with pytest.raises(TypeError):
        trusted(Entity, **values, attrs={}, colour="red")
    with pytest.raises(KeyError):
        trusted(Entity, **values)  # attrs has a default_factory: it must be given
    assert trusted(Entity, **values, attrs={}) == Entity(**values)
