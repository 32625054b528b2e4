"""Signing with a key on a PKCS#11 token: a real SoftHSM2 (libsofthsm2.so, installed by
scripts/setup.sh) with its own token folder per test, keys imported by softhsm2-util and
certificates by python-pkcs11. No mocks, and no skip: on a machine where setup ran, a missing
SoftHSM2 is a failure."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sysconfig
from pathlib import Path

import pkcs11
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from pkcs11 import Attribute
from pkcs11.util.x509 import decode_x509_certificate
from pyhanko.pdf_utils.reader import PdfFileReader

from conftest import CORPUS, PASSWORD
from sopdoc.build.pipeline import build
from sopdoc.errors import SopdocError
from sopdoc.sign.pades import sign_pdf, verify_pdf
from sopdoc.sign.token import TokenInfo, list_tokens, token_signer
from sopdoc.sources.loader import load_project

PIN = "246810"
SO_PIN = "13579135"


def _softhsm_library() -> Path:
    candidates = [Path("/usr/lib/softhsm/libsofthsm2.so")]
    multiarch = sysconfig.get_config_var("MULTIARCH")
    if multiarch:
        candidates.append(Path("/usr/lib") / multiarch / "softhsm" / "libsofthsm2.so")
    for path in candidates:
        if path.is_file():
            return path
    pytest.fail("SoftHSM2 tidak terpasang (libsofthsm2.so tidak ditemukan di "
                f"{', '.join(map(str, candidates))}); jalankan scripts/setup.sh (paket Debian softhsm2)")


class SoftHSM:
    """A private SoftHSM2: SOFTHSM2_CONF points at a config whose token folder is in tmp_path."""

    def __init__(self, root: Path, monkeypatch):
        self.library = _softhsm_library()
        self.root = root
        tokens = root / "tokens"
        tokens.mkdir(parents=True)
        config = root / "softhsm2.conf"
        config.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n"
                          "slots.removable = false\n", encoding="utf-8")
        monkeypatch.setenv("SOFTHSM2_CONF", str(config))

    def _util(self, *args: str) -> str:
        done = subprocess.run(["softhsm2-util", *args], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def init_token(self, label: str) -> int:
        """A new token; returns its slot number."""
        out = self._util("--init-token", "--free", "--label", label, "--so-pin", SO_PIN, "--pin", PIN)
        return int(out.rsplit("slot", 1)[1].split()[0])

    def import_key(self, token: str, key, label: str, key_id: str) -> None:
        path = self.root / f"{token}-{key_id}.pem"
        path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
        self._util("--import", str(path), "--token", token, "--label", label, "--id", key_id, "--pin", PIN)
        path.unlink()

    def import_certificate(self, token: str, certificate: x509.Certificate, label: str, key_id: str) -> None:
        lib = pkcs11.lib(str(self.library.resolve()))
        try:
            with lib.get_token(token_label=token).open(rw=True, user_pin=PIN) as session:
                template = decode_x509_certificate(certificate.public_bytes(serialization.Encoding.DER))
                template.update({Attribute.TOKEN: True, Attribute.LABEL: label,
                                 Attribute.ID: bytes.fromhex(key_id)})
                session.create_object(template)
        finally:
            lib.finalize()  # as token_signer does: the next user initializes afresh

    def signer_on(self, token: str, p12: Path, label: str, key_id: str, *, ca: Path | None = None,
                  certificate: bool = True) -> None:
        """The key (and its certificate, and the CA's) of one of the pki fixture's .p12 files."""
        key, cert, _ = pkcs12.load_key_and_certificates(p12.read_bytes(), PASSWORD.encode())
        self.import_key(token, key, label, key_id)
        if certificate:
            self.import_certificate(token, cert, label, key_id)
        if ca is not None:
            self.import_certificate(token, x509.load_pem_x509_certificate(ca.read_bytes()), "CA Uji", "ca")


@pytest.fixture
def hsm(tmp_path, monkeypatch) -> SoftHSM:
    return SoftHSM(tmp_path / "softhsm", monkeypatch)


@pytest.fixture
def kantor(hsm, pki) -> SoftHSM:
    """One token, 'kantor', holding HARYANTO's key and certificate and the CA certificate."""
    hsm.init_token("kantor")
    hsm.signer_on("kantor", pki["camat"], "camat", "01", ca=pki["ca"])
    return hsm


@pytest.fixture(scope="module")
def lampiran(tmp_path_factory) -> bytes:
    project, _ = load_project([CORPUS])
    sops = [s for s in project.sops if s.office.slug == "kecamatan-jumapolo" and s.slug == "layanan-e-ktp"]
    out = tmp_path_factory.mktemp("built")
    build(sops, ("pdf",), out, jobs=1, site_url="https://sop.example.org/")
    return (out / "kecamatan-jumapolo" / "layanan-e-ktp.pdf").read_bytes()


def _ca(pki) -> list[x509.Certificate]:
    return [x509.load_pem_x509_certificate(pki["ca"].read_bytes())]


def _refusal(hsm: SoftHSM, **options) -> str:
    options.setdefault("pin", PIN)
    library = options.pop("library", hsm.library)
    with pytest.raises(SopdocError) as refused:
        with token_signer(library, **options):
            pass
    message = str(refused.value)
    assert PIN not in message and "Traceback" not in message
    return message


def test_a_lampiran_signed_on_the_only_token_verifies_and_is_trusted(kantor, lampiran, pki, capfd):
    with token_signer(kantor.library, pin=PIN) as signer:  # the only token, its only key
        signed = sign_pdf(lampiran, signer)
    assert capfd.readouterr() == ("", "")  # neither sopdoc, pyHanko nor the library printed anything
    assert signed.startswith(lampiran)  # one incremental update
    [report] = verify_pdf(signed, _ca(pki))
    assert report.ok and report.intact and report.unchanged and report.trusted is True
    assert "HARYANTO" in report.signer
    assert report.revision == 2 and report.revisions == 2
    # the CA certificate the token holds travels in the signature, beside the signer's
    [embedded] = PdfFileReader(io.BytesIO(signed)).embedded_signatures
    subjects = {cert.subject.human_friendly for cert in embedded.other_embedded_certs}
    assert any("CA Uji" in subject for subject in subjects), subjects


def test_after_the_with_the_session_is_closed_and_signing_with_it_is_refused(kantor, lampiran):
    with token_signer(kantor.library, pin=PIN) as signer:
        pass
    with pytest.raises(SopdocError, match="penandatanganan gagal: sambungan ke token terputus"):
        sign_pdf(lampiran, signer)
    # and the token is free again for the next use
    with token_signer(kantor.library, pin=PIN, token_label="kantor", key_label="camat") as again:
        assert "HARYANTO" in again.signing_cert.subject.human_friendly


def test_tokens_are_listed_with_their_slots_labels_and_maker(hsm, pki):
    assert list_tokens(hsm.library) == []  # SoftHSM's free, uninitialized slot is no token
    slots = {hsm.init_token("kantor"): "kantor", hsm.init_token("sekretariat"): "sekretariat"}
    tokens = list_tokens(hsm.library)
    assert {token.slot: token.label for token in tokens} == slots
    assert all(isinstance(token, TokenInfo) and token.manufacturer == "SoftHSM project"
               and token.model == "SoftHSM v2" and token.serial for token in tokens)
    assert [token.slot for token in tokens] == sorted(slots)  # slot order


def test_with_several_tokens_one_is_chosen_by_label_or_slot(hsm, pki, lampiran):
    kantor_slot = hsm.init_token("kantor")
    hsm.signer_on("kantor", pki["camat"], "camat", "01")
    other_slot = hsm.init_token("sekretariat")

    message = _refusal(hsm)
    assert message.startswith("ada beberapa token; pilih satu dengan slot atau labelnya")
    assert f"'kantor' (slot {kantor_slot}, SoftHSM project SoftHSM v2" in message
    assert f"'sekretariat' (slot {other_slot}" in message

    with token_signer(hsm.library, token_label="kantor", pin=PIN) as signer:
        [report] = verify_pdf(sign_pdf(lampiran, signer), _ca(pki))
    assert report.ok and report.trusted and "HARYANTO" in report.signer
    with token_signer(hsm.library, slot=kantor_slot, pin=PIN) as signer:
        assert "HARYANTO" in signer.signing_cert.subject.human_friendly

    message = _refusal(hsm, token_label="keuangan")
    assert message.startswith("tidak ada token berlabel 'keuangan'; token yang ada: ")
    assert "'kantor'" in message and "'sekretariat'" in message
    message = _refusal(hsm, slot=12345)
    assert message.startswith("tidak ada token di slot 12345; token yang ada: ")
    assert f"'kantor' (slot {kantor_slot}" in message and f"'sekretariat' (slot {other_slot}" in message
    message = _refusal(hsm, slot=other_slot, token_label="kantor")
    assert message.startswith(f"tidak ada token berlabel 'kantor' di slot {other_slot}")


def test_a_wrong_pin_is_refused_in_indonesian_and_the_right_one_still_works(kantor):
    message = _refusal(kantor, pin="000000")
    assert message.startswith("PIN salah untuk token 'kantor' (slot ")
    assert "000000" not in message
    assert _refusal(kantor, pin="").startswith("PIN token 'kantor'")  # empty: asked for, not sent
    with token_signer(kantor.library, pin=PIN) as signer:
        assert signer.signing_cert is not None


def test_no_token_inserted(hsm):
    assert _refusal(hsm) == "tidak ada token yang terpasang; colokkan token USB lalu coba lagi"


def test_a_missing_library_or_one_that_is_not_pkcs11_is_refused(hsm, tmp_path):
    message = _refusal(hsm, library=tmp_path / "tidak-ada.so")
    assert message.startswith(f"pustaka PKCS#11 {tmp_path / 'tidak-ada.so'} tidak ada")
    assert "bukan berkas" in _refusal(hsm, library=tmp_path)
    text = tmp_path / "bukan.so"
    text.write_text("bukan pustaka")
    assert _refusal(hsm, library=text).startswith(f"{text} bukan pustaka PKCS#11")
    # a real shared library, without C_GetFunctionList
    extension = Path(pkcs11._pkcs11.__file__)
    assert _refusal(hsm, library=extension).startswith(f"{extension} bukan pustaka PKCS#11")
    with pytest.raises(SopdocError, match="tidak ada"):
        list_tokens(tmp_path / "tidak-ada.so")


def test_a_token_without_a_key_or_without_the_certificate(hsm, pki):
    hsm.init_token("kosong")
    assert _refusal(hsm).startswith("token 'kosong' (slot ")
    assert _refusal(hsm).endswith("tidak berisi kunci privat untuk tanda tangan")

    hsm.signer_on("kosong", pki["camat"], "camat", "01", certificate=False)
    message = _refusal(hsm)
    assert message.startswith("sertifikat untuk kunci 'camat' (tanpa sertifikat) tidak ada di token 'kosong'")


def test_with_several_keys_one_is_chosen_by_its_label(hsm, pki, lampiran):
    hsm.init_token("kantor")
    hsm.signer_on("kantor", pki["camat"], "camat", "01", ca=pki["ca"])
    hsm.signer_on("kantor", pki["expired"], "lama", "02")  # an old key whose certificate has expired

    message = _refusal(hsm)
    assert message.startswith("ada beberapa kunci di token 'kantor'")
    assert "'camat' (HARYANTO, berlaku s.d. " in message and "'lama' (Kedaluwarsa, berlaku s.d. " in message

    with token_signer(hsm.library, key_label="camat", pin=PIN) as signer:
        [report] = verify_pdf(sign_pdf(lampiran, signer), _ca(pki))
    assert report.ok and report.trusted and "HARYANTO" in report.signer

    message = _refusal(hsm, key_label="bendahara")
    assert message.startswith("tidak ada kunci berlabel 'bendahara' di token 'kantor'")
    assert message.index("kunci yang ada: 'camat' (HARYANTO") < message.index("; 'lama' (Kedaluwarsa")  # by label
    # the chosen certificate is checked: the old one has expired
    assert _refusal(hsm, key_label="lama").startswith("sertifikat sudah kedaluwarsa sejak ")


def test_the_certificate_must_be_valid_at_the_signing_time(kantor):
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=400)
    assert _refusal(kantor, now=later).startswith("sertifikat sudah kedaluwarsa sejak ")
    earlier = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=30)
    assert _refusal(kantor, now=earlier).startswith("sertifikat baru berlaku mulai ")


