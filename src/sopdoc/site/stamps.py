"""Cheap identities of files and folders, for telling what changed since the last site build.

A document is written by renaming a new file into place (`fileio.write_atomic`), so its inode,
size and modification time together change whenever its bytes may have: they stand for its
bytes without reading them. A folder's signature lists every file with its size and time, so a
site/ that anyone touched, or that another build replaced, no longer matches.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from sopdoc.fingerprint import stat_stamp


def file_stamp(path: Path) -> str:
    """inode:size:mtime of `path`, or "-" when there is none."""
    try:
        stat = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return "-"
    return stat_stamp(stat)


def folder_files(folder: Path) -> dict[str, os.stat_result]:
    """Every file under `folder` (relative POSIX path -> its stat), without following links."""
    found: dict[str, os.stat_result] = {}

    def walk(directory: str, prefix: str) -> None:
        with os.scandir(directory) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, f"{prefix}{entry.name}/")
                else:
                    found[prefix + entry.name] = entry.stat(follow_symlinks=False)

    if folder.is_dir():
        walk(str(folder), "")
    return found


def signature_of(files: dict[str, os.stat_result]) -> str:
    """A digest of the names, sizes and modification times of `files` (see folder_files): a
    folder's signature."""
    digest = hashlib.sha256()
    for name, stat in sorted(files.items()):
        digest.update(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()
