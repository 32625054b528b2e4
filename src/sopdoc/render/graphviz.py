"""The flowchart pictures, drawn by Graphviz from the layout: each page of the lampiran, and the
site's swimlane.

The layout decides where every symbol sits; Graphviz (`neato -n2`, orthogonal edges) only
routes the arrows between the pinned symbols, so lane order is always the order of the
`pelaksana` columns. The grid of actor columns and rows is drawn as clusters with fixed
bounding boxes, so the picture *is* the actor area of the table. SVG goes into the PDF and
the site, PNG at print resolution into the DOCX.
"""

from __future__ import annotations

import re
import subprocess
import zlib

from sopdoc.errors import SopdocError
from sopdoc.layout.geometry import Arrow, FlowPage, Label, Node
from sopdoc.layout.plan import LayoutPlan
from sopdoc.layout.swimlane import SwimlanePlan
from sopdoc.layout.textmetrics import FONT_FAMILY, UM_PER_INCH

PNG_DPI = 300
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


def render(dot: str, fmt: str) -> bytes:
    """Run Graphviz for one format: 'svg' or 'png'."""
    return render_formats(dot, (fmt,))[fmt]


def render_formats(dot: str, formats: tuple[str, ...]) -> dict[str, bytes]:
    """SVG and/or PNG from one Graphviz run: positions are kept as given (-n2) and the edges,
    the costly part, are routed once for both pictures."""
    options = []
    if "png" in formats:
        # drawn by cairo (antialiased), written by gd as a palette image: half the time of
        # cairo's own 32-bit writer, for the same picture
        options += [f"-Gdpi={PNG_DPI}", "-Tpng:cairo:gd"]
    if "svg" in formats:
        options.append("-Tsvg")
    try:
        result = subprocess.run(["neato", "-n2", *options], input=dot.encode("utf-8"),
                                capture_output=True, timeout=120, check=False)
    except FileNotFoundError:
        raise SopdocError("Graphviz (neato) tidak ditemukan; jalankan 'make setup'") from None
    except subprocess.TimeoutExpired:
        raise SopdocError("Graphviz tidak selesai dalam 120 detik") from None
    if result.returncode != 0:
        raise SopdocError(f"Graphviz gagal: {result.stderr.decode('utf-8', 'replace').strip()}")
    output, pictures = result.stdout, {}
    if "png" in formats:  # the PNG comes first on stdout; its chunks say where it ends
        end = _png_length(output)
        pictures["png"], output = _whiten_palette(output[:end]), output[end:]
    if "svg" in formats:
        pictures["svg"] = _unscale_svg(_strip_svg_comments(output))
    return pictures


def _png_length(data: bytes) -> int:
    position = 8  # after the signature
    while position < len(data):
        length = int.from_bytes(data[position:position + 4], "big")
        kind = data[position + 4:position + 8]
        position += 12 + length
        if kind == b"IEND":
            return position
    raise SopdocError("Graphviz menulis PNG yang tidak lengkap")


_SVG_SIZE = re.compile(rb'<svg width="[0-9.]+pt" height="[0-9.]+pt"\s+viewBox="0\.00 0\.00 ([0-9.]+) ([0-9.]+)"')
_SVG_SCALE = re.compile(rb'(<g id="graph0" class="graph" transform=)"scale\([0-9.]+ [0-9.]+\)')


def svg_size_pt(svg: bytes) -> tuple[float, float] | None:
    """The drawing's size in points, from the viewBox (which Graphviz never scales)."""
    found = _SVG_SIZE.search(svg[:2000])
    return (float(found.group(1)), float(found.group(2))) if found else None


def _unscale_svg(svg: bytes) -> bytes:
    """Graphviz scales the SVG by the PNG's dpi when both come from one run (and only the
    drawing, not the viewBox): give it back its size in points, at scale 1."""
    svg = _SVG_SIZE.sub(rb'<svg width="\1pt" height="\2pt" viewBox="0.00 0.00 \1 \2"', svg, count=1)
    return _SVG_SCALE.sub(rb'\1"scale(1 1)', svg, count=1)


def _whiten_palette(png: bytes) -> bytes:
    """gd's palette turns white into (252, 254, 252), a visible tint beside white table cells;
    set such near-white entries back to pure white. Only the PLTE chunk changes."""
    position = 8  # after the signature
    while position < len(png):
        length = int.from_bytes(png[position:position + 4], "big")
        kind = png[position + 4:position + 8]
        if kind == b"PLTE":
            data = bytearray(png[position + 8:position + 8 + length])
            for index in range(0, length - 2, 3):
                if min(data[index:index + 3]) >= 248:
                    data[index:index + 3] = b"\xff\xff\xff"
            crc = zlib.crc32(kind + bytes(data)).to_bytes(4, "big")
            return png[:position + 8] + bytes(data) + crc + png[position + 12 + length:]
        position += 12 + length
    return png


def _strip_svg_comments(svg: bytes) -> bytes:
    """Graphviz writes its version and the graph's name in comments; they change nothing drawn."""
    text = svg.decode("utf-8")
    out, position = [], 0
    while (start := text.find("<!--", position)) != -1:
        out.append(text[position:start])
        position = text.find("-->", start) + 3
    out.append(text[position:])
    return "".join(out).encode("utf-8")
