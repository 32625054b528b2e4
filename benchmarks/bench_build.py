"""Benchmark of `sopdoc build` on N synthetic SOPs (2–6 actors, 4–30 steps, decisions, loops).

Prints seconds per SOP for PDF, DOCX and SVG, the public site (MkDocs), the time of a rebuild
with nothing changed and with one SOP changed, and peak memory. Figures, not assertions: the machines are shared.

    .venv/bin/python benchmarks/bench_build.py [N] [--jobs J]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

from sopdoc.build.outputs import SOURCE_CACHE_FILE
from sopdoc.build.pipeline import build
from sopdoc.sources.loader import load_project
from sopdoc.site.mkdocs_build import build_site
from sopdoc.sources.synthetic import write_synthetic_tree


def timed(action):
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, workers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="sopdoc-bench-"))
    try:
        sources, out = root / "sop_sources", root / "build"
        paths = write_synthetic_tree(sources, args.count, seed=1)
        load_time, (project, diagnostics) = timed(lambda: load_project([sources]))
        assert not [d for d in diagnostics if d.is_error], "synthetic sources must be valid"
        sops = list(project.sops)
        steps = sum(len(s.langkah) for s in sops)
        print(f"{len(sops)} SOP, {steps} langkah, {args.jobs} proses; load+check {load_time:.2f} s "
              f"({1000 * load_time / len(sops):.1f} ms/SOP)")
        per_format = {}
        for fmt in ("pdf", "docx", "svg"):
            target = root / f"only-{fmt}"
            seconds, results = timed(lambda fmt=fmt, target=target: build(sops, (fmt,), target, jobs=args.jobs))
            assert not [r for r in results if r.error]
            per_format[fmt] = seconds
            print(f"  {fmt:4s}: {seconds:7.2f} s wall, {seconds / len(sops):.3f} s/SOP "
                  f"(x{args.jobs} cores = {seconds * args.jobs / len(sops):.3f} core-s/SOP)")
        load_project([sources], cache_file=out / SOURCE_CACHE_FILE)  # as the first `sopdoc build` would
        full, _ = timed(lambda: build(sops, ("pdf", "docx", "svg"), out, jobs=args.jobs))
        print(f"full build (pdf+docx+svg): {full:.2f} s, {full / len(sops):.3f} s/SOP")
        print(f"  projected for 1000 SOP on {args.jobs} cores: {1000 * full / len(sops) / 60:.1f} min")
        shutil.copy(Path(__file__).resolve().parent.parent / "mkdocs.yml", root / "mkdocs.yml")
        site_time, site = timed(lambda: build_site(project, out, root / "mkdocs.yml"))
        site_mb = sum(p.stat().st_size for p in site.site_dir.rglob("*") if p.is_file()) / 2**20
        print(f"site (pages + mkdocs build --strict): {site_time:.2f} s for {site.pages} pages, "
              f"{site_mb:.0f} MB in site/")

        def rebuild():  # what `sopdoc build` does: load (cached per file), check, build
            project, _ = load_project([sources], cache_file=out / SOURCE_CACHE_FILE)
            return build(list(project.sops), ("pdf", "docx", "svg"), out, jobs=args.jobs)

        nothing, results = timed(rebuild)
        assert all(r.skipped for r in results if r.kind == "sop")
        print(f"rebuild, nothing changed: {nothing:.2f} s (load+check+compare)")
        edited = paths[len(paths) // 2]
        edited.write_text(edited.read_text().replace("waktu: ", "waktu: 1", 1))
        one, results = timed(rebuild)
        assert sum(1 for r in results if not r.skipped and r.kind == "sop") == 1
        cached_load, _ = timed(lambda: load_project([sources], cache_file=out / SOURCE_CACHE_FILE))
        print(f"rebuild, one SOP changed: {one:.2f} s (load+check from the cache: {cached_load:.2f} s; "
              f"projected for 1000 SOP: {one + (1000 - len(sops)) * cached_load / len(sops):.2f} s)")
        own, workers = peak_mb()
        print(f"peak memory: main process {own:.0f} MB, largest worker {workers:.0f} MB")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
