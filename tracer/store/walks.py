"""Walks over a chain's edges that the store and the renderers both need."""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable, Mapping
from typing import TypeVar

Id = TypeVar("Id", bound=Hashable)


def shortest_path(start: Id, goal: Id, outgoing: Mapping[Id, Iterable[Id]]) -> list[Id]:
    """The nodes from `start` to `goal` along the fewest edges (breadth first, the edges
    in their listed order breaking ties); empty when `goal` cannot be reached."""
    previous: dict[Id, Id | None] = {start: None}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        if current == goal:
            path = [current]
            while (back := previous[path[-1]]) is not None:
                path.append(back)
            return path[::-1]
        for target in outgoing.get(current, ()):
            if target not in previous:
                previous[target] = current
                queue.append(target)
    return []
