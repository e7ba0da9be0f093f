"""A draft's review before it becomes a scenario (the dashboard's "New scenario → from a text").

The draft (`accord draft`'s YAML) is read as its elements: each actor, event, link (a
precondition or a modifier naming another event) and number the text gives, with the sentences
it quotes. The analyst keeps, renames or drops each; `reviewed` applies those decisions to the
YAML's round-trip tree (a dropped event takes its links, modifiers, effects and questions with
it; a dropped actor its positions; a dropped number becomes the wide default, labelled), so the
draft's header, its list of what to check, stays on top of the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from accord.draft.numbers import DEFAULT_CHANCE, DEFAULT_HAZARD, DEFAULT_SALIENCE
from accord.scenario import conditions as c
from accord.scenario.evidence import normalise
from accord.web import builder
from accord.web.yamledit import dump_tree, load_tree

RATES = ("hazard", "chance", "repeatable")
KINDS = ("actor", "event", "link", "number")
QUOTED = re.compile(r"\"([^\"]{12,})\"")  # a description's "From the text: "…"" quotes
DROPPED = "dropped in review: the text's number was not kept; a wide default to set"
# a dropped number's stand-in: the drafter's own wide default for a number of its kind
WIDE = {"hazard": DEFAULT_HAZARD, "repeatable": DEFAULT_HAZARD, "chance": DEFAULT_CHANCE,
        "salience": DEFAULT_SALIENCE}


@dataclass
class Element:
    """One proposed element. `key` names it across redrafts; `section` and `item` name what it
    belongs to (an actor or an event itself; a link's event; a number's event or issue); `at`
    is where a link or number sits in it: ("when", the conjunct) or ("if", the modifier's
    condition) of a link, the keys to a number ("hazard",) or (actor, "position")."""

    key: str
    kind: str  # actor | event | link | number
    section: str  # actors | events | issues
    item: str
    label: str
    quotes: list[str] = field(default_factory=list)
    detail: str = ""
    names: list[str] = field(default_factory=list)  # an actor's names as the text writes them
    at: tuple[str, ...] = ()
    refs: set[str] = field(default_factory=set)  # the other events a link names

    @property
    def renamable(self) -> bool:
        return self.kind in ("actor", "event")


@dataclass
class Decision:
    drop: bool = False
    name: str | None = None  # a new name (actors and events)


def _unique(xs: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(x for x in xs if x))


def _param_text(p: Any) -> str:
    if not isinstance(p, dict):
        return str(p)
    if "value" in p:
        return f"{p['value']:g}" if isinstance(p["value"], float | int) else str(p["value"])
    if p.get("dist") == "beta":
        return f"Beta({p.get('a')}, {p.get('b')})"
    if "low" in p and "high" in p:
        return f"{p['low']:g}–{p['high']:g}"
    return ", ".join(f"{k} {v}" for k, v in p.items() if k not in ("evidence", "assumption"))


def _quotes_of(p: Any) -> list[str]:
    return [str(e.get("quote")) for e in (p.get("evidence") or [])] if isinstance(p, dict) else []


def _from_text(p: Any) -> bool:
    """A number the text gives (quoted, not the drafter's wide default)."""
    return bool(_quotes_of(p)) and "drafted" not in str(p.get("assumption") or "")


def _either_case(form: str) -> str:
    """A name as a pattern whose first letter may be either case ("the opposition" at a
    sentence's start), the rest as written ("US" is not "us")."""
    head = form[0]
    first = f"[{head.upper()}{head.lower()}]" if head.upper() != head.lower() else re.escape(head)
    return first + re.escape(form[1:])


def mentions(names: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern of an actor's names as whole words, longest first."""
    forms = sorted(_unique(names), key=len, reverse=True)
    if not forms:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(map(_either_case, forms)) + r")(?!\w)")


def elements(tree: Any, sentences: list[str]) -> list[Element]:
    """The draft's actors, events, links and numbers, each with its quotes."""
    out: list[Element] = []
    for a in tree.get("actors") or []:
        names = _unique([str(a.get("name") or ""), *map(str, a.get("aliases") or [])])
        pat = mentions(names)
        quotes = [s for s in sentences if pat is not None and pat.search(s)]
        out.append(Element(f"actor:{a['id']}", "actor", "actors", str(a["id"]),
                           str(a.get("name")), quotes[:3],
                           f"named {len(quotes)}× · " + ", ".join(names), names))
    events = list(tree.get("events") or [])
    name = {str(e["id"]): str(e.get("name") or e["id"]) for e in events}
    for ev in events:
        out.append(_event(ev))
    for ev in events:
        out += _links(ev, name)
    for ev in events:
        out += [Element(f"number:events:{ev['id']}:{k}", "number", "events", str(ev["id"]),
                        f"{name[str(ev['id'])]}: {_param_text(ev[k])}", _quotes_of(ev[k]),
                        str(ev[k].get("assumption") or ""), at=(k,))
                for k in RATES if _from_text(ev.get(k))]
    for iss in tree.get("issues") or []:
        for actor, st in (iss.get("positions") or {}).items():
            for k in ("position", "salience"):
                if _from_text((st or {}).get(k)):
                    out.append(Element(f"number:issues:{iss['id']}:{actor}:{k}", "number",
                                       "issues", str(iss["id"]), f"{iss.get('name')}: "
                                       f"{actor}'s {k} {_param_text(st[k])}",
                                       _quotes_of(st[k]), str(st[k].get("assumption") or ""),
                                       at=(str(actor), k)))
    return out


def _event(ev: Any) -> Element:
    quotes = QUOTED.findall(str(ev.get("description") or ""))
    for k in RATES:
        quotes += _quotes_of(ev.get(k))
    if "scheduled" in ev:
        how = f"on {ev['scheduled']}"
    elif "reference" in ev:
        how = f"from history: reference class {ev['reference']}"
    else:
        k = next((k for k in RATES if k in ev), "hazard")
        what = {"hazard": "a monthly chance", "chance": "a one-time chance",
                "repeatable": "repeatable, a monthly chance"}[k]
        how = f"{what} {_param_text(ev.get(k))}"
    if ev.get("when"):
        how += f" · when {ev['when']}"
    return Element(f"event:{ev['id']}", "event", "events", str(ev["id"]),
                   str(ev.get("name")), _unique(quotes), how)


def _conjuncts(text: str) -> list[c.Expr]:
    try:
        expr = c.parse(text)
    except c.ConditionSyntaxError:
        return []
    return list(expr.items) if isinstance(expr, c.And) else [expr]


def _said(text: str, name: dict[str, str]) -> str:
    """A condition in the events' names where it is one event, or its negation."""
    parts = _conjuncts(text)
    if len(parts) == 1 and isinstance(parts[0], c.Occurred):
        return name.get(parts[0].event, parts[0].event)
    if len(parts) == 1 and isinstance(parts[0], c.Not) and isinstance(parts[0].item, c.Occurred):
        return "not " + name.get(parts[0].item.event, parts[0].item.event)
    return text


def _links(ev: Any, name: dict[str, str]) -> list[Element]:
    eid, out = str(ev["id"]), []
    quotes = _event(ev).quotes
    for part in _conjuncts(str(ev.get("when") or "")):
        refs = c.events_referenced(part)
        if not refs:
            continue  # a date or an issue: part of how the event happens, not a link
        if isinstance(part, c.Occurred):
            label = f"{name[eid]} needs {name.get(part.event, part.event)} first"
        elif isinstance(part, c.Not) and isinstance(part.item, c.Occurred):
            label = f"{name[eid]} only while not {name.get(part.item.event, part.item.event)}"
        else:
            label = f"{name[eid]} when {c.to_text(part)}"
        text = c.to_text(part)
        out.append(Element(f"link:{eid}:{text}", "link", "events", eid, label, quotes,
                           f"{eid}: when {text}", at=("when", text), refs=refs))
    for m in ev.get("modifiers") or []:
        f, cond = m.get("multiply"), str(m.get("if"))
        refs = {x for part in _conjuncts(cond) for x in c.events_referenced(part)}
        out.append(Element(f"modifier:{eid}:{cond}", "link", "events", eid,
                           f"{name[eid]} × {_param_text(f)} after {_said(cond, name)}",
                           _quotes_of(f) or quotes, f"{eid}: modifier if {cond}",
                           at=("if", cond), refs=refs))
    return out


def sentence_of(quote: str, sentences: list[str]) -> int | None:
    """The index of the sentence a quote comes from (it holds the quote, or the quote it)."""
    q = normalise(quote)
    for i, s in enumerate(sentences):
        n = normalise(s)
        if q in n or (len(n) > 20 and n in q):
            return i
    return None


# --- the decisions applied ---------------------------------------------------------------------
def reviewed(text: str, found: list[Element], decisions: dict[str, Decision], *,
             title: str | None = None, source_file: str | None = None) -> str:
    """The draft's YAML with the decisions applied (links and numbers first, then renames, then
    the events and actors dropped), its title and its text's file name set; comments and layout
    of the rest kept."""
    tree = load_tree(text, "draft")
    meta = tree["meta"]
    if title and title != meta.get("title"):
        meta["title"] = title
    if source_file and meta.get("sources"):
        meta["sources"][0]["file"] = source_file
    by_key = {e.key: e for e in found}
    chosen = [(by_key[k], d) for k, d in decisions.items() if k in by_key]
    for e, d in chosen:
        if d.drop and e.kind == "link":
            _drop_link(tree, e)
        elif d.drop and e.kind == "number":
            _widen(tree, e)
    for e, d in chosen:
        if not d.drop and d.name and d.name.strip() and d.name.strip() != e.label:
            _rename(tree, e, d.name.strip())
    for kind in ("event", "actor"):
        for e, d in chosen:
            if d.drop and e.kind == kind:
                (_drop_event if kind == "event" else _drop_actor)(tree, e.item)
    return dump_tree(tree, text)


def _event_node(tree: Any, eid: str) -> Any:
    return tree["events"][builder.index_of(tree, "events", eid)]


def _without(ev: Any, gone: Any) -> None:
    """The event's `when` without the conjuncts `gone(part)` says to drop."""
    if not ev.get("when"):
        return
    kept = [p for p in _conjuncts(str(ev["when"])) if not gone(p)]
    if not kept:
        del ev["when"]
    else:
        ev["when"] = c.to_text(kept[0] if len(kept) == 1 else c.And(tuple(kept)))


def _drop_link(tree: Any, e: Element) -> None:
    ev = _event_node(tree, e.item)
    where, cond = e.at
    if where == "when":
        _without(ev, lambda p: c.to_text(p) == cond)
        return
    mods = [m for m in ev.get("modifiers") or [] if str(m.get("if")) != cond]
    if mods:
        ev["modifiers"] = mods
    else:
        ev.pop("modifiers", None)


def _widen(tree: Any, e: Element) -> None:
    """A number dropped: the wide default of its kind, saying so."""
    owner = tree[e.section][builder.index_of(tree, e.section, e.item)]
    *path, key = e.at
    node = owner["positions"][path[0]] if path else owner
    if key == "position":
        scale = owner.get("scale") or {}
        wide = {"low": scale.get("min", 0), "high": scale.get("max", 100)}
    else:
        wide = WIDE[key]
    node[key] = {**wide, "assumption": DROPPED}


def _rename(tree: Any, e: Element, new: str) -> None:
    section = e.section
    item = tree[section][builder.index_of(tree, section, e.item)]
    old = str(item.get("name") or "")
    builder.update_item(tree, section, e.item, {"name": new})
    if e.kind == "actor":  # the text's own name stays findable
        aliases = [str(a) for a in item.get("aliases") or []]
        if old and old not in aliases:
            builder.update_item(tree, section, e.item, {"aliases": [*aliases, old]})
        return
    for q in tree.get("questions") or []:
        if str(q.get("event")) == e.item and old and old in str(q.get("text") or ""):
            q["text"] = str(q["text"]).replace(old, new)


def _drop_event(tree: Any, eid: str) -> None:
    """The event and everything that names it: its links, modifiers, effects, questions."""
    for ev in tree.get("events") or []:
        _without(ev, lambda p: eid in c.events_referenced(p))
        mods = [m for m in ev.get("modifiers") or []
                if eid not in c.events_referenced(c.parse(str(m.get("if"))))]
        if "modifiers" in ev:
            if mods:
                ev["modifiers"] = mods
            else:
                del ev["modifiers"]
        effects = ev.get("effects") or {}
        for k in list(effects):
            effects[k] = [x for x in effects[k] or [] if str(x) != eid]
            if not effects[k]:
                del effects[k]
        if "effects" in ev and not effects:
            del ev["effects"]
    for section in ("questions", "indicators"):
        if tree.get(section):
            tree[section] = [q for q in tree[section] if str(q.get("event")) != eid]
    builder.delete_item(tree, "events", eid, force=True)


def _drop_actor(tree: Any, aid: str) -> None:
    """The actor and its positions; an issue left with fewer than two sides goes too."""
    for iss in list(tree.get("issues") or []):
        pos = iss.get("positions") or {}
        pos.pop(aid, None)
        if len(pos) < 2:
            builder.delete_item(tree, "issues", str(iss["id"]), force=True)
    builder.delete_item(tree, "actors", aid, force=True)


# --- the review list atop the file ------------------------------------------------------------
def review_items(text: str) -> list[str]:
    """The list of what to check that `accord draft` writes atop a draft ([] for a file
    without one): its "#  - " items, their continuation lines joined."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line)
    if not lines or "accord draft" not in lines[0]:
        return []
    items: list[str] = []
    for line in lines[1:]:
        if line.startswith("#  - "):
            items.append(line[5:].strip())
        elif line.startswith("#    ") and items:
            items[-1] += " " + line[5:].strip()
    return items


def with_notes(text: str, notes: list[str], gone: Iterable[str] = ()) -> str:
    """The YAML with `notes` added as the last items of its review list (after its header),
    and without the items that name an id in `gone`: nothing is left to check of them."""
    lines = text.splitlines(keepends=True)
    at = next((i for i, ln in enumerate(lines) if not ln.startswith("#")), len(lines))
    if not at:
        return text
    ids = _unique(gone)
    named = re.compile(r"(?<![\w])(?:" + "|".join(map(re.escape, ids)) + r")(?![\w])") \
        if ids else None
    groups: list[list[str]] = []  # the header's lines, an item with its continuation lines
    for line in lines[:at]:
        if line.startswith("#    ") and groups:
            groups[-1].append(line)
        else:
            groups.append([line])
    kept = [g for g in groups if not (g[0].startswith("#  - ") and named is not None
                                      and named.search(" ".join(g)))]
    return "".join([*(ln for g in kept for ln in g), *(f"#  - {n}\n" for n in notes),
                    *lines[at:]])
