"""Records built from values that have their fields' types already, without validation.

The extractor reads every value of a record from typed matches (ints, strings, dates, the
labels of the pipeline's own patterns); validating each record again cost more than finding
it. ``trusted`` makes the record validation would make, from the same values.
"""

from __future__ import annotations

from typing import Any, TypeVar

from kzaz_facts.records import Record

R = TypeVar("R", bound=Record)
# Per record class: its field names in order, the same as a set, and its plain defaults.
_FIELDS: dict[type[Record], tuple[tuple[str, ...], frozenset[str], dict[str, Any]]] = {}


def trusted(cls: type[R], **values: Any) -> R:
    """``cls(**values)`` without validation, for values that have their fields' types already
    (read from the document, or parts built by ``trusted`` or validated before): validating
    every record of a document again costs more than finding it.

    A field left out takes its default when that is a plain value; one with a list default
    or a ``default_factory`` must be given (else ``KeyError``), and a name that is no field
    is refused as validation would. The record equals, and dumps exactly as,
    ``cls(**values)``: ``tests/test_records.py`` checks it on real output.
    """
    names, known, defaults = _FIELDS.get(cls) or _fields_of(cls)
    fields = values  # every field, in order: as validation would keep them
    if len(values) != len(names) or tuple(values) != names:
        if not values.keys() <= known:
            raise TypeError(f"{cls.__name__} has no field {sorted(values.keys() - known)}")
        fields = {name: values[name] if name in values else defaults[name] for name in names}
    record = cls.__new__(cls)
    object.__setattr__(record, "__dict__", fields)
    object.__setattr__(record, "__pydantic_fields_set__", set(values))
    object.__setattr__(record, "__pydantic_extra__", None)
    object.__setattr__(record, "__pydantic_private__", None)
    return record


def _fields_of(cls: type[Record]) -> tuple[tuple[str, ...], frozenset[str], dict[str, Any]]:
    fields = cls.model_fields
    defaults = {
        name: field.default
        for name, field in fields.items()
        if not field.is_required()
        and field.default_factory is None
        and isinstance(field.default, str | int | float | tuple | None)  # never shared mutable
    }
    _FIELDS[cls] = found = (tuple(fields), frozenset(fields), defaults)
    return found
