"""The two source files of the contract, `instansi.yml` and an SOP file, declared key by key.

Descriptions are in Indonesian: an editor shows them to the clerk while typing.
"""

from __future__ import annotations

from sopdoc.sources.kinds import (
    Choice, Date, Field, Flag, Key, ListOf, Nip, Record, Roman, StepId, Table, Target, Text,
    TextOrList, Waktu,
)

PAPER_SIZES = ("F4", "A4", "Letter", "Legal")

OFFICIAL = Record(
    [
        Field("jabatan", Text("Jabatan yang dicetak di atas tanda tangan, mis. Camat Jenawi"), required=True),
        Field("nama", Text("Nama lengkap dengan gelar, dicetak di bawah tanda tangan")),
        Field("pangkat", Text("Pangkat/golongan, mis. Pembina Tk.I")),
        Field("nip", Nip("NIP 18 angka; spasi boleh, mis. 19790709 199810 1 002")),
    ],
    "Pejabat penanda tangan",
)

DECREE = Record(
    [
        Field("nomor", Text("Nomor keputusan, mis. 000.8.3.3/23 Tahun 2024"), required=True),
        Field("tanggal", Date("Tanggal penetapan (TTTT-BB-HH)"), required=True),
        Field("tentang", Text("Judul keputusan"), required=True),
        Field("ditetapkan_oleh", Key("Kunci pejabat di 'pejabat' yang menetapkan"), required=True),
        Field("menimbang", ListOf(Text(), "Butir-butir 'Menimbang' (a, b, c, ...)")),
        Field("mengingat", ListOf(Text(), "Butir-butir 'Mengingat' (1, 2, 3, ...)")),
        Field("memutuskan", ListOf(Text(), "Diktum KESATU, KEDUA, ...")),
        Field("ditetapkan_di", Text("Tempat penetapan, mis. Jenawi (bawaan: nama instansi tanpa 'Kecamatan')")),
    ],
    "Keputusan yang menjadi induk lampiran SOP",
)

INSTANSI = Record(
    [
        Field("pemerintah", Text("Baris 1 kop, mis. Pemerintah Kabupaten Karanganyar"), required=True),
        Field("nama", Text("Baris 2 kop, mis. Kecamatan Jenawi"), required=True),
        Field("alamat", Text("Alamat kantor")),
        Field("telepon", Text("Nomor telepon/faks")),
        Field("website", Text("Alamat situs web")),
        Field("email", Text("Alamat surel")),
        Field("kode_pos", Text("Kode pos")),
        Field("logo", Text("Berkas logo (PNG/JPEG) di folder instansi, mis. logo.png")),
        Field(
            "tata_letak",
            Record(
                [
                    Field("kertas", Choice("Ukuran kertas lampiran (selalu melintang)", PAPER_SIZES)),
                    Field("ulang_judul_tabel", Flag("Ulangi judul tabel diagram alir di setiap halaman")),
                ],
                "Pengaturan halaman",
            ),
        ),
        Field("pejabat", Table(OFFICIAL, "Pejabat penanda tangan, menurut kunci (mis. camat)")),
        Field("keputusan", Table(DECREE, "Keputusan, menurut kunci (mis. sop-2024)")),
    ],
    "Instansi: kop surat, pejabat, dan keputusan",
)

BRANCHES = Record(
    [
        Field("ya", Target("Tujuan cabang Ya: nomor langkah, id, atau 'selesai' (kosong = langkah berikutnya)")),
        Field("tidak", Target("Tujuan cabang Tidak: nomor langkah, id, atau 'selesai' (kosong = langkah berikutnya)")),
    ],
    "Menjadikan langkah ini keputusan (belah ketupat) dengan cabang Ya dan Tidak",
)

STEP = Record(
    [
        Field("id", StepId("Id langkah (opsional) untuk dirujuk dari cabang atau 'lanjut'")),
        Field("uraian", Text("Uraian kegiatan"), required=True),
        Field("pelaksana", Key("Kunci pelaksana (kolom) yang melakukan langkah ini"), required=True),
        Field("kelengkapan", TextOrList("Kelengkapan (mutu baku)")),
        Field("waktu", Waktu("Waktu, mis. 15 menit, 2 jam, 1 hari kerja")),
        Field("output", Text("Output (mutu baku)")),
        Field("keterangan", Text("Keterangan (kolom Ket.)")),
        Field("keputusan", BRANCHES),
        Field("lanjut", Target("Langkah berikutnya bila bukan langkah di bawahnya")),
        Field("selesai", Flag("Proses berakhir pada langkah ini")),
    ],
    "Satu langkah (baris) diagram alir",
)

SOP = Record(
    [
        Field("nomor", Text("Nomor SOP, mis. KECJENAWI/YANUM/8/2024"), required=True),
        Field("nama", Text("Nama SOP"), required=True),
        Field("unit", Text("Seksi/bidang pemilik SOP")),
        Field("kategori", TextOrList("Kategori (tag) untuk situs publik")),
        Field("ringkasan", Text("Satu paragraf ringkasan untuk situs publik")),
        Field(
            "lampiran",
            Record(
                [
                    Field("keputusan", Key("Kunci keputusan di instansi.yml"), required=True),
                    Field("nomor", Roman("Nomor lampiran (angka Romawi); otomatis bila kosong")),
                ],
                "Melampirkan SOP ini pada sebuah keputusan",
            ),
        ),
        Field("tanggal_pembuatan", Date("Tanggal pembuatan (TTTT-BB-HH)")),
        Field("tanggal_revisi", Date("Tanggal revisi (TTTT-BB-HH); kosong bila belum direvisi")),
        Field("tanggal_efektif", Date("Tanggal efektif (TTTT-BB-HH)"), required=True),
        Field("disahkan_oleh", Key("Kunci pejabat di instansi.yml"), required=True),
        Field("dasar_hukum", TextOrList("Dasar hukum")),
        Field("kualifikasi_pelaksana", TextOrList("Kualifikasi pelaksana")),
        Field("keterkaitan", TextOrList("Keterkaitan dengan SOP lain")),
        Field("peralatan_perlengkapan", TextOrList("Peralatan/perlengkapan")),
        Field("peringatan", TextOrList("Peringatan")),
        Field("pencatatan_pendataan", TextOrList("Pencatatan dan pendataan")),
        Field(
            "layanan",
            Record(
                [
                    Field("persyaratan", TextOrList("Persyaratan; bawaan: kelengkapan langkah pertama")),
                    Field("biaya", Text("Biaya layanan; tidak pernah diisi otomatis")),
                    Field("produk", Text("Produk layanan; bawaan: output langkah terakhir")),
                ],
                "Standar pelayanan untuk situs publik",
            ),
        ),
        Field("pelaksana", Table(Text("Judul kolom pelaksana"), "Kolom pelaksana dari kiri ke kanan",
                                 min_items=1, unit="pelaksana"), required=True),
        Field("langkah", ListOf(STEP, "Langkah-langkah, berurutan (nomor 1..n)", min_items=2,
                                unit="langkah", keep_positions=True), required=True),
        Field(
            "riwayat",
            ListOf(
                Record(
                    [
                        Field("tanggal", Date("Tanggal perubahan"), required=True),
                        Field("uraian", Text("Apa yang berubah"), required=True),
                    ],
                ),
                "Riwayat revisi, yang terlama dahulu",
            ),
        ),
    ],
    "Standar Operasional Prosedur (format SOP AP, Permenpan RB 35/2012)",
)
