"""A Keputusan's DOCX put together from documents already built: after the decree's own section,
each lampiran's standalone DOCX (`render_lampiran_docx`, written earlier in the same build) is
imported as it is, as one landscape section, so a changed SOP is laid out once, for its own
DOCX, and not again for every decree it belongs to.

What importing a lampiran does:

- its body (tables, paragraphs, the page-anchored flowchart groups) goes in as it is, and its
  final sectPr becomes the sectPr of its section (page size, orientation, margins, the first
  page's own header and footer);
- each header and footer it has becomes a new part of the bundle, under a new relationship id
  (the lampiran has its own for the first page too, so nothing is inherited from the section
  before; one it lacks is made empty here);
- every relationship its body and headers name (the logo's a:blip r:embed) is made again from the
  bundle's part, the image shared with every other part that shows the same bytes;
- its drawing ids move into a range of their own (`DrawingIds.adopt`), unique in the bundle;
- its pages are numbered from 1, and "Halaman X dari Y" counts the section's pages: the
  standalone's NUMPAGES becomes SECTIONPAGES (with the same cached count, which LibreOffice shows);
- in a draft bundle, a lampiran in force gets the watermark in every header (`mark_every_page`).

This module moves raw parts and XML of finished packages, which python-docx has no API for;
that is why it is, with wordml.py and drawingml.py, one of the modules that touch raw XML
(tests/test_architecture.py). It writes no content of its own: the watermark and the page
numbering come from those two.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass

from docx.enum.section import WD_SECTION
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from docx.parts.hdrftr import FooterPart, HeaderPart
from docx.section import Section

from sopdoc.render.docx.drawingml import DrawingIds
from sopdoc.render.docx.lampiran import mark_every_page
from sopdoc.render.docx.wordml import restart_page_numbers

# the attributes that name a relationship (by name: three times as fast as by namespace)
_REFERENCES = ".//@r:id | .//@r:embed | .//@r:link | .//@r:pict"
_PACKAGE_R = "http://schemas.openxmlformats.org/package/2006/relationships"
# a sectPr's references to its headers and footers: the tag -> how such a part is made
_STORY_PARTS = {
    qn("w:headerReference"): (HeaderPart, CT.WML_HEADER, RT.HEADER, "/word/header%d.xml"),
    qn("w:footerReference"): (FooterPart, CT.WML_FOOTER, RT.FOOTER, "/word/footer%d.xml"),
}
# a section's headers and footers, (tag, type) -> the Section attribute, in the order the bundle
# makes their parts; the first four a lampiran's section never inherits
_STORIES = {
    (qn("w:headerReference"), "default"): "header",
    (qn("w:footerReference"), "default"): "footer",
    (qn("w:headerReference"), "first"): "first_page_header",
    (qn("w:footerReference"), "first"): "first_page_footer",
    (qn("w:headerReference"), "even"): "even_page_header",
    (qn("w:footerReference"), "even"): "even_page_footer",
}
_OWN_STORIES = tuple(_STORIES)[:4]
_PAGE_COUNTS = {"NUMPAGES": "SECTIONPAGES"}  # the document's page count -> the section's


@dataclass(frozen=True)
class _Relationship:
    type: str
    target: str  # a part name in the package (no leading /), or the address of an external one
    external: bool


class _Package:
    """A DOCX read only as far as importing it needs: its parts' XML and their relationships
    (python-docx would parse every part, the 0.8 MB of styles included, for each lampiran)."""

    def __init__(self, data: bytes) -> None:
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        (self.main,) = [rel.target for rel in self.relationships("").values() if rel.type == RT.OFFICE_DOCUMENT]

    def xml(self, name: str):
        return parse_xml(self.zip.read(name))  # python-docx's parser: its element classes apply

    def blob(self, name: str) -> bytes:
        return self.zip.read(name)

    def relationships(self, name: str) -> dict[str, _Relationship]:
        """rId -> relationship of the part `name` ("" for the package's own)."""
        folder, base = posixpath.split(name)
        try:
            root = parse_xml(self.zip.read(posixpath.join(folder, "_rels", base + ".rels")))
        except KeyError:
            return {}
        found = {}
        for rel in root.iter(f"{{{_PACKAGE_R}}}Relationship"):
            target, external = rel.get("Target"), rel.get("TargetMode") == "External"
            if not external:
                target = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            found[rel.get("Id")] = _Relationship(rel.get("Type"), target, external)
        return found


class Bundle:
    """`doc` (the decree, written) with lampiran appended one after the other, each its own
    section. `ids`: the drawing ids of `doc`, which every lampiran takes its own from."""

    def __init__(self, doc, ids: DrawingIds) -> None:
        self.doc, self.ids = doc, ids
        # python-docx finds a free part name by walking every part, for each new one: here
        # the names are counted once
        self._partnames = {str(part.partname) for part in doc.part.package.iter_parts()}

    def append(self, lampiran_docx: bytes, mark: str | None = None) -> None:
        """Import the lampiran's built DOCX as the new last section (see the module's text).
        `mark`: a draft mark its headers get (a lampiran in force in a draft bundle; a draft
        lampiran carries its own already)."""
        package = _Package(lampiran_docx)
        document = package.xml(package.main)
        rels = package.relationships(package.main)
        body = document.find(qn("w:body"))
        sect_pr = body.find(qn("w:sectPr"))
        references = sorted((element for element in sect_pr if element.tag in _STORY_PARTS), key=_story_order)
        stories = [(reference, rels[reference.get(qn("r:id"))].target) for reference in references]
        stories = [(reference, name, package.xml(name)) for reference, name in stories]
        self.ids.adopt(body, *(root for _, _, root in stories))
        body.remove(sect_pr)  # its references are the headers' and footers', made below
        _import_relationships(body, package, rels, self.doc.part)
        content = list(body)

        # the section before ends with a paragraph holding its sectPr; this one's is the body's last
        sentinel = self.doc.add_section(WD_SECTION.NEW_PAGE)._sectPr
        target = sentinel.getparent()
        at = target.index(sentinel)
        target[at:at] = content
        target.replace(sentinel, sect_pr)
        section = Section(sect_pr, self.doc.part)
        for reference, name, root in stories:
            part_class, content_type, reltype, template = _STORY_PARTS[reference.tag]
            part = part_class(self._partname(template), content_type, root, self.doc.part.package)
            _import_relationships(root, package, package.relationships(name), part)
            _count_section_pages(root)
            reference.set(qn("r:id"), self.doc.part.relate_to(part, reltype))
        present = {_story(reference) for reference in references}
        for kind in _OWN_STORIES:
            if kind not in present:  # an empty one, python-docx's own
                story = getattr(section, _STORIES[kind])
                story.is_linked_to_previous = False
                self._partnames.add(str(story.part.partname))
        restart_page_numbers(section)
        if mark is not None:
            mark_every_page(section, mark, self.ids)

    def _partname(self, template: str) -> PackURI:
        number = 1
        while template % number in self._partnames:
            number += 1
        self._partnames.add(template % number)
        return PackURI(template % number)


def _story(reference) -> tuple[str, str]:
    return reference.tag, reference.get(qn("w:type"))


def _story_order(reference) -> int:
    return list(_STORIES).index(_story(reference))


def _import_relationships(tree, package: _Package, rels: dict[str, _Relationship], part) -> None:
    """Make every relationship `tree` names again from `part` of the bundle, and point the
    attribute at the new id. Images and external links only: anything else in a lampiran's body
    would need more than this, and is refused rather than left dangling."""
    made: dict[str, str] = {}
    for value in tree.xpath(_REFERENCES):
        old = str(value)
        if old not in made:
            rel = rels[old]
            if rel.external:
                made[old] = part.relate_to(rel.target, rel.type, is_external=True)
            elif rel.type == RT.IMAGE:
                made[old], _ = part.get_or_add_image(io.BytesIO(package.blob(rel.target)))
            else:
                raise ValueError(f"cannot import a {rel.type.rsplit('/', 1)[-1]} relationship into a bundle")
        value.getparent().set(value.attrname, made[old])


def _count_section_pages(root) -> None:
    """Page-count fields count the section's pages: each lampiran of a bundle "dari" its own."""
    for instruction in root.iter(qn("w:instrText")):
        field = (instruction.text or "").strip()
        if field in _PAGE_COUNTS:
            instruction.text = f" {_PAGE_COUNTS[field]} "
