"""What the Keputusan says of its lampiran, and how it sets it: it names exactly the lampiran
attached, by their own numbers (contiguous, non-contiguous, single, mixed), in decree_text, in the
PDF and in the DOCX; SOP and decree numbers are never broken across lines; the Menetapkan line
and the diktum have no stretched gaps; the blank name line of the signature block carries nothing
but the line. The DOCX is read through LibreOffice's PDF of it."""

from __future__ import annotations

import dataclasses
import functools
import re
import shutil
import subprocess

import docx
import pdfplumber
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

from conftest import CORPUS
from sopdoc.build.pipeline import build
from sopdoc.render.content import decree_text
from sopdoc.render.docx.wordml import WORD_JOINER, unbreakable
from sopdoc.sources.loader import load_project

PT_PER_MM = 72 / 25.4
SPACE_PT = 0.2778 * 11  # a space of Liberation Sans at the decree's 11 pt

needs_libreoffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                       reason="LibreOffice is installed by scripts/setup.sh")

# office folder -> ({Jumapolo SOP kept: its lampiran number, None: assigned by the loader} or None for
# the corpus's office as it is, what the decree then says)
CASES = {
    "kecamatan-jumapolo": (None, "Lampiran I sampai dengan Lampiran VI"),
    "kecamatan-satu-delapan": ({"layanan-kartu-keluarga": "I", "layanan-e-ktp": "VIII"},
                               "Lampiran I dan Lampiran VIII"),
    "kecamatan-campuran": ({"layanan-kartu-keluarga": "I", "layanan-e-ktp": "II",
                            "pindah-penduduk-antar-kecamatan": "III", "legalisir-surat": "V",
                            "surat-rekomendasi": "VIII"},
                           "Lampiran I sampai dengan Lampiran III, Lampiran V, dan Lampiran VIII"),
    "kecamatan-tunggal": ({"legalisir-surat": None}, "Lampiran I"),
    "kecamatan-jenawi": (None, "Lampiran VIII"),  # its only SOP is Lampiran VIII of the real decree
}
# an SOP number with hyphens, after which LibreOffice breaks (at this place in the list, without the
# word joiners of wordml.unbreakable) as WeasyPrint would after a '/'
SOP_NUMBER = {("kecamatan-campuran", "legalisir-surat"): "05/SOP-PELAYANAN-UMUM/JMPL/2023"}
LAMPIRAN_LINE = re.compile(r"(lampiran:\n  keputusan: [^\n]+\n)  nomor: [IVXLCDM]+\n")
# where numbers fell at a line's end before they were kept whole, and where they now could
NUMBER_CASES = ("kecamatan-jumapolo", "kecamatan-jenawi", "kecamatan-campuran")


