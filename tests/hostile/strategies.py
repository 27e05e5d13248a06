"""Hypothesis strategies for what hostile pages, links and config files look like.

Each strategy aims at a known way parsers break: nesting deeper than recursion limits,
attributes of megabytes, tags that never close, bytes that are no encoding at all, NUL
bytes, URLs that mean one host to one parser and another to the next, config values of
the wrong type. Example counts are small by default so the suite stays fast; set
TRACER_TEST_FUZZ_EXAMPLES for a longer run.
"""

from __future__ import annotations

import os
import string

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

#: examples per property; the default keeps the suite in seconds
EXAMPLES = int(os.environ.get("TRACER_TEST_FUZZ_EXAMPLES", "40"))

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # parsing a 1 MB attribute may take a while on a busy CI core
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
        HealthCheck.large_base_example,
    ],
    derandomize=False,
)

# -- text ------------------------------------------------------------------------------------

#: words a verifier's article is made of, so the attribution finder actually runs
_WORDS = [
    "said",
    "according to",
    "citing",
    "the Telegram channel",
    "Russia Today (RT)",
    "GREY ZONE",
    "reported",
    "@Tendar",
    "July 28, 2024",
    "— (((Tendar))) (@Tendar) July 28, 2024",
    "pic.twitter.com/hIF4H7QWW1",
    "t.me/grey_zone/23150",
    "https://x.com/a/status/1817654321098765432",
    "сообщил",
    "по данным",
    "заявил",
    "\u202e",  # right-to-left override
    "\u200b",  # zero-width space
    "\x00",
    "\ufffd",
    "\ud7ff",
    "😀",
    "\r\n",
    "\t",
]

prose = st.lists(st.one_of(st.sampled_from(_WORDS), st.text(max_size=40)), max_size=60).map(
    " ".join
)


# -- URLs ------------------------------------------------------------------------------------

_HOSTS = [
    "x.com",
    "twitter.com",
    "t.me",
    "www.youtube.com",
    "youtu.be",
    "www.tiktok.com",
    "www.instagram.com",
    "www.facebook.com",
    "vk.com",
    "news.example",
    "xn--e1afmkfd.xn--p1ai",  # пример.рф in IDNA
    "пример.рф",
    "ex\u00e4mple.de",
    "EXAMPLE.COM.",
    "127.0.0.1",
    "2130706433",
    "0x7f.1",
    "017700000001",
    "[::1]",
    "[::ffff:169.254.169.254]",
    "169.254.169.254",
    "localhost",
    "a" * 70 + ".example",
    "xn--",
    "-bad-.example",
    "..",
    "",
]
_SCHEMES = [
    "http://",
    "https://",
    "HTTPS://",
    "//",
    "",
    "javascript:",
    "data:text/html;base64,",
    "file://",
    "ftp://",
    "tg://",
    "tg:resolve?domain=",
    "mailto:",
    "hxxp://",
    "http:/",
    "https:///",
]
_PATHS = [
    "",
    "/",
    "/grey_zone/23150",
    "/s/grey_zone",
    "/Tendar/status/1817654321098765432",
    "/i/web/status/1817654321098765432?s=20",
    "/watch?v=dQw4w9WgXcQ&t=1s",
    "/@user/video/7234567890123456789",
    "/p/C9abcdEFghi/",
    "/wall-1_2",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/%00",
    "/%ZZ",
    "/\u00e9t\u00e9",
    "/?url=http://169.254.169.254/",
    "#fragment",
    "/" + "a" * 3000,
]

userinfo = st.sampled_from(["", "user@", "user:pass@", "a@b@", ":@", "%40@", "x.com@"])
port = st.one_of(
    st.just(""),
    st.sampled_from([":0", ":80", ":443", ":65535", ":65536", ":99999999", ":-1", ":abc", ":"]),
    st.integers(0, 70000).map(lambda p: f":{p}"),
)
url_text = st.text(
    alphabet=st.characters(exclude_categories=["Cs"]) | st.sampled_from("%/:@?#[]."),
    max_size=30,
)

