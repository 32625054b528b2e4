"""The validated model: offices, decrees, SOPs and their steps. No I/O, no rendering.

Each field that a source file sets is declared here, once, with the kind of value it takes and
the description an editor shows the clerk (`source_key`); the schema, the JSON Schema and the
loader are derived from these declarations (`sopdoc.sources.records`: `record_of`, `from_values`). A
new optional key is one line here, and then the renderer that shows it.

Facts that several renderers need (a step's symbol, its outgoing arrows, an SOP's total time,
a lampiran's number) are computed once when the model is built, never in a renderer.

Names
-----
The words of the source format are spelled as the format spells them, in Indonesian: the model's
classes are named by the format's word for them (`Instansi`, `Pejabat`, `Keputusan`, `TataLetak`,
`Pelaksana`, `Langkah`, `Lampiran`, `Riwayat`, `Layanan`) and every field the source sets has the
name of its key (`sop.pelaksana`, `sop.langkah`, `langkah.pelaksana`, `sop.lampiran.nomor`,
`instansi.keputusan`). Everything else is English: fields sopdoc derives (`slug`, `source`,
`office`, `edges`, `symbol`), the program's own concepts (`Project`, `Edge`, `Symbol`,
`LayoutPlan`, `OutputFormat`, `EmbeddedSource`), and functions and variables, which call a model
object by the one English word of this glossary:

    instansi  office        keputusan  decree      langkah   step
    pejabat   official      lampiran   attachment  pelaksana actor
    riwayat   revision      layanan    service     tata_letak page setup

"Attachment" is only ever a lampiran; a file embedded in a PDF is an "embedded source".
"""

from __future__ import annotations

import datetime as _dt
import enum
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import ClassVar

from sopdoc.diagnostics import Location
from sopdoc.indonesian import from_roman, group_nip
from sopdoc.sources.kinds import (CaseFolded, Choice, Date, Flag, Key, Nip, Roman, StepId, Target, Text, TextOrList,
                                  Waktu)
from sopdoc.sources.records import Field, ListOf, Record, RecordOf, Table, source_key
from sopdoc.waktu import Duration

PAPER_SIZES = ("F4", "A4", "Letter", "Legal")
PAPER_ALIASES = {"Folio": "F4"}  # Indonesian offices call F4 (215 × 330 mm) Folio
# The most actor columns (swimlanes) a landscape flowchart table holds on each paper, with every
# lane at its narrowest and every text column at its narrowest (tests/layout keeps these true).
MAX_ACTORS = {"F4": 17, "A4": 15, "Letter": 13, "Legal": 19}
DRAFT = "draf"  # sop.status of a revision not yet in force
SOP_STATUSES = (DRAFT, "berlaku")
MAX_ACTOR_TITLE = 150  # characters: the flowchart's header holds no more in a narrow column  # tata_letak.kertas; their sizes are the layout's


class Symbol(enum.Enum):
    """The Permenpan 35/2012 flowchart symbols a step can take."""

    TERMINATOR = "terminator"  # capsule: start and end
    PROCESS = "process"  # rectangle
    DECISION = "decision"  # diamond


@dataclass(frozen=True, kw_only=True)
class Pejabat:
    SOURCE_DESCRIPTION: ClassVar[str] = "Pejabat penanda tangan"

    key: str
    jabatan: str = source_key(Text("Jabatan yang dicetak di atas tanda tangan, mis. Camat Jenawi"), required=True)
    nama: str | None = source_key(Text("Nama lengkap dengan gelar, dicetak di bawah tanda tangan"))
    pangkat: str | None = source_key(Text("Pangkat/golongan, mis. Pembina Tk.I"))
    nip: str | None = source_key(Nip("NIP 18 angka; spasi boleh, mis. 19790709 199810 1 002"))  # 18 digits

    @property
    def nip_grouped(self) -> str | None:
        return group_nip(self.nip) if self.nip else None


