"""The flowchart as drawn in the PDF, read back with pdfplumber, keeps the rules: every symbol in
its lane and row, branches from distinct corners, labels clear of every symbol, arrow, label and
table line, no arrow along a border or through a symbol; connectors paired across pages. Run on
the corpus and on the hard cases (tests/roots/hard-cases)."""

from __future__ import annotations

import re
import shutil
from collections import Counter

import pdfplumber
import pytest

from conftest import CORPUS, TEST_ROOTS
from flowchart_rules import Drawn, check_page, connector_letters, from_plan

from sopdoc.build.pipeline import build
from sopdoc.layout.columns import waktu_parts
from sopdoc.layout.plan import plan_layout
from sopdoc.sources.loader import load_project

PT = 25400 / 72  # µm per PDF point
TOLERANCE = 600  # µm: what a PDF coordinate may differ from the plan's


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf")
    sources = out / "sources"
    for case in (CORPUS, TEST_ROOTS / "hard-cases"):
        for office in sorted(p for p in case.iterdir() if p.is_dir()):
            shutil.copytree(office, sources / office.name)
    project, _ = load_project([sources])
    results = build(list(project.sops), ("pdf", "docx"), out / "build", jobs=2)
    assert [r.error for r in results if r.error] == []
    return [(sop, plan_layout(sop), out / "build" / sop.office.slug / f"{sop.slug}.pdf") for sop in project.sops]


def _um(value: float) -> int:
    return round(value * PT)


def _curves(page) -> list[dict]:
    return [obj for obj in page.curves + page.rects + page.lines]


def _bbox(obj) -> tuple[int, int, int, int]:
    return (_um(obj["x0"]), _um(obj["top"]), _um(obj["x1"]), _um(obj["bottom"]))


def _origin(plan, flow_page, objects) -> tuple[int, int]:
    """Where the plan's diagram origin is on the PDF page: the offset most symbols agree on."""
    votes = Counter()
    boxes = [_bbox(obj) for obj in objects]
    for node in flow_page.nodes:
        x0, y0, x1, y1 = node.box
        for bx0, by0, bx1, by1 in boxes:
            if abs((bx1 - bx0) - (x1 - x0)) < TOLERANCE and abs((by1 - by0) - (y1 - y0)) < TOLERANCE:
                votes[(round((bx0 - x0) / 200) * 200, round((by0 - y0) / 200) * 200)] += 1
    (offset, _), = votes.most_common(1)
    return offset


def _square(points):
    """A drawn polyline with its runs made exactly vertical or horizontal (PDF coordinates carry
    rounding of a few hundredths of a millimetre)."""
    squared = [points[0]]
    for x, y in points[1:]:
        px, py = squared[-1]
        squared.append((px, y) if abs(x - px) < TOLERANCE else (x, py) if abs(y - py) < TOLERANCE else (x, y))
    return squared


def _read_page(plan, flow_page, page) -> Drawn:
    """The page's flowchart as the PDF draws it, in plan coordinates (µm from the diagram origin)."""
    objects = _curves(page)
    ox, oy = _origin(plan, flow_page, objects)
    boxes = [(b[0] - ox, b[1] - oy, b[2] - ox, b[3] - oy) for b in map(_bbox, objects)]
    symbols = {}
    for node in flow_page.nodes:
        found = [box for box in boxes if all(abs(a - b) < TOLERANCE for a, b in zip(box, node.box))]
        assert found, f"symbol {node.id} is not drawn where the plan puts it"
        symbols[node.id] = (found[0], node.shape)
    polylines = []
    for obj in page.curves:
        points = []
        for x, y in obj["pts"]:
            point = (_um(x) - ox, _um(y) - oy)
            if not points or abs(points[-1][0] - point[0]) + abs(points[-1][1] - point[1]) > 50:
                points.append(point)
        polylines.append(points)
    arrows = []
    for arrow in flow_page.arrows:
        match = next((line for line in polylines if len(line) == len(arrow.points)
                      and all(abs(a[0] - b[0]) + abs(a[1] - b[1]) < TOLERANCE
                              for a, b in zip(line[:-1], arrow.points[:-1]))), None)
        assert match is not None, f"arrow {arrow.source}->{arrow.target} is not drawn along its route"
        # the drawn line stops an arrowhead short of the symbol; its head reaches the plan's end
        arrows.append((arrow.source, arrow.target, arrow.label, _square([*match[:-1], arrow.points[-1]])))
    words = [w for w in page.extract_words() if w["text"] in ("Ya", "Tidak")]
    labels = []
    for label in flow_page.labels:
        word = next((w for w in words if w["text"] == label.text
                     and abs(_um(w["x0"]) - ox - label.x0) < 1500 and abs(_um(w["top"]) - oy - label.y0) < 1500), None)
        assert word is not None, f"label {label.text} is not printed in its box"
        labels.append((label.text, (_um(word["x0"]) - ox, _um(word["top"]) - oy, _um(word["x1"]) - ox,
                                    _um(word["bottom"]) - oy)))
    lanes = [(c.x - plan.diagram_x, c.x - plan.diagram_x + c.width) for c in plan.actor_columns]
    rows = [(row.y, row.y + row.height) for row in flow_page.diagram_rows]
    return Drawn(lanes, rows, symbols, arrows, labels)


