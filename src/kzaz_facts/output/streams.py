"""Reports and streams of results -> JSON and JSON Lines.

A stream writes each document's facts as they come, chunk by chunk for a long document
(``results.DocumentResult.batches``), so nothing needs the whole report or a whole document.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Literal, Union

from pydantic import BaseModel

from kzaz_facts.records import SCHEMA_VERSION, ErrorRecord, Fact, Report

if TYPE_CHECKING:
    from kzaz_facts.results import DocumentResult

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


Item = Union["DocumentResult", ErrorRecord]
FactFilter = Callable[[Fact], bool]


def _keep_all(fact: Fact) -> bool:
    return True


def stream_jsonl(results: Iterable[Item], stream: IO[str], keep: FactFilter = _keep_all) -> Tally:
    """One fact per line, written as each document (each chunk of a long one) is done."""
    tally = Tally()
    for result in results:
        if isinstance(result, ErrorRecord):
            tally.errors.append(result)
            continue
        tally.documents += 1
        for batch in result.batches():
            facts = [fact for fact in batch.facts if keep(fact)]
            tally.facts += len(facts)
            stream.write(facts_jsonl(facts))
    return tally


class _Array:
    """One array of the report, written item by item with the indentation of ``report_json``."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.count = 0

    def add(self, record: BaseModel) -> None:
        text = record.model_dump_json(indent=2).replace("\n", "\n    ")
        self.stream.write(("," if self.count else "") + "\n    " + text)
        self.count += 1

    def close(self) -> str:
        return "]" if not self.count else "\n  ]"


def stream_json(results: Iterable[Item], stream: IO[str], keep: FactFilter = _keep_all) -> Tally:
    """The report of ``report_json``, byte for byte, written as documents are done.

    Documents go straight to ``stream``; facts, entities and errors wait in temporary files
    (not in memory) until the documents are all written, then follow in turn.
    """
    tally = Tally()
    with ExitStack() as stack:
        spools = {
            name: stack.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8"))
            for name in ("facts", "entities", "errors")
        }
        documents = _Array(stream)
        arrays = {name: _Array(spool) for name, spool in spools.items()}
        stream.write('{\n  "schema_version": ' + json.dumps(SCHEMA_VERSION) + ',\n  "documents": [')
        for result in results:
            if isinstance(result, ErrorRecord):
                tally.errors.append(result)
                arrays["errors"].add(result)
                continue
            tally.documents += 1
            documents.add(result.document)
            for batch in result.batches():
                for fact in batch.facts:
                    if keep(fact):
                        arrays["facts"].add(fact)
                        tally.facts += 1
                for entity in batch.entities:
                    arrays["entities"].add(entity)
        stream.write(documents.close())
        for name, spool in spools.items():
            stream.write(f',\n  "{name}": [')
            spool.seek(0)
            shutil.copyfileobj(spool, stream)
            stream.write(arrays[name].close())
        stream.write("\n}\n")
    return tally


# -- writers by format ------------------------------------------------------------------------

StreamWriter = Callable[[Iterable[Item], IO[str], FactFilter], Tally]

STREAM_WRITERS: dict[str, StreamWriter] = {"json": stream_json, "jsonl": stream_jsonl}
