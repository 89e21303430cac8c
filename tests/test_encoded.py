"""Documents encoded where they are processed (``output.encoded``): the same bytes written."""

from __future__ import annotations

import io
import pickle
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import IO, Any

import pytest

from kzaz_facts import flat
from kzaz_facts.engine import DocumentResult, Engine, plan
from kzaz_facts.filters import FactFilter
from kzaz_facts.output.encoded import Encoded, Encoder
from kzaz_facts.output.streams import JsonEncoder, JsonlEncoder, stream_json, stream_jsonl

PARAGRAPH = "Trade between Kazakhstan and Azerbaijan reached ${} million in 2023.\n\n"
# Trade figures and agreements kept, every other fact type left out.
KEEP = FactFilter(types={"trade_turnover", "agreement"})

Writer = Callable[[Any, IO[str], Callable[[Any], bool]], object]
WRITERS: list[tuple[Writer, Callable[[FactFilter], Encoder]]] = [
    (stream_json, JsonEncoder),
    (stream_jsonl, JsonlEncoder),
    (flat.stream_csv, flat.csv_encoder),
    (flat.stream_jsonl, flat.jsonl_encoder),
]


@pytest.fixture(scope="module")
def small_chunks() -> Engine:
    """Chunks of about 40 paragraphs, so that a few hundred make a long document."""
    return Engine(chunk_chars=3_000)


@pytest.fixture(scope="module")
def corpus(
    tmp_path_factory: pytest.TempPathFactory, bench_module: Callable[[str], ModuleType]
) -> Path:
    """Generated articles, two long documents among them, and an empty file."""
    root = tmp_path_factory.mktemp("encoded")
    bench_module("corpus").generate(root, 24)
    for name in ("long_a.txt", "long_b.txt"):
        (root / name).write_text("".join(PARAGRAPH.format(n + 1) for n in range(150)))
    (root / "empty.txt").write_bytes(b"")
    return root


def _written(write: Writer, results: Any) -> str:
    stream = io.StringIO()
    write(results, stream, KEEP)
    return stream.getvalue()


@pytest.mark.parametrize(("write", "encoder"), WRITERS)
def test_encoded_in_the_workers_the_bytes_are_the_same(
    small_chunks: Engine, corpus: Path, write: Writer, encoder: Callable[[FactFilter], Encoder]
) -> None:
    tasks = plan([str(corpus)])
    expected = _written(write, small_chunks.run_tasks(tasks, jobs=1))
    encoded = small_chunks.run_encoded(tasks, encoder(KEEP), jobs=2)
    assert _written(write, encoded) == expected
    assert _written(write, small_chunks.run_encoded(tasks, encoder(KEEP))) == expected


def test_a_long_document_is_encoded_as_it_is_written(small_chunks: Engine, corpus: Path) -> None:
    (result,) = small_chunks.run([str(corpus / "long_a.txt")])
    assert isinstance(result, DocumentResult)
    assert result.spooled
    encoded = JsonlEncoder(KEEP)(result)
    assert isinstance(encoded, Encoded)
    assert len(list(encoded.pieces())) == len(list(result.batches())) > 1
    assert _written(stream_jsonl, [encoded]) == _written(stream_jsonl, [result])


def test_encoded_text_crosses_processes_whole(engine: Engine, corpus: Path) -> None:
    results = [r for r in engine.run([str(corpus)]) if isinstance(r, DocumentResult)][:3]
    encoded = [JsonEncoder(KEEP)(result) for result in results]
    again = pickle.loads(pickle.dumps(encoded))
    assert _written(stream_json, again) == _written(stream_json, results)


def test_a_writer_refuses_text_made_for_another_format(engine: Engine, corpus: Path) -> None:
    (result, *_) = engine.run([str(corpus)])
    assert isinstance(result, DocumentResult)
    with pytest.raises(TypeError, match="flat csv text handed to a writer of flat jsonl"):
        _written(flat.stream_jsonl, [flat.csv_encoder(KEEP)(result)])
    with pytest.raises(TypeError, match="JsonlEncoder text"):
        _written(stream_json, [JsonlEncoder(KEEP)(result)])
