"""YAML as plain, located data.

Sources are read with PyYAML's event parser and composed here into small node objects that
remember their line and column. Anchors, aliases and tags are refused before anything is
built, so a file can neither expand without bound nor name a Python constructor. Every
problem becomes a diagnostic; nothing here raises for any input.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import re
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
    raw = read_source_bytes(path, diagnostics)
    return None if raw is None else decode_source(raw, path, diagnostics)


def read_source_bytes(path: Path, diagnostics: Diagnostics) -> bytes | None:
    """The file's bytes, or None after reporting why they cannot be read (or are too many)."""
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
    return raw


def decode_source(raw: bytes, path: Path, diagnostics: Diagnostics) -> str | None:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        diagnostics.error("SOP102", *_not_utf8(raw, exc.start, path))
        return None
    return text.removeprefix("\ufeff")


def _not_utf8(raw: bytes, start: int, path: Path) -> tuple[Location, str, str]:
    """Where a file stops being UTF-8 (the column in characters, as every other diagnostic counts
    it), and what it probably is instead."""
    save = "simpan berkas sebagai teks UTF-8 (di editor: Save As > Encoding UTF-8)"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Location(path), "berkas bukan teks UTF-8", f"berkas ini tersimpan sebagai UTF-16 ('Unicode'); {save}"
    line_start = raw.rfind(b"\n", 0, start) + 1
    line, col = raw.count(b"\n", 0, start) + 1, len(raw[line_start:start].decode("utf-8")) + 1
    guess = raw[start:start + 1].decode("cp1252", errors="ignore")
    if guess.isprintable() and guess.strip():
        save += f"; bita 0x{raw[start]:02X} di sini mungkin '{guess}' yang tersimpan sebagai ANSI/Windows-1252"
    return Location(path, line, col), "berkas bukan teks UTF-8", save


def parse_yaml(text: str, path: Path, diagnostics: Diagnostics) -> Node | None:
    """Compose one YAML document into located nodes, or report why not."""
    events: list = []
    try:
        refusals = _read_events(text, path, events)
    except yaml.MarkedYAMLError as exc:
        line, col, message, hint = explain_syntax_error(exc, text, events)
        diagnostics.error("SOP103", Location(path, line, col), message, hint)
        return None
    except yaml.reader.ReaderError:  # a character YAML forbids, e.g. NUL
        found = _FORBIDDEN.search(text)
        line, col = _SourceText(text).position(found.start()) if found else (1, 1)
        diagnostics.error(
            "SOP103", Location(path, line, col),
            f"karakter U+{ord(found.group()):04X} tidak boleh ada di berkas YAML" if found
            else "berkas berisi karakter yang tidak boleh ada di berkas YAML",
            "hapus karakter kendali yang tidak terlihat (sering terbawa dari salin-tempel)",
        )
        return None
    except yaml.YAMLError:  # anything else without a mark
        diagnostics.error("SOP103", Location(path), "berkas tidak dapat dibaca sebagai YAML",
                          "periksa indentasi (spasi, bukan tab) dan tanda ':' setelah setiap kunci")
        return None
    except _TooDeep as exc:
        diagnostics.error("SOP108", exc.location, f"struktur terlalu dalam (lebih dari {MAX_DEPTH} tingkat)")
        return None
    _warn_comments_after_text(events, text, path, diagnostics)
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


def _read_events(text: str, path: Path, events: list) -> Diagnostics:
    """The refusals (anchors, aliases, tags) among the document's events, which are appended to
    `events` (so that after a syntax error they tell what was read before it). Read one event at
    a time and stopped past MAX_DEPTH, so deep nesting costs only what was read."""
    refusals, depth = Diagnostics(), 0
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
                           "tulis nilainya secara lengkap; bila '&' atau '*' bagian dari teks, apit teks "
                           "dengan tanda kutip")
        elif getattr(event, "tag", None) is not None:
            refusals.error("SOP105", where, f"tag YAML '{event.tag.replace('tag:yaml.org,2002:', '!!')}' tidak diizinkan",
                           "hapus tag yang diawali '!'; bila '!' bagian dari teks, apit teks dengan tanda kutip")
        events.append(event)
    return refusals


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


# ---------------------------------------------------------------- syntax errors in the clerk's words

# What YAML counts as a line break (its marks count lines by these), and the characters it forbids.
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_FORBIDDEN = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")
_QUOTING_HINT = "apit teks dengan tanda kutip bila berisi ': ' atau ' #'"


