"""`sopdoc serve` as a user runs it: a real process, a real port, a source edited while it runs."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import BASE_SOP, SITE_CONFIG, office_tree, replace_line

SOPDOC = Path(sys.executable).parent / "sopdoc"


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_serve_builds_serves_and_rebuilds_when_a_source_changes(tmp_path):
    sources = office_tree(tmp_path)
    shutil.copy(SITE_CONFIG, tmp_path / "mkdocs.yml")
    process = subprocess.Popen([str(SOPDOC), "serve", "sop_sources", "--port", "0"], cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    output: list[str] = []
    try:
        def announced():
            line = process.stdout.readline()
            output.append(line)
            return line.split("situs tersaji di ")[1].split()[0] if "situs tersaji di " in line else None

        url = wait_for(announced, 120, "the server's address")
        assert url.startswith("http://127.0.0.1:")
        page = url + "kecamatan-uji/layanan-uji/"
        assert "<h1 id=\"layanan-uji\">Layanan Uji</h1>" in fetch(page)

        source = sources / "kecamatan-uji" / "layanan-uji.yml"
        source.write_text(replace_line(BASE_SOP, 2, "nama: Layanan Uji Baru"), encoding="utf-8")
        wait_for(lambda: "Layanan Uji Baru" in fetch(page), 120, "the rebuilt page")
        assert (tmp_path / "build" / "kecamatan-uji" / "layanan-uji.pdf").is_file()

        source.write_text(replace_line(BASE_SOP, 2, "nama: [tidak ditutup"), encoding="utf-8")
        time.sleep(3)  # the broken source is reported; the last good site stays up
        assert "Layanan Uji Baru" in fetch(page)
    finally:
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=30)
        output.append(rest)
    text = "".join(output)
    assert process.returncode == 0, text
    assert "sumber berubah; membangun ulang" in text
    assert "layanan-uji.yml:3:9: error: sintaks YAML tidak valid" in text, text
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
