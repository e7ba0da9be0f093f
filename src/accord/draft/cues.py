"""The words that make a sentence draftable: what may happen, is demanded, or depends on what.

A link cue splits a sentence into a consequent (X) and an antecedent (Y); its kind says how:
"requires" (X when Y), "unless" (X when not Y, or X when Y if X is negated), "until" (X when Y
if X is negated), "enables" (Y is written first: "Y is a precondition for X"), "leads" (Y
makes X likelier: a modifier).
"""

from __future__ import annotations

import re

_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|"
          r"December|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)")
MONTH = _MONTH

MODAL = re.compile(
    r"\b(?:could|would|will|may|might|shall|can|cannot|can['’]t|won['’]t|wouldn['’]t|"
    r"couldn['’]t|(?:un)?likely|expected to|expects?|anticipates?|foresees?|predicts?|"
    r"set to|poised to|plan(?:s|ned)? to|"
    r"intends? to|aims? to|threat(?:en|ens|ened)? to|going to|risks?|prospects? of|"
    r"possibility|chances? (?:of|that)|odds (?:of|that)|planned for|slated|ready to|"
    r"prepared to|willing(?:ness)? to|"
    r"promised? to|pledged? to|vowed? to|hopes? to|seeks? to|upcoming|next round|"
    r"scheduled|due to|forthcoming|offer(?:s|ed)? to|propos(?:e|es|ed) to|warn(?:s|ed)?|"
    r"fears? that|next (?:week|month|year)|dangers? of|threats? of|looms?|looming|imminent|"
    r"on the (?:brink|verge) of|in the offing|possible|possibly|perhaps|probably|expected|"
    r"remains? to be seen|whether|in case|potential(?:ly)?|due|push(?:es|ed)? for|"
    r"press(?:es|ed)? for|wants? to|seek(?:s|ing)?|intention|aim(?:s|ed)? at|"
    r"later this (?:week|month|year)|in the coming (?:days|weeks|months))\b",
    re.IGNORECASE,
)
NOT_MODAL = re.compile(r"(?:political|good|the|free|ill|of)\s+will\b(?!\s+(?:be|not|have))|"
                       r"\bwill\s+of\b", re.IGNORECASE)
DEMAND = re.compile(
    r"\b(?:demand(?:s|ed)?|insist(?:s|ed)?|wants?|call(?:s|ed)? (?:on|for)|urge(?:s|d)?|must|"
    r"should|ultimatum|deadline|no later than|by the end of|before the end of|"
    r"red lines?|precondition|prerequisite)\b",
    re.IGNORECASE,
)
# (pattern, kind): mid-sentence cues, X before, Y after
LINKS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.IGNORECASE), k) for p, k in (
        (r"\b(?:is|are|was|were|remains?|be|seen as|as)(?: also| still| now| seen as)? "
         r"(?:a |an |the )?(?:necessary |key |"
         r"essential |first |vital |crucial )?(?:pre-?condition|prerequisite|condition)s? "
         r"(?:for|to|of)\b", "enables"),
        (r"\b(?:paves?|paved|paving|clears?|cleared|opens?|opened|open) the (?:way|door) "
         r"(?:for|to)\b",
         "enables"),
        (r"\b(?:depend(?:s|ed|ing)?|hinges?|hinged|hinging|rests?|turns?) (?:up)?on\b",
         "requires"),
        (r"\b(?:conditional|contingent|conditioned|predicated) (?:up)?on\b", "requires"),
        (r"\b(?:is|are|was|were|remains?|be|been) (?:closely )?(?:tied|linked) to\b", "requires"),
        (r"\b(?:subject to|pending|in the event (?:that|of)|assuming(?: that)?)\b", "requires"),
        (r"\b(?:only|but only|not) (?:after|once|if|when|before|until)\b", "requires"),
        (r"\bon (?:the )?condition that\b", "requires"),
        (r"\b(?:provided|providing)(?: that)?\b", "requires"),
        (r"\b(?:as|so) long as\b", "requires"),
        (r"\bin (?:exchange|return) for\b", "requires"),
        (r"\b(?:requires?|required|requiring|would need|will need|needs)\b", "requires"),
        (r"\bunless\b", "unless"),
        (r"\buntil\b", "until"),
        (r"\bonce\b(?! again| more| before)", "requires"),
        (r"\b(?:would|could|will|might|may|can) (?:increase|raise|heighten|boost) the (?:risk|"
         r"chances?|likelihood|odds|danger|probability) (?:of|that)\b", "leads"),
        (r"\b(?:would|could|will|might|may|can) (?:make|render)\b(?=.*\b(?:likely|likelier|"
         r"probable|inevitable)\b)", "leads"),
        (r"\b(?:could|would|might|will|may|can) (?:trigger|lead to|prompt|spark|provoke|"
         r"escalate into|result in|push)\b", "leads"),
        (r"\bif\b", "requires"),
    )
)
# Y written first: "If Y, X", "Once Y, X", "Unless Y, X", "Only after Y will X"
LEADING = re.compile(
    r"^(?:(?:but|and|yet|so|still|however|indeed|moreover|crucially),?\s+)?"
    r"(?P<cue>if|once|unless|provided(?: that)?|as long as|so long as|only (?:after|once|if|when)|"
    r"should|in (?:exchange|return) for|after|until|in the event (?:that|of)|assuming(?: that)?|"
    r"absent|without|failing|barring|were)\s+(?P<y>[^,]{3,}?),\s*(?P<x>.+)$",
    re.IGNORECASE,
)
NEGATED = re.compile(r"\b(?:not|never|no longer|refuses?|refused|won['’]t|cannot|can['’]t|"
                     r"wouldn['’]t|\w+n['’]t)\b", re.IGNORECASE)
