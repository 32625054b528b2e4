"""Build the documents of many SOPs: in long-lived worker processes, one per core, skipping
every SOP whose inputs (its model, logo, templates, sopdoc's own code) have not changed.

What is written where, and by which renderer, is the registry's (`outputs.py`); each document is
written atomically. Nothing here prints; progress is reported through a callback the CLI turns
into a bar or plain lines.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path

from sopdoc.errors import SopdocError
from sopdoc.fingerprint import code_fingerprint
from sopdoc.fileio import write_atomic
from sopdoc.build.outputs import (
    BUILD_STATE_FILE, FORMAT, DecreeJob, SopJob, decree_formats, decree_path, decree_stem, sop_path,
)
from sopdoc.build.pictures import PictureStore
from sopdoc.model import Instansi, Keputusan, Sop, decrees_with_members


@dataclass(frozen=True)
class SopResult:
    slug: str
    office: str
    written: tuple[Path, ...] = ()
    skipped: bool = False
    error: str | None = None
    key: str = ""
    kind: str = "sop"  # or "keputusan"


def input_key(sop: Sop, formats: tuple[str, ...], site_url: str | None = None) -> str:
    """Everything the documents of `sop` depend on. The model's repr holds every value read
    from the sources; the source files' bytes are embedded in the PDF, comments included."""
    digest = hashlib.sha256(code_fingerprint().encode())
    digest.update(repr(sop).encode())
    digest.update(",".join(formats).encode())
    digest.update((site_url or "").encode())
    for path in (sop.source, sop.office.source, sop.office.logo):
        if path is not None:
            digest.update(path.read_bytes())
    return digest.hexdigest()


def render_sop(sop: Sop, formats: tuple[str, ...], out: Path, site_url: str | None = None,
               key: str | None = None) -> SopResult:
    """Lay out and render one SOP; runs in a worker process. With its input `key`, the DOCX's
    flowchart pictures are kept for the Keputusan that attaches it."""
    try:
        job = SopJob(sop, formats, site_url)
        outputs = {fmt: FORMAT[fmt].render_sop(job) for fmt in formats}
        paths = {fmt: sop_path(out, sop, fmt) for fmt in formats}
        for fmt, data in outputs.items():  # only after every format rendered: all or nothing
            write_atomic(paths[fmt], data)
        if key and "png" in job.picture_kinds:
            PictureStore(out).save(sop, key, job.pictures_of_kind("png"))
        return SopResult(sop.slug, sop.office.slug, tuple(paths.values()))
    except SopdocError as exc:
        return SopResult(sop.slug, sop.office.slug, error=str(exc))


def _warm_worker() -> None:
    """Import the heavy renderers once per worker, not once per SOP."""
    import weasyprint  # noqa: F401
    import docx  # noqa: F401


def render_decree(decree: Keputusan, office: Instansi, members: tuple[Sop, ...], formats: tuple[str, ...],
                     out: Path, site_url: str | None = None, member_keys: dict[str, str] | None = None) -> SopResult:
    """The Keputusan with its lampiran (after the members' own PDFs are built); in a worker.
    `member_keys` (slug -> input key) lets the DOCX reuse the pictures the members' jobs drew."""
    stem = decree_stem(decree)
    try:
        job = DecreeJob(decree, office, members, out, site_url, PictureStore(out).pictures_for(member_keys or {}))
        outputs = {fmt: FORMAT[fmt].render_decree(job) for fmt in formats}
        paths = {fmt: decree_path(out, office, decree, fmt) for fmt in formats}
        for fmt, data in outputs.items():
            write_atomic(paths[fmt], data)
        return SopResult(stem, office.slug, tuple(paths.values()), kind="keputusan")
    except (SopdocError, OSError) as exc:
        return SopResult(stem, office.slug, error=str(exc), kind="keputusan")


def decree_key(decree: Keputusan, office: Instansi, member_keys: list[str], formats: tuple[str, ...]) -> str:
    digest = hashlib.sha256(code_fingerprint().encode())
    for part in (repr(decree), repr(office), ",".join(formats), *member_keys):
        digest.update(part.encode())
    return digest.hexdigest()


def build(sops: list[Sop], formats: tuple[str, ...], out: Path, *, jobs: int | None = None,
          force: bool = False, progress: Callable[[SopResult], None] | None = None,
          site_url: str | None = None) -> list[SopResult]:
    """Build every SOP, then every Keputusan that has SOPs attached (in the formats made for one)."""
    cache_path = out / BUILD_STATE_FILE
    try:
        cache = json.loads(cache_path.read_text(encoding="utf-8")) if cache_path.is_file() and not force else {}
    except (OSError, ValueError):
        cache = {}
    results: list[SopResult] = []

    def unchanged(name: str, key: str, paths) -> bool:
        return cache.get(name) == key and all(p.is_file() for p in paths)

    def finished(result: SopResult) -> None:
        results.append(result)
        if progress:
            progress(result)

    sop_keys: dict[tuple[str, str], str] = {}
    todo = []
    for sop in sops:
        key = sop_keys[(sop.office.slug, sop.slug)] = input_key(sop, formats, site_url)
        paths = tuple(sop_path(out, sop, fmt) for fmt in formats)
        if unchanged(f"{sop.office.slug}/{sop.slug}", key, paths):
            finished(SopResult(sop.slug, sop.office.slug, paths, skipped=True, key=key))
        else:
            todo.append((render_sop, (sop, formats, out, site_url, key), key))
    _run(todo, jobs, finished)

    bundle_formats = decree_formats(formats)
    failed = {(r.office, r.slug) for r in results if r.error}
    todo = []
    for decree, office, members in (decrees_with_members(sops) if bundle_formats else []):
        slug = decree_stem(decree)
        if any((office.slug, sop.slug) in failed for sop in members):
            finished(SopResult(slug, office.slug, error="ada lampiran yang gagal dibangun", kind="keputusan"))
            continue
        member_keys = {sop.slug: sop_keys[(office.slug, sop.slug)] for sop in members}
        key = decree_key(decree, office, list(member_keys.values()), bundle_formats)
        paths = [decree_path(out, office, decree, fmt) for fmt in bundle_formats]
        if unchanged(f"{office.slug}/{slug}", key, paths):
            finished(SopResult(slug, office.slug, tuple(paths), skipped=True, key=key, kind="keputusan"))
        else:
            todo.append((render_decree, (decree, office, members, bundle_formats, out, site_url, member_keys), key))
    _run(todo, jobs, finished)

    for result in results:
        name = f"{result.office}/{result.slug}"
        if result.error:
            cache.pop(name, None)
        else:
            cache[name] = result.key
    write_atomic(cache_path, json.dumps(dict(sorted(cache.items())), indent=1) + "\n")
    return sorted(results, key=lambda r: (r.office, r.kind != "sop", r.slug))


def _run(todo: list, jobs: int | None, finished: Callable[[SopResult], None]) -> None:
    """Run (function, arguments, key) jobs in worker processes, or here when there is one."""
    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
    if workers == 1:
        for function, arguments, key in todo:
            finished(_with_key(function(*arguments), key))
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_warm_worker) as pool:
        futures = {pool.submit(function, *arguments): key for function, arguments, key in todo}
        for future in as_completed(futures):
            finished(_with_key(future.result(), futures[future]))


def _with_key(result: SopResult, key: str) -> SopResult:
    return replace(result, key=key)
