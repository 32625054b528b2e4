"""Two validated versions of an SOP -> what changed, as a tree of frozen dataclasses. No I/O.

The models are compared, not the YAML text: a comment, a reordered key or `waktu: 120 menit`
rewritten elsewhere in the file is no change, and what sopdoc derives (a branch's target, the
total time) is compared as the documents show it.

Steps are matched before they are compared (`matching`), so that one step inserted in the middle
is one insertion and not every later step changed.

Every field of `Sop` and `Langkah` is compared, generically unless a rule below says otherwise,
so a key added to the model later shows up here without a change to this module.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import enum
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from sopdoc.indonesian import format_date
from sopdoc.model import Edge, Keputusan, Lampiran, Langkah, Pejabat, Pelaksana, Riwayat, Sop
from sopdoc.revisions.matching import match_lanes, match_steps, moved_steps
from sopdoc.waktu import Duration

LONG_TEXT_WORDS = 6  # text of this many words or more is shown as a word-level change

# How the documents name each field (the lampiran's own headings where it has them).
LABELS = {
    "nomor": "Nomor SOP", "nama": "Nama SOP", "unit": "Unit", "kategori": "Kategori",
    "ringkasan": "Ringkasan", "lampiran": "Lampiran", "tanggal_pembuatan": "Tanggal Pembuatan",
    "tanggal_revisi": "Tanggal Revisi", "tanggal_efektif": "Tanggal Efektif", "disahkan_oleh": "Disahkan oleh",
    "dasar_hukum": "Dasar Hukum", "kualifikasi_pelaksana": "Kualifikasi Pelaksana", "keterkaitan": "Keterkaitan",
    "peralatan_perlengkapan": "Peralatan/Perlengkapan", "peringatan": "Peringatan",
    "pencatatan_pendataan": "Pencatatan dan Pendataan", "layanan": "Standar Pelayanan", "riwayat": "Riwayat",
    "persyaratan": "Persyaratan", "biaya": "Biaya", "produk": "Produk Layanan",
    "id": "Id", "uraian": "Uraian", "pelaksana": "Pelaksana", "kelengkapan": "Kelengkapan", "waktu": "Waktu",
    "output": "Output", "keterangan": "Keterangan",
}
# Where the file lies, its bytes and which office loaded it are no part of the SOP (what the SOP
# shows of its office is compared through disahkan_oleh and lampiran); lanes, steps and the total
# time have their own rules below.
SOP_OWN_RULES = {"slug", "source", "source_bytes", "office", "pelaksana", "langkah", "total_waktu"}
# A step's number is its position (matched, not compared); symbol and edges are derived from the
# flow, compared as branch targets; location is where it stood in the file.
STEP_OWN_RULES = {"number", "symbol", "edges", "location", "uraian", "pelaksana"}


# Records the documents show as one value (`describe`); any other record is compared field by field.
SHOWN_AS_ONE = (Pejabat, Keputusan, Lampiran, Pelaksana, Riwayat, Duration)


# ---------------------------------------------------------------- the tree of changes

class Mark(enum.Enum):
    SAME = "same"
    REMOVED = "removed"
    ADDED = "added"


@dataclass(frozen=True)
class Segment:
    mark: Mark
    text: str


@dataclass(frozen=True)
class ValueChange:
    """A value replaced; None is a value left out."""
    label: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class WordsChange:
    """A text edited, word by word."""
    label: str
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class ItemsChange:
    """Items of a list added or removed (or only put in another order)."""
    label: str
    removed: tuple[str, ...]
    added: tuple[str, ...]
    reordered: bool = False


Change = ValueChange | WordsChange | ItemsChange


@dataclass(frozen=True)
class StepChange:
    """One step added (old_number None), removed (new_number None) or matched and changed."""
    old_number: int | None
    new_number: int | None
    uraian: str  # the step's text in its newest version
    moved: bool = False
    changes: tuple[Change, ...] = ()
    facts: tuple[ValueChange, ...] = ()  # an added step's actor, time and output (old None)

    @property
    def added(self) -> bool:
        return self.old_number is None

    @property
    def removed(self) -> bool:
        return self.new_number is None


@dataclass(frozen=True)
class LaneChanges:
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    renamed: tuple[ValueChange, ...] = ()
    order: ValueChange | None = None

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.renamed or self.order)


@dataclass(frozen=True)
class SopChanges:
    old_label: str  # where each version came from, e.g. "HEAD:sop_sources/x/y.yml"
    new_label: str
    office: str
    nomor: str  # the newest version's
    nama: str
    slug: str
    date: _dt.date  # the newest version's revision (else effective) date: the sheet's stamp
    old_total: str
    new_total: str
    identity: tuple[Change, ...]
    lanes: LaneChanges
    steps: tuple[StepChange, ...]  # in the order a reader meets them in the new version
    total_waktu: ValueChange | None

    @property
    def empty(self) -> bool:
        return not (self.identity or self.lanes or self.steps or self.total_waktu)


# ---------------------------------------------------------------- values as the documents show them

def describe(value) -> str | tuple[str, ...] | None:
    """A model value as text (a tuple of texts for a list), None when left out."""
    if value is None or value == "":
        return None
    if isinstance(value, tuple):
        return tuple(text for item in value if (text := describe(item)) is not None)
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, _dt.date):
        return format_date(value)
    if isinstance(value, Duration):
        return value.as_written()
    if isinstance(value, Pejabat):
        details = ", ".join(part for part in (value.nama, value.pangkat,
                                              f"NIP {value.nip_grouped}" if value.nip else None) if part)
        return f"{value.jabatan} ({details})" if details else value.jabatan
    if isinstance(value, Keputusan):
        return f"Keputusan Nomor {value.nomor}"
    if isinstance(value, Lampiran):
        # Alone in its temporary tree an SOP always gets Lampiran I: only a written numeral means anything.
        numeral = f"Lampiran {value.nomor}" if value.explicit else "Lampiran (nomor otomatis)"
        return f"{numeral} {describe(value.keputusan)}"
    if isinstance(value, Riwayat):
        return f"{format_date(value.tanggal)}: {value.uraian}"
    if isinstance(value, Pelaksana):
        return value.title
    if isinstance(value, Path):
        return value.name
    if isinstance(value, enum.Enum):
        return str(value.value)
    if dataclasses.is_dataclass(value):  # a record the model gains later, as one line
        parts = [(field.name, describe(getattr(value, field.name))) for field in dataclasses.fields(value)]
        return "; ".join(f"{label_of(name)}: {', '.join(text) if isinstance(text, tuple) else text}"
                         for name, text in parts if text)
    return str(value)


def label_of(name: str) -> str:
    return LABELS.get(name, name.replace("_", " ").capitalize())


def word_segments(old: str, new: str) -> tuple[Segment, ...]:
    old_words, new_words = old.split(), new.split()
    segments = []
    matcher = SequenceMatcher(None, old_words, new_words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(Segment(Mark.SAME, " ".join(old_words[i1:i2])))
            continue
        if i2 > i1:
            segments.append(Segment(Mark.REMOVED, " ".join(old_words[i1:i2])))
        if j2 > j1:
            segments.append(Segment(Mark.ADDED, " ".join(new_words[j1:j2])))
    return tuple(segments)


def _value_change(label: str, old, new, *, words: bool = False) -> Change | None:
    """The change between two model values, or None when they show the same."""
    old_text, new_text = describe(old), describe(new)
    if isinstance(old_text, tuple) or isinstance(new_text, tuple):
        return _items_change(label, old_text or (), new_text or ())
    if old_text == new_text:
        return None
    written = isinstance(old, str) and isinstance(new, str)  # the source's own text, not a description
    if written and (words or max(len(old.split()), len(new.split())) >= LONG_TEXT_WORDS):
        return WordsChange(label, word_segments(old_text, new_text))
    return ValueChange(label, old_text, new_text)


def _items_change(label: str, old: tuple[str, ...], new: tuple[str, ...]) -> ItemsChange | None:
    if old == new:
        return None
    gone, came = _missing(old, new), _missing(new, old)
    return ItemsChange(label, gone, came, reordered=not gone and not came)


def _missing(items: tuple[str, ...], other: tuple[str, ...]) -> tuple[str, ...]:
    """The items `other` lacks, each as often as it lacks it, in their order."""
    left = Counter(other)
    missing = []
    for item in items:
        if left[item]:
            left[item] -= 1
        else:
            missing.append(item)
    return tuple(missing)


def _record_changes(old, new, skip: set[str], prefix: str = "") -> list[Change]:
    """Every field of two records, a nested record field by field."""
    found = []
    for field in dataclasses.fields(old):
        if field.name in skip:
            continue
        old_value, new_value = getattr(old, field.name), getattr(new, field.name)
        label = f"{prefix}{label_of(field.name)}"
        if dataclasses.is_dataclass(old_value) and type(old_value) is type(new_value) and not isinstance(
                old_value, SHOWN_AS_ONE):
            found += _record_changes(old_value, new_value, set(), prefix=f"{label}: ")
        elif (change := _value_change(label, old_value, new_value)) is not None:
            found.append(change)
    return found


def _lane_changes(old: Sop, new: Sop, lanes: dict[str, str]) -> LaneChanges:
    new_by_key = {lane.key: lane for lane in new.pelaksana}
    # A key is the source's own reference, printed nowhere: a lane whose title stays is no change.
    renamed = tuple(ValueChange("Pelaksana diganti nama", lane.title, new_by_key[lanes[lane.key]].title)
                    for lane in old.pelaksana if lane.key in lanes
                    and lane.title != new_by_key[lanes[lane.key]].title)
    kept_old = [lane for lane in old.pelaksana if lane.key in lanes]
    kept_new = [lane for lane in new.pelaksana if lane.key in set(lanes.values())]
    order = None
    if [lanes[lane.key] for lane in kept_old] != [lane.key for lane in kept_new]:
        order = ValueChange("Urutan pelaksana", ", ".join(lane.title for lane in kept_old),
                            ", ".join(lane.title for lane in kept_new))
    return LaneChanges(
        added=tuple(lane.title for lane in new.pelaksana if lane.key not in set(lanes.values())),
        removed=tuple(lane.title for lane in old.pelaksana if lane.key not in lanes),
        renamed=renamed, order=order)


# ---------------------------------------------------------------- the flow of a step

def _reaches(version: tuple[Langkah, ...], start: int | None, skipped: set[int]) -> int | None:
    """Where a branch to `start` arrives once it has passed the steps in `skipped` (steps only one
    version has, reported on their own), following each one's single arrow."""
    seen = set()
    while start is not None and start in skipped and start not in seen:
        seen.add(start)
        edges = version[start - 1].edges
        if not edges:
            return None  # the skipped step ended the flow: as if the branch ended there
        if len(edges) != 1:
            return start
        start = edges[0].target
    return start


