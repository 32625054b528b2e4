"""Sources tree -> validated model, with every problem reported as a located diagnostic.

Stages, per office folder: read and check `instansi.yml`; read and check each SOP file;
resolve references and the flow; then checks that span files (duplicate SOP numbers,
lampiran numbers). A file with errors yields no model object, but its neighbours still do.
"""

from __future__ import annotations

import difflib
import gc
import re
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from sopdoc.sources import flow
from sopdoc.diagnostics import Diagnostics, Location
from sopdoc.errors import SourceError
from sopdoc.sources.keys import INSTANSI, SOP
from sopdoc.indonesian import from_roman, to_roman
from sopdoc.model import (
    Actor, Attachment, Decree, Office, OfficeSops, Official, PageSetup, Project, Revision, Service,
    Sop, Step,
)
from sopdoc.sources.kinds import CheckContext, Record, check
from sopdoc.sources.cache import CheckCache
from sopdoc.sources.located_yaml import MAX_SOURCE_BYTES, load_yaml
from PIL import Image

OFFICE_FILE = "instansi.yml"
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")
MAX_LOGO_BYTES = 5 * 1024 * 1024


def is_source_file(path: Path) -> bool:
    return path.suffix in (".yml", ".yaml") and not path.name.startswith(".")


@dataclass
class _Located:
    """Reports problems at the place a value stood in its file."""

    ctx: CheckContext

    def location(self, at: tuple) -> Location:
        while at:
            if at in self.ctx.locations:
                return self.ctx.locations[at]
            at = at[:-1]
        return Location(self.ctx.path)

    def report(self, code: str, at: tuple, message: str, hint: str | None = None, *, warning=False) -> None:
        prefix = f"langkah {at[1] + 1}: " if len(at) >= 2 and at[0] == "langkah" and not message.startswith(
            ("langkah", "dari langkah")) else ""
        emit = self.ctx.diagnostics.warning if warning else self.ctx.diagnostics.error
        emit(code, self.location(at), prefix + message, hint)

    def warn(self, code: str, at: tuple, message: str, hint: str | None = None) -> None:
        self.report(code, at, message, hint, warning=True)


def _did_you_mean(name: str, options) -> str | None:
    close = difflib.get_close_matches(name, list(options), n=1, cutoff=0.6)
    if close:
        return f"maksud Anda '{close[0]}'?"
    return ("pilihan: " + ", ".join(options)) if options else None


def _checked(path: Path, spec: Record, diagnostics: Diagnostics, cache: CheckCache | None):
    """The file checked against its schema: from the cache when its bytes are unchanged."""
    data = None
    if cache is not None:
        try:
            if path.stat().st_size <= MAX_SOURCE_BYTES:
                data = path.read_bytes()
        except OSError:
            data = None
        hit = cache.lookup(path, data) if data is not None else None
        if hit is not None:
            values, locations, found = hit
            for diagnostic in found:
                diagnostics.add(diagnostic)
            return values, CheckContext(path, diagnostics, locations)
    local = Diagnostics()
    values, ctx = check(load_yaml(path, local), spec, path, local)
    if cache is not None and data is not None:
        cache.store(path, data, values, ctx.locations, list(local))
    diagnostics.extend(local)
    ctx.diagnostics = diagnostics
    return values, ctx


# ---------------------------------------------------------------- discovery

def discover(paths: list[Path]) -> tuple[list[Path], set[Path] | None, list[Path]]:
    """(office folders, files to report on or None for all, stray files outside any office)."""
    folders: list[Path] = []
    requested_files: set[Path] = set()
    whole_folders = False
    stray: list[Path] = []
    for path in paths:
        if path.is_file():
            folders.append(path.parent)
            requested_files.add(path)
        elif (path / OFFICE_FILE).is_file():
            folders.append(path)
            whole_folders = True
        elif path.is_dir():
            found = False
            for child in sorted(path.iterdir()):
                if child.name.startswith("."):
                    continue
                if child.is_dir() and any(is_source_file(f) for f in child.iterdir()):
                    folders.append(child)
                    found = True
                elif child.is_file() and is_source_file(child):
                    stray.append(child)
            if not found:
                raise SourceError(f"tidak ada folder instansi berisi sumber SOP di '{path}'")
            whole_folders = True
        else:
            raise SourceError(f"'{path}' tidak ditemukan")
    unique = sorted({folder.resolve(): folder for folder in folders}.values(), key=lambda p: p.name)
    return unique, (None if whole_folders else requested_files), stray


# ---------------------------------------------------------------- instansi.yml

