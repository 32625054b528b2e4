"""Waktu as clerks write it in real SOPs: compound values (`1 jam 30 menit`), products
(`2 x 24 jam`) and ranges (`15-30 menit`, `1 s.d. 3 hari`), their located refusals, the total
they make, and a full build that prints a range as written (the values are tests/waktu_cases.py's,
the parser's own tests of them in tests/test_waktu_and_indonesian.py)."""

from __future__ import annotations

import re

import docx
import pdfplumber
import pytest

from conftest import BASE_SOP, build_site_project, diagnostics_of, office_tree, replace_line
from waktu_cases import COMPOUND, COMPOUND_TOTAL, RANGES, REFUSALS

from sopdoc.layout.plan import plan_layout
from sopdoc.sources.loader import load_project

WAKTU_LINE = 14  # `    waktu: 5 menit` of step 1 in BASE_SOP; the value starts at column 12


def only_sop(sources):
    project, diagnostics = load_project([sources])
    assert [d.format() for d in diagnostics if d.is_error] == []
    (sop,) = project.sops
    return sop


def with_waktu(*values: str) -> str:
    """BASE_SOP (steps 1 -> 2 -> 3, step 2 deciding: Ya to 3, Tidak back to 1) with these waktu."""
    assert BASE_SOP.splitlines()[WAKTU_LINE - 1] == "    waktu: 5 menit"
    lines = BASE_SOP.splitlines()
    waktu_lines = [i for i, line in enumerate(lines) if line.startswith("    waktu: ")]
    for index, value in zip(waktu_lines, values):
        lines[index] = f"    waktu: {value}"
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("value", [text for text, *_ in COMPOUND + RANGES])
def test_each_form_is_accepted_and_printed_as_written(tmp_path, value):
    sop = only_sop(office_tree(tmp_path, sop=replace_line(BASE_SOP, WAKTU_LINE, f"    waktu: {value}")))
    assert sop.langkah[0].waktu.as_written() == value
    plan = plan_layout(sop)
    row = next(r for r in plan.pages[0].rows if r.kind == "step" and r.step == 1)
    assert " ".join(row.cells["waktu"]) == value


@pytest.mark.parametrize("waktu, total", [
    # the loop back from step 2 to step 1 is not counted: steps 1, 2 and 3
    (("15-30 menit", "10 menit", "5 menit"), "paling lama 45 menit"),
    (("1 s.d. 3 hari", "2 jam", "30 menit"), "paling lama 3 hari 2 jam 30 menit"),
    COMPOUND_TOTAL,
    (("1 jam 30 menit", "15 - 30 menit", "5 menit"), "paling lama 2 jam 5 menit"),
    (("5 menit", "10 menit", "5 menit"), "20 menit"),
])
def test_the_total_counts_a_range_by_its_upper_bound_and_says_so(tmp_path, waktu, total):
    sop = only_sop(office_tree(tmp_path, sop=with_waktu(*waktu)))
    assert sop.total_waktu.format() == total
    plan = plan_layout(sop)
    (total_row,) = [r for p in plan.pages for r in p.rows if r.kind == "total"]
    assert " ".join(total_row.cells["waktu"]) == total


def test_a_range_off_the_longest_path_does_not_mark_the_total(tmp_path):
    steps = (
        "  - uraian: Apakah perlu kajian?\n    pelaksana: petugas\n    output: Hasil\n    waktu: 10 menit\n"
        "    keputusan:\n      ya: 2\n      tidak: 3\n"
        "  - uraian: Kajian\n    pelaksana: petugas\n    output: Hasil\n    waktu: 1 s.d. 2 jam\n    lanjut: 4\n"
        "  - uraian: Proses\n    pelaksana: petugas\n    output: Hasil\n    waktu: 1 hari kerja\n"
        "  - uraian: Selesai\n    pelaksana: petugas\n    output: Surat\n    waktu: 5 menit\n"
    )
    sop = only_sop(office_tree(tmp_path, sop=BASE_SOP.split("langkah:\n")[0] + "langkah:\n" + steps))
    # Tidak (1 hari kerja = 8 jam) is longer than Ya (at most 2 jam): the total is exact
    assert sop.total_waktu.format() == "1 hari kerja 15 menit"


@pytest.mark.parametrize("value, message, hint", REFUSALS)
def test_refusals_are_located_at_the_value(tmp_path, value, message, hint):
    sources = office_tree(tmp_path, sop=replace_line(BASE_SOP, WAKTU_LINE, f"    waktu: {value}"))
    found = [(d.location.line, d.location.col, d.severity.value, d.code, d.message, d.hint)
             for d in diagnostics_of(sources) if d.code == "SOP111"]
    assert found == [(WAKTU_LINE, 12, "error", "SOP111", f"langkah 1: {message}", hint)]


def test_a_valid_minggu_is_no_misspelling(tmp_path):
    sop = only_sop(office_tree(tmp_path, sop=replace_line(BASE_SOP, WAKTU_LINE, "    waktu: 1 minggu")))
    assert sop.langkah[0].waktu.format() == "1 minggu"


def test_a_cached_range_keeps_its_mark(tmp_path):
    """The check cache stores a range's mark with its amounts: a rebuild's total still says so."""
    sources = office_tree(tmp_path, sop=with_waktu("15-30 menit"))
    cache = tmp_path / "check-cache.json"
    for _ in range(2):  # the second load reads the file's values from the cache
        project, diagnostics = load_project([sources], cache_file=cache)
        assert not [d for d in diagnostics if d.is_error]
        (sop,) = project.sops
        assert sop.langkah[0].waktu.as_written() == "15-30 menit"
        assert sop.total_waktu.format() == "paling lama 45 menit"
    assert cache.is_file()


RANGES_SOP = with_waktu("15 - 30 menit", "1 jam 30 menit", "1 s.d. 3 hari")


def test_a_full_build_prints_the_range_as_written(tmp_path):
    office_tree(tmp_path, sop=RANGES_SOP)
    root = build_site_project(tmp_path, sources=tmp_path / "sop_sources")
    pdf_path = root / "build" / "kecamatan-uji" / "layanan-uji.pdf"
    with pdfplumber.open(pdf_path) as pdf:
        text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert "15 - 30 menit" in text
    assert "1 s.d. 3 hari" in text
    assert "1 jam 30 menit" in text
    assert "Jumlah Waktu paling lama 3 hari 2 jam" in text
    document = docx.Document(root / "build" / "kecamatan-uji" / "layanan-uji.docx")
    cells = {" ".join(cell.text.split()) for table in document.tables for row in table.rows for cell in row.cells}
    assert {"15 - 30 menit", "1 s.d. 3 hari", "paling lama 3 hari 2 jam"} <= cells
    page = (root / "site" / "kecamatan-uji" / "layanan-uji" / "index.html").read_text(encoding="utf-8")
    cells = re.findall(r'data-label="Waktu">([^<]*)<', page)
    assert cells == ["15 - 30 menit", "1 jam 30 menit", "1 s.d. 3 hari", "paling lama 3 hari 2 jam"]
    assert "<dd>paling lama 3 hari 2 jam</dd>" in page
