"""The worker processes of ``--jobs N``: started once per run, outliving the death of one.

Documents are handed to ``N`` worker processes in bundles of a few (``bundles``) and their
results come back in input order, so the output does not depend on ``N``. A worker hands
each result on as the run asks (``engine.handed_on``): as a writer's text, made there, so the
parent has little more to do per document than copy it out. Workers are forked when the
platform allows, sharing the parent's built pipeline copy-on-write; a worker that dies (out
of memory, killed) costs only the document it was on. The stop signals are held while the pool forks
and starts its threads (``signals.signals_held``), so a run stopped at any moment stops whole.
"""

from __future__ import annotations

import signal
import tempfile
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, Generic, TypeVar

from kzaz_facts.engine import STDIN, DocumentResult, Engine, Task, handed_on
from kzaz_facts.errors import KzazError
from kzaz_facts.input_files import display_path
from kzaz_facts.meter import ByteMeter, process_context
from kzaz_facts.records import ErrorRecord
from kzaz_facts.signals import signals_held, unblock_stop_signals
from kzaz_facts.worker_count import MIN_TASKS_PER_WORKER, default_jobs, worker_count

__all__ = ["MIN_TASKS_PER_WORKER", "default_jobs", "run_parallel", "worker_count"]

# The engine of a worker process: inherited from the parent when workers are forked, else
# built by ``_start_worker``.
_worker_engine: Engine | None = None
# Where a worker spools the records of a long document, the parent's byte meter, and what
# a document's result is handed on as.
_worker_spool_dir: str | None = None
_worker_meter: ByteMeter | None = None
_worker_encode: Callable[[DocumentResult], Any] | None = None


def _start_worker(
    data_dir: Path,
    gazetteer: bool,
    chunk_chars: int,
    debug: bool,
    doc_timeout: float | None,
    spool_dir: str,
    meter: ByteMeter | None,
    encode: Callable[[DocumentResult], Any],
) -> None:
    global _worker_engine, _worker_spool_dir, _worker_meter, _worker_encode
    # Ctrl-C is the parent's to handle: it stops the pool, and no worker prints a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A forked worker inherits the parent's handlers; a worker asked to stop stops its work
    # (``_stop``), never in the middle of handing a result back.
    for number in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if number is not None:
            signal.signal(number, _stop)
    # It was started with the stop signals held (``signals_held``); one sent meanwhile (the
    # parent stopping the pool) arrives now and stops it.
    unblock_stop_signals()
    if _worker_engine is None:
        _worker_engine = Engine(
            data_dir,
            gazetteer=gazetteer,
            chunk_chars=chunk_chars,
            debug=debug,
            doc_timeout=doc_timeout,
        )
    _worker_spool_dir, _worker_meter, _worker_encode = spool_dir, meter, encode


class WorkerStopped(BaseException):
    """The parent stopped the pool while this worker was at work (a signal, a reader gone)."""


# Whether the worker is inside ``_work_bundle`` (stopping there loses nothing), and whether
# it was asked to stop while outside it.
_worker_at_work = False
_worker_stop_asked = False


def _stop(signum: int, frame: object) -> None:
    """A stop signal in a worker: its work ends at once, as an exception that goes back to
    the parent like any other; outside its work the worker only notes it and goes on.

    Outside its work a worker waits for the next bundle or hands a result back. Killed in
    the middle of that, it would leave half a message in the pipe the pool reads results
    from, and the pool's reading thread would wait for the rest for ever (and the parent
    with it, as it shuts the pool down). Let be, it sends its message whole, then takes the
    pool's order to end, or a bundle it gives up at once.
    """
    global _worker_stop_asked
    if _worker_at_work:
        raise WorkerStopped
    _worker_stop_asked = True


def _work(task: Task) -> DocumentResult | ErrorRecord:
    assert _worker_engine is not None
    return _worker_engine.handle(task, spool_dir=_worker_spool_dir, meter=_worker_meter)


def _work_bundle(bundle: Sequence[Task]) -> list[Any]:
    """What the tasks of ``bundle`` are handed on as, in order (``WorkerStopped`` when the
    worker was asked to stop)."""
    global _worker_at_work
    assert _worker_encode is not None
    try:
        _worker_at_work = True
        if _worker_stop_asked:
            raise WorkerStopped
        return [item for task in bundle for item in handed_on(_work(task), _worker_encode)]
    finally:
        _worker_at_work = False


# A bundle of tasks, sent to a worker at once, ends at this many tasks or bytes: few round
# trips between the processes per document, and no worker left long alone at the end.
BUNDLE_TASKS = 8
BUNDLE_BYTES = 64_000


def bundles(tasks: Sequence[Task]) -> Iterator[list[Task]]:
    """``tasks`` in consecutive bundles of at most ``BUNDLE_TASKS`` tasks; a bundle ends
    with the task that takes it to ``BUNDLE_BYTES``.

    >>> [len(bundle) for bundle in bundles([Task(b"", size=40_000)] * 3 + [Task(b"")] * 9)]
    [2, 8, 2]
    """
    bundle: list[Task] = []
    size = 0
    for task in tasks:
        bundle.append(task)
        size += task.size
        if len(bundle) == BUNDLE_TASKS or size >= BUNDLE_BYTES:
            yield bundle
            bundle, size = [], 0
    if bundle:
        yield bundle


# Bundles handed to the pool ahead of the one being waited for, per worker: enough to keep
# every worker busy, few enough that a dead worker leaves only a handful of suspects to run
# again.
BUNDLES_AHEAD_PER_WORKER = 2
# A run whose workers die more often than this stops: something kills every worker.
MAX_WORKER_DEATHS = 16


