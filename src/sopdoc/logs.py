"""Libraries that log (MkDocs, pyHanko) print nothing of their own to the clerk: what they log is
collected here, for sopdoc's own message in Indonesian, and never reaches the terminal."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator


class CollectedLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def collected_log(*names: str) -> Iterator[CollectedLog]:
    """While inside, the loggers `names` (and their children) write only into the handler."""
    handler = CollectedLog()
    loggers = [logging.getLogger(name) for name in names]
    saved = [(logger.propagate, logger.level) for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.propagate = False
        logger.setLevel(logging.INFO)
    try:
        yield handler
    finally:
        for logger, (propagate, level) in zip(loggers, saved):
            logger.removeHandler(handler)
            logger.propagate, logger.level = propagate, level
