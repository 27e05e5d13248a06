"""AccountPaths: the one rule by which adapters read an account from a URL's first
path segment."""

from __future__ import annotations

import re

import pytest

from tracer.plugins.card import AccountPaths

PLAIN = AccountPaths(re.compile(r"^[A-Za-z0-9.]{1,30}$"), frozenset({"explore", "p"}))
AT = AccountPaths(re.compile(r"^@?([A-Za-z0-9_]{1,15})$"), frozenset({"home"}))


@pytest.mark.parametrize(
    ("paths", "segment", "handle"),
    [
        (PLAIN, "Some.Name", "Some.Name"),  # case kept
        (PLAIN, "explore", None),
        (PLAIN, "Explore", None),  # reserved words match in any case
        (PLAIN, "no-dash", None),
        (PLAIN, "name\n", None),  # a percent-decoded newline is no handle
        (AT, "@jack", "jack"),  # the pattern's group is the handle
        (AT, "jack", "jack"),
        (AT, "@Home", None),  # reserved is asked of the handle, without the @
    ],
)
def test_handle(paths: AccountPaths, segment: str, handle: str | None) -> None:
    assert paths.handle(segment) == handle


TABBED = AccountPaths(re.compile(r"^[a-z]{1,30}$"), tabs=frozenset({"about", "media"}))


@pytest.mark.parametrize(
    ("segments", "page"),
    [
        (["jack"], True),
        (["jack", "about"], True),
        (["jack", "media", "more"], True),  # only the segment after the handle is asked
        (["jack", "status", "1"], False),
        (["jack", "About"], False),  # tabs match as written: an adapter lowers its path first
    ],
)
def test_is_page(segments: list[str], page: bool) -> None:
    assert TABBED.is_page(segments) is page
