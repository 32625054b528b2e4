"""The public site's pages: Markdown for MkDocs Material, from the model and the documents built
in the same run. Nothing here writes; `site_pages` returns the whole docs tree as data.

Source text reaches a page only through escaping: Jinja's autoescape inside raw HTML blocks, and
the `md` filter (Markdown escapes, then HTML escapes) in Markdown text. MkDocs renders page titles
and tags without escaping, so a clerk's `<script>` must already be `&lt;script&gt;` in the Markdown,
and every page with source text in its title states the title in its front matter (see sop_page).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from .bundle import decree_slug
from .decree import decrees_with_members
from .indonesian import format_date
from .model import Office, Project, Sop
from .render_html import GRID, office_address

TEMPLATES = Path(__file__).resolve().parent / "templates" / "site"
STYLESHEET = "assets/sopdoc.css"  # named in mkdocs.yml (extra_css)
TAGS_PAGE = "kategori.md"
DOWNLOADS = ("pdf", "docx")
NO_UNIT = "Layanan lainnya"

# Python-Markdown's backslash escapes, less `>`: "\&gt;" would keep its backslash.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!])")
_SVG_SIZE = re.compile(rb'<svg width="([\d.]+)pt" height="([\d.]+)pt"')


def markdown_text(value: object) -> Markup:
    """Source text as literal Markdown inline text: no emphasis, links, headings or raw HTML."""
    return Markup(escape(_MARKDOWN_SPECIAL.sub(r"\\\1", str(value))))


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["md"] = markdown_text
    env.filters["tanggal"] = format_date
    return env


_ENV = _environment()


def front_matter(values: dict) -> str:
    """YAML front matter; every value is already HTML-escaped (MkDocs prints these raw)."""
    return "---\n" + yaml.safe_dump(values, allow_unicode=True, sort_keys=True, width=1000) + "---\n"


def _svg_size_px(svg: bytes) -> tuple[int, int] | None:
    found = _SVG_SIZE.search(svg[:2000])
    if not found:
        return None
    return tuple(round(float(value) * 4 / 3) for value in found.groups())  # type: ignore[return-value]


def _branches(step) -> str | None:
    """A decision's arrows in words, for the steps table (the diagram alone is not accessible)."""
    if not step.is_decision:
        return None
    parts = []
    for edge in step.edges:
        where = "selesai" if edge.ends else f"ke langkah {edge.target}"
        parts.append(f"{edge.label or 'Lanjut'}: {where}")
    return "; ".join(parts)


def sop_page(sop: Sop, svg: bytes) -> str:
    office = sop.office
    description = sop.ringkasan or f"Standar Operasional Prosedur {sop.nama} di {office.nama}"
    # Titles are given, not left to the h1: the tags plugin lists pages before they are rendered,
    # and Material prints an h1-derived title through `striptags`, which undoes the escaping.
    meta = {"title": str(escape(sop.nama)), "description": str(escape(description))}
    if sop.kategori:
        meta["tags"] = [str(escape(tag)) for tag in sop.kategori]
    identity = [
        ("Instansi", [office.nama]),
        ("Unit", [sop.unit] if sop.unit else []),
        ("Nomor SOP", [sop.nomor]),
        ("Tanggal pembuatan", [format_date(sop.tanggal_pembuatan)] if sop.tanggal_pembuatan else []),
        ("Tanggal revisi", [format_date(sop.tanggal_revisi)] if sop.tanggal_revisi else []),
        ("Tanggal efektif", [format_date(sop.tanggal_efektif)]),
        ("Disahkan oleh", [part for part in (sop.disahkan_oleh.jabatan, sop.disahkan_oleh.nama) if part]),
    ]
    if sop.lampiran is not None:
        decree = sop.lampiran.decree
        identity.append(("Lampiran", [f"Lampiran {sop.lampiran.numeral} Keputusan {decree.ditetapkan_oleh.jabatan} "
                                      f"Nomor {decree.nomor} tanggal {format_date(decree.tanggal)} "
                                      f"tentang {decree.tentang}"]))
    sections = [(title, getattr(sop, attr)) for pair in GRID for title, attr in pair if getattr(sop, attr)]
    return front_matter(meta) + _ENV.get_template("sop.md.j2").render(
        sop=sop, office=office, identity=identity, sections=sections,
        svg_size=_svg_size_px(svg), branches={step.number: _branches(step) for step in sop.steps},
        downloads=DOWNLOADS)


def _by_unit(sops: Iterable[Sop]) -> list[tuple[str, list[Sop]]]:
    units: dict[str, list[Sop]] = {}
    for sop in sops:
        units.setdefault(sop.unit or NO_UNIT, []).append(sop)
    ordered = sorted(units.items(), key=lambda item: (item[0] == NO_UNIT, item[0].casefold()))
    return [(unit, sorted(members, key=lambda s: s.nama.casefold())) for unit, members in ordered]


def office_page(office: Office, sops: tuple[Sop, ...]) -> str:
    decrees = [(decree, decree_slug(decree), members)
               for decree, _, members in decrees_with_members(list(sops))]
    meta = {"title": str(escape(office.nama)),
            "description": str(escape(f"Standar Operasional Prosedur pelayanan {office.nama}"))}
    return front_matter(meta) + _ENV.get_template("office.md.j2").render(
        office=office, address=office_address(office), units=_by_unit(sops), count=len(sops),
        decrees=decrees, downloads=DOWNLOADS)


def home_page(project: Project, site_name: str) -> str:
    offices = sorted(project.offices, key=lambda entry: entry.office.nama.casefold())
    has_tags = any(sop.kategori for sop in project.sops)
    return _ENV.get_template("index.md.j2").render(site_name=site_name, offices=offices, has_tags=has_tags,
                                                   total=len(project.sops))


def tags_page() -> str:
    return _ENV.get_template("kategori.md.j2").render()


def site_pages(project: Project, out: Path, site_name: str) -> dict[str, bytes | Path]:
    """The docs tree: relative path -> page text (bytes) or a built document to link in as is."""
    tree: dict[str, bytes | Path] = {
        "index.md": home_page(project, site_name).encode(),
        TAGS_PAGE: tags_page().encode(),
        STYLESHEET: (TEMPLATES / "sopdoc.css").read_bytes(),
    }
    for entry in project.offices:
        office = entry.office
        tree[f"{office.slug}/index.md"] = office_page(office, entry.sops).encode()
        for sop in entry.sops:
            built = out / office.slug
            svg = (built / f"{sop.slug}.svg").read_bytes()
            tree[f"{office.slug}/{sop.slug}.md"] = sop_page(sop, svg).encode()
            tree[f"{office.slug}/{sop.slug}.svg"] = svg
            for fmt in DOWNLOADS:
                tree[f"{office.slug}/{sop.slug}.{fmt}"] = built / f"{sop.slug}.{fmt}"
        for decree, _, _ in decrees_with_members(list(entry.sops)):
            for fmt in DOWNLOADS:
                name = f"{decree_slug(decree)}.{fmt}"
                tree[f"{office.slug}/{name}"] = out / office.slug / name
    return tree


def navigation(project: Project) -> list[dict[str, str]]:
    """Home, one entry per office, the tag index. SOP pages stay out of the menu: a thousand of
    them in every page's sidebar would make each page weigh what the whole site does."""
    offices = sorted(project.offices, key=lambda entry: entry.office.nama.casefold())
    return ([{"Beranda": "index.md"}]
            + [{str(escape(entry.office.nama)): f"{entry.office.slug}/index.md"} for entry in offices]
            + [{"Kategori": TAGS_PAGE}])
