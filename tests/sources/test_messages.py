"""What a clerk is told about the mistakes clerks made most (the issue filed by the offices): each
a broken or edge source, with the whole list of diagnostics it gets (file, line, column, code,
message, hint), so one mistake is one message in the right place and nothing cascades."""

from __future__ import annotations

import pytest

from conftest import BASE_INSTANSI, BASE_SOP, diagnostics_of, office_tree, replace_line

from sopdoc.sources.checked import did_you_mean
from sopdoc.sources.keys import SOP
from sopdoc.sources.loader import load_project
from sopdoc.sources.suggest import suggestions

SOP_FILE = "layanan-uji.yml"
OFFICE_FILE = "instansi.yml"
DECREES_AT = BASE_INSTANSI.splitlines().index("keputusan:") + 1  # line 8
WITHOUT_DECREES = "\n".join(BASE_INSTANSI.splitlines()[:DECREES_AT - 1]) + "\n"
EMPTY_DECREES = ("'keputusan' kosong: tulis setidaknya satu keputusan, atau hapus kunci ini",
                 "tulis setiap keputusan di bawahnya, menjorok dua spasi ('  sop-2024:'), dengan nomor, tanggal, "
                 "tentang dan ditetapkan_oleh menjorok empat spasi")


def reported(sources) -> list[tuple]:
    return [(d.location.path.name, d.location.line, d.location.col, d.severity.value, d.code, d.message, d.hint)
            for d in diagnostics_of(sources)]


def sop_with(number: int, *lines: str) -> str:
    return replace_line(BASE_SOP, number, *lines)


# ---------------------------------------------------------------- dates

DATE_CASES = [
    ("2024-13-01", "tanggal '2024-13-01' tidak valid: bulan 13 tidak ada (bulan 01–12)",
     "bila maksudnya 13 Januari 2024, tulis 2024-01-13 (urutannya TTTT-BB-HH: tahun, bulan, hari)"),
    ("2024-00-10", "tanggal '2024-00-10' tidak valid: bulan 00 tidak ada (bulan 01–12)",
     "tulis tanggal sebagai TTTT-BB-HH, mis. 2024-01-02 untuk 2 Januari 2024"),
    ("2024-14-31", "tanggal '2024-14-31' tidak valid: bulan 14 tidak ada (bulan 01–12)",
     "tulis tanggal sebagai TTTT-BB-HH, mis. 2024-01-02 untuk 2 Januari 2024"),
    ("2024-02-31", "tanggal '2024-02-31' tidak valid: Februari 2024 hanya 29 hari",
     "hari terakhir Februari 2024 adalah 2024-02-29"),
    ("2023-02-29", "tanggal '2023-02-29' tidak valid: Februari 2023 hanya 28 hari",
     "hari terakhir Februari 2023 adalah 2023-02-28"),
    ("2024-04-31", "tanggal '2024-04-31' tidak valid: April hanya 30 hari",
     "hari terakhir April 2024 adalah 2024-04-30"),
    ("2024-01-32", "tanggal '2024-01-32' tidak valid: Januari hanya 31 hari",
     "hari terakhir Januari 2024 adalah 2024-01-31"),
    ("2024-04-00", "tanggal '2024-04-00' tidak valid: hari 00 tidak ada (hari pertama adalah 01)",
     "mis. 2024-04-01 untuk 1 April 2024"),
    ("'0000-01-01'", "tanggal '0000-01-01' tidak valid: tahun 0000 tidak ada",
     "tulis tanggal sebagai TTTT-BB-HH, mis. 2024-01-02 untuk 2 Januari 2024"),
    # not a date at all: the general hint, or the date it most likely means
    ("1 Maret 2024", "tanggal '1 Maret 2024' tidak valid",
     "tulis tanggal sebagai TTTT-BB-HH: 2024-03-01 untuk 1 Maret 2024"),
    ("17 agustus 2024", "tanggal '17 agustus 2024' tidak valid",
     "tulis tanggal sebagai TTTT-BB-HH: 2024-08-17 untuk 17 Agustus 2024"),
    ("1-Mar-2024", "tanggal '1-Mar-2024' tidak valid",
     "tulis tanggal sebagai TTTT-BB-HH: 2024-03-01 untuk 1 Maret 2024"),
    ("01-03-2024", "tanggal '01-03-2024' tidak valid",
     "tulis tanggal sebagai TTTT-BB-HH: 2024-03-01 untuk 1 Maret 2024"),
    ("2024/03/01", "tanggal '2024/03/01' tidak valid",
     "tulis tanggal sebagai TTTT-BB-HH: 2024-03-01 untuk 1 Maret 2024"),
    ("31 Februari 2024", "tanggal '31 Februari 2024' tidak valid",
     "tulis tanggal sebagai TTTT-BB-HH, mis. 2024-01-02 untuk 2 Januari 2024"),
    ("besok", "tanggal 'besok' tidak valid", "tulis tanggal sebagai TTTT-BB-HH, mis. 2024-01-02 untuk 2 Januari 2024"),
]


