"""Commands on signatures: sign (with a .p12 file or a PKCS#11 token), token, verify."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from sopdoc.cli.common import UserError, cli, read_file

# A conventional environment variable name. A value with lowercase letters may be a valid name
# too, but it may just as well be the password itself: it is never repeated in a message.
_CONVENTIONAL_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")
_VALID_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


pkcs11_lib_option = click.option(
    "--pkcs11-lib", type=click.Path(path_type=Path), envvar="SOPDOC_PKCS11_LIB", default=None, metavar="PUSTAKA",
    help="Pustaka PKCS#11 token USB (dari pembuat token), mis. /usr/lib/softhsm/libsofthsm2.so; "
         "atau variabel lingkungan SOPDOC_PKCS11_LIB.")


def _stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def _from_environment(option: str, name: str, what: str, itself: str) -> str:
    """The secret in the environment variable `name` (given as `option`); never printed.
    `itself`: the secret as "bukan ...", e.g. "kata sandinya"."""
    import os

    not_a_name = (f"{option} meminta NAMA variabel lingkungan, bukan {itself}: "
                  f"export NAMA_VARIABEL='...' lalu {option} NAMA_VARIABEL")
    if not _VALID_NAME.match(name):
        raise UserError(not_a_name, exit_code=2)
    if name not in os.environ:
        if _CONVENTIONAL_NAME.match(name):
            raise UserError(f"variabel lingkungan {name} tidak ada; export {name}='...' dulu ({what})", exit_code=2)
        raise UserError(f"variabel lingkungan yang dinamai {option} tidak ada. " + not_a_name, exit_code=2)
    return os.environ[name]


def _password(password_env: str | None, p12: bytes) -> bytes | None:
    """The .p12's password: from the named environment variable, else asked for on a terminal."""
    from sopdoc.sign.pades import p12_needs_password

    if password_env is not None:
        return _from_environment("--password-env", password_env, "kata sandi .p12", "kata sandinya").encode("utf-8")
    if not p12_needs_password(p12):
        return None
    if _stdin_is_terminal():
        return click.prompt("Kata sandi .p12", hide_input=True, default="", show_default=False).encode("utf-8")
    raise UserError("berkas .p12 ini berkata sandi; beri nama variabel lingkungan yang berisinya, "
                    "mis. export P12_PASSWORD='...' lalu --password-env P12_PASSWORD "
                    "(atau jalankan di terminal agar kata sandinya ditanyakan)")


def _pin(pin_env: str | None) -> str:
    """The token's PIN: from the named environment variable, else asked for on a terminal."""
    if pin_env is not None:
        return _from_environment("--pin-env", pin_env, "PIN token", "PIN-nya")
    if _stdin_is_terminal():
        return click.prompt("PIN token", hide_input=True, default="", show_default=False)
    raise UserError("PIN token diperlukan; beri nama variabel lingkungan yang berisinya, "
                    "mis. export TOKEN_PIN='...' lalu --pin-env TOKEN_PIN "
                    "(atau jalankan di terminal agar PIN-nya ditanyakan)")


@dataclass(frozen=True)
class SignerChoice:
    """Where the signing key is: a PKCS#12 file, or a PKCS#11 token (a USB token, a smart card)."""

    p12: Path | None
    password_env: str | None
    pkcs11_lib: Path | None
    slot: int | None
    token_label: str | None
    key_label: str | None
    pin_env: str | None

    @contextlib.contextmanager
    def open(self, now: dt.datetime):
        if self.pkcs11_lib is not None:
            from sopdoc.sign.token import token_signer

            with token_signer(self.pkcs11_lib, pin=_pin(self.pin_env), slot=self.slot, token_label=self.token_label,
                              key_label=self.key_label, now=now) as signer:
                yield signer
            return
        from sopdoc.sign.pades import load_signer

        key = read_file(self.p12, "berkas .p12")
        yield load_signer(key, _password(self.password_env, key), now)


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
@click.option("--p12", "p12", type=click.Path(path_type=Path), default=None,
              help="Sertifikat dan kunci penanda tangan (PKCS#12, .p12/.pfx).")
@click.option("--password-env", default=None, metavar="NAMA",
              help="NAMA variabel lingkungan yang berisi kata sandi .p12 (bukan kata sandinya). Tanpa ini, "
                   "kata sandi ditanyakan bila dijalankan di terminal.")
