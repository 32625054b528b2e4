"""Writing outputs so that a failed or interrupted run never leaves a truncated file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes | str, *, overwrite: bool = True) -> None:
    """Write to a temporary file beside `path`, then move it into place.

    With overwrite=False an existing file is never replaced (FileExistsError), even if it
    appears while we write.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temp, 0o644)
        if overwrite:
            os.replace(temp, path)
        else:
            os.link(temp, path)  # fails if the target exists: no race with another writer
            os.unlink(temp)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
