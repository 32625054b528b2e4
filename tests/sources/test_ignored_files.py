"""Nothing a clerk saved in the sources tree is ignored silently: every file sopdoc does not read
gets a warning at <file>:1:1 with its name and why. Only what no clerk saved is skipped without
a word: hidden files and folders, editor and system leftovers, the JSON Schemas sopdoc writes."""

from __future__ import annotations

import shutil

import pytest

from conftest import BASE_INSTANSI, BASE_SOP, CORPUS, office_tree, png_bytes, write_tree

OFFICE = "sop_sources/kecamatan-uji"


def _warnings(result) -> list[str]:
    """The warnings, each with its hint on the same entry."""
    lines = result.stdout.splitlines()
    found = []
    for number, line in enumerate(lines):
        if ": peringatan: " in line:
            hint = lines[number + 1] if number + 1 < len(lines) and lines[number + 1].startswith("    saran: ") else ""
            found.append(line + ("\n" + hint if hint else ""))
    return found


# (id, the file's name in sop_sources/, its content, the warning said at <file>:1:1, its hint): each
# file is saved beside a valid office, and is the one thing `check` warns about.
IGNORED = [
    ("txt-ending", "kecamatan-uji/layanan-sktm.yml.txt", BASE_SOP,
     "berkas 'layanan-sktm.yml.txt' tidak dibaca karena namanya berakhir .txt [SOP265]",
     "ganti namanya menjadi layanan-sktm.yml (di Windows Explorer, centang 'Ekstensi nama file' di menu Tampilan "
     "agar akhiran .txt terlihat)"),
    ("uppercase-ending", "kecamatan-uji/Layanan-Baru.YML", BASE_SOP,
     "berkas 'Layanan-Baru.YML' tidak dibaca karena akhiran namanya '.YML' berhuruf besar [SOP265]",
     "ganti namanya menjadi layanan-baru.yml"),
    ("word-document", "kecamatan-uji/SOP Layanan.docx", b"PK\x03\x04",
     "berkas 'SOP Layanan.docx' tidak dibaca: bukan berkas sumber; sopdoc hanya membaca berkas .yml [SOP265]",
     "sopdoc tidak membaca dokumen Word; tulis SOP-nya sebagai berkas .yml (kerangkanya dibuat dengan "
     "'sopdoc new')"),
    ("text-file", "kecamatan-uji/catatan.txt", "x: 1\n",
     "berkas 'catatan.txt' tidak dibaca: bukan berkas sumber; sopdoc hanya membaca berkas .yml [SOP265]",
     "bila berkas ini berisi sumber SOP, ganti namanya menjadi catatan.yml"),
    ("any-other-file", "kecamatan-uji/scan.pdf", b"%PDF-1.4",
     "berkas 'scan.pdf' tidak dibaca: bukan berkas sumber; sopdoc hanya membaca berkas .yml [SOP265]",
     "pindahkan berkas ini keluar dari folder sumber bila tidak diperlukan"),
    ("in-a-subfolder-of-an-office", "kecamatan-uji/arsip/2023/layanan-lama.yml", BASE_SOP,
     "berkas 'layanan-lama.yml' tidak dibaca karena berada di subfolder 'arsip/2023' [SOP265]",
     "sopdoc hanya membaca berkas yang langsung berada di folder kecamatan-uji; pindahkan ke sana bila berkas "
     "ini sumber SOP"),
    ("an-image-not-the-logo", "kecamatan-uji/logo-lama.png", png_bytes(),
     "gambar 'logo-lama.png' tidak dibaca: instansi.yml tidak menyebutnya sebagai logo [SOP265]",
     "bila ini logo instansi, tulis 'logo: logo-lama.png' di instansi.yml; bila tidak dipakai, pindahkan keluar "
     "dari folder sumber"),
    ("instansi-yaml-beside-instansi-yml", "kecamatan-uji/instansi.yaml", BASE_INSTANSI,
     "berkas 'instansi.yaml' tidak dibaca: berkas instansi harus bernama instansi.yml [SOP265]",
     "folder ini sudah punya instansi.yml; hapus salah satunya"),
    ("a-source-at-the-top-of-the-tree", "layanan-sktm.yml", BASE_SOP,
     "berkas 'layanan-sktm.yml' tidak dibaca karena berada di luar folder instansi [SOP264]",
     "pindahkan ke folder instansinya (folder berisi instansi.yml, mis. kecamatan-uji/)"),
    ("other-files-at-the-top-of-the-tree", "Daftar SOP.docx", b"PK",
     "berkas 'Daftar SOP.docx' tidak dibaca: bukan berkas sumber; sopdoc hanya membaca berkas .yml [SOP265]",
     "sopdoc tidak membaca dokumen Word; tulis SOP-nya sebagai berkas .yml (kerangkanya dibuat dengan "
     "'sopdoc new')"),
    ("an-office-one-folder-too-deep", "kabupaten/kecamatan-lain/instansi.yml", BASE_INSTANSI,
     "berkas 'instansi.yml' tidak dibaca: folder instansi harus langsung berada di folder sop_sources, bukan di "
     "'kabupaten/kecamatan-lain' [SOP265]",
     "pindahkan folder 'kecamatan-lain' (bersama instansi.yml-nya) ke sop_sources/"),
    ("a-folder-without-sources", "kecamatan-baru/instansi.yml.txt", BASE_INSTANSI,
     "berkas 'instansi.yml.txt' tidak dibaca karena namanya berakhir .txt [SOP265]",
     "ganti namanya menjadi instansi.yml (di Windows Explorer, centang 'Ekstensi nama file' di menu Tampilan agar "
     "akhiran .txt terlihat)"),
]


