"""YAML as plain, located data.

Sources are read with PyYAML's event parser and composed here into small node objects that
remember their line and column. Anchors, aliases and tags are refused before anything is
built, so a file can neither expand without bound nor name a Python constructor. Every
problem becomes a diagnostic; nothing here raises for any input.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from sopdoc.diagnostics import Diagnostics, Location

MAX_SOURCE_BYTES = 1024 * 1024
# libyaml's parser when PyYAML was built with it (the PyPI wheels are): ~10x faster events
_EVENT_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DEPTH = 64

_resolver = Resolver()
_constructor = SafeConstructor()


@dataclass
class Node:
    line: int
    col: int


@dataclass
class Scalar(Node):
    value: Any  # str, int, float, bool, None or datetime.date, as YAML 1.1 resolves it
    text: str  # the scalar exactly as written (without quotes)
    quoted: bool = False


@dataclass
class Mapping(Node):
    # key -> (location of the key, value node); first occurrence wins on duplicates
    items: dict[str, tuple[Scalar, Node]] = field(default_factory=dict)


@dataclass
class Sequence(Node):
    items: list[Node] = field(default_factory=list)


def kind_name(node: Node) -> str:
    """What a node is, in the clerk's words."""
    if isinstance(node, Mapping):
        return "pemetaan (kunci: nilai)"
    if isinstance(node, Sequence):
        return "daftar"
    if isinstance(node, Scalar) and node.value is None:
        return "kosong"
    return "teks"


def _scalar_value(event: yaml.ScalarEvent) -> Any:
    tag = _resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
    if tag == "tag:yaml.org,2002:str":
        return event.value
    node = yaml.ScalarNode(tag, event.value)
    try:
        value = _constructor.construct_object(node)
    except (ValueError, TypeError, OverflowError, yaml.YAMLError):
        # e.g. 2024-13-45 looks like a timestamp but is none; keep the text for the checker
        return event.value
    if isinstance(value, _dt.datetime):
        return event.value  # date-times are not part of the format; let the checker say so
    return value


def read_source(path: Path, diagnostics: Diagnostics) -> str | None:
    """The file's text, or None after reporting why it cannot be a source."""
    where = Location(path, 1, 1)
    try:
        size = path.stat().st_size
        if size > MAX_SOURCE_BYTES:
            diagnostics.error(
                "SOP101", where,
                f"berkas terlalu besar ({size:,} bita; batas 1 MiB)".replace(",", "."),
                "satu berkas SOP berisi satu prosedur; pecah berkas yang terlalu besar",
            )
            return None
        with path.open("rb") as handle:
            raw = handle.read(MAX_SOURCE_BYTES + 1)
    except OSError as exc:
        diagnostics.error("SOP101", where, f"berkas tidak dapat dibaca: {exc.strerror or exc}")
        return None
    if len(raw) > MAX_SOURCE_BYTES:  # grew while we looked
        diagnostics.error("SOP101", where, "berkas terlalu besar (batas 1 MiB)")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        diagnostics.error(
            "SOP102", Location(path, line, col),
            "berkas bukan teks UTF-8",
            "simpan berkas sebagai teks UTF-8 (di editor: Save As > Encoding UTF-8)",
        )
        return None
    return text.removeprefix("\ufeff")


