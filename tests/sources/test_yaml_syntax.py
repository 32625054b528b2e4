"""YAML mistakes a clerk makes, each said in Bahasa Indonesia at the place the mistake is, with the
hint a clerk needs, never in PyYAML's English or at the place PyYAML happened to notice it.

Every case runs with libyaml's parser (what sopdoc uses when PyYAML has it) and with PyYAML's
own, whose errors are worded differently: the clerk is told the same either way.
"""

from __future__ import annotations

import random
import shutil

import pytest
import yaml

from conftest import BASE_INSTANSI, BASE_SOP, CORPUS, office_tree, replace_line, write_tree

from sopdoc.diagnostics import Diagnostics
from sopdoc.sources import located_yaml

SOP = "sop_sources/kecamatan-uji/layanan-uji.yml"
QUOTING = "apit teks dengan tanda kutip bila berisi ': ' atau ' #'"
INDENT_DEEPER = ("sejajarkan dengan baris di atasnya; baris hanya boleh menjorok lebih dalam di bawah kunci tanpa "
                 "nilai, mis. 'keputusan:'")
TAB = "gunakan spasi, bukan tab, untuk menjorokkan baris (atur editor agar tombol Tab menulis spasi)"
UNCLOSED_BRACKET = "tambahkan '{}' di akhir {}, atau apit teks dengan tanda kutip bila '{}' bagian dari teks"
COMMENT_HINT = ("apit nilainya dengan tanda kutip bila '#...' bagian dari teks, mis. {}; komentar yang disengaja "
                "ditulis dengan dua spasi sebelum '#'")

