"""`sopdoc serve`: the built site on 127.0.0.1, and a cheap way to notice that a source changed.

The CLI drives the loop (build, serve, watch, rebuild); this module only serves files and waits
for the sources to change, so it neither prints nor decides.
"""

from __future__ import annotations

import functools
import threading
import time
import urllib.parse
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class _QuietHandler(SimpleHTTPRequestHandler):
    # Explicit types: a minimal system's mimetypes may not know them, and an SVG served as
    # text/plain is not drawn by the browser.
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map,
                      ".svg": "image/svg+xml", ".pdf": "application/pdf", ".json": "application/json",
                      ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}

    def log_message(self, format, *args) -> None:  # noqa: A002 (the base class's name)
        pass

    def send_head(self):
        # A NUL in the path ("/%00") makes the base class's path functions raise
        if "\x00" in urllib.parse.unquote(self.path):
            self.send_error(HTTPStatus.BAD_REQUEST, "Alamat tidak valid")
            return None
        return super().send_head()

    def list_directory(self, path):
        """A folder without an index page is not listed: the site shows pages, not folders."""
        self.send_error(HTTPStatus.NOT_FOUND, "Halaman tidak ditemukan")
        return None


class SiteServer:
    """Static files of `site_dir` over HTTP in a background thread. The folder is looked up by
    name on every request, so a rebuild that swaps site/ is served at once."""

    def __init__(self, site_dir: Path, port: int = 8000, host: str = "127.0.0.1") -> None:
        handler = functools.partial(_QuietHandler, directory=str(site_dir))
        self._server = ThreadingHTTPServer((host, port), handler)  # OSError when the port is taken
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self) -> SiteServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def source_snapshot(paths: list[Path]) -> tuple[tuple[str, int, int], ...]:
    """(path, mtime, size) of every file under `paths`: equal snapshots, nothing to rebuild."""
    entries = []
    for path in paths:
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for file in files:
            try:
                stat = file.stat()
            except FileNotFoundError:  # removed while we looked: the next snapshot will tell
                continue
            entries.append((str(file), stat.st_mtime_ns, stat.st_size))
    return tuple(entries)


def wait_for_change(paths: list[Path], previous: tuple, poll: float = 0.5, settle: float = 0.3) -> tuple:
    """Block until the files under `paths` differ from `previous` and then stop changing (an
    editor may save in several writes); returns the new snapshot."""
    current = previous
    while current == previous:
        time.sleep(poll)
        current = source_snapshot(paths)
    while True:
        time.sleep(settle)
        settled = source_snapshot(paths)
        if settled == current:
            return settled
        current = settled