@dataclass
class _OfficeFile:
    """What instansi.yml declares, even when parts of it are invalid, so SOPs referring to a
    declared-but-broken key are not blamed for it."""

    office: Office | None  # None when instansi.yml has errors
    officials: dict[str, Official | None]
    decrees: dict[str, Decree | None]


def _load_office(folder: Path, diagnostics: Diagnostics, cache: CheckCache | None) -> _OfficeFile | None:
    source = folder / OFFICE_FILE
    if not source.is_file():
        diagnostics.error("SOP214", Location(source), f"folder '{folder.name}' tidak punya {OFFICE_FILE}",
                          "buat instansi.yml berisi kop surat dan pejabat (lihat README)")
        return None
    values, ctx = _checked(source, INSTANSI, diagnostics, cache)
    if values is None:
        return None
    at = _Located(ctx)
    if not SLUG_RE.match(folder.name):
        diagnostics.error("SOP117", Location(source), f"nama folder '{folder.name}' bukan slug yang valid",
                          "gunakan huruf kecil, angka dan '-', mis. kecamatan-jenawi")

    officials = {}
    for key, entry in values.get("pejabat", {}).items():
        officials[key] = Official(key, entry.get("jabatan", ""), entry.get("nama"), entry.get("pangkat"),
                                  entry.get("nip"))
        if "nama" not in entry:
            at.warn("SOP263", ("pejabat", key, "@key"), f"pejabat '{key}' tidak punya 'nama'",
                    "baris nama akan dibiarkan kosong untuk diisi tangan")

    decrees = []
    for key, entry in values.get("keputusan", {}).items():
        signer_key = entry.get("ditetapkan_oleh")
        signer = officials.get(signer_key) if signer_key else None
        if signer_key and signer is None:
            at.report("SOP202", ("keputusan", key, "ditetapkan_oleh"),
                      f"keputusan '{key}': pejabat '{signer_key}' tidak dikenal",
                      _did_you_mean(signer_key, officials))
        if signer is None or not all(k in entry for k in ("nomor", "tanggal", "tentang")):
            continue
        decrees.append(Decree(key, entry["nomor"], entry["tanggal"], entry["tentang"], signer,
                              entry.get("menimbang", ()), entry.get("mengingat", ()),
                              entry.get("memutuskan", ()), entry.get("ditetapkan_di")))

    logo = _check_logo(values.get("logo"), folder, at) if "logo" in values else None
    layout = values.get("tata_letak", {})
    declared_officials = {key: officials.get(key) for key in _declared(ctx, "pejabat")}
    declared_decrees = {key: None for key in _declared(ctx, "keputusan")}
    declared_decrees.update({decree.key: decree for decree in decrees})
    if diagnostics.has_errors_in(source):
        return _OfficeFile(None, declared_officials, declared_decrees)
    office = Office(
        slug=folder.name, folder=folder, source=source,
        pemerintah=values["pemerintah"], nama=values["nama"],
        alamat=values.get("alamat"), telepon=values.get("telepon"), website=values.get("website"),
        email=values.get("email"), kode_pos=values.get("kode_pos"), logo=logo,
        tata_letak=PageSetup(layout.get("kertas", "F4"), layout.get("ulang_judul_tabel", True)),
        pejabat=tuple(officials.values()), keputusan=tuple(decrees),
    )
    return _OfficeFile(office, declared_officials, declared_decrees)


def _declared(ctx: CheckContext, table: str) -> list[str]:
    """Keys written under a table of instansi.yml, valid or not."""
    return [at[1] for at in ctx.locations
            if len(at) == 2 and at[0] == table and isinstance(at[1], str) and at[1] != "@key"]


def _check_logo(name: str, folder: Path, at: _Located) -> Path | None:
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


# ---------------------------------------------------------------- SOP files

