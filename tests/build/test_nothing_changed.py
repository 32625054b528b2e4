"""A build with nothing changed since the last successful one answers from its record, without
loading a source, and says what a build that found everything current says; anything that
changed a byte of a source, or a file the build left, makes it a real build."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from sopdoc.build.outputs import BUILD_LOCK_FILE, RUN_RECORD_FILE
from sopdoc.cli import cli
from sopdoc.cli import building
from tests.conftest import BASE_SOP, SITE_CONFIG, office_tree, png_bytes


def _files(*folders: Path) -> dict[Path, tuple[int, int]]:
    """Every file's inode and mtime, but the lock's (every build writes its pid there)."""
    return {path: (path.stat().st_ino, path.stat().st_mtime_ns)
            for folder in folders for path in sorted(folder.rglob("*")) if path.is_file() and path.name != BUILD_LOCK_FILE}


def _timeless(text: str) -> str:
    return re.sub(r"dalam \d+\.\d detik", "dalam X detik", text)


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A built office with its site, in the working folder."""
    office_tree(tmp_path, sop=BASE_SOP, laporan=BASE_SOP.replace("KEC/UJI/1/2024", "KEC/UJI/2/2024")
                .replace("nama: Layanan Uji", "nama: Laporan Uji"))
    shutil.copy(SITE_CONFIG, tmp_path / "mkdocs.yml")
    monkeypatch.chdir(tmp_path)
    first = _build()
    assert first.exit_code == 0, first.output
    return tmp_path


def _build(*extra: str):
    return CliRunner().invoke(cli, ["build", "sop_sources", *extra], catch_exceptions=False)


@pytest.fixture
def loads(monkeypatch) -> list:
    """One item for each time a build loads the sources."""
    calls, real_load = [], building.load
    monkeypatch.setattr(building, "load", lambda *args, **kwargs: calls.append(args) or real_load(*args, **kwargs))
    return calls


def test_nothing_changed_loads_nothing_touches_nothing_and_says_what_a_full_check_says(project, loads):
    before = _files(project / "build", project / "site")
    (project / "build" / RUN_RECORD_FILE).rename(project / "record")
    checked = _build()  # the whole way: sources loaded, every document found current
    assert checked.exit_code == 0, checked.output
    assert "2 SOP: 0 dibangun, 2 tidak berubah, 0 gagal" in checked.output
    assert "situs: tidak berubah" in checked.output
    after_check = _files(project / "build", project / "site")

    del loads[:]
    answered = _build()
    assert answered.exit_code == 0, answered.output
    assert not loads
    assert _timeless(answered.output) == _timeless(checked.output)
    assert answered.stderr == checked.stderr
    assert _files(project / "build", project / "site") == after_check
    assert {path: stamp for path, stamp in after_check.items() if path.name != RUN_RECORD_FILE} == \
        {path: stamp for path, stamp in before.items() if path.name != RUN_RECORD_FILE}


def test_warnings_are_said_again(tmp_path, monkeypatch, loads):
    office_tree(tmp_path, sop=BASE_SOP.replace("    output: Surat", "    output: Surat #1 asli"))
    monkeypatch.chdir(tmp_path)
    first = _build("--no-site")
    assert "SOP266" in first.stderr
    again = _build("--no-site")
    assert again.exit_code == 0
    assert again.stderr == first.stderr
    assert len(loads) == 1