# (id, the SOP's text, line, column, message, hint); BASE_SOP's line 13 is `    pelaksana: pemohon`,
# line 14 `    waktu: 5 menit`.
CASES = [
    ("indented-5-spaces", replace_line(BASE_SOP, 14, "     waktu: 5 menit"), 14, 6,
     "indentasi baris ini tidak sejajar dengan baris di atasnya (mulai di kolom 6, sedangkan 'pelaksana' di "
     "baris 13 mulai di kolom 5)", INDENT_DEEPER),
    ("indented-3-spaces", replace_line(BASE_SOP, 14, "   waktu: 5 menit"), 14, 4,
     "indentasi baris ini tidak sejajar dengan baris di atasnya (mulai di kolom 4)",
     "sejajarkan dengan baris di atasnya: kunci yang setingkat mulai di kolom yang sama (di atas baris ini: "
     "kolom 1 atau 5)"),
    ("indented-under-a-value", replace_line(BASE_SOP, 3, "nama: Layanan Lain"), 4, 3,
     "indentasi baris ini tidak sejajar dengan baris di atasnya (mulai di kolom 3, sedangkan 'nama' di baris 3 "
     "mulai di kolom 1)", INDENT_DEEPER),
    ("first-line-indented", replace_line(BASE_SOP, 1, "  nomor: KEC/UJI/1/2024"), 1, 3,
     "baris pertama berkas menjorok (mulai di kolom 3)",
     "hapus spasi di awal baris ini: kunci paling luar mulai di kolom 1, sejajar dengan baris di bawahnya"),
    ("tab", replace_line(BASE_SOP, 14, "\twaktu: 5 menit"), 14, 1, "karakter tab tidak boleh dipakai di sini", TAB),
    ("tab-after-spaces", replace_line(BASE_SOP, 14, "  \t  waktu: 5 menit"), 14, 3,
     "karakter tab tidak boleh dipakai di sini", TAB),
    ("tab-after-a-dash", replace_line(BASE_SOP, 12, "  -\turaian: Mengajukan permohonan"), 12, 4,
     "karakter tab tidak boleh dipakai di sini", TAB),
    ("colon-in-text", replace_line(BASE_SOP, 12, "  - uraian: Perhatian: jika lengkap"), 12, 22,
     "tanda ':' di dalam teks dibaca sebagai pemisah kunci dan nilai",
     QUOTING + ', mis. - uraian: "Perhatian: jika lengkap"'),
    ("colon-ends-text", replace_line(BASE_SOP, 2, "nama: Layanan Uji:"), 2, 18,
     "tanda ':' di dalam teks dibaca sebagai pemisah kunci dan nilai", QUOTING + ', mis. nama: "Layanan Uji:"'),
    ("colon-missing", replace_line(BASE_SOP, 14, "    waktu 5 menit"), 14, 5,
     "tanda ':' tidak ada setelah nama kunci", "tambahkan ':' setelah nama kunci, mis. 'waktu: 5 menit'"),
    ("colon-missing-last-line", replace_line(BASE_SOP, 26, "    output Surat"), 26, 5,
     "tanda ':' tidak ada setelah nama kunci", "tambahkan ':' setelah nama kunci, mis. 'output: Surat'"),
    ("colon-missing-in-a-list-item", replace_line(BASE_SOP, 12, "  - uraian Mengajukan permohonan"), 12, 5,
     "tanda ':' tidak ada setelah nama kunci",
     "tambahkan ':' setelah nama kunci, mis. 'uraian: Mengajukan permohonan'"),
    ("colon-missing-after-a-table-key", replace_line(BASE_SOP, 8, "pelaksana"), 8, 1,
     "tanda ':' tidak ada setelah nama kunci", "tambahkan ':' setelah nama kunci, mis. 'pelaksana:'"),
    ("space-missing-after-colon", replace_line(BASE_SOP, 2, "nama:Layanan Uji"), 2, 5,
     "tidak ada spasi setelah ':'", "tulis spasi setelah ':', mis. 'nama: Layanan Uji'"),
    ("quote-never-closed", replace_line(BASE_SOP, 2, 'nama: "Layanan Uji'), 2, 7,
     "tanda kutip dibuka di sini tetapi tidak pernah ditutup",
     'tambahkan tanda kutip penutup (") di akhir teks, mis. nama: "Layanan Uji"'),
    ("single-quote-never-closed", replace_line(BASE_SOP, 12, "  - uraian: 'Mengajukan permohonan"), 12, 13,
     "tanda kutip dibuka di sini tetapi tidak pernah ditutup",
     "tambahkan tanda kutip penutup (') di akhir teks, mis. uraian: 'Mengajukan permohonan'"),
    ("quote-closed-by-a-later-one",
     replace_line(replace_line(BASE_SOP, 2, 'nama: "Layanan Uji'), 24, '  - uraian: "Menyerahkan hasil"'), 2, 7,
     "tanda kutip dibuka di sini tetapi tidak ditutup di baris ini, sehingga teks sampai tanda kutip di baris 24 "
     "terbaca sebagai satu nilai", 'tambahkan tanda kutip penutup (") di akhir teks, mis. nama: "Layanan Uji"'),
    ("bracket-never-closed", replace_line(BASE_SOP, 2, "nama: Layanan Uji", "kategori: [Pelayanan, Umum"), 3, 11,
     "kurung '[' dibuka di sini tetapi tidak pernah ditutup", UNCLOSED_BRACKET.format("]", "daftar", "[")),
    ("brace-never-closed", replace_line(BASE_SOP, 3, "lampiran: {keputusan: sop-2024", ""), 3, 11,
     "kurung '{' dibuka di sini tetapi tidak pernah ditutup", UNCLOSED_BRACKET.format("}", "pemetaan", "{")),
    ("bracket-closed-twice", replace_line(BASE_SOP, 2, "nama: [Layanan, Uji]]"), 2, 21,
     "kurung penutup ']' tanpa pasangan",
     "hapus ']' ini, atau apit seluruh teks dengan tanda kutip bila ']' bagian dari teks"),
    ("text-after-a-bracket", replace_line(BASE_SOP, 2, "nama: [Layanan] Uji"), 2, 17,
     "ada teks setelah kurung penutup ']'",
     'bila kurung bagian dari teks, apit seluruh teks dengan tanda kutip, mis. nama: "[Layanan] Uji"'),
    ("text-after-a-quote", replace_line(BASE_SOP, 2, 'nama: "Layanan" Uji'), 2, 17,
     "ada teks setelah tanda kutip penutup",
     "bila tanda kutip bagian dari teks, apit seluruh teks dengan tanda kutip jenis lain, mis. "
     "nama: '\"Layanan\" Uji'"),
    ("list-item-among-keys", replace_line(BASE_SOP, 14, "    - waktu: 5 menit"), 14, 5,
     "butir daftar ('- ') di tempat yang seharusnya berisi kunci",
     "hapus '- ' bila baris ini kunci biasa ('waktu: 5 menit'); butir daftar hanya boleh di bawah kunci tanpa "
     "nilai, mis. 'kelengkapan:'"),
    ("list-item-at-the-top", replace_line(BASE_SOP, 3, "- lampiran:"), 3, 1,
     "butir daftar ('- ') di tempat yang seharusnya berisi kunci",
     "hapus '- ' bila baris ini kunci biasa ('lampiran:'); butir daftar hanya boleh di bawah kunci tanpa nilai, "
     "mis. 'kelengkapan:'"),
    ("list-item-not-aligned", replace_line(BASE_SOP, 16, " - uraian: Apakah berkas lengkap?"), 16, 2,
     "tanda '-' tidak sejajar dengan butir daftar di atasnya (kolom 2, sedangkan butir di baris 12 di kolom 3)",
     "sejajarkan '-' dengan tanda '-' butir lain dalam daftar yang sama"),
    ("text-starts-with-a-dash", replace_line(BASE_SOP, 2, "nama: - Layanan Uji"), 2, 7,
     "teks tidak boleh diawali '- '",
     'apit teks dengan tanda kutip, mis. nama: "- Layanan Uji"; untuk daftar, tulis tiap butir di baris sendiri '
     "di bawah kuncinya"),
    ("text-starts-with-at", replace_line(BASE_SOP, 2, "nama: @Layanan"), 2, 7,
     "teks tidak boleh diawali '@'", 'apit teks dengan tanda kutip, mis. nama: "@Layanan"'),
    ("text-starts-with-an-alias", replace_line(BASE_SOP, 2, "nama: *Penting* Layanan"), 2, 7,
     "teks tidak boleh diawali '*'", 'apit teks dengan tanda kutip, mis. nama: "*Penting* Layanan"'),
    ("text-starts-with-a-bar", replace_line(BASE_SOP, 2, "nama: |Layanan"), 2, 7,
     "'|' di awal nilai memulai teks blok, yang isinya harus mulai di baris berikutnya",
     "apit teks dengan tanda kutip bila '|' bagian dari teks, mis. nama: \"|Layanan\""),
    ("backslash-in-double-quotes", replace_line(BASE_SOP, 2, 'nama: "C:\\Data\\uji"'), 2, 10,
     "'\\D' di dalam tanda kutip ganda bukan kode yang dikenal",
     "di dalam tanda kutip ganda, '\\' memulai kode khusus; pakai tanda kutip tunggal (mis. 'C:\\Data') atau "
     "tulis '\\\\' untuk satu '\\'"),
    ("control-character", replace_line(BASE_SOP, 2, "nama: Layanan ééé\x00"), 2, 18,
     "karakter U+0000 tidak boleh ada di berkas YAML",
     "hapus karakter kendali yang tidak terlihat (sering terbawa dari salin-tempel)"),
]


