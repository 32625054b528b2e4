"""The command line: the only module that prints or exits.

Exit codes: 0 ok, 1 invalid input or failed build, 2 usage error.
"""

from __future__ import annotations

import datetime as _dt
import sys
import time
import tempfile
import traceback
from pathlib import Path

import click

from sopdoc import __version__
from sopdoc.diagnostics import Diagnostics, count_line
from sopdoc.errors import SopdocError
from sopdoc.build.outputs import FORMAT_NAMES, decree_formats
from sopdoc.sources.loader import load_project
from sopdoc.model import Project
from sopdoc.sources.scaffold import new_sop, schema_text, write_schemas

DEFAULT_OUT = Path("build")

DEFAULT_SOURCES = Path("sop_sources")


class UserError(click.ClickException):
    """Shown as 'sopdoc: <message>' with no traceback."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file=None) -> None:
        click.echo(f"sopdoc: {self.message}", err=True)


class SopdocGroup(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except SopdocError as exc:
            raise UserError(str(exc), exc.exit_code) from None
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception:
            if ctx.params.get("show_traceback"):
                raise
            log = _save_log(traceback.format_exc())
            raise UserError(
                f"kesalahan internal (bug di sopdoc, bukan di berkas Anda); rincian tersimpan di {log}. "
                "Jalankan ulang dengan --traceback untuk melihatnya."
            ) from None


def _save_log(text: str) -> str:
    """A traceback kept for a bug report, out of the clerk's way."""
    with tempfile.NamedTemporaryFile("w", prefix="sopdoc-", suffix=".log", delete=False) as log:
        log.write(text)
    return log.name


@click.group(cls=SopdocGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="sopdoc", message="%(prog)s %(version)s")
@click.option("--traceback", "show_traceback", is_flag=True, help="Tampilkan traceback bila sopdoc sendiri gagal.")
def cli(show_traceback: bool) -> None:
    """sopdoc: Standar Operasional Prosedur (Permenpan RB 35/2012) sebagai data.

    Sumber SOP ada di sop_sources/<instansi>/*.yml. Mulai dengan 'sopdoc new', lalu
    periksa dengan 'sopdoc check'.
    """


def _existing(paths: tuple[Path, ...]) -> list[Path]:
    paths = paths or (DEFAULT_SOURCES,)
    for path in paths:
        if not path.exists():
            raise UserError(f"'{path}' tidak ditemukan", exit_code=2)
    return list(paths)


def _load(paths: list[Path], cache_file: Path | None = None) -> tuple[Project, Diagnostics]:
    """The sources checked, and checked against the outputs they would become."""
    from sopdoc.build.outputs import name_conflicts

    project, diagnostics = load_project(paths, cache_file=cache_file)
    diagnostics.extend(name_conflicts(project))
    return project, diagnostics


def _report(diagnostics: Diagnostics, strict: bool, err: bool) -> bool:
    """Print the diagnostics and their count; True when the run must fail."""
    for diagnostic in diagnostics:
        click.echo(diagnostic.format(), err=err)
    errors, warnings = diagnostics.error_count, diagnostics.warning_count
    if errors or warnings or not err:
        click.echo(count_line(errors, warnings), err=err)
    return bool(errors or (strict and warnings))


strict_option = click.option("--strict", is_flag=True, help="Perlakukan peringatan sebagai galat.")
paths_argument = click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[PATH]...")


@cli.command()
@paths_argument
@strict_option
def check(paths: tuple[Path, ...], strict: bool) -> None:
    """Periksa sumber SOP dan laporkan setiap masalah dengan berkas:baris:kolom.

    PATH dapat berupa folder sumber (bawaan: sop_sources/), folder satu instansi, atau
    satu berkas SOP.
    """
    _, diagnostics = _load(_existing(paths))
    if _report(diagnostics, strict, err=False):
        sys.exit(1)


