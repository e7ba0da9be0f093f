"""The actors a text names: states (by name, capital, demonym, seat or leader) and organisations.

A capital or seat stands for its state's government, a demonym for its state when the text
uses it of a government ("Turkish officials") or more than once, a leader for the state the
text ties them to ("Israel's Prime Minister Benjamin Netanyahu").

Names no gazetteer holds (an invented country, a rebel front, a new party) are found by their
shape (`shaped_actors`): a state as "the government of X", "X's government" or "the Republic of
X"; an organisation as capitalised words ending in a noun such as Front, Party or Council
("the Eastern Coastal Front"), which "the Front" then refers back to. Parties a text names
in lower case or by their family are found by `accord.draft.roles`.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable
from functools import cache

from accord.draft.acronyms import bare_acronyms
from accord.draft.found import Found, any_of, names_of, snake
from accord.draft.gazetteer import ORGANISATIONS, gazetteer
from accord.draft.named_orgs import named_orgs
from accord.draft.roles import party_actors, role_actors

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
    return forms, re.compile(rf"(?<![\w.])(?:{any_of(forms)})(?![\w])")


def find_actors(text: str) -> list[Found]:
    """The actors, in order of first mention, each with the names the text used for it."""
    forms, pattern = _lookup()
    found: dict[str, Found] = {}
    for m in pattern.finditer(text):
        kind, key = forms[m.group()]
        if (kind == "demonym" or m.group() == "America") and _after_exception(text, m.start()):
            continue
        if kind == "capital" and (VENUE.search(text[max(0, m.start() - 10):m.start()])
                                  or NAMED_AFTER.match(text, m.end())):
            continue
        strong = kind != "demonym" or _governmental(text, m.end())
        _note(found, kind, key, m.group(), m.start(), strong)
    for leader, key, at in leaders(text):
        _note(found, "name", key, leader, at, True)
    for acronym, full, at in defined_acronyms(text, forms):
        _note_org(found, acronym, full, at)
    for f in shaped_actors(text, forms, found.values()):
        found["shape:" + f.id] = f
    taken = names_of(found.values())
    demonyms = {form for form, (kind, _) in forms.items() if kind == "demonym"}
    for f in named_orgs(text, demonyms, taken | set(forms)):
        found.setdefault("named:" + f.id, f)
    for f in bare_acronyms(text, names_of(found.values()) | set(forms)):
        found.setdefault("acronym:" + f.id, f)
    head_aliases(text, list(found.values()))
    for f in role_actors(text, list(found.values())):
        found["role:" + f.id] = f
    for f in party_actors(text):
        found.setdefault("role:" + f.id, f)
    every = list(found.values())
    keep = [f for f in every
            if (f.strong or f.group == "organisation" or f.mentions >= MIN_DEMONYM_MENTIONS)
            and not (f.group == "state" and f.only_inside(every))]
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
        words, acronym = m.group(1).split(), m.group(2)
        full = _expansion(words, acronym) or _named_body(words)
        if acronym not in forms and full and full not in forms:
            out.append((acronym, full, m.start()))
    return out


def _named_body(words: list[str]) -> str | None:
    """An acronym of another language ("National Liberation Army (ELN)"): the capitalised
    words before it, if they name a body (end in Army, Front, Party ...)."""
    name = " ".join(w for w in words if w[0].isupper())
    return name if " " in name and ORG_NAME_END.search(name) else None


def _expansion(words: list[str], acronym: str) -> str | None:
    """The words the acronym abbreviates: the shortest tail starting with its first letter and
    holding at least as many capitalised words as it has letters, else the longest such tail."""
    starts = [i for i, w in enumerate(words) if w[0] == acronym[0]]
    for i in reversed(starts):
        if sum(w[0].isupper() for w in words[i:]) >= len(acronym):
            return " ".join(words[i:])
    return " ".join(words[starts[0]:]) if starts else None


WORD = r"[A-Z][\w'’-]*[a-z][\w'’-]*"  # a capitalised word, not an acronym
# the last word of a company's name ("First Quantum Minerals", "Qantas Airways"), which the
# text may leave off ("First Quantum has agreed")
COMPANY_HEADS = ("Minerals|Mining|Metals|Holdings|Industries|Airways|Airlines|Petroleum|"
                 "Motors|Shipping|Pharmaceuticals|Technologies|Corp|Inc|Ltd|Limited|PLC")
COMPANY_NAME = re.compile(rf"^(?P<short>.+?)\s+(?:{COMPANY_HEADS})$")
ORG_HEADS = (
    "Front|Movement|Party|Alliance|Council|Army|Group|Organi[sz]ation|League|Coalition|"
    "Committee|Commission|Congress|Brigades?|Authority|Bloc|Militia|Assembly|Association|"
    "Federation|Union|Forces|Mission|Consortium|Corporation|Company|Tribunal|Court|"
    "Conference|Community|Confederation|Institute|Agency|Service|" + COMPANY_HEADS
)
SHAPED_ORG = re.compile(
    rf"\b(?P<name>(?:{WORD}\s+){{1,5}}(?P<head>{ORG_HEADS}))\b"
    rf"(?P<tail>(?:\s+(?:of|for|on)\s+(?:the\s+)?{WORD}(?:\s+{WORD}){{0,3}}){{1,2}})?")
# "Qantas's chief operating officer", "Maersk's board": whoever has one is a company
COMPANY_OFFICE = re.compile(
    rf"\b(?P<name>{WORD}(?:\s+{WORD}){{0,2}})['’]s?\s+(?:chief executive|chief operating "
    r"officer|chief financial officer|CEO|chairman|chairwoman|board of directors|"
    r"shareholders)\b")
ORG_NAME_END = re.compile(rf"\b(?:{ORG_HEADS}|Parliament|Presidency|Secretariat)$")
STATE_OF = (r"(?:[Gg]overnment|Republic|Kingdom|Emirate|Sultanate|Principality|Federation|"
            r"Free State)")
SHAPED_STATE = re.compile(
    rf"\b{STATE_OF} of (?P<a>{WORD}(?:\s+{WORD})?)|\b(?P<b>{WORD})(?:['’]s)? government\b(?! of)"
    rf"|\b(?P<c>{WORD})['’]s\s+(?:{TITLES})\b")
ITEM = rf"(?:the\s+)?(?:{STATE_OF} of\s+)?{WORD}(?:\s+{WORD}){{0,2}}"
FROM_LIST = re.compile(  # "negotiators from Karelia, Dunmark and the Free State of Orvia"
    rf"\b(?i:negotiators|delegations?|delegates|officials|envoys|diplomats|representatives|"
    rf"ministers|leaders) from (?P<list>{ITEM}(?:(?:,\s*|,?\s+and\s+){ITEM})*)")
# "met in Vilnius", "left for Riga": a capital as a place, not a party
VENUE = re.compile(r"\b(?:in|at|near|outside|to|for|via)\s+$")
# "the Lisbon round", "the Minsk agreements": a capital naming talks held there
NAMED_AFTER = re.compile(r"\s+(?:round|talks|summit|meeting|process|agreements?|accords?|format|"
                         r"declaration|framework|protocol|conference|group|memorandum|"
                         r"communiqu[eé]|negotiations)\b")
NOT_NAMES = {  # capitalised for their place in a sentence or as titles, not names
    "The", "This", "That", "These", "Those", "A", "An", "Its", "Their", "His", "Her", "Our",
    "Any", "Each", "Every", "New", "Interim", "Transitional", "Federal", "National", "Central",
    "Regional", "Military", "Previous", "Current", "Unity", "Caretaker", "Provisional",
    "Both", "Neither", "Either", "Local", "Coalition", "Opposition", "Government", "If",
    "When", "While", "But", "And", "Officials", "Analysts", "Mediators",
}


FORMER = {"Soviet Union", "Ottoman Empire", "Austro-Hungarian Empire", "Warsaw Pact",
          "League of Nations"}  # history a text recalls, not a party to today's talks


def shaped_actors(text: str, forms: dict[str, tuple[str, str]],
                  known: Iterable[Found]) -> list[Found]:
    """States and organisations named by the shape of their names, not already known."""
    taken = names_of(known) | set(forms)
    out: dict[str, Found] = {}
    for at, name, form in _state_names(text):
        if name and not _taken(name, taken) and form not in taken:  # ("Faroese": known)
            # "negotiators from ... the Council": a body
            group = "organisation" if ORG_NAME_END.search(name) else "state"
            _shaped(out, name, group, at).saw(form, at, True)
    for m in SHAPED_ORG.finditer(text):
        name = _trim(m.group("name") + (m.group("tail") or ""), taken)
        if name and " " in name and not _taken(name, taken):
            _shaped(out, name, "organisation", m.start()).seen.append((m.start(), len(m[0])))
    for m in COMPANY_OFFICE.finditer(text):
        name = _trim(m.group("name"), taken)
        if name and not _taken(name, taken) and name not in out:
            _shaped(out, name, "organisation", m.start()).seen.append((m.start(), len(name)))
    for short in [f for f in out.values() if f.group == "organisation"]:
        longer = [f for f in out.values() if f is not short and f.group == "organisation"
                  and f.name.endswith(" " + short.name)]  # "Coastal Front" of "Eastern ..."
        if len(longer) == 1:
            longer[0].saw(short.name, short.first, True)
            del out[short.name]
    for f in list(out.values()):
        at = [m.start() for m in re.finditer(rf"(?<![\w]){re.escape(f.name)}(?![\w])", text)]
        f.mentions = len(at)
        f.first = min([f.first, *at])  # named before the shape that showed what it is
        if f.group == "state":
            for dem in sorted(_demonyms(f.name)):
                if re.search(rf"\b{re.escape(dem)}\b", text):
                    f.saw(dem, f.first, True)
    return list(out.values())


def head_aliases(text: str, found: list[Found]) -> None:
    """"the Front" of the Eastern Coastal Front, "the Parliament" of the European Parliament:
    an organisation's head noun, where the text uses it and no other actor shares it; and a
    company's name without its last word ("First Quantum" of First Quantum Minerals)."""
    names = names_of(found)
    for f in found:
        if f.group != "organisation" or " " not in f.name:
            continue
        company = COMPANY_NAME.match(f.name)
        short = company.group("short") if company else None
        if short and short not in names and (m := re.search(
                rf"(?<![\w'’-]){re.escape(short)}(?!\s+(?:{COMPANY_HEADS})\b)(?![\w'’-])",
                text)):
            f.saw(short, m.start(), True)
        head = f.name.split(" of ")[0].split(" for ")[0].split()[-1]
        if sum(g.name.split(" of ")[0].endswith(head) for g in found) == 1 and \
                re.search(rf"\b[Tt]he {re.escape(head)}\b", text):
            f.saw(f"the {head}", f.first, True)


