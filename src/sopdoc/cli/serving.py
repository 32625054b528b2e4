"""`sopdoc serve`: the documents and the site built, served on 127.0.0.1, and built again at each
save, the changed page on screen first."""

from __future__ import annotations

import threading
import time
import traceback
from pathlib import Path

import click

from sopdoc.build.outputs import FORMAT_NAMES
from sopdoc.cli.building import BuildRequest, Built, build_locked, input_keys, jobs_option, out_option, output_locked
from sopdoc.cli.common import UserError, cli, existing, load, paths_argument, save_log
from sopdoc.errors import SopdocError
from sopdoc.model import Project


def _warm_renderers() -> None:
    """While serve waits for the first edit: import what a one-SOP rebuild runs in this process
    and the first build may not have (it rendered in worker processes, and its site may not have
    changed): the renderers, as a build's workers do, and MkDocs with Material's plugins."""
    import material.plugins.search.plugin  # noqa: F401
    import material.plugins.tags.plugin  # noqa: F401
    import mkdocs.commands.build  # noqa: F401

    from sopdoc.build.pipeline import warm_renderers

    warm_renderers()


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
    last = Built(False)

    def rebuild(changed: set[Path] | None) -> None:
        """One build; whatever goes wrong is reported and the last good site stays served."""
        nonlocal last
        try:
            with output_locked(request):
                shown = last.project is not None and changed is not None and _preview(request, config, last, changed)
                last = Built(False)  # not kept while the next project is loaded: a thousand SOPs weigh
                built = build_locked(request, screen_first=not shown)
                last = built if built.project is not None else last
        except SopdocError as exc:
            click.echo(f"sopdoc: {exc}", err=True)
            last = Built(False)
        except Exception:
            click.echo("sopdoc: kesalahan internal saat membangun (bug di sopdoc); situs terakhir tetap "
                       f"tersaji. Rincian tersimpan di {save_log(traceback.format_exc())}", err=True)
            last = Built(False)

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


def _preview(request: BuildRequest, site_config: Path, last: Built, edited: set[Path]) -> bool:
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
        built = build_site(project, request.out, site_config, sop_keys={**last.keys, **input_keys(results)})
    except SopdocError:
        return False  # likewise
    click.echo(f"situs diperbarui dalam {time.monotonic() - started:.1f} detik ({built.rebuilt} halaman); "
               "memeriksa semua sumber dan membangun keputusan")
    return True
