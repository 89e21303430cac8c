"""The signals that stop a run, and holding them back while threads and processes start.

A signal sent to the process is taken by any one of its threads that does not block it.
Taken by a helper thread (the progress bar's, the worker pool's), it leaves the main thread
asleep in a wait that the signal never interrupts, so the run would not stop until that wait
ends. Every thread the project starts is therefore started inside ``signals_held``: a new
thread inherits the signal mask of the thread that starts it, and keeps the stop signals
blocked for its whole life, so they always reach the main thread.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

# The signals that stop a run (SIGINT, SIGTERM, SIGHUP).
STOP_SIGNALS = frozenset(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold the stop signals back in this thread (and in the threads and processes it starts
    meanwhile); one sent meanwhile arrives as this ends.

    A worker pool started in the middle of a signal could lose its exception (raised in an
    at-fork hook, which Python only reports) or be left half built (a manager thread created
    but not started, a worker forked but not recorded, so never stopped). Worker processes
    unblock the signals themselves once started (``workers._start_worker``).
    """
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def unblock_stop_signals() -> None:
    """Let this thread take the stop signals again (a worker process, once started)."""
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
