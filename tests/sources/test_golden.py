"""Golden transcripts of text outputs.

To update after an intended change: `SOPDOC_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests`, then
review `git diff tests/golden` by eye before committing.
"""

from __future__ import annotations

from click.testing import CliRunner

from conftest import TEST_ROOTS, assert_golden

from sopdoc.cli import cli


def test_twenty_mistakes_give_twenty_located_diagnostics(monkeypatch):
    monkeypatch.chdir(TEST_ROOTS / "twenty-mistakes")
    result = CliRunner().invoke(cli, ["check", "sop_sources"])
    assert result.exit_code == 1
    assert result.stderr == ""
    lines = [line for line in result.stdout.splitlines() if not line.startswith("    saran: ")]
    # twenty mistakes, one of them (a duplicate SOP nomor) said in both files that share it
    assert len(lines) == 22 and lines[-1] == "21 galat, 0 peringatan"
    assert all(": galat: " in line for line in lines[:-1])
    assert_golden("twenty-mistakes.txt", result.stdout)
