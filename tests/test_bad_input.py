"""Bad input through ``kzaz extract``: no crash, no file lost, no figure changed on the way.

One corpus holds the same article in every encoding and line ending the loader accepts, beside
files it must refuse or pass over; one run over it is then checked from several sides.
"""

from __future__ import annotations

import codecs
import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kzaz_facts.cli import SKIP_KINDS, app
from kzaz_facts.errors import DataError

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA = ROOT / "data"
KZAZ = Path(sys.executable).with_name("kzaz")

runner = CliRunner()

SENTENCE = "Trade turnover between Kazakhstan and Azerbaijan reached $250 million in 2021."
AMOUNT = 250_000_000
PERIOD = ("2021-01-01", "2021-12-31")
DAY = "2023-03-02"
HEADED = f" date {DAY} BAKU, Azerbaijan, March 2. {SENTENCE}\n"
# Title, date line and body on separate lines, so that the line endings are part of the header.
FRONT_MATTER = f"Kazakhstan and Azerbaijan step up trade\n\nMarch 2, 2023\n\n{SENTENCE}\n"
QUOTED_TITLE = "“Brotherly” ties – Kazakhstan and Azerbaijan"
CYRILLIC_TITLE = "Астана и Баку: «торговля растёт»"
COPIED = HEADED.replace("BAKU, Azerbaijan", "AKTAU, Kazakhstan").encode("utf-8")


@dataclass(frozen=True)
class Article:
    """A file of the corpus that must come out as a document carrying the trade figure."""

    name: str
    raw: bytes
    encoding: str
    date: str | None


@dataclass(frozen=True)
class Refused:
    """A file of the corpus that must come out as an entry of ``errors``."""

    name: str
    raw: bytes
    kind: str


ARTICLES = [
    Article("plain.txt", HEADED.encode("utf-8"), "utf-8", DAY),
    Article("utf8_bom.txt", codecs.BOM_UTF8 + HEADED.encode("utf-8"), "utf-8-sig", DAY),
    Article("utf16_le.txt", codecs.BOM_UTF16_LE + HEADED.encode("utf-16-le"), "utf-16", DAY),
    Article("utf16_be.txt", codecs.BOM_UTF16_BE + HEADED.encode("utf-16-be"), "utf-16", DAY),
    # Cyrillic letters come in runs of bytes above 0xC0: read as cp1251, not cp1252.
    Article(
        "cyrillic_cp1251.txt",
        f"{CYRILLIC_TITLE}\n\n{SENTENCE}\n".encode("cp1251"),
        "cp1251",
        "2021-01-01",
    ),
    Article(
        "quotes_cp1252.txt",
        f"{QUOTED_TITLE}\n\n{SENTENCE}\n".encode("cp1252"),
        "cp1252",
        "2021-01-01",
    ),
    Article("crlf.txt", FRONT_MATTER.replace("\n", "\r\n").encode("utf-8"), "utf-8", DAY),
    Article("lone_cr.txt", FRONT_MATTER.replace("\n", "\r").encode("utf-8"), "utf-8", DAY),
    Article("date_month_first.txt", FRONT_MATTER.encode("utf-8"), "utf-8", DAY),
    Article(
        "date_dotted.txt",
        FRONT_MATTER.replace("March 2, 2023", "02.03.2023").encode(),
        "utf-8",
        DAY,
    ),
    # The header claims a date it cannot give: a warning, and the date is read as if there were
    # no header (the dateline's day, the body's year); the figure and its period stand.
    Article(
        "date_malformed.txt", HEADED.replace(DAY, "2023-13-45").encode(), "utf-8", "2021-03-02"
    ),
    Article("sub/nested.txt", HEADED.replace("BAKU", "ASTANA").encode(), "utf-8", DAY),
    # Same bytes under two names: both are documents, told apart by path, tied by content_hash.
    Article("copy_one.txt", COPIED, "utf-8", DAY),
    Article("copy_two.txt", COPIED, "utf-8", DAY),
]

