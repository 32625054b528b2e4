"""`sopdoc serve` as a user runs it: a real process, a real port, a source edited while it runs."""

from __future__ import annotations

import shutil
import urllib.request

from conftest import BASE_SOP, SITE_CONFIG, office_tree, replace_line
from serve_process import serving, until


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def test_serve_builds_serves_and_rebuilds_when_a_source_changes(tmp_path):
    sources = office_tree(tmp_path)
    with serving(tmp_path) as served:
        assert served.url.startswith("http://127.0.0.1:")
        page = served.url + "kecamatan-uji/layanan-uji/"
        assert "<h1 id=\"layanan-uji\">Layanan Uji</h1>" in fetch(page)

        source = sources / "kecamatan-uji" / "layanan-uji.yml"
        source.write_text(replace_line(BASE_SOP, 2, "nama: Layanan Uji Baru"), encoding="utf-8")
        until(lambda: "Layanan Uji Baru" in fetch(page), 120, "the rebuilt page")
        assert (tmp_path / "build" / "kecamatan-uji" / "layanan-uji.pdf").is_file()

        source.write_text(replace_line(BASE_SOP, 2, "nama: [tidak ditutup"), encoding="utf-8")
        # The broken source is reported, where it is broken (what the message says is the YAML
        # tests' business); the last good site stays up.
        served.output.wait_for(r"layanan-uji\.yml:[23]:\d+: galat: ", 120, "the broken source's error")
        assert "Layanan Uji Baru" in fetch(page)
    text = served.stopped()
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
