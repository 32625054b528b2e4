"""Property tests: no input crashes the loader; every valid generated SOP loads cleanly."""

from __future__ import annotations

import random
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import BASE_INSTANSI, BASE_SOP, CORPUS

from sopdoc.sources.loader import load_project
from sopdoc.model import Symbol
from sopdoc.sources.synthetic import synthetic_sop

SEEDS = [BASE_SOP] + sorted(p.read_text(encoding="utf-8") for p in CORPUS.glob("*/*.yml")
                            if p.name != "instansi.yml")

FRAGMENTS = [
    "", " ", ":", "- ", "-", "\t", "\n", "'", '"', "[", "]", "{", "}", "&a ", "*a", "!!python/name:os.system",
    "? ", "|", ">", "#", "%YAML 1.1", "---", "...", "~", "null", "0", "-1", "1e9", "2024-13-45", "99:99",
    "ya", "tidak", "selesai", "TODO", "\x00", "\ufeff", "\u202e", "é", "langkah:", "pelaksana: x",
    "keputusan: {ya: 1, tidak: 1}", "lanjut: 999", "waktu: 1,5 jam kerja", "nip: 123",
]


def _check_in(folder: Path, sop: str | bytes, instansi: str | bytes = BASE_INSTANSI):
    office = folder / "kecamatan-uji"
    office.mkdir(parents=True, exist_ok=True)
    for name, content in (("instansi.yml", instansi), ("layanan-uji.yml", sop)):
        data = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
        (office / name).write_bytes(data)
    project, diagnostics = load_project([folder])
    for diagnostic in diagnostics:
        text = (office / diagnostic.location.path.name).read_bytes()
        assert 1 <= diagnostic.location.line <= text.count(b"\n") + 2, diagnostic.format()
        assert diagnostic.location.col >= 1
        assert diagnostic.message and diagnostic.code.startswith("SOP")
    return project, diagnostics


@st.composite
def mutated(draw):
    lines = draw(st.sampled_from(SEEDS)).splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            lines = ["\n"]
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "insert", "indent", "dedent", "swap", "cut"]))
        if action == "delete":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "insert":
            line = lines[index]
            at = draw(st.integers(0, len(line)))
            fragment = draw(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)))
            lines[index] = line[:at] + fragment + line[at:]
        elif action == "indent":
            lines[index] = "  " + lines[index]
        elif action == "dedent":
            lines[index] = lines[index].lstrip()
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        else:
            lines = lines[:index]
    return "".join(lines)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_sources_only_ever_give_diagnostics(text):
    with tempfile.TemporaryDirectory() as folder:
        _check_in(Path(folder), text)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_only_ever_give_diagnostics(data):
    with tempfile.TemporaryDirectory() as folder:
        _check_in(Path(folder), data, instansi=data)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_generated_valid_sops_load_cleanly(seed):
    rng = random.Random(seed)
    text = synthetic_sop(rng, 1)
    instansi = BASE_INSTANSI.replace("sop-2024:", "sop:")
    with tempfile.TemporaryDirectory() as folder:
        project, diagnostics = _check_in(Path(folder), text, instansi)
    assert [d.format() for d in diagnostics if d.is_error] == []
    (sop,) = project.sops
    assert 4 <= len(sop.langkah) <= 30 and 2 <= len(sop.pelaksana) <= 6
    assert sop.langkah[0].symbol in (Symbol.TERMINATOR, Symbol.DECISION)
    assert sop.langkah[-1].is_end
    for step in sop.langkah:
        assert step.pelaksana in sop.pelaksana
        for edge in step.edges:
            assert edge.target is None or 1 <= edge.target <= len(sop.langkah)
    assert sop.total_waktu.comparable() > 0


def test_fifty_megabyte_file_is_refused_quickly(tmp_path):
    office = tmp_path / "kecamatan-uji"
    office.mkdir()
    (office / "instansi.yml").write_text(BASE_INSTANSI)
    with (office / "besar.yml").open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    _, diagnostics = load_project([tmp_path])
    (diagnostic,) = [d for d in diagnostics if d.is_error]
    assert diagnostic.code == "SOP101"
    shutil.rmtree(office)
