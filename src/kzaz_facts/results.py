"""One document's records: held in memory, or, for a long document, spooled chunk by chunk.

A long body is processed in chunks (``engine.CHUNK_CHARS``). Holding every record of such a
document until it is done would make memory grow with the document (about 5 KB per fact
with its entities), so each chunk's records are written to a temporary file as soon as the
chunk is done, and read back a batch at a time by whoever writes them: memory holds one
chunk's records at most, whatever the document's size. Records are spooled as their JSON
(pydantic's own, twice as fast to write and read back as pickled models), which gives back
equal records: every field is written, none is excluded. A document that fails half way (a
timeout, a fault) leaves nothing behind, so what is written never depends on how far it got.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Iterator, Sequence
from functools import cache
from typing import IO, Any, NamedTuple

from pydantic import TypeAdapter

from kzaz_facts.records import Document, Entity, Fact


class Batch(NamedTuple):
    """Records of a document, in their order: its facts and entity mentions, or a run of them."""

    facts: list[Fact]
    entities: list[Entity]


# Records written (and read back) together: a chunk's records are spooled in batches this
# large, so that neither the writing nor the reader ever holds a whole chunk's records twice.
BATCH_RECORDS = 1_000


@cache
def _adapters() -> tuple[TypeAdapter[list[Fact]], TypeAdapter[list[Entity]]]:
    """Built on first use: a run without long documents never pays for them."""
    return TypeAdapter(list[Fact]), TypeAdapter(list[Entity])


class Spool:
    """Batches of records written one after another into a temporary file, read back in order.

    Without ``directory`` the file has no name (it is gone once closed); with one, it is
    named there, so that a worker process can hand it to the parent: pickled, a spool is its
    file's name, and the parent takes the file over and removes the name (``_adopt``).
    Read by one reader at a time (``batches`` moves the file's position).
    """

    def __init__(self, directory: str | None = None) -> None:
        self.path: str | None = None
        self.file: IO[bytes]
        if directory is None:
            self.file = tempfile.TemporaryFile()  # noqa: SIM115  (closed with the spool)
        else:
            descriptor, self.path = tempfile.mkstemp(suffix=".chunks", dir=directory)
            self.file = os.fdopen(descriptor, "w+b")

    def add(self, records: Batch) -> None:
        """Append ``records``, in batches of ``BATCH_RECORDS``."""
        fact_list, entity_list = _adapters()
        facts, entities = records
        for start in range(0, max(len(facts), len(entities)), BATCH_RECORDS):
            end = start + BATCH_RECORDS
            fact_json = fact_list.dump_json(facts[start:end])
            entity_json = entity_list.dump_json(entities[start:end])
            batch = (fact_json, entity_json)
            pickle.dump(batch, self.file, protocol=pickle.HIGHEST_PROTOCOL)

    def batches(self) -> Iterator[Batch]:
        fact_list, entity_list = _adapters()
        self.file.flush()
        self.file.seek(0)
        while True:
            try:
                facts, entities = pickle.load(self.file)
            except EOFError:
                return
            yield Batch(fact_list.validate_json(facts), entity_list.validate_json(entities))

    def discard(self) -> None:
        """Close the file and remove its name, if it has one."""
        self.file.close()
        if self.path is not None:
            os.unlink(self.path)

    def __reduce__(self) -> tuple[Any, ...]:
        if self.path is None:  # no name to hand over: the records themselves go
            return (_respool, (list(self.batches()),))
        self.file.flush()
        return (_adopt, (self.path,))


def _adopt(path: str) -> Spool:
    """The spool a worker process wrote, taken over: its name is removed at once, so the file
    goes when it is closed."""
    spool = Spool.__new__(Spool)
    spool.path = None
    spool.file = open(path, "rb")  # noqa: SIM115  (closed with the spool)
    os.unlink(path)
    return spool


def _respool(batches: list[Batch]) -> Spool:
    spool = Spool()
    for batch in batches:
        spool.add(batch)
    return spool


class DocumentResult:
    """A processed document and its records.

    Writers read the records a batch at a time (``batches``); ``facts`` and ``entities`` give
    them all at once (for a long document, every batch read back into memory).
    """

    __slots__ = ("_entities", "_facts", "_spool", "document")

    def __init__(
        self,
        document: Document,
        facts: Sequence[Fact] = (),
        entities: Sequence[Entity] = (),
        *,
        spool: Spool | None = None,
    ) -> None:
        self.document = document
        self._facts = list(facts)
        self._entities = list(entities)
        self._spool = spool

    def batches(self) -> Iterator[Batch]:
        """The records in order: one batch for a short document, a run of batches (read back
        from the spool as they are asked for) for a long one."""
        if self._spool is None:
            yield Batch(self._facts, self._entities)
        else:
            yield from self._spool.batches()

    @property
    def spooled(self) -> bool:
        """Whether the records wait in a spool (a long document), not in memory."""
        return self._spool is not None

    @property
    def facts(self) -> list[Fact]:
        if self._spool is None:
            return self._facts
        return [fact for batch in self.batches() for fact in batch.facts]

    @property
    def entities(self) -> list[Entity]:
        if self._spool is None:
            return self._entities
        return [entity for batch in self.batches() for entity in batch.entities]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DocumentResult):
            return NotImplemented
        return (self.document, self.facts, self.entities) == (
            other.document,
            other.facts,
            other.entities,
        )

    # Compared by value, like the records it holds: not hashable.
    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"DocumentResult(document={self.document!r}, spooled={self._spool is not None})"
