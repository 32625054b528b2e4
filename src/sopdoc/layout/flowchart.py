"""The flowchart on a page: each step's symbol in its actor's column, centred in its row; the
off-page connector pairs where the flow crosses a page break; which side of a symbol each arrow
leaves and enters by (a decision's branches by its corners: Ya down, Tidak sideways toward its
target, unless the layout must swap them); then the routes and the Ya/Tidak label boxes.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from sopdoc.indonesian import alphabetic_label
from sopdoc.layout.geometry import Arrow, Column, Label, Node, Row
from sopdoc.layout.routing import Area, Router, entry_port, exit_port, label_at_port, place_label
from sopdoc.layout.textmetrics import mm
from sopdoc.model import Langkah, Sop, Symbol

CONNECTOR_BAND = mm(12)
SYMBOL_HEIGHT = mm(7)
DECISION_HEIGHT = mm(9)
END_HEIGHT = mm(6)
CONNECTOR_SIZE = mm(5)
SYMBOL_ROOM = mm(6)  # a lane keeps this much beside its widest symbol, for side tracks
PROCESS_WIDTH, DECISION_WIDTH, END_WIDTH = mm(20), mm(16), mm(14)
ENTRY_OFFSETS = (0, -mm(2.5), mm(2.5), -mm(5), mm(5))
LABEL_ROOM = mm(6.5)  # beside a diamond's side corner: "Tidak" and its clearances


def connector_pairs(sop: Sop, page_of: dict[int, int]) -> list[tuple[str, int, int, str | None]]:
    """(letter, source step, target step, branch label) of each arrow crossing a page break."""
    pairs = []
    for step in sop.langkah:
        for edge in step.edges:
            if edge.target is not None and page_of[edge.target] != page_of[step.number]:
                pairs.append((alphabetic_label(len(pairs)), step.number, edge.target, edge.label))
    return pairs


@dataclass(frozen=True)
class PageFlow:
    nodes: tuple[Node, ...]
    arrows: tuple[Arrow, ...]
    labels: tuple[Label, ...]


@dataclass
class _Edge:
    source: Node
    target: Node | None  # None: a 'selesai' branch whose end is placed with its port
    label: str | None
    exit: str = "bottom"
    entry: str = "top"


def page_flow(sop: Sop, rows: list[Row], lanes: list[Column], connectors, page_index: int,
              page_count: int) -> PageFlow:
    """Symbols, routed arrows and label boxes of one page. `rows` are the page's diagram rows
    (bands and steps), `lanes` the actor columns, x measured from the first lane's left edge."""
    column_of = {lane.key.removeprefix("actor:"): lane for lane in lanes}
    steps = {step.number: step for step in sop.langkah}
    row_of = {row.step: row for row in rows if row.kind == "step"}
    nodes = {number: _symbol(steps[number], row_of[number], column_of[steps[number].pelaksana.key])
             for number in sorted(row_of)}
    edges = [_Edge(nodes[number], nodes.get(edge.target), edge.label)
             for number in sorted(row_of) for edge in steps[number].edges
             if edge.ends or edge.target in nodes]
    connector_nodes, connector_edges = _connectors(sop, connectors, set(row_of), rows, nodes, column_of,
                                                   page_index, page_count)
    edges += connector_edges
    ends = _choose_ports(edges, lanes)
    all_nodes = [*nodes.values(), *ends, *connector_nodes]
    area = Area(tuple((lane.x, lane.x + lane.width) for lane in lanes),
                tuple((row.y, row.y + row.height) for row in rows), tuple(all_nodes))
    # a branch's label is placed at its corner before any arrow is routed, so arrows go round it
    reserved = {}
    for index, edge in enumerate(edges):
        if edge.label:
            upward = edge.target.cy < edge.source.cy
            label = label_at_port(edge.label, exit_port(edge.source, edge.exit), area, list(reserved.values()),
                                  upward)
            if label is not None:
                reserved[index] = label
    arrows = _route(edges, area, list(reserved.values()))
    labels = list(reserved.values())
    for index, (edge, arrow) in enumerate(zip(edges, arrows)):
        if edge.label and index not in reserved:  # no room at the corner: beside the arrow further on
            labels.append(place_label(edge.label, arrow.points, area, [a.points for a in arrows], labels))
    return PageFlow(tuple(all_nodes), tuple(arrows), tuple(labels))


