"""Drafted events: one per draftable sentence (two when it states a link), merged when two
sentences say the same thing, linked without ever closing a cycle of preconditions."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from accord.draft import cues
from accord.draft import numbers as N
from accord.draft.clauses import (
    Split,
    affirmed,
    chance_clause,
    content_words,
    id_of,
    main_clause,
    name_of,
    plain,
    referent,
    reported,
    split_links,
    with_referent,
)
from accord.draft.dates import FULL_DATE, dates_in, parse_date
from accord.draft.sentences import Sentence
from accord.draft.text import Article, checked_quote

# a link whose consequent is negated ("X will not ... if Y") is the opposite link to X said
# plainly; "X is unlikely ... if Y" the softer one: Y makes X less likely
_NOT = {"requires": "unless", "unless": "requires", "until": "requires", "leads": "lessens",
        "absent": "absent_lessens"}
FLIPPED = {
    "not": _NOT,
    "state": _NOT,
    "unlikely": {"requires": "lessens", "unless": "leads", "until": "leads", "leads": "lessens",
                 "absent": "absent_lessens"},
}
# the same links to an antecedent said plainly: "X if no deal" is "X when not deal"
NOT_CAUSE = {"requires": "unless", "unless": "requires", "leads": "absent",
             "lessens": "absent_lessens", "absent": "leads", "absent_lessens": "lessens"}
SAME_EVENT = 75  # rapidfuzz token-sort score (content words) at which two clauses are one event
MAX_DRAFTED = 150  # below the scenario language's cap of 200 events


@dataclass(frozen=True)
class Modifier:
    """Another event (or "not" it) that makes this one likelier, or less likely."""

    condition: str
    quote: str
    likelier: bool = True

    @property
    def factor(self) -> dict[str, float]:
        """The drafted range of the factor: up to 3 times, or down to a quarter."""
        return N.DEFAULT_MULTIPLIER if self.likelier else N.DEFAULT_DAMPER


@dataclass
class DraftEvent:
    id: str
    name: str
    words: str  # content words, for matching
    clause: str = ""  # what the clause says may happen, whole: what its kind is read from
    quotes: list[str] = field(default_factory=list)
    requires: list[str] = field(default_factory=list)
    unless: list[str] = field(default_factory=list)
    modifiers: list[Modifier] = field(default_factory=list)
    scheduled: dt.date | None = None
    decided: dt.date | None = None  # a chance decided on this date ("expected at the summit")
    deadline: dt.date | None = None
    number: tuple[float, str] | None = None  # a probability the text gives, with its quote
    estimate: tuple[float, float, str, str] | None = None  # "unlikely": (low, high, words, quote)

    def cite(self, quote: str) -> None:
        if quote not in self.quotes:
            self.quotes.append(quote)


@dataclass
class Drafting:
    """Events so far, by id, and what the analyst should hear about."""

    as_of: dt.date
    last_day: dt.date
    events: dict[str, DraftEvent] = field(default_factory=dict)
    review: list[str] = field(default_factory=list)

    def add(self, clause: str, quote: str, other_than: str | None = None) -> DraftEvent:
        """The event this clause names: an earlier one saying the same, else a new one."""
        from rapidfuzz import fuzz

        words = " ".join(content_words(reported(clause)))
        for ev in self.events.values():
            shared = set(words.split()) & set(ev.words.split())
            if (ev.id != other_than and len(shared) >= 2
                    and fuzz.token_sort_ratio(words, ev.words) >= SAME_EVENT):
                ev.cite(quote)
                return ev
        name = name_of(clause) or name_of(quote) or quote[:80]
        base = id_of(clause if name.endswith("…") else name)  # the id says what the name says
        eid, k = base, 2
        while eid in self.events:
            eid, k = f"{base}_{k}", k + 1
        ev = DraftEvent(eid, name, words, plain(clause) or quote, [quote])
        self.events[eid] = ev
        return ev

    def mentioned(self, clause: str) -> DraftEvent | None:
        """The latest event whose words hold all of a short clause's ("the chance of a deal":
        the deal the text has been discussing)."""
        words = set(content_words(clause))
        return next((ev for ev in reversed(self.events.values())
                     if words and words <= set(ev.words.split())), None)

    def draftable(self, text: str) -> bool:
        """Says what may happen, is demanded or depends on something, or names a meeting on a
        date to come in the present tense ("Ministers meet in Bergen on 18 November")."""
        return cues.is_draftable(text) or (
            len(text.split()) >= cues.MIN_WORDS and cues.MEETING.search(text) is not None
            and any(d <= self.last_day for d, _ in dates_in(text, self.as_of)))

    def reaches(self, start: str, goal: str) -> bool:
        """Is `goal` among `start`'s preconditions, however indirectly?"""
        seen, todo = set(), [start]
        while todo:
            e = todo.pop()
            if e == goal:
                return True
            if e not in seen:
                seen.add(e)
                todo.extend(self.events[e].requires)
        return False

    def require(self, ev: DraftEvent, pre: DraftEvent, quote: str) -> None:
        if pre.id == ev.id or pre.id in ev.requires:
            return
        if self.reaches(pre.id, ev.id):
            self.review.append(
                f"link not drafted: '{ev.id}' after '{pre.id}' would close a cycle "
                f"(\"{quote[:70]}\")"
            )
            return
        ev.requires.append(pre.id)


