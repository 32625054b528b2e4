"""A build with nothing changed, answered without loading a source.

After a build that succeeded, a record says what it was made from and what it left: a digest of
the request, sopdoc's code and the bytes of every file under the sources and of mkdocs.yml
(`inputs_digest`), and a digest of the name, inode, size and mtime of every file it left in the
output folder and in site/ (`outputs_digest`), with what the build said, to be said again. The
next build computes both; when they match, nothing it would do could change a byte, and it only
says again what the last one said. Anything else, even a file touched by hand, is a real build.

Sources are compared by their bytes, not their times, so an edit is never missed however quickly
it follows a build. The inputs are read before the build starts: a file saved while a build runs
makes the record differ, so the next build builds it. The record is removed before a real build
changes anything, and written only when it succeeded, so a build cut short leaves none.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sopdoc.fileio import write_atomic
from sopdoc.fingerprint import code_fingerprint, digest_of, stat_stamp
from sopdoc.sources.loader import not_the_clerks

_RECORD_VERSION = "1"
HASHED_UP_TO = 8 * 2**20  # bytes: a larger file (a scan left beside the sources) is compared by its stat


def _walk(root: Path) -> Iterable[tuple[str, os.DirEntry | None]]:
    """(path below `root`, entry) for every folder and file under `root`, in name order, but those
    the loader passes over without a word (hidden files, editors' leftovers: their coming and going
    changes nothing); folder links are followed, each folder once."""
    seen: set[tuple[int, int]] = set()

    def below(folder: str, relative: str):
        try:
            status = os.stat(folder)
            if (status.st_dev, status.st_ino) in seen:
                return
            seen.add((status.st_dev, status.st_ino))
            with os.scandir(folder) as listing:
                entries = sorted((entry for entry in listing if not not_the_clerks(entry.name)), key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            name = f"{relative}/{entry.name}" if relative else entry.name
            if entry.is_dir():
                yield name + "/", None
                yield from below(entry.path, name)
            else:
                yield name, entry

    yield from below(str(root), "")


def _file_state(path: str, contents: bool) -> str:
    try:
        status = os.stat(path)
        if contents and status.st_size <= HASHED_UP_TO:
            with open(path, "rb") as stream:
                return hashlib.sha256(stream.read()).hexdigest()
        return stat_stamp(status)
    except OSError as exc:
        return f"unreadable {exc.errno}"


def _tree_parts(root: Path, contents: bool) -> Iterable[str]:
    yield f"tree {root.resolve() if root.exists() else root}"
    if root.is_file():
        yield _file_state(str(root), contents)
        return
    for name, entry in _walk(root):
        yield name if entry is None else f"{name} {_file_state(entry.path, contents)}"


def inputs_digest(request: Iterable[str], sources: Iterable[Path], files: Iterable[Path]) -> str:
    """The request's words, sopdoc's code, every file under `sources` by its bytes (a file path
    stands for its whole folder: the loader reads its neighbours too) and each of `files`."""
    def parts():
        yield _RECORD_VERSION
        yield code_fingerprint()
        yield from request
        for source in sources:
            yield from _tree_parts(source.parent if source.is_file() else source, contents=True)
        for path in files:
            yield from _tree_parts(path, contents=True)
    return digest_of(*parts())


def outputs_digest(out: Path, site_dir: Path | None) -> str:
    """Every file the build left under `out` and in `site_dir`, by its stat: a file sopdoc writes
    is always a new inode, so a rewritten, deleted or added file shows. sopdoc's own records and
    lock are hidden files, left out as the sources' are."""

    def parts():
        yield from _tree_parts(out, contents=False)
        if site_dir is not None:
            yield from _tree_parts(site_dir, contents=False)
    return digest_of(*parts())


@dataclass(frozen=True)
class RunRecord:
    inputs: str
    outputs: str
    said: dict  # what the build said, for the CLI to say again (JSON values)

    @classmethod
    def read(cls, path: Path) -> RunRecord | None:
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
            record = cls(stored["inputs"], stored["outputs"], stored["said"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        valid = isinstance(record.inputs, str) and isinstance(record.outputs, str) and isinstance(record.said, dict)
        return record if valid and stored.get("version") == _RECORD_VERSION else None

    def save(self, path: Path) -> None:
        data = {"version": _RECORD_VERSION, "inputs": self.inputs, "outputs": self.outputs, "said": self.said}
        write_atomic(path, json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n")

    @staticmethod
    def discard(path: Path) -> None:
        path.unlink(missing_ok=True)
