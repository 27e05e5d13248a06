"""Embedded posts in markup: the blockquotes, widget scripts and iframes publishers paste.

Read from the original tree (before the main-text extraction prunes it), in document
order, in one pass over the few tags that can hold an embed. Each embed becomes an
`embeds` reference; the links inside an embed belong to the embedded post, so they are
reported back for the link pass to skip.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urljoin, urlsplit

from lxml.html import HtmlElement

from tracer.extract.cues import Lexicon
from tracer.extract.metadata import parse_datetime
from tracer.extract.reference import Reference
from tracer.extract.textpatterns import SIGNATURE, SIGNATURE_METHOD, parse_date, signature_date
from tracer.extract.urls import LinkShape, classify, snowflake_time
from tracer.store.model import NodeKind, Precision, Relation

_VK_POST_SCRIPT = re.compile(r"VK\.Widgets\.Post\(\s*[\"'][^\"']*[\"']\s*,\s*(-?\d+)\s*,\s*(\d+)")
_RUMBLE_SCRIPT = re.compile(
    r"Rumble\(\s*[\"']play[\"']\s*,\s*\{[^}]*[\"']video[\"']\s*:\s*[\"']([\w-]+)"
)
_HANDLE_IN_TEXT = re.compile(r"\(@([\w.]{1,30})\)")
_SNOWFLAKE_METHOD = "snowflake-id"


@dataclass(slots=True)
class Embeds:
    references: list[Reference] = field(default_factory=list)
    #: every href inside an embed: the embedded post's own links, not the article's
    inner_hrefs: set[str] = field(default_factory=set)
    _seen: set[str] = field(default_factory=set)

    def add(self, reference: Reference) -> None:
        key = reference.url or ""
        if key and key in self._seen:
            return
        self._seen.add(key)
        self.references.append(reference)


def _classes(element: HtmlElement) -> set[str]:
    return set((element.get("class") or "").split())


def _embed(shape: LinkShape, extractor: str, **extra: object) -> Reference:
    reference = Reference(
        relation=Relation.EMBEDS,
        kind=shape.kind if shape.kind != NodeKind.PAGE else NodeKind.POST,
        extractor=extractor,
        platform=shape.platform,
        url=shape.url,
        handle=shape.handle,
        confidence=1.0,
    )
    for key, value in extra.items():
        setattr(reference, key, value)
    return reference


def _clean_text(value: str | None) -> str | None:
    if not value:
        return None
    text = re.sub(r"\s+", " ", value).strip()
    return text or None


def _snowflake(reference: Reference, post_id: str | None) -> None:
    when = snowflake_time(post_id or "")
    if when is not None and reference.published_at is None:
        reference.published_at = when
        reference.published_at_method = _SNOWFLAKE_METHOD
        reference.precision = Precision.MILLISECOND


def _tweet(block: HtmlElement, embeds: Embeds, lexicon: Lexicon, base: str | None) -> None:
    status: LinkShape | None = None
    attachments: list[str] = []
    for anchor in block.iter("a"):
        href = urljoin(base or "", anchor.get("href") or "")
        embeds.inner_hrefs.add(href)
        label = (anchor.text_content() or "").strip()
        shape = classify(href) if href else None
        if shape and shape.platform == "x" and shape.kind == NodeKind.POST:
            status = shape  # the last status link is the tweet's own (the date)
        if label.startswith(("pic.twitter.com/", "pic.x.com/")):
            attachments.append(f"https://{label}")
    full = block.text_content() or ""
    # the signature is the last "— Name (@handle) date" in the quote; the text may quote others
    signatures = list(SIGNATURE.finditer(full))
    signature = signatures[-1] if signatures else None
    paragraph = block.find(".//p")
    text = _clean_text(paragraph.text_content()) if paragraph is not None else None
    if status is None and signature is None:
        return
    handle = (signature.group("handle") if signature else None) or (
        status.handle if status else None
    )
    display = _clean_text(signature.group("display")) if signature else None
    url = status.url if status else (f"https://x.com/{handle}" if handle else None)
    reference = Reference(
        relation=Relation.EMBEDS,
        kind=NodeKind.POST,
        extractor="embed-x",
        platform="x",
        url=url,
        handle=handle,
        name=display,
        display_name=display,
        text=text,
        attachments=list(dict.fromkeys(attachments)),
    )
    dated = signature_date(full, signature, lexicon) if signature is not None else None
    if dated is not None:
        date = parse_date(dated, lexicon)
        when = date.as_datetime() if date else None
        if when is not None:
            reference.published_at = when
            reference.published_at_method = SIGNATURE_METHOD
            reference.precision = Precision.DAY
    _snowflake(reference, status.post_id if status else None)
    embeds.add(reference)


def _tweet_frame(element: HtmlElement, embeds: Embeds) -> None:
    tweet_id = element.get("data-tweet-id")
    if not tweet_id:
        src = element.get("src") or element.get("data-src") or ""
        tweet_id = (parse_qs(urlsplit(src).query).get("id") or [""])[0]
    if not tweet_id.isdigit():
        return
    reference = Reference(
        relation=Relation.EMBEDS,
        kind=NodeKind.POST,
        extractor="embed-x-frame",
        platform="x",
        url=f"https://x.com/i/status/{tweet_id}",
        display_name=_clean_text(element.get("title"))
        if element.get("title", "").casefold()
        not in {"", "x post", "twitter tweet", "embedded tweet"}
        else None,
    )
    _snowflake(reference, tweet_id)
    # the same tweet may be both a blockquote and the iframe the widget made of it
    if any(
        r.platform == "x" and (r.url or "").endswith(f"/status/{tweet_id}")
        for r in embeds.references
    ):
        return
    embeds.add(reference)


def _frame(element: HtmlElement, embeds: Embeds, base: str | None) -> None:
    if element.get("data-tweet-id") or "platform.twitter.com/embed" in (element.get("src") or ""):
        _tweet_frame(element, embeds)
        return
    src = element.get("src") or element.get("data-src") or element.get("data-lazy-src") or ""
    if not src:
        return
    src = urljoin(base or "", src.strip()) if not src.startswith("//") else f"https:{src}"
    host = (urlsplit(src).hostname or "").lower()
    if host.endswith(("youtube.com", "youtube-nocookie.com")) and "/embed/" in src:
        shape = classify(src)
        if shape.kind == NodeKind.POST:
            embeds.add(
                _embed(shape, "embed-youtube", display_name=_clean_text(element.get("title")))
            )
    elif host in {"t.me", "telegram.me"}:
        shape = classify(src)
        if shape.kind == NodeKind.POST:
            embeds.add(_embed(shape, "embed-telegram"))
    elif host.endswith("facebook.com") and "/plugins/" in src:
        shape = classify(src)
        if shape.platform == "facebook":
            embeds.add(_embed(shape, "embed-facebook"))
    elif host.endswith(("vk.com", "vk.ru")) and "video_ext.php" in src:
        query = parse_qs(urlsplit(src).query)
        owner, video = (query.get("oid") or [""])[0], (query.get("id") or [""])[0]
        if owner and video:
            embeds.add(_embed(classify(f"https://vk.com/video{owner}_{video}"), "embed-vk"))
    elif host.endswith("instagram.com") and "/embed" in src:
        shape = classify(src.split("/embed")[0])
        if shape.kind == NodeKind.POST:
            embeds.add(_embed(shape, "embed-instagram"))
    elif host.endswith("tiktok.com") and "/embed" in src:
        video = src.rstrip("/").rsplit("/", 1)[-1].split("?")[0]
        if video.isdigit():
            embeds.add(
                _embed(
                    LinkShape(
                        "tiktok",
                        NodeKind.POST,
                        f"https://www.tiktok.com/embed/v2/{video}",
                        None,
                        video,
                    ),
                    "embed-tiktok",
                )
            )
    elif host.endswith("rumble.com") and "/embed/" in src:
        embeds.add(_embed(LinkShape("rumble", NodeKind.POST, src.split("?")[0]), "embed-rumble"))


def _instagram(block: HtmlElement, embeds: Embeds, base: str | None) -> None:
    permalink = block.get("data-instgrm-permalink")
    for anchor in block.iter("a"):
        href = urljoin(base or "", anchor.get("href") or "")
        embeds.inner_hrefs.add(href)
        permalink = permalink or href
    if not permalink:
        return
    shape = classify(permalink)
    full = block.text_content() or ""
    handle = _HANDLE_IN_TEXT.search(full)
    display = None
    if handle:
        display = _clean_text(
            re.sub(r"^.*\bby\b", "", full[max(0, handle.start() - 80) : handle.start()], flags=re.S)
        )
    reference = _embed(
        shape,
        "embed-instagram",
        handle=shape.handle or (handle.group(1) if handle else None),
        display_name=display,
        name=display,
    )
    stamp = block.find(".//time[@datetime]")
    if stamp is not None:
        parsed = parse_datetime(stamp.get("datetime") or "")
        if parsed:
            reference.published_at, reference.precision = parsed
            reference.published_at_method = "embed-time"
    caption = block.xpath(".//p[not(.//time)]")
    if caption:
        reference.text = _clean_text(caption[0].text_content())
    embeds.add(reference)


def _tiktok(block: HtmlElement, embeds: Embeds, base: str | None) -> None:
    cite = block.get("cite") or ""
    video = block.get("data-video-id")
    for anchor in block.iter("a"):
        embeds.inner_hrefs.add(urljoin(base or "", anchor.get("href") or ""))
    shape = classify(cite) if cite else None
    if (shape is None or shape.kind != NodeKind.POST) and video:
        shape = LinkShape(
            "tiktok", NodeKind.POST, f"https://www.tiktok.com/embed/v2/{video}", None, video
        )
    if shape is None:
        return
    section = block.find(".//section")
    text = _clean_text(section.text_content()) if section is not None else None
    embeds.add(_embed(shape, "embed-tiktok", text=text))


def read_embeds(tree: HtmlElement, lexicon: Lexicon, base: str | None = None) -> Embeds:
    """Every embedded post in the page, in document order."""
    embeds = Embeds()
    for element in tree.iter("blockquote", "iframe", "script", "lite-youtube"):
        tag = element.tag
        if tag == "blockquote":
            classes = _classes(element)
            if classes & {"twitter-tweet", "twitter-video"}:
                _tweet(element, embeds, lexicon, base)
            elif "instagram-media" in classes:
                _instagram(element, embeds, base)
            elif "tiktok-embed" in classes:
                _tiktok(element, embeds, base)
            elif "telegram-post" in classes and element.get("data-telegram-post"):
                _telegram_post(element.get("data-telegram-post") or "", embeds)
        elif tag == "iframe":
            _frame(element, embeds, base)
        elif tag == "script":
            # a comments widget (data-telegram-discussion) is not a cited post
            post = element.get("data-telegram-post")
            if post:
                _telegram_post(post, embeds)
                continue
            body = element.text or ""
            if "VK.Widgets.Post" in body:
                for owner, number in _VK_POST_SCRIPT.findall(body):
                    embeds.add(_embed(classify(f"https://vk.com/wall{owner}_{number}"), "embed-vk"))
            elif "Rumble(" in body:
                for video in _RUMBLE_SCRIPT.findall(body):
                    embeds.add(
                        _embed(
                            LinkShape(
                                "rumble", NodeKind.POST, f"https://rumble.com/embed/{video}/"
                            ),
                            "embed-rumble",
                        )
                    )
        elif tag == "lite-youtube" and element.get("videoid"):
            embeds.add(
                _embed(
                    classify(f"https://www.youtube.com/watch?v={element.get('videoid')}"),
                    "embed-youtube",
                )
            )
    for element in tree.xpath(
        ".//div[@data-href][contains(@class, 'fb-post') or contains(@class, 'fb-video')]"
    ):
        shape = classify(element.get("data-href") or "")
        if shape.platform == "facebook":
            embeds.add(_embed(shape, "embed-facebook"))
    for element in tree.xpath(".//div[starts-with(@id, 'vk_post_')]"):
        match = re.fullmatch(r"vk_post_(-?\d+)_(\d+)", element.get("id") or "")
        if match:
            embeds.add(
                _embed(
                    classify(f"https://vk.com/wall{match.group(1)}_{match.group(2)}"), "embed-vk"
                )
            )
    return embeds


def _telegram_post(value: str, embeds: Embeds) -> None:
    value = value.strip().strip("/")
    if re.fullmatch(r"[\w]{3,64}/\d+", value):
        shape = classify(f"https://t.me/{value}")
        embeds.add(_embed(shape, "embed-telegram"))
