"""The flow of an SOP as a graph over step numbers: arrows, symbols, reachability, total time.

Inputs are the checked values of the `langkah` list; problems go to a `report` callback with
the path of the offending value, so the loader can locate them in the file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from difflib import get_close_matches

from sopdoc.model import Edge, Symbol
from sopdoc.waktu import ZERO, Duration

END = "selesai"

Report = Callable[..., None]  # report(code, at, message, hint=None)


def _resolve(value, ids: dict[str, int], count: int, at: tuple, report: Report) -> int | None | bool:
    """A target as a step number, None for 'selesai', or False when it does not resolve."""
    if value == END:
        return None
    if isinstance(value, int):
        if 1 <= value <= count:
            return value
        report("SOP204", at, f"tujuan langkah {value} tidak ada (SOP ini punya {count} langkah)")
        return False
    if value in ids:
        return ids[value]
    close = get_close_matches(value, list(ids) + [END], n=1, cutoff=0.6)
    report("SOP204", at, f"tujuan '{value}' tidak dikenal",
           f"maksud Anda '{close[0]}'?" if close else "tulis nomor langkah, id langkah, atau 'selesai'")
    return False


def build_edges(steps: Sequence[dict], ids: dict[str, int], report: Report) -> list[tuple[Edge, ...]] | None:
    """Outgoing arrows of every step; None when a reference did not resolve."""
    count = len(steps)
    all_edges: list[tuple[Edge, ...]] = []
    ok = True
    for index, step in enumerate(steps):
        number = index + 1
        at = ("langkah", index)
        branches, lanjut, selesai = step.get("keputusan"), step.get("lanjut"), step.get("selesai", False)
        given = [name for name, present in (("keputusan", branches is not None),
                                            ("lanjut", lanjut is not None), ("selesai: true", selesai))
                 if present]
        if len(given) > 1:
            report("SOP219", at + (("lanjut" if lanjut is not None else "selesai"),),
                   f"{' dan '.join(given)} tidak boleh dipakai bersamaan pada satu langkah")
            ok = False
            all_edges.append(())
            continue
        if selesai:
            all_edges.append(())
        elif branches is not None:
            edges = []
            branches_ok = True
            for key, label in (("ya", "Ya"), ("tidak", "Tidak")):
                if key in branches:
                    target = _resolve(branches[key], ids, count, at + ("keputusan", key), report)
                elif number < count:
                    target = number + 1
                else:
                    report("SOP204", at + ("keputusan",),
                           f"cabang '{key}' kosong, padahal tidak ada langkah sesudah langkah {number}",
                           f"tulis tujuan '{key}' (nomor langkah, id, atau 'selesai')")
                    target = False
                if target is False:
                    branches_ok = ok = False
                edges.append(Edge(target if target is not False else None, label))
            if branches_ok and edges[0].target == edges[1].target:
                where = "selesai" if edges[0].target is None else f"langkah {edges[0].target}"
                report("SOP206", at + ("keputusan",),
                       f"cabang Ya dan Tidak sama-sama menuju {where}",
                       "keputusan harus bercabang ke dua tujuan berbeda; bila tidak bercabang, hapus 'keputusan'")
                ok = False
            all_edges.append(tuple(edges))
        elif lanjut is not None:
            target = _resolve(lanjut, ids, count, at + ("lanjut",), report)
            if target is False:
                ok = False
                all_edges.append(())
            else:
                all_edges.append((Edge(target),))
        elif number < count:
            all_edges.append((Edge(number + 1),))
        else:
            all_edges.append(())
    return all_edges if ok else None


def check_reachability(edges: list[tuple[Edge, ...]], report: Report) -> bool:
    """Every step reachable from step 1, and an end reachable from every step."""
    count = len(edges)
    reached = {1}
    todo = [1]
    while todo:
        number = todo.pop()
        for edge in edges[number - 1]:
            if edge.target is not None and edge.target not in reached:
                reached.add(edge.target)
                todo.append(edge.target)
    ok = True
    for number in range(1, count + 1):
        if number not in reached:
            report("SOP207", ("langkah", number - 1), f"langkah {number} tidak dapat dicapai dari langkah 1",
                   "arahkan sebuah langkah atau cabang keputusan ke langkah ini, atau hapus langkah ini")
            ok = False

    # Walk arrows backwards from every end.
    incoming: dict[int, list[int]] = {n: [] for n in range(1, count + 1)}
    finishing = []
    for number, out in enumerate(edges, start=1):
        if not out or any(edge.ends for edge in out):
            finishing.append(number)
        for edge in out:
            if edge.target is not None:
                incoming[edge.target].append(number)
    can_finish = set(finishing)
    todo = list(finishing)
    while todo:
        number = todo.pop()
        for source in incoming[number]:
            if source not in can_finish:
                can_finish.add(source)
                todo.append(source)
    for number in sorted(reached - can_finish):
        report("SOP208", ("langkah", number - 1), f"dari langkah {number} proses tidak pernah sampai ke akhir",
               "beri 'selesai: true' pada langkah terakhir alur ini, atau arahkan 'lanjut' ke langkah yang berakhir")
        ok = False
    return ok


def symbol_for(number: int, edges: tuple[Edge, ...], is_decision: bool) -> Symbol:
    if is_decision:
        return Symbol.DECISION
    if number == 1 or not edges:
        return Symbol.TERMINATOR
    return Symbol.PROCESS


def total_waktu(edges: list[tuple[Edge, ...]], waktu: list[Duration | None]) -> Duration:
    """The time along the longest path from step 1 to an end, ignoring arrows that close a loop.

    Loops are the arrows a depth-first walk finds pointing back into its own path; without them
    the flow is acyclic and the longest path is found in post-order.
    """
    count = len(edges)
    if not count:
        return ZERO
    state = [0] * (count + 1)  # 0 unseen, 1 on the current path, 2 done
    order: list[int] = []
    loop_edges: set[tuple[int, int]] = set()
    stack: list[tuple[int, int]] = [(1, 0)]
    state[1] = 1
    while stack:
        number, next_edge = stack[-1]
        out = edges[number - 1]
        if next_edge < len(out):
            stack[-1] = (number, next_edge + 1)
            target = out[next_edge].target
            if target is None:
                continue
            if state[target] == 1:
                loop_edges.add((number, target))
            elif state[target] == 0:
                state[target] = 1
                stack.append((target, 0))
        else:
            state[number] = 2
            order.append(number)
            stack.pop()

    best: dict[int, Duration | None] = {}
    for number in order:  # post-order: successors first
        out = edges[number - 1]
        own = waktu[number - 1] or ZERO
        candidates: list[Duration] = []
        if not out or any(edge.ends for edge in out):
            candidates.append(ZERO)
        for edge in out:
            if edge.target is not None and (number, edge.target) not in loop_edges:
                after = best.get(edge.target)
                if after is not None:
                    candidates.append(after)
        if candidates:
            longest = candidates[0]
            for candidate in candidates[1:]:
                if candidate.comparable() > longest.comparable():
                    longest = candidate
            best[number] = own + longest
        else:
            best[number] = None
    return best.get(1) or ZERO
