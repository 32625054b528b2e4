"""Build the documents of many SOPs: in long-lived worker processes, one per core, skipping
every SOP whose inputs (its model, logo, templates, sopdoc's own code) have not changed.

What is written where, and by which renderer, is the registry's (`outputs.py`); each document is
written atomically. Nothing here prints; progress is reported through a callback the CLI turns
into a bar or plain lines.
"""

from __future__ import annotations

import hashlib
import os
import sys
import traceback
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
from sopdoc.build.signed import signature_conflict
from sopdoc.build.state import BuildState
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
    details: str | None = None  # the traceback of a failure that is sopdoc's bug, for a log file
    warnings: tuple[str, ...] = ()  # a signed copy this build made stale (see signed.py)

    @property
    def name(self) -> str:
        return f"{self.office}/{self.slug}"


def _internal_error(slug: str, office: str, kind: str) -> SopResult:
    """A renderer's bug: this document fails with a message; the run goes on."""
    error = traceback.format_exc()
    kind_of = sys.exc_info()[0].__name__
    return SopResult(slug, office, error=f"kesalahan internal sopdoc saat membuat dokumen ini ({kind_of})",
                     kind=kind, details=error)


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


def _write(outputs: dict[Path, bytes], keep_signed: bool) -> tuple[str, ...]:
    """Write every document (only once all are rendered: all or nothing); returns a warning for
    each signed copy that no longer matches. `keep_signed` (`--strict`): refuse instead."""
    conflicts = tuple(found for found in (signature_conflict(path, data) for path, data in outputs.items()
                                          if path.suffix == ".pdf") if found)
    if conflicts and keep_signed:
        raise SopdocError("; ".join(conflicts) + ". Dengan --strict dokumen bertanda tangan tidak diganti")
    for path, data in outputs.items():
        write_atomic(path, data)
    return conflicts


def render_sop(sop: Sop, formats: tuple[str, ...], out: Path, site_url: str | None = None,
               keep_signed: bool = False) -> SopResult:
    """Lay out and render one SOP; runs in a worker process."""
    try:
        job = SopJob(sop, site_url)
        outputs = {sop_path(out, sop, fmt): FORMAT[fmt].render_sop(job) for fmt in formats}
        warnings = _write(outputs, keep_signed)
        return SopResult(sop.slug, sop.office.slug, tuple(outputs), warnings=warnings)
    except SopdocError as exc:
        return SopResult(sop.slug, sop.office.slug, error=str(exc))
    except Exception:
        return _internal_error(sop.slug, sop.office.slug, "sop")


def _warm_worker() -> None:
    """Import the heavy renderers once per worker, not once per SOP."""
    import weasyprint  # noqa: F401
    import docx  # noqa: F401


def render_decree(decree: Keputusan, office: Instansi, members: tuple[Sop, ...], formats: tuple[str, ...],
                  out: Path, site_url: str | None = None, keep_signed: bool = False) -> SopResult:
    """The Keputusan with its lampiran (after the members' own PDFs are built); in a worker."""
    stem = decree_stem(decree)
    try:
        job = DecreeJob(decree, office, members, out, site_url)
        outputs = {decree_path(out, office, decree, fmt): FORMAT[fmt].render_decree(job) for fmt in formats}
        warnings = _write(outputs, keep_signed)
        return SopResult(stem, office.slug, tuple(outputs), kind="keputusan", warnings=warnings)
    except (SopdocError, OSError) as exc:
        return SopResult(stem, office.slug, error=str(exc), kind="keputusan")
    except Exception:
        return _internal_error(stem, office.slug, "keputusan")


def decree_key(decree: Keputusan, office: Instansi, member_keys: list[str], formats: tuple[str, ...]) -> str:
    digest = hashlib.sha256(code_fingerprint().encode())
    for part in (repr(decree), repr(office), ",".join(formats), *member_keys):
        digest.update(part.encode())
    return digest.hexdigest()


def build(sops: list[Sop], formats: tuple[str, ...], out: Path, *, jobs: int | None = None,
          force: bool = False, progress: Callable[[SopResult], None] | None = None,
          site_url: str | None = None, keep_signed: bool = False, decrees: bool = True) -> list[SopResult]:
    """Build every SOP, then every Keputusan that has SOPs attached (in the formats made for one;
    not with `decrees=False`, which `sopdoc serve` uses to show a changed page before the bundles).
    A document whose signed copy it would make stale is written with a warning, or with
    `keep_signed` not written at all (an error). The caller holds the output folder's lock
    (`lock.FolderLock`)."""
    state = BuildState(out / BUILD_STATE_FILE, forget=force)
    results: list[SopResult] = []

    def finished(result: SopResult) -> None:
        state.record(result.name, None if result.error else result.key)
        results.append(result)
        if progress:
            progress(result)

    sop_keys: dict[tuple[str, str], str] = {}
    todo = []
    for sop in sops:
        key = sop_keys[(sop.office.slug, sop.slug)] = input_key(sop, formats, site_url)
        paths = tuple(sop_path(out, sop, fmt) for fmt in formats)
        if state.is_current(f"{sop.office.slug}/{sop.slug}", key, paths):
            finished(SopResult(sop.slug, sop.office.slug, paths, skipped=True, key=key))
        else:
            todo.append(_Job(render_sop, (sop, formats, out, site_url, keep_signed), key, sop.office.slug, sop.slug,
                             "sop"))
    _run(todo, jobs, state, finished)

    bundle_formats = decree_formats(formats) if decrees else ()
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
        if state.is_current(f"{office.slug}/{slug}", key, paths):
            finished(SopResult(slug, office.slug, tuple(paths), skipped=True, key=key, kind="keputusan"))
        else:
            arguments = (decree, office, members, bundle_formats, out, site_url, keep_signed)
            todo.append(_Job(render_decree, arguments, key, office.slug, slug, "keputusan"))
    _run(todo, jobs, state, finished)
    state.save()
    return sorted(results, key=lambda r: (r.office, r.kind != "sop", r.slug))


@dataclass(frozen=True)
class _Job:
    function: Callable[..., SopResult]
    arguments: tuple
    key: str
    office: str
    slug: str
    kind: str

    @property
    def name(self) -> str:
        return f"{self.office}/{self.slug}"


def _run(todo: list[_Job], jobs: int | None, state: BuildState, finished: Callable[[SopResult], None]) -> None:
    """Run the jobs in worker processes, or here when there is one. Their entries in the build
    state are dropped first: a run cut short leaves nothing that claims to be current."""
    state.invalidate(job.name for job in todo)
    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
    if workers == 1:
        for job in todo:
            finished(replace(job.function(*job.arguments), key=job.key))
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_warm_worker) as pool:
        futures = {pool.submit(job.function, *job.arguments): job for job in todo}
        for future in as_completed(futures):
            job = futures[future]
            try:
                result = future.result()
            except Exception:  # the worker itself died (killed, out of memory): this job fails
                result = _internal_error(job.slug, job.office, job.kind)
            finished(replace(result, key=job.key))
