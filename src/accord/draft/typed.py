"""Drafted clauses -> typed events: each clause of a known kind (accord.draft.typology) about
the text's actors becomes one event named by its kind's template, however many sentences say
it; a clause telling what already happened is history, not an event to forecast; a clause of
no known kind stays only as a condition another event depends on, or with a chance the text
gives it, and else is listed for review ("also in the text"). Precision before recall: an
event the analyst must delete costs more than one they must add.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass, field
from typing import Any

from accord.draft import cues
from accord.draft.core import core, possessors
from accord.draft.events import DraftEvent, Drafting
from accord.draft.forms import PAST
from accord.draft.found import any_of, snake
from accord.draft.typology import (
    Kind,
    kind_of,
    kind_of_dated,
    lemmas,
    name_for,
    signal_at,
    words_of,
)
from accord.scenario.ids import MAX_ID

MAX_ID_ACTORS = 2
VERB = re.compile(r"\b(?:is|are|was|were|has|have|had|will|would|could|may|might|can|shall|"
                  r"should|must)\b")
DATE_WORD = re.compile(rf"{cues.MONTH}|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day")
FRAGMENT = re.compile(r",\s*(?:whose|which|who|whom|where)\b(?:\s+\S+){0,4}$")
# before a participle that tells no past: "is signed", "a signed agreement"
ADJECTIVAL = frozenset({"is", "are", "be", "being", "am", "get", "gets", "getting", "a", "an",
                        "the", "its", "their", "this", "that", "any", "no"})


@dataclass
class Typing:
    """What the typing decided: each kept event's kind and actors (typed ones), which events
    get a question, and what the analyst should hear about."""

    kinds: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)


def actors_in(text: str, actors: list[dict[str, Any]]) -> list[str]:
    """The ids of the actors the text names, in the order it names them; a name inside
    another actor's name is not that actor's ("Army" in "the National Liberation Army")."""
    spans = [(m.start(), m.end(), a["id"]) for a in actors
             for m in re.finditer(rf"(?<![\w-])(?:{any_of(_names(a))})"
                                  r"(?![\w-])", text)]
    at: dict[str, int] = {}
    for start, end, aid in spans:  # not a name inside another's ("Army" of "... Liberation Army")
        inside = any(s <= start and end <= e and (s, e) != (start, end) for s, e, _ in spans)
        if not inside and aid not in at:
            at[aid] = start
    return sorted(at, key=at.__getitem__)


def sides_in(clause: str, actors: list[dict[str, Any]]) -> list[str]:
    """The actors the clause's core names as sides of its event (accord.draft.core): not
    those of its reporting frame, relative clauses or venue, nor a state named only as the
    possessive of another actor."""
    text = core(clause)
    found = actors_in(text, actors)
    drop = possessors(text, found, actors)
    return [a for a in found if a not in drop]


# what keeps a clause from telling a fact: a modal, a demand, or a condition ("if signed")
CONDITION = re.compile(r"\b(?:if|unless|once|until|whether|provided|lest)\b", re.IGNORECASE)


def is_past(kind: Kind, clause: str) -> bool:
    """Tells what already happened: no modal or demand, and the kind's verb in the past
    ("suspended the talks", "has collapsed", not "is signed"), or, for a word that signals the
    kind alone ("a strike"), a signal verb before it ("called a strike"). Where a modal stands
    elsewhere in the clause, the piece between commas that holds the kind's signal is judged
    alone: "a repeat of the 2008 crisis, when ... a deal was signed, would hit tourism" tells
    of a deal signed, whatever a repeat would do."""
    if cues.MODAL.search(clause) or cues.DEMAND.search(clause):
        piece = _signal_piece(kind, clause)
        if piece is None or piece == clause or cues.MODAL.search(piece) \
                or cues.DEMAND.search(piece) or CONDITION.search(piece):
            return False
        clause = piece
    words = [w.lower() for w in words_of(clause)]
    at = signal_at(kind, words)
    if at is None:
        return False
    if not lemmas(words[at]) & kind.verbs:  # a noun: the nearest verb before it
        at = next((k for k in range(at - 1, max(-1, at - 4), -1) if _past_form(words[k])), -1)
    return at >= 0 and _past_form(words[at]) and (at == 0 or words[at - 1] not in ADJECTIVAL)


def _signal_piece(kind: Kind, clause: str) -> str | None:
    """The piece of the clause between commas (or dashes, semicolons) that holds the kind's
    signal."""
    for piece in re.split(r"\s*(?:,|;|\s[—–]\s?|—)\s*", clause):
        if signal_at(kind, [w.lower() for w in words_of(piece)]) is not None:
            return piece
    return None


# verbs that report or judge what the clause tells, never do it: "analysts said a first
# stoppage is likely" tells of no stoppage that happened
REPORTING = frozenset({"said", "told", "warned", "added", "noted", "argued", "claimed",
                       "believed", "acknowledged", "reported", "stated", "predicted",
                       "expected", "suggested", "thought", "estimated", "judged"})


def _past_form(word: str) -> bool:
    """A signal verb's past form ("signed", "met", "broke"; accord.draft.forms), not one that
    reports or judges."""
    return word in PAST and word not in REPORTING


@dataclass(frozen=True)
class Parties:
    """Whom an event names no actor of is about: the text's parties (the two actors it names
    most) or, for what a state holds (an election), the state it names most."""

    principals: list[str]
    state: list[str]


def who_of(kind: Kind, ev: DraftEvent, actors: list[dict[str, Any]], parties: Parties
           ) -> list[str] | None:
    """The actors the event's clause names; an event between sides that names one side or
    none (a host, a mediator) is between the text's parties; None when its subject is a body
    the text names that is no actor ("the agency's Board of Governors is due to meet")."""
    found = sides_in(ev.clause, actors)
    if not found and _named_subject(core(ev.clause)):
        return None
    if kind.sides == 2 and len(found) < 2:
        return parties.principals or found
    if not found and kind.labour:  # "engineers walk off the job": the union, not the employer
        return [a for a in parties.principals if _labour(a, actors)] or parties.principals
    return found or (parties.state if kind.state else parties.principals)


# a workers' body, by its name or a name the text gives it ("the union")
LABOUR_BODY = re.compile(r"\b(?:[Uu]nions?|Association|Federation|Workers|Guild|Syndicate|"
                         r"Confederation)\b")


def _labour(actor_id: str, actors: list[dict[str, Any]]) -> bool:
    a = next((x for x in actors if x["id"] == actor_id), None)
    return a is not None and any(LABOUR_BODY.search(n) for n in _names(a))


def _names(actor: dict[str, Any]) -> list[str]:
    """A drafted actor's name and the other names the text used for it."""
    return [actor["name"], *actor.get("aliases", [])]


