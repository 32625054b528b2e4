"""The public site's pages: Markdown for MkDocs Material, from the model and the documents built
in the same run. Nothing here writes; `site_pages` returns the whole docs tree as data.

Source text reaches a page only through escaping: Jinja's autoescape inside raw HTML blocks, and
the `md` filter (Markdown escapes, then HTML escapes) in Markdown text. MkDocs renders page titles
and tags without escaping, so a clerk's `<script>` must already be `&lt;script&gt;` in the Markdown,
and every page with source text in its title states the title in its front matter (see sop_page).

Each SOP and office page has a key, a digest of everything it is made from; with `cached`, a page
whose key is unchanged since the last site build is taken as it was, not rendered again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from sopdoc.build.outputs import decree_stem, sop_path
from sopdoc.fingerprint import code_fingerprint, digest_of
from sopdoc.indonesian import format_date
from sopdoc.model import Instansi, Keputusan, Langkah, OfficeSops, Project, Sop, decrees_with_members
from sopdoc.render.content import identity_dates, identity_grid, lampiran_heading, office_address
from sopdoc.render.graphviz import svg_size_pt
from sopdoc.site.downloads import Downloads, downloads_for
from sopdoc.site.stamps import file_stamp

TEMPLATES = Path(__file__).resolve().parent / "templates"
STYLESHEET = "assets/sopdoc.css"  # named in mkdocs.yml (extra_css)
TAGS_PAGE = "kategori.md"
NO_UNIT = "Layanan lainnya"

# Python-Markdown's backslash escapes, less `>`: "\&gt;" would keep its backslash.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!])")


def markdown_text(value: object) -> Markup:
    """Source text as literal Markdown inline text: no emphasis, links, headings or raw HTML.
    Line breaks become spaces, so no line of it can start a list, a code block or a heading."""
    return Markup(escape(_MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(value).split()))))


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
    size = svg_size_pt(svg)
    return (round(size[0] * 4 / 3), round(size[1] * 4 / 3)) if size else None  # CSS: 96 px = 72 pt


def _branches(step: Langkah) -> str | None:
    """A decision's arrows in words, for the steps table (the diagram alone is not accessible)."""
    if not step.is_decision:
        return None
    parts = []
    for edge in step.edges:
        where = "selesai" if edge.ends else f"ke langkah {edge.target}"
        parts.append(f"{edge.label or 'Lanjut'}: {where}")
    return "; ".join(parts)


def sop_page(sop: Sop, svg: bytes, downloads: Downloads) -> str:
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
        *((label.capitalize(), [value] if value else []) for label, value in identity_dates(sop)),
        ("Disahkan oleh", [part for part in (sop.disahkan_oleh.jabatan, sop.disahkan_oleh.nama) if part]),
    ]
    heading = lampiran_heading(sop)
    if heading is not None:
        identity.append(("Lampiran", [heading.sentence]))
    sections = [(section.title, section.items) for pair in identity_grid(sop) for section in pair if section.items]
    return front_matter(meta) + _ENV.get_template("sop.md.j2").render(
        sop=sop, office=office, identity=identity, sections=sections,
        svg_size=_svg_size_px(svg), branches={step.number: _branches(step) for step in sop.langkah},
        downloads=downloads.files)


def _by_unit(sops: Iterable[Sop]) -> list[tuple[str, list[Sop]]]:
    units: dict[str, list[Sop]] = {}
    for sop in sops:
        units.setdefault(sop.unit or NO_UNIT, []).append(sop)
    ordered = sorted(units.items(), key=lambda item: (item[0] == NO_UNIT, item[0].casefold()))
    return [(unit, sorted(members, key=lambda s: s.nama.casefold())) for unit, members in ordered]


def office_page(office: Instansi, sops: tuple[Sop, ...],
                decrees: list[tuple[Keputusan, Downloads, tuple[Sop, ...]]]) -> str:
    meta = {"title": str(escape(office.nama)),
            "description": str(escape(f"Standar Operasional Prosedur pelayanan {office.nama}"))}
    return front_matter(meta) + _ENV.get_template("office.md.j2").render(
        office=office, address=office_address(office), units=_by_unit(sops), count=len(sops),
        decrees=[(decree, downloads.files, members) for decree, downloads, members in decrees])


def home_page(project: Project, site_name: str) -> str:
    offices = sorted(project.offices, key=lambda entry: entry.office.nama.casefold())
    has_tags = any(sop.kategori for sop in project.sops)
    return _ENV.get_template("index.md.j2").render(site_name=site_name, offices=offices, has_tags=has_tags,
                                                   total=len(project.sops))


