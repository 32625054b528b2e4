"""The geometry types of a laid-out SOP, in integer micrometres: table columns and rows, and the
diagram's nodes and arrows on each flowchart page. Data only."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    key: str  # "no", "uraian", "actor:<key>", "kelengkapan", "waktu", "output", "keterangan"
    title: str
    x: int  # from the table's left edge
    width: int

    @property
    def is_actor(self) -> bool:
        return self.key.startswith("actor:")

    @property
    def center(self) -> int:
        return self.x + self.width // 2


@dataclass(frozen=True)
class Row:
    """A table row of a flowchart page. kind: 'step', 'band-top', 'band-bottom', 'total'."""

    kind: str
    y: int  # from the top of the page's rows (below the header)
    height: int
    step: int | None = None
    cells: dict[str, tuple[str, ...]] = field(default_factory=dict)  # column key -> wrapped lines


@dataclass(frozen=True)
class Node:
    """A shape of the diagram, in diagram coordinates (origin: top-left of the actor area)."""

    id: str
    shape: str  # "terminator", "process", "decision", "connector"
    cx: int
    cy: int
    width: int
    height: int
    step: int | None = None
    label: str = ""  # connector letter

    @property
    def box(self) -> tuple[int, int, int, int]:
        return (self.cx - self.width // 2, self.cy - self.height // 2,
                self.cx + self.width // 2, self.cy + self.height // 2)


Point = tuple[int, int]


@dataclass(frozen=True)
class Arrow:
    """An arrow as the plan routed it: an orthogonal polyline from the source's port to the
    target's, the arrowhead at the last point."""

    source: str
    target: str
    label: str | None = None  # "Ya" / "Tidak"
    points: tuple[Point, ...] = ()


@dataclass(frozen=True)
class Label:
    """A branch label ("Ya"/"Tidak") in its box, clear of every symbol, arrow and table line."""

    text: str
    x0: int
    y0: int
    x1: int
    y1: int
    size_pt: float


@dataclass(frozen=True)
class FlowPage:
    number: int  # 1-based among the flowchart pages
    rows: tuple[Row, ...]
    nodes: tuple[Node, ...]
    arrows: tuple[Arrow, ...]
    show_header: bool
    labels: tuple[Label, ...] = ()

    @property
    def diagram_rows(self) -> tuple[Row, ...]:
        return tuple(row for row in self.rows if row.kind != "total")

    @property
    def diagram_height(self) -> int:
        return sum(row.height for row in self.diagram_rows)
