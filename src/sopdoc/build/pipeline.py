"""Build the documents of many SOPs: in long-lived worker processes, one per core, skipping
every SOP whose inputs (its model, logo, templates, sopdoc's own code) have not changed.

What is written where, and by which renderer, is the registry's (`outputs.py`); each document is
written atomically. Nothing here prints; progress is reported through a callback the CLI turns
into a bar or plain lines.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import BrokenExecutor, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path

from sopdoc.errors import SopdocError
from sopdoc.fingerprint import code_fingerprint
from sopdoc.fileio import write_atomic
from sopdoc.build.outputs import (
    BUILD_STATE_FILE, FORMAT, DecreeJob, SopJob, decree_formats, decree_path, decree_stem, sop_path,
)
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
    from the sources; the source files' bytes, as read, are embedded in the PDF, comments included."""
    digest = hashlib.sha256(code_fingerprint().encode())
    digest.update(repr(sop).encode())
    digest.update(",".join(formats).encode())
    digest.update((site_url or "").encode())
    digest.update(sop.source_bytes)
    digest.update(sop.office.source_bytes)
    if sop.office.logo is not None:
        digest.update(sop.office.logo.read_bytes())
    return digest.hexdigest()


def _write(outputs: dict[Path, bytes], keep_signed: bool) -> tuple[str, ...]:
    """Write every document (only once all are rendered: all or nothing); returns a warning for
    each signed copy that no longer matches. `keep_signed` (`--strict`): refuse instead."""
    from sopdoc.build.signed import signature_conflict  # pypdf: not imported by a build with nothing to write
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


def warm_renderers() -> None:
    """Import the heavy renderers once per worker, not once per SOP, and compile the templates."""
    import docx  # noqa: F401

    import sopdoc.render.docx.lampiran  # noqa: F401
    import sopdoc.render.docx.keputusan  # noqa: F401
    import sopdoc.layout.plan  # noqa: F401
    from sopdoc.render.pdf.html import TEMPLATE_ENV
    import sopdoc.render.pdf.writer  # noqa: F401  (WeasyPrint)

    for template in TEMPLATE_ENV.list_templates(extensions=["j2"]):
        TEMPLATE_ENV.get_template(template)


def _ready() -> None:
    """A task that only makes the pool start a worker (which warms itself first)."""


@contextlib.contextmanager
def warm_workers(jobs: int | None) -> Iterator[ProcessPoolExecutor | None]:
    """Worker processes started now, importing the renderers while the caller loads and checks
    the sources: an SOP changed among a thousand is then rendered by a worker ready for it, not
    by a process that first spends a second importing WeasyPrint. None for one job."""
    workers = jobs or os.cpu_count() or 1
    if workers == 1:
        yield None
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=warm_renderers) as pool:
        for _ in range(workers):
            pool.submit(_ready)  # each submit while the others still warm up starts one more
        yield pool


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
          site_url: str | None = None, keep_signed: bool = False, decrees: bool = True,
          workers: ProcessPoolExecutor | None = None) -> list[SopResult]:
    """Build every SOP, then every Keputusan that has SOPs attached (in the formats made for one;
    not with `decrees=False`, which `sopdoc serve` uses to show a changed page before the bundles).
    A decree's formats are separate jobs, run side by side; its result is reported once all are
    done. A document whose signed copy it would make stale is written with a warning, or with
    `keep_signed` not written at all (an error). `workers`: a pool already started (see
    `warm_workers`) that renders every job, however few. The caller holds the output folder's
    lock (`lock.FolderLock`)."""
    state = BuildState(out / BUILD_STATE_FILE, forget=force)
    results: list[SopResult] = []

    def reported(result: SopResult) -> None:
        results.append(result)
        if progress:
            progress(result)

    def recorded(then: Callable[[SopResult], None]) -> Callable[[_Job, SopResult], None]:
        """A finished job's files recorded in the state, then its result passed to `then`."""
        def finished(job: _Job, result: SopResult) -> None:
            state.record(job.state_name, None if result.error else job.key, result.written)
            then(replace(result, key=job.key))
        return finished

    sop_keys: dict[tuple[str, str], str] = {}
    todo = []
    for sop in sops:
        key = sop_keys[(sop.office.slug, sop.slug)] = input_key(sop, formats, site_url)
        job = _Job(render_sop, (sop, formats, out, site_url, keep_signed), key, sop.office.slug, sop.slug, "sop")
        paths = tuple(sop_path(out, sop, fmt) for fmt in formats)
        if state.is_current(job.state_name, key, paths):
            reported(SopResult(sop.slug, sop.office.slug, paths, skipped=True, key=key))
        else:
            todo.append(job)
    _run(todo, jobs, state, recorded(reported), workers)

    bundle_formats = decree_formats(formats) if decrees else ()
    failed = {(r.office, r.slug) for r in results if r.error}
    todo, parts = [], _DecreeParts(reported)
    for decree, office, members in (decrees_with_members(sops) if bundle_formats else []):
        slug = decree_stem(decree)
        if any((office.slug, sop.slug) in failed for sop in members):
            reported(SopResult(slug, office.slug, error="ada lampiran yang gagal dibangun", kind="keputusan"))
            continue
        member_keys = [sop_keys[(office.slug, sop.slug)] for sop in members]
        parts.expect(office.slug, slug, len(bundle_formats))
        for fmt in bundle_formats:
            key = decree_key(decree, office, member_keys, (fmt,))
            job = _Job(render_decree, (decree, office, members, (fmt,), out, site_url, keep_signed), key,
                       office.slug, slug, "keputusan", fmt)
            path = decree_path(out, office, decree, fmt)
            if state.is_current(job.state_name, key, (path,)):
                parts.done(SopResult(slug, office.slug, (path,), skipped=True, key=key, kind="keputusan"))
            else:
                todo.append(job)
    _run(todo, jobs, state, recorded(parts.done), workers)
    state.save()
    return sorted(results, key=lambda r: (r.office, r.kind != "sop", r.slug))


