"""The standalone swimlane picture of an SOP for the public site: lane titles on top, every step
numbered in its symbol, the whole flow on one canvas (a web page scrolls; paper does not).

It reuses the layout's geometry types; Graphviz again only routes the arrows.
"""

from __future__ import annotations

from sopdoc.render.graphviz import LINE_WIDTH, arrow_line, dot_string, graph_header, node_line, render, to_pt
from sopdoc.layout.plan import Arrow, Node
from sopdoc.model import Sop, Symbol
from sopdoc.layout.textmetrics import TextStyle, mm

LANE_WIDTH = mm(38)
TITLE_BAND = mm(14)
ROW_HEIGHT = mm(13)
TITLE = TextStyle(8, bold=True)


def swimlane_dot(sop: Sop) -> str:
    lanes = {actor.key: index for index, actor in enumerate(sop.actors)}
    titles = [TITLE.wrap(actor.title, LANE_WIDTH - mm(3)) for actor in sop.actors]
    band = max(TITLE_BAND, max(len(lines) for lines in titles) * TITLE.line_um + mm(4))
    width = LANE_WIDTH * len(sop.actors)
    height = band + ROW_HEIGHT * len(sop.steps)
    nodes: list[Node] = []
    arrows: list[Arrow] = []
    for step in sop.steps:
        lane = lanes[step.actor.key]
        cx, cy = lane * LANE_WIDTH + LANE_WIDTH // 2, band + (step.number - 1) * ROW_HEIGHT + ROW_HEIGHT // 2
        shape = {Symbol.DECISION: "decision", Symbol.TERMINATOR: "terminator"}.get(step.symbol, "process")
        size = (mm(16), mm(9)) if shape == "decision" else (mm(22), mm(7))
        nodes.append(Node(f"s{step.number}", shape, cx, cy, *size, step.number, str(step.number)))
        for edge in step.edges:
            if edge.ends:
                beside = lane + 1 if lane + 1 < len(sop.actors) else max(lane - 1, 0)
                nodes.append(Node(f"e{step.number}", "terminator", beside * LANE_WIDTH + LANE_WIDTH // 2, cy,
                                  mm(16), mm(6), step.number, "Selesai"))
                arrows.append(Arrow(f"s{step.number}", f"e{step.number}", edge.label))
            else:
                arrows.append(Arrow(f"s{step.number}", f"s{edge.target}", edge.label))

    lines = graph_header("swimlane", 8)
    for index, lines_of_title in enumerate(titles):
        left, right = index * LANE_WIDTH, (index + 1) * LANE_WIDTH
        title = "\\n".join(dot_string(line)[1:-1] for line in lines_of_title)
        fill = "#f2f5fa" if index % 2 else "white"
        lines.append(f'  subgraph cluster_lane{index} {{ bb="{to_pt(left)},0,{to_pt(right)},{to_pt(height)}"; '
                     f'label="{title}"; labelloc=t; fontsize=8; style=filled; fillcolor="{fill}"; '
                     f'penwidth={LINE_WIDTH}; }}')
    lines.append(f'  subgraph cluster_titles {{ bb="0,{to_pt(height - band)},{to_pt(width)},{to_pt(height)}"; '
                 f'label=""; bgcolor=transparent; penwidth={LINE_WIDTH}; }}')
    lines.extend(node_line(node, height) for node in nodes)
    lines.extend(arrow_line(arrow) for arrow in arrows)
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_swimlane_svg(sop: Sop) -> bytes:
    return render(swimlane_dot(sop), "svg")
