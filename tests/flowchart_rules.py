"""The rules a flowchart page keeps, checked on geometry (µm, y down): symbols in their lane and
row, branches from distinct corners, no arrow along a table line or through a symbol, parallel
arrows apart, labels clear of everything. Used on the plan and on geometry read from the PDF."""

from __future__ import annotations

from dataclasses import dataclass

BORDER_CLEARANCE = 529  # 1.5 pt in µm
PARALLEL_GAP = 500


@dataclass
class Drawn:
    """One page's flowchart as drawn: lanes (x0, x1), rows (y0, y1), symbols {id: (box, shape)},
    arrows [(source id, target id, label, points)], labels [(text, box)]."""

    lanes: list[tuple[int, int]]
    rows: list[tuple[int, int]]
    symbols: dict[str, tuple[tuple[int, int, int, int], str]]
    arrows: list[tuple[str, str, str | None, list[tuple[int, int]]]]
    labels: list[tuple[str, tuple[int, int, int, int]]]


def _inside(inner, outer, slack=0) -> bool:
    return (outer[0] - slack <= inner[0] and inner[2] <= outer[2] + slack
            and outer[1] - slack <= inner[1] and inner[3] <= outer[3] + slack)


def _meets(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _segment_box(a, b, grow=0):
    return (min(a[0], b[0]) - grow, min(a[1], b[1]) - grow, max(a[0], b[0]) + grow, max(a[1], b[1]) + grow)


def _enters(a, b, box, slack) -> bool:
    """The segment goes through the inside of `box` (shrunk by `slack`: touching is not entering)."""
    x0, y0, x1, y1 = box[0] + slack, box[1] + slack, box[2] - slack, box[3] - slack
    if a[0] == b[0]:
        return x0 < a[0] < x1 and min(a[1], b[1]) < y1 and max(a[1], b[1]) > y0
    return y0 < a[1] < y1 and min(a[0], b[0]) < x1 and max(a[0], b[0]) > x0


def check_page(page: Drawn, homes: dict[str, tuple[int, int]], slack: int = 0) -> list[str]:
    """Every broken rule, as a sentence; `homes` maps a step symbol's id to its (lane, row) index."""
    problems = []
    for symbol_id, (lane, row) in homes.items():
        box, _ = page.symbols[symbol_id]
        cell = (page.lanes[lane][0], page.rows[row][0], page.lanes[lane][1], page.rows[row][1])
        if not _inside(box, cell, slack):
            problems.append(f"{symbol_id} leaves its lane or row")
    xs = sorted({x for lane in page.lanes for x in lane})
    ys = sorted({y for row in page.rows for y in row})
    corners: dict[str, list[tuple[int, int]]] = {}
    segments = []
    for source, target, label, points in page.arrows:
        if len(points) < 2:
            problems.append(f"{source}->{target} has no route")
            continue
        if page.symbols[source][1] == "decision":
            corners.setdefault(source, []).append(points[0])
        for a, b in zip(points, points[1:]):
            if a[0] != b[0] and a[1] != b[1]:
                problems.append(f"{source}->{target} is not orthogonal at {a}-{b}")
            if a[0] == b[0] and any(abs(a[0] - x) < BORDER_CLEARANCE for x in xs):
                problems.append(f"{source}->{target} runs along a lane border at x={a[0]}")
            if a[1] == b[1] and any(abs(a[1] - y) < BORDER_CLEARANCE for y in ys):
                problems.append(f"{source}->{target} runs along a row border at y={a[1]}")
            for other, (box, _) in page.symbols.items():
                if other not in (source, target) and _enters(a, b, box, slack):
                    problems.append(f"{source}->{target} passes through {other}")
            segments.append((source, target, a, b))
    for source, points in corners.items():
        if len(set(points)) != len(points):
            problems.append(f"branches of {source} share a corner")
    ends = {(s, t): points[-1] for s, t, _, points in page.arrows if len(points) >= 2}
    finals = {(s, t): (points[-2], points[-1]) for s, t, _, points in page.arrows if len(points) >= 2}
    for i, (s1, t1, a, b) in enumerate(segments):
        for s2, t2, c, d in segments[i + 1:]:
            if (s1, t1) == (s2, t2):
                continue
            if ends[(s1, t1)] == ends[(s2, t2)] and ((a, b) == finals[(s1, t1)] or (c, d) == finals[(s2, t2)]):
                continue  # arrows into one corner join on their last run
            vertical = a[0] == b[0] and c[0] == d[0]
            horizontal = a[1] == b[1] and c[1] == d[1]
            if vertical and abs(a[0] - c[0]) < PARALLEL_GAP and _overlap(a[1], b[1], c[1], d[1]) > PARALLEL_GAP:
                problems.append(f"{s1}->{t1} and {s2}->{t2} run together at x={a[0]}")
            if horizontal and abs(a[1] - c[1]) < PARALLEL_GAP and _overlap(a[0], b[0], c[0], d[0]) > PARALLEL_GAP:
                problems.append(f"{s1}->{t1} and {s2}->{t2} run together at y={a[1]}")
    for index, (text, box) in enumerate(page.labels):
        for symbol_id, (symbol, _) in page.symbols.items():
            if _meets(box, symbol):
                problems.append(f"label {text} overlaps {symbol_id}")
        for source, target, _, a, b in ((s, t, None, a, b) for s, t, a, b in segments):
            if _meets(box, _segment_box(a, b)):
                problems.append(f"label {text} overlaps the arrow {source}->{target}")
        for other_text, other in page.labels[index + 1:]:
            if _meets(box, other):
                problems.append(f"labels {text} and {other_text} overlap")
        if any(box[0] < x < box[2] for x in xs) or any(box[1] < y < box[3] for y in ys):
            problems.append(f"label {text} crosses a table line")
    return problems


def _overlap(a, b, c, d) -> int:
    return min(max(a, b), max(c, d)) - max(min(a, b), min(c, d))


def from_plan(plan, page, sop) -> tuple[Drawn, dict[str, tuple[int, int]]]:
    lanes = [(c.x - plan.diagram_x, c.x - plan.diagram_x + c.width) for c in plan.actor_columns]
    rows = [(row.y, row.y + row.height) for row in page.diagram_rows]
    symbols = {node.id: (node.box, node.shape) for node in page.nodes}
    arrows = [(a.source, a.target, a.label, list(a.points)) for a in page.arrows]
    labels = [(label.text, (label.x0, label.y0, label.x1, label.y1)) for label in page.labels]
    lane_of = {c.key: i for i, c in enumerate(plan.actor_columns)}
    row_of = {row.step: i for i, row in enumerate(page.diagram_rows) if row.kind == "step"}
    homes = {f"s{number}": (lane_of[f"actor:{sop.langkah[number - 1].pelaksana.key}"], index)
             for number, index in row_of.items()}
    return Drawn(lanes, rows, symbols, arrows, labels), homes


def connector_letters(plan) -> tuple[list[str], list[str]]:
    outgoing = [n.label for p in plan.pages for n in p.nodes if n.shape == "connector" and n.id.endswith("o")]
    incoming = [n.label for p in plan.pages for n in p.nodes if n.shape == "connector" and n.id.endswith("i")]
    return outgoing, incoming
