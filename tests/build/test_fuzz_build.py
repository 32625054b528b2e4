"""Every source that passes `check` renders: hostile values (control characters, very long words,
huge numbers, odd Unicode) in a valid SOP end either in its documents or in a located diagnostic,
never in a crash."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import BASE_INSTANSI, BASE_SOP

from sopdoc.build.outputs import FORMAT_NAMES, name_conflicts
from sopdoc.build.pipeline import render_decree, render_sop
from sopdoc.model import decrees_with_members
from sopdoc.sources.loader import load_project

HOSTILE = st.one_of(
    st.text(min_size=1, max_size=60),  # any code point, controls and surrogates included
    st.sampled_from([
        "x" * 10_000,  # one long word
        "https://pengaduan.example.go.id/" + "a" * 3000 + "?q=1",
        " ".join(["kata"] * 3000),
        "9" * 40,
        "A" * 300,  # beyond Word's 255 characters for a title
        "\u202eterbalik\u202c", "e\u0301\u0301\u0301", "\U0001f600 \u4e2d\u6587 \u0627\u0644\u0639\u0631\u0628\u064a\u0629",
        "<script>alert(1)</script> {{ x }} \\ \" '", "&lt;b&gt; &amp;",
        "\x00", "\x1b[31m", "\ufffe", "\ud800",
    ]),
)
WAKTU = st.one_of(st.sampled_from(["99999999999999999999999999999999 detik", "1,123456 jam", "9999 tahun",
                                   "0 menit", "1e9 menit"]),
                  st.builds(lambda n, unit: f"{n} {unit}", st.integers(0, 10**12),
                            st.sampled_from(["detik", "menit", "jam", "hari kerja", "tahun"])))
TEXT_FIELDS = [("nama",), ("nomor",), ("unit",), ("ringkasan",), ("dasar_hukum",), ("pelaksana", "petugas"),
               ("langkah", 0, "uraian"), ("langkah", 1, "keterangan"), ("langkah", 2, "output"),
               ("langkah", 0, "kelengkapan")]


def _set(tree, path, value):
    for part in path[:-1]:
        tree = tree[part]
    tree[path[-1]] = value


@st.composite
def hostile_sop(draw):
    sop = yaml.safe_load(BASE_SOP)
    for path in draw(st.lists(st.sampled_from(TEXT_FIELDS), min_size=1, max_size=3, unique=True)):
        _set(sop, path, draw(HOSTILE))
    if draw(st.booleans()):
        _set(sop, ("langkah", draw(st.integers(0, 2)), "waktu"), draw(WAKTU))
    return json.dumps(sop, default=str)  # JSON is YAML: escapes like \u0001 reach the loader as characters


def _build(folder: Path, text: str) -> None:
    office = folder / "sop_sources" / "kecamatan-uji"
    office.mkdir(parents=True)
    (office / "instansi.yml").write_text(BASE_INSTANSI, encoding="utf-8")
    (office / "layanan-uji.yml").write_text(text, encoding="utf-8")
    project, diagnostics = load_project([office.parent])  # what `sopdoc check` does
    diagnostics.extend(name_conflicts(project))
    for diagnostic in diagnostics:
        assert diagnostic.location.line >= 1 and diagnostic.code.startswith("SOP"), diagnostic.format()
    if diagnostics.error_count:
        return
    (sop,) = project.sops
    out = folder / "build"
    result = render_sop(sop, FORMAT_NAMES, out)
    assert result.error is None, (result.error, result.details)
    for decree, instansi, members in decrees_with_members([sop]):
        result = render_decree(decree, instansi, members, ("pdf", "docx"), out)
        assert result.error is None, (result.error, result.details)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_sop())
def test_hostile_values_give_documents_or_located_diagnostics(text):
    with tempfile.TemporaryDirectory() as folder:
        _build(Path(folder), text)


def test_the_known_crashes_of_the_fuzzer_build(tmp_path):
    """Found by fuzzing 2000 sources: each once crashed the build after passing `check`."""
    for index, (path, value) in enumerate([
        (("nama",), "A" * 300),
        (("langkah", 1, "keterangan"), "https://pengaduan.example.go.id/" + "a" * 10_000),
        (("pelaksana", "petugas"), "&lt;b&gt; Petugas"),
    ]):
        sop = yaml.safe_load(BASE_SOP)
        _set(sop, path, value)
        _build(tmp_path / str(index), json.dumps(sop, default=str))
