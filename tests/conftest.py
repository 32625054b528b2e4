"""Shared helpers: tiny real source trees written to a temporary folder, and the CLI runner."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from click.testing import CliRunner

from sopdoc.cli import cli
from sopdoc.sources.loader import load_project

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
TEST_ROOTS = TESTS / "roots"
# The tests' own copy of the real SOPs: what a clerk adds to or edits in sop_sources/ cannot break
# them (tests/sources/test_corpus.py checks that sop_sources/ itself stays valid).
CORPUS = TEST_ROOTS / "corpus"
SOURCES = ROOT / "sop_sources"
GOLDEN = TESTS / "golden"
AXE = TESTS / "browser" / "node_modules" / "axe-core" / "axe.min.js"


def assert_golden(name: str, actual: str) -> None:
    """Compare a text output with tests/golden/<name>. After an intended change, regenerate with
    `SOPDOC_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests` and review `git diff tests/golden`."""
    path = GOLDEN / name
    if os.environ.get("SOPDOC_UPDATE_GOLDEN"):
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8"), f"differs from {path}; see assert_golden in conftest.py"

# Line numbers matter: validation tests replace one numbered line and assert where the
# diagnostic points. Keep these texts in sync with the line numbers used in the tests.
BASE_INSTANSI = """\
pemerintah: Pemerintah Kabupaten Uji
nama: Kecamatan Uji
pejabat:
  camat:
    jabatan: Camat Uji
    nama: Budi Santoso, S.Sos.
    nip: "19790709 199810 1 002"
keputusan:
  sop-2024:
    nomor: 1 Tahun 2024
    tanggal: 2024-01-02
    tentang: SOP Kecamatan Uji
    ditetapkan_oleh: camat
"""

BASE_SOP = """\
nomor: KEC/UJI/1/2024
nama: Layanan Uji
lampiran:
  keputusan: sop-2024
tanggal_pembuatan: 2024-01-02
tanggal_efektif: 2024-01-02
disahkan_oleh: camat
pelaksana:
  pemohon: Pemohon
  petugas: Petugas
langkah:
  - uraian: Mengajukan permohonan
    pelaksana: pemohon
    waktu: 5 menit
    output: Berkas
  - uraian: Apakah berkas lengkap?
    pelaksana: petugas
    waktu: 10 menit
    output: Berkas diperiksa
    keputusan:
      ya: 3
      tidak: 1
  - uraian: Menyerahkan hasil
    pelaksana: petugas
    waktu: 5 menit
    output: Surat
"""


def replace_line(text: str, number: int, *new_lines: str) -> str:
    """Replace line `number` (1-based) by `new_lines` (none deletes it)."""
    lines = text.splitlines()
    assert 1 <= number <= len(lines)
    lines[number - 1:number] = list(new_lines)
    return "\n".join(lines) + "\n"


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write `{relative path: content}` under root/sop_sources and return that folder."""
    sources = root / "sop_sources"
    for name, content in files.items():
        path = sources / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return sources


def office_tree(root: Path, sop: str = BASE_SOP, instansi: str = BASE_INSTANSI, **more: str) -> Path:
    files = {"kecamatan-uji/instansi.yml": instansi, "kecamatan-uji/layanan-uji.yml": sop}
    files.update({f"kecamatan-uji/{name.replace('_', '-')}.yml": text for name, text in more.items()})
    return write_tree(root, files)


def png_bytes(size=(40, 40)) -> bytes:
    """A small real PNG, for logos."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 60, 120)).save(buffer, "PNG")
    return buffer.getvalue()


def diagnostics_of(sources: Path):
    return list(load_project([sources])[1])


@pytest.fixture
def run(monkeypatch, tmp_path):
    """Invoke the CLI in tmp_path; returns the click Result."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def invoke(*args: str, env: dict[str, str] | None = None):
        return runner.invoke(cli, list(args), catch_exceptions=False, env=env)

    return invoke


SITE_CONFIG = ROOT / "mkdocs.yml"


