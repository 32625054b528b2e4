"""Sources tree -> validated model, with every problem reported as a located diagnostic.

Stages, per office folder: read and check `instansi.yml` (`instansi.py`); read and check each SOP
file; resolve references and the flow; then checks that span files (duplicate SOP numbers,
lampiran numbers). A file with errors yields no model object, but its neighbours still do.
"""

from __future__ import annotations

import gc
import re
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from sopdoc.diagnostics import Diagnostics, Location
from sopdoc.errors import SourceError
from sopdoc.indonesian import from_roman, to_roman
from sopdoc.model import (
    MAX_ACTORS, Instansi, Keputusan, Lampiran, Langkah, Layanan, OfficeSops, Pejabat, Pelaksana, Project, Sop,
)
from sopdoc.sources import flow
from sopdoc.sources.cache import CheckCache
from sopdoc.sources.checked import OFFICE_FILE, SLUG_RE, Located, check_file, did_you_mean, is_source_file
from sopdoc.sources.instansi import OfficeFile, load_office, report_empty_decrees
from sopdoc.sources.keys import SOP
from sopdoc.sources.located_yaml import Mapping, Scalar, load_yaml
from sopdoc.sources.records import from_values


# ---------------------------------------------------------------- discovery

@dataclass
class Discovery:
    folders: list[Path]  # office folders, by name
    roots: dict[Path, Path]  # office folder -> the resolved tree its files must stay in
    only: set[Path] | None  # the files to report on, or None for all
    stray: list[Path]  # source files outside any office folder
    outside: list[Path]  # links in the tree that point out of it
    ignored: list[Ignored] = field(default_factory=list)  # every other file in the tree sopdoc does not read


@dataclass(frozen=True)
class Ignored:
    """A file in the sources tree that sopdoc does not read, and why, in the clerk's words."""

    path: Path
    message: str
    hint: str | None = None


def discover(paths: list[Path]) -> Discovery:
    found = Discovery([], {}, set(), [], [])
    whole_folders = False
    for path in paths:
        if path.is_file():
            found.folders.append(path.parent)
            found.roots.setdefault(path.parent, path.parent.resolve())
            found.only.add(path)
        elif (path / OFFICE_FILE).is_file():
            found.folders.append(path)
            found.roots[path] = path.resolve()
            found.ignored.extend(_ignored_in_office(path))
            whole_folders = True
        elif path.is_dir():
            _discover_tree(path, found)
            whole_folders = True
        else:
            raise SourceError(f"'{path}' tidak ditemukan")
    found.folders = sorted({folder.resolve(): folder for folder in found.folders}.values(), key=lambda p: p.name)
    if whole_folders:
        found.only = None
    return found


def _discover_tree(path: Path, found: Discovery) -> None:
    root, any_office = path.resolve(), False
    for child in sorted(path.iterdir()):
        if not_the_clerks(child.name) or (child.name.endswith(SCHEMA_SUFFIX) and child.is_file()):
            continue
        if child.is_dir() and any(is_source_file(f) for f in child.iterdir()):
            if not child.resolve().is_relative_to(root):
                found.outside.append(child)
                continue
            found.folders.append(child)
            found.roots[child] = root
            found.ignored.extend(_ignored_in_office(child))
            any_office = True
        elif child.is_dir() and child.is_symlink():  # its names are not listed: it may lead anywhere
            found.ignored.append(Ignored(child, f"tautan '{child.name}' tidak dibaca: folder yang ditujunya "
                                                "tidak berisi berkas .yml"))
        elif child.is_dir():
            found.ignored.extend(_ignored_below(child, path))
        elif is_source_file(child):
            found.stray.append(child)
        else:
            found.ignored.append(_ignored_by_name(child))
    if not any_office and not found.outside:
        here = [item for item in found.ignored if item.path.is_relative_to(path)][:5]
        unread = "".join(f"\n  {item.path.relative_to(path)}: {item.message}" + (f"; {item.hint}" if item.hint else "")
                         for item in here)
        raise SourceError(f"tidak ada folder instansi berisi sumber SOP di '{path}'"
                          + (f"; berkas yang ada tetapi tidak dibaca:{unread}" if unread else ""))


