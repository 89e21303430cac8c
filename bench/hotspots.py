"""Where the time of one process goes: each pipeline stage, then the costliest functions.

    python bench/hotspots.py --docs 300 [--top 25] [--out bench/hotspots.md]

Generates a corpus with ``bench/corpus.py`` (same seed as ``run.py``), runs every document
through the stages of ``Engine.process`` one at a time, and reports the wall time of each
stage per document next to the floor (tokenizer and sentencizer), then a ``cProfile`` of the
whole run sorted by own time. Nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import generate

from kzaz_facts.engine import Engine
from kzaz_facts.load import load_document
from kzaz_facts.records import Document


def stage_times(engine: Engine, documents: Sequence[Document]) -> dict[str, float]:
    """Seconds per stage over all documents: tokenizer, each pipe, then the extractor."""
    seconds: dict[str, float] = defaultdict(float)
    for document in documents:
        body = document.body
        started = time.perf_counter()
        doc = engine.nlp.make_doc(body)
        doc._.kzaz_text = body
        seconds["tokenizer"] += time.perf_counter() - started
        for name, pipe in engine.nlp.pipeline:
            started = time.perf_counter()
            doc = pipe(doc)
            seconds[name] += time.perf_counter() - started
        started = time.perf_counter()
        engine.extractor.extract(document, doc)
        seconds["extractor"] += time.perf_counter() - started
    return dict(seconds)


def render(stages: dict[str, float], docs: int, profile: str) -> str:
    floor = stages["tokenizer"] + stages["sentencizer"]
    total = sum(stages.values())
    lines = [
        f"# Where the time goes ({docs} generated documents, one process)",
        "",
        "| stage | ms/doc | × floor | share |",
        "|---|---:|---:|---:|",
    ]
    for name, spent in stages.items():
        lines.append(
            f"| {name} | {spent / docs * 1000:.2f} | {spent / floor:.2f} | {spent / total:.0%} |"
        )
    lines += [
        f"| **all** | {total / docs * 1000:.2f} | {total / floor:.2f} | 100% |",
        "",
        "floor = tokenizer + sentencizer (what `spacy.blank('en')` with a sentencizer costs).",
        "",
        "## cProfile, by own time",
        "",
        "```",
        profile.rstrip(),
        "```",
        "",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=300, help="Documents (default 300).")
    parser.add_argument("--top", type=int, default=25, help="Functions listed (default 25).")
    parser.add_argument("--out", type=Path, help="Also write the report to this file.")
    args = parser.parse_args(argv)
    engine = Engine()
    with tempfile.TemporaryDirectory(prefix="kzaz-profile-") as folder:
        paths = generate(Path(folder), args.docs)
        documents = [load_document(path) for path in paths]
    stages = stage_times(engine, documents)
    profiler = cProfile.Profile()
    profiler.enable()
    for document in documents:
        engine.process(document)
    profiler.disable()
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.strip_dirs().sort_stats("tottime").print_stats(args.top)
    table = stream.getvalue()
    report = render(stages, len(documents), table[table.find("   ncalls") :])
    sys.stdout.write(report)
    if args.out is not None:
        args.out.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
