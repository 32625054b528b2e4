"""sopdoc sign / verify on real built PDFs, with a certificate authority made here (cryptography)."""

from __future__ import annotations

import io

import pdfplumber
import pytest
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pypdf import PdfReader
from weasyprint import HTML

from conftest import PASSWORD
from signing_fixtures import built  # noqa: F401 (a fixture)


def _sign(run, pdf, pki, out, p12_key="camat", password=PASSWORD):
    return run("sign", str(pdf), "--p12", str(pki[p12_key]), "--password-env", "SOPDOC_P12_PASSWORD",
               "--out", str(out), env={"SOPDOC_P12_PASSWORD": password})


def test_signed_lampiran_verifies_and_the_stamp_sits_in_the_disahkan_oleh_cell(run, built, pki, tmp_path):
    signed = tmp_path / "ktp-ttd.pdf"
    result = _sign(run, built / "layanan-e-ktp.pdf", pki, signed)
    assert result.exit_code == 0, result.output
    checked = run("verify", str(signed), "--trust", str(pki["ca"]))
    assert checked.exit_code == 0, checked.output
    assert "HARYANTO" in checked.stdout and "utuh           : ya" in checked.stdout
    assert "dipercaya      : ya" in checked.stdout

    widget = next(a.get_object() for a in PdfReader(signed).pages[0]["/Annots"]
                  if a.get_object().get("/FT") == "/Sig")
    x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
    with pdfplumber.open(signed) as pdf:
        page = pdf.pages[0]
        words = page.extract_words()
        height = float(page.height)
        label = next(w for w in words if w["text"] == "Disahkan")
        jabatan = next(w for w in words if w["text"] == "CAMAT" and w["x0"] > label["x1"] and w["top"] >= label["top"] - 1)
        nama_sop = next(w for w in words if w["text"] == "Nama" and abs(w["x0"] - label["x0"]) < 1)
        # the cell: right of the label column, between the row's top and the "Nama SOP" row
        vertical = [e for e in page.edges if e["orientation"] == "v" and e["top"] <= jabatan["top"] <= e["bottom"]]
        cell_left = max(e["x0"] for e in vertical if e["x0"] <= jabatan["x0"])
        cell_right = min(e["x0"] for e in vertical if e["x0"] > jabatan["x1"])
    top, bottom = height - y2, height - y1
    assert cell_left <= x1 < x2 <= cell_right
    assert jabatan["bottom"] <= top < bottom <= nama_sop["top"]


def test_changing_a_signed_byte_or_the_page_afterwards_is_reported(run, built, pki, tmp_path):
    signed = tmp_path / "kk-ttd.pdf"
    assert _sign(run, built / "layanan-kartu-keluarga.pdf", pki, signed).exit_code == 0
    data = signed.read_bytes()
    position = data.index(b"/Title")  # inside the signed range
    tampered = tmp_path / "byte.pdf"
    tampered.write_bytes(data[:position] + b"/Titlf" + data[position + 6:])
    result = run("verify", str(tampered), "--trust", str(pki["ca"]))
    assert result.exit_code == 1
    assert "TIDAK" in result.output or "tidak dapat diperiksa" in result.output

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    stream = writer.add_object(__import__("pyhanko.pdf_utils.generic", fromlist=["StreamObject"]).StreamObject(
        stream_data=b"BT /F1 24 Tf 100 100 Td (PALSU) Tj ET"))
    page[pdf_name("/Contents")] = stream
    writer.update_container(page)
    altered = io.BytesIO()
    writer.write(altered)
    (tmp_path / "altered.pdf").write_bytes(altered.getvalue())
    result = run("verify", str(tmp_path / "altered.pdf"), "--trust", str(pki["ca"]))
    assert result.exit_code == 1, result.output
    assert "TIDAK: dokumen diubah sesudah ditandatangani" in result.stdout
    assert len(PdfFileReader(io.BytesIO(altered.getvalue())).embedded_signatures) == 1


