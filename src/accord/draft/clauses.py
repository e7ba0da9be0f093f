"""Short clauses from a sentence: an event's name, its id, and the two sides of a link."""

from __future__ import annotations

import re
from dataclasses import dataclass

from accord.draft import cues
from accord.draft.gazetteer import fold
from accord.draft.typology import is_failure, lemma_set, words_of
from accord.scenario.conditions import KEYWORDS

MAX_NAME_WORDS = 14
ID_WORDS = 4
MAX_ID = 40
MAX_REPORTER_WORDS = 10  # "Turkish officials have made it clear that ..."
STOP = frozenset(
    "a an the of to in on for with and or but that this these those its it their they them he "
    "she his her be is are was were been being has have had will would could may might shall "
    "can should must not also only just even very then there which who whom whose by as at "
    "from into than so such any all some more most other another one two both either neither "
    "if once unless until after before while when where what how why do does did done make "
    "made however yet still indeed now already soon likely unlikely whether about over under "
    "up out no nor our we us you your i me my itself themselves cannot won wouldn couldn "
    "said says say according".split()
)
LEAD = re.compile(r"^(?:but|and|yet|so|still|however|indeed|meanwhile|moreover|crucially|"
                  r"because|since|although|though|whereas|while|"
                  r"instead|in turn|for now|for its part|at the same time)\b,?\s*", re.IGNORECASE)
# who says or judges what follows ("officials said that X"): verbs as lemmas (every form of
# them, accord.draft.forms), and the few other words that report ("it is unclear whether X")
REPORTING_VERBS = frozenset(
    "say warn argue insist believe claim predict hope fear expect suggest note state announce "
    "signal agree judge think tell add indicate speculate doubt conclude report confirm "
    "acknowledge".split())
REPORTING_WORDS = frozenset("clear unclear possible likely is was".split())


def reporting(text: str) -> bool:
    """Says who reports or judges: a reporting verb in any form, or "unclear", "is" ..."""
    return bool(REPORTING_VERBS & lemma_set(text)
                or REPORTING_WORDS & {w.lower() for w in words_of(text)})


PRONOUN = re.compile(r"(?:it|they|he|she|this|we|there)\b", re.IGNORECASE)
ASIDE_WORDS = re.compile(r",\s*(?:by contrast|for (?:its|their|his|her|our) part|in turn|however|"
                         r"meanwhile|in particular|for example|for instance|of course|too|"
                         r"though|moreover|in short|at least)\b\s*(?:,|$)", re.IGNORECASE)
# a relative clause between commas; the comma of 40,000 is inside a number, not its end
ASIDE = re.compile(r",\s*(?:which|who|where|whose)\b(?:[^,;]|(?<=\d),(?=\d{3}))*,")
CLAUSE_BREAK = re.compile(r"[;:]|\s[—–]\s?|—|,\s+(?:and|but|while|whereas|although|yet)\s+")
# a lower-case "may" is a modal left over, "May" a month ("run out by May")
TRAILING = re.compile(r"(?:\s+(?:would|could|will|(?-i:may)|might|can|should|must|likely|also|"
                      r"is|are|be|has|have|had|was|were|to))+$", re.IGNORECASE)
LIKELIER = re.compile(r"\s+(?:(?:more|less|all the more)\s+)?(?:likely|likelier|probable|"
                      r"inevitable)\b.*$", re.IGNORECASE)
TAIL = re.compile(r"(?:\s(?:that|which|who)\s+(?:would|could|will|may|might|is|are|was|were|has|"
                  r"have)\b|,\s*(?:with which|which|who|whom|where|while|although|though|as)\b|"
                  r"\s[—–]\s?|—|;|:|\.\s|\(|\)).*$")


# where the event a chance is "of" ends: its date, the number, or the verb that follows
CHANCE_END_OF = re.compile(r"\s+at\s+(?=(?:about|around|roughly|some|no|less|more|just|only|"
                           r"nearly|almost|under|over|least|best|most|even|one|two|three|four|"
                           r"five|a\s+(?:third|quarter|half)|\d))|"
                           r"\s+(?:by|before|within|is|are|was|were|as|stands?|remains?|"
                           r"put|rises?|falls?|seems?)\b|\s+(?:of\s+)?(?:about|around|roughly)"
                           r"\b|[,;:()—–]|\s\d")
