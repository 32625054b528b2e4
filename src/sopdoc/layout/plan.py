"""The layout plan: every length of the flowchart pages, computed once, in integer micrometres.

Both renderers (HTML -> PDF and DOCX) and the diagram draw from this plan, so they agree:
column widths, each row's height (from its text wrapped with the real font metrics), which
rows go on which page, where each symbol sits (its actor's column, its row), each arrow, and
the off-page connector pairs where the flow crosses a page break. No I/O here.
"""

from __future__ import annotations

from dataclasses import dataclass

from sopdoc.layout.columns import column_widths, waktu_parts
from sopdoc.layout.flowchart import CONNECTOR_BAND, connector_pairs, page_flow
from sopdoc.layout.geometry import Column, FlowPage, Row
from sopdoc.model import Langkah, Sop, Symbol
from sopdoc.layout.textmetrics import TextStyle, mm

PAPER = {  # landscape: (width, height)
    "F4": (mm(330), mm(215)),
    "A4": (mm(297), mm(210)),
    "Letter": (mm(279.4), mm(215.9)),
    "Legal": (mm(355.6), mm(215.9)),
}
MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM, MARGIN_LEFT = mm(16), mm(12), mm(16), mm(15)

BODY = TextStyle(8)
HEADING = TextStyle(8, bold=True)
PAD_X, PAD_Y = mm(1.2), mm(1)
# Measured text must fit with room to spare: Pango and Word break lines a little differently,
# and a table row grows by its border width when its content fills it exactly.
WRAP_SLACK = mm(1.5)
ROW_SLACK = mm(1.2)

# Header titles: the columns spanning both header rows, and the Mutu Baku group
SPANNING_TITLES = (("no", "No"), ("uraian", "Uraian Kegiatan"), ("keterangan", "Keterangan"))
QUALITY_TITLES = (("kelengkapan", "Kelengkapan"), ("waktu", "Waktu"), ("output", "Output"))
# Identity table: letterhead | label | value, in per-mille of the table width
IDENTITY_SPLIT = (450, 180, 370)

# Kept free at the foot of every flowchart page: borders, the header's rounding and the 1 pt
# paragraph Word needs between tables must never push a planned row onto the next page.
PAGE_SAFETY = mm(4)
MIN_STEP_ROW = mm(13)
MIN_DECISION_ROW = mm(16)
CONTINUED = "(lanjutan)"  # first line of the Uraian cell of a step's continuation on the next page


@dataclass(frozen=True)
class LayoutPlan:
    paper: str
    page_width: int
    page_height: int
    margins: tuple[int, int, int, int]  # top, right, bottom, left
    columns: tuple[Column, ...]
    header_heights: tuple[int, int]
    header_cells: dict[str, HeaderCell]  # column key (or group) -> wrapped title at its size
    pages: tuple[FlowPage, ...]
    body: TextStyle = BODY
    heading: TextStyle = HEADING

    @property
    def table_width(self) -> int:
        return self.page_width - self.margins[1] - self.margins[3]

    @property
    def identity_widths(self) -> tuple[int, int, int]:
        first, second = (self.table_width * share // 1000 for share in IDENTITY_SPLIT[:2])
        return first, second, self.table_width - first - second

    @property
    def grid_widths(self) -> tuple[int, int]:
        half = self.table_width // 2
        return half, self.table_width - half

    @property
    def actor_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.is_actor)

    @property
    def diagram_x(self) -> int:
        return self.actor_columns[0].x

    @property
    def diagram_width(self) -> int:
        return sum(c.width for c in self.actor_columns)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def page_of_step(self, number: int) -> FlowPage:
        return next(p for p in self.pages if any(r.step == number and r.kind == "step" for r in p.rows))


def _wrap(style: TextStyle, text: str, column: Column) -> tuple[str, ...]:
    return tuple(style.wrap(text, column.width - 2 * PAD_X - WRAP_SLACK))