def parse_yaml(text: str, path: Path, diagnostics: Diagnostics) -> Node | None:
    """Compose one YAML document into located nodes, or report why not."""
    try:
        events, refusals = _read_events(text, path)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or "sintaks tidak valid"
        diagnostics.error(
            "SOP103", Location(path, line, col),
            f"sintaks YAML tidak valid: {problem}",
            "periksa indentasi (spasi, bukan tab) dan tanda ':' setelah setiap kunci",
        )
        return None
    except yaml.reader.ReaderError as exc:  # a character YAML forbids, e.g. NUL
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        diagnostics.error(
            "SOP103", Location(path, line, col),
            f"karakter {exc.character!r} tidak boleh ada di berkas YAML",
            "hapus karakter kendali yang tidak terlihat (sering terbawa dari salin-tempel)",
        )
        return None
    except yaml.YAMLError as exc:  # anything else without a mark
        diagnostics.error("SOP103", Location(path), f"sintaks YAML tidak valid: {exc}")
        return None
    except _TooDeep as exc:
        diagnostics.error("SOP108", exc.location, f"struktur terlalu dalam (lebih dari {MAX_DEPTH} tingkat)")
        return None
    if refusals.error_count:
        diagnostics.extend(refusals)
        return None
    documents = [e for e in events if isinstance(e, yaml.DocumentStartEvent)]
    if len(documents) > 1:
        mark = documents[1].start_mark
        diagnostics.error(
            "SOP103", Location(path, mark.line + 1, mark.column + 1),
            "berkas berisi lebih dari satu dokumen YAML ('---')",
        )
        return None
    return _compose(events, path, diagnostics)


class _TooDeep(Exception):
    def __init__(self, location: Location) -> None:
        self.location = location


def _read_events(text: str, path: Path) -> tuple[list, Diagnostics]:
    """The document's events and the refusals (anchors, aliases, tags) among them. Read one
    event at a time and stopped past MAX_DEPTH, so deep nesting costs only what was read."""
    events, refusals, depth = [], Diagnostics(), 0
    for event in yaml.parse(text, Loader=_EVENT_LOADER):
        mark = event.start_mark
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise _TooDeep(Location(path, mark.line + 1, mark.column + 1))
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        where = Location(path, mark.line + 1, mark.column + 1)
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            refusals.error("SOP104", where, "anchor/alias YAML ('&' dan '*') tidak diizinkan",
                           "tulis nilainya secara lengkap; sumber SOP adalah data biasa")
        elif getattr(event, "tag", None) is not None:
            refusals.error("SOP105", where, f"tag YAML '{event.tag.replace('tag:yaml.org,2002:', '!!')}' tidak diizinkan",
                           "hapus tag yang diawali '!'; sumber SOP adalah data biasa")
        events.append(event)
    return events, refusals


def _compose(events: list, path: Path, diagnostics: Diagnostics) -> Node | None:
    """Build nodes with an explicit stack, so nesting depth cannot exhaust recursion."""
    root: list[Node] = []
    stack: list[tuple[Node, list]] = []  # (container, pending key for mappings)

    def attach(node: Node) -> bool:
        if not stack:
            root.append(node)
            return True
        container, pending = stack[-1]
        if isinstance(container, Sequence):
            container.items.append(node)
            return True
        if not pending:  # this node is a key
            if not isinstance(node, Scalar):
                diagnostics.error(
                    "SOP108", Location(path, node.line, node.col),
                    "kunci harus berupa teks sederhana",
                )
                pending.append(None)
            else:
                pending.append(node)
            return True
        key = pending.pop()
        if key is None:
            return True
        name = key.text
        if name in container.items:
            first = container.items[name][0]
            diagnostics.error(
                "SOP106", Location(path, key.line, key.col),
                f"kunci '{name}' ditulis dua kali (pertama di baris {first.line})",
                "hapus salah satu; hanya satu nilai yang dapat berlaku",
            )
        else:
            container.items[name] = (key, node)
        return True

    for event in events:
        line, col = event.start_mark.line + 1, event.start_mark.column + 1
        if isinstance(event, yaml.ScalarEvent):
            quoted = event.style in ("'", '"')
            attach(Scalar(line, col, _scalar_value(event), event.value, quoted))
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            node: Node
            if isinstance(event, yaml.MappingStartEvent):
                node = Mapping(line, col)
            else:
                node = Sequence(line, col)
            stack.append((node, []))
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            node, _ = stack.pop()
            attach(node)
    return root[0] if root else None


def load_yaml(path: Path, diagnostics: Diagnostics) -> Node | None:
    text = read_source(path, diagnostics)
    if text is None:
        return None
    return parse_yaml(text, path, diagnostics)