@dataclass(frozen=True, kw_only=True)
class Keputusan:
    SOURCE_DESCRIPTION: ClassVar[str] = "Keputusan yang menjadi induk lampiran SOP"

    key: str
    nomor: str = source_key(Text("Nomor keputusan, mis. 000.8.3.3/23 Tahun 2024"), required=True)
    tanggal: _dt.date = source_key(Date("Tanggal penetapan (TTTT-BB-HH)"), required=True)
    tentang: str = source_key(Text("Judul keputusan"), required=True)
    ditetapkan_oleh: Pejabat = source_key(Key("Kunci pejabat di 'pejabat' yang menetapkan"), required=True,
                                          built=True)
    menimbang: tuple[str, ...] = source_key(ListOf(Text(), "Butir-butir 'Menimbang' (a, b, c, ...)"))
    mengingat: tuple[str, ...] = source_key(ListOf(Text(), "Butir-butir 'Mengingat' (1, 2, 3, ...)"))
    memutuskan: tuple[str, ...] = source_key(ListOf(Text(), "Diktum KESATU, KEDUA, ..."))
    ditetapkan_di: str | None = source_key(
        Text("Tempat penetapan, mis. Jenawi (bawaan: nama instansi tanpa 'Kecamatan')"))


@dataclass(frozen=True, kw_only=True)
class TataLetak:
    SOURCE_DESCRIPTION: ClassVar[str] = "Pengaturan halaman"

    kertas: str = source_key(Choice("Ukuran kertas lampiran (selalu melintang); Folio sama dengan F4", PAPER_SIZES,
                                    PAPER_ALIASES), default="F4")
    ulang_judul_tabel: bool = source_key(Flag("Ulangi judul tabel diagram alir di setiap halaman"), default=True)


@dataclass(frozen=True, kw_only=True)
class Instansi:
    SOURCE_DESCRIPTION: ClassVar[str] = "Instansi: kop surat, pejabat, dan keputusan"

    slug: str
    folder: Path
    source: Path  # instansi.yml
    source_bytes: bytes = field(default=b"", repr=False, compare=False)  # as read: what the model came from
    pemerintah: str = source_key(Text("Baris 1 kop, mis. Pemerintah Kabupaten Karanganyar"), required=True)
    nama: str = source_key(Text("Baris 2 kop, mis. Kecamatan Jenawi"), required=True)
    alamat: str | None = source_key(Text("Alamat kantor"))
    telepon: str | None = source_key(Text("Nomor telepon/faks"))
    website: str | None = source_key(Text("Alamat situs web"))
    email: str | None = source_key(Text("Alamat surel"))
    kode_pos: str | None = source_key(Text("Kode pos"))
    logo: Path | None = source_key(Text("Berkas logo (PNG/JPEG) di folder instansi, mis. logo.png"),
                                   built=True)  # resolved, inside folder
    tata_letak: TataLetak = source_key(RecordOf(TataLetak), default=TataLetak())
    pejabat: tuple[Pejabat, ...] = source_key(
        Table(RecordOf(Pejabat), "Pejabat penanda tangan, menurut kunci (mis. camat)"), built=True)
    keputusan: tuple[Keputusan, ...] = source_key(
        Table(RecordOf(Keputusan), "Keputusan, menurut kunci (mis. sop-2024)"), built=True)


@dataclass(frozen=True)
class Pelaksana:
    key: str
    title: str


@dataclass(frozen=True)
class Edge:
    """An arrow leaving a step. target None means the flow ends on this branch."""

    target: int | None  # step number
    label: str | None = None  # "Ya" / "Tidak" on a decision's branches

    @property
    def ends(self) -> bool:
        return self.target is None


_TARGET_HINT = "nomor langkah, id, atau 'selesai' (kosong = langkah berikutnya)"


