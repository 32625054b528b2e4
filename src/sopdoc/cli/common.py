"""What every command shares: the group, user errors, loading and reporting sources."""

from __future__ import annotations

import re
import tempfile
import traceback
from pathlib import Path

import click

from sopdoc import __version__
from sopdoc.diagnostics import Diagnostics, count_line
from sopdoc.errors import SopdocError
from sopdoc.model import Project
from sopdoc.sources.loader import load_project
from sopdoc.sources.suggest import one_of, suggestions

DEFAULT_OUT = Path("build")
DEFAULT_SOURCES = Path("sop_sources")


class UserError(click.ClickException):
    """Shown as 'sopdoc: <message>' with no traceback."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file=None) -> None:
        click.echo(f"sopdoc: {self.message}", err=True)


# ---------------------------------------------------------------- click, in Indonesian
#
# Click writes its own words (the help's headings, its usage errors) in English, through gettext
# with no catalog. The help passes through one HelpFormatter, set on every command's context; the
# usage errors are raised as exceptions that carry what went wrong (the option, the parameter,
# the command), caught at the group and said again in Indonesian from that. Only the reasons of
# click's own value types (a number out of range, a date in another format) exist as text alone:
# they are matched against click's message templates; a template that changed shows as it is.

_HEADINGS = {"Options": "Opsi", "Commands": "Perintah", "Positional arguments": "Argumen", "Arguments": "Argumen"}
_CLICK_HELP = {"Show this message and exit.": "Tampilkan pesan ini lalu keluar.",
               "Show the version and exit.": "Tampilkan versi lalu keluar."}
_EXTRAS = (("default: ", "bawaan: "), ("env var: ", "variabel lingkungan: "), ("required", "wajib"))
_METAVARS = {"INTEGER RANGE": "BILANGAN", "FLOAT RANGE": "ANGKA", "INTEGER": "BILANGAN", "FLOAT": "ANGKA",
             "TEXT": "TEKS", "BOOLEAN": "YA/TIDAK", "FILENAME": "BERKAS", "DIRECTORY": "FOLDER",
             "[%Y-%m-%d]": "TTTT-BB-HH"}
_EXTRAS_RE = re.compile(r"(^|  )\[([^\[\]]+)\]$")


class IndonesianHelpFormatter(click.HelpFormatter):
    """Click's help, with click's own words in Indonesian: Penggunaan, Opsi, Perintah, bawaan."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "Penggunaan: " if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(_HEADINGS.get(heading, heading))

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        super().write_dl([(_term(term), _help_text(text)) for term, text in rows], col_max, col_spacing)


def _term(term: str) -> str:
    for english, indonesian in _METAVARS.items():
        if term.endswith(" " + english):
            return term[: -len(english)] + indonesian
    return term


def _help_text(text: str) -> str:
    """An option's help: click's own sentences and its '[default: x; required]' in Indonesian."""
    text = _CLICK_HELP.get(text, text)
    extras = _EXTRAS_RE.search(text)
    if not extras:
        return text
    items = []
    for item in extras.group(2).split("; "):
        for english, indonesian in _EXTRAS:
            if item.startswith(english):
                item = indonesian + item[len(english):]
                break
        items.append(item)
    return text[:extras.start(2)] + "; ".join(items) + "]"


class IndonesianContext(click.Context):
    formatter_class = IndonesianHelpFormatter


class UsageProblem(click.UsageError):
    """A usage error said in Indonesian: the usage line, where to look, then what is wrong."""

    def show(self, file=None) -> None:
        if self.ctx is not None:
            click.echo(self.ctx.get_usage(), err=True)
            click.echo(f"Lihat '{self.ctx.command_path} --help'.\n", err=True)
        click.echo(f"sopdoc: {self.message}", err=True)


def _param_name(param: click.Parameter | None, ctx: click.Context | None) -> str:
    if isinstance(param, click.Option):
        return max(param.opts, key=len)
    if param is not None:
        return param.make_metavar(ctx) if ctx is not None else param.human_readable_name
    return "nilai"


_PATH_PROBLEMS = {"does not exist": "tidak ada", "is a file": "adalah berkas, bukan folder",
                  "is a directory": "adalah folder, bukan berkas", "is not readable": "tidak dapat dibaca",
                  "is not writable": "tidak dapat ditulisi", "is not executable": "tidak dapat dijalankan"}
