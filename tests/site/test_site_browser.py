"""The public site in a real browser: Debian's Chromium driven by Playwright, the site served on
127.0.0.1 by sopdoc's own server. Search, the SOP page, a phone's width, accessibility (axe-core
from npm), and source text that looks like a script.

Every wait is for the state the test is about (a link to the page in the result list, the
diagram's picture loaded), through Playwright's auto-waiting locators, `expect` and
`wait_for_function`; never for a time or a number of results. What the pages must show is read
from the tests' corpus copy (the site is built from it), not written out here."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect, sync_playwright

from conftest import AXE, SCRIPT, script_site
from sopdoc.site.serve import SiteServer
from sopdoc.sources.loader import load_project

CHROMIUM = Path("/usr/bin/chromium")
# As root and offline: no sandbox, and no background calls to Google that a closed network refuses.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# How long a condition may take to hold before the test fails; a bound, never a pause (a loaded
# machine running the whole suite is slow to start the search worker).
PATIENCE_MS = 30_000
E_KTP = "kecamatan-jumapolo/layanan-e-ktp/"
DISPENSASI = "kecamatan-jumapolo/rekomendasi-dispensasi-nikah/"

expect.set_options(timeout=PATIENCE_MS)


@pytest.fixture(scope="module")
def browser():
    """Chromium for this module's tests. Module-scoped, not session-scoped: sync_playwright runs an
    asyncio event loop until it exits, and a loop left running breaks asyncio.run() in the tests
    collected after these (pyHanko signs with it: tests/sign/)."""
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


@pytest.fixture(scope="session")
def e_ktp(corpus_site):
    """The e-KTP SOP as the site was built from it (the tests' corpus copy)."""
    project, _ = load_project([corpus_site / "sop_sources"])
    (sop,) = [sop for sop in project.sops if f"{sop.office.slug}/{sop.slug}/" == E_KTP]
    return sop


class Visit:
    """A page that records what it asked of the network and every dialog a script opened."""

    def __init__(self, browser, base_url: str, **context_options) -> None:
        self.context = browser.new_context(accept_downloads=True, **context_options)
        self.context.set_default_timeout(PATIENCE_MS)
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

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser, corpus_url):
    visits = []

    def make(**context_options) -> Visit:
        visits.append(Visit(browser, corpus_url, **context_options))
        return visits[-1]

    yield make
    for made in visits:
        made.close()


def search(page, words: str):
    """Ask the site's search for `words` (on a page where nothing was searched yet); returns the
    result list. The words are filled in at once and one key released: Material searches on
    keyup, so it runs the whole query only, never a prefix of it ("K", "KT") whose results could
    be read instead."""
    field = page.locator("input.md-search__input")
    field.fill(words)
    field.press("End")
    return page.locator(".md-search-result__list")


def link_to(results, href: str):
    """The first link of the result list to the page `href` (the page's own entry, before its
    sections)."""
    return results.locator(f'a[href*="{href}"]').first


def wait_for_picture(page, selector: str) -> None:
    """Until the <img> matching `selector` has loaded its picture."""
    page.wait_for_function("selector => { const img = document.querySelector(selector);"
                           " return img !== null && img.complete && img.naturalWidth > 0; }", arg=selector)


def test_search_for_ktp_leads_to_the_e_ktp_page_and_its_pdf(visit, e_ktp):
    visitor = visit(viewport={"width": 1280, "height": 900})
    page = visitor.open()
    link_to(search(page, "KTP"), E_KTP).click()  # waits until the list holds it, visible
    page.wait_for_url(re.compile(re.escape(E_KTP)))
    expect(page.locator("h1")).to_have_text(e_ktp.nama)

    img = '.sop-diagram img[src$="layanan-e-ktp.svg"]'
    page.locator(img).scroll_into_view_if_needed()
    wait_for_picture(page, img)
    expect(page.locator(img)).to_be_visible()
    assert page.locator(img).evaluate("img => img.naturalWidth") > 300  # the drawing, not a broken icon

    box = page.locator(".sop-standar")
    expect(box).to_be_visible()
    for shown in (*e_ktp.layanan.persyaratan, str(e_ktp.total_waktu)):
        expect(box).to_contain_text(shown)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh PDF").click()
    download = download_info.value
    assert download.suggested_filename == "layanan-e-ktp.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF-")
    response = page.request.get(visitor.base_url + "kecamatan-jumapolo/layanan-e-ktp.pdf")
    assert response.ok and response.headers["content-type"] == "application/pdf"

    assert visitor.hosts == {"127.0.0.1"}  # no fonts, scripts or trackers fetched from elsewhere
    assert visitor.dialogs == []


@pytest.mark.parametrize("words, expected", [("pengantar lurah", E_KTP), ("Operator SIAK", E_KTP),
                                             ("dispensasi", DISPENSASI)])
def test_search_finds_words_of_the_requirements_and_steps(visit, corpus_site, words, expected):
    # The words are in the source of the page they must find (the corpus copy may change).
    source = (corpus_site / "sop_sources" / f"{expected.rstrip('/')}.yml").read_text(encoding="utf-8")
    assert words.casefold() in source.casefold(), (words, expected)
    # A fresh page per query: on a page that searched before, the previous query's results stay
    # listed while the next one runs, and could be read instead.
    page = visit(viewport={"width": 1280, "height": 900}).open()
    expect(link_to(search(page, words), expected)).to_be_attached()


def test_on_a_phone_the_diagram_scrolls_and_the_page_does_not(visit):
    page = visit(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True).open(E_KTP)
    diagram = page.locator(".sop-diagram")
    diagram.scroll_into_view_if_needed()
    wait_for_picture(page, ".sop-diagram img")  # until then the box has nothing to scroll
    expect(page.locator(".sop-diagram img")).to_be_visible()
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
    page = visit(viewport={"width": width, "height": 900}).open(path)  # after the load event
    assert axe_violations(page) == []


def test_script_in_a_source_is_shown_as_text_and_never_runs(browser, tmp_path):
    root = script_site(tmp_path)
    server = SiteServer(root / "site", port=0).start()
    visitor = Visit(browser, server.url, viewport={"width": 1280, "height": 900})
    try:
        page = visitor.open("kecamatan-uji/layanan-uji/")
        expect(page.locator("h1")).to_have_text(f"Layanan {SCRIPT}")
        expect(page).to_have_title(re.compile("^" + re.escape(f"Layanan {SCRIPT}")))
        expect(page.locator(".sop-langkah")).to_contain_text(f"Mengajukan {SCRIPT}")
        for path in ("", "kecamatan-uji/", "kategori/"):
            page = visitor.open(path)
            expect(page.locator("article")).to_contain_text(SCRIPT)
        # The results show titles and text through innerHTML: the page's result is listed, as text.
        results = search(page, "Layanan")
        expect(link_to(results, "kecamatan-uji/layanan-uji/")).to_contain_text(SCRIPT, use_inner_text=True)
        # Never ran: no element holds the script, and once the page has drawn the results and run
        # what they queued (one frame, then one task), no dialog was opened. A dialog blocks the
        # page, so this evaluation returns only after it was recorded.
        assert page.evaluate("() => [...document.scripts].filter(s => s.text.includes('alert(1)')).length") == 0
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => setTimeout(done)))")
        assert visitor.dialogs == []
    finally:
        visitor.close()
        server.stop()
