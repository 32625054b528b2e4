"""What the public site offers to download for each built document: the copy `sopdoc sign`
signed, when its signature covers exactly the PDF of this build, else the document as built.

A copy that signs an older build (`build.signed.signs_exactly`) is reported, never published.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sopdoc.build.outputs import FORMATS, document_path, signed_copy_path
from sopdoc.build.signed import signs_exactly


@dataclass(frozen=True)
class Download:
    name: str  # the file's name on the site, e.g. layanan-e-ktp.pdf
    source: Path  # the file published under that name
    label: str  # for the button: "PDF", "PDF bertanda tangan elektronik", "DOCX"


@dataclass(frozen=True)
class Downloads:
    files: tuple[Download, ...]
    stale_signature: Path | None = None  # a signed copy of an older build of the PDF


def downloads_for(out: Path, office_slug: str, stem: str) -> Downloads:
    """The downloadable formats (the registry's `download_label`) of the document `stem` built
    for an office under `out`."""
    files, stale = [], None
    for fmt in (fmt for fmt in FORMATS if fmt.download_label):
        built = document_path(out, office_slug, stem, fmt.name)
        source, label = built, fmt.download_label
        signed = signed_copy_path(built)
        if fmt.name == "pdf" and signed.is_file():
            if signs_exactly(signed, built.read_bytes()):
                source, label = signed, "PDF bertanda tangan elektronik"
            else:
                stale = signed
        files.append(Download(built.name, source, label))
    return Downloads(tuple(files), stale)
