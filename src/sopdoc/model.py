"""The validated model: offices, decrees, SOPs and their steps. No I/O, no rendering.

Facts that several renderers need (a step's symbol, its outgoing arrows, an SOP's total time,
a lampiran's number) are computed once when the model is built, never in a renderer.
"""

from __future__ import annotations

import datetime as _dt
import enum
from dataclasses import dataclass
from pathlib import Path

from sopdoc.diagnostics import Location
from sopdoc.indonesian import group_nip
from sopdoc.waktu import Duration


class Symbol(enum.Enum):
    """The Permenpan 35/2012 flowchart symbols a step can take."""

    TERMINATOR = "terminator"  # capsule: start and end
    PROCESS = "process"  # rectangle
    DECISION = "decision"  # diamond


@dataclass(frozen=True)
class Official:
    key: str
    jabatan: str
    nama: str | None = None
    pangkat: str | None = None
    nip: str | None = None  # 18 digits

    @property
    def nip_grouped(self) -> str | None:
        return group_nip(self.nip) if self.nip else None


@dataclass(frozen=True)
class Decree:
    key: str
    nomor: str
    tanggal: _dt.date
    tentang: str
    ditetapkan_oleh: Official
    menimbang: tuple[str, ...] = ()
    mengingat: tuple[str, ...] = ()
    memutuskan: tuple[str, ...] = ()
    ditetapkan_di: str | None = None


@dataclass(frozen=True)
class PageSetup:
    kertas: str = "F4"
    ulang_judul_tabel: bool = True


@dataclass(frozen=True)
class Office:
    slug: str
    folder: Path
    source: Path  # instansi.yml
    pemerintah: str
    nama: str
    alamat: str | None = None
    telepon: str | None = None
    website: str | None = None
    email: str | None = None
    kode_pos: str | None = None
    logo: Path | None = None  # resolved, inside folder
    tata_letak: PageSetup = PageSetup()
    pejabat: tuple[Official, ...] = ()
    keputusan: tuple[Decree, ...] = ()


@dataclass(frozen=True)
class Actor:
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


@dataclass(frozen=True)
class Step:
    number: int  # 1-based, table order
    id: str | None
    uraian: str
    actor: Actor
    symbol: Symbol
    edges: tuple[Edge, ...]  # empty for an end step
    kelengkapan: tuple[str, ...] = ()
    waktu: Duration | None = None
    output: str | None = None
    keterangan: str | None = None
    location: Location | None = None

    @property
    def is_decision(self) -> bool:
        return self.symbol is Symbol.DECISION

    @property
    def is_end(self) -> bool:
        return not self.edges


@dataclass(frozen=True)
class Attachment:
    """The SOP's place in a decree: Lampiran <numeral>."""

    decree: Decree
    numeral: str  # Roman
    explicit: bool  # written in the source, not assigned


@dataclass(frozen=True)
class Revision:
    tanggal: _dt.date
    uraian: str


@dataclass(frozen=True)
class Service:
    """Public service-standard facts; defaults are derived from the steps, never invented."""

    persyaratan: tuple[str, ...] = ()
    biaya: str | None = None
    produk: str | None = None


@dataclass(frozen=True)
class Sop:
    slug: str
    source: Path
    office: Office
    nomor: str
    nama: str
    tanggal_efektif: _dt.date
    disahkan_oleh: Official
    actors: tuple[Actor, ...]
    steps: tuple[Step, ...]
    total_waktu: Duration
    layanan: Service
    unit: str | None = None
    kategori: tuple[str, ...] = ()
    ringkasan: str | None = None
    lampiran: Attachment | None = None
    tanggal_pembuatan: _dt.date | None = None
    tanggal_revisi: _dt.date | None = None
    dasar_hukum: tuple[str, ...] = ()
    kualifikasi_pelaksana: tuple[str, ...] = ()
    keterkaitan: tuple[str, ...] = ()
    peralatan_perlengkapan: tuple[str, ...] = ()
    peringatan: tuple[str, ...] = ()
    pencatatan_pendataan: tuple[str, ...] = ()
    riwayat: tuple[Revision, ...] = ()


@dataclass(frozen=True)
class OfficeSops:
    office: Office
    sops: tuple[Sop, ...]


@dataclass(frozen=True)
class Project:
    offices: tuple[OfficeSops, ...]

    @property
    def sops(self) -> tuple[Sop, ...]:
        return tuple(sop for entry in self.offices for sop in entry.sops)
