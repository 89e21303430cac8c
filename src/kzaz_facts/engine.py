"""Run the whole chain over documents: load -> nlp -> extract -> records.

The pipeline and the extractor are built once per ``Engine`` (once per process); documents
are read, processed and handed on one at a time, so memory stays flat however large the
corpus is. With ``jobs`` > 1 the documents are spread over worker processes and come back
in input order.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc

from kzaz_facts.errors import InputError, KzazError
from kzaz_facts.extract import Extractor
from kzaz_facts.load import decode_bytes, iter_input_paths, load_document, parse_document
from kzaz_facts.pipeline import build_nlp
from kzaz_facts.records import Document, Entity, ErrorRecord, Fact
from kzaz_facts.report import build_report as build_report  # re-exported for older callers
from kzaz_facts.report import keep_fact as keep_fact
from kzaz_facts.resources import resolve_data_dir
from kzaz_facts.tables import Tables

STDIN = "-"
# The default time budget of one document: a base plus so much per MB of its text; past it
# the document becomes a ``timeout`` error record and the run goes on. A 1 MB article takes
# about a minute on a busy two-core machine: the default is three times that.
TIMEOUT_BASE_SECONDS = 60.0
TIMEOUT_SECONDS_PER_MB = 180.0


def time_budget(doc_timeout: float | None, characters: int) -> float | None:
    """Seconds one document may take: ``doc_timeout`` when given (0: no limit), else the
    default for its size.

    >>> time_budget(None, 2_000_000), time_budget(5, 2_000_000), time_budget(0, 10)
    (420.0, 5, None)
    """
    if doc_timeout is not None:
        return doc_timeout or None
    return TIMEOUT_BASE_SECONDS + TIMEOUT_SECONDS_PER_MB * characters / 1_000_000


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
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


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

    def handle(self, task: Task) -> DocumentResult | ErrorRecord:
        """Load and process one task; a file that cannot be read becomes an ``ErrorRecord``."""
        if isinstance(task.source, ErrorRecord):
            return task.source
        try:
            if isinstance(task.source, bytes):
                document = read_stdin(task.source)
            else:
                document = load_document(task.source, task.doc_id)
        except InputError as error:
            return _error(error)
        budget = time_budget(self.doc_timeout, len(document.body))
        try:
            with time_limit(budget):
                return self.process(document)
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
        self, paths: Sequence[str], stdin: bytes | None = None, *, jobs: int = 1
    ) -> Iterator[DocumentResult | ErrorRecord]:
        """Every input path as a result or an error, in a deterministic order.

        ``jobs`` > 1 spreads the documents over that many worker processes; the results come
        back in input order, so the output does not depend on it.
        """
        return self.run_tasks(plan(paths, stdin), jobs=jobs)

    def run_tasks(
        self, tasks: Sequence[Task], *, jobs: int = 1
    ) -> Iterator[DocumentResult | ErrorRecord]:
        workers = worker_count(jobs, len(tasks))
        if workers <= 1:
            return map(self.handle, tasks)
        return _run_parallel(self, tasks, workers)


@dataclass(frozen=True, slots=True)
class Task:
    """One unit of work: a file (with its ``doc_id``), standard input's bytes, or a path's
    error found while planning."""

    source: Path | bytes | ErrorRecord
    doc_id: str | None = None


def plan(paths: Sequence[str], stdin: bytes | None = None) -> list[Task]:
    """The tasks for the command-line ``paths``, in output order.

    A document's ``doc_id`` is its file stem; files that share a stem ("a/report.txt",
    "b/report.txt") are told apart by their path without the extension.
    """
    tasks: list[Task] = []
    if STDIN in paths:
        tasks.append(Task(stdin or b""))
    entries = list(iter_input_paths([path for path in paths if path != STDIN]))
    stems = Counter(entry.stem for entry in entries if isinstance(entry, Path))
    for entry in entries:
        if isinstance(entry, InputError):
            tasks.append(Task(_error(entry)))
            continue
        doc_id = entry.stem if stems[entry.stem] == 1 else entry.with_suffix("").as_posix()
        tasks.append(Task(entry, doc_id))
    return tasks


def read_stdin(raw: bytes) -> Document:
    """Standard input as a document (``doc_id`` "stdin"); raises ``InputError`` like a file."""
    text, encoding = decode_bytes(raw, STDIN)
    return parse_document(
        text,
        doc_id="stdin",
        path=STDIN,
        encoding=encoding,
        content_hash=hashlib.sha256(raw).hexdigest(),
    )


# Below this many documents per worker, starting workers costs more than it saves.
MIN_TASKS_PER_WORKER = 8


def worker_count(jobs: int, tasks: int) -> int:
    """How many worker processes ``--jobs`` asks for, given the number of tasks.

    >>> worker_count(2, 1000), worker_count(2, 5), worker_count(0, 1000) >= 1
    (2, 1, True)
    """
    wanted = jobs if jobs > 0 else default_jobs()
    return max(1, min(wanted, tasks // MIN_TASKS_PER_WORKER))


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# The engine of a worker process: inherited from the parent when workers are forked, else
# built by ``_start_worker``.
_worker_engine: Engine | None = None


def _start_worker(
    data_dir: Path, gazetteer: bool, chunk_chars: int, debug: bool, doc_timeout: float | None
) -> None:
    global _worker_engine
    # Ctrl-C is the parent's to handle: it stops the pool, and no worker prints a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if _worker_engine is None:
        _worker_engine = Engine(
            data_dir,
            gazetteer=gazetteer,
            chunk_chars=chunk_chars,
            debug=debug,
            doc_timeout=doc_timeout,
        )


def _work(task: Task) -> DocumentResult | ErrorRecord:
    assert _worker_engine is not None
    return _worker_engine.handle(task)


def _run_parallel(
    engine: Engine, tasks: Sequence[Task], workers: int
) -> Iterator[DocumentResult | ErrorRecord]:
    global _worker_engine
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    if context.get_start_method() == "fork":
        _worker_engine = engine  # forked workers share the built pipeline, copy-on-write
    chunk = max(1, min(16, len(tasks) // (workers * 8)))
    pool = ProcessPoolExecutor(
        workers,
        mp_context=context,
        initializer=_start_worker,
        initargs=(
            engine.data_dir,
            engine.gazetteer,
            engine.chunk_chars,
            engine.debug,
            engine.doc_timeout,
        ),
    )
    try:
        yield from pool.map(_work, tasks, chunksize=chunk)
    except BrokenProcessPool as error:
        raise KzazError(
            "a worker process stopped unexpectedly (out of memory?); try --jobs 1"
        ) from error
    finally:
        # A reader that stops early (a closed pipe) leaves work undone: drop it, do not wait.
        pool.shutdown(wait=False, cancel_futures=True)
        _worker_engine = None


def _error(error: InputError) -> ErrorRecord:
    return ErrorRecord(path=error.path, kind=error.kind, message=error.message)
