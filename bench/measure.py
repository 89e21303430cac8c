"""One measurement per fresh process: the floor, the library, or one command's run.

``python bench/run.py --child KIND ARGS...`` calls these and prints one JSON line, so the peak
RSS of a measurement is that run's alone. Every measurement gives wall seconds and CPU seconds
(user + system): the machine may be shared, and CPU time swings far less than wall time.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

SAMPLE_SECONDS = 0.02  # tree RSS polling interval of the command launcher


class BenchError(Exception):
    """A measurement could not be taken; the message says which and why."""


def peak_rss_mb(who: int) -> float:
    """``ru_maxrss`` in MB: kilobytes on Linux, bytes on macOS."""
    peak = resource.getrusage(who).ru_maxrss
    return peak / 1e6 if sys.platform == "darwin" else peak * 1024 / 1e6


def _cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def child_floor(corpus_dir: Path) -> dict[str, Any]:
    """spaCy's blank English with the sentencizer: the least any spaCy pipeline can cost.

    Reading the files and splitting headers is not timed, as the library's own loader is not
    part of what the floor stands for.
    """
    import spacy

    from kzaz_facts.input_files import iter_input_paths
    from kzaz_facts.load import load_document

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    bodies: list[str] = []
    size = 0
    for entry in iter_input_paths([str(corpus_dir)]):
        if isinstance(entry, Path):
            bodies.append(load_document(entry).body)
            size += entry.stat().st_size
    wall, cpu = time.perf_counter(), time.process_time()
    for body in bodies:
        nlp(body)
    return {
        "seconds": time.perf_counter() - wall,
        "cpu_seconds": time.process_time() - cpu,
        "docs": len(bodies),
        "bytes": size,
        "peak_rss_mb": peak_rss_mb(resource.RUSAGE_SELF),
    }


def child_library(corpus_dir: Path) -> dict[str, Any]:
    """The library as a caller uses it: one Engine, a stream of results (build not timed)."""
    started = time.perf_counter()
    from kzaz_facts.engine import Engine
    from kzaz_facts.records import ErrorRecord

    imported = time.perf_counter()
    engine = Engine()
    built = time.perf_counter()
    cpu = time.process_time()
    docs = facts = errors = 0
    for item in engine.run([str(corpus_dir)]):
        if isinstance(item, ErrorRecord):
            errors += 1
        else:
            docs += 1
            facts += len(item.facts)
    return {
        "seconds": time.perf_counter() - built,
        "cpu_seconds": time.process_time() - cpu,
        "import_seconds": imported - started,
        "build_seconds": built - imported,
        "docs": docs,
        "facts": facts,
        "errors": errors,
        "peak_rss_mb": peak_rss_mb(resource.RUSAGE_SELF),
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


def child_command(command: Sequence[str]) -> dict[str, Any]:
    """Run one command: wall and CPU time, largest single process, summed tree RSS.

    This launcher has no other children, so ``RUSAGE_CHILDREN`` speaks of this run only
    (worker processes included, once the command has waited for them).
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
        "cpu_seconds": _cpu_seconds(resource.RUSAGE_CHILDREN),
        "exit_code": exit_code,
        "peak_rss_mb": peak_rss_mb(resource.RUSAGE_CHILDREN),
        "tree_rss_mb": None if sampler is None else sampler.peak_kb * 1024 / 1e6,
        "stderr_tail": message[-400:],
    }


def child_main(argv: Sequence[str]) -> int:
    """``--child floor DIR``, ``--child library DIR`` or ``--child command -- ARGV...``."""
    kind, *rest = argv
    if kind == "floor":
        result = child_floor(Path(rest[0]))
    elif kind == "library":
        result = child_library(Path(rest[0]))
    elif kind == "command":
        result = child_command(rest[1:] if rest[:1] == ["--"] else rest)
    else:
        print(f"bench: unknown child measurement {kind!r}", file=sys.stderr)
        return 2
    print(json.dumps(result))
    return 0


def run_child(script: Path, *argv: str) -> dict[str, Any]:
    """Run ``script --child ARGV...`` in a fresh interpreter; its JSON line as a dict."""
    command = [sys.executable, str(script), "--child", *argv]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = done.stderr.strip()[-2000:]
        raise BenchError(f"child {argv[0]} failed (exit {done.returncode}):\n{tail}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result
