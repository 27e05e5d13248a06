"""The classification rules on their own, without the network."""

from __future__ import annotations

import pytest

from tracer.errors import DNSError, RedirectError
from tracer.linkrot.classify import HostProbe, Observation, classify, equivalent
from tracer.linkrot.maintext import distance, fingerprint, read_page, reads_not_found
from tracer.linkrot.outcomes import FAILURES, HEALTHY, TRANSIENT, Outcome
from tracer.linkrot.settings import CheckSettings


@pytest.mark.parametrize(
    ("original", "final", "same"),
    [
        ("http://example.test/a/story-slug", "https://www.example.test/a/story-slug/", True),
        ("https://old.test/2024/07/story-slug", "https://new.test/news/story-slug", True),
        ("https://kyivpost.test/post/36557", "https://kyivpost.test/post/36557-tuareg", True),
        ("https://example.test/news/123", "https://example.test/news", False),
        ("https://example.test/news/123", "https://other.test/about", False),
    ],
)
def test_equivalent_moves(original: str, final: str, same: bool) -> None:
    assert equivalent(original, final) is same


def _page(url: str, text: str, title: str = "", **kwargs: object) -> Observation:
    return Observation(
        url=url,
        status_code=200,
        final_url=kwargs.pop("final_url", url),  # type: ignore[arg-type]
        content_type="text/html",
        title=title,
        text=text,
        fingerprint=fingerprint(text),
        **kwargs,  # type: ignore[arg-type]
    )


def test_rules() -> None:
    text = "A long article about rebels and drones in northern Mali " * 10
    assert classify(_page("https://a.test/x", text)) == Outcome.ALIVE
    assert classify(Observation("https://a.test/x", error=DNSError("nx"))) == Outcome.DNS_GONE
    loop = Observation("https://a.test/x", error=RedirectError("loop"))
    assert classify(loop) == Outcome.SERVER_ERROR
    assert classify(Observation("https://a.test/x", status_code=410)) == Outcome.NOT_FOUND
    assert classify(Observation("https://a.test/x", status_code=304)) == Outcome.ALIVE
    home = _page("https://a.test/x", text, final_url="https://a.test/", history=[("u", 301)])
    assert classify(home) == Outcome.MOVED_TO_UNRELATED
    # a temporary redirect to an equivalent URL is simply alive
    moved = _page("https://a.test/x", text, final_url="https://a.test/x/", history=[("u", 302)])
    assert classify(moved) == Outcome.ALIVE
    # the host answers an impossible path with the same page: soft-404
    probe = HostProbe(200, "https://a.test/zzz", fingerprint(text))
    assert classify(_page("https://a.test/x", text), probe=probe) == Outcome.SOFT_404
    assert (
        classify(_page("https://a.test/x", text), probe=HostProbe(404, None, None)) == Outcome.ALIVE
    )
    # changed beyond the threshold
    other = "A different story about elections and courts in another country " * 10
    changed = classify(_page("https://a.test/x", other), previous_fingerprint=fingerprint(text))
    assert changed == Outcome.CONTENT_CHANGED


def test_main_text_and_phrasing() -> None:
    html = "<html><head><title>T</title><script>var x</script></head><body><nav>Menu</nav><article><p>Body text here</p></article><footer>F</footer></body></html>"
    assert read_page(html) == ("T", "Body text here")
    assert reads_not_found("Seite nicht gefunden – Zeitung", "")
    assert reads_not_found("News", "Страница не найдена")
    assert not reads_not_found("Page not here", "A long text " * 300 + "page not found")
    a = fingerprint("same words in the same order for a while " * 20)
    b = fingerprint("same words in the same order for a while " * 20 + "plus a line")
    assert distance(a, b) <= 6


def test_every_outcome_has_one_meaning() -> None:
    assert HEALTHY.isdisjoint(FAILURES) and FAILURES.isdisjoint(TRANSIENT)
    assert {o.value for o in Outcome} >= {"moved-to-unrelated", "soft-404", "dns-gone", "tls-error"}


def test_check_settings_from_environment() -> None:
    from tracer.errors import ConfigError
    from tracer.settings import load_settings

    settings = load_settings(
        env={
            "TRACER_CHECK__DEATH_FAILURES": "5",
            "TRACER_CHECK__WEBHOOK_URL": "https://h.test/x",
        }
    ).check
    assert settings.death_failures == 5 and settings.webhook_url == "https://h.test/x"
    assert load_settings(env={}).check == CheckSettings()
    with pytest.raises(ConfigError, match=r"check\.death_failures"):
        load_settings(env={"TRACER_CHECK__DEATH_FAILURES": "0"})
    with pytest.raises(ConfigError, match="unknown key"):
        load_settings(env={"TRACER_CHECK__NOPE": "1"})
