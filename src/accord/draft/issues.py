"""Issues, only where a sentence names a contested matter and two sides ("Egypt, at odds with
Ethiopia over the Nile dam"; "Serbia and Kosovo disagree on the association's powers").

Each side's position is a wide default at its own end of the scale, labelled for review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from accord.draft import numbers as N
from accord.draft.actors import find_actors
from accord.draft.clauses import content_words, tidy
from accord.draft.found import Found
from accord.draft.sentences import Sentence
from accord.draft.text import Article, checked_quote

CONTEST = re.compile(
    r"\b(?:(?:are|is|remain|remains|were|was)\s+)?(?:at odds|divided|split|disagree(?:s|d)?|"
    r"clash(?:es|ed)?|argu(?:e|es|ed|ing)|dispute(?:s|d)?|quarrel(?:s|led)?|row(?:s|ed)?|"
    r"feud(?:s|ing)?|in a dispute|locked in a dispute|wrangl(?:e|es|ed|ing)|differ(?:s|ed)?|"
    r"at loggerheads|(?:in a )?stand-?off|spar(?:s|red|ring)?|tussl(?:e|es|ed|ing)|"
    r"bicker(?:s|ed|ing)?|(?:have |had )?locked horns|(?:have |had )?disagreements?)\s+"
    r"(?:with\s+[^,;]+?\s+)?(?:over|on|about)\s+(?P<matter>[^,;:.—–]{3,80})",
    re.IGNORECASE,
)
MAX_ISSUES = 10
ISSUE_WORDS = 4
SIDE_LOW = {"low": 0, "high": 30}  # the first side named wants the low end
SIDE_HIGH = {"low": 70, "high": 100}


@dataclass(frozen=True)
class Contest:
    id: str
    matter: str
    sides: tuple[str, str]  # actor ids, in the order the sentence names them
    names: tuple[str, str]
    quote: str


def contests(sentences: list[Sentence], actors: dict[str, str], article: Article
             ) -> list[Contest]:
    """Contested matters with two known sides; `actors` maps found ids to drafted ids."""
    out: dict[str, Contest] = {}
    for s in sentences:
        m = CONTEST.search(s.text)
        quote = checked_quote(s.text, article) if m is not None else None
        if m is None or quote is None or len(out) >= MAX_ISSUES:
            continue
        sides = _sides(find_actors(s.text), actors)
        matter = tidy(m.group("matter"))
        words = content_words(matter)[:ISSUE_WORDS]
        if len(sides) < 2 or not words:
            continue
        iid = "_".join(words)[:40]
        if iid not in out:
            out[iid] = Contest(iid, matter, (sides[0][0], sides[1][0]),
                               (sides[0][1], sides[1][1]), quote)
    return list(out.values())


def _sides(found: list[Found], actors: dict[str, str]) -> list[tuple[str, str]]:
    return [(actors[f.id], f.name) for f in found if f.id in actors]


def issue(c: Contest, source: str) -> dict[str, Any]:
    (a, b), (name_a, name_b) = c.sides, c.names
    return {
        "id": f"issue_{c.id}",
        "name": c.matter,
        "scale": {"min": 0, "max": 100, "min_means": f"as {name_a} wants",
                  "max_means": f"as {name_b} wants"},
        "positions": {a: _stance(SIDE_LOW, source, c.quote),
                      b: _stance(SIDE_HIGH, source, c.quote)},
    }


def _stance(position: dict[str, Any], source: str, quote: str) -> dict[str, Any]:
    return {"position": N.drafted(position, source, [quote]),
            "salience": N.drafted(N.DEFAULT_SALIENCE)}
