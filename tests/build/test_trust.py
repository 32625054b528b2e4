"""A build you can trust: concurrent runs, a run killed half-way, a renderer's bug in one SOP."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pdfplumber
import pytest

import sopdoc.render.docx.lampiran
from conftest import BASE_SOP, CORPUS, SITE_CONFIG, office_tree
from sopdoc.build.lock import BuildBusy, FolderLock
from sopdoc.build.outputs import BUILD_LOCK_FILE
from sopdoc.fileio import replace_folder
from sopdoc.sources.synthetic import write_synthetic_tree

SOPDOC = Path(sys.executable).parent / "sopdoc"


def _wait_until(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def _lock_holder(out: Path) -> str:
    try:
        return (out / BUILD_LOCK_FILE).read_text().strip()
    except OSError:
        return ""


def test_two_builds_at_once_one_refuses_and_the_site_is_complete(tmp_path):
    sops = write_synthetic_tree(tmp_path / "sop_sources", 100, seed=3)
    shutil.copy(SITE_CONFIG, tmp_path / "mkdocs.yml")
    command = [str(SOPDOC), "build", "sop_sources", "--out", "build"]
    first = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_until(lambda: _lock_holder(tmp_path / "build") == str(first.pid), 60, "the first build's lock")
        second = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert second.returncode == 1
        assert f"build lain sedang berjalan (pid {first.pid})" in second.stderr
        out, err = first.communicate(timeout=600)
    finally:
        first.kill()
    assert first.returncode == 0, err
    site = tmp_path / "site"
    for path in sops:
        assert (site / path.parent.name / path.stem / "index.html").is_file(), path
    assert not list(tmp_path.glob(".site.*"))  # no staging folder left behind
    assert _lock_holder(tmp_path / "build") == ""


def test_a_waiting_build_is_told_who_holds_the_lock_and_goes_on_after_it(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from sopdoc.build.lock import FolderLock\n"
        f"with FolderLock(Path({str(tmp_path)!r}), 'kunci'):\n"
        "    print('held', flush=True); time.sleep(1.5)\n"
        "print('released', flush=True)")], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    with pytest.raises(BuildBusy, match=f"pid {holder.pid}"):
        FolderLock(tmp_path, "kunci").__enter__()
    told = []
    with FolderLock(tmp_path, "kunci", wait=told.append):
        assert holder.stdout.readline().strip() == "released"  # acquired once the holder let go
    assert told == [str(holder.pid)]
    holder.communicate(timeout=10)


def _build(cwd: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([str(SOPDOC), "build", "sop_sources", "--out", "build", "--no-site", "--jobs", "1",
                             *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_a_build_killed_after_an_sop_was_written_is_repaired_by_the_next(tmp_path):
    shutil.copytree(CORPUS, tmp_path / "sop_sources")
    first = _build(tmp_path)
    first.communicate(timeout=600)
    assert first.returncode == 0
    source = tmp_path / "sop_sources/kecamatan-jenawi/penanganan-aduan.yml"  # the first SOP built
    pdf = tmp_path / "build/kecamatan-jenawi/penanganan-aduan.pdf"
    original = source.read_text(encoding="utf-8")
    source.write_text(original.replace("nama: Penanganan Aduan Masyarakat", "nama: Penanganan Aduan DIUBAH"),
                      encoding="utf-8")
    written = pdf.stat().st_mtime_ns
    edited = _build(tmp_path)
    _wait_until(lambda: pdf.stat().st_mtime_ns != written, 120, "the edited SOP's PDF")
    assert edited.poll() is None, "the build ended before it could be interrupted"
    os.kill(edited.pid, signal.SIGKILL)
    edited.communicate(timeout=10)

    source.write_text(original, encoding="utf-8")  # undo the edit
    repaired = _build(tmp_path)
    output, _ = repaired.communicate(timeout=600)
    assert repaired.returncode == 0, output
    assert "ditulis: kecamatan-jenawi/penanganan-aduan" in output
    with pdfplumber.open(pdf) as document:
        text = document.pages[0].extract_text()
    assert "Penanganan Aduan Masyarakat" in re.sub(r"\s+", " ", text) and "DIUBAH" not in text


def test_a_renderer_bug_in_one_sop_fails_that_sop_and_the_run_goes_on(run, tmp_path, monkeypatch):
    office_tree(tmp_path, kedua=BASE_SOP.replace("KEC/UJI/1/2024", "KEC/UJI/2/2024"))
    real = sopdoc.render.docx.lampiran.render_lampiran_docx

    def broken(sop, *args):
        if sop.slug == "layanan-uji":
            raise RuntimeError("boom")
        return real(sop, *args)

    monkeypatch.setattr(sopdoc.render.docx.lampiran, "render_lampiran_docx", broken)
    result = run("build", "--jobs", "1", "--no-site")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    message = re.search(r"sopdoc: kecamatan-uji/layanan-uji: kesalahan internal sopdoc saat membuat dokumen ini "
                        r"\(RuntimeError\); rincian tersimpan di (\S+)", result.stderr)
    assert message, result.stderr
    assert "RuntimeError: boom" in Path(message.group(1)).read_text()
    Path(message.group(1)).unlink()
    assert (tmp_path / "build/kecamatan-uji/kedua.docx").is_file()
    assert not (tmp_path / "build/kecamatan-uji/layanan-uji.pdf").exists()  # all formats or none


def test_a_folder_is_replaced_in_one_step(tmp_path):
    target, new = tmp_path / "site", tmp_path / ".site.new"
    target.mkdir()
    (target / "lama.html").write_text("lama")
    new.mkdir()
    (new / "baru.html").write_text("baru")
    replace_folder(new, target)
    assert [p.name for p in target.iterdir()] == ["baru.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