def _load_sop(path: Path, office_file: _OfficeFile | None, diagnostics: Diagnostics, cache: CheckCache | None):
    """(Sop or None, the checked values, the locator): the last two for cross-file checks."""
    values, ctx = _checked(path, SOP, diagnostics, cache)
    at = _Located(ctx)
    if not SLUG_RE.match(path.stem):
        diagnostics.error("SOP117", Location(path), f"nama berkas '{path.name}' bukan slug yang valid",
                          "gunakan huruf kecil, angka dan '-', mis. penanganan-aduan.yml")
    if values is None:
        return None, None, at

    actors = {key: Actor(key, title) for key, title in values.get("pelaksana", {}).items()}
    raw_steps = values.get("langkah", ())
    steps_ok = all(isinstance(step, dict) for step in raw_steps)

    declared_actors = _declared(ctx, "pelaksana")
    ids: dict[str, int] = {}
    used_actors = set()
    for index, step in enumerate(raw_steps):
        if not isinstance(step, dict):
            continue
        step_at = ("langkah", index)
        if "id" in step:
            if step["id"] in ids:
                at.report("SOP205", step_at + ("id",),
                          f"id '{step['id']}' sudah dipakai langkah {ids[step['id']]}")
            ids.setdefault(step["id"], index + 1)
        actor = step.get("pelaksana")
        if actor is not None:
            used_actors.add(actor)
            if actor not in declared_actors and declared_actors:
                at.report("SOP201", step_at + ("pelaksana",), f"pelaksana '{actor}' tidak dikenal",
                          _did_you_mean(actor, actors))
        if step_at + ("waktu",) not in ctx.locations:  # written but invalid is an error already
            at.warn("SOP261", step_at, "tidak ada 'waktu'", "isi waktu agar total waktu SOP benar")
        if step_at + ("output",) not in ctx.locations:
            at.warn("SOP262", step_at, "tidak ada 'output'")
    for key in actors:
        if key not in used_actors:
            at.warn("SOP260", ("pelaksana", key, "@key"), f"pelaksana '{key}' tidak dipakai oleh langkah mana pun",
                    "hapus kolom ini atau pindahkan langkah yang sesuai ke kolom ini")

    edges = None
    if steps_ok and len(raw_steps) >= 2:
        edges = flow.build_edges(raw_steps, ids, at.report)
        if edges is not None:
            flow.check_reachability(edges, at.report)

    office = office_file.office if office_file else None
    official = None
    signer_key = values.get("disahkan_oleh")
    if office_file is not None and signer_key is not None:
        official = office_file.officials.get(signer_key)
        if signer_key not in office_file.officials:
            at.report("SOP202", ("disahkan_oleh",), f"pejabat '{signer_key}' tidak dikenal di {OFFICE_FILE}",
                      _did_you_mean(signer_key, office_file.officials))

    decree = None
    attachment = values.get("lampiran")
    if office_file is not None and attachment and "keputusan" in attachment:
        decree_key = attachment["keputusan"]
        decree = office_file.decrees.get(decree_key)
        if decree_key not in office_file.decrees:
            at.report("SOP203", ("lampiran", "keputusan"), f"keputusan '{decree_key}' tidak dikenal di {OFFICE_FILE}",
                      _did_you_mean(decree_key, office_file.decrees))

    made, revised = values.get("tanggal_pembuatan"), values.get("tanggal_revisi")
    if made and revised and revised < made:
        at.report("SOP113", ("tanggal_revisi",), "tanggal revisi lebih awal dari tanggal pembuatan")

    if diagnostics.has_errors_in(path) or office is None or official is None or edges is None:
        return None, values, at

    steps = []
    for index, step in enumerate(raw_steps):
        number = index + 1
        out = edges[index]
        steps.append(Step(
            number=number, id=step.get("id"), uraian=step["uraian"], actor=actors[step["pelaksana"]],
            symbol=flow.symbol_for(number, out, "keputusan" in step), edges=out,
            kelengkapan=step.get("kelengkapan", ()), waktu=step.get("waktu"), output=step.get("output"),
            keterangan=step.get("keterangan") or None, location=at.location(("langkah", index)),
        ))
    service = values.get("layanan", {})
    sop = Sop(
        slug=path.stem, source=path, office=office, nomor=values["nomor"], nama=values["nama"],
        tanggal_efektif=values["tanggal_efektif"], disahkan_oleh=official,
        actors=tuple(actors.values()), steps=tuple(steps),
        total_waktu=flow.total_waktu(list(edges), [s.waktu for s in steps]),
        layanan=Service(
            persyaratan=service.get("persyaratan", steps[0].kelengkapan),
            biaya=service.get("biaya"),
            produk=service.get("produk", steps[-1].output),
        ),
        unit=values.get("unit"), kategori=values.get("kategori", ()), ringkasan=values.get("ringkasan"),
        lampiran=Attachment(decree, attachment.get("nomor", ""), "nomor" in attachment) if decree else None,
        tanggal_pembuatan=made, tanggal_revisi=revised,
        dasar_hukum=values.get("dasar_hukum", ()),
        kualifikasi_pelaksana=values.get("kualifikasi_pelaksana", ()),
        keterkaitan=values.get("keterkaitan", ()),
        peralatan_perlengkapan=values.get("peralatan_perlengkapan", ()),
        peringatan=values.get("peringatan", ()),
        pencatatan_pendataan=values.get("pencatatan_pendataan", ()),
        riwayat=tuple(Revision(r["tanggal"], r["uraian"]) for r in values.get("riwayat", ())
                      if isinstance(r, dict) and "tanggal" in r and "uraian" in r),
    )
    return sop, values, at


