"""The Keputusan's DOCX put together from its members' built DOCX (render/docx/bundle.py), read
back: in LibreOffice every lampiran has exactly the pages of its own DOCX (every character where
the standalone puts it), numbered from 1; the draft mark on every page of a draft bundle and on
none of one in force; drawing ids unique, every relationship resolvable, the same bytes twice."""

from __future__ import annotations

import io
import posixpath
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
import pdfplumber
import pytest
from lxml import etree
from PIL import Image
from pypdf import PdfReader

from conftest import CORPUS, TEST_ROOTS
from sopdoc.build.outputs import decree_path, sop_path
from sopdoc.build.pipeline import build
from sopdoc.model import decrees_with_members
from sopdoc.render.content import decree_text
from sopdoc.render.docx.keputusan import render_bundle_docx
from sopdoc.render.docx.lampiran import render_lampiran_docx
from sopdoc.layout.plan import plan_layout
from sopdoc.sources.loader import load_project

OFFICE = "kecamatan-jumapolo"  # six lampiran of the corpus
LONG = "kecamatan-panjang"  # one lampiran over several pages, with connectors
DRAFT = "kecamatan-jumapolo-draf"  # the same six with the office's logo, one of them a draft
DRAFT_SOP = "layanan-kartu-keluarga"
CASES = (OFFICE, LONG, DRAFT)
NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
}
needs_libreoffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                       reason="LibreOffice is installed by scripts/setup.sh")


def q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


@dataclass(frozen=True)
class Case:
    decree: object
    office: object
    members: tuple
    bundle: Path  # the decree's DOCX
    lampiran: tuple[Path, ...]  # the members' own DOCX, in lampiran order
    converted: Path  # LibreOffice's PDFs of all of them, by stem

    def pdf(self, docx_path: Path) -> Path:
        return self.converted / f"{docx_path.stem}.pdf"


def _sources(root: Path) -> Path:
    sources = root / "sumber"
    shutil.copytree(CORPUS / OFFICE, sources / OFFICE)
    shutil.copytree(TEST_ROOTS / "long-flow" / LONG, sources / LONG)
    shutil.copytree(CORPUS / OFFICE, sources / DRAFT)
    instansi = sources / DRAFT / "instansi.yml"
    text = instansi.read_text(encoding="utf-8")
    instansi.write_text(re.sub(r"(?m)^(nama: .*\n)", r"\1logo: logo.png\n", text, count=1), encoding="utf-8")
    Image.new("RGB", (60, 70), (20, 60, 120)).save(sources / DRAFT / "logo.png")
    draft = sources / DRAFT / f"{DRAFT_SOP}.yml"
    draft.write_text(draft.read_text(encoding="utf-8").replace("\nnama: ", "\nstatus: draf\nnama: ", 1),
                     encoding="utf-8")
    return sources


@pytest.fixture(scope="module")
def cases(tmp_path_factory) -> dict[str, Case]:
    """The three decrees built (their members' DOCX first, then the bundles from them), and
    LibreOffice's PDF of every DOCX."""
    root = tmp_path_factory.mktemp("bundel")
    project, diagnostics = load_project([_sources(root)])
    assert not diagnostics.error_count
    out = root / "out"
    results = build(list(project.sops), ("pdf", "docx"), out, jobs=2)
    assert [r.error for r in results if r.error] == []
    found = {}
    for decree, office, members in decrees_with_members(list(project.sops)):
        found[office.slug] = Case(decree, office, members, decree_path(out, office, decree, "docx"),
                                  tuple(sop_path(out, sop, "docx") for sop in members),
                                  root / "libreoffice" / office.slug)
    assert set(found) == set(CASES)
    if shutil.which("soffice"):
        for case in found.values():
            subprocess.run(["soffice", f"-env:UserInstallation=file://{root}/profile", "--headless", "--convert-to",
                            "pdf", "--outdir", str(case.converted), str(case.bundle), *map(str, case.lampiran)],
                           check=True, capture_output=True, timeout=600)
    return found


def _pages(pdf_path: Path) -> list[tuple[str, tuple]]:
    """Each page: its text (white space as single spaces), and its characters with their place
    (to 0.1 pt)."""
    with pdfplumber.open(pdf_path) as pdf:
        return [(" ".join((page.extract_text() or "").split()),
                 tuple((c["text"], round(c["x0"], 1), round(c["top"], 1)) for c in page.chars))
                for page in pdf.pages]


