"""Verification of the signatures on a PDF (pyHanko), each judged on its own, in Indonesian.

For every signature: is it intact (the signed bytes and the signature itself), what changed
after it (a later signature or timestamp is allowed, anything else is not), what part of the file
it covers, was the signer's certificate valid at the signing time (the timestamp's time when the
signature has a trusted one, else the time the signer's software wrote), is the certificate
revoked (the CRLs given and the revocation data the PDF carries: its DSS and the signature's own
archived revocation info) and does it chain to a CA the caller trusts. Without trust anchors the
trust, and so the revocation, cannot be judged: `trusted` is None and the notes say so.

Nothing here prints; the notes are for the CLI to show.
"""

from __future__ import annotations

import datetime as _dt
import io
from dataclasses import dataclass, field

from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.general import MultivaluedAttributeError, NonexistentAttributeError, find_unique_cms_attribute
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.errors import NoDSSFoundError, SignatureValidationError, ValidationInfoReadingError
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.policy_decl import CertRevTrustPolicy, RevocationCheckingPolicy, RevocationCheckingRule

from sopdoc.errors import SopdocError
from sopdoc.logs import collected_log

# The libraries whose logging never reaches the terminal while sopdoc signs or verifies.
LOGGERS = ("pyhanko", "pyhanko_certvalidator", "fontTools", "weasyprint", "pypdf")

NO_TRUST_NOTE = ("tidak diperiksa: tidak ada CA yang diberikan, jadi belum dapat dinilai apakah penanda "
                 "tangan tepercaya; beri --trust CA.pem (sertifikat induk CA kantor Anda, mis. root CA BSrE)")

_REASONS = {
    "unspecified": "tanpa alasan", "key_compromise": "kunci privat bocor", "ca_compromise": "CA penerbit bocor",
    "affiliation_changed": "jabatan atau instansi berubah", "superseded": "diganti sertifikat baru",
    "cessation_of_operation": "tidak dipakai lagi", "certificate_hold": "ditangguhkan",
    "remove_from_crl": "dihapus dari CRL", "privilege_withdrawn": "kewenangan dicabut",
    "aa_compromise": "otoritas atribut bocor",
}
# Revocation data that applies to the signer: checked, and required to answer.
_CHECK_REVINFO = CertRevTrustPolicy(RevocationCheckingPolicy(
    ee_certificate_rule=RevocationCheckingRule.CRL_OR_OCSP_REQUIRED,
    intermediate_ca_cert_rule=RevocationCheckingRule.CHECK_IF_DECLARED_SOFT))


@dataclass(frozen=True)
class SignatureReport:
    field: str
    signer: str  # the certificate's name, e.g. "HARYANTO (Kecamatan Uji)"
    signed_at: _dt.datetime | None
    intact: bool  # the signed bytes are unchanged and the signature is cryptographically valid
    unchanged: bool  # after signing, nothing was added but signatures and timestamps
    trusted: bool | None  # None when no trust anchor was given
    revision: int  # the revision of the file this signature covers, 1 = the document as built
    revisions: int  # how many the file has
    later_signatures: tuple[str, ...] = ()  # fields signed in later revisions
    issuer: str = ""
    timestamped: bool = False  # signed_at comes from a valid timestamp token, not from the signer
    covers_revision: bool = True  # the signature covers the whole revision it was made in
    uncovered_bytes: int = 0  # bytes after the last signed revision that no revision holds
    certificate_valid: bool = True  # at signed_at (or now, when the time is unknown)
    certificate_note: str = ""
    revoked: bool = False
    revocation_checked: bool = False
    revocation_note: str = ""
    trust_note: str = NO_TRUST_NOTE
    problems: tuple[str, ...] = field(default=())  # short reasons it is not valid, for a summary

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_pdf(data: bytes, trust: list[x509.Certificate] | None = None,
               crls: list[x509.CertificateRevocationList] | None = None) -> list[SignatureReport]:
    """Each signature on its own, oldest first. A later signature (a second official, a paraf)
    is an allowed change for the earlier ones; any other change after signing is not."""
    with collected_log(*LOGGERS):
        if b"%PDF-" not in data[:1024]:
            raise SopdocError("berkas ini bukan PDF")
        try:
            reader = PdfFileReader(io.BytesIO(data))
            signatures = reader.embedded_signatures
            revisions = reader.xrefs.total_revisions
        except (PdfError, ValueError, KeyError, TypeError, IndexError):
            raise SopdocError("berkas ini bukan PDF yang dapat dibaca (rusak atau terpotong)") from None
        if not signatures:
            raise SopdocError("PDF ini tidak bertanda tangan (tidak ada tanda tangan elektronik di dalamnya)")
        check = _Checker(data, reader, trust, crls or [])
        ordered = sorted(signatures, key=lambda signature: signature.signed_revision)
        fields_ = {signature.field_name for signature in signatures}
        return [check.report(signature, ordered, fields_, revisions) for signature in ordered]