# What sopdoc skips without a word, because no clerk saved it: hidden files and folders, the
# files editors and the system leave beside a document (backups, swap and lock files, thumbnail
# caches), and, at the top of the tree, the JSON Schemas `sopdoc schema --write` puts there.
_NOT_THE_CLERKS = re.compile(r"^(?:\..*|~\$.*|#.*#|.*~|.*\.sw[a-p]|thumbs\.db|desktop\.ini)$", re.IGNORECASE)
SCHEMA_SUFFIX = ".schema.json"
_WORD_SUFFIXES = (".doc", ".docx", ".odt", ".rtf")
_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")


def not_the_clerks(name: str) -> bool:
    """A file or folder name sopdoc passes over without a word (see above)."""
    return bool(_NOT_THE_CLERKS.match(name))


def _files_below(folder: Path):
    """The files under `folder` that may be the clerk's, in name order; links are not followed."""
    try:
        children = sorted(folder.iterdir())
    except OSError:  # unreadable: nothing in it can be read either, and check says nothing about it
        return
    for child in children:
        if not_the_clerks(child.name):
            continue
        if child.is_dir() and not child.is_symlink():
            yield from _files_below(child)
        else:
            yield child


def _ignored_in_office(folder: Path) -> list[Ignored]:
    """The files of an office folder that are neither sources nor its logo: what is beside them,
    and everything in its subfolders."""
    ignored, logo = [], None
    for path in _files_below(folder):
        if path.parent == folder and is_source_file(path):
            continue
        logo = logo if logo is not None else _named_logo(folder)
        if path.resolve() == logo:
            continue
        if path.suffix.lower() in _IMAGE_SUFFIXES:
            name = path.relative_to(folder).as_posix()
            ignored.append(Ignored(path, f"gambar '{name}' tidak dibaca: {OFFICE_FILE} tidak menyebutnya sebagai logo",
                                   f"bila ini logo instansi, tulis 'logo: {name}' di {OFFICE_FILE}; bila tidak "
                                   "dipakai, pindahkan keluar dari folder sumber"))
        elif path.parent != folder:
            sub = path.parent.relative_to(folder).as_posix()
            ignored.append(Ignored(path, f"berkas '{path.name}' tidak dibaca karena berada di subfolder '{sub}'",
                                   f"sopdoc hanya membaca berkas yang langsung berada di folder {folder.name}; "
                                   "pindahkan ke sana bila berkas ini sumber SOP"))
        else:
            ignored.append(_ignored_by_name(path))
    return ignored


def _named_logo(folder: Path) -> Path:
    """The file `logo:` of the office's instansi.yml names (resolved), or the folder itself when it
    names none. Read here only to tell the logo from the files sopdoc ignores."""
    node = load_yaml(folder / OFFICE_FILE, Diagnostics())
    if isinstance(node, Mapping) and "logo" in node.items:
        value = node.items["logo"][1]
        if isinstance(value, Scalar) and isinstance(value.value, str) and value.value.strip():
            return (folder / value.value.strip()).resolve()
    return folder.resolve()


def _ignored_below(folder: Path, tree: Path) -> list[Ignored]:
    """The files of a folder at the top of the tree that holds no source file directly."""
    ignored = []
    for path in _files_below(folder):
        if is_source_file(path):
            ignored.append(Ignored(
                path, f"berkas '{path.name}' tidak dibaca: folder instansi harus langsung berada di folder "
                      f"{tree.name}, bukan di '{path.parent.relative_to(tree).as_posix()}'",
                f"pindahkan folder '{path.parent.name}' (bersama {OFFICE_FILE}-nya) ke {tree.name}/"
                if path.parent != folder else
                f"pindahkan berkas ini ke folder instansinya (folder berisi {OFFICE_FILE} di {tree.name}/)"))
        else:
            ignored.append(_ignored_by_name(path))
    return ignored