CHANCE_END_THAT = re.compile(r"\s+(?:by|before|within)\b|[,;:()—–]")
# (pattern, replacement, how): the negations an event's name can lose, the first that applies
NEGATIONS: tuple[tuple[re.Pattern[str], str, str], ...] = tuple(
    (re.compile(p, re.IGNORECASE), r, how) for p, r, how in (
        (r"\b(?:is|are|was|were|seems?|looks?|remains?)\s+(?:(?:very|highly|most)\s+)?"
         r"(?:unlikely|improbable)\s+to\b", "will", "unlikely"),
        (r"\s+(?:is|are|was|were|seems?|looks?|remains?)\s+(?:(?:very|highly|most)\s+)?"
         r"(?:unlikely|improbable)\b", "", "unlikely"),
        (r"\b(will|would|could|can|may|might|shall|should)\s+not\b", r"\1", "not"),
        (r"\bwon['’]t\b", "will", "not"),
        (r"\b(would|could|should)n['’]t\b", r"\1", "not"),
        # "is not of Russian origin": a state of things, not an event
        (r"\b(is|are|was|were)\s+not\b", r"\1", "state"),
        (r"\b(is|are|was|were)n['’]t\b", r"\1", "state"),
        (r"\bcan(?:not|['’]t)\b", "can", "not"),
        (r"\brefus(?:es|ed|e)\s+to\b", "will", "not"),
        (r"^no\s+(?!one\b|longer\b|more\b|doubt\b|matter\b)", "a ", "not"),  # "no deal is reached"
    )
)


@dataclass(frozen=True)
class Affirmed:
    """A clause said without its negation, and which negation it had ("", "not", "unlikely"):
    "Baku will not sign if Y" is the event "Baku will sign", which Y rules out."""

    text: str
    negation: str  # "", "not", "state" (a state of things negated) or "unlikely"


def affirmed(clause: str) -> Affirmed:
    for pattern, replacement, how in NEGATIONS:
        said = pattern.sub(replacement, clause, count=1)
        if said != clause:
            return Affirmed(" ".join(said.split()), how)
    return Affirmed(clause, "")


def chance_clause(sentence: str) -> str | None:
    """The event a sentence gives a chance of: "put the chance of a signed accord by June at
    40 percent" -> "a signed accord"; "a 25% chance that the truce holds" -> "the truce holds"."""
    m = cues.CHANCE_OF.search(sentence)
    if m is None:
        return None
    rest = sentence[m.end():]
    end = (CHANCE_END_THAT if m.group("that") else CHANCE_END_OF).search(rest)
    clause = tidy(rest[: end.start()] if end else rest)
    return clause if _enough(clause) else None


_VERBS = ("holds?|collapses?|fails?|succeeds?|agrees?|signs?|goes|go|resumes?|breaks?|stalls?|"
          "is|are|was|were|has|have|had|will|would|could|may|might|can|should|must|does|do|"
          "did|remains?|continues?|ends?|passes|pass|falls?|survives?|lasts?|expires?|opens?|"
          "closes?|meets?|wins?|loses?|takes?|comes?|enters?|proceeds?|works?|gets?|"
          "becomes?|starts?|begins?|reach(?:es)?|leads?|is signed|gets? signed")
# the subject a later "it" stands for: "if the truce holds, ...; if it collapses"
SUBJECT = re.compile(rf"^(?:(?:if|once|when|unless|should|after)\s+)?(?P<np>(?:the|a|an|this)\s+"
                     rf"(?:[\w'’-]+\s+){{0,2}}?[\w'’-]+)\s+(?:{_VERBS})\b", re.IGNORECASE)
IT = re.compile(r"^it\b", re.IGNORECASE)


