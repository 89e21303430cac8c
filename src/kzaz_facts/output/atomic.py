"""Writing a file so that a crash or an interrupt never leaves half of it."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


@contextmanager
def atomic_stream(path: Path) -> Iterator[IO[str]]:
    """A text stream to a temporary file renamed to ``path`` when the block completes.

    A symlink is followed: the file it names is replaced, the link stays. A device or a FIFO
    (``/dev/null``, ``/dev/stdout``) is written straight through, as ``>`` would, never
    replaced by a file.
    """
    path = Path(os.path.realpath(path))
    if path.exists() and not path.is_file() and not path.is_dir():
        with path.open("w", encoding="utf-8") as stream:
            yield stream
        return
    directory = path.parent
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            yield stream
        os.chmod(temporary, _file_mode(path))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _file_mode(path: Path) -> int:
    """The mode the file would get from a plain ``open``: its own if it exists, else umask's.

    (``mkstemp`` creates its files readable by their owner only.)
    """
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file renamed into place: a crash never leaves half a file."""
    with atomic_stream(path) as stream:
        stream.write(text)
