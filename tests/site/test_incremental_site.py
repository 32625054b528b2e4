"""The site built only as far as it changed: a build with nothing changed does no site work and
touches no file of site/; a one-SOP edit renders that SOP's page and its office's page, keeps
search finding every page, and leaves site/ byte for byte what a full build makes.

One small synthetic project (two offices, tagged SOPs) is built once and edited test after test."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SITE_CONFIG
from sopdoc.cli import cli
from sopdoc.sources.synthetic import write_synthetic_tree

EDITED_WORD = "Zebrakuda"  # only in the step the edit changes
OTHER_WORD = "Kerbaubelang"  # only in an SOP of the other office


def snapshot(site: Path) -> dict[str, tuple[int, str]]:
    """Every file of site/: its modification time and a digest of its bytes."""
    return {path.relative_to(site).as_posix(): (path.stat().st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest())
            for path in sorted(site.rglob("*")) if path.is_file()}


def build(root: Path, *extra: str) -> str:
    result = CliRunner().invoke(cli, ["build", str(root / "sop_sources"), "--out", str(root / "build"), *extra],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """Two offices of three SOPs, every SOP tagged (so the pages link to the tag listing), built."""
    root = tmp_path_factory.mktemp("incremental")
    paths = write_synthetic_tree(root / "sop_sources", 6, seed=3, per_office=3)
    for number, path in enumerate(paths):
        text = path.read_text(encoding="utf-8") + f'kategori:\n  - "Kategori {number % 2}"\n'
        if number == 4:
            text = text.replace('- uraian: "', f'- uraian: "{OTHER_WORD} ', 1)
        path.write_text(text, encoding="utf-8")
    shutil.copy(SITE_CONFIG, root / "mkdocs.yml")
    build(root)
    return root


def search_entries(site: Path) -> list[dict]:
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


def test_a_build_with_nothing_changed_runs_no_mkdocs_and_touches_no_file(project, monkeypatch):
    build(project)  # whatever an earlier test left, settled
    before = snapshot(project / "site")
    source = project / "sop_sources" / "kecamatan-sintetis-1" / "sop-0000.yml"
    source.write_bytes(source.read_bytes())  # saved again, unchanged

    def no_mkdocs(*args, **kwargs):
        raise AssertionError("MkDocs ran for a build with nothing changed")

    monkeypatch.setattr("mkdocs.commands.build.build", no_mkdocs)
    output = build(project)
    assert "situs: tidak berubah (10 halaman)" in output
    assert snapshot(project / "site") == before


def test_a_one_sop_edit_rebuilds_its_page_and_its_office_page_only(project):
    build(project)
    site = project / "site"
    before = snapshot(site)
    source = project / "sop_sources" / "kecamatan-sintetis-1" / "sop-0001.yml"
    text = source.read_text(encoding="utf-8")
    text = text.replace('- uraian: "', f'- uraian: "{EDITED_WORD} ', 1)
    text = re.sub(r"waktu: \d+ ", "waktu: 97 ", text, count=1)  # the SOP's total time: its office page shows it
    source.write_text(text, encoding="utf-8")

    output = build(project)
    assert "situs: 2 dari 10 halaman dibangun ulang" in output, output
    after = snapshot(site)
    assert set(after) == set(before)
    changed = {name for name in after if after[name][1] != before[name][1]}
    assert {"kecamatan-sintetis-1/sop-0001/index.html", "kecamatan-sintetis-1/index.html"} <= changed
    assert EDITED_WORD in (site / "kecamatan-sintetis-1" / "sop-0001" / "index.html").read_text(encoding="utf-8")
    untouched = [name for name in before if name.startswith("kecamatan-sintetis-2/")]
    assert untouched and all(after[name] == before[name] for name in untouched)  # same time, same bytes
    assert after["index.html"] == before["index.html"] and after["kategori/index.html"] == before["kategori/index.html"]

    entries = search_entries(site)
    assert {entry["location"].split("#")[0] for entry in entries if EDITED_WORD in entry["text"]} == {
        "kecamatan-sintetis-1/sop-0001/"}
    assert {entry["location"].split("#")[0] for entry in entries if OTHER_WORD in entry["text"]} == {
        "kecamatan-sintetis-2/sop-0004/"}
    assert any(entry["location"] == "kecamatan-sintetis-2/" for entry in entries)
    assert 'href="../../kategori/#tag:kategori-1"' in (
        site / "kecamatan-sintetis-1" / "sop-0001" / "index.html").read_text(encoding="utf-8")


def test_the_site_built_in_part_equals_a_full_build_byte_for_byte(project):
    source = project / "sop_sources" / "kecamatan-sintetis-2" / "sop-0003.yml"
    source.write_text(source.read_text(encoding="utf-8").replace('- uraian: "', '- uraian: "Diubah lagi ', 1),
                      encoding="utf-8")
    assert "dari 10 halaman dibangun ulang" in build(project)
    incremental = {name: digest for name, (_, digest) in snapshot(project / "site").items()}
    assert "situs: 10 halaman" in build(project, "--force")
    full = {name: digest for name, (_, digest) in snapshot(project / "site").items()}
    assert "sitemap.xml" in full and "search/search_index.json" in full and "tags.json" in full
    assert incremental == full


def test_a_changed_title_or_a_replaced_site_builds_everything(project):
    source = project / "sop_sources" / "kecamatan-sintetis-2" / "sop-0005.yml"
    source.write_text(re.sub(r'^nama: "', 'nama: "Judul baru ', source.read_text(encoding="utf-8"), count=1,
                             flags=re.M), encoding="utf-8")
    assert "situs: 10 halaman ->" in build(project)  # the title is in other pages (the tag listing)
    (project / "site" / "404.html").write_text("diubah tangan", encoding="utf-8")
    assert "situs: 10 halaman ->" in build(project)  # site/ is not the one recorded: built again in full
    assert "diubah tangan" not in (project / "site" / "404.html").read_text(encoding="utf-8")
