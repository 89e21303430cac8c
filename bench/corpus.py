"""A deterministic benchmark corpus: articles recombined from the paragraphs of ``seeds/``.

Every article takes a lead paragraph, one to three paragraphs that carry a figure (an amount,
a share or a tonnage) and further paragraphs from any seed, some of them rebuilt from
sentences of different seeds, in a shuffled order, under one of the header forms that
``kzaz_facts.load`` reads (date header, dateline, front matter with a title, byline). Dates run
from 2017 to 2025 in every date format the loader accepts, so relative periods ("last year")
resolve against a different date in each article.

The same ``(docs, seed)`` gives byte-identical files, and the first N files of a larger
corpus are the N files of a smaller one with the same seed. No two articles are identical.

    python bench/corpus.py OUT_DIR --docs 1000 [--seed 0]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kzaz_facts.load import load_document

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"

# Whole files, in UTF-8 bytes: the size range of the shorter seeds.
MIN_BYTES, MAX_BYTES = 2_000, 6_000
YEARS = (2017, 2025)
# A paragraph slot is filled with sentences from different seeds this often.
RECOMBINED_SHARE = 0.2

# --- tables -------------------------------------------------------------------------------

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Dateline places as the agencies write them, with the country some datelines add and the
# years the name was in use (Astana was Nur-Sultan from March 2019 to September 2022).
_PLACES = (
    ("BAKU", "Azerbaijan", 2017, 2025),
    ("ASTANA", "Kazakhstan", 2017, 2025),
    ("ALMATY", "Kazakhstan", 2017, 2025),
    ("AKTAU", "Kazakhstan", 2017, 2025),
    ("NUR-SULTAN", "Kazakhstan", 2019, 2022),
    ("GANJA", "Azerbaijan", 2017, 2025),
)
_AGENCIES = ("Trend", "APA", "Report", "Kazinform", "AzerNews")
# Bylines live in the header, so these names never reach the extractor.
_BYLINES = (
    "Aida Karimova",
    "Nurlan Seitkali",
    "Leyla Mammadova",
    "Daniyar Abenov",
    "Elnur Hasanov",
    "Saule Bekova",
    "Aida Karimova and Elnur Hasanov",
    "Daniyar Abenov, Kazinform",
)
_TITLE_PREFIXES = ("", "", "", "", "Envoy: ", "Interview: ", "Analysis: ", "Update: ")
_TITLE_SUBJECTS = (
    "Kazakhstan and Azerbaijan",
    "Astana and Baku",
    "Baku and Astana",
    "Kazakh and Azerbaijani officials",
    "Presidents of Azerbaijan and Kazakhstan",
    "Business councils of Kazakhstan and Azerbaijan",
    "Members of the intergovernmental commission",
    "Caspian neighbours",
)
_TITLE_VERBS = (
    "discuss",
    "review",
    "step up work on",
    "look to expand",
    "sign agreements on",
    "report progress on",
    "set new targets for",
    "agree on",
)
_TITLE_TOPICS = (
    "trade turnover",
    "the Middle Corridor",
    "cargo on the Trans-Caspian route",
    "Caspian ferry capacity",
    "oil transit through Baku",
    "tourist flows",
    "joint investment projects",
    "the fiber-optic line under the Caspian",
    "agricultural exports",
    "port capacity in Aktau and Kuryk",
    "a billion-dollar trade goal",
    "transport and logistics",
)
_TITLE_TAILS = ("", "", "", " in {year}", " ahead of {month} talks", " for {year}-{next_year}")

# --- patterns -----------------------------------------------------------------------------

_PARAGRAPH_BREAK_RE = re.compile(r"\n[ \t]*\n")
# Sentence ends followed by a capital: good enough for narrative paragraphs, which are the
# only ones cut into sentences (dialogue and quotations stay whole).
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
# A figure the extractor can read: "$465 million", "22%", "2,523 tons", "half a billion USD".
_FIGURE_RE = re.compile(
    r"[$€£₼₸][ \t]?\d"
    r"|\d[\d,.]*[ \t]*(?:%|(?:percent|million|billion|thousand|tons|tonnes)\b)"
    r"|\b(?:half a|one|a) (?:billion|million)\b",
    re.IGNORECASE,
)
_QUOTES = '"“”«»'


# --- seed material ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SeedMaterial:
    """The paragraphs and sentences of the seeds, sorted into what each slot may take."""

    leads: tuple[str, ...]  # may follow a dateline on its line: a sentence, no dialogue
    figures: tuple[str, ...]  # hold an amount, a share or a quantity
    others: tuple[str, ...]
    sentences: tuple[str, ...]  # from narrative paragraphs, for recombined paragraphs
    titles: tuple[str, ...]


def read_seeds(seeds_dir: Path = SEEDS_DIR) -> SeedMaterial:
    """Split every ``*.txt`` of ``seeds_dir`` into body paragraphs, using the project loader."""
    leads: list[str] = []
    figures: list[str] = []
    others: list[str] = []
    sentences: list[str] = []
    titles: list[str] = []
    paths = sorted(seeds_dir.glob("*.txt"))
    if not paths:
        raise FileNotFoundError(f"no *.txt seed articles in {seeds_dir}")
    for path in paths:
        document = load_document(path)
        if document.title:
            titles.append(document.title)
        for paragraph in _paragraphs(document.body):
            (figures if _FIGURE_RE.search(paragraph) else others).append(paragraph)
            if _is_narrative(paragraph) and len(paragraph) >= 150:
                leads.append(paragraph)
            if _is_narrative(paragraph):
                sentences.extend(
                    sentence
                    for sentence in _SENTENCE_END_RE.split(paragraph)
                    if len(sentence) >= 40 and sentence.endswith(".")
                )
    if not leads or not figures:
        raise ValueError(f"seed articles in {seeds_dir} hold no lead or no figure paragraph")
    return SeedMaterial(
        tuple(leads), tuple(figures), tuple(others), tuple(sentences), tuple(titles)
    )


def _paragraphs(body: str) -> list[str]:
    return [part.strip() for part in _PARAGRAPH_BREAK_RE.split(body) if part.strip()]


def _is_narrative(paragraph: str) -> bool:
    """Reported prose: starts with a capital, ends a sentence, quotes no one."""
    return (
        paragraph[0].isupper()
        and paragraph.endswith(".")
        and not any(mark in paragraph for mark in _QUOTES)
    )


# --- headers ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Header:
    text: str  # everything above the first body paragraph
    inline: bool  # the lead goes on the header's last line (after a dateline)


def _draw_date(rng: random.Random) -> dt.date:
    return dt.date(rng.randint(*YEARS), rng.randint(1, 12), rng.randint(1, 28))


def _clock(rng: random.Random) -> str:
    return f"{rng.randint(7, 22):02d}:{rng.choice(('00', '15', '30', '45', '05', '50'))}"


def _date_header(rng: random.Random, date: dt.date) -> str:
    """``" date 2023-03-02"``: only numeric values, as the loader's header rule wants."""
    value = rng.choice(
        (
            date.isoformat(),
            date.isoformat(),
            f"{date.isoformat()} {_clock(rng)}",
            f"{date.isoformat()}T{_clock(rng)}:00+05:00",
            f"{date:%d.%m.%Y}",
        )
    )
    label = rng.choice(("date", "date", "date:", "Date:"))
    return f"{rng.choice((' ', ''))}{label} {value}"


