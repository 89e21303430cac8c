"""Run the whole chain over documents: load -> nlp -> extract -> records.

The pipeline and the extractor are built once per ``Engine`` (once per process); documents
are read, processed and handed on one at a time, so memory stays flat however large the
corpus is. With ``jobs`` > 1 the documents are spread over worker processes (``workers``)
and come back in input order.
"""

from __future__ import annotations

import hashlib
import signal
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from spacy.tokens import Doc

from kzaz_facts.decode import decode_bytes
from kzaz_facts.errors import InputError
from kzaz_facts.extract import Extractor
from kzaz_facts.header_patterns import HeaderPatterns
from kzaz_facts.input_files import DEFAULT_MAX_BYTES, display_path, iter_input_paths
from kzaz_facts.load import load_document, parse_document
from kzaz_facts.meter import DocumentShare
from kzaz_facts.pipeline import build_nlp
from kzaz_facts.records import Document, ErrorRecord
from kzaz_facts.report import build_report as build_report  # re-exported for older callers
from kzaz_facts.report import keep_fact as keep_fact
from kzaz_facts.resources import resolve_data_dir
from kzaz_facts.results import Batch, Spool
from kzaz_facts.results import DocumentResult as DocumentResult  # what Engine.run yields
from kzaz_facts.tables import Tables

if TYPE_CHECKING:
    from kzaz_facts.meter import ByteMeter

STDIN = "-"
# The default time budget of one document: a base plus so much per MB of its text; past it
# the document becomes a ``timeout`` error record and the run goes on. A 1 MB article takes
# about a minute on a busy two-core machine: the default is three times that.
TIMEOUT_BASE_SECONDS = 60.0
TIMEOUT_SECONDS_PER_MB = 180.0

T = TypeVar("T")  # what a document's result is handed on as (``Engine.run_encoded``)


def time_budget(doc_timeout: float | None, characters: int) -> float | None:
    """Seconds one document may take: ``doc_timeout`` when given (0: no limit), else the
    default for its size.

    >>> time_budget(None, 2_000_000), time_budget(5, 2_000_000), time_budget(0, 10)
    (420.0, 5, None)
    """
    if doc_timeout is not None:
        return doc_timeout or None
    return TIMEOUT_BASE_SECONDS + TIMEOUT_SECONDS_PER_MB * characters / 1_000_000


TIMEOUT_REPEAT_SECONDS = 0.1  # after the budget, the alarm again until it is taken


