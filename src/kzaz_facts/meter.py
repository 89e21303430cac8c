"""Bytes of input processed so far, for the progress bar: counted where the work is done.

The engine tells the meter how far it is after every chunk of a long document, so a run over
one large file moves the bar as its chunks are done, not only when the file is finished.
Worker processes share the parent's meter (a counter in shared memory), so the bar also
moves while the parent waits for a worker. A document run again after its worker died is
counted again: the bar then fills a little early.
"""

from __future__ import annotations

from typing import Any

# A worker killed while it holds the counter's lock leaves it held for good: past this wait
# a step is left uncounted rather than the run stopped.
LOCK_SECONDS = 1.0


def process_context() -> Any:
    """The start method of worker processes: fork where there is one (a worker shares the
    built pipeline copy-on-write), else the platform's default."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


class ByteMeter:
    """A count of input bytes processed, shared with the worker processes started after it."""

    def __init__(self) -> None:
        context = process_context()
        self._count = context.Value("q", 0, lock=False)
        self._lock = context.Lock()

    def add(self, count: int) -> None:
        if count and self._lock.acquire(timeout=LOCK_SECONDS):
            try:
                self._count.value += count
            finally:
                self._lock.release()

    @property
    def done(self) -> int:
        """The bytes counted so far (one aligned word, read without the lock)."""
        return int(self._count.value)


class DocumentShare:
    """One document's part of a meter: its file's size, told in steps as its body is done.

    >>> meter = ByteMeter()
    >>> share = DocumentShare(meter, 1000)
    >>> share.advance(1, 3); meter.done
    333
    >>> share.advance(3, 3); share.finish(); meter.done
    1000
    """

    def __init__(self, meter: ByteMeter | None, size: int) -> None:
        self.meter = meter
        self.size = size
        self.told = 0

    def advance(self, characters_done: int, characters: int) -> None:
        """``characters_done`` of the body's ``characters`` are processed."""
        if self.meter is not None and characters > 0:
            self._tell(self.size * characters_done // characters)

    def finish(self) -> None:
        """The document is done (or failed): the rest of its size is counted."""
        if self.meter is not None:
            self._tell(self.size)

    def _tell(self, told: int) -> None:
        assert self.meter is not None
        self.meter.add(told - self.told)
        self.told = told
