"""The Keputusan as PDF with its lampiran: the decree rendered on its own, then the lampiran
already built for each SOP appended in order, each keeping its own page numbering. Runs in a
worker process, after the SOPs.
"""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, NameObject

from sopdoc.render.content import DecreeText
from sopdoc.layout.plan import PAPER
from sopdoc.render.pdf.writer import PdfOptions, embedded_sources, write_pdf
from sopdoc.render.pdf.html import render_decree_html, render_draft_overlay_html
from sopdoc.reproducible import epoch_of


def decree_pdf(text: DecreeText, public_url: str | None) -> bytes:
    width, height = PAPER[text.office.tata_letak.kertas]  # landscape; the decree is portrait
    options = PdfOptions((text.office.folder,), epoch_of(text.tanggal),
                         embedded=embedded_sources(text.office, text.members),
                         signature_element="ruang-ttd", public_url=public_url,
                         draft=text.draft_mark is not None)
    return write_pdf(render_decree_html(text, height, width), options)


def append_lampiran(decree: bytes, text: DecreeText, lampiran_pdfs: list[bytes]) -> bytes:
    """The decree's PDF (its catalog: PDF/A identification, embedded sources, sopdoc's keys) with the
    pages of every lampiran after it, and a bookmark for each part."""
    writer = PdfWriter(clone_from=io.BytesIO(decree))
    writer.add_outline_item(title=f"{text.title} Nomor {text.nomor}", page_number=0)
    stamps: dict[tuple[float, float], _DraftStamp] = {}
    for sop, data in zip(text.members, lampiran_pdfs):
        start = len(writer.pages)
        writer.append(PdfReader(io.BytesIO(data)), import_outline=False)
        if text.draft_mark and not sop.is_draft:  # the lampiran is in force, but this bundle is a draft
            for page in writer.pages[start:]:
                size = (float(page.mediabox.width), float(page.mediabox.height))
                if size not in stamps:
                    stamps[size] = _DraftStamp(writer, _draft_overlay(text, *size))
                stamps[size].lay_over(page)
        writer.add_outline_item(title=f"Lampiran {sop.lampiran.nomor}: {sop.nama}", page_number=start)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _draft_overlay(text: DecreeText, width: float, height: float):
    html = render_draft_overlay_html(text.draft_mark, width, height)
    return PdfReader(io.BytesIO(write_pdf(html, PdfOptions((), epoch_of(text.tanggal))))).pages[0]


class _DraftStamp:
    """The draft mark of one page size, written once as a form XObject, laid over a page by two
    small content streams shared by every page: `q` before the page's own content, `Q` after it
    and then the mark. (pypdf's merge_page decodes every page's content and copies it into a new,
    uncompressed stream: a draft bundle of 50 lampiran was 2.7 times the size, and slower.)"""

    NAME = NameObject("/SopdocDraf")

    def __init__(self, writer: PdfWriter, overlay) -> None:
        form = DecodedStreamObject()
        form.set_data(overlay.get_contents().get_data())
        form.update({
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(FloatObject(value) for value in overlay.mediabox),
            NameObject("/Resources"): overlay.raw_get("/Resources").clone(writer),
        })
        self.form = writer._add_object(form.flate_encode())
        self.before = writer._add_object(_stream(b"q\n"))
        self.after = writer._add_object(_stream(f"\nQ\nq {self.NAME} Do Q\n".encode()))

    def lay_over(self, page) -> None:
        contents = page.raw_get("/Contents")
        own = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) else [contents]
        page[NameObject("/Contents")] = ArrayObject([self.before, *own, self.after])
        if "/Resources" not in page:
            page[NameObject("/Resources")] = DictionaryObject()
        resources = page["/Resources"]
        if "/XObject" not in resources:
            resources[NameObject("/XObject")] = DictionaryObject()
        resources["/XObject"][self.NAME] = self.form


def _stream(data: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream


def render_decree_pdf(text: DecreeText, lampiran_pdfs: list[bytes], public_url: str | None) -> bytes:
    """The whole Keputusan; `lampiran_pdfs`: the members' built PDFs, in lampiran order."""
    return append_lampiran(decree_pdf(text, public_url), text, lampiran_pdfs)
