"""The flowchart on a page: where each step's symbol sits (its actor's column, centred in its row),
the arrows between the symbols on the page, and the off-page connector pairs where the flow
crosses a page break. Graphviz only routes the arrows between these pinned shapes."""

from __future__ import annotations

from sopdoc.indonesian import alphabetic_label
from sopdoc.layout.geometry import Arrow, Column, Node, Row
from sopdoc.layout.textmetrics import mm
from sopdoc.model import Sop, Symbol

CONNECTOR_BAND = mm(11)
SYMBOL_HEIGHT = mm(7)
DECISION_HEIGHT = mm(10)
END_HEIGHT = mm(6)
CONNECTOR_SIZE = mm(6)


def connector_pairs(sop: Sop, page_of: dict[int, int]) -> list[tuple[str, int, int, str | None]]:
    """(letter, source step, target step, branch label) of each arrow crossing a page break."""
    pairs = []
    for step in sop.langkah:
        for edge in step.edges:
            if edge.target is not None and page_of[edge.target] != page_of[step.number]:
                pairs.append((alphabetic_label(len(pairs)), step.number, edge.target, edge.label))
    return pairs


def step_symbols(sop: Sop, row_of: dict[int, Row], column_of: dict[str, Column],
                  actor_x0: int) -> tuple[list[Node], list[Arrow]]:
    """The symbol of every step on the page, in its actor's column and its row, and the arrows
    between them (and to a 'selesai' branch's own end)."""
    steps = {s.number: s for s in sop.langkah}
    nodes: list[Node] = []
    arrows: list[Arrow] = []
    for number in sorted(row_of):
        step, row = steps[number], row_of[number]
        column = column_of[step.pelaksana.key]
        cx, cy = column.center - actor_x0, row.y + row.height // 2
        if step.symbol is Symbol.DECISION:
            nodes.append(Node(f"s{number}", "decision", cx, cy, min(column.width - mm(3), mm(16)),
                              DECISION_HEIGHT, number))
        else:
            shape = "terminator" if step.symbol is Symbol.TERMINATOR else "process"
            nodes.append(Node(f"s{number}", shape, cx, cy, min(column.width - mm(4), mm(20)),
                              SYMBOL_HEIGHT, number))
        for edge in step.edges:
            if edge.ends:  # a 'selesai' branch: its own end terminator beside the decision
                beside = column_beside(column, sop, column_of)
                nodes.append(Node(f"e{number}", "terminator", beside.center - actor_x0, cy,
                                  min(beside.width - mm(4), mm(14)), END_HEIGHT, number))
                arrows.append(Arrow(f"s{number}", f"e{number}", edge.label))
            elif edge.target in row_of:
                arrows.append(Arrow(f"s{number}", f"s{edge.target}", edge.label))
    return nodes, arrows


def connector_symbols(sop, connectors, page_steps, rows, index, page_count, column_of, by_key,
                actor_x0) -> tuple[list[Node], list[Arrow]]:
    """Off-page connectors: the pentagon below (or above) the source's column on the source page,
    and its twin in the same column on the target page; several in one band share its width."""
    steps = {s.number: s for s in sop.langkah}
    arrows: list[Arrow] = []
    placed: dict[tuple[str, str], list[Node]] = {}
    band_y = {"band-top": rows[0].y + CONNECTOR_BAND // 2 if index > 0 else None,
              "band-bottom": rows[-1].y + CONNECTOR_BAND // 2 if index < page_count - 1 else None}
    for letter, source, target, label in connectors:
        column = column_of[steps[source].pelaksana.key]
        forward = target > source
        if source in page_steps:
            band = "band-bottom" if forward else "band-top"
            node = Node(f"c{letter}o", "connector", 0, band_y[band], CONNECTOR_SIZE, CONNECTOR_SIZE, label=letter)
            placed.setdefault((band, column.key), []).append(node)
            arrows.append(Arrow(f"s{source}", node.id, label))
        if target in page_steps:
            band = "band-top" if forward else "band-bottom"
            node = Node(f"c{letter}i", "connector", 0, band_y[band], CONNECTOR_SIZE, CONNECTOR_SIZE, label=letter)
            placed.setdefault((band, column.key), []).append(node)
            arrows.append(Arrow(node.id, f"s{target}"))
    nodes = []
    for (_, key), group in placed.items():
        column = by_key[key]
        for position, node in enumerate(group):
            cx = column.x - actor_x0 + column.width * (position + 1) // (len(group) + 1)
            nodes.append(Node(node.id, node.shape, cx, node.cy, node.width, node.height, label=node.label))
    return nodes, arrows


def column_beside(column: Column, sop: Sop, column_of: dict[str, Column]) -> Column:
    ordered = [column_of[a.key] for a in sop.pelaksana]
    position = ordered.index(column)
    if position + 1 < len(ordered):
        return ordered[position + 1]
    if position > 0:
        return ordered[position - 1]
    return column
