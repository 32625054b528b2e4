"""The text of a Keputusan Camat, decided once for both renderers (HTML/PDF and DOCX).

The source may give the decree's body (menimbang, mengingat, memutuskan); what it leaves out is
filled with the customary wording of an SOP decree, and the list of attached SOPs is always
generated from the lampiran themselves, so it cannot go stale. No I/O here.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from sopdoc.indonesian import alphabetic_label, format_date, from_roman
from sopdoc.model import Decree, Office, Official, Sop

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
    numeral: str
    nama: str
    nomor: str


@dataclass(frozen=True)
class Diktum:
    ordinal: str
    text: str
    lampiran: tuple[ListedLampiran, ...] = ()  # printed under this diktum's text


@dataclass(frozen=True)
class DecreeText:
    key: str
    office: Office
    title: str  # "KEPUTUSAN CAMAT JUMAPOLO"
    nomor: str
    tentang: str
    signer: Official
    menimbang: tuple[tuple[str, str], ...]  # (letter, text)
    mengingat: tuple[tuple[str, str], ...]  # (number, text)
    menetapkan: str
    diktum: tuple[Diktum, ...]
    place: str
    date: str
    tanggal: _dt.date
    members: tuple[Sop, ...]


def default_place(office: Office) -> str:
    name = office.nama.strip()
    for prefix in ("Kecamatan ", "Kantor Kecamatan "):
        if name.lower().startswith(prefix.lower()):
            return name[len(prefix):].strip()
    return name


def _range_phrase(members: tuple[Sop, ...]) -> str:
    first, last = members[0].lampiran.numeral, members[-1].lampiran.numeral
    if len(members) == 1:
        return f"Lampiran {first}"
    return f"Lampiran {first} sampai dengan Lampiran {last}"


def decree_text(decree: Decree, office: Office, members: tuple[Sop, ...]) -> DecreeText:
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
    listed = tuple(ListedLampiran(sop.lampiran.numeral, sop.nama, sop.nomor) for sop in members)
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
        signer=decree.ditetapkan_oleh,
        menimbang=tuple((item_letter(i), text) for i, text in enumerate(menimbang)),
        mengingat=tuple((str(i), text) for i, text in enumerate(mengingat, 1)),
        menetapkan=f"{title} TENTANG {decree.tentang.upper()}.",
        diktum=diktum,
        place=decree.ditetapkan_di or default_place(office),
        date=format_date(decree.tanggal),
        tanggal=decree.tanggal,
        members=members,
    )


def decrees_with_members(sops: list[Sop]) -> list[tuple[Decree, Office, tuple[Sop, ...]]]:
    """Every decree that has at least one SOP attached, with its SOPs in lampiran order."""

    groups: dict[tuple[str, str], list[Sop]] = {}
    offices: dict[str, Office] = {}
    decrees: dict[tuple[str, str], Decree] = {}
    for sop in sops:
        if sop.lampiran is None:
            continue
        key = (sop.office.slug, sop.lampiran.decree.key)
        groups.setdefault(key, []).append(sop)
        offices[sop.office.slug] = sop.office
        decrees[key] = sop.lampiran.decree
    return [(decrees[key], offices[key[0]],
             tuple(sorted(members, key=lambda s: from_roman(s.lampiran.numeral))))
            for key, members in sorted(groups.items())]
