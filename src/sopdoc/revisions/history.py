"""The two versions of an SOP to compare, read from two files or from git, and validated.

Each version is copied into a temporary office folder beside a copy of its office's
`instansi.yml` (and the logo it names) and loaded with the real loader, so a version is checked
exactly as `sopdoc check` checks a file; the diagnostics are then pointed back at the user's file,
or at "REV:path" for a version from git.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sopdoc.diagnostics import Diagnostics
from sopdoc.errors import SopdocError
from sopdoc.model import Sop
from sopdoc.sources.checked import OFFICE_FILE, check_file, is_source_file
from sopdoc.sources.keys import INSTANSI
from sopdoc.sources.loader import load_project

DEFAULT_REVISION = "HEAD"


class RevisionError(SopdocError):
    """The versions cannot be read: a wrong path, no git, an unknown revision. A usage error."""

    exit_code = 2


@dataclass(frozen=True)
class Version:
    """One version of an SOP file and of the office file it is checked against."""

    label: str  # how the reader and the diagnostics name it: the user's path, or "REV:path"
    data: bytes
    office_label: str
    office_data: bytes
    read_office_file: Callable[[str], bytes | None]  # a file named in instansi.yml (the logo), by name


@dataclass(frozen=True)
class Loaded:
    version: Version
    sop: Sop | None  # None when the version is invalid
    diagnostics: Diagnostics  # located at the version's own label


# ---------------------------------------------------------------- two files

def _office_folder(path: Path) -> Path | None:
    return path.parent if (path.parent / OFFICE_FILE).is_file() else None


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise RevisionError(f"'{path}' tidak dapat dibaca ({exc.strerror})") from None


def _check_sop_path(path: Path) -> None:
    if not path.exists():
        raise RevisionError(f"'{path}' tidak ditemukan")
    if not path.is_file() or not is_source_file(path):
        raise RevisionError(f"'{path}' bukan berkas SOP (.yml)")
    if path.name == OFFICE_FILE:
        raise RevisionError(f"'{path}' adalah berkas instansi; sopdoc diff membandingkan berkas SOP")


def _file_reader(folder: Path) -> Callable[[str], bytes | None]:
    def read(name: str) -> bytes | None:
        candidate = (folder / name).resolve()
        if not candidate.is_relative_to(folder.resolve()) or not candidate.is_file():
            return None  # the loader reports it, as check would
        return candidate.read_bytes()
    return read


def from_files(old: Path, new: Path) -> tuple[Version, Version, Path]:
    """Both files, checked against the office of the one in an office folder (NEW's first);
    returns them with the SOP file that stands in its office folder."""
    for path in (old, new):
        _check_sop_path(path)
    home = new if _office_folder(new) else old if _office_folder(old) else None
    if home is None:
        raise RevisionError(
            f"baik '{old}' maupun '{new}' tidak berada di folder instansi (folder berisi {OFFICE_FILE}), "
            "jadi tidak ada instansi untuk memeriksanya; letakkan versi baru di folder instansinya, "
            "mis. sop_sources/kecamatan-jenawi/")
    office = home.parent / OFFICE_FILE
    office_data, reader = _read(office), _file_reader(home.parent)
    versions = tuple(Version(str(path), _read(path), str(office), office_data, reader) for path in (old, new))
    return versions[0], versions[1], home


# ---------------------------------------------------------------- git

def _git(folder: Path, *args: str) -> subprocess.CompletedProcess:
    # C locale: git's own messages are matched below, and never shown half-translated
    env = {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"}
    try:
        return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, check=False, env=env)
    except FileNotFoundError:
        raise RevisionError("git tidak terpasang, jadi versi lama tidak dapat dibaca; pasang git "
                            "(mis. sudo apt-get install git) atau bandingkan dua berkas: "
                            "sopdoc diff LAMA.yml BARU.yml") from None


def _blob(folder: Path, commit: str, path: str) -> bytes | None:
    """A file's bytes at a commit (cat-file: the stored bytes, no pager or text filter), None if absent."""
    spec = f"{commit}:{path}"
    if _git(folder, "cat-file", "-t", spec).stdout.strip() != b"blob":
        return None
    return _git(folder, "cat-file", "blob", spec).stdout


def _resolve_revision(folder: Path, revision: str) -> str:
    if revision.startswith("-") or not revision.strip():  # never an option of git's
        raise RevisionError(f"revisi '{revision}' tidak dikenal di repositori git")
    found = _git(folder, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if found.returncode != 0:
        if _git(folder, "rev-parse", "--verify", "--quiet", "HEAD").returncode != 0:
            raise RevisionError("repositori git ini belum punya commit; simpan dulu sebuah versi (git commit), "
                                "atau bandingkan dua berkas: sopdoc diff LAMA.yml BARU.yml")
        raise RevisionError(f"revisi '{revision}' tidak dikenal di repositori git "
                            "(contoh: HEAD, HEAD~1, nama cabang, atau hash commit)")
    return found.stdout.decode("ascii").strip()


def from_git(path: Path, revision: str = DEFAULT_REVISION) -> tuple[Version, Version, Path]:
    """The file at `revision` (its office file too, else today's) and as it is now."""
    _check_sop_path(path)
    folder = _office_folder(path)
    if folder is None:
        raise RevisionError(f"'{path}' tidak berada di folder instansi (tidak ada {OFFICE_FILE} di sampingnya)")
    top = _git(folder, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        if b"not a git repository" not in top.stderr:
            message = os.fsdecode(top.stderr).strip().splitlines() or ["(tanpa pesan)"]
            raise RevisionError(f"git gagal membaca '{folder}': {message[-1]}")
        raise RevisionError(f"'{folder}' tidak berada di dalam repositori git, jadi tidak ada versi lama; "
                            "bandingkan dua berkas: sopdoc diff LAMA.yml BARU.yml")
    root = Path(os.fsdecode(top.stdout).strip()).resolve()
    try:
        in_repo = path.resolve().relative_to(root).as_posix()
        office_in_repo = (folder.resolve() / OFFICE_FILE).relative_to(root).as_posix()
    except ValueError:
        raise RevisionError(f"'{path}' berada di luar repositori git {root}") from None
    commit = _resolve_revision(folder, revision)
    old_data = _blob(folder, commit, in_repo)
    if old_data is None:
        raise RevisionError(f"'{in_repo}' belum ada pada revisi {revision} (berkas baru?), "
                            "jadi tidak ada versi lama untuk dibandingkan")
    current_office = _read(folder / OFFICE_FILE)
    old_office = _blob(folder, commit, office_in_repo)
    today = _file_reader(folder)

    def old_file(name: str) -> bytes | None:
        named = (Path(office_in_repo).parent / name).as_posix()
        return _blob(folder, commit, named) if ".." not in Path(name).parts else None

    old = Version(f"{revision}:{in_repo}", old_data,
                  f"{revision}:{office_in_repo}" if old_office is not None else str(folder / OFFICE_FILE),
                  old_office if old_office is not None else current_office,
                  lambda name: old_file(name) or today(name))
    new = Version(str(path), _read(path), str(folder / OFFICE_FILE), current_office, today)
    return old, new, path


# ---------------------------------------------------------------- validation

def _named_file(office_file: Path) -> str | None:
    """The logo instansi.yml names, read as the loader reads it (and not at all if it is invalid)."""
    values, _ = check_file(office_file, INSTANSI, Diagnostics(), None)
    logo = (values or {}).get("logo")
    return logo if isinstance(logo, str) else None


def load_version(version: Version, home: Path) -> Loaded:
    """The version checked in a temporary copy of its office folder, named as `home` and its folder."""
    with tempfile.TemporaryDirectory(prefix="sopdoc-diff-") as temp:
        # Named as the file in its office folder, so a copy saved as "lama.yml" is checked as that file
        folder = Path(temp) / (home.resolve().parent.name or "instansi")
        folder.mkdir()
        office_file, sop_file = folder / OFFICE_FILE, folder / home.name
        office_file.write_bytes(version.office_data)
        sop_file.write_bytes(version.data)
        logo = _named_file(office_file)
        if logo and (folder / logo).resolve().is_relative_to(folder.resolve()):
            data = version.read_office_file(logo)
            if data is not None:
                (folder / logo).parent.mkdir(parents=True, exist_ok=True)
                (folder / logo).write_bytes(data)
        project, found = load_project([sop_file])
        labels = {sop_file: Path(version.label), office_file: Path(version.office_label)}
        diagnostics = Diagnostics()
        for diagnostic in found:
            location = diagnostic.location
            diagnostics.add(dataclasses.replace(
                diagnostic, location=dataclasses.replace(location, path=labels.get(location.path, location.path))))
        sops = project.sops
        valid = not diagnostics.error_count and len(sops) == 1
        return Loaded(version, sops[0] if valid else None, diagnostics)