def test_the_drawn_flowcharts_keep_every_rule(drawn):
    problems = []
    for sop, plan, pdf_path in drawn:
        with pdfplumber.open(pdf_path) as pdf:
            for flow_page in plan.pages:
                page = pdf.pages[flow_page.number]  # page 1 is the identity
                found, homes = from_plan(plan, flow_page, sop)
                page_drawn = _read_page(plan, flow_page, page)
                problems += [f"{sop.slug} p{flow_page.number}: {p}" for p in check_page(page_drawn, homes, slack=300)]
        outgoing, incoming = connector_letters(plan)
        assert sorted(outgoing) == sorted(incoming), sop.slug
    assert problems == []


def test_the_hard_cases_are_what_they_claim(drawn):
    plans = {sop.slug: (sop, plan) for sop, plan, _ in drawn}
    sop, plan = plans["keterangan-panjang"]
    assert len(sop.langkah[1].keterangan) >= 600 and len(plan.pages) == 1  # a wider column, no split
    sop, plan = plans["pelayanan-panjang"]
    assert len(sop.langkah) == 40 and len(sop.pelaksana) == 8 and max(len(a.title) for a in sop.pelaksana) >= 60
    last_rows = {page.number: [r for r in page.rows if r.kind == "step"][-1].step for page in plan.pages}
    assert any(sop.langkah[step - 1].is_decision and any(
        e.target and plan.page_of_step(e.target).number > number for e in sop.langkah[step - 1].edges)
        for number, step in last_rows.items())  # a decision on a page's last row, branching to the next
    assert any(e.target and e.target < s.number and plan.page_of_step(e.target) != plan.page_of_step(s.number)
               for s in sop.langkah for e in s.edges)  # a loop back across a page break
    assert any(s.is_decision and sop.langkah[s.number].is_decision for s in sop.langkah[:-1])  # two in a row
    assert any(e.ends for s in sop.langkah for e in s.edges if s.is_decision)  # a selesai branch


def test_jumlah_waktu_wraps_only_between_units(drawn):
    for sop, plan, pdf_path in drawn:
        total = [r for r in plan.pages[-1].rows if r.kind == "total"][0].cells["waktu"]
        assert " ".join(total) == sop.total_waktu.format()
        for line in total:
            assert all(re.fullmatch(r"\d+(,\d+)? \D+", part) for part in waktu_parts(line)), (sop.slug, total)


def test_the_hard_cases_docx_draws_each_page_as_shapes(drawn):
    import docx

    for sop, plan, pdf_path in drawn:
        document = docx.Document(pdf_path.with_suffix(".docx"))
        xml = document.element.xml
        assert xml.count("<wpg:wgp>") == len(plan.pages), sop.slug  # one group of shapes per page
        nodes = [node for page in plan.pages for node in page.nodes]
        assert xml.count('prst="flowChartDecision"') == sum(n.shape == "decision" for n in nodes), sop.slug
        assert xml.count("<a:tailEnd") == sum(len(page.arrows) for page in plan.pages), sop.slug
