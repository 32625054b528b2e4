"""Commands on signatures: sign and verify."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import click

from sopdoc.cli.common import UserError, cli, read_file

# A conventional environment variable name. A value with lowercase letters may be a valid name
# too, but it may just as well be the password itself: it is never repeated in a message.
_CONVENTIONAL_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")
_VALID_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_NOT_A_NAME = ("--password-env meminta NAMA variabel lingkungan, bukan kata sandinya: "
               "export P12_PASSWORD='...' lalu --password-env P12_PASSWORD")


def _stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def _password(password_env: str | None, p12: bytes) -> bytes | None:
    """The .p12's password: from the named environment variable, else asked for on a terminal.
    Its value is never printed."""
    import os

    from sopdoc.sign.pades import p12_needs_password

    if password_env is not None:
        if not _VALID_NAME.match(password_env):
            raise UserError(_NOT_A_NAME, exit_code=2)
        if password_env not in os.environ:
            if _CONVENTIONAL_NAME.match(password_env):
                raise UserError(f"variabel lingkungan {password_env} tidak ada; "
                                f"export {password_env}='...' dulu (kata sandi .p12)", exit_code=2)
            raise UserError("variabel lingkungan yang dinamai --password-env tidak ada. " + _NOT_A_NAME, exit_code=2)
        return os.environ[password_env].encode("utf-8")
    if not p12_needs_password(p12):
        return None
    if _stdin_is_terminal():
        return click.prompt("Kata sandi .p12", hide_input=True, default="", show_default=False).encode("utf-8")
    raise UserError("berkas .p12 ini berkata sandi; beri nama variabel lingkungan yang berisinya, "
                    "mis. export P12_PASSWORD='...' lalu --password-env P12_PASSWORD "
                    "(atau jalankan di terminal agar kata sandinya ditanyakan)")


def _signs_exactly(signed: Path, original: bytes) -> bool:
    """The signed file is the original's bytes followed by a signature (see site/downloads.py)."""
    with signed.open("rb") as handle:
        head = handle.read(len(original) + 1)
    return len(head) > len(original) and head.startswith(original)


def _earlier_copy(target: Path) -> Path:
    """Where an existing signed copy of an older build is kept: named by its signing time (UTC),
    or by its modification time when its signature cannot be read."""
    from sopdoc.build.outputs import earlier_signed_copy_path
    from sopdoc.sign.pades import signing_time

    when = signing_time(read_file(target, "PDF bertanda tangan"))
    if when is None:
        when = dt.datetime.fromtimestamp(target.stat().st_mtime, dt.timezone.utc)
    return earlier_signed_copy_path(target, when)


@cli.command()
@click.argument("pdf", type=click.Path(path_type=Path), metavar="IN.pdf")
@click.option("--p12", "p12", type=click.Path(path_type=Path), required=True,
              help="Sertifikat dan kunci penanda tangan (PKCS#12, .p12/.pfx).")
@click.option("--password-env", default=None, metavar="NAMA",
              help="NAMA variabel lingkungan yang berisi kata sandi .p12 (bukan kata sandinya). Tanpa ini, "
                   "kata sandi ditanyakan bila dijalankan di terminal.")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="PDF hasil (bawaan: IN-ttd.pdf di samping IN.pdf).")
@click.option("--tsa-url", default=None, metavar="URL", help="Server cap waktu (PAdES B-T).")
def sign(pdf: Path, p12: Path, password_env: str | None, out: Path | None, tsa_url: str | None) -> None:
    """Tandatangani lampiran atau keputusan secara elektronik (PAdES).

    Tanda tangan tampak di kotak "Disahkan oleh" (lampiran) atau di atas nama camat
    (keputusan), dengan kode QR alamat publik dokumen. Dokumen DRAF tidak ditandatangani.

    Berkas hasil yang sudah ada tidak pernah ditimpa diam-diam: bila ia sudah menandatangani
    PDF ini persis, perintah ditolak ("sudah ditandatangani"); bila ia menandatangani versi
    lama dokumen (sebelum dibangun ulang), ia disimpan dulu di folder yang sama sebagai
    NAMA-ttd-YYYYMMDD-HHMMSS.pdf (waktu penandatanganannya, UTC), lalu yang baru ditulis;
    bila nama bertanggal itu pun sudah ada, perintah ditolak.
    """
    from sopdoc.build.outputs import signed_copy_path
    from sopdoc.fileio import write_atomic
    from sopdoc.sign.pades import check_signable, load_signer, sign_pdf

    target = out or signed_copy_path(pdf)
    if target.is_dir():
        raise UserError(f"--out {target} adalah folder; beri nama berkas PDF, mis. {target / signed_copy_path(pdf).name}",
                        exit_code=2)
    if not target.parent.is_dir():
        raise UserError(f"folder {target.parent} tidak ada", exit_code=2)
    if target.exists() and target.resolve() == pdf.resolve():
        raise UserError(f"--out {target} adalah PDF masukannya sendiri; beri nama lain", exit_code=2)
    data = read_file(pdf, "PDF")
    check_signable(data)  # not a PDF, not sopdoc's, a draft, already signed: before any password
    earlier = None
    if target.exists():
        if _signs_exactly(target, data):
            raise UserError(f"sudah ditandatangani: {target}")
        earlier = _earlier_copy(target)
        if earlier.exists():
            raise UserError(f"{target} menandatangani versi lama dokumen ini, dan {earlier.name} pun sudah ada; "
                            "pindahkan salah satunya lalu coba lagi")
    key = read_file(p12, "berkas .p12")
    password = _password(password_env, key)
    now = dt.datetime.now(dt.timezone.utc)
    signed = sign_pdf(data, load_signer(key, password, now), tsa_url=tsa_url, now=now)
    if earlier is not None:
        try:
            write_atomic(earlier, read_file(target, "PDF bertanda tangan"), overwrite=False)
        except FileExistsError:
            raise UserError(f"{earlier} sudah ada; pindahkan lalu coba lagi") from None
        click.echo(f"tanda tangan lama (versi sebelum dibangun ulang) disimpan: {earlier}")
    write_atomic(target, signed)
    click.echo(f"ditandatangani: {target}")


