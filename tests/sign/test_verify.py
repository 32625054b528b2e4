"""sopdoc verify: every outcome is a clear Indonesian report with its exit code, never a
traceback, and nothing of pyHanko's own on stderr."""

from __future__ import annotations

import io

import pytest
from asn1crypto import crl as asn1_crl
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.dss import DocumentSecurityStore

from signing_fixtures import built, p12_signer, sign_with_pyhanko  # noqa: F401 (a fixture)
from sopdoc.sign.pades import sign_pdf

ALL_VALID = "Semua tanda tangan sah."


@pytest.fixture(scope="module")
def files(built, pki, tmp_path_factory):
    folder = tmp_path_factory.mktemp("verify")
    lampiran = (built / "layanan-e-ktp.pdf").read_bytes()
    valid = sign_pdf(lampiran, p12_signer(pki["camat"]))
    revoked = sign_pdf(lampiran, p12_signer(pki["revoked"]))  # sopdoc signs: only a CRL knows
    with_dss = io.BytesIO(revoked)
    [signature] = PdfFileReader(with_dss).embedded_signatures
    DocumentSecurityStore.add_dss(with_dss, signature.sig_object["/Contents"],
                                  crls=[asn1_crl.CertificateList.load(pki["crl"].read_bytes())])
    cases = {
        "sah": valid,
        "dicabut": revoked,
        "dicabut-dss": with_dss.getvalue(),
        "kedaluwarsa": sign_with_pyhanko(lampiran, pki["expired"]),  # signed elsewhere, after expiry
        "belum-berlaku": sign_with_pyhanko(lampiran, pki["not_yet_valid"]),
        "ekor": valid + b"\n1 0 obj (ditambahkan sesudah tanda tangan) endobj\n",
        "tanpa-ttd": lampiran,
        "bukan-pdf": b"ini bukan pdf, hanya teks\n",
    }
    paths = {}
    for name, data in cases.items():
        paths[name] = folder / f"{name}.pdf"
        paths[name].write_bytes(data)
    return paths


def _verify(run, path, *args):
    result = run("verify", str(path), *args)
    assert "Traceback" not in result.output
    return result


def _report(result) -> dict[str, str]:
    """The lines of the (only) signature's report, by their label."""
    lines = {}
    for line in result.stdout.splitlines():
        if line.startswith("  ") and ":" in line:
            label, value = line.strip().split(":", 1)
            lines[label.strip()] = value.strip()
    return lines


def test_a_valid_signature_with_the_ca_and_its_crl(run, files, pki):
    result = _verify(run, files["sah"], "--trust", str(pki["ca"]), "--crl", str(pki["crl"]))
    assert result.exit_code == 0 and result.stderr == ""
    report = _report(result)
    assert report["penanda tangan"] == "HARYANTO (Kecamatan Uji)"
    assert report["penerbit"] == "CA Uji (Kecamatan Uji)"
    assert report["utuh"] == "ya" and report["tidak berubah"] == "ya"
    assert report["sertifikat"].startswith("berlaku pada waktu penandatanganan")
    assert report["dicabut"] == "tidak dicabut (menurut CRL yang diberikan)"
    assert report["dipercaya"] == "ya (berantai ke CA Uji (Kecamatan Uji))"
    assert "menurut penanda tangan, tanpa cap waktu" in report["waktu"]
    assert result.stdout.splitlines()[-1] == ALL_VALID


def test_without_trust_it_says_what_could_not_be_judged_and_how_to_give_a_ca(run, files):
    result = _verify(run, files["sah"])
    assert result.exit_code == 0 and result.stderr == ""
    report = _report(result)
    assert report["dipercaya"].startswith("tidak diperiksa: tidak ada CA yang diberikan")
    assert "--trust CA.pem" in report["dipercaya"] and "BSrE" in report["dipercaya"]
    assert report["dicabut"] == "tidak diperiksa (perlu --trust CA.pem)"
    assert result.stdout.splitlines()[-1].startswith("Semua tanda tangan utuh, tetapi belum dapat dinyatakan sah")


def test_without_a_crl_revocation_is_said_to_be_unchecked(run, files, pki):
    result = _verify(run, files["dicabut"], "--trust", str(pki["ca"]))
    assert result.exit_code == 0 and result.stderr == ""
    assert _report(result)["dicabut"].startswith("tidak diperiksa: tidak ada data pencabutan")
    assert "--crl FILE" in result.stdout.splitlines()[-1]


