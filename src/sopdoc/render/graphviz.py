"""The flowchart pictures, drawn by Graphviz from the layout: each page of the lampiran, and the
site's swimlane.

The layout decides where every symbol, arrow and label goes; Graphviz (`neato -n2`, every edge
with its route as `pos`) only draws them, so lane order is always the order of the `pelaksana`
columns. The grid of actor columns and rows is drawn as clusters with fixed bounding boxes, so
the picture *is* the actor area of the table. The SVG goes into the PDF and onto the site.
"""

from __future__ import annotations

import re
import subprocess

from sopdoc.errors import SopdocError
from sopdoc.layout.geometry import Arrow, FlowPage, Label, Node
from sopdoc.layout.plan import LayoutPlan
from sopdoc.layout.swimlane import SwimlanePlan
from sopdoc.layout.textmetrics import FONT_FAMILY, UM_PER_INCH

LINE_WIDTH = 0.75  # pt, the table's border width
_SHAPES = {
    "terminator": 'shape=box, style="rounded,filled"',
    "process": 'shape=box, style=filled',
    "decision": 'shape=diamond, style=filled',
    "connector": 'shape=invhouse, style=filled',
}


def to_pt(um: int) -> str:
    return f"{um * 72 / UM_PER_INCH:.2f}"


def _inch(um: int) -> str:
    return f"{um / UM_PER_INCH:.4f}"


def dot_string(text: str) -> str:
    """A DOT double-quoted string whose content is printed literally. Graphviz reads HTML entities
    in any label ("&lt;" is drawn "<"), so every "&" is written as the entity of itself."""
    escaped = text.replace("&", "&amp;").replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'


ARROW_SIZE = 0.5  # of Graphviz's 10 pt arrowhead
ARROW_LENGTH = round(10 * ARROW_SIZE * UM_PER_INCH / 72)


def graph_header(name: str, node_fontsize: int) -> list[str]:
    """The opening lines every sopdoc diagram shares: the document's font and line; every edge
    comes with its route (the plan's), so Graphviz routes nothing."""
    return [
        f"digraph {name} {{",
        f'  graph [splines=true, pad=0, outputorder=edgesfirst, bgcolor=white, fontname="{FONT_FAMILY}"];',
        f'  node [fixedsize=true, fontname="{FONT_FAMILY}", fontsize={node_fontsize}, penwidth={LINE_WIDTH}, '
        f'fillcolor=white, color=black];',
        f'  edge [penwidth={LINE_WIDTH}, arrowsize={ARROW_SIZE}];',
    ]


def node_line(node: Node, height: int) -> str:
    """A pinned node; `height` flips the layout's y-down coordinates into Graphviz's y-up."""
    return (f'  {node.id} [{_SHAPES[node.shape]}, pos="{to_pt(node.cx)},{to_pt(height - node.cy)}", '
            f'width={_inch(node.width)}, height={_inch(node.height)}, label={dot_string(node.label)}];')


def arrow_line(arrow: Arrow, height: int) -> str:
    """An edge drawn along the plan's polyline: each straight run a cubic Bezier segment with
    its control points at its ends; the spline stops an arrowhead short of the end ("e,")."""
    points = list(arrow.points)
    (ax, ay), (bx, by) = points[-2], points[-1]
    run = abs(bx - ax) + abs(by - ay)
    back = min(ARROW_LENGTH, max(run - 100, 0))
    sign = lambda value: (value > 0) - (value < 0)  # noqa: E731
    points[-1] = (bx - sign(bx - ax) * back, by - sign(by - ay) * back)
    spline = [points[0]]
    for a, b in zip(points, points[1:]):
        spline += [a, b, b]
    pos = " ".join(f"{to_pt(x)},{to_pt(height - y)}" for x, y in spline)
    return f'  {arrow.source} -> {arrow.target} [pos="e,{to_pt(bx)},{to_pt(height - by)} {pos}"];'


def label_line(index: int, label: Label, height: int) -> str:
    """A branch label as a text-only node in its box."""
    cx, cy = (label.x0 + label.x1) // 2, (label.y0 + label.y1) // 2
    return (f'  label{index} [shape=plaintext, margin=0, fontsize={label.size_pt:g}, '
            f'pos="{to_pt(cx)},{to_pt(height - cy)}", width={_inch(label.x1 - label.x0)}, '
            f'height={_inch(label.y1 - label.y0)}, label={dot_string(label.text)}];')