def _ignored_by_name(path: Path) -> Ignored:
    """A file whose name tells sopdoc it is not a source."""
    name, suffix = path.name, path.suffix
    doubled = re.match(r"^(.+\.ya?ml)((?:\.[^.]+)+)$", name, re.IGNORECASE)
    if doubled:  # what Notepad saves when told layanan-sktm.yml: layanan-sktm.yml.txt
        return Ignored(path, f"berkas '{name}' tidak dibaca karena namanya berakhir {doubled[2]}",
                       f"ganti namanya menjadi {doubled[1]} (di Windows Explorer, centang 'Ekstensi nama file' di menu "
                       f"Tampilan agar akhiran {doubled[2]} terlihat)")
    if name.lower() == "instansi.yaml":
        return Ignored(path, f"berkas '{name}' tidak dibaca: berkas instansi harus bernama {OFFICE_FILE}",
                       f"folder ini sudah punya {OFFICE_FILE}; hapus salah satunya"
                       if (path.parent / OFFICE_FILE).is_file() else f"ganti namanya menjadi {OFFICE_FILE}")
    if suffix.lower() in (".yml", ".yaml"):
        stem = path.stem.lower() if SLUG_RE.match(path.stem.lower()) else path.stem
        return Ignored(path, f"berkas '{name}' tidak dibaca karena akhiran namanya '{suffix}' berhuruf besar",
                       f"ganti namanya menjadi {stem}{suffix.lower()}")
    message = f"berkas '{name}' tidak dibaca: bukan berkas sumber; sopdoc hanya membaca berkas .yml"
    if suffix.lower() in _WORD_SUFFIXES:
        return Ignored(path, message, "sopdoc tidak membaca dokumen Word; tulis SOP-nya sebagai berkas .yml "
                                      "(kerangkanya dibuat dengan 'sopdoc new')")
    if suffix.lower() == ".txt":
        return Ignored(path, message, f"bila berkas ini berisi sumber SOP, ganti namanya menjadi {path.stem}.yml")
    return Ignored(path, message, "pindahkan berkas ini keluar dari folder sumber bila tidak diperlukan")


def _report_ignored(found: Discovery, diagnostics: Diagnostics) -> None:
    """Nothing a clerk saved in the tree is passed over without a word."""
    example = f", mis. {found.folders[0].name}/" if found.folders else ""
    for path in found.stray:
        diagnostics.warning("SOP264", Location(path),
                            f"berkas '{path.name}' tidak dibaca karena berada di luar folder instansi",
                            f"pindahkan ke folder instansinya (folder berisi {OFFICE_FILE}{example})")
    for item in found.ignored:
        diagnostics.warning("SOP265", Location(item.path), item.message, item.hint)


def _report_outside(path: Path, diagnostics: Diagnostics) -> None:
    diagnostics.error("SOP215", Location(path), f"'{path.name}' adalah tautan ke luar folder sumber",
                      "salin berkasnya ke dalam folder sumber; sopdoc hanya membaca berkas di dalamnya")


def _inside(path: Path, root: Path) -> bool:
    return path.resolve().is_relative_to(root)


# ---------------------------------------------------------------- SOP files

