"""Signing with a certificate on a USB token (or any PKCS#11 device), through pyHanko.

Indonesian offices keep their BSrE certificates on USB tokens as often as in .p12 files. The
token's driver is a PKCS#11 library (a .so file from the token's maker, or SoftHSM's
libsofthsm2.so for a software token); this module opens it, chooses the token and the key, logs
in with the PIN and hands pades.sign_pdf a pyHanko Signer:

    with token_signer(Path("/usr/lib/libeToken.so"), token_label="kantor", pin=pin) as signer:
        signed = sign_pdf(data, signer, now=now)

The token is chosen by its slot number or its label, or is the only one present; the key by its
label (or its certificate's), or is the only signing key with a certificate. Every refusal is a
SopdocError in Indonesian: no library, not a PKCS#11 library, no token, several tokens and none
chosen, a wrong or locked PIN, no key or certificate, several keys and none chosen, a certificate
that cannot sign today (pades.check_signing_certificate). The session and the library are
closed when the `with` ends; the PIN is passed to the token and nowhere else (never kept, logged
or put in a message). Nothing here prints.

One token signer at a time per library is the intended use: when the last open use of a library
ends, the library is finalized (C_Finalize), so that the next use sees the tokens inserted or
removed since, and any session left behind is closed.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pkcs11
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID
from pkcs11 import Attribute, ObjectClass, TokenFlag
from pkcs11 import exceptions as p11_errors
from pyhanko.sign.general import SigningError
from pyhanko.sign.pkcs11 import PKCS11Signer
from pyhanko.sign.signers import Signer

from sopdoc.errors import SopdocError
from sopdoc.logs import collected_log
from sopdoc.sign.pades import check_signing_certificate

__all__ = ["TokenInfo", "list_tokens", "token_signer"]


@dataclass(frozen=True)
class TokenInfo:
    """A token as its PKCS#11 library reports it. `slot` is the slot number the library gives
    (what token_signer's `slot` takes), not a position in a list."""

    slot: int
    label: str
    manufacturer: str
    model: str
    serial: str

    def describe(self) -> str:
        label = f"'{self.label}'" if self.label else "(tanpa label)"
        maker = " ".join(part for part in (self.manufacturer, self.model) if part)
        serial = f", nomor seri {self.serial}" if self.serial else ""
        return f"{label} (slot {self.slot}, {maker}{serial})"


def list_tokens(library: Path) -> list[TokenInfo]:
    """The initialized tokens the library sees now, in slot order; empty when none is inserted.
    Refused (SopdocError) only when the library cannot be loaded."""
    with _library(library) as lib:
        return [info for info, _ in _tokens(lib)]


@contextlib.contextmanager
def token_signer(library: Path, *, pin: str, slot: int | None = None, token_label: str | None = None,
                 key_label: str | None = None, now: _dt.datetime | None = None) -> Iterator[Signer]:
    """A pyHanko Signer for a key on a PKCS#11 token, valid inside the `with`; when it ends the
    session is closed (which logs the token out) and the library finalized.

    library:     the token's PKCS#11 library (driver), e.g. /usr/lib/softhsm/libsofthsm2.so.
    slot:        the slot number as list_tokens reports it; token_label: the token's label.
                 With neither, the only token present is used. With both, they must agree.
    key_label:   the label of the private key or of its certificate; without it, the only
                 signing key on the token that has its certificate there.
    pin:         the token's user PIN.
    now:         when the certificate must be valid (default: now); see check_signing_certificate.
    """
    now = now or _dt.datetime.now(_dt.timezone.utc)
    with _library(library) as lib, collected_log("pyhanko", "pyhanko_certvalidator"):
        info, token = _choose_token(_tokens(lib), slot, token_label)
        session = _login(lib, info, token, pin)
        try:
            yield _signer(session, info, key_label, now)
        finally:
            with contextlib.suppress(p11_errors.PKCS11Error):
                session.close()


# ---------------------------------------------------------------- the library

_lock = threading.Lock()
_users: dict[str, int] = {}  # library path -> open uses; finalized when it drops to 0


@contextlib.contextmanager
def _library(library: Path):
    path = Path(library)
    if not path.exists():
        raise SopdocError(f"pustaka PKCS#11 {path} tidak ada; beri path driver token, "
                          "mis. /usr/lib/softhsm/libsofthsm2.so atau pustaka dari pembuat token")
    if not path.is_file():
        raise SopdocError(f"pustaka PKCS#11 {path} bukan berkas; beri path berkas .so driver token")
    so = str(path.resolve())
    with _lock:
        try:
            lib = pkcs11.lib(so)
        except p11_errors.PKCS11Error as exc:
            raise SopdocError(_load_failure(path, exc)) from None
        _users[so] = _users.get(so, 0) + 1
    try:
        yield lib
    finally:
        with _lock:
            _users[so] -= 1
            if not _users[so]:
                del _users[so]
                with contextlib.suppress(p11_errors.PKCS11Error):
                    lib.finalize()


def _load_failure(path: Path, exc: Exception) -> str:
    reason = str(exc)
    if "OS exception while loading" not in reason:  # loaded, but C_Initialize or C_GetInfo refused
        return (f"pustaka PKCS#11 {path} tidak dapat dijalankan ({_name_of(exc)}); "
                "periksa pemasangan driver token dan konfigurasinya")
    if "ELFCLASS" in reason:
        return f"{path} adalah pustaka untuk arsitektur lain (32/64 bit); pasang driver token yang sesuai"
    return (f"{path} bukan pustaka PKCS#11 (driver token) yang dapat dimuat; "
            "beri path driver token, mis. /usr/lib/softhsm/libsofthsm2.so")


def _name_of(exc: Exception) -> str:
    return str(exc) if type(exc) is p11_errors.PKCS11Error and str(exc) else type(exc).__name__


# ---------------------------------------------------------------- tokens

def _tokens(lib) -> list[tuple[TokenInfo, object]]:
    try:
        slots = lib.get_slots(token_present=True)
    except p11_errors.PKCS11Error as exc:
        raise SopdocError(f"pustaka PKCS#11 tidak dapat membaca slot token ({_name_of(exc)})") from None
    found = []
    for slot in slots:
        try:
            token = slot.get_token()
        except (p11_errors.TokenNotPresent, p11_errors.TokenNotRecognised, p11_errors.DeviceRemoved,
                p11_errors.DeviceError):
            continue
        if not token.flags & TokenFlag.TOKEN_INITIALIZED:  # SoftHSM's free slot, a blank card
            continue
        serial = token.serial.decode("ascii", "replace").strip() if isinstance(token.serial, bytes) \
            else str(token.serial or "").strip()
        found.append((TokenInfo(slot=slot.slot_id, label=(token.label or "").strip(),
                                manufacturer=(token.manufacturer_id or "").strip(),
                                model=(token.model or "").strip(), serial=serial), token))
    return sorted(found, key=lambda item: item[0].slot)


def _listing(tokens) -> str:
    return "; ".join(info.describe() for info, _ in tokens)


def _choose_token(tokens, slot: int | None, label: str | None):
    if not tokens:
        raise SopdocError("tidak ada token yang terpasang; colokkan token USB lalu coba lagi")
    chosen = tokens
    if slot is not None:
        chosen = [item for item in chosen if item[0].slot == slot]
        if not chosen:
            raise SopdocError(f"tidak ada token di slot {slot}; token yang ada: {_listing(tokens)}")
    if label is not None:
        matching = [item for item in chosen if item[0].label == label]
        if not matching:
            where = f" di slot {slot}" if slot is not None else ""
            raise SopdocError(f"tidak ada token berlabel '{label}'{where}; token yang ada: {_listing(tokens)}")
        chosen = matching
    if len(chosen) > 1:
        what = f"ada beberapa token berlabel '{label}'" if label is not None else "ada beberapa token"
        raise SopdocError(f"{what}; pilih satu dengan slot atau labelnya: {_listing(chosen)}")
    return chosen[0]


def _current_flags(lib, info: TokenInfo):
    """The token's flags read again (they change as PIN tries fail), or None."""
    for slot in lib.get_slots(token_present=True):
        if slot.slot_id == info.slot:
            with contextlib.suppress(p11_errors.PKCS11Error):
                return slot.get_token().flags
    return None


def _login(lib, info: TokenInfo, token, pin: str):
    name = f"token {info.describe()}"
    locked = (f"PIN {name} terkunci karena terlalu sering salah; buka kuncinya dengan PUK/SO PIN "
              "(aplikasi pembuat token) atau hubungi pengelola sertifikat")
    if token.flags & TokenFlag.USER_PIN_LOCKED:
        raise SopdocError(locked)
    if not isinstance(pin, str) or not pin:
        raise SopdocError(f"PIN {name} kosong; masukkan PIN token")
    try:
        return token.open(user_pin=pin)
    except p11_errors.PinIncorrect:
        flags = _current_flags(lib, info)
        if flags is not None and flags & TokenFlag.USER_PIN_LOCKED:
            raise SopdocError(locked) from None
        warning = ""
        if flags is not None and flags & TokenFlag.USER_PIN_FINAL_TRY:
            warning = "; awas: sekali lagi salah, PIN terkunci"
        elif flags is not None and flags & TokenFlag.USER_PIN_COUNT_LOW:
            warning = "; token melaporkan sisa percobaan PIN tinggal sedikit"
        raise SopdocError(f"PIN salah untuk {name}{warning}") from None
    except p11_errors.PinLocked:
        raise SopdocError(locked) from None
    except (p11_errors.PinLenRange, p11_errors.PinInvalid):
        raise SopdocError(f"PIN salah untuk {name} (panjang atau karakternya tidak diterima token)") from None
    except p11_errors.PinExpired:
        raise SopdocError(f"PIN {name} sudah kedaluwarsa; ganti PIN dengan aplikasi pembuat token") from None
    except p11_errors.UserPinNotInitialized:
        raise SopdocError(f"PIN pengguna {name} belum diatur; atur dengan aplikasi pembuat token") from None
    except (p11_errors.UserAlreadyLoggedIn, p11_errors.AnotherUserAlreadyLoggedIn):
        raise SopdocError(f"{name} sedang dipakai dan sudah login; tutup penggunaan lainnya lalu coba lagi") from None
    except (p11_errors.TokenNotPresent, p11_errors.DeviceRemoved):
        raise SopdocError(f"{name} dicabut; colokkan lagi lalu coba lagi") from None
    except p11_errors.PKCS11Error as exc:
        raise SopdocError(f"{name} menolak login ({_name_of(exc)})") from None


# ---------------------------------------------------------------- keys and certificates

@dataclass(frozen=True)
class _Key:
    label: str
    key_id: bytes
    certificate: x509.Certificate | None
    certificate_label: str

    def describe(self) -> str:
        label = f"'{self.label}'" if self.label else f"(tanpa label, ID {self.key_id.hex() or '-'})"
        if self.certificate is None:
            return f"{label} (tanpa sertifikat)"
        names = self.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        owner = str(names[0].value) if names else self.certificate.subject.rfc4514_string()
        return f"{label} ({owner}, berlaku s.d. {self.certificate.not_valid_after_utc:%Y-%m-%d})"


def _attribute(obj, attribute, default):
    try:
        value = obj[attribute]
    except p11_errors.PKCS11Error:
        return default
    return default if value is None else value


def _objects(session, template) -> list:
    return list(session.get_objects(template))  # run the search to its end (C_FindObjectsFinal)


def _keys_and_certificates(session, name: str) -> tuple[list[_Key], list[tuple[str, bytes, x509.Certificate]]]:
    try:
        key_objects = _objects(session, {Attribute.CLASS: ObjectClass.PRIVATE_KEY, Attribute.SIGN: True})
        certificate_objects = _objects(session, {Attribute.CLASS: ObjectClass.CERTIFICATE})
        certificates = []
        for obj in certificate_objects:
            try:
                certificate = x509.load_der_x509_certificate(bytes(obj[Attribute.VALUE]))
            except (ValueError, p11_errors.PKCS11Error):
                continue  # not an X.509 certificate sopdoc can read; it cannot be the signer's
            certificates.append((_attribute(obj, Attribute.LABEL, ""), bytes(_attribute(obj, Attribute.ID, b"")),
                                 certificate))
        keys = []
        for obj in key_objects:
            label, key_id = _attribute(obj, Attribute.LABEL, ""), bytes(_attribute(obj, Attribute.ID, b""))
            # the certificate of a key carries the same CKA_ID; failing that, the same label
            paired = [c for c in certificates if key_id and c[1] == key_id] \
                or [c for c in certificates if label and c[0] == label]
            cert_label, _, certificate = paired[0] if len(paired) == 1 else ("", b"", None)
            keys.append(_Key(label, key_id, certificate, cert_label))
    except p11_errors.PKCS11Error as exc:
        raise SopdocError(f"isi {name} tidak dapat dibaca ({_name_of(exc)})") from None
    return sorted(keys, key=lambda key: (key.label, key.key_id)), certificates


def _choose_key(keys: list[_Key], key_label: str | None, name: str) -> _Key:
    if not keys:
        raise SopdocError(f"{name} tidak berisi kunci privat untuk tanda tangan")
    listing = "; ".join(key.describe() for key in keys)
    if key_label is not None:
        chosen = [key for key in keys if key_label in (key.label, key.certificate_label)]
        if not chosen:
            raise SopdocError(f"tidak ada kunci berlabel '{key_label}' di {name}; kunci yang ada: {listing}")
        if len(chosen) > 1:
            raise SopdocError(f"ada beberapa kunci berlabel '{key_label}' di {name}: "
                              f"{'; '.join(key.describe() for key in chosen)}")
        key = chosen[0]
    else:
        with_certificate = [key for key in keys if key.certificate is not None]
        if len(with_certificate) > 1:
            raise SopdocError(f"ada beberapa kunci di {name}; pilih satu dengan labelnya: "
                              f"{'; '.join(key.describe() for key in with_certificate)}")
        key = with_certificate[0] if with_certificate else keys[0]
    if key.certificate is None:
        raise SopdocError(f"sertifikat untuk kunci {key.describe()} tidak ada di {name}; "
                          "pasang sertifikat BSrE-nya ke token (ID sama dengan kuncinya)")
    return key


def _chain(certificate: x509.Certificate, certificates) -> list[x509.Certificate]:
    """The issuers of `certificate` that the token also holds (BSrE's intermediate and root)."""
    chain, current = [], certificate
    while True:
        issuers = [c for _, _, c in certificates
                   if c.subject == current.issuer and c != current and c not in chain and c != certificate]
        if not issuers:
            return chain
        current = issuers[0]
        chain.append(current)


def _asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(Encoding.DER))