def _state_names(text: str) -> list[tuple[int, str, str]]:
    """(where, the state's name, the words that named it) for states named by shape."""
    out = [(m.start(), _trim(m.group("a") or m.group("b") or m.group("c")),
            m.group().strip()) for m in SHAPED_STATE.finditer(text)]
    for m in FROM_LIST.finditer(text):
        for item in re.split(r",\s*|,?\s+and\s+", m.group("list")):
            name = _trim(re.sub(rf"^(?:the\s+)?(?:{STATE_OF} of\s+)?", "", item))
            out.append((m.start("list") + m.group("list").find(item), name, item))
    return out + _by_adjective(text)


# "the Valdorian delegation" of a text that also names Valdoria: that state (not "Republican
# leaders" of a text that says "Republic")
NOT_OF_STATES = {"Republican", "Christian", "Humanitarian", "Parliamentarian", "Presidential"}
ADJECTIVE_OF_STATE = re.compile(rf"\b(?P<adj>[A-Z][a-z]+(?:ian|an|ese|ish|i))\s+"
                                rf"(?:{GOVERNMENT_NOUNS})\b")


def _by_adjective(text: str) -> list[tuple[int, str, str]]:
    """(where, state, adjective) for an adjective used of a government whose state the text
    names, though no gazetteer holds it."""
    words = set(re.findall(r"\b[A-Z][a-z]{3,}\b", text))
    out = []
    for m in ADJECTIVE_OF_STATE.finditer(text):
        if m.group("adj") in NOT_OF_STATES:
            continue
        states = [w for w in words if m.group("adj") in _demonyms(w)]
        if len(states) == 1:
            out.append((m.start(), states[0], m.group("adj")))
    return out


