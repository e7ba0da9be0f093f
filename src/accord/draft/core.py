"""The core of a clause, from which the actors of its event are read: not the reporting frame
("..., Chinese officials said on Sunday", "People familiar with the talks said ..."), not a
relative or appositive clause (", where China is building a port", ", which hosts refugees",
", an option the Social Democrats oppose"),
not a dateline ("KUNMING, 14 February 2027 - "), not the venue ("in the Chinese city of
Kunming"); and a state named only as the possessive of an actor ("Austria's conservative
People's Party") is not a side of the event beside it."""

from __future__ import annotations

import re
from typing import Any

from accord.draft.found import any_of

SAY = (r"(?:said|says|say|told|tells|announced|announces|reported|reports|added|adds|"
       r"confirmed|confirms|insisted|insists|argued|argues|warned|warns|believes?|think|"
       r"thinks|expects?|according\s+to)")
DATELINE = re.compile(r"^[A-Z][A-Z.'’ -]{2,40},[^-—–]{0,40}?\s[—–-]+\s+")
# "..., Chinese officials said on Sunday, after months of fighting"
FRAME_AFTER = re.compile(rf",\s*(?:[^,]{{0,60}}?)\b{SAY}\b[^,]*(?=,|$)")
# "People familiar with the talks said a deal ..."; "Negotiators say that ..."
FRAME_BEFORE = re.compile(rf"^[^,]{{0,80}}?\b{SAY}\b(?:\s+(?:on|last|this|earlier)\s+\w+)?"
                          r"(?:\s+that)?\s+(?=\S)")
SPEAKER = re.compile(r"(?:it|its|they|their|he|his|she|her|we|our)\b", re.IGNORECASE)
RELATIVE = re.compile(r",\s*(?:where|which|who|whom|whose)\b[^,]*(?:,|$)")
# a summative appositive, which says who thinks what of the clause before it: ", an option the
# Social Democrats' left wing opposes", ", a step the union says would prolong the dispute"
SUMMATIVE = re.compile(r",\s*(?:an?|the)\s+(?:option|step|move|proposal|idea|plan|demand|"
                       r"prospect|outcome|scenario|measure|decision|concession|arrangement|"
                       r"compromise|condition)\b[^,]*(?:,|$)")
VENUE = re.compile(r"\b(?:in|at)\s+the\s+(?:[A-Z][\w-]*\s+)?(?:city|capital|town|port|resort|"
                   r"village|region|province)\s+of\s+[A-Z][\w-]*")


def core(clause: str) -> str:
    """The clause without its dateline, reporting frame, relative clauses and venue."""
    out = DATELINE.sub("", clause)
    out = SUMMATIVE.sub(",", RELATIVE.sub(",", out))
    out = FRAME_AFTER.sub("", out)
    framed = FRAME_BEFORE.sub("", out)
    if len(framed.split()) >= 2 and not SPEAKER.match(framed):
        out = framed  # "the union said it would strike": the speaker is the side
    return VENUE.sub("", out)


def possessors(clause: str, found: list[str], actors: list[dict[str, Any]]) -> set[str]:
    """The actors the clause names only as the possessive of another actor it names
    ("Austria's conservative People's Party": Austria), not as a side of its own."""
    forms = {a["id"]: [a["name"], *a.get("aliases", [])] for a in actors if a["id"] in found}
    out = set()
    for aid, own in forms.items():
        others = [f for oid, fs in forms.items() if oid != aid for f in fs]
        if not others:
            continue
        owner = rf"(?<![\w-])(?:{any_of(own)})['’]s\s+(?:[a-z][\w-]*\s+){{0,2}}"
        alone = re.sub(rf"{owner}(?={any_of(others)})", "", clause)
        if re.search(rf"(?<![\w-])(?:{any_of(own)})(?![\w-])", alone) is None and alone != clause:
            out.add(aid)
    return out
