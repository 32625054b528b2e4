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

    def width(self, text: str) -> int:
        widths, units, fallback = _advances(self.bold)
        total = sum(widths.get(ord(char), fallback) for char in text)
        return round(total * self.size_pt * UM_PER_INCH / (72 * units))

    def wrap(self, text: str, width: int) -> list[str]:
        """Greedy line breaking at spaces (words longer than a line are cut), as browsers do."""
        lines: list[str] = []
        for paragraph in text.split("\n"):
            current = ""
            for word in paragraph.split():
                candidate = f"{current} {word}" if current else word
                if self.width(candidate) <= width:
                    current = candidate
                    continue
                if current:
                    lines.append(current)
                current = ""
                while self.width(word) > width and len(word) > 1:
                    cut = len(word) - 1
                    while cut > 1 and self.width(word[:cut]) > width:
                        cut -= 1
                    lines.append(word[:cut])
                    word = word[cut:]
                current = word
            lines.append(current)
        return lines

    def height(self, text: str, width: int) -> int:
        return len(self.wrap(text, width)) * self.line_um
