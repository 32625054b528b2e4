"""What every command shares: the group, user errors, loading and reporting sources."""

from __future__ import annotations

import tempfile
import traceback
from pathlib import Path

import click

from sopdoc import __version__
from sopdoc.diagnostics import Diagnostics, count_line
from sopdoc.errors import SopdocError
from sopdoc.model import Project
from sopdoc.sources.loader import load_project

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
            log = save_log(traceback.format_exc())
            raise UserError(
                f"kesalahan internal (bug di sopdoc, bukan di berkas Anda); rincian tersimpan di {log}. "
                "Jalankan ulang dengan --traceback untuk melihatnya."
            ) from None


def save_log(text: str) -> str:
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


def existing(paths: tuple[Path, ...]) -> list[Path]:
    paths = paths or (DEFAULT_SOURCES,)
    for path in paths:
        if not path.exists():
            raise UserError(f"'{path}' tidak ditemukan", exit_code=2)
    return list(paths)


def load(paths: list[Path], cache_file: Path | None = None) -> tuple[Project, Diagnostics]:
    """The sources checked, and checked against the outputs they would become."""
    from sopdoc.build.outputs import name_conflicts

    project, diagnostics = load_project(paths, cache_file=cache_file)
    diagnostics.extend(name_conflicts(project))
    return project, diagnostics


def report(diagnostics: Diagnostics, strict: bool, err: bool) -> bool:
    """Print the diagnostics and their count; True when the run must fail."""
    for diagnostic in diagnostics:
        click.echo(diagnostic.format(), err=err)
    errors, warnings = diagnostics.error_count, diagnostics.warning_count
    if errors or warnings or not err:
        click.echo(count_line(errors, warnings), err=err)
    return bool(errors or (strict and warnings))


strict_option = click.option("--strict", is_flag=True, help="Perlakukan peringatan sebagai galat.")
paths_argument = click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[PATH]...")


def read_file(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path}: {what} tidak dapat dibaca ({exc.strerror})") from None
