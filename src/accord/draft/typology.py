"""The kinds of negotiation event a draft recognises, each tied to its PLOVER type, the words
that signal it (as lemmas: lemminflect turns "signed", "signs", "treaties" into "sign",
"treaty"), and the reference class that gives its rate when the text gives none.

A kind is recognised when an event's name holds one of its verbs and one of its nouns; the
first kind that matches wins, so a breakdown ("the truce collapses") is tried before a signing.
Kinds without a class in accord.baserate keep the drafted default.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Kind:
    id: str
    plover: str
    verbs: frozenset[str]
    nouns: frozenset[str]
    reference: str | None  # an accord.baserate class id


AGREEMENTS = frozenset({"agreement", "treaty", "accord", "deal", "settlement", "pact",
                        "ceasefire", "truce", "armistice", "protocol"})

KINDS: tuple[Kind, ...] = (
    Kind("agreement_breaks_down", "REJECT",
         frozenset({"collapse", "break", "breach", "violate", "abandon", "unravel", "fail",
                    "end", "repudiate", "renounce"}), AGREEMENTS, "ucdp.agreement_ends"),
    Kind("agreement_signed", "AGREE",
         frozenset({"sign", "conclude", "seal", "finalise", "finalize", "clinch", "strike",
                    "reach", "agree", "ink"}), AGREEMENTS, "pax.comprehensive_after_first"),
    Kind("crisis_ends", "CONCEDE", frozenset({"end", "resolve", "defuse", "settle"}),
         frozenset({"crisis", "standoff", "stand-off", "dispute"}), "icb.crisis_ends"),
    Kind("talks_held", "CONSULT", frozenset({"hold", "resume", "open", "start", "meet"}),
         frozenset({"talk", "negotiation", "round", "summit", "meeting"}), None),
    Kind("talks_broken_off", "REJECT", frozenset({"suspend", "break", "walk", "abandon"}),
         frozenset({"talk", "negotiation"}), None),
    Kind("referendum_held", "CONSULT", frozenset({"hold", "call", "stage"}),
         frozenset({"referendum", "vote", "plebiscite", "election"}), None),
    Kind("recognition", "AGREE", frozenset({"recognise", "recognize"}), frozenset(), None),
    Kind("escalation", "ASSAULT", frozenset({"attack", "clash", "escalate", "fight", "shell"}),
         frozenset(), None),
)


@cache
def lemmas(word: str) -> frozenset[str]:
    """Every lemma lemminflect gives the word (any part of speech), and the word itself."""
    from lemminflect import getAllLemmas

    w = word.lower()
    return frozenset({w, *(x for forms in getAllLemmas(w).values() for x in forms)})


def kind_of(name: str) -> Kind | None:
    """The first kind whose verbs and nouns (where it has nouns) the name holds."""
    found: set[str] = set()
    for word in re.findall(r"[A-Za-z][A-Za-z-]*", name):
        found |= lemmas(word)
    for kind in KINDS:
        if kind.verbs & found and (not kind.nouns or kind.nouns & found):
            return kind
    return None
