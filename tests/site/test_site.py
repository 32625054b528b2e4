"""The public site as files: pages written from the model, MkDocs' strict build, links, downloads,
search index, reproducibility. The browser's view of it is in test_site_browser.py."""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import markdown
import pytest
from click.testing import CliRunner

from conftest import BASE_SOP, CORPUS, PASSWORD, ROOT, build_site_project, office_tree, replace_line, script_site
from sopdoc.build.outputs import public_url, signed_copy_path
from sopdoc.cli import cli
from sopdoc.sources.loader import load_project
from sopdoc.site.pages import markdown_text, sop_page
from sopdoc.sign.pades import load_signer, sign_pdf
from sopdoc.site.downloads import Downloads
from sopdoc.site.config import site_url_of

NO_DOWNLOADS = Downloads(())

SITE_URL = site_url_of(ROOT / "mkdocs.yml")


def corpus_sop(office: str, slug: str):
    project, _ = load_project([CORPUS])
    return next(sop for sop in project.sops if sop.office.slug == office and sop.slug == slug)


def standard_box(page_html: str) -> str:
    found = re.search(r'<div class="sop-standar">(.*?)</div>', page_html, re.S)
    assert found, "no Standar Pelayanan box"
    return found.group(1)


def tree_digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


# ---------------------------------------------------------------- pages from the model

def test_markdown_text_is_literal_text():
    nasty = "*tebal* _miring_ [tautan](http://x) `kode` # judul <script>alert(1)</script> &amp; 1. 2) !x"
    html = markdown.markdown(str(markdown_text(nasty)))
    assert html == f"<p>{nasty.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')}</p>"


def test_service_box_takes_the_first_steps_requirements_and_the_total_time():
    sop = corpus_sop("kecamatan-jumapolo", "layanan-e-ktp")
    box = standard_box(markdown.markdown(sop_page(sop, b"", NO_DOWNLOADS), extensions=["md_in_html", "attr_list"]))
    assert "<li>Surat pengantar lurah</li><li>Berkas permohonan</li>" in box  # step 1's kelengkapan
    assert str(sop.total_waktu) == "18 menit" and "<dd>18 menit</dd>" in box
    assert "KTP tercetak" in box  # the last step's output
    # The source says nothing of a fee: the page says so instead of promising a free service.
    assert "Tidak dipungut biaya" not in box and "Tidak tercantum dalam SOP" in box


def test_service_box_prefers_what_the_source_states(tmp_path):
    sop_text = BASE_SOP + ("layanan:\n  persyaratan: [Fotokopi KTP, Surat pengantar RT]\n"
                           "  biaya: Tidak dipungut biaya\n  produk: Surat keterangan\n")
    project, diagnostics = load_project([office_tree(tmp_path, sop=sop_text)])
    assert not diagnostics.error_count, list(diagnostics)
    box = standard_box(markdown.markdown(sop_page(project.sops[0], b"", NO_DOWNLOADS), extensions=["md_in_html"]))
    assert "<li>Fotokopi KTP</li><li>Surat pengantar RT</li>" in box
    assert "<dd>Tidak dipungut biaya</dd>" in box and "<dd>Surat keterangan</dd>" in box


def test_decision_branches_are_spelled_out_in_the_steps_table(tmp_path):
    project, _ = load_project([office_tree(tmp_path)])
    page = sop_page(project.sops[0], b"", NO_DOWNLOADS)
    assert "Ya: ke langkah 3; Tidak: ke langkah 1" in page


# ---------------------------------------------------------------- the built site

def test_every_sop_has_a_page_at_its_public_address(corpus_site):
    project, _ = load_project([CORPUS])
    site = corpus_site / "site"
    for sop in project.sops:
        address = public_url(SITE_URL, sop.office.slug, sop.slug)
        relative = urlsplit(address).path.lstrip("/")
        page = (site / relative / "index.html").read_text(encoding="utf-8")
        assert "<h1 id=" in page and sop.nomor in page
        office_page = site / urlsplit(public_url(SITE_URL, sop.office.slug)).path.lstrip("/") / "index.html"
        assert f'href="{sop.slug}/"' in office_page.read_text(encoding="utf-8")
    tags = (site / "kategori" / "index.html").read_text(encoding="utf-8")
    assert "Layanan Kartu Tanda Penduduk Elektronik (E-KTP)" in tags and "tag:ktp" in tags