T = TypeVar("T")  # what a document's result is handed on as
Bundle = list[Task]


class _Pool(Generic[T]):
    """Worker processes that outlive the death of one of them.

    When a worker dies (out of memory, killed), every bundle in flight is lost with the pool.
    Each of their tasks is run again alone in a fresh one-worker pool: the task that kills
    that worker too becomes a ``"worker_died"`` error, the others their results, and the run
    goes on in a new pool.
    """

    def __init__(
        self,
        engine: Engine,
        workers: int,
        spool_dir: str,
        encode: Callable[[DocumentResult], T],
        meter: ByteMeter | None = None,
    ) -> None:
        self.context = process_context()
        self.initargs = (
            engine.data_dir,
            engine.gazetteer,
            engine.chunk_chars,
            engine.debug,
            engine.doc_timeout,
            spool_dir,
            meter,
            encode,
        )
        self.workers = workers
        self.deaths = 0
        self.executor = self._executor(workers)

    def _executor(self, workers: int) -> ProcessPoolExecutor:
        with signals_held():
            return ProcessPoolExecutor(
                workers, mp_context=self.context, initializer=_start_worker, initargs=self.initargs
            )

    def _submit(
        self, executor: ProcessPoolExecutor, bundle: Bundle
    ) -> Future[list[T | ErrorRecord]]:
        with signals_held():  # the first submit forks the workers and starts the threads
            try:
                return executor.submit(_work_bundle, bundle)
            except BrokenProcessPool as broken:
                # A worker died since the last result: the bundle is lost with those in
                # flight, and run again with them.
                lost: Future[list[T | ErrorRecord]] = Future()
                lost.set_exception(broken)
                return lost

    def results(self, tasks: Sequence[Task]) -> Iterator[T | ErrorRecord]:
        ahead = BUNDLES_AHEAD_PER_WORKER * self.workers
        queue = bundles(tasks)
        pending: deque[tuple[Bundle, Future[list[T | ErrorRecord]]]] = deque()
        while True:
            while len(pending) < ahead and (bundle := next(queue, None)) is not None:
                pending.append((bundle, self._submit(self.executor, bundle)))
            if not pending:
                return
            bundle, future = pending.popleft()
            try:
                items = future.result()
            except BrokenProcessPool:
                lost = [(bundle, future), *pending]
                pending.clear()
                yield from self._recover(lost)
                continue
            yield from items

    def _recover(
        self, lost: list[tuple[Bundle, Future[list[T | ErrorRecord]]]]
    ) -> Iterator[T | ErrorRecord]:
        self.close(finished=False)
        for bundle, future in lost:
            if future.done() and future.exception() is None:
                yield from future.result()  # finished before the pool broke
            else:
                for task in bundle:
                    yield from self._alone(task)
        self.executor = self._executor(self.workers)

    def _alone(self, task: Task) -> list[T | ErrorRecord]:
        executor = self._executor(1)
        try:
            return self._submit(executor, [task]).result()
        except BrokenProcessPool:
            self.deaths += 1
            if self.deaths > MAX_WORKER_DEATHS:
                raise KzazError(
                    "worker processes keep stopping unexpectedly (out of memory?); try --jobs 1"
                ) from None
            path = display_path(task.source) if isinstance(task.source, Path) else STDIN
            message = "the worker process reading it stopped unexpectedly (out of memory?)"
            return [ErrorRecord(path=path, kind="worker_died", message=message)]
        finally:
            executor.shutdown(wait=True)

    def close(self, *, finished: bool) -> None:
        """Stop the workers: at once if work is left (a reader gone, a signal), so that none
        goes on holding the output pipe; then wait for the pool's own threads, in order."""
        if not finished:
            # None once the pool is broken: its workers are then stopped already.
            processes = list((self.executor._processes or {}).values())
            for process in processes:
                process.terminate()  # ends its work, never a result half sent (``_stop``)
            # A worker deaf to it (inside one long call of compiled code) is killed: at
            # work, it is sending nothing.
            with signals_held():
                deaf = threading.Timer(STOP_GRACE_SECONDS, _kill_alive, (processes,))
                deaf.start()
            try:
                self.executor.shutdown(wait=True, cancel_futures=True)
            finally:
                deaf.cancel()
            return
        self.executor.shutdown(wait=True, cancel_futures=True)


# How long a worker asked to stop may take before it is killed.
STOP_GRACE_SECONDS = 2.0


def _kill_alive(processes: Sequence[BaseProcess]) -> None:
    for process in processes:
        if process.is_alive():
            process.kill()


def run_parallel(
    engine: Engine,
    tasks: Sequence[Task],
    workers: int,
    encode: Callable[[DocumentResult], T],
    meter: ByteMeter | None = None,
) -> Iterator[T | ErrorRecord]:
    """What the results of ``tasks`` are handed on as (``engine.handed_on``, ``encode``
    applied in the workers), from ``workers`` processes, in input order.

    Long documents come back spooled (``results.Spool``) in a directory of this run, removed
    with whatever a worker that died left in it.
    """
    global _worker_engine
    with tempfile.TemporaryDirectory(prefix="kzaz-") as spool_dir:
        pool = _Pool(engine, workers, spool_dir, encode, meter)
        if pool.context.get_start_method() == "fork":
            _worker_engine = engine  # forked workers share the built pipeline, copy-on-write
        finished = False
        try:
            yield from pool.results(tasks)
            finished = True
        finally:
            pool.close(finished=finished)
            _worker_engine = None
