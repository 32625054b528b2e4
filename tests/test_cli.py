"""The command line: exit codes, output, scaffolding and schema."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import jsonschema
import yaml

from conftest import BASE_SOP, ROOT, office_tree, replace_line

import sopdoc.cli.common
from sopdoc import __version__


def test_version(run):
    result = run("--version")
    assert result.exit_code == 0 and result.output.strip() == f"sopdoc {__version__}"


def test_check_clean_tree_exits_0(run, tmp_path):
    office_tree(tmp_path)
    result = run("check")
    assert result.exit_code == 0
    assert result.output == "Tidak ada masalah.\n"


def test_check_errors_exit_1_with_sorted_located_lines_and_count(run, tmp_path):
    office_tree(tmp_path, sop=replace_line(BASE_SOP, 17, "    pelaksana: petugsa"))
    result = run("check", "sop_sources")
    assert result.exit_code == 1
    assert result.output == (
        "sop_sources/kecamatan-uji/layanan-uji.yml:17:16: galat: langkah 2: pelaksana 'petugsa' "
        "tidak dikenal [SOP201]\n"
        "    saran: maksud Anda 'petugas'?\n"
        "1 galat, 0 peringatan\n"
    )


def test_warnings_exit_0_unless_strict(run, tmp_path):
    office_tree(tmp_path, sop=replace_line(BASE_SOP, 14))
    assert run("check").exit_code == 0
    strict = run("check", "--strict")
    assert strict.exit_code == 1
    assert strict.output.endswith("0 galat, 1 peringatan\n")


def test_check_a_single_file_reports_only_that_file(run, tmp_path):
    office_tree(tmp_path, other=replace_line(BASE_SOP, 1, "nomor: KEC/LAIN/1"))
    (tmp_path / "sop_sources/kecamatan-uji/rusak.yml").write_text("nomor: [\n")
    result = run("check", "sop_sources/kecamatan-uji/layanan-uji.yml")
    assert result.exit_code == 0, result.output


def test_missing_path_is_a_usage_error(run):
    result = run("check", "tidak-ada")
    assert result.exit_code == 2
    assert "sopdoc: 'tidak-ada' tidak ditemukan" in result.output


def test_unknown_command_is_a_usage_error(run):
    assert run("periksa").exit_code == 2


def test_summary_lists_offices_sops_and_total_time(run, tmp_path):
    office_tree(tmp_path)
    result = run("summary")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "Kecamatan Uji (kecamatan-uji): 1 SOP",
        "  KEC/UJI/1/2024  Layanan Uji [Lampiran I]",
        "      3 langkah, total waktu 20 menit",
        "1 instansi, 1 SOP",
    ]


def test_internal_error_shows_no_traceback_unless_asked(run, tmp_path, monkeypatch):
    office_tree(tmp_path)

    def broken(paths, cache_file=None):
        raise RuntimeError("boom")

    monkeypatch.setattr(sopdoc.cli.common, "load_project", broken)
    result = run("check")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "kesalahan internal" in result.output
    log = re.search(r"tersimpan di (\S+?)\.(?:\s|$)", result.output).group(1)
    assert "RuntimeError: boom" in Path(log).read_text()
    Path(log).unlink()
    try:
        run("--traceback", "check")
    except RuntimeError as exc:
        assert str(exc) == "boom"
    else:
        raise AssertionError("--traceback must let the exception through")


def test_new_then_check_round_trips(run, tmp_path):
    office_tree(tmp_path)
    result = run("new", "kecamatan-uji", "layanan-ktp", "--nama", 'Layanan "KTP" Elektronik', "--tanggal",
                 "2024-05-06")
    assert result.exit_code == 0, result.output
    path = tmp_path / "sop_sources/kecamatan-uji/layanan-ktp.yml"
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=../sop.schema.json\n")
    assert "disahkan_oleh: camat" in text  # prefilled from instansi.yml

    # Unfilled, check points at every TODO by line.
    first = run("check", str(path))
    assert first.exit_code == 1
    todo_lines = [n for n, line in enumerate(text.splitlines(), 1) if re.search(r":\s*TODO|-\s*TODO", line)]
    reported = sorted(int(m) for m in re.findall(r"layanan-ktp\.yml:(\d+):\d+: galat: .*\[SOP118\]", first.output))
    assert reported == todo_lines

    filled = re.sub(r"TODO[^\n]*", "Diisi petugas", text)
    path.write_text(filled)
    second = run("check", str(path))
    assert second.exit_code == 0, second.output
    data = yaml.safe_load(filled)
    assert data["nama"] == 'Layanan "KTP" Elektronik'
    assert data["tanggal_efektif"] == dt.date(2024, 5, 6)
    # the schema the skeleton points to was written beside the sources
    assert (tmp_path / "sop_sources/sop.schema.json").is_file()


def test_new_creates_a_new_office_with_a_skeleton_instansi(run, tmp_path):
    result = run("new", "kecamatan-baru", "layanan-kk", "--nama", "Layanan KK")
    assert result.exit_code == 0
    office = tmp_path / "sop_sources/kecamatan-baru/instansi.yml"
    assert office.is_file()
    check = run("check")
    assert check.exit_code == 1
    assert "instansi.yml:4:13: galat: 'pemerintah' belum diisi (masih TODO) [SOP118]" in check.output


def test_new_refuses_to_overwrite(run, tmp_path):
    office_tree(tmp_path)
    before = (tmp_path / "sop_sources/kecamatan-uji/layanan-uji.yml").read_text()
    result = run("new", "kecamatan-uji", "layanan-uji", "--nama", "X")
    assert result.exit_code == 1
    assert "sudah ada" in result.output
    assert (tmp_path / "sop_sources/kecamatan-uji/layanan-uji.yml").read_text() == before


def test_new_rejects_bad_slugs(run, tmp_path):
    result = run("new", "kecamatan-uji", "Layanan KTP", "--nama", "X")
    assert result.exit_code == 1
    assert "bukan slug SOP yang valid" in result.output
    assert not list(tmp_path.rglob("*.yml"))


def test_schema_is_json_and_accepts_the_base_sop(run):
    result = run("schema")
    schema = json.loads(result.output)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(yaml.safe_load(BASE_SOP.replace("2024-01-02", "'2024-01-02'")), schema)
    bad = yaml.safe_load(BASE_SOP.replace("nama: Layanan Uji", "namaa: x"))
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(bad))


def test_readme_walkthrough_is_true(run, tmp_path):
    """Replay the README's five-minute walkthrough and compare with the output it shows."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"^(sop_sources/kecamatan-jenawi/layanan-ktp\.yml:\d+:\d+: galat: .*)$", readme, re.M).group(1)
    assert run("new", "kecamatan-jenawi", "layanan-ktp", "--nama",
               "Layanan Kartu Tanda Penduduk Elektronik").exit_code == 0
    for name in ("instansi.yml", "layanan-ktp.yml"):
        path = tmp_path / "sop_sources/kecamatan-jenawi" / name
        path.write_text(re.sub(r"TODO[^\n]*", "Diisi petugas", path.read_text()))
    assert run("check", "sop_sources/kecamatan-jenawi").exit_code == 0
    path = tmp_path / "sop_sources/kecamatan-jenawi/layanan-ktp.yml"
    line = int(shown.split(":")[1])
    lines = path.read_text().splitlines()
    lines[line - 1] = lines[line - 1].replace("petugas", "petugsa")
    path.write_text("\n".join(lines) + "\n")
    result = run("check", "sop_sources/kecamatan-jenawi")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == shown
