"""Identities: of sopdoc's own code (caches keyed by it go stale when the code changes), of a
sequence of parts, and of a file by its stat."""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

from sopdoc import __version__

PACKAGE = Path(__file__).resolve().parent


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in (".py", ".j2", ".css") and path.is_file():
            digest.update(path.relative_to(PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def digest_of(*parts: bytes | str) -> str:
    """sha256 of the parts, each ended by a NUL (names that are not UTF-8 kept as their bytes)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
    return digest.hexdigest()


def stat_stamp(status: os.stat_result) -> str:
    """inode:size:mtime. sopdoc writes a file by renaming a new one into place, so these change
    whenever its bytes may have: they stand for its bytes without reading them."""
    return f"{status.st_ino}:{status.st_size}:{status.st_mtime_ns}"
