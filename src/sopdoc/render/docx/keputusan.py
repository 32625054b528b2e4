"""The Keputusan as DOCX, with every lampiran after it as its own landscape section: one file an
office can open, review and print. The decree's text is the same DecreeText the PDF renders.
"""

from __future__ import annotations

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from sopdoc.render.content import DecreeText, draft_mark, office_address
from sopdoc.render.docx.wordml import (
    add_field, cell_grid, double_rule_below, emu, fixed_layout, save_reproducibly, set_font, set_run,
    table_borders, unbreakable,
)
from sopdoc.layout.plan import PAPER
from sopdoc.render.docx.bundle import Bundle
from sopdoc.render.docx.drawingml import DrawingIds
from sopdoc.render.docx.lampiran import mark_every_page, set_core_properties, setup_styles
from sopdoc.layout.textmetrics import FONT_FAMILY, mm

BODY_PT = 11
# label | ":" | mark | text, as in the PDF's table.pasal
PASAL_WIDTHS = (mm(28), mm(4), mm(7))


class DecreeWriter:
    def __init__(self, doc, text: DecreeText) -> None:
        self.doc, self.text = doc, text

    def _paragraph(self, text: str = "", *, bold=False, size=BODY_PT, align=None, space_after=0):
        paragraph = self.doc.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(space_after)
        if align is not None:
            paragraph.alignment = align
        if text:
            set_run(paragraph.add_run(text), size, bold)
        return paragraph

    def write(self, section) -> None:
        width, height = PAPER[self.text.office.tata_letak.kertas]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = emu(height), emu(width)
        section.top_margin, section.right_margin = emu(mm(15)), emu(mm(20))
        section.bottom_margin, section.left_margin = emu(mm(20)), emu(mm(25))
        self.content_width = height - mm(45)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        set_run(footer.add_run("Halaman "), 8)
        add_field(footer, "PAGE", "1")
        set_run(footer.add_run(" dari "), 8)
        add_field(footer, "SECTIONPAGES", "1")
        self._letterhead()
        self._title()
        self._pasal([("Menimbang", self.text.menimbang), ("Mengingat", self.text.mengingat)])
        self._paragraph("MEMUTUSKAN:", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6)
        self._diktum()
        self._signature()

    def _letterhead(self) -> None:
        office = self.text.office
        center = WD_ALIGN_PARAGRAPH.CENTER
        if office.logo is not None:
            self._paragraph(align=center).add_run().add_picture(str(office.logo), height=emu(mm(20)))
        self._paragraph(office.pemerintah.upper(), bold=True, size=13, align=center)
        self._paragraph(office.nama.upper(), bold=True, size=16, align=center)
        last = None
        for line in office_address(office):
            last = self._paragraph(line, size=9, align=center)
        double_rule_below(last or self.doc.paragraphs[-1])

    def _title(self) -> None:
        text, center = self.text, WD_ALIGN_PARAGRAPH.CENTER
        self._paragraph()
        for line in (text.title, f"NOMOR {unbreakable(text.nomor)}", "TENTANG", text.tentang.upper()):
            self._paragraph(line, bold=True, align=center)
        self._paragraph()
        self._paragraph(f"{text.signature.jabatan},", bold=True, align=center, space_after=8)

    def _table(self, rows: int, widths: list[int]):
        table = self.doc.add_table(rows=rows, cols=len(widths))
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        fixed_layout(table, widths, 0, 0)
        table_borders(table, 0)
        return cell_grid(table)

    def _cell_text(self, cell, text: str, *, justify=False, bold=False) -> None:
        paragraph = cell.paragraphs[0]
        paragraph.paragraph_format.space_after = Pt(3)
        if justify:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        set_run(paragraph.add_run(text), BODY_PT, bold)

    def _pasal(self, groups) -> None:
        label_w, colon_w, mark_w = PASAL_WIDTHS
        for label, items in groups:
            cells = self._table(len(items), [label_w, colon_w, mark_w, self.content_width - label_w - colon_w - mark_w])
            for row, (mark, item) in zip(cells, items):
                if row is cells[0]:
                    self._cell_text(row[0], label)
                    self._cell_text(row[1], ":")
                self._cell_text(row[2], f"{mark}.")
                self._cell_text(row[3], item, justify=True)
            self._paragraph(space_after=4)

    def _diktum(self) -> None:
        label_w, colon_w, _ = PASAL_WIDTHS
        text_w = self.content_width - label_w - colon_w
        # Menetapkan, one line or two of capitals, is left-aligned: justified, its gaps stretch wide
        entries = [("Menetapkan", self.text.menetapkan, (), False)]
        entries += [(item.ordinal, item.text, item.lampiran, True) for item in self.text.diktum]
        cells = self._table(len(entries), [label_w, colon_w, text_w])
        for row, (label, body, listed, justify) in zip(cells, entries):
            self._cell_text(row[0], label)
            self._cell_text(row[1], ":")
            self._cell_text(row[2], body, justify=justify)
            for number, entry in enumerate(listed, 1):
                paragraph = row[2].add_paragraph()
                paragraph.paragraph_format.left_indent = emu(mm(7))
                paragraph.paragraph_format.first_line_indent = -emu(mm(7))
                paragraph.paragraph_format.space_after = Pt(2)
                set_run(paragraph.add_run(f"{number}.\t{entry.nama} (Lampiran {entry.nomor}, "
                                          f"Nomor SOP {unbreakable(entry.nomor_sop)})"), BODY_PT)

    def _signature(self) -> None:
        text, block = self.text, self.text.signature
        block_width = mm(80)
        cells = self._table(1, [self.content_width - block_width, block_width])
        cell = cells[0][1]
        # the colons line up on a tab stop; a blank name is a dotted line, nothing else on it
        lines = [(f"Ditetapkan di\t: {text.place}", False), (f"pada tanggal\t: {text.date}", False), ("", False),
                 (f"{block.jabatan},", True), ("", False), ("", False), ("", False), ("", False),
                 (block.nama or "." * 40, True)]
        lines += [(extra, False) for extra in (block.pangkat, block.nip) if extra]
        for index, (line, bold) in enumerate(lines):
            paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
            if index == 0:
                paragraph.paragraph_format.space_before = Pt(22)  # as the PDF's 8 mm above the block
            if index < 2:
                paragraph.paragraph_format.tab_stops.add_tab_stop(emu(mm(25)))
            if line:
                run = paragraph.add_run(line)
                set_run(run, BODY_PT, bold)
                if bold and line == block.nama:
                    run.font.underline = True


def render_bundle_docx(text: DecreeText, lampiran_docx: list[bytes]) -> bytes:
    """The decree, then every lampiran as a landscape section with its own page numbers.
    `lampiran_docx`: the members' built DOCX, in lampiran order, imported as they are
    (`bundle.py`): no member is laid out again."""
    doc = Document()
    if text.members:
        setup_styles(doc)  # the lampiran's own, the same for every one
    set_font(doc.styles["Normal"], FONT_FAMILY)
    DecreeWriter(doc, text).write(doc.sections[0])
    ids = DrawingIds(doc)  # one count of drawing ids for every lampiran
    mark_every_page(doc.sections[0], text.draft_mark, ids)
    bundle = Bundle(doc, ids)
    for sop, lampiran in zip(text.members, lampiran_docx, strict=True):
        # a draft lampiran carries the mark already; one in force gets it in a draft bundle
        bundle.append(lampiran, text.draft_mark if draft_mark(sop) is None else None)
    set_core_properties(doc, f"{text.title} Nomor {text.nomor}", text.office.nama,
                        f"Tentang {text.tentang}")
    return save_reproducibly(doc, text.tanggal)
