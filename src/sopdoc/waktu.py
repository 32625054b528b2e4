"""Durations of the Mutu Baku "Waktu" column: parsing, sums and Indonesian formatting.

A working day is not 24 hours, so sums keep calendar-like units apart: seconds roll into
minutes and minutes into hours, but hours never roll into days, and days, working days,
weeks, months and years are each summed on their own. Only to *compare* two durations are
they converted to hours (a day = 8 hours, a week = 5 working days, a month = 22 working
days, a year = 12 months).

A step's waktu is one of (docs/source-format.md, "Value formats"):

    15 menit                  <amount> <unit>
    1 jam 30 menit            several, each unit at most once, the largest first
    2 x 24 jam                <count> x <amount> <unit>: count times the amount (x, X or ×)
    15-30 menit, 1 s.d. 3 hari, 30 menit - 1 jam
                              a range: counted by its upper bound, printed as written, and
                              the total that counts one says "paling lama"
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal

# Largest first: the order in which a total is printed.
UNITS = ("tahun", "bulan", "minggu", "hari kerja", "hari", "jam", "menit", "detik")

AT_MOST = "paling lama"  # before a total that counts a range by its upper bound

_HOUR = 3600
# For comparison only: a working day of 8 hours, 5 days a week, 22 a month, 12 months a year.
_COMPARE_SECONDS = {
    "hari": 8 * _HOUR,
    "hari kerja": 8 * _HOUR,
    "minggu": 5 * 8 * _HOUR,
    "bulan": 22 * 8 * _HOUR,
    "tahun": 12 * 22 * 8 * _HOUR,
}
_SECONDS = {"detik": 1, "menit": 60, "jam": _HOUR}

MAX_AMOUNT = Decimal(9999)  # more than this in one unit is a typing mistake, not a procedure
MAX_DECIMALS = 3

# The words of a value: a number, a range's dash, "s.d." or "s/d", the sign "×", or a word.
_TOKEN_RE = re.compile(
    r"\s*(?:(?P<number>\d+(?:[.,]\d+)?)|(?P<dash>[-–—])|(?P<sd>s\.d\.?|s/d)|(?P<times>×)|(?P<word>[^\W\d_]+\.?))",
    re.IGNORECASE,
)
_RANGE_WORDS = ("sampai", "hingga", "sd")  # and "sampai dengan"
TIMES_SIGNS = ("x", "X", "×")  # between a count and an amount: "2 x 24 jam"

# Abbreviations clerks write for a unit, beyond what difflib finds close.
_ABBREVIATIONS = {
    "dtk": "detik", "det": "detik", "dt": "detik",
    "mnt": "menit", "mnit": "menit", "mt": "menit", "min": "menit",
    "j": "jam", "jm": "jam", "jam kerja": "jam",
    "hr": "hari", "hri": "hari",
    "hk": "hari kerja", "hr kerja": "hari kerja", "hr kerj": "hari kerja", "hari krj": "hari kerja",
    "mg": "minggu", "mgg": "minggu", "mng": "minggu",
    "bl": "bulan", "bln": "bulan",
    "th": "tahun", "thn": "tahun",
}

HINT = ("tulis <jumlah> <satuan>, mis. '15 menit', '1 jam 30 menit', '15-30 menit' atau '2 x 24 jam'; "
        "satuan: " + ", ".join(UNITS[::-1]))


def _any_case(word: str) -> str:
    return "".join(f"[{c}{c.upper()}]" if c.isalpha() else c for c in word).replace(" ", r"\s+")


def _schema_pattern() -> str:
    """The forms above as one JSON Schema (ECMA) pattern, which has no case-insensitive flag;
    what it cannot say (unit order, a range's bounds, misspellings) `sopdoc check` does."""
    number = r"\d+([.,]\d+)?"
    unit = "(" + "|".join(_any_case(u) for u in UNITS) + ")"
    term = rf"{number}\s*{unit}"
    separator = "([-–—]|[sS]\\.[dD]\\.?|[sS]/[dD]|" + "|".join(
        _any_case(word) for word in ("sampai dengan", *_RANGE_WORDS)) + ")"
    forms = (rf"{term}(\s*{term})*", rf"\d+\s*([xX×])\s*{term}", rf"{number}(\s*{unit})?\s*{separator}\s*{term}")
    return r"^\s*(" + "|".join(forms) + r")\s*$"


SCHEMA_PATTERN = _schema_pattern()


class WaktuError(ValueError):
    """An unreadable waktu; `message` and `hint` say why, in Indonesian, for the clerk."""

    def __init__(self, text: str, message: str | None = None, hint: str | None = HINT) -> None:
        super().__init__(text)
        self.text = text
        self.message = message or f"waktu '{text}' tidak dapat dibaca"
        self.hint = hint


class WaktuTooLarge(WaktuError):
    """Readable, but beyond what any step takes (and beyond what sums stay exact for)."""

    def __init__(self, text: str) -> None:
        super().__init__(
            text,
            f"waktu '{text}' di luar batas (paling banyak {MAX_AMOUNT} per satuan, "
            f"{MAX_DECIMALS} angka di belakang koma)",
            "tulis dengan satuan yang lebih besar, mis. '3 bulan' alih-alih '90000 menit'",
        )


@dataclass(frozen=True)
class Duration:
    """Amounts per unit; sub-day units are kept normalised as seconds.

    `at_most`: the amounts are an upper bound, that of a range ("15-30 menit" is 30 minutes)
    or of a total that counts one.
    """

    seconds: Decimal = Decimal(0)
    hari: Decimal = Decimal(0)
    hari_kerja: Decimal = Decimal(0)
    minggu: Decimal = Decimal(0)
    bulan: Decimal = Decimal(0)
    tahun: Decimal = Decimal(0)
    at_most: bool = False
    written: str = field(default="", compare=False)  # the source's own words, e.g. "15 Menit"

    @classmethod
    def parse(cls, text: str) -> Duration:
        items = _items(text)
        shape = "".join(kind for kind, _ in items)
        if re.fullmatch(r"(nu)+", shape):
            duration = _compound(text, items)
        elif shape == "nxnu":
            duration = _times(text, items)
        elif shape in ("nsnu", "nusnu"):
            duration = _range(text, items)
        else:
            raise WaktuError(text)
        return Duration(duration.seconds, duration.hari, duration.hari_kerja, duration.minggu,
                        duration.bulan, duration.tahun, duration.at_most, " ".join(text.split()))

    @classmethod
    def of(cls, amount: Decimal, unit: str) -> Duration:
        if unit in _SECONDS:
            return cls(seconds=amount * _SECONDS[unit])
        return cls(**{unit.replace(" ", "_"): amount})

    def __add__(self, other: Duration) -> Duration:
        return Duration(
            self.seconds + other.seconds,
            self.hari + other.hari,
            self.hari_kerja + other.hari_kerja,
            self.minggu + other.minggu,
            self.bulan + other.bulan,
            self.tahun + other.tahun,
            self.at_most or other.at_most,
        )

    def comparable(self) -> Decimal:
        """A single number of seconds to compare durations by; never printed."""
        return (
            self.seconds
            + self.hari * _COMPARE_SECONDS["hari"]
            + self.hari_kerja * _COMPARE_SECONDS["hari kerja"]
            + self.minggu * _COMPARE_SECONDS["minggu"]
            + self.bulan * _COMPARE_SECONDS["bulan"]
            + self.tahun * _COMPARE_SECONDS["tahun"]
        )

    def parts(self) -> list[tuple[Decimal, str]]:
        """(amount, unit) pairs from the largest unit down, zero amounts left out."""
        hours, rest = divmod(self.seconds, _HOUR)
        minutes, seconds = divmod(rest, 60)
        amounts = {
            "tahun": self.tahun,
            "bulan": self.bulan,
            "minggu": self.minggu,
            "hari kerja": self.hari_kerja,
            "hari": self.hari,
            "jam": hours,
            "menit": minutes,
            "detik": seconds,
        }
        return [(amounts[unit], unit) for unit in UNITS if amounts[unit]]

    def format(self) -> str:
        """Indonesian text, e.g. '2 hari kerja 3 jam 35 menit'; '0 menit' when empty.

        A range reads as written ('15-30 menit': its lower bound is the clerk's), and a total
        that counts one by its upper bound says so: 'paling lama 2 jam'."""
        if self.at_most and self.written:
            return self.written
        parts = self.parts()
        text = " ".join(f"{format_amount(amount)} {unit}" for amount, unit in parts) if parts else "0 menit"
        return f"{AT_MOST} {text}" if self.at_most else text

    def __str__(self) -> str:
        return self.format()

    def as_written(self) -> str:
        """The step's own text when it has one, else the normalised form."""
        return self.written or self.format()


def format_amount(amount: Decimal) -> str:
    """Indonesian number: decimal comma, no trailing zeros."""
    text = format(amount.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


ZERO = Duration()


# ---------------------------------------------------------------- reading a value

def _items(text: str) -> list[tuple[str, str]]:
    """The value as (kind, text) items: n a number, u the words of a unit, s a range's
    separator, x the sign of a product. Raises WaktuError for anything else."""
    items: list[tuple[str, str]] = []
    position, end = 0, len(text.rstrip())
    while position < end:
        match = _TOKEN_RE.match(text, position)
        if not match or match.end() == position:
            raise WaktuError(text)
        position = match.end()
        kind = match.lastgroup
        token = match[kind]
        lowered = token.lower()
        if kind == "number":
            items.append(("n", token))
        elif kind in ("dash", "sd") or lowered in _RANGE_WORDS:
            items.append(("s", token))
        elif kind == "times" or token in TIMES_SIGNS:
            items.append(("x", token))
        elif lowered == "dengan" and items and items[-1][0] == "s" and items[-1][1].lower() == "sampai":
            items[-1] = ("s", f"{items[-1][1]} {token}")
        elif items and items[-1][0] == "u":
            items[-1] = ("u", f"{items[-1][1]} {token}")
        else:
            items.append(("u", token))
    return items


def _amount(text: str, number: str) -> Decimal:
    written = number.replace(",", ".")
    amount = Decimal(written)
    if amount > MAX_AMOUNT or len(written.partition(".")[2]) > MAX_DECIMALS:
        raise WaktuTooLarge(text)
    return amount


def suggest_unit(word: str) -> str | None:
    """The unit a misspelt or abbreviated one probably means ('mnt' -> 'menit'), or None."""
    plain = " ".join(word.lower().replace(".", " ").split())
    if plain in UNITS:
        return plain
    if plain in _ABBREVIATIONS:
        return _ABBREVIATIONS[plain]
    close = difflib.get_close_matches(plain, UNITS, n=1, cutoff=0.6)
    return close[0] if close else None


def _unit(text: str, words: str) -> str:
    unit = " ".join(words.lower().split())
    if unit in UNITS:
        return unit
    suggestion = suggest_unit(words)
    raise WaktuError(text, f"waktu '{text}': satuan '{words}' tidak dikenal",
                     f"maksud Anda '{suggestion}'?" if suggestion else "satuan: " + ", ".join(UNITS[::-1]))


def _refuse_mixed_days(text: str, units: list[str]) -> None:
    if "hari" in units and "hari kerja" in units:
        raise WaktuError(
            text, f"waktu '{text}' mencampur 'hari' dan 'hari kerja'",
            "hari kalender dan hari kerja tidak dapat dijumlahkan: tulis salah satunya, mis. '3 hari kerja'")


def _compound(text: str, items: list[tuple[str, str]]) -> Duration:
    """'1 hari kerja 2 jam': each unit at most once, the largest first."""
    terms = [(items[i][1], _unit(text, items[i + 1][1])) for i in range(0, len(items), 2)]
    units = [unit for _, unit in terms]
    _refuse_mixed_days(text, units)
    for index, unit in enumerate(units):
        if unit in units[:index]:
            raise WaktuError(text, f"waktu '{text}': satuan '{unit}' ditulis dua kali",
                             "tulis setiap satuan sekali saja, mis. '1 jam 30 menit'")
    ordered = sorted(terms, key=lambda term: UNITS.index(term[1]))
    if ordered != terms:
        raise WaktuError(text, f"waktu '{text}': satuan harus urut dari yang terbesar",
                         "tulis '" + " ".join(f"{number} {unit}" for number, unit in ordered) + "'")
    total = ZERO
    for number, unit in terms:
        total += Duration.of(_amount(text, number), unit)
    return total


def _times(text: str, items: list[tuple[str, str]]) -> Duration:
    """'2 x 24 jam': the count times the amount."""
    (_, count), _, (_, number), (_, words) = items
    unit = _unit(text, words)
    if not count.isdigit() or int(count) < 1:
        raise WaktuError(text, f"waktu '{text}': pengali '{count}' harus bilangan bulat 1 atau lebih",
                         "mis. '2 x 24 jam'")
    amount = int(count) * _amount(text, number)
    if amount > MAX_AMOUNT:
        raise WaktuTooLarge(text)
    return Duration.of(amount, unit)


def _range(text: str, items: list[tuple[str, str]]) -> Duration:
    """'15-30 menit', '30 menit - 1 jam': the upper bound, marked as one."""
    upper_unit = _unit(text, items[-1][1])
    lower_unit = _unit(text, items[1][1]) if len(items) == 5 else upper_unit
    _refuse_mixed_days(text, [lower_unit, upper_unit])
    lower_number, upper_number = items[0][1], items[-2][1]
    lower = Duration.of(_amount(text, lower_number), lower_unit)
    upper = Duration.of(_amount(text, upper_number), upper_unit)
    if lower.comparable() >= upper.comparable():
        lower_text, upper_text = f"{lower_number} {lower_unit}", f"{upper_number} {upper_unit}"
        if lower.comparable() == upper.comparable():
            raise WaktuError(text, f"waktu '{text}': batas bawah dan batas atas sama ({upper_text})",
                             f"untuk waktu yang pasti tulis satu jumlah, mis. '{upper_text}'")
        raise WaktuError(text, f"waktu '{text}': batas bawah ({lower_text}) harus lebih kecil dari "
                               f"batas atas ({upper_text})",
                         "tulis batas yang lebih kecil lebih dahulu, mis. '15-30 menit'")
    return Duration(upper.seconds, upper.hari, upper.hari_kerja, upper.minggu, upper.bulan, upper.tahun,
                    at_most=True)
