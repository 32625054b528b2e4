"""The kinds of values a source key takes (text, date, waktu, NIP, ...), each checking a located
YAML node (every problem reported with its line and column), converting it to a plain Python
value, and describing itself as JSON Schema, so an editor with the YAML language server offers
completion. Containers and records are in `records.py`. The format is documented in
`docs/source-format.md`.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sopdoc.diagnostics import Diagnostics, Location
from sopdoc.indonesian import NipError, from_roman, parse_nip
from sopdoc.waktu import SCHEMA_PATTERN, Duration, WaktuError
from sopdoc.sources.located_yaml import Mapping, Node, Scalar, Sequence, kind_name

INVALID = object()  # a value that was reported and must not be used

KEY_PATTERN = r"^[a-z][a-z0-9_-]*$"
KEY_RE = re.compile(KEY_PATTERN)
_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

Path_ = tuple  # a path into the document: keys and list indexes


@dataclass
class CheckContext:
    path: Path
    diagnostics: Diagnostics
    # where each checked value stood, to locate later (cross-key) diagnostics
    locations: dict[Path_, Location] = field(default_factory=dict)

    def at(self, node: Node) -> Location:
        return Location(self.path, node.line, node.col)

    def error(self, code: str, node: Node, at: Path_, message: str, hint: str | None = None) -> None:
        self.diagnostics.error(code, self.at(node), with_prefix(at, message), hint)


def describe(at: Path_) -> str:
    """'langkah 3', "pejabat 'camat'", 'lampiran' … : where a path points, for a clerk."""
    words: list[str] = []
    index = 0
    while index < len(at):
        part = at[index]
        nxt = at[index + 1] if index + 1 < len(at) else None
        if isinstance(nxt, int):
            words.append(f"{part} {nxt + 1}")
            index += 2
        elif part in ("pejabat", "keputusan", "pelaksana") and isinstance(nxt, str) and index == 0:
            words.append(f"{part} '{nxt}'")
            index += 2
        else:
            words.append(str(part))
            index += 1
    return ", ".join(words)


def with_prefix(at: Path_, message: str) -> str:
    """Messages about a value inside a list or table start with where it is."""
    container = at[:-1] if at and isinstance(at[-1], str) else at
    prefix = describe(container)
    return f"{prefix}: {message}" if prefix else message


class Spec:
    description = ""
    absent: Any = None  # the model's value when an optional key is left out

    def check(self, node: Node, at: Path_, ctx: CheckContext) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict:
        raise NotImplementedError


def field_name(at: Path_) -> str:
    return str(at[-1]) if at and isinstance(at[-1], str) else "nilai"


def unprintable(text: str) -> str | None:
    """The first character no document can hold (XML 1.0 refuses it, a PDF shows nothing):
    control characters other than tab and line breaks, lone surrogates, U+FFFE and U+FFFF."""
    for char in text:
        if char in "\t\n\r":
            continue
        if unicodedata.category(char) in ("Cc", "Cs") or char in "\ufffe\uffff":
            return char
    return None


def _scalar(node: Node, at: Path_, ctx: CheckContext, wanted: str) -> Scalar | None:
    if isinstance(node, Scalar) and node.value is not None:
        return node
    ctx.error("SOP108", node, at, f"'{field_name(at)}' harus berupa {wanted}, bukan {kind_name(node)}")
    return None


@dataclass
class Text(Spec):
    description: str = ""
    max_length: int | None = field(default=None, kw_only=True)  # where a document has room for no more

    def check(self, node, at, ctx):
        scalar = _scalar(node, at, ctx, "teks")
        if scalar is None:
            return INVALID
        text = scalar.text.strip()
        bad = unprintable(text)
        if bad is not None:
            ctx.error(
                "SOP119", node, at, f"'{field_name(at)}' berisi karakter U+{ord(bad):04X} yang tidak dapat dicetak",
                "hapus karakter itu (sering terbawa dari salin-tempel atau dari escape \\x.. dalam tanda kutip)",
            )
            return INVALID
        if self.max_length is not None and len(text) > self.max_length:
            ctx.error(
                "SOP120", node, at, f"'{field_name(at)}' terlalu panjang ({len(text)} karakter; paling banyak "
                f"{self.max_length})", "persingkat teksnya; rincian dapat ditulis di uraian langkah",
            )
            return INVALID
        if text.upper().startswith("TODO"):
            ctx.error(
                "SOP118", node, at, f"'{field_name(at)}' belum diisi (masih TODO)",
                "ganti tulisan TODO dengan isi yang sebenarnya",
            )
            return INVALID
        return self.convert(text, node, at, ctx)

    def convert(self, text, node, at, ctx):
        return text

    def json_schema(self):
        schema = {"type": ["string", "number"], "description": self.description}
        if self.max_length is not None:
            schema["maxLength"] = self.max_length
        return schema


@dataclass
class Key(Text):
    """A reference key or id: lowercase ASCII letters, digits, '_' and '-'."""

    def convert(self, text, node, at, ctx):
        if not KEY_RE.match(text):
            ctx.error(
                "SOP115", node, at, f"'{text}' bukan kunci yang valid",
                "gunakan huruf kecil, angka, '_' atau '-', diawali huruf (mis. kasi_pem)",
            )
            return INVALID
        return text

    def json_schema(self):
        return {"type": "string", "pattern": KEY_PATTERN, "description": self.description}


@dataclass
class StepId(Key):
    def convert(self, text, node, at, ctx):
        value = super().convert(text, node, at, ctx)
        if value == "selesai":
            ctx.error("SOP115", node, at, "'selesai' tidak dapat dipakai sebagai id langkah")
            return INVALID
        return value


@dataclass
class Waktu(Text):
    def convert(self, text, node, at, ctx):
        try:
            return Duration.parse(text)
        except WaktuError as error:  # the message names what is wrong: a unit, a range, the order
            ctx.error("SOP111", node, at, error.message, error.hint)
            return INVALID

    def json_schema(self):
        return {"type": "string", "pattern": SCHEMA_PATTERN, "description": self.description}


@dataclass
class Nip(Text):
    def convert(self, text, node, at, ctx):
        try:
            return parse_nip(text)
        except NipError as exc:
            ctx.error("SOP114", node, at, str(exc), "contoh NIP yang benar: 19790709 199810 1 002")
            return INVALID

    def json_schema(self):
        return {"type": ["string", "number"], "pattern": r"^[0-9 ]+$", "description": self.description}


@dataclass
class Roman(Text):
    def convert(self, text, node, at, ctx):
        try:
            from_roman(text)
        except ValueError:
            ctx.error("SOP116", node, at, f"'{text}' bukan angka Romawi", "mis. I, II, IV, VIII")
            return INVALID
        return text.upper()

    def json_schema(self):
        return {"type": "string", "pattern": "^[IVXLCDMivxlcdm]+$", "description": self.description}


@dataclass
class Choice(Text):
    """One of `options`, in any case; an alias (another name of an option, e.g. Folio for F4)
    stands for its option."""

    options: tuple[str, ...] = ()
    aliases: dict[str, str] = field(default_factory=dict)  # alias -> option

    def convert(self, text, node, at, ctx):
        for name, option in [(option, option) for option in self.options] + list(self.aliases.items()):
            if name.lower() == text.lower():
                return option
        listed = [f"{option} ({', '.join(alias for alias, to in self.aliases.items() if to == option)})"
                  if option in self.aliases.values() else option for option in self.options]
        ctx.error(
            "SOP115", node, at, f"'{text}' bukan pilihan yang valid untuk '{field_name(at)}'",
            "pilihan: " + ", ".join(listed),
        )
        return INVALID

    def json_schema(self):
        return {"enum": list(self.options) + list(self.aliases), "description": self.description}


MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")
_MONTH_ABBREVIATIONS = {"peb": 2, "agt": 8, "nop": 11, "nov": 11}  # beside the first three letters of each
_DATE_HINT = "tulis tanggal sebagai TTTT-BB-HH, mis. 2024-01-02 untuk 2 Januari 2024"
_WRITTEN_DATE_RE = re.compile(r"^(\d{1,2})[\s.-]*([A-Za-z]+)\.?[\s.-]*(\d{4})$")  # 1 Maret 2024, 1-Mar-2024
_DAY_FIRST_RE = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")  # 01-03-2024, 1/3/2024
_YEAR_FIRST_RE = re.compile(r"^(\d{4})[./-](\d{1,2})[./-](\d{1,2})$")  # 2024/03/01, "2024-3-1" quoted


def _month_number(word: str) -> int | None:
    word = word.lower()
    for number, name in enumerate(MONTHS, start=1):
        if name.lower() == word or (len(word) == 3 and name.lower().startswith(word)):
            return number
    return _MONTH_ABBREVIATIONS.get(word)


def _iso_date_problem(year: int, month: int, day: int) -> tuple[str, str] | None:
    """Why TTTT-BB-HH is no date ('Februari 2023 hanya 28 hari'), with a hint; None if it is one."""
    if year < 1:
        return "tahun 0000 tidak ada", _DATE_HINT
    if not 1 <= month <= 12:
        swapped = _real_date(year, day, month)
        hint = (f"bila maksudnya {swapped.day} {MONTHS[swapped.month - 1]} {year}, tulis {swapped.isoformat()} "
                "(urutannya TTTT-BB-HH: tahun, bulan, hari)") if swapped and month > 12 else _DATE_HINT
        return f"bulan {month:02d} tidak ada (bulan 01–12)", hint
    name = MONTHS[month - 1]
    days = calendar.monthrange(year, month)[1]
    if day == 0:
        return "hari 00 tidak ada (hari pertama adalah 01)", f"mis. {year:04d}-{month:02d}-01 untuk 1 {name} {year}"
    if day > days:
        where = f"{name} {year}" if month == 2 else name
        return (f"{where} hanya {days} hari",
                f"hari terakhir {name} {year} adalah {year:04d}-{month:02d}-{days:02d}")
    return None


def _real_date(year: int, month: int, day: int) -> _dt.date | None:
    try:
        return _dt.date(year, month, day)
    except ValueError:
        return None


def _meant_date(text: str) -> _dt.date | None:
    """The date a clerk wrote in another common form: '1 Maret 2024', '1-Mar-2024', '01-03-2024'."""
    written = _WRITTEN_DATE_RE.match(text)
    if written:
        month = _month_number(written.group(2))
        return _real_date(int(written.group(3)), month, int(written.group(1))) if month else None
    day_first = _DAY_FIRST_RE.match(text)  # Indonesian order: day, month, year
    if day_first:
        return _real_date(int(day_first.group(3)), int(day_first.group(2)), int(day_first.group(1)))
    year_first = _YEAR_FIRST_RE.match(text)
    if year_first:
        return _real_date(*(int(part) for part in year_first.groups()))
    return None


@dataclass
class Date(Spec):
    description: str = ""

    def check(self, node, at, ctx):
        scalar = _scalar(node, at, ctx, "tanggal")
        if scalar is None:
            return INVALID
        if isinstance(scalar.value, _dt.date):
            return scalar.value
        text = scalar.text.strip()
        if _ISO_DATE_RE.match(text):
            year, month, day = (int(part) for part in text.split("-"))
            problem = _iso_date_problem(year, month, day)
            if problem is None:
                return _dt.date(year, month, day)
            reason, hint = problem
            ctx.error("SOP112", node, at, f"tanggal '{text}' tidak valid: {reason}", hint)
            return INVALID
        meant = _meant_date(text)
        hint = (f"tulis tanggal sebagai TTTT-BB-HH: {meant.isoformat()} untuk {meant.day} {MONTHS[meant.month - 1]} "
                f"{meant.year}") if meant else _DATE_HINT
        ctx.error("SOP112", node, at, f"tanggal '{text}' tidak valid", hint)
        return INVALID

    def json_schema(self):
        return {"type": "string", "format": "date", "description": self.description}


@dataclass
class Flag(Spec):
    description: str = ""

    def check(self, node, at, ctx):
        if isinstance(node, Scalar) and isinstance(node.value, bool):
            return node.value
        ctx.error("SOP108", node, at, f"'{field_name(at)}' harus true atau false")
        return INVALID

    def json_schema(self):
        return {"type": "boolean", "description": self.description}


_STEP_WORDS_RE = re.compile(r"^(?:ke\s+)?langkah\s*(?:ke\s*-?\s*)?(\d+)$", re.IGNORECASE)  # 'langkah 3', 'ke langkah 4'


@dataclass
class Target(Spec):
    """A step number, a step id, or the word 'selesai'."""

    description: str = ""

    def check(self, node, at, ctx):
        scalar = _scalar(node, at, ctx, "nomor langkah, id langkah, atau 'selesai'")
        if scalar is None:
            return INVALID
        if isinstance(scalar.value, int) and not isinstance(scalar.value, bool) and scalar.value >= 1:
            return scalar.value
        text = scalar.text.strip()
        if text.isdigit() and int(text) >= 1:
            return int(text)
        if text.lower() == "selesai":  # the word, in any case: Selesai, SELESAI
            return "selesai"
        if KEY_RE.match(text):
            return text
        step = _STEP_WORDS_RE.match(text)
        ctx.error(
            "SOP108", node, at, f"'{text}' bukan tujuan yang valid",
            f"tulis nomor langkahnya saja: {int(step.group(1))}" if step and int(step.group(1)) >= 1
            else "tulis nomor langkah (mis. 4), id langkah, atau 'selesai'",
        )
        return INVALID

    def json_schema(self):
        return {
            "anyOf": [{"type": "integer", "minimum": 1}, {"type": "string", "pattern": KEY_PATTERN}],
            "description": self.description,
        }


@dataclass
class CaseFolded(Spec):
    """A mapping whose keys may be written in any case (`Ya:`, `TIDAK:`), checked by `inner` (a
    Record) under their lowercase names: for keys a clerk writes as words, like a decision's
    branches. Only the keys `inner` knows are folded; any other stays as written, unknown."""

    inner: Spec

    def check(self, node, at, ctx):
        if not isinstance(node, Mapping):
            return self.inner.check(node, at, ctx)
        known = {item.name for item in getattr(self.inner, "fields", ())}
        folded = Mapping(node.line, node.col)
        for name, (key_node, value_node) in node.items.items():
            canonical = name.lower() if name.lower() in known else name
            if canonical in folded.items:
                first = folded.items[canonical][0]
                ctx.error("SOP106", key_node, at + (canonical,),
                          f"kunci '{name}' ditulis dua kali (pertama di baris {first.line} sebagai '{first.text}')",
                          "hapus salah satu; hanya satu nilai yang dapat berlaku")
                continue
            folded.items[canonical] = (key_node, value_node)
        return self.inner.check(folded, at, ctx)

    @property
    def description(self):
        return self.inner.description

    def json_schema(self):  # editors offer the lowercase keys, as the format writes them
        return self.inner.json_schema()


@dataclass
class TextOrList(Spec):
    absent = ()
    """One text, or a list of texts (printed as a numbered list)."""

    description: str = ""

    def check(self, node, at, ctx):
        if isinstance(node, Sequence):
            items = [Text().check(item, at + (i,), ctx) for i, item in enumerate(node.items)]
            return tuple(item for item in items if item is not INVALID)
        value = Text().check(node, at, ctx)
        return INVALID if value is INVALID else (value,)

    def json_schema(self):
        text = Text().json_schema()
        del text["description"]
        return {"anyOf": [text, {"type": "array", "items": text}], "description": self.description}
