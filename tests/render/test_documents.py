"""The official lampiran, read back from the real PDF (WeasyPrint) and DOCX (python-docx,
LibreOffice): page sizes, texts, and every symbol inside its actor's column and its row."""

from __future__ import annotations

import hashlib
import shutil
import subprocess

import docx
import pdfplumber
import pytest
from docx.oxml.ns import qn

from conftest import CORPUS, TEST_ROOTS

from sopdoc.build.pipeline import build
from sopdoc.render.docx.wordml import twips
from sopdoc.layout.plan import PAPER, plan_layout
from sopdoc.sources.loader import load_project
from sopdoc.layout.textmetrics import UM_PER_INCH

CASES = [CORPUS, TEST_ROOTS / "long-flow", TEST_ROOTS / "a4-paper"]


def pt(um: int) -> float:
    return um * 72 / UM_PER_INCH


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """Every SOP of the cases built once: (sop, plan, pdf path, docx path)."""
    out = tmp_path_factory.mktemp("build")
    entries = []
    for case in CASES:
        project, diagnostics = load_project([case])
        assert not [d for d in diagnostics if d.is_error]
        results = build(list(project.sops), ("pdf", "docx", "svg"), out, jobs=2)
        assert [r.error for r in results if r.error] == []
        for sop in project.sops:
            base = out / sop.office.slug / sop.slug
            entries.append((sop, plan_layout(sop), base.with_suffix(".pdf"), base.with_suffix(".docx")))
    return out, entries


def ids(entries):
    return [sop.slug for sop, *_ in entries]


def test_every_pdf_has_the_paper_asked_for_and_all_step_texts(built):
    _, entries = built
    for sop, plan, pdf_path, _ in entries:
        width, height = PAPER[sop.office.tata_letak.kertas]
        with pdfplumber.open(pdf_path) as pdf:
            for page in pdf.pages:
                assert (round(page.width, 1), round(page.height, 1)) == (round(pt(width), 1), round(pt(height), 1))
            flow_pages = pdf.pages[len(pdf.pages) - len(plan.pages):]
            for flow_page, planned in zip(flow_pages, plan.pages):
                text = flow_page.extract_text()
                for row in planned.rows:
                    for key in ("uraian", "waktu", "output", "kelengkapan"):
                        for line in row.cells.get(key, ()):
                            assert line in text, f"{sop.slug} page {planned.number}: {line!r} missing"
            assert f"Halaman {len(pdf.pages)} dari {len(pdf.pages)}" in pdf.pages[-1].extract_text()


def _white_shapes(page) -> list[tuple[float, float, float, float]]:
    shapes = []
    for obj in page.curves + page.rects:
        if obj.get("fill") and obj.get("non_stroking_color") in ((1, 1, 1), (1.0, 1.0, 1.0), [1, 1, 1]):
            shapes.append((obj["x0"], obj["top"], obj["x1"], obj["bottom"]))
    return shapes


def test_every_symbol_sits_in_its_actor_column_and_row_on_its_page(built):
    _, entries = built
    tolerance = 1.5  # pt
    for sop, plan, pdf_path, _ in entries:
        steps = {step.number: step for step in sop.langkah}
        with pdfplumber.open(pdf_path) as pdf:
            flow_pages = pdf.pages[len(pdf.pages) - len(plan.pages):]
            for pdf_page, planned in zip(flow_pages, plan.pages):
                top = plan.margins[0] + (sum(plan.header_heights) if planned.show_header else 0)
                left = plan.margins[3] + plan.diagram_x
                shapes = _white_shapes(pdf_page)
                words = pdf_page.extract_words()
                rows = {row.step: row for row in planned.rows if row.kind == "step"}
                for node in planned.nodes:
                    x0, y0, x1, y1 = node.box
                    expected = (pt(left + x0), pt(top + y0), pt(left + x1), pt(top + y1))
                    if node.shape == "connector":
                        # Graphviz draws the pentagon shorter than its box: its centre column and its band
                        band = next(r for r in planned.rows if r.kind.startswith("band") and r.y <= y0 < r.y + r.height)
                        assert any(abs((shape[0] + shape[2]) / 2 - (expected[0] + expected[2]) / 2) <= tolerance
                                   and pt(top + band.y) <= shape[1] and shape[3] <= pt(top + band.y + band.height)
                                   for shape in shapes), f"{sop.slug} p{planned.number}: {node.id} not in its band"
                        continue
                    assert any(all(abs(a - b) <= tolerance for a, b in zip(shape, expected)) for shape in shapes), \
                        f"{sop.slug} p{planned.number}: {node.id} not drawn at {expected}"
                    if node.id.startswith("e"):  # an end beside its decision: same row, next column
                        continue
                    step, row = steps[node.step], rows[node.step]
                    column = plan.column(f"actor:{step.pelaksana.key}")
                    assert column.x <= left - plan.margins[3] + x0 and left - plan.margins[3] + x1 <= column.x + column.width
                    assert row.y <= y0 and y1 <= row.y + row.height
                    number = next(w for w in words if w["text"] == f"{step.number}." and w["x0"] < pt(left))
                    assert pt(top + row.y) <= number["top"] <= pt(top + row.y + row.height), \
                        f"{sop.slug}: the PDF row of step {step.number} is not where the plan put it"