def _load_sop(path: Path, office_file: OfficeFile | None, diagnostics: Diagnostics, cache: CheckCache | None):
    """(Sop or None, the checked values, the locator): the last two for cross-file checks."""
    values, at = check_file(path, SOP, diagnostics, cache)
    if not SLUG_RE.match(path.stem):
        diagnostics.error("SOP117", Location(path), f"nama berkas '{path.name}' bukan slug yang valid",
                          "gunakan huruf kecil, angka dan '-', mis. penanganan-aduan.yml")
    if values is None:
        return None, None, at
    actors = {key: Pelaksana(key, title) for key, title in values.get("pelaksana", {}).items()}
    raw_steps = values.get("langkah", ())
    ids = _check_steps(raw_steps, actors, at)
    edges = None
    if all(isinstance(step, dict) for step in raw_steps) and len(raw_steps) >= 2:
        edges = flow.build_edges(raw_steps, ids, at.report)
        if edges is not None:
            flow.check_reachability(edges, at.report)
    official, decree = _references(values, office_file, at)
    _check_lanes_fit(actors, office_file, at)
    made, revised = values.get("tanggal_pembuatan"), values.get("tanggal_revisi")
    if made and revised and revised < made:
        at.report("SOP113", ("tanggal_revisi",), "tanggal revisi lebih awal dari tanggal pembuatan")

    office = office_file.office if office_file else None
    if diagnostics.has_errors_in(path) or office is None or official is None or edges is None:
        return None, values, at
    return _sop(path, values, at, office, official, decree, actors, edges), values, at


def _check_lanes_fit(actors: dict[str, Pelaksana], office_file: OfficeFile | None, at: Located) -> None:
    """More actor columns than the office's paper holds would squeeze the Uraian column away."""
    if office_file is None or office_file.office is None:
        return
    paper = office_file.office.tata_letak.kertas
    most = MAX_ACTORS[paper]
    if len(actors) > most:
        wider = [name for name, count in MAX_ACTORS.items() if count >= len(actors)]
        at.report("SOP121", ("pelaksana", "@key"),
                  f"terlalu banyak pelaksana ({len(actors)}) untuk kertas {paper}: paling banyak {most} kolom",
                  "gabungkan pelaksana yang sejenis (mis. satu kolom 'Petugas Loket')"
                  + (f", atau pilih kertas yang lebih lebar di instansi.yml (tata_letak.kertas: {wider[0]})"
                     if wider else ""))


def _check_steps(raw_steps, actors: dict[str, Pelaksana], at: Located) -> dict[str, int]:
    """Ids and actors of the steps, and the warnings about what a step leaves out; returns the
    step number of every id."""
    declared_actors = at.declared("pelaksana")
    ids: dict[str, int] = {}
    used_actors = set()
    for index, step in enumerate(raw_steps):
        if not isinstance(step, dict):
            continue
        step_at = ("langkah", index)
        if "id" in step:
            if step["id"] in ids:
                at.report("SOP205", step_at + ("id",), f"id '{step['id']}' sudah dipakai langkah {ids[step['id']]}")
            ids.setdefault(step["id"], index + 1)
        actor = step.get("pelaksana")
        if actor is not None:
            used_actors.add(actor)
            if actor not in declared_actors and declared_actors:
                at.report("SOP201", step_at + ("pelaksana",), f"pelaksana '{actor}' tidak dikenal",
                          did_you_mean(actor, actors))
        if step_at + ("waktu",) not in at.ctx.locations:  # written but invalid is an error already
            at.warn("SOP261", step_at, "tidak ada 'waktu'", "isi waktu agar total waktu SOP benar")
        if step_at + ("output",) not in at.ctx.locations:
            at.warn("SOP262", step_at, "tidak ada 'output'")
    for key in actors:
        if key not in used_actors:
            at.warn("SOP260", ("pelaksana", key, "@key"), f"pelaksana '{key}' tidak dipakai oleh langkah mana pun",
                    "hapus kolom ini atau pindahkan langkah yang sesuai ke kolom ini")
    return ids


