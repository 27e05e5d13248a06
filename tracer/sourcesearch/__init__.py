"""Named sources searched for, not guessed: outlets by their archived pages, channels by
their history, tweets known by their signature by their handle's archived statuses.

Import the search from `tracer.sourcesearch.named` (NamedSearch, named_search); this
package root only exports the settings model, so tracer.settings can import it without
pulling in the pipeline.
"""

from tracer.sourcesearch.settings import SearchSettings

__all__ = ["SearchSettings"]
