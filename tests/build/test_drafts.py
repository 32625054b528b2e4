"""Drafts (`status: draf`, `sopdoc build --draf`): the mark on every page of the PDF and of the
DOCX (read back from the PDF, and from LibreOffice's rendering of the DOCX), off the public site,
never signed."""

from __future__ import annotations

import shutil
import subprocess
import zipfile

import pdfplumber
import pytest

from conftest import CORPUS, PASSWORD, build_site_project

OFFICE = "kecamatan-jumapolo"
DRAFT_SOP = "layanan-kartu-keluarga"
DECREE = "keputusan-sop-pelayanan-2023"


def _as_draft(sources, slug: str) -> None:
    path = sources / OFFICE / f"{slug}.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nnama: ", "\nstatus: draf\nnama: ", 1), encoding="utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """The corpus with one SOP of Jumapolo a draft, built with its site; LibreOffice's PDFs of
    the draft's DOCX and of the decree's."""
    root = tmp_path_factory.mktemp("draf")
    shutil.copytree(CORPUS, root / "sop_sources")
    _as_draft(root / "sop_sources", DRAFT_SOP)
    build_site_project(root, sources=root / "sop_sources")
    office = root / "build" / OFFICE
    subprocess.run(["soffice", f"-env:UserInstallation=file://{root}/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(root / "libreoffice"), office / f"{DRAFT_SOP}.docx", office / f"{DECREE}.docx"],
                   check=True, capture_output=True, timeout=600)
    return root


def _marks(pdf_path) -> list[str]:
    """Each page's large text (the draft mark is the only text over 50 pt)."""
    with pdfplumber.open(pdf_path) as pdf:
        return ["".join(char["text"] for char in page.chars if char["size"] > 50) for page in pdf.pages]


def _watermark_glyphs(pdf_path) -> list[int]:
    """Per page, the filled outlines over 50 pt tall: LibreOffice draws the watermark's letters as
    outlines, and nothing else on these pages is that tall (a flowchart symbol is under 25 pt)."""
    with pdfplumber.open(pdf_path) as pdf:
        return [sum(1 for curve in page.curves if curve.get("fill") and curve["bottom"] - curve["top"] > 50)
                for page in pdf.pages]


def test_the_draft_pdf_and_its_decree_carry_the_mark_on_every_page(project):
    office = project / "build" / OFFICE
    assert set(_marks(office / f"{DRAFT_SOP}.pdf")) == {"DRAF"}
    decree = _marks(office / f"{DECREE}.pdf")
    assert len(decree) > 10 and set(decree) == {"DRAF"}  # the decree's pages and every lampiran's
    assert set(_marks(office / "layanan-e-ktp.pdf")) == {""}  # an SOP in force stays unmarked


def test_the_draft_docx_carries_a_word_watermark_in_every_header_and_on_every_page(project):
    office = project / "build" / OFFICE
    for name, sections in ((DRAFT_SOP, 1), (DECREE, 7)):
        with zipfile.ZipFile(office / f"{name}.docx") as docx:
            headers = [n for n in docx.namelist() if n.startswith("word/header")]
            marked = [n for n in headers if b'string="DRAF"' in docx.read(n)]
            document = docx.read("word/document.xml").decode()
        assert marked == headers and len(headers) >= sections
        assert document.count("<w:headerReference") == len(headers)
        fills = _watermark_glyphs(project / "libreoffice" / f"{name}.pdf")
        assert fills and all(count >= 4 for count in fills), fills  # D, R, A, F drawn on each page
    with zipfile.ZipFile(office / "layanan-e-ktp.docx") as docx:
        assert not any(b"PowerPlusWaterMark" in docx.read(n) for n in docx.namelist() if n.startswith("word/header"))


def test_a_draft_is_not_on_the_public_site(project):
    site = project / "site" / OFFICE
    assert not (site / DRAFT_SOP).exists()
    assert (site / "layanan-e-ktp" / "index.html").is_file()
    office_page = (site / "index.html").read_text(encoding="utf-8")
    assert DRAFT_SOP not in office_page and "layanan-e-ktp" in office_page
    assert DECREE not in office_page  # its documents are drafts: one of its lampiran is
    search = (project / "site" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "Layanan Kartu Keluarga (KK)" not in search


def test_signing_a_draft_is_refused_and_writes_nothing(project, run, pki):
    for name in (DRAFT_SOP, DECREE):
        target = project / f"{name}-ttd.pdf"
        result = run("sign", str(project / "build" / OFFICE / f"{name}.pdf"), "--p12", str(pki["camat"]),
                     "--password-env", "SOPDOC_P12_PASSWORD", "--out", str(target),
                     env={"SOPDOC_P12_PASSWORD": PASSWORD})
        assert result.exit_code == 1, result.output
        assert "DRAF" in result.output and "Traceback" not in result.output
        assert not target.exists()


def test_build_draf_marks_every_sop_and_leaves_the_site_alone(run, tmp_path):
    shutil.copytree(CORPUS / OFFICE, tmp_path / "sumber" / OFFICE)
    result = run("build", str(tmp_path / "sumber"), "--out", str(tmp_path / "keluaran"), "--format", "pdf", "--draf")
    assert result.exit_code == 0, result.output
    assert "situs: dilewati (build --draf" in result.output
    built = sorted((tmp_path / "keluaran" / OFFICE).glob("*.pdf"))
    assert len(built) == 7
    for pdf in built:
        assert set(_marks(pdf)) == {"DRAF"}, pdf.name
    again = run("build", str(tmp_path / "sumber"), "--out", str(tmp_path / "keluaran"), "--format", "pdf")
    assert "7 dibangun" not in again.output and "6 SOP: 6 dibangun" in again.output  # in force again
    assert set(_marks(tmp_path / "keluaran" / OFFICE / "legalisir-surat.pdf")) == {""}
