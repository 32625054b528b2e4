"""Benchmark of what a user waits for, on N synthetic SOPs (2–6 actors, 4–30 steps, decisions,
loops) in offices of 50, with the public site: the real `sopdoc build` and `sopdoc serve` in
subprocesses.

Prints the full build; a rebuild with nothing changed; a rebuild with one SOP's uraian changed;
`sopdoc serve`'s save-to-page time (a source changed, the page polled over HTTP until the new
text appears); the peak memory of the largest process. Repeated figures are medians. With
--per-format, also seconds per SOP for PDF, DOCX and SVG built alone (in this process). Figures,
not assertions: the machines are shared.

    .venv/bin/python benchmarks/bench_build.py [N] [--jobs J] [--repeat R] [--per-format]

N = 1000 is the scale of a kabupaten; N = 200 is a quick run.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from sopdoc.sources.synthetic import write_synthetic_tree

SOPDOC = [sys.executable, "-m", "sopdoc"]
MKDOCS_YML = Path(__file__).resolve().parent.parent / "mkdocs.yml"


def children_peak_mb() -> float:
    """The largest resident set of any finished child process (and its workers) so far."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def sopdoc_build(root: Path, jobs: int, *extra: str) -> tuple[float, str]:
    """`sopdoc build` from the project root: (seconds, output)."""
    started = time.perf_counter()
    done = subprocess.run([*SOPDOC, "build", "sop_sources", "--jobs", str(jobs), *extra], cwd=root,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"sopdoc build failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return seconds, done.stdout


def site_line(output: str) -> str:
    return next((line for line in output.splitlines() if line.startswith("situs:")), "situs: ?")


def edit_uraian(path: Path, mark: str) -> str:
    """Put `mark` at the start of the SOP's first step's uraian (its text only); returns `mark`."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'^(  - uraian: ")(?:Diubah\w+ )?', rf"\g<1>{mark} ", text, count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")
    return mark


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


class Served:
    """`sopdoc serve` in a subprocess, its output read as it comes."""

    def __init__(self, root: Path, jobs: int) -> None:
        self.process = subprocess.Popen([*SOPDOC, "serve", "sop_sources", "--port", "0", "--jobs", str(jobs)],
                                        cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                        bufsize=1)
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        with self.process.stdout as stream:
            for line in stream:
                self.lines.append(line)

    def wait_for(self, pattern: str, seconds: float, start: int = 0) -> re.Match:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for line in self.lines[start:]:
                found = re.search(pattern, line)
                if found:
                    return found
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise SystemExit(f"sopdoc serve: {pattern!r} not printed:\n{''.join(self.lines[-40:])}")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.reader.join(30)


def per_format(sources: Path, root: Path, jobs: int) -> None:
    from sopdoc.build.pipeline import build
    from sopdoc.sources.loader import load_project

    project, _ = load_project([sources])
    sops = list(project.sops)
    for fmt in ("pdf", "docx", "svg"):
        started = time.perf_counter()
        results = build(sops, (fmt,), root / f"only-{fmt}", jobs=jobs)
        seconds = time.perf_counter() - started
        assert not [r for r in results if r.error]
        print(f"  {fmt:4s} alone: {seconds:7.2f} s wall, {seconds / len(sops):.3f} s/SOP "
              f"(x{jobs} cores = {seconds * jobs / len(sops):.3f} core-s/SOP)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--repeat", type=int, default=3, help="runs of each rebuild measured (median)")
    parser.add_argument("--per-format", action="store_true", help="also each format built alone")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="sopdoc-bench-"))
    try:
        sources = root / "sop_sources"
        paths = write_synthetic_tree(sources, args.count, seed=1)
        shutil.copy(MKDOCS_YML, root / "mkdocs.yml")
        print(f"{args.count} SOP in {(args.count + 49) // 50} offices, {args.jobs} processes")
        if args.per_format:
            per_format(sources, root, args.jobs)

        full, output = sopdoc_build(root, args.jobs)
        print(f"full build (documents + site): {full:.1f} s, {full / args.count:.3f} s/SOP; {site_line(output)}")
        pages = sum(1 for _ in (root / "site").rglob("index.html"))
        print(f"  site/: {pages} pages, {sum(p.stat().st_size for p in (root / 'site').rglob('*') if p.is_file()) / 2**20:.0f} MB")

        nothing = []
        for _ in range(args.repeat):
            seconds, output = sopdoc_build(root, args.jobs)
            assert "tidak berubah (" in site_line(output), output
            nothing.append(seconds)
        print(f"rebuild, nothing changed: {statistics.median(nothing):.2f} s (median of {args.repeat}: "
              f"{', '.join(f'{s:.2f}' for s in nothing)}); {site_line(output)}")

        one = []
        for run in range(args.repeat):
            edit_uraian(paths[(len(paths) // 2 + run) % len(paths)], f"Diubah{run}")
            seconds, output = sopdoc_build(root, args.jobs)
            assert "1 dibangun" in output, output
            one.append(seconds)
        print(f"rebuild, one SOP's uraian changed: {statistics.median(one):.2f} s (median of {args.repeat}: "
              f"{', '.join(f'{s:.2f}' for s in one)}; its decree's bundle of 50 lampiran included); "
              f"{site_line(output)}")
        build_peak = children_peak_mb()

        served = Served(root, args.jobs)
        try:
            url = served.wait_for(r"situs tersaji di (\S+)", 1800).group(1)
            screen, finished = [], []
            for run in range(args.repeat):
                path = paths[(len(paths) // 3 + run) % len(paths)]
                page = f"{url}{path.parent.name}/{path.stem}/"
                mark = f"Disimpan{run}x{os.getpid()}"
                start = len(served.lines)
                time.sleep(1)  # a save is noticed by its time: apart from the previous one
                saved = time.perf_counter()
                edit_uraian(path, mark)
                while mark not in fetch(page):
                    time.sleep(0.05)
                screen.append(time.perf_counter() - saved)
                served.wait_for(r"^selesai dalam", 1800, start)
                finished.append(time.perf_counter() - saved)
            print(f"sopdoc serve, save -> page updated: {statistics.median(screen):.2f} s (median of {args.repeat}: "
                  f"{', '.join(f'{s:.2f}' for s in screen)}); the whole rebuild with the decree bundle: "
                  f"{statistics.median(finished):.2f} s")
        finally:
            served.stop()
        print(f"peak memory, largest process: {build_peak:.0f} MB in sopdoc build, "
              f"{children_peak_mb():.0f} MB with sopdoc serve")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
