"""HTML -> PDF/A-3b with WeasyPrint, reproducibly and reading nothing outside the asset roots.

Every PDF sopdoc writes carries, in its document information, where the signature goes (the
box of the element the template marks, read from WeasyPrint's own layout) and the document's
public address: `sopdoc sign` takes both from there instead of guessing.
"""

from __future__ import annotations

import datetime as _dt
import functools
import io
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML, Attachment
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from sopdoc.model import Instansi, Sop
from sopdoc.render.pdf.html import TEMPLATES
from sopdoc.reproducible import source_date_epoch

PDF_VARIANT = "pdf/a-3b"
# Document information keys (WeasyPrint keeps only letters and digits of custom keys)
SIGNATURE_BOX_KEY = "SopdocSignatureBox"
PUBLIC_URL_KEY = "SopdocPublicUrl"
STATUS_KEY = "SopdocStatus"  # "draf" on a draft: `sopdoc sign` refuses it
DRAFT_STATUS = "draf"
PX_TO_PT = 0.75  # WeasyPrint's boxes are in CSS px (1/96 in)


class RootedURLFetcher(URLFetcher):
    """Serves data: URIs and files inside the given folders; refuses everything else."""

    def __init__(self, roots: list[Path]) -> None:
        super().__init__(timeout=5, allowed_protocols={"file", "data"}, allow_redirects=False)
        self._roots = [root.resolve() for root in roots]

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(unquote(urlsplit(url).path)).resolve()
            if any(path.is_relative_to(root) for root in self._roots) and path.is_file():
                return super().fetch(url, headers)
        raise FatalURLFetchingError(f"sopdoc menolak memuat {url!r}: di luar folder aset proyek")


@functools.lru_cache(maxsize=1)
def _font_config() -> FontConfiguration:
    """One font configuration per process: building it costs a tenth of a render. (No shared
    image cache: keyed by data URI it would grow with every SOP a worker renders.)"""
    return FontConfiguration()


@dataclass(frozen=True)
class EmbeddedSource:
    """A source file embedded in the PDF (relationship Source), so the PDF carries its own source."""
    name: str
    data: bytes
    description: str


def embedded_sources(office: Instansi, members: tuple[Sop, ...]) -> tuple[EmbeddedSource, ...]:
    """The office file and every member's SOP file, byte for byte as they were read."""
    files = [EmbeddedSource(office.source.name, office.source_bytes, f"Sumber instansi {office.nama}")]
    files.extend(EmbeddedSource(sop.source.name, sop.source_bytes,
                                f"Sumber SOP {sop.nomor} {sop.nama}") for sop in members)
    return tuple(files)


@dataclass(frozen=True)
class PdfOptions:
    asset_roots: tuple[Path, ...]
    epoch: int  # fixes every timestamp the toolchain might write
    embedded: tuple[EmbeddedSource, ...] = ()  # files attached to the PDF (relationship Source)
    signature_element: str | None = None  # id of the element whose box receives the signature
    public_url: str | None = None
    draft: bool = False


def render_document(html: str, options: PdfOptions):
    """The laid-out WeasyPrint document (its pages can be combined with other documents')."""
    fetcher = RootedURLFetcher([TEMPLATES, *options.asset_roots])
    return HTML(string=html, base_url=str(TEMPLATES), url_fetcher=fetcher).render(font_config=_font_config())


def element_box(document, element_id: str) -> tuple[int, tuple[float, float, float, float]] | None:
    """(page index, (x1, y1, x2, y2) in PDF points from the bottom-left) of an element's border box."""
    for index, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is not None and element.get("id") == element_id:
                x, y = box.border_box_x(), box.border_box_y()
                width, height = box.border_width(), box.border_height()
                return index, (round(x * PX_TO_PT, 2), round((page.height - y - height) * PX_TO_PT, 2),
                               round((x + width) * PX_TO_PT, 2), round((page.height - y) * PX_TO_PT, 2))
    return None


def write_document(document, options: PdfOptions) -> bytes:
    """PDF/A-3b bytes of a rendered document, with the embedded sources and sopdoc's keys."""
    custom = document.metadata.custom
    if options.signature_element:
        found = element_box(document, options.signature_element)
        if found is not None:
            page, box = found
            custom[SIGNATURE_BOX_KEY] = f"{page} " + " ".join(f"{value:.2f}" for value in box)
    if options.public_url:
        custom[PUBLIC_URL_KEY] = options.public_url
    if options.draft:
        custom[STATUS_KEY] = DRAFT_STATUS
    stamp = _dt.datetime.fromtimestamp(options.epoch, _dt.timezone.utc)
    attachments = [Attachment(file_obj=io.BytesIO(item.data), name=item.name, description=item.description,
                              created=stamp, modified=stamp, relationship="Source")
                   for item in options.embedded]
    with source_date_epoch(options.epoch):  # read by fontTools when it subsets fonts
        return document.write_pdf(pdf_identifier=b"sopdoc", pdf_variant=PDF_VARIANT, attachments=attachments,
                                  custom_metadata=True)


def write_pdf(html: str, options: PdfOptions) -> bytes:
    return write_document(render_document(html, options), options)
