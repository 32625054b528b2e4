"""The source format written as data: each key, its kind, whether it is required, its meaning.

One description serves three purposes: checking a located YAML tree (every problem reported,
with its line and column), converting it to plain Python values, and exporting a JSON Schema
so an editor with the YAML language server offers completion. The keys are declared on the
model's fields (`source_key`); `record_of` turns a model class into its Record, and `from_values`
turns checked values back into the model class. The keys are the public contract documented in
`docs/source-format.md`; the loader builds what spans keys (references, flow).
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sopdoc.diagnostics import Diagnostics, Location
from sopdoc.indonesian import NipError, from_roman, parse_nip
from sopdoc.waktu import UNITS, Duration, WaktuError
from sopdoc.sources.located_yaml import Mapping, Node, Scalar, Sequence, kind_name

INVALID = object()  # a value that was reported and must not be used

KEY_PATTERN = r"^[a-z][a-z0-9_-]*$"
_KEY_RE = re.compile(KEY_PATTERN)
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


def _field_name(at: Path_) -> str:
    return str(at[-1]) if at and isinstance(at[-1], str) else "nilai"


def _scalar(node: Node, at: Path_, ctx: CheckContext, wanted: str) -> Scalar | None:
    if isinstance(node, Scalar) and node.value is not None:
        return node
    ctx.error("SOP108", node, at, f"'{_field_name(at)}' harus berupa {wanted}, bukan {kind_name(node)}")
    return None


@dataclass
class Text(Spec):
    description: str = ""

    def check(self, node, at, ctx):
        scalar = _scalar(node, at, ctx, "teks")
        if scalar is None:
            return INVALID
        text = scalar.text.strip()
        if text.upper().startswith("TODO"):
            ctx.error(
                "SOP118", node, at, f"'{_field_name(at)}' belum diisi (masih TODO)",
                "ganti tulisan TODO dengan isi yang sebenarnya",
            )
            return INVALID
        return self.convert(text, node, at, ctx)

    def convert(self, text, node, at, ctx):
        return text

    def json_schema(self):
        return {"type": ["string", "number"], "description": self.description}


@dataclass
class Key(Text):
    """A reference key or id: lowercase ASCII letters, digits, '_' and '-'."""

    def convert(self, text, node, at, ctx):
        if not _KEY_RE.match(text):
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
        except WaktuError:
            ctx.error(
                "SOP111", node, at, f"waktu '{text}' tidak dapat dibaca",
                "tulis <jumlah> <satuan>, mis. '15 menit' atau '1,5 jam'; satuan: " + ", ".join(UNITS[::-1]),
            )
            return INVALID

    def json_schema(self):
        units = "|".join(u.replace(" ", "\\s+") for u in UNITS)
        return {
            "type": "string",
            "pattern": rf"^\s*\d+([.,]\d+)?\s*(?i:{units})\s*$".replace("(?i:", "("),
            "description": self.description,
        }


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
            "SOP115", node, at, f"'{text}' bukan pilihan yang valid untuk '{_field_name(at)}'",
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
        ctx.error("SOP108", node, at, f"'{_field_name(at)}' harus true atau false")
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
        if _KEY_RE.match(text):
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


@dataclass
class ListOf(Spec):
    absent = ()
    item: Spec
    description: str = ""
    min_items: int = 0
    unit: str = "butir"
    keep_positions: bool = False  # keep INVALID placeholders so numbering stays true

    def check(self, node, at, ctx):
        if not isinstance(node, Sequence):
            ctx.error("SOP108", node, at, f"'{_field_name(at)}' harus berupa daftar, bukan {kind_name(node)}",
                      "tulis setiap butir di barisnya sendiri, diawali '- '")
            return INVALID
        if len(node.items) < self.min_items:
            ctx.error("SOP110", node, at,
                      f"'{_field_name(at)}' harus berisi paling sedikit {self.min_items} {self.unit}")
        values = []
        for index, item in enumerate(node.items):
            item_at = at + (index,)
            ctx.locations[item_at] = ctx.at(item)
            value = self.item.check(item, item_at, ctx)
            if value is not INVALID or self.keep_positions:
                values.append(value)
        return tuple(values)

    def json_schema(self):
        schema = {"type": "array", "items": self.item.json_schema(), "description": self.description}
        if self.min_items:
            schema["minItems"] = self.min_items
        return schema


@dataclass
class Table(Spec):
    absent = ()
    """A mapping whose keys the clerk chooses (actors, officials, decrees)."""

    value: Spec
    description: str = ""
    min_items: int = 0
    unit: str = "butir"

    def check(self, node, at, ctx):
        if not isinstance(node, Mapping):
            ctx.error("SOP108", node, at,
                      f"'{_field_name(at)}' harus berupa pemetaan (kunci: nilai), bukan {kind_name(node)}")
            return INVALID
        if len(node.items) < self.min_items:
            ctx.error("SOP110", node, at,
                      f"'{_field_name(at)}' harus berisi paling sedikit {self.min_items} {self.unit}")
        values = {}
        for name, (key_node, value_node) in node.items.items():
            item_at = at + (name,)
            ctx.locations[item_at] = ctx.at(value_node)
            ctx.locations[item_at + ("@key",)] = ctx.at(key_node)
            if not _KEY_RE.match(name):
                ctx.error("SOP115", key_node, item_at, f"'{name}' bukan kunci yang valid",
                          "gunakan huruf kecil, angka, '_' atau '-', diawali huruf (mis. kasi_pem)")
                continue
            value = self.value.check(value_node, item_at, ctx)
            if value is not INVALID:
                values[name] = value
        return values

    def json_schema(self):
        schema = {
            "type": "object",
            "propertyNames": {"pattern": KEY_PATTERN},
            "additionalProperties": self.value.json_schema(),
            "description": self.description,
        }
        if self.min_items:
            schema["minProperties"] = self.min_items
        return schema


@dataclass
class Field:
    name: str
    spec: Spec
    required: bool = False


@dataclass
class Record(Spec):
    fields: list[Field]
    description: str = ""

    def check(self, node, at, ctx):
        if not isinstance(node, Mapping):
            if not at:
                subject = "isi berkas harus"
            elif isinstance(at[-1], str):
                subject = f"'{at[-1]}' harus"
            else:
                subject = "harus"
            ctx.error("SOP108", node, at, f"{subject} berupa pemetaan (kunci: nilai), bukan {kind_name(node)}",
                      "tulis pasangan 'kunci: nilai', satu per baris")
            return INVALID
        known = {f.name: f for f in self.fields}
        values: dict[str, Any] = {}
        for name, (key_node, value_node) in node.items.items():
            item_at = at + (name,)
            spec = known.get(name)
            if spec is None:
                close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
                ctx.error("SOP107", key_node, item_at, f"kunci '{name}' tidak dikenal",
                          f"maksud Anda '{close[0]}'?" if close
                          else "kunci yang dikenal: " + ", ".join(known))
                continue
            ctx.locations[item_at] = ctx.at(value_node)
            ctx.locations[item_at + ("@key",)] = ctx.at(key_node)
            if isinstance(value_node, Scalar) and value_node.value is None:
                if spec.required:
                    ctx.error("SOP109", value_node, item_at, f"'{name}' wajib diisi")
                continue  # an optional key left empty counts as absent
            value = spec.spec.check(value_node, item_at, ctx)
            if value is not INVALID:
                values[name] = value
        for spec in self.fields:
            if spec.required and spec.name not in node.items:
                ctx.error("SOP109", node, at + (spec.name,), f"kunci wajib '{spec.name}' tidak ada")
            elif spec.required and isinstance(values.get(spec.name), str) and not values[spec.name]:
                ctx.error("SOP109", node.items[spec.name][1], at + (spec.name,), f"'{spec.name}' wajib diisi")
                del values[spec.name]
        return values

    def json_schema(self):
        properties = {}
        for spec in self.fields:
            schema = spec.spec.json_schema()
            if not spec.required:
                schema = {"anyOf": [schema, {"type": "null"}], "description": schema.get("description", "")}
            properties[spec.name] = schema
        schema = {
            "type": "object",
            "properties": properties,
            "additionalProperties": False,
            "description": self.description,
        }
        required = [spec.name for spec in self.fields if spec.required]
        if required:
            schema["required"] = required
        return schema


def check(node: Node | None, spec: Record, path: Path, diagnostics: Diagnostics) -> tuple[dict | None, CheckContext]:
    """Check a whole file against its schema; returns its values (None if it had no mapping)."""
    ctx = CheckContext(path, diagnostics)
    if node is None or (isinstance(node, Scalar) and node.value is None):
        if not diagnostics.has_errors_in(path):
            diagnostics.error("SOP109", Location(path), "berkas kosong",
                              "jalankan 'sopdoc new' untuk membuat kerangka SOP")
        return None, ctx
    values = spec.check(node, (), ctx)
    return (None if values is INVALID else values), ctx


def json_schema(spec: Record, title: str) -> dict:
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title}
    schema.update(spec.json_schema())
    return schema


# ---------------------------------------------------------------- keys declared on the model

SOURCE_KEY = "sopdoc.source_key"


@dataclass(frozen=True)
class Declared:
    spec: Spec
    required: bool
    built: bool  # the loader makes the model's value (a reference, a default taken from the steps, ...)


def source_key(spec: Spec, *, required: bool = False, built: bool = False, default: Any = dataclasses.MISSING):
    """A model field that a source key sets: its kind of value and description (`spec`)."""
    if default is dataclasses.MISSING and not required:
        default = spec.absent
    return field(default=default, metadata={SOURCE_KEY: Declared(spec, required, built)})


def _declared_fields(cls) -> list[tuple[dataclasses.Field, Declared]]:
    return [(f, f.metadata[SOURCE_KEY]) for f in dataclasses.fields(cls) if SOURCE_KEY in f.metadata]


def record_of(cls) -> Record:
    """The Record of a model class: its declared fields in order, then the keys it only reads."""
    fields = [Field(f.name, declared.spec, declared.required) for f, declared in _declared_fields(cls)]
    fields += getattr(cls, "SOURCE_ONLY_KEYS", ())
    return Record(fields, getattr(cls, "SOURCE_DESCRIPTION", ""))


class RecordOf(Spec):
    """A nested mapping whose keys are the declared fields of a model class."""

    def __init__(self, cls) -> None:
        self.cls = cls
        self._record: Record | None = None

    @property
    def record(self) -> Record:
        if self._record is None:  # built on first use: the class is complete by then
            self._record = record_of(self.cls)
        return self._record

    @property
    def description(self) -> str:
        return self.record.description

    def check(self, node, at, ctx):
        return self.record.check(node, at, ctx)

    def json_schema(self):
        return self.record.json_schema()


def _model_value(spec: Spec, value: Any) -> Any:
    if isinstance(spec, RecordOf):
        return from_values(spec.cls, value)
    if isinstance(spec, ListOf) and isinstance(spec.item, RecordOf):
        return tuple(from_values(spec.item.cls, item) for item in value)
    return value


def from_values(cls, values: dict, **built: Any):
    """An instance of model class `cls` from checked values: every declared key the source gave
    (nested records included), plus `built`, what the loader made itself."""
    given = {f.name: _model_value(declared.spec, values[f.name]) for f, declared in _declared_fields(cls)
             if not declared.built and f.name in values}
    return cls(**given, **built)
