"""Durations, Indonesian dates, NIP and Roman numerals."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from waktu_cases import COMPOUND, COMPOUND_TOTAL, RANGES, REFUSALS

from sopdoc.indonesian import NipError, format_date, from_roman, group_nip, parse_nip, to_roman
from sopdoc.waktu import SCHEMA_PATTERN, UNITS, Duration, WaktuError, WaktuTooLarge, suggest_unit


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


@pytest.mark.parametrize("text", ["", "menit", "15", "lima menit", "15 menitan", "1--2 hari", "15 menit 3 jam",
                                  "-1 jam", "1,5,5 jam", "1 jam 30 menit - 2 jam", "1-2 x 24 jam", "15 x menit",
                                  "2 x 24 x 1 jam", "1 s.d. hari"])
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


# ---------------------------------------------------------------- compound values, products and ranges
# (the cases: tests/waktu_cases.py, also in an SOP in tests/sources/test_durations.py)

@pytest.mark.parametrize("text, seconds, printed", COMPOUND)
def test_compound_values_and_products(text, seconds, printed):
    duration = Duration.parse(text)
    assert duration.comparable() == seconds
    assert duration.format() == printed and not duration.at_most
    assert duration.as_written() == " ".join(text.split())


@pytest.mark.parametrize("text, upper", RANGES)
def test_a_range_counts_its_upper_bound_and_reads_as_written(text, upper):
    duration = Duration.parse(text)
    assert duration == Duration.parse(upper) + Duration(at_most=True)  # the amount is the upper bound's
    assert duration.at_most
    assert duration.format() == str(duration) == duration.as_written() == text


def test_a_range_is_written_with_its_spacing_normalised():
    assert Duration.parse("  15  -   30 menit ").as_written() == "15 - 30 menit"


def test_a_total_that_counts_a_range_says_paling_lama():
    total = Duration.parse("15-30 menit") + Duration.parse("1 jam 30 menit") + Duration.parse("1 s.d. 2 hari")
    assert total.at_most
    assert total.format() == "paling lama 2 hari 2 jam"
    assert str(Duration.parse("2 hari 3 jam") + Duration.parse("10 menit")) == "2 hari 3 jam 10 menit"
    assert (Duration(at_most=True)).format() == "paling lama 0 menit"


def test_a_total_of_compound_values_is_their_sum():
    values, expected = COMPOUND_TOTAL
    total = sum((Duration.parse(value) for value in values), Duration())
    assert total.format() == expected
    # what sopdoc prints as a total reads back as the same duration
    assert Duration.parse(total.format()) == total


@pytest.mark.parametrize("text, message, hint", REFUSALS)
def test_refusals_say_what_is_wrong(text, message, hint):
    with pytest.raises(WaktuError) as refused:
        Duration.parse(text)
    assert (refused.value.message, refused.value.hint) == (message, hint)


@pytest.mark.parametrize("text", ["9999 x 24 jam", "10000 menit - 2 jam", "1 jam 10000 menit", "1,0001 jam"])
def test_amounts_beyond_the_limit_are_too_large(text):
    with pytest.raises(WaktuTooLarge):
        Duration.parse(text)


# (more misspellings, with the whole message, among REFUSALS)
@pytest.mark.parametrize("text, unit", [
    ("5 detk", "detik"), ("3 dtk", "detik"), ("1 thn", "tahun"), ("2 mgg", "minggu"), ("1 hr kerja", "hari kerja"),
    ("1 hr. kerja", "hari kerja"), ("15 mnt.", "menit"), ("15 menit.", "menit"), ("15 menitan", "menit"),
    ("8 jam kerja", "jam"), ("2 mingu", "minggu"),
])
def test_a_misspelt_unit_gets_maksud_anda(text, unit):
    with pytest.raises(WaktuError) as refused:
        Duration.parse(text)
    assert refused.value.hint == f"maksud Anda '{unit}'?"


def test_valid_units_are_not_misspellings():
    for unit in UNITS:
        assert suggest_unit(unit) == unit
        assert Duration.parse(f"1 {unit}").parts()
    assert Duration.parse("1 minggu").format() == "1 minggu"


def test_the_json_schema_pattern_takes_every_form_and_no_bare_number():
    accepted = ["15 menit", "15 Menit", "3 HARI  KERJA", "1 jam 30 menit", "1 hari kerja 2 jam", "2x24 jam",
                "3 X 24 Jam", "2 × 24 jam", "15–30 menit", "1 s.d. 3 hari", "1 S/D 3 hari", "1 sampai dengan 3 hari",
                "30 menit - 1 jam", "1 hingga 3 hari", " 1,5 jam "]
    for text in accepted:
        Duration.parse(text)
        assert re.fullmatch(SCHEMA_PATTERN, text), text
    for text in ["15 mnt", "lima menit", "2", "-1 jam", "15 menitan"]:
        assert not re.fullmatch(SCHEMA_PATTERN, text), text
