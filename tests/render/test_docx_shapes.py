"""The DOCX flowchart as native Word shapes, read back with python-docx and from LibreOffice's
PDF of it: one group of shapes per flowchart page, a preset symbol per node, one path per arrow,
a text box per branch label, each where the plan (and so the WeasyPrint PDF) puts it."""

from __future__ import annotations

import dataclasses
import io
import math
import shutil
import subprocess
from collections import Counter

import docx
import pdfplumber
import pytest

from conftest import BASE_INSTANSI, BASE_SOP, CORPUS, TEST_ROOTS, office_tree
from sopdoc.build.pipeline import build
from sopdoc.layout.geometry import Arrow, FlowPage, Label, Node
from sopdoc.layout.plan import plan_layout
from sopdoc.layout.textmetrics import UM_PER_INCH, mm
from sopdoc.render.docx.lampiran import render_lampiran_docx
from sopdoc.render.docx.wordml import EMU_PER_UM
from sopdoc.sources.loader import load_project

CASES = [CORPUS, TEST_ROOTS / "long-flow"]  # the corpus, and a flow over several pages with connectors
NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "wpg": "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup",
}
PRESET = {"terminator": "flowChartTerminator", "process": "flowChartProcess", "decision": "flowChartDecision",
          "connector": "flowChartOffpageConnector"}
OPENING_UM = 352.8  # the 1 pt paragraph that opens a flowchart page, above its table
needs_libreoffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                       reason="LibreOffice is installed by scripts/setup.sh")


