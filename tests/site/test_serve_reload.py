"""`sopdoc serve` puts an edit on screen by itself: the page it serves carries a small script that
asks the server which site it serves and reloads when a rebuild replaced site/; the files of
site/ never hold that script. (How fast: benchmarks/bench_build.py; no timing is asserted here.)"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from conftest import BASE_SOP, SITE_CONFIG, office_tree
from sopdoc.site.serve import RELOAD_PATH, SiteServer

SOPDOC = Path(sys.executable).parent / "sopdoc"
MARKER = b'data-sopdoc-serve="muat-ulang"'


def fetch(url: str) -> tuple[bytes, dict[str, str]]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read(), dict(response.headers)


def until(condition, seconds: float, what: str):
    """Poll `condition` until it holds; `seconds` only bounds a failure."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


class Lines:
    """A process's output, read as it comes."""

    def __init__(self, stream) -> None:
        self.lines: list[str] = []
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream) -> None:
        with stream:
            for line in stream:
                self.lines.append(line)

    def rest(self, seconds: float) -> str:
        """Everything, once the process closed its output."""
        self._thread.join(seconds)
        return self.text

    @property
    def text(self) -> str:
        return "".join(list(self.lines))


def test_an_edit_is_served_and_the_page_reloads_itself(tmp_path):
    sources = office_tree(tmp_path)
    shutil.copy(SITE_CONFIG, tmp_path / "mkdocs.yml")
    process = subprocess.Popen([str(SOPDOC), "serve", "sop_sources", "--port", "0", "--jobs", "1"], cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    output = Lines(process.stdout)
    try:
        url = until(lambda: next((line.split("situs tersaji di ")[1].split()[0] for line in list(output.lines)
                                  if "situs tersaji di " in line), None), 300, f"the server's address:\n{output.text}")
        page_url = url + "kecamatan-uji/layanan-uji/"
        page, headers = fetch(page_url)
        on_disk = (tmp_path / "site" / "kecamatan-uji" / "layanan-uji" / "index.html").read_bytes()
        assert MARKER in page and MARKER not in on_disk
        assert page.replace(page[page.index(b"<script " + MARKER):page.index(b"</script>", page.index(MARKER)) + 9],
                            b"") == on_disk  # the page as built, with only the script added
        assert headers["Cache-Control"] == "no-store"
        version, _ = fetch(url + RELOAD_PATH.lstrip("/"))
        assert version and version.decode() in page.decode()

        source = sources / "kecamatan-uji" / "layanan-uji.yml"
        source.write_text(BASE_SOP.replace("Mengajukan permohonan", "Mengajukan permohonan tertulis"),
                          encoding="utf-8")
        until(lambda: b"Mengajukan permohonan tertulis" in fetch(page_url)[0], 300, "the edited step on the page")
        assert fetch(url + RELOAD_PATH.lstrip("/"))[0] != version  # what the open page's script sees: it reloads
        until(lambda: "selesai dalam" in output.text.split("sumber berubah")[-1], 300, "the rebuild's end")
        assert MARKER not in (tmp_path / "site" / "kecamatan-uji" / "layanan-uji" / "index.html").read_bytes()
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
    text = output.rest(30)
    assert process.returncode == 0, text
    assert "situs diperbarui dalam" in text and "Traceback" not in text


def test_the_reload_script_is_served_only_when_asked_for(tmp_path):
    (tmp_path / "index.html").write_bytes(b"<html><body><h1>Beranda</h1></body></html>")
    (tmp_path / "gaya.css").write_bytes(b"body {}")
    plain = SiteServer(tmp_path, port=0).start()
    live = SiteServer(tmp_path, port=0, reload=True).start()
    try:
        assert fetch(plain.url)[0] == (tmp_path / "index.html").read_bytes()
        page = fetch(live.url)[0]
        assert page.startswith(b"<html><body><h1>Beranda</h1><script ") and page.endswith(b"</script></body></html>")
        assert fetch(live.url + "gaya.css")[0] == b"body {}"
        assert fetch(live.url + RELOAD_PATH.lstrip("/"))[0] != b""
    finally:
        plain.stop()
        live.stop()