urls = st.one_of(
    st.builds(
        lambda scheme, user, host, port, path, tail: f"{scheme}{user}{host}{port}{path}{tail}",
        st.sampled_from(_SCHEMES),
        userinfo,
        st.sampled_from(_HOSTS),
        port,
        st.sampled_from(_PATHS),
        st.one_of(st.just(""), url_text),
    ),
    st.text(max_size=60),
)


# -- HTML ------------------------------------------------------------------------------------

_TAGS = ["p", "div", "a", "blockquote", "script", "iframe", "span", "article", "meta", "table"]


def _nest(depth: int, tag: str, inner: str) -> str:
    return f"<{tag}>" * depth + inner + f"</{tag}>" * depth


@st.composite
def html_pages(draw: st.DrawFn) -> str:
    """Markup that is broken in one or more of the ways real and hostile pages are."""
    parts: list[str] = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(
            st.sampled_from(
                ["nest", "attr", "broken", "embed", "link", "text", "meta", "jsonld", "open"]
            )
        )
        if kind == "nest":
            depth = draw(st.sampled_from([10, 300, 1200, 5000]))
            parts.append(_nest(depth, draw(st.sampled_from(_TAGS)), draw(prose)))
        elif kind == "attr":
            size = draw(st.sampled_from([1000, 100_000, 1_000_000]))
            fill = draw(st.sampled_from(["a", "\"'<>", "\x00", "&#0;", "é"]))
            parts.append(f'<a href="https://x.com/{fill * (size // len(fill))}">link</a>')
        elif kind == "broken":
            parts.append(
                draw(
                    st.sampled_from(
                        [
                            "<p <a href=",
                            "</html></html><html>",
                            "<!--",
                            "<![CDATA[",
                            "<script>",
                            '<blockquote class="twitter-tweet"><a href="',
                            "<a href='https://t.me/grey_zone/23150'",
                            "<table><tr><td><p></table>",
                            "<\x00p>",
                            "&#xFFFFFFFF;&#0;&#55296;",
                            "<meta charset=utf-7>+ADw-script+AD4-",
                            "<meta http-equiv='refresh' content='0;url=http://169.254.169.254/'>",
                        ]
                    )
                )
            )
        elif kind == "embed":
            parts.append(
                '<blockquote class="twitter-tweet"><p>'
                + draw(prose)
                + '</p>&mdash; Name (@handle) <a href="'
                + draw(urls)
                + '">July 28, 2024</a></blockquote>'
            )
        elif kind == "link":
            parts.append(f'<a href="{draw(urls)}">{draw(prose)}</a>')
        elif kind == "meta":
            parts.append(
                f'<link rel="canonical" href="{draw(urls)}">'
                f'<meta property="og:url" content="{draw(urls)}">'
                f'<meta property="article:published_time" content="{draw(st.text(max_size=30))}">'
            )
        elif kind == "jsonld":
            parts.append(
                '<script type="application/ld+json">'
                + draw(
                    st.sampled_from(
                        [
                            '{"@type": "NewsArticle", "datePublished": 12}',
                            '{"@type": ["NewsArticle"], "datePublished": "9999-99-99"}',
                            '[{"@graph": [null, 1, "x"]}]',
                            "{not json",
                            '{"author": {"name": {"name": []}}}',
                            '{"datePublished": "0000-01-01T00:00:00Z"}',
                        ]
                    )
                )
                + "</script>"
            )
        elif kind == "open":
            parts.append("<html><head><title>" + draw(prose) + "</title></head><body>")
        else:
            parts.append(draw(prose))
    return "".join(parts)


_ENCODINGS = ["utf-8", "utf-16", "cp1251", "koi8-r", "latin-1", "shift_jis", "gb18030"]


