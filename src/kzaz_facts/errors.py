"""The few exceptions the library raises; the CLI turns them into messages and exit codes."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kzaz_facts.records import ErrorKind


class KzazError(Exception):
    """Base class: every error the library raises on purpose carries a message a user can act on."""


class InputError(KzazError):
    """An input file cannot be used: missing, unreadable, empty, binary or undecodable.

    ``kind`` is a short stable word (``records.ErrorKind``) that ends up in the JSON ``errors``
    list.
    """

    def __init__(self, path: str, kind: ErrorKind, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.kind = kind
        self.message = message

    def __reduce__(self) -> tuple[type[InputError], tuple[str, ErrorKind, str]]:
        # Rebuilt from its three fields, so it crosses to and from worker processes.
        return (type(self), (self.path, self.kind, self.message))


class DataError(KzazError):
    """A pattern or gazetteer file under the data directory is malformed (file and line named)."""
