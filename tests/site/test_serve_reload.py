"""`sopdoc serve` puts an edit on screen by itself: the page it serves carries a small script that
asks the server which site it serves and reloads when a rebuild replaced site/; the files of
site/ never hold that script. (How fast: benchmarks/bench_build.py; no timing is asserted here.)"""

from __future__ import annotations

import urllib.request

from conftest import BASE_SOP, office_tree
from serve_process import serving, until
from sopdoc.site.serve import RELOAD_PATH, SiteServer

MARKER = b'data-sopdoc-serve="muat-ulang"'


def fetch(url: str) -> tuple[bytes, dict[str, str]]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read(), dict(response.headers)


def test_an_edit_is_served_and_the_page_reloads_itself(tmp_path):
    sources = office_tree(tmp_path)
    with serving(tmp_path, "--jobs", "1") as served:
        url = served.url
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
        until(lambda: "selesai dalam" in served.output.text.split("sumber berubah")[-1], 300, "the rebuild's end")
        assert MARKER not in (tmp_path / "site" / "kecamatan-uji" / "layanan-uji" / "index.html").read_bytes()
    text = served.stopped()
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