@pytest.mark.parametrize("written, message, hint", DATE_CASES, ids=[case[0] for case in DATE_CASES])
def test_an_impossible_date_says_why(tmp_path, written, message, hint):
    sources = office_tree(tmp_path, sop=sop_with(6, f"tanggal_efektif: {written}"))
    assert reported(sources) == [(SOP_FILE, 6, 18, "error", "SOP112", message, hint)]


def test_a_date_in_a_decree_and_in_the_history_is_located_there(tmp_path):
    instansi = replace_line(BASE_INSTANSI, 11, "    tanggal: 2023-02-29")
    sop = BASE_SOP + "riwayat:\n  - tanggal: 2024-06-31\n    uraian: Penetapan awal\n"
    sources = office_tree(tmp_path, sop=sop, instansi=instansi)
    assert reported(sources) == [
        (OFFICE_FILE, 11, 14, "error", "SOP112",
         "keputusan 'sop-2024': tanggal '2023-02-29' tidak valid: Februari 2023 hanya 28 hari",
         "hari terakhir Februari 2023 adalah 2023-02-28"),
        (SOP_FILE, 28, 14, "error", "SOP112", "riwayat 1: tanggal '2024-06-31' tidak valid: Juni hanya 30 hari",
         "hari terakhir Juni 2024 adalah 2024-06-30"),
    ]


@pytest.mark.parametrize("written", ["2024-02-29", "'2024-02-29'", "2000-02-29", "2024-12-31"])
def test_real_dates_pass(tmp_path, written):
    assert reported(office_tree(tmp_path, sop=sop_with(6, f"tanggal_efektif: {written}"))) == []


# ---------------------------------------------------------------- an empty 'keputusan'

@pytest.mark.parametrize("written", ["keputusan:", "keputusan: {}", "keputusan: null", "keputusan:  # nanti diisi"])
def test_an_empty_decrees_table_is_one_error_on_its_own_line(tmp_path, written):
    sources = office_tree(tmp_path, instansi=WITHOUT_DECREES + written + "\n",
                          layanan_dua=BASE_SOP.replace("KEC/UJI/1/2024", "KEC/UJI/2/2024"))
    assert reported(sources) == [(OFFICE_FILE, DECREES_AT, 1, "error", "SOP109", *EMPTY_DECREES)]


def test_an_empty_decrees_table_with_no_sop_attached_stays_valid_with_a_warning(tmp_path):
    """An empty optional key is an absent one, as under the original contract: still valid."""
    unattached = "\n".join(line for line in BASE_SOP.splitlines()
                            if not line.startswith(("lampiran:", "  keputusan:", "  nomor:"))) + "\n"
    sources = office_tree(tmp_path, sop=unattached, instansi=WITHOUT_DECREES + "keputusan:\n")
    assert reported(sources) == [(OFFICE_FILE, DECREES_AT, 1, "warning", "SOP109", *EMPTY_DECREES)]
    project, _ = load_project([sources])
    assert len(project.sops) == 1


def test_decrees_that_lost_their_indentation(tmp_path):
    instansi = WITHOUT_DECREES + "keputusan:\nsop-2024:\n  nomor: 1 Tahun 2024\n"
    assert reported(office_tree(tmp_path, instansi=instansi)) == [
        (OFFICE_FILE, 8, 1, "error", "SOP109", *EMPTY_DECREES),
        (OFFICE_FILE, 9, 1, "error", "SOP107", "kunci 'sop-2024' tidak dikenal",
         "kunci yang dikenal: pemerintah, nama, alamat, telepon, website, email, kode_pos, logo, tata_letak, "
         "pejabat, keputusan"),
    ]