def _demonyms(name: str) -> set[str]:
    """The adjectives an unknown state's name may take: Orvia → Orvian, Dunmark → Dunmarkish."""
    stem = name[:-1] if name[-1] in "aey" else name
    return {name + "n", name + "an", name + "ian", stem + "an", stem + "ian", name + "ese",
            name + "i", name + "ish", stem + "ese", stem + "i"}


POSSESSIVE = re.compile(r"['’]s$")


def _trim(name: str, owners: Container[str] | None = None) -> str:
    """The name without the sentence's or a title's capitalised words before it, nor its
    owner's ("Estonia's Reform Party" is the Reform Party); with `owners`, a possessive is an
    owner only if it is one of them ("the People's Unity Coalition" keeps its first word)."""
    words = name.split()
    while words and (words[0] in NOT_NAMES or POSSESSIVE.search(words[0]) and len(words) > 2
                     and (owners is None or POSSESSIVE.sub("", words[0]) in owners)):
        words = words[1:]
    return " ".join(words)


def _taken(name: str, taken: set[str]) -> bool:
    """Known already, or history, or the end of a known name ("Liberation Army" of the
    "National Liberation Army"), or led by a known one-word name ("Turkish Army"; not
    "Teamsters Canada Rail Conference")."""
    name = POSSESSIVE.sub("", name)  # "Libya's" is Libya
    first = name.split()[0] if name.split() else ""
    return name in taken or name in FORMER or (len(first) > 3 and first in taken) or (
        " " in name and any(t.endswith(" " + name) for t in taken))


def _shaped(out: dict[str, Found], name: str, group: str, at: int) -> Found:
    return out.setdefault(name, Found(snake(name), name, group, first=at, strong=True))
