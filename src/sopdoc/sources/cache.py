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


class LocationMap(dict):
    """Locations decoded from the cache as (line, col) pairs, made Locations only when read:
    most are never read, and a thousand files hold tens of thousands of them."""

    def __init__(self, file: Path, pairs) -> None:
        super().__init__(pairs)
        self.file = file

    def __getitem__(self, at):
        value = super().__getitem__(at)
        if type(value) is tuple:
            value = Location(self.file, *value)
            super().__setitem__(at, value)
        return value

    def get(self, at, default=None):
        return self[at] if at in self else default


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
            locations = LocationMap(file, ((tuple(at), (line, col)) for at, line, col in entry["locations"]))
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
                "locations": [[list(at), loc.line, loc.col] for at, loc in locations.items()],
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