def test_decrees_of_the_wrong_kind_are_one_error_too(tmp_path):
    sources = office_tree(tmp_path, instansi=WITHOUT_DECREES + "keputusan: [sop-2024]\n")
    assert reported(sources) == [
        (OFFICE_FILE, 8, 12, "error", "SOP108", "'keputusan' harus berupa pemetaan (kunci: nilai), bukan daftar", None)]


def test_without_any_decree_the_attached_sop_is_told_where_to_add_it(tmp_path):
    assert reported(office_tree(tmp_path, instansi=WITHOUT_DECREES)) == [
        (SOP_FILE, 4, 14, "error", "SOP203", "keputusan 'sop-2024' tidak dikenal di instansi.yml",
         "instansi.yml belum punya 'keputusan'; tambahkan keputusannya di sana, atau hapus 'lampiran'")]


def test_an_empty_decrees_table_end_to_end(run, tmp_path):
    office_tree(tmp_path, instansi=WITHOUT_DECREES + "keputusan:\n",
                layanan_dua=BASE_SOP.replace("KEC/UJI/1/2024", "KEC/UJI/2/2024"))
    expected = (
        "sop_sources/kecamatan-uji/instansi.yml:8:1: galat: " + EMPTY_DECREES[0] + " [SOP109]\n"
        "    saran: " + EMPTY_DECREES[1] + "\n"
        "1 galat, 0 peringatan\n")
    whole = run("check")
    assert (whole.exit_code, whole.output) == (1, expected)
    one_file = run("check", "sop_sources/kecamatan-uji/layanan-dua.yml")  # instansi.yml's errors still shown
    assert (one_file.exit_code, one_file.output) == (1, expected)
    build = run("build", "--no-site")
    assert build.exit_code == 1 and build.stderr.count("galat:") == 1 and "[SOP109]" in build.stderr
    assert not (tmp_path / "build").exists()


# ---------------------------------------------------------------- Ya: / Tidak:

@pytest.mark.parametrize("ya, tidak", [("Ya", "Tidak"), ("YA", "TIDAK"), ("ya", "Tidak"), ("yA", "tidak")])
def test_branch_keys_in_any_case(tmp_path, ya, tidak):
    sources = office_tree(tmp_path, sop=replace_line(sop_with(22, f"      {tidak}: 1"), 21, f"      {ya}: 3"))
    project, diagnostics = load_project([sources])
    assert list(diagnostics) == []
    decision = project.sops[0].langkah[1]
    assert [(edge.label, edge.target) for edge in decision.edges] == [("Ya", 3), ("Tidak", 1)]


def test_both_spellings_of_one_branch_are_a_duplicate(tmp_path):
    sources = office_tree(tmp_path, sop=sop_with(21, "      ya: 3", "      Ya: 3"))
    assert reported(sources) == [
        (SOP_FILE, 22, 7, "error", "SOP106",
         "langkah 2, keputusan: kunci 'Ya' ditulis dua kali (pertama di baris 21 sebagai 'ya')",
         "hapus salah satu; hanya satu nilai yang dapat berlaku")]


def test_an_unknown_branch_key_is_one_error(tmp_path):
    sources = office_tree(tmp_path, sop=sop_with(21, "      iya: 3"))
    assert reported(sources) == [
        (SOP_FILE, 21, 7, "error", "SOP107", "langkah 2, keputusan: kunci 'iya' tidak dikenal", "maksud Anda 'ya'?")]


def test_the_end_word_in_any_case(tmp_path):
    sources = office_tree(tmp_path, sop=sop_with(22, "      tidak: Selesai"))
    project, diagnostics = load_project([sources])
    assert list(diagnostics) == []
    assert [edge.target for edge in project.sops[0].langkah[1].edges] == [3, None]


def test_a_target_written_as_words_gets_the_number(tmp_path):
    sources = office_tree(tmp_path, sop=sop_with(21, "      ya: langkah 3"))
    assert reported(sources) == [
        (SOP_FILE, 21, 11, "error", "SOP108", "langkah 2, keputusan: 'langkah 3' bukan tujuan yang valid",
         "tulis nomor langkahnya saja: 3")]


