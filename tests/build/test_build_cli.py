"""`sopdoc build` from the command line: outputs, exit codes, atomicity, the site's swimlane SVG."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET

from conftest import BASE_SOP, CORPUS, office_tree, replace_line

import sopdoc.render.docx.lampiran
from sopdoc.build.pipeline import build
from sopdoc.errors import SopdocError
from sopdoc.sources.loader import load_project


def test_build_writes_every_format_and_a_summary_line(run, tmp_path):
    office_tree(tmp_path)
    result = run("build", "--format", "pdf,svg", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert "ditulis: kecamatan-uji/layanan-uji" in result.stdout
    assert "1 SOP: 1 dibangun, 0 tidak berubah, 0 gagal" in result.stdout.splitlines()
    assert result.stdout.splitlines()[-1].startswith("selesai dalam ")
    assert (tmp_path / "build/kecamatan-uji/layanan-uji.pdf").read_bytes().startswith(b"%PDF")
    assert not (tmp_path / "build/kecamatan-uji/layanan-uji.docx").exists()
    again = run("build", "--format", "pdf,svg")
    assert "tidak berubah: kecamatan-uji/layanan-uji" in again.stdout


def test_build_refuses_invalid_sources_and_writes_nothing(run, tmp_path):
    office_tree(tmp_path, sop=replace_line(BASE_SOP, 17, "    pelaksana: petugsa"))
    result = run("build")
    assert result.exit_code == 1
    assert "[SOP201]" in result.stderr
    assert not (tmp_path / "build").exists()


def test_unknown_format_is_a_usage_error(run, tmp_path):
    office_tree(tmp_path)
    result = run("build", "--format", "pdf,odt")
    assert result.exit_code == 2
    assert "format tidak dikenal: odt" in result.output


def test_a_failed_render_keeps_the_previous_outputs(tmp_path, monkeypatch):
    project, _ = load_project([CORPUS])
    sop = next(s for s in project.sops if s.slug == "legalisir-surat")
    out = tmp_path / "out"
    build([sop], ("pdf", "docx"), out, jobs=1)
    pdf = out / "kecamatan-jumapolo/legalisir-surat.pdf"
    before = pdf.read_bytes()

    def broken(*args):
        raise SopdocError("gagal menulis DOCX")

    monkeypatch.setattr(sopdoc.render.docx.lampiran, "render_lampiran_docx", broken)
    lampiran, keputusan = build([sop], ("pdf", "docx"), out, jobs=1, force=True)
    assert lampiran.error == "gagal menulis DOCX"
    assert keputusan.error == "ada lampiran yang gagal dibangun"
    assert pdf.read_bytes() == before
    assert sorted(p.name for p in pdf.parent.iterdir()) == [
        "keputusan-sop-pelayanan-2023.docx", "keputusan-sop-pelayanan-2023.pdf",
        "legalisir-surat.docx", "legalisir-surat.pdf"]


def test_swimlane_svg_has_lane_titles_and_numbered_steps(tmp_path):
    sources = tmp_path / "src"
    shutil.copytree(CORPUS / "kecamatan-jenawi", sources / "kecamatan-jenawi")
    project, _ = load_project([sources])
    (result,) = build(list(project.sops), ("svg",), tmp_path / "out", jobs=1)
    tree = ET.parse(result.written[0])
    texts = [t.text for t in tree.iter("{http://www.w3.org/2000/svg}text")]
    for actor in project.sops[0].pelaksana:
        assert actor.title.split()[0] in " ".join(texts)
    assert [str(n) for n in range(1, 8)] == [t for t in texts if t.isdigit()]


def test_the_office_logo_is_in_both_documents(run, tmp_path):
    import docx
    import pdfplumber

    from conftest import BASE_INSTANSI
    from conftest import png_bytes

    instansi = BASE_INSTANSI.replace("nama: Kecamatan Uji\n", "nama: Kecamatan Uji\nlogo: logo.png\n")
    sources = office_tree(tmp_path, instansi=instansi)
    (sources / "kecamatan-uji/logo.png").write_bytes(png_bytes((120, 140)))
    assert run("build", "--format", "pdf,docx", "--jobs", "1").exit_code == 0
    with pdfplumber.open(tmp_path / "build/kecamatan-uji/layanan-uji.pdf") as pdf:
        assert pdf.pages[0].images, "the logo is drawn in the letterhead cell"
    document = docx.Document(tmp_path / "build/kecamatan-uji/layanan-uji.docx")
    assert document.inline_shapes[0].height > 0


def test_the_source_cache_gives_the_same_model_and_diagnostics(tmp_path):
    from sopdoc.build.outputs import SOURCE_CACHE_FILE

    sources = tmp_path / "src"
    shutil.copytree(CORPUS, sources)
    broken = sources / "kecamatan-jumapolo" / "legalisir-surat.yml"
    broken.write_text(broken.read_text().replace("pelaksana: jfu\n", "pelaksana: jfuu\n", 1))
    cache = tmp_path / "out" / SOURCE_CACHE_FILE
    load_project([sources], cache_file=cache)
    assert not cache.exists(), "a failed check writes nothing into the output folder"
    broken.write_text(broken.read_text().replace("pelaksana: jfuu\n", "pelaksana: jfu\n", 1))
    fresh_project, fresh = load_project([sources])
    first_project, first = load_project([sources], cache_file=cache)
    assert cache.is_file()
    cached_project, cached = load_project([sources], cache_file=cache)
    assert [d.format() for d in cached] == [d.format() for d in first] == [d.format() for d in fresh]
    assert repr(cached_project) == repr(first_project) == repr(fresh_project)
    # an edit is seen through the cache; a damaged cache is ignored
    broken.write_text(broken.read_text().replace("pelaksana: jfu\n", "pelaksana: jfuu\n", 1))
    edited_project, edited = load_project([sources], cache_file=cache)
    assert [d.code for d in edited if d.is_error] == ["SOP201"]
    cache.write_text("{not json")
    project, diagnostics = load_project([sources], cache_file=cache)
    assert [d.format() for d in diagnostics] == [d.format() for d in edited]
