"""The lampiran as HTML (Jinja2, autoescaped), from the model and the layout plan.

The template formats; it never decides. Every wrapped line of the flowchart table is the
plan's own line, so WeasyPrint breaks text exactly where the plan (and the DOCX) does.
"""

from __future__ import annotations

import base64
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from sopdoc.indonesian import format_date
from sopdoc.layout.plan import LayoutPlan
from sopdoc.model import Sop

TEMPLATES = Path(__file__).resolve().parent / "templates"

GRID = (
    (("Dasar Hukum", "dasar_hukum"), ("Kualifikasi Pelaksana", "kualifikasi_pelaksana")),
    (("Keterkaitan", "keterkaitan"), ("Peralatan/Perlengkapan", "peralatan_perlengkapan")),
    (("Peringatan", "peringatan"), ("Pencatatan dan Pendataan", "pencatatan_pendataan")),
)


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
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                      undefined=StrictUndefined, keep_trailing_newline=True)
    env.filters["mm"] = um_to_css
    env.globals["lines"] = lines
    env.globals["header_cell"] = header_cell
    return env


_ENV = _environment()
# Read once per process: a worker renders many SOPs with the same sheet.
_CSS = Markup((TEMPLATES / "lampiran.css").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class LampiranHeading:
    numeral: str
    signer: str
    nomor: str
    tanggal: str
    tentang: str


def data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def office_address(office) -> list[str]:
    first = " ".join(part for part in (
        f"Alamat: {office.alamat}" if office.alamat else "",
        f"Telepon/Fax {office.telepon}" if office.telepon else "") if part)
    second = " ".join(part for part in (
        f"Website: {office.website}" if office.website else "",
        f"E-mail: {office.email}" if office.email else "",
        f"Kode Pos {office.kode_pos}" if office.kode_pos else "") if part)
    return [line for line in (first, second) if line]


def render_lampiran_html(sop: Sop, plan: LayoutPlan, diagrams_svg: dict[int, bytes]) -> str:
    """The whole lampiran as one HTML document; diagrams are inlined as data: URIs."""
    logo = logo_uri(sop.office)
    lampiran = None
    if sop.lampiran is not None:
        decree = sop.lampiran.decree
        lampiran = LampiranHeading(sop.lampiran.numeral, decree.ditetapkan_oleh.jabatan, decree.nomor,
                                   format_date(decree.tanggal), decree.tentang)
    grid = [tuple({"title": title, "items": getattr(sop, attr)} for title, attr in pair) for pair in GRID]
    return _ENV.get_template("lampiran.html.j2").render(
        sop=sop,
        plan=plan,
        css=_CSS,
        created=(sop.tanggal_revisi or sop.tanggal_efektif).isoformat(),
        lampiran=lampiran,
        logo=logo,
        address=office_address(sop.office),
        dates={
            "pembuatan": format_date(sop.tanggal_pembuatan) if sop.tanggal_pembuatan else "-",
            "revisi": format_date(sop.tanggal_revisi) if sop.tanggal_revisi else "-",
            "efektif": format_date(sop.tanggal_efektif),
        },
        signer=sop.disahkan_oleh,
        grid=grid,
        diagrams={number: data_uri(svg, "image/svg+xml") for number, svg in diagrams_svg.items()},
    )


_DECREE_CSS = Markup((TEMPLATES / "keputusan.css").read_text(encoding="utf-8"))


def logo_uri(office) -> str | None:
    if office.logo is None:
        return None
    return data_uri(office.logo.read_bytes(), mimetypes.guess_type(office.logo.name)[0] or "image/png")


def render_decree_html(text, page_width: int, page_height: int) -> str:
    """The Keputusan itself (portrait), from the decided DecreeText."""
    return _ENV.get_template("keputusan.html.j2").render(
        text=text, css=_DECREE_CSS, logo=logo_uri(text.office), address=office_address(text.office),
        page_width=um_to_css(page_width), page_height=um_to_css(page_height))
