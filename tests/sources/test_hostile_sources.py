"""Sources that passed `check` once and then broke a build, or that reached outside the tree: now
each is a located diagnostic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import docx

from conftest import BASE_INSTANSI, BASE_SOP, office_tree, replace_line

SOPDOC = Path(sys.executable).parent / "sopdoc"


def _errors(result) -> list[str]:
    return [line for line in result.stdout.splitlines() if ": galat: " in line]


def test_a_hundred_thousand_nested_brackets_are_refused_at_once(tmp_path):
    sources = office_tree(tmp_path, sop="nomor: " + "[" * 100_000 + "]" * 100_000 + "\n")
    result = subprocess.run([str(SOPDOC), "check", str(sources)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert "layanan-uji.yml:1:" in result.stdout and "struktur terlalu dalam (lebih dari 64 tingkat) [SOP108]" \
        in result.stdout


def test_control_characters_are_refused_where_they_stand(run, tmp_path):
    office_tree(tmp_path, sop=replace_line(BASE_SOP, 2, 'nama: "Layanan\\x01 Uji"'))
    result = run("check")
    assert result.exit_code == 1
    assert _errors(result) == ["sop_sources/kecamatan-uji/layanan-uji.yml:2:7: galat: 'nama' berisi karakter "
                               "U+0001 yang tidak dapat dicetak [SOP119]"]


def test_an_absurd_waktu_is_refused(run, tmp_path):
    office_tree(tmp_path, sop=replace_line(BASE_SOP, 14, "    waktu: 99999999999999999999999999999999 detik"))
    result = run("check")
    assert result.exit_code == 1
    (error,) = _errors(result)
    assert error.startswith("sop_sources/kecamatan-uji/layanan-uji.yml:14:12: galat: langkah 1: waktu "
                            "'99999999999999999999999999999999 detik' di luar batas")
    assert run("summary").exit_code == 1  # and no crash


def test_two_files_with_one_name_are_refused(run, tmp_path):
    office_tree(tmp_path, layanan_uji_yaml=BASE_SOP)  # writes layanan-uji-yaml.yml: rename it
    office = tmp_path / "sop_sources/kecamatan-uji"
    (office / "layanan-uji-yaml.yml").rename(office / "layanan-uji.yaml")
    result = run("check")
    assert result.exit_code == 1
    assert any("layanan-uji.yml:1:1: galat: berkas 'layanan-uji.yml' dan 'layanan-uji.yaml' bernama sama" in line
               and "[SOP216]" in line for line in _errors(result)), result.stdout


def test_names_that_would_overwrite_another_output_are_refused(run, tmp_path):
    sources = office_tree(tmp_path, keputusan_sop_2024=BASE_SOP.replace("KEC/UJI/1/2024", "KEC/UJI/2/2024"),
                          layanan_uji_ttd=BASE_SOP.replace("KEC/UJI/1/2024", "KEC/UJI/3/2024"))
    (sources / "kecamatan-uji").rename(sources / "situs")
    errors = _errors(run("check"))
    assert "sop_sources/situs/instansi.yml:1:1: galat: nama folder instansi 'situs' dipakai sopdoc sendiri untuk " \
           "keluaran atau situs [SOP216]" in errors
    assert "sop_sources/situs/keputusan-sop-2024.yml:1:1: galat: nama berkas 'keputusan-sop-2024.yml' bertabrakan " \
           "dengan dokumen keputusan 'keputusan-sop-2024' [SOP216]" in errors
    assert "sop_sources/situs/layanan-uji-ttd.yml:1:1: galat: nama berkas 'layanan-uji-ttd.yml' bertabrakan " \
           "dengan salinan bertanda tangan dari 'layanan-uji.pdf' [SOP216]" in errors


def test_links_out_of_the_sources_tree_are_refused_and_never_read(run, tmp_path):
    outside = tmp_path / "di-luar"
    outside.mkdir()
    (outside / "rahasia.yml").write_text(BASE_SOP.replace("KEC/UJI/1/2024", "KEC/RAHASIA/9"))
    (outside / "instansi.yml").write_text(BASE_INSTANSI)
    sources = office_tree(tmp_path)
    (sources / "kecamatan-uji/tautan.yml").symlink_to(outside / "rahasia.yml")
    linked_office = sources / "kecamatan-tautan"
    linked_office.symlink_to(outside, target_is_directory=True)
    inner = sources / "kecamatan-dalam"
    inner.mkdir()
    (inner / "instansi.yml").symlink_to(outside / "instansi.yml")
    (inner / "aduan.yml").write_text(BASE_SOP)
    result = run("build", "--no-site")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if ": galat: " in line]
    for path in ("kecamatan-uji/tautan.yml", "kecamatan-tautan", "kecamatan-dalam/instansi.yml"):
        assert f"sop_sources/{path}:1:1: galat: '{Path(path).name}' adalah tautan ke luar folder sumber [SOP215]" \
            in errors, result.stderr
    assert not (tmp_path / "build").exists()


def test_a_name_longer_than_word_allows_in_its_properties_still_builds(run, tmp_path):
    long_name = "Layanan " + "sangat panjang " * 25
    office_tree(tmp_path, sop=replace_line(BASE_SOP, 2, f"nama: {long_name.strip()}"),
                instansi=BASE_INSTANSI.replace("tentang: SOP Kecamatan Uji", "tentang: " + "Tentang " * 40))
    result = run("build", "--no-site")
    assert result.exit_code == 0, result.output
    lampiran = docx.Document(tmp_path / "build/kecamatan-uji/layanan-uji.docx")
    title = lampiran.core_properties.title
    assert len(title) == 255 and title.endswith("\N{HORIZONTAL ELLIPSIS}")
    cells = {cell.text for table in lampiran.tables for row in table.rows for cell in row.cells}
    assert long_name.strip() in cells  # the document itself shows the whole name
    decree = docx.Document(tmp_path / "build/kecamatan-uji/keputusan-sop-2024.docx")
    assert len(decree.core_properties.subject) == 255


def test_an_actor_title_too_long_for_the_header_is_refused(run, tmp_path):
    office_tree(tmp_path, sop=replace_line(BASE_SOP, 10, "  petugas: " + "Petugas" * 30))
    errors = _errors(run("check"))
    assert errors == ["sop_sources/kecamatan-uji/layanan-uji.yml:10:12: galat: pelaksana: 'petugas' "
                      "terlalu panjang (210 karakter; paling banyak 150) [SOP120]"]
