"""A real SOP, mutated at random, and BUILT by `sopdoc build` (not only checked): every run ends
either in all its documents (PDF, DOCX, SVG, and the decree's) or in located diagnostics or a
build failure that names the document, never in a traceback, an internal error, or
half-written output.

The mutations are what a clerk's editor does to a source: on its parsed structure (a key
deleted, a step duplicated or two swapped, a value of another type, an unknown pelaksana or more
columns, a branch to a step that is not there or to itself, `selesai: true` in the middle, empty, very long
and odd Unicode text, a `#` or a tab in a value) and on its text (cut at a line, a line inserted
with any indentation, a character inserted, a line deleted or doubled, another editor's line ends
or byte order mark). test_fuzz_build.py holds the hostile VALUES in an otherwise valid SOP; this
test breaks the SOP's shape. A failing example prints the mutations and the whole source.
"""

from __future__ import annotations

import copy
import functools
import os
import re
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import docx
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, event, example, given, note, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from conftest import CORPUS

from sopdoc.build.outputs import FORMAT_NAMES, decree_formats, decree_path, sop_path
from sopdoc.cli import cli
from sopdoc.model import decrees_with_members
from sopdoc.sources.loader import load_project

SOPS = sorted(path.relative_to(CORPUS).as_posix() for path in CORPUS.glob("*/*.yml") if path.name != "instansi.yml")
# `path:line:col: galat: message [SOPnnn]`, as Diagnostic.format() writes it
LOCATED = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): galat: .+ \[SOP\d{3}\]$", re.MULTILINE)
# A document that failed to build: `sopdoc: <office>/<name>: <why>`
FAILED_DOCUMENT = re.compile(r"^sopdoc: [\w.-]+/[\w.-]+: .+$", re.MULTILINE)

WORDS = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)  # any writable character
TEXTS = st.one_of(WORDS, st.sampled_from([
    "", " ", "kata " * 700, "x" * 3000,  # empty, blank, a few thousand characters (one long word)
    "\U0001f642\U0001f44d\U0001f3fd \U0001f468\u200d\U0001f469\u200d\U0001f467",  # emoji, ZWJ
    "\u0645\u0631\u062d\u0628\u0627 \u05e9\u05dc\u05d5\u05dd", "\u202eterbalik\u202c",  # RTL
    "e\u0301\u0302\u0303\u0304 \u0e01\u0e34\u0e4a",  # combining marks
    "a # bukan komentar", "#awal", "tab\tdi tengah", "\tawal tab", "baris\nbaru", "a: b", "- x",
]))
OTHER_TYPES = st.one_of(
    st.sampled_from([None, True, [], {}, ["teks", 1], {"kunci": "nilai"}, "teks", 0, -1, 3.5, 10**30]),
    st.lists(TEXTS, max_size=3), st.dictionaries(st.sampled_from(["a", "ya", "uraian", "1"]), TEXTS, max_size=2),
    st.integers(), st.floats(allow_nan=True), TEXTS,
)
RANDOM_LINES = st.one_of(WORDS, st.sampled_from([
    "uraian: Langkah sisipan", "- uraian: Langkah sisipan", "pelaksana: pemohon", "selesai: true",
    "keputusan: {ya: 1, tidak: 99}", "lanjut: 0", "langkah:", "langkah: []", "pelaksana: {}", "nama:",
    "? kunci", "- ", ":", "&jangkar x", "*jangkar", "<<: *jangkar", "!!binary AAAA", "!!python/object:os.system",
    "[", "{", "'tidak ditutup", '"\\x"', "%YAML 1.2", "---", "...", "# komentar", "\t- tab", "kunci: a: b",
]))


@dataclass(frozen=True)
class Mutant:
    sop: str  # the corpus SOP it started from, relative to tests/roots/corpus
    text: str  # the mutated source
    mutations: tuple[str, ...] = ()

    def __repr__(self) -> str:  # the falsifying example, readable
        return f"Mutant({self.sop!r}, mutations={self.mutations!r}, text=\n{self.text})"


# ---------------------------------------------------------------- mutations of the parsed structure

def _nodes(tree, prefix=()):
    """(path, value) of every node below the root."""
    items = tree.items() if isinstance(tree, dict) else enumerate(tree) if isinstance(tree, list) else ()
    for key, value in items:
        yield prefix + (key,), value
        yield from _nodes(value, prefix + (key,))


