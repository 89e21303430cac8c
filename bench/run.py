"""Throughput of kzaz-facts on a generated corpus, against a bare spaCy floor.

    python bench/run.py --docs 10000
    python bench/run.py --docs 1000,10000 --jobs 1,2 --out bench/results.md --keep

For every corpus size the same files (written by ``bench/corpus.py`` into a temporary
directory) go through:

* floor: ``spacy.blank("en")`` and the ``sentencizer``, one ``nlp(body)`` per document, as
  the library calls it; reading the files and splitting headers is not timed;
* library: ``Engine().run([corpus])`` in process, every item consumed; building the Engine is
  timed apart;
* cli: ``kzaz extract CORPUS -f json|jsonl -o FILE --jobs J``, the wall time of the process,
  start-up included.

Each measurement runs in a fresh child process (``run.py --child KIND ...``, which prints one
JSON line), so the peak RSS of a row is that run's alone. Results go to stdout, to
``bench/results.md`` and to ``bench/results.json``. Nothing here asserts a timing.

Where the time goes, stage by stage and function by function: ``bench/hotspots.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import IO, Any

BENCH_DIR = Path(__file__).resolve().parent
STARTUP_RUNS = 5
SAMPLE_SECONDS = 0.02  # tree RSS polling interval of the cli launcher
FORMATS = ("json", "jsonl")


class BenchError(Exception):
    """A measurement could not be taken; the message says which and why."""


# --- rows ---------------------------------------------------------------------------------


@dataclass(slots=True)
class Row:
    measurement: str  # "floor", "library", "cli json", "cli jsonl"
    docs: int
    jobs: int | None  # None: not a cli row, or kzaz has no --jobs
    seconds: float
    bytes: int
    peak_rss_mb: float
    tree_rss_mb: float | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def mb_per_s(self) -> float:
        return self.bytes / 1e6 / self.seconds if self.seconds > 0 else 0.0

    @property
    def docs_per_s(self) -> float:
        return self.docs / self.seconds if self.seconds > 0 else 0.0

    @property
    def key(self) -> tuple[str, int | None]:
        """The same measurement at another corpus size has the same key."""
        return self.measurement, self.jobs

    def as_json(self, floor: Row | None) -> dict[str, Any]:
        values = asdict(self)
        values["mb_per_s"] = round(self.mb_per_s, 4)
        values["docs_per_s"] = round(self.docs_per_s, 3)
        values["ratio_to_floor"] = _ratio(self, floor)
        return values


def _ratio(row: Row, floor: Row | None) -> float | None:
    if floor is None or floor.mb_per_s == 0:
        return None
    return round(row.mb_per_s / floor.mb_per_s, 4)


@dataclass(slots=True)
class CorpusRun:
    """Everything measured on one corpus size."""

    docs: int
    bytes: int
    rows: list[Row] = field(default_factory=list)
    facts: int = 0
    errors: int = 0
    import_seconds: float = 0.0
    build_seconds: float = 0.0

    @property
    def floor(self) -> Row | None:
        return next((row for row in self.rows if row.measurement == "floor"), None)


# --- children: one measurement per fresh process ------------------------------------------


def _peak_rss_mb(who: int) -> float:
    """``ru_maxrss`` in MB: kilobytes on Linux, bytes on macOS."""
    peak = resource.getrusage(who).ru_maxrss
    return peak / 1e6 if sys.platform == "darwin" else peak * 1024 / 1e6


def child_floor(corpus_dir: Path) -> dict[str, Any]:
    """spaCy's blank English with the sentencizer: the least any spaCy pipeline can cost."""
    import spacy

    from kzaz_facts.input_files import iter_input_paths
    from kzaz_facts.load import load_document

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp_seconds = load_seconds = 0.0
    docs = size = errors = 0
    for entry in iter_input_paths([str(corpus_dir)]):
        if not isinstance(entry, Path):
            errors += 1
            continue
        started = time.perf_counter()
        document = load_document(entry)
        loaded = time.perf_counter()
        nlp(document.body)
        nlp_seconds += time.perf_counter() - loaded
        load_seconds += loaded - started
        docs += 1
        size += entry.stat().st_size
    return {
        "seconds": nlp_seconds,
        "load_seconds": load_seconds,
        "docs": docs,
        "bytes": size,
        "errors": errors,
        "peak_rss_mb": _peak_rss_mb(resource.RUSAGE_SELF),
    }