def _waktu_lines(style: TextStyle, text: str, column: Column) -> tuple[str, ...]:
    """A duration wrapped between its parts only ('1 hari kerja' / '2 jam'), never inside one."""
    room = column.width - 2 * PAD_X - WRAP_SLACK
    lines: list[str] = []
    for part in waktu_parts(text):
        if lines and style.width(f"{lines[-1]} {part}") <= room:
            lines[-1] = f"{lines[-1]} {part}"
        else:
            lines.extend(style.wrap(part, room))
    return tuple(lines)


def _list_lines(style: TextStyle, items: tuple[str, ...], column: Column) -> tuple[str, ...]:
    if len(items) <= 1:
        return _wrap(style, items[0], column) if items else ()
    lines: list[str] = []
    for item in items:
        lines.extend(_wrap(style, f"- {item}", column))
    return tuple(lines)


def _cells_height(cells: dict[str, tuple[str, ...]], style: TextStyle) -> int:
    return max((len(lines) for lines in cells.values()), default=1) * style.line_um + 2 * PAD_Y + ROW_SLACK


def _step_cells(step: Langkah, columns: dict[str, Column]) -> dict[str, tuple[str, ...]]:
    cells = {
        "no": (f"{step.number}.",),
        "uraian": _wrap(BODY, step.uraian, columns["uraian"]),
        "kelengkapan": _list_lines(BODY, step.kelengkapan, columns["kelengkapan"]),
        "waktu": _waktu_lines(BODY, step.waktu.as_written(), columns["waktu"]) if step.waktu else (),
        "output": _wrap(BODY, step.output, columns["output"]) if step.output else (),
        "keterangan": _wrap(BODY, step.keterangan, columns["keterangan"]) if step.keterangan else (),
    }
    return {key: lines for key, lines in cells.items() if lines}


HEADING_SIZES = (8, 7.5, 7, 6.5, 6)  # a title shrinks rather than break a word across lines


@dataclass(frozen=True)
class HeaderCell:
    lines: tuple[str, ...]
    size_pt: float

    @property
    def height(self) -> int:
        return len(self.lines) * TextStyle(self.size_pt, bold=True).line_um


def _header_cell(title: str, column: Column) -> HeaderCell:
    room = column.width - 2 * PAD_X - WRAP_SLACK
    for size in HEADING_SIZES:
        style = TextStyle(size, bold=True)
        if all(style.width(word) <= room for word in title.split()):
            break
    return HeaderCell(tuple(style.wrap(title, room)), size)


def _header(columns: tuple[Column, ...]) -> tuple[tuple[int, int], dict[str, HeaderCell]]:
    by_key = {c.key: c for c in columns}
    top = {"pelaksana": HeaderCell(("Pelaksana",), 8), "mutu_baku": HeaderCell(("Mutu Baku",), 8)}
    second = {c.key: _header_cell(c.title, c) for c in columns if c.is_actor}
    second.update({key: _header_cell(title, by_key[key]) for key, title in QUALITY_TITLES})
    spanning = {key: _header_cell(title, by_key[key]) for key, title in SPANNING_TITLES}
    top_height = HEADING.line_um + 2 * PAD_Y + ROW_SLACK
    # WeasyPrint grows the last row a spanning cell covers to that cell's whole content height,
    # so the second row alone must hold the cells spanning both rows
    second_height = max(cell.height for cell in (*second.values(), *spanning.values())) + 2 * PAD_Y + ROW_SLACK
    return (top_height, second_height), {**top, **second, **spanning}


