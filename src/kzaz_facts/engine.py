"""Run the whole chain over documents: load -> nlp -> extract -> records.

The pipeline and the extractor are built once per ``Engine``; documents are processed one
at a time in a stream, so memory stays flat however large the corpus is.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc

from kzaz_facts.errors import InputError
from kzaz_facts.extract import Extractor
from kzaz_facts.load import decode_bytes, iter_input_paths, load_document, parse_document
from kzaz_facts.pipeline import build_nlp
from kzaz_facts.records import Document, Entity, ErrorRecord, Fact, Report
from kzaz_facts.resources import resolve_data_dir

STDIN = "-"
# Past this many characters a body is processed in chunks cut at paragraph (or line, or
# sentence) boundaries, so that no text is rejected by spaCy's max_length or truncated.
CHUNK_CHARS = 500_000


def chunk_bounds(text: str, limit: int) -> list[tuple[int, int]]:
    r"""Half-open chunks of ``text`` no longer than ``limit``, cut after a boundary.

    >>> chunk_bounds("one.\n\ntwo.\n\nthree.", 12)
    [(0, 12), (12, 18)]
    """
    bounds: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = -1
        for boundary in ("\n\n", "\n", ". ", " "):
            cut = window.rfind(boundary)
            if cut > 0:
                cut += len(boundary)
                break
        if cut <= 0:
            cut = limit
        bounds.append((start, start + cut))
        start += cut
    bounds.append((start, len(text)))
    return bounds


@dataclass(frozen=True, slots=True)
class DocumentResult:
    document: Document
    facts: list[Fact]
    entities: list[Entity]


class Engine:
    """The spaCy pipeline and the extractor, built once and reused for every document."""

    def __init__(
        self,
        data_dir: Path | str | None = None,
        *,
        gazetteer: bool = True,
        chunk_chars: int = CHUNK_CHARS,
    ) -> None:
        directory = resolve_data_dir(data_dir)
        self.nlp = build_nlp(directory, gazetteer=gazetteer)
        self.chunk_chars = chunk_chars
        self.nlp.max_length = max(self.nlp.max_length, 2 * chunk_chars)
        self.extractor = Extractor(directory)

    def process(self, document: Document) -> DocumentResult:
        """One document; a body longer than ``chunk_chars`` goes through in paragraph chunks."""
        facts: list[Fact] = []
        entities: list[Entity] = []
        for start, end in chunk_bounds(document.body, self.chunk_chars):
            part = document.model_copy(
                update={
                    "body_start": document.body_start + start,
                    "body_end": document.body_start + end,
                }
            )
            part_facts, part_entities = self.extractor.extract(part, self.parse(part.body))
            facts.extend(part_facts)
            entities.extend(part_entities)
        return DocumentResult(document, facts, entities)

    def parse(self, text: str) -> Doc:
        """Run the pipeline over ``text``, handing the text itself on to the components."""
        doc = self.nlp.make_doc(text)
        doc._.kzaz_text = text
        return self.nlp(doc)

    def run(
        self, paths: Sequence[str], stdin: bytes | None = None
    ) -> Iterator[DocumentResult | ErrorRecord]:
        """Every input path as a result or an error, in a deterministic order."""
        for item in iter_documents(paths, stdin):
            if isinstance(item, ErrorRecord):
                yield item
            else:
                yield self.process(item)


def iter_documents(
    paths: Sequence[str], stdin: bytes | None = None
) -> Iterator[Document | ErrorRecord]:
    files = [path for path in paths if path != STDIN]
    if STDIN in paths:
        yield read_stdin(stdin or b"")
    for entry in iter_input_paths(files):
        if isinstance(entry, InputError):
            yield _error(entry)
            continue
        try:
            yield load_document(entry)
        except InputError as error:
            yield _error(error)


def read_stdin(raw: bytes) -> Document | ErrorRecord:
    try:
        text, encoding = decode_bytes(raw, STDIN)
    except InputError as error:
        return _error(error)
    return parse_document(text, doc_id="stdin", path=STDIN, encoding=encoding)


def _error(error: InputError) -> ErrorRecord:
    return ErrorRecord(path=error.path, kind=error.kind, message=error.message)


def keep_fact(fact: Fact, types: set[str] | None, parties: set[str] | None) -> bool:
    """``--type`` keeps the listed fact types; ``--parties A,B`` keeps exactly that pair."""
    if types and fact.type not in types:
        return False
    return not parties or set(fact.parties) == parties


def build_report(
    results: Iterable[DocumentResult | ErrorRecord],
    *,
    types: set[str] | None = None,
    parties: set[str] | None = None,
) -> Report:
    documents: list[Document] = []
    facts: list[Fact] = []
    entities: list[Entity] = []
    errors: list[ErrorRecord] = []
    for result in results:
        if isinstance(result, ErrorRecord):
            errors.append(result)
            continue
        documents.append(result.document)
        facts.extend(fact for fact in result.facts if keep_fact(fact, types, parties))
        entities.extend(result.entities)
    return Report(documents=documents, facts=facts, entities=entities, errors=errors)
