"""The flowchart as native Word shapes (DrawingML): preset flowchart symbols with their text,
arrows as one custom-geometry path each, and text boxes for branch labels, in one group per page
anchored to the page at an absolute offset (`wp:anchor`, wrapping no text), so that a clerk can
move the whole chart and edit each shape.

The caller describes the shapes (`SymbolShape`, `ArrowShape`, `TextShape`) in page EMU; this
module writes them. Only this module and `wordml.py` touch raw XML.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from docx.oxml.parser import oxml_parser, parse_xml
from docx.shared import Pt

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "wpg": "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup",
    "xml": "http://www.w3.org/XML/1998/namespace",
}
PRESETS = {
    "terminator": "flowChartTerminator",
    "process": "flowChartProcess",
    "decision": "flowChartDecision",
    "connector": "flowChartOffpageConnector",
}
LINE_EMU = 9525  # 0.75 pt, the table's border width
# The arrowhead: medium width, short length. Word sizes it from the line width; LibreOffice from
# at least 0.7 mm (a short head is 1.4 mm long there, a medium one 2.1 mm) and measures the head
# back along the path, so a last segment shorter than the head turns it (LibreOffice 7.4, short
# head: 1.0 mm 21 degrees, 1.2 mm 9, 1.3 mm 3, from 1.4 mm none).
ARROWHEAD = {"type": "triangle", "w": "med", "len": "sm"}
ARROW_MARGIN_EMU = 36000  # 1 mm around an arrow's path: its frame is never empty, even when straight
Z_ORDER_BASE = 251659264  # Word's first relativeHeight; every shape gets its own above it


@dataclass(frozen=True)
class ShapeText:
    """The text a shape holds, centred: one paragraph, one run."""

    text: str
    size_pt: float
    font: str


@dataclass(frozen=True)
class SymbolShape:
    """A flowchart symbol (a `PRESETS` key), white and outlined, its box in page EMU."""

    shape: str
    x: int
    y: int
    width: int
    height: int
    text: ShapeText | None = None


@dataclass(frozen=True)
class ArrowShape:
    """A polyline through page points (EMU), its arrowhead at the last point."""

    points: tuple[tuple[int, int], ...]

    def __post_init__(self) -> None:
        if len(self.points) < 2:
            raise ValueError(f"an arrow needs at least two points, not {self.points!r}")


@dataclass(frozen=True)
class TextShape:
    """A text box without line or fill, its box in page EMU."""

    x: int
    y: int
    width: int
    height: int
    text: ShapeText


Shape = SymbolShape | ArrowShape | TextShape


_VML_SHAPE = "{urn:schemas-microsoft-com:vml}shape"
_VML_SPID = "{urn:schemas-microsoft-com:office:office}spid"


def _tag(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def _el(name: str, attributes: dict[str, object] | None = None, *children, text: str | None = None):
    """An element made by python-docx's parser (its element classes apply), with its children."""
    prefix = name.split(":")[0]
    element = oxml_parser.makeelement(_tag(name), nsmap={prefix: NS[prefix]})
    for key, value in (attributes or {}).items():
        element.set(_tag(key) if ":" in key else key, str(value))
    for child in children:
        if child is not None:
            element.append(child)
    if text is not None:
        element.text = text
    return element


def _line(arrowhead: bool = False):
    return _el("a:ln", {"w": LINE_EMU},
               _el("a:solidFill", None, _el("a:srgbClr", {"val": "000000"})),
               _el("a:tailEnd", ARROWHEAD) if arrowhead else None)


def _frame(x: int, y: int, width: int, height: int):
    return _el("a:xfrm", None, _el("a:off", {"x": x, "y": y}), _el("a:ext", {"cx": width, "cy": height}))


