"""`sopdoc serve` as a user runs it, for the tests of tests/site/: a real process on a free port,
its output read as it comes, stopped with Ctrl+C (SIGINT) however the test ends."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from conftest import SITE_CONFIG

SOPDOC = Path(sys.executable).parent / "sopdoc"


def until(condition, seconds: float, what: str):
    """Poll `condition` (the served page, say) until it holds; `seconds` only bounds a failure."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


class Output:
    """What a process prints, read in a thread as it comes, so that a test waits for the line
    it is about (and a silent process cannot block it past the bound)."""

    def __init__(self, stream) -> None:
        self._lines: list[str] = []
        self._closed = False
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream) -> None:
        with stream:
            for line in stream:
                with self._changed:
                    self._lines.append(line)
                    self._changed.notify_all()
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    @property
    def text(self) -> str:
        with self._changed:
            return "".join(self._lines)

    def wait_for(self, pattern: str, seconds: float, what: str) -> re.Match:
        """The first match of `pattern` in the output, once it is printed."""
        found: list[re.Match] = []

        def printed() -> bool:
            match = re.search(pattern, "".join(self._lines))
            if match:
                found.append(match)
            return bool(match) or self._closed

        with self._changed:
            self._changed.wait_for(printed, timeout=seconds)
        assert found, f"{what} not printed (process {'ended' if self._closed else 'still silent'}):\n{self.text}"
        return found[0]

    def rest(self, seconds: float) -> str:
        """Everything, once the process closed its output."""
        self._thread.join(seconds)
        return self.text


@dataclass
class Served:
    url: str  # where the server said it serves the site, e.g. http://127.0.0.1:40123/
    process: subprocess.Popen
    output: Output

    def stopped(self) -> str:
        """After the `serving` block: everything the process printed; it ended with exit code 0."""
        text = self.output.rest(30)
        assert self.process.returncode == 0, text
        return text


@contextmanager
def serving(root: Path, *options: str) -> Iterator[Served]:
    """`sopdoc serve sop_sources --port 0 OPTIONS` run in `root` (the sources written there
    already; the real mkdocs.yml is copied beside them), once it printed the address it serves
    the site at; stopped as a user stops it, with SIGINT, when the block ends."""
    shutil.copy(SITE_CONFIG, root / "mkdocs.yml")
    process = subprocess.Popen([str(SOPDOC), "serve", "sop_sources", "--port", "0", *options], cwd=root,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    output = Output(process.stdout)
    try:
        url = output.wait_for(r"situs tersaji di (\S+)", 300, "the server's address").group(1)
        yield Served(url, process, output)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
