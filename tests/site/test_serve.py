"""`sopdoc serve` as a user runs it: a real process, a real port, a source edited while it runs."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from conftest import BASE_SOP, SITE_CONFIG, office_tree, replace_line

SOPDOC = Path(sys.executable).parent / "sopdoc"


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def wait_for(condition, seconds: float, what: str):
    """Poll `condition` (the served page, say) until it holds; `seconds` only bounds a failure."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


class Output:
    """What a process prints, read in a thread as it comes, so that a test waits for the line
    it is about (and a silent process cannot block it past the bound)."""

    def __init__(self, stream) -> None:
        self._lines: list[str] = []
        self._closed = False
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream) -> None:
        with stream:
            for line in stream:
                with self._changed:
                    self._lines.append(line)
                    self._changed.notify_all()
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    @property
    def text(self) -> str:
        with self._changed:
            return "".join(self._lines)

    def wait_for(self, pattern: str, seconds: float, what: str) -> re.Match:
        """The first match of `pattern` in the output, once it is printed."""
        found: list[re.Match] = []

        def printed() -> bool:
            match = re.search(pattern, "".join(self._lines))
            if match:
                found.append(match)
            return bool(match) or self._closed

        with self._changed:
            self._changed.wait_for(printed, timeout=seconds)
        assert found, f"{what} not printed (process {'ended' if self._closed else 'still silent'}):\n{self.text}"
        return found[0]

    def rest(self, seconds: float) -> str:
        """Everything, once the process closed its output."""
        self._thread.join(seconds)
        return self.text


def test_serve_builds_serves_and_rebuilds_when_a_source_changes(tmp_path):
    sources = office_tree(tmp_path)
    shutil.copy(SITE_CONFIG, tmp_path / "mkdocs.yml")
    process = subprocess.Popen([str(SOPDOC), "serve", "sop_sources", "--port", "0"], cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    output = Output(process.stdout)
    try:
        url = output.wait_for(r"situs tersaji di (\S+)", 120, "the server's address").group(1)
        assert url.startswith("http://127.0.0.1:")
        page = url + "kecamatan-uji/layanan-uji/"
        assert "<h1 id=\"layanan-uji\">Layanan Uji</h1>" in fetch(page)

        source = sources / "kecamatan-uji" / "layanan-uji.yml"
        source.write_text(replace_line(BASE_SOP, 2, "nama: Layanan Uji Baru"), encoding="utf-8")
        wait_for(lambda: "Layanan Uji Baru" in fetch(page), 120, "the rebuilt page")
        assert (tmp_path / "build" / "kecamatan-uji" / "layanan-uji.pdf").is_file()

        source.write_text(replace_line(BASE_SOP, 2, "nama: [tidak ditutup"), encoding="utf-8")
        # The broken source is reported, where it is broken (what the message says is the YAML
        # tests' business); the last good site stays up.
        output.wait_for(r"layanan-uji\.yml:[23]:\d+: galat: ", 120, "the broken source's error")
        assert "Layanan Uji Baru" in fetch(page)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
    text = output.rest(30)
    assert process.returncode == 0, text
    assert "sumber berubah; membangun ulang" in text
    assert "berhenti" in text and "Traceback" not in text


def test_serve_without_mkdocs_yml_says_why(run, tmp_path):
    office_tree(tmp_path)
    result = run("serve", "sop_sources", "--port", "0")
    assert result.exit_code == 1
    assert "mkdocs.yml tidak ditemukan di samping folder sumber" in result.output


def test_serve_needs_the_whole_sources_folder(run, tmp_path):
    office_tree(tmp_path)
    shutil.copy(SITE_CONFIG, tmp_path / "mkdocs.yml")
    result = run("serve", "sop_sources/kecamatan-uji", "--port", "0")
    assert result.exit_code == 2
    assert "sopdoc serve memerlukan seluruh folder sumber" in result.output


def test_the_server_refuses_nul_paths_and_lists_no_folder(tmp_path, capsys):
    import http.client

    from sopdoc.site.serve import SiteServer

    (tmp_path / "index.html").write_text("<h1>Beranda</h1>")
    (tmp_path / "aset").mkdir()
    (tmp_path / "aset" / "gaya.css").write_text("body {}")
    server = SiteServer(tmp_path, port=0).start()
    try:
        host, port = server.url.removeprefix("http://").rstrip("/").split(":")
        statuses = {}
        for path in ("/", "/%00", "/aset/", "/aset/gaya.css"):
            connection = http.client.HTTPConnection(host, int(port), timeout=10)
            connection.request("GET", path)
            response = connection.getresponse()
            statuses[path] = (response.status, response.read())
            connection.close()
    finally:
        server.stop()
    assert statuses["/"][0] == 200 and statuses["/aset/gaya.css"][0] == 200
    assert statuses["/%00"][0] == 400
    assert statuses["/aset/"][0] == 404 and b"gaya.css" not in statuses["/aset/"][1]
    assert "Traceback" not in capsys.readouterr().err