def draft_events(sentences: list[Sentence], article: Article, drafting: Drafting) -> None:
    for s in sentences:
        if not drafting.draftable(s.text):
            continue
        if len(drafting.events) >= MAX_DRAFTED:
            drafting.review.append(f"stopped at {MAX_DRAFTED} events: later sentences skipped")
            return
        quote = checked_quote(s.text, article)
        if quote is None:
            drafting.review.append(f"sentence skipped, no quotable words: \"{s.text[:70]}\"")
            continue
        before = ""
        for part in _independent(s.text, drafting):
            _draft_sentence(part, quote, drafting, before)
            before = part


def _independent(text: str, drafting: Drafting) -> list[str]:
    """The sentence's independent clauses: a semicolon joins two ("If A, B; if C, D"), each
    drafted on its own (and quoted whole); a sentence without one is one clause, and so is a
    judgment ("Full implementation: we doubt it; roughly one in four")."""
    if ";" not in text or cues.judgment(text):
        return [text]
    drafted = [p for p in (part.strip() for part in text.split(";")) if drafting.draftable(p)]
    return drafted or [text]


def _resolved(splits: list[Split], before: str) -> list[Split]:
    """Each link with a leading "it" said as what it stands for: in the antecedent, the
    subject of the clause before (`before`, the sentence's previous clause); in the
    consequent, the antecedent's subject ("If the deal is signed, it will ...")."""
    out = []
    for sp in splits:
        y = with_referent(sp.y, referent(before))
        out.append(Split(with_referent(sp.x, referent(y) or referent(before)), y, sp.kind))
    return out


def _draft_sentence(text: str, quote: str, drafting: Drafting, before: str = "") -> None:
    judged = cues.judgment(text)
    if judged is not None:
        _draft_judgment(*judged, quote, drafting)
        return
    splits = _resolved(split_links(text), before)
    chance = None if splits else chance_clause(text)
    clause = affirmed(splits[0].x).text if splits else chance or main_clause(text)
    earlier = drafting.mentioned(chance) if chance and len(content_words(chance)) < 2 else None
    main = earlier or drafting.add(clause, quote)
    main.cite(quote)
    _draft_links(main, splits, quote, drafting)
    _date_events(text, clause, main, drafting)
    stated = _chance_range(text)
    number = None if stated else _probability(text)
    if number is not None and main.number is None:
        main.number = (number, quote)
    words = stated or (cues.estimate(text) if not splits else None)  # a link's is conditional
    if words is not None and main.number is None and main.estimate is None:
        main.estimate = (*words, quote)


def _draft_links(main: DraftEvent, splits: list[Split], quote: str, drafting: Drafting) -> None:
    """Each link's other event, linked to `main` (the first split's) or to its own clause."""
    for k, split in enumerate(splits):
        plain, cause = affirmed(split.x), affirmed(split.y)
        then = main if k == 0 else drafting.add(plain.text, quote)
        kind = _kind(split, plain.negation)
        if cause.negation == "not":  # "if no deal is reached": the deal, and "not" it
            kind = NOT_CAUSE.get(kind, kind)
        other = drafting.add(cause.text if cause.negation == "not" else split.y, quote,
                             other_than=then.id)
        _link(then, other, kind, quote, drafting)


def _draft_judgment(event: str, estimate: str, quote: str, drafting: Drafting) -> None:
    """A judgment's event (the label), its dates, the conditions its estimate states ("almost
    certain if the talks fail"), and its chance: the estimate's number ("about 65 percent",
    "one in four"), else its words' range."""
    main = drafting.add(event, quote)
    main.cite(quote)
    _draft_links(main, split_links(f"{event}, {estimate}"), quote, drafting)
    _date_events(event, event, main, drafting)
    if main.number is None and main.estimate is None:
        number = _number_in(estimate)
        words = cues.estimate(f"{event}: {estimate}")
        if number is not None:
            main.number = (number, quote)
        elif words is not None:
            main.estimate = (*words, quote)


