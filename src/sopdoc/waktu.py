"""Durations of the Mutu Baku "Waktu" column: parsing, sums and Indonesian formatting.

A working day is not 24 hours, so sums keep calendar-like units apart: seconds roll into
minutes and minutes into hours, but hours never roll into days, and days, working days,
weeks, months and years are each summed on their own. Only to *compare* two durations are
they converted to hours (a day = 8 hours, a week = 5 working days, a month = 22 working
days, a year = 12 months).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

# Largest first: the order in which a total is printed.
UNITS = ("tahun", "bulan", "minggu", "hari kerja", "hari", "jam", "menit", "detik")

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

_WAKTU_RE = re.compile(
    r"^\s*(?P<amount>\d+(?:[.,]\d+)?)\s*(?P<unit>hari\s+kerja|detik|menit|jam|hari|minggu|bulan|tahun)\s*$",
    re.IGNORECASE,
)


MAX_AMOUNT = Decimal(9999)  # more than this in one unit is a typing mistake, not a procedure
MAX_DECIMALS = 3


class WaktuError(ValueError):
    pass


class WaktuTooLarge(WaktuError):
    """Readable, but beyond what any step takes (and beyond what sums stay exact for)."""


@dataclass(frozen=True)
class Duration:
    """Amounts per unit; sub-day units are kept normalised as seconds."""

    seconds: Decimal = Decimal(0)
    hari: Decimal = Decimal(0)
    hari_kerja: Decimal = Decimal(0)
    minggu: Decimal = Decimal(0)
    bulan: Decimal = Decimal(0)
    tahun: Decimal = Decimal(0)
    written: str = field(default="", compare=False)  # the source's own words, e.g. "15 Menit"

    @classmethod
    def parse(cls, text: str) -> Duration:
        match = _WAKTU_RE.match(text)
        if not match:
            raise WaktuError(text)
        written = match["amount"].replace(",", ".")
        amount = Decimal(written)
        if amount > MAX_AMOUNT or len(written.partition(".")[2]) > MAX_DECIMALS:
            raise WaktuTooLarge(text)
        unit = " ".join(match["unit"].lower().split())
        duration = cls.of(amount, unit)
        return Duration(duration.seconds, duration.hari, duration.hari_kerja, duration.minggu,
                        duration.bulan, duration.tahun, " ".join(text.split()))

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
        """Indonesian text, e.g. '2 hari kerja 3 jam 35 menit'; '0 menit' when empty."""
        parts = self.parts()
        if not parts:
            return "0 menit"
        return " ".join(f"{format_amount(amount)} {unit}" for amount, unit in parts)

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
