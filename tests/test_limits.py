"""What a run reads and where it writes: special files, sizes, names, links, output targets,
signals and worker processes. Each case runs the command, through ``CliRunner`` or as a real
process where a signal, a pipe or a closed descriptor needs one.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from typer.testing import CliRunner

from kzaz_facts.cli import app
from kzaz_facts.engine import Engine, plan

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
BASELINE = ROOT / "tests" / "baseline" / "seeds.json"
KZAZ = str(Path(sys.executable).with_name("kzaz"))

runner = CliRunner()

SENTENCE = "Trade turnover between Kazakhstan and Azerbaijan reached $250 million in 2021."
ARTICLE = f" date 2023-03-02 BAKU, Azerbaijan, March 2. {SENTENCE}\n".encode()
OUTSIDE = ARTICLE.replace(b"$250 million", b"$975 million")
AMOUNT = 250_000_000


def _extract(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [KZAZ, "extract", *args], capture_output=True, check=False, timeout=120, **kwargs
    )


def _invoke(*args: str) -> tuple[int, dict[str, Any], str]:
    result = runner.invoke(app, ["extract", *args, "-f", "json", "--jobs", "1"])
    return result.exit_code, json.loads(result.stdout), result.stderr


def _errors(report: dict[str, Any]) -> list[tuple[str, str]]:
    return [(error["path"], error["kind"]) for error in report["errors"]]


@pytest.fixture(scope="module")
def big_corpus(
    tmp_path_factory: pytest.TempPathFactory, bench_module: Callable[[str], ModuleType]
) -> Path:
    """Enough generated articles that a run with two workers takes a few seconds."""
    root = tmp_path_factory.mktemp("big")
    bench_module("corpus").generate(root, 240)
    return root


# --- paths and identity -------------------------------------------------------------------


def test_fifo_and_device_are_refused_without_being_opened(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_bytes(ARTICLE)
    os.mkfifo(corpus / "pipe.txt")  # opening it for reading would block forever
    (corpus / "zero.txt").symlink_to("/dev/zero")  # reading it would never end
    os.mkfifo(tmp_path / "named_pipe.txt")
    (tmp_path / "named_null.txt").symlink_to(os.devnull)  # a link to /dev/zero would be a duplicate
    named = [str(tmp_path / "named_pipe.txt"), str(tmp_path / "named_null.txt")]
    result = _extract(str(corpus), *named, "-f", "json", "--jobs", "1")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert _errors(report) == [
        (str(corpus / "pipe.txt"), "not_regular_file"),
        (str(corpus / "zero.txt"), "not_regular_file"),
        (named[0], "not_regular_file"),
        (named[1], "not_regular_file"),
    ]
    messages = [error["message"] for error in report["errors"]]
    assert messages[0] == "is a FIFO (named pipe), not a regular file; not read"
    assert messages[1] == "is a character device, not a regular file; not read"
    assert [d["doc_id"] for d in report["documents"]] == ["good"]
    assert [f["value"]["amount"] for f in report["facts"]] == [AMOUNT]
    assert f"kzaz: not_regular_file: {named[0]}: ".encode() in result.stderr


def test_too_large_is_reported_without_reading(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_bytes(ARTICLE)
    with (tmp_path / "huge.txt").open("wb") as huge:  # sparse: 60 MB of NUL, never read
        huge.truncate(60 * 1024 * 1024)
    (tmp_path / "long.txt").write_bytes(ARTICLE * 3)
    code, report, _ = _invoke(str(tmp_path))
    assert code == 1
    assert _errors(report) == [(str(tmp_path / "huge.txt"), "too_large")]
    assert report["errors"][0]["message"] == (
        "62914560 bytes, over the --max-bytes limit of 52428800; not read"
    )
    code, report, _ = _invoke(str(tmp_path / "good.txt"), str(tmp_path / "long.txt"),
                                   "--max-bytes", str(len(ARTICLE)))  # fmt: skip
    assert _errors(report) == [(str(tmp_path / "long.txt"), "too_large")]
    assert [d["doc_id"] for d in report["documents"]] == ["good"]


def test_too_large_on_standard_input() -> None:
    result = runner.invoke(app, ["extract", "-", "-f", "json", "--max-bytes", "20"], input=ARTICLE)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert _errors(report) == [("-", "too_large")]


def test_a_name_that_is_not_utf8_is_kept_and_the_json_stays_valid(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_bytes(ARTICLE)
    bad_name = os.fsdecode(b"caf\xe9.txt")
    (tmp_path / bad_name).write_bytes(ARTICLE)
    (tmp_path / os.fsdecode(b"empty\xff.txt")).write_bytes(b"")
    result = _extract(str(tmp_path), "-f", "json", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.decode("utf-8"))
    shown = f"{tmp_path}/caf\\xe9.txt"
    assert [(d["doc_id"], d["path"]) for d in report["documents"]] == [
        ("caf\\xe9", shown),
        ("good", str(tmp_path / "good.txt")),
    ]
    assert [f["value"]["amount"] for f in report["facts"]] == [AMOUNT, AMOUNT]
    assert _errors(report) == [(f"{tmp_path}/empty\\xff.txt", "empty")]
    assert f"kzaz: empty: {tmp_path}/empty\\xff.txt: ".encode() in result.stderr


def test_names_differing_only_in_case_or_extension_get_distinct_ids(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    (tmp_path / "m").mkdir()
    (tmp_path / "c" / "x.txt").write_bytes(ARTICLE)
    (tmp_path / "c" / "x.TXT").write_bytes(ARTICLE)
    (tmp_path / "m" / "x.txt").write_bytes(ARTICLE)
    (tmp_path / "m" / "x.md").write_bytes(ARTICLE)
    m_txt, m_md = str(tmp_path / "m" / "x.txt"), str(tmp_path / "m" / "x.md")
    code, report, _ = _invoke(str(tmp_path / "c"), m_txt, m_md)
    assert code == 0
    base = tmp_path.as_posix()
    assert [d["doc_id"] for d in report["documents"]] == [
        f"{base}/c/x.TXT",
        f"{base}/c/x.txt",
        f"{base}/m/x.txt",
        f"{base}/m/x.md",
    ]
    ids = [fact["id"] for fact in report["facts"]]
    assert len(ids) == 4
    assert len(set(ids)) == 4


def test_the_same_file_twice_is_one_document_and_a_duplicate(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(ARTICLE)
    (tmp_path / "alias.txt").symlink_to("a.txt")
    a, alias = str(tmp_path / "a.txt"), str(tmp_path / "alias.txt")
    for extra, exit_code in (([], 0), (["--strict"], 1)):
        code, report, stderr = _invoke(a, a, alias, *extra)
        assert code == exit_code
        assert [d["path"] for d in report["documents"]] == [a]
        assert _errors(report) == [(a, "duplicate"), (alias, "duplicate")]
        assert report["errors"][1]["message"] == f"same file as {a}; read once"
        assert f"kzaz: duplicate: {alias}: same file as {a}; read once" in stderr


def test_a_walk_does_not_follow_links_out_of_the_directory(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "inner").mkdir(parents=True)
    (corpus / "good.txt").write_bytes(ARTICLE)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "far.txt").write_bytes(OUTSIDE)
    (corpus / "far.txt").symlink_to(tmp_path / "elsewhere" / "far.txt")
    (corpus / "passwd.txt").symlink_to("/etc/passwd")
    (corpus / "inner" / "away").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    code, report, _ = _invoke(str(corpus))
    assert code == 0  # passed over, not failed
    assert _errors(report) == [
        (str(corpus / "far.txt"), "link_outside"),
        (str(corpus / "inner" / "away"), "link_outside"),
        (str(corpus / "passwd.txt"), "link_outside"),
    ]
    assert report["errors"][0]["message"] == (
        f"symlink leads outside {corpus}; not read (see --follow-links)"
    )
    assert [f["value"]["amount"] for f in report["facts"]] == [AMOUNT]
    code, report, _ = _invoke(str(corpus), "--follow-links", "--strict")
    assert [d["path"] for d in report["documents"]] == [
        str(corpus / "far.txt"),
        str(corpus / "good.txt"),
        str(corpus / "passwd.txt"),
    ]
    assert _errors(report) == [(str(corpus / "inner" / "away" / "far.txt"), "duplicate")]
    assert code == 1  # --strict counts the duplicate
    assert [f["value"]["amount"] for f in report["facts"]] == [975_000_000, AMOUNT]


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(["check", "--baseline", str(BASELINE)], id="check"),
        pytest.param(["timeline", "-f", "json"], id="timeline"),
    ],
)
def test_check_and_timeline_report_unreadable_inputs(tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "missing.txt"
    result = runner.invoke(app, [command[0], str(SEEDS), str(missing), *command[1:]])
    assert result.exit_code == 1
    assert f"kzaz: not_found: {missing}: no such file or directory\n" in result.stderr
    assert "Traceback" not in result.stderr


# --- output targets -------------------------------------------------------------------------


def _one_line(stderr: bytes | str) -> str:
    text = stderr.decode() if isinstance(stderr, bytes) else stderr
    lines = text.splitlines()
    assert len(lines) == 1, text
    return lines[0]


@pytest.mark.parametrize(
    ("make_target", "message"),
    [
        pytest.param(lambda tmp: tmp, "is a directory; name a file", id="a-directory"),
        pytest.param(
            lambda tmp: tmp / "no" / "out.json", "directory {tmp}/no does not exist", id="no-parent"
        ),
        pytest.param(
            lambda tmp: tmp / "corpus" / "good.txt",
            "is one of the inputs; it would be overwritten",
            id="an-input",
        ),
    ],
)
def test_a_bad_output_is_a_usage_error_before_any_work(
    tmp_path: Path, make_target: Any, message: str
) -> None:
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "good.txt").write_bytes(ARTICLE)
    target = make_target(tmp_path)
    result = runner.invoke(app, ["extract", str(tmp_path / "corpus"), "-o", str(target)])
    assert result.exit_code == 2
    assert _one_line(result.stderr) == (
        f"kzaz: error: -o {target}: " + message.format(tmp=tmp_path)
    )
    assert (tmp_path / "corpus" / "good.txt").read_bytes() == ARTICLE
    assert sorted(p.name for p in (tmp_path / "corpus").iterdir()) == ["good.txt"]


def test_output_through_symlinks_writes_what_they_name(tmp_path: Path) -> None:
    (tmp_path / "real.json").write_text("old\n")
    (tmp_path / "to_file.json").symlink_to("real.json")
    (tmp_path / "to_null.json").symlink_to(os.devnull)
    for link in ("to_file.json", "to_null.json"):
        result = runner.invoke(app, ["extract", str(SEEDS), "-o", str(tmp_path / link)])
        assert result.exit_code == 0, result.stderr
        assert (tmp_path / link).is_symlink()
    assert json.loads((tmp_path / "real.json").read_text())["schema_version"] == "1.1"
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "real.json",
        "to_file.json",
        "to_null.json",
    ]


def test_output_to_a_device_is_written_through() -> None:
    result = _extract(str(SEEDS), "-o", os.devnull, "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    assert not [name for name in os.listdir("/dev") if name.startswith(".null.")]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("target", ["stdout", "-o"])
def test_a_full_disk_is_one_line_and_exit_1(target: str) -> None:
    if target == "stdout":
        with open("/dev/full", "wb") as full:
            result = subprocess.run(
                [KZAZ, "extract", str(SEEDS), "-f", "json", "--jobs", "1"],
                stdout=full,
                stderr=subprocess.PIPE,
                check=False,
                timeout=300,
            )
        where = "standard output"
    else:
        result = _extract(str(SEEDS), "-o", "/dev/full", "--jobs", "1")
        where = "/dev/full"
    assert result.returncode == 1
    line = _one_line(result.stderr)
    assert line.startswith(
        f"kzaz: error: cannot write the output to {where}: No space left on device (on {where}, "
    )
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_full_temporary_directory_is_one_line_and_exit_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kzaz_facts.output import streams

    def full(*args: Any, **kwargs: Any) -> Any:
        return open("/dev/full", "w+", encoding="utf-8")

    monkeypatch.setattr(streams.tempfile, "TemporaryFile", full)
    target = tmp_path / "out.json"
    result = runner.invoke(app, ["extract", str(SEEDS), "-o", str(target), "--jobs", "1"])
    assert result.exit_code == 1
    assert "kzaz: error: cannot write the output to " in result.stderr
    assert "No space left on device" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []  # no half-written file, no temporary left


def test_an_output_directory_that_refuses_files_is_one_line() -> None:
    result = _extract(str(SEEDS), "-o", "/proc/kzaz-out.json", "--jobs", "1")
    assert result.returncode in (1, 2)
    assert _one_line(result.stderr).startswith("kzaz: error: ")
    assert b"/proc/kzaz-out.json" in result.stderr


def test_a_closed_stdout_is_one_line_and_exit_1() -> None:
    result = subprocess.run(
        ["sh", "-c", f'"{KZAZ}" extract "{SEEDS}" -f json >&-'],
        capture_output=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 1
    assert _one_line(result.stderr) == "kzaz: error: standard output is closed; use -o FILE"


# --- signals --------------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status  # a zombie holds no pipe


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc")
@pytest.mark.parametrize(
    ("number", "code", "line"),
    [
        pytest.param(signal.SIGTERM, 143, "kzaz: terminated (SIGTERM)", id="SIGTERM"),
        pytest.param(signal.SIGHUP, 129, "kzaz: terminated (SIGHUP)", id="SIGHUP"),
        pytest.param(signal.SIGINT, 130, "kzaz: interrupted", id="SIGINT"),
    ],
)
def test_a_signal_stops_workers_and_removes_the_temporary_file(
    big_corpus: Path, tmp_path: Path, number: int, code: int, line: str
) -> None:
    target = tmp_path / "out.json"
    process = subprocess.Popen(
        [KZAZ, "extract", str(big_corpus), "-o", str(target), "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    workers: list[int] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        workers = _children(process.pid)
        if len(workers) == 2 and len(list(tmp_path.iterdir())) == 1:
            break
        time.sleep(0.05)
    assert len(workers) == 2, "the run never started its workers"
    process.send_signal(number)
    stdout, stderr = process.communicate(timeout=60)  # returns: no worker holds the pipes
    assert process.returncode == code
    assert _one_line(stderr) == line
    assert stdout == b""
    assert list(tmp_path.iterdir()) == []
    time.sleep(0.2)
    assert [pid for pid in workers if _alive(pid)] == []


# --- worker processes -----------------------------------------------------------------------


def _dies_on_bad(task: Any) -> Any:
    import kzaz_facts.workers as workers_module

    if isinstance(task.source, Path) and task.source.name == "bad.txt":
        os._exit(9)  # as the out-of-memory killer would leave it
    assert workers_module._worker_engine is not None
    return workers_module._worker_engine.handle(task)


def test_a_dead_worker_costs_only_its_document(
    big_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kzaz_facts.workers as workers_module

    (tmp_path / "bad.txt").write_bytes(ARTICLE)
    (tmp_path / "good.txt").write_bytes(ARTICLE)
    monkeypatch.setattr(workers_module, "_work", _dies_on_bad)
    arguments = ["extract", str(tmp_path), str(big_corpus), "-f", "json", "--jobs", "2"]
    result = runner.invoke(app, arguments)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["errors"] == [
        {
            "path": str(tmp_path / "bad.txt"),
            "kind": "worker_died",
            "message": "the worker process reading it stopped unexpectedly (out of memory?)",
        }
    ]
    assert len(report["documents"]) == 241
    assert report["documents"][0]["doc_id"] == "good"
    serial = runner.invoke(app, [*arguments[:-1], "1"])
    serial_facts = json.loads(serial.stdout)["facts"]
    assert [f for f in serial_facts if f["doc_id"] != "bad"] == report["facts"]
    assert f"kzaz: worker_died: {tmp_path / 'bad.txt'}: " in result.stderr


def test_a_stop_signal_ends_a_workers_work_but_never_a_result_half_sent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Outside its work (handing a result back, waiting) a worker only notes the signal and
    gives up its next bundle at once; at work, the signal ends the work."""
    import kzaz_facts.workers as workers_module
    from kzaz_facts.engine import Task

    monkeypatch.setattr(workers_module, "_worker_at_work", False)
    monkeypatch.setattr(workers_module, "_worker_stop_asked", False)
    monkeypatch.setattr(workers_module, "_worker_encode", lambda result: result)
    workers_module._stop(signal.SIGTERM, None)
    assert workers_module._worker_stop_asked is True
    with pytest.raises(workers_module.WorkerStopped):
        workers_module._work_bundle([Task(b"Trade reached $5 million.")])
    assert workers_module._worker_at_work is False
    monkeypatch.setattr(workers_module, "_worker_at_work", True)
    with pytest.raises(workers_module.WorkerStopped):
        workers_module._stop(signal.SIGTERM, None)