def _flow_changes(old: Sop, new: Sop, pair: tuple[Langkah, Langkah], steps: dict[int, int]) -> list[Change]:
    old_step, new_step = pair
    removed = {step.number for step in old.langkah if step.number not in steps}
    added = {step.number for step in new.langkah if step.number not in set(steps.values())}

    def same_target(old_target: int | None, new_target: int | None) -> bool:
        if old_target == old_step.number + 1 and new_target == new_step.number + 1:
            return True  # "the step below" in both: which step that is, insertions and moves tell
        arrived = _reaches(old.langkah, old_target, removed)
        mapped = steps.get(arrived) if arrived is not None else None
        if arrived is not None and mapped is None:
            return False
        return mapped == _reaches(new.langkah, new_target, added)

    def old_text(target: int | None) -> str:
        if target is None:
            return "selesai"
        now = steps.get(target)
        if now is None:
            return f"langkah {target} (dihapus)"
        return f"langkah {target}" + (f" (kini langkah {now})" if now != target else "")

    def new_text(target: int | None) -> str:
        return "selesai" if target is None else f"langkah {target}"

    # An end step is one arrow to nowhere here, so a step that comes to end the flow is one target changed
    old_edges, new_edges = old_step.edges or (Edge(None),), new_step.edges or (Edge(None),)
    if [edge.label for edge in old_edges] == [edge.label for edge in new_edges]:
        return [ValueChange(f"Cabang {o.label}" if o.label else "Lanjut ke", old_text(o.target), new_text(n.target))
                for o, n in zip(old_edges, new_edges) if not same_target(o.target, n.target)]

    def whole(step: Langkah, text) -> str:
        if not step.edges:
            return "selesai"
        return "; ".join(f"{edge.label}: {text(edge.target)}" if edge.label else f"ke {text(edge.target)}"
                         for edge in step.edges)
    return [ValueChange("Alur", whole(old_step, old_text), whole(new_step, new_text))]