_PATH_NAMES = {"file": "berkas", "directory": "folder", "path": "path"}


def _value_reason(message: str, param: click.Parameter | None) -> str:
    """Why click's own value types refused a value, from their message templates."""
    kind = param.type if param is not None else None
    if match := re.match(r"^(.+) is not a valid (integer|float|integer range|float range)\.$", message):
        return f"{match.group(1)} bukan {'bilangan bulat' if 'integer' in match.group(2) else 'angka'}"
    if match := re.match(r"^(.+) is not in the range (.+)\.$", message):
        closed = isinstance(kind, click.IntRange) and None not in (kind.min, kind.max) and not (
            kind.min_open or kind.max_open)
        return f"{match.group(1)} di luar rentang " + (f"{kind.min}–{kind.max}" if closed else match.group(2))
    if isinstance(kind, click.Choice) and (match := re.match(r"^(.+?) is not (one of )?.+\.$", message)):
        return f"{match.group(1)} bukan pilihan yang ada; pilihan: " + ", ".join(map(str, kind.choices))
    if isinstance(kind, click.DateTime) and (match := re.match(r"^(.+?) does not match the formats? ", message)):
        formats = ", ".join(kind.formats).replace("%Y-%m-%d", "TTTT-BB-HH")
        return f"{match.group(1)} bukan tanggal dalam bentuk {formats} (mis. 2024-01-02)"
    if match := re.match(r"^(File|Directory|Path|file|directory|path) (.+?) (" + "|".join(_PATH_PROBLEMS) + r")\.$",
                         message):
        return f"{_PATH_NAMES[match.group(1).lower()]} {match.group(2)} {_PATH_PROBLEMS[match.group(3)]}"
    return message  # already Indonesian (sopdoc's own), or a template this click does not have


def _options_of(ctx: click.Context | None) -> list[str]:
    if ctx is None:
        return []
    return [name for param in ctx.command.get_params(ctx) if isinstance(param, click.Option)
            for name in (*param.opts, *param.secondary_opts)]


def usage_message(exc: click.UsageError, ctx: click.Context | None) -> str:
    """What a click usage error says, in Indonesian, from what the exception carries."""
    if isinstance(exc, click.NoSuchCommand):
        group = ctx.command if ctx is not None else None
        names = [name for name in group.list_commands(ctx) if not group.get_command(ctx, name).hidden] \
            if isinstance(group, click.Group) else []
        found = suggestions(exc.command_name, names)
        return f"perintah '{exc.command_name}' tidak ada; " + (
            f"maksud Anda {one_of(found)}?" if found else "perintah yang ada: " + ", ".join(names))
    if isinstance(exc, click.NoSuchOption):
        found = suggestions(exc.option_name, _options_of(ctx))
        return f"opsi {exc.option_name} tidak dikenal" + (f"; maksud Anda {one_of(found, quote='')}?" if found else "")
    if isinstance(exc, click.BadOptionUsage):
        if "does not take a value" in exc.message:
            return f"opsi {exc.option_name} tidak menerima nilai (tulis {exc.option_name} saja)"
        count = re.search(r"requires (\d+) arguments", exc.message)
        return f"opsi {exc.option_name} memerlukan {count.group(1) + ' ' if count else ''}nilai"
    if isinstance(exc, click.BadArgumentUsage) and (match := re.match(r"^Argument (.+) takes (\d+) values\.$",
                                                                          exc.message)):
        return f"argumen {match.group(1).strip(chr(39))} memerlukan {match.group(2)} nilai"
    if isinstance(exc, click.MissingParameter):
        param = exc.param
        kind = exc.param_type or (param.param_type_name if param is not None else "parameter")
        word = {"argument": "argumen", "option": "opsi"}.get(kind, "parameter")
        choices = (f"; pilihan: {', '.join(map(str, param.type.choices))}"
                   if param is not None and isinstance(param.type, click.Choice) else "")
        return f"{word} {_param_name(param, ctx)} wajib diberikan{choices}"
    if isinstance(exc, click.BadParameter):
        if exc.param_hint is not None:
            name = exc.param_hint if isinstance(exc.param_hint, str) else " / ".join(exc.param_hint)
        else:
            name = _param_name(exc.param, ctx)
        what = "argumen" if isinstance(exc.param, click.Argument) else "nilai"
        return f"{what} {name} tidak valid: {_value_reason(exc.message, exc.param)}"
    if match := re.match(r"^Got unexpected extra arguments? \((.*)\)$", exc.message):
        return f"argumen berlebih: {match.group(1)} (perintah ini tidak menerimanya)"
    if exc.message == "Missing command.":
        return "perintah belum diberikan"
    return exc.message


