"""A document's records already as the text a writer writes, made where it was processed.

With ``--jobs N`` the documents are processed in worker processes and written by the parent,
one after another: whatever the parent does per document is done by one core for the whole
run. So a writer is split in two. Its ``Encoder`` turns a document's records into text (the
costly part: every record serialised, the ``--type`` filter applied), and runs in the worker,
where the document was processed; the parent only copies that text to the output, in input
order. What crosses from a worker to the parent is then a few strings per document, not the
records themselves to be pickled, unpickled and serialised again.

The same encoder runs in-process with ``--jobs 1``, and for results given to a writer as they
are (``encoded``), so the bytes written never depend on where the text was made.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, NamedTuple

from pydantic import BaseModel

if TYPE_CHECKING:
    from kzaz_facts.records import Document
    from kzaz_facts.results import Batch, DocumentResult


class Piece(NamedTuple):
    """Records of one part of the output (facts, entities...), as written and joined; and how
    many records they are."""

    text: str
    records: int


EMPTY = Piece("", 0)

# One ``Piece`` for each part of a writer's output, in the writer's order.
Pieces = tuple[Piece, ...]


class Encoder(ABC):
    """How one writer writes a document's records. Pickled into worker processes (when they
    are not forked), so it holds plain settings only: the fact filter, a format's name."""

    @abstractmethod
    def encode(self, document: Document, batches: Iterable[Batch]) -> Iterator[Pieces]:
        """The document's parts, in order: a run of ``Pieces``, each as long as the writer
        has parts (its batches' records, the document itself where it is written)."""

    @property
    def kind(self) -> str:
        """What its text is: a writer copies only text of its own kind."""
        return type(self).__name__

    def __call__(self, result: DocumentResult) -> Encoded:
        return Encoded(result, self)


class Encoded:
    """A processed document as one encoder writes it.

    A short document is encoded at once and keeps only its text. A long document's records
    wait in their spool (``results.Spool``) and are encoded a batch at a time as they are
    written, so that memory never holds a long document's text.
    """

    __slots__ = ("_encoder", "_pieces", "_result", "kind")

    def __init__(self, result: DocumentResult, encoder: Encoder) -> None:
        self.kind = encoder.kind
        self._pieces: list[Pieces] | None = None
        self._result: DocumentResult | None = None
        self._encoder: Encoder | None = None
        if result.spooled:
            self._result, self._encoder = result, encoder
        else:
            self._pieces = list(encoder.encode(result.document, result.batches()))

    def pieces(self) -> Iterator[Pieces]:
        """The document's ``Pieces``, in order (a long one's encoded as they are asked for)."""
        if self._pieces is not None:
            return iter(self._pieces)
        assert self._result is not None
        assert self._encoder is not None
        return self._encoder.encode(self._result.document, self._result.batches())

    def __getstate__(self) -> tuple[object, ...]:
        return (self.kind, self._pieces, self._result, self._encoder)

    def __setstate__(self, state: tuple[object, ...]) -> None:
        (self.kind, self._pieces, self._result, self._encoder) = state  # type: ignore[assignment]


def encoded(result: DocumentResult | Encoded, encoder: Encoder) -> Encoded:
    """``result`` as ``encoder`` writes it: encoded now, unless it was where it was processed
    (by the same kind of encoder: a writer never copies another format's text)."""
    if not isinstance(result, Encoded):
        return encoder(result)
    if result.kind != encoder.kind:
        raise TypeError(f"{result.kind} text handed to a writer of {encoder.kind}")
    return result


def json_items(records: Iterable[BaseModel]) -> Piece:
    """Records as items of a JSON array indented as ``Report.model_dump_json(indent=2)``
    writes one (each on its own lines, four spaces in), joined by commas.

    >>> from kzaz_facts.records import ErrorRecord
    >>> error = ErrorRecord(path="a", kind="empty", message="empty")
    >>> json_items([error, error]).text.splitlines()[:3], json_items([error]).records
    (['', '    {', '      "path": "a",'], 1)
    """
    texts = [_indented(record.model_dump_json(indent=2)) for record in records]
    return Piece(",".join(texts), len(texts))


def _indented(text: str) -> str:
    return "\n    " + text.replace("\n", "\n    ")
