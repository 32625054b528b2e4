"""PAdES signatures on sopdoc's PDFs (pyHanko).

The signature goes where the document itself says: the box recorded at build time from
WeasyPrint's layout (the "Disahkan oleh" cell of a lampiran, the space above the camat's name
in a Keputusan), with a QR code of the document's public address (the stamp: stamp.py). A draft
is never signed. Verification is in verification.py (verify_pdf, re-exported here). Nothing
here prints.
"""

from __future__ import annotations

import datetime as _dt
import io
from dataclasses import dataclass

from asn1crypto import pkcs12 as asn1_pkcs12
from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps import HTTPTimeStamper
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from sopdoc.errors import SopdocError
from sopdoc.logs import collected_log
from sopdoc.render.pdf.writer import DRAFT_STATUS, PUBLIC_URL_KEY, SIGNATURE_BOX_KEY, STATUS_KEY
from sopdoc.sign.stamp import SopdocStampStyle
from sopdoc.sign.verification import LOGGERS, SignatureReport, verify_pdf

__all__ = ["FIELD_NAME", "Placement", "SignatureReport", "check_signable", "check_signing_certificate",
           "load_signer", "p12_needs_password", "placement_of", "sign_pdf", "signer_name", "signing_time",
           "verify_pdf"]

FIELD_NAME = "TandaTanganSopdoc"
DRAFT_REFUSAL = ("dokumen ini DRAF; hapus 'status: draf' (atau jangan pakai --draf) lalu bangun ulang "
                 "sebelum menandatangani")


@dataclass(frozen=True)
class Placement:
    page: int
    box: tuple[float, float, float, float]  # PDF points from the bottom-left
    public_url: str | None
    draft: bool = False


def placement_of(data: bytes) -> Placement:
    """Where a sopdoc PDF wants its signature. Any other PDF is refused."""
    try:
        info = PdfReader(io.BytesIO(data)).metadata or {}
    except (PyPdfError, ValueError, OSError, KeyError, TypeError):
        raise SopdocError("berkas ini bukan PDF yang dapat dibaca") from None
    recorded = info.get("/" + SIGNATURE_BOX_KEY)
    if not recorded:
        raise SopdocError("PDF ini bukan buatan sopdoc (tidak ada tempat tanda tangan yang tercatat); "
                          "tanda tangani lampiran atau keputusan hasil 'sopdoc build'")
    draft = str(info.get("/" + STATUS_KEY, "")) == DRAFT_STATUS
    try:
        page, *box = str(recorded).split()
        x1, y1, x2, y2 = (float(value) for value in box)
        return Placement(int(page), (x1, y1, x2, y2), info.get("/" + PUBLIC_URL_KEY), draft)
    except ValueError:
        raise SopdocError("tempat tanda tangan yang tercatat di PDF ini rusak") from None


def check_signable(data: bytes) -> Placement:
    """The placement of a PDF sopdoc may sign: made by sopdoc, not a draft, not signed yet.
    Checked before anything asks for a password or a PIN."""
    with collected_log(*LOGGERS):
        place = placement_of(data)
        if place.draft:
            raise SopdocError(DRAFT_REFUSAL)
        try:
            reader = IncrementalPdfFileWriter(io.BytesIO(data)).prev
            signed = any(name == FIELD_NAME for name, _, _ in fields.enumerate_sig_fields(reader))
        except (PdfError, ValueError, KeyError, TypeError):
            raise SopdocError("berkas ini bukan PDF yang dapat dibaca") from None
    if signed:
        raise SopdocError("PDF ini sudah ditandatangani")
    return place


def check_signing_certificate(certificate: x509.Certificate, now: _dt.datetime) -> None:
    """Refuse a certificate that cannot sign at `now`: expired, not yet valid, or whose key
    usage does not allow signatures. Shared by every kind of signer (.p12 file, USB token)."""
    if now > certificate.not_valid_after_utc:
        raise SopdocError(f"sertifikat sudah kedaluwarsa sejak {certificate.not_valid_after_utc:%Y-%m-%d}")
    if now < certificate.not_valid_before_utc:
        raise SopdocError(f"sertifikat baru berlaku mulai {certificate.not_valid_before_utc:%Y-%m-%d}")
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return
    if not (usage.digital_signature or usage.content_commitment):
        raise SopdocError("sertifikat ini tidak boleh dipakai untuk tanda tangan (key usage)")


