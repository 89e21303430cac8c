"""The progress bar: by bytes, moving chunk by chunk through a long document, and drawn by a
thread that never takes the stop signals meant for the main thread."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kzaz_facts.engine import Engine, plan
from kzaz_facts.meter import ByteMeter
from kzaz_facts.output.progress import progress_bar, with_progress
from kzaz_facts.signals import STOP_SIGNALS

KZAZ = str(Path(sys.executable).with_name("kzaz"))
FACT = "Trade between Kazakhstan and Azerbaijan reached ${} million in 2023.\n\n"


class RecordingMeter(ByteMeter):
    """A meter that keeps every count it reaches."""

    def __init__(self) -> None:
        super().__init__()
        self.steps: list[int] = []

    def add(self, count: int) -> None:
        super().add(count)
        self.steps.append(self.done)


def _write_long(path: Path, paragraphs: int) -> Path:
    path.write_text("".join(FACT.format(i % 1000 + 1) for i in range(paragraphs)))
    return path


def test_the_meter_moves_chunk_by_chunk_and_ends_at_the_file_size(tmp_path: Path) -> None:
    long = _write_long(tmp_path / "long.txt", 200)
    short = _write_long(tmp_path / "short.txt", 2)
    tasks = plan([str(long), str(short), str(tmp_path / "missing.txt")])
    meter = RecordingMeter()
    results = list(Engine(chunk_chars=3_000).run_tasks(tasks, meter=meter))
    assert len(results) == 3
    size = long.stat().st_size
    within = [step for step in meter.steps if 0 < step < size]
    assert len(within) >= 3  # the long file's chunks, before it was done
    assert within == sorted(within)
    assert size in meter.steps
    assert meter.done == size + short.stat().st_size  # a missing file counts nothing


def test_jobs_2_workers_count_into_the_parents_meter(tmp_path: Path) -> None:
    for number in range(16):
        _write_long(tmp_path / f"doc{number:02}.txt", 40 if number == 3 else 3)
    tasks = plan([str(tmp_path)])
    meter = ByteMeter()
    results = list(Engine(chunk_chars=1_000).run_tasks(tasks, jobs=2, meter=meter))
    assert len(results) == 16
    assert meter.done == sum(task.size for task in tasks)


def test_the_bar_reads_the_meter_each_time_it_is_drawn() -> None:
    meter = ByteMeter()
    progress = progress_bar(3, meter)
    bar = progress.add_task("documents", total=1_000, documents=0)
    meter.add(400)
    list(progress.get_renderables())  # what the refresh thread does, ten times a second
    assert progress.tasks[bar].completed == 400


def test_the_bar_follows_bytes_and_counts_documents() -> None:
    meter = ByteMeter()

    def results() -> Iterator[int]:
        for document in range(3):
            meter.add(100)
            yield document

    shown = with_progress(results(), 3, meter, 300)
    assert list(shown) == [0, 1, 2]


def _stop_signals_blocked(thread: threading.Thread) -> set[int]:
    """The stop signals the thread blocks, from its kernel status."""
    status = Path(f"/proc/self/task/{thread.native_id}/status").read_text()
    (mask,) = re.findall(r"^SigBlk:\s*([0-9a-f]+)$", status, re.MULTILINE)
    return {number for number in STOP_SIGNALS if int(mask, 16) >> (number - 1) & 1}


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc")
def test_the_bars_thread_leaves_the_stop_signals_to_the_main_thread() -> None:
    before = set(threading.enumerate())
    shown = with_progress(iter(range(3)), 3, ByteMeter(), 3)
    assert next(shown) == 0
    started = [thread for thread in threading.enumerate() if thread not in before]
    try:
        assert started, "the bar started no thread"
        for thread in started:
            assert _stop_signals_blocked(thread) == set(STOP_SIGNALS)
        assert _stop_signals_blocked(threading.main_thread()) == set()
    finally:
        shown.close()  # type: ignore[attr-defined]


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc")
def test_the_pools_threads_leave_the_stop_signals_to_the_main_thread(
    engine: Engine, tmp_path: Path
) -> None:
    for number in range(16):
        _write_long(tmp_path / f"doc{number:02}.txt", 3)
    before = set(threading.enumerate())
    results = engine.run_tasks(plan([str(tmp_path)]), jobs=2)
    next(iter(results))
    started = [thread for thread in threading.enumerate() if thread not in before]
    try:
        assert started, "the pool started no thread"
        for thread in started:
            assert _stop_signals_blocked(thread) == set(STOP_SIGNALS), thread.name
    finally:
        results.close()  # type: ignore[attr-defined]


def _read_terminal(master: int, process: subprocess.Popen[bytes]) -> bytes:
    seen = b""
    while True:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(master, 65_536)
            except OSError:  # the terminal's other end closed: the run is over
                return seen
            if not chunk:
                return seen
            seen += chunk
        elif process.poll() is not None:
            return seen


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_one_long_file_shows_a_bar_by_bytes_on_a_terminal(tmp_path: Path) -> None:
    """1.4 MB in one file: three chunks, and a bar that shows bytes done between them."""
    long = tmp_path / "long.txt"
    long.write_text("The delegations met in Baku and talked about the region.\n\n" * 24_000)
    master, terminal = pty.openpty()
    process = subprocess.Popen(
        [KZAZ, "extract", str(long), "-f", "jsonl", "-o", os.devnull],
        stderr=terminal,
        env={**os.environ, "COLUMNS": "100", "TERM": "xterm"},
    )
    os.close(terminal)
    try:
        drawn = _read_terminal(master, process).decode(errors="replace")
    finally:
        os.close(master)
        process.wait(timeout=120)
    assert process.returncode == 0
    seen = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", drawn)  # colours and cursor moves
    shown = re.findall(r"(\d+(?:\.\d+)?)/1\.4 MB\s+0/1 documents", seen)
    assert any(0 < float(done) < 1.4 for done in shown), seen[-2_000:]
    assert "kzaz: 1 documents processed" in seen

