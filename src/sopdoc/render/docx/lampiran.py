"""The lampiran as DOCX: real Word tables with editable text, drawn from the same layout plan as
the PDF (column widths, row heights, line breaks, pages), and the diagram of each page as native
Word shapes over the table's actor cells (whose borders draw the lanes and rows): one group per
page, placed on the page where the plan puts each symbol, arrow and label.
"""

from __future__ import annotations

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from sopdoc.render.docx.wordml import (
    EMU_PER_TWIP, add_field, cant_split, cell_grid, emu, exact_lines, fixed_layout, mark_header_row,
    save_reproducibly, set_font, set_paragraph_style, set_run, span_cells, table_borders,
    twips, word_2013_layout,
)
from sopdoc.render.docx.drawingml import (
    ArrowShape, DrawingIds, Shape, ShapeText, SymbolShape, TextShape, add_drawing, add_watermark, grouped,
)
from sopdoc.layout.geometry import FlowPage
from sopdoc.layout.plan import BODY, PAD_X, PAD_Y, LayoutPlan
from sopdoc.model import Sop
from sopdoc.render.content import (
    draft_mark, identity_grid, identity_rows, lampiran_heading, office_address, running_header,
)
from sopdoc.layout.textmetrics import FONT_FAMILY, TextStyle, mm

# The flowchart table's body text: the plan's line height, exactly (one style, not per paragraph)
PLAN_LINES_STYLE = "SOPBaris"
NODE_TEXT_PT = 7  # a symbol's text (connector letter), as the PDF's diagram prints it
TINY_PT = 1  # the paragraph between tables, and the one that opens a flowchart page


