"""Exit codes, one-line failures, and the guards around what a command reads and writes.

The ``-o`` target is checked before any input is read; standard output that is closed, full
(``> /dev/full``) or gone (``| head``) ends the run with one line, never a traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import typer

from kzaz_facts.errors import KzazError
from kzaz_facts.input_files import DEFAULT_MAX_BYTES

EXIT_OK, EXIT_INPUT_FAILED, EXIT_USAGE = 0, 1, 2


def fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    """Say ``message`` on stderr; the exit to raise with ``code``."""
    typer.echo(f"kzaz: error: {message}", err=True)
    return typer.Exit(code)


@contextmanager
def errors_reported(code: int = EXIT_INPUT_FAILED, *, debug: bool = False) -> Iterator[None]:
    """The one way every command handles a ``KzazError``: its message on stderr and exit
    ``code`` (``--debug`` lets it through with its traceback)."""
    try:
        yield
    except KzazError as error:
        if debug:
            raise
        raise fail(str(error), code) from error


@dataclass(frozen=True)
class Limits:
    """What a run may read (``--max-bytes``, ``--follow-links``), the ``-o`` it writes, and how
    long one document may take (``--doc-timeout``)."""

    max_bytes: int = DEFAULT_MAX_BYTES
    follow_links: bool = False
    output: Path | None = None
    doc_timeout: float | None = None


def require_stdout() -> None:
    """``kzaz extract ... >&-``: say so before any work, not with a traceback after it."""
    if sys.stdout is None:
        raise fail("standard output is closed; use -o FILE", EXIT_INPUT_FAILED)


def check_output(output: Path) -> None:
    """Refuse an ``-o`` that cannot be written before any input is read (exit 2).

    A symlink is judged by what it names; a device or a FIFO is written through, as ``>``
    would; anything else gets a new file in its directory, renamed into place.
    """
    target = Path(os.path.realpath(output))
    if target.is_dir():
        raise fail(f"-o {output}: is a directory; name a file")
    if target.exists() and not target.is_file():
        if not os.access(target, os.W_OK):
            raise fail(f"-o {output}: not writable")
        return
    if not target.parent.is_dir():
        raise fail(f"-o {output}: directory {target.parent} does not exist")
    if not os.access(target.parent, os.W_OK):
        raise fail(f"-o {output}: directory {target.parent} is not writable")


def refuse_output_among_inputs(output: Path, inputs: list[Path]) -> None:
    """An ``-o`` that is one of the inputs would be overwritten while it is read: exit 2."""
    if not output.exists():
        return
    for source in inputs:
        try:
            same = os.path.samefile(output, source)
        except OSError:
            continue
        if same:
            raise fail(f"-o {output}: is one of the inputs; it would be overwritten")


def output_failed(error: OSError, output: Path | None) -> typer.Exit:
    """A write that failed (a full disk, ``> /dev/full``, a read-only directory): one line."""
    import errno
    import tempfile

    where = "standard output" if output is None else str(output)
    reason = error.strerror or str(error)
    if error.errno == errno.ENOSPC:
        reason += f" (on {where}, or under the temporary directory {tempfile.gettempdir()})"
    if output is None:
        discard_stdout()
    return fail(f"cannot write the output to {where}: {reason}", EXIT_INPUT_FAILED)


def write_stdout(text: str) -> None:
    """``text`` on stdout, flushed, so that a failed write shows here as one line."""
    require_stdout()
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        quiet_broken_pipe()
    except OSError as error:
        raise output_failed(error, None) from error


def discard_stdout() -> None:
    """Point stdout at the null device, so that what is left in its buffer goes nowhere at
    exit instead of failing a second time."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def quiet_broken_pipe() -> NoReturn:
    """``kzaz extract ... | head -1``: the reader left; exit without a traceback."""
    discard_stdout()
    raise typer.Exit(EXIT_OK)
