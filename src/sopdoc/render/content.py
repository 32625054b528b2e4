"""What every document shows, decided once for the PDF, the DOCX and the site: the identity of a
lampiran (its heading, dates, letterhead address, the 3 x 2 grid) and the text of a Keputusan.
Renderers format these; they never choose what to show. No I/O here.

The source may give the decree's body (menimbang, mengingat, memutuskan); what it leaves out is
filled with the customary wording of an SOP decree, and the list of attached SOPs is always
generated from the lampiran themselves, so it cannot go stale.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from sopdoc.indonesian import alphabetic_label, format_date, from_roman
from sopdoc.model import Keputusan, Instansi, Pejabat, Sop

# The identity grid of a lampiran: two sections per row, (title, field of Sop).
GRID = (
    (("Dasar Hukum", "dasar_hukum"), ("Kualifikasi Pelaksana", "kualifikasi_pelaksana")),
    (("Keterkaitan", "keterkaitan"), ("Peralatan/Perlengkapan", "peralatan_perlengkapan")),
    (("Peringatan", "peringatan"), ("Pencatatan dan Pendataan", "pencatatan_pendataan")),
)


@dataclass(frozen=True)
class GridSection:
    title: str
    items: tuple[str, ...]  # none: the lampiran prints "-", the site leaves the section out


def identity_grid(sop: Sop) -> tuple[tuple[GridSection, GridSection], ...]:
    return tuple(tuple(GridSection(title, getattr(sop, attr)) for title, attr in pair) for pair in GRID)


def identity_dates(sop: Sop) -> tuple[tuple[str, str | None], ...]:
    """(label, date in Indonesian or None) of the three dates of an SOP's identity table."""
    return (
        ("Tanggal Pembuatan", format_date(sop.tanggal_pembuatan) if sop.tanggal_pembuatan else None),
        ("Tanggal Revisi", format_date(sop.tanggal_revisi) if sop.tanggal_revisi else None),
        ("Tanggal Efektif", format_date(sop.tanggal_efektif)),
    )


@dataclass(frozen=True)
class Signature:
    """The block an official signs in: jabatan above the space, the name (or a blank line to fill
    by hand) below it, then pangkat and NIP when known."""

    jabatan: str  # printed in capitals
    nama: str | None  # None: left blank
    pangkat: str | None
    nip: str | None  # "NIP. 19790709 199810 1 002"


def signature(official: Pejabat) -> Signature:
    return Signature(official.jabatan.upper(), official.nama, official.pangkat,
                     f"NIP. {official.nip_grouped}" if official.nip_grouped else None)


@dataclass(frozen=True)
class IdentityRow:
    """A row of the identity table, right of the letterhead."""

    label: str
    value: str = ""  # "-" when the source gives nothing
    signature: Signature | None = None  # the "Disahkan oleh" row
    emphasis: bool = False  # the SOP's name


def identity_rows(sop: Sop) -> tuple[IdentityRow, ...]:
    return (
        IdentityRow("Nomor SOP", sop.nomor),
        *(IdentityRow(label, value or "-") for label, value in identity_dates(sop)),
        IdentityRow("Disahkan oleh", signature=signature(sop.disahkan_oleh)),
        IdentityRow("Nama SOP", sop.nama, emphasis=True),
    )


@dataclass(frozen=True)
class LampiranHeading:
    """LAMPIRAN <nomor> KEPUTUSAN <jabatan> / NOMOR / TANGGAL / TENTANG, above the identity table."""

    nomor: str  # Roman
    jabatan: str  # of the official who issued the decree
    nomor_keputusan: str
    tanggal: str
    tentang: str

    @property
    def sentence(self) -> str:
        return (f"Lampiran {self.nomor} Keputusan {self.jabatan} Nomor {self.nomor_keputusan} "
                f"tanggal {self.tanggal} tentang {self.tentang}")


def lampiran_heading(sop: Sop) -> LampiranHeading | None:
    if sop.lampiran is None:
        return None
    decree = sop.lampiran.keputusan
    return LampiranHeading(sop.lampiran.nomor, decree.ditetapkan_oleh.jabatan, decree.nomor,
                           format_date(decree.tanggal), decree.tentang)


DRAFT_MARK = "DRAF"


def draft_mark(sop: Sop) -> str | None:
    """The diagonal mark on every page of a draft's documents; None on an SOP in force."""
    return DRAFT_MARK if sop.is_draft else None


def running_header(sop: Sop) -> str:
    """The line at the top of every flowchart page."""
    return f"SOP {sop.nomor} \N{EM DASH} {sop.nama}"


def office_address(office: Instansi) -> list[str]:
    """The letterhead's address lines, from what the office gives."""
    first = " ".join(part for part in (
        f"Alamat: {office.alamat}" if office.alamat else "",
        f"Telepon/Fax {office.telepon}" if office.telepon else "") if part)
    second = " ".join(part for part in (
        f"Website: {office.website}" if office.website else "",
        f"E-mail: {office.email}" if office.email else "",
        f"Kode Pos {office.kode_pos}" if office.kode_pos else "") if part)
    return [line for line in (first, second) if line]


