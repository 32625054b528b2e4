"""`sopdoc diff OLD.yml NEW.yml` on real SOPs of the corpus, edited in a temporary project: what a
reviewer is told, in which format, with which exit code."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT
from revision_sources import JENAWI, JUMAPOLO_NIKAH, changes_of, copy_sop, edit, insert_before_step_5

import sopdoc.cli.revisions
from sopdoc.revisions.report import NO_CHANGE


def step_lines(output: str) -> list[str]:
    """The lines that name a step (each step reported once, its details indented below)."""
    return [line.strip() for line in output.splitlines() if line.startswith("  Langkah ")]


def diff_after(run, tmp_path, *edits: tuple[str, str], options: tuple[str, ...] = ()):
    """`sopdoc diff lama.yml NEW OPTIONS` once `edits` were made to NEW, the Jenawi SOP in a temporary
    project (lama.yml its copy as it was): each edit the one occurrence of a text, and what
    replaces it."""
    old, new = copy_sop(tmp_path)
    for text, replacement in edits:
        edit(tmp_path / new, text, replacement)
    return run("diff", str(old), str(new), *options)


def test_a_step_inserted_in_the_middle_is_one_insertion(run, tmp_path):
    old, new = copy_sop(tmp_path)
    insert_before_step_5(tmp_path / new)
    result = run("diff", str(old), str(new))
    assert result.exit_code == 1, result.output
    assert step_lines(result.output) == ["Langkah 5 ditambahkan: Memverifikasi tanggapan PPID sebelum diteruskan"]
    assert "    Pelaksana: PPID Pelaksana\n    Waktu: 20 menit\n" in result.output
    assert "Total waktu: 2 hari 3 jam 10 menit -> 2 hari 3 jam 30 menit" in result.output
    assert result.output.rstrip().endswith("1 langkah ditambahkan, total waktu 2 hari 3 jam 10 menit -> "
                                           "2 hari 3 jam 30 menit")

    changes = changes_of(tmp_path / old, tmp_path / new)
    assert [(step.old_number, step.new_number, step.changes) for step in changes.steps] == [(None, 5, ())]
    assert not changes.identity and not changes.lanes


def test_a_changed_waktu_shows_the_step_and_the_total_before_and_after(run, tmp_path):
    result = diff_after(run, tmp_path, ("waktu: 10 menit\n    output: Data Pengaduan",
                                        "waktu: 15 menit\n    output: Data Pengaduan"))
    assert result.exit_code == 1
    assert "Langkah\n  Langkah 2: Menerima input pengaduan\n    Waktu: 10 menit -> 15 menit\n" in result.output
    assert "Waktu\n  Total waktu: 2 hari 3 jam 10 menit -> 2 hari 3 jam 15 menit\n" in result.output
    assert step_lines(result.output) == ["Langkah 2: Menerima input pengaduan"]


def test_a_renamed_lane_is_told_once_and_no_step_changed(run, tmp_path):
    result = diff_after(run, tmp_path, ("operator: Operator/Agen", "operator: Operator Layanan"))
    assert result.exit_code == 1
    assert "Pelaksana\n  Pelaksana diganti nama: Operator/Agen -> Operator Layanan\n" in result.output
    assert step_lines(result.output) == []


def test_a_lane_whose_key_and_title_change_is_still_one_rename(tmp_path):
    old, new = copy_sop(tmp_path)
    text = (tmp_path / new).read_text(encoding="utf-8")
    text = text.replace("operator: Operator/Agen", "agen: Agen Layanan")
    text = text.replace("pelaksana: operator", "pelaksana: agen")
    (tmp_path / new).write_text(text, encoding="utf-8")
    changes = changes_of(tmp_path / old, tmp_path / new)
    assert [(c.old, c.new) for c in changes.lanes.renamed] == [("Operator/Agen", "Agen Layanan")]
    assert not changes.lanes.added and not changes.lanes.removed and changes.steps == ()


def test_a_lane_added_and_one_removed(run, tmp_path):
    old, new = copy_sop(tmp_path, JUMAPOLO_NIKAH)
    # Kasi Kesos's step goes to a new Sekretaris Camat; the Kasi Kesos lane is dropped
    edit(tmp_path / new, "  kasi_kesos: Kasi Kesos\n", "  sekcam: Sekretaris Camat\n")
    edit(tmp_path / new, "Kasi Kesos untuk diteliti ulang dan diparaf\n    pelaksana: kasi_kesos",
         "Kasi Kesos untuk diteliti ulang dan diparaf\n    pelaksana: sekcam")
    edit(tmp_path / new, "  camat: Camat\n", "  camat: Camat\n  kasubag: Kasubag Umum\n")
    edit(tmp_path / new, "    pelaksana: jfu  # column lost; numbering", "    pelaksana: kasubag  # numbering")
    changes = changes_of(tmp_path / old, tmp_path / new)
    assert [(c.old, c.new) for c in changes.lanes.renamed] == [("Kasi Kesos", "Sekretaris Camat")]
    assert changes.lanes.added == ("Kasubag Umum",) and changes.lanes.removed == ()
    result = run("diff", str(old), str(new))
    assert "  Pelaksana ditambahkan: Kasubag Umum\n" in result.output
    assert "  Langkah 5: Memberi nomor agenda, stempel dinas\n    Pelaksana: JFU -> Kasubag Umum\n" in result.output


def test_a_retargeted_branch_is_shown_by_step_number(run, tmp_path):
    result = diff_after(run, tmp_path, ("ya: 7 ", "ya: 6 "))
    assert result.exit_code == 1
    assert step_lines(result.output) == ["Langkah 3: Mengklasifikasi pengaduan dan informasi atau bukan, jika "
                                         "informasi dapat langsung dijawab kembali oleh operator untuk diteruskan "
                                         "pada user, jika bukan maka akan diteruskan kepada PPID Pembantu"]
    assert "    Cabang Ya: langkah 7 -> langkah 6\n" in result.output


def test_identical_files_exit_0_with_no_change(run, tmp_path):
    old, new = copy_sop(tmp_path)
    edit(tmp_path / old, "# The extraction lost", "# A comment is no change. The extraction lost")
    result = run("diff", str(old), str(new))
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == NO_CHANGE
    assert run("diff", str(new), str(new), "--format", "md").exit_code == 0


def test_a_moved_step_is_one_move(run, tmp_path):
    old, new = copy_sop(tmp_path, JUMAPOLO_NIKAH)
    steps = (tmp_path / new).read_text(encoding="utf-8").split("  - uraian: ")
    steps[4], steps[5] = steps[5], steps[4]  # steps 4 and 5 swapped
    (tmp_path / new).write_text("  - uraian: ".join(steps), encoding="utf-8")
    result = run("diff", str(old), str(new))
    assert result.exit_code == 1, result.output
    assert step_lines(result.output) == ["Langkah 5 -> 4 dipindah: Memberi nomor agenda, stempel dinas"]


def test_a_removed_step_is_one_removal(run, tmp_path):
    step_6 = """  - uraian: Menginput tanggapan atas pengaduan yang diminta
    pelaksana: operator  # chosen: the operator enters the response into the system
    kelengkapan: Laporan Tanggapan Pengaduan
    waktu: 30 menit
    output: Laporan Tanggapan Pengaduan
