"""The self-contained HTML report: static checks, then opened in real headless Chromium.

Chromium runs with a fresh profile and all its traffic sent to a recording proxy on
loopback; the test set-up installs Debian's `chromium` package. Screenshots are written
to the test's tmp dir for a person to review (the path is printed).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from tests.render import browser
from tests.render.chains import cyclic_chain, example_chain, hostile_chain
from tracer.render import render
from tracer.render.html import KIND_COLOURS, PATH_COLOUR

needs_chromium = pytest.mark.skipif(
    browser.CHROMIUM is None,
    reason="Debian's chromium is not installed (apt-get install -y chromium)",
)

#: hosts Chromium itself calls (clock, component updates, sign-in) despite the flags;
#: they are the browser's, not the page's, and are reported by the proxy all the same
BROWSER_OWN = re.compile(
    r"(^|[\s/.])(google\.com|googleapis\.com|gvt1\.com|gstatic\.com)(:\d+)?[/\s]"
)


def page_requests(proxy: browser.RecordingProxy) -> list[str]:
    return [r for r in proxy.requests if not BROWSER_OWN.search(r)]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_report_references_nothing_outside_itself() -> None:
    page = render(hostile_chain(), "html")
    soup = BeautifulSoup(page, "html.parser")
    assert (
        soup.find_all(["script", "link", "iframe", "object", "embed", "img", "base", "form"]) == []
    )
    for element in soup.find_all(True):
        for attribute in element.attrs:
            assert not attribute.lower().startswith("on"), (element.name, attribute)
            assert attribute.lower() not in ("src", "srcset", "background", "poster", "action")
    for style in soup.find_all("style"):
        assert "url(" not in style.text and "@import" not in style.text
    assert "url(" not in "".join(str(e.get("style", "")) for e in soup.find_all(True))
    hrefs = [a.get("href") for a in soup.find_all("a")]
    assert hrefs
    for href in hrefs:
        assert href.startswith("#") or re.match(r"https?://", href), href
    policy = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert isinstance(policy, Tag) and "default-src 'none'" in policy["content"]
    assert "script-src" not in policy["content"]  # no script is allowed at all


def test_report_escapes_every_page_string() -> None:
    chain = hostile_chain()
    page = render(chain, "html")
    assert "<script" not in page
    assert "onerror=" not in page.replace("onerror=&quot;", "")
    assert "&lt;script&gt;document.title=&#x27;pwned-by-script&#x27;&lt;/script&gt;" in page
    assert 'href="javascript:' not in page and 'href="data:' not in page
    soup = BeautifulSoup(page, "html.parser")
    # the bad URLs are shown, as text
    assert "javascript:document.title='pwned-by-href'" in soup.get_text()
    assert soup.title is not None
    assert (
        soup.title.get_text()
        == "Provenance chain: pasted text <script>document.title='pwned-by-script'</script>"
    )


def test_report_has_graph_timeline_cards_and_evidence() -> None:
    chain = example_chain()
    soup = BeautifulSoup(render(chain, "html"), "html.parser")
    svg = soup.find("svg", class_="chain")
    assert isinstance(svg, Tag)
    drawn = {a["data-node"] for a in svg.find_all("a", class_="node")}
    assert drawn == {n["id"] for n in chain["nodes"]}
    assert len(svg.find_all("g", class_="edge")) == len(chain["edges"])
    on_path = [g for g in svg.find_all("g", class_="edge") if "on-path" in g["class"]]
    assert len(on_path) == 3  # n1→n3→n5→n7
    for node in chain["nodes"]:
        card = soup.find("article", id=f"node-{node['id']}")
        assert card is not None and node["name"] in card.get_text()
    first = soup.find("article", id="node-n7")
    assert first is not None and "★ first appearance" in first.get_text()
    timeline = [li.get_text(" ", strip=True) for li in soup.select(".timeline li")]
    times = [t.split(" ")[0] for t in timeline]
    assert times[0] == "2024-07-27T19:05:00Z" and "first appearance" in timeline[0]
    assert times == sorted(times)
    assert any("captured" in t and "archive_today" in t for t in timeline)
    archived = [a["href"] for a in soup.select("a.archived")]
    assert "https://archive.ph/AbCdE" in archived
    quotes = [q.get_text() for q in soup.select(".evidence blockquote")]
    assert "Outlet TV said the convoy was ambushed" in quotes
    candidates = soup.select_one(".candidates")
    assert candidates is not None
    assert "outlet.example/world/other" in candidates.get_text()


def test_layout_is_deterministic_and_handles_cycles() -> None:
    assert render(example_chain(), "html") == render(example_chain(), "html")
    page = render(cyclic_chain(), "html")
    soup = BeautifulSoup(page, "html.parser")
    assert len(soup.select("svg.chain g.edge")) == 4
    whole_store = example_chain()
    whole_store["root"] = None  # an export of a store has no single root
    soup = BeautifulSoup(render(whole_store, "html"), "html.parser")
    assert len(soup.select("svg.chain a.node")) == len(whole_store["nodes"])


@needs_chromium
def test_chromium_harness_sees_scripts_and_requests(tmp_path: Path) -> None:
    """The control: a page that does run a script and fetch an image is caught."""
    control = write(
        tmp_path,
        "control.html",
        "<html><head><title>before</title></head><body>"
        '<img src="http://probe.invalid/pixel.png">'
        "<script>document.title='after'</script></body></html>",
    )
    with browser.RecordingProxy() as proxy:
        dom = browser.dump_dom(control, proxy)
    assert "<title>after</title>" in dom
    assert any("probe.invalid" in r for r in page_requests(proxy))


@needs_chromium
def test_chromium_shows_every_node_and_runs_nothing(tmp_path: Path) -> None:
    chain = hostile_chain()
    page = write(tmp_path, "hostile.html", render(chain, "html"))
    with browser.RecordingProxy() as proxy:
        dom = browser.dump_dom(page, proxy)
    assert page_requests(proxy) == []
    soup = BeautifulSoup(dom, "html.parser")
    # the title is the escaped input, untouched by any of the injected scripts
    assert soup.title is not None
    assert (
        soup.title.get_text()
        == "Provenance chain: pasted text <script>document.title='pwned-by-script'</script>"
    )
    assert "pwned" not in soup.title.get_text().replace("'pwned-by-script'", "")
    assert soup.find_all("script") == [] and soup.find_all("img") == []
    assert not [e for e in soup.find_all(True) if any(a.startswith("on") for a in e.attrs)]
    svg = soup.find("svg", class_="chain")
    assert isinstance(svg, Tag)
    assert {a["data-node"] for a in svg.find_all("a", class_="node")} == {
        n["id"] for n in chain["nodes"]
    }
    text = soup.get_text()
    assert "<img src=x onerror=\"document.title='pwned-by-onerror'\">" in text
    for node in chain["nodes"]:
        assert soup.find("article", id=f"node-{node['id']}") is not None


def _hex(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


@needs_chromium
def test_chromium_screenshots_desktop_phone_and_print(tmp_path: Path) -> None:
    chain = example_chain()
    page = write(tmp_path, "report.html", render(chain, "html"))
    with browser.RecordingProxy() as proxy:
        desktop = browser.screenshot(page, tmp_path / "desktop.png", proxy, 1200, 1400)
        phone = browser.screenshot(page, tmp_path / "phone.png", proxy, 390, 1400)
        printed = browser.print_pdf(page, tmp_path / "printed.pdf", proxy)
    assert page_requests(proxy) == []
    print(f"for review: {desktop} {phone} {printed}")
    assert printed.read_bytes().startswith(b"%PDF") and printed.stat().st_size > 10_000
    painted = browser.colours(desktop)
    # every kind's fill and the highlighted path were painted
    for kind in {n["kind"] for n in chain["nodes"]}:
        assert _hex(KIND_COLOURS[kind][0]) in painted, kind
    assert _hex(PATH_COLOUR) in painted
    width, _, _ = browser.png_pixels(phone)
    assert width == 390