@st.composite
def page_bytes(draw: st.DrawFn) -> tuple[bytes, str | None]:
    """An HTML page as bytes in a mixed, wrong or invalid encoding, and a declared charset."""
    html = draw(html_pages())
    chunks: list[bytes] = []
    for piece in (html[: len(html) // 2], html[len(html) // 2 :]):
        encoding = draw(st.sampled_from(_ENCODINGS))
        chunks.append(piece.encode(encoding, errors="replace"))
    body = b"".join(chunks)
    extra = draw(
        st.sampled_from(
            [
                b"",
                b"\xff\xfe\xfd",  # invalid UTF-8
                b"\xc3\x28",  # broken two-byte sequence
                b"\xed\xa0\x80",  # encoded surrogate
                b"\x00" * 8,
                b"\xef\xbb\xbf",  # a BOM in the middle
                b'<meta charset="utf-16">',
                b'<meta charset="no-such-charset">',
            ]
        )
    )
    at = draw(st.integers(0, len(body)))
    body = body[:at] + extra + body[at:]
    declared = draw(st.sampled_from([None, "utf-8", "utf-16", "cp1251", "x-unknown", ""]))
    return body, declared


raw_bytes = st.binary(max_size=4096)


# -- config files ----------------------------------------------------------------------------

_SECTIONS = ["database", "http", "cache", "archives.wayback", "registry", "preserve", "check", "x"]
_KEYS = [
    "url",
    "allow_networks",
    "connect_to",
    "per_host_concurrency",
    "per_host_interval",
    "timeout",
    "max_body_bytes",
    "max_redirects",
    "enabled",
    "ttl",
    "files",
    "access_key",
    "window",
    "lease_seconds",
    "unknown_key",
]
toml_values = st.one_of(
    st.integers(-(2**70), 2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(
        lambda f: "nan" if f != f else ("inf" if f == float("inf") else repr(f))
    ),
    st.sampled_from(
        [
            "true",
            '"text"',
            '""',
            "[]",
            '["127.0.0.0/8"]',
            '["not a network"]',
            '["::/0", "0.0.0.0/0"]',
            "{}",
            '{"a:1" = "b:2"}',
            '{"a" = "b"}',
            '{"host:80" = "nohost"}',
            "1979-05-27T07:32:00Z",
            '"\\u0000"',
            "[[1], [2]]",
            "{ x = { y = 1 } }",
        ]
    ),
)


@st.composite
def config_files(draw: st.DrawFn) -> bytes:
    """A settings file: valid TOML with values of any type, or not TOML at all."""
    lines: list[str] = []
    for _ in range(draw(st.integers(0, 6))):
        lines.append(f"[{draw(st.sampled_from(_SECTIONS))}]")
        for _ in range(draw(st.integers(0, 4))):
            lines.append(f"{draw(st.sampled_from(_KEYS))} = {draw(toml_values)}")
    text = "\n".join(lines)
    mangle = draw(st.sampled_from(["none", "none", "bytes", "truncate", "nul", "text"]))
    if mangle == "bytes":
        return text.encode() + draw(raw_bytes)
    if mangle == "truncate":
        return text.encode()[: draw(st.integers(0, len(text)))]
    if mangle == "nul":
        return text.replace("=", "=\x00", 1).encode()
    if mangle == "text":
        return draw(st.text(alphabet=string.printable + "[]=\"'\x00é", max_size=200)).encode()
    return text.encode()


# -- stored strings --------------------------------------------------------------------------

hostile_strings = st.one_of(
    st.text(max_size=50),
    st.sampled_from(
        [
            "\x00",
            "a\x00b",
            "\x00" * 10,
            "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
            "'; DROP TABLE node; --",
            "\\",
            "%",
            "_",
            "é" * 2000,
            "\u202e\u200b",
            "😀" * 100,
            "\r\n\t",
        ]
    ),
)