class _SourceText:
    """A source's lines as YAML numbers them, to read around a mark."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [match.end() for match in _BREAK.finditer(text)]

    def line(self, number: int) -> str:
        """Line `number` (0-based, as in a mark), without its break; "" past the end."""
        if not 0 <= number < len(self.starts):
            return ""
        start = self.starts[number]
        end = _BREAK.search(self.text, start)
        return self.text[start:end.start() if end else len(self.text)]

    def position(self, index: int) -> tuple[int, int]:
        """(line, column), 1-based, of the character at `index`."""
        number = bisect.bisect_right(self.starts, index) - 1
        return number + 1, index - self.starts[number] + 1

    def char(self, mark) -> str:
        return self.text[mark.index] if mark is not None and 0 <= mark.index < len(self.text) else ""

    def end_of_content(self) -> tuple[int, int]:
        """(line, column), 1-based, just after the last character that is not a space or break."""
        stripped = self.text.rstrip()
        if not stripped:
            return 1, 1
        line, col = self.position(len(stripped) - 1)
        return line, col + 1

    def is_content(self, number: int) -> bool:
        text = self.line(number).strip()
        return bool(text) and not text.startswith("#")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _key_col(line: str) -> int:
    """Where a line's key or text starts (0-based): after its indentation and any '- ' markers."""
    at = _indent(line)
    while line.startswith("-", at) and (at + 1 == len(line) or line[at + 1] in " \t"):
        at += 1
        while at < len(line) and line[at] == " ":
            at += 1
    return at


def _quote(value: str) -> str:
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    return "'" + value.replace("'", "''") + "'"


def _with_quoted_value(line: str) -> str | None:
    """The line as it should be written, its value in quotes: `  - uraian: Perhatian: jika` ->
    `- uraian: "Perhatian: jika"`. A deliberate comment (two spaces, then '#') is left out."""
    start = _key_col(line)
    markers = line[:start].strip()
    body = line[start:].split("  #")[0].strip()
    key, separator, value = body.partition(": ")
    if not separator:
        key, value = "", body
    value = value.strip()
    if not value or (value.startswith(("[", "{")) and value.endswith(("]", "}"))):  # a list: not one text
        return None
    written = f"{key}: {_quote(value)}" if key else _quote(value)
    return f"{markers} {written}" if markers else written


def _levels_above(source: _SourceText, number: int, dash: bool) -> dict[int, int]:
    """The columns (0-based) where the lines enclosing line `number` start their key (or, with
    `dash`, their '-'): the only columns that line can be aligned with. Maps column -> line."""
    levels: dict[int, int] = {}
    lowest = None
    for above in range(number - 1, -1, -1):
        if not source.is_content(above):
            continue
        line = source.line(above)
        first = _indent(line)
        if lowest is not None and first >= lowest:
            continue
        lowest = first
        if not dash:
            levels.setdefault(_key_col(line), above)
        elif line.startswith("-", first) and (first + 1 == len(line) or line[first + 1] in " \t"):
            levels.setdefault(first, above)
        if first == 0:
            break
    return levels


def _nearest(levels, col: int) -> list[int]:
    """The level just left and the level just right of `col`."""
    left = [level for level in levels if level < col]
    right = [level for level in levels if level > col]
    return ([max(left)] if left else []) + ([min(right)] if right else [])


def _last_node(events: list) -> tuple[str, Any, Any]:
    """(role, event, key event) of the last node read: role 'key', 'value' (its key event is
    given), 'item' or 'root'."""
    stack: list[list] = []  # [is a mapping, nodes read in it, its last key]
    role, last, key = "root", None, None
    for event in events:
        if isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            role, last, key = "root", event, None
            if stack:
                top = stack[-1]
                if not top[0]:
                    role = "item"
                elif top[1] % 2 == 0:
                    role, top[2] = "key", event
                else:
                    role, key = "value", top[2]
                top[1] += 1
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                stack.append([isinstance(event, yaml.MappingStartEvent), 0, None])
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)) and stack:
            stack.pop()
    return role, last, key


def _closer_on_line(line: str, start: int) -> int:
    """Where the bracket opened at line[start] closes on the same line, or -1."""
    depth, quote, at = 0, None, start
    while at < len(line):
        char = line[at]
        if quote:
            if char == "\\" and quote == '"':
                at += 1
            elif char == quote:
                if quote == "'" and line.startswith("'", at + 1):
                    at += 1
                else:
                    quote = None
        elif char in "\"'" and (at == 0 or line[at - 1] in "[{, :"):
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return at
        elif char == "#" and at > 0 and line[at - 1] in " \t":
            break
        at += 1
    return -1