class _DecreeParts:
    """A decree's formats, each its own job, reported as one result when the last is done: skipped
    when every part was, failed when any part failed."""

    def __init__(self, report: Callable[[SopResult], None]) -> None:
        self._report = report
        self._expected: dict[tuple[str, str], int] = {}
        self._done: dict[tuple[str, str], list[SopResult]] = {}

    def expect(self, office: str, slug: str, count: int) -> None:
        self._expected[(office, slug)] = count

    def done(self, part: SopResult) -> None:
        parts = self._done.setdefault((part.office, part.slug), [])
        parts.append(part)
        if len(parts) < self._expected[(part.office, part.slug)]:
            return
        errors = [p.error for p in parts if p.error]
        self._report(SopResult(
            part.slug, part.office, tuple(path for p in parts for path in p.written),
            skipped=all(p.skipped for p in parts), error="; ".join(errors) if errors else None,
            key=" ".join(p.key for p in parts), kind="keputusan",
            details="\n".join(p.details for p in parts if p.details) or None,
            warnings=tuple(warning for p in parts for warning in p.warnings)))


@dataclass(frozen=True)
class _Job:
    function: Callable[..., SopResult]
    arguments: tuple
    key: str
    office: str
    slug: str
    kind: str
    part: str = ""  # the format of a decree's job: each is recorded on its own

    @property
    def state_name(self) -> str:
        return f"{self.office}/{self.slug}" + (f".{self.part}" if self.part else "")


def _run(todo: list[_Job], jobs: int | None, state: BuildState, finished: Callable[[_Job, SopResult], None],
         started: ProcessPoolExecutor | None = None) -> None:
    """Run the jobs in the `started` pool, in a pool of their own, or here when there is one.
    Their entries in the build state are dropped first: a run cut short leaves nothing that
    claims to be current."""
    state.invalidate(job.state_name for job in todo)
    if started is not None and todo:
        try:
            _run_in(started, todo, finished)
            return
        except BrokenExecutor:  # a worker died earlier in the run: a pool of their own, below
            pass
    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
    if workers == 1:
        for job in todo:
            finished(job, job.function(*job.arguments))
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=warm_renderers) as pool:
        _run_in(pool, todo, finished)


def _run_in(pool: ProcessPoolExecutor, todo: list[_Job], finished: Callable[[_Job, SopResult], None]) -> None:
    futures = {pool.submit(job.function, *job.arguments): job for job in todo}  # all or, broken, none
    for future in as_completed(futures):
        job = futures[future]
        try:
            result = future.result()
        except Exception:  # the worker itself died (killed, out of memory): this job fails
            result = _internal_error(job.slug, job.office, job.kind)
        finished(job, result)