REFUSED = [
    Refused("empty.txt", b"", "empty"),
    Refused("whitespace.txt", b" \r\n\t\n  \n", "empty"),
    Refused("nul_inside.txt", HEADED.encode("utf-8").replace(b"Trade", b"Tra\x00de"), "binary"),
    Refused("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary"),
    Refused("paper.txt", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n", "binary"),
]

HEADER_ONLY = f" date {DAY}\n"
# Not a .txt: passed over inside a directory, read when named on the command line.
NAMED_NOTES = "notes.md"


@dataclass(frozen=True)
class Run:
    corpus: Path
    exit_code: int
    stderr: str
    report: dict[str, Any]

    def document(self, name: str) -> dict[str, Any]:
        path = str(self.corpus / name)
        (found,) = [d for d in self.report["documents"] if d["path"] == path]
        return found

    def facts(self, name: str) -> list[dict[str, Any]]:
        doc_id = self.document(name)["doc_id"]
        return [f for f in self.report["facts"] if f["doc_id"] == doc_id]


def _write(path: Path, raw: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    corpus = tmp_path_factory.mktemp("corpus")
    for item in [*ARTICLES, *REFUSED]:
        _write(corpus / item.name, item.raw)
    _write(corpus / "header_only.txt", HEADER_ONLY.encode("utf-8"))
    _write(corpus / NAMED_NOTES, HEADED.replace("BAKU", "ATYRAU").encode("utf-8"))
    _write(corpus / "unlisted.md", HEADED.encode("utf-8"))
    # A loop: corpus/sub/up is corpus again, so sub/up/sub/up/... must not be walked.
    (corpus / "sub" / "up").symlink_to(corpus, target_is_directory=True)
    result = runner.invoke(app, ["extract", str(corpus), str(corpus / NAMED_NOTES), "-f", "json"])
    return Run(corpus, result.exit_code, result.stderr, json.loads(result.stdout))


def _decoded(raw: bytes, encoding: str) -> str:
    """The text offsets index: the file decoded with the encoding the report names."""
    return raw.decode(encoding)


# --- one run over the mixed corpus --------------------------------------------------------


def test_every_input_is_a_document_or_an_error(corpus_run: Run) -> None:
    corpus = corpus_run.corpus
    documents = [d["path"] for d in corpus_run.report["documents"]]
    errors = [e["path"] for e in corpus_run.report["errors"] if e["kind"] != "bad_date"]
    assert len(documents) == len(set(documents)), "a file came out twice"
    assert not set(documents) & set(errors)
    expected_documents = {str(corpus / a.name) for a in ARTICLES} | {
        str(corpus / "header_only.txt"),
        str(corpus / NAMED_NOTES),
    }
    assert set(documents) == expected_documents
    assert set(errors) == {str(corpus / r.name) for r in REFUSED}
    assert not any(f"{os.sep}up{os.sep}" in path for path in documents), "the loop was walked"
    assert str(corpus / "unlisted.md") not in documents


@pytest.mark.parametrize("refused", REFUSED, ids=lambda r: r.name)
def test_refused_file_kind_and_stderr(corpus_run: Run, refused: Refused) -> None:
    path = str(corpus_run.corpus / refused.name)
    (error,) = [e for e in corpus_run.report["errors"] if e["path"] == path]
    assert error["kind"] == refused.kind
    assert error["message"]
    assert f"kzaz: {refused.kind}: {path}: {error['message']}" in corpus_run.stderr.splitlines()


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.name)
def test_same_figure_whatever_the_encoding(corpus_run: Run, article: Article) -> None:
    document = corpus_run.document(article.name)
    assert document["encoding"] == article.encoding
    assert document["date"] == article.date
    trade = [f for f in corpus_run.facts(article.name) if f["type"] == "trade_turnover"]
    assert [
        (f["value"]["amount"], f["value"]["unit"], f["period"]["start"], f["period"]["end"])
        for f in trade
    ] == [(AMOUNT, "USD", *PERIOD)]
    assert trade[0]["parties"] == ["Azerbaijan", "Kazakhstan"]


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.name)
def test_offsets_index_the_decoded_file(corpus_run: Run, article: Article) -> None:
    document = corpus_run.document(article.name)
    text = _decoded(article.raw, document["encoding"])
    assert text[document["body_start"] : document["body_end"]].endswith(SENTENCE)
    facts = corpus_run.facts(article.name)
    assert facts
    for fact in facts:
        evidence = fact["evidence"]
        assert text[evidence["start"] : evidence["end"]] == evidence["text"]
        assert text[evidence["sentence_start"] : evidence["sentence_end"]] == evidence["sentence"]
        for part in ("value", "period"):
            if fact[part] is not None:
                start, end = fact[part]["span"]
                assert text[start:end] == fact[part]["text"]
    entities = [e for e in corpus_run.report["entities"] if e["doc_id"] == document["doc_id"]]
    assert entities
    for entity in entities:
        assert text[entity["start"] : entity["end"]] == entity["text"]


