"""An actor a text names, with the names it used: what every way of finding actors returns;
and the names' own helpers (an id from a name, one pattern of many names)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from accord.scenario.ids import slug as snake  # noqa: F401 - the drafts' ids


@dataclass
class Found:
    id: str
    name: str
    group: str  # "state" | "organisation"
    aliases: list[str] = field(default_factory=list)
    first: int = 0
    strong: bool = False  # named as a state (not only by a demonym in passing)
    mentions: int = 0
    seen: list[tuple[int, int]] = field(default_factory=list)  # (offset, length) of each mention

    @property
    def names(self) -> list[str]:
        """Its name and every other name the text used for it."""
        return [self.name, *self.aliases]

    def saw(self, form: str, at: int, strong: bool) -> None:
        if form != self.name and form not in self.aliases:
            self.aliases.append(form)
        self.first = min(self.first, at)
        self.strong = self.strong or strong
        self.mentions += 1
        self.seen.append((at, len(form)))

    def only_inside(self, others: Iterable[Found]) -> bool:
        """Every mention lies inside another actor's name: "Central African" in "Economic
        Community of Central African States" names the community, not a state."""
        spans = [(at, at + n) for o in others if o is not self for at, n in o.seen]
        return bool(self.seen) and all(any(a <= at and at + n <= b and b - a > n
                                           for a, b in spans) for at, n in self.seen)


def names_of(found: Iterable[Found]) -> set[str]:
    """Every name the text used for any of these actors."""
    return {n for f in found for n in f.names}


def any_of(names: Iterable[str], the_either_case: bool = False) -> str:
    """A regex alternation of the names, the longest first ("European Union" before "Union");
    with `the_either_case`, a leading "the " matches "The" at a sentence's start too."""
    def one(name: str) -> str:
        if the_either_case and name.startswith("the "):
            return "[Tt]he " + re.escape(name[4:])
        return re.escape(name)

    return "|".join(one(n) for n in sorted(names, key=len, reverse=True))
