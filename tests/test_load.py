"""decode, load, input_files: bytes -> text, header -> fields, paths -> files; offsets checked."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict

from kzaz_facts.decode import decode_bytes
from kzaz_facts.errors import InputError
from kzaz_facts.input_files import iter_input_paths
from kzaz_facts.load import infer_content_date, load_document, parse_document
from kzaz_facts.records import Document

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


class HeaderCase(BaseModel):
    """A row of headers.jsonl: a file text and the fields its document must have."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    text: str
    expected: dict[str, Any]


def _fields(document: Document) -> dict[str, Any]:
    return {
        "title": document.title,
        "date": document.date.isoformat() if document.date else None,
        "date_source": document.date_source,
        "date_precision": document.date_precision,
        "byline": document.byline,
        "dateline": document.dateline,
        "body": document.body,
    }


def _assert_offsets(document: Document) -> None:
    text = document.text
    assert 0 <= document.body_start <= document.body_end <= len(text)
    assert not text[document.body_end :].strip()
    if document.body:
        assert not text[document.body_start].isspace()
        assert not text[document.body_end - 1].isspace()


# --- seeds --------------------------------------------------------------------------------

SEED_EXPECTED = [
    pytest.param(
        "000_cc0684bcd0eaa77f",
        {
            "title": None,
            "date": dt.date(2023, 3, 2),
            "date_source": "header",
            "date_precision": "day",
            "byline": None,
            "dateline": "BAKU, Azerbaijan, March 2",
            "body_start": 44,
        },
        "Azerbaijan's chairmanship inspires Kazakhstan",
        'of our bilateral cooperation," he said.',
        id="000-date-header-dateline-period",
    ),
    pytest.param(
        "001_824fb12ad621f6f2",
        {
            "title": None,
            "date": dt.date(2024, 3, 11),
            "date_source": "header",
            "date_precision": "day",
            "byline": None,
            "dateline": "ASTANA",
            "body_start": 26,
        },
        "During a significant interview with the Azerbaijani Press Agency",
        "to regional and global development.",
        id="001-date-header-dateline-dash",
    ),
    pytest.param(
        "002_43d849b502656bca",
        {
            "title": "Envoy: Development of corridors to increase Azerbaijan’s and "
            "Kazakhstan’s importance in global logistics",
            # latest plain year: "What would you wish for the Azerbaijani people in 2024?"
            "date": dt.date(2024, 1, 1),
            "date_source": "content",
            "date_precision": "year",
            "byline": None,
            "dateline": None,
            "body_start": 107,
        },
        "Relations with the fraternal Turkic countries",
        "capable of transforming the entire region.",
        id="002-title-no-date",
    ),
    pytest.param(
        "003_5cb35d2f2badd455",
        {
            "title": None,
            "date": dt.date(2019, 12, 9),
            "date_source": "header",
            "date_precision": "day",
            "byline": "Rasana Gasimova",
            "dateline": None,
            "body_start": 37,
        },
        "Azerbaijan is developing intensive cooperation with Kazakhstan",
        "the Caspian Sea between the two countries.",
        id="003-date-header-byline",
    ),
    pytest.param(
        "004_c4a2d1bfbe238e4d",
        {
            "title": "Presidents of Azerbaijan and Kazakhstan made press statements",
            "date": dt.date(2023, 4, 10),
            "date_source": "header",
            "date_precision": "day",
            "byline": None,
            "dateline": None,
            "body_start": 147,
        },
        "President of the Republic of Azerbaijan Ilham Aliyev and President",
        "I hope all this will be enduring.",
        id="004-title-date-line-repeat",
    ),
]


@pytest.mark.parametrize(("stem", "expected", "first_words", "last_words"), SEED_EXPECTED)
def test_seed_header(
    stem: str, expected: dict[str, Any], first_words: str, last_words: str
) -> None:
    path = SEEDS / f"{stem}.txt"
    document = load_document(path)
    assert document.doc_id == stem
    assert document.path == str(path)
    assert document.encoding == "utf-8"
    assert document.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    assert document.text == path.read_text(encoding="utf-8")
    actual = {key: getattr(document, key) for key in expected}
    assert actual == expected
    text = document.text
    assert text[document.body_start :].startswith(first_words)
    assert text[: document.body_end].endswith(last_words)
    assert document.body_end == len(text.rstrip())
    _assert_offsets(document)


def test_seed_002_title_is_the_first_line() -> None:
    document = load_document(SEEDS / "002_43d849b502656bca.txt")
    assert document.text.splitlines()[0] == document.title