def test_malformed_header_date_is_a_warning(corpus_run: Run) -> None:
    document = corpus_run.document("date_malformed.txt")
    assert document["date"] == "2021-03-02"
    assert (document["date_source"], document["date_precision"]) == ("content", "day")
    assert document["dateline"] == "BAKU, Azerbaijan, March 2"
    (warning,) = [e for e in corpus_run.report["errors"] if e["kind"] == "bad_date"]
    message = "header date '2023-13-45' is no date; ignored"
    assert warning == {"path": document["path"], "kind": "bad_date", "message": message}
    assert f"kzaz: bad_date: {document['path']}: {message}" in corpus_run.stderr.splitlines()


def test_header_without_body_is_a_document_without_facts(corpus_run: Run) -> None:
    document = corpus_run.document("header_only.txt")
    assert document["date"] == DAY
    assert document["body_start"] == document["body_end"] == len(HEADER_ONLY.rstrip())
    assert corpus_run.facts("header_only.txt") == []


def test_named_non_txt_file_is_read(corpus_run: Run) -> None:
    document = corpus_run.document(NAMED_NOTES)
    assert document["doc_id"] == "notes"
    assert document["dateline"] == "ATYRAU, Azerbaijan, March 2"
    assert [f["value"]["amount"] for f in corpus_run.facts(NAMED_NOTES)] == [AMOUNT]


def test_duplicates_are_both_documents_with_one_content_hash(corpus_run: Run) -> None:
    one, two = corpus_run.document("copy_one.txt"), corpus_run.document("copy_two.txt")
    assert (one["doc_id"], two["doc_id"]) == ("copy_one", "copy_two")
    digest = one["content_hash"]
    assert len(digest) == 64
    assert two["content_hash"] == digest
    assert corpus_run.document("plain.txt")["content_hash"] != digest
    facts = [*corpus_run.facts("copy_one.txt"), *corpus_run.facts("copy_two.txt")]
    assert len(facts) == 2
    assert {fact["content_hash"] for fact in facts} == {digest}
    assert facts[0]["id"] != facts[1]["id"]  # each copy's fact stays its own


def test_exit_code_and_summary(corpus_run: Run) -> None:
    report = corpus_run.report
    assert {e["kind"] for e in report["errors"]} - SKIP_KINDS == {"binary"}
    assert corpus_run.exit_code == 1
    summary = corpus_run.stderr.splitlines()[-1]
    assert summary == (
        f"kzaz: {len(ARTICLES) + 2} documents processed, "
        f"{len(REFUSED) + 1} skipped or failed, {len(report['facts'])} facts"
    )
    assert "Traceback" not in corpus_run.stderr


# --- files the current user cannot read ---------------------------------------------------


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_is_reported_and_the_rest_processed(tmp_path: Path) -> None:
    _write(tmp_path / "good.txt", HEADED.encode("utf-8"))
    locked = tmp_path / "locked.txt"
    _write(locked, HEADED.encode("utf-8"))
    locked.chmod(0)
    try:
        result = runner.invoke(app, ["extract", str(tmp_path), "-f", "json"])
    finally:
        locked.chmod(0o600)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert [d["path"] for d in report["documents"]] == [str(tmp_path / "good.txt")]
    assert [f["value"]["amount"] for f in report["facts"]] == [AMOUNT]
    assert [(e["path"], e["kind"]) for e in report["errors"]] == [(str(locked), "unreadable")]
    assert f"kzaz: unreadable: {locked}: " in result.stderr
    assert "Traceback" not in result.stderr


# --- skips alone exit 0, unless --strict ----------------------------------------------------


def _skip_empty_file(root: Path) -> list[str]:
    _write(root / "empty.txt", b"")
    return [str(root)]


def _skip_directory_without_txt(root: Path) -> list[str]:
    _write(root / "drafts" / "draft.md", HEADED.encode("utf-8"))
    return [str(root), str(root / "drafts")]


