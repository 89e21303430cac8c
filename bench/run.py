"""Throughput, start-up and memory of kzaz-facts, as ratios to a bare spaCy floor.

    python bench/run.py                       # 1,000 documents, 5 rounds, a 50 MB file
    python bench/run.py --docs 1000,10000 --repeats 7 --jobs 1,2 --big-mb 50

For every corpus size the same files (written by ``bench/corpus.py`` into a temporary
directory) go through, in each round and one after the other:

* floor: ``spacy.blank("en")`` and the ``sentencizer``, one ``nlp(body)`` per document;
* library: ``Engine().run([corpus])`` in process, every item consumed (Engine build apart);
* cli: ``kzaz extract CORPUS -f FORMAT -o FILE --jobs J``, start-up included; the outputs of
  every ``--jobs`` value are compared byte for byte;
* start-up: ``python -c "import spacy; spacy.blank('en')"`` and ``kzaz extract ONE_FILE``.

The first round is a warm-up and is not counted; the figures are medians over the other
rounds, wall time and CPU time side by side. Then one big file (``--big-mb``) goes through
``kzaz extract -f jsonl`` once, for its peak memory. Every measurement runs in a fresh child
process (``run.py --child ...``, see ``bench/measure.py``). Results go to stdout,
``bench/results.md`` and ``bench/results.json``; the targets table says which goals are met.
Nothing here fails on a timing. Where the time goes: ``bench/hotspots.py``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import IO, Any

from measure import BenchError, child_main, run_child
from report import (
    BIG_FILE_RSS_TARGET_MB,
    JOBS_TARGET,
    LIBRARY_TARGET,
    NOTES,
    STARTUP_TARGET,
    Series,
    Target,
    paired_ratio,
    render_markdown,
)

SCRIPT = Path(__file__).resolve()
BENCH_DIR = SCRIPT.parent


def _progress(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def _positive_ints(values: Sequence[str], option: str) -> list[int]:
    """``["1000,10000", "50"]`` -> ``[1000, 10000, 50]``; each at least 1."""
    numbers: list[int] = []
    for value in values:
        for part in value.split(","):
            if not part.strip():
                continue
            try:
                number = int(part)
            except ValueError:
                raise BenchError(f"{option} takes whole numbers, not {part!r}") from None
            if number < 1:
                raise BenchError(f"{option} values must be at least 1, not {number}")
            if number not in numbers:
                numbers.append(number)
    if not numbers:
        raise BenchError(f"{option} needs at least one number")
    return numbers


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as cpuinfo:
            for line in cpuinfo:
                # "model name" on x86, "Hardware" on some ARM boards.
                if line.lower().startswith(("model name", "hardware")):
                    name = line.partition(":")[2].strip()
                    if name:
                        return name
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _version_of(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine(kzaz: Path) -> dict[str, Any]:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    version = subprocess.run([str(kzaz), "--version"], capture_output=True, text=True, check=False)
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "spacy": _version_of("spacy"),
        "kzaz": version.stdout.strip() or f"unknown (exit {version.returncode})",
    }


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Plan:
    """The measurements of one run, each a Series filled round by round."""

    def __init__(self, args: argparse.Namespace, work_dir: Path) -> None:
        self.kzaz: Path = args.kzaz
        self.formats: list[str] = [part for part in args.formats.split(",") if part]
        self.jobs = _positive_ints([args.jobs], "--jobs")
        self.work_dir = work_dir
        self.corpora: list[tuple[int, Path, int]] = []  # docs, directory, bytes
        self.series: dict[str, Series] = {}
        self.digests: dict[tuple[int, str], dict[int, set[str]]] = {}
        self.library_runs: dict[int, dict[str, Any]] = {}

    def series_for(self, name: str, docs: int, size: int) -> Series:
        key = f"{name}@{docs}"
        if key not in self.series:
            self.series[key] = Series(name, docs, size)
        return self.series[key]

    def one_round(self, record: bool, one_file: Path) -> None:
        for docs, corpus_dir, size in self.corpora:
            self._take("floor", docs, size, record, run_child(SCRIPT, "floor", str(corpus_dir)))
            library = run_child(SCRIPT, "library", str(corpus_dir))
            self.library_runs[docs] = library
            self._take("library", docs, size, record, library)
            for output_format in self.formats:
                for jobs in self.jobs:
                    self._cli(docs, corpus_dir, size, output_format, jobs, record)
        blank = [sys.executable, "-c", "import spacy; spacy.blank('en')"]
        out = self.work_dir / "one.json"
        extract = [str(self.kzaz), "extract", str(one_file), "-f", "json", "-o", str(out)]
        self._take("start-up spacy.blank", 1, 0, record, self.command(blank))
        self._take("start-up kzaz extract", 1, 0, record, self.command(extract))

    def _cli(
        self, docs: int, corpus_dir: Path, size: int, fmt: str, jobs: int, record: bool
    ) -> None:
        output = self.work_dir / f"extract-{docs}-j{jobs}.{fmt}"
        command = [str(self.kzaz), "extract", str(corpus_dir), "-f", fmt, "-o", str(output)]
        result = self.command([*command, "--jobs", str(jobs)])
        self._take(f"cli {fmt} --jobs {jobs}", docs, size, record, result)
        self.digests.setdefault((docs, fmt), {}).setdefault(jobs, set()).add(_digest(output))
        output.unlink()

    def command(self, command: list[str]) -> dict[str, Any]:
        result = run_child(SCRIPT, "command", "--", *command)
        if result["exit_code"] != 0:
            raise BenchError(
                f"{' '.join(command)} exited {result['exit_code']}: {result['stderr_tail']}"
            )
        return result

    def _take(self, name: str, docs: int, size: int, record: bool, result: dict[str, Any]) -> None:
        series = self.series_for(name, docs, size)
        if record:
            series.add(result)

    def identical_outputs(self, docs: int, fmt: str) -> bool:
        """Every run of every --jobs value wrote the same bytes."""
        by_jobs = self.digests.get((docs, fmt), {})
        return len(set().union(*by_jobs.values())) == 1 if by_jobs else False


def big_file_run(plan: Plan, megabytes: float, seed: int) -> Series:
    from corpus import big_file  # bench/ is sys.path[0] when run as `python bench/run.py`

    path = plan.work_dir / "big.txt"
    size = big_file(path, megabytes, seed)
    _progress(f"one file of {size / 1e6:.1f} MB: kzaz extract -f jsonl")
    output = plan.work_dir / "big.jsonl"
    command = [str(plan.kzaz), "extract", str(path), "-f", "jsonl", "-o", str(output)]
    series = Series("cli jsonl, one big file", 1, size)
    result = plan.command(command)
    series.add(result)
    with output.open(encoding="utf-8") as lines:
        series.notes.append(f"{sum(1 for _ in lines):,} facts")
    output.unlink()
    path.unlink()
    return series


def targets(plan: Plan, big: Series | None) -> list[Target]:
    docs = max(docs for docs, _, _ in plan.corpora)
    floor = plan.series_for("floor", docs, 0)
    library = plan.series_for("library", docs, 0)
    by_cpu = paired_ratio(floor.cpus, library.cpus)
    by_wall = paired_ratio(floor.walls, library.walls)
    found = [
        Target(
            f"library throughput, {docs:,} docs, one core",
            f">= {LIBRARY_TARGET}× the floor",
            f"{by_cpu:.3f}× (CPU), {by_wall:.3f}× (wall)",
            by_cpu >= LIBRARY_TARGET,
        )
    ]
    blank = plan.series_for("start-up spacy.blank", 1, 0)
    extract = plan.series_for("start-up kzaz extract", 1, 0)
    startup = paired_ratio(extract.walls, blank.walls)
    found.append(
        Target(
            "`kzaz extract ONE_FILE`",
            f"<= {STARTUP_TARGET}× `spacy.blank('en')`",
            f"{startup:.2f}× ({extract.wall:.3f} s against {blank.wall:.3f} s, wall)",
            startup <= STARTUP_TARGET,
        )
    )
    measured = (
        "not run" if big is None else f"{big.peak_mb:,.0f} MB ({big.bytes / 1e6:.1f} MB file)"
    )
    met = None if big is None else big.peak_mb < BIG_FILE_RSS_TARGET_MB
    found.append(
        Target("one big file, peak RSS", f"< {BIG_FILE_RSS_TARGET_MB:.0f} MB", measured, met)
    )
    if 1 in plan.jobs and 2 in plan.jobs and "json" in plan.formats:
        one = plan.series_for("cli json --jobs 1", docs, 0)
        two = plan.series_for("cli json --jobs 2", docs, 0)
        speedup = paired_ratio(one.walls, two.walls)
        same = plan.identical_outputs(docs, "json")
        found.append(
            Target(
                "`--jobs 2` over `--jobs 1`, JSON",
                f">= {JOBS_TARGET}×, same bytes",
                f"{speedup:.2f}× (wall), {'identical' if same else 'outputs differ'}",
                speedup >= JOBS_TARGET and same,
            )
        )
    return found


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python bench/run.py",
        description="Measure kzaz-facts throughput against a spaCy floor on a generated corpus.",
    )
    parser.add_argument(
        "--docs",
        action="append",
        default=None,
        help="Corpus size; repeatable or comma separated, e.g. 1000,10000 (default 1000).",
    )
    parser.add_argument(
        "--repeats", type=int, default=5, help="Rounds after the warm-up (default 5)."
    )
    parser.add_argument("--jobs", default="1,2", help="kzaz extract --jobs values (default 1,2).")
    parser.add_argument(
        "--formats", default="json", help="Output formats, e.g. json,jsonl (default json)."
    )
    parser.add_argument(
        "--big-mb",
        type=float,
        default=50.0,
        help="Size of the one big file in MB; 0 skips it (default 50).",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=BENCH_DIR / "results.md",
        help="Markdown results (default bench/results.md); the JSON goes beside it (.json).",
    )
    parser.add_argument("--seed", type=int, default=0, help="Corpus seed (default 0).")
    parser.add_argument(
        "--keep", action="store_true", help="Keep the corpus and outputs; print where."
    )
    parser.add_argument(
        "--kzaz",
        type=Path,
        default=Path(sys.executable).parent / "kzaz",
        help="The kzaz executable (default: the one beside this Python).",
    )
    return parser.parse_args(argv)


def bench(args: argparse.Namespace, out: IO[str]) -> None:
    from corpus import generate

    if not args.kzaz.exists():
        raise BenchError(f"no kzaz executable at {args.kzaz}; give one with --kzaz PATH")
    if args.repeats < 1:
        raise BenchError("--repeats must be at least 1")
    work_dir = Path(tempfile.mkdtemp(prefix="kzaz-bench-"))
    try:
        plan = Plan(args, work_dir)
        smallest: Path | None = None
        for docs in _positive_ints(args.docs or ["1000"], "--docs"):
            corpus_dir = work_dir / f"corpus-{docs}"
            _progress(f"{docs} docs: writing the corpus to {corpus_dir}")
            paths = generate(corpus_dir, docs, args.seed)
            plan.corpora.append((docs, corpus_dir, sum(path.stat().st_size for path in paths)))
            candidate = min(paths, key=lambda path: path.stat().st_size)
            if smallest is None or candidate.stat().st_size < smallest.stat().st_size:
                smallest = candidate
        assert smallest is not None  # _positive_ints never returns an empty list
        for number in range(args.repeats + 1):
            _progress("warm-up round" if number == 0 else f"round {number} of {args.repeats}")
            plan.one_round(number > 0, smallest)
        big = big_file_run(plan, args.big_mb, args.seed) if args.big_mb > 0 else None
        rows = [*plan.series.values(), *([big] if big else [])]
        for docs, _, _ in plan.corpora:
            for fmt in plan.formats:
                if not plan.identical_outputs(docs, fmt):
                    plan.series_for(f"cli {fmt} --jobs {plan.jobs[-1]}", docs, 0).notes.append(
                        "output differs between runs or --jobs values"
                    )
        found = targets(plan, big)
        results: dict[str, Any] = {
            "machine": machine(args.kzaz),
            "seed": args.seed,
            "repeats": args.repeats,
            "corpora": [
                {
                    "docs": docs,
                    "bytes": size,
                    "facts_per_doc": round(plan.library_runs[docs]["facts"] / docs, 3),
                    "engine_import_seconds": round(plan.library_runs[docs]["import_seconds"], 4),
                    "engine_build_seconds": round(plan.library_runs[docs]["build_seconds"], 4),
                }
                for docs, _, size in plan.corpora
            ],
            "targets": [target.as_json() for target in found],
            "measurements": [row.as_json() for row in rows],
            "notes": list(NOTES),
        }
    finally:
        if args.keep:
            _progress(f"corpus kept in {work_dir}")
        else:
            shutil.rmtree(work_dir, ignore_errors=True)
    markdown = render_markdown(results, rows, found)
    json_path = args.out.with_suffix(".json")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(markdown, encoding="utf-8")
    json_path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    out.write(markdown)
    _progress(f"written {args.out} and {json_path}")


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["--child"]:
        return child_main(arguments[1:])
    args = parse_args(arguments)
    try:
        bench(args, sys.stdout)
    except (BenchError, OSError, ValueError) as error:
        print(f"bench: error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
