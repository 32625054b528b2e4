"""The lampiran and the Keputusan as PDF: HTML from Jinja2 templates, then WeasyPrint (PDF/A-3b).

WeasyPrint opens Pango, HarfBuzz and fontconfig by trying up to six names for each library,
Windows' and macOS' first. cffi hands each name without a path to `ctypes.util.find_library`,
which on Linux runs ldconfig and then gcc and ld for every name it cannot place: 22 searches,
half a second in every process that imports WeasyPrint (each build worker, `sopdoc build` for
one edit). The names WeasyPrint tries last on Linux are sonames (`libpango-1.0.so.0`), which
cffi opens with dlopen itself; so while WeasyPrint is imported here, the search answers at once
that it found nothing, and the same libraries are opened by their sonames.
"""

import contextlib
import ctypes.util
import sys


@contextlib.contextmanager
def _sonames_only():
    if not sys.platform.startswith("linux"):
        yield
        return
    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = search


with _sonames_only():
    import weasyprint  # noqa: F401  (imported here, once, for every module of this package)
