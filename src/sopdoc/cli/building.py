"""Commands that build: build (documents, then the site) and serve."""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

import click

from sopdoc.build.outputs import FORMAT_NAMES, decree_formats
from sopdoc.cli.common import (DEFAULT_OUT, UserError, cli, existing, load, paths_argument, report, report_lines,
                               save_log)
from sopdoc.errors import SopdocError
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
    from sopdoc.build.outputs import BUILD_LOCK_FILE, RUN_RECORD_FILE
    from sopdoc.build.unchanged import RunRecord, inputs_digest, outputs_digest
    from sopdoc.site.config import find_site_config, site_dir_of

    with _output_locked(request):
        started = time.monotonic()
        record_path = request.out / RUN_RECORD_FILE
        site_config = find_site_config(request.paths)
        site_dir = site_dir_of(site_config) if site_config else None
        inputs = inputs_digest(_request_words(request), request.paths, [site_config] if site_config else [])
        record = None if request.force else RunRecord.read(record_path)
        not_outputs = (RUN_RECORD_FILE, BUILD_LOCK_FILE)
        if record is not None and record.inputs == inputs and record.outputs == outputs_digest(
                request.out, site_dir, not_outputs):
            _say_again(record.said, request, started)
            return True
        RunRecord.discard(record_path)
        built = _build_locked(request)
        if built.ok:
            RunRecord(inputs, outputs_digest(request.out, site_dir, not_outputs), built.said).save(record_path)
        return built.ok


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
    documents = _DocumentReport(request.formats, ("sop", "keputusan"), interactive=False)
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
def _output_locked(request: BuildRequest):
    from sopdoc.build.lock import FolderLock
    from sopdoc.build.outputs import BUILD_LOCK_FILE

    def waiting(pid: str) -> None:
        click.echo(f"menunggu build lain{f' (pid {pid})' if pid else ''} selesai", err=True)

    with FolderLock(request.out, BUILD_LOCK_FILE, wait=waiting if request.wait else None):
        yield


@dataclass(frozen=True)
class _Built:
    ok: bool
    project: Project | None = None  # as loaded, when its site was built
    keys: dict | None = None  # (office, SOP) -> the input key of its documents
    said: dict | None = None  # what a build with nothing changed says again (see _say_again)


def _build_locked(request: BuildRequest, screen_first: bool = False) -> _Built:
    """The build, under the output folder's lock. `screen_first` (`sopdoc serve`): the SOPs'
    documents, the site, and only then the decrees' bundles and the site again, so that a changed
    page is on screen before the slow bundles are done."""
    from sopdoc.build.outputs import SOURCE_CACHE_FILE
    from sopdoc.site.config import find_site_config, site_url_of

    started = time.monotonic()
    project, diagnostics = load(request.paths, cache_file=request.out / SOURCE_CACHE_FILE)
    said_diagnostics = report_lines(diagnostics, err=True)
    if report(diagnostics, request.strict, err=True):
        return _Built(False)
    if request.draft:
        project = project.as_drafts()
    site_config = find_site_config(request.paths)
    site_url = site_url_of(site_config) if site_config else None
    skipped_site = _why_no_site(request, site_config)
    if screen_first and skipped_site is None:
        results = _build_documents(project, request, site_url, decrees=False)
        if (not any(result.error for result in results) and _decree_documents_exist(project, request.out)
                and _build_site(project, request, site_config, results).mode != UNCHANGED):
            click.echo(f"situs diperbarui dalam {time.monotonic() - started:.1f} detik")
        results = _build_documents(project, request, site_url, reported=("keputusan",))
    else:
        results = _build_documents(project, request, site_url)
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
    return _Built(not failures, project if built else None, _input_keys(results) if built else None, said)


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


def _input_keys(results: list) -> dict[tuple[str, str], str]:
    return {(result.office, result.slug): result.key for result in results if result.kind == "sop" and result.key}


class _DocumentReport:
    """What a build says of its documents: a line per document of the kinds `reported` as it is
    done (not on a terminal, which shows a bar), then failures, warnings and counts."""

    def __init__(self, formats: tuple[str, ...], reported: tuple[str, ...], interactive: bool) -> None:
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
                     reported: tuple[str, ...] = ("sop", "keputusan")) -> list:
    """Every SOP's documents and (with `decrees`) every decree's, with progress (a bar on a
    terminal, else a line per document of the kinds `reported`) and the counts of those kinds;
    returns every result."""
    from sopdoc.build.pipeline import build as build_documents
    from sopdoc.model import decrees_with_members

    sops = list(project.sops)
    decree_count = len(decrees_with_members(sops)) if decrees and decree_formats(request.formats) else 0
    interactive = sys.stdout.isatty()
    said = _DocumentReport(request.formats, reported, interactive)

    def run(progress):
        return build_documents(sops, request.formats, request.out, jobs=request.jobs, force=request.force,
                               progress=progress, site_url=site_url, keep_signed=request.strict, decrees=decrees)

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

    built_site = build_site(project, request.out, site_config, sop_keys=_input_keys(results), force=request.force)
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


def _warm_renderers() -> None:
    """While serve waits for the first edit: import what a one-SOP rebuild runs in this process
    and the first build may not have (it rendered in worker processes, and its site may not have
    changed): the renderers and MkDocs with Material's plugins."""
    import docx  # noqa: F401
    import material.plugins.search.plugin  # noqa: F401
    import material.plugins.tags.plugin  # noqa: F401
    import mkdocs.commands.build  # noqa: F401
    import sopdoc.render.pdf  # noqa: F401  (WeasyPrint)