def _symbol(step: Langkah, row: Row, column: Column) -> Node:
    cy = row.y + row.height // 2
    if step.symbol is Symbol.DECISION:
        # narrower in a narrow lane, so a side corner keeps room for its label inside the lane
        width = max(mm(8), min(symbol_width(column, DECISION_WIDTH), column.width - 2 * LABEL_ROOM))
        return Node(f"s{step.number}", "decision", column.center, cy, width, DECISION_HEIGHT, step.number)
    shape = "terminator" if step.symbol is Symbol.TERMINATOR else "process"
    return Node(f"s{step.number}", shape, column.center, cy, symbol_width(column, PROCESS_WIDTH),
                SYMBOL_HEIGHT, step.number)


def symbol_width(column: Column, widest: int) -> int:
    return max(mm(8), min(column.width - SYMBOL_ROOM, widest))


def _connectors(sop, connectors, page_steps, rows, nodes, column_of, page_index, page_count):
    """The page's pentagons: below (or above) the source's column on the source page, its twin in
    the same column on the target page; several in one band share its width."""
    steps = {s.number: s for s in sop.langkah}
    band_y = {"band-top": rows[0].y + CONNECTOR_BAND // 2 if page_index > 0 else None,
              "band-bottom": rows[-1].y + CONNECTOR_BAND // 2 if page_index < page_count - 1 else None}
    placed: dict[tuple[str, str], list[tuple[str, str, int | None, str | None]]] = {}
    for letter, source, target, label in connectors:
        key = steps[source].pelaksana.key
        forward = target > source
        if source in page_steps:
            placed.setdefault(("band-bottom" if forward else "band-top", key), []).append((f"c{letter}o", letter,
                                                                                           source, label))
        if target in page_steps:
            placed.setdefault(("band-top" if forward else "band-bottom", key), []).append((f"c{letter}i", letter,
                                                                                           target, None))
    result, edges = [], []
    for (band, key), group in placed.items():
        column = column_of[key]
        for position, (node_id, letter, step, label) in enumerate(group):
            cx = column.x + column.width * (position + 1) // (len(group) + 1)
            node = Node(node_id, "connector", cx, band_y[band], CONNECTOR_SIZE, CONNECTOR_SIZE, label=letter)
            result.append(node)
            if node_id.endswith("o"):
                edges.append(_Edge(nodes[step], node, label, entry="top" if band == "band-bottom" else "bottom"))
            else:
                edges.append(_Edge(node, nodes[step], None, exit="bottom" if band == "band-top" else "top"))
    return result, edges


def _choose_ports(edges: list[_Edge], lanes: list[Column]) -> list[Node]:
    """Exit and entry sides of every arrow; returns the end symbols placed for 'selesai' branches."""
    lane_index = {lane.center: i for i, lane in enumerate(lanes)}
    ends = []
    by_source: dict[str, list[_Edge]] = {}
    for edge in edges:
        by_source.setdefault(edge.source.id, []).append(edge)
    for group in by_source.values():
        if group[0].source.shape == "connector":
            continue  # its side was set with it
        if group[0].source.shape == "decision":
            _decision_exits(group, lanes, lane_index)
        else:
            for edge in group:
                edge.exit = _toward(edge.source, edge.target, below="bottom")
    for edge in edges:
        if edge.target is None:
            edge.target = _end_beside(edge, lanes, lane_index)
            ends.append(edge.target)
    _entries(edges)
    return ends


def _toward(source: Node, target: Node | None, below: str) -> str:
    """The side of `source` facing `target`: `below` when it is lower down."""
    if target is None:
        return "right"
    if target.cy > source.cy:
        return below
    return "left" if target.cx < source.cx else "right"


def _decision_exits(group: list[_Edge], lanes: list[Column], lane_index: dict[int, int]) -> None:
    """A decision's branches leave by distinct corners, as near their custom as the layout
    allows: Ya down (when its target is below), Tidak sideways toward its target."""
    column = lane_index[group[0].source.cx]

    def wishes(edge: _Edge) -> list[str]:
        target = edge.target
        if target is None:  # its end goes beside, where there is a lane
            sides = ["right", "left"] if column + 1 < len(lanes) else ["left", "right"]
            return sides + ["bottom"]
        side = "left" if target.cx < edge.source.cx else "right"
        other = "right" if side == "left" else "left"
        if target.cy > edge.source.cy:
            return ["bottom", side, other] if edge.label != "Tidak" or target.cx == edge.source.cx else \
                [side, "bottom", other]
        return [side, other, "bottom"]

    options = [wishes(edge) for edge in group]
    best = None
    for sides in itertools.permutations(("bottom", "left", "right"), len(group)):
        if any(side == "left" and column == 0 and edge.target is None for side, edge in zip(sides, group)):
            continue
        if any(side == "right" and column == len(lanes) - 1 and edge.target is None
               for side, edge in zip(sides, group)):
            continue
        cost = sum(wish.index(side) * (1.0 if edge.label == "Ya" else 1.01)
                   for side, wish, edge in zip(sides, options, group))
        if best is None or cost < best[0]:
            best = (cost, sides)
    for edge, side in zip(group, best[1]):
        edge.exit = side


def _end_beside(edge: _Edge, lanes: list[Column], lane_index: dict[int, int]) -> Node:
    """The end symbol of a 'selesai' branch, in the lane beside the decision on its exit side."""
    source = edge.source
    column = lane_index[source.cx]
    step = 1 if edge.exit == "right" else -1
    neighbour = lanes[min(max(column + step, 0), len(lanes) - 1)]
    edge.entry = "left" if neighbour.center >= source.cx else "right"
    return Node(f"e{source.step}", "terminator", neighbour.center, source.cy, symbol_width(neighbour, END_WIDTH),
                END_HEIGHT, source.step, "Selesai")


def _entries(edges: list[_Edge]) -> None:
    """Arrows from above enter a symbol at its top; loops from below enter at a side."""
    for edge in edges:
        if edge.target.shape in ("connector",) or edge.target.id.startswith("e"):
            continue
        if edge.source.cy < edge.target.cy:
            edge.entry = "top"
        else:
            edge.entry = "right" if edge.source.cx >= edge.target.cx else "left"


def _route(edges: list[_Edge], area: Area, labels: list[Label]) -> list[Arrow]:
    """Shortest spans first, so that the plain next-step arrows get the straight lines; the
    result is in the order of `edges`."""
    router = Router(area, labels)
    taken: dict[tuple[str, str], int] = {}  # (node, side) -> arrows arriving there
    exits = {(edge.source.id, edge.exit) for edge in edges}
    order = sorted(range(len(edges)), key=lambda i: (abs(edges[i].target.cy - edges[i].source.cy)
                                                     + abs(edges[i].target.cx - edges[i].source.cx), i))
    arrows: list[Arrow | None] = [None] * len(edges)
    for i, edge in enumerate(edges):
        router.reserve(i, exit_port(edge.source, edge.exit), entry_port(edge.target, edge.entry))
    for i in order:
        edge = edges[i]
        side = edge.entry
        if edge.target.shape == "decision":
            side = _free_decision_side(edge, taken, exits)
        count = taken.get((edge.target.id, side), 0)
        taken[(edge.target.id, side)] = count + 1
        offset = 0 if edge.target.shape in ("decision", "connector") else _offset(edge.target, side, count)
        points = router.route(exit_port(edge.source, edge.exit), entry_port(edge.target, side, offset),
                              edge.source, edge.target, i)
        arrows[i] = Arrow(edge.source.id, edge.target.id, edge.label, points)
    return arrows


def _free_decision_side(edge: _Edge, taken, exits) -> str:
    """A diamond takes arrows only at its corners: from above at the top (arrows join there),
    loops from below at a side no branch leaves by, else at the top too."""
    if edge.entry == "top":
        return "top"
    for side in (edge.entry, "left" if edge.entry == "right" else "right"):
        if (edge.target.id, side) not in taken and (edge.target.id, side) not in exits:
            return side
    return "top"


def _offset(node: Node, side: str, count: int) -> int:
    room = (node.width if side in ("top", "bottom") else node.height) // 2 - mm(1)
    offsets = [o for o in ENTRY_OFFSETS if abs(o) <= room] or [0]
    return offsets[count % len(offsets)]