@pytest.mark.parametrize(
    ("make_skip", "kind", "skipped"),
    [
        pytest.param(_skip_empty_file, "empty", "empty.txt", id="zero-byte-file"),
        pytest.param(_skip_directory_without_txt, "no_input", "drafts", id="directory-without-txt"),
    ],
)
def test_skips_exit_0_and_1_under_strict(
    tmp_path: Path, make_skip: Callable[[Path], list[str]], kind: str, skipped: str
) -> None:
    _write(tmp_path / "good.txt", HEADED.encode("utf-8"))
    arguments = ["extract", *make_skip(tmp_path), "-f", "json"]
    assert kind in SKIP_KINDS
    for extra, code in (([], 0), (["--strict"], 1)):
        result = runner.invoke(app, [*arguments, *extra])
        assert result.exit_code == code, result.stderr
        report = json.loads(result.stdout)
        assert [f["value"]["amount"] for f in report["facts"]] == [AMOUNT]
        assert [(e["path"], e["kind"]) for e in report["errors"]] == [
            (str(tmp_path / skipped), kind)
        ]
        assert f"kzaz: {kind}: {tmp_path / skipped}: " in result.stderr
        assert "1 documents processed, 1 skipped or failed, 1 facts" in result.stderr


# --- standard input -----------------------------------------------------------------------


def test_cp1252_through_stdin() -> None:
    raw = f"{QUOTED_TITLE}\r\n\r\n{SENTENCE}\r\n".encode("cp1252")
    result = runner.invoke(app, ["extract", "-", "-f", "json"], input=raw)
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    (document,) = report["documents"]
    assert (document["path"], document["encoding"]) == ("-", "cp1252")
    assert document["title"] == QUOTED_TITLE
    text = raw.decode("cp1252")
    (fact,) = report["facts"]
    period = (fact["period"]["start"], fact["period"]["end"])
    assert (fact["value"]["amount"], period) == (AMOUNT, PERIOD)
    evidence = fact["evidence"]
    assert text[evidence["start"] : evidence["end"]] == evidence["text"]


def test_binary_stdin_is_an_error_not_a_crash() -> None:
    result = runner.invoke(app, ["extract", "-", "-f", "json"], input=b"%PDF-1.4\n%\xe2\xe3\n")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["documents"] == []
    assert [(e["path"], e["kind"]) for e in report["errors"]] == [("-", "binary")]
    assert "kzaz: binary: -: " in result.stderr


# --- user errors: one line, a traceback only with --debug ---------------------------------


def _missing_data_directory(tmp_path: Path) -> tuple[Path, str]:
    return tmp_path / "no-such-data", "data directory not found"


def _malformed_data_row(tmp_path: Path) -> tuple[Path, str]:
    data = tmp_path / "data"
    for source in DATA.rglob("*"):
        if source.is_file():
            _write(data / source.relative_to(DATA), source.read_bytes())
    periods = data / "periods.jsonl"
    lines = periods.read_text(encoding="utf-8").splitlines()
    periods.write_text(
        "\n".join([*lines, '{"phrase": "last year", "typo": 1}']) + "\n", encoding="utf-8"
    )
    return data, f"{periods}:{len(lines) + 1}: "


@pytest.mark.parametrize(
    "make_data",
    [
        pytest.param(_missing_data_directory, id="missing-directory"),
        pytest.param(_malformed_data_row, id="malformed-row"),
    ],
)
def test_data_error_is_one_line_unless_debug(
    tmp_path: Path, make_data: Callable[[Path], tuple[Path, str]]
) -> None:
    data, expected = make_data(tmp_path)
    arguments = ["extract", str(SEEDS), "-f", "json", "--data", str(data)]
    quiet = runner.invoke(app, arguments)
    assert quiet.exit_code == 2
    assert quiet.stdout == ""
    (line,) = quiet.stderr.splitlines()
    assert line.startswith("kzaz: error: ")
    assert expected in line
    assert "Traceback" not in quiet.stderr
    loud = runner.invoke(app, [*arguments, "--debug"])
    assert isinstance(loud.exception, DataError)
    assert expected in str(loud.exception)


