"""The flowchart table's column widths, from what the SOP puts in them.

The actor columns get what their symbols need (with room beside them for the arrows' side tracks
and the branch labels); the text columns share the rest of the page width by the amount of text
each holds across the SOP, each within a sensible minimum and maximum, so a long Keterangan gets
a wide column instead of a row taller than the page. The table always fills the page width.
"""

from __future__ import annotations

import math

from sopdoc.layout.geometry import Column
from sopdoc.layout.textmetrics import TextStyle, mm
from sopdoc.model import Sop
from sopdoc.waktu import AT_MOST, TIMES_SIGNS, format_amount

NO_WIDTH = mm(9)
ACTOR_MIN, ACTOR_PREFERRED, ACTOR_MAX = mm(21), mm(30), mm(42)
ACTOR_FLOOR = mm(14)  # many actors on small paper: symbols shrink rather than text columns vanish
# key, title, minimum, maximum width
TEXT_COLUMNS = (
    ("uraian", "Uraian Kegiatan", mm(38), mm(120)),
    ("kelengkapan", "Kelengkapan", mm(20), mm(70)),
    ("waktu", "Waktu", mm(15), mm(32)),
    ("output", "Output", mm(20), mm(60)),
    ("keterangan", "Keterangan", mm(16), mm(95)),
)
QUALITY_KEYS = ("kelengkapan", "waktu", "output")
TEXT_FLOOR = mm(10)


def column_widths(sop: Sop, table_width: int, body: TextStyle, heading: TextStyle,
                  padding: int) -> tuple[Column, ...]:
    """Columns left to right: No, Uraian, one per actor, Kelengkapan, Waktu, Output, Keterangan."""
    actors = len(sop.pelaksana)
    demand = _text_demand(sop, body)
    maximum = {key: high for key, _, _, high in TEXT_COLUMNS}
    # wide enough for the longest word a column holds (up to its maximum), so none is cut
    minimum = {key: min(max(low, _longest_word(sop, key, body) + padding), maximum[key])
               for key, _, low, _ in TEXT_COLUMNS}
    minimum["waktu"] = max(minimum["waktu"], _longest_waktu_part(sop, heading) + padding)
    for key in maximum:
        maximum[key] = max(maximum[key], minimum[key])

    actor = ACTOR_PREFERRED
    room = table_width - NO_WIDTH - actors * actor
    if room < sum(minimum.values()):  # many actors: actor columns give way first, then text
        actor = max(ACTOR_FLOOR, (table_width - NO_WIDTH - sum(minimum.values())) // actors)
        room = table_width - NO_WIDTH - actors * actor
        if room < sum(minimum.values()):
            scale = max(room, 0) / sum(minimum.values())
            minimum = {key: max(TEXT_FLOOR, int(value * scale)) for key, value in minimum.items()}
    text = _share(room, demand, minimum, maximum)
    leftover = room - sum(text.values())
    if leftover > 0:  # every text column is as wide as it may be: the actors take the rest
        actor += max(0, min(leftover // actors, ACTOR_MAX - actor))
    text["uraian"] += table_width - NO_WIDTH - actors * actor - sum(text.values())
    _give_uraian_its_floor(text)
    widths = [("no", "No", NO_WIDTH), ("uraian", "Uraian Kegiatan", text["uraian"])]
    widths += [(f"actor:{a.key}", a.title, actor) for a in sop.pelaksana]
    widths += [(key, title, text[key]) for key, title, _, _ in TEXT_COLUMNS[1:]]
    # integer rounding: the last text column takes what is left, so the table is exactly full
    total = sum(width for _, _, width in widths)
    key, title, width = widths[-1]
    widths[-1] = (key, title, width + table_width - total)
    columns, x = [], 0
    for key, title, width in widths:
        columns.append(Column(key, title, x, width))
        x += width
    return tuple(columns)


def _give_uraian_its_floor(text: dict[str, int]) -> None:
    """The floors rounded up can leave Uraian below its own (as many lanes as the paper holds,
    MAX_ACTORS): the widest other text columns give it back."""
    while text["uraian"] < TEXT_FLOOR:
        widest = max((key for key in text if key != "uraian"), key=lambda key: text[key])
        given = min(TEXT_FLOOR - text["uraian"], text[widest] - TEXT_FLOOR)
        if given <= 0:
            raise ValueError("more actor columns than the page holds (the loader refuses them: SOP121)")
        text[widest] -= given
        text["uraian"] += given


def _text_demand(sop: Sop, style: TextStyle) -> dict[str, float]:
    """How much text each column holds across the SOP (its titles included), in µm of one line."""
    demand = {key: float(style.width(title)) for key, title, _, _ in TEXT_COLUMNS}
    for step in sop.langkah:
        demand["uraian"] += style.width(step.uraian)
        demand["kelengkapan"] += sum(style.width(item) + mm(2) for item in step.kelengkapan)
        if step.waktu:
            demand["waktu"] += style.width(step.waktu.as_written())
        if step.output:
            demand["output"] += style.width(step.output)
        if step.keterangan:
            demand["keterangan"] += style.width(step.keterangan)
    return demand


def _longest_word(sop: Sop, key: str, style: TextStyle) -> int:
    texts = []
    for step in sop.langkah:
        if key == "kelengkapan":
            texts += [f"- {item}" for item in step.kelengkapan]
        else:
            value = step.waktu.as_written() if key == "waktu" and step.waktu else getattr(step, key, None)
            texts += [value] if isinstance(value, str) else []
    return max((style.width(word) for text in texts for word in text.split()), default=0)


def _share(room: int, demand: dict[str, float], minimum: dict[str, int], maximum: dict[str, int]) -> dict[str, int]:
    """Split `room` by the square root of each column's demand (which minimises the total number
    of lines), filling the columns that hit a bound and sharing the rest again."""
    weight = {key: math.sqrt(value) for key, value in demand.items()}
    fixed: dict[str, int] = {}
    while True:
        free = [key for key in weight if key not in fixed]
        if not free:
            return fixed
        left = room - sum(fixed.values())
        total = sum(weight[key] for key in free) or 1.0
        share = {key: int(left * weight[key] / total) for key in free}
        low = [key for key in free if share[key] < minimum[key]]
        high = [key for key in free if share[key] > maximum[key]]
        if not low and not high:
            return {**fixed, **share}
        for key in low:
            fixed[key] = minimum[key]
        if not low:
            for key in high:
                fixed[key] = maximum[key]


def _longest_waktu_part(sop: Sop, style: TextStyle) -> int:
    """The widest "<amount> <unit>" of the total and of any step: the Waktu column never breaks one."""
    parts = [f"{format_amount(amount)} {unit}" for amount, unit in sop.total_waktu.parts()]
    if sop.total_waktu.at_most:
        parts.append(AT_MOST)  # 'paling lama' stays on one line
    for step in sop.langkah:
        if step.waktu:
            parts += waktu_parts(step.waktu.as_written())
    return max((style.width(part) for part in parts), default=0)


def waktu_parts(text: str) -> list[str]:
    """'1 hari kerja 2 jam' -> ['1 hari kerja', '2 jam']: a number stays with its unit, and a
    product with its count ('2 x 24 jam'); a range may break after its separator ('1 s.d.', '3 hari')."""
    parts: list[str] = []
    for word in text.split():
        after_times = bool(parts) and parts[-1].rsplit(" ", 1)[-1] in TIMES_SIGNS
        if (word[:1].isdigit() and not after_times) or not parts:
            parts.append(word)
        else:
            parts[-1] += " " + word
    return parts
