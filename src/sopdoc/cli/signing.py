"""Commands on signatures: sign and verify."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sopdoc.cli.common import UserError, cli, read_file


@cli.command()
@click.argument("pdf", type=click.Path(path_type=Path), metavar="IN.pdf")
@click.option("--p12", "p12", type=click.Path(path_type=Path), required=True,
              help="Sertifikat dan kunci penanda tangan (PKCS#12, .p12/.pfx).")
@click.option("--password-env", default=None, metavar="VAR",
              help="Nama variabel lingkungan yang berisi kata sandi .p12 (bukan kata sandinya).")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="PDF hasil (bawaan: IN-ttd.pdf di samping IN.pdf).")
@click.option("--tsa-url", default=None, metavar="URL", help="Server cap waktu (PAdES B-T).")
def sign(pdf: Path, p12: Path, password_env: str | None, out: Path | None, tsa_url: str | None) -> None:
    """Tandatangani lampiran atau keputusan secara elektronik (PAdES).

    Tanda tangan tampak di kotak "Disahkan oleh" (lampiran) atau di atas nama camat
    (keputusan), dengan kode QR alamat publik dokumen.
    """
    import datetime as dt
    import os

    from sopdoc.fileio import write_atomic
    from sopdoc.sign.pades import load_signer, sign_pdf
    from sopdoc.build.outputs import signed_copy_path

    password = None
    if password_env:
        if password_env not in os.environ:
            raise UserError(f"variabel lingkungan {password_env} tidak ada")
        password = os.environ[password_env].encode("utf-8")
    target = out or signed_copy_path(pdf)
    if target.is_dir():
        raise UserError(f"--out {target} adalah folder; beri nama berkas PDF, mis. {target / signed_copy_path(pdf).name}",
                        exit_code=2)
    if not target.parent.is_dir():
        raise UserError(f"folder {target.parent} tidak ada", exit_code=2)
    data = read_file(pdf, "PDF")
    now = dt.datetime.now(dt.timezone.utc)
    signer = load_signer(read_file(p12, "berkas .p12"), password, now)
    signed = sign_pdf(data, signer, tsa_url=tsa_url, now=now)
    write_atomic(target, signed)
    click.echo(f"ditandatangani: {target}")


@cli.command()
@click.argument("pdf", type=click.Path(path_type=Path), metavar="FILE.pdf")
@click.option("--trust", "trust", type=click.Path(path_type=Path), default=None, metavar="CA.pem",
              help="Sertifikat induk (PEM) yang dipercaya.")
def verify(pdf: Path, trust: Path | None) -> None:
    """Periksa tanda tangan elektronik sebuah PDF.

    Keluar 0 hanya bila dokumen utuh dan tidak berubah sejak ditandatangani (dan penanda
    tangannya dipercaya, bila --trust diberikan).
    """
    from cryptography import x509

    from sopdoc.sign.pades import verify_pdf

    anchors = None
    if trust is not None:
        try:
            anchors = x509.load_pem_x509_certificates(read_file(trust, "sertifikat"))
        except ValueError:
            raise UserError(f"{trust}: bukan sertifikat PEM") from None
    reports = verify_pdf(read_file(pdf, "PDF"), anchors)
    for report in reports:
        when = report.signed_at.strftime("%Y-%m-%d %H:%M:%S %Z") if report.signed_at else "tidak diketahui"
        click.echo(f"tanda tangan {report.field}")
        click.echo(f"  penanda tangan : {report.signer}")
        click.echo(f"  waktu          : {when}")
        click.echo(f"  utuh           : {'ya' if report.intact else 'TIDAK: isi yang ditandatangani berubah'}")
        click.echo(f"  tidak berubah  : {'ya' if report.unchanged else 'TIDAK: dokumen diubah sesudah ditandatangani'}")
        later = f"; sesudahnya hanya ditambah tanda tangan {', '.join(report.later_signatures)}" \
            if report.later_signatures and report.unchanged else ""
        click.echo(f"  mencakup       : revisi {report.revision} dari {report.revisions}{later}")
        trusted = {None: "tidak diperiksa (beri --trust CA.pem)", True: "ya", False: "TIDAK"}[report.trusted]
        click.echo(f"  dipercaya      : {trusted}")
    if not all(report.ok for report in reports):
        sys.exit(1)