def _parent(tree, path):
    for part in path[:-1]:
        tree = tree[part]
    return tree


def _steps(tree) -> list | None:
    steps = tree.get("langkah")
    return steps if isinstance(steps, list) and steps else None


def delete_node(draw, tree):
    path = draw(st.sampled_from([path for path, _ in _nodes(tree)]))
    del _parent(tree, path)[path[-1]]
    return f"delete {path}"


def change_type(draw, tree):
    path = draw(st.sampled_from([path for path, _ in _nodes(tree)]))
    _parent(tree, path)[path[-1]] = value = draw(OTHER_TYPES)
    return f"{path} = {value!r:.60}"


def set_text(draw, tree):
    leaves = [path for path, value in _nodes(tree) if isinstance(value, str)]
    if not leaves:
        return "no text to change"
    path = draw(st.sampled_from(leaves))
    _parent(tree, path)[path[-1]] = value = draw(TEXTS)
    return f"{path} = {value!r:.60}"


def duplicate_step(draw, tree):
    steps = _steps(tree)
    if not steps:
        return "no steps to duplicate"
    source, target = draw(st.integers(0, len(steps) - 1)), draw(st.integers(0, len(steps)))
    aliased = draw(st.booleans())  # the same object twice is dumped as an anchor and its alias
    steps.insert(target, steps[source] if aliased else copy.deepcopy(steps[source]))
    return f"step {source + 1} duplicated at {target + 1}{' (an alias)' if aliased else ''}"


def swap_steps(draw, tree):
    steps = _steps(tree)
    if not steps or len(steps) < 2:
        return "no steps to swap"
    first, second = draw(st.lists(st.integers(0, len(steps) - 1), min_size=2, max_size=2, unique=True))
    steps[first], steps[second] = steps[second], steps[first]
    return f"steps {first + 1} and {second + 1} swapped"


def unknown_pelaksana(draw, tree):
    steps = _steps(tree)
    actors = tree.get("pelaksana")
    if draw(st.booleans()) and isinstance(actors, dict) and actors:  # rename a column: its steps lose it
        key = draw(st.sampled_from(sorted(actors, key=str)))
        actors[draw(st.sampled_from(["tidak_dikenal", "Pemohon", "", "1"]))] = actors.pop(key)
        return f"pelaksana {key!r} renamed"
    if not steps or not isinstance(step := steps[draw(st.integers(0, len(steps) - 1))], dict):
        return "no step to give an unknown pelaksana"
    step["pelaksana"] = value = draw(st.sampled_from(["tidak_dikenal", "PEMOHON", "", "pemohon ", "-"]))
    return f"a step's pelaksana = {value!r}"


def retarget_branch(draw, tree):
    steps = _steps(tree)
    if not steps:
        return "no step to branch from"
    index = draw(st.integers(0, len(steps) - 1))
    step, n = steps[index], len(steps)
    if not isinstance(step, dict):
        return "step is not a mapping"
    ids = [s["id"] for s in steps if isinstance(s, dict) and isinstance(s.get("id"), str)]
    target = draw(st.one_of(st.sampled_from([0, n + 1, index + 1, -1, "selesai", "tidak-ada", "", None, *ids]),
                            st.integers(1, n)))
    if draw(st.booleans()):
        step["lanjut"] = target
        return f"step {index + 1} lanjut: {target!r}"
    branches = step.setdefault("keputusan", {})
    if not isinstance(branches, dict):
        branches = step["keputusan"] = {}
    branches[draw(st.sampled_from(["ya", "tidak"]))] = target
    return f"step {index + 1} keputusan = {branches!r}"


def more_pelaksana(draw, tree):
    """New pelaksana columns, some steps moved into them: up to 20 more, past what any paper holds
    (then the loader refuses them, SOP121, at `pelaksana`)."""
    actors = tree.get("pelaksana")
    if not isinstance(actors, dict):
        return "no pelaksana to add to"
    added = [f"kolom_{index}" for index in range(draw(st.integers(1, 20)))]
    for key in added:
        actors[key] = draw(st.one_of(st.just(key.replace("_", " ").title()), TEXTS))
    for step in _steps(tree) or []:
        if isinstance(step, dict) and draw(st.booleans()):
            step["pelaksana"] = draw(st.sampled_from(added))
    return f"{len(added)} pelaksana added"


