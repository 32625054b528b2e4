"""The standalone swimlane picture of an SOP for the public site: lane titles on top, every step
numbered in its symbol, the whole flow on one canvas (a web page scrolls; paper does not).

It reuses the layout's geometry types; Graphviz again only routes the arrows.
"""

from __future__ import annotations

from .diagram import LINE_WIDTH, render
from .layout import Arrow, Node
from .model import Sop, Symbol
from .textmetrics import FONT_FAMILY, TextStyle, UM_PER_INCH, mm

LANE_WIDTH = mm(38)
TITLE_BAND = mm(14)
ROW_HEIGHT = mm(13)
TITLE = TextStyle(8, bold=True)


def _pt(um: int) -> str:
    return f"{um * 72 / UM_PER_INCH:.2f}"


def dot_string(text: str) -> str:
    """A DOT double-quoted string whose content is printed literally."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def swimlane_dot(sop: Sop) -> str:
    lanes = {actor.key: index for index, actor in enumerate(sop.actors)}
    width = LANE_WIDTH * len(sop.actors)
    height = TITLE_BAND + ROW_HEIGHT * len(sop.steps)
    nodes: list[Node] = []
    arrows: list[Arrow] = []
    for step in sop.steps:
        lane = lanes[step.actor.key]
        cx, cy = lane * LANE_WIDTH + LANE_WIDTH // 2, TITLE_BAND + (step.number - 1) * ROW_HEIGHT + ROW_HEIGHT // 2
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

    shapes = {"terminator": 'shape=box, style="rounded,filled"', "process": "shape=box, style=filled",
              "decision": "shape=diamond, style=filled"}
    lines = [
        "digraph swimlane {",
        f'  graph [splines=ortho, pad=0, outputorder=edgesfirst, bgcolor=white, fontname="{FONT_FAMILY}"];',
        f'  node [fixedsize=true, fontname="{FONT_FAMILY}", fontsize=8, penwidth={LINE_WIDTH}, '
        f'fillcolor=white, color=black];',
        f'  edge [penwidth={LINE_WIDTH}, arrowsize=0.6, fontname="{FONT_FAMILY}", fontsize=7];',
    ]
    for index, actor in enumerate(sop.actors):
        left, right = index * LANE_WIDTH, (index + 1) * LANE_WIDTH
        title = "\\n".join(dot_string(line)[1:-1] for line in TITLE.wrap(actor.title, LANE_WIDTH - mm(3))[:3])
        fill = "#f2f5fa" if index % 2 else "white"
        lines.append(f'  subgraph cluster_lane{index} {{ bb="{_pt(left)},0,{_pt(right)},{_pt(height)}"; '
                     f'label="{title}"; labelloc=t; fontsize=8; style=filled; fillcolor="{fill}"; '
                     f'penwidth={LINE_WIDTH}; }}')
    lines.append(f'  subgraph cluster_titles {{ bb="0,{_pt(height - TITLE_BAND)},{_pt(width)},{_pt(height)}"; '
                 f'label=""; bgcolor=transparent; penwidth={LINE_WIDTH}; }}')
    for node in nodes:
        lines.append(f'  {node.id} [{shapes[node.shape]}, pos="{_pt(node.cx)},{_pt(height - node.cy)}", '
                     f'width={node.width / UM_PER_INCH:.4f}, height={node.height / UM_PER_INCH:.4f}, '
                     f'label={dot_string(node.label)}];')
    for arrow in arrows:
        label = f' [taillabel="{arrow.label}", labeldistance=1.6]' if arrow.label else ""
        lines.append(f"  {arrow.source} -> {arrow.target}{label};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_swimlane_svg(sop: Sop) -> bytes:
    return render(swimlane_dot(sop), "svg")
