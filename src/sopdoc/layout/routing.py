"""Orthogonal routes for the arrows of one flowchart page, and boxes for the branch labels.

The page is a grid of actor columns (lanes) and rows with one symbol each. Arrows run only on
tracks: the axis of a column, lanes' side tracks between the symbols and the lane borders, a
row's axis and its gutters above and below its symbol, and the connector bands. So no arrow
ever runs along a lane or row border or through a symbol, and arrows that run side by side keep
a visible gap. Each arrow is the cheapest path (length, plus a price per bend) from its exit
port to its entry port over the free tracks, found by Dijkstra on that sparse grid.
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass

from sopdoc.layout.geometry import Label, Node, Point
from sopdoc.layout.textmetrics import TextStyle, mm

TRACK_GAP = mm(0.8)  # between neighbouring tracks, and between a track and a border or symbol
SYMBOL_CLEARANCE = mm(0.5)  # arrows keep this far from symbols they do not start or end at
PARALLEL_GAP = mm(0.7)  # arrows side by side are at least this far apart
BEND_COST = mm(8)
MIN_LAST_RUN = mm(2)  # an arrowhead's run into a symbol
STUB = mm(1.5)  # the first and last run of an arrow, kept for it before it is routed
SEARCH_BUDGET = 6000  # states a search may take before it gives up for the next, freer one
MAX_TRACKS = 4  # per gutter or side
LABEL_STYLE = TextStyle(6)
SMALLER_LABELS = (TextStyle(5.5), TextStyle(5))
LABEL_GAP = mm(0.5)  # between a label and its own arrow
LABEL_CLEARANCE = mm(0.35)  # between a label and anything else

DIRECTIONS = {"down": (0, 1), "up": (0, -1), "left": (-1, 0), "right": (1, 0)}


@dataclass(frozen=True)
class Port:
    x: int
    y: int
    direction: str  # the direction the arrow travels there: leaving an exit, arriving at an entry


def exit_port(node: Node, side: str) -> Port:
    """An arrow leaving `side` ("bottom", "left", ...) of `node`, travelling away from it."""
    travel = {"top": "up", "bottom": "down", "left": "left", "right": "right"}[side]
    return Port(*_side_point(node, side), travel)


def entry_port(node: Node, side: str, offset: int = 0) -> Port:
    """An arrow arriving at `side` of `node` ("top": travelling down into it); `offset` moves
    the point along that side (boxes take several arrows on one side)."""
    x, y = _side_point(node, side)
    travel = {"top": "down", "bottom": "up", "left": "right", "right": "left"}[side]
    if side in ("top", "bottom"):
        return Port(x + offset, y, travel)
    return Port(x, y + offset, travel)


def _side_point(node: Node, side: str) -> Point:
    x0, y0, x1, y1 = node.box
    return {"top": (node.cx, y0), "bottom": (node.cx, y1), "down": (node.cx, y1), "up": (node.cx, y0),
            "left": (x0, node.cy), "right": (x1, node.cy)}[side]


@dataclass(frozen=True)
class Area:
    """The free space of a page: lanes (x0, x1) and bands of rows (y0, y1), each holding at most
    the symbols in `nodes`."""

    lanes: tuple[tuple[int, int], ...]
    rows: tuple[tuple[int, int], ...]
    nodes: tuple[Node, ...]

    @property
    def width(self) -> int:
        return self.lanes[-1][1]

    @property
    def height(self) -> int:
        return self.rows[-1][1]

    def x_tracks(self) -> list[int]:
        tracks = []
        for x0, x1 in self.lanes:
            inside = [n for n in self.nodes if x0 <= n.cx < x1]
            half = max((n.width // 2 for n in inside), default=0) + SYMBOL_CLEARANCE
            center = (x0 + x1) // 2
            tracks.append(center)
            tracks += _gap_tracks(x0, center - half) + _gap_tracks(center + half, x1)
        # an arrow reaches a connector along its axis: no track so near it that the two would touch
        axes = [node.cx for node in self.nodes if node.shape == "connector"]
        return [x for x in tracks if all(x == axis or abs(x - axis) >= TRACK_GAP for axis in axes)]

    def y_tracks(self) -> list[int]:
        tracks = []
        for y0, y1 in self.rows:
            inside = [n for n in self.nodes if y0 <= n.cy < y1]
            center = (y0 + y1) // 2
            half = max((n.height // 2 for n in inside), default=0) + SYMBOL_CLEARANCE
            tracks.append(center)
            tracks += _gap_tracks(y0, center - half) + _gap_tracks(center + half, y1)
        return tracks

    def lines(self) -> tuple[list[int], list[int]]:
        """x of every lane border, y of every row border: the table's lines."""
        xs = sorted({x for lane in self.lanes for x in lane})
        ys = sorted({y for row in self.rows for y in row})
        return xs, ys


