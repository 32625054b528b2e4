"""'Did you mean' for a name that is not among the names allowed there (a key, a reference, a
command). Depends on nothing else of sopdoc, so every stage can use it.

A clerk more often shortens a long key than misspells it: `pencatatan` is the start of
`pencatatan_pendataan`, though by letters alone it is closer to `peringatan`. So a name that is
the start or a whole word of options wins over likeness of letters.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def suggestions(name: str, options: Iterable[str]) -> list[str]:
    """The options `name` most likely means, best first: none, one, or several equally likely
    ones (the name is the start of several, e.g. `tanggal` of every `tanggal_...` key)."""
    options = list(dict.fromkeys(options))
    wanted = name.strip().lower()
    if not wanted or not options:
        return []
    lowered = {option: option.lower() for option in options}
    same = [option for option in options if lowered[option] == wanted]
    if same:  # differs only in case
        return same[:1]
    starting = [option for option in options if lowered[option].startswith(wanted)]
    if len(starting) == 1:
        return starting
    first_word = [option for option in starting if _words(lowered[option])[0] == wanted]
    if len(first_word) == 1:
        return first_word
    if starting:
        return starting
    whole_word = [option for option in options if wanted in _words(lowered[option])]
    if len(whole_word) == 1:
        return whole_word
    close = difflib.get_close_matches(wanted, list(lowered.values()), n=1, cutoff=0.6)
    return [option for option in options if lowered[option] == close[0]][:1] if close else []


def did_you_mean(name: str, options: Iterable[str], listing: str = "pilihan") -> str | None:
    """'maksud Anda 'x'?', 'maksud Anda 'a', 'b' atau 'c'?', or else the options (after
    `listing`), or None when there are none."""
    options = list(dict.fromkeys(options))
    found = suggestions(name, options)
    if found:
        return f"maksud Anda {one_of(found)}?"
    return f"{listing}: " + ", ".join(options) if options else None


def one_of(names: list[str], quote: str = "'") -> str:
    """'a', 'a' atau 'b', 'a', 'b' atau 'c'."""
    quoted = [f"{quote}{name}{quote}" for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " atau " + quoted[-1]


def _words(option: str) -> list[str]:
    return option.replace("-", "_").split("_")