MEETING = re.compile(
    r"\b(?:summit|meeting|meet|talks|conference|session|vote|votes|election|elections|"
    r"referendum|visit|round|negotiations|ceremony|signing|deadline|expires?|hearing)\b",
    re.IGNORECASE,
)
# an outcome the text only expects or hopes for: "officials expect a deal at the summit on
# 6 December" is a chance decided then, not a certain event
HEDGE = re.compile(
    r"\b(?:expect(?:s|ed)?|anticipat(?:e|es|ed)|hop(?:e|es|ed|ing)|could|may|might|"
    r"(?:un)?likely|possibl[ey]|probabl[ey]|perhaps|aims? (?:to|at)|seeks? to|push(?:es)? for|"
    r"whether|prospects?|chances?|odds)\b", re.IGNORECASE)
# an outcome at a meeting ("a deal at the summit", "settled at the ministerial meeting"), not
# the meeting itself
AT_MEETING = re.compile(
    r"\b(?:at|during)\s+(?:the|a|an|this|that|next|its|their)\s+(?:[\w-]+\s+){0,3}?(?:summit|meeting|"
    r"conference|session|round|talks|ceremony|negotiations)\b", re.IGNORECASE)
# "55-80%", "between 20 and 30 percent": a range the text gives
PERCENT_RANGE = re.compile(r"\b(\d{1,3}(?:\.\d+)?)\s?(?:%|percent|per cent)?\s?(?:–|—|-|to|and)\s?"
                           r"(\d{1,3}(?:\.\d+)?)\s?(?:%|percent\b|per cent\b)")
PERCENT = re.compile(r"\b(\d{1,3}(?:\.\d+)?)\s?(?:%|percent\b|per cent\b)")
NUMBER_WORDS = {"a hundred": 100, "a thousand": 1000, "one": 1, "two": 2, "three": 3, "four": 4,
                "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twenty": 20,
                "hundred": 100, "thousand": 1000}