def _text_box(content: ShapeText):
    """wps:txbx: one centred paragraph, no spacing, single lines, in the given font and size."""
    half_points = round(content.size_pt * 2)
    fonts = {f"w:{script}": content.font for script in ("ascii", "hAnsi", "eastAsia", "cs")}

    def run_properties():
        return _el("w:rPr", None, _el("w:rFonts", fonts), _el("w:sz", {"w:val": half_points}),
                   _el("w:szCs", {"w:val": half_points}))

    paragraph = _el(
        "w:p", None,
        _el("w:pPr", None,
            _el("w:spacing", {"w:before": 0, "w:after": 0, "w:line": 240, "w:lineRule": "auto"}),
            _el("w:jc", {"w:val": "center"}), run_properties()),
        _el("w:r", None, run_properties(), _el("w:t", {"xml:space": "preserve"}, text=content.text)),
    )
    return _el("wps:txbx", None, _el("w:txbxContent", None, paragraph))


def _body(text: ShapeText | None, wrap: str = "square"):
    if text is None:
        return _el("wps:bodyPr")
    attributes = {"rot": 0, "vert": "horz", "wrap": wrap, "lIns": 0, "tIns": 0, "rIns": 0, "bIns": 0,
                  "anchor": "ctr", "anchorCtr": 0, "upright": 1}
    return _el("wps:bodyPr", attributes, _el("a:noAutofit"))


def _box(shape: Shape) -> tuple[int, int, int, int]:
    """x, y, width, height of the shape's frame in page EMU."""
    if isinstance(shape, ArrowShape):
        margin = ARROW_MARGIN_EMU
        left, top = min(x for x, _ in shape.points) - margin, min(y for _, y in shape.points) - margin
        return (left, top, max(x for x, _ in shape.points) + margin - left,
                max(y for _, y in shape.points) + margin - top)
    return shape.x, shape.y, shape.width, shape.height


def _wsp(shape: Shape, corner: tuple[int, int], shape_id: int):
    """wps:wsp of `shape` as a member of a group whose frame starts at `corner` (page EMU)."""
    x, y, width, height = _box(shape)
    frame = _frame(x - corner[0], y - corner[1], width, height)
    name = _el("wps:cNvPr", {"id": shape_id, "name": f"{_kind(shape)} {shape_id}"})
    if isinstance(shape, SymbolShape):
        text = shape.text if shape.text and shape.text.text else None
        properties = _el("wps:spPr", None, frame, _el("a:prstGeom", {"prst": PRESETS[shape.shape]}, _el("a:avLst")),
                         _el("a:solidFill", None, _el("a:srgbClr", {"val": "FFFFFF"})), _line())
        return _el("wps:wsp", None, name, _el("wps:cNvSpPr"), properties,
                   _text_box(text) if text else None, _body(text))
    if isinstance(shape, TextShape):
        properties = _el("wps:spPr", None, frame, _el("a:prstGeom", {"prst": "rect"}, _el("a:avLst")),
                         _el("a:noFill"), _el("a:ln", None, _el("a:noFill")))
        return _el("wps:wsp", None, name, _el("wps:cNvSpPr", {"txBox": 1}), properties,
                   _text_box(shape.text), _body(shape.text, wrap="none"))

    def point(px: int, py: int):
        return _el("a:pt", {"x": px - x, "y": py - y})

    path = [_el("a:moveTo", None, point(*shape.points[0]))] + [_el("a:lnTo", None, point(*p))
                                                               for p in shape.points[1:]]
    geometry = _el("a:custGeom", None, _el("a:avLst"), _el("a:gdLst"), _el("a:ahLst"), _el("a:cxnLst"),
                   _el("a:rect", {"l": 0, "t": 0, "r": "r", "b": "b"}),
                   _el("a:pathLst", None, _el("a:path", {"w": width, "h": height}, *path)))
    properties = _el("wps:spPr", None, frame, geometry, _el("a:noFill"), _line(arrowhead=True))
    return _el("wps:wsp", None, name, _el("wps:cNvSpPr"), properties, _body(None))


def _kind(shape: Shape) -> str:
    return {SymbolShape: "Simbol", ArrowShape: "Panah", TextShape: "Label"}[type(shape)]