@dataclass(frozen=True, kw_only=True)
class Langkah:
    SOURCE_DESCRIPTION: ClassVar[str] = "Satu langkah (baris) diagram alir"
    # Read from the source to build `edges`, not kept as they were written.
    SOURCE_ONLY_KEYS: ClassVar[tuple[Field, ...]] = (
        Field("keputusan", CaseFolded(Record([  # Ya:, TIDAK: are read as ya:, tidak:
            Field("ya", Target(f"Tujuan cabang Ya: {_TARGET_HINT}")),
            Field("tidak", Target(f"Tujuan cabang Tidak: {_TARGET_HINT}")),
        ], "Menjadikan langkah ini keputusan (belah ketupat) dengan cabang Ya dan Tidak"))),
        Field("lanjut", Target("Langkah berikutnya bila bukan langkah di bawahnya")),
        Field("selesai", Flag("Proses berakhir pada langkah ini")),
    )

    number: int  # 1-based, table order
    id: str | None = source_key(StepId("Id langkah (opsional) untuk dirujuk dari cabang atau 'lanjut'"))
    uraian: str = source_key(Text("Uraian kegiatan"), required=True)
    pelaksana: Pelaksana = source_key(Key("Kunci pelaksana (kolom) yang melakukan langkah ini"), required=True,
                                      built=True)
    kelengkapan: tuple[str, ...] = source_key(TextOrList("Kelengkapan (mutu baku)"))
    waktu: Duration | None = source_key(Waktu("Waktu, mis. 15 menit, 2 jam, 1 hari kerja"))
    output: str | None = source_key(Text("Output (mutu baku)"))
    keterangan: str | None = source_key(Text("Keterangan (kolom Ket.)"), built=True)  # "" is None
    symbol: Symbol
    edges: tuple[Edge, ...]  # empty for an end step
    location: Location | None = None

    @property
    def is_decision(self) -> bool:
        return self.symbol is Symbol.DECISION

    @property
    def is_end(self) -> bool:
        return not self.edges


@dataclass(frozen=True, kw_only=True)
class Lampiran:
    """The SOP's place in a decree: Lampiran <nomor>."""

    SOURCE_DESCRIPTION: ClassVar[str] = "Melampirkan SOP ini pada sebuah keputusan"

    keputusan: Keputusan = source_key(Key("Kunci keputusan di instansi.yml"), required=True, built=True)
    nomor: str = source_key(Roman("Nomor lampiran (angka Romawi); otomatis bila kosong"),
                            built=True)  # Roman; assigned when absent
    explicit: bool  # written in the source, not assigned


@dataclass(frozen=True, kw_only=True)
class Riwayat:
    tanggal: _dt.date = source_key(Date("Tanggal perubahan"), required=True)
    uraian: str = source_key(Text("Apa yang berubah"), required=True)


@dataclass(frozen=True, kw_only=True)
class Layanan:
    """Public service-standard facts; defaults are derived from the steps, never invented."""

    SOURCE_DESCRIPTION: ClassVar[str] = "Standar pelayanan untuk situs publik"

    persyaratan: tuple[str, ...] = source_key(TextOrList("Persyaratan; bawaan: kelengkapan langkah pertama"),
                                              built=True)
    biaya: str | None = source_key(Text("Biaya layanan; tidak pernah diisi otomatis"))
    produk: str | None = source_key(Text("Produk layanan; bawaan: output langkah terakhir"), built=True)