def _date_line(rng: random.Random, date: dt.date) -> str:
    """A line holding nothing but a date, as in front matter."""
    month = _MONTHS[date.month - 1]
    return rng.choice(
        (
            f"{date.day} {month} {date.year}, {_clock(rng)}",
            f"{month} {date.day}, {date.year}",
            f"{date:%d.%m.%Y}",
            f"{date.isoformat()} {_clock(rng)}",
            f"Published: {month} {date.day}, {date.year}",
            f"{_WEEKDAYS[date.weekday()]}, {date.day} {month} {date.year}",
            f"{_clock(rng)} | {date:%d.%m.%Y}",
            f"Updated on {date.day} {month[:3]}. {date.year}",
        )
    )


def _dateline(rng: random.Random, date: dt.date, *, with_year: bool) -> str:
    city, country = rng.choice(
        [(city, country) for city, country, first, last in _PLACES if first <= date.year <= last]
    )
    month = _MONTHS[date.month - 1]
    agency = rng.choice(_AGENCIES)
    if with_year:
        return rng.choice(
            (
                f"{city}, {date.day} {month} {date.year} –",
                f"{city}, {month} {date.day}, {date.year} ({agency}) -",
                f"{city}, {country}, {date.day} {month} {date.year}.",
            )
        )
    return rng.choice(
        (
            f"{city}, {country}, {month} {date.day}.",
            f"{city} –",
            f"{city} —",
            f"{city}, {country} ({agency}) -",
            f"{city}, {month} {date.day} ({agency}) -",
        )
    )