def _references(values: dict, office_file: OfficeFile | None, at: Located) -> tuple:
    """(official of disahkan_oleh, decree of lampiran.keputusan), None where absent or unknown."""
    official = decree = None
    if office_file is None:
        return official, decree
    signer_key = values.get("disahkan_oleh")
    if signer_key is not None:
        official = office_file.officials.get(signer_key)
        if signer_key not in office_file.officials:
            at.report("SOP202", ("disahkan_oleh",), f"pejabat '{signer_key}' tidak dikenal di {OFFICE_FILE}",
                      did_you_mean(signer_key, office_file.officials))
    attachment = values.get("lampiran")
    if attachment and "keputusan" in attachment:
        decree_key = attachment["keputusan"]
        decree = office_file.decrees.get(decree_key)
        if decree_key not in office_file.decrees and not office_file.decrees_broken:  # else said there
            at.report("SOP203", ("lampiran", "keputusan"), f"keputusan '{decree_key}' tidak dikenal di {OFFICE_FILE}",
                      did_you_mean(decree_key, office_file.decrees) or
                      f"{OFFICE_FILE} belum punya 'keputusan'; tambahkan keputusannya di sana, atau hapus 'lampiran'")
    return official, decree


def _sop(path: Path, values: dict, at: Located, office: Instansi, official: Pejabat, decree: Keputusan | None,
         actors: dict[str, Pelaksana], edges: list) -> Sop:
    """The model of a checked SOP file without errors."""
    steps = tuple(
        from_values(Langkah, step, number=index + 1, pelaksana=actors[step["pelaksana"]],
                    symbol=flow.symbol_for(index + 1, edges[index], "keputusan" in step), edges=edges[index],
                    keterangan=step.get("keterangan") or None, location=at.location(("langkah", index)))
        for index, step in enumerate(values["langkah"]))
    service = values.get("layanan", {})
    attachment = values.get("lampiran", {})
    return from_values(
        Sop, values, slug=path.stem, source=path, source_bytes=at.source_bytes, office=office,
        disahkan_oleh=official,
        pelaksana=tuple(actors.values()), langkah=steps,
        total_waktu=flow.total_waktu(list(edges), [step.waktu for step in steps]),
        layanan=from_values(Layanan, service, persyaratan=service.get("persyaratan", steps[0].kelengkapan),
                            produk=service.get("produk", steps[-1].output)),
        lampiran=(Lampiran(keputusan=decree, nomor=attachment.get("nomor", ""), explicit="nomor" in attachment)
                  if decree else None),
    )


# ---------------------------------------------------------------- across files

def _natural_key(text: str) -> list:
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", text)]


def _check_office_wide(loaded: list[tuple], diagnostics: Diagnostics) -> dict[Path, str]:
    """Duplicate SOP numbers and lampiran numbers; returns the lampiran numeral of every attached SOP."""
    by_nomor: dict[str, list[tuple]] = {}
    numerals: dict[Path, str] = {}
    by_decree: dict[str, list[tuple]] = {}
    for path, values, at in loaded:
        if not values:
            continue
        nomor = values.get("nomor")
        if nomor:
            normal = " ".join(nomor.split()).lower()
            by_nomor.setdefault(normal, []).append((path, at, f"nomor SOP '{nomor}'"))
        attachment = values.get("lampiran") or {}
        if "keputusan" in attachment:
            by_decree.setdefault(attachment["keputusan"], []).append((path, values, at))
    for same in by_nomor.values():
        _report_shared(same, "SOP209", ("nomor",), "", "nomor SOP harus unik dalam satu instansi: ganti salah satunya")

    for entries in by_decree.values():
        by_number: dict[int, list[tuple]] = {}
        unnumbered = []
        for path, values, at in entries:
            numeral = values["lampiran"].get("nomor")
            if numeral is None:
                unnumbered.append((path, values))
            else:
                by_number.setdefault(from_roman(numeral), []).append((path, at, f"lampiran {numeral}"))
                numerals[path] = numeral
        for same in by_number.values():
            _report_shared(same, "SOP210", ("lampiran", "nomor"), " dalam keputusan yang sama",
                           "setiap SOP dalam satu keputusan perlu nomor lampiran sendiri: ganti salah satunya, "
                           "atau hapus 'nomor' agar diberi otomatis")
        unnumbered.sort(key=lambda item: (_natural_key(item[1].get("nomor", "")), item[0].name))
        free = (n for n in range(1, 10_000) if n not in by_number)
        for path, _ in unnumbered:
            numerals[path] = to_roman(next(free))
    return numerals


