"""One build at a time per folder: an advisory lock held by the building process.

The lock is `flock` on a file in the folder, so it is released when the process ends however it
ends (Ctrl+C, kill -9, a crash); the file also names the holder's pid for the message.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable
from pathlib import Path

from sopdoc.errors import SopdocError


class BuildBusy(SopdocError):
    def __init__(self, folder: Path, pid: str) -> None:
        holder = f" (pid {pid})" if pid else ""
        super().__init__(f"build lain sedang berjalan{holder} untuk '{folder}'; tunggu sampai selesai, "
                         "lalu jalankan lagi")


class FolderLock:
    """`with FolderLock(folder, name):` — raises BuildBusy when another process holds it, or,
    with `wait`, calls `wait(pid)` once and blocks until it is free."""

    def __init__(self, folder: Path, name: str, wait: Callable[[str], None] | None = None) -> None:
        self.folder, self.path, self.wait = folder, folder / name, wait
        self._fd: int | None = None

    def __enter__(self) -> FolderLock:
        self._created = not self.folder.exists()
        self.folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
                if self.wait is None:
                    raise BuildBusy(self.folder, holder) from None
                self.wait(holder)
                fcntl.flock(fd, fcntl.LOCK_EX)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self._fd is None:
            return
        os.ftruncate(self._fd, 0)
        if self._created and [entry.name for entry in self.folder.iterdir()] == [self.path.name]:
            # a build that wrote nothing (invalid sources) leaves no folder behind
            self.path.unlink()
            self.folder.rmdir()
        os.close(self._fd)  # closing releases the lock
        self._fd = None
