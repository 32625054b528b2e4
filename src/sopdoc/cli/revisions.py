"""Command on revisions: diff."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from sopdoc.cli.common import UserError, cli, report
from sopdoc.diagnostics import Diagnostics

FORMATS = ("teks", "md", "pdf")
_COLOURS = {"title": {"bold": True}, "section": {"bold": True}, "heading": {"bold": True},
            "added": {"fg": "green"}, "removed": {"fg": "red"}}


class _IndonesianUsage(click.Command):
    """Click's own usage errors, said in Indonesian like the rest of the command."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.NoSuchOption as exc:
            raise UserError(f"pilihan '{exc.option_name}' tidak dikenal; lihat: sopdoc {self.name} --help",
                            exit_code=2) from None
        except click.BadOptionUsage as exc:
            raise UserError(f"pilihan '{exc.option_name}' memerlukan nilai; lihat: sopdoc {self.name} --help",
                            exit_code=2) from None
        except click.UsageError as exc:
            raise UserError(f"penggunaan salah ({exc.format_message()}); lihat: sopdoc {self.name} --help",
                            exit_code=2) from None


def _terminal_style():
    """Colours only for a person at a terminal: never escape codes into a pipe or a file."""
    if not sys.stdout.isatty() or os.environ.get("NO_COLOR"):
        return None
    return lambda role, text: click.style(text, **_COLOURS[role]) if role in _COLOURS else text


def _target(out: Path | None, default: Path | None) -> Path | None:
    target = out or default
    if target is None:
        return None
    if target.is_dir():
        raise UserError(f"--out {target} adalah folder; beri nama berkas, mis. {target / 'perubahan.pdf'}",
                        exit_code=2)
    if not target.parent.is_dir():
        raise UserError(f"folder {target.parent} tidak ada", exit_code=2)
    return target


@cli.command(cls=_IndonesianUsage)
@click.argument("files", nargs=-1, type=click.Path(path_type=Path), metavar="[LAMA.yml] BARU.yml")
@click.option("--sejak", "revision", default=None, metavar="REV",
              help="Dengan satu berkas: bandingkan dengan versinya di git pada revisi REV "
                   "(bawaan: HEAD, commit terakhir; mis. HEAD~1, nama cabang, hash).")
@click.option("--format", "output_format", default="teks", metavar="teks|md|pdf",
              help="teks (terminal, bawaan), md (Markdown untuk merge request atau surel), "
                   "pdf (lembar Daftar Perubahan SOP untuk rapat).")
@click.option("--out", type=click.Path(path_type=Path), default=None, metavar="BERKAS",
              help="Tulis ke berkas ini (bawaan pdf: <slug>-perubahan.pdf di folder ini; teks dan md: layar).")
def diff(files: tuple[Path, ...], revision: str | None, output_format: str, out: Path | None) -> None:
    """Tampilkan apa yang berubah di antara dua versi sebuah SOP.

    \b
    sopdoc diff LAMA.yml BARU.yml      dua berkas (LAMA boleh salinan di mana saja)
    sopdoc diff BERKAS [--sejak REV]   versi di git pada REV (bawaan HEAD) dengan versi sekarang

    Kedua versi diperiksa terhadap instansi.yml di folder instansi berkasnya. Langkah yang
    disisipkan, dihapus atau dipindah dilaporkan sekali; langkah lain hanya bila isinya berubah.

    Kode keluar: 0 tidak ada perubahan, 1 ada perubahan, 2 salah pakai atau versi tidak valid.
    """
    from sopdoc.revisions.compare import compare
    from sopdoc.revisions.history import DEFAULT_REVISION, from_files, from_git, load_version
    from sopdoc.revisions.report import format_markdown, format_text, plain

    if output_format not in FORMATS:
        raise UserError(f"format '{output_format}' tidak dikenal; pilihan: {', '.join(FORMATS)}", exit_code=2)
    if not files or len(files) > 2:
        raise UserError("beri satu berkas SOP (dibandingkan dengan versinya di git) atau dua berkas: "
                        "sopdoc diff LAMA.yml BARU.yml", exit_code=2)
    if len(files) == 2 and revision is not None:
        raise UserError("--sejak hanya untuk satu berkas (versi lamanya dibaca dari git)", exit_code=2)
    if len(files) == 2:
        old, new, home = from_files(*files)
    else:
        old, new, home = from_git(files[0], revision or DEFAULT_REVISION)
    target = _target(out, Path(f"{home.stem}-perubahan.pdf") if output_format == "pdf" else None)

    loaded = [load_version(version, home) for version in (old, new)]
    invalid = [entry for entry in loaded if entry.sop is None]
    for entry in invalid:  # only what makes it invalid: its warnings are not this command's business
        errors = Diagnostics()
        for diagnostic in entry.diagnostics:
            if diagnostic.is_error:
                errors.add(diagnostic)
        report(errors, strict=False, err=True)
    if invalid:
        names = " dan ".join(entry.version.label for entry in invalid)
        raise UserError(f"{names} tidak valid, jadi tidak dapat dibandingkan; perbaiki dahulu", exit_code=2)

    changes = compare(loaded[0].sop, loaded[1].sop, old.label, new.label)
    if output_format == "pdf":
        from sopdoc.render.pdf.changes import render_changes_pdf
        from sopdoc.render.pdf.writer import EmbeddedSource
        from sopdoc.fileio import write_atomic

        # The sheet carries both versions it compares, as the lampiran carry their sources
        embedded = (EmbeddedSource(f"lama-{home.name}", old.data, f"Versi lama: {old.label}"),
                    EmbeddedSource(f"baru-{home.name}", new.data, f"Versi baru: {new.label}"))
        write_atomic(target, render_changes_pdf(changes, embedded))
        click.echo(f"ditulis: {target}")
    elif output_format == "md":
        _emit(format_markdown(changes), target)
    else:
        _emit(format_text(changes, (_terminal_style() if target is None else None) or plain), target)
    sys.exit(0 if changes.empty else 1)


def _emit(text: str, target: Path | None) -> None:
    if target is None:
        click.echo(text, nl=False)
        return
    from sopdoc.fileio import write_atomic

    write_atomic(target, text)
    click.echo(f"ditulis: {target}")
