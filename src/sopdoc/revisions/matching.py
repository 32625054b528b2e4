"""Which step of one version of an SOP is which step of the other, and which lane is which lane.

First by `id` where both versions give one, then by their order and the similarity of their
uraian (difflib), and last, far apart, by a close uraian alone: a step moved. A matched step out
of order is moved. Lanes follow their key, else the steps they hold, else their title.
"""

from __future__ import annotations

from collections import Counter
from difflib import SequenceMatcher

from sopdoc.model import Langkah, Sop

# Uraian similarity (difflib ratio, 0..1) above which two steps are one step edited:
SIMILAR = 0.6  # among the steps between two unchanged ones
SIMILAR_IN_PLACE = 0.4  # one step replaced by one step at the same place: its position speaks for it
SIMILAR_MOVED = 0.8  # far apart: the text alone must say it is the same step


def normal(text: str) -> str:
    """Text as compared: case and spacing ignored."""
    return " ".join(text.split()).casefold()


def _similarity(old: Langkah, new: Langkah) -> float:
    return SequenceMatcher(None, normal(old.uraian), normal(new.uraian), autojunk=False).ratio()


def _align(olds: list[Langkah], news: list[Langkah], threshold: float) -> list[tuple[Langkah, Langkah]]:
    """The pairs, in order on both sides, of most total similarity (each pair above threshold)."""
    ratio = [[_similarity(old, new) for new in news] for old in olds]
    best = [[0.0] * (len(news) + 1) for _ in range(len(olds) + 1)]
    for i in range(len(olds) - 1, -1, -1):
        for j in range(len(news) - 1, -1, -1):
            paired = ratio[i][j] + best[i + 1][j + 1] if ratio[i][j] >= threshold else -1.0
            best[i][j] = max(best[i + 1][j], best[i][j + 1], paired)
    pairs, i, j = [], 0, 0
    while i < len(olds) and j < len(news):
        if ratio[i][j] >= threshold and best[i][j] == ratio[i][j] + best[i + 1][j + 1]:
            pairs.append((olds[i], news[j]))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def match_steps(old: tuple[Langkah, ...], new: tuple[Langkah, ...]) -> dict[int, int]:
    """Old step number -> new step number of the same step."""
    new_by_id = {step.id: step.number for step in new if step.id}
    matched = {step.number: new_by_id[step.id] for step in old if step.id and step.id in new_by_id}
    rest_old = [step for step in old if step.number not in matched]
    taken = set(matched.values())
    rest_new = [step for step in new if step.number not in taken]
    matcher = SequenceMatcher(None, [normal(s.uraian) for s in rest_old], [normal(s.uraian) for s in rest_new],
                              autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            matched.update((o.number, n.number) for o, n in zip(rest_old[i1:i2], rest_new[j1:j2]))
        elif tag == "replace":
            in_place = i2 - i1 == 1 and j2 - j1 == 1
            pairs = _align(rest_old[i1:i2], rest_new[j1:j2], SIMILAR_IN_PLACE if in_place else SIMILAR)
            matched.update((o.number, n.number) for o, n in pairs)
    taken = set(matched.values())
    for step in old:  # moved, perhaps edited too: anywhere, but only a close text
        if step.number in matched:
            continue
        candidates = [(_similarity(step, other), -other.number, other.number)
                      for other in new if other.number not in taken]
        score, _, number = max(candidates, default=(0.0, 0, 0))
        if score >= SIMILAR_MOVED:
            matched[step.number] = number
            taken.add(number)
    return dict(sorted(matched.items()))


def moved_steps(matched: dict[int, int]) -> set[int]:
    """Old numbers of the matched steps out of order: those outside a longest run that keeps it."""
    olds = sorted(matched)
    news = [matched[number] for number in olds]
    length, previous = [1] * len(news), [-1] * len(news)
    for i in range(len(news)):
        for j in range(i):
            if news[j] < news[i] and length[j] + 1 > length[i]:
                length[i], previous[i] = length[j] + 1, j
    keep, at = set(), max(range(len(news)), key=lambda k: (length[k], -k), default=-1)
    while at >= 0:
        keep.add(olds[at])
        at = previous[at]
    return set(olds) - keep


def match_lanes(old: Sop, new: Sop, steps: dict[int, int]) -> dict[str, str]:
    """Old lane key -> new lane key: the same key, else the lane the same steps moved to, else the same title."""
    new_keys = {lane.key for lane in new.pelaksana}
    matched = {lane.key: lane.key for lane in old.pelaksana if lane.key in new_keys}
    for lane in old.pelaksana:
        if lane.key in matched:
            continue
        free = new_keys - set(matched.values())
        votes = Counter(new.langkah[steps[step.number] - 1].pelaksana.key for step in old.langkah
                        if step.pelaksana.key == lane.key and step.number in steps)
        ranked = [(votes[other.key], -index, other.key) for index, other in enumerate(new.pelaksana)
                  if other.key in free and votes[other.key]]
        if ranked:
            matched[lane.key] = max(ranked)[2]
            continue
        same_title = [other.key for other in new.pelaksana if other.key in free
                      and normal(other.title) == normal(lane.title)]
        if same_title:
            matched[lane.key] = same_title[0]
    return matched
