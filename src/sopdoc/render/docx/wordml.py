"""Small pieces of WordprocessingML that python-docx has no API for, and reproducible saving."""

from __future__ import annotations

import datetime as _dt
import io
import zipfile

from docx.document import Document as DocxDocument
from docx.enum.text import WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Pt
from docx.table import _Cell, _Row

from sopdoc.layout.textmetrics import UM_PER_INCH

EMU_PER_UM = 36  # 914400 EMU per inch / 25400 µm per inch
EMU_PER_TWIP = 635


def emu(um: int) -> Emu:
    return Emu(um * EMU_PER_UM)


def twips(um: int) -> int:
    return round(um * 1440 / UM_PER_INCH)


def set_font(run_or_style, name: str, size_pt: float | None = None, bold: bool | None = None) -> None:
    """Set the font for every script, not only Latin (python-docx sets ascii/hAnsi only)."""
    font = run_or_style.font
    font.name = name
    if size_pt is not None:
        font.size = Pt(size_pt)
    if bold is not None:
        font.bold = bold
    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)


def set_run(run, size_pt: float | None = None, bold: bool | None = None) -> None:
    """Size and weight of one run; the font family comes from the Normal style."""
    if size_pt is not None:
        run.font.size = Pt(size_pt)
    if bold:
        run.font.bold = True


def cell_grid(table) -> list[list[_Cell]]:
    """The table's cells by (row, column), read straight from the XML (before any merge)."""
    return [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]


def span_cells(cells: list[list[_Cell]], top: int, left: int, bottom: int, right: int, widths: list[int]) -> None:
    """Merge the rectangle of `cells` (a grid of w:tc taken before any merge) the way Word stores
    it: one gridSpan cell per row, vMerge down the rows. python-docx's own merge recomputes the
    whole table grid per call, which dominated the writer's time. Only the top-left cell may
    hold text: a merge never drops content."""
    for row in range(top, bottom + 1):
        first = cells[row][left]._tc
        for column in range(left, right + 1):
            tc = cells[row][column]._tc
            if (row, column) != (top, left) and tc.xpath("./w:p/w:r"):
                raise ValueError(f"merged-away cell ({row}, {column}) holds text")
            if column > left:
                tc.getparent().remove(tc)
        if right > left:
            first.grid_span = right - left + 1
            first.width = emu(sum(widths[left:right + 1]))
        if bottom > top:
            first.vMerge = "restart" if row == top else "continue"


def exact_lines(paragraph_or_style, line_pt: float) -> None:
    fmt = paragraph_or_style.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(line_pt)


def add_field(paragraph, instruction: str, cached: str) -> None:
    """A field such as PAGE or NUMPAGES: Word and LibreOffice compute it, others show `cached`."""
    def char(kind: str):
        run = paragraph.add_run()
        fld = OxmlElement("w:fldChar")
        fld.set(qn("w:fldCharType"), kind)
        run._r.append(fld)
        return run

    char("begin")
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run._r.append(text)
    char("separate")
    paragraph.add_run(cached)
    char("end")


def restart_page_numbers(section) -> None:
    """Number this section's pages from 1 (each lampiran of a bundle has its own numbering)."""
    sect_pr = section._sectPr
    for old in sect_pr.findall(qn("w:pgNumType")):
        sect_pr.remove(old)
    numbering = OxmlElement("w:pgNumType")
    numbering.set(qn("w:start"), "1")
    # schema order: pgNumType comes after pgMar/pgSz and before cols/titlePg
    anchor = sect_pr.find(qn("w:cols"))
    if anchor is not None:
        anchor.addprevious(numbering)
    else:
        sect_pr.append(numbering)


def mark_header_row(row: _Row) -> None:
    """Repeat this row at the top of each page the table continues on."""
    row._tr.get_or_add_trPr().insert_element_before(
        OxmlElement("w:tblHeader"), "w:tblCellSpacing", "w:jc", "w:hidden")


def cant_split(row: _Row) -> None:
    row._tr.get_or_add_trPr().insert_element_before(
        OxmlElement("w:cantSplit"), "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden")


# w:tblPr's children in the schema's order (python-docx would append ours after w:tblLook, and
# its own w:tblW would stay beside ours)
TABLE_PROPERTY_ORDER = ("w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
                        "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders",
                        "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")


