"""The visible stamp: whole words for poppler, pdfium and pdfplumber, every word inside the
signature box, on a lampiran and on a Keputusan; its layout fits any box."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from collections import Counter

import pdfplumber
import pypdfium2 as pdfium
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from pypdf import PdfReader

from conftest import PASSWORD, _certificate, _name
from signing_fixtures import built, p12_signer  # noqa: F401 (a fixture)
from sopdoc.layout.textmetrics import TextStyle, pt
from sopdoc.sign.pades import sign_pdf, verify_pdf
from sopdoc.sign.stamp import LABEL, LINE_HEIGHT, plan_stamp, when_text

LONG_NAME = "Dr. Hj. RADEN AYU SITI NURHALIZAH KUSUMAWARDHANI PRAWIRANEGARA, S.Sos., M.Si."
CERT_NAME = "Dr. Hj. RADEN AYU SITI NURHALIZAH KUSUMAWARDHANI, S.Sos., M.Si."  # a CN holds 64 at most
DOCUMENTS = {"lampiran": "layanan-e-ktp", "keputusan": "keputusan-sop-pelayanan-2023"}


@pytest.fixture(scope="module")
def long_named(tmp_path_factory, pki):
    """A .p12 whose holder has a name too long for one line of any stamp."""
    from cryptography import x509

    ca = x509.load_pem_x509_certificate(pki["ca"].read_bytes())
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # a CA of its own
    cert = _certificate(_name(CERT_NAME), ca.subject, key, ca_key, ca=False)
    path = tmp_path_factory.mktemp("panjang") / "panjang.p12"
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"signer", key, cert, None, serialization.BestAvailableEncryption(PASSWORD.encode())))
    return path


@pytest.fixture(scope="module")
def signed(built, pki, long_named, tmp_path_factory):
    """kind -> (unsigned path, signed path, page index, box) for the lampiran, the Keputusan and the
    Keputusan signed by the long-named holder."""
    folder = tmp_path_factory.mktemp("stempel")
    found = {}
    for kind, p12 in (("lampiran", pki["camat"]), ("keputusan", pki["camat"]), ("panjang", long_named)):
        source = built / f"{DOCUMENTS.get(kind, DOCUMENTS['keputusan'])}.pdf"
        target = folder / f"{kind}-ttd.pdf"
        target.write_bytes(sign_pdf(source.read_bytes(), p12_signer(p12)))
        page, *box = PdfReader(source).metadata["/SopdocSignatureBox"].split()
        found[kind] = (source, target, int(page), tuple(float(value) for value in box))
    return found


def _poppler_words(path, page: int):
    """(text, x0, top, x1, bottom) of every word pdftotext sees on the page (annotations drawn)."""
    xml = subprocess.run(["pdftotext", "-bbox", "-f", str(page + 1), "-l", str(page + 1), str(path), "-"],
                         capture_output=True, text=True, check=True).stdout
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    return [(text, float(x0), float(y0), float(x1), float(y1)) for x0, y0, x1, y1, text in re.findall(pattern, xml)]


def _flattened(path, page: int) -> bytes:
    """The PDF with its annotations merged into the page by pdfium (what a viewer shows)."""
    document = pdfium.PdfDocument(str(path))
    document.init_forms()  # pdfium has a form environment only when the PDF has a form (a signature)
    if document[page].formenv:
        document[page].flatten()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _plumber_words(data: bytes, page: int):
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [(w["text"], w["x0"], w["top"], w["x1"], w["bottom"]) for w in pdf.pages[page].extract_words()]


def _added(before, after):
    """The words of `after` that `before` lacks: the stamp's."""
    remaining = Counter((text, round(x0), round(top)) for text, x0, top, _, _ in before)
    added = []
    for word in after:
        key = (word[0], round(word[1]), round(word[2]))
        if remaining[key]:
            remaining[key] -= 1
        else:
            added.append(word)
    return added


