"""The layout plan: every length of the flowchart pages, computed once, in integer micrometres.

Both renderers (HTML -> PDF and DOCX) and the diagram draw from this plan, so they agree:
column widths, each row's height (from its text wrapped with the real font metrics), which
rows go on which page, where each symbol sits (its actor's column, its row), each arrow, and
the off-page connector pairs where the flow crosses a page break. No I/O here.
"""

from __future__ import annotations

from dataclasses import dataclass

from sopdoc.diagnostics import Location
from sopdoc.errors import SopdocError
from sopdoc.model import Sop, Langkah, Symbol
from sopdoc.layout.flowchart import CONNECTOR_BAND, connector_pairs, connector_symbols, step_symbols
from sopdoc.layout.geometry import Column, FlowPage, Row
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

# Share of the table width of the fixed columns, in per-mille; the actor columns share the rest.
FIXED_COLUMNS = (("no", "No", 35), ("uraian", "Uraian Kegiatan", 205))
QUALITY_COLUMNS = (("kelengkapan", "Kelengkapan", 120), ("waktu", "Waktu", 70), ("output", "Output", 115))
REMARK_COLUMN = ("keterangan", "Keterangan", 70)
# Identity table: letterhead | label | value, in per-mille of the table width
IDENTITY_SPLIT = (450, 180, 370)

# Kept free at the foot of every flowchart page: borders, the header's rounding and the 1 pt
# paragraph Word needs between tables must never push a planned row onto the next page.
PAGE_SAFETY = mm(4)
MIN_STEP_ROW = mm(12)
MIN_DECISION_ROW = mm(15)


class LayoutError(SopdocError):
    """The SOP cannot be laid out (a row taller than a page), said at the step's place."""

    def __init__(self, location: Location, message: str, hint: str) -> None:
        self.location, self.message, self.hint = location, message, hint
        where = f"{location.display_path()}:{location.line}:{location.col}"
        super().__init__(f"{where}: {message}; {hint}")


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


def _columns(sop: Sop, table_width: int) -> tuple[Column, ...]:
    fixed = FIXED_COLUMNS + QUALITY_COLUMNS + (REMARK_COLUMN,)
    fixed_width = {key: table_width * share // 1000 for key, _, share in fixed}
    actor_total = table_width - sum(fixed_width.values())
    actor_widths = [actor_total // len(sop.pelaksana)] * len(sop.pelaksana)
    actor_widths[-1] += actor_total - sum(actor_widths)  # the remainder keeps the total exact
    specs = [(key, title, fixed_width[key]) for key, title, _ in FIXED_COLUMNS]
    specs += [(f"actor:{a.key}", a.title, w) for a, w in zip(sop.pelaksana, actor_widths)]
    specs += [(key, title, fixed_width[key]) for key, title, _ in QUALITY_COLUMNS + (REMARK_COLUMN,)]
    columns, x = [], 0
    for key, title, width in specs:
        columns.append(Column(key, title, x, width))
        x += width
    return tuple(columns)


def _wrap(style: TextStyle, text: str, column: Column) -> tuple[str, ...]:
    return tuple(style.wrap(text, column.width - 2 * PAD_X - WRAP_SLACK))


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
        "waktu": _wrap(BODY, step.waktu.as_written(), columns["waktu"]) if step.waktu else (),
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
    second.update({key: _header_cell(title, by_key[key]) for key, title, _ in QUALITY_COLUMNS})
    spanning = {key: _header_cell(title, by_key[key]) for key, title, _ in FIXED_COLUMNS + (REMARK_COLUMN,)}
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
    columns = _columns(sop, table_width)
    by_key = {c.key: c for c in columns}
    header_heights, header_cells = _header(columns)
    content_height = height - MARGIN_TOP - MARGIN_BOTTOM - PAGE_SAFETY

    step_rows = []
    for step in sop.langkah:
        cells = _step_cells(step, by_key)
        minimum = MIN_DECISION_ROW if step.symbol is Symbol.DECISION else MIN_STEP_ROW
        step_rows.append((step, cells, max(minimum, _cells_height(cells, BODY))))
    total_cells = {"label": ("Jumlah Waktu",), "waktu": _wrap(HEADING, sop.total_waktu.format(), by_key["waktu"])}
    total_height = _cells_height(total_cells, HEADING)

    pages_of_rows = _paginate(step_rows, total_height, content_height, sum(header_heights),
                              setup.ulang_judul_tabel, sop)
    page_of = {step.number: index for index, rows in enumerate(pages_of_rows) for step, _, _ in rows}
    pages = []
    connectors = connector_pairs(sop, page_of)
    for index, rows in enumerate(pages_of_rows):
        pages.append(_flow_page(index, len(pages_of_rows), rows, sop, by_key, connectors,
                                setup.ulang_judul_tabel or index == 0, total_cells, total_height))
    return LayoutPlan(setup.kertas, width, height, margins, columns, header_heights, header_cells, tuple(pages))


def _paginate(step_rows, total_height, content_height, header_height, repeat_header, sop):
    pages: list[list] = [[]]
    used = header_height
    for index, (step, cells, row_height) in enumerate(step_rows):
        is_last = index == len(step_rows) - 1
        # room for this row, the continuation band below it (unless last), the total row (if last)
        need = row_height + (total_height if is_last else CONNECTOR_BAND)
        fresh_page = (header_height if repeat_header else 0) + CONNECTOR_BAND
        if pages[-1] and used + need > content_height:
            pages.append([])
            used = fresh_page
        if used + need > content_height:
            raise LayoutError(step.location or Location(sop.source), f"langkah {step.number} terlalu panjang "
                              "untuk satu halaman", "persingkat uraian, kelengkapan atau keterangannya")
        pages[-1].append((step, cells, row_height))
        used += row_height
    return pages


def _flow_page(index, page_count, rows_in, sop, by_key, connectors, show_header, total_cells, total_height):
    actor_x0 = next(c.x for c in by_key.values() if c.is_actor)
    column_of = {a.key: by_key[f"actor:{a.key}"] for a in sop.pelaksana}
    rows, row_of = _page_rows(index, page_count, rows_in, total_cells, total_height)
    page_steps = set(row_of)
    nodes, arrows = step_symbols(sop, row_of, column_of, actor_x0)
    connector_nodes, connector_arrows = connector_symbols(sop, connectors, page_steps, rows, index, page_count,
                                                          column_of, by_key, actor_x0)
    return FlowPage(index + 1, tuple(rows), tuple(nodes + connector_nodes), tuple(arrows + connector_arrows),
                    show_header)


def _page_rows(index, page_count, rows_in, total_cells, total_height) -> tuple[list[Row], dict[int, Row]]:
    """The rows of one page, top down: the connector band above (after page 1), the steps, then
    the connector band below or, on the last page, the total."""
    rows: list[Row] = []
    y = 0
    if index > 0:
        rows.append(Row("band-top", y, CONNECTOR_BAND))
        y += CONNECTOR_BAND
    row_of: dict[int, Row] = {}
    for step, cells, height in rows_in:
        row = Row("step", y, height, step.number, cells)
        rows.append(row)
        row_of[step.number] = row
        y += height
    if index < page_count - 1:
        rows.append(Row("band-bottom", y, CONNECTOR_BAND))
    else:
        rows.append(Row("total", y, total_height, None, total_cells))
    return rows, row_of
