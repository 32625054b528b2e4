"""Same sources, same bytes: the one date a document is stamped with, for every tool that
would otherwise stamp the clock's."""

from __future__ import annotations

import calendar
import contextlib
import datetime as _dt
import os


def epoch_of(day: _dt.date) -> int:
    return calendar.timegm(day.timetuple())


@contextlib.contextmanager
def source_date_epoch(epoch: int):
    """SOURCE_DATE_EPOCH set for the duration (fontTools and MkDocs read it), then restored."""
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous
