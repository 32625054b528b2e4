"""Durations, Indonesian dates, NIP and Roman numerals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from sopdoc.indonesian import NipError, format_date, from_roman, group_nip, parse_nip, to_roman
from sopdoc.waktu import Duration, WaktuError


@pytest.mark.parametrize("text, expected", [
    ("15 menit", "15 menit"),
    ("15 Menit", "15 menit"),
    ("1,5 jam", "1 jam 30 menit"),
    ("1.5 jam", "1 jam 30 menit"),
    ("90 menit", "1 jam 30 menit"),
    ("2 hari", "2 hari"),
    ("3 HARI  KERJA", "3 hari kerja"),
    ("1 minggu", "1 minggu"),
    ("2 bulan", "2 bulan"),
    ("1 tahun", "1 tahun"),
    ("30 detik", "30 detik"),
    ("0,5 hari kerja", "0,5 hari kerja"),
])
def test_parse_and_format(text, expected):
    assert Duration.parse(text).format() == expected


@pytest.mark.parametrize("text", ["", "menit", "15", "lima menit", "15 menitan", "1-2 hari", "15 menit 3 jam",
                                  "-1 jam", "1,5,5 jam"])
def test_unparseable(text):
    with pytest.raises(WaktuError):
        Duration.parse(text)


def test_sum_rolls_seconds_into_minutes_into_hours_but_never_into_days():
    total = sum((Duration.parse(t) for t in ["45 detik", "30 detik", "50 menit", "20 jam", "10 jam",
                                             "2 hari kerja", "1 hari"]), Duration())
    assert total.format() == "2 hari kerja 1 hari 30 jam 51 menit 15 detik"


def test_spec_example():
    total = Duration.parse("2 hari kerja") + Duration.parse("3 jam") + Duration.parse("35 menit")
    assert str(total) == "2 hari kerja 3 jam 35 menit"


def test_comparison_weights():
    assert Duration.parse("1 hari").comparable() == Duration.parse("8 jam").comparable()
    assert Duration.parse("1 minggu").comparable() == Duration.parse("5 hari kerja").comparable()
    assert Duration.parse("1 bulan").comparable() == Duration.parse("22 hari kerja").comparable()
    assert Duration.parse("1 tahun").comparable() == Duration.parse("12 bulan").comparable()
    assert Duration.parse("90 menit").comparable() == Decimal(5400)


def test_empty_duration_prints_zero_minutes():
    assert Duration().format() == "0 menit"


def test_indonesian_dates():
    assert format_date(dt.date(2024, 1, 2)) == "2 Januari 2024"
    assert format_date(dt.date(2023, 3, 1)) == "1 Maret 2023"
    assert format_date(dt.date(2023, 12, 29)) == "29 Desember 2023"


def test_nip_is_grouped_and_validated():
    digits = parse_nip("19790709 199810 1 002")
    assert digits == "197907091998101002"
    assert group_nip(digits) == "19790709 199810 1 002"
    assert parse_nip("196705141989031011") == "196705141989031011"


@pytest.mark.parametrize("text, message", [
    ("1979070919981010", "NIP harus 18 angka, bukan 16"),
    ("19790709 199810 1 00A", "NIP hanya boleh berisi angka (dan spasi)"),
    ("19790230 199810 1 002", "8 angka pertama NIP (19790230) bukan tanggal lahir yang valid"),
    ("19790709 199813 1 002", "angka ke-13 dan ke-14 NIP (13) bukan bulan yang valid"),
    ("19790709 197001 1 002", "TMT pengangkatan pada NIP tidak boleh sebelum tanggal lahir"),
    ("19790709 199810 3 002", "angka ke-15 NIP (jenis kelamin) harus 1 atau 2, bukan 3"),
])
def test_bad_nip(text, message):
    with pytest.raises(NipError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_nip(text)


def test_roman_round_trip():
    for number in range(1, 200):
        assert from_roman(to_roman(number)) == number
    assert to_roman(8) == "VIII"
    for bad in ["", "IIII", "VX", "ABC", "IIX"]:
        with pytest.raises(ValueError):
            from_roman(bad)
