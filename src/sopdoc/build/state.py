"""What earlier builds wrote: each document's name (`<office>/<stem>`) with the input key it was
rendered from and the stat (inode, size, mtime) of each file written, so an unchanged SOP is not
rendered again, and a file deleted or replaced by hand is.

The state must never claim a document is current when it is not, even if a build is killed at
any moment: a document's entry is dropped (and that saved) before it is rendered again, and
recorded only after all its files are in place. A lost entry only costs one more rendering.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable
from pathlib import Path

from sopdoc.fileio import write_atomic
from sopdoc.fingerprint import stat_stamp

SAVE_INTERVAL = 1.0  # seconds: how long a finished document may go unrecorded


class BuildState:
    def __init__(self, path: Path, *, forget: bool = False) -> None:
        self.path = path
        self._keys: dict[str, str] = {} if forget else self._read(path)
        self._changed = forget or not path.is_file()
        self._saved_at = 0.0

    @staticmethod
    def _read(path: Path) -> dict[str, str]:
        try:
            keys = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {name: key for name, key in keys.items() if isinstance(key, str)} if isinstance(keys, dict) else {}

    @staticmethod
    def _entry(key: str, paths: Iterable[Path]) -> str | None:
        try:
            stats = [os.stat(path) for path in paths]
        except OSError:
            return None
        return " ".join([key, *map(stat_stamp, stats)])

    def is_current(self, name: str, key: str, paths: Iterable[Path]) -> bool:
        entry = self._keys.get(name)
        return entry is not None and entry == self._entry(key, paths)

    def invalidate(self, names: Iterable[str]) -> None:
        """Forget `names` before their documents are replaced; saved at once."""
        dropped = [self._keys.pop(name) for name in list(names) if name in self._keys]
        if dropped:
            self._changed = True
            self.save()

    def record(self, name: str, key: str | None, paths: Iterable[Path] = ()) -> None:
        """`key` rendered `name` into `paths` (None: it failed); saved at most every SAVE_INTERVAL."""
        entry = None if key is None else self._entry(key, paths)
        if self._keys.get(name) != entry:
            self._changed = True
            if entry is None:
                self._keys.pop(name, None)
            else:
                self._keys[name] = entry
        if self._changed and time.monotonic() - self._saved_at >= SAVE_INTERVAL:
            self.save()

    def save(self) -> None:
        """Written only when something changed: a build that finds everything current leaves it."""
        if self._changed:
            write_atomic(self.path, json.dumps(dict(sorted(self._keys.items())), indent=1) + "\n")
            self._changed = False
        self._saved_at = time.monotonic()
