"""The standalone swimlane picture of an SOP for the public site: lane titles on top, every step
numbered in its symbol, the whole flow on one canvas (a web page scrolls; paper does not).

Geometry only, in the flowchart's types and units; `render.graphviz.swimlane_dot` writes it for
Graphviz, which again only routes the arrows.
"""

from __future__ import annotations

from dataclasses import dataclass

from sopdoc.layout.geometry import Arrow, Node
from sopdoc.layout.textmetrics import TextStyle, mm
from sopdoc.model import Sop, Symbol

LANE_WIDTH = mm(38)
TITLE_BAND = mm(14)
ROW_HEIGHT = mm(13)
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


def plan_swimlane(sop: Sop) -> SwimlanePlan:
    lanes = {actor.key: index for index, actor in enumerate(sop.pelaksana)}
    titles = [tuple(TITLE.wrap(actor.title, LANE_WIDTH - mm(3))) for actor in sop.pelaksana]
    band = max(TITLE_BAND, max(len(lines) for lines in titles) * TITLE.line_um + mm(4))
    nodes: list[Node] = []
    arrows: list[Arrow] = []
    for step in sop.langkah:
        lane = lanes[step.pelaksana.key]
        cx, cy = lane * LANE_WIDTH + LANE_WIDTH // 2, band + (step.number - 1) * ROW_HEIGHT + ROW_HEIGHT // 2
        shape = {Symbol.DECISION: "decision", Symbol.TERMINATOR: "terminator"}.get(step.symbol, "process")
        size = (mm(16), mm(9)) if shape == "decision" else (mm(22), mm(7))
        nodes.append(Node(f"s{step.number}", shape, cx, cy, *size, step.number, str(step.number)))
        for edge in step.edges:
            if edge.ends:
                beside = lane + 1 if lane + 1 < len(sop.pelaksana) else max(lane - 1, 0)
                nodes.append(Node(f"e{step.number}", "terminator", beside * LANE_WIDTH + LANE_WIDTH // 2, cy,
                                  mm(16), mm(6), step.number, "Selesai"))
                arrows.append(Arrow(f"s{step.number}", f"e{step.number}", edge.label))
            else:
                arrows.append(Arrow(f"s{step.number}", f"s{edge.target}", edge.label))
    return SwimlanePlan(
        width=LANE_WIDTH * len(sop.pelaksana), height=band + ROW_HEIGHT * len(sop.langkah), title_band=band,
        lanes=tuple(Lane(index * LANE_WIDTH, (index + 1) * LANE_WIDTH, lines, bool(index % 2))
                    for index, lines in enumerate(titles)),
        nodes=tuple(nodes), arrows=tuple(arrows))
