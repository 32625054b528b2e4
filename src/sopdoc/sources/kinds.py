"""The kinds of values a source key takes (text, date, waktu, NIP, ...), each checking a located
YAML node (every problem reported with its line and column), converting it to a plain Python
value, and describing itself as JSON Schema, so an editor with the YAML language server offers
completion. Containers and records are in `records.py`. The format is documented in
`docs/source-format.md`.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sopdoc.diagnostics import Diagnostics, Location
from sopdoc.indonesian import NipError, from_roman, parse_nip
from sopdoc.waktu import SCHEMA_PATTERN, Duration, WaktuError
from sopdoc.sources.located_yaml import Node, Scalar, Sequence, kind_name

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
    options: tuple[str, ...] = ()

    def convert(self, text, node, at, ctx):
        for option in self.options:
            if option.lower() == text.lower():
                return option
        ctx.error(
            "SOP115", node, at, f"'{text}' bukan pilihan yang valid untuk '{field_name(at)}'",
            "pilihan: " + ", ".join(self.options),
        )
        return INVALID

    def json_schema(self):
        return {"enum": list(self.options), "description": self.description}


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
        try:
            if not _ISO_DATE_RE.match(text):
                raise ValueError(text)
            return _dt.date.fromisoformat(text)
        except ValueError:
            ctx.error(
                "SOP112", node, at, f"tanggal '{text}' tidak valid",
                "tulis tanggal sebagai TTTT-BB-HH, mis. 2024-01-02 untuk 2 Januari 2024",
            )
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
        if KEY_RE.match(text):
            return text
        ctx.error(
            "SOP108", node, at, f"'{text}' bukan tujuan yang valid",
            "tulis nomor langkah (mis. 4), id langkah, atau 'selesai'",
        )
        return INVALID

    def json_schema(self):
        return {
            "anyOf": [{"type": "integer", "minimum": 1}, {"type": "string", "pattern": KEY_PATTERN}],
            "description": self.description,
        }


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