@cli.command()
@paths_argument
@strict_option
def summary(paths: tuple[Path, ...], strict: bool) -> None:
    """Periksa sumber, lalu cetak daftar instansi dan SOP dengan total waktunya."""
    project, diagnostics = _load(_existing(paths))
    if _report(diagnostics, strict, err=True):
        sys.exit(1)
    click.echo(format_summary(project))


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
@strict_option
def build(paths, formats, out, jobs, force, no_site, strict) -> None:
    if not _build_everything(_existing(paths), _formats(formats), out, jobs, force, strict, site=not no_site):
        sys.exit(1)


def _build_everything(paths: list[Path], chosen: tuple[str, ...], out: Path, jobs: int | None, force: bool,
                      strict: bool, site: bool, wait: bool = False) -> bool:
    """Documents, then the site, holding the output folder's lock (refused while another build
    holds it, or with `wait`, after it); prints progress and problems. False when anything failed."""
    from sopdoc.build.lock import FolderLock
    from sopdoc.build.outputs import BUILD_LOCK_FILE

    def waiting(pid: str) -> None:
        click.echo(f"menunggu build lain{f' (pid {pid})' if pid else ''} selesai", err=True)

    with FolderLock(out, BUILD_LOCK_FILE, wait=waiting if wait else None):
        return _build_locked(paths, chosen, out, jobs, force, strict, site)


def _build_locked(paths: list[Path], chosen: tuple[str, ...], out: Path, jobs: int | None, force: bool,
                  strict: bool, site: bool) -> bool:
    from sopdoc.build.outputs import SOURCE_CACHE_FILE
    from sopdoc.site.config import find_site_config, site_url_of

    started = time.monotonic()
    project, diagnostics = _load(paths, cache_file=out / SOURCE_CACHE_FILE)
    if _report(diagnostics, strict, err=True):
        return False
    site_config = find_site_config(paths)
    failures = _build_documents(project, chosen, out, jobs, force, site_url_of(site_config) if site_config else None)
    if site and not failures:
        _build_site(project, paths, chosen, out, site_config)
    click.echo(f"selesai dalam {time.monotonic() - started:.1f} detik -> {out}")
    return not failures


def _build_documents(project: Project, chosen: tuple[str, ...], out: Path, jobs: int | None, force: bool,
                     site_url: str | None) -> list:
    """Every SOP's and decree's documents, with progress (a bar on a terminal, else a line per
    document) and the counts; returns the failed results."""
    from sopdoc.build.pipeline import build as build_documents
    from sopdoc.model import decrees_with_members

    sops = list(project.sops)
    decree_count = len(decrees_with_members(sops)) if decree_formats(chosen) else 0
    failures = []
    interactive = sys.stdout.isatty()

    def report(result) -> None:
        if result.error:
            failures.append(result)
        if not interactive:
            state = "gagal" if result.error else ("tidak berubah" if result.skipped else "ditulis")
            click.echo(f"{state}: {result.office}/{result.slug}")

    if interactive:
        with click.progressbar(length=len(sops) + decree_count, label="Membangun", show_pos=True) as bar:
            def tick(result) -> None:
                report(result)
                bar.update(1)
            results = build_documents(sops, chosen, out, jobs=jobs, force=force, progress=tick,
                                      site_url=site_url)
    else:
        results = build_documents(sops, chosen, out, jobs=jobs, force=force, progress=report, site_url=site_url)
    for result in failures:
        where = f"; rincian tersimpan di {_save_log(result.details)}" if result.details else ""
        click.echo(f"sopdoc: {result.name}: {result.error}{where}", err=True)
    for kind, label in (("sop", "SOP"), ("keputusan", "keputusan")):
        mine = [r for r in results if r.kind == kind]
        if kind == "sop" or mine:
            built = sum(1 for r in mine if not r.skipped and not r.error)
            skipped = sum(1 for r in mine if r.skipped)
            failed = sum(1 for r in mine if r.error)
            click.echo(f"{len(mine)} {label}: {built} dibangun, {skipped} tidak berubah, {failed} gagal")
    return failures


