"""Find the data directory and read its JSON and JSONL tables, each row checked by a model.

The data lives in ``data/`` at the top of the repository (used directly by an editable
install) and is packaged as ``kzaz_facts/_data`` in a wheel. ``--data DIR`` swaps the set.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from kzaz_facts.errors import DataError

RowT = TypeVar("RowT", bound=BaseModel)

_PACKAGE_DIR = Path(__file__).resolve().parent
_CANDIDATES = (_PACKAGE_DIR / "_data", _PACKAGE_DIR.parent.parent / "data")


def default_data_dir() -> Path:
    """The packaged data directory, or the repository's own ``data/`` for an editable install."""
    for candidate in _CANDIDATES:
        if (candidate / "entities").is_dir():
            return candidate
    raise DataError("no data directory found; pass --data DIR pointing at a copy of data/")


def resolve_data_dir(data_dir: Path | str | None) -> Path:
    if data_dir is None:
        return default_data_dir()
    path = Path(data_dir)
    if not path.is_dir():
        raise DataError(f"data directory not found: {path}")
    return path.resolve()


def read_jsonl(path: Path, model: type[RowT]) -> list[RowT]:
    """Read one JSONL table; blank lines and lines starting with ``//`` are skipped.

    A malformed row names its file and line, so a typo in a pattern file is found at once.
    """
    rows: list[RowT] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise DataError(f"{path}: cannot read ({error.strerror})") from error
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("//"):
            continue
        try:
            rows.append(model.model_validate_json(stripped))
        except ValidationError as error:
            raise data_error(error, f"{path}:{number}", "row") from error
    return rows


def data_error(error: ValidationError, where: str, whole: str = "file") -> DataError:
    """A pydantic error as a ``DataError`` naming the file (and line) and the field at fault."""
    detail = error.errors()[0]
    field = ".".join(str(part) for part in detail["loc"]) or whole
    return DataError(f"{where}: {field}: {detail['msg']}")


def validated(model: type[RowT], data: Any, path: Path) -> RowT:
    """``data`` (read from the JSON file ``path``) checked by ``model``."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise data_error(error, str(path)) from error


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DataError(f"{path}: cannot read JSON ({error})") from error