def _named_subject(clause: str) -> bool:
    """A name of two or more capitalised words in the clause's subject (up to its verb or
    first comma), after its first word, which a sentence capitalises anyway; not a date."""
    verb = VERB.search(clause)
    subject = words_of(re.split(r",", clause[: verb.start()] if verb else "")[0])
    return sum(w[0].isupper() and not DATE_WORD.fullmatch(w) for w in subject[1:]) >= 2


def type_events(drafting: Drafting, actors: list[dict[str, Any]], parties: Parties) -> Typing:
    """Rename, merge and drop the drafted events in place; what was decided."""
    typing = Typing()
    names = {a["id"]: a["name"] for a in actors}
    renamed: dict[str, str | None] = {}  # old id -> new id, None when dropped
    kept: dict[str, DraftEvent] = {}
    by_key: dict[tuple[str, frozenset[str]], str] = {}
    linked, untyped = _linked(drafting), []
    for ev in drafting.events.values():
        old, kind = ev.id, kind_of(ev.clause) or (
            kind_of_dated(ev.clause) if _told(ev) else None)
        if kind is None:
            untyped.append(ev)
            continue
        if ev.number is None and ev.estimate is None and is_past(kind, ev.clause):
            typing.review.append(f"history, no question: \"{ev.quotes[0]}\"")
            renamed[old] = None
            continue
        if _demanded(ev, old in linked):
            typing.review.append(f"a position, no event (what a side wants): \"{ev.quotes[0]}\"")
            renamed[old] = None
            continue
        who = who_of(kind, ev, actors, parties)
        if who is None:
            untyped.append(ev)
            continue
        key = (kind.id, frozenset(who))
        if len(sides_in(ev.clause, actors)) < kind.sides:  # "a strike", "the deal": the one
            key = next((k for k in by_key if k[0] == kind.id), key)  # the text discusses
        if key in by_key and _same(kept[by_key[key]], ev):
            _merge(kept[by_key[key]], ev)
            renamed[old] = by_key[key]
            continue
        ev.id = unique_id(_typed_id(who[:MAX_ID_ACTORS], kind.id), kept)
        ev.name = name_for(kind, [names[a] for a in who], ev.clause)
        kept[ev.id], by_key[key], renamed[old] = ev, ev.id, ev.id
        typing.kinds[ev.id] = (kind.id, who)
    _keep_untyped(untyped, kept, renamed, typing)
    _name_dates(kept, typing)
    _relink(kept, renamed, drafting)
    _prune(drafting, typing)
    typing.asked = [i for i, ev in kept.items()
                    if i in typing.kinds or ev.number is not None or ev.estimate is not None]
    return typing


