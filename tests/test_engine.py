"""Long documents go through in chunks with file offsets intact, nothing dropped; their
records are spooled chunk by chunk, so memory does not grow with the document."""

from __future__ import annotations

import io
import itertools
import json
import os
import pickle
import random
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kzaz_facts import flat
from kzaz_facts.engine import DocumentResult, Engine, chunk_bounds, plan
from kzaz_facts.load import parse_document
from kzaz_facts.output.streams import facts_jsonl, report_json, stream_json, stream_jsonl
from kzaz_facts.records import ErrorRecord
from kzaz_facts.report import build_report

SEED = Path(__file__).resolve().parent.parent / "seeds" / "003_5cb35d2f2badd455.txt"


def test_chunks_cover_the_text_exactly() -> None:
    text = "Para one.\n\nPara two is longer.\nLine.\n\n" * 50
    bounds = chunk_bounds(text, 100)
    assert bounds[0][0] == 0
    assert bounds[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(bounds))
    assert all(end - start <= 100 for start, end in bounds)


def test_long_document_in_chunks_keeps_every_fact() -> None:
    seed = SEED.read_text(encoding="utf-8")
    header, body = seed.split("\n\n", 1)
    text = header + "\n\n" + "\n\n".join([body] * 12)
    small = Engine(chunk_chars=len(body) + 10)
    document = parse_document(text, doc_id="long", path="long")
    whole = Engine().process(parse_document(seed, doc_id="one", path="one"))
    result = small.process(document)
    assert len(result.facts) == 12 * len(whole.facts)
    amounts = sorted({f.value.amount for f in result.facts if f.value})
    assert amounts == sorted({f.value.amount for f in whole.facts if f.value})
    for fact in result.facts:
        assert text[fact.evidence.start : fact.evidence.end] == fact.evidence.text
    for entity in result.entities:
        assert text[entity.start : entity.end] == entity.text


# --- long documents: records spooled chunk by chunk -----------------------------------------

FACT = "Trade between Kazakhstan and Azerbaijan reached ${} million in 2023.\n\n"
KZAZ = str(Path(sys.executable).with_name("kzaz"))


def _long_document(tmp_path: Path, paragraphs: int, name: str = "long.txt") -> Path:
    path = tmp_path / name
    path.write_text("".join(FACT.format(i % 1000 + 1) for i in range(paragraphs)))
    return path


@pytest.fixture(scope="module")
def small_chunks() -> Engine:
    """Chunks of about 40 paragraphs, so that a few hundred make a long document."""
    return Engine(chunk_chars=3_000)


def test_a_long_document_is_written_as_its_chunks_are_read_back(
    small_chunks: Engine, tmp_path: Path
) -> None:
    path = _long_document(tmp_path, 300)
    (result,) = small_chunks.run([str(path)])
    assert isinstance(result, DocumentResult)
    batches = list(result.batches())
    assert len(batches) == len(chunk_bounds(path.read_text(), 3_000)) > 1
    assert [fact for batch in batches for fact in batch.facts] == result.facts
    assert len(result.facts) == 300
    report = build_report([result])
    assert _written(stream_json, result) == report_json(report)
    assert _written(stream_jsonl, result) == facts_jsonl(report.facts)
    assert _written(flat.stream_csv, result) == flat.csv_text(flat.report_rows(report))


def _written(write: Callable[[list[DocumentResult], io.StringIO], object], result: Any) -> str:
    stream = io.StringIO()
    write([result], stream)
    return stream.getvalue()


def test_spooled_records_cross_to_another_process_by_name(
    small_chunks: Engine, tmp_path: Path
) -> None:
    spool_dir = tmp_path / "spool"
    spool_dir.mkdir()
    document = parse_document(FACT.format(7) * 200, doc_id="long", path="long")
    result = small_chunks.process(document, spool_dir=str(spool_dir))
    assert len(list(spool_dir.iterdir())) == 1
    again = pickle.loads(pickle.dumps(result))
    assert list(spool_dir.iterdir()) == []  # taken over: gone once read and closed
    assert again == result
    anonymous = small_chunks.process(document)
    assert pickle.loads(pickle.dumps(anonymous)) == result


def test_jobs_2_spools_long_documents_and_writes_the_same(
    small_chunks: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for number in range(16):
        _long_document(corpus, 5 if number % 4 else 150, f"doc{number:02}.txt")
    temporary = tmp_path / "temporary"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    tasks = plan([str(corpus)])
    one, two = io.StringIO(), io.StringIO()
    stream_json(small_chunks.run_tasks(tasks, jobs=1), one)
    stream_json(small_chunks.run_tasks(tasks, jobs=2), two)
    assert one.getvalue() == two.getvalue()
    assert json.loads(one.getvalue())["facts"][-1]["doc_id"] == "doc15"
    assert list(temporary.iterdir()) == []  # the run's spool directory is gone


def test_a_document_failing_half_way_leaves_no_spool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = Engine(chunk_chars=3_000)
    extract = engine.extractor.extract
    calls: list[int] = []

    def failing(*args: Any) -> Any:
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("a fault of ours")
        return extract(*args)

    monkeypatch.setattr(engine.extractor, "extract", failing)
    path = _long_document(tmp_path, 300)
    (result,) = engine.run_tasks(plan([str(path)]), jobs=1)
    assert isinstance(result, ErrorRecord)
    assert result.kind == "internal"
    spool_dir = tmp_path / "spool"
    spool_dir.mkdir()
    calls.clear()
    assert isinstance(engine.handle(plan([str(path)])[0], spool_dir=str(spool_dir)), ErrorRecord)
    assert list(spool_dir.iterdir()) == []


def test_the_vocabulary_does_not_grow_with_a_long_document() -> None:
    """New words of every chunk but the first are dropped with their chunk (spaCy's memory
    zones): a document of words never seen twice leaves the vocabulary as one chunk would."""
    engine = Engine(chunk_chars=20_000)
    words = random.Random(5)

    def paragraphs(count: int) -> str:
        return "\n\n".join(
            " ".join(f"w{words.getrandbits(40):x}" for _ in range(40)) + "." for _ in range(count)
        )

    strings = len(engine.nlp.vocab.strings)
    engine.process(parse_document(paragraphs(40), doc_id="one", path="one"))
    one_chunk = len(engine.nlp.vocab.strings) - strings
    engine.process(parse_document(paragraphs(1_000), doc_id="long", path="long"))
    assert len(engine.nlp.vocab.strings) - strings < 3 * one_chunk


def _peak_rss_mb(path: Path) -> float:
    """Peak resident memory of ``kzaz extract PATH -f json``, measured by a parent of its own
    (this process's children include every earlier test's)."""
    measure = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    command = [KZAZ, "extract", str(path), "-f", "json", "-o", os.devnull]
    done = subprocess.run(
        [sys.executable, "-c", measure, *command],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return int(done.stdout) / 1024  # kilobytes on Linux


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss is in kilobytes on Linux")
def test_memory_stays_flat_in_the_size_of_one_document(tmp_path: Path) -> None:
    """30,000 fact paragraphs (2.1 MB, five chunks): while a document's records were held
    until it was written, the run took 370 MB more than one of a small document; with them
    spooled chunk by chunk, about 130 MB (one chunk's records, however long the document)."""
    small = _peak_rss_mb(_long_document(tmp_path, 100, "small.txt"))
    long = _peak_rss_mb(_long_document(tmp_path, 30_000))
    assert long - small < 220, f"{long:.0f} MB against {small:.0f} MB"
