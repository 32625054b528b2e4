"""Build the documents of many SOPs: in long-lived worker processes, one per core, skipping
every SOP whose inputs (its model, logo, templates, sopdoc's own code) have not changed.

Outputs: <out>/<office>/<slug>.pdf, .docx, .svg, each written atomically. Nothing here
prints; progress is reported through a callback the CLI turns into a bar or plain lines.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from .errors import SopdocError
from .fingerprint import code_fingerprint
from .fileio import write_atomic
from .model import Sop

FORMATS = ("pdf", "docx", "svg")
CACHE_FILE = ".sopdoc-build.json"
SOURCE_CACHE_FILE = ".sopdoc-sources.json"


@dataclass(frozen=True)
class SopResult:
    slug: str
    office: str
    written: tuple[Path, ...] = ()
    skipped: bool = False
    error: str | None = None
    key: str = ""


def input_key(sop: Sop, formats: tuple[str, ...]) -> str:
    """Everything the documents of `sop` depend on. The model's repr holds every value read
    from the sources, including the office and the decree."""
    digest = hashlib.sha256(code_fingerprint().encode())
    digest.update(repr(sop).encode())
    digest.update(",".join(formats).encode())
    if sop.office.logo is not None:
        digest.update(sop.office.logo.read_bytes())
    return digest.hexdigest()


def output_paths(sop: Sop, out: Path, formats: Iterable[str]) -> dict[str, Path]:
    return {fmt: out / sop.office.slug / f"{sop.slug}.{fmt}" for fmt in formats}


def render_sop(sop: Sop, formats: tuple[str, ...], out: Path) -> SopResult:
    """Lay out and render one SOP; runs in a worker process."""
    from .diagram import page_dot, render_formats
    from .layout import plan_layout
    from .swimlane import render_swimlane_svg

    try:
        paths = output_paths(sop, out, formats)
        outputs: dict[str, bytes] = {}
        plan = plan_layout(sop) if {"pdf", "docx"} & set(formats) else None
        pictures = tuple(fmt for fmt, needed in (("svg", "pdf"), ("png", "docx")) if needed in formats)
        diagrams = {page.number: render_formats(page_dot(plan, page), pictures) for page in plan.pages} if plan else {}
        if "pdf" in formats:
            from .pdf import epoch_of, write_pdf
            from .render_html import render_lampiran_html

            html = render_lampiran_html(sop, plan, {n: pair["svg"] for n, pair in diagrams.items()})
            outputs["pdf"] = write_pdf(html, [sop.office.folder],
                                       epoch_of(sop.tanggal_revisi or sop.tanggal_efektif))
        if "docx" in formats:
            from .render_docx import render_lampiran_docx

            outputs["docx"] = render_lampiran_docx(sop, plan, {n: pair["png"] for n, pair in diagrams.items()})
        if "svg" in formats:
            outputs["svg"] = render_swimlane_svg(sop)
        for fmt, data in outputs.items():  # only after every format rendered: all or nothing
            write_atomic(paths[fmt], data)
        return SopResult(sop.slug, sop.office.slug, tuple(paths[f] for f in formats))
    except SopdocError as exc:
        return SopResult(sop.slug, sop.office.slug, error=str(exc))


def _warm_worker() -> None:
    """Import the heavy renderers once per worker, not once per SOP."""
    import weasyprint  # noqa: F401
    import docx  # noqa: F401


def build(sops: list[Sop], formats: tuple[str, ...], out: Path, *, jobs: int | None = None,
          force: bool = False, progress: Callable[[SopResult], None] | None = None) -> list[SopResult]:
    cache_path = out / CACHE_FILE
    try:
        cache = json.loads(cache_path.read_text(encoding="utf-8")) if cache_path.is_file() and not force else {}
    except (OSError, ValueError):
        cache = {}
    results: list[SopResult] = []
    todo: list[tuple[Sop, str]] = []
    for sop in sops:
        key = input_key(sop, formats)
        paths = output_paths(sop, out, formats)
        if cache.get(f"{sop.office.slug}/{sop.slug}") == key and all(p.is_file() for p in paths.values()):
            result = SopResult(sop.slug, sop.office.slug, tuple(paths.values()), skipped=True, key=key)
            results.append(result)
            if progress:
                progress(result)
        else:
            todo.append((sop, key))

    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
    if workers == 1 or len(todo) <= 1:
        for sop, key in todo:
            result = _with_key(render_sop(sop, formats, out), key)
            results.append(result)
            if progress:
                progress(result)
    elif todo:
        with ProcessPoolExecutor(max_workers=workers, initializer=_warm_worker) as pool:
            futures = {pool.submit(render_sop, sop, formats, out): key for sop, key in todo}
            for future in as_completed(futures):
                result = _with_key(future.result(), futures[future])
                results.append(result)
                if progress:
                    progress(result)

    for result in results:
        name = f"{result.office}/{result.slug}"
        if result.error:
            cache.pop(name, None)
        else:
            cache[name] = result.key
    write_atomic(cache_path, json.dumps(dict(sorted(cache.items())), indent=1) + "\n")
    return sorted(results, key=lambda r: (r.office, r.slug))


def _with_key(result: SopResult, key: str) -> SopResult:
    return SopResult(result.slug, result.office, result.written, result.skipped, result.error, key)