def explain_syntax_error(exc: yaml.MarkedYAMLError, text: str, events: list) -> tuple[int, int, str, str]:
    """(line, column, message, hint) of a YAML syntax error: what a clerk who writes these files
    in Word's way needs, at the place the mistake is (which is not always where YAML noticed it).
    `events` are those read before the error."""
    source = _SourceText(text)
    problem, context = exc.problem or "", exc.context or ""
    at, opened = exc.problem_mark or exc.context_mark, exc.context_mark
    if at is None:
        return 1, 1, "sintaks YAML tidak valid", _GENERIC_HINT
    char = source.char(at)
    line = source.line(at.line)
    here = (at.line + 1, at.column + 1)
    line_start = not line[:at.column].strip()

    if char == "\t" or "tab" in problem:
        col = at.column if char == "\t" else max(line.find("\t"), 0) if "\t" in line else at.column
        return at.line + 1, col + 1, "karakter tab tidak boleh dipakai di sini", \
            "gunakan spasi, bukan tab, untuk menjorokkan baris (atur editor agar tombol Tab menulis spasi)"

    if "quoted scalar" in context and opened is not None:
        quote = source.char(opened)
        if "end of stream" in problem or "document" in problem:
            return _unclosed_quote(source, opened, quote, None)
        if "escape" in problem or "hex" in problem:
            slash = source.text.rfind("\\", 0, at.index + 1)
            line_no, col = source.position(slash) if slash >= 0 else here
            code = source.text[slash:slash + 2] if slash >= 0 else "\\"
            return line_no, col, f"'{code}' di dalam tanda kutip ganda bukan kode yang dikenal", \
                ("di dalam tanda kutip ganda, '\\' memulai kode khusus; pakai tanda kutip tunggal "
                 "(mis. 'C:\\Data') atau tulis '\\\\' untuk satu '\\'")

    role, last, key = _last_node(events)
    if (isinstance(last, yaml.ScalarEvent) and last.style in ("'", '"')
            and last.start_mark.line < last.end_mark.line == at.line):
        return _unclosed_quote(source, last.start_mark, last.style, last.end_mark.line + 1)

    if ("anchor" in context or "alias" in context or "tag" in context) and opened is not None:
        return _reserved_start(source, opened)
    if isinstance(last, yaml.AliasEvent) and last.start_mark.line == at.line:
        return _reserved_start(source, last.start_mark)  # `*Penting* sekali`: an alias, then text

    if "could not find expected ':'" in problem and opened is not None:
        return _missing_colon(source, opened)

    if "mapping values are not allowed" in problem:
        if (isinstance(last, yaml.ScalarEvent) and last.style in (None, "")
                and last.start_mark.line < last.end_mark.line == at.line):
            if role == "value" and key is not None:
                return _indented_under_value(source, at, key)
            return _missing_colon(source, last.start_mark)
        if ": " in line[_key_col(line):at.column]:
            example = _with_quoted_value(line)
            return *here, "tanda ':' di dalam teks dibaca sebagai pemisah kunci dan nilai", \
                _QUOTING_HINT + (f", mis. {example}" if example else "")
        return _misaligned(source, at.line, _key_col(line))

    if "unexpected ':'" in problem:  # inside [ ] or { }
        return *here, "tanda ':' di dalam teks dibaca sebagai pemisah kunci dan nilai", \
            _QUOTING_HINT + ", mis. [\"Surat: asli\", KTP]"

    if "sequence entries are not allowed" in problem:
        if line_start:
            return *here, "butir daftar ('- ') tidak boleh ada di sini", \
                "butir daftar hanya boleh di bawah kunci tanpa nilai (mis. 'kelengkapan:'), sejajar satu sama lain"
        example = _with_quoted_value(line)
        return *here, "teks tidak boleh diawali '- '", \
            ("apit teks dengan tanda kutip" + (f", mis. {example}" if example else "")
             + "; untuk daftar, tulis tiap butir di baris sendiri di bawah kuncinya")

    if context.startswith("while parsing a flow") and opened is not None:
        bracket = source.char(opened)
        if bracket not in ("[", "{"):
            return *here, "isi di dalam kurung tidak dapat dibaca di sini", \
                "pisahkan butir dengan ', '; apit butir yang berisi ':', ',', '[' atau ']' dengan tanda kutip"
        closer = "]" if bracket == "[" else "}"
        if at.line > opened.line and _closer_on_line(source.line(opened.line), opened.column) < 0:
            what = "daftar" if bracket == "[" else "pemetaan"
            return opened.line + 1, opened.column + 1, \
                f"kurung '{bracket}' dibuka di sini tetapi tidak pernah ditutup", \
                (f"tambahkan '{closer}' di akhir {what}, atau apit teks dengan tanda kutip bila "
                 f"'{bracket}' bagian dari teks")
        return *here, f"isi di dalam '{bracket} {closer}' tidak dapat dibaca di sini", \
            "pisahkan butir dengan ', '; apit butir yang berisi ':', ',', '[' atau ']' dengan tanda kutip"

    if char in ("]", "}"):
        return *here, f"kurung penutup '{char}' tanpa pasangan", \
            f"hapus '{char}' ini, atau apit seluruh teks dengan tanda kutip bila '{char}' bagian dari teks"

    if "expected key" in problem or "'-' indicator" in problem or "expected <block end>" in problem:
        if line_start:
            if char == "-" and line[at.column + 1:at.column + 2] in ("", " "):
                return _misplaced_item(source, at, opened)
            return _misaligned(source, at.line, at.column)
        before = line[:at.column].rstrip()
        if before.endswith(("'", '"')):
            example = _with_quoted_value(line)
            return *here, "ada teks setelah tanda kutip penutup", \
                ("bila tanda kutip bagian dari teks, apit seluruh teks dengan tanda kutip jenis lain"
                 + (f", mis. {example}" if example else ""))
        if before.endswith(("]", "}")):
            example = _with_quoted_value(line)
            return *here, f"ada teks setelah kurung penutup '{before[-1]}'", \
                ("bila kurung bagian dari teks, apit seluruh teks dengan tanda kutip"
                 + (f", mis. {example}" if example else ""))

    if "cannot start any token" in problem or ("node content" in problem and char == ","):
        return _reserved_start(source, at)

    if "block scalar" in context and opened is not None:
        indicator = source.char(opened)
        example = _with_quoted_value(line)
        return opened.line + 1, opened.column + 1, \
            f"'{indicator}' di awal nilai memulai teks blok, yang isinya harus mulai di baris berikutnya", \
            (f"apit teks dengan tanda kutip bila '{indicator}' bagian dari teks"
             + (f", mis. {example}" if example else ""))

    if "<document start>" in problem:
        first = next((number for number in range(at.line + 1) if source.is_content(number)), at.line)
        if _indent(source.line(first)):
            col = _indent(source.line(first))
            return first + 1, col + 1, f"baris pertama berkas menjorok (mulai di kolom {col + 1})", \
                "hapus spasi di awal baris ini: kunci paling luar mulai di kolom 1, sejajar dengan baris di bawahnya"
        if line_start:
            return _misaligned(source, at.line, at.column)

    if "directive" in context and opened is not None:
        return opened.line + 1, opened.column + 1, "baris tidak boleh diawali '%'", \
            "apit teks dengan tanda kutip bila '%' bagian dari teks"

    if at.index >= len(text.rstrip()):
        return *source.end_of_content(), "berkas berakhir sebelum isinya lengkap", _GENERIC_HINT
    return *here, "sintaks YAML tidak dapat dibaca di sini", _GENERIC_HINT