def _title(rng: random.Random, seeds: SeedMaterial, date: dt.date) -> str:
    if seeds.titles and rng.random() < 0.15:
        return rng.choice(seeds.titles)
    tail = rng.choice(_TITLE_TAILS).format(
        year=date.year, next_year=date.year + 1, month=_MONTHS[date.month - 1]
    )
    return (
        f"{rng.choice(_TITLE_PREFIXES)}{rng.choice(_TITLE_SUBJECTS)} "
        f"{rng.choice(_TITLE_VERBS)} {rng.choice(_TITLE_TOPICS)}{tail}"
    )


def _date_and_dateline(rng: random.Random, seeds: SeedMaterial) -> Header:
    """``" date 2023-03-02 BAKU, Azerbaijan, March 2. Lead..."``"""
    date = _draw_date(rng)
    return Header(f"{_date_header(rng, date)} {_dateline(rng, date, with_year=False)} ", True)


def _date_and_byline(rng: random.Random, seeds: SeedMaterial) -> Header:
    """``" date 2019-12-09 By Aida Karimova"``, a blank line, then the body."""
    return Header(f"{_date_header(rng, _draw_date(rng))} By {rng.choice(_BYLINES)}\n\n", False)


def _title_date_title(rng: random.Random, seeds: SeedMaterial) -> Header:
    """Title, blank line, ``10 April 2023, 15:30``, the title repeated, blank line."""
    date = _draw_date(rng)
    title = _title(rng, seeds, date)
    return Header(f"{title}\n\n{_date_line(rng, date)}\n{title}\n\n", False)


def _title_only(rng: random.Random, seeds: SeedMaterial) -> Header:
    """A title and no date: the loader takes the latest year of the body, if there is one."""
    return Header(f"{_title(rng, seeds, _draw_date(rng))}\n\n\n", False)


def _dated_dateline(rng: random.Random, seeds: SeedMaterial) -> Header:
    """No date header; the dateline carries the year: ``ASTANA, 12 March 2023 – Lead...``."""
    date = _draw_date(rng)
    title = f"{_title(rng, seeds, date)}\n\n" if rng.random() < 0.5 else ""
    return Header(f"{title}{_dateline(rng, date, with_year=True)} ", True)


def _date_line_and_title(rng: random.Random, seeds: SeedMaterial) -> Header:
    """``Monday, 10 April 2023`` above the title."""
    date = _draw_date(rng)
    return Header(f"{_date_line(rng, date)}\n{_title(rng, seeds, date)}\n\n", False)


def _date_header_and_title(rng: random.Random, seeds: SeedMaterial) -> Header:
    """A bare date header line, then a title, then a dateline on the lead's line."""
    date = _draw_date(rng)
    dateline = _dateline(rng, date, with_year=False)
    return Header(f"{_date_header(rng, date)}\n{_title(rng, seeds, date)}\n\n{dateline} ", True)


def _title_date_byline(rng: random.Random, seeds: SeedMaterial) -> Header:
    """Title, date line, byline and dateline: the full front matter."""
    date = _draw_date(rng)
    return Header(
        f"{_title(rng, seeds, date)}\n{_date_line(rng, date)}\n\n"
        f"By {rng.choice(_BYLINES)}\n\n{_dateline(rng, date, with_year=False)} ",
        True,
    )


HEADER_FORMS: tuple[Callable[[random.Random, SeedMaterial], Header], ...] = (
    _date_and_dateline,
    _date_and_byline,
    _title_date_title,
    _title_only,
    _dated_dateline,
    _date_line_and_title,
    _date_header_and_title,
    _title_date_byline,
)


# --- articles -----------------------------------------------------------------------------


def _recombined(rng: random.Random, seeds: SeedMaterial) -> str:
    count = min(len(seeds.sentences), rng.randint(2, 4))
    return " ".join(rng.sample(seeds.sentences, count))