def tags_page() -> str:
    return _ENV.get_template("kategori.md.j2").render()


@dataclass(frozen=True)
class SiteTree:
    files: dict[str, bytes | Path]  # relative path -> page text, or a document to publish as is
    stale_signatures: tuple[Path, ...]  # signed copies of older builds, published unsigned instead
    keys: dict[str, str] = field(default_factory=dict)  # SOP and office pages: path -> what it is made from
    reused: frozenset[str] = frozenset()  # pages whose text is the earlier build's, still on disk as written


def published(project: Project) -> Project:
    """What citizens see: every SOP but the drafts (`status: draf`)."""
    return Project(tuple(OfficeSops(entry.office, tuple(sop for sop in entry.sops if not sop.is_draft))
                         for entry in project.offices))


def model_key(sop: Sop) -> str:
    """A digest of the SOP's model (every value read from its sources, its office's included) and
    of sopdoc's code. The build's input key (`pipeline.input_key`) covers the same and may stand
    in for it."""
    return _digest(code_fingerprint(), repr(sop))


def _digest(*parts: object) -> str:
    return digest_of(*(repr(part) for part in parts))


def _offered(downloads: Downloads) -> list[tuple[str, str]]:
    """What a page says of its downloads: the names and labels (which file stands behind a name
    is the document's, not the page's)."""
    return [(download.name, download.label) for download in downloads.files]


def site_pages(project: Project, out: Path, site_name: str, *,
               sop_keys: Mapping[tuple[str, str], str],
               cached: Callable[[str, str], bytes | None] | None = None) -> SiteTree:
    """The docs tree of the whole site, from the model and the documents built under `out`. Drafts
    are left out, and so is a decree with a draft lampiran (its documents are drafts too).

    `sop_keys`: (office slug, SOP slug) -> a digest of the SOP's model (see `model_key`), for every SOP.
    `cached(path, key)`: the page written for `key` by an earlier build, or None."""
    files: dict[str, bytes | Path] = {
        "index.md": home_page(published(project), site_name).encode(),
        TAGS_PAGE: tags_page().encode(),
        STYLESHEET: (TEMPLATES / "sopdoc.css").read_bytes(),
    }
    keys: dict[str, str] = {}
    reused: set[str] = set()
    stale: list[Path] = []

    def publish(office: Instansi, stem: str) -> Downloads:
        downloads = downloads_for(out, office.slug, stem)
        for download in downloads.files:
            files[f"{office.slug}/{download.name}"] = download.source
        if downloads.stale_signature:
            stale.append(downloads.stale_signature)
        return downloads

    def page(name: str, key: str, render: Callable[[], str]) -> None:
        keys[name] = key
        text = cached(name, key) if cached else None
        if text is not None:
            reused.add(name)
        files[name] = text if text is not None else render().encode()

    for entry in project.offices:
        office = entry.office
        sop_key = {sop.slug: sop_keys[(office.slug, sop.slug)] for sop in entry.sops}
        decrees = [(decree, publish(office, decree_stem(decree)), members)
                   for decree, _, members in decrees_with_members(list(entry.sops))
                   if not any(sop.is_draft for sop in members)]
        sops = tuple(sop for sop in entry.sops if not sop.is_draft)
        office_key = _digest("office", repr(office), [(sop.slug, sop_key[sop.slug], sop.is_draft) for sop in entry.sops],
                             [(decree.key, _offered(downloads), [sop.slug for sop in members])
                              for decree, downloads, members in decrees])
        page(f"{office.slug}/index.md", office_key, lambda: office_page(office, sops, decrees))
        for sop in sops:
            svg = sop_path(out, sop, "svg")
            downloads = publish(office, sop.slug)
            key = _digest("sop", sop_key[sop.slug], file_stamp(svg), _offered(downloads))
            page(f"{office.slug}/{sop.slug}.md", key,
                 lambda sop=sop, svg=svg, downloads=downloads: sop_page(sop, svg.read_bytes(), downloads))
            files[f"{office.slug}/{sop.slug}.svg"] = svg
    return SiteTree(files, tuple(stale), keys, frozenset(reused))


def navigation(project: Project) -> list[dict[str, str]]:
    """Home, one entry per office, the tag index. SOP pages stay out of the menu: a thousand of
    them in every page's sidebar would make each page weigh what the whole site does."""
    offices = sorted(project.offices, key=lambda entry: entry.office.nama.casefold())
    return ([{"Beranda": "index.md"}]
            + [{str(escape(entry.office.nama)): f"{entry.office.slug}/index.md"} for entry in offices]
            + [{"Kategori": TAGS_PAGE}])