def end_in_the_middle(draw, tree):
    steps = _steps(tree)
    if not steps or len(steps) < 3 or not isinstance(step := steps[draw(st.integers(1, len(steps) - 2))], dict):
        return "no middle step"
    step["selesai"] = True
    return "selesai: true in the middle"


TREE_MUTATIONS = (delete_node, change_type, set_text, duplicate_step, swap_steps, unknown_pelaksana,
                  more_pelaksana, retarget_branch, end_in_the_middle)


# ---------------------------------------------------------------- mutations of the text

def _lines(text: str) -> list[str]:
    return text.split("\n")  # the last item is what follows the final newline ("" when it ends in one)


def truncate(draw, text):
    lines = _lines(text)
    at = draw(st.integers(0, len(lines) - 1))
    return "\n".join(lines[:at]) + ("\n" if at else ""), f"cut after line {at}"


def insert_line(draw, text):
    lines = _lines(text)
    at = draw(st.integers(0, len(lines) - 1))
    line = " " * draw(st.integers(0, 10)) + draw(RANDOM_LINES)
    return "\n".join(lines[:at] + [line] + lines[at:]), f"line {at + 1} inserted: {line!r}"


def insert_character(draw, text):
    lines = _lines(text)
    at = draw(st.integers(0, len(lines) - 1))
    col = draw(st.integers(0, len(lines[at])))
    char = draw(st.sampled_from(["#", " #", "\t", ":", '"', "'", "{", "[", "&", "*", "!", "|", ">", "%", "@", "`",
                                 "\r", "\u00a0", "\u200b", "\ufeff"]))
    lines[at] = lines[at][:col] + char + lines[at][col:]
    return "\n".join(lines), f"{char!r} inserted at line {at + 1} col {col + 1}"


def delete_line(draw, text):
    lines = _lines(text)
    at = draw(st.integers(0, len(lines) - 1))
    return "\n".join(lines[:at] + lines[at + 1:]), f"line {at + 1} deleted"


def duplicate_line(draw, text):
    lines = _lines(text)
    at = draw(st.integers(0, len(lines) - 1))
    return "\n".join(lines[:at + 1] + lines[at:]), f"line {at + 1} doubled"


def another_editor(draw, text):
    """What another editor saves: Windows or old Mac line ends, a byte order mark, no final newline."""
    change = draw(st.sampled_from(["crlf", "cr", "bom", "no final newline"]))
    text = {"crlf": lambda: text.replace("\n", "\r\n"), "cr": lambda: text.replace("\n", "\r"),
            "bom": lambda: "\ufeff" + text, "no final newline": lambda: text.rstrip("\n")}[change]()
    return text, change


TEXT_MUTATIONS = (truncate, insert_line, insert_character, delete_line, duplicate_line, another_editor)


@functools.cache
def _corpus_source(sop: str) -> tuple[str, object]:
    """The text of a corpus SOP and its parsed structure (parsed once: pure-Python YAML is slow)."""
    text = (CORPUS / sop).read_text(encoding="utf-8")
    return text, yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@st.composite
def mutants(draw) -> Mutant:
    """1 to 3 mutations of a corpus SOP: those of its structure first (then it is written out by
    PyYAML, without its comments), then those of its text."""
    sop = draw(st.sampled_from(SOPS))
    text, parsed = _corpus_source(sop)
    count = draw(st.sampled_from([1, 1, 2, 3]))  # one mutation half the time: more of them still build
    mutations = [draw(st.sampled_from(TREE_MUTATIONS + TEXT_MUTATIONS)) for _ in range(count)]
    done = []
    if tree_mutations := [mutation for mutation in mutations if mutation in TREE_MUTATIONS]:
        tree = copy.deepcopy(parsed)
        for mutation in tree_mutations:
            if not isinstance(tree, dict) or not tree:
                break
            done.append(mutation(draw, tree))
        text = yaml.dump(tree, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True,
                         sort_keys=False, width=100)
    for mutation in (mutation for mutation in mutations if mutation in TEXT_MUTATIONS):
        text, description = mutation(draw, text)
        done.append(description)
    return Mutant(sop, text, tuple(done))


# ---------------------------------------------------------------- the build and what it may end in