def p12_needs_password(p12: bytes) -> bool:
    """Whether a PKCS#12 file opens only with a password; refused when it is no PKCS#12 at all."""
    try:
        pkcs12.load_key_and_certificates(p12, None)
        return False
    except (ValueError, TypeError):
        pass
    try:
        asn1_pkcs12.Pfx.load(p12).native  # parses the whole structure; raises when it is none
    except (ValueError, TypeError, KeyError, IndexError):
        raise SopdocError("berkas .p12 rusak atau bukan PKCS#12 (.p12/.pfx)") from None
    return True


def signing_time(data: bytes) -> _dt.datetime | None:
    """When sopdoc's signature on a signed PDF was made, as its signature says (None if unreadable)."""
    with collected_log(*LOGGERS):
        try:
            for signature in PdfFileReader(io.BytesIO(data)).embedded_signatures:
                if signature.field_name == FIELD_NAME:
                    return signature.self_reported_timestamp
        except (PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError):
            return None
    return None


def load_signer(p12: bytes, password: bytes | None, now: _dt.datetime) -> signers.SimpleSigner:
    """The signer of a PKCS#12 file, refused when the password is wrong or the certificate cannot
    sign at `now` (see check_signing_certificate)."""
    try:
        key, certificate, extra = pkcs12.load_key_and_certificates(p12, password)
    except (ValueError, TypeError):
        raise SopdocError("kata sandi salah, atau berkas .p12 rusak") from None
    if key is None or certificate is None:
        raise SopdocError("berkas .p12 tidak berisi kunci privat dan sertifikat penanda tangan")
    check_signing_certificate(certificate, now)
    with collected_log(*LOGGERS):
        signer = signers.SimpleSigner.load_pkcs12_data(p12, other_certs=[], passphrase=password)
    if signer is None:
        raise SopdocError("berkas .p12 tidak dapat dipakai untuk menandatangani")
    return signer


def sign_pdf(data: bytes, signer: signers.Signer, *, tsa_url: str | None = None,
             now: _dt.datetime | None = None) -> bytes:
    """The signed PDF's bytes: the original bytes, then one incremental update (PAdES B-B, or
    B-T with a timestamp server). `signer` comes from load_signer (a .p12 file) or from a USB
    token; its certificate is checked again at `now`."""
    with collected_log(*LOGGERS):
        return _sign(data, signer, tsa_url, now or _dt.datetime.now(_dt.timezone.utc))


def signer_name(signer: signers.Signer) -> str:
    """The name the stamp shows: the certificate's common name (else its whole subject)."""
    subject = signer.signing_cert.subject
    return subject.native.get("common_name") or subject.human_friendly


def _sign(data: bytes, signer: signers.Signer, tsa_url: str | None, now: _dt.datetime) -> bytes:
    place = check_signable(data)
    if signer.signing_cert is None:
        raise SopdocError("penanda tangan tidak punya sertifikat")
    check_signing_certificate(x509.load_der_x509_certificate(signer.signing_cert.dump()), now)
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data))
    except (PdfError, ValueError):
        raise SopdocError("berkas ini bukan PDF yang dapat dibaca") from None
    params = {"signer_name": signer_name(signer), "url": place.public_url}
    metadata = signers.PdfSignatureMetadata(field_name=FIELD_NAME, subfilter=fields.SigSeedSubFilter.PADES,
                                            md_algorithm="sha256", reason="Pengesahan dokumen")
    pdf_signer = signers.PdfSigner(
        metadata, signer=signer, stamp_style=SopdocStampStyle(),
        timestamper=HTTPTimeStamper(tsa_url) if tsa_url else None,
        new_field_spec=fields.SigFieldSpec(FIELD_NAME, on_page=place.page, box=place.box))
    out = io.BytesIO()
    try:
        pdf_signer.sign_pdf(writer, output=out, appearance_text_params=params)
    except (SigningError, OSError) as exc:
        raise SopdocError(f"penandatanganan gagal: {exc}") from None
    return out.getvalue()
