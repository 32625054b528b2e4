"""A source file checked against its Record, with the means to report later problems at the
place a value stood (cross-key checks: references, flow, duplicates across files)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sopdoc.diagnostics import Diagnostics, Location
from sopdoc.sources import suggest
from sopdoc.sources.cache import CheckCache, LocationMap, declared_tables
from sopdoc.sources.kinds import CheckContext
from sopdoc.sources.records import Record, check
from sopdoc.sources.located_yaml import load_yaml, read_source_bytes

OFFICE_FILE = "instansi.yml"
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def is_source_file(path: Path) -> bool:
    """A name sopdoc reads as a source: `.yml` or `.yaml`, in lowercase, not hidden. `instansi.yaml`
    is not one: it would be read as an SOP; the loader says to rename it instead."""
    return path.suffix in (".yml", ".yaml") and not path.name.startswith(".") and path.name != "instansi.yaml"


@dataclass
class Located:
    """Reports problems at the place a value stood in its file."""

    ctx: CheckContext
    source_bytes: bytes = b""  # the file as read, for the model: what the values came from

    def location(self, at: tuple) -> Location:
        while at:
            if at in self.ctx.locations:
                return self.ctx.locations[at]
            at = at[:-1]
        return Location(self.ctx.path)

    def report(self, code: str, at: tuple, message: str, hint: str | None = None, *, warning=False) -> None:
        prefix = f"langkah {at[1] + 1}: " if len(at) >= 2 and at[0] == "langkah" and not message.startswith(
            ("langkah", "dari langkah")) else ""
        emit = self.ctx.diagnostics.warning if warning else self.ctx.diagnostics.error
        emit(code, self.location(at), prefix + message, hint)

    def warn(self, code: str, at: tuple, message: str, hint: str | None = None) -> None:
        self.report(code, at, message, hint, warning=True)

    def declared(self, table: str) -> list[str]:
        """Keys written under a table of the file (`pejabat`, `pelaksana`, ...), valid or not."""
        if isinstance(self.ctx.locations, LocationMap):
            return self.ctx.locations.declared(table)
        return declared_tables(self.ctx.locations).get(table, [])


def did_you_mean(name: str, options) -> str | None:
    """The hint for a name that is not among `options`: the one or few it most likely means
    (a start or a whole word of an option before likeness of letters), else all of them."""
    return suggest.did_you_mean(name, options)


def check_file(path: Path, spec: Record, diagnostics: Diagnostics,
               cache: CheckCache | None) -> tuple[dict | None, Located]:
    """The file checked against its Record: from the cache when its bytes are unchanged. The
    file is read once; the bytes the values came from are the Located's `source_bytes`."""
    local = Diagnostics()
    data = read_source_bytes(path, local)
    hit = cache.lookup(path, data) if cache is not None and data is not None else None
    if hit is not None:
        values, locations, found = hit
        for diagnostic in found:
            diagnostics.add(diagnostic)
        return values, Located(CheckContext(path, diagnostics, locations), data)
    values, ctx = check(load_yaml(path, local, data) if data is not None else None, spec, path, local)
    if cache is not None and data is not None:
        cache.store(path, data, values, ctx.locations, list(local))
    diagnostics.extend(local)
    ctx.diagnostics = diagnostics
    return values, Located(ctx, data or b"")