def _inside(words, box, height):
    x1, y1, x2, y2 = box
    top, bottom = height - y2, height - y1
    return [w for w in words if not (x1 - 0.5 <= w[1] and w[3] <= x2 + 0.5 and top - 0.5 <= w[2] and w[4] <= bottom + 0.5)]


@pytest.mark.parametrize("kind", ["lampiran", "keputusan"])
def test_the_stamp_reads_as_whole_words_inside_its_box(signed, kind):
    source, target, page, box = signed[kind]
    height = float(PdfReader(target).pages[page].mediabox.height)
    expected = ["Ditandatangani", "secara", "elektronik", "oleh", "HARYANTO"]

    poppler = _added(_poppler_words(source, page), _poppler_words(target, page))
    assert [w[0] for w in poppler][:5] == expected, poppler
    assert "pukul" in [w[0] for w in poppler]
    assert _inside(poppler, box, height) == []

    plumber = _added(_plumber_words(_flattened(source, page), page), _plumber_words(_flattened(target, page), page))
    assert [w[0] for w in plumber][:5] == expected, plumber
    assert _inside(plumber, box, height) == []

    text = pdfium.PdfDocument(_flattened(target, page))[page].get_textpage().get_text_bounded()
    assert "Ditandatangani secara elektronik oleh" in text and "D i t a n" not in text


def test_the_stamp_has_its_fonts_embedded_and_the_file_still_verifies(signed, pki):
    from cryptography import x509

    _, target, page, _ = signed["keputusan"]
    widget = next(a.get_object() for a in PdfReader(target).pages[page]["/Annots"]
                  if a.get_object().get("/FT") == "/Sig")
    appearance = widget["/AP"]["/N"].get_object()
    fonts = []

    def walk(xobject):
        resources = xobject.get("/Resources", {})
        for font in resources.get("/Font", {}).values():
            fonts.append(font.get_object())
        for inner in resources.get("/XObject", {}).values():
            walk(inner.get_object())
    walk(appearance)
    assert fonts, "the stamp's text has a font"
    for font in fonts:
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = descendant["/FontDescriptor"].get_object()
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font
    listing = subprocess.run(["pdffonts", "-f", str(page + 1), "-l", str(page + 1), str(target)],
                             capture_output=True, text=True, check=True).stdout
    assert all(line.split()[-5] == "yes" for line in listing.splitlines()[2:]), listing  # the emb column
    [report] = verify_pdf(target.read_bytes(), [x509.load_pem_x509_certificate(pki["ca"].read_bytes())])
    assert report.ok and report.intact and report.unchanged and report.trusted


def test_a_long_name_wraps_and_stays_in_the_box(signed):
    source, target, page, box = signed["panjang"]
    height = float(PdfReader(target).pages[page].mediabox.height)
    words = _added(_poppler_words(source, page), _poppler_words(target, page))
    texts = [w[0] for w in words]
    assert "NURHALIZAH" in texts and "M.Si." in texts
    assert len({round(w[2]) for w in words}) >= 4  # the label, two lines of name at least, the time
    assert _inside(words, box, height) == []


@pytest.mark.parametrize("width, height, qr", [
    (308.54, 51.03, True),   # the lampiran's "Disahkan oleh" cell
    (226.77, 73.70, True),   # above the camat's name in a Keputusan
    (226.77, 73.70, False),  # no public address: no QR code, the text takes the width
    (120.0, 30.0, True),     # a cramped box
])
def test_the_layout_fits_every_line_in_the_box(width, height, qr):
    moment = dt.datetime(2026, 12, 1, 8, 30, 5, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    plan = plan_stamp(width, height, LONG_NAME, moment, qr)
    assert (plan.qr_size > 0) == qr
    assert plan.text_top >= 0 and plan.text_top + len(plan.lines) * plan.line_height <= height + 1e-6
    assert plan.text_left + plan.text_width <= width
    for line in plan.lines:
        assert TextStyle(plan.font_size, bold=line.bold).width(line.text) <= pt(plan.text_width)
    if qr:
        assert plan.qr_left + plan.qr_size <= plan.text_left and plan.qr_top + plan.qr_size <= height
    assert " ".join(line.text for line in plan.lines if not line.bold).startswith(LABEL)
    assert plan.lines[-1].text.endswith("WIB") or plan.lines[-2].text.endswith("pukul")


def test_the_big_boxes_get_print_size_text():
    moment = dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc)
    assert plan_stamp(308.54, 51.03, "HARYANTO", moment, True).font_size >= 7
    assert plan_stamp(226.77, 73.70, "HARYANTO", moment, True).font_size >= 7
    assert LINE_HEIGHT >= 1.1