def _body(rng: random.Random, seeds: SeedMaterial, budget: int) -> list[str]:
    """Lead first, then figure paragraphs and fillers in a shuffled order, within ``budget``."""
    lead = rng.choice(seeds.leads)
    used = {lead}
    size = len(lead.encode())
    wanted = rng.sample(seeds.figures, min(len(seeds.figures), rng.randint(1, 3)))
    target = rng.randint(MIN_BYTES, budget)
    rest: list[str] = []
    misses = 0
    # Draw until the target size is reached; a paragraph that would overflow the budget is
    # passed over a few times before the article is closed as it is.
    while (wanted or size < target) and misses < 12:
        if wanted:
            paragraph = wanted.pop()
        elif rng.random() < RECOMBINED_SHARE:
            paragraph = _recombined(rng, seeds)
        else:
            paragraph = rng.choice(rng.choice((seeds.figures, seeds.others)))
        grown = size + len(paragraph.encode()) + 2
        if paragraph in used or (grown > budget and rest):
            misses += 1
            continue
        used.add(paragraph)
        rest.append(paragraph)
        size = grown
    rng.shuffle(rest)
    return [lead, *rest]


def compose(rng: random.Random, seeds: SeedMaterial) -> str:
    """One article: a header form, a body and a final line ending, all drawn from ``rng``."""
    header = rng.choice(HEADER_FORMS)(rng, seeds)
    budget = MAX_BYTES - len(header.text.encode()) - 2
    paragraphs = _body(rng, seeds, budget)
    if not header.inline:
        return header.text + "\n\n".join(paragraphs) + rng.choice(("\n", "", "\n\n"))
    return header.text + "\n\n".join(paragraphs) + rng.choice(("\n", ""))


def generate(out_dir: Path, docs: int, seed: int = 0, *, seeds_dir: Path = SEEDS_DIR) -> list[Path]:
    """Write ``docs`` articles ``doc_000000.txt``... to ``out_dir``; return their paths.

    ``out_dir`` is created; if it exists it must hold no ``*.txt``, so that a directory left
    from a larger run is never measured as this corpus.
    """
    if docs < 1:
        raise ValueError("docs must be at least 1")
    out_dir.mkdir(parents=True, exist_ok=True)
    if any(out_dir.glob("*.txt")):
        raise FileExistsError(f"{out_dir} already holds .txt files; give an empty directory")
    material = read_seeds(seeds_dir)
    rng = random.Random(seed)
    seen: set[bytes] = set()
    paths: list[Path] = []
    for index in range(docs):
        raw = compose(rng, material).encode()
        # A repeat is drawn again; with ~100 paragraphs and 9 years of dates it is rare.
        while hashlib.sha256(raw).digest() in seen:
            raw = compose(rng, material).encode()
        seen.add(hashlib.sha256(raw).digest())
        path = out_dir / f"doc_{index:06d}.txt"
        path.write_bytes(raw)
        paths.append(path)
    return paths


def big_file(path: Path, megabytes: float, seed: int = 0, *, seeds_dir: Path = SEEDS_DIR) -> int:
    """Write one document of about ``megabytes`` MB: articles one after the other, blank lines
    between them, under the first one's header. Returns the size in bytes."""
    if megabytes <= 0:
        raise ValueError("megabytes must be above 0")
    material = read_seeds(seeds_dir)
    rng = random.Random(seed)
    wanted = int(megabytes * 1e6)
    size = 0
    with path.open("wb") as out:
        while size < wanted:
            raw = compose(rng, material).strip().encode() + b"\n\n"
            out.write(raw)
            size += len(raw)
    return size


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python bench/corpus.py",
        description="Write a deterministic corpus of articles recombined from seeds/*.txt.",
    )
    parser.add_argument("out_dir", type=Path, help="Directory to write (created; no .txt in it).")
    parser.add_argument("--docs", type=int, required=True, help="Number of articles.")
    parser.add_argument("--seed", type=int, default=0, help="Random seed (default 0).")
    parser.add_argument(
        "--seeds", type=Path, default=SEEDS_DIR, help="Seed articles (default: seeds/)."
    )
    args = parser.parse_args(argv)
    try:
        paths = generate(args.out_dir, args.docs, args.seed, seeds_dir=args.seeds)
    except (OSError, ValueError) as error:
        print(f"corpus: error: {error}", file=sys.stderr)
        return 2
    total = sum(path.stat().st_size for path in paths)
    print(
        f"corpus: {len(paths)} documents, {total / 1e6:.2f} MB in {args.out_dir}", file=sys.stderr
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