def _lampiran_pages(case: Case) -> tuple[list, list[list]]:
    """The bundle's pages in LibreOffice: the decree's, and each lampiran's (as many as its own
    DOCX has there)."""
    pages = _pages(case.pdf(case.bundle))
    own = [_pages(case.pdf(path)) for path in case.lampiran]
    decree_count = len(pages) - sum(map(len, own))
    assert decree_count >= 1
    parts, at = [], decree_count
    for lampiran in own:
        parts.append(pages[at:at + len(lampiran)])
        at += len(lampiran)
    return pages[:decree_count], parts


@needs_libreoffice
@pytest.mark.parametrize("name", CASES)
def test_each_lampiran_reads_in_the_bundle_exactly_as_its_own_docx(cases, name):
    """Same pages, same text on each, every character in the same place (LibreOffice 7.4)."""
    case = cases[name]
    _, parts = _lampiran_pages(case)
    for path, in_bundle in zip(case.lampiran, parts):
        alone = _pages(case.pdf(path))
        assert [text for text, _ in in_bundle] == [text for text, _ in alone], path.stem
        assert [chars for _, chars in in_bundle] == [chars for _, chars in alone], path.stem


@needs_libreoffice
@pytest.mark.parametrize("name", CASES)
def test_each_lampiran_is_numbered_from_one_by_its_own_page_count(cases, name):
    case = cases[name]
    decree, parts = _lampiran_pages(case)
    for number, (text, _) in enumerate(decree, 1):
        # (the decree's own "dari" is SECTIONPAGES cached as 1, which LibreOffice shows as it is)
        assert f"Halaman {number} dari " in text
    for sop, pages in zip(case.members, parts):
        assert len(pages) == 1 + len(plan_layout(sop).pages)
        assert f"LAMPIRAN {sop.lampiran.nomor} KEPUTUSAN" in pages[0][0]
        for number, (text, _) in enumerate(pages, 1):
            assert re.findall(r"Halaman \d+ dari \d+", text) == [f"Halaman {number} dari {len(pages)}"]
    if name == LONG:
        assert len(parts[0]) > 3  # the long flow: a lampiran of several flowchart pages


def _watermark_glyphs(pdf_path: Path) -> list[int]:
    """Per page, the filled outlines over 50 pt tall: LibreOffice draws the watermark's letters as
    outlines, and nothing else on these pages is that tall (a flowchart symbol is under 25 pt)."""
    with pdfplumber.open(pdf_path) as pdf:
        return [sum(1 for curve in page.curves if curve.get("fill") and curve["bottom"] - curve["top"] > 50)
                for page in pdf.pages]


class Package:
    """A DOCX's parts as XML, and each part's relationships."""

    def __init__(self, path: Path) -> None:
        self.zip = zipfile.ZipFile(path)
        self.names = set(self.zip.namelist())

    def xml(self, name: str):
        return etree.fromstring(self.zip.read(name))

    def rels(self, name: str) -> dict[str, tuple[str, str, bool]]:
        """rId -> (type, target part name or address, external)."""
        folder, base = posixpath.split(name)
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        if rels_name not in self.names:
            return {}
        found = {}
        for rel in self.xml(rels_name).iter(q("pr:Relationship")):
            external = rel.get("TargetMode") == "External"
            target = rel.get("Target") if external else posixpath.normpath(posixpath.join(folder, rel.get("Target")))
            found[rel.get("Id")] = (rel.get("Type").rsplit("/", 1)[-1], target, external)
        return found

    def stories(self) -> list[list[tuple[str, str, str]]]:
        """Per section, its (header or footer, type, part name)."""
        rels = self.rels("word/document.xml")
        return [[(ref.tag.split("}")[1], ref.get(q("w:type")), rels[ref.get(q("r:id"))][1])
                 for ref in sect_pr if ref.tag in (q("w:headerReference"), q("w:footerReference"))]
                for sect_pr in self.xml("word/document.xml").iter(q("w:sectPr"))]


