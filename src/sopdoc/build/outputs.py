"""Every output sopdoc writes, in one place: the formats and the renderer of each, the file names
and folders under the output folder, and the public address of a document. The CLI, the build
and the site all read this registry; adding a format is one `OutputFormat` here and its renderer.

    <out>/<office>/<sop>.pdf|.docx|.svg            one SOP's documents
    <out>/<office>/keputusan-<key>.pdf|.docx        a decree with every lampiran
    <out>/<office>/<name>-ttd.pdf                   the copy `sopdoc sign` signed
    <out>/<office>/<name>-ttd-<YYYYMMDD-HHMMSS>.pdf  an earlier signed copy, kept when a rebuild is signed
    <out>/.sopdoc-build.json, .sopdoc-sources.json  what the last build saw (see state.py, sources/cache.py)
    <out>/.sopdoc-situs.json                        what the site was last built from (site/incremental.py)
    <out>/.sopdoc-run.json                          what the last successful build read and left (unchanged.py)
    <out>/.sopdoc-lock                              one build at a time (see lock.py)
    <out>/situs/, situs-tema/, situs.yml            the site's pages, theme and MkDocs config
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path

from sopdoc.diagnostics import Diagnostics, Location
from sopdoc.model import Instansi, Keputusan, Project, Sop

BUILD_STATE_FILE = ".sopdoc-build.json"
BUILD_LOCK_FILE = ".sopdoc-lock"  # held while a build writes into the folder
SOURCE_CACHE_FILE = ".sopdoc-sources.json"
RUN_RECORD_FILE = ".sopdoc-run.json"
SITE_DOCS_FOLDER = "situs"
SITE_THEME_FOLDER = "situs-tema"  # Material template overrides; outside the docs, so never published
SITE_CONFIG_FILE = "situs.yml"
SITE_LOCK_FILE = ".sopdoc-situs.lock"  # beside mkdocs.yml: one site build at a time
SIGNED_SUFFIX = "-ttd"


class SopJob:
    """One SOP's documents being rendered: what its formats share is computed once, on first
    use (the layout plan; each flowchart page drawn by Graphviz)."""

    def __init__(self, sop: Sop, site_url: str | None) -> None:
        self.sop, self.site_url = sop, site_url

    @cached_property
    def plan(self):
        from sopdoc.layout.plan import plan_layout

        return plan_layout(self.sop)

    @cached_property
    def page_svgs(self) -> dict[int, bytes]:
        """page number -> the page's flowchart as SVG."""
        from sopdoc.render.graphviz import page_dot, render

        return {page.number: render(page_dot(self.plan, page)) for page in self.plan.pages}


@dataclass
class DecreeJob:
    """A decree being rendered with its lampiran (after the members' own documents)."""

    decree: Keputusan
    office: Instansi
    members: tuple[Sop, ...]  # in lampiran order
    out: Path
    site_url: str | None

    @cached_property
    def text(self):
        from sopdoc.render.content import decree_text

        return decree_text(self.decree, self.office, self.members)


def _sop_pdf(job: SopJob) -> bytes:
    from sopdoc.render.pdf.html import render_lampiran_html
    from sopdoc.render.pdf.writer import PdfOptions, embedded_sources, write_pdf
    from sopdoc.reproducible import epoch_of

    sop = job.sop
    html = render_lampiran_html(sop, job.plan, job.page_svgs)
    options = PdfOptions((sop.office.folder,), epoch_of(sop.tanggal_revisi or sop.tanggal_efektif),
                         embedded=embedded_sources(sop.office, (sop,)), signature_element="ruang-ttd",
                         public_url=public_url(job.site_url, sop.office.slug, sop.slug), draft=sop.is_draft)
    return write_pdf(html, options)


def _sop_docx(job: SopJob) -> bytes:
    from sopdoc.render.docx.lampiran import render_lampiran_docx

    return render_lampiran_docx(job.sop, job.plan)


def _sop_svg(job: SopJob) -> bytes:
    from sopdoc.layout.swimlane import plan_swimlane
    from sopdoc.render.graphviz import render, swimlane_dot

    return render(swimlane_dot(plan_swimlane(job.sop)), "svg")


def _decree_pdf(job: DecreeJob) -> bytes:
    from sopdoc.render.pdf.keputusan import render_decree_pdf

    member_pdfs = [sop_path(job.out, sop, "pdf").read_bytes() for sop in job.members]
    return render_decree_pdf(job.text, member_pdfs, public_url(job.site_url, job.office.slug))


def _decree_docx(job: DecreeJob) -> bytes:
    from sopdoc.render.docx.keputusan import render_bundle_docx

    # the members' own DOCX, written before the decree in the same build: imported, not laid out again
    member_docx = [sop_path(job.out, sop, "docx").read_bytes() for sop in job.members]
    return render_bundle_docx(job.text, member_docx)


@dataclass(frozen=True)
class OutputFormat:
    name: str  # also the file extension
    description: str  # for `sopdoc build --help`
    render_sop: Callable[[SopJob], bytes]
    render_decree: Callable[[DecreeJob], bytes] | None = None  # None: not made for a decree
    download_label: str | None = None  # offered for download on the site, under this label


FORMATS = (
    OutputFormat("pdf", "lampiran PDF/A dan keputusan", _sop_pdf, _decree_pdf, "PDF"),
    OutputFormat("docx", "lampiran dan keputusan untuk Word", _sop_docx, _decree_docx, "DOCX"),
    OutputFormat("svg", "diagram alir untuk situs", _sop_svg),
)
FORMAT = {fmt.name: fmt for fmt in FORMATS}
FORMAT_NAMES = tuple(FORMAT)


def decree_formats(formats: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(name for name in formats if FORMAT[name].render_decree is not None)


def decree_stem(decree: Keputusan) -> str:
    return f"keputusan-{decree.key}"


def document_path(out: Path, office_slug: str, stem: str, fmt: str) -> Path:
    return out / office_slug / f"{stem}.{fmt}"


def sop_path(out: Path, sop: Sop, fmt: str) -> Path:
    return document_path(out, sop.office.slug, sop.slug, fmt)


def decree_path(out: Path, office: Instansi, decree: Keputusan, fmt: str) -> Path:
    return document_path(out, office.slug, decree_stem(decree), fmt)


def signed_copy_path(pdf: Path) -> Path:
    """Where `sopdoc sign` writes the signed copy of `pdf` by default."""
    return pdf.with_name(f"{pdf.stem}{SIGNED_SUFFIX}.pdf")


def earlier_signed_copy_path(signed: Path, signed_at: datetime) -> Path:
    """Where `sopdoc sign` keeps a signed copy of an older build before it writes the new one:
    beside it, named by its signing time in UTC, `<stem>-ttd-<YYYYMMDD-HHMMSS>.pdf`."""
    stem = signed.stem if signed.stem.endswith(SIGNED_SUFFIX) else f"{signed.stem}{SIGNED_SUFFIX}"
    moment = signed_at.astimezone(timezone.utc) if signed_at.tzinfo else signed_at
    return signed.with_name(f"{stem}-{moment:%Y%m%d-%H%M%S}.pdf")


def public_url(site_url: str | None, office_slug: str, sop_slug: str | None = None) -> str | None:
    """The page of an SOP (or of an office) on the public site, for the QR code of a signature."""
    if not site_url:
        return None
    return site_url.rstrip("/") + f"/{office_slug}/" + (f"{sop_slug}/" if sop_slug else "")


# Names an office folder cannot take: the build's own folders beside the offices', and the site's
# top-level pages and folders.
RESERVED_OFFICE_SLUGS = frozenset({SITE_DOCS_FOLDER, SITE_THEME_FOLDER, "assets", "search", "kategori"})
RESERVED_SOP_SLUGS = frozenset({"index"})  # <office>/index.md is the office's page


def name_conflicts(project: Project) -> Diagnostics:
    """Sources whose documents would take a path another output uses: an error on the source."""
    found = Diagnostics()
    for entry in project.offices:
        office = entry.office
        if office.slug in RESERVED_OFFICE_SLUGS:
            found.error("SOP216", Location(office.source), f"nama folder instansi '{office.slug}' dipakai sopdoc "
                        "sendiri untuk keluaran atau situs", "ganti nama folder, mis. kecamatan-" + office.slug)
        decree_stems = {decree_stem(decree) for decree in office.keputusan}
        stems = {sop.slug for sop in entry.sops} | decree_stems
        for sop in entry.sops:
            clash = _sop_clash(sop.slug, stems, decree_stems)
            if clash:
                found.error("SOP216", Location(sop.source), f"nama berkas '{sop.source.name}' bertabrakan dengan "
                            f"{clash}", "ganti nama berkas SOP ini")
    return found


def _sop_clash(slug: str, stems: set[str], decree_stems: set[str]) -> str | None:
    if slug in RESERVED_SOP_SLUGS:
        return "halaman instansi di situs (index)"
    if slug in decree_stems:
        return f"dokumen keputusan '{slug}'"
    base = slug.removesuffix(SIGNED_SUFFIX)
    if base != slug and base in stems:
        return f"salinan bertanda tangan dari '{base}.pdf'"
    return None