def referent(clause: str) -> str | None:
    """The singular subject a clause opens with ("the truce holds" -> "the truce"), which a
    later "it" may stand for; none for a plural ("the talks fail") or an unclear opening."""
    m = SUBJECT.match(clause.strip())
    if m is None:
        return None
    last = m.group("np").split()[-1].lower()
    return None if last.endswith("s") and not last.endswith("ss") else m.group("np")


def with_referent(clause: str, np: str | None) -> str:
    """"it collapses" said of "the truce": "the truce collapses"."""
    return IT.sub(np, clause.strip(), count=1) if np and IT.match(clause.strip()) else clause


@dataclass(frozen=True)
class Split:
    """A sentence cut at a link cue: X (consequent) and Y (antecedent), both from its words."""

    x: str
    y: str
    kind: str


DATELINE = re.compile(r"^[A-Z][A-Z.'’ -]{2,40}(?:,\s*[A-Z][\w.]*)?\s*[—–-]+\s+")  # "ROTTERDAM — "


# "..., diplomats say": who said it, after what they said
REPORTER_TAIL = re.compile(r",\s*(?:[\w'’-]+\s+){0,3}(?:say|says|said|believe|believes|think|"
                           r"thinks|argue|argues|warn|warns|note|notes|suggest|suggests|"
                           r"reckon|reckons|insist|insists)$", re.IGNORECASE)


def tidy(clause: str) -> str:
    clause = ASIDE_WORDS.sub("", DATELINE.sub("", clause)).strip(" ,;:—–-\"'“”‘’.?!")
    clause = REPORTER_TAIL.sub("", clause)
    while True:
        shorter = TRAILING.sub("", LEAD.sub("", clause)).strip(" ,;:—–-\"'“”‘’.?!")
        if shorter == clause:
            break
        clause = shorter
    return clause


# "the junta wants the rebels to disarm": what is wanted is "the rebels disarm"
WANTS = re.compile(
    r"^(?P<who>(?:\S+\s+){0,8}?)(?:wants?|wanted|expects?|expected|urges?|urged|asks?|asked|"
    r"calls? on|called on|presses|pressed|pushes|pushed|needs?|needed|wishes|wished)\s+"
    r"(?P<whom>(?:the\s+|its\s+|their\s+)?\S+(?:\s+\S+){0,3}?)\s+to\s+(?P<what>[a-z]\w*\b.*)$",
    re.IGNORECASE)


# "the army has said it will resume its offensive": the army will resume its offensive
SAID_IT = re.compile(
    r"^(?P<who>(?:\S+\s+){0,7}?\S+)\s+(?:has\s+|have\s+|had\s+)?(?:said|says|say|announced|"
    r"warned|signall?ed|indicated|insisted|insists|made clear|stated|declared|confirmed|vowed|"
    r"pledged|promised|threatened)(?:\s+that)?\s+(?:it|they|he|she)\s+"
    r"(?P<rest>(?:will|would|could|may|might|can|shall)\b.*)$",
    re.IGNORECASE)


# "the minister said his government will withdraw": what was said, its subject kept
SAID_CLAUSE = re.compile(
    r"^(?P<who>(?:\S+\s+){1,10}?)(?:has\s+|have\s+|had\s+)?(?:said|says|say|announced|warned|"
    r"stated|declared|confirmed|insisted|insists)(?:\s+that)?\s+"
    r"(?!(?:on|in|at|by|last|this|next|earlier|later)\b)"  # not "said on Tuesday it would"
    r"(?P<rest>(?:[\w'’-]+\s+){1,4}?(?:will|would|could|may|might|can|shall)\s+\w.*)$",
    re.IGNORECASE)


# "most observers expect a settlement in October": the event is "a settlement in October"
FORESEES = re.compile(r"^(?P<who>.+?)\s+(?:expect|expects|expected|predict|predicts|predicted|"
                      r"foresee|foresees|anticipate|anticipates|anticipated)\s+"
                      r"(?P<what>(?:a|an|the|some|more|further|new|another)\s+(?!\w+\s+to\b).+)$",
                      re.IGNORECASE)