def test_office_page_groups_sops_by_unit_and_offers_the_keputusan(corpus_site):
    page = (corpus_site / "site" / "kecamatan-jumapolo" / "index.html").read_text(encoding="utf-8")
    headings = re.findall(r"<h2 id=\"[^\"]+\">([^<]+)", page)
    assert headings == ["Seksi Kesejahteraan Sosial", "Seksi Pelayanan Umum", "Seksi Pemerintahan",
                        "Keputusan penetapan"]
    assert 'href="../keputusan-sop-pelayanan-2023.pdf"' not in page  # relative to the office page
    assert 'href="keputusan-sop-pelayanan-2023.pdf"' in page


def test_downloads_are_the_documents_built_in_the_same_run(corpus_site):
    site, built = corpus_site / "site", corpus_site / "build"
    for document in sorted(built.glob("*/*.pdf")) + sorted(built.glob("*/*.docx")):
        published = site / document.relative_to(built)
        assert published.read_bytes() == document.read_bytes(), published
    assert (site / "kecamatan-jumapolo" / "layanan-e-ktp.pdf").read_bytes().startswith(b"%PDF-")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        for name in ("href", "src"):
            if attributes.get(name) and tag in ("a", "link", "img", "script", "source", "iframe"):
                self.links.append(attributes[name])


def test_every_internal_link_and_download_resolves(corpus_site):
    """A link checker: every href/src of every page, and its #fragment, resolves inside site/.
    Absolute links under site_url count as internal (canonical links, the sitemap's scheme)."""
    site = corpus_site / "site"
    parsed: dict[Path, _Links] = {}

    def page_of(path: Path) -> _Links:
        if path not in parsed:
            parser = _Links()
            parser.feed(path.read_text(encoding="utf-8"))
            parsed[path] = parser
        return parsed[path]

    broken, checked, downloads = [], 0, set()
    pages = sorted(site.rglob("*.html"))
    for page in pages:
        base = "http://site.invalid/" + page.relative_to(site).as_posix()
        for link in page_of(page).links:
            if link.startswith(SITE_URL):
                link = "http://site.invalid/" + link[len(SITE_URL):]
            target = urlsplit(urljoin(base, link))
            if target.scheme in ("mailto", "data") or (target.scheme and target.netloc != "site.invalid"):
                continue
            assert target.scheme != "javascript", (page, link)
            path = site / unquote(target.path).lstrip("/")
            if target.path.endswith("/") or path.is_dir():
                path = path / "index.html"
            checked += 1
            if path.suffix in (".pdf", ".docx"):
                downloads.add(path)
            if not path.is_file():
                broken.append(f"{page.relative_to(site)} -> {link}")
            elif target.fragment and path.suffix == ".html" and unquote(target.fragment) not in page_of(path).ids:
                broken.append(f"{page.relative_to(site)} -> {link} (no such anchor)")
    assert not broken, "\n".join(broken)
    assert len(pages) == 14 and checked > 300
    assert downloads == {site / d.relative_to(corpus_site / "build")
                         for d in (corpus_site / "build").glob("*/*") if d.suffix in (".pdf", ".docx")}


def test_search_index_has_no_english_stemmer_and_holds_the_steps(corpus_site):
    index = json.loads((corpus_site / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["pipeline"] == [" "]  # theme.language id: no stemmer, no stop words
    e_ktp = " ".join(doc["text"] for doc in index["docs"]
                     if doc["location"].startswith("kecamatan-jumapolo/layanan-e-ktp/"))
    for words in ("Surat pengantar lurah", "Mengoreksi/meneliti form", "Operator SIAK", "18 menit"):
        assert words in e_ktp


# ---------------------------------------------------------------- building it

def small_project(root: Path, **sops: str) -> Path:
    office_tree(root, **sops)
    return build_site_project(root, sources=root / "sop_sources")


def test_rebuilding_changes_no_byte_and_a_removed_sop_leaves_the_site(tmp_path):
    other = replace_line(replace_line(BASE_SOP, 2, "nama: Layanan Lain"), 1, "nomor: KEC/UJI/2/2024")
    root = small_project(tmp_path, layanan_lain=other)
    first = tree_digest(root / "site")
    result = CliRunner().invoke(cli, ["build", str(root / "sop_sources"), "--out", str(root / "build"), "--force"])
    assert result.exit_code == 0, result.output
    assert tree_digest(root / "site") == first

    (root / "sop_sources" / "kecamatan-uji" / "layanan-lain.yml").unlink()
    result = CliRunner().invoke(cli, ["build", str(root / "sop_sources"), "--out", str(root / "build")])
    assert result.exit_code == 0, result.output
    left = set(tree_digest(root / "site"))
    assert not {name for name in left if "layanan-lain" in name}
    assert not list((root / "build" / "situs").rglob("layanan-lain*"))
    assert "kecamatan-uji/layanan-uji/index.html" in left


def test_a_failed_site_build_keeps_the_previous_site(tmp_path):
    root = small_project(tmp_path)
    before = tree_digest(root / "site")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nnot_in_nav: [\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(root / "sop_sources"), "--out", str(root / "build")])
    assert result.exit_code == 1
    assert f"sopdoc: {config}:37:1: mkdocs.yml tidak valid" in result.output, result.output
    assert "Traceback" not in result.output
    assert tree_digest(root / "site") == before
    assert not list(root.glob(".site.*"))


def test_a_strict_mkdocs_warning_fails_the_build(tmp_path):
    root = small_project(tmp_path)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "warna_tema: biru\n", encoding="utf-8")  # unknown key
    shutil.rmtree(root / "site")
    result = CliRunner().invoke(cli, ["build", str(root / "sop_sources"), "--out", str(root / "build")])
    assert result.exit_code == 1, result.output
    assert "situs gagal dibangun dengan MkDocs" in result.output and "warna_tema" in result.output
    assert not (root / "site").exists()