def _report_shared(same: list[tuple], code: str, key: tuple, suffix: str, hint: str) -> None:
    """A value that must be unique, written in several files (path, locator, what it is): said in
    each of them, naming the others and their lines, since sopdoc cannot know which one is right."""
    if len(same) < 2:
        return
    for path, at, what in same:
        others = [f"{other.name} (baris {other_at.location(key).line})" for other, other_at, _ in same
                  if other != path]
        listed = ", ".join(others[:-1]) + " dan " + others[-1] if len(others) > 1 else others[0]
        at.report(code, key, f"{what} juga dipakai oleh {listed}{suffix}", hint)


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
    found = discover(paths)
    _report_ignored(found, diagnostics)
    for path in found.outside:
        _report_outside(path, diagnostics)
    offices = []
    for folder in found.folders:
        entry = _load_folder(folder, found.roots[folder], diagnostics, cache)
        if entry is not None:
            offices.append(entry)
    if cache is not None and not diagnostics.error_count:  # a failed check leaves the output folder alone
        cache.save()
    if found.only is not None:
        keep = found.only | {folder / OFFICE_FILE for folder in found.folders}
        filtered = Diagnostics()
        for diagnostic in diagnostics:
            if diagnostic.location.path in keep:
                filtered.add(diagnostic)
        diagnostics = filtered
    return Project(tuple(offices)), diagnostics


def _load_folder(folder: Path, root: Path, diagnostics: Diagnostics, cache: CheckCache | None) -> OfficeSops | None:
    """One office folder: its instansi.yml, then every SOP file in it, then the checks across them."""
    if not _inside(folder / OFFICE_FILE, root):
        _report_outside(folder / OFFICE_FILE, diagnostics)
        return None
    office = load_office(folder, diagnostics, cache)
    files = []
    for path in sorted(p for p in folder.iterdir() if is_source_file(p) and p.name != OFFICE_FILE):
        if _inside(path, root):
            files.append(path)
        else:
            _report_outside(path, diagnostics)
    _check_slugs(files, diagnostics)
    loaded = [(path, *_load_sop(path, office, diagnostics, cache)) for path in files]
    if office is not None:
        attached = any(isinstance(v, dict) and isinstance(v.get("lampiran"), dict) for _, _, v, _ in loaded)
        report_empty_decrees(office, attached, diagnostics)
    numerals = _check_office_wide([(p, v, a) for p, _, v, a in loaded], diagnostics)
    sops = []
    for path, sop, _, _ in loaded:
        if sop is None or diagnostics.has_errors_in(path):
            continue
        if sop.lampiran is not None:
            sop = _with_numeral(sop, numerals[path])
        sops.append(sop)
    sops.sort(key=_sop_order)
    if office is None or office.office is None or diagnostics.has_errors_in(folder / OFFICE_FILE):
        return None
    return OfficeSops(office.office, tuple(sops))


def _check_slugs(files: list[Path], diagnostics: Diagnostics) -> None:
    """Two files of one office with one name (x.yml and x.yaml) would be one document."""
    by_slug: dict[str, list[Path]] = {}
    for path in files:
        by_slug.setdefault(path.stem, []).append(path)
    for slug, same in by_slug.items():
        for path in same[1:] if len(same) > 1 else ():
            diagnostics.error("SOP216", Location(path), f"berkas '{path.name}' dan '{same[0].name}' bernama sama "
                              f"('{slug}'): keduanya akan menjadi dokumen yang sama",
                              "ganti nama atau hapus salah satu berkas")


def _sop_order(sop: Sop) -> tuple:
    """Decree order first (lampiran I, II, ...), then SOP numbers in natural order."""
    numeral = from_roman(sop.lampiran.nomor) if sop.lampiran else 10_000
    return (numeral, _natural_key(sop.nomor), sop.slug)


def _with_numeral(sop: Sop, numeral: str) -> Sop:
    return replace(sop, lampiran=replace(sop.lampiran, nomor=numeral))
