"""What changed, as a reviewer reads it, in Bahasa Indonesia: the lines every format shows
(`sections`, also read by the PDF change sheet), as terminal text and as Markdown. No I/O."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from sopdoc.revisions.compare import ItemsChange, Mark, Segment, SopChanges, StepChange, ValueChange, WordsChange

NO_CHANGE = "tidak ada perubahan"
EMPTY = "(kosong)"  # a value left out, on one side of a change


class Kind(enum.Enum):
    HEADING = "heading"  # a changed or moved step, its details below it
    VALUE = "value"  # old -> new
    ADDED = "added"
    REMOVED = "removed"
    WORDS = "words"  # a text edited word by word
    FACT = "fact"  # what an added step is: its actor, time, output
    NOTE = "note"


@dataclass(frozen=True)
class Line:
    kind: Kind
    label: str
    old: str | None = None
    new: str | None = None
    segments: tuple[Segment, ...] = ()
    depth: int = 0  # 1: a detail of the step above


@dataclass(frozen=True)
class Section:
    key: str  # identitas, pelaksana, langkah, waktu: for a format to treat one apart
    title: str
    lines: tuple[Line, ...]


def _change_lines(change, depth: int) -> list[Line]:
    if isinstance(change, ValueChange):
        return [Line(Kind.VALUE, change.label, change.old, change.new, depth=depth)]
    if isinstance(change, WordsChange):
        return [Line(Kind.WORDS, change.label, segments=change.segments, depth=depth)]
    assert isinstance(change, ItemsChange)
    lines = [Line(Kind.REMOVED, f"{change.label} dihapus", old=item, depth=depth) for item in change.removed]
    lines += [Line(Kind.ADDED, f"{change.label} ditambahkan", new=item, depth=depth) for item in change.added]
    if change.reordered:
        lines.append(Line(Kind.NOTE, f"Urutan {change.label} diubah", depth=depth))
    return lines


def _step_lines(step: StepChange, arrow: str) -> list[Line]:
    if step.added:
        return [Line(Kind.ADDED, f"Langkah {step.new_number} ditambahkan", new=step.uraian),
                *(Line(Kind.FACT, fact.label, new=fact.new, depth=1) for fact in step.facts)]
    if step.removed:
        return [Line(Kind.REMOVED, f"Langkah {step.old_number} dihapus", old=step.uraian)]
    if step.moved:
        heading = f"Langkah {step.old_number} {arrow} {step.new_number} dipindah"
    elif step.old_number != step.new_number:
        heading = f"Langkah {step.new_number} (sebelumnya langkah {step.old_number})"
    else:
        heading = f"Langkah {step.new_number}"
    # The step's text names it, unless the word-level change of that text follows anyway
    edited = any(isinstance(change, WordsChange) and change.label == "Uraian" for change in step.changes)
    lines = [Line(Kind.HEADING, heading, new=None if edited else step.uraian)]
    for change in step.changes:
        lines += _change_lines(change, depth=1)
    return lines


def sections(changes: SopChanges, arrow: str = "->") -> tuple[Section, ...]:
    """The changes grouped as the SOP is read: identity, lanes, steps, time. Empty when equal."""
    found = []
    identity = [line for change in changes.identity for line in _change_lines(change, 0)]
    if identity:
        found.append(Section("identitas", "Identitas", tuple(identity)))
    lanes = changes.lanes
    lane_lines = [Line(Kind.ADDED, "Pelaksana ditambahkan", new=title) for title in lanes.added]
    lane_lines += [Line(Kind.REMOVED, "Pelaksana dihapus", old=title) for title in lanes.removed]
    lane_lines += [line for change in (*lanes.renamed, *filter(None, [lanes.order]))
                   for line in _change_lines(change, 0)]
    if lane_lines:
        found.append(Section("pelaksana", "Pelaksana", tuple(lane_lines)))
    step_lines = [line for step in changes.steps for line in _step_lines(step, arrow)]
    if step_lines:
        found.append(Section("langkah", "Langkah", tuple(step_lines)))
    if changes.total_waktu:
        found.append(Section("waktu", "Waktu", tuple(_change_lines(changes.total_waktu, 0))))
    return tuple(found)


def summary(changes: SopChanges, arrow: str = "->") -> str:
    """One line: how many steps were added, removed, moved, changed, and what else changed."""
    if changes.empty:
        return NO_CHANGE
    steps, lanes = changes.steps, changes.lanes
    counts = [(sum(step.added for step in steps), "langkah ditambahkan"),
              (sum(step.removed for step in steps), "langkah dihapus"),
              (sum(step.moved for step in steps), "langkah dipindah"),
              (sum(bool(step.changes) for step in steps), "langkah diubah"),
              (len(changes.identity), "perubahan identitas"),
              (len(lanes.added) + len(lanes.removed) + len(lanes.renamed) + bool(lanes.order), "perubahan pelaksana")]
    parts = [f"{count} {what}" for count, what in counts if count]
    if changes.total_waktu:
        parts.append(f"total waktu {changes.old_total} {arrow} {changes.new_total}")
    return ", ".join(parts)


# ---------------------------------------------------------------- terminal text and Markdown

Style = Callable[[str, str], str]  # (role, text) -> text; roles: title, section, heading, added, removed


def plain(role: str, text: str) -> str:
    return text


def _same(text: str) -> str:
    return text


def words_text(segments: tuple[Segment, ...], style: Style = plain, escape: Callable[[str], str] = _same) -> str:
    """[-old-]{+new+} in the running text, as `git diff --word-diff` writes it."""
    parts = []
    for segment in segments:
        text = escape(segment.text)
        if segment.mark is Mark.REMOVED:
            parts.append(style("removed", f"[-{text}-]"))
        elif segment.mark is Mark.ADDED:
            parts.append(style("added", f"{{+{text}+}}"))
        else:
            parts.append(text)
    # a replacement reads as one unit, [-old-]{+new+}; everything else is separated by a space
    text = parts[0] if parts else ""
    for before, segment, part in zip(segments, segments[1:], parts[1:]):
        joined = before.mark is Mark.REMOVED and segment.mark is Mark.ADDED
        text += part if joined else f" {part}"
    return text


def _line_parts(line: Line, style: Style, arrow: str, escape: Callable[[str], str]) -> tuple[str, str | None]:
    """(label, what follows its colon, or None)."""
    label = escape(line.label)
    if line.kind is Kind.VALUE:
        old, new = escape(line.old or EMPTY), escape(line.new or EMPTY)
        return label, f"{style('removed', old)} {arrow} {style('added', new)}"
    if line.kind is Kind.WORDS:
        return label, words_text(line.segments, style, escape)
    text = line.new if line.kind is not Kind.REMOVED else line.old
    return label, escape(text) if text else None


_LINE_ROLE = {Kind.ADDED: "added", Kind.REMOVED: "removed", Kind.HEADING: "heading"}


def _title(changes: SopChanges) -> str:
    return f"Perubahan SOP {changes.nomor} {changes.nama} ({changes.office})"


def format_text(changes: SopChanges, style: Style = plain) -> str:
    out = [style("title", _title(changes)), f"  lama: {changes.old_label}", f"  baru: {changes.new_label}", ""]
    if changes.empty:
        out.append(NO_CHANGE)
        return "\n".join(out) + "\n"
    for section in sections(changes):
        out.append(style("section", section.title))
        for line in section.lines:
            role = _LINE_ROLE.get(line.kind)
            label, rest = _line_parts(line, plain if role else style, "->", _same)
            text = f"{label}: {rest}" if rest else f"{label}:" if line.kind is Kind.HEADING else label
            out.append("  " * (line.depth + 1) + (style(role, text) if role else text))
    out += ["", summary(changes)]
    return "\n".join(out) + "\n"


_MARKDOWN_SPECIAL = set("\\`*_[]<>|~#")


def markdown_escape(text: str) -> str:
    """Source text as literal Markdown: on one line, every character that could mark up escaped."""
    text = " ".join(text.split()).replace("&", "&amp;")
    return "".join(f"\\{char}" if char in _MARKDOWN_SPECIAL else char for char in text)


def _code(text: str) -> str:
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def format_markdown(changes: SopChanges) -> str:
    """For a merge request or an e-mail: a title, one list per section, the summary."""
    out = [f"### Perubahan SOP {markdown_escape(changes.nomor)} — {markdown_escape(changes.nama)}", "",
           f"{markdown_escape(changes.office)} · lama: {_code(changes.old_label)} · baru: {_code(changes.new_label)}",
           ""]
    if changes.empty:
        out.append(f"_{NO_CHANGE}_")
        return "\n".join(out) + "\n"
    for section in sections(changes, arrow="→"):
        out += [f"#### {section.title}", ""]
        for line in section.lines:
            label, rest = _line_parts(line, plain, "→", markdown_escape)
            label = f"**{label}**" if line.depth == 0 else label
            out.append("  " * line.depth + "- " + (f"{label}: {rest}" if rest else label))
        out.append("")
    out.append(f"_{markdown_escape(summary(changes, arrow='→'))}_")
    return "\n".join(out) + "\n"
