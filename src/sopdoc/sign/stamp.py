"""The visible part of a signature: what the signature box shows.

pyHanko's own text stamps embed the font through its GlyphAccumulator, which writes the glyph
widths (/W) and the TJ adjustments in the font's design units; the PDF wants thousandths of an
em. Liberation Sans has 2048 units per em, so every glyph advanced about twice its width: the
stamp's letters stood apart, viewers and text extractors read "D i t a n d a t a n g a n i",
and a line ran out of its box ("Ditandatangani secara ele"). So the stamp is laid out here and
drawn by WeasyPrint, like the documents themselves: one page the size of the box, its fonts
embedded and subset with correct widths and a ToUnicode map, then put into the signature's
appearance as a form XObject (pyHanko's StaticContentStamp with that page as background).

The font size is chosen from the box: the largest (up to MAX_SIZE_PT) at which every line fits,
measured with the font's own metrics (sopdoc.layout.textmetrics); a long name wraps. The QR code
of the public page, when the PDF records one, is a square on the left as tall as the box allows.
Nothing here prints.
"""

from __future__ import annotations

import datetime as _dt
import io
import uuid
from dataclasses import dataclass
from html import escape

import qrcode
from pyhanko.pdf_utils import content, layout
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.stamp import StaticContentStamp, StaticStampStyle, TextStampStyle

from sopdoc.indonesian import format_date
from sopdoc.layout.textmetrics import FONT_FAMILY, TextStyle, pt
from sopdoc.render.pdf.writer import PdfOptions, render_document

LABEL = "Ditandatangani secara elektronik oleh"
MAX_SIZE_PT = 8.0
MIN_SIZE_PT = 3.0
LINE_HEIGHT = 1.2
_STEP_PT = 0.25
# How pyHanko hands the signing time to a TextStampStyle (its 'ts' text parameter); read back here.
_TS_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
_ZONES = {7 * 60: "WIB", 8 * 60: "WITA", 9 * 60: "WIT", 0: "UTC"}


@dataclass(frozen=True)
class Line:
    text: str
    bold: bool = False


@dataclass(frozen=True)
class StampLayout:
    """Everything in points, from the box's top-left corner."""

    width: float
    height: float
    font_size: float
    lines: tuple[Line, ...]
    text_left: float
    text_top: float
    text_width: float
    qr_left: float = 0.0
    qr_top: float = 0.0
    qr_size: float = 0.0  # 0: no QR code

    @property
    def line_height(self) -> float:
        return self.font_size * LINE_HEIGHT