class DocumentTimeout(BaseException):
    """Raised in the middle of a document whose time budget ran out (a ``BaseException``, so
    that no ``except Exception`` on the way swallows it)."""


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise ``DocumentTimeout`` in this process once ``seconds`` have passed (a real-time
    timer and SIGALRM; only in the main thread, where signals are delivered)."""
    if (
        seconds is None
        or not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise DocumentTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    # The timer repeats: an exception raised where Python only reports it (a garbage
    # collector callback, a __del__) is lost, and the next tick raises it again.
    signal.setitimer(signal.ITIMER_REAL, seconds, TIMEOUT_REPEAT_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# Past this many characters a body is processed in chunks cut at paragraph (or line, or
# sentence) boundaries, so that no text is rejected by spaCy's max_length or truncated.
CHUNK_CHARS = 500_000


def chunk_bounds(
    text: str, limit: int, start: int = 0, end: int | None = None
) -> list[tuple[int, int]]:
    r"""Half-open chunks of ``text[start:end]`` no longer than ``limit``, cut after a boundary;
    offsets into ``text`` (no copy of the span is made).

    >>> chunk_bounds("one.\n\ntwo.\n\nthree.", 12)
    [(0, 12), (12, 18)]
    >>> chunk_bounds("head\n\none.\n\ntwo.\n\nthree.", 12, start=6)
    [(6, 18), (18, 24)]
    """
    end = len(text) if end is None else end
    bounds: list[tuple[int, int]] = []
    while end - start > limit:
        cut = -1
        for boundary in ("\n\n", "\n", ". ", " "):
            cut = text.rfind(boundary, start, start + limit) - start
            if cut > 0:
                cut += len(boundary)
                break
        if cut <= 0:
            cut = limit
        bounds.append((start, start + cut))
        start += cut
    bounds.append((start, end))
    return bounds


class Engine:
    """The spaCy pipeline and the extractor, built once and reused for every document."""

    def __init__(
        self,
        data_dir: Path | str | None = None,
        *,
        gazetteer: bool = True,
        chunk_chars: int = CHUNK_CHARS,
        debug: bool = False,
        doc_timeout: float | None = None,
    ) -> None:
        directory = resolve_data_dir(data_dir)
        self.data_dir = directory
        self.doc_timeout = doc_timeout
        self.gazetteer = gazetteer
        self.debug = debug
        self.tables = Tables(directory)
        self.nlp = build_nlp(directory, gazetteer=gazetteer, tables=self.tables)
        self.chunk_chars = chunk_chars
        self.nlp.max_length = max(self.nlp.max_length, 2 * chunk_chars)
        self.extractor = Extractor(self.tables)

    def process(
        self,
        document: Document,
        *,
        spool_dir: str | None = None,
        on_chunk: Callable[[int, int], None] | None = None,
    ) -> DocumentResult:
        """One document; a body longer than ``chunk_chars`` goes through in paragraph chunks,
        whose records are spooled to a temporary file (in ``spool_dir``, else one without a
        name) as each chunk is done, so memory holds one chunk's records at a time.

        ``on_chunk(done, characters)``: told after each chunk how many of the body's
        characters are processed.
        """
        start, end = document.body_start, document.body_end
        bounds = chunk_bounds(document.text, self.chunk_chars, start, end)
        if len(bounds) == 1:
            facts, entities = self._chunk(document, start, end)
            if on_chunk is not None:
                on_chunk(end - start, end - start)
            return DocumentResult(document, facts, entities)
        spool = Spool(spool_dir)
        try:
            for index, (part_start, part_end) in enumerate(bounds):
                # Every new word, number and name a chunk adds to the vocabulary would stay
                # there for good: past the first chunk (which warms the tokenizer's cache),
                # they are dropped with the chunk, so the vocabulary does not grow with the
                # document (a chunk's records are plain strings, made inside the zone).
                with self.nlp.memory_zone() if index else nullcontext():
                    spool.add(self._chunk(document, part_start, part_end))
                if on_chunk is not None:
                    on_chunk(part_end - start, end - start)
        except BaseException:
            spool.discard()  # a document that fails half way leaves nothing behind
            raise
        return DocumentResult(document, spool=spool)

    def _chunk(self, document: Document, start: int, end: int) -> Batch:
        """The records of ``document.text[start:end]``, a chunk of its body."""
        part = document.model_copy(update={"body_start": start, "body_end": end})
        facts, entities = self.extractor.extract(part, self.parse(part.body))
        return Batch(facts, entities)

    def parse(self, text: str) -> Doc:
        """Run the pipeline over ``text``, handing the text itself on to the components."""
        doc = self.nlp.make_doc(text)
        doc._.kzaz_text = text
        return self.nlp(doc)

    def handle(
        self, task: Task, *, spool_dir: str | None = None, meter: ByteMeter | None = None
    ) -> DocumentResult | ErrorRecord:
        """Load and process one task; a file that cannot be read becomes an ``ErrorRecord``.

        ``meter`` counts the task's bytes as its chunks are done; ``spool_dir``: see
        ``process``.
        """
        share = DocumentShare(meter, task.size)
        try:
            return self._handle(task, spool_dir, share)
        finally:
            share.finish()

    def _handle(
        self, task: Task, spool_dir: str | None, share: DocumentShare
    ) -> DocumentResult | ErrorRecord:
        if isinstance(task.source, ErrorRecord):
            return task.source
        try:
            if isinstance(task.source, bytes):
                document = read_stdin(task.source, self.tables.header)
            else:
                document = load_document(
                    task.source,
                    task.doc_id,
                    max_bytes=task.max_bytes,
                    patterns=self.tables.header,
                )
        except InputError as error:
            return _error(error)
        budget = time_budget(self.doc_timeout, document.body_end - document.body_start)
        try:
            with time_limit(budget):
                return self.process(document, spool_dir=spool_dir, on_chunk=share.advance)
        except DocumentTimeout:
            message = f"took longer than its {budget:g} s budget (--doc-timeout); left out"
            return ErrorRecord(path=document.path, kind="timeout", message=message)
        except Exception as error:
            # A fault of ours on one document must not cost the rest of the corpus.
            if self.debug:
                raise
            message = (
                f"could not be processed ({type(error).__name__}: {error}); --debug shows where"
            )
            return ErrorRecord(path=document.path, kind="internal", message=message)

    def run(
        self,
        paths: Sequence[str],
        stdin: bytes | None = None,
        *,
        jobs: int = 1,
        max_bytes: int = DEFAULT_MAX_BYTES,
        follow_links: bool = False,
    ) -> Iterator[DocumentResult | ErrorRecord]:
        """Every input path as a result or an error, in a deterministic order.

        ``jobs`` > 1 spreads the documents over that many worker processes; the results come
        back in input order, so the output does not depend on it.
        """
        tasks = plan(paths, stdin, max_bytes=max_bytes, follow_links=follow_links)
        return self.run_tasks(tasks, jobs=jobs)

    def run_tasks(
        self, tasks: Sequence[Task], *, jobs: int = 1, meter: ByteMeter | None = None
    ) -> Iterator[DocumentResult | ErrorRecord]:
        """The results of ``tasks`` in their order (see ``run``); ``meter`` counts their bytes
        as they are processed, chunk by chunk."""
        return self.run_encoded(tasks, _as_is, jobs=jobs, meter=meter)

    def run_encoded(
        self,
        tasks: Sequence[Task],
        encode: Callable[[DocumentResult], T],
        *,
        jobs: int = 1,
        meter: ByteMeter | None = None,
    ) -> Iterator[T | ErrorRecord]:
        """``run_tasks``, each document's result handed on as ``encode`` makes it (a writer's
        text, ``output.encoded``) in the process that made it: a worker's with ``jobs`` > 1."""
        from kzaz_facts.worker_count import worker_count

        workers = worker_count(jobs, len(tasks))
        if workers <= 1:
            return self._run_here(tasks, meter, encode)
        from kzaz_facts.workers import run_parallel

        return run_parallel(self, tasks, workers, encode, meter)

    def _run_here(
        self, tasks: Sequence[Task], meter: ByteMeter | None, encode: Callable[[DocumentResult], T]
    ) -> Iterator[T | ErrorRecord]:
        for task in tasks:
            yield from handed_on(self.handle(task, meter=meter), encode)