def _in_indonesian(exc: click.UsageError, ctx: click.Context) -> UsageProblem:
    where = exc.ctx or ctx
    return UsageProblem(usage_message(exc, where), where)


def _adopt(command: click.Command) -> None:
    """A command of the group speaks like the group, whichever class it was made with."""
    if command.context_class is click.Context:
        command.context_class = IndonesianContext
    if command.options_metavar == "[OPTIONS]":
        command.options_metavar = "[OPSI]"


class SopdocGroup(click.Group):
    context_class = IndonesianContext

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("options_metavar", "[OPSI]")
        kwargs.setdefault("subcommand_metavar", "PERINTAH [ARG]...")
        super().__init__(*args, **kwargs)

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        _adopt(cmd)
        super().add_command(cmd, name)

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except (UsageProblem, click.exceptions.NoArgsIsHelpError):
            raise
        except click.UsageError as exc:  # the group's own options: sopdoc --fomat
            raise _in_indonesian(exc, self.context_class(self, info_name=info_name, parent=parent)) from None

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except SopdocError as exc:
            raise UserError(str(exc), exc.exit_code) from None
        except (UsageProblem, click.exceptions.NoArgsIsHelpError):
            raise
        except click.UsageError as exc:  # a command's arguments and options, or a value it refused
            raise _in_indonesian(exc, self._invoked_context(ctx)) from None
        except (click.exceptions.Abort, KeyboardInterrupt):  # Ctrl+C, also at a password prompt
            click.echo(err=True)
            raise UserError("dibatalkan") from None
        except (click.ClickException, click.exceptions.Exit):
            raise
        except Exception:
            if ctx.params.get("show_traceback"):
                raise
            log = save_log(traceback.format_exc())
            raise UserError(
                f"kesalahan internal (bug di sopdoc, bukan di berkas Anda); rincian tersimpan di {log}. "
                "Jalankan ulang dengan --traceback untuk melihatnya."
            ) from None


    def _invoked_context(self, ctx: click.Context) -> click.Context:
        """The context of the command being invoked, for its usage line; the group's own when
        the error came before the command was known."""
        command = self.get_command(ctx, ctx.invoked_subcommand) if ctx.invoked_subcommand else None
        if command is None:
            return ctx
        return command.context_class(command, info_name=ctx.invoked_subcommand, parent=ctx)


def save_log(text: str) -> str:
    """A traceback kept for a bug report, out of the clerk's way."""
    with tempfile.NamedTemporaryFile("w", prefix="sopdoc-", suffix=".log", delete=False) as log:
        log.write(text)
    return log.name


@click.group(name="sopdoc", cls=SopdocGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="sopdoc", message="%(prog)s %(version)s",
                      help="Tampilkan versi lalu keluar.")
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


def report_lines(diagnostics: Diagnostics, err: bool) -> list[str]:
    """The diagnostics as printed, with their count (on stderr only when there are any)."""
    lines = [diagnostic.format() for diagnostic in diagnostics]
    errors, warnings = diagnostics.error_count, diagnostics.warning_count
    if errors or warnings or not err:
        lines.append(count_line(errors, warnings))
    return lines


def report(diagnostics: Diagnostics, strict: bool, err: bool, lines: list[str] | None = None) -> bool:
    """Print the diagnostics and their count (`lines`, when already made by report_lines); True
    when the run must fail."""
    for line in report_lines(diagnostics, err) if lines is None else lines:
        click.echo(line, err=err)
    return bool(diagnostics.error_count or (strict and diagnostics.warning_count))


strict_option = click.option("--strict", is_flag=True, help="Perlakukan peringatan sebagai galat.")
paths_argument = click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[PATH]...")


def read_file(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path}: {what} tidak dapat dibaca ({exc.strerror})") from None
