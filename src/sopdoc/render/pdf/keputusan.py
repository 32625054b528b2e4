"""The Keputusan as PDF with its lampiran: the decree rendered on its own, then the lampiran
already built for each SOP appended in order, each keeping its own page numbering. Also the
sources every PDF embeds. Runs in a worker process, after the SOPs.
"""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter

from sopdoc.render.content import DecreeText
from sopdoc.layout.plan import PAPER
from sopdoc.model import Instansi, Sop
from sopdoc.render.pdf.writer import PdfOptions, EmbeddedSource, write_pdf
from sopdoc.render.pdf.html import render_decree_html
from sopdoc.reproducible import epoch_of


def embedded_sources(office: Instansi, members: tuple[Sop, ...]) -> tuple[EmbeddedSource, ...]:
    """The office file and every member's SOP file, byte for byte."""
    files = [EmbeddedSource(office.source.name, office.source.read_bytes(), f"Sumber instansi {office.nama}")]
    files.extend(EmbeddedSource(sop.source.name, sop.source.read_bytes(),
                                  f"Sumber SOP {sop.nomor} {sop.nama}") for sop in members)
    return tuple(files)


def decree_pdf(text: DecreeText, public_url: str | None) -> bytes:
    width, height = PAPER[text.office.tata_letak.kertas]  # landscape; the decree is portrait
    options = PdfOptions((text.office.folder,), epoch_of(text.tanggal),
                         attachments=embedded_sources(text.office, text.members),
                         signature_element="ruang-ttd", public_url=public_url)
    return write_pdf(render_decree_html(text, height, width), options)


def append_lampiran(decree: bytes, text: DecreeText, lampiran_pdfs: list[bytes]) -> bytes:
    """The decree's PDF (its catalog: PDF/A identification, attachments, sopdoc's keys) with the
    pages of every lampiran after it, and a bookmark for each part."""
    writer = PdfWriter(clone_from=io.BytesIO(decree))
    writer.add_outline_item(title=f"{text.title} Nomor {text.nomor}", page_number=0)
    for sop, data in zip(text.members, lampiran_pdfs):
        start = len(writer.pages)
        writer.append(PdfReader(io.BytesIO(data)), import_outline=False)
        writer.add_outline_item(title=f"Lampiran {sop.lampiran.nomor}: {sop.nama}", page_number=start)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def render_keputusan_pdf(text: DecreeText, lampiran_pdfs: list[bytes], public_url: str | None) -> bytes:
    """The whole Keputusan; `lampiran_pdfs`: the members' built PDFs, in lampiran order."""
    return append_lampiran(decree_pdf(text, public_url), text, lampiran_pdfs)