def build(folder: Path, mutant: Mutant):
    """The mutant beside its office's instansi.yml, built as a clerk builds it (one worker: here)."""
    office = folder / "sop_sources" / Path(mutant.sop).parent
    office.mkdir(parents=True)
    (office / "instansi.yml").write_bytes((CORPUS / Path(mutant.sop).parent / "instansi.yml").read_bytes())
    (office / Path(mutant.sop).name).write_text(mutant.text, encoding="utf-8")
    out = folder / "out"
    result = CliRunner().invoke(cli, ["build", str(folder / "sop_sources"), "--out", str(out), "--no-site",
                                      "--jobs", "1"], catch_exceptions=False)
    return office.parent, out, result


def assert_documents(sources: Path, out: Path) -> None:
    """Every SOP's documents and every decree's, each a whole document of its kind."""
    project, diagnostics = load_project([sources])
    assert not diagnostics.error_count
    expected = [sop_path(out, sop, fmt) for sop in project.sops for fmt in FORMAT_NAMES]
    expected += [decree_path(out, office, decree, fmt) for decree, office, _ in decrees_with_members(project.sops)
                 for fmt in decree_formats(FORMAT_NAMES)]
    assert project.sops and expected
    for path in expected:
        assert path.is_file(), path
        if path.suffix == ".pdf":
            assert len(PdfReader(path).pages) >= 1, path
        elif path.suffix == ".docx":
            assert docx.Document(str(path)).paragraphs, path
        elif path.suffix == ".svg":
            assert ET.parse(path).getroot().tag.endswith("svg"), path


def assert_reasons(sources: Path, output: str) -> None:
    """At least one located error inside the sources (line and column in the file), or a named
    document that failed to build."""
    located = list(LOCATED.finditer(output))
    assert located or FAILED_DOCUMENT.search(output), output
    for match in located:
        path = (Path.cwd() / match["path"]).resolve()
        assert path.is_file() and path.is_relative_to(sources.resolve()), match[0]
        lines = len(path.read_text(encoding="utf-8", errors="replace").splitlines())  # YAML's breaks and more
        assert int(match["line"]) >= 1 and int(match["col"]) >= 1, match[0]
        assert int(match["line"]) <= lines + 1, (match[0], f"{lines} lines")


def assert_nothing_half_written(out: Path) -> None:
    """No temporary file left, and each document's formats all there or none."""
    if not out.exists():
        return
    leftovers = list(out.rglob("*.tmp"))
    assert not leftovers, leftovers
    stems: dict[Path, set[str]] = {}
    for path in out.glob("*/*"):
        if path.suffix.lstrip(".") in FORMAT_NAMES:
            stems.setdefault(path.with_suffix(""), set()).add(path.suffix.lstrip("."))
    for stem, formats in stems.items():
        wanted = set(decree_formats(FORMAT_NAMES) if stem.name.startswith("keputusan-") else FORMAT_NAMES)
        assert formats == wanted, (stem, formats)


# A longer search: SOPDOC_MUTANTS=300 .venv/bin/python -m pytest tests/build/test_mutated_sources.py
@settings(max_examples=int(os.environ.get("SOPDOC_MUTANTS", "25")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutants())
@example(Mutant("kecamatan-jumapolo/layanan-e-ktp.yml", (CORPUS / "kecamatan-jumapolo/layanan-e-ktp.yml")
                .read_text(encoding="utf-8"), ("none: the source as it is",)))
def test_a_mutated_source_builds_or_says_where_it_is_wrong(mutant):
    for step in mutant.mutations:
        note(step)
    with tempfile.TemporaryDirectory() as folder:
        sources, out, result = build(Path(folder), mutant)
        output = result.output
        assert "Traceback" not in output and "kesalahan internal" not in output, output
        assert result.exit_code in (0, 1), output
        failed = FAILED_DOCUMENT.search(output)
        event("documents written" if result.exit_code == 0 else f"a document failed: {failed[0]}" if failed
              else "errors in the source: " + ", ".join(sorted({match[0].rsplit("[", 1)[1].rstrip("]")
                                                                for match in LOCATED.finditer(output)})))
        if result.exit_code == 0:
            assert_documents(sources, out)
        else:
            assert_reasons(sources, output)
        assert_nothing_half_written(out)