# --- header variants (tests/cases/headers.jsonl) ------------------------------------------


@pytest.mark.cases("headers.jsonl", HeaderCase)
def test_header_case(case: HeaderCase) -> None:
    document = parse_document(case.text, doc_id="case", path="case.txt")
    assert _fields(document) == case.expected
    assert document.text == case.text
    _assert_offsets(document)


def test_parse_document_passes_through_identity_fields() -> None:
    document = parse_document(
        "Title\n\nBody.", doc_id="abc", path="dir/abc.txt", encoding="cp1252", content_hash="ff"
    )
    assert (document.doc_id, document.path, document.encoding, document.content_hash) == (
        "abc",
        "dir/abc.txt",
        "cp1252",
        "ff",
    )


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_parse_document_never_raises_and_offsets_hold(text: str) -> None:
    _assert_offsets(parse_document(text, doc_id="h", path="h"))


@given(
    st.sampled_from([" date ", " date 2023-", "Title\n\n", "By ", "BAKU, ", "10 April "]),
    st.text(alphabet="0123456789-.:, \r\nABKUaby–", max_size=60),
)
def test_header_like_prefixes_never_raise(prefix: str, rest: str) -> None:
    _assert_offsets(parse_document(prefix + rest, doc_id="h", path="h"))


# --- infer_content_date -------------------------------------------------------------------

CONTENT_YEARS = [
    ("In 2023, almost 60,000 people arrived.", 2023),
    ("Turnover in 2021 beat 2020 and 2019.", 2021),
    ("- 2023 was a very successful year.", 2023),
    ("What would you wish for the people in 2024?", 2024),
    ("The road map for 2018-2020 was adopted in 2017.", 2017),
    ("The 2022–2026 programme started in 2021.", 2021),
    ("The 2023/24 season opened; 2022 was calm.", 2022),
    ("Trade should reach $1 billion by 2026, up from 2022.", 2022),
    ("Works will last until 2027; they began in 2020.", 2020),
    ("The port is to be ready by the end of 2025, it was said in 2021.", 2021),
    ("Before mid-2026 the line doubles; talks in 2019.", 2019),
    ("Exports through 2030 are fixed; the deal is from 2015.", 2015),
    ("Transport volumes hit 2,523 tons and 2023 tons.", None),
    ("A fee of $2023 and 2023.5 points.", None),
    ("The Kazakhstan-2050 strategy dates from 2012.", 2012),
    ("Relations since 1989 and 1992.", 1992),
    ("No year is mentioned here at all.", None),
    ("", None),
]


@pytest.mark.parametrize(
    ("body", "expected"), CONTENT_YEARS, ids=[body[:40] or "empty" for body, _ in CONTENT_YEARS]
)
def test_infer_content_date(body: str, expected: int | None) -> None:
    assert infer_content_date(body) == expected


# --- decode_bytes -------------------------------------------------------------------------

TEXT = "“Middle Corridor” – Baku\r\nAktau"

DECODED = [
    pytest.param(TEXT.encode("utf-8"), TEXT, "utf-8", id="utf-8"),
    pytest.param(b"\xef\xbb\xbf" + TEXT.encode("utf-8"), TEXT, "utf-8-sig", id="utf-8-bom"),
    pytest.param(b"\xff\xfe" + TEXT.encode("utf-16-le"), TEXT, "utf-16", id="utf-16-le-bom"),
    pytest.param(b"\xfe\xff" + TEXT.encode("utf-16-be"), TEXT, "utf-16", id="utf-16-be-bom"),
    pytest.param(TEXT.encode("cp1252"), TEXT, "cp1252", id="cp1252-quotes-and-dash"),
    pytest.param(b"Baku\rAstana\r", "Baku\rAstana\r", "utf-8", id="lone-cr-kept"),
    pytest.param(b"  text  \n", "  text  \n", "utf-8", id="whitespace-kept"),
]


@pytest.mark.parametrize(("raw", "text", "encoding"), DECODED)
def test_decode_bytes(raw: bytes, text: str, encoding: str) -> None:
    assert decode_bytes(raw, "f.txt") == (text, encoding)


