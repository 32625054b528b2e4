"""Real SOPs of the corpus copied into a temporary project and edited there."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import CORPUS
from sopdoc.revisions.compare import SopChanges, compare
from sopdoc.revisions.history import from_files, load_version

JENAWI = "kecamatan-jenawi/penanganan-aduan.yml"
JUMAPOLO_NIKAH = "kecamatan-jumapolo/rekomendasi-dispensasi-nikah.yml"


def copy_sop(root: Path, name: str = JENAWI) -> tuple[Path, Path]:
    """The SOP's office folder copied to root/sop_sources, and a copy of the SOP saved outside it
    as root/lama.yml: (old, new), relative to root (the `run` fixture works in root)."""
    office = Path(name).parent
    shutil.copytree(CORPUS / office, root / "sop_sources" / office)
    new = Path("sop_sources") / name
    shutil.copy(CORPUS / name, root / "lama.yml")
    return Path("lama.yml"), new


def edit(path: Path, old: str, new: str) -> None:
    """Replace the one occurrence of `old` in the file."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def changes_of(old: Path, new: Path) -> SopChanges:
    old_version, new_version, home = from_files(old, new)
    loaded = [load_version(version, home) for version in (old_version, new_version)]
    assert all(entry.sop for entry in loaded), [d.format() for entry in loaded for d in entry.diagnostics]
    return compare(loaded[0].sop, loaded[1].sop, old_version.label, new_version.label)


INSERTED_STEP = """\
  - uraian: Memverifikasi tanggapan PPID sebelum diteruskan
    pelaksana: ppid
    kelengkapan: Laporan Tanggapan Pengaduan
    waktu: 20 menit
    output: Tanggapan terverifikasi
"""
STEP_5 = "  - uraian: Menerima tanggapan dan pengaduan yang diberikan\n"


def insert_before_step_5(path: Path) -> None:
    """A step inserted in the middle of the Jenawi SOP; the one numeric target after it follows."""
    edit(path, STEP_5, INSERTED_STEP + STEP_5)
    edit(path, "ya: 7 ", "ya: 8 ")