def test_a_wrong_ca_is_not_trusted_and_says_why(run, files, pki):
    result = _verify(run, files["sah"], "--trust", str(pki["other_ca"]))
    assert result.exit_code == 1 and result.stderr == ""
    assert _report(result)["dipercaya"] == ("TIDAK: sertifikat penanda tangan tidak diterbitkan oleh CA yang "
                                            "diberikan (CA Lain (Kecamatan Uji)); penerbitnya CA Uji (Kecamatan Uji)")
    assert result.stdout.splitlines()[-1] == ("1 dari 1 tanda tangan TIDAK sah: TandaTanganSopdoc (penanda tangan "
                                              "tidak tepercaya: bukan dari CA yang diberikan).")


@pytest.mark.parametrize("crl", ["crl", "crl_pem"])
def test_a_revoked_signer_per_the_given_crl(run, files, pki, crl):
    result = _verify(run, files["dicabut"], "--trust", str(pki["ca"]), "--crl", str(pki[crl]))
    assert result.exit_code == 1 and result.stderr == ""
    report = _report(result)
    assert report["dicabut"].startswith("YA, DICABUT: sertifikat penanda tangan dicabut sejak ")
    assert report["dicabut"].endswith("(kunci privat bocor)")
    assert report["dipercaya"] == "TIDAK: sertifikatnya sudah dicabut"
    assert result.stdout.splitlines()[-1].endswith("TIDAK sah: TandaTanganSopdoc (sertifikat penanda tangan "
                                                   "sudah dicabut).")


def test_a_revoked_signer_per_the_revocation_data_in_the_pdf(run, files, pki):
    result = _verify(run, files["dicabut-dss"], "--trust", str(pki["ca"]))  # no --crl: the DSS has it
    assert result.exit_code == 1 and result.stderr == ""
    assert _report(result)["dicabut"].startswith("YA, DICABUT")
    assert _report(result)["tidak berubah"] == "ya"  # adding validation data is an allowed change


@pytest.mark.parametrize("case, note, summary", [
    ("kedaluwarsa", "TIDAK berlaku: sudah kedaluwarsa pada waktu penandatanganan (berlaku sampai ",
     "sertifikat sudah kedaluwarsa pada waktu penandatanganan"),
    ("belum-berlaku", "TIDAK berlaku: belum berlaku pada waktu penandatanganan (berlaku mulai ",
     "sertifikat belum berlaku pada waktu penandatanganan"),
])
def test_a_certificate_not_valid_at_the_signing_time(run, files, pki, case, note, summary):
    for trust in ((), ("--trust", str(pki["ca"]))):  # judged with or without a CA
        result = _verify(run, files[case], *trust)
        assert result.exit_code == 1 and result.stderr == ""
        report = _report(result)
        assert report["sertifikat"].startswith(note)
        assert result.stdout.splitlines()[-1] == f"1 dari 1 tanda tangan TIDAK sah: Paraf ({summary})."
    assert report["dipercaya"] == ("TIDAK: diterbitkan oleh CA Uji (Kecamatan Uji), tetapi sertifikatnya tidak "
                                   "berlaku pada waktu penandatanganan")


def test_bytes_after_the_signature_are_not_covered(run, files, pki):
    result = _verify(run, files["ekor"], "--trust", str(pki["ca"]))
    assert result.exit_code == 1 and result.stderr == ""
    report = _report(result)
    assert report["tidak berubah"] == "TIDAK: tanda tangan hanya mencakup sebagian berkas"
    assert report["mencakup"].endswith("bita di akhir berkas tidak tercakup tanda tangan")
    assert "tanda tangan hanya mencakup sebagian berkas" in result.stdout.splitlines()[-1]


@pytest.mark.parametrize("case, message", [
    ("tanpa-ttd", "PDF ini tidak bertanda tangan"),
    ("bukan-pdf", "berkas ini bukan PDF"),
])
def test_an_unsigned_pdf_and_a_file_that_is_no_pdf(run, files, pki, case, message):
    result = _verify(run, files[case], "--trust", str(pki["ca"]))
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == f"sopdoc: {files[case]}: {message}" + result.stderr.split(message, 1)[1]
    assert result.stderr.count("\n") == 1


def test_unreadable_trust_and_crl_files(run, files, pki, tmp_path):
    junk = tmp_path / "sampah.pem"
    junk.write_text("bukan sertifikat")
    result = _verify(run, files["sah"], "--trust", str(junk))
    assert result.exit_code == 1 and f"{junk}: bukan sertifikat" in result.stderr
    result = _verify(run, files["sah"], "--trust", str(pki["ca"]), "--crl", str(junk))
    assert result.exit_code == 1 and f"{junk}: bukan CRL" in result.stderr
    result = _verify(run, files["sah"], "--crl", str(tmp_path / "tidak-ada.crl"))
    assert result.exit_code == 1 and "CRL tidak dapat dibaca" in result.stderr
