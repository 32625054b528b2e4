"""The identity of sopdoc's own code: caches keyed by it go stale when the code changes."""

from __future__ import annotations

import functools
import hashlib
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
