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
from collections import Counter, deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc

from kzaz_facts.decode import decode_bytes
from kzaz_facts.errors import InputError, KzazError
from kzaz_facts.extract import Extractor
from kzaz_facts.header_patterns import HeaderPatterns
from kzaz_facts.input_files import DEFAULT_MAX_BYTES, display_path, iter_input_paths
from kzaz_facts.load import load_document, parse_document
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
        self, tasks: Sequence[Task], *, jobs: int = 1
    ) -> Iterator[DocumentResult | ErrorRecord]:
        workers = worker_count(jobs, len(tasks))
        if workers <= 1:
            return _with_warnings(map(self.handle, tasks))
        return _with_warnings(_run_parallel(self, tasks, workers))


@dataclass(frozen=True, slots=True)
class Task:
    """One unit of work: a file (with its ``doc_id``), standard input's bytes, or a path's
    error found while planning."""

    source: Path | bytes | ErrorRecord
    doc_id: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES


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
            tasks.append(Task(raw, max_bytes=max_bytes))
    named = [path for path in paths if path != STDIN]
    entries = list(iter_input_paths(named, follow_links=follow_links))
    files = [entry for entry in entries if isinstance(entry, Path)]
    doc_ids = dict(zip(files, doc_ids_of(files), strict=True))
    for entry in entries:
        if isinstance(entry, InputError):
            tasks.append(Task(_error(entry)))
        else:
            tasks.append(Task(entry, doc_ids[entry], max_bytes))
    return tasks


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
    # A forked worker inherits the parent's handlers; a worker asked to stop simply stops.
    for number in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if number is not None:
            signal.signal(number, signal.SIG_DFL)
    # It was started with the stop signals held (``_signals_held``); one sent meanwhile (the
    # parent stopping the pool) arrives now and stops it.
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
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


# The signals that stop a run (SIGINT, SIGTERM, SIGHUP).
STOP_SIGNALS = frozenset(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold the stop signals back while the pool forks workers and starts its threads; one
    sent meanwhile arrives as this ends, with the pool whole.

    Handled in the middle, a signal's exception could be lost (raised in an at-fork hook,
    which Python only reports) or leave a pool that cannot be shut down (a manager thread
    created but not started, a worker forked but not recorded, so never stopped). The threads
    the pool starts here keep the signals blocked, so they always reach the main thread; the
    workers unblock them in ``_start_worker``.
    """
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


# Tasks handed to the pool ahead of the one being waited for, per worker: enough to keep every
# worker busy, few enough that a dead worker leaves only a handful of suspects to run again.
TASKS_AHEAD_PER_WORKER = 4
# A run whose workers die more often than this stops: something kills every worker.
MAX_WORKER_DEATHS = 16


class _Pool:
    """Worker processes that outlive the death of one of them.

    When a worker dies (out of memory, killed), every task in flight is lost with the pool.
    Each of those is run again alone in a fresh one-worker pool: the task that kills that
    worker too becomes a ``"worker_died"`` error, the others their results, and the run goes
    on in a new pool.
    """

    def __init__(self, engine: Engine, workers: int) -> None:
        methods = multiprocessing.get_all_start_methods()
        self.context = multiprocessing.get_context("fork" if "fork" in methods else None)
        self.initargs = (
            engine.data_dir,
            engine.gazetteer,
            engine.chunk_chars,
            engine.debug,
            engine.doc_timeout,
        )
        self.workers = workers
        self.deaths = 0
        self.executor = self._executor(workers)

    def _executor(self, workers: int) -> ProcessPoolExecutor:
        with _signals_held():
            return ProcessPoolExecutor(
                workers, mp_context=self.context, initializer=_start_worker, initargs=self.initargs
            )

    def _submit(
        self, executor: ProcessPoolExecutor, task: Task
    ) -> Future[DocumentResult | ErrorRecord]:
        with _signals_held():  # the first submit forks the workers and starts the threads
            return executor.submit(_work, task)

    def results(self, tasks: Sequence[Task]) -> Iterator[DocumentResult | ErrorRecord]:
        ahead = TASKS_AHEAD_PER_WORKER * self.workers
        queue = iter(tasks)
        pending: deque[tuple[Task, Future[DocumentResult | ErrorRecord]]] = deque()
        while True:
            while len(pending) < ahead and (task := next(queue, None)) is not None:
                pending.append((task, self._submit(self.executor, task)))
            if not pending:
                return
            task, future = pending.popleft()
            try:
                result = future.result()
            except BrokenProcessPool:
                lost = [(task, future), *pending]
                pending.clear()
                yield from self._recover(lost)
                continue
            yield result

    def _recover(
        self, lost: list[tuple[Task, Future[DocumentResult | ErrorRecord]]]
    ) -> Iterator[DocumentResult | ErrorRecord]:
        self.close(finished=False)
        for task, future in lost:
            if future.done() and future.exception() is None:
                yield future.result()  # finished before the pool broke
            else:
                yield self._alone(task)
        self.executor = self._executor(self.workers)

    def _alone(self, task: Task) -> DocumentResult | ErrorRecord:
        executor = self._executor(1)
        try:
            return self._submit(executor, task).result()
        except BrokenProcessPool:
            self.deaths += 1
            if self.deaths > MAX_WORKER_DEATHS:
                raise KzazError(
                    "worker processes keep stopping unexpectedly (out of memory?); try --jobs 1"
                ) from None
            path = display_path(task.source) if isinstance(task.source, Path) else STDIN
            message = "the worker process reading it stopped unexpectedly (out of memory?)"
            return ErrorRecord(path=path, kind="worker_died", message=message)
        finally:
            executor.shutdown(wait=True)

    def close(self, *, finished: bool) -> None:
        """Stop the workers: at once if work is left (a reader gone, a signal), so that none
        goes on holding the output pipe; then wait for the pool's own threads, in order."""
        if not finished:
            # None once the pool is broken: its workers are then stopped already.
            for process in list((self.executor._processes or {}).values()):
                process.terminate()
        self.executor.shutdown(wait=True, cancel_futures=True)


def _run_parallel(
    engine: Engine, tasks: Sequence[Task], workers: int
) -> Iterator[DocumentResult | ErrorRecord]:
    global _worker_engine
    pool = _Pool(engine, workers)
    if pool.context.get_start_method() == "fork":
        _worker_engine = engine  # forked workers share the built pipeline, copy-on-write
    finished = False
    try:
        yield from pool.results(tasks)
        finished = True
    finally:
        pool.close(finished=finished)
        _worker_engine = None


def _with_warnings(
    results: Iterator[DocumentResult | ErrorRecord],
) -> Iterator[DocumentResult | ErrorRecord]:
    """Each document's warnings (``Document.warnings``), as error records just before it.
    Closing it closes the run behind it at once (its worker pool), not when collected."""
    try:
        for result in results:
            if isinstance(result, DocumentResult):
                for kind, message in result.document.warnings:
                    yield ErrorRecord(path=result.document.path, kind=kind, message=message)
            yield result
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()


def _error(error: InputError) -> ErrorRecord:
    return ErrorRecord(path=error.path, kind=error.kind, message=error.message)
