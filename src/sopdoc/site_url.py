"""The public site's address, from the project's `mkdocs.yml` (`site_url`)."""

from __future__ import annotations

import re
from pathlib import Path

_SITE_URL = re.compile(r"^site_url:\s*['\"]?(https?://[^'\"\s#]+)", re.MULTILINE)


def find_site_url(paths: list[Path]) -> str | None:
    """`site_url` of the mkdocs.yml beside the sources folder (the project root), if any. Read
    with a pattern, not a YAML loader: mkdocs.yml may hold tags (!!python/name) a safe loader refuses."""
    for path in paths:
        folder = path if path.is_dir() else path.parent
        for candidate in (folder.parent / "mkdocs.yml", folder.parent.parent / "mkdocs.yml"):
            if candidate.is_file():
                found = _SITE_URL.search(candidate.read_text(encoding="utf-8", errors="replace"))
                return found.group(1) if found else None
    return None