def _date_events(text: str, clause: str, main: DraftEvent, drafting: Drafting) -> None:
    """The dates of the sentence: a deadline ("by June"), a meeting's date, an outcome hoped
    for at a dated meeting (a chance decided then), or the day the clause says its event
    will happen, unhedged ("its members would walk off the job on 2 June 2026", scheduled,
    its conditions still holding). A day to come in the text that is before as-of is said."""
    _before_as_of(clause, drafting)
    for d, is_deadline in dates_in(text, drafting.as_of):
        if d > drafting.last_day or d <= drafting.as_of:  # (the dateline's date is no event's)
            continue
        if is_deadline and main.deadline is None:
            main.deadline = d
        elif main.scheduled is not None or main.decided is not None:
            continue
        elif cues.MEETING.search(clause):
            if cues.HEDGE.search(text) and cues.AT_MEETING.search(clause):  # an outcome hoped
                # for at the meeting: a chance decided then, not a certain event
                main.decided = d
            else:  # the event is the meeting
                main.scheduled = d
        elif on_day(clause, d) and not cues.HEDGE.search(clause):
            main.scheduled = d


def on_day(clause: str, d: dt.date) -> bool:
    """The clause says its event happens on that day ("on 2 June 2026", "on June 2")."""
    month = f"{d:%B}"
    return re.search(rf"\bon\s+(?:the\s+)?(?:{d.day}(?:st|nd|rd|th)?\s+(?:of\s+)?{month}|"
                     rf"{month}\s+{d.day}(?:st|nd|rd|th)?)\b", clause) is not None


def _before_as_of(clause: str, drafting: Drafting) -> None:
    """A full date the clause gives to something to come that is before as-of (a text with
    no date of its own, drafted later): said, since its event cannot be dated then."""
    if not cues.MODAL.search(clause) and not cues.MEETING.search(clause):
        return
    for m in FULL_DATE.finditer(clause):
        d = parse_date(m.group())
        if d is not None and d < drafting.as_of:
            note = (f"the text gives {m.group()} as to come (\"{clause}\"), before as_of "
                    f"{drafting.as_of}: it was written earlier; set --as-of to its date")
            if note not in drafting.review:
                drafting.review.append(note)


def _kind(split: Split, negation: str) -> str:
    """The link to the event said plainly: flipped by the consequent's negation, if its name
    lost one; else "X won't ... unless Y" (a negation a name keeps) is still X when Y."""
    if negation:
        return FLIPPED[negation].get(split.kind, split.kind)
    if split.kind in ("unless", "until") and cues.NEGATED.search(split.x):
        return "requires"
    return split.kind


def _link(main: DraftEvent, other: DraftEvent, kind: str, quote: str, drafting: Drafting) -> None:
    """requires: main when other; unless: main when not other; leads / lessens: other makes
    main likelier / less likely; absent, absent_lessens: the same for "not other"."""
    if other.id == main.id:
        return
    if kind == "requires":
        if other.id not in main.unless:
            drafting.require(main, other, quote)
    elif kind == "unless":
        if other.id not in main.unless + main.requires:
            main.unless.append(other.id)
    elif kind in ("leads", "lessens", "absent", "absent_lessens"):
        condition = f"not {other.id}" if kind.startswith("absent") else other.id
        if all(m.condition != condition for m in main.modifiers):
            main.modifiers.append(Modifier(condition, quote, kind in ("leads", "absent")))


def _chance_clauses(text: str) -> list[str]:
    """The sentence's clauses that speak of a chance: its number is in one of them."""
    return [c for c in cues.NUMBER_CLAUSE.split(text) if cues.PROBABILITY.search(c)]


def _chance_range(text: str) -> tuple[float, float, str] | None:
    """A range of chances a clause of the sentence gives ("likely (55-80%)", "a 20 to 30
    percent chance"), as probabilities, with its words."""
    for clause in _chance_clauses(text):
        m = cues.PERCENT_RANGE.search(clause)
        if m is not None:
            low, high = sorted(float(g) / 100 for g in m.groups())
            if 0 < low and high <= 1:
                return low, high, m.group()
    return None


def _probability(text: str) -> float | None:
    """A percentage or ratio ("one in four") a clause of the sentence gives as a chance,
    likelihood or risk, as a probability (not "at odds over 16 percent of the catch")."""
    return next((p for clause in _chance_clauses(text)
                 if (p := _number_in(clause)) is not None), None)


def _number_in(clause: str) -> float | None:
    """The clause's first percentage that is a probability, else its ratio ("one in four")."""
    for m in cues.PERCENT.finditer(clause):
        p = float(m.group(1)) / 100
        if 0 < p <= 1:
            return p
    return cues.chance_in_words(clause)