def q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def hand_made_page(plan) -> FlowPage:
    """Every kind of symbol, with texts, routed arrows and branch labels, on the rows of `plan`'s
    first page (its first actor columns are 29.2 mm wide, its rows at least 12 mm high)."""
    rows = plan.pages[0].rows
    mid = [row.y + row.height // 2 for row in rows]
    lane = [c.center - plan.diagram_x for c in plan.actor_columns]
    nodes = (
        Node("s1", "terminator", lane[0], mid[0], mm(20), mm(7), 1),
        Node("s2", "decision", lane[1], mid[1], mm(16), mm(10), 2),
        Node("e2", "terminator", lane[2], mid[1], mm(14), mm(6), 2, label="Selesai"),
        Node("s3", "process", lane[1], mid[2], mm(20), mm(7), 3),
        Node("cAo", "connector", lane[3], mid[3], mm(6), mm(6), label="A"),
    )
    by_id = {node.id: node for node in nodes}

    def bottom(node_id):
        return by_id[node_id].cx, by_id[node_id].box[3]

    def top(node_id):
        return by_id[node_id].cx, by_id[node_id].box[1]

    s1, s2, e2 = by_id["s1"], by_id["s2"], by_id["e2"]
    gutter = rows[1].y - mm(2)
    arrows = (
        Arrow("s1", "s2", None, (bottom("s1"), (s1.cx, gutter), (s2.cx, gutter), top("s2"))),
        Arrow("s2", "e2", "Selesai", ((s2.box[2], s2.cy), (e2.box[0], e2.cy))),
        Arrow("s2", "s3", "Ya", (bottom("s2"), top("s3"))),
        Arrow("s3", "cAo", "Tidak", (bottom("s3"), (by_id["s3"].cx, mid[3]), (by_id["cAo"].box[0], mid[3]))),
    )
    labels = (
        Label("Ya", s2.cx + mm(1), s2.box[3], s2.cx + mm(5), s2.box[3] + mm(3), 6),
        Label("Tidak", lane[1] + mm(2), mid[3] - mm(3.5), lane[1] + mm(9), mid[3] - mm(0.5), 6),
    )
    return dataclasses.replace(plan.pages[0], nodes=nodes, arrows=arrows, labels=labels)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The cases built once (PDF by WeasyPrint, DOCX), a hand-made page's DOCX, and LibreOffice's
    PDF of every DOCX: (entries of (sop, plan, pdf, docx, libreoffice pdf), the hand-made one)."""
    out = tmp_path_factory.mktemp("shapes")
    entries = []
    for case in CASES:
        project, _ = load_project([case])
        results = build(list(project.sops), ("pdf", "docx"), out, jobs=1)
        assert [r.error for r in results if r.error] == []
        for sop in project.sops:
            base = out / sop.office.slug / sop.slug
            entries.append([sop, plan_layout(sop), base.with_suffix(".pdf"), base.with_suffix(".docx")])
    sop, plan = entries[0][0], entries[0][1]
    page = hand_made_page(plan)
    hand = dataclasses.replace(plan, pages=(page,))
    hand_docx = out / "buatan.docx"
    hand_docx.write_bytes(render_lampiran_docx(sop, hand))
    converted = out / "libreoffice"
    if shutil.which("soffice"):
        subprocess.run(["soffice", f"-env:UserInstallation=file://{out}/profile", "--headless", "--convert-to",
                        "pdf", "--outdir", str(converted), hand_docx, *(entry[3] for entry in entries)],
                       check=True, capture_output=True, timeout=600)
    for entry in entries:
        entry.append(converted / (entry[3].stem + ".pdf"))
    return entries, (sop, hand, hand_docx, converted / "buatan.pdf")


# -- the DOCX read back -------------------------------------------------------------------------

@dataclasses.dataclass
class Drawn:
    preset: str | None  # a preset geometry, or None for an arrow's custom path
    box: tuple[float, float, float, float]  # on the page, µm
    text: str
    element: object


def page_shapes(paragraph) -> list[Drawn]:
    """The shapes of the one group anchored in `paragraph`, on the page."""
    (anchor,) = paragraph._p.iter(q("wp:anchor"))
    offset = [int(anchor.find(f"{q(f'wp:position{axis}')}/{q('wp:posOffset')}").text) for axis in "HV"]
    (group,) = anchor.iter(q("wpg:wgp"))
    shapes = []
    for wsp in group.findall(q("wps:wsp")):
        xfrm = wsp.find(f"{q('wps:spPr')}/{q('a:xfrm')}")
        x, y = (int(xfrm.find(q("a:off")).get(key)) for key in "xy")
        cx, cy = (int(xfrm.find(q("a:ext")).get(key)) for key in ("cx", "cy"))
        left, top = (offset[0] + x) / EMU_PER_UM, (offset[1] + y) / EMU_PER_UM
        preset = wsp.find(f"{q('wps:spPr')}/{q('a:prstGeom')}")
        text = "".join(t.text for t in wsp.iter(q("w:t")))
        shapes.append(Drawn(preset.get("prst") if preset is not None else None,
                            (left, top, left + cx / EMU_PER_UM, top + cy / EMU_PER_UM), text, wsp))
    return shapes


def openings(document) -> list:
    """The paragraphs that open the flowchart pages (page break before), in order."""
    return [p for p in document.paragraphs if p.paragraph_format.page_break_before]


def test_every_flowchart_page_is_one_group_of_shapes_and_no_picture(built):
    entries, _ = built
    for sop, plan, _, docx_path, _ in entries:
        document = docx.Document(docx_path)
        pages = openings(document)
        assert len(pages) == len(plan.pages), sop.slug
        body = document.element.body
        first_page = list(body).index(pages[0]._p)
        assert not [element for element in list(body)[first_page:]
                    if next(element.iter(q("pic:pic"), q("a:blip")), None) is not None], sop.slug
        for paragraph, page in zip(pages, plan.pages):
            (anchor,) = paragraph._p.iter(q("wp:anchor"))
            assert (anchor.get("behindDoc"), anchor.get("simplePos"), anchor.get("allowOverlap")) == ("0", "0", "1")
            assert [p.get("relativeFrom") for p in (anchor.find(q("wp:positionH")), anchor.find(q("wp:positionV")))] \
                == ["page", "page"]
            assert anchor.find(q("wp:wrapNone")) is not None
            shapes = page_shapes(paragraph)
            symbols = [s for s in shapes if s.preset and s.preset.startswith("flowChart")]
            assert Counter(s.preset for s in symbols) == Counter(PRESET[n.shape] for n in page.nodes)
            assert sorted((round(s.box[2] - s.box[0]), round(s.box[3] - s.box[1])) for s in symbols) == \
                sorted((n.width, n.height) for n in page.nodes)
            paths = [s for s in shapes if s.preset is None]
            assert len(paths) == len(page.arrows), f"{sop.slug} p{page.number}"
            for drawn, arrow in zip(paths, page.arrows):
                (path,) = drawn.element.iter(q("a:path"))
                assert [step.tag for step in path] == [q("a:moveTo")] + [q("a:lnTo")] * (len(arrow.points) - 1)
                assert drawn.element.find(f".//{q('a:ln')}/{q('a:tailEnd')}").get("type") == "triangle"
            texts = [s.text for s in shapes if s.preset == "rect"]
            assert texts == [label.text for label in page.labels]


def test_the_flowchart_tables_keep_one_cell_per_actor(built):
    """The cells' own borders draw the lanes and rows: no merged actor cells any more."""
    entries, _ = built
    for sop, plan, _, docx_path, _ in entries:
        document = docx.Document(docx_path)
        for table, page in zip(document.tables[-len(plan.pages):], plan.pages):
            body_rows = table.rows[2 if page.show_header else 0:]
            for row, planned in zip(body_rows, page.rows):
                if planned.kind != "total":
                    assert len(row._tr.tc_lst) == len(plan.columns), f"{sop.slug} p{page.number}"
                    assert not row._tr.xpath("./w:tc/w:tcPr/w:vMerge | ./w:tc/w:tcPr/w:gridSpan")


def test_drawing_ids_are_unique_and_python_docx_saves_the_shapes_again(built):
    entries, _ = built
    for sop, _, _, docx_path, _ in entries:
        document = docx.Document(docx_path)
        body = document.element.body
        ids = [e.get("id") for e in body.iter(q("wp:docPr"), q("wps:cNvPr"))]
        assert len(ids) == len(set(ids)), sop.slug
        shapes = len(list(body.iter(q("wps:wsp"))))
        resaved = io.BytesIO()
        document.save(resaved)
        again = docx.Document(io.BytesIO(resaved.getvalue()))
        assert len(list(again.element.body.iter(q("wps:wsp")))) == shapes > 0


def test_drawing_ids_stay_unique_beside_the_office_logo(tmp_path):
    """python-docx numbers a picture it adds after the shapes' ids; every id stays unique, in
    a lampiran and in the bundle that holds two of them."""
    from PIL import Image

    instansi = BASE_INSTANSI.replace("nama: Kecamatan Uji\n", "nama: Kecamatan Uji\nlogo: logo.png\n")
    sources = office_tree(tmp_path, instansi=instansi, kedua=BASE_SOP.replace("KEC/UJI/1/2024", "KEC/UJI/2/2024"))
    Image.new("RGB", (60, 70), (20, 60, 120)).save(sources / "kecamatan-uji" / "logo.png")
    project, _ = load_project([sources])
    out = tmp_path / "out"
    assert [r.error for r in build(list(project.sops), ("docx",), out, jobs=1) if r.error] == []
    # the bundle: the decree's letterhead and each lampiran's
    for name, pictures, groups in (("layanan-uji", 1, 1), ("kedua", 1, 1), ("keputusan-sop-2024", 3, 2)):
        body = docx.Document(out / "kecamatan-uji" / f"{name}.docx").element.body
        assert (len(list(body.iter(q("pic:pic")))), len(list(body.iter(q("wpg:wgp"))))) == (pictures, groups)
        ids = [e.get("id") for e in body.iter(q("wp:docPr"), q("wps:cNvPr"))]
        assert len(ids) == len(set(ids)), name


def test_the_same_sop_gives_the_same_docx_bytes(built):
    entries, (sop, hand, _, _) = built
    assert render_lampiran_docx(sop, hand) == render_lampiran_docx(sop, hand)
    sop, plan = entries[-1][:2]
    assert render_lampiran_docx(sop, plan) == render_lampiran_docx(sop, plan)


def test_hand_made_shapes_carry_their_texts_sizes_and_points(built):
    _, (_, plan, docx_path, _) = built
    (paragraph,) = openings(docx.Document(docx_path))
    shapes = page_shapes(paragraph)
    page = plan.pages[0]
    assert [s.text for s in shapes if s.preset and s.preset.startswith("flowChart")] == \
        [node.label for node in page.nodes]
    labels = [s for s in shapes if s.preset == "rect"]
    assert [s.text for s in labels] == ["Ya", "Tidak"]
    for drawn, label in zip(labels, page.labels):
        assert {e.get(q("w:val")) for e in drawn.element.iter(q("w:sz"))} == {str(round(label.size_pt * 2))}
        assert drawn.element.find(f".//{q('a:ln')}/{q('a:noFill')}") is not None  # no line, no fill
        assert drawn.element.find(f"{q('wps:spPr')}/{q('a:noFill')}") is not None
    paths = [s for s in shapes if s.preset is None]
    for drawn, arrow in zip(paths, page.arrows):
        (path,) = drawn.element.iter(q("a:path"))
        points = [(int(p.get("x")), int(p.get("y"))) for p in path.iter(q("a:pt"))]
        assert len(points) == len(arrow.points)
        # the same polyline, up to the table's edges rounded to whole twips (at most a few µm)
        for (x, y), (px, py) in zip(points, arrow.points):
            dx = (x - points[0][0]) / EMU_PER_UM - (px - arrow.points[0][0])
            dy = (y - points[0][1]) / EMU_PER_UM - (py - arrow.points[0][1])
            assert abs(dx) <= 50 and abs(dy) <= 50, (arrow.source, arrow.target)


# -- LibreOffice's PDF of the DOCX --------------------------------------------------------------

def pt(um: float) -> float:
    return um * 72 / UM_PER_INCH


def white_shapes(page) -> list[tuple[float, float, float, float]]:
    """The filled white symbols of a PDF page (both writers fill their symbols white)."""
    boxes = []
    for obj in page.curves + page.rects:
        colour = obj.get("non_stroking_color")
        if obj.get("fill") and colour is not None and tuple(colour) in ((1,), (1, 1, 1)):
            box = (obj["x0"], obj["top"], obj["x1"], obj["bottom"])
            if box[2] - box[0] > pt(mm(3)) and box[3] - box[1] > pt(mm(3)):
                boxes.append(box)
    return boxes


def nearest(boxes, expected):
    return min(boxes, key=lambda box: max(abs(a - b) for a, b in zip(box, expected)))


def planned_box(plan, page, box, below: float) -> tuple[float, float, float, float]:
    """Where the plan puts a box of diagram coordinates on the page, in pt; `below`: the height
    of what precedes the table on the page (µm)."""
    left = plan.margins[3] + plan.diagram_x
    top = plan.margins[0] + below + (sum(plan.header_heights) if page.show_header else 0)
    x0, y0, x1, y1 = box
    return pt(left + x0), pt(top + y0), pt(left + x1), pt(top + y1)


def planned_point(plan, page, point) -> tuple[float, float]:
    top = plan.margins[0] + OPENING_UM + (sum(plan.header_heights) if page.show_header else 0)
    return pt(plan.margins[3] + plan.diagram_x + point[0]), pt(top + point[1])


@needs_libreoffice
def test_libreoffice_puts_every_symbol_within_1_mm_of_where_the_pdf_draws_it(built):
    entries, _ = built
    tolerance = pt(mm(1))
    for sop, plan, pdf_path, _, converted in entries:
        with pdfplumber.open(pdf_path) as ours, pdfplumber.open(converted) as theirs:
            assert len(theirs.pages) == len(ours.pages), sop.slug
            first = len(ours.pages) - len(plan.pages)
            for page in plan.pages:
                ours_shapes = white_shapes(ours.pages[first + page.number - 1])
                their_shapes = white_shapes(theirs.pages[first + page.number - 1])
                assert len(their_shapes) == len(page.nodes), f"{sop.slug} p{page.number}"
                # each symbol found by where the plan puts it, in both PDFs, in reading order
                for node in sorted(page.nodes, key=lambda n: (n.cy, n.cx)):
                    pdf_box = nearest(ours_shapes, planned_box(plan, page, node.box, 0))
                    docx_box = nearest(their_shapes, planned_box(plan, page, node.box, OPENING_UM))
                    assert all(abs(a - b) <= tolerance for a, b in zip(pdf_box, docx_box)), \
                        f"{sop.slug} p{page.number} {node.id}: DOCX {docx_box} PDF {pdf_box}"


@needs_libreoffice
def test_libreoffice_draws_every_arrow_along_its_points_with_its_head_at_the_end(built):
    entries, (_, hand, _, hand_pdf) = built
    tolerance = pt(mm(0.3))
    cases = [(sop.slug, plan, converted) for sop, plan, _, _, converted in entries] + [("buatan", hand, hand_pdf)]
    for name, plan, converted in cases:
        with pdfplumber.open(converted) as pdf:
            first = len(pdf.pages) - len(plan.pages)
            for page in plan.pages:
                drawn = pdf.pages[first + page.number - 1]
                strokes = [o["pts"] for o in drawn.curves + drawn.lines if o.get("stroke")]
                heads = [o["pts"] for o in drawn.curves if o.get("fill")
                         and tuple(o.get("non_stroking_color") or ()) in ((0,), (0, 0, 0))]
                for arrow in page.arrows:
                    points = [planned_point(plan, page, p) for p in arrow.points]
                    # LibreOffice pulls the line's end back under the head; every other point is exact
                    assert any(len(s) == len(points) and all(math.dist(a, b) <= tolerance
                                                             for a, b in zip(s[:-1], points[:-1]))
                               for s in strokes), f"{name} p{page.number}: {arrow.source}->{arrow.target}"
                    assert any(math.dist(vertex, points[-1]) <= tolerance for head in heads for vertex in head), \
                        f"{name} p{page.number}: no head at the end of {arrow.source}->{arrow.target}"


@needs_libreoffice
def test_libreoffice_prints_symbol_and_label_texts_in_their_boxes(built):
    _, (_, plan, _, converted) = built
    page = plan.pages[0]
    with pdfplumber.open(converted) as pdf:
        words = pdf.pages[-1].extract_words()
    slack = pt(mm(0.5))

    def inside(text, box):
        x0, y0, x1, y1 = box
        return any(w["text"] == text and x0 - slack <= w["x0"] and w["x1"] <= x1 + slack
                   and y0 - slack <= w["top"] and w["bottom"] <= y1 + slack for w in words)

    for node in page.nodes:
        if node.label:
            assert inside(node.label, planned_box(plan, page, node.box, OPENING_UM)), node.id
    for label in page.labels:
        box = (label.x0, label.y0, label.x1, label.y1)
        assert inside(label.text, planned_box(plan, page, box, OPENING_UM)), label.text
