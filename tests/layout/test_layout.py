"""The layout plan on its own (no rendering): geometry invariants, golden DOT, safety."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import BASE_INSTANSI, CORPUS, TEST_ROOTS, assert_golden
from flowchart_rules import check_page, connector_letters, from_plan

from sopdoc.render.graphviz import page_dot
from sopdoc.layout.flowchart import CONNECTOR_BAND
from sopdoc.layout.plan import CONTINUED, PAGE_SAFETY, plan_layout
from sopdoc.sources.loader import load_project
from sopdoc.render.pdf.writer import PdfOptions, RootedURLFetcher, write_pdf
from sopdoc.layout.swimlane import plan_swimlane
from sopdoc.render.graphviz import swimlane_dot
from sopdoc.sources.synthetic import synthetic_sop


def _assert_plan_is_sound(sop, plan):
    content = plan.page_height - plan.margins[0] - plan.margins[2] - PAGE_SAFETY
    placed = []
    for page in plan.pages:
        header = sum(plan.header_heights) if page.show_header else 0
        assert header + sum(row.height for row in page.rows) <= content
        y = 0
        for row in page.rows:
            assert row.y == y and row.height > 0
            y += row.height
        placed.extend(row.step for row in page.rows if row.kind == "step")
        for node in page.nodes:
            x0, y0, x1, y1 = node.box
            assert 0 <= x0 < x1 <= plan.diagram_width and 0 <= y0 < y1 <= page.diagram_height
        ids = {node.id for node in page.nodes}
        for arrow in page.arrows:
            assert arrow.source in ids and arrow.target in ids
        drawn, homes = from_plan(plan, page, sop)
        assert check_page(drawn, homes) == [], f"{sop.slug} page {page.number}"
    assert placed == [step.number for step in sop.langkah]  # every step's symbol once, in order
    assert sum(c.width for c in plan.columns) == plan.table_width
    outgoing, incoming = connector_letters(plan)
    assert sorted(outgoing) == sorted(incoming) and len(set(outgoing)) == len(outgoing)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from(["F4", "A4", "Letter", "Legal"]))
def test_generated_sops_always_lay_out_inside_rows_and_columns(seed, paper):
    text = synthetic_sop(random.Random(seed), 1)
    instansi = BASE_INSTANSI.replace("sop-2024:", "sop:").replace(
        "nama: Kecamatan Uji\n", f"nama: Kecamatan Uji\ntata_letak:\n  kertas: {paper}\n")
    with tempfile.TemporaryDirectory() as folder:
        office = Path(folder) / "kecamatan-uji"
        office.mkdir()
        (office / "instansi.yml").write_text(instansi)
        (office / "sintetis.yml").write_text(text)
        project, diagnostics = load_project([Path(folder)])
    (sop,) = project.sops
    _assert_plan_is_sound(sop, plan_layout(sop))


def test_corpus_and_cases_lay_out_soundly():
    for case in (CORPUS, TEST_ROOTS / "long-flow", TEST_ROOTS / "a4-paper"):
        project, _ = load_project([case])
        for sop in project.sops:
            _assert_plan_is_sound(sop, plan_layout(sop))


def test_every_flowchart_page_after_the_first_starts_with_a_connector_band():
    project, _ = load_project([TEST_ROOTS / "long-flow"])
    plan = plan_layout(project.sops[0])
    for page in plan.pages[1:]:
        assert page.rows[0].kind == "band-top" and page.rows[0].height == CONNECTOR_BAND
    for page in plan.pages[:-1]:
        assert page.rows[-1].kind == "band-bottom"
    assert plan.pages[-1].rows[-1].kind == "total"


def test_a_row_taller_than_a_page_continues_on_the_next_page():
    project, _ = load_project([TEST_ROOTS / "a4-paper"])
    sop = project.sops[0]
    from dataclasses import replace

    long_step = replace(sop.langkah[0], uraian="kata " * 4000)
    sop = replace(sop, langkah=(long_step, *sop.langkah[1:]))
    plan = plan_layout(sop)
    parts = [(page.number, row) for page in plan.pages for row in page.rows if row.step == 1]
    assert len(parts) >= 3 and parts[0][1].kind == "step"
    assert all(row.kind == "continuation" and row.cells["uraian"][0] == CONTINUED for _, row in parts[1:])
    assert [number for number, _ in parts] == list(range(1, len(parts) + 1))  # one part per page, in order
    words = [word for _, row in parts for line in row.cells["uraian"] for word in line.split()]
    assert words.count("kata") == 4000  # nothing lost
    _assert_plan_is_sound(sop, plan)


def test_diagram_dot_is_golden():
    project, _ = load_project([CORPUS])
    sop = next(s for s in project.sops if s.slug == "penanganan-aduan")
    plan = plan_layout(sop)
    assert_golden("penanganan-aduan.page1.dot", page_dot(plan, plan.pages[0]))
    assert_golden("penanganan-aduan.swimlane.dot", swimlane_dot(plan_swimlane(sop)))


def test_swimlane_titles_are_escaped_for_dot():
    project, _ = load_project([TEST_ROOTS / "long-flow"])
    sop = project.sops[0]
    from dataclasses import replace

    from sopdoc.model import Pelaksana

    tricky = Pelaksana("a1", 'Kasi "Pem" \\ <b>')
    sop = replace(sop, pelaksana=(tricky, *sop.pelaksana[1:]))
    assert 'label="Kasi \\"Pem\\" \\\\ <b>"' in swimlane_dot(plan_swimlane(sop))


def test_the_swimlane_svg_shows_every_character_of_a_title_literally():
    import xml.etree.ElementTree as ET
    from dataclasses import replace

    from sopdoc.model import Pelaksana
    from sopdoc.render.graphviz import render

    project, _ = load_project([TEST_ROOTS / "long-flow"])
    sop = project.sops[0]
    title = "&lt;b&gt; & Co"
    sop = replace(sop, pelaksana=(Pelaksana(sop.pelaksana[0].key, title), *sop.pelaksana[1:]))
    svg = ET.fromstring(render(swimlane_dot(plan_swimlane(sop)), "svg"))
    texts = [node.text for node in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert title in texts


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "http://127.0.0.1/x.png", "https://example.org/logo.png",
    "file:///work/../etc/hosts", "ftp://127.0.0.1/x",
])
def test_weasyprint_reads_nothing_outside_the_asset_roots(url, tmp_path):
    html = f'<html><body><p>x</p><img src="{url}"></body></html>'
    with pytest.raises(BaseException) as caught:
        write_pdf(html, PdfOptions((tmp_path,), 0))
    assert "di luar folder aset proyek" in str(caught.value)


def test_files_inside_the_asset_roots_load(tmp_path):
    image = tmp_path / "logo.png"
    image.write_bytes(bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"))
    pdf = write_pdf(f'<img src="{image.as_uri()}">', PdfOptions((tmp_path,), 0))
    assert pdf.startswith(b"%PDF")
    assert RootedURLFetcher([tmp_path])  # constructible on its own


def test_the_site_swimlanes_keep_the_same_rules():
    from flowchart_rules import Drawn, check_page

    for case in (CORPUS, TEST_ROOTS / "hard-cases", TEST_ROOTS / "long-flow"):
        project, _ = load_project([case])
        for sop in project.sops:
            plan = plan_swimlane(sop)
            rows = [(plan.title_band + sum(h for h in _swimlane_heights(sop)[:i]),
                     plan.title_band + sum(h for h in _swimlane_heights(sop)[:i + 1])) for i in range(len(sop.langkah))]
            drawn = Drawn([(lane.left, lane.right) for lane in plan.lanes], rows,
                          {n.id: (n.box, n.shape) for n in plan.nodes},
                          [(a.source, a.target, a.label, list(a.points)) for a in plan.arrows],
                          [(lb.text, (lb.x0, lb.y0, lb.x1, lb.y1)) for lb in plan.labels])
            lane_of = {actor.key: i for i, actor in enumerate(sop.pelaksana)}
            homes = {f"s{s.number}": (lane_of[s.pelaksana.key], s.number - 1) for s in sop.langkah}
            assert check_page(drawn, homes) == [], sop.slug
            assert {lb.text for lb in plan.labels} <= {"Ya", "Tidak"}


def _swimlane_heights(sop):
    from sopdoc.layout.swimlane import DECISION_ROW_HEIGHT, ROW_HEIGHT

    return [DECISION_ROW_HEIGHT if s.is_decision else ROW_HEIGHT for s in sop.langkah]
