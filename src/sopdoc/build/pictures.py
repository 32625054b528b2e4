"""The flowchart pictures (PNG) of each built SOP, kept under the build folder so that the
Keputusan's DOCX, which holds every lampiran again, does not ask Graphviz for them again.

Pictures are stored with the SOP's input key and used only for that same key: a picture is never
reused for a model it was not drawn from. A missing or stale entry only costs a new drawing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sopdoc.build.outputs import PICTURE_FOLDER
from sopdoc.fileio import write_atomic
from sopdoc.model import Sop


def draw_pictures(plan) -> dict[int, bytes]:
    """Every flowchart page of `plan` as PNG."""
    from sopdoc.render.graphviz import page_dot, render_formats

    return {page.number: render_formats(page_dot(plan, page), ("png",))["png"] for page in plan.pages}


class PictureStore:
    def __init__(self, out: Path) -> None:
        self.root = out / PICTURE_FOLDER

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

    def pictures_for(self, keys: dict[str, str]) -> Callable[[Sop, object], dict[int, bytes]]:
        """`pictures_of(sop, plan)` for a decree's members (slug -> input key): the kept pictures
        when their key matches, else drawn now and kept."""
        def pictures_of(sop: Sop, plan) -> dict[int, bytes]:
            key = keys.get(sop.slug)
            pictures = self.load(sop, key) if key else None
            if pictures is None:
                pictures = draw_pictures(plan)
                if key:
                    self.save(sop, key, pictures)
            return pictures
        return pictures_of
