"""The Keputusan bundle read back: lampiran in order, the list of SOPs, sources, PDF/A-3b."""

from __future__ import annotations

import io
import re
import zipfile

import docx
import pytest
from pypdf import PdfReader

from conftest import CORPUS
from sopdoc.build.pipeline import build, render_decree
from sopdoc.model import decrees_with_members
from sopdoc.render.content import diktum_ordinal, item_letter, number_words
from sopdoc.render.graphviz import render
from sopdoc.layout.plan import plan_layout
from sopdoc.sources.loader import load_project
from sopdoc.build.pictures import PictureStore


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


def _media(docx_bytes: bytes) -> set[bytes]:
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as archive:
        return {archive.read(name) for name in archive.namelist() if name.startswith("word/media/")}


def test_the_keputusan_docx_reuses_the_pictures_its_members_drew_for_that_same_model(tmp_path):
    """The members' jobs keep their flowchart PNGs under their input key; the bundle uses them
    only while the key matches, and draws (and keeps) them again otherwise."""
    project, _ = load_project([CORPUS])
    sops = [s for s in project.sops if s.office.slug == "kecamatan-jenawi"]
    results = build(sops, ("pdf", "docx"), tmp_path, jobs=1)
    key = next(r.key for r in results if r.kind == "sop")
    sop = sops[0]
    (decree, office, members), = decrees_with_members(sops)
    store = PictureStore(tmp_path)
    drawn = store.load(sop, key)
    assert drawn and set(drawn) == {page.number for page in plan_layout(sop).pages}

    marker = render('digraph { a [label="penanda", pos="20,20"] }', "png")  # a real PNG, not page 1
    store.save(sop, key, {**drawn, 1: marker})
    render_decree(decree, office, tuple(members), ("docx",), tmp_path, member_keys={sop.slug: key})
    bundle_docx = (tmp_path / office.slug / "keputusan-sop-2024.docx").read_bytes()
    assert marker in _media(bundle_docx)

    render_decree(decree, office, tuple(members), ("docx",), tmp_path, member_keys={sop.slug: "lain"})
    bundle_docx = (tmp_path / office.slug / "keputusan-sop-2024.docx").read_bytes()
    assert marker not in _media(bundle_docx) and drawn[1] in _media(bundle_docx)
    assert store.load(sop, "lain") == drawn and store.load(sop, key) is None