def _make_tree(root):
    for folder, (keep, _) in CASES.items():
        source = CORPUS / (folder if keep is None else "kecamatan-jumapolo")
        shutil.copytree(source, root / folder)
        if keep is None:
            continue
        for path in (root / folder).glob("*.yml"):
            if path.name == "instansi.yml":
                continue
            if path.stem not in keep:
                path.unlink()
                continue
            numeral = keep[path.stem]
            text, count = LAMPIRAN_LINE.subn(
                lambda m: m.group(1) + (f"  nomor: {numeral}\n" if numeral else ""), path.read_text())
            assert count == 1, path
            if (folder, path.stem) in SOP_NUMBER:
                text, count = re.subn(r"(?m)^nomor: .*$", f"nomor: {SOP_NUMBER[folder, path.stem]}", text, count=1)
                assert count == 1, path
            path.write_text(text)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Every case built (PDF, DOCX), and LibreOffice's PDF of three decrees' DOCX:
    {folder: (members, bundle pdf, bundle docx, libreoffice pdf)}."""
    root = tmp_path_factory.mktemp("sumber")
    _make_tree(root)
    project, diagnostics = load_project([root])
    assert not diagnostics.error_count
    out = tmp_path_factory.mktemp("keputusan")
    results = build(list(project.sops), ("pdf", "docx"), out, jobs=2)
    assert [r.error for r in results if r.error] == []
    cases = {}
    for folder in CASES:
        members = tuple(sop for sop in project.sops if sop.office.slug == folder)
        (pdf,) = (out / folder).glob("keputusan-*.pdf")
        cases[folder] = (members, pdf, pdf.with_suffix(".docx"), out / "libreoffice" / folder / (pdf.stem + ".pdf"))
    for folder in NUMBER_CASES if shutil.which("soffice") else ():
        _, _, docx_path, converted = cases[folder]
        subprocess.run(["soffice", f"-env:UserInstallation=file://{out}/profile", "--headless", "--convert-to",
                        "pdf", "--outdir", str(converted.parent), docx_path],
                       check=True, capture_output=True, timeout=600)
    return cases


def _reading(text: str) -> str:
    """Text as a reader reads it: hyphenated words joined (WeasyPrint hyphenates with U+2010),
    no-break spaces and word joiners as what they join, runs of white space as one space."""
    text = re.sub("\N{HYPHEN}\n", "", text).replace("\N{WORD JOINER}", "").replace("\N{NO-BREAK SPACE}", " ")
    return " ".join(text.split())


HEADING = re.compile(r"LAMPIRAN ([IVXLCDM]+) KEPUTUSAN")


@dataclasses.dataclass(frozen=True)
class ReadPage:
    text: str
    chars: tuple[tuple[str, float], ...]  # (character, top) in the order drawn


@functools.lru_cache(maxsize=None)
def _parts(pdf_path) -> tuple[tuple[ReadPage, ...], tuple[tuple[str, ReadPage], ...]]:
    """The decree's own pages, and (numeral, first page) of each lampiran after it (the page its
    heading and identity table are on); only those pages are read with pdfplumber."""
    first_pages = {}
    for index, page in enumerate(PdfReader(pdf_path).pages):
        if match := HEADING.search(page.extract_text() or ""):
            first_pages[index] = match.group(1)
    decree_end = min(first_pages, default=None)

    def read(page) -> ReadPage:
        return ReadPage(page.extract_text() or "", tuple((c["text"], c["top"]) for c in page.chars))

    with pdfplumber.open(pdf_path) as pdf:
        decree = tuple(read(page) for page in pdf.pages[:decree_end])
        lampiran = tuple((numeral, read(pdf.pages[index])) for index, numeral in sorted(first_pages.items()))
    return decree, lampiran


# -- decree_text ----------------------------------------------------------------------------------

@pytest.mark.parametrize("numerals, phrase", [
    (["I"], "Lampiran I"),
    (["VIII"], "Lampiran VIII"),
    (["I", "VIII"], "Lampiran I dan Lampiran VIII"),
    (["I", "II"], "Lampiran I dan Lampiran II"),
    (["I", "II", "III", "IV", "V", "VI"], "Lampiran I sampai dengan Lampiran VI"),
    (["I", "II", "III", "V", "VIII"], "Lampiran I sampai dengan Lampiran III, Lampiran V, dan Lampiran VIII"),
    (["I", "II", "V"], "Lampiran I, Lampiran II, dan Lampiran V"),
    (["II", "IV", "VI"], "Lampiran II, Lampiran IV, dan Lampiran VI"),
    (["IX", "X", "XI", "XX"], "Lampiran IX sampai dengan Lampiran XI dan Lampiran XX"),
])
def test_the_decree_names_exactly_the_lampiran_attached(numerals, phrase):
    project, _ = load_project([CORPUS])
    sops = [s for s in project.sops if s.office.slug == "kecamatan-jumapolo"][:len(numerals)]
    members = tuple(dataclasses.replace(sop, lampiran=dataclasses.replace(sop.lampiran, nomor=numeral))
                    for sop, numeral in zip(sops, numerals))
    text = decree_text(members[0].lampiran.keputusan, members[0].office, members)
    first = text.diktum[0]
    assert f"sebagaimana tercantum dalam {phrase} yang merupakan bagian" in first.text
    assert [entry.nomor for entry in first.lampiran] == numerals


def test_unbreakable_joins_after_every_break_opportunity_and_changes_nothing_visible():
    kept = unbreakable("000.8.3.3/23 Tahun 2024")
    assert kept == "000.\u20608.\u20603.\u20603/\u206023\u00a0Tahun\u00a02024"
    assert unbreakable("KEC-JENAWI/8") == f"KEC-{WORD_JOINER}JENAWI/{WORD_JOINER}8"
    assert unbreakable("A/") == "A/"  # nothing after the last character


# -- the PDF and the DOCX read back -------------------------------------------------------------------

@pytest.mark.parametrize("folder", CASES)
def test_the_built_decree_names_its_lampiran_as_their_pages_are_headed(built, folder):
    members, pdf_path, docx_path, _ = built[folder]
    phrase = CASES[folder][1]
    sentence = f"sebagaimana tercantum dalam {phrase} yang merupakan bagian tidak terpisahkan"
    decree_pages, lampiran = _parts(pdf_path)
    decree = _reading("\n".join(page.text for page in decree_pages))
    assert sentence in decree
    # each lampiran's pages are headed by the number the decree gives it
    assert [numeral for numeral, _ in lampiran] == [sop.lampiran.nomor for sop in members]
    for sop in members:
        assert f"(Lampiran {sop.lampiran.nomor}, Nomor SOP {sop.nomor})" in decree
    if "sampai dengan" not in phrase:
        assert "sampai dengan" not in decree
    document = docx.Document(docx_path)
    paragraphs = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in document.element.body.iter(qn("w:p"))]
    assert sentence in _reading(" ".join(paragraphs))


def _lines_of(page: ReadPage, needle: str) -> list[set[float]]:
    """For each occurrence of `needle` on the page, the text lines (tops) its characters are on."""
    chars = [(char, top) for char, top in page.chars if char.strip() and char != "\N{WORD JOINER}"]
    text = "".join(char for char, _ in chars)
    return [{round(top) for _, top in chars[match.start():match.end()]}
            for match in re.finditer(re.escape("".join(needle.split())), text)]


def _numbers_stay_on_one_line(pdf_path, members) -> None:
    """Every occurrence of the decree's number and its SOPs' numbers, in the decree and on the
    first page of each lampiran (its heading and identity table), on one line."""
    decree_pages, lampiran = _parts(pdf_path)
    pages = [*decree_pages, *(page for _, page in lampiran)]
    for number in [members[0].lampiran.keputusan.nomor, *(sop.nomor for sop in members)]:
        occurrences = [lines for page in pages for lines in _lines_of(page, number)]
        assert occurrences, f"{number} not found in {pdf_path.name}"
        for lines in occurrences:
            assert len(lines) == 1, f"{number} broken over lines {sorted(lines)} in {pdf_path.name}"


@pytest.mark.parametrize("folder", NUMBER_CASES)
def test_sop_and_decree_numbers_are_whole_on_one_line_in_the_pdf(built, folder):
    """In the decree (where 'KECJENAWI/YANUM/8/2024' and '01/SOP/JMPL/2023' broke after a '/')
    and on its lampiran's first pages."""
    members, pdf_path, _, _ = built[folder]
    _numbers_stay_on_one_line(pdf_path, members)