_UNITS = ("", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan")


def number_words(n: int) -> str:
    """Indonesian words for 1..99: 'satu', 'sebelas', 'dua puluh tiga'."""
    if not 0 < n < 100:
        raise ValueError(f"{n} is outside 1..99")
    if n < 10:
        return _UNITS[n]
    if n == 10:
        return "sepuluh"
    if n == 11:
        return "sebelas"
    if n < 20:
        return f"{_UNITS[n - 10]} belas"
    tens, units = divmod(n, 10)
    head = "sepuluh" if tens == 1 else f"{_UNITS[tens]} puluh"
    return f"{head} {_UNITS[units]}".strip()


def diktum_ordinal(n: int) -> str:
    """KESATU, KEDUA, ..., KESEBELAS, KEDUA BELAS: the names of a decree's diktum."""
    return f"KE{number_words(n).upper()}"


def item_letter(index: int) -> str:
    """a, b, ..., z, aa, ab: the labels of the Menimbang items."""
    return alphabetic_label(index).lower()


@dataclass(frozen=True)
class ListedLampiran:
    nomor: str  # the lampiran's Roman number
    nama: str  # the SOP's
    nomor_sop: str


@dataclass(frozen=True)
class Diktum:
    ordinal: str
    text: str
    lampiran: tuple[ListedLampiran, ...] = ()  # printed under this diktum's text


@dataclass(frozen=True)
class DecreeText:
    key: str
    office: Instansi
    title: str  # "KEPUTUSAN CAMAT JUMAPOLO"
    nomor: str
    tentang: str
    signature: Signature
    menimbang: tuple[tuple[str, str], ...]  # (letter, text)
    mengingat: tuple[tuple[str, str], ...]  # (number, text)
    menetapkan: str
    diktum: tuple[Diktum, ...]
    place: str
    date: str
    tanggal: _dt.date
    members: tuple[Sop, ...]
    draft_mark: str | None  # a decree with a draft lampiran is itself a draft


def default_place(office: Instansi) -> str:
    name = office.nama.strip()
    for prefix in ("Kecamatan ", "Kantor Kecamatan "):
        if name.lower().startswith(prefix.lower()):
            return name[len(prefix):].strip()
    return name


def _series(items: list[str]) -> str:
    """An Indonesian list: 'a', 'a dan b', 'a, b, dan c' (a comma before the last 'dan', as the
    tata naskah dinas writes it)."""
    if len(items) <= 2:
        return " dan ".join(items)
    return f"{', '.join(items[:-1])}, dan {items[-1]}"


def _range_phrase(members: tuple[Sop, ...]) -> str:
    """The lampiran actually attached, by their own numbers: 'Lampiran VIII', 'Lampiran I dan
    Lampiran VIII', 'Lampiran I sampai dengan Lampiran VI', 'Lampiran I sampai dengan Lampiran
    III, Lampiran V, dan Lampiran VIII'. Three or more consecutive numbers make a range; one or
    two are named each. A lone lampiran keeps its number, as its own pages print it."""
    numbered = sorted((from_roman(sop.lampiran.nomor), sop.lampiran.nomor) for sop in members)
    runs: list[list[str]] = []
    previous = None
    for value, numeral in numbered:
        if runs and value == previous + 1:
            runs[-1].append(numeral)
        else:
            runs.append([numeral])
        previous = value
    items = []
    for run in runs:
        if len(run) >= 3:
            items.append(f"Lampiran {run[0]} sampai dengan Lampiran {run[-1]}")
        else:
            items.extend(f"Lampiran {numeral}" for numeral in run)
    return _series(items)


def decree_text(decree: Keputusan, office: Instansi, members: tuple[Sop, ...]) -> DecreeText:
    """`members`: the SOPs attached to this decree, in lampiran order."""
    jabatan = decree.ditetapkan_oleh.jabatan
    title = f"KEPUTUSAN {jabatan.upper()}"
    menimbang = decree.menimbang or (
        f"bahwa dalam rangka meningkatkan kualitas dan menjamin kepastian pelayanan kepada masyarakat "
        f"di {office.nama}, perlu disusun Standar Operasional Prosedur sebagai pedoman pelaksanaan tugas;",
        f"bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a, perlu menetapkan "
        f"Keputusan {jabatan} tentang {decree.tentang};",
    )
    mengingat = decree.mengingat or (
        "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik;",
        "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 35 Tahun 2012 "
        "tentang Pedoman Penyusunan Standar Operasional Prosedur Administrasi Pemerintahan;",
    )
    listed = tuple(ListedLampiran(sop.lampiran.nomor, sop.nama, sop.nomor) for sop in members)
    if decree.memutuskan:
        paragraphs = decree.memutuskan
    elif members:
        paragraphs = (
            f"Menetapkan Standar Operasional Prosedur {office.nama} sebagaimana tercantum dalam "
            f"{_range_phrase(members)} yang merupakan bagian tidak terpisahkan dari Keputusan ini, yaitu:",
            f"Standar Operasional Prosedur sebagaimana dimaksud dalam Diktum KESATU menjadi pedoman bagi "
            f"pelaksana dalam menyelenggarakan pelayanan di {office.nama}.",
            "Keputusan ini mulai berlaku pada tanggal ditetapkan.",
        )
    else:
        paragraphs = ("Keputusan ini mulai berlaku pada tanggal ditetapkan.",)
    diktum = tuple(Diktum(diktum_ordinal(n), text, listed if n == 1 else ())
                   for n, text in enumerate(paragraphs, 1))
    return DecreeText(
        key=decree.key,
        office=office,
        title=title,
        nomor=decree.nomor,
        tentang=decree.tentang,
        signature=signature(decree.ditetapkan_oleh),
        menimbang=tuple((item_letter(i), text) for i, text in enumerate(menimbang)),
        mengingat=tuple((str(i), text) for i, text in enumerate(mengingat, 1)),
        menetapkan=f"{title} TENTANG {decree.tentang.upper()}.",
        diktum=diktum,
        place=decree.ditetapkan_di or default_place(office),
        date=format_date(decree.tanggal),
        tanggal=decree.tanggal,
        members=members,
        draft_mark=DRAFT_MARK if any(sop.is_draft for sop in members) else None,
    )