_STOP_HALF_WAY = """
import multiprocessing, sys, time
from kzaz_facts.engine import Engine, plan
engine = Engine()
tasks = plan([sys.argv[1]])
for _ in range(5):
    results = engine.run_tasks(tasks, jobs=2)
    next(iter(results))
    time.sleep(0.05)  # the workers at work and handing bundles back
    results.close()
assert multiprocessing.active_children() == []
"""


def test_a_pool_stopped_half_way_stops_every_time(big_corpus: Path) -> None:
    """Stopped while its workers hand results back, the pool never waits for ever: run in a
    process of its own, so that a hang fails the test instead of stopping the suite."""
    done = subprocess.run(
        [sys.executable, "-c", _STOP_HALF_WAY, str(big_corpus)],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr


def _executor_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if "Executor" in type(t).__name__]


def test_the_pool_is_shut_down_in_order(engine: Engine, big_corpus: Path) -> None:
    """Threads and workers are gone when the results are, finished or dropped half way, so
    that nothing is left to fail at interpreter exit."""
    import multiprocessing

    tasks = plan([str(big_corpus)])
    assert len(list(engine.run_tasks(tasks, jobs=2))) == 240
    assert _executor_threads() == []
    assert multiprocessing.active_children() == []
    results = engine.run_tasks(tasks, jobs=2)
    next(iter(results))
    results.close()  # type: ignore[attr-defined]
    assert _executor_threads() == []
    assert multiprocessing.active_children() == []


