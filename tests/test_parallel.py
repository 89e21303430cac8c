"""--jobs, streamed output and the task plan: the same bytes however the run is split."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from kzaz_facts.engine import DocumentResult, Engine, plan
from kzaz_facts.errors import KzazError
from kzaz_facts.output.streams import facts_jsonl, report_json, stream_json, stream_jsonl
from kzaz_facts.records import ErrorRecord
from kzaz_facts.report import build_report
from kzaz_facts.workers import worker_count

ROOT = Path(__file__).parent.parent
SEEDS = ROOT / "seeds"
KZAZ = str(Path(sys.executable).with_name("kzaz"))


@pytest.fixture(scope="module")
def corpus(
    tmp_path_factory: pytest.TempPathFactory, bench_module: Callable[[str], ModuleType]
) -> Path:
    """The seeds, 40 generated articles, and an empty file that must become an error."""
    root = tmp_path_factory.mktemp("corpus")
    bench_module("corpus").generate(root / "generated", 40)
    (root / "empty.txt").write_bytes(b"")
    return root


def _extract(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([KZAZ, "extract", *args], capture_output=True, check=False)


@pytest.mark.parametrize(
    ("output_format", "options"),
    [("json", ()), ("jsonl", ()), ("csv", ("-t", "trade_turnover")), ("jsonl", ("--flat",))],
)
def test_jobs_2_writes_the_same_bytes_as_jobs_1(
    corpus: Path, output_format: str, options: tuple[str, ...]
) -> None:
    paths = [str(SEEDS), str(corpus)]
    one = _extract(*paths, "-f", output_format, *options, "--jobs", "1")
    two = _extract(*paths, "-f", output_format, *options, "--jobs", "2")
    assert one.returncode == two.returncode == 0  # an empty file is a skip, not a failure
    assert one.stdout == two.stdout
    assert one.stderr == two.stderr
    assert b"45 documents processed, 1 skipped or failed" in one.stderr
    if output_format == "jsonl":
        assert one.stdout.count(b"\n") > 45 * 3  # several facts per generated article


def test_jobs_results_come_back_in_input_order(engine: Engine, corpus: Path) -> None:
    tasks = plan([str(SEEDS), str(corpus)])
    assert worker_count(2, len(tasks)) == 2
    serial = list(engine.run_tasks(tasks, jobs=1))
    parallel = list(engine.run_tasks(tasks, jobs=2))
    assert parallel == serial


def test_streamed_json_is_the_report_byte_for_byte(engine: Engine, tmp_path: Path) -> None:
    results = list(engine.run([str(SEEDS), str(tmp_path / "missing.txt")]))
    stream = io.StringIO()
    tally = stream_json(results, stream)
    assert stream.getvalue() == report_json(build_report(results))
    assert (tally.documents, tally.facts, [e.kind for e in tally.errors]) == (5, 18, ["not_found"])


def test_streamed_json_of_nothing() -> None:
    stream = io.StringIO()
    stream_json([], stream)
    assert stream.getvalue() == report_json(build_report([]))


def test_streamed_jsonl_keeps_only_the_facts_asked_for(engine: Engine) -> None:
    results = list(engine.run([str(SEEDS)]))
    stream = io.StringIO()
    tally = stream_jsonl(results, stream, lambda fact: fact.type == "tourist_flow")
    report = build_report(results, types={"tourist_flow"})
    assert stream.getvalue() == facts_jsonl(report.facts)
    assert tally.facts == len(report.facts) == 1


def test_files_sharing_a_name_get_their_path_as_doc_id(tmp_path: Path) -> None:
    article = "Trade between Kazakhstan and Azerbaijan reached $250 million in 2021.\n"
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "report.txt").write_text(article)
    (tmp_path / "other.txt").write_text(article)
    doc_ids = [task.doc_id for task in plan([str(tmp_path)])]
    assert doc_ids == [f"{tmp_path.as_posix()}/a/report", f"{tmp_path.as_posix()}/b/report", "other"]


def test_stdin_document_has_the_hash_of_its_bytes(engine: Engine) -> None:
    raw = b"Trade between Kazakhstan and Azerbaijan reached $250 million in 2021.\n"
    (result,) = engine.run(["-"], raw)
    assert isinstance(result, DocumentResult)
    document = result.document
    assert (document.doc_id, document.path) == ("stdin", "-")
    assert document.content_hash == hashlib.sha256(raw).hexdigest()


def test_worker_count_follows_jobs_and_corpus_size() -> None:
    assert worker_count(1, 10_000) == 1
    assert worker_count(2, 10_000) == 2
    assert worker_count(4, 20) == 2  # too few documents to keep four workers busy
    assert worker_count(2, 3) == 1


def _die(task: object) -> object:
    os._exit(3)  # a worker killed mid-run (out of memory, a signal)


def test_workers_that_always_die_stop_the_run_not_hang_it(
    engine: Engine, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kzaz_facts.workers as workers_module

    monkeypatch.setattr(workers_module, "_work", _die)
    with pytest.raises(KzazError, match="worker processes keep stopping unexpectedly"):
        list(engine.run_tasks(plan([str(corpus)]), jobs=2))


def test_path_errors_cross_to_the_workers(engine: Engine, corpus: Path, tmp_path: Path) -> None:
    tasks = plan([str(corpus), str(tmp_path / "missing"), str(tmp_path)])
    results = list(engine.run_tasks(tasks, jobs=2))
    errors = [(r.path, r.kind) for r in results if isinstance(r, ErrorRecord)]
    assert (str(tmp_path / "missing"), "not_found") in errors
    assert (str(tmp_path), "no_input") in errors
    assert results == list(engine.run_tasks(tasks, jobs=1))