def _set_table_property(properties, element) -> None:
    """Put `element` in w:tblPr in its schema place, replacing one of the same name."""
    tag = element.tag
    for old in properties.findall(tag):
        properties.remove(old)
    name = next(n for n in TABLE_PROPERTY_ORDER if qn(n) == tag)
    properties.insert_element_before(element, *TABLE_PROPERTY_ORDER[TABLE_PROPERTY_ORDER.index(name) + 1:])


def table_borders(table, size_eighths: int = 6) -> None:
    """Single black borders on every edge of every cell (0.75 pt = 6 eighths of a point)."""
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single" if size_eighths else "nil")
        element.set(qn("w:sz"), str(size_eighths))
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), "000000")
        borders.append(element)
    _set_table_property(table._tbl.tblPr, borders)


def fixed_layout(table, widths: list[int], pad_x: int, pad_y: int) -> None:
    """Fixed column widths, no indent and default cell margins (µm), so Word keeps the plan's
    geometry: with Word 2013 layout (`word_2013_layout`) the table's left edge is the margin."""
    properties = table._tbl.tblPr
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(sum(twips(w) for w in widths)))
    width.set(qn("w:type"), "dxa")
    _set_table_property(properties, width)
    indent = OxmlElement("w:tblInd")
    indent.set(qn("w:w"), "0")
    indent.set(qn("w:type"), "dxa")
    _set_table_property(properties, indent)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    _set_table_property(properties, layout)
    margins = OxmlElement("w:tblCellMar")
    for side, value in (("top", pad_y), ("left", pad_x), ("bottom", 0), ("right", pad_x)):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(twips(value)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    _set_table_property(properties, margins)
    for grid_column, value in zip(table._tbl.tblGrid.gridCol_lst, widths):
        grid_column.w = emu(value)
    for tr in table._tbl.tr_lst:  # straight to the XML: row.cells recomputes the grid each time
        for tc, value in zip(tr.tc_lst, widths):
            tc.width = emu(value)


def word_2013_layout(document: DocxDocument) -> None:
    """Lay the document out as Word 2013 and later do (compatibility mode 15; python-docx's
    template says 14): a table then starts at its indent, not a cell margin left of it, which
    is where the flowchart's shapes, placed on the page, expect its lanes. LibreOffice follows."""
    settings = document.settings.element
    for setting in settings.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")
            return
    compat = settings.find(qn("w:compat"))
    if compat is None:
        raise ValueError("the template's settings have no w:compat")
    setting = OxmlElement("w:compatSetting")
    for key, value in (("w:name", "compatibilityMode"), ("w:uri", "http://schemas.microsoft.com/office/word"),
                       ("w:val", "15")):
        setting.set(qn(key), value)
    compat.append(setting)


def save_reproducibly(document: DocxDocument, when: _dt.date) -> bytes:
    """DOCX bytes that depend only on the content: fixed dates in the core properties and the zip."""
    stamp = _dt.datetime(when.year, when.month, when.day, tzinfo=_dt.timezone.utc)
    properties = document.core_properties
    properties.created = properties.modified = stamp
    properties.last_printed = stamp
    properties.revision = 1
    properties.last_modified_by = "sopdoc"
    raw = io.BytesIO()
    document.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(item.filename))
    return out.getvalue()


def double_rule_below(paragraph) -> None:
    """The letterhead's double rule: a bottom border on its last paragraph."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "double"), ("w:sz", "6"), ("w:space", "4"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def set_paragraph_style(paragraph, style_id: str) -> None:
    """Name the paragraph's style by id, without python-docx's lookup of the style by name."""
    paragraph._p.get_or_add_pPr().style = style_id


WORD_JOINER = "\N{WORD JOINER}"


def unbreakable(text: str) -> str:
    """`text` kept whole on one line (an SOP or decree number such as 'KECJENAWI/YANUM/8/2024',
    which Word breaks after a '/', LibreOffice after a '-'): a word joiner (U+2060, no width, no
    break, Unicode's line-breaking class WJ) after every character a line may break after, no-break
    spaces for spaces. LibreOffice honours it (tests/render/test_decree_text.py); Word is untested."""
    out = []
    for index, char in enumerate(text):
        if char.isspace():
            out.append("\N{NO-BREAK SPACE}")
        else:
            out.append(char)
            if not char.isalnum() and index + 1 < len(text):
                out.append(WORD_JOINER)
    return "".join(out)