def test_sources_without_mkdocs_yml_build_documents_only(run, tmp_path):
    office_tree(tmp_path)
    result = run("build", "sop_sources")
    assert result.exit_code == 0, result.output
    assert "situs: dilewati (mkdocs.yml tidak ada di samping folder sumber)" in result.output
    assert not (tmp_path / "site").exists()


def test_script_in_a_source_reaches_the_page_as_text(tmp_path):
    root = script_site(tmp_path)
    for page in sorted((root / "site").rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text, page
    page = (root / "site" / "kecamatan-uji" / "layanan-uji" / "index.html").read_text(encoding="utf-8")
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 5


@pytest.mark.parametrize("office,slug", [("kecamatan-jumapolo", "layanan-e-ktp")])
def test_diagram_is_drawn_at_its_own_size(corpus_site, office, slug):
    page = (corpus_site / "site" / office / slug / "index.html").read_text(encoding="utf-8")
    image = re.search(r'<img alt="Diagram alir [^"]+" height="(\d+)" src="../layanan-e-ktp.svg" width="(\d+)"', page)
    assert image, "diagram image with its size"
    svg = (corpus_site / "site" / office / f"{slug}.svg").read_text(encoding="utf-8")
    width_pt = float(re.search(r'<svg width="([\d.]+)pt"', svg).group(1))
    assert int(image.group(2)) == round(width_pt * 4 / 3) > 360  # wider than a phone: it scrolls


def test_the_site_offers_the_signed_keputusan_only_while_it_signs_this_build(tmp_path, pki):
    root = small_project(tmp_path)
    built = root / "build" / "kecamatan-uji" / "keputusan-sop-2024.pdf"
    published = root / "site" / "kecamatan-uji" / "keputusan-sop-2024.pdf"
    office_page = root / "site" / "kecamatan-uji" / "index.html"
    now = datetime.datetime.now(datetime.timezone.utc)
    signed = sign_pdf(built.read_bytes(), load_signer(pki["camat"].read_bytes(), PASSWORD.encode(), now), now=now)
    signed_copy_path(built).write_bytes(signed)

    def rebuild():
        result = CliRunner().invoke(cli, ["build", str(root / "sop_sources"), "--out", str(root / "build")])
        assert result.exit_code == 0, result.output
        return result.output

    rebuild()
    assert published.read_bytes() == signed
    assert "unduh PDF bertanda tangan elektronik" in office_page.read_text(encoding="utf-8")

    source = root / "sop_sources" / "kecamatan-uji" / "layanan-uji.yml"
    source.write_text(replace_line(BASE_SOP, 2, "nama: Layanan Uji yang Diubah"), encoding="utf-8")
    output = rebuild()
    assert published.read_bytes() == built.read_bytes() != signed[:len(built.read_bytes())]
    assert f"situs: peringatan: {signed_copy_path(built)} menandatangani versi lama" in output
    page = office_page.read_text(encoding="utf-8")
    assert "unduh PDF</a>" in page and "bertanda tangan" not in page


def test_markdown_text_keeps_a_multi_line_source_value_in_one_paragraph():
    text = "Baris satu\n===\n    kode\n1. daftar\n> kutipan"
    assert markdown.markdown(str(markdown_text(text))) == "<p>Baris satu === kode 1. daftar &gt; kutipan</p>"


def test_building_one_office_leaves_the_site_of_all_offices_alone(tmp_path):
    root = small_project(tmp_path)
    before = tree_digest(root / "site")
    result = CliRunner().invoke(cli, ["build", str(root / "sop_sources" / "kecamatan-uji"),
                                      "--out", str(root / "build")])
    assert result.exit_code == 0, result.output
    assert "situs: dilewati (hanya sebagian sumber yang dibangun" in result.output
    assert tree_digest(root / "site") == before