@dataclass(frozen=True, kw_only=True)
class Sop:
    SOURCE_DESCRIPTION: ClassVar[str] = "Standar Operasional Prosedur (format SOP AP, Permenpan RB 35/2012)"

    slug: str
    source: Path
    source_bytes: bytes = field(default=b"", repr=False, compare=False)  # as read: what the model came from
    office: Instansi
    nomor: str = source_key(Text("Nomor SOP, mis. KECJENAWI/YANUM/8/2024"), required=True)
    nama: str = source_key(Text("Nama SOP"), required=True)
    unit: str | None = source_key(Text("Seksi/bidang pemilik SOP"))
    kategori: tuple[str, ...] = source_key(TextOrList("Kategori (tag) untuk situs publik"))
    ringkasan: str | None = source_key(Text("Satu paragraf ringkasan untuk situs publik"))
    status: str = source_key(Choice("'draf': belum berlaku (ditandai DRAF, tidak terbit di situs, tidak dapat "
                                    "ditandatangani); bawaan 'berlaku'", SOP_STATUSES), default="berlaku")
    lampiran: Lampiran | None = source_key(RecordOf(Lampiran), built=True)
    tanggal_pembuatan: _dt.date | None = source_key(Date("Tanggal pembuatan (TTTT-BB-HH)"))
    tanggal_revisi: _dt.date | None = source_key(Date("Tanggal revisi (TTTT-BB-HH); kosong bila belum direvisi"))
    tanggal_efektif: _dt.date = source_key(Date("Tanggal efektif (TTTT-BB-HH)"), required=True)
    disahkan_oleh: Pejabat = source_key(Key("Kunci pejabat di instansi.yml"), required=True, built=True)
    dasar_hukum: tuple[str, ...] = source_key(TextOrList("Dasar hukum"))
    kualifikasi_pelaksana: tuple[str, ...] = source_key(TextOrList("Kualifikasi pelaksana"))
    keterkaitan: tuple[str, ...] = source_key(TextOrList("Keterkaitan dengan SOP lain"))
    peralatan_perlengkapan: tuple[str, ...] = source_key(TextOrList("Peralatan/perlengkapan"))
    peringatan: tuple[str, ...] = source_key(TextOrList("Peringatan"))
    pencatatan_pendataan: tuple[str, ...] = source_key(TextOrList("Pencatatan dan pendataan"))
    layanan: Layanan = source_key(RecordOf(Layanan), built=True)
    pelaksana: tuple[Pelaksana, ...] = source_key(
        Table(Text("Judul kolom pelaksana", max_length=MAX_ACTOR_TITLE), "Kolom pelaksana dari kiri ke kanan",
              min_items=1, unit="pelaksana"),
        required=True, built=True)
    langkah: tuple[Langkah, ...] = source_key(
        ListOf(RecordOf(Langkah), "Langkah-langkah, berurutan (nomor 1..n)", min_items=2, unit="langkah",
               keep_positions=True),
        required=True, built=True)
    riwayat: tuple[Riwayat, ...] = source_key(ListOf(RecordOf(Riwayat), "Riwayat revisi, yang terlama dahulu"))
    total_waktu: Duration

    @property
    def is_draft(self) -> bool:
        return self.status == DRAFT


@dataclass(frozen=True)
class OfficeSops:
    office: Instansi
    sops: tuple[Sop, ...]


@dataclass(frozen=True)
class Project:
    offices: tuple[OfficeSops, ...]

    @property
    def sops(self) -> tuple[Sop, ...]:
        return tuple(sop for entry in self.offices for sop in entry.sops)

    def as_drafts(self) -> Project:
        """Every SOP a draft (`sopdoc build --draf`)."""
        return Project(tuple(OfficeSops(entry.office, tuple(replace(sop, status=DRAFT) for sop in entry.sops))
                             for entry in self.offices))


def decrees_with_members(sops: list[Sop]) -> list[tuple[Keputusan, Instansi, tuple[Sop, ...]]]:
    """Every decree that has at least one SOP attached, with its SOPs in lampiran order."""

    groups: dict[tuple[str, str], list[Sop]] = {}
    offices: dict[str, Instansi] = {}
    decrees: dict[tuple[str, str], Keputusan] = {}
    for sop in sops:
        if sop.lampiran is None:
            continue
        key = (sop.office.slug, sop.lampiran.keputusan.key)
        groups.setdefault(key, []).append(sop)
        offices[sop.office.slug] = sop.office
        decrees[key] = sop.lampiran.keputusan
    return [(decrees[key], offices[key[0]],
             tuple(sorted(members, key=lambda s: from_roman(s.lampiran.nomor))))
            for key, members in sorted(groups.items())]
