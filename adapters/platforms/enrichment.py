"""What every platform's `enrich` does the same way around what only it can ask."""

from __future__ import annotations

from dataclasses import replace

from tracer.plugins.platform import Identity


def working_copy(identity: Identity) -> Identity:
    """A copy of `identity` for `enrich` to fill in: the caller's identity stays as the
    URL gave it, its attributes and related identities included."""
    return replace(identity, attributes=dict(identity.attributes), related=list(identity.related))


def accounts_not_asked(identity: Identity, platform: str) -> Identity:
    """`identity`, an account, saying why nothing was asked of `platform` about it."""
    identity.attributes["enrichment"] = (
        f"none: {platform} offers no public, unauthenticated endpoint for accounts; "
        "identity from the URL only"
    )
    return identity