def _build_site(project: Project, paths: list[Path], chosen: tuple[str, ...], out: Path,
                site_config: Path | None) -> None:
    """The public site, when this run can build it; otherwise says why not."""
    from sopdoc.site.config import covers_whole_tree

    if site_config is None:
        click.echo("situs: dilewati (mkdocs.yml tidak ada di samping folder sumber)")
    elif not covers_whole_tree(paths, site_config):
        click.echo("situs: dilewati (hanya sebagian sumber yang dibangun; situs dibangun dari seluruh "
                   "folder sumber)")
    elif chosen != FORMAT_NAMES:
        click.echo(f"situs: dilewati (situs memerlukan semua format: {', '.join(FORMAT_NAMES)})")
    else:
        from sopdoc.site.mkdocs_build import build_site

        built_site = build_site(project, out, site_config)
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

    sources = _existing(paths)
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
            _build_everything(sources, FORMAT_NAMES, out, jobs, False, False, site=True, wait=True)
        except SopdocError as exc:
            click.echo(f"sopdoc: {exc}", err=True)
        except Exception:
            click.echo("sopdoc: kesalahan internal saat membangun (bug di sopdoc); situs terakhir tetap "
                       f"tersaji. Rincian tersimpan di {_save_log(traceback.format_exc())}", err=True)

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


def format_summary(project: Project) -> str:
    lines = []
    for entry in project.offices:
        office = entry.office
        lines.append(f"{office.nama} ({office.slug}): {len(entry.sops)} SOP")
        for sop in entry.sops:
            attached = f" [Lampiran {sop.lampiran.nomor}]" if sop.lampiran else ""
            lines.append(f"  {sop.nomor}  {sop.nama}{attached}")
            lines.append(f"      {len(sop.langkah)} langkah, total waktu {sop.total_waktu}")
    lines.append(f"{len(project.offices)} instansi, {len(project.sops)} SOP")
    return "\n".join(lines)


@cli.command()
@click.argument("office")
@click.argument("slug")
@click.option("--nama", required=True, help='Nama SOP, mis. "Layanan Kartu Keluarga".')
@click.option("--sources", type=click.Path(path_type=Path), default=DEFAULT_SOURCES, show_default=True,
              help="Folder sumber.")
@click.option("--tanggal", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Tanggal pembuatan dan efektif (TTTT-BB-HH); bawaan: hari ini.")
def new(office: str, slug: str, nama: str, sources: Path, tanggal) -> None:
    """Buat kerangka SOP baru: sop_sources/OFFICE/SLUG.yml.

    OFFICE adalah folder instansi (mis. kecamatan-jenawi; dibuat bila belum ada),
    SLUG nama berkas SOP (mis. layanan-ktp). Berkas yang sudah ada tidak ditimpa.
    """
    today = tanggal.date() if tanggal else _dt.date.today()
    for path in new_sop(sources, office, slug, nama, today):
        click.echo(f"dibuat: {path}")
    click.echo(f"Ganti setiap TODO, lalu jalankan: sopdoc check {sources / office}")


@cli.command()
@click.argument("kind", type=click.Choice(["sop", "instansi"]), default="sop")
@click.option("--write", "write_to", type=click.Path(path_type=Path), default=None,
              help="Tulis kedua skema ke folder ini (mis. sop_sources) alih-alih mencetak.")
def schema(kind: str, write_to: Path | None) -> None:
    """Cetak JSON Schema format sumber, untuk pelengkapan otomatis di editor."""
    if write_to is not None:
        for path in write_schemas(write_to):
            click.echo(f"ditulis: {path}")
        return
    click.echo(schema_text(kind), nl=False)


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path}: {what} tidak dapat dibaca ({exc.strerror})") from None


