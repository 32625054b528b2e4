"""The public site's configuration: the project's `mkdocs.yml`, beside the sources folder."""

from __future__ import annotations

import re
from pathlib import Path

_SITE_URL = re.compile(r"^site_url:\s*['\"]?(https?://[^'\"\s#]+)", re.MULTILINE)


def find_site_config(paths: list[Path]) -> Path | None:
    """The mkdocs.yml of the project whose sources are `paths` (the folder holding sop_sources/,
    or the one above an office folder), if there is one."""
    for path in paths:
        folder = path if path.is_dir() else path.parent
        for candidate in (folder.parent / "mkdocs.yml", folder.parent.parent / "mkdocs.yml"):
            if candidate.is_file():
                return candidate.resolve()
    return None


def covers_whole_tree(paths: list[Path], config: Path) -> bool:
    """True when `paths` are sources folders beside mkdocs.yml, not an office folder or one file:
    the site is built from every office or not at all, or a partial build would drop the rest."""
    return all(path.is_dir() and path.resolve().parent == config.parent for path in paths)


def site_url_of(config: Path) -> str | None:
    """`site_url`, read with a pattern, not a YAML loader: mkdocs.yml may hold tags
    (!!python/name) that a safe loader refuses."""
    found = _SITE_URL.search(config.read_text(encoding="utf-8", errors="replace"))
    return found.group(1) if found else None


def site_dir_of(config: Path) -> Path:
    """Where the built site goes: site/ beside mkdocs.yml."""
    return config.parent / "site"
