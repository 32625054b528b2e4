"""Commands on the sources: check, summary, new, schema."""

from __future__ import annotations

import datetime as _dt
import sys
from pathlib import Path

import click

from sopdoc.cli.common import DEFAULT_SOURCES, cli, existing, load, paths_argument, report, strict_option
from sopdoc.model import Project
from sopdoc.sources.scaffold import new_sop, schema_text, write_schemas


@cli.command()
@paths_argument
@strict_option
def check(paths: tuple[Path, ...], strict: bool) -> None:
    """Periksa sumber SOP dan laporkan setiap masalah dengan berkas:baris:kolom.

    PATH dapat berupa folder sumber (bawaan: sop_sources/), folder satu instansi, atau
    satu berkas SOP.
    """
    _, diagnostics = load(existing(paths))
    if report(diagnostics, strict, err=False):
        sys.exit(1)


@cli.command()
@paths_argument
@strict_option
def summary(paths: tuple[Path, ...], strict: bool) -> None:
    """Periksa sumber, lalu cetak daftar instansi dan SOP dengan total waktunya."""
    project, diagnostics = load(existing(paths))
    if report(diagnostics, strict, err=True):
        sys.exit(1)
    click.echo(format_summary(project))



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
