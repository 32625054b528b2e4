"""PAdES signatures on sopdoc's PDFs (pyHanko), and their verification.

The signature goes where the document itself says: the box recorded at build time from
WeasyPrint's layout (the "Disahkan oleh" cell of a lampiran, the space above the camat's name
in a Keputusan), with a QR code of the document's public address. Nothing here prints.
"""

from __future__ import annotations

import datetime as _dt
import io
from dataclasses import dataclass

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.pdf_utils.font import opentype
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.stamp import QRStampStyle, TextStampStyle
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from sopdoc.errors import SopdocError
from sopdoc.logs import collected_log
from sopdoc.render.pdf.writer import PUBLIC_URL_KEY, SIGNATURE_BOX_KEY
from sopdoc.layout.textmetrics import font_path

FIELD_NAME = "TandaTanganSopdoc"
STAMP_TEXT = "Ditandatangani secara elektronik oleh\n%(signer)s\n%(ts)s"


@dataclass(frozen=True)
class _InMemoryFont(opentype.GlyphAccumulatorFactory):
    """pyHanko's factory opens the font file and never closes it; read it into memory instead."""

    def create_font_engine(self, writer, obj_stream=None) -> opentype.GlyphAccumulator:
        with open(self.font_file, "rb") as handle:
            data = io.BytesIO(handle.read())
        if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
            obj_stream = writer.prepare_object_stream()
        return opentype.GlyphAccumulator(writer=writer, font_handle=data, font_size=self.font_size,
                                         ot_script_tag="latn", writing_direction="ltr",
                                         bcp47_lang_code="id", obj_stream=obj_stream)


@dataclass(frozen=True)
class Placement:
    page: int
    box: tuple[float, float, float, float]  # PDF points from the bottom-left
    public_url: str | None


def placement_of(data: bytes) -> Placement:
    """Where a sopdoc PDF wants its signature. Any other PDF is refused."""
    try:
        info = PdfReader(io.BytesIO(data)).metadata or {}
    except (PyPdfError, ValueError, OSError):
        raise SopdocError("berkas ini bukan PDF yang dapat dibaca") from None
    recorded = info.get("/" + SIGNATURE_BOX_KEY)
    if not recorded:
        raise SopdocError("PDF ini bukan buatan sopdoc (tidak ada tempat tanda tangan yang tercatat); "
                          "tanda tangani lampiran atau keputusan hasil 'sopdoc build'")
    try:
        page, *box = str(recorded).split()
        x1, y1, x2, y2 = (float(value) for value in box)
        return Placement(int(page), (x1, y1, x2, y2), info.get("/" + PUBLIC_URL_KEY))
    except ValueError:
        raise SopdocError("tempat tanda tangan yang tercatat di PDF ini rusak") from None


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
    with collected_log("pyhanko", "pyhanko_certvalidator"):
        signer = signers.SimpleSigner.load_pkcs12_data(p12, other_certs=[], passphrase=password)
    if signer is None:
        raise SopdocError("berkas .p12 tidak dapat dipakai untuk menandatangani")
    return signer


def sign_pdf(data: bytes, signer: signers.Signer, *, tsa_url: str | None = None,
             now: _dt.datetime | None = None) -> bytes:
    """The signed PDF's bytes: the original bytes, then one incremental update (PAdES B-B, or
    B-T with a timestamp server). `signer` comes from load_signer (a .p12 file) or from a USB
    token; its certificate is checked again at `now`."""
    with collected_log("pyhanko", "pyhanko_certvalidator"):
        return _sign(data, signer, tsa_url, now or _dt.datetime.now(_dt.timezone.utc))


