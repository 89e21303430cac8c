"""Reports and streams of results -> JSON and JSON Lines.

A stream writes each document's facts as they come, chunk by chunk for a long document
(``results.DocumentResult.batches``), so nothing needs the whole report or a whole document.
Each stream has its ``Encoder`` (``output.encoded``): the text of a document's records is
made where the document was processed, and the stream copies it out in order.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Literal, Union

from kzaz_facts.output.encoded import EMPTY, Encoded, Encoder, Piece, Pieces, encoded, json_items
from kzaz_facts.records import SCHEMA_VERSION, ErrorRecord, Fact, Report

if TYPE_CHECKING:
    from kzaz_facts.records import Document
    from kzaz_facts.results import Batch, DocumentResult

Format = Literal["table", "json", "jsonl"]


def report_json(report: Report) -> str:
    return report.model_dump_json(indent=2) + "\n"


def facts_jsonl(facts: Iterable[Fact]) -> str:
    return "".join(fact.model_dump_json() + "\n" for fact in facts)


def render(report: Report, output_format: Format) -> str:
    if output_format == "json":
        return report_json(report)
    if output_format == "jsonl":
        return facts_jsonl(report.facts)
    raise ValueError(f"not a text format: {output_format}")


# -- streaming ------------------------------------------------------------------------------


@dataclass
class Tally:
    """What a run wrote: counted as it streams, so nothing needs the whole report."""

    documents: int = 0
    facts: int = 0
    errors: list[ErrorRecord] = field(default_factory=list)

    @classmethod
    def of(cls, report: Report) -> Tally:
        return cls(len(report.documents), len(report.facts), list(report.errors))


Item = Union["DocumentResult", "Encoded", ErrorRecord]
FactFilter = Callable[[Fact], bool]


def _keep_all(fact: Fact) -> bool:
    return True


@dataclass(frozen=True)
class JsonlEncoder(Encoder):
    """Facts ``keep`` accepts, one JSON object a line."""

    keep: FactFilter = _keep_all

    def encode(self, document: Document, batches: Iterable[Batch]) -> Iterator[Pieces]:
        for batch in batches:
            facts = [fact for fact in batch.facts if self.keep(fact)]
            yield (Piece(facts_jsonl(facts), len(facts)),)


def write_lines(results: Iterable[Item], stream: IO[str], encoder: Encoder) -> Tally:
    """Each document's one part (a run of lines) as it comes; its count is of facts."""
    tally = Tally()
    for result in results:
        if isinstance(result, ErrorRecord):
            tally.errors.append(result)
            continue
        tally.documents += 1
        for (piece,) in encoded(result, encoder).pieces():
            stream.write(piece.text)
            tally.facts += piece.records
    return tally


def stream_jsonl(results: Iterable[Item], stream: IO[str], keep: FactFilter = _keep_all) -> Tally:
    """One fact per line, written as each document (each chunk of a long one) is done."""
    return write_lines(results, stream, JsonlEncoder(keep))


class _Array:
    """One array of the report, written piece by piece with the indentation of ``report_json``."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.count = 0

    def add(self, piece: Piece) -> None:
        if piece.records:
            self.stream.write(("," if self.count else "") + piece.text)
            self.count += piece.records

    def close(self) -> str:
        return "]" if not self.count else "\n  ]"


@dataclass(frozen=True)
class JsonEncoder(Encoder):
    """The document, the facts ``keep`` accepts and the entity mentions, as items of the
    report's arrays: the parts are ``documents``, ``facts`` and ``entities``."""

    keep: FactFilter = _keep_all

    def encode(self, document: Document, batches: Iterable[Batch]) -> Iterator[Pieces]:
        yield (json_items([document]), EMPTY, EMPTY)
        for batch in batches:
            facts = json_items(fact for fact in batch.facts if self.keep(fact))
            yield (EMPTY, facts, json_items(batch.entities))


def stream_json(results: Iterable[Item], stream: IO[str], keep: FactFilter = _keep_all) -> Tally:
    """The report of ``report_json``, byte for byte, written as documents are done.

    Documents go straight to ``stream``; facts, entities and errors wait in temporary files
    (not in memory) until the documents are all written, then follow in turn.
    """
    encoder = JsonEncoder(keep)
    tally = Tally()
    with ExitStack() as stack:
        spools = {
            name: stack.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8"))
            for name in ("facts", "entities", "errors")
        }
        documents = _Array(stream)
        facts, entities, errors = (_Array(spool) for spool in spools.values())
        stream.write('{\n  "schema_version": ' + json.dumps(SCHEMA_VERSION) + ',\n  "documents": [')
        for result in results:
            if isinstance(result, ErrorRecord):
                tally.errors.append(result)
                errors.add(json_items([result]))
                continue
            tally.documents += 1
            for document, fact_items, entity_items in encoded(result, encoder).pieces():
                documents.add(document)
                facts.add(fact_items)
                entities.add(entity_items)
                tally.facts += fact_items.records
        stream.write(documents.close())
        for (name, spool), array in zip(spools.items(), (facts, entities, errors), strict=True):
            stream.write(f',\n  "{name}": [')
            spool.seek(0)
            shutil.copyfileobj(spool, stream)
            stream.write(array.close())
        stream.write("\n}\n")
    return tally


# -- writers by format ------------------------------------------------------------------------

StreamWriter = Callable[[Iterable[Item], IO[str], FactFilter], Tally]

STREAM_WRITERS: dict[str, StreamWriter] = {"json": stream_json, "jsonl": stream_jsonl}
# What each writer's documents are encoded with where they are processed, given the filter.
STREAM_ENCODERS: dict[str, Callable[[FactFilter], Encoder]] = {
    "json": JsonEncoder,
    "jsonl": JsonlEncoder,
}
