"""Reading inputs: files, stdin, URLs through the HTTP layer, and every encoding trap."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakeweb import FakeWeb
from tests.fakeweb.server import Response
from tracer.errors import InputError, NetworkError, TracerError
from tracer.extract import Document, document_from_bytes, extract, load_document, read_document
from tracer.extract.decoding import decode, looks_like_html
from tracer.http.client import HTTPClient

ARTICLE = """<!DOCTYPE html><html lang="uk"><head><meta charset="{charset}">
<title>Новини порту</title><meta property="og:site_name" content="Портова газета"></head>
<body><article><h1>Новини порту</h1>
<p>За словами Марти Коливан, атака тривала годину, і про це вже написали всі місцеві видання.</p>
<p>Як повідомляє Telegram-канал Рибар, у порту була пожежа, яка тривала до самого ранку.</p>
</article></body></html>"""


def read_file(path: Path, text: str) -> Document:
    """The document `read_document` makes of a file at `path` holding `text`."""
    path.write_text(text, encoding="utf-8")
    return read_document(str(path))


def test_text_file(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    document = read_file(
        path, "According to Reuters, the port burned.\n— Jane Roe (@janeroe) May 2, 2024\n"
    )
    assert document.html is None and document.source == str(path)
    assert {r.name for r in extract(document)} == {"Reuters", "Jane Roe"}


def test_markdown_file_keeps_its_title_and_links(tmp_path: Path) -> None:
    document = read_file(
        tmp_path / "a.md",
        "# Port fire\n\nSee [the post](https://t.me/rybar/12) and [this](https://example.org/x).\n",
    )
    assert document.title == "Port fire"
    assert [r.url for r in extract(document)] == ["https://t.me/rybar/12", "https://example.org/x"]


def test_html_is_told_by_content_not_by_name(tmp_path: Path) -> None:
    document = read_file(tmp_path / "saved-page.txt", ARTICLE.format(charset="utf-8"))
    assert document.html is not None and document.outlet == "Портова газета"
    assert "<p>" not in document.text and "Рибар" in document.text
    pasted = read_file(
        tmp_path / "pasted.html", "Plain words. According to Reuters, the port burned."
    )
    assert "Reuters" in {r.name for r in extract(pasted)}


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.TextIOWrapper(io.BytesIO(b"According to Reuters, the port burned."))
    monkeypatch.setattr(sys, "stdin", stream)
    document = read_document("-")
    assert document.source == "-"
    assert [r.name for r in extract(document)] == ["Reuters"]


@pytest.mark.parametrize("source", ["/no/such/article.html", "."])
def test_unreadable_sources_are_input_errors(source: str) -> None:
    with pytest.raises(InputError):
        read_document(source)


def test_meta_charset_decodes_legacy_pages() -> None:
    content = ARTICLE.format(charset="windows-1251").encode("cp1251")
    document = document_from_bytes(content, source="legacy.html")
    assert document.encoding == "cp1251"
    assert "За словами Марти Коливан" in document.text
    names = {r.name for r in extract(document)}
    assert {"Марти Коливан", "Рибар"} <= names


def test_byte_order_mark_wins() -> None:
    content = "According to Reuters, the port burned.".encode("utf-16")  # the codec writes the BOM
    document = document_from_bytes(content, source="bom.txt")
    assert document.text == "According to Reuters, the port burned."


def test_header_charset_beats_the_guess() -> None:
    text, encoding = decode("Порт".encode("koi8-r"), "koi8-r")
    assert (text, encoding) == ("Порт", "koi8-r")


@pytest.mark.parametrize("markup", [False, True])
def test_letters_spelt_with_combining_marks_read_as_one_name(markup: bool) -> None:
    # "é" as "e" and a combining acute, as some systems write it: the name ran to the mark
    sentence = (
        "Selon Fre\u0301de\u0301ric Lemaître, porte-parole de la pre\u0301fecture, le port a brûlé."
    )
    page = f"<html><body><article><p>{sentence}</p></article></body></html>" if markup else sentence
    document = document_from_bytes(page.encode("utf-8"), source="nfd.html" if markup else "nfd.txt")
    names = {reference.name for reference in extract(document)}
    assert "Frédéric Lemaître" in names
    assert "Fre\u0301de\u0301ric" not in document.text


@pytest.mark.parametrize("declared", [None, "no-such-charset", "utf-8"])
def test_undecodable_bytes_never_crash(declared: str | None) -> None:
    content = bytes(range(256)) * 8 + b"<p>According to Reuters, it burned.</p>\xff\xfe\x00"
    document = document_from_bytes(content, source="junk", charset=declared)
    references = extract(document)
    assert isinstance(document.text, str) and "\x00" not in document.text
    for reference in references:
        assert (
            reference.evidence is None
            or document.text[reference.start : reference.end] == reference.evidence
        )


def test_looks_like_html() -> None:
    assert looks_like_html("<!DOCTYPE html><html><body>x</body></html>")
    assert looks_like_html("<div><p>One</p><p>Two</p></div>")
    assert not looks_like_html("If a < b and b > c then a < c.")


def _client(web: FakeWeb) -> HTTPClient:
    return HTTPClient(web.http_settings(catch_all=False), resolver=web.resolver)


async def test_a_url_is_fetched_through_the_http_layer(fakeweb: FakeWeb) -> None:
    body = ARTICLE.format(charset="koi8-u").replace('<meta charset="koi8-u">', "").encode("koi8-u")
    fakeweb.page(
        "https://port.example/news/1", Response(body=body, content_type="text/html; charset=koi8-u")
    )
    async with _client(fakeweb) as http:
        document = await load_document("https://port.example/news/1", http)
    assert document.url == "https://port.example/news/1"
    assert document.encoding == "koi8-u"
    assert "Рибар" in {r.name for r in extract(document)}
    assert fakeweb.seen("port.example", "/news/1")


async def test_a_schemeless_address_is_read_as_https(fakeweb: FakeWeb) -> None:
    fakeweb.page(
        "https://port.example/news/2",
        Response(body="According to Reuters, it burned.", content_type="text/plain"),
    )
    async with _client(fakeweb) as http:
        document = await load_document("port.example/news/2", http)
    assert document.html is None and [r.name for r in extract(document)] == ["Reuters"]


@pytest.mark.parametrize(
    ("response", "error"),
    [
        (Response(status=404, body="gone"), InputError),
        (Response(body=b"%PDF-1.7", content_type="application/pdf"), InputError),
    ],
)
async def test_bad_urls_are_one_line_errors(
    fakeweb: FakeWeb, response: Response, error: type[TracerError]
) -> None:
    fakeweb.page("https://port.example/bad", response)
    async with _client(fakeweb) as http:
        with pytest.raises(error) as caught:
            await load_document("https://port.example/bad", http)
    assert "\n" not in str(caught.value)


async def test_unknown_hosts_fail_as_network_errors(fakeweb: FakeWeb) -> None:
    async with _client(fakeweb) as http:
        with pytest.raises(NetworkError):
            await load_document("https://nowhere.example/a", http)


def test_module_entry_point_prints_json(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("According to Reuters, the port burned.", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "tracer.extract", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    import json

    output = json.loads(done.stdout)
    assert [r["name"] for r in output["references"]] == ["Reuters"]
    missing = subprocess.run(
        [sys.executable, "-m", "tracer.extract", str(tmp_path / "none.txt")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (
        missing.returncode == 2
        and missing.stderr.count("\n") == 1
        and "Traceback" not in missing.stderr
    )
