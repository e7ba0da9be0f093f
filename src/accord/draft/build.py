"""A text -> a draft scenario (a plain mapping) and the list of what needs review."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from accord.draft import numbers as N
from accord.draft.actors import find_actors
from accord.draft.dates import add_months, stated_date
from accord.draft.events import DraftEvent, Drafting, draft_events
from accord.draft.found import Found, any_of, snake
from accord.draft.gazetteer import BODIES
from accord.draft.issues import MAX_ISSUES, contests, issue
from accord.draft.language import english_sentences, require_english
from accord.draft.positions import stated_issues
from accord.draft.sentences import Sentence, paragraphs, split_sentences
from accord.draft.text import Article
from accord.draft.typed import Parties, Typing, type_events
from accord.draft.typology import BY_ID, reference_of
from accord.errors import UserError
from accord.scenario.calendar import DAYS_PER_MONTH
from accord.scenario.model import MAX_HORIZON

SOURCE = "text"
META_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
MAX_TITLE_WORDS = 16
# international bodies, mediators more often than sides (an armed movement is a side)
INTERNATIONAL = frozenset(o[0] for o in BODIES)
PARTY_NAME = re.compile(r"\b(?:Party|Democrats|Republicans|Liberals|Conservatives|Greens|"
                        r"Socialists|Labour|Tories|Nationalists|Populists|Communists)$")
# what a pair of sides is written before: "the EU-Indonesia trade pact", "US-China talks"
PAIRED_NOUNS = (r"(?:talks|negotiations|dialogue|pact|deal|agreement|accord|treaty|summit|"
                r"process|relations|normali[sz]ation|ceasefire|truce|dispute|border|conflict|"
                r"partnership|framework)\b")
BYLINE = re.compile(r"^(?:by|from|posted|published|updated)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Options:
    as_of: dt.date | None = None
    title: str | None = None
    id: str | None = None
    horizon: int = 24


@dataclass
class Draft:
    scenario: dict[str, Any]
    review: list[str] = field(default_factory=list)
    typed: dict[str, tuple[str, list[str]]] = field(default_factory=dict)  # id -> kind, actors
    parties: Parties = field(default_factory=lambda: Parties([], []))


def build(article: Article, options: Options) -> Draft:
    """Actors, events, links, numbers and questions drafted from the article."""
    horizon = _horizon(options.horizon)
    as_of, as_of_note = _as_of(article, options)
    drafting = Drafting(as_of, add_months(as_of, horizon))
    require_english(article.text, article.name)
    sentences, skipped = english_sentences(split_sentences(article.text))
    draft_events(sentences, article, drafting)
    if not drafting.events:
        raise UserError.at("no sentence says what may happen, is demanded or depends on "
                           "something: nothing to draft", file=article.name)
    actors = find_actors("\n\n".join(paragraphs(article.text)))
    if not actors:
        raise UserError.at("the text names no state, capital, leader or organisation that "
                           "a draft could use as an actor", file=article.name)
    by = add_months(as_of, horizon)
    drafted_actors = _actors(actors)
    parties = _parties(actors, drafted_actors, article.text)
    typing = type_events(drafting, drafted_actors, parties)
    if not drafting.events:
        raise UserError.at("no sentence names an event of a kind the draft knows, a condition "
                           "or a chance: nothing to draft", file=article.name)
    events = list(drafting.events.values())
    issues, issue_notes = _issues(sentences, actors, drafted_actors, article)
    scenario = {
        "meta": _meta(article, options, as_of, horizon),
        "actors": drafted_actors,
        "issues": issues,
        "events": [_event(e, horizon, as_of, _reference(typing, e, article)) for e in events],
        "questions": [_question(e, by) for e in events if e.id in typing.asked],
    }
    review = [as_of_note, *_review(actors, events, by, typing, scenario["events"]), *issue_notes,
              *drafting.review,
              *typing.review, *skipped]
    return Draft(scenario, review, typing.kinds, parties)


def _parties(found: list[Found], drafted: list[dict[str, Any]], text: str) -> Parties:
    """The text's parties: the two a pair names ("the EU-Indonesia trade pact", "US–China
    talks"), else the first two actors it names (news and analysis name the parties first),
    an international organisation (a mediator more often than a side) only if it names fewer
    others, parties before their state where it names two or more (a coalition's talks); and
    the first state it names."""
    parties = [k for k, f in enumerate(found) if PARTY_NAME.search(f.name)]
    order = sorted(range(len(found)), key=lambda k: (
        found[k].id in INTERNATIONAL, len(parties) < 2 or k not in parties, found[k].first))
    states = [drafted[k]["id"] for k in order if found[k].group == "state"]
    paired = _paired(found, text)
    principals = [drafted[k]["id"] for k in (paired or order[:2])]
    return Parties(principals, states[:1])


def _paired(found: list[Found], text: str) -> tuple[int, int] | None:
    """The actors of the first pair the text writes before what they negotiate: "the
    EU-Indonesia trade pact", "Serbia–Kosovo dialogue" (the two sides, in a name's own words)."""
    forms = {form: k for k, f in enumerate(found) for form in f.names}
    if len(forms) < 2:
        return None
    name = any_of(forms)
    for m in re.finditer(rf"(?<![\w-])(?P<a>{name})\s?[-–—/]\s?(?P<b>{name})(?![\w-])"
                         rf"(?=\s+(?:[\w-]+\s+){{0,2}}?{PAIRED_NOUNS})", text):
        a, b = forms[m.group("a")], forms[m.group("b")]
        if a != b:
            return a, b
    return None


def _reference(typing: Typing, e: DraftEvent, article: Article) -> tuple[str, str] | None:
    """(what the event is, its reference class) where its kind has a class fitting the text."""
    if e.id not in typing.kinds:
        return None
    kind = BY_ID[typing.kinds[e.id][0]]
    ref = reference_of(kind, article.text)
    return None if ref is None else (f"{kind.id.replace('_', ' ')} ({kind.plover})", ref)


def _issues(sentences: list[Sentence], actors: list[Found], drafted: list[dict[str, Any]],
            article: Article) -> tuple[list[dict[str, Any]], list[str]]:
    """Issues where sides state numbers (`positions`), else where a sentence names a contested
    matter and two sides (`issues.contests`); and what the analyst should check of them."""
    ids = {f.id: a["id"] for f, a in zip(actors, drafted, strict=True)}
    forms = {form: a["id"] for f, a in zip(actors, drafted, strict=True)
             for form in f.names}
    stated, used = stated_issues(sentences, forms, article, SOURCE)
    found = [c for c in contests(sentences, ids, article) if c.quote not in used]
    taken = {i["id"] for i in stated}
    out = [*stated, *(issue(c, SOURCE) for c in found if f"issue_{c.id}" not in taken)]
    notes = [f"issue '{i['id']}': each side's position is the number the text states; the "
             f"scale 0-{i['scale']['max']:g} and the saliences are drafted" for i in stated]
    if len(out) > len(stated):
        notes.append(f"issues: {len(out) - len(stated)} drafted where a sentence names a "
                     "contested matter and two sides, each side at its end of the scale (wide); "
                     "add the others")
    elif out:
        notes.append("issues: add the contested matters the text names no number for")
    else:
        notes.append("issues: none drafted; add the contested matters and each side's position")
    return out[:MAX_ISSUES], notes


def _horizon(h: int) -> int:
    if not 1 <= h <= MAX_HORIZON:
        raise UserError.at(f"must be a number of months from 1 to {MAX_HORIZON}", field="horizon")
    return h


def _as_of(article: Article, options: Options) -> tuple[dt.date, str]:
    if options.as_of is not None:
        return options.as_of, f"as_of {options.as_of}: given"
    found = stated_date(article.text)
    if found is not None:
        return found[0], f"as_of {found[0]}: the date on the text's line {found[1]}; check it"
    today = dt.date.today()
    return today, f"as_of {today}: today (the text's first lines give no date); set --as-of"


def _meta(article: Article, options: Options, as_of: dt.date, horizon: int) -> dict[str, Any]:
    title = options.title or _title(article)
    stem = article.file.rsplit(".", 1)[0] if article.file else title
    meta_id = options.id or (snake(stem)[:60].strip("_") or "draft")
    if not META_ID.match(meta_id) or len(meta_id) > 80:
        raise UserError.at("must be letters, digits, '_', '.' or '-' (at most 80)", field="id")
    source: dict[str, Any] = {"id": SOURCE, "title": title}
    if article.file is not None:
        source["file"] = article.file
    return {
        "id": meta_id,
        "title": title,
        "as_of": as_of,
        "horizon": horizon,
        "description": f"Drafted by `accord draft` from {article.file or 'a text'}: "
        "every element quotes the text; every number needs review.",
        "sources": [source],
    }


def _title(article: Article) -> str:
    for line in article.text.splitlines():
        line = " ".join(line.split())
        if not line or BYLINE.match(line) or stated_date(line):
            continue
        if line:
            if len(line.split()) <= MAX_TITLE_WORDS and not line.endswith("."):
                return line
            break
    return f"Draft from {article.file or 'a text'}"


def _actors(found: list[Found]) -> list[dict[str, Any]]:
    out, seen = [], set()
    for k, a in enumerate(found):
        aid = a.id if a.id and not a.id[0].isdigit() else f"actor_{k + 1}"
        while aid in seen:
            aid += "_2"
        seen.add(aid)
        out.append({"id": aid, "name": a.name, "aliases": a.aliases,
                    "capability": N.drafted(N.DEFAULT_CAPABILITY), "group": a.group})
    return out


def _event(e: DraftEvent, horizon: int, as_of: dt.date,
           reference: tuple[str, str] | None) -> dict[str, Any]:
    out: dict[str, Any] = {"id": e.id, "name": e.name}
    when = [*e.requires, *(f"not {u}" for u in e.unless)]
    if e.decided is not None and not e.modifiers:
        return _decided(e, out, when)
    if when:
        out["when"] = " and ".join(when)
    if e.scheduled is not None and not e.modifiers:
        out["description"] = "From the text: " + " / ".join(f"\"{q}\"" for q in e.quotes)
        out["scheduled"] = e.scheduled
        return out
    # the text's chance is over the months to its own deadline, if it gives one
    span = horizon if e.deadline is None else min(horizon, max(
        1, round((e.deadline - as_of).days / DAYS_PER_MONTH)))
    if e.number is not None:
        out["hazard"] = N.monthly_from_text(e.number[0], span, SOURCE, e.number[1],
                                            by=e.deadline)
    elif e.estimate is not None:
        low, high, words, quote = e.estimate
        out["hazard"] = N.monthly_from_words((low, high), words, span, SOURCE, quote,
                                             by=e.deadline)
    elif reference is not None and not e.modifiers:  # (a class takes no modifiers yet)
        what, ref = reference
        out["description"] = (f"{'An' if what[0] in 'aeiou' else 'A'} {what}: the text gives no "
                              f"rate, so it starts from history, the reference class "
                              f"{ref} counted from as_of; set `since` to the "
                              "process's own origin, filter it, or adjust it with modifiers. "
                              "From the text: " + " / ".join(f"\"{q}\"" for q in e.quotes))
        out["reference"] = ref
    else:
        out["hazard"] = N.drafted(N.DEFAULT_HAZARD, SOURCE, e.quotes)
    if e.modifiers:
        out["modifiers"] = [
            {"if": m.condition, "multiply": N.drafted(m.factor, SOURCE, [m.quote])}
            for m in e.modifiers
        ]
    return out


def _decided(e: DraftEvent, out: dict[str, Any], when: list[str]) -> dict[str, Any]:
    """An outcome the text expects at a dated meeting: a chance decided in that month, its
    probability the text's (a point or a range) or a wide default to review."""
    d = e.decided
    assert d is not None
    out["when"] = " and ".join([*when, f"date >= {d:%Y-%m}"])
    if e.number is not None:
        out["chance"] = {"value": round(e.number[0], 6), "evidence": N.evidence(SOURCE, [
            e.number[1]]), "assumption": f"the text's {e.number[0]:.0%}, decided on {d}"}
    elif e.estimate is not None:
        low, high, words, quote = e.estimate
        out["chance"] = {"low": low, "high": high, "evidence": N.evidence(SOURCE, [quote]),
                         "assumption": f"the text's \"{words}\" read as {low:.0%}-{high:.0%}, "
                         f"decided on {d}; review"}
    else:
        out["chance"] = N.drafted(N.DEFAULT_CHANCE, SOURCE, e.quotes)
    out["description"] = (f"Expected on {d}, not certain: a chance decided then. From the "
                          "text: " + " / ".join(f"\"{q}\"" for q in e.quotes))
    return out


def _question(e: DraftEvent, by: dt.date) -> dict[str, Any]:
    when = e.deadline or by
    return {
        "id": f"q_{e.id}"[:64],
        "text": f"By {when.isoformat()}, will this happen: {e.name}?",
        "event": e.id,
        "by": when,
        "criteria": f"Yes if, on or before {when.isoformat()}, what the text anticipates here "
        f"occurs: \"{e.quotes[0]}\" (drafted from the sentence; sharpen it)",
    }


def _review(actors: list[Found], events: list[DraftEvent], by: dt.date,
            typing: Typing, drafted: list[dict[str, Any]]) -> list[str]:
    rate = [e.get("hazard") or e.get("chance") for e in drafted]
    default = sum(isinstance(r, dict) and r.get("assumption") == N.DRAFTED for r in rate)
    classes, dated = sum("reference" in e for e in drafted), sum("scheduled" in e for e in drafted)
    out = [
        f"{len(actors)} actors: each capability is the drafted range 1-100; merge or drop "
        "actors, and check the aliases (the names the text used)",
        f"{len(events)} events: {default} at the wide default (Beta(1, 20) a month, or a chance "
        f"of 0.1-0.9); {len(events) - default - classes - dated} use a number or a chance in "
        f"words the text gives; {classes} start from a reference class; {dated} on a date the "
        "text gives",
    ]
    for e in events:
        if e.requires or e.unless:
            out.append(f"link: '{e.id}' when {' and '.join(e.requires)}"
                       + "".join(f" not {u}" for u in e.unless) + ": check it")
        for m in e.modifiers:
            out.append(f"modifier: '{e.id}' {'likelier' if m.likelier else 'less likely'} "
                       f"after {m.condition}: the factor {m.factor['low']}-{m.factor['high']} is "
                       "drafted")
        if e.scheduled is not None and not e.modifiers:
            out.append(f"scheduled: '{e.id}' on {e.scheduled}: check the date")
    out.append(f"{len(typing.asked)} questions (by {by} or the text's deadline), one per "
               f"typed event or chance the text gives: sharpen the criteria")
    return out