def _sign(data: bytes, signer: signers.Signer, tsa_url: str | None, now: _dt.datetime) -> bytes:
    place = placement_of(data)
    if signer.signing_cert is not None:
        check_signing_certificate(x509.load_der_x509_certificate(signer.signing_cert.dump()), now)
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data))
    except (PdfError, ValueError):
        raise SopdocError("berkas ini bukan PDF yang dapat dibaca") from None
    if any(name == FIELD_NAME for name, _, _ in fields.enumerate_sig_fields(writer.prev)):
        raise SopdocError("PDF ini sudah ditandatangani")
    text_box = TextBoxStyle(font=_InMemoryFont(str(font_path())), font_size=6)
    params = {}
    if place.public_url:
        style = QRStampStyle(stamp_text=STAMP_TEXT, text_box_style=text_box, border_width=0)
        params["url"] = place.public_url
    else:
        style = TextStampStyle(stamp_text=STAMP_TEXT, text_box_style=text_box, border_width=0)
    metadata = signers.PdfSignatureMetadata(field_name=FIELD_NAME, subfilter=fields.SigSeedSubFilter.PADES,
                                            md_algorithm="sha256", reason="Pengesahan dokumen")
    pdf_signer = signers.PdfSigner(
        metadata, signer=signer, stamp_style=style,
        timestamper=HTTPTimeStamper(tsa_url) if tsa_url else None,
        new_field_spec=fields.SigFieldSpec(FIELD_NAME, on_page=place.page, box=place.box))
    out = io.BytesIO()
    try:
        pdf_signer.sign_pdf(writer, output=out, appearance_text_params=params)
    except (SigningError, OSError) as exc:
        raise SopdocError(f"penandatanganan gagal: {exc}") from None
    return out.getvalue()


@dataclass(frozen=True)
class SignatureReport:
    field: str
    signer: str
    signed_at: _dt.datetime | None
    intact: bool  # the signed bytes are unchanged and the signature is cryptographically valid
    unchanged: bool  # after signing, nothing was added but signatures and timestamps
    trusted: bool | None  # None when no trust anchor was given
    revision: int  # the revision of the file this signature covers, 1 = the document as built
    revisions: int  # how many the file has
    later_signatures: tuple[str, ...] = ()  # fields signed in later revisions

    @property
    def ok(self) -> bool:
        return self.intact and self.unchanged and self.trusted is not False


def verify_pdf(data: bytes, trust: list[x509.Certificate] | None = None) -> list[SignatureReport]:
    """Each signature on its own, oldest first. A later signature (a second official, a paraf)
    is an allowed change for the earlier ones; any other change after signing is not."""
    with collected_log("pyhanko", "pyhanko_certvalidator"):
        try:
            reader = PdfFileReader(io.BytesIO(data))
            signatures = reader.embedded_signatures
            revisions = reader.xrefs.total_revisions
        except (PdfError, ValueError, KeyError):
            raise SopdocError("berkas ini bukan PDF yang dapat dibaca") from None
        if not signatures:
            raise SopdocError("PDF ini tidak bertanda tangan")
        roots = [asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER)) for cert in trust or []]
        signature_fields = {signature.field_name for signature in signatures}
        ordered = sorted(signatures, key=lambda signature: signature.signed_revision)
        return [_report(signature, ordered, signature_fields, roots, revisions, trust is not None)
                for signature in ordered]


def _report(signature, ordered, signature_fields: set[str], roots, revisions: int, with_trust: bool) -> SignatureReport:
    context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
    try:
        status = validate_pdf_signature(signature, context, skip_diff=False)
    except (SignatureValidationError, PdfError, ValueError) as exc:
        raise SopdocError(f"tanda tangan {signature.field_name} tidak dapat diperiksa: {exc}") from None
    level = status.modification_level  # pyHanko's analysis of the revisions after this one
    changed = getattr(status.diff_result, "changed_form_fields", None)
    unchanged = level is not None and (
        level <= ModificationLevel.LTA_UPDATES
        or (level == ModificationLevel.FORM_FILLING and changed is not None and changed <= signature_fields))
    return SignatureReport(
        field=signature.field_name,
        signer=status.signing_cert.subject.human_friendly,
        signed_at=status.signer_reported_dt,
        intact=bool(status.intact and status.valid),
        unchanged=unchanged,
        trusted=bool(status.trusted) if with_trust else None,
        revision=signature.signed_revision + 1,
        revisions=revisions,
        later_signatures=tuple(other.field_name for other in ordered
                               if other.signed_revision > signature.signed_revision),
    )
