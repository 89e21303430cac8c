"""The benchmark's own arithmetic and its big-file generator (no timing is asserted)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest


def test_paired_ratio_is_the_median_of_round_by_round_ratios(
    bench_module: Callable[[str], ModuleType],
) -> None:
    report = bench_module("report")
    # Round 2 ran on a slow spell that hit both sides: its ratio is still 0.5.
    assert report.paired_ratio([1.0, 4.0, 1.2], [2.0, 8.0, 3.0]) == pytest.approx(0.5)
    assert report.paired_ratio([1.0, 1.0], [0.0, 2.0]) == pytest.approx(0.5)  # a zero is skipped


def test_series_keeps_medians_and_the_highest_peak(
    bench_module: Callable[[str], ModuleType],
) -> None:
    report = bench_module("report")
    series = report.Series("library", 10, 1000)
    for seconds, peak in ((3.0, 100.0), (1.0, 140.0), (2.0, 120.0)):
        series.add({"seconds": seconds, "cpu_seconds": seconds / 2, "peak_rss_mb": peak})
    assert (series.wall, series.cpu, series.peak_mb, series.tree_mb) == (2.0, 1.0, 140.0, None)
    assert series.as_json()["repeats"] == 3


def test_big_file_is_one_document_of_the_size_asked(
    tmp_path: Path, bench_module: Callable[[str], ModuleType]
) -> None:
    corpus = bench_module("corpus")
    path = tmp_path / "big.txt"
    size = corpus.big_file(path, 0.2, seed=3)
    assert size == path.stat().st_size
    assert 200_000 <= size < 200_000 + 8_000  # one article past the mark at most
    text = path.read_text(encoding="utf-8")
    assert text.count("\n\n") > 20  # many articles, blank lines between them
    assert corpus.big_file(tmp_path / "again.txt", 0.2, seed=3) == size  # deterministic
    with pytest.raises(ValueError, match="above 0"):
        corpus.big_file(tmp_path / "none.txt", 0)