def child_library(corpus_dir: Path) -> dict[str, Any]:
    """The library as a caller uses it: one Engine, a stream of results."""
    started = time.perf_counter()
    from kzaz_facts.engine import Engine
    from kzaz_facts.records import ErrorRecord

    imported = time.perf_counter()
    engine = Engine()
    built = time.perf_counter()
    docs = facts = errors = 0
    for item in engine.run([str(corpus_dir)]):
        if isinstance(item, ErrorRecord):
            errors += 1
        else:
            docs += 1
            facts += len(item.facts)
    finished = time.perf_counter()
    return {
        "seconds": finished - built,
        "import_seconds": imported - started,
        "build_seconds": built - imported,
        "docs": docs,
        "facts": facts,
        "errors": errors,
        "peak_rss_mb": _peak_rss_mb(resource.RUSAGE_SELF),
    }


def _vmrss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass  # the process ended between listing and reading, or is a zombie
    return 0


def _children_from_tasks(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as children:
                found.extend(int(child) for child in children.read().split())
        except (OSError, ValueError):
            continue
    return found


def _children_from_scan(pid: int) -> list[int]:
    """For kernels without ``/proc/PID/task/TID/children``: every process's parent id."""
    found: list[int] = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", encoding="ascii", errors="replace") as stat:
                # The command name may hold spaces and parentheses; fields follow the last ")".
                parent = int(stat.read().rpartition(")")[2].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if parent == pid:
            found.append(int(name))
    return found


class TreeSampler(threading.Thread):
    """Polls the summed VmRSS of a process and its descendants; keeps the peak."""

    def __init__(self, pid: int, interval: float = SAMPLE_SECONDS) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.peak_kb = 0
        self.samples = 0
        self.done = threading.Event()
        own = f"/proc/{os.getpid()}/task/{os.getpid()}/children"
        self.children = _children_from_tasks if os.path.exists(own) else _children_from_scan

    def run(self) -> None:
        while True:
            self.peak_kb = max(self.peak_kb, self.tree_kb())
            self.samples += 1
            if self.done.wait(self.interval):
                return

    def tree_kb(self) -> int:
        pids = [self.pid]
        for pid in pids:  # grows while it is walked: breadth first over the tree
            pids.extend(self.children(pid))
        return sum(_vmrss_kb(pid) for pid in pids)


def child_cli(command: Sequence[str]) -> dict[str, Any]:
    """Run one command; wall time, largest single process (``ru_maxrss``), summed tree RSS.

    This launcher has no other children, so ``RUSAGE_CHILDREN`` speaks of this run only.
    """
    with tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
        sampler = TreeSampler(process.pid) if os.path.isdir("/proc") else None
        if sampler is not None:
            sampler.start()
        exit_code = process.wait()
        seconds = time.perf_counter() - started
        if sampler is not None:
            sampler.done.set()
            sampler.join()
        stderr.seek(0)
        message = stderr.read().decode("utf-8", "replace").strip()
    return {
        "seconds": seconds,
        "exit_code": exit_code,
        "peak_rss_mb": _peak_rss_mb(resource.RUSAGE_CHILDREN),
        "tree_rss_mb": None if sampler is None else sampler.peak_kb * 1024 / 1e6,
        "samples": 0 if sampler is None else sampler.samples,
        "stderr_tail": message[-400:],
    }


def child_main(argv: Sequence[str]) -> int:
    kind, *rest = argv
    if kind == "floor":
        result = child_floor(Path(rest[0]))
    elif kind == "library":
        result = child_library(Path(rest[0]))
    elif kind == "cli":
        result = child_cli(rest[1:] if rest[:1] == ["--"] else rest)
    else:
        print(f"bench: unknown child measurement {kind!r}", file=sys.stderr)
        return 2
    print(json.dumps(result))
    return 0


def run_child(*argv: str) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", *argv]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = done.stderr.strip()[-2000:]
        raise BenchError(f"child {argv[0]} failed (exit {done.returncode}):\n{tail}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


# --- the parent: corpus, measurements, report ---------------------------------------------


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


def supports_jobs(kzaz: Path) -> bool:
    """Whether ``kzaz extract`` takes ``--jobs``; a wide, plain help keeps the name whole."""
    environment = {**os.environ, "COLUMNS": "240", "NO_COLOR": "1", "TERM": "dumb"}
    shown = subprocess.run(
        [str(kzaz), "extract", "--help"],
        capture_output=True,
        text=True,
        check=False,
        env=environment,
    )
    return "--jobs" in shown.stdout


def best_wall_seconds(command: Sequence[str], runs: int = STARTUP_RUNS) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
        )
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            tail = done.stderr.decode("utf-8", "replace").strip()[-400:]
            raise BenchError(f"{' '.join(command)} exited {done.returncode}: {tail}")
        best = min(best, elapsed)
    return best


def _count_output(path: Path, output_format: str) -> tuple[int | None, int | None]:
    """(facts, documents) found in a ``kzaz extract`` output file; None when unknown."""
    if output_format == "json":
        report = json.loads(path.read_text(encoding="utf-8"))
        return len(report.get("facts", [])), len(report.get("documents", []))
    with path.open(encoding="utf-8") as lines:
        return sum(1 for line in lines if line.strip()), None


def measure_corpus(
    corpus_dir: Path,
    docs: int,
    size: int,
    *,
    kzaz: Path,
    jobs: Sequence[int | None],
    out_dir: Path,
    keep: bool,
) -> CorpusRun:
    run = CorpusRun(docs=docs, bytes=size)

    _progress(f"{docs} docs: floor (blank English + sentencizer)")
    floor = run_child("floor", str(corpus_dir))
    run.rows.append(
        Row(
            "floor",
            docs,
            None,
            floor["seconds"],
            size,
            floor["peak_rss_mb"],
            notes=[f"reading and header split {floor['load_seconds']:.2f} s, not timed"],
        )
    )

    _progress(f"{docs} docs: library (Engine in process)")
    library = run_child("library", str(corpus_dir))
    run.facts, run.errors = library["facts"], library["errors"]
    run.import_seconds, run.build_seconds = library["import_seconds"], library["build_seconds"]
    notes = [f"Engine build {library['build_seconds']:.2f} s, not timed"]
    if library["errors"]:
        notes.append(f"{library['errors']} input errors")
    run.rows.append(
        Row("library", docs, None, library["seconds"], size, library["peak_rss_mb"], notes=notes)
    )

    for output_format in FORMATS:
        for job_count in jobs:
            label = "unsupported" if job_count is None else str(job_count)
            _progress(f"{docs} docs: kzaz extract -f {output_format}, jobs {label}")
            output = out_dir / f"extract-{docs}-j{label}.{output_format}"
            command = [str(kzaz), "extract", str(corpus_dir), "-f", output_format]
            command += ["-o", str(output)]
            if job_count is not None:
                command += ["--jobs", str(job_count)]
            launched = run_child("cli", "--", *command)
            notes = [] if job_count is not None else ["(jobs unsupported)"]
            if launched["exit_code"] != 0:
                notes.append(f"exit {launched['exit_code']}: {launched['stderr_tail'][-120:]}")
            if output.exists():
                facts, documents = _count_output(output, output_format)
                if output_format == "json" and (facts, documents) != (run.facts, docs):
                    notes.append(f"{facts} facts/{documents} docs, library {run.facts}/{docs}")
                if not keep:
                    output.unlink()
            else:
                notes.append("no output file")
            run.rows.append(
                Row(
                    f"cli {output_format}",
                    docs,
                    job_count,
                    launched["seconds"],
                    size,
                    launched["peak_rss_mb"],
                    launched["tree_rss_mb"],
                    notes,
                )
            )
    return run


def rss_ratios(runs: Sequence[CorpusRun]) -> list[dict[str, Any]]:
    """Peak RSS at the largest corpus over the smallest, per measurement."""
    if len(runs) < 2:
        return []
    small = min(runs, key=lambda run: run.docs)
    large = max(runs, key=lambda run: run.docs)
    by_key = {row.key: row for row in small.rows}
    ratios: list[dict[str, Any]] = []
    for row in large.rows:
        base = by_key.get(row.key)
        if base is None or base.peak_rss_mb == 0:
            continue
        tree = None
        if row.tree_rss_mb and base.tree_rss_mb:
            tree = round(row.tree_rss_mb / base.tree_rss_mb, 3)
        ratios.append(
            {
                "measurement": row.measurement,
                "jobs": row.jobs,
                "docs": [small.docs, large.docs],
                "peak_rss": round(row.peak_rss_mb / base.peak_rss_mb, 3),
                "tree_rss": tree,
            }
        )
    return ratios


# --- rendering ----------------------------------------------------------------------------

NOTES = (
    "MB = 10^6 bytes of file text (UTF-8); every row reads the same files.",
    'floor: spacy.blank("en") + sentencizer, one nlp(body) per document, nothing else timed.',
    "library: Engine().run([corpus]) in process, every result consumed; Engine build apart.",
    "cli: wall time of `kzaz extract CORPUS -f FORMAT -o FILE [--jobs J]`, start-up included.",
    "× floor: MB/s of the row over MB/s of the floor on the same corpus.",
    "peak RSS: ru_maxrss of the measuring process (floor, library) or of the largest single "
    "process of the kzaz run (cli; with --jobs > 1 the largest one process, not the sum).",
    f"tree RSS: peak of the summed VmRSS of the kzaz process and its children, sampled every "
    f"{SAMPLE_SECONDS * 1000:.0f} ms (pages shared after fork are counted in each process).",
)


def _number(value: float | None, digits: int) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def _jobs_cell(row: Row) -> str:
    if row.measurement.startswith("cli"):
        return "–" if row.jobs is None else str(row.jobs)
    return ""


def render_markdown(results: dict[str, Any], runs: Sequence[CorpusRun]) -> str:
    info = results["machine"]
    startup = results["startup"]
    lines = [
        "# kzaz-facts throughput",
        "",
        f"Machine: {info['cpu']}, {info['cores']} cores ({info['usable_cores']} usable); "
        f"{info['platform']}; Python {info['python']}; spaCy {info['spacy']}; {info['kzaz']}.",
        "",
    ]
    for run in runs:
        per_doc = run.facts / run.docs if run.docs else 0.0
        lines.append(
            f"Corpus: `bench/corpus.py --docs {run.docs} --seed {results['seed']}`: "
            f"{run.bytes / 1e6:.2f} MB, {per_doc:.2f} facts/doc, {run.errors} input errors; "
            f"Engine import {run.import_seconds:.2f} s, build {run.build_seconds:.2f} s."
        )
    lines += [
        "",
        "| measurement | docs | jobs | seconds | MB/s | docs/s | × floor "
        "| peak RSS MB | tree RSS MB | notes |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    rows = sorted(
        ((run, row) for run in runs for row in run.rows),
        key=lambda pair: (_order(pair[1]), pair[1].jobs or 0, pair[1].docs),
    )
    for run, row in rows:
        lines.append(
            f"| {row.measurement} | {row.docs:,} | {_jobs_cell(row)} | {row.seconds:,.2f} "
            f"| {row.mb_per_s:,.3f} | {row.docs_per_s:,.1f} | {_number(_ratio(row, run.floor), 2)} "
            f"| {row.peak_rss_mb:,.0f} | {_number(row.tree_rss_mb, 0)} | {'; '.join(row.notes)} |"
        )
    lines += [
        "",
        f"Start-up, best of {STARTUP_RUNS} (wall): `kzaz --version` "
        f"{startup['version_seconds']:.3f} s; `kzaz extract ONE_FILE -f json` "
        f"{startup['extract_one_seconds']:.3f} s ({startup['file_bytes']:,} bytes).",
    ]
    if results["rss_ratios"]:
        small, large = results["rss_ratios"][0]["docs"]
        lines += ["", f"Peak RSS, {large:,} docs over {small:,} docs:", ""]
        for ratio in results["rss_ratios"]:
            jobs = "" if ratio["jobs"] is None else f" (jobs {ratio['jobs']})"
            tree = "" if ratio["tree_rss"] is None else f", tree {ratio['tree_rss']:.2f}×"
            lines.append(f"- {ratio['measurement']}{jobs}: {ratio['peak_rss']:.2f}×{tree}")
    lines += ["", *(f"- {note}" for note in NOTES), ""]
    return "\n".join(lines)


def _order(row: Row) -> int:
    names = ["floor", "library", *(f"cli {name}" for name in FORMATS)]
    return names.index(row.measurement) if row.measurement in names else len(names)


# --- command line -------------------------------------------------------------------------


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
        "--jobs", default="1,2", help="kzaz extract --jobs values, comma separated (default 1,2)."
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
    from corpus import generate  # bench/ is sys.path[0] when run as `python bench/run.py`

    sizes = _positive_ints(args.docs or ["1000"], "--docs")
    kzaz: Path = args.kzaz
    if not kzaz.exists():
        raise BenchError(f"no kzaz executable at {kzaz}; give one with --kzaz PATH")
    jobs: list[int | None] = list(_positive_ints([args.jobs], "--jobs"))
    if not supports_jobs(kzaz):
        _progress("kzaz extract has no --jobs: one cli run per format, without the flag")
        jobs = [None]

    work_dir = Path(tempfile.mkdtemp(prefix="kzaz-bench-"))
    try:
        out_dir = work_dir / "out"
        out_dir.mkdir()
        runs: list[CorpusRun] = []
        smallest: Path | None = None
        for docs in sizes:
            corpus_dir = work_dir / f"corpus-{docs}"
            _progress(f"{docs} docs: writing the corpus to {corpus_dir}")
            paths = generate(corpus_dir, docs, args.seed)
            size = sum(path.stat().st_size for path in paths)
            candidate = min(paths, key=lambda path: path.stat().st_size)
            if smallest is None or candidate.stat().st_size < smallest.stat().st_size:
                smallest = candidate
            runs.append(
                measure_corpus(
                    corpus_dir, docs, size, kzaz=kzaz, jobs=jobs, out_dir=out_dir, keep=args.keep
                )
            )
        assert smallest is not None  # sizes is never empty
        _progress("start-up times")
        startup = {
            "version_seconds": best_wall_seconds([str(kzaz), "--version"]),
            "extract_one_seconds": best_wall_seconds(
                [str(kzaz), "extract", str(smallest), "-f", "json"]
            ),
            "file_bytes": smallest.stat().st_size,
            "runs": STARTUP_RUNS,
        }
        results: dict[str, Any] = {
            "machine": machine(kzaz),
            "seed": args.seed,
            "jobs_supported": jobs != [None],
            "corpora": [
                {
                    "docs": run.docs,
                    "bytes": run.bytes,
                    "facts": run.facts,
                    "facts_per_doc": round(run.facts / run.docs, 3),
                    "errors": run.errors,
                    "engine_import_seconds": round(run.import_seconds, 4),
                    "engine_build_seconds": round(run.build_seconds, 4),
                }
                for run in runs
            ],
            "startup": startup,
            "rows": [row.as_json(run.floor) for run in runs for row in run.rows],
            "rss_ratios": rss_ratios(runs),
            "notes": list(NOTES),
        }
    finally:
        if args.keep:
            _progress(f"corpus and outputs kept in {work_dir}")
        else:
            shutil.rmtree(work_dir, ignore_errors=True)

    markdown = render_markdown(results, runs)
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
    except (BenchError, OSError) as error:
        print(f"bench: error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