def test_the_progress_bar_stops_after_the_run_behind_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.progress import Progress

    from kzaz_facts.output.progress import with_progress

    events: list[str] = []
    stop = Progress.stop

    def stopping(self: Progress) -> None:
        events.append("bar stopped")
        stop(self)

    def results() -> Any:
        try:
            yield from range(20)
        finally:
            events.append("run closed")

    monkeypatch.setattr(Progress, "stop", stopping)
    shown = with_progress(results(), 20)
    assert next(shown) == 0
    shown.close()  # type: ignore[attr-defined]
    assert events == ["run closed", "bar stopped"]


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc")
def test_a_worker_killed_from_outside_loses_nothing(big_corpus: Path) -> None:
    """The out-of-memory killer picks a worker: its documents are run again, and they pass."""
    process = subprocess.Popen(
        [KZAZ, "extract", str(big_corpus), "-f", "jsonl", "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        bufsize=0,  # nothing read ahead of the first line, which communicate() would miss
    )
    assert process.stdout is not None
    first = process.stdout.readline()  # the workers are at work
    workers = _children(process.pid)
    assert len(workers) == 2
    os.kill(workers[0], signal.SIGKILL)
    rest, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr
    assert (
        stderr.decode()
        .splitlines()[-1]
        .startswith("kzaz: 240 documents processed, 0 skipped or failed, ")
    )
    serial = _extract(str(big_corpus), "-f", "jsonl", "--jobs", "1")
    assert first + rest == serial.stdout


def test_a_stop_signal_sent_while_the_pool_forks_arrives_just_after() -> None:
    from kzaz_facts.signals import signals_held

    received: list[int] = []
    previous = signal.signal(signal.SIGTERM, lambda number, frame: received.append(number))
    try:
        with signals_held():
            # Sent to this thread: a signal sent to the process may be taken by any other
            # thread of the test session that does not block it.
            signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGTERM)
            time.sleep(0.05)
            held = list(received)
        after = list(received)
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert (held, after) == ([], [signal.SIGTERM])
