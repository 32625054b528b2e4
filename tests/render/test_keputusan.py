"""The Keputusan bundle read back: lampiran in order, the list of SOPs, sources, PDF/A-3b, the
flowchart shapes of every lampiran in the DOCX."""

from __future__ import annotations

import re

import docx
import pytest
from pypdf import PdfReader

from conftest import CORPUS
from sopdoc.build.pipeline import build
from sopdoc.render.content import diktum_ordinal, item_letter, number_words
from sopdoc.layout.plan import plan_layout
from sopdoc.sources.loader import load_project


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    project, _ = load_project([CORPUS])
    sops = [s for s in project.sops if s.office.slug == "kecamatan-jumapolo"]
    out = tmp_path_factory.mktemp("keputusan")
    results = build(sops, ("pdf", "docx"), out, jobs=2)
    assert not [r for r in results if r.error]
    return sops, out / "kecamatan-jumapolo"


def test_bundle_pdf_has_the_decree_then_lampiran_i_to_n_in_order(bundle):
    sops, folder = bundle
    reader = PdfReader(folder / "keputusan-sop-pelayanan-2023.pdf")
    pages = [page.extract_text() for page in reader.pages]
    decree = "\n".join(pages[:2])
    assert "KEPUTUSAN CAMAT JUMAPOLO" in pages[0] and "MEMUTUSKAN" in decree
    assert "Ditetapkan di" in decree and "HARYANTO, S.E., M.AP." in decree
    for sop in sops:  # every SOP's name in the decree's list
        assert re.sub(r"\s+", " ", sop.nama) in re.sub(r"\s+", " ", decree)
    headings = [re.search(r"LAMPIRAN ([IVXLC]+) KEPUTUSAN", text) for text in pages]
    numerals = [m.group(1) for m in headings if m]
    assert numerals == ["I", "II", "III", "IV", "V", "VI"]
    assert [item.title for item in reader.outline][1:] == [f"Lampiran {s.lampiran.nomor}: {s.nama}" for s in sops]
    # numbering per lampiran: each lampiran starts again at "Halaman 1"
    assert sum(1 for text in pages if "Halaman 1 dari" in text) == 1 + len(sops)


def test_bundle_carries_its_sources_and_declares_pdf_a_3b(bundle):
    sops, folder = bundle
    reader = PdfReader(folder / "keputusan-sop-pelayanan-2023.pdf")
    attachments = reader.attachments
    assert attachments["instansi.yml"] == [(CORPUS / "kecamatan-jumapolo/instansi.yml").read_bytes()]
    for sop in sops:
        assert attachments[sop.source.name] == [sop.source.read_bytes()]
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    for filespec in reader.trailer["/Root"]["/AF"]:
        assert filespec.get_object()["/AFRelationship"] == "/Source"
    lampiran = PdfReader(folder / "layanan-e-ktp.pdf")
    assert lampiran.attachments["layanan-e-ktp.yml"] == [(CORPUS / "kecamatan-jumapolo/layanan-e-ktp.yml").read_bytes()]


def test_bundle_docx_has_a_section_per_lampiran_numbered_from_one(bundle):
    sops, folder = bundle
    document = docx.Document(folder / "keputusan-sop-pelayanan-2023.docx")
    assert len(document.sections) == 1 + len(sops)
    assert document.sections[0].page_height > document.sections[0].page_width  # the decree: portrait
    for section in document.sections[1:]:
        assert section.page_width > section.page_height
        assert section._sectPr.find(docx.oxml.ns.qn("w:pgNumType")).get(docx.oxml.ns.qn("w:start")) == "1"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "MEMUTUSKAN:" in text


def test_indonesian_ordinals_and_letters():
    assert [diktum_ordinal(n) for n in (1, 2, 3, 11, 12, 21)] == [
        "KESATU", "KEDUA", "KETIGA", "KESEBELAS", "KEDUA BELAS", "KEDUA PULUH SATU"]
    assert number_words(10) == "sepuluh" and number_words(40) == "empat puluh"
    assert [item_letter(i) for i in (0, 1, 25, 26)] == ["a", "b", "z", "aa"]


NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "wpg": "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup",
}


def qn(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def test_the_keputusan_docx_has_the_shapes_of_every_lampiran(bundle):
    """Each lampiran's flowchart pages again, as shapes (no pictures), their ids unique in the
    whole bundle."""
    sops, folder = bundle
    document = docx.Document(folder / "keputusan-sop-pelayanan-2023.docx")
    body = document.element.body
    groups = list(body.iter(qn("wpg:wgp")))
    plans = [plan_layout(sop) for sop in sops]
    assert len(groups) == sum(len(plan.pages) for plan in plans)
    symbols = [[shape for shape in group.iter(qn("a:prstGeom")) if shape.get("prst").startswith("flowChart")]
               for group in groups]
    assert [len(found) for found in symbols] == [len(page.nodes) for plan in plans for page in plan.pages]
    arrows = [len(list(group.iter(qn("a:custGeom")))) for group in groups]
    assert arrows == [len(page.arrows) for plan in plans for page in plan.pages]
    assert next(body.iter(qn("pic:pic")), None) is None  # no office of the corpus has a logo: no picture
    ids = [element.get("id") for element in body.iter(qn("wp:docPr"), qn("wps:cNvPr"))]
    assert len(ids) == len(set(ids))