def when_text(moment: _dt.datetime) -> str:
    """'1 Desember 2026 pukul 15.57.56 WIB': the zone of Indonesia for +07/+08/+09, else the offset."""
    offset = moment.utcoffset()
    minutes = 0 if offset is None else int(offset.total_seconds() // 60)
    zone = _ZONES.get(minutes) or "UTC{}{:02d}.{:02d}".format("+" if minutes >= 0 else "-", *divmod(abs(minutes), 60))
    return f"{format_date(moment.date())} pukul {moment:%H.%M.%S} {zone}"


def plan_stamp(width: float, height: float, signer: str, moment: _dt.datetime, with_qr: bool) -> StampLayout:
    """Where each part of the stamp goes in a box of width x height points."""
    pad = max(1.0, min(3.0, height * 0.06, width * 0.03))
    qr_size = min(height - 2 * pad, width * 0.4) if with_qr else 0.0
    text_left = pad + qr_size + (pad * 1.5 if qr_size else 0.0)
    text_width = max(1.0, width - text_left - pad)
    room = height - 2 * pad
    when = when_text(moment)
    size, lines = MAX_SIZE_PT, ()
    while True:
        lines = _lines(size, signer, when, text_width)
        if len(lines) * size * LINE_HEIGHT <= room or size <= MIN_SIZE_PT:
            break
        size = max(MIN_SIZE_PT, size - _STEP_PT)
    block = len(lines) * size * LINE_HEIGHT
    return StampLayout(width, height, size, lines, text_left, max(pad, (height - block) / 2), text_width,
                       qr_left=pad, qr_top=(height - qr_size) / 2, qr_size=qr_size)


def _lines(size: float, signer: str, when: str, width_pt: float) -> tuple[Line, ...]:
    width = pt(width_pt)
    regular, bold = TextStyle(size, line_height=LINE_HEIGHT), TextStyle(size, bold=True, line_height=LINE_HEIGHT)
    return (*(Line(text) for text in regular.wrap(LABEL, width)),
            *(Line(text, bold=True) for text in bold.wrap(signer, width)),
            *(Line(text) for text in regular.wrap(when, width)))


def _qr_svg(url: str, size: float) -> str:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()  # with the quiet zone
    modules = len(matrix)
    path = "".join(f"M{x} {y}h1v1h-1z" for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="qr" width="{size:.2f}pt" height="{size:.2f}pt" '
            f'viewBox="0 0 {modules} {modules}" shape-rendering="crispEdges">'
            f'<path d="{path}" fill="#000"/></svg>')


def stamp_html(plan: StampLayout, public_url: str | None) -> str:
    lines = "".join(f'<div class="{"nama" if line.bold else "baris"}">{escape(line.text)}</div>' for line in plan.lines)
    qr = _qr_svg(public_url, plan.qr_size) if public_url and plan.qr_size else ""
    return f"""<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8"><title>Tanda tangan elektronik</title><style>
@page {{ size: {plan.width:.3f}pt {plan.height:.3f}pt; margin: 0; }}
html, body {{ margin: 0; padding: 0; }}
body {{ font-family: "{FONT_FAMILY}"; color: #000; }}
.qr {{ position: absolute; left: {plan.qr_left:.3f}pt; top: {plan.qr_top:.3f}pt; display: block; }}
.teks {{ position: absolute; left: {plan.text_left:.3f}pt; top: {plan.text_top:.3f}pt;
        width: {plan.text_width:.3f}pt; font-size: {plan.font_size:.2f}pt; line-height: {plan.line_height:.3f}pt;
        white-space: nowrap; }}
.nama {{ font-weight: bold; }}
</style></head><body>{qr}<div class="teks">{lines}</div></body></html>"""


def stamp_pdf(width: float, height: float, signer: str, moment: _dt.datetime, public_url: str | None) -> bytes:
    """A one-page PDF exactly the size of the box, showing the signature."""
    plan = plan_stamp(width, height, signer, moment, bool(public_url))
    document = render_document(stamp_html(plan, public_url), PdfOptions(asset_roots=(), epoch=int(moment.timestamp())))
    return document.write_pdf()


class _ImportedPdfBytes(content.PdfContent):
    """The first page of a PDF held in memory, as a form XObject of the signature's appearance."""

    def __init__(self, data: bytes) -> None:
        super().__init__()
        self.data = data

    def render(self) -> bytes:
        xobject = self._ensure_writer.import_page_as_xobject(PdfFileReader(io.BytesIO(self.data)), page_ix=0)
        name = "/Stempel" + uuid.uuid4().hex[:8]
        self.resources.xobject[name] = xobject
        x1, y1, x2, y2 = xobject.get_object()["/BBox"]
        self.box = layout.BoxConstraints(width=abs(x2 - x1), height=abs(y2 - y1))
        return name.encode("ascii") + b" Do"


_EXACT = layout.SimpleBoxLayoutRule(x_align=layout.AxisAlignment.ALIGN_MID, y_align=layout.AxisAlignment.ALIGN_MID,
                                    margins=layout.Margins.uniform(0),
                                    inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT)


@dataclass(frozen=True)
class SopdocStampStyle(TextStampStyle):
    """A TextStampStyle only so that pyHanko passes it the signing time (text parameter 'ts', in
    _TS_FORMAT): the time shown is the one in the signature. It draws stamp_pdf's page."""

    timestamp_format: str = _TS_FORMAT
    border_width: int = 0

    def create_stamp(self, writer, box: layout.BoxConstraints, text_params: dict) -> StaticContentStamp:
        moment = _dt.datetime.strptime(text_params["ts"], _TS_FORMAT)
        page = stamp_pdf(box.width, box.height, text_params["signer_name"], moment, text_params.get("url"))
        style = StaticStampStyle(background=_ImportedPdfBytes(page), background_layout=_EXACT,
                                 background_opacity=1.0, border_width=0)
        return StaticContentStamp(writer=writer, style=style, box=box)