@pytest.mark.parametrize("name", CASES)
def test_every_section_has_its_own_headers_and_footers_and_numbers_from_one(cases, name):
    case = cases[name]
    package = Package(case.bundle)
    stories = package.stories()
    assert len(stories) == 1 + len(case.members)
    parts = [part for section in stories for _, _, part in section]
    assert len(parts) == len(set(parts))  # nothing shared, nothing inherited
    for section in stories[1:]:
        assert sorted((kind, type_) for kind, type_, _ in section) == [
            ("footerReference", "default"), ("footerReference", "first"),
            ("headerReference", "default"), ("headerReference", "first")]
        for kind, _, part in section:
            fields = [" ".join(t.text.split()) for t in package.xml(part).iter(q("w:instrText"))]
            if kind == "footerReference":
                assert fields == ["PAGE", "SECTIONPAGES"]  # the standalone's NUMPAGES, per section
    for path in case.lampiran:
        alone = Package(path)
        footers = [part for _, _, part in alone.stories()[0] if part.startswith("word/footer")]
        assert {" ".join(t.text.split()) for f in footers for t in alone.xml(f).iter(q("w:instrText"))} == {
            "PAGE", "NUMPAGES"}
    document = docx.Document(case.bundle)
    for section, path in zip(document.sections[1:], case.lampiran):
        (alone,) = docx.Document(path).sections
        assert section._sectPr.find(q("w:pgNumType")).get(q("w:start")) == "1"
        for attribute in ("orientation", "page_width", "page_height", "top_margin", "right_margin",
                          "bottom_margin", "left_margin", "header_distance", "footer_distance",
                          "different_first_page_header_footer"):
            assert getattr(section, attribute) == getattr(alone, attribute), attribute


def _has_watermark(root, mark: str = "DRAF") -> bool:
    return any(shape.get("id", "").startswith("PowerPlusWaterMarkObject")
               and shape.find(q("v:textpath")).get("string") == mark for shape in root.iter(q("v:shape")))


@pytest.mark.parametrize("name", CASES)
def test_the_draft_mark_is_in_every_header_of_a_draft_bundle_and_in_none_of_one_in_force(cases, name):
    case = cases[name]
    package = Package(case.bundle)
    headers = [part for section in package.stories() for kind, _, part in section if kind == "headerReference"]
    marked = [_has_watermark(package.xml(part)) for part in headers]
    assert marked == [name == DRAFT] * len(headers)
    if name == DRAFT:  # the lampiran in force are marked only in the bundle
        for sop, path in zip(case.members, case.lampiran):
            alone = Package(path)
            own = [_has_watermark(alone.xml(part)) for kind, _, part in alone.stories()[0] if kind == "headerReference"]
            assert own == [sop.slug == DRAFT_SOP] * 2, sop.slug


@needs_libreoffice
@pytest.mark.parametrize("name", CASES)
def test_libreoffice_draws_the_draft_mark_on_every_page_of_a_draft_bundle_only(cases, name):
    glyphs = _watermark_glyphs(cases[name].pdf(cases[name].bundle))
    if name == DRAFT:
        assert glyphs and all(count >= 4 for count in glyphs), glyphs  # D, R, A, F on each page
    else:
        assert set(glyphs) == {0}


@pytest.mark.parametrize("name", CASES)
def test_drawing_ids_are_unique_in_the_bundle(cases, name):
    case = cases[name]
    package = Package(case.bundle)
    body = package.xml("word/document.xml")
    ids = [element.get("id") for element in body.iter(q("wp:docPr"), q("wps:cNvPr"))]
    assert len(ids) == len(set(ids)) and "0" not in ids
    alone = [element for path in case.lampiran for element in Package(path).xml("word/document.xml").iter(
        q("wp:docPr"), q("wps:cNvPr"))]
    assert len(ids) >= len(alone)  # every lampiran's drawings are there
    shapes = [shape for section in package.stories() for kind, _, part in section if kind == "headerReference"
              for shape in package.xml(part).iter(q("v:shape"))]
    for attribute in ("id", q("o:spid")):
        values = [shape.get(attribute) for shape in shapes]
        assert len(values) == len(set(values))
    assert len(shapes) == (2 * len(case.members) + 1 if name == DRAFT else 0)
    for frame in body.iter(q("wp:docPr"), q("wps:cNvPr")):  # a name ending in a number ends in its id
        number = frame.get("name").rsplit(" ", 1)[-1]
        assert not number.isdigit() or number == frame.get("id")


