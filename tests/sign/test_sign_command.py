"""sopdoc sign: passwords are never printed, an existing signed copy is never lost, a draft is
never signed, and pyHanko's chatter never reaches the terminal."""

from __future__ import annotations

import datetime as dt
import os
import shutil

import pytest
from weasyprint import HTML

from conftest import PASSWORD
from signing_fixtures import built  # noqa: F401 (a fixture)
from sopdoc.build.outputs import earlier_signed_copy_path
from sopdoc.cli import signing as signing_cli
from sopdoc.render.pdf.writer import PdfOptions, write_pdf
from sopdoc.sign.pades import DRAFT_REFUSAL, signing_time

ENV = {"SOPDOC_P12_PASSWORD": PASSWORD}

SITE_NOTE = "situs menawarkan salinan ini sesudah 'sopdoc build' berikutnya"


def _sign(run, pdf, p12, *extra, env=ENV):
    result = run("sign", str(pdf), "--p12", str(p12), *extra, env=env)
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def document(built, tmp_path):
    """A lampiran as built, in a folder of its own (its signed copy goes beside it)."""
    path = tmp_path / "layanan-e-ktp.pdf"
    shutil.copy(built / "layanan-e-ktp.pdf", path)
    return path


# ---------------------------------------------------------------- passwords


def test_the_password_from_the_named_variable_signs_and_stderr_stays_empty(run, document, pki):
    result = _sign(run, document, pki["camat"], "--password-env", "SOPDOC_P12_PASSWORD")
    assert result.exit_code == 0, result.output
    target = document.with_name("layanan-e-ktp-ttd.pdf")
    assert result.stdout == f"ditandatangani: {target}\n{SITE_NOTE}\n"
    assert result.stderr == ""  # no "FFTM NOT subset", no "invalid pdf header"
    assert target.read_bytes().startswith(document.read_bytes())
    assert PASSWORD not in result.output


@pytest.mark.parametrize("given", ["rahasia123", "rahasia uji!", "p@ssw0rd", PASSWORD])
def test_a_password_given_as_the_variable_name_is_never_echoed(run, document, pki, given):
    result = _sign(run, document, pki["camat"], "--password-env", given)
    assert result.exit_code == 2
    assert "--password-env meminta NAMA variabel lingkungan, bukan kata sandinya" in result.stderr
    assert given not in result.output
    assert not document.with_name("layanan-e-ktp-ttd.pdf").exists()


def test_a_missing_variable_is_named_as_missing(run, document, pki):
    result = _sign(run, document, pki["camat"], "--password-env", "P12_SANDI_KANTOR", env={})
    assert result.exit_code == 2
    assert "variabel lingkungan P12_SANDI_KANTOR tidak ada" in result.stderr


def test_a_wrong_password_says_so(run, document, pki):
    result = _sign(run, document, pki["camat"], "--password-env", "SOPDOC_P12_PASSWORD",
                   env={"SOPDOC_P12_PASSWORD": "salah-sekali"})
    assert result.exit_code == 1 and "kata sandi salah" in result.stderr
    assert "salah-sekali" not in result.output


def test_without_password_env_and_no_terminal_it_says_how_to_give_it(run, document, pki):
    result = _sign(run, document, pki["camat"], env={})
    assert result.exit_code == 1
    assert "berkas .p12 ini berkata sandi" in result.stderr and "--password-env" in result.stderr
    assert "kata sandi salah" not in result.stderr
    assert not document.with_name("layanan-e-ktp-ttd.pdf").exists()


