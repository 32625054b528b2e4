"""Located problems found in sources: the one channel through which bad input is reported.

A diagnostic is data; only the CLI prints it. Codes keep their meaning forever:
SOP1xx file and schema problems, SOP2xx references, flow and cross-file problems,
SOP26x warnings about content, SOP3xx layout, SOP4xx rendering.
"""

from __future__ import annotations

import enum
import os
from dataclasses import dataclass
from pathlib import Path


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Location:
    path: Path
    line: int = 1  # 1-based
    col: int = 1  # 1-based

    def display_path(self) -> str:
        """The path relative to the working directory when it lies below it."""
        try:
            return os.path.relpath(self.path)
        except ValueError:  # another drive on Windows
            return str(self.path)


SEVERITY_WORDS = {Severity.ERROR: "galat", Severity.WARNING: "peringatan"}  # as the count line says


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    code: str
    location: Location
    message: str
    hint: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple:
        loc = self.location
        return (str(loc.path), loc.line, loc.col, self.code, self.message)

    def format(self) -> str:
        """`file:line:col: galat: message [SOPnnn]`, then `    saran: hint`: the shape of a
        compiler's message, in the clerk's words. Each stays on its line: a value quoted in it that
        holds a line break shows it as \\n."""
        loc = self.location
        text = (
            f"{loc.display_path()}:{loc.line}:{loc.col}: {SEVERITY_WORDS[self.severity]}: "
            f"{_one_line(self.message)} [{self.code}]"
        )
        if self.hint:
            text += f"\n    saran: {_one_line(self.hint)}"
        return text


def _one_line(text: str) -> str:
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


class Diagnostics:
    """Collects every problem of a run instead of stopping at the first."""

    def __init__(self) -> None:
        self._items: list[Diagnostic] = []
        self._files_with_errors: set[Path] = set()  # asked after every file of a thousand: not searched

    def error(self, code: str, location: Location, message: str, hint: str | None = None) -> None:
        self.add(Diagnostic(Severity.ERROR, code, location, message, hint))

    def warning(self, code: str, location: Location, message: str, hint: str | None = None) -> None:
        self.add(Diagnostic(Severity.WARNING, code, location, message, hint))

    def add(self, diagnostic: Diagnostic) -> None:
        self._items.append(diagnostic)
        if diagnostic.is_error:
            self._files_with_errors.add(diagnostic.location.path)

    def extend(self, other: Diagnostics) -> None:
        self._items.extend(other._items)
        self._files_with_errors |= other._files_with_errors

    def sorted(self) -> list[Diagnostic]:
        unique = {(d.sort_key(), d.severity, d.hint): d for d in self._items}
        return sorted(unique.values(), key=Diagnostic.sort_key)

    @property
    def error_count(self) -> int:
        return sum(1 for d in self.sorted() if d.is_error)

    @property
    def warning_count(self) -> int:
        return sum(1 for d in self.sorted() if not d.is_error)

    def has_errors_in(self, path: Path) -> bool:
        return path in self._files_with_errors

    def __len__(self) -> int:
        return len(self.sorted())

    def __iter__(self):
        return iter(self.sorted())


def count_line(errors: int, warnings: int) -> str:
    """The closing line of a check, in Indonesian."""
    if not errors and not warnings:
        return "Tidak ada masalah."
    return f"{errors} galat, {warnings} peringatan"
