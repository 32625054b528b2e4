"""The change sheet "Daftar Perubahan SOP" as PDF: what changed between two versions of an SOP,
for the review meeting. A4 portrait, the documents' font, the same reproducible PDF/A writer.

It shows the lines `revisions.report` decided, in a table Perubahan | Sebelum | Sesudah; a
word-level change is one running text, removed words struck through, added ones underlined.
"""

from __future__ import annotations

from markupsafe import Markup

from sopdoc.render.pdf.html import TEMPLATE_ENV, TEMPLATES
from sopdoc.render.pdf.writer import EmbeddedSource, PdfOptions, render_document, write_document
from sopdoc.reproducible import epoch_of
from sopdoc.revisions.compare import SopChanges
from sopdoc.revisions.report import EMPTY, Kind, sections, summary

_CSS = Markup((TEMPLATES / "perubahan.css").read_text(encoding="utf-8"))


def render_changes_html(changes: SopChanges) -> str:
    return TEMPLATE_ENV.get_template("perubahan.html.j2").render(
        changes=changes, css=_CSS, sections=sections(changes, arrow="→"), summary=summary(changes, arrow="→"),
        Kind=Kind, EMPTY=EMPTY, created=changes.date.isoformat())


def render_changes_pdf(changes: SopChanges, embedded: tuple[EmbeddedSource, ...] = ()) -> bytes:
    """The sheet, stamped with the new version's date (same versions, same bytes), carrying `embedded`."""
    options = PdfOptions(asset_roots=(), epoch=epoch_of(changes.date), embedded=embedded)
    return write_document(render_document(render_changes_html(changes), options), options)