# ---------------------------------------------------------------- across files

def _natural_key(text: str) -> list:
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", text)]


def _check_office_wide(loaded: list[tuple], diagnostics: Diagnostics) -> dict[Path, str]:
    """Duplicate SOP numbers and lampiran numbers; returns the lampiran numeral of every attached SOP."""
    seen_nomor: dict[str, Path] = {}
    numerals: dict[Path, str] = {}
    by_decree: dict[str, list[tuple]] = {}
    for path, values, at in loaded:
        if not values:
            continue
        nomor = values.get("nomor")
        if nomor:
            normal = " ".join(nomor.split()).lower()
            if normal in seen_nomor:
                at.report("SOP209", ("nomor",), f"nomor SOP '{nomor}' sudah dipakai oleh {seen_nomor[normal].name}")
            else:
                seen_nomor[normal] = path
        attachment = values.get("lampiran") or {}
        if "keputusan" in attachment:
            by_decree.setdefault(attachment["keputusan"], []).append((path, values, at))

    for entries in by_decree.values():
        taken: dict[int, Path] = {}
        unnumbered = []
        for path, values, at in entries:
            numeral = values["lampiran"].get("nomor")
            if numeral is None:
                unnumbered.append((path, values))
                continue
            number = from_roman(numeral)
            if number in taken:
                at.report("SOP210", ("lampiran", "nomor"),
                          f"lampiran {numeral} sudah dipakai oleh {taken[number].name} dalam keputusan yang sama")
            else:
                taken[number] = path
                numerals[path] = numeral
        unnumbered.sort(key=lambda item: (_natural_key(item[1].get("nomor", "")), item[0].name))
        free = (n for n in range(1, 10_000) if n not in taken)
        for path, _ in unnumbered:
            numerals[path] = to_roman(next(free))
    return numerals


@contextmanager
def _without_cycle_collection():
    """Loading allocates many small acyclic objects; the cycle collector's passes over them
    took half the time of a cached load of 300 SOPs. Reference counting still frees them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_project(paths: list[Path], cache_file: Path | None = None) -> tuple[Project, Diagnostics]:
    """Load and validate every office under `paths`. Raises SourceError only for a bad path.

    With `cache_file`, files whose bytes are unchanged since the last run are not parsed again.
    """
    with _without_cycle_collection():
        return _load_project(paths, cache_file)


def _load_project(paths: list[Path], cache_file: Path | None) -> tuple[Project, Diagnostics]:
    from sopdoc.fingerprint import code_fingerprint

    cache = CheckCache(cache_file, code_fingerprint()) if cache_file is not None else None
    diagnostics = Diagnostics()
    folders, only, stray = discover(paths)
    for path in stray:
        diagnostics.warning("SOP264", Location(path), "berkas di luar folder instansi diabaikan",
                            "pindahkan ke folder instansinya, mis. sop_sources/kecamatan-jenawi/")
    offices = []
    for folder in folders:
        office = _load_office(folder, diagnostics, cache)
        files = sorted(p for p in folder.iterdir() if is_source_file(p) and p.name != OFFICE_FILE)
        loaded = []
        for path in files:
            loaded.append((path, *_load_sop(path, office, diagnostics, cache)))
        numerals = _check_office_wide([(p, v, a) for p, _, v, a in loaded], diagnostics)
        sops = []
        for path, sop, _, _ in loaded:
            if sop is None or diagnostics.has_errors_in(path):
                continue
            if sop.lampiran is not None:
                sop = _with_numeral(sop, numerals[path])
            sops.append(sop)
        sops.sort(key=_sop_order)
        if office is not None and office.office is not None:
            offices.append(OfficeSops(office.office, tuple(sops)))
    if cache is not None and not diagnostics.error_count:  # a failed check leaves the output folder alone
        cache.save()
    if only is not None:
        keep = only | {folder / OFFICE_FILE for folder in folders}
        filtered = Diagnostics()
        for diagnostic in diagnostics:
            if diagnostic.location.path in keep:
                filtered.add(diagnostic)
        diagnostics = filtered
    return Project(tuple(offices)), diagnostics


def _sop_order(sop: Sop) -> tuple:
    """Decree order first (lampiran I, II, ...), then SOP numbers in natural order."""
    numeral = from_roman(sop.lampiran.numeral) if sop.lampiran else 10_000
    return (numeral, _natural_key(sop.nomor), sop.slug)


def _with_numeral(sop: Sop, numeral: str) -> Sop:
    return replace(sop, lampiran=replace(sop.lampiran, numeral=numeral))
