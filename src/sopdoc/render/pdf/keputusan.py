"""The Keputusan with its lampiran: the decree rendered on its own, then the lampiran already
built for each SOP appended in order (PDF), or written after it as landscape sections (DOCX).
Each lampiran keeps its own page numbering. Runs in a worker process, after the SOPs.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from sopdoc.render.content import DecreeText, decree_text
from sopdoc.layout.plan import PAPER
from sopdoc.model import Decree, Office, Sop
from sopdoc.render.pdf.writer import PdfOptions, SourceAttachment, write_pdf
from sopdoc.render.pdf.html import render_decree_html
from sopdoc.reproducible import epoch_of


def decree_slug(decree: Decree) -> str:
    return f"keputusan-{decree.key}"


def source_attachments(office: Office, members: tuple[Sop, ...]) -> tuple[SourceAttachment, ...]:
    """The office file and every member's SOP file, byte for byte."""
    files = [SourceAttachment(office.source.name, office.source.read_bytes(), f"Sumber instansi {office.nama}")]
    files.extend(SourceAttachment(sop.source.name, sop.source.read_bytes(),
                                  f"Sumber SOP {sop.nomor} {sop.nama}") for sop in members)
    return tuple(files)


def decree_pdf(text: DecreeText, public_url: str | None) -> bytes:
    width, height = PAPER[text.office.tata_letak.kertas]  # landscape; the decree is portrait
    options = PdfOptions((text.office.folder,), epoch_of(text.tanggal),
                         attachments=source_attachments(text.office, text.members),
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
        writer.add_outline_item(title=f"Lampiran {sop.lampiran.numeral}: {sop.nama}", page_number=start)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def render_bundle(decree: Decree, office: Office, members: tuple[Sop, ...], formats: tuple[str, ...],
                  lampiran_paths: dict[str, Path], public_url: str | None,
                  pictures_of: Callable) -> dict[str, bytes]:
    """{format: bytes} of the whole Keputusan; `lampiran_paths` maps an SOP slug to its built PDF;
    `pictures_of(sop, plan)` gives the members' flowchart PNGs for the DOCX."""
    text = decree_text(decree, office, members)
    outputs: dict[str, bytes] = {}
    if "pdf" in formats:
        pdfs = [lampiran_paths[sop.slug].read_bytes() for sop in members]
        outputs["pdf"] = append_lampiran(decree_pdf(text, public_url), text, pdfs)
    if "docx" in formats:
        from sopdoc.render.docx.keputusan import render_bundle_docx

        outputs["docx"] = render_bundle_docx(text, pictures_of)
    return outputs
