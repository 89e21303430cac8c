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


# A data file past this size is refused: the packaged tables are a few hundred KB each.
MAX_DATA_BYTES = 20 * 1024 * 1024


def read_data_text(path: Path) -> str:
    """The text of one data file; raises ``DataError`` when it cannot be read or is too big."""
    try:
        size = path.stat().st_size
        if size > MAX_DATA_BYTES:
            raise DataError(
                f"{path}: {size:,} bytes, over the {MAX_DATA_BYTES // (1024 * 1024)} MB "
                "a data file may hold"
            )
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise DataError(f"{path}: cannot read ({error.strerror})") from error
    except UnicodeDecodeError as error:
        raise DataError(f"{path}: cannot read ({error.reason} at byte {error.start})") from error


def read_jsonl(path: Path, model: type[RowT]) -> list[RowT]:
    """Read one JSONL table; blank lines and lines starting with ``//`` are skipped.

    A malformed row names its file and line, so a typo in a pattern file is found at once.
    """
    rows: list[RowT] = []
    lines = read_data_text(path).splitlines()
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("//"):
            continue
        try:
            rows.append(model.model_validate_json(stripped))
        except ValidationError as error:
            raise data_error(error, f"{path}:{number}", "row") from error
        except RecursionError:
            raise DataError(f"{path}:{number}: row: nested too deeply") from None
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
    text = read_data_text(path)
    try:
        return json.loads(text)
    except RecursionError:
        raise DataError(f"{path}: cannot read JSON (nested too deeply)") from None
    except ValueError as error:
        raise DataError(f"{path}: cannot read JSON ({error})") from error


def nested_quantifier(pattern: str) -> bool:
    r"""Whether a regex repeats a group that itself repeats ("(a+)+", "(?:\s*x)*"): the shape
    that backtracks catastrophically on a near miss.

    >>> nested_quantifier(r"(a+)+"), nested_quantifier(r"(?:\s+\w+){1,3}")
    (True, True)
    >>> nested_quantifier(r"[(+]+x+"), nested_quantifier(r"\(a+\)+"), nested_quantifier(r"(a|b)?c+")
    (False, False, False)
    """
    stack: list[bool] = [False]  # per open group: does it hold a repeat?
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            index = _class_end(pattern, index)
            continue
        if char == "(":
            stack.append(False)
        elif char == ")" and len(stack) > 1:
            inner = stack.pop()
            repeated = _repeats(pattern, index + 1)
            if inner and repeated:
                return True
            stack[-1] = stack[-1] or inner or repeated
        elif char in "+*{" and _repeats(pattern, index):
            stack[-1] = True
        index += 1
    return False


def _repeats(pattern: str, index: int) -> bool:
    """A quantifier allowing more than one repetition starts at ``index``."""
    if pattern.startswith(("+", "*"), index):
        return True
    if pattern.startswith("{", index):
        close = pattern.find("}", index)
        body = pattern[index + 1 : close] if close > 0 else ""
        low, comma, high = body.partition(",")
        if not low.isdigit():
            return False
        if not comma:
            return int(low) > 1  # "{3}"
        return high == "" or (high.isdigit() and int(high) > 1)  # "{2,}", "{1,3}"
    return False


def _class_end(pattern: str, index: int) -> int:
    """The index just past the character class opening at ``index``."""
    index += 1
    if pattern.startswith("^", index):
        index += 1
    if pattern.startswith("]", index):
        index += 1
    while index < len(pattern) and pattern[index] != "]":
        index += 2 if pattern[index] == "\\" else 1
    return index + 1
