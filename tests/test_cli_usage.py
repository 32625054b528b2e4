"""Click's own words in Indonesian: usage errors of every command (exit 2, the usage line, where to
look, what is wrong, no traceback) and the help's headings."""

from __future__ import annotations

import pytest

from conftest import office_tree

from sopdoc.cli import cli

COMMANDS = sorted(cli.commands)
ENGLISH = ("Usage:", "Options:", "Commands:", "Error", "Try '", "Traceback", "Show this message", "No such",
           "Missing", "Invalid value", "[default:", "[required]", "does not", "is not", "requires")


def usage_error(result, command: str, message: str) -> None:
    """The whole of what the clerk sees: the usage line, where to look, then what is wrong."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"Penggunaan: {command} "), lines
    assert lines[1:] == [f"Lihat '{command} --help'.", "", f"sopdoc: {message}"], lines


@pytest.mark.parametrize("args, command, message", [
    (["bulid"], "sopdoc", "perintah 'bulid' tidak ada; maksud Anda 'build'?"),
    (["chek", "sop_sources"], "sopdoc", "perintah 'chek' tidak ada; maksud Anda 'check'?"),
    (["s"], "sopdoc", "perintah 's' tidak ada; maksud Anda 'schema', 'serve', 'sign' atau 'summary'?"),
    (["periksa"], "sopdoc", "perintah 'periksa' tidak ada; perintah yang ada: build, check, diff, new, schema, "
                            "serve, sign, summary, token, verify"),
    (["--fomat"], "sopdoc", "opsi --fomat tidak dikenal"),
    (["--traceback"], "sopdoc", "perintah belum diberikan"),
    (["build", "--fomat", "pdf"], "sopdoc build", "opsi --fomat tidak dikenal; maksud Anda --format?"),
    (["build", "--no-sit"], "sopdoc build", "opsi --no-sit tidak dikenal; maksud Anda --no-site?"),
    (["build", "--out"], "sopdoc build", "opsi --out memerlukan nilai"),
    (["build", "--jobs", "0"], "sopdoc build", "nilai --jobs tidak valid: 0 di luar rentang 1–64"),
    (["build", "-j", "banyak"], "sopdoc build", "nilai --jobs tidak valid: 'banyak' bukan bilangan bulat"),
    (["build", "--format", "pdf,odt"], "sopdoc build",
     "nilai --format tidak valid: format tidak dikenal: odt; pilihan: pdf, docx, svg"),
    (["check", "--strict=ya"], "sopdoc check", "opsi --strict tidak menerima nilai (tulis --strict saja)"),
    (["check", "--force"], "sopdoc check", "opsi --force tidak dikenal"),
    (["new"], "sopdoc new", "argumen OFFICE wajib diberikan"),
    (["new", "kecamatan-uji"], "sopdoc new", "argumen SLUG wajib diberikan"),
    (["new", "kecamatan-uji", "layanan-baru"], "sopdoc new", "opsi --nama wajib diberikan"),
    (["new", "kecamatan-uji", "layanan-baru", "--nama", "Layanan Baru", "--tanggal", "1-3-2024"], "sopdoc new",
     "nilai --tanggal tidak valid: '1-3-2024' bukan tanggal dalam bentuk TTTT-BB-HH (mis. 2024-01-02)"),
    (["new", "kecamatan-uji", "layanan-baru", "lagi", "--nama", "x"], "sopdoc new",
     "argumen berlebih: lagi (perintah ini tidak menerimanya)"),
    (["schema", "keputusan"], "sopdoc schema",
     "argumen [sop|instansi] tidak valid: 'keputusan' bukan pilihan yang ada; pilihan: sop, instansi"),
    (["schema", "sop", "instansi"], "sopdoc schema", "argumen berlebih: instansi (perintah ini tidak menerimanya)"),
    (["serve", "--port", "99999"], "sopdoc serve", "nilai --port tidak valid: 99999 di luar rentang 0–65535"),
    (["sign"], "sopdoc sign", "argumen IN.pdf wajib diberikan"),
    (["sign", "a.pdf", "--slot", "satu"], "sopdoc sign", "nilai --slot tidak valid: 'satu' bukan bilangan bulat"),
    (["verify"], "sopdoc verify", "argumen FILE.pdf wajib diberikan"),
    (["verify", "a.pdf", "--trust"], "sopdoc verify", "opsi --trust memerlukan nilai"),
    (["summary", "--strict", "x", "--stric"], "sopdoc summary", "opsi --stric tidak dikenal; maksud Anda --strict?"),
    (["token", "lagi"], "sopdoc token", "argumen berlebih: lagi (perintah ini tidak menerimanya)"),
])
def test_usage_errors_in_indonesian(run, tmp_path, args, command, message):
    office_tree(tmp_path)
    usage_error(run(*args), command, message)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_refuses_an_unknown_option_in_indonesian(run, command):
    result = run(command, "--tidak-ada")
    assert result.exit_code == 2, result.output
    assert "--tidak-ada' tidak dikenal" in result.stderr or "opsi --tidak-ada tidak dikenal" in result.stderr
    assert not any(word in result.output for word in ENGLISH), result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_every_help_speaks_indonesian(run, command):
    result = run(command, "--help")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Penggunaan: sopdoc {command} [OPSI]")
    assert "\nOpsi:\n" in result.output
    assert "-h, --help" in result.output and "Tampilkan pesan ini lalu keluar." in result.output
    assert not any(word in result.output for word in ENGLISH), result.output


def test_the_group_help_speaks_indonesian(run):
    result = run("--help")
    assert result.exit_code == 0
    assert result.output.startswith("Penggunaan: sopdoc [OPSI] PERINTAH [ARG]...\n")
    for line in ("Opsi:", "Perintah:", "  --version    Tampilkan versi lalu keluar.",
                 "  -h, --help   Tampilkan pesan ini lalu keluar."):
        assert line in result.output.splitlines()
    assert not any(word in result.output for word in ENGLISH), result.output


def test_defaults_required_and_types_in_the_help(run):
    build = " ".join(run("build", "--help").output.split())  # as wrapped at any width
    assert "--format TEKS" in build and "[bawaan: pdf,docx,svg]" in build and "--out PATH" in build
    assert "-j, --jobs BILANGAN" in build and "[bawaan: build]" in build
    new = " ".join(run("new", "--help").output.split())
    assert "--nama TEKS" in new and "[wajib]" in new and "--tanggal TTTT-BB-HH" in new


def test_without_a_command_the_help_is_shown(run):
    result = run()
    assert result.exit_code == 2
    assert result.output.startswith("Penggunaan: sopdoc [OPSI] PERINTAH [ARG]...\n")
    assert not any(word in result.output for word in ENGLISH), result.output


def test_a_prompt_cut_short_is_cancelled_in_indonesian(run, tmp_path, monkeypatch):
    import click

    from sopdoc.cli import sources

    def cut_short(*args, **kwargs):
        raise click.exceptions.Abort()

    monkeypatch.setattr(sources, "load", cut_short)
    office_tree(tmp_path)
    result = run("check")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "\nsopdoc: dibatalkan\n"
