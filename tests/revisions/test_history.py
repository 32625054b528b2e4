"""`sopdoc diff FILE [--sejak REV]`: the old version read from a git repository made in tmp_path."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import CORPUS
from revision_sources import JENAWI, edit, insert_before_step_5

NEW = f"sop_sources/{JENAWI}"


def git(root, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=Uji", "-c", "user.email=uji@example.org", "-c",
                           "commit.gpgsign=false", *args], cwd=root, check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture
def repo(tmp_path):
    """tmp_path as a git repository holding the Jenawi office, committed once."""
    shutil.copytree(CORPUS / "kecamatan-jenawi", tmp_path / "sop_sources" / "kecamatan-jenawi")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "Penetapan awal")
    return tmp_path


def test_against_the_last_commit_by_default(run, repo):
    assert run("diff", NEW).exit_code == 0  # nothing changed since the commit
    edit(repo / NEW, "uraian: Menerima input pengaduan", "uraian: Menerima masukan pengaduan")
    result = run("diff", NEW)
    assert result.exit_code == 1, result.output
    assert result.output.splitlines()[1:3] == [f"  lama: HEAD:{NEW}", f"  baru: {NEW}"]
    assert "    Uraian: Menerima [-input-]{+masukan+} pengaduan\n" in result.output


def test_since_an_older_revision(run, repo):
    insert_before_step_5(repo / NEW)
    git(repo, "commit", "-q", "-am", "Langkah verifikasi")
    edit(repo / NEW, "waktu: 20 menit", "waktu: 25 menit")
    since_last = run("diff", NEW, "--sejak", "HEAD")
    assert "Langkah 5 ditambahkan" not in since_last.output
    assert "  Langkah 5: Memverifikasi tanggapan PPID sebelum diteruskan\n    Waktu: 20 menit -> 25 menit\n" \
        in since_last.output
    since_first = run("diff", NEW, "--sejak", "HEAD~1")
    assert since_first.exit_code == 1
    assert f"  lama: HEAD~1:{NEW}\n" in since_first.output
    assert "  Langkah 5 ditambahkan: Memverifikasi tanggapan PPID sebelum diteruskan\n" in since_first.output
    first = git(repo, "rev-list", "--max-parents=0", "HEAD").strip()
    assert run("diff", NEW, "--sejak", first[:10]).output == since_first.output.replace("HEAD~1", first[:10])


def test_from_another_working_directory(run, repo, tmp_path_factory, monkeypatch):
    edit(repo / NEW, "  - ATK\n", "")
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    result = run("diff", str(repo / NEW))
    assert result.exit_code == 1 and "Peralatan/Perlengkapan dihapus: ATK" in result.output


def test_the_office_file_at_that_revision_else_todays(run, repo):
    edit(repo / "sop_sources/kecamatan-jenawi/instansi.yml", "    pangkat: Pembina Tk.I\n",
         "    nama: Dra. Sri Lestari, M.M.\n    pangkat: Pembina Tk.I\n")
    result = run("diff", NEW)
    assert result.exit_code == 1
    assert "  Disahkan oleh: Camat Jenawi (Pembina Tk.I, NIP 19790709 199810 1 002) -> Camat Jenawi " \
           "(Dra. Sri Lestari, M.M., Pembina Tk.I, NIP 19790709 199810 1 002)\n" in result.output

    git(repo, "rm", "-q", "--cached", "sop_sources/kecamatan-jenawi/instansi.yml")
    git(repo, "commit", "-q", "-m", "instansi.yml tidak lagi dilacak")
    assert run("diff", NEW).exit_code == 0  # today's office file checks both versions


def test_an_invalid_old_version_is_located_at_rev_path(run, repo):
    edit(repo / NEW, "waktu: 2 hari", "waktu: dua hari")
    git(repo, "commit", "-q", "-am", "rusak")
    edit(repo / NEW, "waktu: dua hari", "waktu: 2 hari")
    result = run("diff", NEW)
    assert result.exit_code == 2
    assert result.output.startswith(f"HEAD:{NEW}:82:12: galat: langkah 4: ")
    assert result.output.endswith(f"sopdoc: HEAD:{NEW} tidak valid, jadi tidak dapat dibandingkan; perbaiki dahulu\n")


@pytest.mark.parametrize("revision, message", [
    ("v9", "revisi 'v9' tidak dikenal di repositori git"),
    ("HEAD~5", "revisi 'HEAD~5' tidak dikenal"),
    ("--all", "revisi '--all' tidak dikenal"),
])
def test_an_unknown_revision_exits_2(run, repo, revision, message):
    result = run("diff", NEW, "--sejak", revision)
    assert result.exit_code == 2
    assert result.output.startswith(f"sopdoc: {message}"), result.output


def test_a_file_not_in_that_revision_exits_2(run, repo):
    shutil.copy(repo / NEW, repo / "sop_sources/kecamatan-jenawi/aduan-baru.yml")
    edit(repo / "sop_sources/kecamatan-jenawi/aduan-baru.yml", "nomor: KECJENAWI/YANUM/8/2024", "nomor: X/1")
    result = run("diff", "sop_sources/kecamatan-jenawi/aduan-baru.yml")
    assert result.exit_code == 2
    assert result.output == ("sopdoc: 'sop_sources/kecamatan-jenawi/aduan-baru.yml' belum ada pada revisi HEAD "
                             "(berkas baru?), jadi tidak ada versi lama untuk dibandingkan\n")


def test_not_a_git_repository_exits_2(run, tmp_path):
    shutil.copytree(CORPUS / "kecamatan-jenawi", tmp_path / "sop_sources" / "kecamatan-jenawi")
    result = run("diff", NEW, env={"GIT_CEILING_DIRECTORIES": str(tmp_path)})
    assert result.exit_code == 2
    assert result.output.startswith("sopdoc: 'sop_sources/kecamatan-jenawi' tidak berada di dalam repositori git")


def test_a_repository_without_commits_exits_2(run, tmp_path):
    shutil.copytree(CORPUS / "kecamatan-jenawi", tmp_path / "sop_sources" / "kecamatan-jenawi")
    git(tmp_path, "init", "-q")
    result = run("diff", NEW)
    assert result.exit_code == 2 and "belum punya commit" in result.output


def test_git_not_installed(run, repo):
    result = run("diff", NEW, env={"PATH": str(repo / "tanpa-git")})
    assert result.exit_code == 2
    assert result.output.startswith("sopdoc: git tidak terpasang")
