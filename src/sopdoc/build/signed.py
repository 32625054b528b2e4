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
from sopdoc.errors import SopdocError
from sopdoc.sources.checked import OFFICE_FILE


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


def _what_changed(name: str, before: dict[str, bytes], after: dict[str, bytes]) -> str:
    """"<name> berubah", with `sopdoc diff`'s one-line summary when both versions of the SOP load."""
    from sopdoc.revisions.compare import compare
    from sopdoc.revisions.history import Version, load_version
    from sopdoc.revisions.report import summary

    if name == OFFICE_FILE or OFFICE_FILE not in before or OFFICE_FILE not in after:
        return f"{name} berubah"
    home = Path("instansi") / name
    versions = [Version(f"{label}:{name}", files[name], f"{label}:{OFFICE_FILE}", files[OFFICE_FILE],
                        lambda _name: None) for label, files in (("ditandatangani", before), ("baru", after))]
    try:
        old, new = (load_version(version, home).sop for version in versions)
    except (SopdocError, OSError):
        old = new = None
    if old is None or new is None:
        return f"{name} berubah"
    return f"{name} berubah ({summary(compare(old, new, versions[0].label, versions[1].label))})"


def why_changed(signed: bytes, new: bytes) -> str:
    """What makes `new` differ from the document `signed` signed, in a clerk's words."""
    before, after = _embedded(signed), _embedded(new)
    reasons = [_what_changed(name, before, after) for name in sorted(before.keys() & after.keys())
               if before[name] != after[name]]
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
