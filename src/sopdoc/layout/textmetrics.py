"""Text measured with the real font metrics, so the layout knows each row's height before any
renderer runs. Widths come from the same TrueType files WeasyPrint embeds and Word is told to use.

All lengths are integer micrometres (µm), like python-docx's integer EMUs: no float tolerance
creeps into page arithmetic.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont

from sopdoc.errors import SopdocError

FONT_FAMILY = "Liberation Sans"
_FONT_FILES = {
    False: "LiberationSans-Regular.ttf",
    True: "LiberationSans-Bold.ttf",
}
_FONT_DIRS = (Path("/usr/share/fonts/truetype/liberation"), Path("/usr/share/fonts/truetype/liberation2"))

UM_PER_MM = 1000
UM_PER_INCH = 25400


def mm(value: float) -> int:
    return round(value * UM_PER_MM)


def pt(value: float) -> int:
    return round(value * UM_PER_INCH / 72)


def font_path(bold: bool = False) -> Path:
    """The TrueType file of Liberation Sans (installed by scripts/setup.sh)."""
    name = _FONT_FILES[bold]
    for folder in _FONT_DIRS:
        if (folder / name).is_file():
            return folder / name
    if shutil.which("fc-match"):
        style = "Bold" if bold else "Regular"
        found = subprocess.run(["fc-match", "-f", "%{file}", f"{FONT_FAMILY}:style={style}"],
                               capture_output=True, text=True, check=False).stdout.strip()
        if found.endswith(name):
            return Path(found)
    raise SopdocError(f"font {FONT_FAMILY} tidak ditemukan; jalankan 'make setup' (paket fonts-liberation)")


@functools.lru_cache(maxsize=2)
def _advances(bold: bool) -> tuple[dict[int, int], int, int]:
    with TTFont(font_path(bold)) as font:
        cmap = font.getBestCmap()
        metrics = font["hmtx"].metrics
        widths = {code: metrics[glyph][0] for code, glyph in cmap.items()}
        fallback = metrics[cmap.get(ord("n"), ".notdef")][0]
        return widths, font["head"].unitsPerEm, fallback


@dataclass(frozen=True)
class TextStyle:
    size_pt: float
    bold: bool = False
    line_height: float = 1.2  # multiple of the font size, the same in CSS and in Word

    @property
    def line_um(self) -> int:
        return pt(self.size_pt * self.line_height)

    def _to_um(self, font_units: int) -> int:
        _, units, _ = _advances(self.bold)
        return round(font_units * self.size_pt * UM_PER_INCH / (72 * units))

    def _advance(self, char: str) -> int:
        widths, _, fallback = _advances(self.bold)
        return widths.get(ord(char), fallback)

    def width(self, text: str) -> int:
        return self._to_um(sum(self._advance(char) for char in text))

    def wrap(self, text: str, width: int) -> list[str]:
        """Greedy line breaking at spaces (words longer than a line are cut), as browsers do.
        Each character is measured once: the time is linear in the text's length."""
        lines: list[str] = []
        space = self._advance(" ")
        for paragraph in text.split("\n"):
            current, current_units = "", 0
            for word in paragraph.split():
                word_units = sum(self._advance(char) for char in word)
                candidate_units = current_units + space + word_units if current else word_units
                if self._to_um(candidate_units) <= width:
                    current = f"{current} {word}" if current else word
                    current_units = candidate_units
                    continue
                if current:
                    lines.append(current)
                pieces = self._cut(word, word_units, width)
                lines.extend(pieces[:-1])
                current = pieces[-1]
                current_units = sum(self._advance(char) for char in current)
            lines.append(current)
        return lines

    def _cut(self, word: str, word_units: int, width: int) -> list[str]:
        """A word too long for a line cut into pieces that fit (at least one character each);
        the last piece is where the next word may follow."""
        pieces, start = [], 0
        while self._to_um(word_units) > width and len(word) - start > 1:
            end, taken = start, 0
            while end < len(word) and self._to_um(taken + self._advance(word[end])) <= width:
                taken += self._advance(word[end])
                end += 1
            end = max(end, start + 1)
            if end == start + 1:
                taken = self._advance(word[start])
            pieces.append(word[start:end])
            word_units -= taken
            start = end
        pieces.append(word[start:])
        return pieces

    def height(self, text: str, width: int) -> int:
        return len(self.wrap(text, width)) * self.line_um
