"""`sopdoc serve`: the built site on 127.0.0.1, and a cheap way to notice that a source changed.

The CLI drives the loop (build, serve, watch, rebuild); this module only serves files and waits
for the sources to change, so it neither prints nor decides.

With `reload`, every HTML page is served with a small script that asks the server, once a
second, which site it serves (RELOAD_PATH: the identity of the folder site/, which every build
replaces) and reloads the page when that changed. The script exists only in what the server
sends; the files of site/ never hold it.
"""

from __future__ import annotations

import functools
import io
import os
import threading
import time
import urllib.parse
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

RELOAD_PATH = "/.sopdoc/versi-situs"  # a dot folder: MkDocs publishes none, so no page can take it
RELOAD_INTERVAL_MS = 1000
RELOAD_SCRIPT = (
    '<script data-sopdoc-serve="muat-ulang">/* sopdoc serve: muat ulang halaman setelah situs dibangun ulang */'
    '(function(){{var v="{version}";setInterval(function(){{'
    'fetch("{path}",{{cache:"no-store"}}).then(function(r){{return r.ok?r.text():v}})'
    '.then(function(t){{if(t!==v){{location.reload()}}}},function(){{}})}},{interval})}})();</script>')


def site_version(site_dir: Path) -> str:
    """Which site/ is there: its folder's inode and change time (a build swaps in a new folder)."""
    try:
        stat = os.stat(site_dir)
    except OSError:
        return "-"
    return f"{stat.st_ino}-{stat.st_ctime_ns}"


def with_reload_script(page: bytes, version: str) -> bytes:
    """`page` with the reload script before its closing body tag (at its end when it has none)."""
    script = RELOAD_SCRIPT.format(version=version, path=RELOAD_PATH, interval=RELOAD_INTERVAL_MS).encode()
    at = page.lower().rfind(b"</body>")
    return page + script if at < 0 else page[:at] + script + page[at:]


class _QuietHandler(SimpleHTTPRequestHandler):
    # Explicit types: a minimal system's mimetypes may not know them, and an SVG served as
    # text/plain is not drawn by the browser.
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map,
                      ".svg": "image/svg+xml", ".pdf": "application/pdf", ".json": "application/json",
                      ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}

    def log_message(self, format, *args) -> None:  # noqa: A002 (the base class's name)
        pass

    reload = False  # set per server (see SiteServer)

    def send_head(self):
        # A NUL in the path ("/%00") makes the base class's path functions raise
        if "\x00" in urllib.parse.unquote(self.path):
            self.send_error(HTTPStatus.BAD_REQUEST, "Alamat tidak valid")
            return None
        if not self.reload:
            return super().send_head()
        path = urllib.parse.urlsplit(self.path).path
        if path == RELOAD_PATH:
            return self._send(site_version(Path(self.directory)).encode(), "text/plain; charset=utf-8")
        target = self.translate_path(self.path)
        if os.path.isdir(target) and path.endswith("/"):
            target = os.path.join(target, "index.html")
        if not target.endswith(".html") or not os.path.isfile(target):
            return super().send_head()  # a document, a folder's redirect, or not found
        version = site_version(Path(self.directory))  # before the page: a swap between the two reloads once more
        try:
            with open(target, "rb") as handle:
                page = handle.read()
        except OSError:
            self.send_error(HTTPStatus.NOT_FOUND, "Halaman tidak ditemukan")
            return None
        return self._send(with_reload_script(page, version), "text/html; charset=utf-8")

    def _send(self, body: bytes, content_type: str):
        """A response never cached: the page carries the version of the site it was sent from."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        return io.BytesIO(body)

    def list_directory(self, path):
        """A folder without an index page is not listed: the site shows pages, not folders."""
        self.send_error(HTTPStatus.NOT_FOUND, "Halaman tidak ditemukan")
        return None


class SiteServer:
    """Static files of `site_dir` over HTTP in a background thread. The folder is looked up by
    name on every request, so a rebuild that swaps site/ is served at once; with `reload`, the
    pages reload themselves when it was (see the module's docstring)."""

    def __init__(self, site_dir: Path, port: int = 8000, host: str = "127.0.0.1", reload: bool = False) -> None:
        handler_class = type("_Handler", (_QuietHandler,), {"reload": reload})
        handler = functools.partial(handler_class, directory=str(site_dir))
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
    entries: list[tuple[str, int, int]] = []

    def walk(folder: str) -> None:
        try:
            with os.scandir(folder) as found:
                listed = sorted(found, key=lambda entry: entry.name)
        except (FileNotFoundError, NotADirectoryError):  # removed while we looked: the next snapshot will tell
            return
        for entry in listed:
            try:
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path)
                else:
                    stat = entry.stat()
                    entries.append((entry.path, stat.st_mtime_ns, stat.st_size))
            except FileNotFoundError:
                continue

    for path in paths:
        if path.is_dir():
            walk(str(path))
        else:
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            entries.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(entries)


def wait_for_change(paths: list[Path], previous: tuple, poll: float = 0.2, settle: float = 0.1) -> tuple:
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
