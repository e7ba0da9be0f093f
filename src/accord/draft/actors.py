"""The actors a text names: states (by name, capital, demonym, seat or leader) and organisations.

A capital or seat stands for its state's government, a demonym for its state when the text
uses it of a government ("Turkish officials") or more than once, a leader for the state the
text ties them to ("Israel's Prime Minister Benjamin Netanyahu").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from accord.draft.gazetteer import ORGANISATIONS, fold, gazetteer

GOVERNMENT_NOUNS = (
    "government|officials?|president|prime minister|foreign minister|minister|ministry|"
    "leaders?|leadership|authorities|forces|military|army|troops|side|delegation|negotiators?|"
    "diplomats?|parliament|administration|envoy|state|regime|pressure|position|demands?|"
    "proposal|counterparts?|navy|cabinet|premier|chancellor|king|emir"
)
TITLES = (
    r"President|Prime Minister|Premier|Chancellor|Foreign Minister|Defen[cs]e Minister|"
    r"Vice President|Deputy Prime Minister|King|Queen|Emir|Crown Prince|Supreme Leader|"
    r"Secretary of State|Foreign Secretary|Sultan|Speaker|Special Envoy|Envoy|Ambassador|"
    r"Minister of [A-Z][a-z]+(?: Affairs)?"
)
PERSON = r"[A-Z][\w'’.-]+(?:\s+(?:al-|bin\s+|de\s+|van\s+|von\s+)?[A-Z][\w'’-]+){0,3}"
MIN_DEMONYM_MENTIONS = 1  # a state named only by its adjective is still named
DEMONYM_EXCEPTIONS = {"Latin", "South", "Central", "North"}  # "Latin America(n)" is no state


@dataclass
class Found:
    id: str
    name: str
    group: str  # "state" | "organisation"
    aliases: list[str] = field(default_factory=list)
    first: int = 0
    strong: bool = False  # named as a state (not only by a demonym in passing)
    mentions: int = 0

    def saw(self, form: str, at: int, strong: bool) -> None:
        if form != self.name and form not in self.aliases:
            self.aliases.append(form)
        self.first = min(self.first, at)
        self.strong = self.strong or strong
        self.mentions += 1


def snake(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", fold(text).lower()).strip("_")


@cache
def _lookup() -> tuple[dict[str, tuple[str, str]], re.Pattern[str]]:
    """surface form -> (kind, key); one regex of every form, longest first."""
    g = gazetteer()
    forms: dict[str, tuple[str, str]] = {}
    for dem, keys in g.demonyms.items():
        forms[dem] = ("demonym", keys[0])
    for cap, key in g.capitals.items():
        forms[cap] = ("capital", key)
    for name, key in g.names.items():
        forms[name] = ("name", key)
    for oid, _, surfaces in ORGANISATIONS:
        for s in surfaces:
            forms[s] = ("org", oid)
    alternation = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return forms, re.compile(rf"(?<![\w.])(?:{alternation})(?![\w])")


def find_actors(text: str) -> list[Found]:
    """The actors, in order of first mention, each with the names the text used for it."""
    forms, pattern = _lookup()
    found: dict[str, Found] = {}
    for m in pattern.finditer(text):
        kind, key = forms[m.group()]
        if (kind == "demonym" or m.group() == "America") and _after_exception(text, m.start()):
            continue
        strong = kind != "demonym" or _governmental(text, m.end())
        _note(found, kind, key, m.group(), m.start(), strong)
    for leader, key, at in leaders(text):
        _note(found, "name", key, leader, at, True)
    for acronym, full, at in defined_acronyms(text, forms):
        _note_org(found, acronym, full, at)
    keep = [f for f in found.values()
            if f.strong or f.group == "organisation" or f.mentions >= MIN_DEMONYM_MENTIONS]
    return sorted(keep, key=lambda f: f.first)


def _after_exception(text: str, start: int) -> bool:
    before = text[max(0, start - 12):start].split()
    return bool(before) and before[-1] in DEMONYM_EXCEPTIONS


def _governmental(text: str, end: int) -> bool:
    return re.match(rf"\s+(?:{GOVERNMENT_NOUNS})\b", text[end:end + 40], re.IGNORECASE) is not None


def _note(found: dict[str, Found], kind: str, key: str, form: str, at: int, strong: bool) -> None:
    if kind == "org":
        name = next(n for oid, n, _ in ORGANISATIONS if oid == key)
        entry = found.setdefault(key, Found(key, name, "organisation", first=at))
    else:
        name = gazetteer().countries[key].name
        entry = found.setdefault(key, Found(snake(name), name, "state", first=at))
    entry.saw(form, at, strong)


def _note_org(found: dict[str, Found], acronym: str, full: str, at: int) -> None:
    key = "org:" + acronym
    entry = found.setdefault(key, Found(snake(acronym), full, "organisation", first=at))
    entry.saw(acronym, at, True)


AFTER_STATE = re.compile(rf"(?:['’]s)?\s+(?:{TITLES})\s+(?P<person>{PERSON})")
BEFORE_STATE = re.compile(rf"\b(?:{TITLES})\s+(?P<person>{PERSON})\s+of\s+")


def leaders(text: str) -> list[tuple[str, str, int]]:
    """(leader's name, state key, position) wherever the text ties a titled person to a state:
    "Israel's Prime Minister Benjamin Netanyahu", "President Ilham Aliyev of Azerbaijan"."""
    forms, pattern = _lookup()
    tied = []
    for m in pattern.finditer(text):
        after = AFTER_STATE.match(text, m.end())
        if after:
            tied.append((after.group("person"), m.group(), after.start("person")))
    for m in BEFORE_STATE.finditer(text):
        state = pattern.match(text, m.end())
        if state:
            tied.append((m.group("person"), state.group(), m.start("person")))
    out = []
    for person, state, at in tied:
        kind, key = forms[state]
        person = re.sub(r"['’]s$", "", person).rstrip(".,")
        if kind != "org" and person not in forms:
            out.append((person, key, at))
    return out


def defined_acronyms(
    text: str, forms: dict[str, tuple[str, str]]
) -> list[tuple[str, str, int]]:
    """Organisations the text names and abbreviates: "Nile Basin Initiative (NBI)"."""
    rx = r"((?:[A-Z][\w-]+\s+)(?:(?:of|for|the|and|on|in)\s+|[A-Z][\w-]+\s+){0,7})\(([A-Z]{2,8})\)"
    out = []
    for m in re.finditer(rx, text):
        full, acronym = _expansion(m.group(1).split(), m.group(2)), m.group(2)
        if acronym not in forms and full and full not in forms:
            out.append((acronym, full, m.start()))
    return out


def _expansion(words: list[str], acronym: str) -> str | None:
    """The words the acronym abbreviates: the shortest tail starting with its first letter and
    holding at least as many capitalised words as it has letters, else the longest such tail."""
    starts = [i for i, w in enumerate(words) if w[0] == acronym[0]]
    for i in reversed(starts):
        if sum(w[0].isupper() for w in words[i:]) >= len(acronym):
            return " ".join(words[i:])
    return " ".join(words[starts[0]:]) if starts else None