@dataclass(frozen=True, slots=True)
class Task:
    """One unit of work: a file (with its ``doc_id``), standard input's bytes, or a path's
    error found while planning."""

    source: Path | bytes | ErrorRecord
    doc_id: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    size: int = 0
    """Bytes to read, as planned (for the progress bar); 0 for an error."""


def plan(
    paths: Sequence[str],
    stdin: bytes | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    follow_links: bool = False,
) -> list[Task]:
    """The tasks for the command-line ``paths``, in output order.

    ``stdin`` holds at most ``max_bytes`` + 1 bytes of standard input; more than
    ``max_bytes`` is reported as ``"too_large"``, like a file.
    """
    tasks: list[Task] = []
    if STDIN in paths:
        raw = stdin or b""
        if len(raw) > max_bytes:
            message = f"over the --max-bytes limit of {max_bytes}; not read"
            tasks.append(Task(ErrorRecord(path=STDIN, kind="too_large", message=message)))
        else:
            tasks.append(Task(raw, max_bytes=max_bytes, size=len(raw)))
    named = [path for path in paths if path != STDIN]
    entries = list(iter_input_paths(named, follow_links=follow_links))
    files = [entry for entry in entries if isinstance(entry, Path)]
    doc_ids = dict(zip(files, doc_ids_of(files), strict=True))
    for entry in entries:
        if isinstance(entry, InputError):
            tasks.append(Task(_error(entry)))
        else:
            tasks.append(Task(entry, doc_ids[entry], max_bytes, _size(entry)))
    return tasks


def _size(path: Path) -> int:
    """The size of a file, or 0 when it cannot be told (it is then reported when read)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def doc_ids_of(files: Sequence[Path]) -> list[str]:
    """One distinct ``doc_id`` per file: its stem; for files that share a stem, the path
    without the extension ("a/report", "b/report"); for files that share that too
    ("x.txt" and "x.TXT", "m/x.txt" and "m/x.md"), the whole path.

    >>> doc_ids_of([Path("a/report.txt"), Path("b/report.txt"), Path("x.txt"), Path("x.TXT")])
    ['a/report', 'b/report', 'x.txt', 'x.TXT']
    """
    stems = Counter(file.stem for file in files)
    bare = [
        file.stem if stems[file.stem] == 1 else file.with_suffix("").as_posix() for file in files
    ]
    counts = Counter(bare)
    return [
        display_path(name if counts[name] == 1 else file.as_posix())
        for name, file in zip(bare, files, strict=True)
    ]


def read_stdin(raw: bytes, patterns: HeaderPatterns | None = None) -> Document:
    """Standard input as a document (``doc_id`` "stdin"); raises ``InputError`` like a file.
    ``patterns``: the header regexes of the data directory (the packaged data's if None)."""
    text, encoding = decode_bytes(raw, STDIN)
    return parse_document(
        text,
        doc_id="stdin",
        path=STDIN,
        encoding=encoding,
        content_hash=hashlib.sha256(raw).hexdigest(),
        patterns=patterns,
    )


def handed_on(
    result: DocumentResult | ErrorRecord, encode: Callable[[DocumentResult], T]
) -> list[T | ErrorRecord]:
    """What a task's result is handed on as: a document's warnings (``Document.warnings``)
    as error records, then the document, encoded."""
    if isinstance(result, ErrorRecord):
        return [result]
    path = result.document.path
    warnings: list[T | ErrorRecord] = [
        ErrorRecord(path=path, kind=kind, message=message)
        for kind, message in result.document.warnings
    ]
    return [*warnings, encode(result)]


def _as_is(result: DocumentResult) -> DocumentResult:
    return result


def _error(error: InputError) -> ErrorRecord:
    return ErrorRecord(path=error.path, kind=error.kind, message=error.message)