"""
    result = diff_after(run, tmp_path, (step_6, ""), ("ya: 7 ", "ya: 6 "))  # the same step as before, renumbered
    assert result.exit_code == 1, result.output
    assert step_lines(result.output) == ["Langkah 6 dihapus: Menginput tanggapan atas pengaduan yang diminta"]
    assert "Total waktu: 2 hari 3 jam 10 menit -> 2 hari 2 jam 40 menit" in result.output


def test_the_last_step_removed_leaves_the_one_before_ending(tmp_path):
    old, new = copy_sop(tmp_path, JUMAPOLO_NIKAH)
    text = (tmp_path / new).read_text(encoding="utf-8")
    steps = text.split("  - uraian: ")
    (tmp_path / new).write_text("  - uraian: ".join(steps[:6]) + "riwayat:" + steps[6].split("riwayat:")[1],
                                encoding="utf-8")
    changes = changes_of(tmp_path / old, tmp_path / new)
    assert [(step.old_number, step.new_number, step.changes) for step in changes.steps] == [(6, None, ())]


def test_identity_fields_and_lists(run, tmp_path):
    result = diff_after(
        run, tmp_path,
        ("nama: Penanganan Aduan Masyarakat", "nama: Penanganan Pengaduan Masyarakat"),
        ("tanggal_efektif: 2024-01-02", "tanggal_efektif: 2024-01-02\ntanggal_revisi: 2024-06-03"),
        ("  - ATK\n", "  - ATK\n  - Pemindai dokumen\n"),
        ("  - Printer\n", ""),
        ("kategori: [Pengaduan]", "kategori: [Pengaduan, Informasi]"),
        ("dari registrasi aduan sampai", "dari registrasi aduan daring sampai"),
        ("    uraian: Penetapan awal\n", "    uraian: Penetapan awal\n  - tanggal: 2024-06-03\n"
                                       "    uraian: Alat kerja diperbarui\n"))
    assert result.exit_code == 1
    identity = result.output.split("Identitas\n")[1].split("\n\n")[0]
    assert identity.splitlines() == [
        "  Nama SOP: Penanganan Aduan Masyarakat -> Penanganan Pengaduan Masyarakat",
        "  Kategori ditambahkan: Informasi",
        "  Ringkasan: Tata cara warga menyampaikan aduan atau permintaan informasi kepada Kecamatan Jenawi, "
        "dari registrasi aduan {+daring+} sampai aduan terjawab.",
        "  Tanggal Revisi: (kosong) -> 3 Juni 2024",
        "  Peralatan/Perlengkapan dihapus: Printer",
        "  Peralatan/Perlengkapan ditambahkan: Pemindai dokumen",
        "  Riwayat ditambahkan: 3 Juni 2024: Alat kerja diperbarui",
    ]


def test_markdown_for_a_merge_request(run, tmp_path):
    old, new = copy_sop(tmp_path)
    edit(tmp_path / new, "uraian: Menerima input pengaduan", "uraian: Menerima *masukan* pengaduan")
    insert_before_step_5(tmp_path / new)
    result = run("diff", str(old), str(new), "--format", "md")
    assert result.exit_code == 1
    assert result.output.startswith(
        "### Perubahan SOP KECJENAWI/YANUM/8/2024 — Penanganan Aduan Masyarakat\n\n"
        "Kecamatan Jenawi · lama: `lama.yml` · baru: `sop_sources/kecamatan-jenawi/penanganan-aduan.yml`\n\n"
        "#### Langkah\n\n"
        "- **Langkah 2**\n"
        "  - Uraian: Menerima [-input-]{+\\*masukan\\*+} pengaduan\n"
        "- **Langkah 5 ditambahkan**: Memverifikasi tanggapan PPID sebelum diteruskan\n"
        "  - Pelaksana: PPID Pelaksana\n")
    assert "- **Total waktu**: 2 hari 3 jam 10 menit → 2 hari 3 jam 30 menit\n" in result.output
    assert "->" not in result.output and "\x1b" not in result.output


@pytest.mark.parametrize("args, message", [
    ((), "beri satu berkas SOP"),
    (("a.yml", "b.yml", "c.yml"), "beri satu berkas SOP"),
    (("lama.yml", JENAWI, "--sejak", "HEAD"), "--sejak hanya untuk satu berkas"),
    (("lama.yml", "sop_sources/" + JENAWI, "--format", "docx"), "format 'docx' tidak dikenal; pilihan: teks, md, pdf"),
    (("lama.yml", "--tidak-ada"), "pilihan '--tidak-ada' tidak dikenal"),
    (("lama.yml", "--sejak"), "pilihan '--sejak' memerlukan nilai"),
    (("hilang.yml", "sop_sources/" + JENAWI), "'hilang.yml' tidak ditemukan"),
    (("lama.yml", "sop_sources"), "'sop_sources' bukan berkas SOP"),
    (("lama.yml", "sop_sources/kecamatan-jenawi/instansi.yml"), "adalah berkas instansi"),
    (("lama.yml", "lama.yml"), "tidak berada di folder instansi"),
    (("lama.yml", "sop_sources/" + JENAWI, "--format", "pdf", "--out", "sop_sources"), "adalah folder"),
    (("lama.yml", "sop_sources/" + JENAWI, "--out", "tidak/ada.txt"), "sopdoc: folder tidak tidak ada"),
])
def test_usage_errors_exit_2_in_indonesian_without_traceback(run, tmp_path, args, message):
    copy_sop(tmp_path)
    result = run("diff", *args)
    assert result.exit_code == 2, result.output
    assert result.output.startswith("sopdoc: ") and message in result.output, result.output
    assert "Traceback" not in result.output and "Error" not in result.output


def test_an_invalid_version_is_located_and_exits_2(run, tmp_path):
    old, new = copy_sop(tmp_path)
    edit(tmp_path / old, "    pelaksana: operator\n    kelengkapan: Data Pemberi Aduan",
         "    pelaksana: operatr\n    kelengkapan: Data Pemberi Aduan")
    edit(tmp_path / new, "waktu: 2 hari", "waktu: dua hari")
    result = run("diff", str(old), str(new))
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert lines[0].startswith("lama.yml:62:16: galat: langkah 2: pelaksana 'operatr' tidak dikenal [SOP201]")
    assert any(line.startswith(f"sop_sources/{JENAWI}:82:12: galat: langkah 4:") for line in lines), lines
    assert lines[-1] == f"sopdoc: lama.yml dan sop_sources/{JENAWI} tidak valid, jadi tidak dapat dibandingkan; " \
                        "perbaiki dahulu"


def test_the_old_copy_may_be_anywhere_and_is_checked_against_the_new_ones_office(run, tmp_path):
    old, new = copy_sop(tmp_path)
    (tmp_path / "arsip (lama)").mkdir()
    (tmp_path / old).rename(tmp_path / "arsip (lama)" / "Aduan versi 1.yml")
    edit(tmp_path / new, "  - ATK\n", "")
    result = run("diff", "arsip (lama)/Aduan versi 1.yml", str(new))
    assert result.exit_code == 1, result.output
    assert "  lama: arsip (lama)/Aduan versi 1.yml\n" in result.output
    assert "  Peralatan/Perlengkapan dihapus: ATK\n" in result.output
    # and the other way round: only the old version in its office folder
    assert run("diff", str(new), "arsip (lama)/Aduan versi 1.yml").exit_code == 1


def test_no_colour_codes_into_a_pipe(tmp_path):
    old, new = copy_sop(tmp_path)
    edit(tmp_path / new, "uraian: Menerima input pengaduan", "uraian: Menerima masukan pengaduan")
    result = subprocess.run([sys.executable, "-m", "sopdoc", "diff", str(old), str(new)], cwd=tmp_path,
                            capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT / "src")})
    assert result.returncode == 1, result.stderr
    assert "Uraian: Menerima [-input-]{+masukan+} pengaduan" in result.stdout
    assert "\x1b" not in result.stdout


def test_colours_at_a_terminal(monkeypatch):
    class Terminal:
        def isatty(self):
            return True

    monkeypatch.setattr(sopdoc.cli.revisions.sys, "stdout", Terminal())
    monkeypatch.delenv("NO_COLOR", raising=False)
    style = sopdoc.cli.revisions._terminal_style()
    assert style("added", "baru") == "\x1b[32mbaru\x1b[0m"
    assert style("removed", "lama") == "\x1b[31mlama\x1b[0m"
    monkeypatch.setenv("NO_COLOR", "1")
    assert sopdoc.cli.revisions._terminal_style() is None


def test_text_written_to_a_file(run, tmp_path):
    result = diff_after(run, tmp_path, ("  - ATK\n", ""), options=("--format", "md", "--out", "perubahan.md"))
    assert result.exit_code == 1 and result.output == "ditulis: perubahan.md\n"
    assert "- **Peralatan/Perlengkapan dihapus**: ATK\n" in (tmp_path / "perubahan.md").read_text(encoding="utf-8")