def _anchor(shape_id: int, name: str, box: tuple[int, int, int, int], uri: str, content):
    """A drawing anchored to the page at the box's corner, in front of the text, wrapping none."""
    x, y, width, height = box
    return _el("w:drawing", None, _el(
        "wp:anchor",
        {"distT": 0, "distB": 0, "distL": 0, "distR": 0, "simplePos": 0, "relativeHeight": Z_ORDER_BASE + shape_id,
         "behindDoc": 0, "locked": 0, "layoutInCell": 0, "allowOverlap": 1},
        _el("wp:simplePos", {"x": 0, "y": 0}),
        _el("wp:positionH", {"relativeFrom": "page"}, _el("wp:posOffset", text=str(x))),
        _el("wp:positionV", {"relativeFrom": "page"}, _el("wp:posOffset", text=str(y))),
        _el("wp:extent", {"cx": width, "cy": height}),
        _el("wp:effectExtent", {"l": 0, "t": 0, "r": 0, "b": 0}),
        _el("wp:wrapNone"),
        _el("wp:docPr", {"id": shape_id, "name": f"{name} {shape_id}"}),
        _el("wp:cNvGraphicFramePr"),
        _el("a:graphic", None, _el("a:graphicData", {"uri": uri}, content)),
    ))


def grouped(shapes: Sequence[Shape], ids: DrawingIds, name: str):
    """The shapes as one page-anchored group (one drawing, a clerk moves it whole), the
    group's id and its members' from `ids`: a w:drawing for `add_drawing`."""
    first_id = ids.take(1 + len(shapes))
    boxes = [_box(shape) for shape in shapes]
    left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
    width = max(b[0] + b[2] for b in boxes) - left
    height = max(b[1] + b[3] for b in boxes) - top
    members = [_wsp(shape, (left, top), first_id + 1 + index) for index, shape in enumerate(shapes)]
    frame = _el("a:xfrm", None, _el("a:off", {"x": 0, "y": 0}), _el("a:ext", {"cx": width, "cy": height}),
                _el("a:chOff", {"x": 0, "y": 0}), _el("a:chExt", {"cx": width, "cy": height}))
    group = _el("wpg:wgp", None, _el("wpg:cNvGrpSpPr"), _el("wpg:grpSpPr", None, frame), *members)
    return _anchor(first_id, name, (left, top, width, height), NS["wpg"], group)


# Word's own watermark (Design > Watermark): a VML WordArt shape in the header. It is the form
# Word and LibreOffice both recognise as a watermark (LibreOffice by the shape's name, and keeps
# it rotated; a rotated DrawingML text box it draws level), and a clerk removes it in one click.
_WATERMARK = """<w:r xmlns:w="{w}" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"
 xmlns:w10="urn:schemas-microsoft-com:office:word"><w:rPr><w:noProof/></w:rPr><w:pict>
<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" path="m@7,l@8,m@5,21600l@6,21600e">
<v:formulas><v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/><v:f eqn="sum 0 0 @2"/>
<v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/><v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/>
<v:f eqn="if @0 @4 21600"/><v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/>
<v:f eqn="sum @6 0 @5"/></v:formulas>
<v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800"
 o:connectangles="270,180,90,0"/>
<v:textpath on="t" fitshape="t"/><v:handles><v:h position="#0,bottomRight" xrange="6629,14971"/></v:handles>
<o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>
<v:shape id="{prefix}{id}" o:spid="{spid}{id}" type="#_x0000_t136"
 style="position:absolute;margin-left:0;margin-top:0;width:{width}pt;height:{height}pt;rotation:{rotation};z-index:-251654144;mso-position-horizontal:center;mso-position-horizontal-relative:margin;mso-position-vertical:center;mso-position-vertical-relative:margin"
 o:allowincell="f" fillcolor="#{colour}" stroked="f"><v:fill opacity=".5"/>
<v:textpath style="font-family:&quot;Liberation Sans&quot;;font-size:1pt;font-weight:bold" string="{text}"/>
<w10:wrap anchorx="margin" anchory="margin"/></v:shape></w:pict></w:r>"""
WATERMARK_COLOUR = "E06666"  # half transparent: a light red the page stays readable through
WATERMARK_SHAPE_PREFIX = "PowerPlusWaterMarkObject"  # Word's name for it, by which LibreOffice knows it
VML_SPID_PREFIX = "_x0000_s"
VML_ID_BASE = 2048  # VML shape ids start above 2048: the watermark of drawing id n is VML shape 2048 + n