@pkcs11_lib_option
@click.option("--slot", type=int, default=None, help="Nomor slot token (lihat 'sopdoc token').")
@click.option("--token", "token_label", default=None, metavar="LABEL", help="Label token (lihat 'sopdoc token').")
@click.option("--kunci", "key_label", default=None, metavar="LABEL", help="Label kunci/sertifikat di token.")
@click.option("--pin-env", default=None, metavar="NAMA",
              help="NAMA variabel lingkungan yang berisi PIN token (bukan PIN-nya). Tanpa ini, PIN ditanyakan "
                   "bila dijalankan di terminal.")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="PDF hasil (bawaan: IN-ttd.pdf di samping IN.pdf).")
@click.option("--tsa-url", default=None, metavar="URL", help="Server cap waktu (PAdES B-T).")
def sign(pdf: Path, p12: Path | None, password_env: str | None, pkcs11_lib: Path | None, slot: int | None,
         token_label: str | None, key_label: str | None, pin_env: str | None, out: Path | None,
         tsa_url: str | None) -> None:
    """Tandatangani lampiran atau keputusan secara elektronik (PAdES).

    Kunci penanda tangan dari berkas --p12, atau dari token USB/kartu cerdas (--pkcs11-lib,
    pustaka PKCS#11 dari pembuat token). Tanda tangan tampak di kotak "Disahkan oleh"
    (lampiran) atau di atas nama camat (keputusan), dengan kode QR alamat publik dokumen.
    Dokumen DRAF tidak ditandatangani. Situs menawarkan salinan bertanda tangan sesudah
    'sopdoc build' berikutnya.

    Berkas hasil yang sudah ada tidak pernah ditimpa diam-diam: bila ia sudah menandatangani
    PDF ini persis, perintah ditolak ("sudah ditandatangani"); bila ia menandatangani versi
    lama dokumen (sebelum dibangun ulang), ia disimpan dulu di folder yang sama sebagai
    NAMA-ttd-YYYYMMDD-HHMMSS.pdf (waktu penandatanganannya, UTC), lalu yang baru ditulis;
    bila nama bertanggal itu pun sudah ada, perintah ditolak.
    """
    from sopdoc.build.outputs import signed_copy_path
    from sopdoc.build.signed import signs_exactly
    from sopdoc.fileio import write_atomic
    from sopdoc.sign.pades import check_signable, sign_pdf

    if (p12 is None) == (pkcs11_lib is None):
        raise UserError("beri salah satu: --p12 BERKAS (sertifikat dalam berkas) atau --pkcs11-lib PUSTAKA "
                        "(sertifikat di token USB)", exit_code=2)
    if p12 is None and password_env is not None or pkcs11_lib is None and (slot, token_label, key_label, pin_env) != (
            None, None, None, None):
        raise UserError("--password-env hanya untuk --p12; --slot, --token, --kunci dan --pin-env hanya untuk "
                        "--pkcs11-lib", exit_code=2)
    choice = SignerChoice(p12, password_env, pkcs11_lib, slot, token_label, key_label, pin_env)
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
        if signs_exactly(target, data):
            raise UserError(f"sudah ditandatangani: {target}")
        earlier = _earlier_copy(target)
        if earlier.exists():
            raise UserError(f"{target} menandatangani versi lama dokumen ini, dan {earlier.name} pun sudah ada; "
                            "pindahkan salah satunya lalu coba lagi")
    now = dt.datetime.now(dt.timezone.utc)
    with choice.open(now) as signer:
        signed = sign_pdf(data, signer, tsa_url=tsa_url, now=now)
    if earlier is not None:
        try:
            write_atomic(earlier, read_file(target, "PDF bertanda tangan"), overwrite=False)
        except FileExistsError:
            raise UserError(f"{earlier} sudah ada; pindahkan lalu coba lagi") from None
        click.echo(f"tanda tangan lama (versi sebelum dibangun ulang) disimpan: {earlier}")
    write_atomic(target, signed)
    click.echo(f"ditandatangani: {target}")
    click.echo("situs menawarkan salinan ini sesudah 'sopdoc build' berikutnya")


@cli.command()
@pkcs11_lib_option
def token(pkcs11_lib: Path | None) -> None:
    """Tampilkan token USB/kartu cerdas yang terpasang (label dan slot untuk 'sopdoc sign')."""
    from sopdoc.sign.token import list_tokens

    if pkcs11_lib is None:
        raise UserError("beri --pkcs11-lib PUSTAKA (pustaka PKCS#11 dari pembuat token)", exit_code=2)
    found = list_tokens(pkcs11_lib)
    if not found:
        click.echo("tidak ada token yang terpasang")
    for info in found:
        click.echo(info.describe())


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