def test_without_password_env_on_a_terminal_it_asks_without_echo(run, document, pki, monkeypatch):
    from click.testing import CliRunner

    from sopdoc.cli import cli

    monkeypatch.setattr(signing_cli, "_stdin_is_terminal", lambda: True)
    result = CliRunner().invoke(cli, ["sign", str(document), "--p12", str(pki["camat"])], input=PASSWORD + "\n",
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Kata sandi .p12" in result.output and PASSWORD not in result.output
    assert document.with_name("layanan-e-ktp-ttd.pdf").is_file()


def test_a_p12_without_password_needs_none(run, document, pki):
    result = _sign(run, document, pki["no_password"], env={})
    assert result.exit_code == 0, result.output


def test_a_p12_that_is_no_p12(run, document, tmp_path):
    junk = tmp_path / "rusak.p12"
    junk.write_bytes(b"bukan pkcs12")
    result = _sign(run, document, junk, env={})
    assert result.exit_code == 1 and "bukan PKCS#12" in result.stderr


# ---------------------------------------------------------------- an existing signed copy


def test_signing_the_same_pdf_again_is_refused_and_the_first_copy_kept(run, document, pki):
    target = document.with_name("layanan-e-ktp-ttd.pdf")
    assert _sign(run, document, pki["camat"], "--password-env", "SOPDOC_P12_PASSWORD").exit_code == 0
    first = target.read_bytes()
    result = _sign(run, document, pki["camat"], "--password-env", "SOPDOC_P12_PASSWORD")
    assert result.exit_code == 1
    assert result.stderr == f"sopdoc: sudah ditandatangani: {target}\n"
    assert target.read_bytes() == first
    assert sorted(path.name for path in document.parent.iterdir()) == ["layanan-e-ktp-ttd.pdf", "layanan-e-ktp.pdf"]


def test_a_rebuilt_pdf_keeps_the_earlier_signed_copy_under_its_signing_time(run, document, built, pki):
    target = document.with_name("layanan-e-ktp-ttd.pdf")
    assert _sign(run, document, pki["camat"], "--password-env", "SOPDOC_P12_PASSWORD").exit_code == 0
    first = target.read_bytes()
    first_time = signing_time(first)
    kept = document.with_name(f"layanan-e-ktp-ttd-{first_time.astimezone(dt.timezone.utc):%Y%m%d-%H%M%S}.pdf")
    assert earlier_signed_copy_path(target, first_time) == kept

    shutil.copy(built / "legalisir-surat.pdf", document)  # the document as rebuilt since
    result = _sign(run, document, pki["camat"], "--password-env", "SOPDOC_P12_PASSWORD")
    assert result.exit_code == 0, result.output
    assert result.stdout == (f"tanda tangan lama (versi sebelum dibangun ulang) disimpan: {kept}\n"
                             f"ditandatangani: {target}\n{SITE_NOTE}\n")
    assert kept.read_bytes() == first
    assert target.read_bytes().startswith(document.read_bytes())
    assert result.stderr == ""


def test_when_the_dated_name_is_taken_too_nothing_is_replaced(run, document, built, pki):
    target = document.with_name("layanan-e-ktp-ttd.pdf")
    assert _sign(run, document, pki["camat"], "--password-env", "SOPDOC_P12_PASSWORD").exit_code == 0
    first = target.read_bytes()
    taken = earlier_signed_copy_path(target, signing_time(first))
    taken.write_bytes(b"salinan lain")
    shutil.copy(built / "legalisir-surat.pdf", document)
    result = _sign(run, document, pki["camat"], "--password-env", "SOPDOC_P12_PASSWORD")
    assert result.exit_code == 1
    assert f"{taken.name} pun sudah ada" in result.stderr
    assert target.read_bytes() == first and taken.read_bytes() == b"salinan lain"


def test_an_unreadable_earlier_copy_is_kept_under_its_modification_time(run, document, pki):
    target = document.with_name("layanan-e-ktp-ttd.pdf")
    target.write_bytes(b"bukan pdf bertanda tangan")
    moment = dt.datetime(2025, 3, 4, 5, 6, 7, tzinfo=dt.timezone.utc)
    os.utime(target, (moment.timestamp(), moment.timestamp()))
    result = _sign(run, document, pki["camat"], "--password-env", "SOPDOC_P12_PASSWORD")
    assert result.exit_code == 0, result.output
    kept = document.with_name("layanan-e-ktp-ttd-20250304-050607.pdf")
    assert kept.read_bytes() == b"bukan pdf bertanda tangan"
    assert str(kept) in result.stdout


def test_out_cannot_be_the_input_itself(run, document, pki):
    result = _sign(run, document, pki["camat"], "--password-env", "SOPDOC_P12_PASSWORD", "--out", str(document))
    assert result.exit_code == 2 and "PDF masukannya sendiri" in result.stderr


# ---------------------------------------------------------------- drafts


def test_a_draft_is_refused_before_any_password_and_nothing_is_written(run, pki, tmp_path):
    html = '<html><body><p>Draf SOP</p><div id="ruang-ttd" style="height: 3cm; width: 8cm"></div></body></html>'
    draft = tmp_path / "draf.pdf"
    draft.write_bytes(write_pdf(html, PdfOptions((), 1700000000, signature_element="ruang-ttd", draft=True)))
    final = tmp_path / "final.pdf"
    final.write_bytes(write_pdf(html, PdfOptions((), 1700000000, signature_element="ruang-ttd")))
    result = _sign(run, draft, pki["camat"], env={})  # no password given: refused before it matters
    assert result.exit_code == 1
    assert result.stderr == f"sopdoc: {DRAFT_REFUSAL}\n"
    assert DRAFT_REFUSAL == ("dokumen ini DRAF; hapus 'status: draf' (atau jangan pakai --draf) lalu bangun ulang "
                             "sebelum menandatangani")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["draf.pdf", "final.pdf"]
    # the same document, not a draft, signs
    assert _sign(run, final, pki["camat"], "--password-env", "SOPDOC_P12_PASSWORD").exit_code == 0


def test_other_pdfs_are_refused_before_any_password(run, pki, tmp_path):
    foreign = tmp_path / "lain.pdf"
    foreign.write_bytes(HTML(string="<p>Surat lain</p>").write_pdf())
    result = _sign(run, foreign, pki["camat"], env={})
    assert result.exit_code == 1 and "bukan buatan sopdoc" in result.stderr