def plan_layout(sop: Sop) -> LayoutPlan:
    setup = sop.office.tata_letak
    width, height = PAPER[setup.kertas]
    margins = (MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM, MARGIN_LEFT)
    table_width = width - MARGIN_LEFT - MARGIN_RIGHT
    columns = column_widths(sop, table_width, BODY, HEADING, 2 * PAD_X + WRAP_SLACK)
    by_key = {c.key: c for c in columns}
    header_heights, header_cells = _header(columns)
    content_height = height - MARGIN_TOP - MARGIN_BOTTOM - PAGE_SAFETY

    step_rows = []
    for step in sop.langkah:
        cells = _step_cells(step, by_key)
        minimum = MIN_DECISION_ROW if step.symbol is Symbol.DECISION else MIN_STEP_ROW
        step_rows.append((step, cells, max(minimum, _cells_height(cells, BODY)), minimum))
    total_cells = {"label": ("Jumlah Waktu",),
                   "waktu": _waktu_lines(HEADING, sop.total_waktu.format(), by_key["waktu"])}
    total_height = _cells_height(total_cells, HEADING)

    pages_of_rows = _paginate(step_rows, total_height, content_height, sum(header_heights), setup.ulang_judul_tabel)
    page_of = {part.step.number: index for index, parts in enumerate(pages_of_rows) for part in parts
               if part.kind == "step"}
    connectors = connector_pairs(sop, page_of)
    lanes = [c for c in columns if c.is_actor]
    pages = []
    for index, parts in enumerate(pages_of_rows):
        rows = _page_rows(index, len(pages_of_rows), parts, total_cells, total_height)
        diagram_rows = [row for row in rows if row.kind != "total"]
        flow = page_flow(sop, diagram_rows, [Column(c.key, c.title, c.x - lanes[0].x, c.width) for c in lanes],
                         connectors, index, len(pages_of_rows))
        pages.append(FlowPage(index + 1, tuple(rows), flow.nodes, flow.arrows, setup.ulang_judul_tabel or index == 0,
                              flow.labels))
    return LayoutPlan(setup.kertas, width, height, margins, columns, header_heights, header_cells, tuple(pages))


@dataclass(frozen=True)
class _Part:
    """A step's row on a page, or, when it is taller than a page, one of its parts."""

    step: Langkah
    cells: dict[str, tuple[str, ...]]
    height: int
    kind: str  # "step" (holds the symbol) or "continuation"


def _paginate(step_rows, total_height, content_height, header_height, repeat_header) -> list[list[_Part]]:
    """Rows onto pages in order. A row that fits on no page is split: its text continues in the
    same columns on the next page, marked, the symbol staying in the first part."""
    pages: list[list[_Part]] = [[]]
    fresh = (header_height if repeat_header else 0) + CONNECTOR_BAND
    used = header_height
    for index, (step, cells, row_height, minimum) in enumerate(step_rows):
        tail = total_height if index == len(step_rows) - 1 else CONNECTOR_BAND  # what must fit below
        if pages[-1] and used + row_height + tail > content_height >= fresh + row_height + tail:
            pages.append([])
            used = fresh
        if used + row_height + tail <= content_height:
            pages[-1].append(_Part(step, cells, row_height, "step"))
            used += row_height
            continue
        kind, rest = "step", cells
        while True:
            floor = minimum if kind == "step" else 0
            room = content_height - used - CONNECTOR_BAND  # below a part that continues: the band
            fit = (room - 2 * PAD_Y - ROW_SLACK) // BODY.line_um
            if pages[-1] and (room < floor or fit < 1):
                pages.append([])
                used = fresh
                continue
            last = max(floor, _cells_height(rest, BODY))
            if used + last + tail <= content_height or fit < 1:  # the rest fits here (or nothing ever will)
                pages[-1].append(_Part(step, rest, last, kind))
                used += last
                break
            take = max(1, min(fit, max(len(lines) for lines in rest.values()) - 1))
            part = {key: lines[:take] for key, lines in rest.items() if lines[:take]}
            rest = {key: lines[take:] for key, lines in rest.items() if lines[take:]}
            height = max(floor, _cells_height(part, BODY))
            pages[-1].append(_Part(step, part, height, kind))
            pages.append([])
            used = fresh
            kind = "continuation"
            rest = {**rest, "uraian": (CONTINUED, *rest.get("uraian", ()))}
    return pages


def _page_rows(index, page_count, parts, total_cells, total_height) -> list[Row]:
    """The rows of one page, top down: the connector band above (after page 1), the steps, then
    the connector band below or, on the last page, the total."""
    rows: list[Row] = []
    y = 0
    if index > 0:
        rows.append(Row("band-top", y, CONNECTOR_BAND))
        y += CONNECTOR_BAND
    for part in parts:
        rows.append(Row(part.kind, y, part.height, part.step.number, part.cells))
        y += part.height
    if index < page_count - 1:
        rows.append(Row("band-bottom", y, CONNECTOR_BAND))
    else:
        rows.append(Row("total", y, total_height, None, total_cells))
    return rows