def test_long_flow_paginates_with_matched_connector_pairs(built):
    _, entries = built
    sop, plan, pdf_path, _ = next(e for e in entries if e[0].slug == "alur-panjang")
    assert len(sop.langkah) == 30 and len(sop.pelaksana) == 6
    assert len(plan.pages) >= 3
    connectors: dict[str, list[tuple[int, str]]] = {}
    for page in plan.pages:
        for node in page.nodes:
            if node.shape == "connector":
                connectors.setdefault(node.label, []).append((page.number, node.id[-1]))
    assert connectors, "a flow over several pages must carry connectors"
    for letter, ends in connectors.items():
        assert sorted(kind for _, kind in ends) == ["i", "o"], letter
        assert ends[0][0] != ends[1][0], f"connector {letter} pairs two pages"
    with pdfplumber.open(pdf_path) as pdf:
        flow_pages = pdf.pages[len(pdf.pages) - len(plan.pages):]
        for page in plan.pages:
            words = {w["text"] for w in flow_pages[page.number - 1].extract_words()}
            for node in page.nodes:
                if node.shape == "connector":
                    assert node.label in words


def test_text_is_printed_literally_everywhere(built):
    _, entries = built
    sop, plan, pdf_path, docx_path = next(e for e in entries if e[0].slug == "alur-panjang")
    literal = 'Mulai <b>{{ x }}</b> "\\n & selesai'
    assert sop.langkah[0].uraian == literal
    column = plan.column("uraian")
    left = (plan.margins[3] + column.x) * 72 / 25400  # the Uraian column, in PDF points
    with pdfplumber.open(pdf_path) as pdf:  # the cell may wrap it: compare its words
        page = pdf.pages[1]
        text = page.crop((left, 0, left + column.width * 72 / 25400, page.height)).extract_text()
    assert " ".join(literal.split()) in " ".join(text.split())
    document = docx.Document(docx_path)
    assert any(" ".join(literal.split()) in " ".join(cell.text.split())
               for table in document.tables for row in table.rows for cell in row.cells)


def test_docx_holds_the_same_tables_texts_and_row_heights(built):
    _, entries = built
    for sop, plan, _, docx_path in entries:
        document = docx.Document(docx_path)
        section = document.sections[0]
        assert (section.page_width.twips, section.page_height.twips) == (twips(plan.page_width),
                                                                         twips(plan.page_height))
        flow_tables = document.tables[-len(plan.pages):]
        for table, page in zip(flow_tables, plan.pages):
            header = 2 if page.show_header else 0
            assert len(table.rows) == header + len(page.rows)
            if page.show_header:
                assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
            for row, planned in zip(table.rows[header:], page.rows):
                assert row.height.twips == twips(planned.height)
                if planned.kind == "step":
                    assert row.cells[0].text == f"{planned.step}."
                    assert row.cells[1].text == "\n".join(planned.cells["uraian"])
            assert [c.width.twips for c in table.columns] == [twips(c.width) for c in plan.columns]
        footer = section.footer._element.xml
        assert "PAGE" in footer and "NUMPAGES" in footer


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice is installed by scripts/setup.sh")
def test_libreoffice_opens_every_docx_with_the_same_pages_and_texts(built, tmp_path):
    _, entries = built
    docx_files = [str(entry[3]) for entry in entries]
    subprocess.run(["libreoffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), *docx_files],
                   check=True, capture_output=True, timeout=600)
    for sop, plan, pdf_path, docx_path in entries:
        converted = tmp_path / (docx_path.stem + ".pdf")
        with pdfplumber.open(converted) as lo, pdfplumber.open(pdf_path) as ours:
            assert len(lo.pages) == len(ours.pages), sop.slug
            text = " ".join(" ".join(page.extract_text().split()) for page in lo.pages)
            for step in sop.langkah:
                assert " ".join(step.uraian.split()) in text or all(
                    line in text for line in plan.page_of_step(step.number).rows[0].cells.get("uraian", ())), \
                    f"{sop.slug}: step {step.number} text missing after LibreOffice"


def test_two_builds_give_identical_bytes(built, tmp_path):
    out, entries = built
    project, _ = load_project([CORPUS])
    build(list(project.sops), ("pdf", "docx", "svg"), tmp_path, jobs=1)
    for path in sorted(tmp_path.rglob("*.*")):
        if path.suffix in (".pdf", ".docx", ".svg"):
            twin = out / path.relative_to(tmp_path)
            assert hashlib.sha256(path.read_bytes()).digest() == hashlib.sha256(twin.read_bytes()).digest(), path


def test_unchanged_sops_are_not_rebuilt_and_a_changed_one_is(built, tmp_path):
    sources = tmp_path / "src"
    shutil.copytree(CORPUS, sources)
    out = tmp_path / "out"
    project, _ = load_project([sources])
    first = build(list(project.sops), ("svg",), out, jobs=1)
    assert not any(r.skipped for r in first)
    path = sources / "kecamatan-jenawi" / "penanganan-aduan.yml"
    path.write_text(path.read_text().replace("waktu: 10 menit", "waktu: 11 menit", 1))
    project, _ = load_project([sources])
    second = build(list(project.sops), ("svg",), out, jobs=1)
    rebuilt = [r.slug for r in second if not r.skipped]
    assert rebuilt == ["penanganan-aduan"]