def setup_styles(doc, body: TextStyle = BODY) -> None:
    """Document-wide styles and layout: the body font for every script, the flowchart's exact
    lines, and Word 2013 table placement (where the shapes expect the lanes). `body`: the plan's
    body text, which is BODY in every plan: so every lampiran has the same styles, and a bundle
    set up with them holds any lampiran's body as it is. `doc` is new: nothing is set up twice."""
    word_2013_layout(doc)
    normal = doc.styles["Normal"]
    set_font(normal, FONT_FAMILY, body.size_pt)
    normal.paragraph_format.space_after = 0
    plan_lines = doc.styles.add_style(PLAN_LINES_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    plan_lines.base_style = normal
    exact_lines(plan_lines, body.size_pt * body.line_height)


def mark_every_page(section, mark: str | None, ids: DrawingIds) -> None:
    """The draft mark in each header of `section` (its first page's too), so that it is on
    every page, as Word's watermarks are."""
    if mark is None:
        return
    headers = [section.header] + ([section.first_page_header] if section.different_first_page_header_footer else [])
    for header in headers:
        add_watermark(header.paragraphs[0], mark, section.page_width, section.page_height, ids)


class LampiranWriter:
    """Writes one lampiran into its own document, `doc`. A Keputusan's bundle imports that
    document as it is (`bundle.py`): its numbering and draft mark are made for the bundle there."""

    def __init__(self, doc, sop: Sop, plan: LayoutPlan) -> None:
        self.sop, self.plan = sop, plan
        self.doc = doc
        self.ids = DrawingIds(doc)
        self.line_pt = plan.body.size_pt * plan.body.line_height

    # -- paragraphs -------------------------------------------------------------------------
    def _text(self, paragraph, text: str, *, bold: bool = False, size: float | None = None) -> None:
        set_run(paragraph.add_run(text), size, bold)

    def _lines(self, cell, lines, *, bold=False, align=None, size: float | None = None) -> None:
        """The plan's wrapped lines as one paragraph with line breaks: Word does not re-wrap them."""
        paragraph = cell.paragraphs[0]
        if size:
            exact_lines(paragraph, size * self.plan.body.line_height)
        else:
            set_paragraph_style(paragraph, PLAN_LINES_STYLE)
        if align is not None:
            paragraph.alignment = align
        for index, line in enumerate(lines):
            run = paragraph.add_run(line)
            set_run(run, size, bold)
            if index < len(lines) - 1:
                run.add_break()

    def _header(self, cell, header) -> None:
        self._lines(cell, header.lines, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=header.size_pt)
        cell.vertical_alignment = 1  # center

    def _tiny_paragraph(self, page_break: bool = False):
        """A 1 pt paragraph: between tables Word needs one, and it must not take a text line.
        With `page_break` it starts a page, whole: "page break before", not a break inside it,
        whose remainder on the new page LibreOffice 7.4 makes no line high when empty and a
        whole text line (3.7 mm) once it holds the page's shapes."""
        paragraph = self.doc.add_paragraph()
        exact_lines(paragraph, TINY_PT)
        set_run(paragraph.add_run(), TINY_PT)
        paragraph.paragraph_format.page_break_before = page_break or None
        return paragraph

    # -- document ---------------------------------------------------------------------------
    def write(self, section) -> None:
        """Set up `section` (the document's only one) for this lampiran and write its pages."""
        setup_styles(self.doc, self.plan.body)
        self._setup_section(section)
        mark_every_page(section, draft_mark(self.sop), self.ids)
        self._identity()
        for page in self.plan.pages:
            # the shapes hang from the paragraph that starts the page, placed on the page itself:
            # anchored in a table cell, Word 2013+ and LibreOffice would lay them out in that cell
            opening = self._tiny_paragraph(page_break=True)
            shapes = self._diagram(page)
            if shapes:
                add_drawing(opening, grouped(shapes, self.ids, f"Diagram alir {page.number}"))
            self._flow_page(page)

    def _setup_section(self, section) -> None:
        plan = self.plan
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = emu(plan.page_width), emu(plan.page_height)
        top, right, bottom, left = plan.margins
        section.top_margin, section.right_margin = emu(top), emu(right)
        section.bottom_margin, section.left_margin = emu(bottom), emu(left)
        section.header_distance, section.footer_distance = emu(mm(7)), emu(mm(7))
        section.different_first_page_header_footer = True
        header = section.header.paragraphs[0]
        self._text(header, running_header(self.sop), size=7.5)
        for footer in (section.footer, section.first_page_footer):
            paragraph = footer.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            self._text(paragraph, "Halaman ")
            add_field(paragraph, "PAGE", "1")
            self._text(paragraph, " dari ")
            # a bundle makes it SECTIONPAGES, for which LibreOffice shows the cached value: the plan knows it
            add_field(paragraph, "NUMPAGES", str(1 + len(plan.pages)))
        # the first page's header is its own, empty (a draft's mark goes in it): a bundle imports
        # this document's headers as they are, and inherits none from the section before
        section.first_page_header.is_linked_to_previous = False

    def _table(self, rows: int, widths: list[int], borders: bool = True):
        table = self.doc.add_table(rows=rows, cols=len(widths))
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        fixed_layout(table, widths, PAD_X, PAD_Y)
        table_borders(table, 6 if borders else 0)
        return table

    def _identity(self) -> None:
        """The first page: the lampiran heading (when attached), the identity table, the grid."""
        self._lampiran_heading()
        self._identity_table()
        self._identity_grid()

    def _lampiran_heading(self) -> None:
        width = self.plan.table_width
        heading = lampiran_heading(self.sop)
        if heading is not None:
            block = self._table(4, [width - mm(120), mm(20), mm(100)], borders=False)
            rows = [
                ("", "", f"LAMPIRAN {heading.nomor} KEPUTUSAN {heading.jabatan.upper()}"),
                ("", "NOMOR", f": {heading.nomor_keputusan}"),
                ("", "TANGGAL", f": {heading.tanggal}"),
                ("", "TENTANG", f": {heading.tentang.upper()}"),
            ]
            for row, texts in zip(cell_grid(block), rows):
                for cell, text in zip(row, texts):
                    self._text(cell.paragraphs[0], text, size=8.5)
            self._tiny_paragraph()

    def _identity_table(self) -> None:
        sop = self.sop
        widths = list(self.plan.identity_widths)
        rows = identity_rows(sop)
        table = self._table(len(rows), widths)
        cells = cell_grid(table)
        kop = cells[0][0]
        kop.vertical_alignment = 1  # center
        lines = [sop.office.pemerintah.upper(), sop.office.nama.upper()]
        if sop.unit:
            lines.append(sop.unit.upper())
        paragraph = kop.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if sop.office.logo is not None:
            self.ids.picture_added(paragraph.add_run().add_picture(str(sop.office.logo), height=emu(mm(22))))
            paragraph.add_run().add_break()
        for index, line in enumerate(lines):
            self._text(paragraph, line, bold=True, size=8.5)
            if index < len(lines) - 1:
                paragraph.runs[-1].add_break()
        for line in office_address(sop.office):
            extra = kop.add_paragraph()
            extra.alignment = WD_ALIGN_PARAGRAPH.CENTER
            self._text(extra, line, size=7.5)

        for row, entry in zip(cells, rows):
            self._text(row[1].paragraphs[0], entry.label, size=8.5)
            cell = row[2].paragraphs[0]
            texts, bold = [entry.value], {0} if entry.emphasis else set()
            if entry.signature is not None:
                block = entry.signature
                texts = [block.jabatan, "", "", "", block.nama or "." * 40, *filter(None, (block.pangkat, block.nip))]
                bold = {4}
            for index, text in enumerate(texts):
                self._text(cell, text, size=8.5, bold=index in bold)
                if index < len(texts) - 1:
                    cell.runs[-1].add_break()
        span_cells(cells, 0, 0, len(rows) - 1, 0, widths)

    def _identity_grid(self) -> None:
        sections = identity_grid(self.sop)
        grid = cell_grid(self._table(2 * len(sections), list(self.plan.grid_widths)))
        for index, pair in enumerate(sections):
            for column, section in enumerate(pair):
                self._text(grid[2 * index][column].paragraphs[0], f"{section.title}:", bold=True)
                items = section.items
                cell = grid[2 * index + 1][column]
                texts = [f"{n}. {item}" for n, item in enumerate(items, 1)] if len(items) > 1 else list(items) or ["-"]
                for number, text in enumerate(texts):
                    paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
                    self._text(paragraph, text)

    def _flow_page(self, page: FlowPage) -> None:
        plan = self.plan
        keys = [c.key for c in plan.columns]
        header_rows = 2 if page.show_header else 0
        widths = [c.width for c in plan.columns]
        table = self._table(header_rows + len(page.rows), widths)
        # python-docx recomputes the whole grid on every cell lookup: take the cells once,
        # fill them, and merge last
        grid = cell_grid(table)
        actor_first = keys.index(plan.actor_columns[0].key)
        actor_last = keys.index(plan.actor_columns[-1].key)
        merges = []
        center = WD_ALIGN_PARAGRAPH.CENTER

        if page.show_header:
            for row, height in zip(table.rows[:2], plan.header_heights):
                row.height, row.height_rule = emu(height), WD_ROW_HEIGHT_RULE.EXACTLY
                mark_header_row(row)
                cant_split(row)
            for key in ("no", "uraian", "keterangan"):
                index = keys.index(key)
                self._header(grid[0][index], plan.header_cells[key])
                merges.append(((0, index), (1, index)))
            for key, first, last in (("pelaksana", actor_first, actor_last),
                                     ("mutu_baku", actor_last + 1, actor_last + 3)):
                self._header(grid[0][first], plan.header_cells[key])
                merges.append(((0, first), (0, last)))
            for index in range(actor_first, actor_last + 4):
                self._header(grid[1][index], plan.header_cells[keys[index]])

        for offset, row_plan in enumerate(page.rows):
            number = header_rows + offset
            row = table.rows[number]
            row.height, row.height_rule = emu(row_plan.height), WD_ROW_HEIGHT_RULE.EXACTLY
            cant_split(row)
            if row_plan.kind == "total":
                self._lines(grid[number][0], row_plan.cells["label"], bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
                self._lines(grid[number][actor_last + 2], row_plan.cells["waktu"], bold=True)
                merges.append(((number, 0), (number, actor_last + 1)))
                continue
            for key, lines in row_plan.cells.items():
                self._lines(grid[number][keys.index(key)], lines, align=center if key == "no" else None)

        for (top, left), (bottom, right) in merges:
            span_cells(grid, top, left, bottom, right, widths)
        self._tiny_paragraph()

    # -- diagram ----------------------------------------------------------------------------
    def _diagram(self, page: FlowPage) -> list[Shape]:
        """The page's flowchart as shapes on the page, bottom up as the PDF draws them: arrows,
        the symbols over their ends, then the branch labels."""
        place = _Placement(self.plan, page)
        shapes: list[Shape] = []
        for line in page.arrows:
            shapes.append(ArrowShape(tuple(place.point(x, y) for x, y in line.points)))
        for node in page.nodes:
            x, y = place.point(node.cx, node.cy)
            width, height = emu(node.width), emu(node.height)
            text = ShapeText(node.label, NODE_TEXT_PT, FONT_FAMILY) if node.label else None
            shapes.append(SymbolShape(node.shape, x - width // 2, y - height // 2, width, height, text))
        for branch in page.labels:
            (x0, y0), (x1, y1) = place.point(branch.x0, branch.y0), place.point(branch.x1, branch.y1)
            shapes.append(TextShape(x0, y0, x1 - x0, y1 - y0, ShapeText(branch.text, branch.size_pt, FONT_FAMILY)))
        return shapes


class _Placement:
    """Where the diagram coordinates of a page land on the DOCX page, in EMU. The table's left
    edge is the margin (Word 2013 layout, no indent); its top is below the 1 pt paragraph that
    opens the page. It stores its rows and columns in whole twips, so a point keeps its offset
    inside its own row and column, wherever the rounding put their edges."""

    def __init__(self, plan: LayoutPlan, page: FlowPage) -> None:
        before_diagram = [c for c in plan.columns if c.x < plan.diagram_x]
        left = emu(plan.margins[3]) + sum(twips(c.width) for c in before_diagram) * EMU_PER_TWIP
        top = emu(plan.margins[0]) + Pt(TINY_PT)
        if page.show_header:
            top += sum(twips(height) for height in plan.header_heights) * EMU_PER_TWIP
        self.columns = _segments([(c.x - plan.diagram_x, c.width) for c in plan.actor_columns], left)
        self.rows = _segments([(row.y, row.height) for row in page.rows], top)

    def point(self, x: int, y: int) -> tuple[int, int]:
        return _along(self.columns, x), _along(self.rows, y)


def _segments(spans: list[tuple[int, int]], origin: int) -> list[tuple[int, int, int]]:
    """(start µm, size µm, start EMU) of each span, the EMU edges in whole twips from `origin`."""
    out, position = [], origin
    for start, size in spans:
        out.append((start, size, position))
        position += twips(size) * EMU_PER_TWIP
    return out


def _along(segments: list[tuple[int, int, int]], value: int) -> int:
    start, _, at = next((s for s in segments if value < s[0] + s[1]), segments[-1])
    return at + emu(value - start)


CORE_PROPERTY_LIMIT = 255  # characters: Word's (and python-docx's) limit for title, author, subject


def _core_property(text: str) -> str:
    """The text whole when it fits; else cut, marked by an ellipsis (the document shows it whole)."""
    return text if len(text) <= CORE_PROPERTY_LIMIT else text[:CORE_PROPERTY_LIMIT - 1] + "\N{HORIZONTAL ELLIPSIS}"


def set_core_properties(doc, title: str, author: str, subject: str) -> None:
    properties = doc.core_properties
    properties.title, properties.author = _core_property(title), _core_property(author)
    properties.subject = _core_property(subject)
    properties.language = "id-ID"


def render_lampiran_docx(sop: Sop, plan: LayoutPlan) -> bytes:
    doc = Document()
    LampiranWriter(doc, sop, plan).write(doc.sections[0])
    set_core_properties(doc, f"{sop.nomor} {sop.nama}", sop.office.nama, "Standar Operasional Prosedur")
    return save_reproducibly(doc, sop.tanggal_revisi or sop.tanggal_efektif)
