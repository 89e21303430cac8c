from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

import pytest
from pydantic import BaseModel

from kzaz_facts import default_engine, extract_corpus
from kzaz_facts.records import Report
from kzaz_facts.resources import read_jsonl

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CASES = Path(__file__).resolve().parent / "cases"

RowT = TypeVar("RowT", bound=BaseModel)


@pytest.fixture(scope="session")
def seeds_report() -> Report:
    return extract_corpus([SEEDS])


@pytest.fixture(scope="session")
def engine():  # type: ignore[no-untyped-def]
    return default_engine()


# -- case tables: tests/cases/*.jsonl -------------------------------------------------------


def read_cases(table: str | Path, model: type[RowT]) -> list[RowT]:
    """The rows of a case table (a name under tests/cases/, or a path), each checked by ``model``.

    Blank lines and ``//`` comment lines are skipped; a malformed row fails with its file and
    line (``DataError``); every row needs an ``id``, unique in its table.
    """
    rows = read_jsonl(CASES / table, model)
    ids = [row.id for row in rows]  # type: ignore[attr-defined]
    repeated = sorted({case_id for case_id in ids if ids.count(case_id) > 1})
    if repeated:
        raise ValueError(f"{table}: case ids used twice: {', '.join(repeated)}")
    return rows


def case_params(table: str | Path, model: type[BaseModel]) -> list[Any]:
    """One ``pytest.param`` per row, named by its id; a row with ``xfail`` is a strict xfail."""
    params = []
    for row in read_cases(table, model):
        reason = getattr(row, "xfail", None)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(row, id=row.id, marks=marks))  # type: ignore[attr-defined]
    return params


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "cases(table, model): run the test once per row of tests/cases/TABLE as `case`",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    marker = metafunc.definition.get_closest_marker("cases")
    if marker is not None:
        metafunc.parametrize("case", case_params(*marker.args))


@pytest.fixture(scope="session")
def case_table() -> Callable[[str | Path, type[RowT]], list[RowT]]:
    """``read_cases`` for tests that look at a whole table."""
    return read_cases


def load_bench_module(name: str) -> ModuleType:
    """``bench/NAME.py`` as a module (the benchmark is no package of the project)."""
    path = Path(__file__).resolve().parent.parent / "bench" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def bench_module() -> Callable[[str], ModuleType]:
    """``load_bench_module`` for tests that use the benchmark's corpus or arithmetic."""
    return load_bench_module


@pytest.fixture(scope="session")
def article_texts() -> list[str]:
    """The text of every seed and dev-set article, for tests that hold a fast search to a
    plain one on real wording."""
    root = Path(__file__).resolve().parents[1]
    folders = [root / "seeds", root / "tests" / "devset" / "articles"]
    return [path.read_text(encoding="utf-8") for f in folders for path in sorted(f.glob("*.txt"))]