def test_the_json_schema_still_offers_the_lowercase_branch_keys():
    step = SOP.json_schema()["properties"]["langkah"]["items"]
    assert set(step["properties"]["keputusan"]["anyOf"][0]["properties"]) == {"ya", "tidak"}


# ---------------------------------------------------------------- did you mean

SOP_KEYS = [field.name for field in SOP.fields]


@pytest.mark.parametrize("written, meant", [
    ("pencatatan", ["pencatatan_pendataan"]),
    ("peralatan", ["peralatan_perlengkapan"]),
    ("kualifikasi", ["kualifikasi_pelaksana"]),
    ("dasar", ["dasar_hukum"]),
    ("hukum", ["dasar_hukum"]),
    ("pendataan", ["pencatatan_pendataan"]),
    ("tanggal", ["tanggal_pembuatan", "tanggal_revisi", "tanggal_efektif"]),
    ("ringkasn", ["ringkasan"]),
    ("Nama", ["nama"]),
    ("peringatn", ["peringatan"]),
    ("xyz", []),
])
def test_suggestions_prefer_the_start_or_a_word_of_a_key(written, meant):
    assert suggestions(written, SOP_KEYS) == meant


def test_the_first_word_wins_among_keys_it_starts():
    assert suggestions("nama", ["namanya", "nama_lengkap"]) == ["nama_lengkap"]


def test_did_you_mean_words_one_or_several_or_lists_the_options():
    assert did_you_mean("tanggal", SOP_KEYS) == (
        "maksud Anda 'tanggal_pembuatan', 'tanggal_revisi' atau 'tanggal_efektif'?")
    assert did_you_mean("camt", ["camat", "sekcam"]) == "maksud Anda 'camat'?"
    assert did_you_mean("lurah", ["camat", "sekcam"]) == "pilihan: camat, sekcam"
    assert did_you_mean("lurah", []) is None


@pytest.mark.parametrize("written, hint", [
    ("pencatatan", "maksud Anda 'pencatatan_pendataan'?"),
    ("peralatan", "maksud Anda 'peralatan_perlengkapan'?"),
    ("kualifikasi", "maksud Anda 'kualifikasi_pelaksana'?"),
    ("dasar", "maksud Anda 'dasar_hukum'?"),
    ("tanggal", "maksud Anda 'tanggal_pembuatan', 'tanggal_revisi' atau 'tanggal_efektif'?"),
])
def test_an_unknown_key_points_to_the_key_it_starts(tmp_path, written, hint):
    sources = office_tree(tmp_path, sop=sop_with(7, "disahkan_oleh: camat", f"{written}: Sesuatu"))
    assert reported(sources) == [(SOP_FILE, 8, 1, "error", "SOP107", f"kunci '{written}' tidak dikenal", hint)]


def test_a_shortened_reference_points_to_the_actor(tmp_path):
    sources = office_tree(tmp_path, sop=sop_with(17, "    pelaksana: petu"))
    assert reported(sources) == [
        (SOP_FILE, 17, 16, "error", "SOP201", "langkah 2: pelaksana 'petu' tidak dikenal", "maksud Anda 'petugas'?")]


# ---------------------------------------------------------------- duplicates across files

def test_a_duplicate_nomor_is_said_in_both_files(tmp_path):
    sources = office_tree(tmp_path, layanan_vu=BASE_SOP.replace("nama: Layanan Uji", "nama: Layanan Lain"))
    hint = "nomor SOP harus unik dalam satu instansi: ganti salah satunya"
    assert reported(sources) == [
        (SOP_FILE, 1, 8, "error", "SOP209", "nomor SOP 'KEC/UJI/1/2024' juga dipakai oleh layanan-vu.yml (baris 1)",
         hint),
        ("layanan-vu.yml", 1, 8, "error", "SOP209",
         "nomor SOP 'KEC/UJI/1/2024' juga dipakai oleh layanan-uji.yml (baris 1)", hint),
    ]


