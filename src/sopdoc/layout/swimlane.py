"""The standalone swimlane picture of an SOP for the public site: lane titles on top, every step
numbered in its symbol, the whole flow on one canvas (a web page scrolls; paper does not).

The same geometry as a lampiran page (symbols in their lanes, ports, routes, label boxes), with
lanes of one width and a row per step; `render.graphviz.swimlane_dot` writes it for Graphviz.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sopdoc.layout.flowchart import page_flow
from sopdoc.layout.geometry import Arrow, Column, Label, Node, Row
from sopdoc.layout.textmetrics import TextStyle, mm
from sopdoc.model import Sop, Symbol

LANE_WIDTH = mm(38)
TITLE_BAND = mm(14)
ROW_HEIGHT = mm(13)
DECISION_ROW_HEIGHT = mm(16)
TITLE = TextStyle(8, bold=True)


@dataclass(frozen=True)
class Lane:
    left: int
    right: int
    title_lines: tuple[str, ...]
    shaded: bool  # every other lane, so the eye follows a column


@dataclass(frozen=True)
class SwimlanePlan:
    width: int
    height: int
    title_band: int  # height of the lane titles at the top
    lanes: tuple[Lane, ...]
    nodes: tuple[Node, ...]
    arrows: tuple[Arrow, ...]
    labels: tuple[Label, ...] = ()


def plan_swimlane(sop: Sop) -> SwimlanePlan:
    titles = [tuple(TITLE.wrap(actor.title, LANE_WIDTH - mm(3))) for actor in sop.pelaksana]
    band = max(TITLE_BAND, max(len(lines) for lines in titles) * TITLE.line_um + mm(4))
    rows, y = [], band
    for step in sop.langkah:
        height = DECISION_ROW_HEIGHT if step.symbol is Symbol.DECISION else ROW_HEIGHT
        rows.append(Row("step", y, height, step.number))
        y += height
    columns = [Column(f"actor:{actor.key}", actor.title, index * LANE_WIDTH, LANE_WIDTH)
               for index, actor in enumerate(sop.pelaksana)]
    flow = page_flow(sop, rows, columns, [], 0, 1)
    nodes = tuple(replace(node, label=str(node.step)) if node.id.startswith("s") else node for node in flow.nodes)
    return SwimlanePlan(
        width=LANE_WIDTH * len(sop.pelaksana), height=y, title_band=band,
        lanes=tuple(Lane(index * LANE_WIDTH, (index + 1) * LANE_WIDTH, lines, bool(index % 2))
                    for index, lines in enumerate(titles)),
        nodes=nodes, arrows=flow.arrows, labels=flow.labels)