def test_the_keputusan_is_signed_under_its_signature_block(run, built, pki, tmp_path):
    signed = tmp_path / "keputusan-ttd.pdf"
    assert _sign(run, built / "keputusan-sop-pelayanan-2023.pdf", pki, signed).exit_code == 0
    reader = PdfReader(signed)
    page_index, *box = reader.metadata["/SopdocSignatureBox"].split()
    widget = next(a.get_object() for a in reader.pages[int(page_index)]["/Annots"]
                  if a.get_object().get("/FT") == "/Sig")
    assert [round(float(v), 1) for v in widget["/Rect"]] == [round(float(v), 1) for v in box]
    text = reader.pages[int(page_index)].extract_text()
    assert text.index("CAMAT JUMAPOLO,") < text.index("HARYANTO, S.E., M.AP.")
    assert run("verify", str(signed)).exit_code == 0  # intact; trust not asked


@pytest.mark.parametrize("case, message", [
    ("password", "kata sandi salah"),
    ("expired", "sertifikat sudah kedaluwarsa"),
    ("foreign", "bukan buatan sopdoc"),
    ("not-pdf", "bukan PDF"),
])
def test_refusals_are_clear_and_write_nothing(run, built, pki, tmp_path, case, message):
    source = built / "legalisir-surat.pdf"
    if case == "foreign":
        source = tmp_path / "lain.pdf"
        source.write_bytes(HTML(string="<p>Surat lain</p>").write_pdf())  # a real PDF sopdoc did not make
    if case == "not-pdf":
        source = tmp_path / "bukan.pdf"
        source.write_text("ini bukan pdf")
    out = tmp_path / "hasil.pdf"
    result = _sign(run, source, pki, out, p12_key="expired" if case == "expired" else "camat",
                   password="salah" if case == "password" else PASSWORD)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_a_second_signature_is_an_allowed_change_for_the_first(run, built, pki, tmp_path):
    from pyhanko.sign import signers

    once = tmp_path / "sekali.pdf"
    assert _sign(run, built / "surat-rekomendasi.pdf", pki, once).exit_code == 0
    second = signers.SimpleSigner.load_pkcs12(str(pki["camat"]), passphrase=PASSWORD.encode())
    twice = io.BytesIO()
    signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(once.read_bytes())),
                     signers.PdfSignatureMetadata(field_name="Paraf"), signer=second, output=twice)
    (tmp_path / "dua.pdf").write_bytes(twice.getvalue())
    result = run("verify", str(tmp_path / "dua.pdf"), "--trust", str(pki["ca"]))
    assert result.exit_code == 0, result.output
    reports = ("\n" + result.stdout).split("\ntanda tangan ")[1:]
    assert [report.splitlines()[0] for report in reports] == ["TandaTanganSopdoc", "Paraf"]
    assert "mencakup       : revisi 2 dari 3; sesudahnya hanya ditambah tanda tangan Paraf" in reports[0]
    assert "mencakup       : revisi 3 dari 3" in reports[1]
    assert all("tidak berubah  : ya" in report and "utuh           : ya" in report for report in reports)
    assert result.stderr == ""  # nothing of pyHanko's own logging


def test_verify_without_trust_and_with_a_wrong_ca_says_so_in_indonesian(run, built, pki, tmp_path):
    signed = tmp_path / "ttd.pdf"
    assert _sign(run, built / "surat-rekomendasi.pdf", pki, signed).exit_code == 0
    alone = run("verify", str(signed))
    assert alone.exit_code == 0 and alone.stderr == ""
    assert "dipercaya      : tidak diperiksa" in alone.stdout
    wrong = tmp_path / "ca-lain.pem"
    wrong.write_bytes(pki["other_ca"].read_bytes())
    refused = run("verify", str(signed), "--trust", str(wrong))
    assert refused.exit_code == 1 and refused.stderr == ""
    assert "dipercaya      : TIDAK" in refused.stdout


def test_sign_refuses_a_folder_as_its_output(run, built, pki, tmp_path):
    result = _sign(run, built / "surat-rekomendasi.pdf", pki, tmp_path)
    assert result.exit_code == 2
    assert "adalah folder" in result.output and "Traceback" not in result.output