def add_watermark(paragraph, mark: str, page_width: int, page_height: int, ids: DrawingIds) -> None:
    """A large diagonal word (a draft's "DRAF") centred on the page behind the text, in a
    header's `paragraph`: every page of the section carries it, as Word's watermarks do."""
    width = page_width * 0.55 / 12700  # EMU -> pt
    height = width * 0.4
    rotation = 330 if page_width > page_height else 315
    xml = _WATERMARK.format(w=NS["w"], id=VML_ID_BASE + ids.take(1), prefix=WATERMARK_SHAPE_PREFIX,
                            spid=VML_SPID_PREFIX,
                            width=f"{width:.1f}", height=f"{height:.1f}",
                            rotation=rotation, colour=WATERMARK_COLOUR, text=escape(mark, {'"': "&quot;"}))
    paragraph._p.append(parse_xml(xml))


def add_drawing(paragraph, drawing) -> None:
    """Put an anchored drawing in a run of its own at the end of `paragraph`: it goes on the
    paragraph's page, wherever the paragraph is on it."""
    run = paragraph.add_run()
    run.font.size = Pt(1)  # the run adds no line height to a 1 pt paragraph
    run._r.append(drawing)


class DrawingIds:
    """Drawing ids (`wp:docPr`, and a group's members) unique in one document's body, without
    reading the whole body again for each page: the first is above every id in it when made.
    python-docx gives a picture it adds the highest id in the body plus one, which may be the
    next one here: tell `picture_added` about each picture added after this was made."""

    def __init__(self, document) -> None:
        self._next = document.part.next_id

    def take(self, count: int) -> int:
        """The first of `count` new ids in a row."""
        first, self._next = self._next, self._next + count
        return first

    def picture_added(self, picture) -> None:
        """`picture`: the InlineShape python-docx returned."""
        self._next = max(self._next, int(picture._inline.docPr.id) + 1)

    def adopt(self, *trees) -> None:
        """Give the drawings of `trees` (the body and headers of another document sopdoc wrote,
        about to be moved into this one) ids of their own here: its ids 1...n become the next n
        ids of this document. Every id this module and python-docx's pictures write moves with
        them: wp:docPr and wps:cNvPr (and the names that end in the id), the anchors' z-order
        above Z_ORDER_BASE, and the watermark's VML shape ids."""
        frames = [element for tree in trees for element in tree.iter(_tag("wp:docPr"), _tag("wps:cNvPr"))]
        anchors = [element for tree in trees for element in tree.iter(_tag("wp:anchor"))]
        marks = [element for tree in trees for element in tree.iter(_VML_SHAPE)
                 if element.get("id", "").startswith(WATERMARK_SHAPE_PREFIX)]
        used = [int(element.get("id")) for element in frames]
        used += [int(element.get("id")[len(WATERMARK_SHAPE_PREFIX):]) - VML_ID_BASE for element in marks]
        if not used:
            return
        offset = self.take(max(used)) - 1
        for element in frames:
            old = element.get("id")
            new = str(int(old) + offset)
            element.set("id", new)
            stem, _, number = (element.get("name") or "").rpartition(" ")
            if number == old:
                element.set("name", f"{stem} {new}")
        for element in anchors:
            element.set("relativeHeight", str(int(element.get("relativeHeight")) + offset))
        for element in marks:
            number = int(element.get("id")[len(WATERMARK_SHAPE_PREFIX):]) + offset
            element.set("id", f"{WATERMARK_SHAPE_PREFIX}{number}")
            element.set(_VML_SPID, f"{VML_SPID_PREFIX}{number}")
