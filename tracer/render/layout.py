"""A deterministic layered layout of a chain, for drawing it without a layout engine.

Columns are hops from where the chain starts (the root, or for a whole store every node
nothing points at), left to right; within a column nodes are ordered by where their
parents sit (the barycentre heuristic), so most edges run straight and few cross. The
same chain always gets the same picture, which keeps reports diffable and tests exact.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracer.render.view import ChainView

NODE_WIDTH = 230
NODE_HEIGHT = 78
COLUMN_GAP = 120
ROW_GAP = 24
MARGIN = 24


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    column: int
    row: int

    @property
    def center_y(self) -> float:
        return self.y + NODE_HEIGHT / 2

    @property
    def right(self) -> float:
        return self.x + NODE_WIDTH


@dataclass(frozen=True)
class Layout:
    boxes: dict[str, Box]
    width: float
    height: float


def columns(view: ChainView) -> dict[str, int]:
    """Each node's column: its BFS distance from the nearest start of the walk."""
    column: dict[str, int] = {}
    for start in [*view.starts(), *view.nodes]:
        if start not in column:
            view.spread(start, column)
    return column


def _barycentre(
    view: ChainView,
    node_id: str,
    index: int,
    column: dict[str, int],
    row: dict[str, int],
    order: dict[str, int],
) -> tuple[float, int]:
    """Mean row of a node's parents in earlier columns, then its place in the chain."""
    parents = [
        row[e.source]
        for e in view.incoming.get(node_id, [])
        if e.source in row and column[e.source] < index
    ]
    # nodes without placed parents keep their chain order, after the others
    mean = sum(parents) / len(parents) if parents else float(len(view.nodes))
    return mean, order[node_id]


def layout(view: ChainView) -> Layout:
    column = columns(view)
    order = {node_id: i for i, node_id in enumerate(view.nodes)}
    by_column: dict[int, list[str]] = {}
    for node_id in view.nodes:
        by_column.setdefault(column[node_id], []).append(node_id)
    row: dict[str, int] = {}
    for index in sorted(by_column):
        members = by_column[index]
        ranked = {n: _barycentre(view, n, index, column, row, order) for n in members}
        members.sort(key=ranked.__getitem__)
        for position, node_id in enumerate(members):
            row[node_id] = position
    tallest = max((len(m) for m in by_column.values()), default=0)
    height = 2 * MARGIN + tallest * NODE_HEIGHT + max(tallest - 1, 0) * ROW_GAP
    boxes: dict[str, Box] = {}
    for index, members in by_column.items():
        # centre short columns against the tallest, so a chain reads as a tree
        used = len(members) * NODE_HEIGHT + (len(members) - 1) * ROW_GAP
        top = (height - used) / 2
        for node_id in members:
            boxes[node_id] = Box(
                x=MARGIN + index * (NODE_WIDTH + COLUMN_GAP),
                y=top + row[node_id] * (NODE_HEIGHT + ROW_GAP),
                column=index,
                row=row[node_id],
            )
    count = len(by_column)
    width = 2 * MARGIN + count * NODE_WIDTH + max(count - 1, 0) * COLUMN_GAP
    # back and same-column edges bulge right of the last column; leave them room
    return Layout(boxes=boxes, width=width + COLUMN_GAP / 2, height=height + MARGIN)