class _TokenSigner(PKCS11Signer):
    """pyHanko's PKCS11Signer whose token failures while signing are SigningErrors, which
    sign_pdf reports as 'penandatanganan gagal: ...' (a token pulled out mid-way, a closed session)."""

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run=False) -> bytes:
        try:
            return await super().async_sign_raw(data, digest_algorithm, dry_run)
        except (p11_errors.SessionClosed, p11_errors.SessionHandleInvalid, p11_errors.DeviceRemoved,
                p11_errors.TokenNotPresent, p11_errors.UserNotLoggedIn):
            raise SigningError("sambungan ke token terputus (token dicabut, atau sesinya sudah ditutup)") from None
        except p11_errors.PKCS11Error as exc:
            if "not initialized" in str(exc):  # the library was finalized: the `with` has ended
                raise SigningError("sambungan ke token terputus (token dicabut, atau sesinya sudah ditutup)") from None
            raise SigningError(f"token menolak menandatangani ({_name_of(exc)})") from None


def _signer(session, info: TokenInfo, key_label: str | None, now: _dt.datetime) -> Signer:
    name = f"token {info.describe()}"
    keys, certificates = _keys_and_certificates(session, name)
    key = _choose_key(keys, key_label, name)
    check_signing_certificate(key.certificate, now)
    signer = _TokenSigner(
        session,
        signing_cert=_asn1(key.certificate),
        ca_chain=[_asn1(c) for c in _chain(key.certificate, certificates)],
        key_id=key.key_id or None,
        key_label=None if key.key_id else (key.label or None),
        other_certs_to_pull=(),
    )
    try:
        signer.signing_cert  # loads the key handle now, so a problem shows here, not mid-signing
    except p11_errors.PKCS11Error as exc:
        raise SopdocError(f"kunci {key.describe()} di {name} tidak dapat dipakai ({_name_of(exc)})") from None
    return signer
