"""What ``bench/run.py`` measured, as medians, ratios to the floor and targets met or not."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

# The targets the project holds itself to (see the README's Performance section).
LIBRARY_TARGET = 0.25  # library throughput over the floor's, at least
STARTUP_TARGET = 1.3  # `kzaz extract ONE_FILE` over `spacy.blank("en")`, at most
BIG_FILE_RSS_TARGET_MB = 300.0  # peak RSS for one big file, under
JOBS_TARGET = 1.7  # --jobs 2 over --jobs 1, at least (where two cores are free)


@dataclass(slots=True)
class Series:
    """Repeated runs of one measurement; the first (warm-up) run is never added."""

    name: str
    docs: int
    bytes: int
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    peaks_mb: list[float] = field(default_factory=list)
    trees_mb: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, result: dict[str, Any]) -> None:
        self.walls.append(result["seconds"])
        self.cpus.append(result["cpu_seconds"])
        self.peaks_mb.append(result["peak_rss_mb"])
        if result.get("tree_rss_mb") is not None:
            self.trees_mb.append(result["tree_rss_mb"])

    @property
    def wall(self) -> float:
        return statistics.median(self.walls)

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpus)

    @property
    def peak_mb(self) -> float:
        return max(self.peaks_mb)

    @property
    def tree_mb(self) -> float | None:
        return max(self.trees_mb) if self.trees_mb else None

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "docs": self.docs,
            "bytes": self.bytes,
            "repeats": len(self.walls),
            "median_seconds": round(self.wall, 4),
            "median_cpu_seconds": round(self.cpu, 4),
            "seconds": [round(value, 4) for value in self.walls],
            "cpu_seconds": [round(value, 4) for value in self.cpus],
            "peak_rss_mb": round(self.peak_mb, 1),
            "tree_rss_mb": None if self.tree_mb is None else round(self.tree_mb, 1),
            "notes": self.notes,
        }


def paired_ratio(numerators: Sequence[float], denominators: Sequence[float]) -> float:
    """The median of run-by-run ratios: each pair ran one after the other, so load cancels."""
    ratios = [top / bottom for top, bottom in zip(numerators, denominators, strict=True) if bottom]
    return statistics.median(ratios) if ratios else float("nan")


@dataclass(slots=True)
class Target:
    what: str
    goal: str
    measured: str
    met: bool | None  # None: not measured in this run

    def as_json(self) -> dict[str, Any]:
        return {"what": self.what, "goal": self.goal, "measured": self.measured, "met": self.met}


def _cell(met: bool | None) -> str:
    return "not measured" if met is None else ("yes" if met else "**no**")


def render_markdown(
    results: dict[str, Any], series: Sequence[Series], targets: Sequence[Target]
) -> str:
    info = results["machine"]
    lines = [
        "# kzaz-facts throughput",
        "",
        f"Machine: {info['cpu']}, {info['cores']} cores ({info['usable_cores']} usable); "
        f"{info['platform']}; Python {info['python']}; spaCy {info['spacy']}; {info['kzaz']}.",
        "",
        f"Method: one warm-up round, then {results['repeats']} rounds; in each round every "
        "measurement runs once, in a fresh process, one after the other (the floor and kzaz "
        "interleaved). Figures are medians over the rounds; ratios are medians of the ratios "
        "within each round, so a slow spell of a shared machine falls on both sides.",
        "",
    ]
    for corpus in results["corpora"]:
        lines.append(
            f"Corpus: `bench/corpus.py --docs {corpus['docs']} --seed {results['seed']}`: "
            f"{corpus['bytes'] / 1e6:.2f} MB, {corpus['facts_per_doc']:.2f} facts/doc; "
            f"Engine import {corpus['engine_import_seconds']:.2f} s, "
            f"build {corpus['engine_build_seconds']:.2f} s (not timed)."
        )
    lines += [
        "",
        "## Targets",
        "",
        "| what | goal | measured | met |",
        "|---|---|---|---|",
        *(f"| {t.what} | {t.goal} | {t.measured} | {_cell(t.met)} |" for t in targets),
        "",
        "## Every measurement (medians)",
        "",
        "| measurement | docs | MB | wall s | CPU s | MB/s | × floor (wall) | × floor (CPU) "
        "| peak RSS MB | tree RSS MB | notes |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    floors = {row.docs: row for row in series if row.name == "floor"}
    for row in series:
        floor = floors.get(row.docs) if row.bytes else None
        by_wall = by_cpu = "–"
        if floor is not None and row.name != "floor" and not row.name.startswith("start-up"):
            by_wall = f"{paired_ratio(floor.walls, row.walls):.3f}"
            by_cpu = f"{paired_ratio(floor.cpus, row.cpus):.3f}"
        speed = f"{row.bytes / 1e6 / row.wall:,.2f}" if row.bytes and row.wall else "–"
        tree = "–" if row.tree_mb is None else f"{row.tree_mb:,.0f}"
        lines.append(
            f"| {row.name} | {row.docs:,} | {row.bytes / 1e6:,.2f} | {row.wall:,.3f} "
            f"| {row.cpu:,.3f} | {speed} | {by_wall} | {by_cpu} | {row.peak_mb:,.0f} | {tree} "
            f"| {'; '.join(row.notes)} |"
        )
    lines += ["", *(f"- {note}" for note in results["notes"]), ""]
    return "\n".join(lines)


NOTES = (
    "MB = 10^6 bytes of file text (UTF-8); every row of one corpus reads the same files.",
    'floor: spacy.blank("en") + sentencizer, one nlp(body) per document; reading files and '
    "splitting headers not timed.",
    "library: Engine().run([corpus]) in process, every result consumed; Engine build not timed.",
    "cli: `kzaz extract CORPUS -f FORMAT -o FILE --jobs J` as a command, start-up included; "
    "CPU time sums the process and its workers.",
    "× floor: the floor's time over the row's on the same files (a throughput ratio), the "
    "median of the per-round ratios.",
    "start-up: `python -c \"import spacy; spacy.blank('en')\"` against `kzaz extract ONE_FILE "
    "-f json -o FILE` on the smallest file of the corpus.",
    "peak RSS: ru_maxrss of the measuring process (floor, library) or of the largest single "
    "process of a command; tree RSS: the peak of the summed VmRSS of a command and its "
    "children (pages shared after fork count in each).",
)