def build_site_project(root: Path, sources: Path | None = None) -> Path:
    """A project beside `root`: sources (the corpus by default) and the real mkdocs.yml, built by
    `sopdoc build` into root/build and root/site. Returns root."""
    import shutil

    if sources is None:
        shutil.copytree(CORPUS, root / "sop_sources")
    shutil.copy(SITE_CONFIG, root / "mkdocs.yml")
    result = CliRunner().invoke(cli, ["build", str(root / "sop_sources"), "--out", str(root / "build")],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert (root / "site" / "index.html").is_file(), result.output
    return root


SCRIPT = "<script>alert(1)</script>"


def script_site(root: Path) -> Path:
    """A built project whose source text, in every field a page shows, contains SCRIPT."""
    sop = replace_line(BASE_SOP, 2, f'nama: "Layanan {SCRIPT}"')
    sop = sop.replace("  - uraian: Mengajukan permohonan", f'  - uraian: "Mengajukan {SCRIPT}"')
    sop += f'kategori: ["{SCRIPT}"]\nringkasan: "Ringkasan {SCRIPT}"\nunit: "Seksi {SCRIPT}"\n'
    office_tree(root, sop=sop, instansi=BASE_INSTANSI.replace("nama: Kecamatan Uji", f'nama: "Kecamatan {SCRIPT}"'))
    return build_site_project(root, sources=root / "sop_sources")


@pytest.fixture(scope="session")
def corpus_site(tmp_path_factory) -> Path:
    """The corpus built once per run, site included: the project root."""
    return build_site_project(tmp_path_factory.mktemp("corpus-site"))


# ---------------------------------------------------------------- a test PKI, made by cryptography

NOW = dt.datetime.now(dt.timezone.utc)
PASSWORD = "rahasia-uji"  # of every .p12 the pki fixture writes


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Kecamatan Uji")])


def _certificate(subject, issuer, key, issuer_key, *, ca: bool, days=(-1, 365)):
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(NOW + dt.timedelta(days=days[0]))
               .not_valid_after(NOW + dt.timedelta(days=days[1]))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.KeyUsage(digital_signature=not ca, content_commitment=not ca,
                                            key_encipherment=False, data_encipherment=False, key_agreement=False,
                                            key_cert_sign=ca, crl_sign=ca, encipher_only=False,
                                            decipher_only=False), critical=True))
    return builder.sign(issuer_key, hashes.SHA256())


@pytest.fixture(scope="session")
def pki(tmp_path_factory):
    """A CA and its signers, as files: "ca" (PEM), "camat" (HARYANTO, valid), "expired" (expired a
    month ago), "not_yet_valid" (valid from next month), "revoked" (listed in "crl", the CA's CRL
    in DER; "crl_pem" the same in PEM), "no_password" (a valid .p12 without a password), and
    "other_ca", a CA that issued none of them. Every other .p12 has the password PASSWORD."""
    folder = tmp_path_factory.mktemp("pki")
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca = _certificate(_name("CA Uji"), _name("CA Uji"), ca_key, ca_key, ca=True)
    (folder / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    issued = {}

    def signer(name: str, days=(-1, 365), password: str | None = PASSWORD):
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        cert = _certificate(_name(name), ca.subject, key, ca_key, ca=False, days=days)
        issued[name] = cert
        path = folder / f"{name.replace(' ', '-')}.p12"
        encryption = (serialization.BestAvailableEncryption(password.encode()) if password
                      else serialization.NoEncryption())
        path.write_bytes(pkcs12.serialize_key_and_certificates(b"signer", key, cert, [ca], encryption))
        return path

    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    other = _certificate(_name("CA Lain"), _name("CA Lain"), other_key, other_key, ca=True)
    (folder / "ca-lain.pem").write_bytes(other.public_bytes(serialization.Encoding.PEM))
    files = {"ca": folder / "ca.pem", "other_ca": folder / "ca-lain.pem", "camat": signer("HARYANTO"),
             "expired": signer("Kedaluwarsa", (-400, -30)), "not_yet_valid": signer("Belum Berlaku", (30, 400)),
             "revoked": signer("Dicabut"), "no_password": signer("Tanpa Sandi", password=None)}
    revoked = (x509.RevokedCertificateBuilder().serial_number(issued["Dicabut"].serial_number)
               .revocation_date(NOW - dt.timedelta(hours=1))
               .add_extension(x509.CRLReason(x509.ReasonFlags.key_compromise), critical=False).build())
    crl = (x509.CertificateRevocationListBuilder().issuer_name(ca.subject)
           .last_update(NOW - dt.timedelta(minutes=30)).next_update(NOW + dt.timedelta(days=30))
           .add_revoked_certificate(revoked).add_extension(x509.CRLNumber(1), critical=False)
           .sign(ca_key, hashes.SHA256()))
    files["crl"] = folder / "ca.crl"
    files["crl"].write_bytes(crl.public_bytes(serialization.Encoding.DER))
    files["crl_pem"] = folder / "ca-crl.pem"
    files["crl_pem"].write_bytes(crl.public_bytes(serialization.Encoding.PEM))
    return files
