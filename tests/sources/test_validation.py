"""Every validation rule: a broken source, and the exact message, line and column it gets."""

from __future__ import annotations

import pytest

from conftest import BASE_INSTANSI, BASE_SOP, diagnostics_of, office_tree, png_bytes, replace_line, write_tree

SOP_FILE = "layanan-uji.yml"
OFFICE_FILE = "instansi.yml"


def sop_with(number: int, *lines: str) -> str:
    return replace_line(BASE_SOP, number, *lines)


def office_with(number: int, *lines: str) -> str:
    return replace_line(BASE_INSTANSI, number, *lines)


# (id, sop text, instansi text, expected: file, line, col, severity, code, message, hint or None)
SOP_CASES = [
    ("unknown-key", sop_with(2, "nama: Layanan Uji", "ringkasn: Teks"), BASE_INSTANSI,
     (SOP_FILE, 3, 1, "error", "SOP107", "kunci 'ringkasn' tidak dikenal", "maksud Anda 'ringkasan'?")),
    ("duplicate-key", sop_with(2, "nama: A", "nama: B"), BASE_INSTANSI,
     (SOP_FILE, 3, 1, "error", "SOP106", "kunci 'nama' ditulis dua kali (pertama di baris 2)", None)),
    ("missing-nomor", sop_with(1), BASE_INSTANSI,
     (SOP_FILE, 1, 1, "error", "SOP109", "kunci wajib 'nomor' tidak ada", None)),
    ("missing-tanggal-efektif", sop_with(6), BASE_INSTANSI,
     (SOP_FILE, 1, 1, "error", "SOP109", "kunci wajib 'tanggal_efektif' tidak ada", None)),
    ("empty-required", sop_with(2, "nama:"), BASE_INSTANSI,
     (SOP_FILE, 2, 6, "error", "SOP109", "'nama' wajib diisi", None)),
    ("missing-uraian", sop_with(12, "  - kelengkapan: Formulir"), BASE_INSTANSI,
     (SOP_FILE, 12, 5, "error", "SOP109", "langkah 1: kunci wajib 'uraian' tidak ada", None)),
    ("unknown-actor", sop_with(17, "    pelaksana: petugsa"), BASE_INSTANSI,
     (SOP_FILE, 17, 16, "error", "SOP201", "langkah 2: pelaksana 'petugsa' tidak dikenal",
      "maksud Anda 'petugas'?")),
    ("unknown-signer", sop_with(7, "disahkan_oleh: camt"), BASE_INSTANSI,
     (SOP_FILE, 7, 16, "error", "SOP202", "pejabat 'camt' tidak dikenal di instansi.yml",
      "maksud Anda 'camat'?")),
    ("unknown-decree", sop_with(4, "  keputusan: sop-2025"), BASE_INSTANSI,
     (SOP_FILE, 4, 14, "error", "SOP203", "keputusan 'sop-2025' tidak dikenal di instansi.yml",
      "maksud Anda 'sop-2024'?")),
    ("branch-number-out-of-range", sop_with(21, "      ya: 9"), BASE_INSTANSI,
     (SOP_FILE, 21, 11, "error", "SOP204",
      "langkah 2: tujuan langkah 9 tidak ada (SOP ini punya 3 langkah)", None)),
    ("branch-unknown-id", sop_with(21, "      ya: serahkan"), BASE_INSTANSI,
     (SOP_FILE, 21, 11, "error", "SOP204", "langkah 2: tujuan 'serahkan' tidak dikenal", None)),
    ("lanjut-unknown", sop_with(15, "    output: Berkas", "    lanjut: 7"), BASE_INSTANSI,
     (SOP_FILE, 16, 13, "error", "SOP204", "langkah 1: tujuan langkah 7 tidak ada (SOP ini punya 3 langkah)",
      None)),
    ("branch-missing-at-end", sop_with(26, "    output: Surat", "    keputusan: {ya: 1}"), BASE_INSTANSI,
     (SOP_FILE, 27, 16, "error", "SOP204",
      "langkah 3: cabang 'tidak' kosong, padahal tidak ada langkah sesudah langkah 3", None)),
    ("same-branches", sop_with(21, "      ya: 1"), BASE_INSTANSI,
     (SOP_FILE, 21, 7, "error", "SOP206", "langkah 2: cabang Ya dan Tidak sama-sama menuju langkah 1", None)),
    ("both-branches-end", sop_with(21, "      ya: selesai").replace("      tidak: 1", "      tidak: selesai"), BASE_INSTANSI,
     (SOP_FILE, 21, 7, "error", "SOP206", "langkah 2: cabang Ya dan Tidak sama-sama menuju selesai", None)),
    ("unreachable", sop_with(15, "    output: Berkas", "    lanjut: 3"), BASE_INSTANSI,
     (SOP_FILE, 17, 5, "error", "SOP207", "langkah 2 tidak dapat dicapai dari langkah 1", None)),
    ("no-end", sop_with(26, "    output: Surat", "    lanjut: 2"), BASE_INSTANSI,
     (SOP_FILE, 12, 5, "error", "SOP208", "dari langkah 1 proses tidak pernah sampai ke akhir", None)),
    ("conflicting-flow", sop_with(15, "    output: Berkas", "    lanjut: 3", "    selesai: true"), BASE_INSTANSI,
     (SOP_FILE, 16, 13, "error", "SOP219",
      "langkah 1: lanjut dan selesai: true tidak boleh dipakai bersamaan pada satu langkah", None)),
    ("duplicate-step-id", sop_with(12, "  - id: awal", "    uraian: Mengajukan permohonan").replace(
        "  - uraian: Menyerahkan hasil", "  - id: awal\n    uraian: Menyerahkan hasil"), BASE_INSTANSI,
     (SOP_FILE, 24, 9, "error", "SOP205", "langkah 3: id 'awal' sudah dipakai langkah 1", None)),
    ("bad-waktu", sop_with(14, "    waktu: lima menit"), BASE_INSTANSI,
     (SOP_FILE, 14, 12, "error", "SOP111", "langkah 1: waktu 'lima menit' tidak dapat dibaca", None)),
    ("bad-date", sop_with(6, "tanggal_efektif: 2024-02-30"), BASE_INSTANSI,
     (SOP_FILE, 6, 18, "error", "SOP112", "tanggal '2024-02-30' tidak valid: Februari 2024 hanya 29 hari",
      "hari terakhir Februari 2024 adalah 2024-02-29")),
    ("bad-date-format", sop_with(6, "tanggal_efektif: 2 Januari 2024"), BASE_INSTANSI,
     (SOP_FILE, 6, 18, "error", "SOP112", "tanggal '2 Januari 2024' tidak valid", None)),
    ("revision-before-creation", sop_with(5, "tanggal_pembuatan: 2024-01-02", "tanggal_revisi: 2023-12-31"),
     BASE_INSTANSI,
     (SOP_FILE, 6, 17, "error", "SOP113", "tanggal revisi lebih awal dari tanggal pembuatan", None)),
    ("too-few-steps", "\n".join(BASE_SOP.splitlines()[:15]) + "\n", BASE_INSTANSI,
     (SOP_FILE, 12, 3, "error", "SOP110", "'langkah' harus berisi paling sedikit 2 langkah", None)),
    ("no-actors", sop_with(8, "pelaksana: {}").replace("  pemohon: Pemohon\n  petugas: Petugas\n", ""),
     BASE_INSTANSI,
     (SOP_FILE, 8, 12, "error", "SOP110", "'pelaksana' harus berisi paling sedikit 1 pelaksana", None)),
    ("wrong-type", sop_with(2, "nama: [a, b]"), BASE_INSTANSI,
     (SOP_FILE, 2, 7, "error", "SOP108", "'nama' harus berupa teks, bukan daftar", None)),
    ("todo-left", sop_with(1, "nomor: TODO nomor SOP"), BASE_INSTANSI,
     (SOP_FILE, 1, 8, "error", "SOP118", "'nomor' belum diisi (masih TODO)", None)),
    ("bad-roman", sop_with(4, "  keputusan: sop-2024", "  nomor: VIIII"), BASE_INSTANSI,
     (SOP_FILE, 5, 10, "error", "SOP116", "lampiran: 'VIIII' bukan angka Romawi", None)),
    ("bad-actor-key", sop_with(10, "  petugas: Petugas", "  Kasi Pem: Kasi Pemerintahan"), BASE_INSTANSI,
     (SOP_FILE, 11, 3, "error", "SOP115", "pelaksana: 'Kasi Pem' bukan kunci yang valid", None)),
    # instansi.yml
    ("nip-length", BASE_SOP, office_with(7, '    nip: "1979"'),
     (OFFICE_FILE, 7, 10, "error", "SOP114", "pejabat 'camat': NIP harus 18 angka, bukan 4", None)),
    ("nip-birth-date", BASE_SOP, office_with(7, '    nip: "19791340 199810 1 002"'),
     (OFFICE_FILE, 7, 10, "error", "SOP114",
      "pejabat 'camat': 8 angka pertama NIP (19791340) bukan tanggal lahir yang valid", None)),
    ("unknown-decree-signer", BASE_SOP, office_with(13, "    ditetapkan_oleh: lurah"),
     (OFFICE_FILE, 13, 22, "error", "SOP202", "keputusan 'sop-2024': pejabat 'lurah' tidak dikenal", None)),
    ("bad-paper", BASE_SOP, office_with(2, "nama: Kecamatan Uji", "tata_letak: {kertas: A5}"),
     (OFFICE_FILE, 3, 22, "error", "SOP115", "tata_letak: 'A5' bukan pilihan yang valid untuk 'kertas'",
      "pilihan: F4 (Folio), A4, Letter, Legal")),
    ("official-without-name", BASE_SOP, office_with(6),
     (OFFICE_FILE, 4, 3, "warning", "SOP263", "pejabat 'camat' tidak punya 'nama'", None)),
    # warnings
    ("unused-actor", sop_with(10, "  petugas: Petugas", "  camat: Camat"), BASE_INSTANSI,
     (SOP_FILE, 11, 3, "warning", "SOP260", "pelaksana 'camat' tidak dipakai oleh langkah mana pun", None)),
    ("step-without-waktu", sop_with(14), BASE_INSTANSI,
     (SOP_FILE, 12, 5, "warning", "SOP261", "langkah 1: tidak ada 'waktu'", None)),
    ("step-without-output", sop_with(15), BASE_INSTANSI,
     (SOP_FILE, 12, 5, "warning", "SOP262", "langkah 1: tidak ada 'output'", None)),
]


