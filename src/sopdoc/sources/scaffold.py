"""`sopdoc new`: a commented skeleton that passes `check` once the clerk replaces every TODO.

The skeleton is written in Indonesian (the clerk reads it) and points the YAML language server
at the JSON Schema kept beside the sources, so an editor offers completion and explanations.
"""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path

from sopdoc.errors import ScaffoldError
from sopdoc.fileio import write_atomic
from sopdoc.sources.keys import INSTANSI, SOP
from sopdoc.sources.checked import OFFICE_FILE, SLUG_RE
from sopdoc.sources.records import json_schema
from sopdoc.sources.located_yaml import Mapping, load_yaml
from sopdoc.diagnostics import Diagnostics

SCHEMA_FILES = {"sop.schema.json": (SOP, "SOP"), "instansi.schema.json": (INSTANSI, "instansi.yml")}


def schema_text(kind: str) -> str:
    spec, title = SCHEMA_FILES[f"{kind}.schema.json"]
    return json.dumps(json_schema(spec, f"sopdoc: {title}"), ensure_ascii=False, indent=2) + "\n"


def write_schemas(sources: Path) -> list[Path]:
    """Keep the JSON Schemas beside the sources current; returns the files written."""
    written = []
    for name in SCHEMA_FILES:
        path = sources / name
        text = schema_text(name.split(".")[0])
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            write_atomic(path, text)
            written.append(path)
    return written


def _quoted(text: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar: the clerk's text stays literal.
    return json.dumps(text, ensure_ascii=False)


OFFICE_TEMPLATE = """\
# yaml-language-server: $schema=../instansi.schema.json
# Data instansi: kop surat, pejabat penanda tangan, dan keputusan.
# Ganti setiap TODO, lalu periksa dengan: sopdoc check {folder}
pemerintah: TODO Pemerintah Kabupaten ...
nama: {nama}
# alamat: Jl. ...
# telepon: (0271) ...
# website: www....
# email: ...
# kode_pos: "57794"
pejabat:
  camat:
    jabatan: TODO jabatan, mis. Camat ...
    nama: TODO nama lengkap dengan gelar
    # pangkat: Pembina Tk.I
    # nip: "19790709 199810 1 002"
"""

SOP_TEMPLATE = """\
# yaml-language-server: $schema=../sop.schema.json
# SOP baru. Ganti setiap TODO, lalu periksa dengan: sopdoc check {path}
nomor: TODO nomor SOP menurut tata naskah dinas
nama: {nama}
# unit: Seksi Pelayanan Umum
# kategori: [Pelayanan]
# ringkasan: Satu kalimat untuk warga yang mencari layanan ini.
tanggal_pembuatan: {tanggal}
tanggal_efektif: {tanggal}
disahkan_oleh: {signer}
dasar_hukum:
  - TODO peraturan yang menjadi dasar
kualifikasi_pelaksana:
  - TODO kemampuan yang dibutuhkan pelaksana
keterkaitan:
  - SOP Pelayanan
peralatan_perlengkapan:
  - Komputer
  - ATK
peringatan: TODO akibat bila SOP tidak dilaksanakan
pencatatan_pendataan: TODO apa yang dicatat dan diarsipkan
# Kolom pelaksana, dari kiri ke kanan. Kunci (kiri) dipakai di 'langkah'.
pelaksana:
  pemohon: Pemohon
  petugas: TODO jabatan petugas, mis. JFU
# Langkah berurutan. Langkah pertama dan terakhir digambar sebagai kapsul.
# Untuk keputusan (belah ketupat) tambahkan, misalnya:
#   keputusan:
#     ya: 3        # nomor langkah, id langkah, atau selesai
#     tidak: 1     # kosong = langkah berikutnya
langkah:
  - uraian: TODO kegiatan pertama, mis. Menyerahkan berkas permohonan
    pelaksana: pemohon
    kelengkapan: TODO berkas yang dibawa
    waktu: 5 menit
    output: TODO hasil langkah ini
  - uraian: TODO kegiatan kedua, mis. Meneliti kelengkapan berkas
    pelaksana: petugas
    kelengkapan: TODO
    waktu: 10 menit
    output: TODO
  - uraian: TODO kegiatan terakhir, mis. Menyerahkan hasil kepada pemohon
    pelaksana: petugas
    kelengkapan: TODO
    waktu: 5 menit
    output: TODO
riwayat:
  - tanggal: {tanggal}
    uraian: Penetapan awal
"""


def _first_official(office_file: Path) -> str | None:
    """The first pejabat key of an existing instansi.yml, to prefill disahkan_oleh."""
    node = load_yaml(office_file, Diagnostics())
    if isinstance(node, Mapping) and "pejabat" in node.items:
        officials = node.items["pejabat"][1]
        if isinstance(officials, Mapping) and officials.items:
            return next(iter(officials.items))
    return None


def new_sop(sources: Path, office: str, slug: str, nama: str, today: _dt.date) -> list[Path]:
    """Write the skeleton (and the office's instansi.yml if the office is new); returns what was written."""
    for value, what in ((office, "instansi"), (slug, "SOP")):
        if not SLUG_RE.match(value):
            raise ScaffoldError(
                f"'{value}' bukan slug {what} yang valid: gunakan huruf kecil, angka dan '-', mis. layanan-ktp")
    if not nama.strip():
        raise ScaffoldError("--nama tidak boleh kosong")
    folder = sources / office
    target = folder / f"{slug}.yml"
    if target.exists() or (folder / f"{slug}.yaml").exists():
        raise ScaffoldError(f"'{target}' sudah ada; sopdoc new tidak menimpa berkas")

    written: list[Path] = []
    office_file = folder / OFFICE_FILE
    if not office_file.exists():
        office_name = " ".join(word.capitalize() for word in office.split("-"))
        write_atomic(office_file, OFFICE_TEMPLATE.format(folder=folder, nama=_quoted(office_name)),
                     overwrite=False)
        written.append(office_file)
    signer = _first_official(office_file) or "TODO kunci pejabat di instansi.yml, mis. camat"
    text = SOP_TEMPLATE.format(path=target, nama=_quoted(nama.strip()), tanggal=today.isoformat(), signer=signer)
    try:
        write_atomic(target, text, overwrite=False)
    except FileExistsError:
        raise ScaffoldError(f"'{target}' sudah ada; sopdoc new tidak menimpa berkas") from None
    written.append(target)
    written.extend(write_schemas(sources))
    return written
