"""The PDF change sheet "Daftar Perubahan SOP", read back."""

from __future__ import annotations

import pdfplumber
from pypdf import PdfReader

from revision_sources import changes_of, copy_sop, edit, insert_before_step_5

from sopdoc.render.pdf.changes import render_changes_html


def words_of(pdf_path) -> str:
    with pdfplumber.open(pdf_path) as pdf:
        # the space between a struck and an underlined word is narrower than pdfplumber's default guess
        return "\n".join(page.extract_text(x_tolerance=1.5) for page in pdf.pages)


def test_the_sheet_shows_what_changed(run, tmp_path):
    old, new = copy_sop(tmp_path)
    edit(tmp_path / new, "uraian: Menerima input pengaduan", "uraian: Menerima masukan pengaduan")
    insert_before_step_5(tmp_path / new)
    result = run("diff", str(old), str(new), "--format", "pdf", "--out", "perubahan.pdf")
    assert result.exit_code == 1 and result.output == "ditulis: perubahan.pdf\n"
    text = words_of(tmp_path / "perubahan.pdf")
    assert "Daftar Perubahan SOP" in text
    assert "KECJENAWI/YANUM/8/2024" in text and "Penanganan Aduan Masyarakat" in text
    assert "Menerima input masukan pengaduan" in text  # the removed word struck through, the added underlined
    assert "Langkah 5 ditambahkan" in text and "Memverifikasi tanggapan PPID" in text
    assert "Total waktu 2 hari 3 jam 10 menit → 2 hari 3 jam 30 menit" in text
    assert "Halaman 1 dari 1" in text

    reader = PdfReader(tmp_path / "perubahan.pdf")
    assert [round(float(side)) for side in reader.pages[0].mediabox.upper_right] == [595, 842]  # A4 portrait
    assert set(reader.attachments) == {"lama-penanganan-aduan.yml", "baru-penanganan-aduan.yml"}
    assert reader.attachments["lama-penanganan-aduan.yml"][0] == (tmp_path / old).read_bytes()


def test_the_sheet_strikes_removed_words_and_underlines_added_ones(tmp_path):
    old, new = copy_sop(tmp_path)
    edit(tmp_path / new, "uraian: Menerima input pengaduan", "uraian: Menerima masukan pengaduan")
    edit(tmp_path / new, "  - ATK\n", "")
    html = render_changes_html(changes_of(tmp_path / old, tmp_path / new))
    assert "Menerima <del>input</del> <ins>masukan</ins> pengaduan" in html
    assert "<td><del>ATK</del></td>" in html


def test_default_name_in_the_current_folder_and_same_bytes_every_time(run, tmp_path):
    old, new = copy_sop(tmp_path)
    first = run("diff", str(old), str(new), "--format", "pdf")
    assert first.exit_code == 0 and first.output == "ditulis: penanganan-aduan-perubahan.pdf\n"
    data = (tmp_path / "penanganan-aduan-perubahan.pdf").read_bytes()
    assert "Tidak ada perubahan." in words_of(tmp_path / "penanganan-aduan-perubahan.pdf")
    run("diff", str(old), str(new), "--format", "pdf")
    assert (tmp_path / "penanganan-aduan-perubahan.pdf").read_bytes() == data
