"""What earlier builds wrote: each document's name (`<office>/<stem>`) with the input key it was
rendered from, so an unchanged SOP is not rendered again.

The state must never claim a document is current when it is not, even if a build is killed at
any moment: a document's entry is dropped (and that saved) before it is rendered again, and
recorded only after all its files are in place. A lost entry only costs one more rendering.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from pathlib import Path

from sopdoc.fileio import write_atomic

SAVE_INTERVAL = 1.0  # seconds: how long a finished document may go unrecorded


class BuildState:
    def __init__(self, path: Path, *, forget: bool = False) -> None:
        self.path = path
        self._keys: dict[str, str] = {} if forget else self._read(path)
        self._saved_at = 0.0

    @staticmethod
    def _read(path: Path) -> dict[str, str]:
        try:
            keys = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {name: key for name, key in keys.items() if isinstance(key, str)} if isinstance(keys, dict) else {}

    def is_current(self, name: str, key: str, paths: Iterable[Path]) -> bool:
        return self._keys.get(name) == key and all(path.is_file() for path in paths)

    def invalidate(self, names: Iterable[str]) -> None:
        """Forget `names` before their documents are replaced; saved at once."""
        dropped = [self._keys.pop(name) for name in list(names) if name in self._keys]
        if dropped:
            self.save()

    def record(self, name: str, key: str | None) -> None:
        """`key` rendered `name` (None: it failed); saved at most every SAVE_INTERVAL."""
        if key is None:
            self._keys.pop(name, None)
        else:
            self._keys[name] = key
        if time.monotonic() - self._saved_at >= SAVE_INTERVAL:
            self.save()

    def save(self) -> None:
        write_atomic(self.path, json.dumps(dict(sorted(self._keys.items())), indent=1) + "\n")
        self._saved_at = time.monotonic()