@pytest.mark.parametrize("name, content, message, hint", [case[1:] for case in IGNORED],
                         ids=[case[0] for case in IGNORED])
def test_a_file_not_read_is_named_with_why(run, tmp_path, name, content, message, hint):
    office_tree(tmp_path)
    write_tree(tmp_path, {name: content})
    result = run("check")
    assert result.exit_code == 0, result.stdout  # a warning, not an error
    assert _warnings(result) == [f"sop_sources/{name}:1:1: peringatan: {message}\n    saran: {hint}"]


def test_the_logo_is_read_beside_instansi_or_in_a_subfolder(run, tmp_path):
    for logo in ("logo.png", "gambar/logo.png"):
        office_tree(tmp_path, instansi=BASE_INSTANSI + f"logo: {logo}\n")
        write_tree(tmp_path, {f"kecamatan-uji/{logo}": png_bytes()})
        result = run("check")
        assert result.exit_code == 0 and _warnings(result) == [], result.stdout
        shutil.rmtree(tmp_path / "sop_sources")


def test_instansi_yaml_alone_is_to_be_renamed(run, tmp_path):
    write_tree(tmp_path, {"kecamatan-uji/instansi.yaml": BASE_INSTANSI, "kecamatan-uji/layanan-uji.yml": BASE_SOP})
    result = run("check")
    assert result.exit_code == 1
    assert f"{OFFICE}/instansi.yml:1:1: galat: folder 'kecamatan-uji' tidak punya instansi.yml [SOP214]" \
        in result.stdout
    assert _warnings(result) == [
        f"{OFFICE}/instansi.yaml:1:1: peringatan: berkas 'instansi.yaml' tidak dibaca: berkas instansi harus bernama "
        "instansi.yml [SOP265]\n"
        "    saran: ganti namanya menjadi instansi.yml"]


def test_a_yaml_ending_is_read_as_a_source(run, tmp_path):
    office_tree(tmp_path)
    write_tree(tmp_path, {"kecamatan-uji/layanan-dua.yaml": BASE_SOP.replace("KEC/UJI/1/2024", "KEC/UJI/2/2024")
                          .replace("  keputusan: sop-2024", "  keputusan: sop-2025")})
    result = run("check")
    assert result.exit_code == 1  # read: its unknown decree is an error
    assert f"{OFFICE}/layanan-dua.yaml:4:14: galat: keputusan 'sop-2025' tidak dikenal di instansi.yml" in result.stdout
    assert _warnings(result) == []


def test_a_tree_with_no_office_says_which_files_it_did_not_read(run, tmp_path):
    write_tree(tmp_path, {"kecamatan-uji/instansi.yml.txt": BASE_INSTANSI,
                          "kecamatan-uji/layanan-uji.yml.txt": BASE_SOP})
    result = run("check")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "sopdoc: tidak ada folder instansi berisi sumber SOP di 'sop_sources'; berkas yang ada tetapi tidak dibaca:",
        "  kecamatan-uji/instansi.yml.txt: berkas 'instansi.yml.txt' tidak dibaca karena namanya berakhir .txt; "
        "ganti namanya menjadi instansi.yml (di Windows Explorer, centang 'Ekstensi nama file' di menu Tampilan "
        "agar akhiran .txt terlihat)",
        "  kecamatan-uji/layanan-uji.yml.txt: berkas 'layanan-uji.yml.txt' tidak dibaca karena namanya berakhir "
        ".txt; ganti namanya menjadi layanan-uji.yml (di Windows Explorer, centang 'Ekstensi nama file' di menu "
        "Tampilan agar akhiran .txt terlihat)"]


def test_what_no_clerk_saved_is_skipped_without_a_word(run, tmp_path):
    sources = office_tree(tmp_path)
    assert run("schema", "--write", "sop_sources").exit_code == 0  # sop.schema.json, instansi.schema.json
    assert (sources / "sop.schema.json").is_file()
    write_tree(tmp_path, {name: "x" for name in (
        ".catatan.yml", ".git/config", "kecamatan-uji/.layanan-uji.yml.swp", "kecamatan-uji/layanan-uji.yml~",
        "kecamatan-uji/layanan-uji.swp", "kecamatan-uji/#layanan-uji.yml#", "kecamatan-uji/~$SOP Layanan.docx",
        "kecamatan-uji/Thumbs.db", "kecamatan-uji/desktop.ini", "kecamatan-uji/.arsip/lama.yml", ".DS_Store")})
    result = run("check")
    assert result.exit_code == 0
    assert result.stdout == "Tidak ada masalah.\n"


def test_warnings_exit_0_unless_strict_and_an_office_folder_or_file_given_alone(run, tmp_path):
    office_tree(tmp_path)
    write_tree(tmp_path, {"kecamatan-uji/dokumen.docx": b"PK"})
    assert run("check").exit_code == 0
    assert run("check", "--strict").exit_code == 1
    alone = run("check", "sop_sources/kecamatan-uji")
    assert alone.exit_code == 0 and [line.split(": peringatan:")[0] for line in _warnings(alone)] == [
        f"{OFFICE}/dokumen.docx:1:1"]
    file_only = run("check", "sop_sources/kecamatan-uji/layanan-uji.yml")
    assert file_only.stdout == "Tidak ada masalah.\n"


def test_the_corpus_has_no_file_sopdoc_ignores(run, tmp_path):
    shutil.copytree(CORPUS, tmp_path / "sop_sources")
    result = run("check")
    assert "[SOP264]" not in result.stdout and "[SOP265]" not in result.stdout
