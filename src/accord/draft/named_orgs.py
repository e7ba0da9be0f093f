"""Organisations a text names by a proper name that no gazetteer holds and whose name does
not end in a noun such as Party or Council (accord.draft.actors' shapes):

- a name the text puts before the common noun it is ("the GMB union", "the liberal NEOS
  party", "the Unite union");
- a name the text puts after the common noun it is ("the conciliation service Acas", "the
  shipping company Maersk", "the teachers' union Asoprof");
- a name led by a state's adjective that is no government, place or title ("Canadian National",
  "Canadian Pacific Kansas City", "the Chinese Communist Party").
"""

from __future__ import annotations

import re
from collections.abc import Container

from accord.draft.found import Found, snake

NAME = r"(?:[A-Z][\w'’&-]*[a-z][\w'’-]*|[A-Z]{2,8})"  # "Unite", "GMB", "NEOS"
BODY = (r"union|party|group|company|firm|alliance|movement|coalition|federation|association|"
        r"agency|service|regulator|mediator|body|broadcaster|operator|insurer|militia")
# at most one lower-case word before the name or the noun, a plural's possessive too ("the
# teachers' union Asoprof")
MODIFIER = r"(?:[a-z][\w-]*(?<=s)['’]|[a-z][\w-]*)"
# "the GMB union", "the liberal NEOS party"
BEFORE_NOUN = re.compile(rf"\b[Tt]he\s+(?:{MODIFIER}\s+)?(?P<name>{NAME})\s+(?P<noun>{BODY})\b")
# "the conciliation service Acas": the noun, then the name, then no capitalised word
AFTER_NOUN = re.compile(rf"\b[Tt]he\s+(?:{MODIFIER}\s+)?(?P<noun>{BODY})\s+(?P<name>{NAME})"
                        r"(?![\w'’-]|\s+[A-Z])")
# a name led by a state's adjective: the words after it, none a place's, a title's or a
# government's
NOT_AFTER_ADJECTIVE = re.compile(
    r"^(?:Ocean|Sea|Gulf|Peninsula|Basin|River|Strait|Islands?|Plateau|Desert|Mountains?|"
    r"Coast|Border|Government|Ministry|Minister|Foreign|Defen[cs]e|Prime|President|Army|"
    r"Navy|Air|Armed|Parliament|Embassy|Ambassador|Republic|Federation|Empire|Kingdom|"
    r"Capital|City|State|Supreme|Constitutional|Court|January|February|March|April|May|June|"
    r"July|August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|"
    r"Friday|Saturday|Sunday|Central|Union|Military|Presidential|Press|Foreign)$")
TITLE_WORDS = frozenset("Minister Secretary President Envoy Ambassador Chancellor Premier "
                        "Governor Mayor Commissioner Chief General Admiral Spokesman "
                        "Spokeswoman Spokesperson Leader".split())
CAP = r"(?!(?:In|On|At|With|For|And|Of|The|To|From|By|As|But|Or)\b)[A-Z][a-z]+"
LED = rf"(?P<adj>[A-Z][a-z]+) (?P<rest>{CAP}(?: {CAP}){{0,3}})"  # on one line


def named_orgs(text: str, demonyms: Container[str], taken: Container[str]) -> list[Found]:
    """The organisations named by these shapes, not already known, in order of mention."""
    out: dict[str, Found] = {}
    for rx in (BEFORE_NOUN, AFTER_NOUN):
        for m in rx.finditer(text):
            name = m.group("name")
            if name not in taken and not _common(name, text):
                f = out.setdefault(name, Found(snake(name), name, "organisation",
                                               first=m.start(), strong=True))
                f.saw(f"{name} {m.group('noun')}" if rx is BEFORE_NOUN else name,
                      m.start(), True)
    for m in re.finditer(rf"(?<![\w'’-])(?={LED}\b)", text):  # overlapping: "The Peruvian ..."
        name = f"{m.group('adj')} {m.group('rest')}"
        if (m.group("adj") in demonyms and name not in taken
                and not NOT_AFTER_ADJECTIVE.match(m.group("rest").split()[0])
                and not TITLE_WORDS & set(m.group("rest").split())
                and not text[m.end("rest"):m.end("rest") + 2].startswith(("'s", "’s"))):
            out.setdefault(name, Found(snake(name), name, "organisation", first=m.start(),
                                       strong=True)).saw(name, m.start(), True)
    return sorted(out.values(), key=lambda f: f.first)


def _common(name: str, text: str) -> bool:
    """A word the text also writes in lower case is no name ("The Union" at a sentence's
    start); an acronym always is one."""
    return not name.isupper() and re.search(rf"\b{re.escape(name.lower())}\b", text) is not None