def test_the_time_says_its_zone_in_indonesian():
    moment = dt.datetime(2026, 12, 1, 8, 30, 5, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert when_text(moment) == "1 Desember 2026 pukul 08.30.05 WITA"
    assert when_text(moment.astimezone(dt.timezone.utc)) == "1 Desember 2026 pukul 00.30.05 UTC"
    assert when_text(moment.astimezone(dt.timezone(dt.timedelta(hours=5, minutes=30)))).endswith("UTC+05.30")


def _rendered_qr(target, page: int, box, page_height: float, url: str) -> tuple[list[list[bool]], list[list[bool]]]:
    """(the QR modules read back from the rendered page, the modules of `url`'s QR code)."""
    import qrcode
    from PIL import Image

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(url)
    code.make(fit=True)
    expected = code.get_matrix()
    x1, y1, x2, y2 = box
    plan = plan_stamp(x2 - x1, y2 - y1, "HARYANTO", dt.datetime.now(dt.timezone.utc), True)
    dpi = 600
    scale = dpi / 72
    left, top = x1 + plan.qr_left, page_height - y2 + plan.qr_top
    picture = target.with_name(f"{target.stem}-qr")
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page + 1), "-l", str(page + 1), "-gray", "-png",
                    "-singlefile", "-x", str(int(left * scale)), "-y", str(int(top * scale)),
                    "-W", str(int(plan.qr_size * scale) + 2), "-H", str(int(plan.qr_size * scale) + 2),
                    str(target), str(picture)], capture_output=True, check=True)
    image = Image.open(picture.with_suffix(".png")).convert("L")
    module = plan.qr_size / len(expected) * scale
    origin_x, origin_y = left * scale - int(left * scale), top * scale - int(top * scale)
    read = [[image.getpixel((int(origin_x + (column + 0.5) * module), int(origin_y + (row + 0.5) * module))) < 128
             for column in range(len(expected))] for row in range(len(expected))]
    return read, expected


@pytest.mark.parametrize("kind", ["lampiran", "keputusan"])
def test_the_qr_code_holds_the_public_address(signed, kind):
    source, target, page, box = signed[kind]
    url = str(PdfReader(source).metadata["/SopdocPublicUrl"])
    assert url.startswith("https://sop.example.org/kecamatan-jumapolo/")
    read, expected = _rendered_qr(target, page, box, float(PdfReader(target).pages[page].mediabox.height), url)
    assert read == expected


def test_without_a_public_address_there_is_no_qr_code_and_the_text_starts_at_the_left(pki, tmp_path):
    from sopdoc.render.pdf.writer import PdfOptions, write_pdf

    html = '<html><body><p>Dokumen</p><div id="ruang-ttd" style="height: 2.5cm; width: 8cm"></div></body></html>'
    source = tmp_path / "tanpa-alamat.pdf"
    source.write_bytes(write_pdf(html, PdfOptions((), 1700000000, signature_element="ruang-ttd")))
    target = tmp_path / "tanpa-alamat-ttd.pdf"
    target.write_bytes(sign_pdf(source.read_bytes(), p12_signer(pki["camat"])))
    page, *box = PdfReader(source).metadata["/SopdocSignatureBox"].split()
    x1 = float(box[0])
    words = _added(_poppler_words(source, 0), _poppler_words(target, 0))
    assert [w[0] for w in words][:4] == ["Ditandatangani", "secara", "elektronik", "oleh"]
    assert min(w[1] for w in words) < x1 + 5  # no QR square before the text
