"""The public site in a real browser: Debian's Chromium driven by Playwright, the site served on
127.0.0.1 by sopdoc's own server. Search, the SOP page, a phone's width, accessibility (axe-core
from npm), and source text that looks like a script."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import sync_playwright

from conftest import AXE, SCRIPT, script_site
from sopdoc.site.serve import SiteServer

CHROMIUM = Path("/usr/bin/chromium")
# As root and offline: no sandbox, and no background calls to Google that a closed network refuses.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
E_KTP = "kecamatan-jumapolo/layanan-e-ktp/"


@pytest.fixture(scope="session")
def browser():
    assert CHROMIUM.is_file(), "Debian's chromium is installed by scripts/setup.sh"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def corpus_url(corpus_site):
    server = SiteServer(corpus_site / "site", port=0).start()
    yield server.url
    server.stop()


class Visit:
    """A page that records what it asked of the network and every dialog a script opened."""

    def __init__(self, browser, base_url: str, **context_options) -> None:
        self.context = browser.new_context(accept_downloads=True, **context_options)
        self.page = self.context.new_page()
        self.base_url = base_url
        self.hosts: set[str] = set()
        self.dialogs: list[str] = []
        self.page.on("request", lambda request: self.hosts.add(urlsplit(request.url).hostname or ""))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))

    def open(self, path: str = ""):
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.ok, path
        return self.page


@pytest.fixture
def visit(browser, corpus_url):
    visits = []

    def make(**context_options) -> Visit:
        visits.append(Visit(browser, corpus_url, **context_options))
        return visits[-1]

    yield make
    for made in visits:
        made.context.close()


def search(page, words: str):
    field = page.locator("input.md-search__input")
    field.click()
    field.fill("")
    page.keyboard.type(words)  # Material searches on key events, which fill() does not send
    results = page.locator(".md-search-result__list a")
    results.first.wait_for()
    return results


def test_search_for_ktp_leads_to_the_e_ktp_page_and_its_pdf(visit):
    visitor = visit(viewport={"width": 1280, "height": 900})
    page = visitor.open()
    results = search(page, "KTP")
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    assert any(E_KTP in href for href in hrefs), hrefs

    page.locator(f'.md-search-result__list a[href*="{E_KTP}"]').first.click()
    page.wait_for_url(re.compile(re.escape(E_KTP)))
    assert page.locator("h1").inner_text() == "Layanan Kartu Tanda Penduduk Elektronik (E-KTP)"

    diagram = page.locator('.sop-diagram img[src$="layanan-e-ktp.svg"]')
    diagram.scroll_into_view_if_needed()
    assert diagram.is_visible()
    assert diagram.evaluate("img => img.complete && img.naturalWidth > 300")

    box = page.locator(".sop-standar")
    assert box.is_visible()
    text = box.inner_text()
    assert "Surat pengantar lurah" in text and "Berkas permohonan" in text and "18 menit" in text

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh PDF").click()
    download = download_info.value
    assert download.suggested_filename == "layanan-e-ktp.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF-")
    response = page.request.get(visitor.base_url + "kecamatan-jumapolo/layanan-e-ktp.pdf")
    assert response.ok and response.headers["content-type"] == "application/pdf"

    assert visitor.hosts == {"127.0.0.1"}  # no fonts, scripts or trackers fetched from elsewhere
    assert visitor.dialogs == []


def test_search_finds_words_of_the_requirements_and_steps(visit):
    visitor = visit(viewport={"width": 1280, "height": 900})
    for words, expected in (("pengantar lurah", E_KTP), ("Operator SIAK", E_KTP),
                            ("dispensasi", "kecamatan-jumapolo/rekomendasi-dispensasi-nikah/")):
        # A fresh page per query: on the same page the previous query's results are still listed
        # while the next one runs, and would be read instead.
        results = search(visitor.open(), words)
        hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
        assert any(expected in href for href in hrefs), (words, hrefs)


def test_on_a_phone_the_diagram_scrolls_and_the_page_does_not(visit):
    page = visit(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True).open(E_KTP)
    diagram = page.locator(".sop-diagram")
    diagram.scroll_into_view_if_needed()
    assert page.locator(".sop-diagram img").is_visible()
    sizes = diagram.evaluate("box => [box.scrollWidth, box.clientWidth]")
    assert sizes[0] > sizes[1]  # the drawing keeps its size; its box scrolls sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    diagram.evaluate("box => { box.scrollLeft = box.scrollWidth; }")
    assert diagram.evaluate("box => box.scrollLeft") > 0
    # Each step is a card on a phone, its cells labelled (CSS generated text, not in inner_text).
    cell = page.locator(".sop-langkah tbody td").first
    assert cell.evaluate("td => [getComputedStyle(td).display, getComputedStyle(td, '::before').content]") \
        == ["block", '"Kegiatan"']
    assert page.locator(".sop-langkah").evaluate("table => table.scrollWidth") <= 360


def axe_violations(page) -> list[str]:
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['impact']}: {v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['target']})"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("path", ["", E_KTP, "kecamatan-jumapolo/", "kategori/"])
@pytest.mark.parametrize("width", [1280, 360])
def test_axe_finds_no_serious_or_critical_violation(visit, path, width):
    assert AXE.is_file(), "axe-core is installed by scripts/setup.sh (npm ci in tests/browser)"
    page = visit(viewport={"width": width, "height": 900}).open(path)
    assert axe_violations(page) == []


def test_script_in_a_source_is_shown_as_text_and_never_runs(browser, tmp_path):
    root = script_site(tmp_path)
    server = SiteServer(root / "site", port=0).start()
    try:
        visitor = Visit(browser, server.url, viewport={"width": 1280, "height": 900})
        page = visitor.open("kecamatan-uji/layanan-uji/")
        assert page.locator("h1").inner_text() == f"Layanan {SCRIPT}"
        assert page.title().startswith(f"Layanan {SCRIPT}")
        assert f"Mengajukan {SCRIPT}" in page.locator(".sop-langkah").inner_text()
        for path in ("", "kecamatan-uji/", "kategori/"):
            page = visitor.open(path)
            assert SCRIPT in page.locator("article").inner_text(), path
        results = search(page, "Layanan")  # results show titles and text through innerHTML
        assert results.count() >= 1 and SCRIPT in page.locator(".md-search-result").inner_text()
        page.wait_for_timeout(300)
        assert visitor.dialogs == []
        visitor.context.close()
    finally:
        server.stop()
