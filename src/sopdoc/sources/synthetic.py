"""Valid synthetic SOP sources, for property tests and benchmarks.

Deterministic for a given `random.Random`: the same seed writes the same files.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from sopdoc.fileio import write_atomic

ACTOR_TITLES = [
    "Pemohon", "JFU", "Kasi Pemerintahan", "Operator SIAK", "Sekretaris Camat", "Camat",
    "PPID Pelaksana", "Kasi Kesejahteraan Sosial",
]
VERBS = ["Menerima", "Meneliti", "Mencatat", "Memverifikasi", "Menandatangani", "Menyerahkan", "Mengagenda"]
OBJECTS = ["berkas permohonan", "surat pengantar", "formulir isian", "dokumen kependudukan",
           "laporan pengaduan", "surat rekomendasi", "buku register"]
UNITS = ["menit", "menit", "menit", "jam", "hari kerja", "hari"]

INSTANSI = """\
pemerintah: Pemerintah Kabupaten Sintetis
nama: Kecamatan Sintetis {index}
pejabat:
  camat:
    jabatan: Camat Sintetis
    nama: Nama Camat, S.Sos.
    pangkat: Pembina
    nip: "19670514 198903 1 011"
keputusan:
  sop:
    nomor: 1 Tahun 2024
    tanggal: 2024-01-02
    tentang: Standar Operasional Prosedur Kecamatan Sintetis
    ditetapkan_oleh: camat
"""


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _sentence(rng: random.Random, words: int) -> str:
    parts = [rng.choice(VERBS), rng.choice(OBJECTS)]
    while len(parts) < words:
        parts.append(rng.choice(["dan", "yang", "telah", "sesuai", "ketentuan", "kepada", "pemohon", "lengkap"]))
    return " ".join(parts)


def synthetic_sop(rng: random.Random, number: int, actors: int | None = None, steps: int | None = None) -> str:
    """YAML text of one valid SOP with 2–6 actors, 4–30 steps, decisions and loops."""
    actor_count = actors or rng.randint(2, 6)
    step_count = steps or rng.randint(4, 30)
    keys = [f"a{i + 1}" for i in range(actor_count)]
    lines = [
        f"nomor: {_q(f'SINT/{number:04d}/2024')}",
        f"nama: {_q('Layanan ' + rng.choice(OBJECTS) + f' {number}')}",
        "lampiran:",
        "  keputusan: sop",
        "tanggal_pembuatan: 2024-01-02",
        "tanggal_efektif: 2024-01-02",
        "disahkan_oleh: camat",
        "dasar_hukum:",
        "  - Peraturan Menteri PANRB Nomor 35 Tahun 2012",
        "pelaksana:",
    ]
    lines += [f"  {key}: {_q(ACTOR_TITLES[i % len(ACTOR_TITLES)])}" for i, key in enumerate(keys)]
    lines.append("langkah:")
    for index in range(1, step_count + 1):
        lines.append(f"  - uraian: {_q(_sentence(rng, rng.randint(3, 30)))}")
        lines.append(f"    pelaksana: {rng.choice(keys)}")
        lines.append(f"    kelengkapan: {_q(rng.choice(OBJECTS))}")
        lines.append(f"    waktu: {rng.randint(1, 30)} {rng.choice(UNITS)}")
        lines.append(f"    output: {_q(rng.choice(OBJECTS).capitalize())}")
        if 1 < index < step_count - 1 and rng.random() < 0.2:
            # Ya continues below; Tidak loops back, jumps ahead, or ends here.
            choice = rng.random()
            if choice < 0.5:
                target = str(rng.randint(1, index - 1))
            elif choice < 0.8:
                target = str(rng.randint(index + 2, step_count))
            else:
                target = "selesai"
            lines.append("    keputusan:")
            lines.append(f"      tidak: {target}")
    return "\n".join(lines) + "\n"


def write_synthetic_tree(root: Path, count: int, seed: int = 0, per_office: int = 50) -> list[Path]:
    """Write `count` SOPs in offices of `per_office` under root; returns the SOP paths."""
    rng = random.Random(seed)
    paths = []
    for number in range(count):
        office = root / f"kecamatan-sintetis-{number // per_office + 1}"
        if number % per_office == 0:
            write_atomic(office / "instansi.yml", INSTANSI.format(index=number // per_office + 1))
        path = office / f"sop-{number:04d}.yml"
        write_atomic(path, synthetic_sop(rng, number))
        paths.append(path)
    return paths