def test_debug_prints_the_traceback_from_the_installed_command(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-data"
    base = [str(KZAZ), "extract", str(SEEDS), "-f", "json", "--data", str(missing)]
    quiet = subprocess.run(base, capture_output=True, text=True, check=False)
    assert quiet.returncode == 2
    assert quiet.stderr == f"kzaz: error: data directory not found: {missing}\n"
    loud = subprocess.run([*base, "--debug"], capture_output=True, text=True, check=False)
    assert loud.returncode == 1
    assert "Traceback" in loud.stderr
    assert f"kzaz_facts.errors.DataError: data directory not found: {missing}" in loud.stderr


# --- a reader that leaves early -----------------------------------------------------------


@pytest.mark.parametrize(
    "lines_read",
    [
        pytest.param(1, id="reader-takes-one-line"),  # kzaz extract ... | head -1
        pytest.param(0, id="reader-gone-before-output"),  # kzaz extract ... | true
    ],
)
def test_broken_pipe_exits_0_without_traceback(lines_read: int) -> None:
    read_end, write_end = os.pipe()
    process = subprocess.Popen(
        [str(KZAZ), "extract", str(SEEDS), "-f", "jsonl"], stdout=write_end, stderr=subprocess.PIPE
    )
    os.close(write_end)
    with os.fdopen(read_end, "rb") as reader:
        lines = [reader.readline() for _ in range(lines_read)]
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr
    assert [json.loads(line)["doc_id"] for line in lines] == ["000_cc0684bcd0eaa77f"] * lines_read
    assert b"Traceback" not in stderr
    assert b"BrokenPipeError" not in stderr


def test_cp1251_title_reads_as_cyrillic(corpus_run: Run) -> None:
    document = corpus_run.document("cyrillic_cp1251.txt")
    assert (document["encoding"], document["title"]) == ("cp1251", CYRILLIC_TITLE)


def test_permission_denied_is_unreadable_and_the_rest_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The chmod 000 case, made to happen for root too: reading the file is refused."""
    locked = tmp_path / "locked.txt"
    locked.write_bytes(HEADED.encode())
    (tmp_path / "open.txt").write_bytes(HEADED.encode())
    open_file = os.open

    def refuse(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if Path(path).name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return open_file(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    result = runner.invoke(app, ["extract", str(tmp_path), "-f", "json", "--jobs", "1"])
    report = json.loads(result.stdout)
    assert result.exit_code == 1
    assert report["errors"] == [
        {"path": str(locked), "kind": "unreadable", "message": "permission denied"}
    ]
    assert [d["doc_id"] for d in report["documents"]] == ["open"]
    assert [f["value"]["amount"] for f in report["facts"]] == [AMOUNT]


def test_interrupted_output_leaves_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kzaz_facts import output

    target = tmp_path / "facts.json"
    target.write_text('{"old": true}\n')

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        stream = args[1]
        stream.write('{\n  "schema_version": "partial')
        raise KeyboardInterrupt

    monkeypatch.setitem(output.STREAM_WRITERS, "json", interrupted)
    result = runner.invoke(app, ["extract", str(SEEDS), "-f", "json", "-o", str(target)])
    assert result.exit_code != 0
    assert target.read_text() == '{"old": true}\n'
    assert [path.name for path in tmp_path.iterdir()] == ["facts.json"]


def test_a_fault_on_one_document_costs_only_that_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kzaz_facts.extract import Extractor

    (tmp_path / "bad.txt").write_bytes(HEADED.encode())
    (tmp_path / "good.txt").write_bytes(HEADED.encode())
    extract = Extractor.extract

    def faulty(self: Extractor, document: Any, doc: Any) -> Any:
        if document.doc_id == "bad":
            raise ZeroDivisionError("division by zero")
        return extract(self, document, doc)

    monkeypatch.setattr(Extractor, "extract", faulty)
    result = runner.invoke(app, ["extract", str(tmp_path), "-f", "json", "--jobs", "1"])
    report = json.loads(result.stdout)
    assert result.exit_code == 1
    (error,) = report["errors"]
    assert (error["path"], error["kind"]) == (str(tmp_path / "bad.txt"), "internal")
    assert "ZeroDivisionError: division by zero" in error["message"]
    assert [d["doc_id"] for d in report["documents"]] == ["good"]
    assert [f["value"]["amount"] for f in report["facts"]] == [AMOUNT]
    debug = runner.invoke(app, ["extract", str(tmp_path), "-f", "json", "--jobs", "1", "--debug"])
    assert isinstance(debug.exception, ZeroDivisionError)


def test_bad_header_date_alone_is_no_failure(tmp_path: Path) -> None:
    path = tmp_path / "bad_date.txt"
    path.write_text(HEADED.replace(DAY, "2023-02-30"), encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path), "-f", "json"])
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert [(e["kind"], e["message"]) for e in report["errors"]] == [
        ("bad_date", "header date '2023-02-30' is no date; ignored")
    ]
    assert [d["date"] for d in report["documents"]] == ["2021-03-02"]
    strict = runner.invoke(app, ["extract", str(path), "-f", "json", "--strict"])
    assert strict.exit_code == 1
