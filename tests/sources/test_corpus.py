"""The corpus: the tests' copy of the real SOPs of three offices (tests/roots/corpus) passes
`check` and summarises as expected; the project's own sop_sources/, whatever a clerk keeps there,
is valid."""

from __future__ import annotations

import jsonschema
import json
import yaml

from click.testing import CliRunner

from conftest import CORPUS, ROOT, SOURCES

from sopdoc.cli import cli
from sopdoc.sources.loader import load_project
from sopdoc.model import Symbol
from sopdoc.sources.scaffold import SCHEMA_FILES, schema_text


def test_the_sources_a_clerk_keeps_are_valid():
    """The one test that reads sop_sources/: no exact contents, only that `check` passes."""
    project, diagnostics = load_project([SOURCES])
    assert [d.format() for d in diagnostics if d.is_error] == []
    assert project.sops


def test_committed_schemas_are_current():
    for name in SCHEMA_FILES:
        committed = (SOURCES / name).read_text(encoding="utf-8")
        assert committed == schema_text(name.split(".")[0]), f"run: sopdoc schema --write sop_sources ({name})"


def test_no_other_test_reads_the_clerks_sources():
    offenders = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        if path.name in ("conftest.py", "test_corpus.py"):
            continue
        text = path.read_text(encoding="utf-8")
        if "SOURCES" in text.replace("TEST_SOURCES", "") or 'ROOT / "sop_sources"' in text:
            offenders.append(path.name)
    assert offenders == []


def test_corpus_has_no_errors():
    project, diagnostics = load_project([CORPUS])
    assert [d.format() for d in diagnostics if d.is_error] == []
    offices = {entry.office.slug: len(entry.sops) for entry in project.offices}
    assert offices == {"kecamatan-jenawi": 1, "kecamatan-jumapolo": 6, "kecamatan-kebakkramat": 1}


def test_corpus_summary_counts_offices_and_sops():
    result = CliRunner().invoke(cli, ["summary", str(CORPUS)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "3 instansi, 8 SOP"
    assert result.stdout.count("total waktu") == 8


def test_corpus_models_the_documented_decisions():
    project, _ = load_project([CORPUS])
    by_office = {entry.office.slug: entry.sops for entry in project.offices}
    (jenawi,) = by_office["kecamatan-jenawi"]
    classify = jenawi.langkah[2]
    assert classify.symbol is Symbol.DECISION
    assert [(edge.label, edge.target) for edge in classify.edges] == [("Ya", 7), ("Tidak", 4)]
    assert jenawi.lampiran.nomor == "VIII"
    assert jenawi.disahkan_oleh.nip_grouped == "19790709 199810 1 002"
    numerals = sorted((sop.nomor, sop.lampiran.nomor) for sop in by_office["kecamatan-jumapolo"])
    assert [numeral for _, numeral in numerals] == ["I", "II", "III", "IV", "V", "VI"]


def test_corpus_files_match_the_published_json_schema():
    schemas = {name: json.loads((SOURCES / f"{name}.schema.json").read_text()) for name in ("sop", "instansi")}
    for path in sorted(CORPUS.glob("*/*.yml")):
        text = path.read_text(encoding="utf-8")
        # JSON has no date type: editors see dates as strings
        data = json.loads(json.dumps(yaml.safe_load(text), default=str))
        kind = "instansi" if path.name == "instansi.yml" else "sop"
        jsonschema.validate(data, schemas[kind])
        assert text.startswith(f"# yaml-language-server: $schema=../{kind}.schema.json\n"), path
