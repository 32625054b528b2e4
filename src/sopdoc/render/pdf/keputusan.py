"""The Keputusan as PDF with its lampiran: the decree rendered on its own, then the lampiran
already built for each SOP appended in order, each keeping its own page numbering. Runs in a
worker process, after the SOPs.
"""

from __future__ import annotations

import contextlib
import io

import pikepdf

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
    pages of every lampiran after it, and a bookmark for each part. qpdf (through pikepdf) copies
    the lampiran's objects as they are, four times faster than parsing and rewriting them in Python."""
    with contextlib.ExitStack() as still_open:  # a copied page's streams are read when the bundle is saved
        bundle = still_open.enter_context(pikepdf.open(io.BytesIO(decree)))
        stamps: dict[tuple[float, float], _DraftStamp] = {}
        with bundle.open_outline() as outline:
            outline.root.append(pikepdf.OutlineItem(f"{text.title} Nomor {text.nomor}", 0))
            for sop, data in zip(text.members, lampiran_pdfs):
                start = len(bundle.pages)
                bundle.pages.extend(still_open.enter_context(pikepdf.open(io.BytesIO(data))).pages)
                if text.draft_mark and not sop.is_draft:  # the lampiran is in force, but this bundle is a draft
                    for page in bundle.pages[start:]:
                        size = (float(page.mediabox[2]), float(page.mediabox[3]))
                        if size not in stamps:
                            stamps[size] = _DraftStamp(bundle, _draft_overlay(text, *size), still_open)
                        stamps[size].lay_over(page)
                outline.root.append(pikepdf.OutlineItem(f"Lampiran {sop.lampiran.nomor}: {sop.nama}", start))
        out = io.BytesIO()
        bundle.save(out, deterministic_id=True)
    return out.getvalue()


def _draft_overlay(text: DecreeText, width: float, height: float) -> bytes:
    return write_pdf(render_draft_overlay_html(text.draft_mark, width, height), PdfOptions((), epoch_of(text.tanggal)))


class _DraftStamp:
    """The draft mark of one page size, written once as a form XObject, laid over a page by two
    small content streams shared by every page: `q` before the page's own content, `Q` after it
    and then the mark. (Merging the mark into each page's content would copy it onto every page:
    a draft bundle of 50 lampiran was 2.7 times the size.)"""

    NAME = pikepdf.Name("/SopdocDraf")

    def __init__(self, bundle: pikepdf.Pdf, overlay: bytes, still_open: contextlib.ExitStack) -> None:
        mark = still_open.enter_context(pikepdf.open(io.BytesIO(overlay)))
        self.form = bundle.copy_foreign(mark.pages[0].as_form_xobject())
        self.before = bundle.make_stream(b"q\n")
        self.after = bundle.make_stream(f"\nQ\nq {self.NAME} Do Q\n".encode())

    def lay_over(self, page: pikepdf.Page) -> None:
        contents = page.obj.get("/Contents")
        own = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
        page.obj.Contents = pikepdf.Array([self.before, *own, self.after])
        if "/Resources" not in page.obj:
            page.obj.Resources = pikepdf.Dictionary()
        resources = page.obj.Resources
        if "/XObject" not in resources:
            resources.XObject = pikepdf.Dictionary()
        resources.XObject[self.NAME] = self.form


def render_decree_pdf(text: DecreeText, lampiran_pdfs: list[bytes], public_url: str | None) -> bytes:
    """The whole Keputusan; `lampiran_pdfs`: the members' built PDFs, in lampiran order."""
    return append_lampiran(decree_pdf(text, public_url), text, lampiran_pdfs)
