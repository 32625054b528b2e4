"""Indonesian conventions: dates, NIP (civil servant number) and Roman lampiran numbers."""

from __future__ import annotations

import datetime as _dt
import re

from babel.dates import format_date as _babel_format_date


def alphabetic_label(index: int) -> str:
    """A, B, ..., Z, AA, AB, ...: connector pairs; lowercased for the items of a Menimbang."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def format_date(value: _dt.date) -> str:
    """'2 Januari 2024' (the long form, day not zero-padded)."""
    return _babel_format_date(value, format="d MMMM y", locale="id")


class NipError(ValueError):
    pass


def parse_nip(text: str) -> str:
    """The 18 digits of a NIP, or NipError saying what is wrong, in Indonesian.

    Layout: birth date YYYYMMDD, appointment YYYYMM, sex digit 1/2, serial NNN.
    """
    digits = "".join(text.split())
    if not digits.isdigit() or not digits.isascii():
        raise NipError("NIP hanya boleh berisi angka (dan spasi)")
    if len(digits) != 18:
        raise NipError(f"NIP harus 18 angka, bukan {len(digits)}")
    try:
        birth = _dt.date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise NipError(f"8 angka pertama NIP ({digits[:8]}) bukan tanggal lahir yang valid") from None
    year, month = int(digits[8:12]), int(digits[12:14])
    if not 1 <= month <= 12:
        raise NipError(f"angka ke-13 dan ke-14 NIP ({digits[12:14]}) bukan bulan yang valid")
    if (year, month) <= (birth.year, birth.month):
        raise NipError("TMT pengangkatan pada NIP tidak boleh sebelum tanggal lahir")
    if digits[14] not in "12":
        raise NipError(f"angka ke-15 NIP (jenis kelamin) harus 1 atau 2, bukan {digits[14]}")
    return digits


def group_nip(digits: str) -> str:
    """'19790709 199810 1 002'."""
    return f"{digits[0:8]} {digits[8:14]} {digits[14]} {digits[15:18]}"


_ROMAN = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)
_ROMAN_RE = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")


def to_roman(number: int) -> str:
    if number <= 0:
        raise ValueError(number)
    out = []
    for value, letters in _ROMAN:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


def from_roman(text: str) -> int:
    """The value of a Roman numeral; ValueError when it is not one."""
    text = text.strip().upper()
    if not text or not _ROMAN_RE.match(text):
        raise ValueError(text)
    values = {letters: value for value, letters in _ROMAN}
    total, index = 0, 0
    while index < len(text):
        pair = text[index:index + 2]
        if len(pair) == 2 and pair in values:
            total += values[pair]
            index += 2
        else:
            total += values[text[index]]
            index += 1
    return total
