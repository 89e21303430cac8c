"""SIGINT, SIGTERM and SIGHUP: the run unwinds (workers stopped, temporary files removed),
says why on stderr and exits 130, 143 or 129."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from typing import NoReturn


class Interrupted(BaseException):
    """SIGINT, SIGTERM or SIGHUP: unwinds the run (workers stopped, temporary files removed)
    up to ``main``. A ``BaseException`` so that no ``except Exception`` stops it on the way."""

    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.number = number


_STOP_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")
_MAIN_PID = os.getpid()  # set again by run_stoppable(): the process whose signals stop the run


def _stop(number: int, frame: object) -> None:
    if os.getpid() != _MAIN_PID:
        # A worker forked a moment ago, before it set its own handlers: Ctrl-C is the
        # parent's to handle, any other signal stops it as it would stop any process.
        if number != signal.SIGINT:
            signal.signal(number, signal.SIG_DFL)
            os.kill(os.getpid(), number)
        return
    for name in _STOP_SIGNALS:  # a second signal must not cut the clean-up short
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    raise Interrupted(number)


def run_stoppable(command: Callable[[], object]) -> None:
    """Run ``command`` with the stop signals turned into ``Interrupted``; after one, say so
    and exit 128 + the signal's number."""
    global _MAIN_PID
    _MAIN_PID = os.getpid()
    for name in _STOP_SIGNALS:
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _stop)
    try:
        command()
    except Interrupted as stop:
        _exit_stopped(stop.number)


def _exit_stopped(number: int) -> NoReturn:
    name = signal.Signals(number).name
    text = "interrupted" if number == signal.SIGINT else f"terminated ({name})"
    try:
        sys.stderr.write(f"kzaz: {text}\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):  # the terminal is gone (SIGHUP)
        pass
    sys.exit(128 + number)
