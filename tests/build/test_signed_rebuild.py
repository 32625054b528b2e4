"""A build never silently replaces what an office signed: revising a member of a signed decree,
or attaching a new SOP to it, is reported with the signed copy and the reason; `--strict`
refuses and leaves every document as it was."""

from __future__ import annotations

import shutil

from conftest import CORPUS, PASSWORD

OFFICE = "kecamatan-jumapolo"
DECREE = "keputusan-sop-pelayanan-2023"


def _signed_project(run, root):
    """Jumapolo's PDFs built, the e-KTP lampiran and the decree signed beside them."""
    shutil.copytree(CORPUS / OFFICE, root / "sumber" / OFFICE)
    built = run("build", str(root / "sumber"), "--out", str(root / "keluaran"), "--format", "pdf")
    assert built.exit_code == 0, built.output
    office = root / "keluaran" / OFFICE
    for name in ("layanan-e-ktp", DECREE):
        signed = run("sign", str(office / f"{name}.pdf"), "--p12", str(root / "camat.p12"),
                     "--password-env", "SOPDOC_P12_PASSWORD", env={"SOPDOC_P12_PASSWORD": PASSWORD})
        assert signed.exit_code == 0, signed.output
    return root / "sumber" / OFFICE, office


def _pdfs(office):
    return {path.name: path.read_bytes() for path in office.glob("*.pdf")}


def test_revising_a_signed_member_warns_and_strict_refuses(run, tmp_path, pki):
    shutil.copy(pki["camat"], tmp_path / "camat.p12")
    sources, office = _signed_project(run, tmp_path)
    ktp = sources / "layanan-e-ktp.yml"
    ktp.write_text(ktp.read_text(encoding="utf-8").replace("2 menit", "4 menit", 1), encoding="utf-8")
    before = _pdfs(office)

    strict = run("build", str(tmp_path / "sumber"), "--out", str(tmp_path / "keluaran"), "--format", "pdf",
                 "--strict")
    assert strict.exit_code == 1
    assert "layanan-e-ktp-ttd.pdf menandatangani versi lain dari layanan-e-ktp.pdf: layanan-e-ktp.yml berubah" \
        in strict.stderr
    assert "--strict" in strict.stderr and "Traceback" not in strict.output
    assert _pdfs(office) == before  # nothing replaced, the signed copies still sign their PDFs

    loud = run("build", str(tmp_path / "sumber"), "--out", str(tmp_path / "keluaran"), "--format", "pdf")
    assert loud.exit_code == 0, loud.output
    warnings = [line for line in loud.stderr.splitlines() if line.startswith("sopdoc: PERINGATAN: ")]
    assert len(warnings) == 2
    assert f"{OFFICE}/layanan-e-ktp: layanan-e-ktp-ttd.pdf menandatangani versi lain" in warnings[0]
    assert f"{OFFICE}/{DECREE}: {DECREE}-ttd.pdf menandatangani versi lain dari {DECREE}.pdf: " \
           "layanan-e-ktp.yml berubah (1 langkah diubah, total waktu 18 menit -> 20 menit)" in warnings[1]
    after = _pdfs(office)
    assert after["layanan-e-ktp.pdf"] != before["layanan-e-ktp.pdf"]
    assert after["layanan-e-ktp-ttd.pdf"] == before["layanan-e-ktp-ttd.pdf"]  # what was signed is kept


def test_attaching_an_sop_to_a_signed_decree_warns(run, tmp_path, pki):
    shutil.copy(pki["camat"], tmp_path / "camat.p12")
    sources, office = _signed_project(run, tmp_path)
    added = sources / "surat-keterangan-baru.yml"
    text = (sources / "surat-rekomendasi.yml").read_text(encoding="utf-8")
    added.write_text(text.replace("nomor: 06/SOP/JMPL/2023", "nomor: 07/SOP/JMPL/2023")
                     .replace("nama: Layanan Surat Rekomendasi", "nama: Layanan Surat Keterangan Baru")
                     .replace("  nomor: VI\n", "  nomor: VII\n"),
                     encoding="utf-8")
    result = run("build", str(tmp_path / "sumber"), "--out", str(tmp_path / "keluaran"), "--format", "pdf")
    assert result.exit_code == 0, result.output
    (warning,) = [line for line in result.stderr.splitlines() if "PERINGATAN" in line]
    assert f"{DECREE}-ttd.pdf menandatangani versi lain dari {DECREE}.pdf: " in warning
    assert "surat-keterangan-baru.yml ditambahkan" in warning


def test_an_unchanged_rebuild_says_nothing_of_signatures(run, tmp_path, pki):
    shutil.copy(pki["camat"], tmp_path / "camat.p12")
    _signed_project(run, tmp_path)
    again = run("build", str(tmp_path / "sumber"), "--out", str(tmp_path / "keluaran"), "--format", "pdf",
                "--strict", "--force")
    assert again.exit_code == 0, again.output
    assert "PERINGATAN" not in again.output
