"""What a site build did: kept apart from the build so that a build with nothing changed can say
it without importing MkDocs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

UNCHANGED, PARTIAL, FULL = "tidak berubah", "sebagian", "penuh"


@dataclass(frozen=True)
class SiteResult:
    site_dir: Path
    pages: int
    stale_signatures: tuple[Path, ...] = ()  # published unsigned: the signature is of an older build
    mode: str = FULL  # UNCHANGED: MkDocs did not run; PARTIAL: only `rebuilt` pages were rendered
    rebuilt: int = 0  # pages MkDocs rendered
    reason: str = ""  # why a full build, when one was needed
