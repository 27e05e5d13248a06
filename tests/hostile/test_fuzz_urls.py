"""Fuzzing URL handling: whatever a page links to, reading the URL raises only TracerError.

Every adapter's `parse` must answer an identity or None for any string (its protocol
says so); `tracer.identity.resolver.parse` and `normalize_input` may also refuse with InputError.
And whatever identity comes out names an http(s) URL: a javascript:, data: or file:
link must never become a node the tool would later fetch.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given

from tests.hostile.strategies import FUZZ, urls
from tracer.errors import InputError, TracerError
from tracer.identity.resolver import normalize_input, parse
from tracer.locate.locator import url_variants
from tracer.plugins.installed import platform_adapters as adapters
from tracer.plugins.platform import PlatformAdapter

ADAPTERS = adapters()
NON_WEB = ("javascript:", "data:", "file:", "ftp:", "mailto:", "hxxp:")


def test_every_built_in_adapter_is_fuzzed() -> None:
    names = {adapter.name for adapter in ADAPTERS}
    assert {"x", "telegram", "youtube", "tiktok", "instagram", "facebook", "vk", "web"} <= names


@pytest.mark.parametrize("adapter", ADAPTERS, ids=lambda adapter: adapter.name)
def test_adapter_parse_never_raises(adapter: PlatformAdapter) -> None:
    @FUZZ
    @given(urls)
    @example("https://x.com/" + "a" * 100_000)
    @example("https://user:pass@x.com:99999/Tendar/status/1817654321098765432")
    @example("https://[::1/")
    @example("https://пример.рф/%D0%B0")
    @example("https://t.me/\x00/1")
    def run(url: str) -> None:
        identity = adapter.parse(url)
        if identity is not None:
            assert identity.canonical_url.lower().startswith(("http://", "https://", "tg:"))

    run()


@FUZZ
@given(urls)
@example("javascript:alert(document.domain)//x.com/a/status/1")
@example("data:text/html;base64,PHNjcmlwdD4=")
@example("file:///etc/passwd")
@example("http://[::ffff:169.254.169.254]:80/latest")
@example("https://xn--/")
@example("//evil.example@x.com/a/status/1")
@example("https://x.com:0/a")
def test_resolve_parse_answers_an_identity_or_input_error(url: str) -> None:
    try:
        normalized = normalize_input(url)
    except InputError:
        normalized = None
    try:
        _adapter, identity = parse(url)
    except InputError:
        return
    except TracerError as exc:  # pragma: no cover - a different TracerError is a finding too
        pytest.fail(f"parse({url!r}) raised {type(exc).__name__}, not InputError")
    assert normalized is not None
    canonical = identity.canonical_url.lower()
    assert canonical.startswith(("http://", "https://", "tg:")), (url, canonical)
    assert not url.strip().lower().startswith(NON_WEB) or canonical.startswith("http")


@FUZZ
@given(urls)
@example("http://[fd00:ec2::254]/latest/meta-data/")
@example("http://a.example:99999/")
@example("http://a.example:abc/")
def test_archive_lookup_keys_answer_variants_or_input_error(url: str) -> None:
    # the locate step keys every look-up by these; a ValueError here once ended a trace
    try:
        variants = url_variants(url, "full")
    except InputError:
        return
    assert variants and all(v.startswith(("http://", "https://")) for v in variants)
    assert url_variants(variants[0])[0] == variants[0]  # the key of a key is itself
