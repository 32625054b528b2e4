"""Signed documents stay what was signed: before a build replaces a PDF that `sopdoc sign` has
signed, it finds out whether the new PDF is still the signed one, and if not, why.

A PAdES signature is an incremental update: the signed file is the original bytes followed by
the signature. "Starts with the PDF" is therefore an exact test that a signed copy signs it.
The reason for a mismatch is read from the sources both PDFs embed (`EmbeddedSource`): which
source was changed, added (an SOP attached to an issued decree) or removed.
"""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from sopdoc.build.outputs import signed_copy_path


def signs_exactly(signed: Path, original: bytes) -> bool:
    """Whether the file `signed` is `original` with a signature (or more) appended."""
    with signed.open("rb") as handle:
        head = handle.read(len(original) + 1)
    return len(head) > len(original) and head.startswith(original)


def _embedded(data: bytes) -> dict[str, bytes]:
    try:
        return {name: contents[0] for name, contents in PdfReader(io.BytesIO(data)).attachments.items()}
    except (PyPdfError, ValueError, KeyError, OSError):
        return {}


def why_changed(signed: bytes, new: bytes) -> str:
    """What makes `new` differ from the document `signed` signed, in a clerk's words."""
    before, after = _embedded(signed), _embedded(new)
    reasons = [f"{name} berubah" for name in sorted(before.keys() & after.keys()) if before[name] != after[name]]
    reasons += [f"{name} ditambahkan" for name in sorted(after.keys() - before.keys())]
    reasons += [f"{name} dihapus" for name in sorted(before.keys() - after.keys())]
    return "; ".join(reasons) or "sumbernya sama, tetapi sopdoc kini menata dokumennya berbeda"


def signature_conflict(pdf: Path, new: bytes) -> str | None:
    """None when writing `new` to `pdf` keeps its signed copy (if any) valid; else the warning."""
    signed = signed_copy_path(pdf)
    if not signed.is_file() or signs_exactly(signed, new):
        return None
    return (f"{signed.name} menandatangani versi lain dari {pdf.name}: {why_changed(signed.read_bytes(), new)}. "
            "Salinan bertanda tangan itu tidak lagi cocok; tandatangani ulang dokumen yang baru "
            "(atau batalkan perubahannya)")
