"""`instansi.yml` -> the office of the model: letterhead, officials, decrees, logo."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from sopdoc.diagnostics import Diagnostics, Location
from sopdoc.model import Instansi, Keputusan, Pejabat
from sopdoc.sources.cache import CheckCache
from sopdoc.sources.checked import OFFICE_FILE, SLUG_RE, Located, check_file, did_you_mean
from sopdoc.sources.keys import INSTANSI
from sopdoc.sources.records import from_values

IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")
MAX_LOGO_BYTES = 5 * 1024 * 1024


@dataclass
class OfficeFile:
    """What instansi.yml declares, even when parts of it are invalid, so SOPs referring to a
    declared-but-broken key are not blamed for it."""

    office: Instansi | None  # None when instansi.yml has errors
    officials: dict[str, Pejabat | None]
    decrees: dict[str, Keputusan | None]
    # 'keputusan' written but holding no decree (empty, or not a table): reported there, once,
    # so an SOP's lampiran.keputusan is not blamed for it too
    decrees_broken: bool = False
    # where 'keputusan' stands when it is left empty: the loader reports it there (see
    # `report_empty_decrees`), as an error only if an SOP is attached to a decree
    empty_decrees: Location | None = None


def load_office(folder: Path, diagnostics: Diagnostics, cache: CheckCache | None) -> OfficeFile | None:
    source = folder / OFFICE_FILE
    if not source.is_file():
        diagnostics.error("SOP214", Location(source), f"folder '{folder.name}' tidak punya {OFFICE_FILE}",
                          "buat instansi.yml berisi kop surat dan pejabat (lihat README)")
        return None
    values, at = check_file(source, INSTANSI, diagnostics, cache)
    if values is None:
        return None
    if not SLUG_RE.match(folder.name):
        diagnostics.error("SOP117", Location(source), f"nama folder '{folder.name}' bukan slug yang valid",
                          "gunakan huruf kecil, angka dan '-', mis. kecamatan-jenawi")
    officials = _officials(values, at)
    decrees = _decrees(values, officials, at)
    logo = _check_logo(values["logo"], folder, at) if "logo" in values else None
    declared_officials = {key: officials.get(key) for key in at.declared("pejabat")}
    declared_decrees = {key: None for key in at.declared("keputusan")}
    declared_decrees.update({decree.key: decree for decree in decrees})
    empty = _empty_decrees(values, at, diagnostics)
    decrees_broken = empty is not None or _decrees_of_the_wrong_kind(at, diagnostics)
    if diagnostics.has_errors_in(source):
        return OfficeFile(None, declared_officials, declared_decrees, decrees_broken, empty)
    office = from_values(Instansi, values, slug=folder.name, folder=folder, source=source,
                         source_bytes=at.source_bytes, logo=logo,
                         pejabat=tuple(officials.values()), keputusan=tuple(decrees))
    return OfficeFile(office, declared_officials, declared_decrees, decrees_broken, empty)


def _decrees_of_the_wrong_kind(at: Located, diagnostics: Diagnostics) -> bool:
    """'keputusan' written as a list or a text: already said (SOP108) on its own line."""
    value = at.location(("keputusan",))
    return ("keputusan", "@key") in at.ctx.locations and any(
        d.code == "SOP108" and d.location == value for d in diagnostics)


def _empty_decrees(values: dict, at: Located, diagnostics: Diagnostics) -> Location | None:
    """Where 'keputusan' stands when it is written but left empty (`keputusan:`; often the
    decrees below it lost their indentation)."""
    if ("keputusan", "@key") not in at.ctx.locations or at.declared("keputusan"):
        return None
    if _decrees_of_the_wrong_kind(at, diagnostics):
        return None
    return at.location(("keputusan", "@key"))


EMPTY_DECREES = ("'keputusan' kosong: tulis setidaknya satu keputusan, atau hapus kunci ini",
                 "tulis setiap keputusan di bawahnya, menjorok dua spasi ('  sop-2024:'), dengan nomor, tanggal, "
                 "tentang dan ditetapkan_oleh menjorok empat spasi")


def report_empty_decrees(office_file: OfficeFile, attached: bool, diagnostics: Diagnostics) -> None:
    """An empty 'keputusan' on its own line: an error when an SOP of the office is attached to a
    decree (else every such SOP would be told its decree is unknown, far from the mistake), a
    warning when none is (an empty optional key is an absent one, as it always was)."""
    if office_file.empty_decrees is None:
        return
    report = diagnostics.error if attached else diagnostics.warning
    report("SOP109", office_file.empty_decrees, *EMPTY_DECREES)


def _officials(values: dict, at: Located) -> dict[str, Pejabat]:
    officials = {}
    for key, entry in values.get("pejabat", {}).items():
        officials[key] = from_values(Pejabat, {"jabatan": "", **entry}, key=key)
        if "nama" not in entry:
            at.warn("SOP263", ("pejabat", key, "@key"), f"pejabat '{key}' tidak punya 'nama'",
                    "baris nama akan dibiarkan kosong untuk diisi tangan")
    return officials


def _decrees(values: dict, officials: dict[str, Pejabat], at: Located) -> list[Keputusan]:
    decrees = []
    for key, entry in values.get("keputusan", {}).items():
        signer_key = entry.get("ditetapkan_oleh")
        signer = officials.get(signer_key) if signer_key else None
        if signer_key and signer is None:
            at.report("SOP202", ("keputusan", key, "ditetapkan_oleh"),
                      f"keputusan '{key}': pejabat '{signer_key}' tidak dikenal", did_you_mean(signer_key, officials))
        if signer is None or not all(k in entry for k in ("nomor", "tanggal", "tentang")):
            continue
        decrees.append(from_values(Keputusan, entry, key=key, ditetapkan_oleh=signer))
    return decrees


def _check_logo(name: str, folder: Path, at: Located) -> Path | None:
    root = folder.resolve()
    candidate = (folder / name).resolve()
    if not candidate.is_relative_to(root):
        at.report("SOP211", ("logo",), f"logo '{name}' berada di luar folder instansi",
                  "letakkan berkas logo di folder yang sama dengan instansi.yml")
        return None
    if not candidate.is_file():
        at.report("SOP212", ("logo",), f"berkas logo '{name}' tidak ditemukan")
        return None
    if candidate.stat().st_size > MAX_LOGO_BYTES:
        at.report("SOP213", ("logo",), f"berkas logo '{name}' terlalu besar (batas 5 MiB)")
        return None
    if not _is_decodable_image(candidate):
        at.report("SOP213", ("logo",), f"berkas logo '{name}' bukan gambar PNG atau JPEG yang utuh",
                  "simpan ulang logo sebagai PNG atau JPEG")
        return None
    return candidate


def _is_decodable_image(path: Path) -> bool:
    """PNG or JPEG that decodes completely: the renderers embed it as it is."""
    with path.open("rb") as handle:
        if not handle.read(8).startswith(IMAGE_MAGIC):
            return False
    try:
        with Image.open(path) as image:
            image.load()
    except (OSError, ValueError, Image.DecompressionBombError):
        return False
    return True
