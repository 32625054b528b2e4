"""What the signing tests share (imported by each test module; not a conftest, so that
`from conftest import ...` keeps meaning tests/conftest.py): the corpus office built once per run."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers

from conftest import CORPUS, PASSWORD
from sopdoc.build.pipeline import build
from sopdoc.sign.pades import load_signer
from sopdoc.sources.loader import load_project


_BUILT: dict[str, object] = {}  # one build for every module that imports the fixture


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """kecamatan-jumapolo's PDFs (six lampiran and a Keputusan), with a public address each."""
    if "folder" not in _BUILT:
        project, _ = load_project([CORPUS])
        jumapolo = [s for s in project.sops if s.office.slug == "kecamatan-jumapolo"]
        out = tmp_path_factory.mktemp("built")
        build(jumapolo, ("pdf",), out, jobs=2, site_url="https://sop.example.org/")
        _BUILT["folder"] = out / "kecamatan-jumapolo"
    return _BUILT["folder"]


def p12_signer(path):
    return load_signer(path.read_bytes(), PASSWORD.encode(), dt.datetime.now(dt.timezone.utc))


def sign_with_pyhanko(data: bytes, p12, field: str = "Paraf") -> bytes:
    """Signed by pyHanko itself, bypassing sopdoc's checks (an expired certificate, say): what a
    PDF signed elsewhere looks like."""
    signer = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=PASSWORD.encode())
    out = io.BytesIO()
    signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data)),
                     signers.PdfSignatureMetadata(field_name=field, subfilter=fields.SigSeedSubFilter.PADES),
                     signer=signer, output=out)
    return out.getvalue()