_N = r"(?:\d{1,4}|" + "|".join(NUMBER_WORDS).replace(" ", r"[\s-]+") + ")"
RATIO = re.compile(rf"\b({_N})[\s-]in[\s-]({_N})\b", re.IGNORECASE)  # "one in four", "1-in-3"
EVEN = re.compile(r"\b(?:even odds|fifty-fifty|fifty fifty|a coin toss|a coin flip)\b|"
                  r"\bodds\b[^.;]*\b(?:as|are|at|is)\s+(?:roughly\s+|about\s+|broadly\s+)?"
                  r"even\b",
                  re.IGNORECASE)
PROBABILITY = re.compile(r"\b(?:chances?|probability|likelihood|likely|(?<!at )odds|risks?)\b",
                         re.IGNORECASE)  # "at odds over" is a dispute, not a chance
NUMBER_CLAUSE = re.compile(r"[;:]|\s[—–]\s")  # a chance and its number are in one clause
# "the chance of X", "a 40% chance that X": X is the event the chance is of
CHANCE_OF = re.compile(r"\b(?:chances?|probability|likelihood|odds|risks?|prospects?)\s+"
                       r"(?:(?P<of>of|for)|(?:is\s+|are\s+)?(?P<that>that))\s+", re.IGNORECASE)


MIN_WORDS = 5  # shorter sentences are headings, captions and asides


# "This brief assesses ...": the text speaking of itself, not of what may happen
ABOUT_ITSELF = re.compile(r"^(?:This|The present|Our)\s+(?:brief|paper|report|analysis|article|"
                          r"note|memo|piece|study|commentary|assessment|chapter|section)\b")
# Words of estimative probability as a sentence's predicate, with the ranges the US
# Intelligence Community's standard ICD 203 gives them
ESTIMATIVE = (  # the longer phrases first
    (r"almost no chance|remote", (0.01, 0.05)),
    (r"very unlikely|highly unlikely|highly improbable", (0.05, 0.20)),
    (r"unlikely|improbable|improbably|doubtful", (0.20, 0.45)),
    (r"roughly even|an even chance|a toss-up", (0.45, 0.55)),
    (r"almost certain(?:ly)?|nearly certain", (0.95, 0.99)),
    (r"very likely|highly likely|highly probable", (0.80, 0.95)),
    (r"likely|probable|probably", (0.55, 0.80)),
)
# Sherman Kent's table ("Words of Estimative Probability", Studies in Intelligence 8(4), 1964):
# each class's centre give or take its spread (93 +/- 6, 75 +/- 12, 50 +/- 10, 30 +/- 10,
# 7 +/- 5 percent) and the words the table puts in it, with close variants of them ("we doubt",
# "chances are slight", "some slight chance"), for the words ICD 203 does not list
# (ICD 203's own words keep its ranges); Kent's bounds, "certain" and "impossible", are no
# estimates and are not read
KENT = (
    (r"almost certainly not|virtually impossible|almost impossible|some slight chance|"
     r"highly doubtful|chances are slight", (0.02, 0.12)),
    (r"virtually certain|all but certain", (0.87, 0.99)),
    (r"(?:chances are )?(?:slightly )?(?:better|less) than even|(?:chances are )?about even|"
     r"chances about even", (0.40, 0.60)),
    (r"probably not|we doubt", (0.20, 0.40)),
    (r"we believe|we estimate|chances are good", (0.63, 0.87)),
)
_WEP = "|".join(w for w, _ in (*KENT[:4], *ESTIMATIVE))
ESTIMATE = re.compile(
    rf"\b(?:is|are|was|were|seems?|looks?|remains?|appears?|be|been|considered|judged|deemed)"
    rf"\s+(?:(?:now|still|also|increasingly|thus|therefore|widely)\s+)?[\"“‘']?(?P<wep>{_WEP})\b",
    re.IGNORECASE)
# The same words as adverbs of a verb in the future ("talks will probably begin", "Baku will
# likely refuse"): ICD 203 gives "probably" and "improbably" as forms of its "probable" and
# "improbable"; "probably not" and "almost certainly not" are Kent's. Not after "would": what
# would probably happen is conditional on something ("a drought would likely delay the talks")
ADVERB = re.compile(
    r"\b(?:will|shall|(?:is|are) going to)\s+(?P<wep>almost certainly not|almost certainly|"
    r"(?:very|highly) likely|probably not|probably|likely|improbably)\b", re.IGNORECASE)