def _der(item) -> bytes:
    return item.public_bytes(Encoding.DER)


def _name(name: asn1_x509.Name) -> str:
    native = name.native
    common = native.get("common_name")
    if isinstance(common, list):
        common = ", ".join(common)
    organization = native.get("organization_name")
    if isinstance(organization, list):
        organization = ", ".join(organization)
    if common and organization:
        return f"{common} ({organization})"
    return common or organization or name.human_friendly


def _day(moment: _dt.datetime) -> str:
    return f"{moment.astimezone(_dt.timezone.utc):%Y-%m-%d}"


def _time(moment: _dt.datetime) -> str:
    return f"{moment.astimezone(_dt.timezone.utc):%Y-%m-%d %H:%M:%S} UTC"


class _Checker:
    def __init__(self, data: bytes, reader: PdfFileReader, trust: list[x509.Certificate] | None,
                 crls: list[x509.CertificateRevocationList]) -> None:
        self.data = data
        self.with_trust = trust is not None
        self.roots = [asn1_x509.Certificate.load(_der(cert)) for cert in trust or []]
        self.root_names = ", ".join(_name(root.subject) for root in self.roots) or "(kosong)"
        self.given_crls = [asn1_crl.CertificateList.load(_der(item)) for item in crls]
        self.pdf_crls: list[asn1_crl.CertificateList] = []
        self.pdf_ocsps: list[asn1_ocsp.OCSPResponse] = []
        self.pdf_certs: list[asn1_x509.Certificate] = []
        try:
            dss = DocumentSecurityStore.read_dss(reader)
            self.pdf_certs = list(dss.load_certs())
            self.pdf_crls = [asn1_crl.CertificateList.load(ref.get_object().data) for ref in dss.crls]
            self.pdf_ocsps = [asn1_ocsp.OCSPResponse.load(ref.get_object().data) for ref in dss.ocsps]
        except (NoDSSFoundError, ValidationInfoReadingError, PdfError, ValueError, KeyError, TypeError, AttributeError):
            pass

    def _context(self, crls, ocsps, moment: _dt.datetime | None = None, check_revinfo: bool = False):
        return ValidationContext(trust_roots=self.roots, other_certs=self.pdf_certs, crls=crls, ocsps=ocsps,
                                 moment=moment, allow_fetching=False,
                                 revinfo_policy=_CHECK_REVINFO if check_revinfo else None,
                                 revocation_mode="soft-fail")

    def report(self, signature, ordered, signature_fields: set[str], revisions: int) -> SignatureReport:
        base = dict(field=signature.field_name, revision=signature.signed_revision + 1, revisions=revisions,
                    later_signatures=tuple(other.field_name for other in ordered
                                           if other.signed_revision > signature.signed_revision))
        archived_crls, archived_ocsps = _archived_revinfo(signature)
        crls = self.given_crls + self.pdf_crls + archived_crls
        ocsps = self.pdf_ocsps + archived_ocsps
        try:
            certificate = signature.signer_cert
            issuer = certificate.issuer
            relevant = [item for item in crls if item.issuer == issuer]
            has_revinfo = bool(relevant or ocsps)
            status = validate_pdf_signature(signature, self._context(crls, ocsps, check_revinfo=has_revinfo),
                                            skip_diff=False)
        except (SignatureValidationError, PdfError, ValueError, KeyError, TypeError, AttributeError):
            return SignatureReport(**base, signer="(tidak terbaca)", signed_at=None, intact=False, unchanged=False,
                                   trusted=False if self.with_trust else None, covers_revision=False,
                                   trust_note="TIDAK: tanda tangan ini rusak atau tidak dapat dibaca",
                                   problems=("tanda tangan rusak atau tidak dapat dibaca",))
        return self._judge(signature, status, base, signature_fields, relevant, has_revinfo, crls, ocsps)

    def _judge(self, signature, status, base, signature_fields, relevant, has_revinfo, crls, ocsps) -> SignatureReport:
        problems: list[str] = []
        certificate = status.signing_cert
        intact = bool(status.intact and status.valid)
        if not intact:
            problems.append("isi yang ditandatangani berubah atau tanda tangannya tidak cocok")

        coverage = status.coverage
        uncovered = 0
        covers_revision = coverage is not None and coverage >= SignatureCoverageLevel.ENTIRE_REVISION
        if base["revision"] == base["revisions"] and coverage == SignatureCoverageLevel.ENTIRE_REVISION:
            # the last revision, yet bytes follow what it signs: no revision of the file holds them
            *_, start, length = signature.byte_range
            uncovered = len(self.data) - (start + length) if self.data[start + length:].strip() else 0
            covers_revision = not uncovered
        level = status.modification_level  # pyHanko's analysis of the revisions after this one
        changed = getattr(status.diff_result, "changed_form_fields", None)
        unchanged = covers_revision and level is not None and (
            level <= ModificationLevel.LTA_UPDATES
            or (level == ModificationLevel.FORM_FILLING and changed is not None and changed <= signature_fields))
        if not covers_revision:
            problems.append("tanda tangan hanya mencakup sebagian berkas")
        elif not unchanged:
            problems.append("dokumen diubah sesudah ditandatangani")

        stamp = status.timestamp_validity
        timestamped = stamp is not None and stamp.intact and stamp.valid
        signed_at = stamp.timestamp if timestamped else status.signer_reported_dt
        validity = certificate["tbs_certificate"]["validity"]
        not_before, not_after = validity["not_before"].native, validity["not_after"].native
        moment = signed_at or _dt.datetime.now(_dt.timezone.utc)
        certificate_valid = not_before <= moment <= not_after
        if moment < not_before:
            certificate_note = f"TIDAK berlaku: belum berlaku pada waktu penandatanganan (berlaku mulai {_day(not_before)})"
            problems.append("sertifikat belum berlaku pada waktu penandatanganan")
        elif moment > not_after:
            certificate_note = (f"TIDAK berlaku: sudah kedaluwarsa pada waktu penandatanganan "
                                f"(berlaku sampai {_day(not_after)})")
            problems.append("sertifikat sudah kedaluwarsa pada waktu penandatanganan")
        else:
            certificate_note = f"berlaku pada waktu penandatanganan ({_day(not_before)} s.d. {_day(not_after)})"
            if _dt.datetime.now(_dt.timezone.utc) > not_after:
                certificate_note += "; kini sudah kedaluwarsa"

        if (self.with_trust and certificate_valid and timestamped
                and status.trust_problem_indic == AdESIndeterminate.OUT_OF_BOUNDS_NO_POE):
            # expired since, valid when the timestamp proves it signed: judge at that time
            status = validate_pdf_signature(signature, self._context(crls, ocsps, moment=signed_at,
                                                                     check_revinfo=has_revinfo), skip_diff=True)

        trust = self._trust(status, certificate_valid, not_after, relevant, has_revinfo)
        if trust.problem and (certificate_valid or trust.revoked):
            problems.append(trust.problem)
        return SignatureReport(
            **base, signer=_name(certificate.subject), issuer=_name(certificate.issuer), signed_at=signed_at,
            timestamped=timestamped, intact=intact, unchanged=unchanged, covers_revision=covers_revision,
            uncovered_bytes=uncovered,
            trusted=trust.trusted, trust_note=trust.note, certificate_valid=certificate_valid,
            certificate_note=certificate_note, revoked=trust.revoked, revocation_checked=trust.revocation_checked,
            revocation_note=trust.revocation_note, problems=tuple(problems))

    def _trust(self, status, certificate_valid: bool, not_after, relevant, has_revinfo) -> _Trust:
        if not self.with_trust:
            return _Trust(None, NO_TRUST_NOTE, revocation_note="tidak diperiksa (perlu --trust CA.pem)")
        indic = status.trust_problem_indic
        path = status.validation_path
        anchor = _name(path.trust_anchor.authority.name) if path is not None else None
        issuer = _name(status.signing_cert.issuer)
        if status.revoked:
            details = status.revocation_details
            reason = _REASONS.get(details.revocation_reason.native, details.revocation_reason.native)
            whose = "sertifikat CA penerbitnya" if details.ca_revoked else "sertifikat penanda tangan"
            return _Trust(False, "TIDAK: sertifikatnya sudah dicabut", "sertifikat penanda tangan sudah dicabut",
                          revoked=True, revocation_checked=True,
                          revocation_note=f"YA, DICABUT: {whose} dicabut sejak {_time(details.revocation_date)} "
                                          f"({reason})")
        if status.trusted:
            if has_revinfo:
                source = "CRL yang diberikan" if any(item in self.given_crls for item in relevant) else "data di PDF"
                return _Trust(True, f"ya (berantai ke {anchor})", revocation_checked=True,
                              revocation_note=f"tidak dicabut (menurut {source})")
            return _Trust(True, f"ya (berantai ke {anchor})",
                          revocation_note="tidak diperiksa: tidak ada data pencabutan (CRL/OCSP) untuk sertifikat "
                                          f"ini; beri --crl FILE, CRL dari {issuer}")
        if indic == AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND:
            return _Trust(False, f"TIDAK: sertifikat penanda tangan tidak diterbitkan oleh CA yang diberikan "
                                 f"({self.root_names}); penerbitnya {issuer}",
                          "penanda tangan tidak tepercaya: bukan dari CA yang diberikan")
        if not certificate_valid:
            chain = f"diterbitkan oleh {anchor}, tetapi " if anchor else ""
            return _Trust(False, f"TIDAK: {chain}sertifikatnya tidak berlaku pada waktu penandatanganan")
        if indic == AdESIndeterminate.OUT_OF_BOUNDS_NO_POE:
            return _Trust(False, f"TIDAK dapat dipastikan: sertifikat sudah kedaluwarsa sejak {_day(not_after)} dan "
                                 "waktu penandatanganan tidak dibuktikan cap waktu (tanda tangani dengan --tsa-url)",
                          "sertifikat kini kedaluwarsa dan waktu penandatanganan tidak terbukti")
        if indic == AdESIndeterminate.TRY_LATER:
            return _Trust(False, "TIDAK dapat dipastikan: data pencabutan sudah usang", "CRL sudah usang",
                          revocation_note="tidak dapat diperiksa: CRL sudah usang; ambil CRL terbaru dari penerbit")
        if indic in (AdESIndeterminate.CHAIN_CONSTRAINTS_FAILURE, AdESIndeterminate.SIG_CONSTRAINTS_FAILURE):
            return _Trust(False, "TIDAK: sertifikat ini tidak untuk tanda tangan (key usage)",
                          "sertifikat tidak untuk tanda tangan")
        if has_revinfo and indic == AdESIndeterminate.CERTIFICATE_CHAIN_GENERAL_FAILURE:
            return _Trust(False, "TIDAK dapat dipastikan: status pencabutan tidak dapat diperiksa",
                          "status pencabutan tidak dapat diperiksa",
                          revocation_note="tidak dapat diperiksa: CRL atau OCSP yang ada tidak sah atau tidak "
                                          "berlaku untuk sertifikat ini")
        reason = indic.name if indic is not None else "tidak diketahui"
        return _Trust(False, f"TIDAK: rantai sertifikat tidak sah ({reason})", "rantai sertifikat tidak sah")


@dataclass(frozen=True)
class _Trust:
    trusted: bool | None
    note: str
    problem: str | None = None  # for the summary, when not trusted
    revoked: bool = False
    revocation_checked: bool = False
    revocation_note: str = "tidak diperiksa"


def _archived_revinfo(signature) -> tuple[list, list]:
    """The CRLs and OCSP responses a signature archived in its signed attributes (Adobe style)."""
    try:
        archive = find_unique_cms_attribute(signature.signer_info["signed_attrs"], "adobe_revocation_info_archival")
    except (NonexistentAttributeError, MultivaluedAttributeError, KeyError, ValueError):
        return [], []
    found = []
    for key in ("crl", "ocsp"):
        try:
            found.append(list(archive[key]))
        except (KeyError, TypeError, ValueError):
            found.append([])
    return found[0], found[1]