@pytest.mark.parametrize("name", CASES)
def test_every_relationship_of_the_bundle_resolves(cases, name):
    case = cases[name]
    docx.Document(case.bundle)  # python-docx opens it, every part it loads
    package = Package(case.bundle)
    stories = [part for section in package.stories() for _, _, part in section]
    for part in ["word/document.xml", *stories]:
        rels = package.rels(part)
        for value in package.xml(part).xpath("//@*[namespace-uri()=$r]", r=NS["r"]):
            assert str(value) in rels, (part, str(value))
            _, target, external = rels[str(value)]
            assert external or target in package.names, (part, target)
    images = [name for name in package.names if name.startswith("word/media/")]
    blips = package.xml("word/document.xml").xpath("//a:blip/@r:embed", namespaces={
        "a": "http://schemas.openxmlformats.org/drawingml/2006/main", "r": NS["r"]})
    if name == DRAFT:  # the logo of the decree and of each lampiran: one image, shown 1 + 6 times
        assert len(images) == 1 and len(blips) == 1 + len(case.members)
        assert {package.rels("word/document.xml")[rid][1] for rid in blips} == set(images)
    else:
        assert images == [] and blips == []


@pytest.mark.parametrize("name", CASES)
def test_the_bundle_has_the_lampiran_styles_and_the_same_bytes_each_time(cases, name):
    case = cases[name]
    package = Package(case.bundle)
    for path in case.lampiran:  # a lampiran's body needs its own styles and settings: the bundle's
        alone = Package(path)
        for part in ("word/styles.xml", "word/settings.xml", "word/numbering.xml"):
            assert package.zip.read(part) == alone.zip.read(part), (path.stem, part)
    text = decree_text(case.decree, case.office, case.members)
    members = [path.read_bytes() for path in case.lampiran]
    assert render_bundle_docx(text, members) == render_bundle_docx(text, members) == case.bundle.read_bytes()


def test_a_lampiran_without_a_first_page_header_of_its_own_still_inherits_none(cases):
    """A lampiran's DOCX with no first-page header (python-docx's default: none) gets an empty
    one in the bundle, not the decree's or the lampiran's before."""
    case = cases[DRAFT]
    text = decree_text(case.decree, case.office, case.members)
    members = []
    for sop in case.members:
        document = docx.Document(io.BytesIO(render_lampiran_docx(sop, plan_layout(sop))))
        document.sections[0].first_page_header.is_linked_to_previous = True  # drops it
        raw = io.BytesIO()
        document.save(raw)
        members.append(raw.getvalue())
    bundle = docx.Document(io.BytesIO(render_bundle_docx(text, members)))
    for section, sop in zip(bundle.sections[1:], case.members):
        assert not section.first_page_header.is_linked_to_previous
        # the bundle is a draft: a lampiran in force gets the mark (a draft's own went with its header)
        assert _has_watermark(section.first_page_header._element) == (sop.slug != DRAFT_SOP)
        assert [p.text for p in section.first_page_header.paragraphs] == [""]


def test_the_pdf_of_a_draft_bundle_stamps_each_lampiran_in_force_with_one_shared_mark(cases):
    """Every page of a draft bundle shows the mark; on the lampiran in force it is one form
    XObject, shared by their pages, so the bundle stays the size of its parts."""
    case = cases[DRAFT]
    bundle = decree_path(case.bundle.parents[1], case.office, case.decree, "pdf")
    members = [sop_path(case.bundle.parents[1], sop, "pdf") for sop in case.members]
    with pdfplumber.open(bundle) as pdf:
        assert {"".join(c["text"] for c in page.chars if c["size"] > 50) for page in pdf.pages} == {"DRAF"}
    reader = PdfReader(bundle)
    starts = [item.page for item in reader.outline[1:]]
    forms = set()
    for sop, start, path in zip(case.members, starts, members):
        first = reader.get_page_number(start)
        for page in reader.pages[first:first + len(PdfReader(path).pages)]:
            xobjects = page["/Resources"].get("/XObject", {})
            if sop.slug == DRAFT_SOP:  # a draft's own pages carry the mark already
                assert "/SopdocDraf" not in xobjects
            else:
                forms.add(xobjects.raw_get("/SopdocDraf").idnum)
    assert len(forms) == 1
    assert bundle.stat().st_size < 1.1 * sum(path.stat().st_size for path in members) + 200_000