def _name_dates(kept: dict[str, DraftEvent], typing: Typing) -> None:
    """A dated typed event's name says its month: two meetings, two names (the date may have
    come with a clause merged into it)."""
    for i in typing.kinds:
        if kept[i].scheduled is not None:
            kept[i].name += f" ({kept[i].scheduled:%B %Y})"


def _told(ev: DraftEvent) -> bool:
    """The text gives the event a chance or a date to come."""
    return (ev.number, ev.estimate, ev.scheduled, ev.decided, ev.deadline) != (None,) * 5


def _same(into: DraftEvent, ev: DraftEvent) -> bool:
    """Two clauses of one kind about the same actors are one event ("a meeting in Brussels
    on 17 June" and "a successful meeting"), unless one is dated and the other has
    conditions of its own (the talks that resume only if the dated meeting succeeds), or both
    are dated, differently."""
    dated = (into.scheduled or into.decided, ev.scheduled or ev.decided)
    conditioned = (into.requires or into.unless, ev.requires or ev.unless)
    if dated[0] and dated[1]:
        return dated[0] == dated[1]  # two meetings on two dates are two events
    return not (dated[0] and conditioned[1] or dated[1] and conditioned[0])


def _demanded(ev: DraftEvent, linked: bool) -> bool:
    """Only what a side wants ("farm groups want the tariffs removed"): a position, which
    belongs to an issue, not an event to forecast; unless a link, a chance or a date makes it
    one."""
    return not linked and not _told(ev) and not any(
        m.group() != "May" for q in ev.quotes for m in cues.MODAL.finditer(
            cues.NOT_MODAL.sub(" ", q)))


def _linked(drafting: Drafting) -> set[str]:
    """The events a link names: each one's preconditions and modifiers, and the events
    that have them."""
    out: set[str] = set()
    for ev in drafting.events.values():
        parts = [*ev.requires, *ev.unless, *(m.condition.removeprefix("not ")
                                             for m in ev.modifiers)]
        if parts:
            out |= {ev.id, *parts}
    return out


def conditions_of_typed(kept: dict[str, DraftEvent], typing: Typing) -> set[str]:
    """The (drafted) ids of what the kept typed events depend on: their preconditions, the
    events they must not follow, their modifiers' conditions."""
    return {c.removeprefix("not ") for i, ev in kept.items() if i in typing.kinds
            for c in [*ev.requires, *ev.unless, *(m.condition for m in ev.modifiers)]}