@needs_libreoffice
@pytest.mark.parametrize("folder", NUMBER_CASES)
def test_sop_and_decree_numbers_are_whole_on_one_line_in_the_docx(built, folder):
    members, _, _, converted = built[folder]
    _numbers_stay_on_one_line(converted, members)


def _gaps(pdf_path, first: str, last: str) -> list[float]:
    """The gaps between the words of the text column on the first page, on the lines from the
    label `first` to the label `last` (that line included when `last` is KETIGA, a one-line
    diktum), leaving out the list numbers ('1.') and the space after them."""
    with pdfplumber.open(pdf_path) as pdf:
        words = pdf.pages[0].extract_words(x_tolerance=1.5)
    label = next(w for w in words if w["text"] == first)
    end = next(w for w in words if w["text"] == last)
    bottom = end["top"] + 1 if last == "KETIGA" else end["top"] - 1
    text_x = label["x0"] + 30 * PT_PER_MM  # right of the label and the colon (28 + 4 mm)
    body = [w for w in words if w["x0"] >= text_x and label["top"] - 1 <= w["top"] < bottom]
    gaps = []
    for top in sorted({round(w["top"]) for w in body}):
        line = sorted((w for w in body if round(w["top"]) == top), key=lambda w: w["x0"])
        if re.fullmatch(r"\d+\.", line[0]["text"]):
            line = line[1:]
        gaps += [b["x0"] - a["x1"] for a, b in zip(line, line[1:])]
    assert len(gaps) >= 5
    return gaps


@pytest.mark.parametrize("folder", NUMBER_CASES)
def test_the_menetapkan_line_and_the_diktum_have_no_stretched_gaps_in_the_pdf(built, folder):
    """Menetapkan, in capitals, is left-aligned: its gaps are plain spaces; the diktum stays
    justified (hyphenated where a line would gape) within three spaces."""
    pdf_path = built[folder][1]
    assert max(_gaps(pdf_path, "Menetapkan", "KESATU")) < 1.5 * SPACE_PT
    assert max(_gaps(pdf_path, "KESATU", "KETIGA")) < 3 * SPACE_PT


@needs_libreoffice
@pytest.mark.parametrize("folder", NUMBER_CASES)
def test_the_menetapkan_line_and_the_diktum_have_no_stretched_gaps_in_the_docx(built, folder):
    converted = built[folder][3]
    assert max(_gaps(converted, "Menetapkan", "KESATU")) < 1.5 * SPACE_PT
    assert max(_gaps(converted, "KESATU", "KETIGA")) < 3 * SPACE_PT


def test_the_blank_name_line_carries_nothing_but_the_line(built):
    """Jenawi's camat has no name in the source: between the jabatan and the pangkat, only the
    dotted line for the handwritten name (no dash, no underline of an empty name)."""
    members, pdf_path, docx_path, _ = built["kecamatan-jenawi"]
    decree_pages, _ = _parts(pdf_path)
    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[len(decree_pages) - 1]
        words = page.extract_words()
        jabatan = [w for w in words if w["text"] == "JENAWI,"][-1]
        pangkat = next(w for w in words if w["text"] == "Pembina")
        between = [c["text"] for c in page.chars if jabatan["bottom"] < c["top"] and c["bottom"] < pangkat["top"]]
        drawn = [o for o in page.rects + page.lines + page.curves
                 if jabatan["bottom"] < o["top"] and o["bottom"] < pangkat["top"] + 1]
        text = page.extract_text()
    assert between == []
    assert drawn and all(o["x1"] - o["x0"] > 50 * PT_PER_MM for o in drawn)  # the rule, 60 mm
    signature = text[text.rindex("Ditetapkan di"):]
    assert "-" not in signature
    document = docx.Document(docx_path)
    blocks = [p.text for table in document.tables for row in table.rows for c in row.cells
              if any("Ditetapkan di" in p.text for p in c.paragraphs) for p in c.paragraphs]
    assert blocks and "-" not in "".join(blocks)
    name_line = next(line for line in blocks if line.startswith("."))
    assert set(name_line) == {"."}
