"""A large tree's build starts its workers before loading the sources, so that they import the
renderers meanwhile, and renders every document in them, even a single one: the same bytes and
the same words as a build that renders here."""

from __future__ import annotations

import os
import re
import shutil

from click.testing import CliRunner

from sopdoc.cli import building, cli
from tests.conftest import CORPUS


def _build(root, *extra):
    """`sopdoc build` in `root`, so that both projects' messages name the same relative paths."""
    previous = os.getcwd()
    os.chdir(root)
    try:
        return CliRunner().invoke(cli, ["build", "sop_sources", "--no-site", *extra], catch_exceptions=False)
    finally:
        os.chdir(previous)


def _documents(root):
    return {path.relative_to(root): path.read_bytes() for path in sorted((root / "build").rglob("*"))
            if path.suffix in (".pdf", ".docx", ".svg")}


def test_documents_rendered_by_warm_workers_are_those_rendered_here(tmp_path, monkeypatch):
    here, warm = tmp_path / "here", tmp_path / "warm"
    for root in (here, warm):
        shutil.copytree(CORPUS, root / "sop_sources")
    alone = _build(here, "--jobs", "1")
    monkeypatch.setattr(building, "WARM_FROM", 0)
    started = _build(warm, "--jobs", "2")
    assert alone.exit_code == started.exit_code == 0, started.output
    assert _documents(warm) == _documents(here)
    assert sorted(re.sub(r"\d+\.\d detik", "", line) for line in started.output.splitlines()) \
        == sorted(re.sub(r"\d+\.\d detik", "", line) for line in alone.output.splitlines())

    edited = warm / "sop_sources" / "kecamatan-jumapolo" / "layanan-e-ktp.yml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("2 menit", "4 menit", 1), encoding="utf-8")
    one = _build(warm, "--jobs", "2")  # one SOP and its decree, each in a worker started before the load
    assert one.exit_code == 0, one.output
    assert "8 SOP: 1 dibangun, 7 tidak berubah, 0 gagal" in one.output
    assert "2 keputusan: 1 dibangun, 1 tidak berubah, 0 gagal" in one.output
