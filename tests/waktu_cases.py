"""Waktu as clerks write it, each case written once, for the two places that test it: the parser
(tests/test_waktu_and_indonesian.py: what Duration.parse reads, prints and refuses with) and the
SOP (tests/sources/test_durations.py: the same values in a source, located, laid out, totalled)."""

from __future__ import annotations

# (text, its amount in seconds, how format() prints it): compound values and products
COMPOUND = [
    ("1 jam 30 menit", 5400, "1 jam 30 menit"),
    ("1 Jam 30 Menit", 5400, "1 jam 30 menit"),
    ("1jam 30menit", 5400, "1 jam 30 menit"),
    ("2 jam 15 detik", 7215, "2 jam 15 detik"),
    ("1 hari kerja 2 jam", 10 * 3600, "1 hari kerja 2 jam"),
    ("2 hari 4 jam", 20 * 3600, "2 hari 4 jam"),
    ("1 tahun 2 bulan 1 minggu 3 hari kerja 1 jam 1 menit 1 detik",
     (12 * 22 + 2 * 22 + 5 + 3) * 8 * 3600 + 3661, "1 tahun 2 bulan 1 minggu 3 hari kerja 1 jam 1 menit 1 detik"),
    ("1,5 jam 10 menit", 6000, "1 jam 40 menit"),
    ("2 x 24 jam", 48 * 3600, "48 jam"),
    ("2x24 jam", 48 * 3600, "48 jam"),
    ("2 × 24 jam", 48 * 3600, "48 jam"),
    ("3 X 24 Jam", 72 * 3600, "72 jam"),
    ("3 x 1,5 jam", 4 * 3600 + 1800, "4 jam 30 menit"),
]

# (text, its upper bound): ranges, counted by their upper bound and printed as written
RANGES = [
    ("15-30 menit", "30 menit"),
    ("15 - 30 menit", "30 menit"),
    ("15–30 menit", "30 menit"),
    ("15 — 30 menit", "30 menit"),
    ("1 s.d. 3 hari", "3 hari"),
    ("1 s.d 3 hari", "3 hari"),
    ("1 S.D. 3 Hari", "3 hari"),
    ("1 s/d 3 hari", "3 hari"),
    ("1 sd 3 hari kerja", "3 hari kerja"),
    ("1 sampai 3 hari", "3 hari"),
    ("1 sampai dengan 3 hari", "3 hari"),
    ("1 hingga 3 hari", "3 hari"),
    ("30 menit - 1 jam", "1 jam"),
    ("0,5-1,5 jam", "1 jam 30 menit"),
]

# (the waktu of steps 1, 2 and 3 of BASE_SOP, their total): compound values add up unit by unit
COMPOUND_TOTAL = (("1 jam 30 menit", "1 hari kerja 2 jam", "2 x 24 jam"), "1 hari kerja 51 jam 30 menit")

UNITS_HINT = "satuan: detik, menit, jam, hari, hari kerja, minggu, bulan, tahun"
GENERIC_HINT = ("tulis <jumlah> <satuan>, mis. '15 menit', '1 jam 30 menit', '15-30 menit' atau '2 x 24 jam'; "
                + UNITS_HINT)
BOUNDS_HINT = "tulis batas yang lebih kecil lebih dahulu, mis. '15-30 menit'"
MIXED_HINT = "hari kalender dan hari kerja tidak dapat dijumlahkan: tulis salah satunya, mis. '3 hari kerja'"
ONCE_HINT = "tulis setiap satuan sekali saja, mis. '1 jam 30 menit'"
MULTIPLIER_HINT = "mis. '2 x 24 jam'"


def _misspelt(text: str, written: str, meant: str) -> tuple[str, str, str]:
    return text, f"waktu '{text}': satuan '{written}' tidak dikenal", f"maksud Anda '{meant}'?"


# (text, what is wrong with it, the hint): every refusal, said the same by the parser and in an SOP
REFUSALS = [
    ("30-15 menit", "waktu '30-15 menit': batas bawah (30 menit) harus lebih kecil dari batas atas (15 menit)",
     BOUNDS_HINT),
    ("3 s.d. 1 hari", "waktu '3 s.d. 1 hari': batas bawah (3 hari) harus lebih kecil dari batas atas (1 hari)",
     BOUNDS_HINT),
    ("1 jam - 30 menit", "waktu '1 jam - 30 menit': batas bawah (1 jam) harus lebih kecil dari batas atas "
     "(30 menit)", BOUNDS_HINT),
    ("15 s.d. 15 menit", "waktu '15 s.d. 15 menit': batas bawah dan batas atas sama (15 menit)",
     "untuk waktu yang pasti tulis satu jumlah, mis. '15 menit'"),
    ("1 hari 2 hari kerja", "waktu '1 hari 2 hari kerja' mencampur 'hari' dan 'hari kerja'", MIXED_HINT),
    ("2 hari kerja 3 hari", "waktu '2 hari kerja 3 hari' mencampur 'hari' dan 'hari kerja'", MIXED_HINT),
    ("1 hari - 2 hari kerja", "waktu '1 hari - 2 hari kerja' mencampur 'hari' dan 'hari kerja'", MIXED_HINT),
    ("1 jam 30 menit 15 menit", "waktu '1 jam 30 menit 15 menit': satuan 'menit' ditulis dua kali", ONCE_HINT),
    ("1 jam 2 jam", "waktu '1 jam 2 jam': satuan 'jam' ditulis dua kali", ONCE_HINT),
    ("30 menit 1 jam", "waktu '30 menit 1 jam': satuan harus urut dari yang terbesar", "tulis '1 jam 30 menit'"),
    ("1,5 x 24 jam", "waktu '1,5 x 24 jam': pengali '1,5' harus bilangan bulat 1 atau lebih", MULTIPLIER_HINT),
    ("0 x 24 jam", "waktu '0 x 24 jam': pengali '0' harus bilangan bulat 1 atau lebih", MULTIPLIER_HINT),
    _misspelt("15 mnt", "mnt", "menit"),
    _misspelt("2 jm", "jm", "jam"),
    _misspelt("1 hr", "hr", "hari"),
    _misspelt("3 hari kerj", "hari kerj", "hari kerja"),
    _misspelt("5 mnit", "mnit", "menit"),
    _misspelt("2 bln", "bln", "bulan"),
    _misspelt("30 detk", "detk", "detik"),
    _misspelt("15-30 mnt", "mnt", "menit"),
    _misspelt("1 jam 10 mnt", "mnt", "menit"),
    ("15 foo", "waktu '15 foo': satuan 'foo' tidak dikenal", UNITS_HINT),
    ("9999 x 24 jam", "waktu '9999 x 24 jam' di luar batas (paling banyak 9999 per satuan, 3 angka di belakang "
     "koma)", "tulis dengan satuan yang lebih besar, mis. '3 bulan' alih-alih '90000 menit'"),
    ("1 jam - 2 jam 30 menit", "waktu '1 jam - 2 jam 30 menit' tidak dapat dibaca", GENERIC_HINT),
    ("lima menit", "waktu 'lima menit' tidak dapat dibaca", GENERIC_HINT),
]