def _assert_reported(diagnostics, expected, only_error_code=True):
    file, line, col, severity, code, message, hint = expected
    found = [
        d for d in diagnostics
        if d.location.path.name == file and d.code == code and d.message == message
    ]
    assert found, f"{code} {message!r} not among:\n" + "\n".join(d.format() for d in diagnostics)
    diagnostic = found[0]
    assert (diagnostic.location.line, diagnostic.location.col) == (line, col), diagnostic.format()
    assert diagnostic.severity.value == severity
    if hint is not None:
        assert diagnostic.hint == hint
    if only_error_code:
        # one mistake, one error: no cascade of follow-up errors
        assert {d.code for d in diagnostics if d.is_error} <= {code}, "\n".join(d.format() for d in diagnostics)


@pytest.mark.parametrize("sop, instansi, expected", [case[1:] for case in SOP_CASES],
                         ids=[case[0] for case in SOP_CASES])
def test_rule(tmp_path, sop, instansi, expected):
    sources = office_tree(tmp_path, sop=sop, instansi=instansi)
    _assert_reported(diagnostics_of(sources), expected)


def test_base_sources_are_clean(tmp_path):
    assert diagnostics_of(office_tree(tmp_path)) == []


def test_duplicate_sop_number_across_files(tmp_path):
    sources = office_tree(tmp_path, layanan_vu=BASE_SOP.replace("nama: Layanan Uji", "nama: Layanan Lain"))
    _assert_reported(diagnostics_of(sources), (
        "layanan-vu.yml", 1, 8, "error", "SOP209",
        "nomor SOP 'KEC/UJI/1/2024' juga dipakai oleh layanan-uji.yml (baris 1)", None))


