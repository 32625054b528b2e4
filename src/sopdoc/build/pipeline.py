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
from dataclasses import dataclass, replace
from pathlib import Path

from sopdoc.errors import SopdocError
from sopdoc.fingerprint import code_fingerprint
from sopdoc.fileio import write_atomic
from sopdoc.model import Decree, Office, Sop

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


def public_url(site_url: str | None, office: str, slug: str | None = None) -> str | None:
    """The page of an SOP (or of an office) on the public site, for the QR code of a signature."""
    if not site_url:
        return None
    return site_url.rstrip("/") + f"/{office}/" + (f"{slug}/" if slug else "")


def output_paths(sop: Sop, out: Path, formats: Iterable[str]) -> dict[str, Path]:
    return {fmt: out / sop.office.slug / f"{sop.slug}.{fmt}" for fmt in formats}


def render_sop(sop: Sop, formats: tuple[str, ...], out: Path, site_url: str | None = None,
               key: str | None = None) -> SopResult:
    """Lay out and render one SOP; runs in a worker process. With its input `key`, the DOCX's
    flowchart pictures are kept for the Keputusan that attaches it."""
    from sopdoc.render.graphviz import page_dot, render_formats
    from sopdoc.layout.plan import plan_layout
    from sopdoc.layout.swimlane import render_swimlane_svg

    try:
        paths = output_paths(sop, out, formats)
        outputs: dict[str, bytes] = {}
        plan = plan_layout(sop) if {"pdf", "docx"} & set(formats) else None
        pictures = tuple(fmt for fmt, needed in (("svg", "pdf"), ("png", "docx")) if needed in formats)
        diagrams = {page.number: render_formats(page_dot(plan, page), pictures) for page in plan.pages} if plan else {}
        if "pdf" in formats:
            from sopdoc.render.pdf.keputusan import source_attachments
            from sopdoc.render.pdf.writer import PdfOptions, write_pdf
            from sopdoc.reproducible import epoch_of
            from sopdoc.render.pdf.html import render_lampiran_html

            html = render_lampiran_html(sop, plan, {n: pair["svg"] for n, pair in diagrams.items()})
            options = PdfOptions((sop.office.folder,), epoch_of(sop.tanggal_revisi or sop.tanggal_efektif),
                                 attachments=source_attachments(sop.office, (sop,)),
                                 signature_element="ruang-ttd",
                                 public_url=public_url(site_url, sop.office.slug, sop.slug))
            outputs["pdf"] = write_pdf(html, options)
        if "docx" in formats:
            from sopdoc.render.docx.lampiran import render_lampiran_docx

            outputs["docx"] = render_lampiran_docx(sop, plan, {n: pair["png"] for n, pair in diagrams.items()})
        if "svg" in formats:
            outputs["svg"] = render_swimlane_svg(sop)
        for fmt, data in outputs.items():  # only after every format rendered: all or nothing
            write_atomic(paths[fmt], data)
        if key and "docx" in formats:
            from sopdoc.build.pictures import PictureStore

            PictureStore(out).save(sop, key, {n: pair["png"] for n, pair in diagrams.items()})
        return SopResult(sop.slug, sop.office.slug, tuple(paths[f] for f in formats))
    except SopdocError as exc:
        return SopResult(sop.slug, sop.office.slug, error=str(exc))


def _warm_worker() -> None:
    """Import the heavy renderers once per worker, not once per SOP."""
    import weasyprint  # noqa: F401
    import docx  # noqa: F401


def render_decree(decree: Decree, office: Office, members: tuple[Sop, ...], formats: tuple[str, ...],
                  out: Path, site_url: str | None = None, member_keys: dict[str, str] | None = None) -> SopResult:
    """The Keputusan with its lampiran (after the members' own PDFs are built); in a worker.
    `member_keys` (slug -> input key) lets the DOCX reuse the pictures the members' jobs drew."""
    from sopdoc.render.pdf.keputusan import decree_slug, render_bundle
    from sopdoc.build.pictures import PictureStore
    from sopdoc.render.docx.keputusan import draw_pictures

    store, keys = PictureStore(out), member_keys or {}

    def pictures_of(sop: Sop, plan) -> dict[int, bytes]:
        key = keys.get(sop.slug)
        pictures = store.load(sop, key) if key else None
        if pictures is None:
            pictures = draw_pictures(sop, plan)
            if key:
                store.save(sop, key, pictures)
        return pictures

    slug = decree_slug(decree)
    try:
        lampiran = {sop.slug: output_paths(sop, out, ("pdf",))["pdf"] for sop in members}
        outputs = render_bundle(decree, office, members, formats, lampiran, public_url(site_url, office.slug),
                                pictures_of)
        paths = {fmt: out / office.slug / f"{slug}.{fmt}" for fmt in outputs}
        for fmt, data in outputs.items():
            write_atomic(paths[fmt], data)
        return SopResult(slug, office.slug, tuple(paths.values()), kind="keputusan")
    except (SopdocError, OSError) as exc:
        return SopResult(slug, office.slug, error=str(exc), kind="keputusan")


def decree_key(decree: Decree, office: Office, member_keys: list[str], formats: tuple[str, ...]) -> str:
    digest = hashlib.sha256(code_fingerprint().encode())
    for part in (repr(decree), repr(office), ",".join(formats), *member_keys):
        digest.update(part.encode())
    return digest.hexdigest()


def build(sops: list[Sop], formats: tuple[str, ...], out: Path, *, jobs: int | None = None,
          force: bool = False, progress: Callable[[SopResult], None] | None = None,
          site_url: str | None = None) -> list[SopResult]:
    """Build every SOP, then every Keputusan that has SOPs attached (PDF and DOCX formats only)."""
    from sopdoc.render.pdf.keputusan import decree_slug
    from sopdoc.render.content import decrees_with_members

    cache_path = out / CACHE_FILE
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
        paths = output_paths(sop, out, formats)
        if unchanged(f"{sop.office.slug}/{sop.slug}", key, paths.values()):
            finished(SopResult(sop.slug, sop.office.slug, tuple(paths.values()), skipped=True, key=key))
        else:
            todo.append((render_sop, (sop, formats, out, site_url, key), key))
    _run(todo, jobs, finished)

    bundle_formats = tuple(fmt for fmt in formats if fmt in ("pdf", "docx"))
    failed = {(r.office, r.slug) for r in results if r.error}
    todo = []
    for decree, office, members in (decrees_with_members(sops) if bundle_formats else []):
        slug = decree_slug(decree)
        if any((office.slug, sop.slug) in failed for sop in members):
            finished(SopResult(slug, office.slug, error="ada lampiran yang gagal dibangun", kind="keputusan"))
            continue
        member_keys = {sop.slug: sop_keys[(office.slug, sop.slug)] for sop in members}
        key = decree_key(decree, office, list(member_keys.values()), bundle_formats)
        paths = [out / office.slug / f"{slug}.{fmt}" for fmt in bundle_formats]
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