def test_a_nomor_in_three_files_names_the_other_two_at_their_lines(tmp_path):
    moved = "nama: Layanan Lain\n" + BASE_SOP.replace("nama: Layanan Uji\n", "")  # nomor on line 2
    sources = office_tree(tmp_path, layanan_vu=moved, layanan_wu=BASE_SOP.replace("KEC/UJI/1/2024", "kec/uji/1/2024"))
    messages = {(name, line): message for name, line, _, _, code, message, _ in reported(sources) if code == "SOP209"}
    assert messages == {
        (SOP_FILE, 1): "nomor SOP 'KEC/UJI/1/2024' juga dipakai oleh layanan-vu.yml (baris 2) dan "
                       "layanan-wu.yml (baris 1)",
        ("layanan-vu.yml", 2): "nomor SOP 'KEC/UJI/1/2024' juga dipakai oleh layanan-uji.yml (baris 1) dan "
                               "layanan-wu.yml (baris 1)",
        ("layanan-wu.yml", 1): "nomor SOP 'kec/uji/1/2024' juga dipakai oleh layanan-uji.yml (baris 1) dan "
                               "layanan-vu.yml (baris 2)",
    }


def test_a_duplicate_lampiran_number_is_said_in_both_files(tmp_path):
    numbered = sop_with(4, "  keputusan: sop-2024", "  nomor: II")
    other = numbered.replace("KEC/UJI/1/2024", "KEC/UJI/2/2024").replace("  nomor: II", "  nomor: ii")
    sources = office_tree(tmp_path, sop=numbered, layanan_vu=other)
    hint = ("setiap SOP dalam satu keputusan perlu nomor lampiran sendiri: ganti salah satunya, atau hapus 'nomor' "
            "agar diberi otomatis")
    assert reported(sources) == [
        (SOP_FILE, 5, 10, "error", "SOP210",
         "lampiran II juga dipakai oleh layanan-vu.yml (baris 5) dalam keputusan yang sama", hint),
        ("layanan-vu.yml", 5, 10, "error", "SOP210",
         "lampiran II juga dipakai oleh layanan-uji.yml (baris 5) dalam keputusan yang sama", hint),
    ]


def test_numbers_left_free_by_a_duplicate_still_go_to_the_others(tmp_path):
    numbered = sop_with(4, "  keputusan: sop-2024", "  nomor: I")
    unnumbered = BASE_SOP.replace("KEC/UJI/1/2024", "KEC/UJI/3/2024")
    project, _ = load_project([office_tree(tmp_path, sop=numbered,
                                           layanan_vu=numbered.replace("KEC/UJI/1/2024", "KEC/UJI/2/2024"),
                                           layanan_wu=unnumbered)])
    assert [(sop.slug, sop.lampiran.nomor) for sop in project.sops] == [("layanan-wu", "II")]


# ---------------------------------------------------------------- Folio paper

@pytest.mark.parametrize("written", ["Folio", "folio", "FOLIO", "f4"])
def test_folio_is_f4(tmp_path, written):
    sources = office_tree(tmp_path, instansi=replace_line(BASE_INSTANSI, 2, "nama: Kecamatan Uji",
                                                          f"tata_letak: {{kertas: {written}}}"))
    project, diagnostics = load_project([sources])
    assert list(diagnostics) == []
    assert project.offices[0].office.tata_letak.kertas == "F4"


def test_an_unknown_paper_lists_folio_beside_f4(tmp_path):
    sources = office_tree(tmp_path, instansi=replace_line(BASE_INSTANSI, 2, "nama: Kecamatan Uji",
                                                          "tata_letak: {kertas: A5}"))
    assert reported(sources) == [
        (OFFICE_FILE, 3, 22, "error", "SOP115", "tata_letak: 'A5' bukan pilihan yang valid untuk 'kertas'",
         "pilihan: F4 (Folio), A4, Letter, Legal")]


def test_a_value_with_a_line_break_is_quoted_on_the_message_s_own_line(tmp_path):
    """Found by the mutation test: a quoted key holding a line break split its message in two,
    and the second line looked like no message at all."""
    sources = office_tree(tmp_path, sop=BASE_SOP.replace("  keputusan: sop-2024", "  keputusan: \"0\\n0\""))
    lines = [d.format().splitlines() for d in diagnostics_of(sources) if d.code == "SOP115"]
    assert lines and lines[0][0].endswith("'0\\n0' bukan kunci yang valid [SOP115]")
    assert lines[0][1].startswith("    saran: ") and len(lines[0]) == 2
