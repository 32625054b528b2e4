"""The flowchart pictures (PNG) of each built SOP, kept under the build folder so that the
Keputusan's DOCX, which holds every lampiran again, does not ask Graphviz for them again.

Pictures are stored with the SOP's input key and used only for that same key: a picture is never
reused for a model it was not drawn from. A missing or stale entry only costs a new drawing.
"""

from __future__ import annotations

from pathlib import Path

from sopdoc.fileio import write_atomic
from sopdoc.model import Sop

STORE_FOLDER = ".sopdoc-gambar"


class PictureStore:
    def __init__(self, out: Path) -> None:
        self.root = out / STORE_FOLDER

    def _folder(self, sop: Sop) -> Path:
        return self.root / sop.office.slug / sop.slug

    def save(self, sop: Sop, key: str, pictures: dict[int, bytes]) -> None:
        folder = self._folder(sop)
        (folder / "kunci").unlink(missing_ok=True)  # invalid while the pictures change
        for page, data in pictures.items():
            write_atomic(folder / f"{page}.png", data)
        write_atomic(folder / "kunci", "\n".join([key, *map(str, sorted(pictures))]) + "\n")

    def load(self, sop: Sop, key: str) -> dict[int, bytes] | None:
        folder = self._folder(sop)
        try:
            stored_key, *pages = (folder / "kunci").read_text(encoding="utf-8").split()
            if stored_key != key:
                return None
            return {int(page): (folder / f"{page}.png").read_bytes() for page in pages}
        except (OSError, ValueError):
            return None