def _certificates(paths: tuple[Path, ...]):
    from cryptography import x509

    anchors = []
    for path in paths:
        try:
            anchors.extend(x509.load_pem_x509_certificates(read_file(path, "sertifikat")))
        except ValueError:
            try:
                anchors.append(x509.load_der_x509_certificate(read_file(path, "sertifikat")))
            except ValueError:
                raise UserError(f"{path}: bukan sertifikat (PEM atau DER)") from None
    return anchors


def _crls(paths: tuple[Path, ...]):
    from cryptography import x509

    found = []
    for path in paths:
        data = read_file(path, "CRL")
        try:
            if b"-----BEGIN X509 CRL-----" in data:
                blocks = data.split(b"-----BEGIN X509 CRL-----")[1:]
                found.extend(x509.load_pem_x509_crl(b"-----BEGIN X509 CRL-----" + block) for block in blocks)
            else:
                found.append(x509.load_der_x509_crl(data))
        except ValueError:
            raise UserError(f"{path}: bukan CRL (daftar sertifikat yang dicabut, PEM atau DER)") from None
    return found


def _when(report) -> str:
    if report.signed_at is None:
        return "tidak diketahui"
    moment = report.signed_at.astimezone(dt.timezone.utc)
    source = "cap waktu TSA" if report.timestamped else "menurut penanda tangan, tanpa cap waktu"
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC ({source})"


@cli.command()
@click.argument("pdf", type=click.Path(path_type=Path), metavar="FILE.pdf")
@click.option("--trust", "trust", type=click.Path(path_type=Path), multiple=True, metavar="CA.pem",
              help="Sertifikat induk (CA) yang dipercaya, mis. root CA BSrE (PEM atau DER; boleh berulang).")
@click.option("--crl", "crl", type=click.Path(path_type=Path), multiple=True, metavar="FILE",
              help="Daftar sertifikat yang dicabut (CRL) dari penerbit sertifikat (PEM atau DER; boleh berulang).")
def verify(pdf: Path, trust: tuple[Path, ...], crl: tuple[Path, ...]) -> None:
    """Periksa tanda tangan elektronik sebuah PDF.

    Untuk setiap tanda tangan: utuh, tidak berubah sesudahnya, sertifikat berlaku pada waktu
    penandatanganan, tidak dicabut (menurut --crl dan data di PDF) dan dipercaya (berantai ke
    CA --trust). Keluar 1 bila ada tanda tangan yang TIDAK sah; 0 bila tidak ada (tanpa --trust,
    kepercayaan penanda tangan tidak diperiksa dan dikatakan demikian).
    """
    from sopdoc.errors import SopdocError
    from sopdoc.sign.pades import verify_pdf

    anchors = _certificates(trust) if trust else None
    crls = _crls(crl)
    try:
        reports = verify_pdf(read_file(pdf, "PDF"), anchors, crls)
    except SopdocError as exc:
        raise UserError(f"{pdf}: {exc}", exc.exit_code) from None
    for report in reports:
        click.echo(f"tanda tangan {report.field}")
        click.echo(f"  penanda tangan : {report.signer}")
        click.echo(f"  penerbit       : {report.issuer}")
        click.echo(f"  waktu          : {_when(report)}")
        click.echo(f"  utuh           : {'ya' if report.intact else 'TIDAK: isi yang ditandatangani berubah'}")
        if not report.covers_revision:
            unchanged = "TIDAK: tanda tangan hanya mencakup sebagian berkas"
        else:
            unchanged = "ya" if report.unchanged else "TIDAK: dokumen diubah sesudah ditandatangani"
        click.echo(f"  tidak berubah  : {unchanged}")
        later = f"; sesudahnya hanya ditambah tanda tangan {', '.join(report.later_signatures)}" \
            if report.later_signatures and report.unchanged else ""
        if report.uncovered_bytes:
            later += f"; {report.uncovered_bytes} bita di akhir berkas tidak tercakup tanda tangan"
        click.echo(f"  mencakup       : revisi {report.revision} dari {report.revisions}{later}")
        click.echo(f"  sertifikat     : {report.certificate_note}")
        click.echo(f"  dicabut        : {report.revocation_note}")
        click.echo(f"  dipercaya      : {report.trust_note}")
    failed = [report for report in reports if not report.ok]
    if failed:
        reasons = "; ".join(f"{report.field} ({', '.join(report.problems)})" for report in failed)
        click.echo(f"{len(failed)} dari {len(reports)} tanda tangan TIDAK sah: {reasons}.")
        sys.exit(1)
    if anchors is None:
        click.echo("Semua tanda tangan utuh, tetapi belum dapat dinyatakan sah: kepercayaan penanda tangan "
                   "tidak diperiksa; beri --trust CA.pem (mis. root CA BSrE).")
    elif not all(report.revocation_checked for report in reports):
        click.echo("Semua tanda tangan sah, tetapi status pencabutan sertifikat tidak diperiksa "
                   "(beri --crl FILE dari penerbitnya).")
    else:
        click.echo("Semua tanda tangan sah.")