def reported(clause: str) -> str:
    """What was said or wanted, not who said it: "officials said that X" -> "X" (unless X is
    "it ...": "the army said it will resume" -> "the army will resume"); "the junta wants the
    rebels to disarm" -> "the rebels disarm"."""
    wanted = WANTS.match(clause)
    if wanted and not PRONOUN.fullmatch(wanted.group("whom")) and wanted.group("whom") not in STOP:
        return f"{wanted.group('whom')} {wanted.group('what')}"
    foreseen = FORESEES.match(clause)
    if foreseen and len(foreseen.group("who").split()) <= MAX_REPORTER_WORDS:
        return foreseen.group("what")
    said = SAID_IT.match(clause)
    if said and content_words(said.group("who")) and not cues.MODAL.search(said.group("who")):
        return f"{said.group('who')} {said.group('rest')}"
    said_clause = SAID_CLAUSE.match(clause)
    if said_clause and not PRONOUN.match(said_clause.group("rest")):
        return said_clause.group("rest")
    parts = re.split(r"\b(?:that|whether)\s+", clause, maxsplit=1)
    if (len(parts) == 1 or len(parts[0].split()) > MAX_REPORTER_WORDS
            or not reporting(parts[0]) or PRONOUN.match(parts[1])):
        return clause
    return parts[1] if len(parts[1].split()) >= 3 else clause


def main_clause(sentence: str) -> str:
    """The clause holding the sentence's first cue (modal, demand), asides removed."""
    text = ASIDE.sub("", sentence)
    m = cues.MODAL.search(text) or cues.DEMAND.search(text)
    if m is None:
        return text
    pieces = list(CLAUSE_BREAK.finditer(text))
    start = max((b.end() for b in pieces if b.end() <= m.start()), default=0)
    end = min((b.start() for b in pieces if b.start() >= m.end()), default=len(text))
    clause = text[start:end]
    return clause if len(content_words(clause)) >= 2 else text


# "a treaty is unlikely before 2028" names the event "a treaty before 2028"; "Baku is likely
# to sign" names "Baku will sign": how likely is the hazard's business, not the name's
PREDICATE = re.compile(
    r"\s+(?:is|are|was|were|seems?|looks?|remains?|appears?)\s+(?:(?:now|still|also|"
    r"increasingly|very|highly|quite|most|more|less|widely|almost|nearly)\s+)?(?:likely|"
    r"unlikely|possible|impossible|probable|improbable|expected|imminent|doubtful|in doubt|"
    r"certain)\b(?P<to>\s+to\b)?", re.IGNORECASE)


def plain(clause: str) -> str:
    """What the clause says may happen: without who said or wanted it, and without how likely
    it is (the hazard's business)."""
    likely = PREDICATE.sub(lambda m: " will" if m.group("to") else "", clause, count=1)
    return tidy(reported(tidy(likely)))  # (before tidy, which drops a trailing "likely")


# where a long clause's core ends: before a phrase that says where, when, how or which
PHRASE_START = frozenset("at in on by for with from to within before after during over under "
                         "through across against while which who that as since".split())
MIN_CORE_WORDS = 3


# a participial phrase after the clause, saying what follows from it or how
PARTICIPLE = re.compile(r",\s+(?!(?:during|including|according|regarding|concerning|"
                        r"following|notwithstanding|pending|something|nothing|anything)\b)"
                        r"[a-z]+ing\b")


def name_of(clause: str) -> str:
    """The clause, or, if long, its core up to the last phrase that starts within the first
    words ("the formula could be settled [at the ministerial meeting ...]"); cut with "…"
    only where no phrase starts there (an event then listed for review, not drafted)."""
    words = plain(clause).split()
    if len(words) <= MAX_NAME_WORDS:
        return " ".join(words)
    participle = PARTICIPLE.search(" ".join(words))  # ", raising the prospect of ...": how
    if participle and MIN_CORE_WORDS <= len(" ".join(words)[:participle.start()].split()) \
            <= MAX_NAME_WORDS:
        return " ".join(words)[:participle.start()]
    ends = [k for k in range(MIN_CORE_WORDS, MAX_NAME_WORDS + 1)
            if words[k].lower() in PHRASE_START]
    if ends:
        core = " ".join(words[:ends[-1]])
        return re.sub(r",(?:\s+\S+){0,2}$", "", core)  # not "..., planned"
    return " ".join(words[:MAX_NAME_WORDS]) + " …"


