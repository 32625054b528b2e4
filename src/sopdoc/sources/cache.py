"""A cache of checked source files, so a rebuild re-reads only the files that changed.

Parsing and schema-checking a file costs about 2 ms; among a thousand SOPs that is most of an
incremental rebuild. A file's checked values, the locations of its values and its own
diagnostics depend only on its bytes (and on sopdoc's code), so they are kept, keyed by a hash
of both, in a JSON file beside the build outputs. JSON, not pickle: a cache file must never be
able to run code. A cache that cannot be read is ignored.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from sopdoc.diagnostics import Diagnostic, Location, Severity
from sopdoc.fileio import write_atomic
from sopdoc.waktu import Duration

_DURATION_FIELDS = ("seconds", "hari", "hari_kerja", "minggu", "bulan", "tahun")


def _encode(value: Any) -> Any:
    """Values use JSON lists only as tagged containers, so decoding is unambiguous."""
    if isinstance(value, dict):
        return ["m", [[key, _encode(item)] for key, item in value.items()]]
    if isinstance(value, tuple):
        return ["t", [_encode(item) for item in value]]
    if isinstance(value, Duration):
        return ["w", [str(getattr(value, name)) for name in _DURATION_FIELDS], value.written, value.at_most]
    if isinstance(value, _dt.date):
        return ["d", value.isoformat()]
    if value is None or isinstance(value, (str, int, bool)):
        return value
    raise TypeError(f"cannot cache {type(value).__name__}")


def _decode(value: Any) -> Any:
    if not isinstance(value, list):
        return value
    tag = value[0]
    if tag == "m":
        return {key: _decode(item) for key, item in value[1]}
    if tag == "t":
        return tuple(_decode(item) for item in value[1])
    if tag == "w":
        return Duration(*(Decimal(amount) for amount in value[1]), at_most=value[3], written=value[2])
    if tag == "d":
        return _dt.date.fromisoformat(value[1])
    raise ValueError(tag)


def declared_tables(paths) -> dict[str, list[str]]:
    """table -> the keys written under it (`pejabat`, `pelaksana`, ...), among the located `paths`."""
    tables: dict[str, list[str]] = {}
    for at in paths:
        if len(at) == 2 and isinstance(at[1], str) and at[1] != "@key":
            tables.setdefault(at[0], []).append(at[1])
    return tables


class LocationMap:
    """The locations of a cached file, as stored: (line, col) under the repr of each value's path
    (JSON keys, so reading the cache builds these dicts in C), made Locations only when asked for;
    the keys written under each table kept beside them. A thousand files hold 200,000 locations,
    and a check asks for a few dozen of each file's."""

    def __init__(self, file: Path, by_path: dict[str, list[int]], declared: dict[str, list[str]]) -> None:
        self.file, self._by_path, self._declared = file, by_path, declared

    def __contains__(self, at) -> bool:
        return repr(at) in self._by_path

    def __getitem__(self, at) -> Location:
        line, col = self._by_path[repr(at)]
        return Location(self.file, line, col)

    def get(self, at, default=None):
        return self[at] if at in self else default

    def declared(self, table: str) -> list[str]:
        return list(self._declared.get(table, ()))


class CheckCache:
    def __init__(self, path: Path | None, fingerprint: str) -> None:
        self._path = path
        self._fingerprint = fingerprint
        self._entries: dict[str, dict] = {}
        self._used: dict[str, dict] = {}
        self._changed = False
        if path is not None and path.is_file():
            try:
                stored = json.loads(path.read_text(encoding="utf-8"))
                if stored.get("fingerprint") == fingerprint:
                    self._entries = dict(stored["files"])
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                self._entries = {}

    @staticmethod
    def _digest(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()

    def lookup(self, file: Path, data: bytes):
        """(values, locations, diagnostics) of an unchanged file, or None."""
        entry = self._entries.get(str(file))
        if entry is None or entry.get("sha") != self._digest(data):
            return None
        try:
            values = _decode(entry["values"])
            locations = LocationMap(file, entry["locations"], entry["declared"])
            diagnostics = [Diagnostic(Severity(sev), code, Location(file, line, col), message, hint)
                           for sev, code, line, col, message, hint in entry["diagnostics"]]
        except (ValueError, TypeError, KeyError, IndexError, ArithmeticError):
            return None
        self._used[str(file)] = entry
        return values, locations, diagnostics

    def store(self, file: Path, data: bytes, values, locations: dict, diagnostics: list[Diagnostic]) -> None:
        try:
            entry = {
                "sha": self._digest(data),
                "values": _encode(values),
                "locations": {repr(at): [loc.line, loc.col] for at, loc in locations.items()},
                "declared": declared_tables(locations),
                "diagnostics": [[d.severity.value, d.code, d.location.line, d.location.col, d.message, d.hint]
                                for d in diagnostics],
            }
        except TypeError:
            return
        self._used[str(file)] = entry
        self._changed = True

    def save(self) -> None:
        """Keep only the files seen in this run (rewritten only when something changed)."""
        if self._path is not None and (self._changed or self._used.keys() != self._entries.keys()):
            data = {"fingerprint": self._fingerprint, "files": self._used}
            write_atomic(self._path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))
