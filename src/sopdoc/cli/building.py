"""Commands that build: build (documents, then the site) and serve."""

from __future__ import annotations

import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

import click

from sopdoc.build.outputs import FORMAT_NAMES, decree_formats
from sopdoc.cli.common import (DEFAULT_OUT, UserError, cli, existing, load, paths_argument, report, save_log)
from sopdoc.errors import SopdocError
from sopdoc.model import Project


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
    holds it, or with `wait`, after it); prints progress and problems. False when anything failed."""
    from sopdoc.build.lock import FolderLock
    from sopdoc.build.outputs import BUILD_LOCK_FILE

    def waiting(pid: str) -> None:
        click.echo(f"menunggu build lain{f' (pid {pid})' if pid else ''} selesai", err=True)

    with FolderLock(request.out, BUILD_LOCK_FILE, wait=waiting if request.wait else None):
        return _build_locked(request)


def _build_locked(request: BuildRequest) -> bool:
    from sopdoc.build.outputs import SOURCE_CACHE_FILE
    from sopdoc.site.config import find_site_config, site_url_of

    started = time.monotonic()
    project, diagnostics = load(request.paths, cache_file=request.out / SOURCE_CACHE_FILE)
    if report(diagnostics, request.strict, err=True):
        return False
    if request.draft:
        project = project.as_drafts()
    site_config = find_site_config(request.paths)
    failures = _build_documents(project, request, site_url_of(site_config) if site_config else None)
    if request.draft:
        click.echo("situs: dilewati (build --draf: draf tidak diterbitkan)")
    elif request.site and not failures:
        _build_site(project, request, site_config)
    click.echo(f"selesai dalam {time.monotonic() - started:.1f} detik -> {request.out}")
    return not failures


def _build_documents(project: Project, request: BuildRequest, site_url: str | None) -> list:
    """Every SOP's and decree's documents, with progress (a bar on a terminal, else a line per
    document) and the counts; returns the failed results."""
    from sopdoc.build.pipeline import build as build_documents
    from sopdoc.model import decrees_with_members

    sops = list(project.sops)
    decree_count = len(decrees_with_members(sops)) if decree_formats(request.formats) else 0
    failures, warnings = [], []
    interactive = sys.stdout.isatty()

    def record(result) -> None:
        if result.error:
            failures.append(result)
        warnings.extend((result, warning) for warning in result.warnings)
        if not interactive:
            state = "gagal" if result.error else ("tidak berubah" if result.skipped else "ditulis")
            click.echo(f"{state}: {result.office}/{result.slug}")

    def run(progress):
        return build_documents(sops, request.formats, request.out, jobs=request.jobs, force=request.force,
                               progress=progress, site_url=site_url, keep_signed=request.strict)

    if interactive:
        with click.progressbar(length=len(sops) + decree_count, label="Membangun", show_pos=True) as bar:
            def tick(result) -> None:
                record(result)
                bar.update(1)
            results = run(tick)
    else:
        results = run(record)
    for result in failures:
        where = f"; rincian tersimpan di {save_log(result.details)}" if result.details else ""
        click.echo(f"sopdoc: {result.name}: {result.error}{where}", err=True)
    for result, warning in warnings:
        click.echo(f"sopdoc: PERINGATAN: {result.name}: {warning}", err=True)
    for kind, label in (("sop", "SOP"), ("keputusan", "keputusan")):
        mine = [r for r in results if r.kind == kind]
        if kind == "sop" or mine:
            built = sum(1 for r in mine if not r.skipped and not r.error)
            skipped = sum(1 for r in mine if r.skipped)
            failed = sum(1 for r in mine if r.error)
            click.echo(f"{len(mine)} {label}: {built} dibangun, {skipped} tidak berubah, {failed} gagal")
    return failures


def _build_site(project: Project, request: BuildRequest, site_config: Path | None) -> None:
    """The public site, when this run can build it; otherwise says why not."""
    from sopdoc.site.config import covers_whole_tree

    if site_config is None:
        click.echo("situs: dilewati (mkdocs.yml tidak ada di samping folder sumber)")
    elif not covers_whole_tree(request.paths, site_config):
        click.echo("situs: dilewati (hanya sebagian sumber yang dibangun; situs dibangun dari seluruh "
                   "folder sumber)")
    elif request.formats != FORMAT_NAMES:
        click.echo(f"situs: dilewati (situs memerlukan semua format: {', '.join(FORMAT_NAMES)})")
    else:
        from sopdoc.site.mkdocs_build import build_site

        built_site = build_site(project, request.out, site_config)
        click.echo(f"situs: {built_site.pages} halaman -> {built_site.site_dir}")
        for signed in built_site.stale_signatures:
            click.echo(f"situs: peringatan: {signed} menandatangani versi lama dokumennya; yang diterbitkan "
                       "PDF baru tanpa tanda tangan. Tandatangani ulang PDF yang baru.", err=True)


@cli.command()
@paths_argument
@out_option
@jobs_option
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port di 127.0.0.1 (0: pilih port bebas).")
def serve(paths, out, jobs, port) -> None:
    """Bangun dokumen dan situs, sajikan situs di http://127.0.0.1:PORT/, dan bangun ulang
    setiap kali sumber atau mkdocs.yml berubah. Hentikan dengan Ctrl+C.
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

    def rebuild() -> None:
        """One build; whatever goes wrong is reported and the last good site stays served."""
        try:
            build_everything(BuildRequest(sources, FORMAT_NAMES, out, jobs, wait=True))
        except SopdocError as exc:
            click.echo(f"sopdoc: {exc}", err=True)
        except Exception:
            click.echo("sopdoc: kesalahan internal saat membangun (bug di sopdoc); situs terakhir tetap "
                       f"tersaji. Rincian tersimpan di {save_log(traceback.format_exc())}", err=True)

    rebuild()
    site_dir = site_dir_of(config)
    if not (site_dir / "index.html").is_file():
        raise UserError("situs belum pernah berhasil dibangun; perbaiki masalah di atas lalu jalankan lagi")
    try:
        server = SiteServer(site_dir, port).start()
    except OSError as exc:
        raise UserError(f"tidak dapat membuka port {port} di 127.0.0.1 ({exc.strerror}); pilih --port lain") from None
    click.echo(f"situs tersaji di {server.url} (Ctrl+C untuk berhenti)")
    snapshot = source_snapshot(watched)
    try:
        while True:
            snapshot = wait_for_change(watched, snapshot)
            click.echo("sumber berubah; membangun ulang")
            rebuild()
    except KeyboardInterrupt:
        click.echo("berhenti")
    finally:
        server.stop()