def test_duplicate_lampiran_number_in_one_decree(tmp_path):
    numbered = sop_with(4, "  keputusan: sop-2024", "  nomor: II")
    other = numbered.replace("KEC/UJI/1/2024", "KEC/UJI/2/2024")
    sources = office_tree(tmp_path, sop=numbered, layanan_vu=other)
    _assert_reported(diagnostics_of(sources), (
        "layanan-vu.yml", 5, 10, "error", "SOP210",
        "lampiran II juga dipakai oleh layanan-uji.yml (baris 5) dalam keputusan yang sama", None))


def test_file_name_must_be_a_slug(tmp_path):
    sources = write_tree(tmp_path, {"kecamatan-uji/instansi.yml": BASE_INSTANSI,
                                    "kecamatan-uji/Layanan Uji.yml": BASE_SOP})
    _assert_reported(diagnostics_of(sources), (
        "Layanan Uji.yml", 1, 1, "error", "SOP117", "nama berkas 'Layanan Uji.yml' bukan slug yang valid", None))


def test_missing_instansi(tmp_path):
    sources = write_tree(tmp_path, {"kecamatan-uji/layanan-uji.yml": BASE_SOP})
    _assert_reported(diagnostics_of(sources), (
        "instansi.yml", 1, 1, "error", "SOP214", "folder 'kecamatan-uji' tidak punya instansi.yml", None))