def page_dot(plan: LayoutPlan, page: FlowPage) -> str:
    """DOT text for one flowchart page: deterministic, so it can be kept as a golden file."""
    width, height = plan.diagram_width, page.diagram_height
    lines = graph_header(f"page{page.number}", 7)
    x0 = plan.diagram_x
    for index, column in enumerate(plan.actor_columns):
        left, right = column.x - x0, column.x - x0 + column.width
        lines.append(f'  subgraph cluster_lane{index} {{ bb="{to_pt(left)},0,{to_pt(right)},{to_pt(height)}"; '
                     f'label=""; bgcolor=transparent; penwidth={LINE_WIDTH}; }}')
    for index, row in enumerate(page.diagram_rows):
        top, bottom = height - row.y, height - row.y - row.height
        lines.append(f'  subgraph cluster_row{index} {{ bb="0,{to_pt(bottom)},{to_pt(width)},{to_pt(top)}"; '
                     f'label=""; bgcolor=transparent; penwidth={LINE_WIDTH}; }}')
    return _closed(lines, page.nodes, page.arrows, page.labels, height)


def swimlane_dot(plan: SwimlanePlan) -> str:
    """DOT text for the site's swimlane: titled, shaded lanes over the whole flow."""
    width, height = plan.width, plan.height
    lines = graph_header("swimlane", 8)
    for index, lane in enumerate(plan.lanes):
        title = "\\n".join(dot_string(line)[1:-1] for line in lane.title_lines)
        fill = "#f2f5fa" if lane.shaded else "white"
        lines.append(f'  subgraph cluster_lane{index} {{ bb="{to_pt(lane.left)},0,{to_pt(lane.right)},{to_pt(height)}"; '
                     f'label="{title}"; labelloc=t; fontsize=8; style=filled; fillcolor="{fill}"; '
                     f'penwidth={LINE_WIDTH}; }}')
    lines.append(f'  subgraph cluster_titles {{ bb="0,{to_pt(height - plan.title_band)},{to_pt(width)},{to_pt(height)}"; '
                 f'label=""; bgcolor=transparent; penwidth={LINE_WIDTH}; }}')
    return _closed(lines, plan.nodes, plan.arrows, plan.labels, height)


def _closed(lines: list[str], nodes, arrows, labels, height: int) -> str:
    """The graph's text: `lines` (header and clusters), then the pinned nodes, labels and arrows."""
    lines = [*lines, *(node_line(node, height) for node in nodes),
             *(label_line(index, label, height) for index, label in enumerate(labels)),
             *(arrow_line(arrow, height) for arrow in arrows), "}"]
    return "\n".join(lines) + "\n"


def render(dot: str, fmt: str = "svg") -> bytes:
    """Run Graphviz: positions and routes are kept as given (-n2). Only SVG is made: the PDF
    embeds it as vector, the site shows it, the DOCX draws its own shapes."""
    if fmt != "svg":
        raise ValueError(fmt)
    try:
        result = subprocess.run(["neato", "-n2", "-Tsvg"], input=dot.encode("utf-8"),
                                capture_output=True, timeout=120, check=False)
    except FileNotFoundError:
        raise SopdocError("Graphviz (neato) tidak ditemukan; jalankan 'make setup'") from None
    except subprocess.TimeoutExpired:
        raise SopdocError("Graphviz tidak selesai dalam 120 detik") from None
    if result.returncode != 0:
        raise SopdocError(f"Graphviz gagal: {result.stderr.decode('utf-8', 'replace').strip()}")
    # Graphviz rounds width and height to whole points; the viewBox holds the drawing's size
    svg = _strip_svg_comments(result.stdout)
    return _SVG_SIZE.sub(rb'<svg width="\1pt" height="\2pt" viewBox="0.00 0.00 \1 \2"', svg, count=1)


_SVG_SIZE = re.compile(rb'<svg width="[0-9.]+pt" height="[0-9.]+pt"\s+viewBox="0\.00 0\.00 ([0-9.]+) ([0-9.]+)"')


def svg_size_pt(svg: bytes) -> tuple[float, float] | None:
    """The drawing's size in points, from the viewBox (which Graphviz never scales)."""
    found = _SVG_SIZE.search(svg[:2000])
    return (float(found.group(1)), float(found.group(2))) if found else None


def _strip_svg_comments(svg: bytes) -> bytes:
    """Graphviz writes its version and the graph's name in comments; they change nothing drawn."""
    text = svg.decode("utf-8")
    out, position = [], 0
    while (start := text.find("<!--", position)) != -1:
        out.append(text[position:start])
        position = text.find("-->", start) + 3
    out.append(text[position:])
    return "".join(out).encode("utf-8")
