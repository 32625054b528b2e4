"""docs/source-format.md lists exactly the keys of the JSON Schemas that `sopdoc schema` prints.

Key paths are dotted: `a.b` (key in a mapping), `a.<key>` (entry of a table with
author-chosen keys), `a[].b` (key in every item of a list). A table entry is required when
the table needs at least one entry (minProperties >= 1).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from conftest import ROOT

DOC = ROOT / "docs" / "source-format.md"
SECTIONS = {"instansi": "## `instansi.yml`", "sop": "## An SOP file"}
ROW = re.compile(r"^\|\s*`([^`]+)`\s*\|\s*(yes|no)\s*\|")


def schema(kind: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "sopdoc", "schema", kind],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def branches(node: dict):
    """The node itself, or every non-anyOf alternative under its anyOf (recursively)."""
    if "anyOf" in node:
        for branch in node["anyOf"]:
            yield from branches(branch)
    else:
        yield node


def schema_keys(node: dict, path: str = "", out: dict | None = None) -> dict[str, bool]:
    out = {} if out is None else out
    for branch in branches(node):
        required = set(branch.get("required", []))
        for name, sub in branch.get("properties", {}).items():
            child = f"{path}.{name}" if path else name
            out[child] = name in required
            schema_keys(sub, child, out)
        extra = branch.get("additionalProperties")
        if isinstance(extra, dict):
            child = f"{path}.<key>"
            out[child] = branch.get("minProperties", 0) >= 1
            schema_keys(extra, child, out)
        if isinstance(branch.get("items"), dict):
            schema_keys(branch["items"], f"{path}[]", out)
    return out


def documented_keys(text: str, heading: str) -> dict[str, bool]:
    start = text.index(heading + "\n")
    end = text.find("\n## ", start + len(heading))
    keys: dict[str, bool] = {}
    for line in text[start:end if end != -1 else None].splitlines():
        if line.startswith("| `"):
            match = ROW.match(line)
            assert match, f"key table row not in the form | `path` | yes/no | ...: {line}"
            path, flag = match.groups()
            assert path not in keys, f"{path} is listed twice under {heading}"
            keys[path] = flag == "yes"
    return keys


@pytest.mark.parametrize("kind", sorted(SECTIONS))
def test_key_tables_match_schema(kind):
    expected = schema_keys(schema(kind))
    documented = documented_keys(DOC.read_text(encoding="utf-8"), SECTIONS[kind])
    missing = sorted(expected.keys() - documented.keys())
    unknown = sorted(documented.keys() - expected.keys())
    assert not missing and not unknown, (
        f"{kind}: keys in the schema but not in the document: {missing}; "
        f"keys in the document but not in the schema: {unknown}"
    )
    wrong = sorted(k for k in expected if expected[k] != documented[k])
    assert not wrong, f"{kind}: required flag differs for {[(k, expected[k]) for k in wrong]}"


def test_document_is_self_contained():
    assert "../shared" not in DOC.read_text(encoding="utf-8")
