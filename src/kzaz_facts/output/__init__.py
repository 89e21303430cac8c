"""Reports, entities, timelines and evaluations -> JSON, JSON Lines, CSV or rich tables.

One module per kind of output; this package names what the command line renders with.
rich is imported only inside this package, and lazily, so JSON output never pays for it.
"""

from kzaz_facts.output.atomic import atomic_stream, write_atomic
from kzaz_facts.output.entities import ENTITY_WRITERS, print_entities
from kzaz_facts.output.evaluation import evaluation_json, print_evaluation
from kzaz_facts.output.fact_table import print_table
from kzaz_facts.output.schemas import SCHEMA_NAMES, schema_json
from kzaz_facts.output.streams import STREAM_WRITERS, Tally
from kzaz_facts.output.terminal import table_width
from kzaz_facts.output.timeline import TIMELINE_WRITERS, print_timeline

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
