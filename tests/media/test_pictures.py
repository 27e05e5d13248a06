"""Which pictures a page names: its share picture from <meta>, and its <img> elements."""

from __future__ import annotations

from tracer.media.pictures import pictures_named, share_images

PAGE = """<html><head>
<meta charset="utf-8">
<META PROPERTY='og:image' CONTENT='/photo.jpg?w=1200&amp;h=630'>
<meta name="twitter:image" content="https://cdn.example/photo.jpg">
<meta property="og:image" content="javascript:alert(1)">
<meta property="og:title" content="Not a picture">
<meta name=twitter:image:src content=https://cdn.example/photo.jpg>
</head><body><p>Text</p><img src="/inline.png"><img src="data:image/gif;base64,R0lG"></body></html>"""


def test_share_images_from_meta_tags() -> None:
    assert share_images(PAGE, "https://news.example/a/story") == [
        "https://news.example/photo.jpg?w=1200&h=630",
        "https://cdn.example/photo.jpg",
    ]
    assert share_images("<p>no head at all</p>", None) == []


def test_pictures_named_add_the_body_images() -> None:
    found = pictures_named(PAGE.encode(), "https://news.example/a/story", 10)
    assert found == [
        "https://news.example/photo.jpg?w=1200&h=630",
        "https://cdn.example/photo.jpg",
        "https://news.example/inline.png",
    ]
    assert pictures_named(PAGE.encode(), "https://news.example/", 1) == [
        "https://news.example/photo.jpg?w=1200&h=630"
    ]
    assert pictures_named(b"", "https://news.example/", 5) == []
