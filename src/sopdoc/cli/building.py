"""`sopdoc build`: the documents, then the site; a build with nothing changed answered from its record."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import click

from sopdoc.build.outputs import FORMAT_NAMES, decree_formats
from sopdoc.cli.common import (DEFAULT_OUT, cli, existing, load, paths_argument, report, report_lines,
                               save_log)
from sopdoc.model import Project
from sopdoc.site.result import PARTIAL, UNCHANGED, SiteResult


def _formats(value: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(part.strip().lower() for part in value.split(",") if part.strip()))
    unknown = [fmt for fmt in chosen if fmt not in FORMAT_NAMES]
    if unknown or not chosen:
        named = ", ".join(unknown) or repr(value)
        raise click.BadParameter(f"format tidak dikenal: {named}; pilihan: "
                                 + ", ".join(FORMAT_NAMES), param_hint="--format")
    return tuple(fmt for fmt in FORMAT_NAMES if fmt in chosen)


formats_option = click.option("--format", "formats", default=",".join(FORMAT_NAMES), show_default=True,
                              help=f"Format keluaran, dipisah koma: {', '.join(FORMAT_NAMES)}.")
out_option = click.option("--out", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True,
                          help="Folder keluaran.")
jobs_option = click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None,
                           help="Jumlah proses paralel (bawaan: jumlah inti prosesor).")


@cli.command(help=f"""Periksa sumber, lalu tulis lampiran PDF/DOCX, diagram SVG, keputusan, dan situs publik.

    Keluaran: OUT/<instansi>/<slug>.{', .'.join(FORMAT_NAMES)},
    OUT/<instansi>/keputusan-<kunci>.{', .'.join(decree_formats(FORMAT_NAMES))}, dan situs di site/
    (di samping mkdocs.yml). SOP yang sumbernya tidak berubah tidak dibangun ulang.
    """)
@paths_argument
@formats_option
@out_option
@jobs_option
@click.option("--force", is_flag=True, help="Bangun ulang semua, juga yang tidak berubah.")
@click.option("--no-site", is_flag=True, help="Jangan bangun situs publik (site/).")
@click.option("--draf", "draft", is_flag=True,
              help="Bangun semua SOP sebagai draf: bertanda DRAF, tanpa situs, tidak dapat ditandatangani.")
@click.option("--strict", is_flag=True,
              help="Perlakukan peringatan sebagai galat, dan jangan ganti dokumen yang sudah ditandatangani.")
def build(paths, formats, out, jobs, force, no_site, draft, strict) -> None:
    request = BuildRequest(existing(paths), _formats(formats), out, jobs, force, strict, site=not no_site,
                           draft=draft)
    if not build_everything(request):
        sys.exit(1)


@dataclass(frozen=True)
class BuildRequest:
    paths: list[Path]
    formats: tuple[str, ...]
    out: Path
    jobs: int | None = None
    force: bool = False
    strict: bool = False  # warnings fail the run; a signed document is never replaced
    site: bool = True
    draft: bool = False  # every SOP built as a draft (and so no site)
    wait: bool = False  # for another build holding the folder, instead of refusing


def build_everything(request: BuildRequest) -> bool:
    """Documents, then the site, holding the output folder's lock (refused while another build
    holds it, or with `wait`, after it); prints progress and problems. False when anything failed.
    When nothing changed since the last build that succeeded, says again what it said, at once."""
    from sopdoc.build.outputs import RUN_RECORD_FILE
    from sopdoc.build.unchanged import RunRecord, inputs_digest, outputs_digest
    from sopdoc.site.config import find_site_config, site_dir_of

    with output_locked(request):
        started = time.monotonic()
        record_path = request.out / RUN_RECORD_FILE
        site_config = find_site_config(request.paths)
        site_dir = site_dir_of(site_config) if site_config else None
        inputs = inputs_digest(_request_words(request), request.paths, [site_config] if site_config else [])
        record = None if request.force else RunRecord.read(record_path)
        if record is not None and record.inputs == inputs and record.outputs == outputs_digest(request.out, site_dir):
            _say_again(record.said, request, started)
            return True
        RunRecord.discard(record_path)
        from sopdoc.build.pipeline import warm_workers

        with warm_workers(request.jobs) if _many_sources(request.paths) else contextlib.nullcontext() as workers:
            built = build_locked(request, workers=workers)
        if built.ok:
            RunRecord(inputs, outputs_digest(request.out, site_dir), built.said).save(record_path)
        return built.ok


WARM_FROM = 100  # source files: from here, loading them takes long enough to warm the workers meanwhile


def _many_sources(paths: list[Path]) -> bool:
    return sum(1 for path in paths if path.is_dir() for _ in path.glob("*/*.yml")) >= WARM_FROM


def _request_words(request: BuildRequest) -> list[str]:
    """What of the request and of this process the outputs and the messages depend on (messages
    name files relative to the working folder)."""
    return [sys.version, os.getcwd(), str(request.out.resolve()), ",".join(request.formats),
            *(str(path.resolve()) for path in request.paths),
            f"strict={request.strict} site={request.site} draft={request.draft}"]


def _say_again(said: dict, request: BuildRequest, started: float) -> None:
    """What the last build said, said again as a build that found everything current says it."""
    from sopdoc.build.pipeline import SopResult

    for line in said.get("diagnostics", []):
        click.echo(line, err=True)
    documents = _DocumentReport(("sop", "keputusan"), interactive=sys.stdout.isatty())
    results = [SopResult(slug, office, skipped=True, kind=kind) for kind, office, slug in said.get("documents", [])]
    for result in results:
        documents.record(result)
    documents.summary(results)
    site = said.get("site") or {}
    if site.get("skipped"):
        click.echo(f"situs: dilewati ({site['skipped']})")
    elif "pages" in site:
        _say_site(SiteResult(Path(site["dir"]), site["pages"], tuple(Path(path) for path in site["stale"]), UNCHANGED))
    click.echo(f"selesai dalam {time.monotonic() - started:.1f} detik -> {request.out}")


@contextlib.contextmanager
def output_locked(request: BuildRequest):
    from sopdoc.build.lock import FolderLock
    from sopdoc.build.outputs import BUILD_LOCK_FILE

    def waiting(pid: str) -> None:
        click.echo(f"menunggu build lain{f' (pid {pid})' if pid else ''} selesai", err=True)

    with FolderLock(request.out, BUILD_LOCK_FILE, wait=waiting if request.wait else None):
        yield


@dataclass(frozen=True)
class Built:
    ok: bool
    project: Project | None = None  # as loaded, when its site was built
    keys: dict | None = None  # (office, SOP) -> the input key of its documents
    said: dict | None = None  # what a build with nothing changed says again (see _say_again)


def build_locked(request: BuildRequest, screen_first: bool = False, workers=None) -> Built:
    """The build, under the output folder's lock. `screen_first` (`sopdoc serve`): the SOPs'
    documents, the site, and only then the decrees' bundles and the site again, so that a changed
    page is on screen before the slow bundles are done. `workers`: render in this started pool."""
    from sopdoc.build.outputs import SOURCE_CACHE_FILE
    from sopdoc.site.config import find_site_config, site_url_of

    started = time.monotonic()
    project, diagnostics = load(request.paths, cache_file=request.out / SOURCE_CACHE_FILE)
    said_diagnostics = report_lines(diagnostics, err=True)
    if report(diagnostics, request.strict, err=True, lines=said_diagnostics):
        return Built(False)
    if request.draft:
        project = project.as_drafts()
    site_config = find_site_config(request.paths)
    site_url = site_url_of(site_config) if site_config else None
    skipped_site = _why_no_site(request, site_config)
    if screen_first and skipped_site is None:
        results = _build_documents(project, request, site_url, decrees=False, workers=workers)
        if (not any(result.error for result in results) and _decree_documents_exist(project, request.out)
                and _build_site(project, request, site_config, results).mode != UNCHANGED):
            click.echo(f"situs diperbarui dalam {time.monotonic() - started:.1f} detik")
        results = _build_documents(project, request, site_url, reported=("keputusan",), workers=workers)
    else:
        results = _build_documents(project, request, site_url, workers=workers)
    failures = [result for result in results if result.error]
    site: dict = {"skipped": skipped_site}
    if skipped_site is None and not failures:
        built_site = _build_site(project, request, site_config, results)
        site = {"pages": built_site.pages, "dir": str(built_site.site_dir),
                "stale": [str(path) for path in built_site.stale_signatures]}
    elif skipped_site and (not failures or request.draft):
        click.echo(f"situs: dilewati ({skipped_site})")
    click.echo(f"selesai dalam {time.monotonic() - started:.1f} detik -> {request.out}")
    said = {"diagnostics": said_diagnostics, "site": site, "documents": _in_build_order(project, results)}
    built = "pages" in site
    return Built(not failures, project if built else None, input_keys(results) if built else None, said)


def _in_build_order(project: Project, results: list) -> list[list[str]]:
    """(kind, office, name) of each document in the order a build that renders none reports them:
    the SOPs as loaded, then the decrees."""
    from sopdoc.build.outputs import decree_stem
    from sopdoc.model import decrees_with_members

    order = [("sop", sop.office.slug, sop.slug) for sop in project.sops]
    order += [("keputusan", office.slug, decree_stem(decree)) for decree, office, _ in
              decrees_with_members(list(project.sops))]
    done = {(result.kind, result.office, result.slug) for result in results}
    return [list(document) for document in order if document in done]


def input_keys(results: list) -> dict[tuple[str, str], str]:
    return {(result.office, result.slug): result.key for result in results if result.kind == "sop" and result.key}


class _DocumentReport:
    """What a build says of its documents: a line per document of the kinds `reported` as it is
    done (not on a terminal, which shows a bar), then failures, warnings and counts."""

    def __init__(self, reported: tuple[str, ...], interactive: bool) -> None:
        self.reported, self.interactive = reported, interactive
        self.failures, self.warnings = [], []

    def record(self, result) -> None:
        if result.error:
            self.failures.append(result)
        self.warnings.extend((result, warning) for warning in result.warnings)
        if not self.interactive and result.kind in self.reported:
            state = "gagal" if result.error else ("tidak berubah" if result.skipped else "ditulis")
            click.echo(f"{state}: {result.office}/{result.slug}")

    def summary(self, results: list) -> None:
        for result in self.failures:
            where = f"; rincian tersimpan di {save_log(result.details)}" if result.details else ""
            click.echo(f"sopdoc: {result.name}: {result.error}{where}", err=True)
        for result, warning in self.warnings:
            click.echo(f"sopdoc: PERINGATAN: {result.name}: {warning}", err=True)
        for kind, label in (("sop", "SOP"), ("keputusan", "keputusan")):
            mine = [r for r in results if r.kind == kind]
            if kind in self.reported and (kind == "sop" or mine):
                built = sum(1 for r in mine if not r.skipped and not r.error)
                skipped = sum(1 for r in mine if r.skipped)
                failed = sum(1 for r in mine if r.error)
                click.echo(f"{len(mine)} {label}: {built} dibangun, {skipped} tidak berubah, {failed} gagal")


def _build_documents(project: Project, request: BuildRequest, site_url: str | None, *, decrees: bool = True,
                     reported: tuple[str, ...] = ("sop", "keputusan"), workers=None) -> list:
    """Every SOP's documents and (with `decrees`) every decree's, with progress (a bar on a
    terminal, else a line per document of the kinds `reported`) and the counts of those kinds;
    returns every result."""
    from sopdoc.build.pipeline import build as build_documents
    from sopdoc.model import decrees_with_members

    sops = list(project.sops)
    decree_count = len(decrees_with_members(sops)) if decrees and decree_formats(request.formats) else 0
    interactive = sys.stdout.isatty()
    said = _DocumentReport(reported, interactive)

    def run(progress):
        return build_documents(sops, request.formats, request.out, jobs=request.jobs, force=request.force,
                               progress=progress, site_url=site_url, keep_signed=request.strict, decrees=decrees,
                               workers=workers)

    if interactive:
        with click.progressbar(length=len(sops) + decree_count, label="Membangun", show_pos=True) as bar:
            def tick(result) -> None:
                said.record(result)
                bar.update(1)
            results = run(tick)
    else:
        results = run(said.record)
    said.summary(results)
    return results


def _why_no_site(request: BuildRequest, site_config: Path | None) -> str | None:
    """Why this run builds no site ("" for --no-site), or None when it does."""
    from sopdoc.site.config import covers_whole_tree

    if request.draft:
        return "build --draf: draf tidak diterbitkan"
    if not request.site:
        return ""  # --no-site: said by the user, not repeated
    if site_config is None:
        return "mkdocs.yml tidak ada di samping folder sumber"
    if not covers_whole_tree(request.paths, site_config):
        return "hanya sebagian sumber yang dibangun; situs dibangun dari seluruh folder sumber"
    if request.formats != FORMAT_NAMES:
        return f"situs memerlukan semua format: {', '.join(FORMAT_NAMES)}"
    return None


def _decree_documents_exist(project: Project, out: Path) -> bool:
    """Whether every decree already has its documents (the site publishes them): not so in the
    first build of an office."""
    from sopdoc.build.outputs import decree_path
    from sopdoc.model import decrees_with_members

    return all(decree_path(out, office, decree, fmt).is_file()
               for decree, office, _ in decrees_with_members(list(project.sops)) for fmt in decree_formats(FORMAT_NAMES))


def _build_site(project: Project, request: BuildRequest, site_config: Path, results: list):
    """The public site, from the documents of `results` (whose input keys stand for the SOPs'
    models): only as far as it changed, all of it with --force."""
    from sopdoc.site.mkdocs_build import build_site

    built_site = build_site(project, request.out, site_config, sop_keys=input_keys(results), force=request.force)
    _say_site(built_site)
    return built_site


def _say_site(built_site: SiteResult) -> None:
    pages, site_dir = built_site.pages, built_site.site_dir
    if built_site.mode == UNCHANGED:
        click.echo(f"situs: tidak berubah ({pages} halaman) -> {site_dir}")
    elif built_site.mode == PARTIAL and not built_site.rebuilt:
        click.echo(f"situs: dokumen diperbarui, halaman tidak berubah ({pages} halaman) -> {site_dir}")
    elif built_site.mode == PARTIAL:
        click.echo(f"situs: {built_site.rebuilt} dari {pages} halaman dibangun ulang -> {site_dir}")
    else:
        click.echo(f"situs: {pages} halaman -> {site_dir}")
    for signed in built_site.stale_signatures:
        click.echo(f"situs: peringatan: {signed} menandatangani versi lama dokumennya; yang diterbitkan "
                   "PDF baru tanpa tanda tangan. Tandatangani ulang PDF yang baru.", err=True)