@pytest.fixture(params=["libyaml", "pyyaml"])
def parser(request, monkeypatch):
    """Each test twice: with libyaml's event parser and with PyYAML's own."""
    if request.param == "libyaml" and not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML built without libyaml")
    monkeypatch.setattr(located_yaml, "_EVENT_LOADER",
                        yaml.CSafeLoader if request.param == "libyaml" else yaml.SafeLoader)
    return request.param


def _reported(result) -> list[str]:
    return [line for line in result.stdout.splitlines() if line and not line.startswith(("Tidak ada", "0 galat"))
            and "galat," not in line]


@pytest.mark.parametrize("text, line, col, message, hint", [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_a_yaml_mistake_is_said_where_it_is(run, tmp_path, parser, text, line, col, message, hint):
    office_tree(tmp_path, sop=text)
    result = run("check")
    assert result.exit_code == 1
    assert _reported(result) == [f"{SOP}:{line}:{col}: galat: {message} [SOP103]", f"    saran: {hint}"]


def test_a_colon_ending_text_in_brackets_is_said_so(run, tmp_path, parser):
    """libyaml refuses `[Pengantar RT:, KTP]`; PyYAML's own parser reads `Pengantar RT` as a key."""
    office_tree(tmp_path, sop=replace_line(BASE_SOP, 2, "nama: Layanan Uji", "kategori: [Pengantar RT:, KTP]"))
    reported = _reported(run("check"))
    if parser == "libyaml":
        assert reported == [f"{SOP}:3:24: galat: tanda ':' di dalam teks dibaca sebagai pemisah kunci dan nilai "
                            "[SOP103]", f"    saran: {QUOTING}, mis. [\"Surat: asli\", KTP]"]
    else:
        assert reported[0].endswith("'nilai' harus berupa teks, bukan pemetaan (kunci: nilai) [SOP108]")


def test_a_missing_colon_in_a_real_sop_is_reported_on_its_own_line(run, tmp_path, parser):
    """PyYAML says 60:5, the line below; the clerk is sent to line 59, which lacks the ':'."""
    shutil.copytree(CORPUS, tmp_path / "sop_sources")
    sop = tmp_path / "sop_sources/kecamatan-jenawi/penanganan-aduan.yml"
    text = sop.read_text(encoding="utf-8")
    assert text.splitlines()[58] == "    waktu: 15 menit"
    sop.write_text(replace_line(text, 59, "    waktu 15 menit"), encoding="utf-8")
    errors = [line for line in run("check").stdout.splitlines() if ": galat: " in line]
    assert errors == ["sop_sources/kecamatan-jenawi/penanganan-aduan.yml:59:5: galat: tanda ':' tidak ada setelah "
                      "nama kunci [SOP103]"]


def test_an_unclosed_quote_in_a_real_sop_is_reported_at_the_quote(run, tmp_path, parser):
    """PyYAML says 45:41 "did not find expected key", after a quote in a comment closed the text begun on
    line 3; the clerk is sent to the quote that opened it."""
    shutil.copytree(CORPUS, tmp_path / "sop_sources")
    sop = tmp_path / "sop_sources/kecamatan-jumapolo/layanan-e-ktp.yml"
    text = sop.read_text(encoding="utf-8")
    assert text.splitlines()[2].startswith("nama: Layanan Kartu")
    sop.write_text(replace_line(text, 3, 'nama: "Layanan Kartu Tanda Penduduk Elektronik (E-KTP)'), encoding="utf-8")
    result = run("check")
    assert [line for line in result.stdout.splitlines() if ": galat: " in line] == [
        "sop_sources/kecamatan-jumapolo/layanan-e-ktp.yml:3:7: galat: tanda kutip dibuka di sini tetapi tidak ditutup "
        "di baris ini, sehingga teks sampai tanda kutip di baris 45 terbaca sebagai satu nilai [SOP103]"]


def test_a_key_written_twice_is_its_own_error(run, tmp_path, parser):
    office_tree(tmp_path, sop=replace_line(BASE_SOP, 3, "nama: Layanan Lain", "lampiran:"))
    assert _reported(run("check"))[:2] == [
        f"{SOP}:3:1: galat: kunci 'nama' ditulis dua kali (pertama di baris 2) [SOP106]",
        "    saran: hapus salah satu; hanya satu nilai yang dapat berlaku"]


def test_a_file_not_in_utf8_names_the_byte_and_what_it_probably_is(run, tmp_path):
    write_tree(tmp_path, {"kecamatan-uji/instansi.yml": BASE_INSTANSI,
                          "kecamatan-uji/layanan-uji.yml": BASE_SOP.replace("Layanan Uji", "Layanan Café").encode("cp1252")})
    assert _reported(run("check")) == [
        f"{SOP}:2:18: galat: berkas bukan teks UTF-8 [SOP102]",
        "    saran: simpan berkas sebagai teks UTF-8 (di editor: Save As > Encoding UTF-8); bita 0xE9 di sini mungkin "
        "'é' yang tersimpan sebagai ANSI/Windows-1252"]


def test_a_utf16_file_is_named_so(run, tmp_path):
    write_tree(tmp_path, {"kecamatan-uji/instansi.yml": BASE_INSTANSI,
                          "kecamatan-uji/layanan-uji.yml": BASE_SOP.encode("utf-16")})
    assert _reported(run("check")) == [
        f"{SOP}:1:1: galat: berkas bukan teks UTF-8 [SOP102]",
        "    saran: berkas ini tersimpan sebagai UTF-16 ('Unicode'); simpan berkas sebagai teks UTF-8 (di editor: "
        "Save As > Encoding UTF-8)"]


@pytest.mark.parametrize("text", ["", "# hanya komentar\n", "\n\n"], ids=["empty", "comments-only", "blank-lines"])
def test_an_empty_file_is_said_to_be_empty(run, tmp_path, text):
    office_tree(tmp_path, sop=text)
    assert _reported(run("check")) == [f"{SOP}:1:1: galat: berkas kosong [SOP109]",
                                       "    saran: jalankan 'sopdoc new' untuk membuat kerangka SOP"]


def _mutations(count: int, seed: int):
    """BASE_SOP and the corpus with a few characters typed, deleted or indented at random."""
    texts = [BASE_SOP, BASE_INSTANSI] + [path.read_text(encoding="utf-8") for path in sorted(CORPUS.rglob("*.yml"))]
    typed = list(":#-\"'[]{}\t @`%|>&*!,?\\") + ["  ", "\n", ": ", " #"]
    rng = random.Random(seed)
    for _ in range(count):
        text = rng.choice(texts)
        for _ in range(rng.randint(1, 3)):
            at, what = rng.randrange(len(text)), rng.random()
            if what < 0.5:
                text = text[:at] + rng.choice(typed) + text[at:]
            elif what < 0.8:
                text = text[:at] + text[at + 1:]
            else:
                lines = text.split("\n")
                number = rng.randrange(len(lines))
                lines[number] = " " * rng.randint(1, 3) + lines[number]
                text = "\n".join(lines)
        yield text


ENGLISH = ("found", "expected", "while ", "allowed", "mapping", "scalar", "token", "stream", "character")


def test_no_syntax_error_reaches_the_clerk_in_english_or_outside_the_file(tmp_path, parser):
    said = set()
    for text in _mutations(600, seed=35):
        diagnostics = Diagnostics()
        located_yaml.parse_yaml(text, tmp_path / "x.yml", diagnostics)
        lines = text.count("\n") + 1
        for diagnostic in diagnostics:
            if diagnostic.code != "SOP103":
                continue
            said.add(diagnostic.message.split(" (")[0])
            assert not any(word in diagnostic.message for word in ENGLISH), diagnostic.format()
            assert diagnostic.hint, diagnostic.format()
            assert 1 <= diagnostic.location.line <= lines, (diagnostic.format(), text)
    assert len(said) > 10  # the mutations do reach many kinds of mistake


# ---------------------------------------------------------------- ' #' after a value

def _warnings(result) -> list[str]:
    lines = result.stdout.splitlines()
    return [line for number, line in enumerate(lines) if ": peringatan: " in line or
            (line.startswith("    saran: ") and ": peringatan: " in lines[number - 1])]


@pytest.mark.parametrize("line, new, col, kept, example", [
    (15, "    output: SKTM #1 asli", 18, "SKTM", 'output: "SKTM #1 asli"'),
    (12, "  - uraian: Mengajukan #2 permohonan", 24, "Mengajukan", '- uraian: "Mengajukan #2 permohonan"'),
    (14, "    waktu: 5 menit #kira-kira", 20, "5 menit", 'waktu: "5 menit #kira-kira"'),
], ids=["value", "value-in-a-list-item", "waktu"])
def test_a_hash_after_one_space_behind_text_is_warned_at_the_hash(run, tmp_path, parser, line, new, col, kept,
                                                                  example):
    office_tree(tmp_path, sop=replace_line(BASE_SOP, line, new))
    result = run("check")
    assert result.exit_code == 0  # a warning
    assert _warnings(result) == [
        f"{SOP}:{line}:{col}: peringatan: teks setelah ' #' dianggap komentar dan tidak dibaca (yang terbaca hanya "
        f"'{kept}') [SOP266]", f"    saran: {COMMENT_HINT.format(example)}"]
    assert run("check", "--strict").exit_code == 1


def test_a_hash_after_a_list_item_of_text_is_warned(run, tmp_path, parser):
    office_tree(tmp_path, sop=BASE_SOP + "kategori:\n  - Pelayanan #1\n")
    assert _warnings(run("check")) == [
        f"{SOP}:28:15: peringatan: teks setelah ' #' dianggap komentar dan tidak dibaca (yang terbaca hanya "
        "'Pelayanan') [SOP266]", f"    saran: {COMMENT_HINT.format(chr(34).join(['- ', 'Pelayanan #1', '']))}"]


@pytest.mark.parametrize("sop", [
    replace_line(BASE_SOP, 15, "    output: Berkas  # two spaces: a deliberate comment"),
    replace_line(BASE_SOP, 15, "    output: Berkas      # aligned"),
    replace_line(BASE_SOP, 15, '    output: "Berkas" #1 quoted'),
    replace_line(BASE_SOP, 15, "    output: 'Berkas' #1 quoted"),
    replace_line(BASE_SOP, 15, "    output: Berkas#1"),  # no space: part of the text
    replace_line(BASE_SOP, 8, "pelaksana: #kolom"),
    replace_line(BASE_SOP, 11, "langkah: #daftar"),
    replace_line(BASE_SOP, 12, "  - #langkah pertama", "    uraian: Mengajukan permohonan"),
    replace_line(BASE_SOP, 15, "    # output: lama", "    output: Berkas"),
    replace_line(BASE_SOP, 2, "nama: | #teks blok", "  Layanan Uji"),
    replace_line(BASE_SOP, 2, "nama: Layanan Uji", "kategori: [Pelayanan] #1"),
    BASE_SOP + "unit: #kosong\n",
], ids=["two-spaces", "aligned", "double-quoted", "single-quoted", "no-space", "after-a-table-key",
        "after-a-list-key", "after-a-dash", "full-line", "block-text-header", "after-a-bracket", "empty-value"])
def test_no_warning_for_a_deliberate_comment(run, tmp_path, parser, sop):
    office_tree(tmp_path, sop=sop)
    assert not [line for line in run("check").stdout.splitlines() if "[SOP266]" in line]


def test_the_corpus_gives_no_new_warning(run, tmp_path):
    """The corpus writes its developers' notes after two spaces (`pelaksana: kasi_pem  # ...`)."""
    shutil.copytree(CORPUS, tmp_path / "sop_sources")
    result = run("check")
    assert result.exit_code == 0
    codes = [line.rsplit("[", 1)[1] for line in result.stdout.splitlines() if ": peringatan: " in line]
    assert codes == ["SOP263]", "SOP263]"]  # the two officials without a name, as before