@pytest.mark.parametrize("logo, content, code, message", [
    ("../luar.png", None, "SOP211", "logo '../luar.png' berada di luar folder instansi"),
    ("/etc/hostname", None, "SOP211", "logo '/etc/hostname' berada di luar folder instansi"),
    ("tidak-ada.png", None, "SOP212", "berkas logo 'tidak-ada.png' tidak ditemukan"),
    ("bukan.png", b"bukan gambar", "SOP213", "berkas logo 'bukan.png' bukan gambar PNG atau JPEG yang utuh"),
    ("rusak.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 16, "SOP213",
     "berkas logo 'rusak.png' bukan gambar PNG atau JPEG yang utuh"),
])
def test_logo_rules(tmp_path, logo, content, code, message):
    files = {"kecamatan-uji/instansi.yml": office_with(2, "nama: Kecamatan Uji", f"logo: {logo}"),
             "kecamatan-uji/layanan-uji.yml": BASE_SOP, "luar.png": b"\x89PNG\r\n\x1a\n"}
    if content is not None:
        files[f"kecamatan-uji/{logo}"] = content
    sources = write_tree(tmp_path, files)
    _assert_reported(diagnostics_of(sources), (OFFICE_FILE, 3, 7, "error", code, message, None))


def test_logo_inside_folder_is_accepted(tmp_path):
    sources = write_tree(tmp_path, {
        "kecamatan-uji/instansi.yml": office_with(2, "nama: Kecamatan Uji", "logo: logo.png"),
        "kecamatan-uji/layanan-uji.yml": BASE_SOP,
        "kecamatan-uji/logo.png": png_bytes(),
    })
    assert diagnostics_of(sources) == []


# File-level problems: the text is the whole SOP file.
FILE_CASES = [
    ("not-utf8", "nomor: A\nnama: caf\xe9\n".encode("latin-1"), 2, 10, "SOP102", "berkas bukan teks UTF-8"),
    ("too-big", b"nomor: A\n" + b"# " + b"x" * (1024 * 1024) + b"\n", 1, 1, "SOP101", None),
    ("anchor", "nomor: &n A\nnama: *n\n", 1, 8, "SOP104", "anchor/alias YAML ('&' dan '*') tidak diizinkan"),
    ("alias-bomb", "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\n", 1, 4, "SOP104", None),
    ("python-tag", "nomor: !!python/object/apply:os.system [ls]\n", 1, 8, "SOP105",
     "tag YAML '!!python/object/apply:os.system' tidak diizinkan"),
    ("syntax", "nomor: A\n  nama: B\n", 2, 3, "SOP103", None),
    ("tab-indent", "nomor: A\n\tnama: B\n", 2, 1, "SOP103", None),
    ("empty", "", 1, 1, "SOP109", "berkas kosong"),
    ("only-comment", "# hanya komentar\n", 1, 1, "SOP109", "berkas kosong"),
    ("list-at-top", "- a\n- b\n", 1, 1, "SOP108", "isi berkas harus berupa pemetaan (kunci: nilai), bukan daftar"),
    ("two-documents", "nomor: A\n---\nnomor: B\n", 2, 1, "SOP103", "berkas berisi lebih dari satu dokumen YAML ('---')"),
    ("binary-junk", bytes(range(256)), 2, 118, "SOP102", None),
    ("nul-byte", "nomor: A\x00\n", 1, 9, "SOP103", None),
    ("deep-nesting", "a: " + "[" * 200 + "]" * 200 + "\n", 1, 67, "SOP108", None),
]


@pytest.mark.parametrize("content, line, col, code, message", [case[1:] for case in FILE_CASES],
                         ids=[case[0] for case in FILE_CASES])
def test_file_level_rule(tmp_path, content, line, col, code, message):
    sources = write_tree(tmp_path, {"kecamatan-uji/instansi.yml": BASE_INSTANSI,
                                    "kecamatan-uji/layanan-uji.yml": content})
    diagnostics = diagnostics_of(sources)
    errors = [d for d in diagnostics if d.is_error]
    assert errors, "no error reported"
    first = errors[0]
    assert first.code == code, first.format()
    assert (first.location.line, first.location.col) == (line, col), first.format()
    if message is not None:
        assert first.message == message