def _step_changes(old: Sop, new: Sop, pair: tuple[Langkah, Langkah], steps: dict[int, int],
                  lanes: dict[str, str]) -> list[Change]:
    old_step, new_step = pair
    found = []
    if (words := _value_change(label_of("uraian"), old_step.uraian, new_step.uraian, words=True)) is not None:
        found.append(words)
    if lanes.get(old_step.pelaksana.key) != new_step.pelaksana.key:  # a lane renamed is told once, above
        found.append(ValueChange(label_of("pelaksana"), old_step.pelaksana.title, new_step.pelaksana.title))
    found += _record_changes(old_step, new_step, STEP_OWN_RULES)
    found += _flow_changes(old, new, pair, steps)
    return found


def _added_facts(step: Langkah) -> tuple[ValueChange, ...]:
    facts = [(label_of("pelaksana"), step.pelaksana.title), (label_of("waktu"), describe(step.waktu)),
             (label_of("output"), step.output)]
    return tuple(ValueChange(label, None, text) for label, text in facts if text)


def _steps(old: Sop, new: Sop, steps: dict[int, int], lanes: dict[str, str]) -> tuple[StepChange, ...]:
    moved = moved_steps(steps)
    old_number_of = {n: o for o, n in steps.items()}
    entries = []  # ((place in the new order, tie-break), change)
    for step in new.langkah:
        back = old_number_of.get(step.number)
        if back is None:
            entries.append(((step.number, 1), StepChange(None, step.number, step.uraian,
                                                         facts=_added_facts(step))))
            continue
        changes = tuple(_step_changes(old, new, (old.langkah[back - 1], step), steps, lanes))
        if changes or back in moved:
            entries.append(((step.number, 1), StepChange(back, step.number, step.uraian, moved=back in moved,
                                                         changes=changes)))
    after = 0  # a removed step is told after the new place of the step that came before it
    for step in old.langkah:
        if step.number in steps:
            after = steps[step.number] if step.number not in moved else after
        else:
            entries.append(((after, 2), StepChange(step.number, None, step.uraian)))
    return tuple(change for _, change in sorted(entries, key=lambda entry: entry[0]))


def compare(old: Sop, new: Sop, old_label: str, new_label: str) -> SopChanges:
    steps = match_steps(old.langkah, new.langkah)
    lanes = match_lanes(old, new, steps)
    total = None
    if old.total_waktu != new.total_waktu:
        total = ValueChange("Total waktu", old.total_waktu.format(), new.total_waktu.format())
    return SopChanges(
        old_label=old_label, new_label=new_label, office=new.office.nama, nomor=new.nomor, nama=new.nama,
        slug=new.slug, date=new.tanggal_revisi or new.tanggal_efektif,
        old_total=old.total_waktu.format(), new_total=new.total_waktu.format(),
        identity=tuple(_record_changes(old, new, SOP_OWN_RULES)),
        lanes=_lane_changes(old, new, lanes),
        steps=_steps(old, new, steps, lanes),
        total_waktu=total)