def test_sopdoc_sign_with_a_token_from_the_command_line(kantor, lampiran, pki, run, tmp_path):
    document = tmp_path / "layanan-e-ktp.pdf"
    document.write_bytes(lampiran)
    listed = run("token", "--pkcs11-lib", str(kantor.library))
    assert listed.exit_code == 0 and listed.stdout.startswith("'kantor' (slot "), listed.output
    signed = run("sign", str(document), "--pkcs11-lib", str(kantor.library), "--token", "kantor",
                 "--pin-env", "TOKEN_PIN", env={"TOKEN_PIN": PIN})
    assert signed.exit_code == 0, signed.output
    assert PIN not in signed.output and signed.stderr == ""
    checked = run("verify", str(tmp_path / "layanan-e-ktp-ttd.pdf"), "--trust", str(pki["ca"]))
    assert checked.exit_code == 0, checked.output
    assert "HARYANTO" in checked.stdout
    wrong = run("sign", str(document), "--pkcs11-lib", str(kantor.library), "--pin-env", "TOKEN_PIN",
                "--out", str(tmp_path / "salah.pdf"), env={"TOKEN_PIN": "000000"})
    assert wrong.exit_code == 1 and "PIN salah" in wrong.stderr and "000000" not in wrong.output
    assert not (tmp_path / "salah.pdf").exists()
    both = run("sign", str(document), "--pkcs11-lib", str(kantor.library), "--p12", str(pki["camat"]))
    assert both.exit_code == 2 and "beri salah satu" in both.stderr