_GENERIC_HINT = ("periksa indentasi (spasi, bukan tab), tanda ':' setelah setiap kunci dan pasangan tanda kutip; "
                 + _QUOTING_HINT)


def _unclosed_quote(source: _SourceText, opened, quote: str, closed_on: int | None) -> tuple:
    line = source.line(opened.line)
    written = line[_key_col(line):].rstrip()
    example = f"{written}{quote}" if written.count(quote) % 2 else None
    message = "tanda kutip dibuka di sini tetapi tidak pernah ditutup"
    if closed_on is not None:
        message = (f"tanda kutip dibuka di sini tetapi tidak ditutup di baris ini, sehingga teks sampai "
                   f"tanda kutip di baris {closed_on} terbaca sebagai satu nilai")
    return opened.line + 1, opened.column + 1, message, \
        f"tambahkan tanda kutip penutup ({quote}) di akhir teks" + (f", mis. {example}" if example else "")


def _reserved_start(source: _SourceText, at) -> tuple:
    """Text that starts with a character YAML reserves (@, `, %, &, *, !, ',')."""
    example = _with_quoted_value(source.line(at.line))
    return at.line + 1, at.column + 1, f"teks tidak boleh diawali '{source.char(at)}'", \
        "apit teks dengan tanda kutip" + (f", mis. {example}" if example else "")


