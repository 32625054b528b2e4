"""The comparison itself, on the model: how steps are matched, and that every field counts."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from revision_sources import JENAWI, changes_of, copy_sop, edit

from sopdoc.model import Langkah, Sop
from sopdoc.revisions.compare import (
    SOP_OWN_RULES, STEP_OWN_RULES, ItemsChange, Mark, Segment, ValueChange, WordsChange, compare, word_segments,
)
from sopdoc.revisions.matching import match_steps, moved_steps
from sopdoc.sources.loader import load_project
from sopdoc.waktu import Duration

from conftest import CORPUS


@pytest.fixture(scope="module")
def jenawi() -> Sop:
    project, _ = load_project([CORPUS / JENAWI])
    return project.sops[0]


def test_word_segments():
    assert word_segments("Menerima input pengaduan", "Menerima masukan pengaduan baru") == (
        Segment(Mark.SAME, "Menerima"), Segment(Mark.REMOVED, "input"), Segment(Mark.ADDED, "masukan"),
        Segment(Mark.SAME, "pengaduan"), Segment(Mark.ADDED, "baru"))


def test_a_step_with_an_id_is_matched_by_it_whatever_its_text(tmp_path):
    old, new = copy_sop(tmp_path)
    edit(tmp_path / new, "Mengklasifikasi pengaduan dan informasi atau bukan, jika informasi",
         "Memilah setiap laporan masuk: permintaan keterangan dijawab oleh operator; keluhan")
    changes = changes_of(tmp_path / old, tmp_path / new)
    (step,) = changes.steps
    assert (step.old_number, step.new_number, step.moved) == (3, 3, False)
    assert isinstance(step.changes[0], WordsChange) and step.changes[0].label == "Uraian"


def test_a_step_rewritten_in_place_is_an_edit_and_a_new_one_is_not(tmp_path):
    old, new = copy_sop(tmp_path)
    edit(tmp_path / new, "uraian: Menerima input pengaduan", "uraian: Operator menerima input aduan")
    (step,) = changes_of(tmp_path / old, tmp_path / new).steps
    assert (step.old_number, step.new_number) == (2, 2)
    edit(tmp_path / new, "uraian: Operator menerima input aduan", "uraian: Arsip dipindai ke sistem")
    steps = changes_of(tmp_path / old, tmp_path / new).steps
    assert [(step.old_number, step.new_number) for step in steps] == [(2, None), (None, 2)]


def test_a_step_moved_far_and_edited_is_one_moved_step(jenawi):
    steps = list(jenawi.langkah)
    moved = dataclasses.replace(steps[1], uraian="Menerima input pengaduan warga")
    reordered = [steps[0], *steps[2:6], moved, steps[6]]
    new = tuple(dataclasses.replace(step, number=index + 1) for index, step in enumerate(reordered))
    matched = match_steps(jenawi.langkah, new)
    assert matched == {1: 1, 2: 6, 3: 2, 4: 3, 5: 4, 6: 5, 7: 7}
    assert moved_steps(matched) == {2}


def test_the_longest_kept_order_decides_what_moved():
    assert moved_steps({1: 1, 2: 3, 3: 2, 4: 4}) == {3}
    assert moved_steps({1: 5, 2: 1, 3: 2, 4: 3, 5: 4}) == {1}
    assert moved_steps({}) == set()


def _other(value, annotation: str):
    """A different value of a field's kind."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, str):
        return value + " (diubah)"
    if isinstance(value, tuple):
        return value + ("butir baru",)
    if isinstance(value, dt.date):
        return value + dt.timedelta(days=1)
    if isinstance(value, Duration):
        return value + Duration.parse("1 menit")
    if value is None:
        if "date" in annotation:
            return dt.date(2030, 1, 1)
        if "Duration" in annotation:
            return Duration.parse("5 menit")
        return "diisi"
    if dataclasses.is_dataclass(value):  # a record: change its first field that can change and shows
        for field in dataclasses.fields(value):
            if field.name == "key":  # a reference inside the sources, printed nowhere
                continue
            try:
                return dataclasses.replace(value, **{field.name: _other(getattr(value, field.name), str(field.type))})
            except (TypeError, ValueError):
                continue
    raise AssertionError(f"no other value for {value!r}")


@pytest.mark.parametrize("field", [f.name for f in dataclasses.fields(Sop) if f.name not in SOP_OWN_RULES])
def test_every_field_of_an_sop_counts(jenawi, field):
    annotation = str(Sop.__dataclass_fields__[field].type)
    changed = dataclasses.replace(jenawi, **{field: _other(getattr(jenawi, field), annotation)})
    changes = compare(jenawi, changed, "lama", "baru")
    assert changes.identity, field
    assert not changes.steps and not changes.lanes


@pytest.mark.parametrize("field", [f.name for f in dataclasses.fields(Langkah) if f.name not in STEP_OWN_RULES])
def test_every_field_of_a_step_counts(jenawi, field):
    step = jenawi.langkah[1]
    annotation = str(Langkah.__dataclass_fields__[field].type)
    edited = dataclasses.replace(step, **{field: _other(getattr(step, field), annotation)})
    changed = dataclasses.replace(jenawi, langkah=(jenawi.langkah[0], edited, *jenawi.langkah[2:]))
    (change,) = compare(jenawi, changed, "lama", "baru").steps
    assert change.old_number == change.new_number == 2 and change.changes, field


def test_the_rules_name_real_fields():
    assert SOP_OWN_RULES <= {f.name for f in dataclasses.fields(Sop)}
    assert STEP_OWN_RULES <= {f.name for f in dataclasses.fields(Langkah)}


def test_identical_models_have_no_change(jenawi):
    changes = compare(jenawi, jenawi, "lama", "baru")
    assert changes.empty and changes.old_total == changes.new_total == "2 hari 3 jam 10 menit"


def test_lane_order_and_list_order(jenawi):
    lanes = jenawi.pelaksana
    changed = dataclasses.replace(jenawi, pelaksana=(lanes[1], lanes[0], *lanes[2:]),
                                  dasar_hukum=tuple(reversed(jenawi.dasar_hukum)))
    changes = compare(jenawi, changed, "lama", "baru")
    assert changes.lanes.order == ValueChange(
        "Urutan pelaksana", "User/Pelapor, Operator/Agen, PPID Pelaksana, Bidang Pengelola Aduan dan Klarifikasi "
        "Informasi", "Operator/Agen, User/Pelapor, PPID Pelaksana, Bidang Pengelola Aduan dan Klarifikasi Informasi")
    assert changes.identity == (ItemsChange("Dasar Hukum", (), (), reordered=True),)