def content_words(text: str) -> list[str]:
    words = re.findall(r"[a-z][a-z0-9]*", fold(text).lower())
    return [w for w in words if w not in STOP and len(w) > 1 and not w.endswith("ly")]


def id_of(clause: str) -> str:
    """A short snake_case id: the words around the clause's verb (the modal, if any)."""
    text = plain(clause)
    m = cues.MODAL.search(text)
    if m:
        before, after = content_words(text[: m.start()]), content_words(text[m.end():])
        words = before[-2:] + after[: ID_WORDS - len(before[-2:])]
    else:
        words = content_words(text)[:ID_WORDS]
    out = "_".join(words)[:MAX_ID].strip("_") or "event"
    return out if out not in KEYWORDS and not out[0].isdigit() else f"e_{out}"


def split_links(sentence: str) -> list[Split]:
    """The sentence's links: a leading one ("If Y, X"), then the first cue in what follows."""
    lead = cues.LEADING.match(sentence)
    out: list[Split] = []
    if lead:
        cue = lead.group("cue").lower()
        kind = {"unless": "unless", "until": "until", "absent": "absent", "without": "absent",
                "failing": "absent", "barring": "absent"}.get(cue, "requires")
        sentence = lead.group("x")
        mid = _mid_link(sentence)
        x, y = _side(main_clause(sentence)), _side(lead.group("y"))
        if mid is not None and mid.x in x:  # "If Y, X in return for Z": Y and Z both lead to X
            x = mid.x
        if _enough(x) and _enough(y):
            out.append(Split(x, y, kind if kind == "absent" else _leads(kind, y)))
    else:
        mid = _mid_link(sentence)
    return out + ([mid] if mid is not None else [])


# a reason given for the clause before it ("X, not least because Y until Z"): a cue inside it
# links the reason's own parts, which are background, not the sentence's event
REASON = re.compile(r"\b(?:because|given that)\b", re.IGNORECASE)


def _mid_link(sentence: str) -> Split | None:
    """The first cue in the sentence that leaves words on both sides ("X unless Y, and Z
    would need W": the unless), and is not inside a reason given for what comes before it."""
    found = [(m, kind) for pattern, kind in cues.LINKS if (m := pattern.search(sentence))]
    for m, kind in sorted(found, key=lambda f: f[0].start()):
        before, rest = _last_clause(sentence[: m.start()]), sentence[m.end():]
        if REASON.search(before):
            continue
        after = _side(LIKELIER.sub("", rest) if kind == "leads" else rest)
        if kind == "enables" or kind == "leads":
            x, y = after, before
            kind = "leads" if kind == "leads" else "requires"
        else:
            x, y = before, after
        if _enough(x) and _enough(y):
            return Split(x, y, _leads(kind, y))
    return None


def _side(text: str) -> str:
    """The first clause of what follows a cue."""
    text = tidy(text)
    first = CLAUSE_BREAK.search(text)
    return tidy(TAIL.sub("", text[: first.start()] if first else text))


def _last_clause(text: str) -> str:
    """The clause that ends where the cue begins: "A said X; but B would" -> "B would"."""
    text = ASIDE.sub("", text)
    ends = [b.end() for b in CLAUSE_BREAK.finditer(text)]
    for start, stop in zip(reversed([0, *ends]), reversed([*ends, len(text)]), strict=True):
        clause = tidy(text[start:stop])
        if clause:  # "X — provided Y": the piece before the dash
            return clause
    return tidy(text)


def _enough(clause: str) -> bool:
    return len(content_words(clause)) >= 1 and len(clause.split()) >= 2


def _leads(kind: str, y: str) -> str:
    """A failure that makes the consequent likelier is a modifier, not a precondition."""
    return "leads" if kind == "requires" and is_failure(y) else kind