@cli.command()
@click.argument("pdf", type=click.Path(path_type=Path), metavar="IN.pdf")
@click.option("--p12", "p12", type=click.Path(path_type=Path), required=True,
              help="Sertifikat dan kunci penanda tangan (PKCS#12, .p12/.pfx).")
@click.option("--password-env", default=None, metavar="VAR",
              help="Nama variabel lingkungan yang berisi kata sandi .p12 (bukan kata sandinya).")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="PDF hasil (bawaan: IN-ttd.pdf di samping IN.pdf).")
@click.option("--tsa-url", default=None, metavar="URL", help="Server cap waktu (PAdES B-T).")
def sign(pdf: Path, p12: Path, password_env: str | None, out: Path | None, tsa_url: str | None) -> None:
    """Tandatangani lampiran atau keputusan secara elektronik (PAdES).

    Tanda tangan tampak di kotak "Disahkan oleh" (lampiran) atau di atas nama camat
    (keputusan), dengan kode QR alamat publik dokumen.
    """
    import os

    from sopdoc.fileio import write_atomic
    from sopdoc.sign.pades import sign_pdf
    from sopdoc.build.outputs import signed_copy_path

    password = None
    if password_env:
        if password_env not in os.environ:
            raise UserError(f"variabel lingkungan {password_env} tidak ada")
        password = os.environ[password_env].encode("utf-8")
    target = out or signed_copy_path(pdf)
    if target.is_dir():
        raise UserError(f"--out {target} adalah folder; beri nama berkas PDF, mis. {target / signed_copy_path(pdf).name}",
                        exit_code=2)
    if not target.parent.is_dir():
        raise UserError(f"folder {target.parent} tidak ada", exit_code=2)
    signed = sign_pdf(_read(pdf, "PDF"), _read(p12, "berkas .p12"), password, tsa_url=tsa_url)
    write_atomic(target, signed)
    click.echo(f"ditandatangani: {target}")


@cli.command()
@click.argument("pdf", type=click.Path(path_type=Path), metavar="FILE.pdf")
@click.option("--trust", "trust", type=click.Path(path_type=Path), default=None, metavar="CA.pem",
              help="Sertifikat induk (PEM) yang dipercaya.")
def verify(pdf: Path, trust: Path | None) -> None:
    """Periksa tanda tangan elektronik sebuah PDF.

    Keluar 0 hanya bila dokumen utuh dan tidak berubah sejak ditandatangani (dan penanda
    tangannya dipercaya, bila --trust diberikan).
    """
    from cryptography import x509

    from sopdoc.sign.pades import verify_pdf

    anchors = None
    if trust is not None:
        try:
            anchors = x509.load_pem_x509_certificates(_read(trust, "sertifikat"))
        except ValueError:
            raise UserError(f"{trust}: bukan sertifikat PEM") from None
    reports = verify_pdf(_read(pdf, "PDF"), anchors)
    for report in reports:
        when = report.signed_at.strftime("%Y-%m-%d %H:%M:%S %Z") if report.signed_at else "tidak diketahui"
        click.echo(f"tanda tangan {report.field}")
        click.echo(f"  penanda tangan : {report.signer}")
        click.echo(f"  waktu          : {when}")
        click.echo(f"  utuh           : {'ya' if report.intact else 'TIDAK: isi yang ditandatangani berubah'}")
        click.echo(f"  tidak berubah  : {'ya' if report.unchanged else 'TIDAK: dokumen diubah sesudah ditandatangani'}")
        later = f"; sesudahnya hanya ditambah tanda tangan {', '.join(report.later_signatures)}" \
            if report.later_signatures and report.unchanged else ""
        click.echo(f"  mencakup       : revisi {report.revision} dari {report.revisions}{later}")
        trusted = {None: "tidak diperiksa (beri --trust CA.pem)", True: "ya", False: "TIDAK"}[report.trusted]
        click.echo(f"  dipercaya      : {trusted}")
    if not all(report.ok for report in reports):
        sys.exit(1)


def main() -> None:
    cli(prog_name="sopdoc")
