from __future__ import annotations

from pathlib import Path

import pytest

from kzaz_facts import default_engine, extract_corpus
from kzaz_facts.records import Report

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def seeds_report() -> Report:
    return extract_corpus([SEEDS])


@pytest.fixture(scope="session")
def engine():  # type: ignore[no-untyped-def]
    return default_engine()
