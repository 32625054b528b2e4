"""MAX_ACTORS (model.py) is what the flowchart table really holds: with that many actor columns
every column keeps its floor on each paper, and one more could not fit; the loader refuses more
(SOP121) at the `pelaksana` key, so every source that passes check lays out."""

from __future__ import annotations

import pytest

from conftest import BASE_INSTANSI, BASE_SOP, diagnostics_of, office_tree
from sopdoc.layout.columns import ACTOR_FLOOR, NO_WIDTH, TEXT_COLUMNS, TEXT_FLOOR
from sopdoc.layout.plan import MARGIN_LEFT, MARGIN_RIGHT, PAPER, plan_layout
from sopdoc.model import MAX_ACTORS
from sopdoc.sources.loader import load_project


def _with_actors(count: int) -> str:
    extra = "".join(f"  kolom{index}: Kolom {index}\n" for index in range(count - 2))
    return BASE_SOP.replace("  petugas: Petugas\n", "  petugas: Petugas\n" + extra)


def _on_paper(paper: str) -> str:
    return BASE_INSTANSI.replace("nama: Kecamatan Uji\n", f"nama: Kecamatan Uji\ntata_letak:\n  kertas: {paper}\n", 1)


@pytest.mark.parametrize("paper", sorted(PAPER))
def test_the_most_lanes_a_paper_holds_lay_out_and_one_more_would_not_fit(tmp_path, paper):
    most = MAX_ACTORS[paper]
    sources = office_tree(tmp_path, sop=_with_actors(most), instansi=_on_paper(paper))
    project, diagnostics = load_project([sources])
    assert diagnostics.error_count == 0, [d.format() for d in diagnostics]
    (sop,) = project.sops
    plan = plan_layout(sop)
    widths = {column.key: column.width for column in plan.columns}
    assert all(widths[key] >= TEXT_FLOOR for key, _, _, _ in TEXT_COLUMNS)
    assert all(width >= ACTOR_FLOOR for key, width in widths.items() if key.startswith("actor:"))
    assert sum(widths.values()) == PAPER[paper][0] - MARGIN_LEFT - MARGIN_RIGHT
    table = PAPER[paper][0] - MARGIN_LEFT - MARGIN_RIGHT
    assert NO_WIDTH + (most + 1) * ACTOR_FLOOR + len(TEXT_COLUMNS) * TEXT_FLOOR > table


def test_more_lanes_than_the_paper_holds_are_refused_at_pelaksana(tmp_path):
    sources = office_tree(tmp_path, sop=_with_actors(MAX_ACTORS["A4"] + 1), instansi=_on_paper("A4"))
    errors = [d for d in diagnostics_of(sources) if d.is_error]
    assert [(d.code, d.location.line, d.location.col) for d in errors] == [("SOP121", 8, 1)]
    assert errors[0].message == "terlalu banyak pelaksana (16) untuk kertas A4: paling banyak 15 kolom"
    assert "tata_letak.kertas: F4" in errors[0].hint
