"""Parties a text names in lower case or by their family, not by a proper name: "the rebels",
"the junta", "the port operators", "the employers' federation", "the centre-right liberals".

One actor per set of synonyms ("the junta" and "the military government"); a role the text ties
to an actor it names ("the rebels of the X Front", "Sudan's army") is that actor's alias.
"""

from __future__ import annotations

import re

from accord.draft.found import Found, any_of, snake

ROLES = {  # a party a text names in lower case -> the one actor its synonyms are
    "rebels": "rebels", "insurgents": "rebels", "guerrillas": "rebels",
    "rebel movement": "rebels", "separatists": "separatists", "militants": "militants",
    "militia": "militias", "militias": "militias", "junta": "junta",
    "military government": "junta", "military regime": "junta", "army": "army",
    "military": "army", "armed forces": "army", "opposition": "opposition",
    "opposition parties": "opposition", "unions": "unions", "trade unions": "unions",
    "union": "unions",
    "employers": "employers", "diaspora": "diaspora", "churches": "churches",
    "clergy": "churches", "protesters": "protesters", "demonstrators": "protesters",
    "settlers": "settlers", "hardliners": "hardliners",
}
# interest groups named by what they are: "the port operators", "the employers' federation",
# "the dockers' union", "the fishing industry" (a singular head needs a word before it: "the
# association" alone is more often a body under negotiation than a party to it)
GROUPS = "operators|owners|producers|farmers|workers|dockers|employers|exporters|importers|" \
    "growers|fishermen|miners|doctors|nurses|teachers|students|veterans|businesses|unions"
_GROUP = (rf"(?:[a-z][\w'’-]*\s+){{0,2}}(?:{GROUPS})|(?:[a-z][\w'’-]*\s+){{1,2}}"
          r"(?:federation|association|industry|lobby|confederation)|[a-z]+(?:s['’]|['’]s)\s+union")
_ROLES = any_of(ROLES)
_ROLE = _ROLES + "|" + _GROUP
# "the military" as a party, not "the military option": what follows is a verb, a pause or
# a preposition, not another noun; "the nationalist opposition" is "the opposition"
ROLE_AS_PARTY = re.compile(
    rf"\b[Tt]he\s+(?:(?P<adj>[a-z]+)\s+(?=(?:{_ROLES})\b))?(?P<role>{_ROLE})"
    r"(?=['’]s\b|\s*[,.;:)—–]|\s+(?:and|or|of|in|to|for|on|"
    r"at|from|who|which|that|still|now|also|has|have|had|is|are|was|were|will|would|could|"
    r"may|might|can|must|should|says?|said|wants?|insists?|insisted|demands?|demanded|"
    r"rejects?|rejected|refuses?|refused|agreed?|accepts?|accepted|vowed|vows?|fears?|"
    r"hopes?|threaten\w*|warn\w*|controls?|holds?|funds?|backs?|see|sees|saw)\b)")


PARTIES = {  # a party a text names by its family -> the one actor its names are
    "liberals": "liberals", "liberal party": "liberals", "greens": "greens",
    "green party": "greens", "conservatives": "conservatives", "conservative party":
    "conservatives", "tories": "conservatives", "socialists": "socialists", "socialist party":
    "socialists", "social democrats": "social_democrats", "christian democrats":
    "christian_democrats", "democrats": "democrats", "republicans": "republicans",
    "labour": "labour", "labour party": "labour", "nationalists": "nationalists",
    "populists": "populists", "communists": "communists",
}
_ORIENT = r"(?:(?:centre|center|far|hard|hard-line|moderate)-(?:right|left)|left-wing|right-wing)"
_PARTY = any_of(PARTIES)
# "the centre-right liberals", "the Christian democrats", "Labour": a party family after "the"
# or an orientation, or capitalised (not "the labour market", "democrats in the region")
PARTY = re.compile(
    rf"(?:\b[Tt]he\s+(?:{_ORIENT}\s+)?|\b{_ORIENT}\s+)(?P<party>(?i:{_PARTY}))\b"
    r"(?!\s+(?:market|costs?|force|laws?|rights?|values|principles|institutions|board|"
    r"ministers?|ministry|relations|court|unions?|correspondent|department|code)\b)"
    r"|(?<!of )\b(?P<named>Labour|Tories|Greens|Liberals|Conservatives|Social Democrats|"
    r"Christian Democrats)\b(?!\s+(?:Minister|Ministry|Relations|Court|Board|Department|Code|"
    r"Day)\b)")  # "the Ministry of Labour", "Labour Minister": labour the field, no party


def party_actors(text: str) -> list[Found]:
    """Parties a text names by their family ("the centre-right liberals", "Labour leaders",
    "the liberal party"): one actor per family, with the forms the text used."""
    out: dict[str, Found] = {}
    for m in PARTY.finditer(text):
        said = m.group("party") or m.group("named")
        key = PARTIES[said.lower()]
        name = key.replace("_", " ").title()
        entry = out.setdefault(key, Found(key, name, "organisation", first=m.start(),
                                          strong=True))
        entry.saw(re.sub(r"^The ", "the ", m.group().strip()), m.start(), True)
    return list(out.values())


def role_actors(text: str, known: list[Found]) -> list[Found]:
    """Parties named in lower case, one actor per synonym set, each with the forms the text
    used; a role tied to a named actor ("X's army", "the rebels of X") is that actor's alias."""
    out: dict[str, Found] = {}
    owners: dict[str, Found | None] = {}
    for m in ROLE_AS_PARTY.finditer(text):
        role = m.group("role")
        if role not in owners:
            owners[role] = _owner(text, role, known)
        owner, form = owners[role], " ".join(["the", *filter(None, [m["adj"]]), role])
        if owner is not None:
            owner.saw(form, owner.first, owner.strong)
            continue
        key = ROLES.get(role) or snake(role)
        name = key.capitalize() if role in ROLES else role[0].upper() + role[1:]
        entry = out.setdefault(key, Found(key, name, "organisation", first=m.start(),
                                          strong=True))
        entry.saw(form, m.start(), True)
    return list(out.values())


def _owner(text: str, role: str, known: list[Found]) -> Found | None:
    """The named actor the text ties a role to: "Sudan's army", "the rebels of the X Front",
    "the opposition People's Unity Coalition" (one search of every actor's names; the first
    tie in the text wins)."""
    by_form = {form: f for f in known for form in f.names}
    if not by_form:
        return None
    names = any_of(by_form)
    role = re.escape(role)
    m = re.search(rf"(?<![\w])(?P<a>{names})['’]s\s+{role}\b|\b[Tt]he\s+{role}\s+(?:of|from|"
                  rf"in)\s+(?:the\s+)?(?P<b>{names})(?![\w])|(?<![\w])(?P<c>{names})\s+{role}\b"
                  rf"|\b[Tt]he\s+{role}\s+(?P<d>{names})(?![\w])", text)
    return None if m is None else by_form[m.group("a") or m.group("b") or m.group("c")
                                          or m.group("d")]