# Kent's words that frame a judgment rather than predicate it: "we doubt the talks resume",
# "chances are good that ...", "chances are slightly better than even that ..."
FRAMED = re.compile(r"\b(?P<wep>we (?:believe|estimate|doubt)|chances are (?:good|slight|about "
                    r"even|(?:slightly )?(?:better|less) than even))\b", re.IGNORECASE)


# A judgment written as a label and its estimate, as assessments list them ("- Signature of
# an exchange agreement by June: likely, about 65 percent"; "Collapse of the round: about one
# in five"; "Full implementation: we doubt it"): the label is the event, and what follows the
# colon opens with the chance, in words or as a number (not a share: "10 percent of revenue")
_APPROX = r"(?:(?:about|around|roughly|perhaps|some|maybe|an estimated|at most|at least)\s+)?"
JUDGED = re.compile(
    rf"^\s*(?:[-–—•*]\s*)?(?P<event>[^:]*[A-Za-z][^:]*?)\s*:\s+(?P<estimate>{_APPROX}"
    rf"(?:(?:we doubt|{_WEP})\b|\d{{1,3}}(?:\.\d+)?\s?(?:%|percent\b|per cent\b)(?!\s+of\b)|"
    rf"{_N}[\s-]in[\s-]{_N}\b).*)$", re.IGNORECASE | re.DOTALL)
# the words a judgment's estimate opens with ("likely, about 65 percent"; "we doubt it")
OPENING = re.compile(rf"{_APPROX}(?P<wep>we doubt|{_WEP})\b", re.IGNORECASE)


def judgment(sentence: str) -> tuple[str, str] | None:
    """(the event, its estimate) of a sentence written as a label and its estimate."""
    m = JUDGED.match(sentence)
    if m is None or len(m.group("event").split()) < 2:
        return None
    return m.group("event"), m.group("estimate")


def estimate(sentence: str) -> tuple[float, float, str] | None:
    """The chance a sentence states in words ("a treaty is unlikely before 2028", "the chance
    ... was 'better than even'", "talks will probably begin", "we doubt ...", a judgment's
    "Collapse of the round: unlikely"): the range ICD 203 gives the words, else Kent's
    table's, and the words."""
    judged = judgment(sentence)
    m = (ESTIMATE.search(sentence) or ADVERB.search(sentence) or FRAMED.search(sentence)
         or (OPENING.match(judged[1]) if judged else None))
    if m is None:
        return None
    words = m.group("wep").lower()
    return next(((*rng, words) for pattern, rng in (*ESTIMATIVE, *KENT)
                 if re.fullmatch(pattern, words, re.IGNORECASE)), None)


def source_of(words: str) -> str:
    """Whose table gives the words' range: ICD 203's, else Kent's (1964)."""
    icd = any(re.fullmatch(p, words, re.IGNORECASE) for p, _ in ESTIMATIVE)
    return "ICD 203" if icd else "Kent 1964"


def is_draftable(sentence: str) -> bool:
    """Says what may happen, is demanded, depends on something, or is a judgment."""
    if len(sentence.split()) < MIN_WORDS or ABOUT_ITSELF.match(sentence):
        return False
    if any(p.search(sentence) for p, _ in LINKS) or DEMAND.search(sentence) or \
            judgment(sentence):
        return True
    cleaned = NOT_MODAL.sub(" ", sentence)
    return any(m.group() != "May" for m in MODAL.finditer(cleaned))


def chance_in_words(text: str) -> float | None:
    """A chance the text writes as a ratio ("one in four", "1-in-3") or as even odds."""
    if EVEN.search(text):
        return 0.5
    for m in RATIO.finditer(text):
        a, b = (int(x) if x.isdigit() else NUMBER_WORDS[" ".join(re.split(r"[\s-]+", x.lower()))]
                for x in m.groups())
        if 0 < a <= b:
            return a / b
    return None