def _gap_tracks(low: int, high: int) -> list[int]:
    """Tracks in the free gap (low, high), at least TRACK_GAP from both ends and each other;
    the ones nearest the ends first (they leave the middle for labels)."""
    room = high - low - 2 * TRACK_GAP
    if room < 0:
        return []
    count = min(MAX_TRACKS, room // TRACK_GAP + 1)
    if count == 1:
        return [(low + high) // 2]
    step = room // (count - 1)
    return [low + TRACK_GAP + i * step for i in range(count)]


class Router:
    """Routes arrows one after the other; each keeps clear of the ones before it. Simple shapes
    (straight, one or two bends over a free track) are tried first; the grid search is for the
    rest."""

    def __init__(self, area: Area, labels: list[Label] = ()) -> None:
        self.area = area
        self.base_x, self.base_y = area.x_tracks(), area.y_tracks()
        self.obstacles = [(node, node.box, _grown(node.box, SYMBOL_CLEARANCE)) for node in area.nodes]
        self.obstacles += [(label, box, box) for label in labels
                           for box in [_grown((label.x0, label.y0, label.x1, label.y1), LABEL_CLEARANCE)]]
        self.final_runs: list[tuple[Point, Point]] = []  # the last run of every arrow routed so far
        # (owner, a, b): the ends of arrows still to come, by direction
        self.vertical_stubs: list[tuple[int, Point, Point]] = []
        self.horizontal_stubs: list[tuple[int, Point, Point]] = []
        self.stubs_hold = True
        self.owner = -1
        self._static: dict[tuple[Point, Point], tuple[int, ...]] = {}
        self.joinable: set[tuple[Point, Point]] = set()
        self.vertical: list[tuple[int, int, int]] = []  # (x, y0, y1) of the arrows routed so far
        self.horizontal: list[tuple[int, int, int]] = []  # (y, x0, x1)

    def reserve(self, owner: int, start: Port, end: Port) -> None:
        """Keep the first and last STUB of an arrow not routed yet free of the others."""
        for port, sign in ((start, 1), (end, -1)):
            dx, dy = DIRECTIONS[port.direction]
            far = (port.x + sign * dx * STUB, port.y + sign * dy * STUB)
            stub = (owner, (port.x, port.y), far)
            (self.vertical_stubs if dx == 0 else self.horizontal_stubs).append(stub)

    def route(self, start: Port, end: Port, source: Node | None, target: Node | None,
              owner: int = -1) -> tuple[Point, ...]:
        self.owner = owner
        # arrows into one corner of a diamond join on their last run: that run is shared, no other
        self.joinable = {run for run in self.final_runs if run[1] == (end.x, end.y)}
        path = self._simple(start, end, source, target) or self._searched(start, end, source, target)
        points = _simplify(path)
        self.final_runs.append((points[-2], points[-1]))
        for a, b in zip(points, points[1:]):
            if a[0] == b[0]:
                self.vertical.append((a[0], min(a[1], b[1]), max(a[1], b[1])))
            else:
                self.horizontal.append((a[1], min(a[0], b[0]), max(a[0], b[0])))
        return points

    def _searched(self, start: Port, end: Port, source, target):
        """A* over ever freer grids; the grid is built only when no simple shape is free."""
        xs, ys = sorted(set(self.base_x) | {start.x, end.x}), sorted(set(self.base_y) | {start.y, end.y})
        near = (_window(xs, min(start.x, end.x), max(start.x, end.x), self.area.lanes),
                _window(ys, min(start.y, end.y), max(start.y, end.y), self.area.rows))
        # the part of the page between the two ends, with a lane or row around
        path = self._shortest(*near, start, end, source, target)
        if path is None:  # the ends kept for arrows still to come give way: they find others
            self.stubs_hold = False
            path = self._shortest(*near, start, end, source, target) or \
                self._shortest(xs, ys, start, end, source, target)
            self.stubs_hold = True
        if path is None:  # nothing free: the least bad route, side by side with another if need be
            path = self._shortest(xs, ys, start, end, source, target, strict=False, budget=20 * SEARCH_BUDGET)
        if path is None:  # walled in by symbols: straight across, rather than no arrow at all
            path = ((start.x, start.y), (start.x, end.y), (end.x, end.y))
        return path

    def _simple(self, start: Port, end: Port, source, target):
        for path in _shapes(start, end, self.base_x, self.base_y):
            if all(not self._blocked(a, b, source, target, True) for a, b in zip(path, path[1:])):
                return path
        return None

    def _in_the_way(self, a: Point, b: Point) -> tuple[int, ...]:
        """The obstacles whose grown box the segment enters: the same for every arrow, so kept."""
        key = (a, b)
        found = self._static.get(key)
        if found is None:
            found = self._static[key] = tuple(i for i, (_, _, grown) in enumerate(self.obstacles)
                                              if _crosses_box(a, b, grown))
        return found

    def _blocked(self, a: Point, b: Point, source: Node | None, target: Node | None, strict: bool) -> bool:
        for i in self._in_the_way(a, b):
            node, box, _ = self.obstacles[i]
            if node is not source and node is not target or _crosses_box(a, b, box):
                return True
        if strict:
            if any(_within(a, b, run) for run in self.joinable):
                return False
            if self.stubs_hold and any(owner != self.owner and _alongside(a, b, p, q) for owner, p, q in
                                       (self.vertical_stubs if a[0] == b[0] else self.horizontal_stubs)):
                return True
            if a[0] == b[0]:
                low, high = min(a[1], b[1]), max(a[1], b[1])
                return any(abs(x - a[0]) < PARALLEL_GAP and min(high, y1) - max(low, y0) > 0
                           for x, y0, y1 in self.vertical)
            low, high = min(a[0], b[0]), max(a[0], b[0])
            return any(abs(y - a[1]) < PARALLEL_GAP and min(high, x1) - max(low, x0) > 0
                       for y, x0, x1 in self.horizontal)
        return False

    def _shortest(self, xs, ys, start: Port, end: Port, source, target, strict: bool = True,
                  budget: int | None = SEARCH_BUDGET):
        begin, goal = (start.x, start.y), (end.x, end.y)
        xi = {x: i for i, x in enumerate(xs)}
        yi = {y: i for i, y in enumerate(ys)}
        if begin[0] not in xi or begin[1] not in yi or goal[0] not in xi or goal[1] not in yi:
            return None
        counter = itertools.count()

        def estimate(point: Point) -> int:
            return abs(point[0] - goal[0]) + abs(point[1] - goal[1])

        # A*: state is a point and the direction of the last move; the first move leaves the
        # start the way its port faces, the last one arrives the way the entry faces. Each state
        # keeps only its predecessor, so memory stays linear in the states seen.
        first = (begin, start.direction)
        queue = [(estimate(begin), 0, next(counter), first)]
        best: dict[tuple[Point, str], int] = {first: 0}
        parent: dict[tuple[Point, str], tuple[Point, str] | None] = {first: None}
        blocked: dict[tuple[Point, Point], bool] = {}
        while queue and budget != 0:
            budget = None if budget is None else budget - 1
            _, cost, _, state = heapq.heappop(queue)
            point, heading = state
            if point == goal and heading == end.direction:
                path = []
                while state is not None:
                    path.append(state[0])
                    state = parent[state]
                return tuple(reversed(path))
            if best.get(state, 1 << 62) < cost:
                continue
            for direction, (dx, dy) in DIRECTIONS.items():
                if point == begin and direction != start.direction:
                    continue
                if _opposite(direction, heading) and point != begin:
                    continue
                i, j = xi[point[0]] + dx, yi[point[1]] + dy
                if not (0 <= i < len(xs) and 0 <= j < len(ys)):
                    continue
                nxt = (xs[i], ys[j])
                if (point, nxt) not in blocked:
                    blocked[(point, nxt)] = self._blocked(point, nxt, source, target, strict)
                if blocked[(point, nxt)]:
                    continue
                total = cost + abs(nxt[0] - point[0]) + abs(nxt[1] - point[1]) + (
                    BEND_COST if direction != heading else 0)
                following = (nxt, direction)
                if total < best.get(following, 1 << 62):
                    best[following] = total
                    parent[following] = state
                    heapq.heappush(queue, (total + estimate(nxt), total, next(counter), following))
        return None


def _alongside(a: Point, b: Point, p: Point, q: Point) -> bool:
    """Parallel segments closer than PARALLEL_GAP that share part of their run."""
    if a[0] == b[0] and p[0] == q[0]:
        return abs(a[0] - p[0]) < PARALLEL_GAP and min(max(a[1], b[1]), max(p[1], q[1])) \
            - max(min(a[1], b[1]), min(p[1], q[1])) > 0
    if a[1] == b[1] and p[1] == q[1]:
        return abs(a[1] - p[1]) < PARALLEL_GAP and min(max(a[0], b[0]), max(p[0], q[0])) \
            - max(min(a[0], b[0]), min(p[0], q[0])) > 0
    return False


def _within(a: Point, b: Point, run: tuple[Point, Point]) -> bool:
    """Segment a-b lies on `run` (the last run of an arrow into the same corner)."""
    (p, q) = run
    if p[0] == q[0] == a[0] == b[0]:
        return min(p[1], q[1]) <= min(a[1], b[1]) and max(a[1], b[1]) <= max(p[1], q[1])
    if p[1] == q[1] == a[1] == b[1]:
        return min(p[0], q[0]) <= min(a[0], b[0]) and max(a[0], b[0]) <= max(p[0], q[0])
    return False


def _grown(box, margin: int):
    return (box[0] - margin, box[1] - margin, box[2] + margin, box[3] + margin)


def _shapes(start: Port, end: Port, xs: list[int], ys: list[int]):
    """Routes of up to three bends, simplest first: straight; one bend; two bends over a track
    between the ends (nearest the entry first)."""
    begin, goal = (start.x, start.y), (end.x, end.y)
    sd, ed = DIRECTIONS[start.direction], DIRECTIONS[end.direction]
    if sd == ed and (begin[0] == goal[0] if sd[0] == 0 else begin[1] == goal[1]) \
            and _ahead(begin, goal, sd):
        yield (begin, goal)
    if sd[0] == 0 and ed[1] == 0:  # vertical, then horizontal into a side
        corner = (begin[0], goal[1])
        if _ahead(begin, corner, sd) and _ahead(corner, goal, ed):
            yield (begin, corner, goal)
    if sd[1] == 0 and ed[0] == 0:  # horizontal, then vertical into a top or bottom
        corner = (goal[0], begin[1])
        if _ahead(begin, corner, sd) and _ahead(corner, goal, ed):
            yield (begin, corner, goal)
    if sd[0] == 0 and ed[0] == 0:  # vertical, across a track, vertical
        # nearest the entry first, but with a last run long enough for an arrowhead
        for y in sorted((y for y in ys if _ahead(begin, (begin[0], y), sd) and _ahead((goal[0], y), goal, ed)),
                        key=lambda y: (abs(goal[1] - y) < MIN_LAST_RUN, abs(goal[1] - y))):
            yield (begin, (begin[0], y), (goal[0], y), goal)
    if sd[1] == 0 and ed[1] == 0:  # horizontal, along a track, horizontal
        for x in sorted((x for x in xs if _ahead(begin, (x, begin[1]), sd) and _ahead((x, goal[1]), goal, ed)),
                        key=lambda x: abs(goal[0] - x)):
            yield (begin, (x, begin[1]), (x, goal[1]), goal)
    if sd[1] == 0 and ed[0] == 0:  # horizontal, down a track, across, into a top or bottom
        for x in sorted((x for x in xs if _ahead(begin, (x, begin[1]), sd)), key=lambda x: abs(begin[0] - x)):
            for y in sorted((y for y in ys if _ahead((goal[0], y), goal, ed)), key=lambda y: abs(goal[1] - y)):
                yield (begin, (x, begin[1]), (x, y), (goal[0], y), goal)
                break


def _ahead(a: Point, b: Point, direction: tuple[int, int]) -> bool:
    """b lies strictly further than a in `direction`."""
    return (b[0] - a[0]) * direction[0] + (b[1] - a[1]) * direction[1] > 0


def _window(values: list[int], low: int, high: int, spans: tuple[tuple[int, int], ...]) -> list[int]:
    """`values` within the spans that hold low..high, and one more span on each side."""
    first = next((i for i, (a, b) in enumerate(spans) if a <= low < b), 0)
    last = next((i for i, (a, b) in enumerate(spans) if a <= high <= b), len(spans) - 1)
    lo, hi = spans[max(first - 1, 0)][0], spans[min(last + 1, len(spans) - 1)][1]
    return [v for v in values if lo <= v <= hi or v in (low, high)]


def _opposite(a: str, b: str) -> bool:
    return {a, b} in ({"up", "down"}, {"left", "right"})


def _crosses_box(a: Point, b: Point, box: tuple[int, int, int, int], margin: int = 0) -> bool:
    """Whether segment a-b enters the box grown by `margin` (touching its edge is not entering)."""
    x0, y0, x1, y1 = box[0] - margin, box[1] - margin, box[2] + margin, box[3] + margin
    (ax, ay), (bx, by) = a, b
    if ax == bx:
        return x0 < ax < x1 and min(ay, by) < y1 and max(ay, by) > y0
    return y0 < ay < y1 and min(ax, bx) < x1 and max(ax, bx) > x0


def _simplify(path) -> tuple[Point, ...]:
    """Drop the points in the middle of straight runs."""
    points = [path[0]]
    for point in path[1:]:
        if len(points) >= 2 and (points[-2][0] == points[-1][0] == point[0]
                                 or points[-2][1] == points[-1][1] == point[1]):
            points[-1] = point
        else:
            points.append(point)
    return tuple(points)


# ---------------------------------------------------------------- labels

def label_at_port(text: str, port: Port, area: Area, labels: list[Label], upward: bool = False) -> Label | None:
    """The customary place of a branch label: just outside the corner it leaves by, beside the
    arrow's first run (below-right of a bottom corner, above a side corner; below it when the
    arrow turns up); a smaller size where the lane is narrow; None when no side is free there."""
    xs, ys = area.lines()
    for style in (LABEL_STYLE, *SMALLER_LABELS):
        for box in _port_candidates(port, style.width(text) + mm(0.4), style.line_um, upward):
            if _label_clash(box, area, [], labels, xs, ys) == 0:
                return Label(text, *box, style.size_pt)
    return None


def _port_candidates(port: Port, width: int, height: int, upward: bool):
    x, y = port.x, port.y
    if port.direction in ("down", "up"):
        top = y + LABEL_GAP if port.direction == "down" else y - LABEL_GAP - height
        return [(x + LABEL_GAP, top, x + LABEL_GAP + width, top + height),
                (x - LABEL_GAP - width, top, x - LABEL_GAP, top + height)]
    left = x + LABEL_GAP if port.direction == "right" else x - LABEL_GAP - width
    candidates = [(left, y - LABEL_GAP - height, left + width, y - LABEL_GAP),
                  (left, y + LABEL_GAP, left + width, y + LABEL_GAP + height)]
    return candidates[::-1] if upward else candidates


def place_label(text: str, points: tuple[Point, ...], area: Area, arrows: list[tuple[Point, ...]],
                labels: list[Label]) -> Label:
    """A box for a branch label beside the first part of its own arrow, clear of every symbol,
    arrow, other label and table line; the first free place from the arrow's start wins."""
    xs, ys = area.lines()
    best = None
    for style in (LABEL_STYLE, *SMALLER_LABELS):  # where there is no room, a smaller size
        width, height = style.width(text) + mm(0.4), style.line_um
        for box in _label_candidates(points, width, height):
            clash = _label_clash(box, area, arrows, labels, xs, ys)
            if clash == 0:
                return Label(text, *box, style.size_pt)
            if best is None or clash < best[0]:
                best = (clash, box, style.size_pt)
    return Label(text, *best[1], best[2])


def _label_candidates(points, width: int, height: int):
    for (ax, ay), (bx, by) in zip(points, points[1:]):
        length = abs(bx - ax) + abs(by - ay)
        for along in range(int(LABEL_GAP), max(int(length) - int(LABEL_GAP), int(LABEL_GAP)) + 1, int(mm(0.5))):
            if ax == bx:  # vertical run: beside it, right then left
                sign = 1 if by > ay else -1
                y = ay + sign * along
                top = y if sign > 0 else y - height
                yield (ax + LABEL_GAP, top, ax + LABEL_GAP + width, top + height)
                yield (ax - LABEL_GAP - width, top, ax - LABEL_GAP, top + height)
            else:  # horizontal run: above it, then below
                sign = 1 if bx > ax else -1
                x = ax + sign * along
                left = x if sign > 0 else x - width
                yield (left, ay - LABEL_GAP - height, left + width, ay - LABEL_GAP)
                yield (left, ay + LABEL_GAP, left + width, ay + LABEL_GAP + height)


def _label_clash(box, area: Area, arrows, labels, xs, ys) -> int:
    """How badly `box` sits: 0 when clear of everything (and inside the page's diagram)."""
    x0, y0, x1, y1 = box
    if x0 < 0 or y0 < 0 or x1 > area.width or y1 > area.height:
        return 1000
    clash = 0
    grown = (x0 - LABEL_CLEARANCE, y0 - LABEL_CLEARANCE, x1 + LABEL_CLEARANCE, y1 + LABEL_CLEARANCE)
    for node in area.nodes:
        clash += 10 * _boxes_meet(grown, node.box)
    for points in arrows:
        for a, b in zip(points, points[1:]):
            clash += 10 * _crosses_box(a, b, grown, 0)
    for label in labels:
        clash += 10 * _boxes_meet(grown, (label.x0, label.y0, label.x1, label.y1))
    clash += sum(3 for x in xs if grown[0] < x < grown[2]) + sum(3 for y in ys if grown[1] < y < grown[3])
    return clash


def _boxes_meet(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