def _keep_untyped(untyped: list[DraftEvent], kept: dict[str, DraftEvent],
                  renamed: dict[str, str | None], typing: Typing) -> None:
    """A clause of no known kind is an event only as a condition of a kept typed event (the
    link is part of what the text says about that event) or with a probability the text gives
    it as a number (its own forecast), named by its whole clause; else (a consequence of
    another event, a clause with only an estimative word or a date) it is listed for review.
    A text with no typed event keeps its untyped clauses (whole ones) as events, without
    questions, and says so."""
    wanted = conditions_of_typed(kept, typing)
    whole = [ev for ev in untyped if not is_fragment(ev.name)]
    fallback = not kept and bool(whole)
    if fallback:
        typing.review.append(f"no event of a known kind: {len(whole)} clause(s) kept as events "
                             "as the text says them, without questions; type or drop them")
    for ev in untyped:
        old = ev.id
        if (fallback or old in wanted or ev.number is not None) and not is_fragment(ev.name):
            ev.id = unique_id(ev.id, kept)
            kept[ev.id] = ev
            renamed[old] = ev.id
        else:
            renamed[old] = None
            if not fallback or is_fragment(ev.name):
                also_in_the_text(typing.review, ev.quotes[0])


def is_fragment(name: str) -> bool:
    """A name that is no whole clause: cut short ("…"), or ending in a relative clause's
    opening ("The United States, whose Midwest manufacturers")."""
    tail = FRAGMENT.search(name)
    return not name.strip() or name.endswith("…") or (
        tail is not None and VERB.search(tail.group()) is None)


def _prune(drafting: Drafting, typing: Typing) -> None:
    """Drop the untyped events left with no link (their partner was dropped) and no chance or
    date of their own, until none is left."""
    while True:
        linked = _linked(drafting)
        idle = [i for i, ev in drafting.events.items()
                if i not in typing.kinds and i not in linked and not _told(ev)]
        if not idle or len(idle) == len(drafting.events):
            return
        for i in idle:
            also_in_the_text(typing.review, drafting.events.pop(i).quotes[0])


def also_in_the_text(review: list[str], quote: str) -> None:
    """A sentence listed for review, once however many of its clauses were not drafted."""
    line = f"also in the text (no event drafted): \"{quote}\""
    if line not in review:
        review.append(line)


def _typed_id(who: list[str], kind: str) -> str:
    """The actors' ids and the kind's ("serbia_kosovo_agreement_signed"); where that runs past
    an id's length, an actor's id of several words by its initials, as such names are
    abbreviated ("us_russia_agreement_signed", "canada_tcrc_strike")."""
    full = snake("_".join([*who, kind]))
    if len(full) <= MAX_ID:
        return full
    short = [a if "_" not in a else "".join(w[0] for w in a.split("_") if w) for a in who]
    return snake("_".join([*short, kind]))[:60].strip("_")


def unique_id(base: str, kept: Container[str]) -> str:
    eid, k = base or "event", 2
    while eid in kept:
        eid, k = f"{base}_{k}", k + 1
    return eid


def _merge(into: DraftEvent, ev: DraftEvent) -> None:
    """Two clauses saying the same typed event: one event, quoting both."""
    for q in ev.quotes:
        into.cite(q)
    into.requires += [r for r in ev.requires if r not in into.requires]
    into.unless += [u for u in ev.unless if u not in into.unless]
    into.modifiers += [m for m in ev.modifiers
                       if all(m.condition != n.condition for n in into.modifiers)]
    for attr in ("scheduled", "decided", "deadline", "number", "estimate"):
        if getattr(into, attr) is None:
            setattr(into, attr, getattr(ev, attr))


def _relink(kept: dict[str, DraftEvent], renamed: dict[str, str | None],
            drafting: Drafting) -> None:
    """The kept events' links said with the new ids; a link to a dropped event, to itself or
    closing a cycle is left out."""
    def new(old: str) -> str | None:
        return renamed.get(old, old if old in kept else None)

    drafting.events = dict(kept)
    for ev in kept.values():
        requires = [r for r in dict.fromkeys(map(new, ev.requires)) if r and r != ev.id]
        ev.unless = [u for u in dict.fromkeys(map(new, ev.unless)) if u and u != ev.id]
        mods = []
        for m in ev.modifiers:
            target = new(m.condition.removeprefix("not "))
            if target and target != ev.id:
                cond = f"not {target}" if m.condition.startswith("not ") else target
                if all(cond != n.condition for n in mods):
                    mods.append(type(m)(cond, m.quote, m.likelier))
        ev.modifiers, ev.requires = mods, []
        for r in requires:
            drafting.require(ev, kept[r], ev.quotes[0])