def _missing_colon(source: _SourceText, start) -> tuple:
    """The line at `start` was meant as `key: value` but lacks its ':' (or the space after it)."""
    line = source.line(start.line)
    written = line[start.column:].split("  #")[0].rstrip()
    glued = re.match(r"([^\s:]+):(\S.*)$", written)
    if glued:
        return start.line + 1, start.column + len(glued[1]) + 1, "tidak ada spasi setelah ':'", \
            f"tulis spasi setelah ':', mis. '{glued[1]}: {glued[2]}'"
    name, _, rest = written.partition(" ")
    example = f"{name}: {rest.strip()}" if rest.strip() else f"{name}:"
    return start.line + 1, start.column + 1, "tanda ':' tidak ada setelah nama kunci", \
        f"tambahkan ':' setelah nama kunci, mis. '{example}'"


def _indented_under_value(source: _SourceText, at, key) -> tuple:
    """A key line indented deeper than the key above it, which already has a value: YAML read it
    as the continuation of that value."""
    line = source.line(at.line)
    col = _key_col(line)
    name = source.text[key.start_mark.index:key.end_mark.index]
    return at.line + 1, col + 1, \
        (f"indentasi baris ini tidak sejajar dengan baris di atasnya (mulai di kolom {col + 1}, sedangkan "
         f"'{name}' di baris {key.start_mark.line + 1} mulai di kolom {key.start_mark.column + 1})"), \
        ("sejajarkan dengan baris di atasnya; baris hanya boleh menjorok lebih dalam di bawah kunci "
         "tanpa nilai, mis. 'keputusan:'")


def _misaligned(source: _SourceText, number: int, col: int) -> tuple:
    """A line that starts at a column where no enclosing key does."""
    levels = _nearest(_levels_above(source, number, dash=False), col)
    where = "kolom " + " atau ".join(str(level + 1) for level in levels)
    return number + 1, col + 1, \
        f"indentasi baris ini tidak sejajar dengan baris di atasnya (mulai di kolom {col + 1})", \
        ("sejajarkan dengan baris di atasnya: kunci yang setingkat mulai di kolom yang sama"
         + (f" (di atas baris ini: {where})" if levels else ""))


def _misplaced_item(source: _SourceText, at, mapping) -> tuple:
    """A '- ' list item where YAML expected a key: a stray item among keys, or an item not
    aligned with the items above it."""
    levels = _levels_above(source, at.line, dash=True)
    nearest = [level for level in _nearest(levels, at.column) if abs(level - at.column) <= 2]
    if nearest and (mapping is None or mapping.column != at.column):
        level = min(nearest, key=lambda level: abs(level - at.column))
        return at.line + 1, at.column + 1, \
            (f"tanda '-' tidak sejajar dengan butir daftar di atasnya (kolom {at.column + 1}, sedangkan butir di "
             f"baris {levels[level] + 1} di kolom {level + 1})"), \
            "sejajarkan '-' dengan tanda '-' butir lain dalam daftar yang sama"
    line = source.line(at.line)
    rest = line[_key_col(line):].split("  #")[0].rstrip()
    return at.line + 1, at.column + 1, "butir daftar ('- ') di tempat yang seharusnya berisi kunci", \
        ("hapus '- ' bila baris ini kunci biasa" + (f" ('{rest}')" if rest else "")
         + "; butir daftar hanya boleh di bawah kunci tanpa nilai, mis. 'kelengkapan:'")


def _warn_comments_after_text(events: list, text: str, path: Path, diagnostics: Diagnostics) -> None:
    """`output: SKTM #1 asli` is read as 'SKTM' and a comment: warn at a ' #' that follows an
    unquoted value after a single space. Two or more spaces before '#' are the convention for a
    deliberate comment and are left alone."""
    source = None
    for event in events:
        if not isinstance(event, yaml.ScalarEvent) or event.style not in (None, "") or not event.value:
            continue
        end = event.end_mark
        if text[end.index:end.index + 2] != " #":
            continue
        source = source or _SourceText(text)
        kept = source.text[event.start_mark.index:end.index]
        example = None
        if event.start_mark.line == end.line:
            example = _with_quoted_value(source.line(end.line))
        diagnostics.warning(
            "SOP266", Location(path, end.line + 1, end.column + 2),
            f"teks setelah ' #' dianggap komentar dan tidak dibaca (yang terbaca hanya '{kept}')",
            "apit nilainya dengan tanda kutip bila '#...' bagian dari teks" + (f", mis. {example}" if example else "")
            + "; komentar yang disengaja ditulis dengan dua spasi sebelum '#'",
        )


def load_yaml(path: Path, diagnostics: Diagnostics, raw: bytes | None = None) -> Node | None:
    """The file's located YAML (from `raw`, its bytes, when already read)."""
    text = read_source(path, diagnostics) if raw is None else decode_source(raw, path, diagnostics)
    if text is None:
        return None
    return parse_yaml(text, path, diagnostics)