@cli.command()
@paths_argument
@out_option
@jobs_option
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port di 127.0.0.1 (0: pilih port bebas).")
def serve(paths, out, jobs, port) -> None:
    """Bangun dokumen dan situs, sajikan situs di http://127.0.0.1:PORT/, dan bangun ulang
    setiap kali sumber atau mkdocs.yml berubah; halaman yang terbuka di peramban dimuat ulang
    sendiri. Hentikan dengan Ctrl+C.
    """
    from sopdoc.site.serve import SiteServer, source_snapshot, wait_for_change
    from sopdoc.site.config import covers_whole_tree, find_site_config, site_dir_of

    sources = existing(paths)
    config = find_site_config(sources)
    if config is None:
        raise UserError("mkdocs.yml tidak ditemukan di samping folder sumber; situs tidak dapat dibangun")
    if not covers_whole_tree(sources, config):
        raise UserError("sopdoc serve memerlukan seluruh folder sumber (mis. sop_sources), "
                        "bukan satu instansi atau satu berkas", exit_code=2)
    watched = [*sources, config]
    request = BuildRequest(sources, FORMAT_NAMES, out, jobs, wait=True)
    last = _Built(False)

    def rebuild(changed: set[Path] | None) -> None:
        """One build; whatever goes wrong is reported and the last good site stays served."""
        nonlocal last
        try:
            with _output_locked(request):
                shown = last.project is not None and changed is not None and _preview(request, config, last, changed)
                last = _Built(False)  # not kept while the next project is loaded: a thousand SOPs weigh
                built = _build_locked(request, screen_first=not shown)
                last = built if built.project is not None else last
        except SopdocError as exc:
            click.echo(f"sopdoc: {exc}", err=True)
            last = _Built(False)
        except Exception:
            click.echo("sopdoc: kesalahan internal saat membangun (bug di sopdoc); situs terakhir tetap "
                       f"tersaji. Rincian tersimpan di {save_log(traceback.format_exc())}", err=True)
            last = _Built(False)

    snapshot = source_snapshot(watched)  # before the first build: what changes during it is built next
    rebuild(None)
    site_dir = site_dir_of(config)
    if not (site_dir / "index.html").is_file():
        raise UserError("situs belum pernah berhasil dibangun; perbaiki masalah di atas lalu jalankan lagi")
    try:
        server = SiteServer(site_dir, port, reload=True).start()
    except OSError as exc:
        raise UserError(f"tidak dapat membuka port {port} di 127.0.0.1 ({exc.strerror}); pilih --port lain") from None
    click.echo(f"situs tersaji di {server.url} (Ctrl+C untuk berhenti)")
    threading.Thread(target=_warm_renderers, daemon=True).start()
    try:
        while True:
            previous, snapshot = snapshot, wait_for_change(watched, snapshot)
            click.echo("sumber berubah; membangun ulang")
            rebuild(_edited(previous, snapshot))
    except KeyboardInterrupt:
        click.echo("berhenti")
    finally:
        server.stop()


def _edited(before: tuple, after: tuple) -> set[Path] | None:
    """The files whose bytes may have changed between two snapshots, or None when files were
    added or removed."""
    old = {path: rest for path, *rest in before}
    new = {path: rest for path, *rest in after}
    if old.keys() != new.keys():
        return None
    return {Path(path) for path, rest in new.items() if old[path] != rest}


def _preview(request: BuildRequest, site_config: Path, last: _Built, edited: set[Path]) -> bool:
    """Put an edit on screen before the full rebuild: when only existing source files of some
    offices changed, load those offices alone, build the changed SOPs' documents (no decree) and
    the site from the last project with those offices replaced. The full rebuild that follows
    loads and checks everything as `sopdoc build` does, reports, builds the decrees, and corrects
    whatever this got wrong. False (nothing shown) whenever it cannot be done so simply."""
    from sopdoc.build.pipeline import build as build_documents
    from sopdoc.site.config import site_url_of
    from sopdoc.site.mkdocs_build import build_site

    started = time.monotonic()
    entries = list(last.project.offices)
    where = {entry.office.folder.resolve(): index for index, entry in enumerate(entries)}
    folders = {path.resolve().parent for path in edited}
    if not edited or any(path.suffix != ".yml" for path in edited) or not folders <= where.keys():
        return False
    for folder in folders:
        office = entries[where[folder]].office
        loaded, diagnostics = load([office.folder])
        if diagnostics.error_count or len(loaded.offices) != 1 or loaded.offices[0].office.slug != office.slug:
            return False
        entries[where[folder]] = loaded.offices[0]
    project = Project(tuple(entries))
    changed = [sop for folder in folders for sop in entries[where[folder]].sops]
    results = build_documents(changed, request.formats, request.out, jobs=request.jobs,
                              site_url=site_url_of(site_config), decrees=False)
    if any(result.error for result in results):
        return False  # the full rebuild reports it
    try:
        built = build_site(project, request.out, site_config, sop_keys={**last.keys, **_input_keys(results)})
    except SopdocError:
        return False  # likewise
    click.echo(f"situs diperbarui dalam {time.monotonic() - started:.1f} detik ({built.rebuilt} halaman); "
               "memeriksa semua sumber dan membangun keputusan")
    return True