DECODE_ERRORS = [
    pytest.param(b"", "empty", id="zero-bytes"),
    pytest.param(b" \r\n\t\n", "empty", id="whitespace-only"),
    pytest.param(b"\xef\xbb\xbf", "empty", id="utf-8-bom-only"),
    pytest.param(b"\xff\xfe" + " \n".encode("utf-16-le"), "empty", id="utf-16-whitespace"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary", id="png"),
    pytest.param(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "binary", id="pdf"),
    pytest.param(b"PK\x03\x04\x14\x00\x06\x00", "binary", id="zip"),
    pytest.param(b"GIF89a\x01\x00\x01\x00", "binary", id="gif"),
    pytest.param(b"\xff\xd8\xff\xe0\x00\x10JFIF", "binary", id="jpeg"),
    pytest.param(b"Baku\x00Astana", "binary", id="nul-byte"),
    pytest.param("Baku".encode("utf-16-le"), "binary", id="utf-16-without-bom"),
    pytest.param(b"Baku \x81\x8d Astana", "undecodable", id="bytes-undefined-in-cp1252"),
    pytest.param(b"\xef\xbb\xbfBaku \xff", "undecodable", id="utf-8-bom-then-invalid"),
    pytest.param(b"\xff\xfe" + b"B\x00a", "undecodable", id="utf-16-odd-length"),
]


@pytest.mark.parametrize(("raw", "kind"), DECODE_ERRORS)
def test_decode_bytes_errors(raw: bytes, kind: str) -> None:
    with pytest.raises(InputError) as caught:
        decode_bytes(raw, "bad.txt")
    assert caught.value.kind == kind
    assert caught.value.path == "bad.txt"
    assert caught.value.message


# --- load_document ------------------------------------------------------------------------


def test_load_utf16_bom_offsets_index_the_decoded_text(tmp_path: Path) -> None:
    text = " date 2023-03-02 BAKU, Azerbaijan, March 2. Trade grew.\r\n"
    path = tmp_path / "utf16.txt"
    raw = b"\xff\xfe" + text.encode("utf-16-le")
    path.write_bytes(raw)
    document = load_document(path)
    assert document.encoding == "utf-16"
    assert raw.decode(document.encoding) == document.text
    assert document.text == text
    assert document.body == "Trade grew."
    assert document.content_hash == hashlib.sha256(raw).hexdigest()
    assert document.date == dt.date(2023, 3, 2)


def test_load_utf8_bom_is_dropped_from_the_text(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf date 2024-03-11 ASTANA \xe2\x80\x93 Talks began.\n")
    document = load_document(path)
    assert document.encoding == "utf-8-sig"
    assert document.text.startswith(" date")
    assert document.text[document.body_start : document.body_end] == "Talks began."
    assert document.dateline == "ASTANA"


def test_load_cp1252_title_with_smart_quotes(tmp_path: Path) -> None:
    path = tmp_path / "quotes.txt"
    path.write_bytes(b"\x93Brotherly\x94 ties grow\r\n\r\nTrade rose in 2022 \x96 officials.\r\n")
    document = load_document(path)
    assert document.encoding == "cp1252"
    assert document.doc_id == "quotes"
    assert document.title == "“Brotherly” ties grow"
    assert document.body == "Trade rose in 2022 – officials."
    assert (document.date, document.date_source) == (dt.date(2022, 1, 1), "content")


def test_load_crlf_keeps_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    raw = b"Title\r\n\r\n10 April 2023, 15:30\r\nTitle\r\n\r\nOne.\r\n\r\nTwo.\r\n"
    path.write_bytes(raw)
    document = load_document(path)
    assert document.text == raw.decode("ascii")
    assert document.body_start == raw.index(b"One.")
    assert document.body == "One.\r\n\r\nTwo."
    assert (document.title, document.date) == ("Title", dt.date(2023, 4, 10))


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        pytest.param(b"", "empty", id="empty"),
        pytest.param(b"\x89PNG\r\n\x1a\nrest", "binary", id="png"),
        pytest.param(b"text\x00\x00more", "binary", id="nul"),
    ],
)
def test_load_bad_content(tmp_path: Path, raw: bytes, kind: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(raw)
    with pytest.raises(InputError) as caught:
        load_document(path)
    assert (caught.value.kind, caught.value.path) == (kind, str(path))


def test_load_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_document(tmp_path / "missing.txt")
    assert caught.value.kind == "not_found"


def test_load_directory_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_document(tmp_path)
    assert caught.value.kind == "unreadable"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_load_without_permission_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("Text.", encoding="utf-8")
    path.chmod(0)
    try:
        with pytest.raises(InputError) as caught:
            load_document(path)
        assert caught.value.kind == "unreadable"
    finally:
        path.chmod(0o600)


def test_load_malformed_header_never_raises(tmp_path: Path) -> None:
    path = tmp_path / "malformed.txt"
    path.write_text(" date 2023-13-45 BAKU, Azerbaijan, March 2. Trade grew in 2022.\n")
    document = load_document(path)
    # The header value is ignored with a warning; the date is read as if there were no header.
    assert (document.date, document.date_source, document.date_precision) == (
        dt.date(2022, 3, 2),
        "content",
        "day",
    )
    assert document.warnings == (("bad_date", "header date '2023-13-45' is no date; ignored"),)
    assert document.dateline == "BAKU, Azerbaijan, March 2"
    assert document.body == "Trade grew in 2022."


def test_readable_header_date_gives_no_warning() -> None:
    document = parse_document(" date 2023-03-02 BAKU – Trade grew.\n", doc_id="d", path="d")
    assert document.warnings == ()


# --- iter_input_paths ---------------------------------------------------------------------


def _write(path: Path, text: str = "Text.") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _relative(items: list[Path | InputError], root: Path) -> list[str]:
    return [
        item.relative_to(root).as_posix() if isinstance(item, Path) else f"!{item.kind}"
        for item in items
    ]


def test_directory_recursion_sorted_by_relative_path(tmp_path: Path) -> None:
    # created out of order, so the result cannot come from creation or listing order
    for name in ["b/z.txt", "a.txt", "b/a/c.txt", "c.TXT", "b.txt", "b/notes.md", "a/x/y.txt"]:
        _write(tmp_path / "corpus" / name)
    items = list(iter_input_paths([str(tmp_path / "corpus")]))
    assert _relative(items, tmp_path / "corpus") == [
        "a/x/y.txt",
        "a.txt",
        "b/a/c.txt",
        "b/z.txt",
        "b.txt",
        "c.TXT",
    ]


def test_named_file_taken_whatever_its_extension(tmp_path: Path) -> None:
    named = _write(tmp_path / "article.md")
    assert list(iter_input_paths([str(named)])) == [named]


def _shown(items: list[Path | InputError]) -> list[Path | tuple[str, str, str]]:
    return [
        (item.path, item.kind, item.message) if isinstance(item, InputError) else item
        for item in items
    ]


def test_same_file_named_twice_is_yielded_once_then_a_duplicate(tmp_path: Path) -> None:
    article = _write(tmp_path / "corpus" / "one.txt")
    other = _write(tmp_path / "corpus" / "two.txt")
    spellings = [str(article), str(tmp_path / "corpus" / "." / "one.txt"), str(tmp_path / "corpus")]
    again = ("duplicate", f"same file as {article}; read once")
    assert _shown(list(iter_input_paths(spellings))) == [
        article,
        (str(article), *again),
        (str(article), *again),
        other,
    ]


def test_symlinked_file_is_yielded_once_then_a_duplicate(tmp_path: Path) -> None:
    article = _write(tmp_path / "corpus" / "a.txt")
    (tmp_path / "corpus" / "b.txt").symlink_to(article)
    assert _shown(list(iter_input_paths([str(tmp_path / "corpus")]))) == [
        article,
        (str(tmp_path / "corpus" / "b.txt"), "duplicate", f"same file as {article}; read once"),
    ]


def test_symlink_loop_is_not_followed_forever(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    article = _write(root / "sub" / "a.txt")
    (root / "sub" / "loop").symlink_to(root, target_is_directory=True)
    (root / "sub" / "self").symlink_to(root / "sub", target_is_directory=True)
    assert list(iter_input_paths([str(root)])) == [article]


def test_missing_and_empty_inputs_are_reported_in_order(tmp_path: Path) -> None:
    empty_dir = tmp_path / "empty"
    _write(empty_dir / "readme.md")
    present = _write(tmp_path / "ok.txt")
    items = list(iter_input_paths([str(tmp_path / "nope.txt"), str(empty_dir), str(present)]))
    assert len(items) == 3
    missing, no_input, found = items
    assert isinstance(missing, InputError)
    assert (missing.kind, missing.path) == ("not_found", str(tmp_path / "nope.txt"))
    assert isinstance(no_input, InputError)
    assert (no_input.kind, no_input.path) == ("no_input", str(empty_dir))
    assert found == present


def test_broken_symlink_named_is_not_found(tmp_path: Path) -> None:
    link = tmp_path / "dangling.txt"
    link.symlink_to(tmp_path / "gone.txt")
    items = list(iter_input_paths([str(link)]))
    assert [(item.kind if isinstance(item, InputError) else item) for item in items] == [
        "not_found"
    ]
