"""The lampiran and the Keputusan as HTML (Jinja2, autoescaped), from the model, the layout plan
and what `render.content` decided to show.

The template formats; it never decides. Every wrapped line of the flowchart table is the
plan's own line, so WeasyPrint breaks text exactly where the plan (and the DOCX) does.
"""

from __future__ import annotations

import base64
import mimetypes
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from sopdoc.layout.plan import LayoutPlan
from sopdoc.model import Instansi, Sop
from sopdoc.render.content import (
    DecreeText, draft_mark, identity_grid, identity_rows, lampiran_heading, office_address, running_header,
)

TEMPLATES = Path(__file__).resolve().parent / "templates"


def um_to_css(value: int) -> str:
    return f"{value / 1000:.3f}mm"


def lines(cell_lines) -> Markup:
    """The plan's wrapped lines as one preformatted text (the cell's `white-space: pre`): broken
    exactly where the plan breaks them, never re-wrapped."""
    return escape("\n".join(cell_lines))


def header_cell(cell, rowspan: int = 1) -> Markup:
    span = Markup(' rowspan="{}"').format(rowspan) if rowspan > 1 else Markup("")
    return Markup('<th{} style="font-size: {}pt">{}</th>').format(span, cell.size_pt, lines(cell.lines))


def _environment() -> Environment:
    """The one environment of the PDF templates (the lampiran, the Keputusan, the draft overlay and
    render.pdf.changes' change sheet): each template compiled once per process."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                      undefined=StrictUndefined, keep_trailing_newline=True)
    env.filters["mm"] = um_to_css
    env.globals["lines"] = lines
    env.globals["header_cell"] = header_cell
    return env


TEMPLATE_ENV = _environment()
# Read once per process: a worker renders many SOPs with the same sheets.
_CSS = Markup((TEMPLATES / "lampiran.css").read_text(encoding="utf-8"))
_DECREE_CSS = Markup((TEMPLATES / "keputusan.css").read_text(encoding="utf-8"))


def data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def logo_uri(office: Instansi) -> str | None:
    if office.logo is None:
        return None
    return data_uri(office.logo.read_bytes(), mimetypes.guess_type(office.logo.name)[0] or "image/png")


def render_lampiran_html(sop: Sop, plan: LayoutPlan, diagrams_svg: dict[int, bytes]) -> str:
    """The whole lampiran as one HTML document; diagrams are inlined as data: URIs."""
    return TEMPLATE_ENV.get_template("lampiran.html.j2").render(
        sop=sop,
        plan=plan,
        css=_CSS,
        created=(sop.tanggal_revisi or sop.tanggal_efektif).isoformat(),
        running_header=running_header(sop),
        draft=draft_mark(sop),
        lampiran=lampiran_heading(sop),
        logo=logo_uri(sop.office),
        address=office_address(sop.office),
        identity=identity_rows(sop),
        grid=identity_grid(sop),
        diagrams={number: data_uri(svg, "image/svg+xml") for number, svg in diagrams_svg.items()},
    )


def render_decree_html(text: DecreeText, page_width: int, page_height: int) -> str:
    """The Keputusan itself (portrait), from the decided DecreeText."""
    return TEMPLATE_ENV.get_template("keputusan.html.j2").render(
        text=text, css=_DECREE_CSS, logo=logo_uri(text.office), address=office_address(text.office),
        page_width=um_to_css(page_width), page_height=um_to_css(page_height))


def render_draft_overlay_html(mark: str, width_pt: float, height_pt: float) -> str:
    """One empty page bearing only the draft mark, laid over the pages of a lampiran in force
    that a draft decree carries."""
    return TEMPLATE_ENV.get_template("draf-lapis.html.j2").render(
        mark=mark, mark_size="120pt" if width_pt > height_pt else "90pt", width=width_pt, height=height_pt)
