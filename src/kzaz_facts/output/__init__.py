"""Reports, entities, timelines and evaluations -> JSON, JSON Lines, CSV or rich tables.

One module per kind of output; this package names what the command line renders with.
Each name is imported from its module on first use, so a command loads only the writers it
uses: JSON output never pays for rich (imported only inside this package, and lazily) nor
for the JSON Schemas.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kzaz_facts.output.atomic import atomic_stream, write_atomic
    from kzaz_facts.output.entities import ENTITY_WRITERS, print_entities
    from kzaz_facts.output.evaluation import evaluation_json, print_evaluation
    from kzaz_facts.output.fact_table import print_table
    from kzaz_facts.output.schemas import SCHEMA_NAMES, schema_json
    from kzaz_facts.output.streams import STREAM_WRITERS, Tally
    from kzaz_facts.output.terminal import table_width
    from kzaz_facts.output.timeline import TIMELINE_WRITERS, print_timeline

# Where each name of the package lives.
_MODULE_OF = {
    "atomic_stream": "atomic",
    "write_atomic": "atomic",
    "ENTITY_WRITERS": "entities",
    "print_entities": "entities",
    "evaluation_json": "evaluation",
    "print_evaluation": "evaluation",
    "print_table": "fact_table",
    "SCHEMA_NAMES": "schemas",
    "schema_json": "schemas",
    "STREAM_WRITERS": "streams",
    "Tally": "streams",
    "table_width": "terminal",
    "TIMELINE_WRITERS": "timeline",
    "print_timeline": "timeline",
}

__all__ = [
    "ENTITY_WRITERS",
    "SCHEMA_NAMES",
    "STREAM_WRITERS",
    "TIMELINE_WRITERS",
    "Tally",
    "atomic_stream",
    "evaluation_json",
    "print_entities",
    "print_evaluation",
    "print_table",
    "print_timeline",
    "schema_json",
    "table_width",
    "write_atomic",
]


def __getattr__(name: str) -> Any:
    """``output.print_table`` and the like: the name, imported from its module now."""
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_MODULE_OF})
