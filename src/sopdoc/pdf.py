"""HTML -> PDF with WeasyPrint, reproducibly and reading nothing outside the asset roots."""

from __future__ import annotations

import calendar
import datetime as _dt
import functools
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from .render_html import TEMPLATES


class RootedURLFetcher(URLFetcher):
    """Serves data: URIs and files inside the given folders; refuses everything else."""

    def __init__(self, roots: list[Path]) -> None:
        super().__init__(timeout=5, allowed_protocols={"file", "data"}, allow_redirects=False)
        self._roots = [root.resolve() for root in roots]

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(unquote(urlsplit(url).path)).resolve()
            if any(path.is_relative_to(root) for root in self._roots) and path.is_file():
                return super().fetch(url, headers)
        raise FatalURLFetchingError(f"sopdoc menolak memuat {url!r}: di luar folder aset proyek")


@functools.lru_cache(maxsize=1)
def _font_config() -> FontConfiguration:
    """One font configuration per process: building it costs a tenth of a render. (No shared
    image cache: keyed by data URI it would grow with every SOP a worker renders.)"""
    return FontConfiguration()


def epoch_of(day: _dt.date) -> int:
    return calendar.timegm(day.timetuple())


def write_pdf(html: str, asset_roots: list[Path], epoch: int) -> bytes:
    """Render to PDF bytes. `epoch` fixes every timestamp the toolchain might write."""
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)  # read by fontTools when it subsets fonts
    try:
        fetcher = RootedURLFetcher([TEMPLATES, *asset_roots])
        document = HTML(string=html, base_url=str(TEMPLATES), url_fetcher=fetcher)
        return document.write_pdf(pdf_identifier=b"sopdoc", font_config=_font_config())
    finally:
        if previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous
