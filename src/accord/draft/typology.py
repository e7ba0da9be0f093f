"""The kinds of negotiation event a draft recognises: each tied to its PLOVER type, the words
that signal it (as lemmas: lemminflect turns "signed", "signs", "treaties" into "sign",
"treaty", so no inflection is spelled out), its name template, and the reference class that
gives its rate when the text gives none.

The word forms are looked up in accord.draft.forms, which scripts/typology_forms.py writes
from lemminflect for the table's words (loading lemminflect's own tables took longer than
the rest of a draft). A clause is of a kind when it holds one of the kind's verbs and one of
its objects, or one of the words that signal it alone ("ratification", "referendum"); of
several kinds, one signalled by a verb before one by a noun alone, then the one whose signal
comes first, then the table's order. The table is documented in docs/reference/drafting.md;
a kind is added there and here, for every text, never for one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from accord.draft.cues import AT_MEETING
from accord.draft.forms import FORMS


@dataclass(frozen=True)
class Kind:
    id: str
    plover: str
    verbs: frozenset[str]
    objects: frozenset[str]
    alone: frozenset[str]  # words that signal the kind by themselves
    plural: str  # the name: {who} the actors, {what} the object the clause names
    singular: str  # the name when one actor is the subject
    reference: str | None = None  # an accord.baserate class id
    conflict_only: bool = False  # its class counts peace processes or crises: only for texts
    #                              about an armed conflict or an international crisis
    sides: int = 2  # 2: between parties (with one named, the text's parties); 1: one actor's
    state: bool = False  # held by a state: with none named, the state the text names most
    labour: bool = False  # taken by workers: with none named, the text's parties that are unions


def _w(words: str) -> frozenset[str]:
    return frozenset(words.split())


AGREEMENTS = _w("agreement treaty accord deal settlement pact protocol compact memorandum "
                "framework")
TRUCES = _w("ceasefire truce armistice cease-fire")
TALKS = _w("talk negotiation dialogue round summit meeting session")
SANCTIONS = _w("sanction tariff embargo levy")
FIGHTING = _w("fighting war violence hostility offensive clash conflict shooting fire attack")
LABOUR = _w("union worker member staff employee teacher docker driver nurse doctor crew job "
             "pay wage industrial national general")  # a labour strike, not an air strike
# compounds whose head is not the event: an "air strike" is no labour strike
NOT_AFTER = {"strike": _w("air drone missile military hunger")}
# participles that describe what they come before, not an event: "the internationally
# recognised government" grants no recognition
DESCRIBING = _w("recognise recognize")
DESCRIBED = _w("government governments authorities authority state states border borders leader "
               "leaders leadership representative representatives president administration "
               "parliament body")

KINDS: tuple[Kind, ...] = (
    Kind("ceasefire_broken", "ASSAULT", _w("collapse break breach violate fail unravel end "
                                           "breakdown violation"),
         TRUCES, frozenset(), "The {what} between {who} breaks down",
         "The {what} with {who} breaks down"),
    Kind("ceasefire_agreed", "AGREE", _w("agree sign reach declare announce broker conclude "
                                         "accept extend"), TRUCES, frozenset(),
         "{who} agree a {what}", "{who} agrees a {what}"),
    Kind("agreement_breaks_down", "REJECT", _w("collapse break breach violate abandon unravel "
                                               "repudiate renounce scrap repeal walk "
                                               "breakdown"),
         AGREEMENTS, frozenset(), "The {what} between {who} breaks down",
         "{who} abandons the {what}", "ucdp.agreement_ends", conflict_only=True),
    Kind("talks_broken_off", "REJECT", _w("suspend break abandon collapse stall fail halt "
                                          "freeze suspension breakdown postpone delay cancel "
                                          "postponement"),
         _w("talk negotiation dialogue summit meeting round session"),
         frozenset(), "Talks between {who} break down", "{who} breaks off the talks"),
    Kind("agreement_ratified", "AGREE", _w("ratify approve approval"), AGREEMENTS,
         _w("ratification ratify"), "{who} ratify the {what}", "{who} ratifies the {what}",
         sides=1),
    Kind("agreement_implemented", "COOPERATE", _w("implement enforce honour honor respect"),
         AGREEMENTS,
         _w("implementation"), "{who} implement the {what}", "{who} implements the {what}"),
    Kind("agreement_signed", "AGREE", _w("sign conclude seal finalise finalize clinch strike "
                                         "reach agree ink"), AGREEMENTS, _w("signing signature"),
         "{who} sign the {what}", "{who} signs the {what}", "pax.comprehensive_after_first",
         conflict_only=True),
    Kind("government_formed", "AGREE", _w("form swear build assemble join"),
         _w("government coalition cabinet"), frozenset(), "{who} form a government",
         "{who} joins a government"),
    Kind("recognition", "AGREE", _w("establish restore normalise normalize establishment "
                                    "restoration normalisation normalization"),
         _w("relation tie"), _w("recognise recognize recognition"),
         "{who} establish diplomatic relations", "{who} grants recognition"),
    Kind("referendum_held", "CONSULT", _w("hold call stage organise organize"),
         _w("referendum plebiscite"), frozenset(), "{who} hold a referendum",
         "{who} holds a referendum", sides=1, state=True),
    Kind("election_held", "CONSULT", _w("hold call force trigger stage"),
         _w("election poll"), frozenset(), "{who} hold an election", "{who} holds an election",
         sides=1, state=True),
    Kind("sanctions_lifted", "CONCEDE", _w("lift ease remove drop scrap"), SANCTIONS,
         frozenset(), "{who} lift the {what}", "{who} lifts the {what}", sides=1),
    Kind("sanctions_imposed", "SANCTION", _w("impose reimpose tighten"), SANCTIONS,
         frozenset(), "{who} impose the {what}", "{who} imposes the {what}", sides=1),
    Kind("strike", "PROTEST", _w("strike walk stop"), LABOUR, _w("walkout stoppage"),
         "{who} go on strike", "{who} goes on strike", sides=1, labour=True),
    Kind("escalation", "ASSAULT", _w("escalate spread flare erupt intensify resume"), FIGHTING,
         _w("clash shell invade incursion escalation"), "Fighting between {who} escalates",
         "{who} escalates the fighting", "icb.crisis_violence", conflict_only=True),
    Kind("crisis_ends", "CONCEDE", _w("end resolve defuse settle"),
         _w("crisis standoff stand-off"), frozenset(), "The {what} between {who} ends",
         "The {what} with {who} ends", "icb.crisis_ends", conflict_only=True),
    Kind("talks_held", "CONSULT", _w("hold resume open start meet begin convene launch restart "
                                     "reopen resumption"), TALKS,
         _w("meet negotiate summit"),
         "{who} hold talks", "{who} holds talks"),
)
BY_ID = {k.id: k for k in KINDS}
MODALS = _w("will would could may might can shall should must")
FALLBACK_WHAT = ("agreement", "ceasefire", "sanctions", "crisis")  # when no object is named
# a text about an armed conflict or an international crisis: the reference classes fit it
CONFLICT = _w("war ceasefire truce armistice peace fighting rebel insurgent militia "
              "clash crisis troop invasion")


def lemmas(word: str) -> frozenset[str]:
    """The word and the signal words it is a form of ("signed" -> "sign", "treaties" ->
    "treaty"), as lemminflect inflects them (accord.draft.forms, generated from it)."""
    w = word.lower()
    return frozenset({w, *FORMS.get(w, ())})


def words_of(text: str) -> list[str]:
    return re.findall(r"[A-Za-z][A-Za-z-]*", text)


def lemma_set(text: str) -> set[str]:
    """The lemmas of the text's words, without the heads of compounds that name something
    else ("air strikes") nor participles that describe a noun ("recognised government")."""
    found: set[str] = set()
    words = [w.lower() for w in words_of(text)]
    for k, word in enumerate(words):
        forms = lemmas(word)
        for head, before in NOT_AFTER.items():
            if head in forms and k and words[k - 1] in before:
                forms = forms - {head}
        if word.endswith("ed") and forms & DESCRIBING and words[k + 1:k + 2] and \
                words[k + 1] in DESCRIBED:
            forms = forms - DESCRIBING
        found |= forms
    return found


def by_verb(kind: Kind, found: set[str]) -> bool:
    return bool(kind.verbs & found and kind.objects & found)


def matches(kind: Kind, found: set[str]) -> bool:
    return bool(kind.alone & found) or by_verb(kind, found)


def signal_at(kind: Kind, words: list[str]) -> int | None:
    """Where the kind's verb (or the word that signals it alone) stands among the words."""
    signals = kind.verbs | kind.alone
    return next((k for k, w in enumerate(words) if lemmas(w) & signals), None)


def kind_of(text: str) -> Kind | None:
    """The kind the text's words signal; of several, the one whose signal a modal governs
    ("will meet in Geneva ... since clashes erupted": talks, not an escalation), then one
    signalled by a verb and its object before one by a noun alone ("the summit would be
    postponed": postponed, not held), then the one whose signal comes first (the clause's own
    predicate, not a relative clause after it), then the table's first. A meeting named as
    the setting ("agreed at the summit") signals nothing."""
    text = AT_MEETING.sub(" ", text)
    found = lemma_set(text)
    kinds = [k for k in KINDS if matches(k, found)]
    if len(kinds) < 2:
        return kinds[0] if kinds else None
    words = [w.lower() for w in words_of(text)]
    governed = _governed(words)
    return min(kinds, key=lambda k: (signal_at(k, words) not in governed,
                                     not by_verb(k, found), signal_at(k, words) or 0,
                                     KINDS.index(k)))


def _governed(words: list[str]) -> set[int]:
    """Where a modal's verb may stand: the three words after each modal ("would likely be
    postponed")."""
    return {k + d for k, w in enumerate(words) if w in MODALS for d in (1, 2, 3)}


# what a noun with a date or a chance stands for: "a political agreement [expected] at the
# summit on 6 December" is the agreement signed; "elections are scheduled for 15 November"
DATED = ("agreement_signed", "election_held", "referendum_held", "talks_held")


def kind_of_dated(text: str) -> Kind | None:
    """The kind of a clause that gives a date or a chance to an agreement, an election, a
    referendum or talks, with no verb of its own."""
    found = lemma_set(AT_MEETING.sub(" ", text))
    return next((BY_ID[k] for k in DATED if BY_ID[k].objects & found), None)


# what makes the event after it likelier when it fails ("if the talks fail, X"): a modifier,
# not a precondition; single words as lemmas, phrasal verbs as (verb, particle)
FAILURE = _w("fail failure collapse breakdown stall falter deadlock derail squander escalate "
             "escalation stalemate impasse reject refuse")
FAILURE_PHRASES = {"break": {"down"}, "fall": {"apart", "through"}, "walk": {"away"}}
NO_DEAL = re.compile(r"\b(?:too long|no deal|without (?:a |an )?(?:deal|agreement))\b",
                     re.IGNORECASE)


def is_failure(text: str) -> bool:
    """Tells of a failure: "the talks fail", "collapsed", "break down", "without a deal"."""
    words = [w.lower() for w in words_of(text)]
    if FAILURE & lemma_set(text) or NO_DEAL.search(text):
        return True
    return any(FAILURE_PHRASES.get(lemma, set()) & {words[k + 1]}
               for k in range(len(words) - 1) for lemma in lemmas(words[k]))


def reference_of(kind: Kind, text: str) -> str | None:
    """The kind's reference class, where it fits the text: a class of peace processes or
    crises only for a text about an armed conflict or a crisis, not a trade deal or a
    coalition."""
    if kind.reference is None or (kind.conflict_only and not CONFLICT & lemma_set(text)):
        return None
    return kind.reference


def what_of(kind: Kind, text: str) -> str:
    """The object the clause names, as the kind's own word ("protocol", "sanctions")."""
    for word in words_of(text):
        forms = lemmas(word)
        if kind.objects & forms:
            return word.lower()
    return next((w for w in FALLBACK_WHAT if w.rstrip("s") in kind.objects), "")


def name_for(kind: Kind, who: list[str], text: str) -> str:
    """The kind's template about the actors: "Serbia and Kosovo sign the agreement"."""
    what = what_of(kind, text)
    if len(who) == 1:
        name = kind.singular.format(who=who[0], what=what)
    else:
        people = "the parties" if not who else (
            who[0] if len(who) == 1 else ", ".join(who[:-1]) + " and " + who[-1])
        name = kind.plural.format(who=people, what=what)
    name = re.sub(r" between the parties\b", "", name)
    return name[0].upper() + name[1:]
