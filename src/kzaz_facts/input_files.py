"""Paths -> files to read: directories expanded in a fixed order, special and oversized
files refused before they are opened, names made printable."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from kzaz_facts.errors import InputError

# Larger files are reported as "too_large" without being read: news articles are a few
# kilobytes, and a file this size is a dump, a log or a disk image dropped in by mistake.
DEFAULT_MAX_BYTES = 50 * 1024 * 1024

_FILE_TYPES: tuple[tuple[Callable[[int], bool], str], ...] = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def display_path(path: Path | str) -> str:
    r"""The path as text any output can carry: bytes of the name that are not UTF-8 (kept by
    Python as surrogate escapes) are written ``\xNN``; every other name is unchanged.

    >>> display_path("caf\udce9.txt"), display_path("café.txt")
    ('caf\\xe9.txt', 'café.txt')
    """
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _check_file(status: os.stat_result, name: str, max_bytes: int) -> None:
    """Refuse what is not a regular file of at most ``max_bytes``, from its status alone."""
    if stat.S_ISDIR(status.st_mode):
        raise InputError(name, "unreadable", "is a directory, not a file")
    if not stat.S_ISREG(status.st_mode):
        what = next((text for test, text in _FILE_TYPES if test(status.st_mode)), "special")
        raise InputError(name, "not_regular_file", f"is {what}, not a regular file; not read")
    if status.st_size > max_bytes:
        message = f"{status.st_size} bytes, over the --max-bytes limit of {max_bytes}; not read"
        raise InputError(name, "too_large", message)


def read_file_bytes(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``.

    The file's status is checked before it is opened, so a FIFO, a device (or a link to
    ``/dev/zero``) or an oversized file is never read; it is opened without blocking and
    checked again, in case it was swapped in between. Raises ``InputError`` with kind
    ``"not_found"``, ``"unreadable"``, ``"not_regular_file"`` or ``"too_large"``.
    """
    name = display_path(path)
    try:
        _check_file(os.stat(path), name, max_bytes)
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(handle, "rb") as stream:
            _check_file(os.fstat(stream.fileno()), name, max_bytes)
            raw = stream.read(max_bytes + 1)
    except (FileNotFoundError, NotADirectoryError) as error:
        raise InputError(name, "not_found", "no such file") from error
    except IsADirectoryError as error:
        raise InputError(name, "unreadable", "is a directory, not a file") from error
    except PermissionError as error:
        raise InputError(name, "unreadable", "permission denied") from error
    except OSError as error:
        raise InputError(name, "unreadable", f"cannot read ({error.strerror})") from error
    if len(raw) > max_bytes:  # grew after it was checked
        raise InputError(name, "too_large", f"over the --max-bytes limit of {max_bytes}; not read")
    return raw


def iter_input_paths(
    paths: Sequence[str], *, follow_links: bool = False
) -> Iterator[Path | InputError]:
    """Expand command-line paths into files to load, in a deterministic order.

    A directory gives every ``*.txt`` below it, sorted by relative path; a named file is taken
    whatever its extension. A file reached twice (named twice, or through a symlink) is given
    at its first mention and reported as ``"duplicate"`` after. Inside a directory, a symlink
    that leads out of it is not followed (``"link_outside"``) unless ``follow_links``.
    Problems are yielded, not raised: ``"not_found"`` for a missing path, ``"no_input"`` for a
    directory without ``.txt`` files, ``"unreadable"`` for a directory that cannot be listed.
    """
    seen: dict[object, Path] = {}
    for name in paths:
        path = Path(name)
        shown = display_path(name)
        try:
            is_dir = path.is_dir()
            exists = is_dir or path.exists()
        except OSError as error:  # e.g. a symlink loop, or a parent without search permission
            yield InputError(shown, "unreadable", f"cannot inspect ({error.strerror})")
            continue
        if not exists:
            yield InputError(shown, "not_found", "no such file or directory")
            continue
        found = [path] if not is_dir else None
        if found is None:
            found, problems = _txt_files_below(path, follow_links)
            yield from problems
            if not found and not problems:
                yield InputError(shown, "no_input", "directory holds no .txt files")
        for file_path in found:
            key = _identity(file_path)
            first = seen.setdefault(key, file_path)
            if first is file_path:
                yield file_path
            else:
                message = f"same file as {display_path(first)}; read once"
                yield InputError(display_path(file_path), "duplicate", message)


def _identity(path: Path) -> object:
    """What makes two paths one file: device and inode (the resolved path if it cannot be
    read)."""
    try:
        status = os.stat(path)
    except OSError:
        return os.path.normcase(os.path.realpath(path))
    return (status.st_dev, status.st_ino)


def _inside(path: str, root: str) -> bool:
    return os.path.commonpath([os.path.realpath(path), root]) == root


def _leads_out(path: str, root: str) -> bool:
    """A symlink to a regular file or a directory outside ``root`` (the real path). A link to
    a device or a FIFO is left to the loader, which refuses it by kind."""
    if not os.path.islink(path) or _inside(path, root):
        return False
    try:
        mode = os.stat(path).st_mode
    except OSError:  # a dangling link: the loader reports it as not found
        return False
    return stat.S_ISREG(mode) or stat.S_ISDIR(mode)


def _txt_files_below(root: Path, follow_links: bool) -> tuple[list[Path], list[InputError]]:
    """Every ``*.txt`` under ``root``, following directory symlinks but each directory once;
    symlinks that lead out of ``root`` only when ``follow_links``."""
    problems: list[InputError] = []
    found: list[tuple[tuple[str, ...], Path]] = []
    visited: set[tuple[int, int]] = set()
    real_root = os.path.realpath(root)

    def report(error: OSError) -> None:
        where = display_path(error.filename or root)
        problems.append(InputError(where, "unreadable", f"cannot list ({error.strerror})"))

    def outside(dirpath: str, name: str) -> bool:
        if follow_links or not _leads_out(os.path.join(dirpath, name), real_root):
            return False
        where = display_path(os.path.join(dirpath, name))
        message = f"symlink leads outside {display_path(root)}; not read (see --follow-links)"
        problems.append(InputError(where, "link_outside", message))
        return True

    for dirpath, dirnames, filenames in os.walk(root, onerror=report, followlinks=True):
        try:
            status = os.stat(dirpath)
        except OSError as error:
            report(error)
            dirnames.clear()
            continue
        identity = (status.st_dev, status.st_ino)
        if identity in visited:  # a symlink loop, or a second link to a listed directory
            dirnames.clear()
            continue
        visited.add(identity)
        # Sorted so that, of two links to one directory, the same one wins on every system.
        dirnames[:] = sorted(name for name in dirnames if not outside(dirpath, name))
        for filename in filenames:
            if filename.lower().endswith(".txt") and not outside(dirpath, filename):
                file_path = Path(dirpath, filename)
                found.append((file_path.relative_to(root).parts, file_path))
    found.sort(key=lambda item: item[0])
    problems.sort(key=lambda problem: problem.path)
    return [file_path for _, file_path in found], problems