def test_an_edit_that_keeps_size_and_time_is_built(project, monkeypatch):
    source = project / "sop_sources" / "kecamatan-uji" / "layanan-uji.yml"
    status = source.stat()
    source.write_text(source.read_text(encoding="utf-8").replace("Menyerahkan hasil", "Menyerahkan hasiL"),
                      encoding="utf-8")
    os.utime(source, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert source.stat().st_size == status.st_size
    rebuilt = _build()
    assert "2 SOP: 1 dibangun, 1 tidak berubah, 0 gagal" in rebuilt.output
    assert "hasiL" in (project / "site" / "kecamatan-uji" / "layanan-uji" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("harm", ["deleted", "replaced"])
def test_a_document_harmed_by_hand_is_built_again(project, harm):
    pdf = project / "build" / "kecamatan-uji" / "layanan-uji.pdf"
    good = pdf.read_bytes()
    if harm == "deleted":
        pdf.unlink()
    else:
        pdf.write_bytes(b"%PDF-1.7 rusak")
    again = _build()
    assert again.exit_code == 0, again.output
    assert pdf.read_bytes() == good


def test_a_page_of_the_site_deleted_by_hand_comes_back(project):
    page = project / "site" / "kecamatan-uji" / "layanan-uji" / "index.html"
    good = page.read_bytes()
    page.unlink()
    again = _build()
    assert again.exit_code == 0, again.output
    assert page.read_bytes() == good


def test_a_file_put_beside_the_sources_is_named(project):
    (project / "sop_sources" / "kecamatan-uji" / "catatan.docx").write_bytes(b"PK\x03\x04")
    again = _build()
    assert "catatan.docx" in again.stderr and "SOP265" in again.stderr


def test_a_logo_changed_is_built(project):
    instansi = project / "sop_sources" / "kecamatan-uji" / "instansi.yml"
    (instansi.parent / "logo.png").write_bytes(png_bytes())
    instansi.write_text(instansi.read_text(encoding="utf-8") + "logo: logo.png\n", encoding="utf-8")
    assert "2 dibangun" in _build().output
    (instansi.parent / "logo.png").write_bytes(png_bytes((60, 60)))
    assert "2 dibangun" in _build().output


def test_a_failed_build_leaves_no_record_and_the_next_one_checks_everything(project, loads):
    source = project / "sop_sources" / "kecamatan-uji" / "layanan-uji.yml"
    good = source.read_bytes()
    source.write_text("nomor: [\n", encoding="utf-8")
    assert _build().exit_code == 1
    assert not (project / "build" / RUN_RECORD_FILE).exists()
    source.write_bytes(good)
    assert _build().exit_code == 0
    assert len(loads) == 2


def test_a_build_cut_short_leaves_no_record(project, monkeypatch):
    source = project / "sop_sources" / "kecamatan-uji" / "layanan-uji.yml"
    source.write_text(source.read_text(encoding="utf-8").replace("Menyerahkan hasil", "Menyerahkan surat"),
                      encoding="utf-8")

    def cut_short(*args, **kwargs):
        assert not (project / "build" / RUN_RECORD_FILE).exists()  # gone before anything is replaced
        raise KeyboardInterrupt
    monkeypatch.setattr(building, "_build_documents", cut_short)
    assert _build().exit_code == 1
    assert not (project / "build" / RUN_RECORD_FILE).exists()


def test_a_source_saved_while_the_build_runs_is_built_by_the_next(project, monkeypatch):
    source = project / "sop_sources" / "kecamatan-uji" / "layanan-uji.yml"
    real_load = building.load

    def load_then_save(*args, **kwargs):
        loaded = real_load(*args, **kwargs)
        source.write_text(source.read_text(encoding="utf-8").replace("Menyerahkan hasil", "Menyerahkan berkas"),
                          encoding="utf-8")  # the clerk saves just after the build read the file
        return loaded
    monkeypatch.setattr(building, "load", load_then_save)
    (project / "build" / RUN_RECORD_FILE).unlink()  # so that this build loads the sources
    assert "0 dibangun" in _build().output
    monkeypatch.setattr(building, "load", real_load)
    next_build = _build()
    assert "2 SOP: 1 dibangun, 1 tidak berubah, 0 gagal" in next_build.output
    assert "Menyerahkan berkas" in (project / "site" / "kecamatan-uji" / "layanan-uji" / "index.html").read_text(
        encoding="utf-8")


def test_force_and_other_options_are_real_builds(project, loads):
    options = (["--force"], ["--strict"], ["--no-site"], ["--format", "pdf"])
    for option in options:
        assert _build(*option).exit_code == 0
    assert len(loads) == len(options)
