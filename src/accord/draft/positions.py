"""Positions a text states as numbers, one issue per sentence that gives two sides' numbers for
the same thing: "The unions are asking for a 9 percent pay rise; the port operators have offered
4.5 percent", "Reykjavik insists on 16.5 percent of the total, Oslo on no more than 12".

Each side's position is the number it names, quoted; the scale runs from 0 to a round number
half as high again as the largest (drafted, for review); saliences are the wide default.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from accord.draft import numbers as N
from accord.draft.clauses import content_words, tidy
from accord.draft.dates import CANDIDATE
from accord.draft.found import any_of
from accord.draft.issues import CONTEST, ISSUE_WORDS
from accord.draft.sentences import Sentence
from accord.draft.text import Article, checked_quote

STANCE = re.compile(
    r"\b(?:ask(?:s|ed|ing)?\s+for|demand(?:s|ed|ing)?|wants?|wanted|insist(?:s|ed|ing)?\s+on|"
    r"offer(?:s|ed|ing)?|propos(?:e|es|ed|ing)|seek(?:s|ing)?|sought|push(?:es|ed|ing)?\s+for|"
    r"call(?:s|ed|ing)?\s+for|hold(?:s|ing)?\s+out\s+for|settle\s+for|accept(?:s|ed)?|"
    r"press(?:es|ed|ing)?\s+for|bid|put\s+forward|tabled?)\b",
    re.IGNORECASE,
)
# "..., Oslo on no more than 12": the stance of the side before, left out
ELLIPSIS = re.compile(r"^\s*(?:on|at|for|with)\b", re.IGNORECASE)
UNIT = (r"%|percent\b|per cent\b|percentage points?\b|points?\b|billion\b|million\b|"
        r"euros?\b|dollars?\b|pounds?\b|tonnes?\b|tons?\b|years?\b|months?\b|days?\b")
NUMBER = re.compile(rf"(?<![\w.,])(?P<n>\d+(?:\.\d+)?)(?!\.\d)(?:\s*(?P<unit>{UNIT}))?",
                    re.IGNORECASE)
MATTER_WORDS = 3
BREAK = re.compile(r"[,;:.()—–]|\s(?:and|but|while|whereas)\s")
# "a 9 percent pay rise over two years": the matter ends where its complement begins
COMPLEMENT = re.compile(r"(?<=\w)\s+(?:over|for|in|by|from|to|until|before|within|across|"
                        r"per|each|a|an)\b.*$", re.IGNORECASE)


@dataclass(frozen=True)
class Stated:
    actor: str  # the drafted actor's id
    value: float
    unit: str
    matter: str  # the words after the number: what it is a number of


def stated_issues(sentences: list[Sentence], forms: dict[str, str], article: Article,
                  source: str) -> tuple[list[dict[str, Any]], set[str]]:
    """An issue for each sentence in which two or more actors name numbers for the same thing
    (`forms`: each name the text uses of an actor -> its drafted id); and the sentences' quotes,
    so that no other rule drafts a second issue from them."""
    pattern = _forms_pattern(forms)
    out: dict[str, dict[str, Any]] = {}
    used: set[str] = set()
    for s in sentences:
        stated = _stated(s.text, pattern, forms)
        quote = checked_quote(s.text, article) if len(stated) >= 2 else None
        if quote is None:
            continue
        words, name = _matter(s.text, stated)
        if not words:
            continue
        iid = "issue_" + "_".join(words)[:40]
        if iid not in out:
            out[iid] = _issue(iid, name, stated, source, quote)
            used.add(quote)
    return list(out.values()), used


def _forms_pattern(forms: dict[str, str]) -> re.Pattern[str] | None:
    if not forms:
        return None
    return re.compile(rf"(?<![\w])(?:{any_of(forms, the_either_case=True)})(?![\w])")


def _stated(text: str, pattern: re.Pattern[str] | None, forms: dict[str, str]) -> list[Stated]:
    """(actor, number) where an actor's mention is followed, before the next one, by a stance
    verb (or an ellipsis after a side that had one) and then a number not part of a date."""
    mentions = list(pattern.finditer(text)) if pattern is not None else []
    if not mentions:
        return []
    out: list[Stated] = []
    for m, nxt in zip(mentions, [*mentions[1:], None], strict=True):
        segment = text[m.end(): nxt.start() if nxt else len(text)]
        num = _number(segment)
        if num is None:
            continue
        before = segment[: num.start()]
        if not (STANCE.search(before) or (out and ELLIPSIS.match(before))):
            continue
        actor = forms.get(m.group()) or forms.get("the " + m.group()[4:])
        unit = (num.group("unit") or (out[-1].unit if out else "")).lower()
        after = BREAK.split(segment[num.end():], maxsplit=1)[0]
        if actor and all(x.actor != actor for x in out):
            out.append(Stated(actor, float(num.group("n")), _unit(unit), after))
    units = {x.unit for x in out}
    return out if len(units) == 1 else []


def _number(segment: str) -> re.Match[str] | None:
    """The segment's first number that is neither a year nor part of a date (the dates
    `accord.draft.dates` recognises: "12 May", "May 12, 2026")."""
    dates = [m.span() for m in CANDIDATE.finditer(segment)]
    for num in NUMBER.finditer(segment):
        n, unit = num.group("n"), num.group("unit")
        year = unit is None and "." not in n and 1900 <= int(n) <= 2100
        if not year and not any(a <= num.start() < b for a, b in dates):
            return num
    return None


def _unit(unit: str) -> str:
    return "percent" if unit in ("%", "per cent") else unit


def _matter(text: str, stated: list[Stated]) -> tuple[list[str], str]:
    """(words for the issue's id, its name): the matter the sentence says the sides contest
    ("at odds over the share each should take"), else what the first number is a number of."""
    contest = CONTEST.search(text)
    if contest:
        return content_words(contest.group("matter"))[:ISSUE_WORDS], tidy(contest["matter"])
    for x in stated:
        words = content_words(COMPLEMENT.sub("", x.matter.strip()))[:MATTER_WORDS]
        if words:
            return words, " ".join(words)
    return [], ""


def _issue(iid: str, matter: str, stated: list[Stated], source: str, quote: str
           ) -> dict[str, Any]:
    unit = stated[0].unit
    top = _round_up(1.5 * max(x.value for x in stated))
    top = int(top) if top == int(top) else top
    return {
        "id": iid,
        "name": f"{matter} ({unit})" if unit else matter,
        "scale": {"min": 0, "max": top, "min_means": f"0 {unit}".strip(),
                  "max_means": f"{top:g} {unit}".strip()},
        "positions": {
            x.actor: {"position": {"value": x.value, "evidence": N.evidence(source, [quote])},
                      "salience": N.drafted(N.DEFAULT_SALIENCE)}
            for x in stated
        },
    }


def _round_up(x: float) -> float:
    """The next round number at or above x: 1, 2, 2.5, 5 or 10 times a power of ten."""
    if x <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(x))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= x - 1e-12)
