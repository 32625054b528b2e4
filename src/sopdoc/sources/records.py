"""Containers of values (lists, tables, records) and the keys declared on the model.

The keys are declared on the model's fields (`source_key`, see `sopdoc.model`); `record_of` turns
a model class into its Record, which checks a file and exports the JSON Schema, and `from_values`
turns the checked values back into the model class. The loader builds what spans keys
(references, flow).
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sopdoc.diagnostics import Diagnostics, Location
from sopdoc.sources.kinds import KEY_RE, INVALID, KEY_PATTERN, CheckContext, Spec, field_name
from sopdoc.sources.located_yaml import Mapping, Node, Scalar, Sequence, kind_name
from sopdoc.sources.suggest import did_you_mean


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
            ctx.error("SOP108", node, at, f"'{field_name(at)}' harus berupa daftar, bukan {kind_name(node)}",
                      "tulis setiap butir di barisnya sendiri, diawali '- '")
            return INVALID
        if len(node.items) < self.min_items:
            ctx.error("SOP110", node, at,
                      f"'{field_name(at)}' harus berisi paling sedikit {self.min_items} {self.unit}")
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
                      f"'{field_name(at)}' harus berupa pemetaan (kunci: nilai), bukan {kind_name(node)}")
            return INVALID
        if len(node.items) < self.min_items:
            ctx.error("SOP110", node, at,
                      f"'{field_name(at)}' harus berisi paling sedikit {self.min_items} {self.unit}")
        values = {}
        for name, (key_node, value_node) in node.items.items():
            item_at = at + (name,)
            ctx.locations[item_at] = ctx.at(value_node)
            ctx.locations[item_at + ("@key",)] = ctx.at(key_node)
            if not KEY_RE.match(name):
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
                ctx.error("SOP107", key_node, item_at, f"kunci '{name}' tidak dikenal",
                          did_you_mean(name, known, listing="kunci yang dikenal"))
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


FORMAT_REFERENCE = "docs/source-format.md"  # in sopdoc's repository


def json_schema(spec: Record, title: str) -> dict:
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title}
    schema.update(spec.json_schema())
    schema["description"] += f". Rujukan lengkap format sumber: {FORMAT_REFERENCE} di repositori sopdoc."
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


@functools.cache  # asked for every step of every SOP: a thousand SOPs ask it twenty thousand times
def _declared_fields(cls) -> tuple[tuple[dataclasses.Field, Declared], ...]:
    return tuple((f, f.metadata[SOURCE_KEY]) for f in dataclasses.fields(cls) if SOURCE_KEY in f.metadata)


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


@functools.cache
def _given_fields(cls) -> tuple[tuple[str, Spec], ...]:
    """(name, spec) of the declared fields whose value is the source's, not built by the loader."""
    return tuple((f.name, declared.spec) for f, declared in _declared_fields(cls) if not declared.built)


def from_values(cls, values: dict, **built: Any):
    """An instance of model class `cls` from checked values: every declared key the source gave
    (nested records included), plus `built`, what the loader made itself."""
    given = {name: _model_value(spec, values[name]) for name, spec in _given_fields(cls) if name in values}
    return cls(**given, **built)
