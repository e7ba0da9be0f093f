"""Building a scenario item by item: add, change, rename and delete actors, issues, events and
questions in the YAML's round-trip tree, every change checked by accord's own loader.

Plain functions over ruamel's tree (accord.web.yamledit loads and dumps it, keeping comments,
key order and layout of what is not touched). `apply` is the one door: it runs a change on a
fresh tree and hands back the new text only when it brings no problem the text did not have,
so an invalid change never reaches the disk.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import ScalarString

from accord.errors import Problem, UserError
from accord.scenario import conditions
from accord.scenario.ids import readable_id
from accord.scenario.loader import Loaded
from accord.scenario.model import TABLE_FIELDS
from accord.web.items import KINDS, PARAMS, SECTIONS, Number, flow_list, param_value, put_param
from accord.web.yamledit import (
    dump_tree,
    edit_tree,
    load_tree,
)

Parse = Callable[[str], Loaded]  # validates a text (Workspace.parse or parse_scenario)


class Referenced(UserError):
    """Deleting an item others still name: the message lists where."""


@dataclass
class Result:
    """A change's validation: the new text (None when refused) and what accord says of it."""

    text: str | None
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # the problems this change brought


# --- changes over the tree ------------------------------------------------------------------
def _items(tree: Any, section: str) -> CommentedSeq:
    if section not in SECTIONS:
        raise UserError.at(f"no section '{section}' (one of {', '.join(SECTIONS)})")
    if tree.get(section) is None:
        tree[section] = CommentedSeq()
    return tree[section]


def index_of(tree: Any, section: str, item_id: str) -> int:
    for i, item in enumerate(_items(tree, section)):
        if isinstance(item, dict) and str(item.get("id")) == item_id:
            return i
    from accord.web.workspace import NotFound

    raise NotFound.at(f"no {section[:-1]} with id '{item_id}'", field=section)


def ids(tree: Any, section: str) -> set[str]:
    return {str(i.get("id")) for i in _items(tree, section) if isinstance(i, dict)}


def add_item(tree: Any, section: str, item: dict[str, Any]) -> str:
    """Append an item; an id not given is made from its name. Returns the id."""
    items = _items(tree, section)
    taken = ids(tree, section)
    item = dict(item)
    if not item.get("id"):
        basis = item.get("name") or f"{item.get('event', 'q')}_by_{item.get('by', '')}"
        item["id"] = readable_id(str(basis), taken)
    elif str(item["id"]) in taken:
        raise UserError.at(f"{one(section)} with id '{item['id']}' exists; choose another",
                           field=f"{section}[{len(items)}].id")
    m = CommentedMap()
    for k, v in item.items():
        if v is not None:
            m[k] = v
    items.append(m)
    return str(item["id"])


def update_item(tree: Any, section: str, item_id: str, changes: dict[str, Any]) -> str:
    """Set (or, given None, remove) keys of one item; a new id renames every reference.

    A number given as text ('0.2', 'U(0.1, 0.3)') changes only its distribution's keys: its
    evidence, assumption and layout stay (accord.web.yamledit)."""
    i = index_of(tree, section, item_id)
    item = _items(tree, section)[i]
    new_id = changes.get("id")
    for k, v in changes.items():
        if k == "id":
            continue
        if (k in KINDS or k == "reference") and v is not None:  # one rate: the new replaces
            for other in (*KINDS, "reference"):                  # the old
                if other != k and other in item:
                    del item[other]
        if v is None:
            item.pop(k, None)
        elif isinstance(v, Number):
            put_param(item, k, v, f"{section}[{i}].{k}")
        elif k in PARAMS and isinstance(v, str) and k in item:
            edit_tree(tree, "", f"{section}[{i}].{k}", v)
        elif k in PARAMS and isinstance(v, str):
            item.insert(len(item), k, param_value(v, where=f"{section}[{i}].{k}"))
        elif k in item:
            item[k] = v
        else:
            item.insert(len(item), k, v)
    if new_id and new_id != item_id:
        rename(tree, section, item_id, str(new_id))
        return str(new_id)
    return item_id


def _conditions(tree: Any) -> list[tuple[str, Any, str]]:
    """Every condition in the tree: (field path, its mapping, its key)."""
    out = []
    for i, ev in enumerate(tree.get("events") or []):
        if "when" in ev:
            out.append((f"events[{i}].when", ev, "when"))
        for j, mod in enumerate(ev.get("modifiers") or []):
            out.append((f"events[{i}].modifiers[{j}].if", mod, "if"))
    return out


def references(tree: Any, section: str, item_id: str) -> list[str]:
    """The field paths that name the item: what deleting it would break."""
    out: list[str] = []
    if section in ("events", "issues"):
        for path, node, key in _conditions(tree):
            try:
                expr = conditions.parse(str(node[key]))
            except conditions.ConditionSyntaxError:
                continue
            named = (conditions.events_referenced(expr) if section == "events"
                     else conditions.issues_referenced(expr))
            if item_id in named:
                out.append(path)
    if section in ("actors", "issues"):
        out += _table_references(tree, section, item_id)
    if section == "events":
        for i, ev in enumerate(tree.get("events") or []):
            for key in ("cancels", "resets"):
                if item_id in [str(x) for x in (ev.get("effects") or {}).get(key) or []]:
                    out.append(f"events[{i}].effects.{key}")
        for sec in ("questions", "indicators"):
            out += [f"{sec}[{i}].event" for i, q in enumerate(tree.get(sec) or [])
                    if str(q.get("event")) == item_id]
    if section == "actors":
        for path, node, key in _conditions(tree):
            try:
                expr = conditions.parse(str(node[key]))
            except conditions.ConditionSyntaxError:
                continue
            if item_id in {a for a, _ in conditions.stances_referenced(expr)}:
                out.append(path)
        out += [f"issues[{i}].positions.{item_id}" for i, iss in
                enumerate(tree.get("issues") or []) if item_id in (iss.get("positions") or {})]
    return out


def _table_effects(tree: Any) -> list[tuple[str, Any, str | None, str]]:
    """Every effect on the bargaining table: (its field path, its event's effects mapping,
    the actor or None, the issue)."""
    out = []
    for i, ev in enumerate(tree.get("events") or []):
        eff = ev.get("effects") or {}
        for fld in TABLE_FIELDS:
            for actor, per in (eff.get(fld) or {}).items():
                out += [(f"events[{i}].effects.{fld}.{actor}.{x}", eff, str(actor), str(x))
                        for x in per or {}]
        out += [(f"events[{i}].effects.status_quo.{x}", eff, None, str(x))
                for x in eff.get("status_quo") or {}]
    return out


def _table_references(tree: Any, section: str, item_id: str) -> list[str]:
    at = 2 if section == "actors" else 3
    return [path for path, _, actor, issue in _table_effects(tree)
            if (actor if at == 2 else issue) == item_id]


def _rename_in_effects(tree: Any, section: str, old: str, new: str) -> None:
    for ev in tree.get("events") or []:
        eff = ev.get("effects") or {}
        for fld in TABLE_FIELDS:
            per_actor = eff.get(fld) or {}
            if section == "actors" and old in per_actor:
                per_actor.insert(list(per_actor).index(old), new, per_actor.pop(old))
            for per in per_actor.values() if section == "issues" else ():
                if per is not None and old in per:
                    per.insert(list(per).index(old), new, per.pop(old))
        sq = eff.get("status_quo") or {}
        if section == "issues" and old in sq:
            sq.insert(list(sq).index(old), new, sq.pop(old))


def _same_style(old: Any, new: str) -> Any:
    return type(old)(new) if isinstance(old, ScalarString) else new


def rename(tree: Any, section: str, old: str, new: str) -> None:
    """Rename an id and every reference to it (conditions, effects, questions, indicators,
    positions)."""
    if new in ids(tree, section):
        raise UserError.at(f"{one(section)} with id '{new}' exists; choose another",
                           field=f"{section}[{index_of(tree, section, old)}].id")
    item = _items(tree, section)[index_of(tree, section, old)]
    item["id"] = _same_style(item["id"], new)
    rename_references(tree, section, old, new)


def rename_references(tree: Any, section: str, old: str, new: str) -> None:
    """Every reference to an id renamed, in a scenario or in an overlay (which may hold only
    some of the sections)."""
    events = {old: new} if section == "events" else {}
    issues = {old: new} if section == "issues" else {}
    actors = {old: new} if section == "actors" else {}
    if events or issues or actors:
        for _, node, key in _conditions(tree):
            try:
                expr = conditions.parse(str(node[key]))
            except conditions.ConditionSyntaxError:
                continue
            named = (conditions.events_referenced(expr) | conditions.issues_referenced(expr)
                     | {a for a, _ in conditions.stances_referenced(expr)})
            if old in named:
                node[key] = _same_style(node[key], conditions.to_text(
                    conditions.renamed(expr, events, issues, actors)))
    if section in ("actors", "issues"):
        _rename_in_effects(tree, section, old, new)
    if section == "events":
        for ev in tree.get("events") or []:
            for key in ("cancels", "resets"):
                seq = (ev.get("effects") or {}).get(key)
                for k, v in enumerate(seq or []):
                    if str(v) == old:
                        seq[k] = _same_style(v, new)
        for sec in ("questions", "indicators"):
            for q in tree.get(sec) or []:
                if str(q.get("event")) == old:
                    q["event"] = _same_style(q["event"], new)
    if section == "actors":
        for iss in tree.get("issues") or []:
            pos = iss.get("positions")
            if pos is not None and old in pos:
                at = list(pos).index(old)
                pos.insert(at, new, pos.pop(old))


def set_positions(tree: Any, issue_id: str, stances: dict[str, tuple[Number, Number] | None]
                  ) -> None:
    """An issue's positions and saliences, actor by actor (None: the actor leaves the issue);
    a stance kept keeps its numbers' evidence unless given a new provenance."""
    i = index_of(tree, "issues", issue_id)
    issue = _items(tree, "issues")[i]
    if issue.get("positions") is None:
        issue["positions"] = CommentedMap()
    positions = issue["positions"]
    for actor, stance in stances.items():
        if stance is None:
            positions.pop(actor, None)
            continue
        if positions.get(actor) is None:
            positions[actor] = CommentedMap()
        for key, number in zip(("position", "salience"), stance, strict=True):
            put_param(positions[actor], key, number, f"issues[{i}].positions.{actor}.{key}")


class ModifierRow(NamedTuple):
    """A form's modifier row: its condition, its multiplier, and which of the event's modifiers
    it shows (`was`, their index; None: a row added), so its provenance travels with it."""

    cond: str
    multiply: Number
    was: int | None = None


def one(section: str) -> str:
    """'an actor', 'a question': one item of a section, for messages."""
    noun = section[:-1]
    return ("an " if noun[0] in "aeiou" else "a ") + noun


def set_modifiers(tree: Any, event_id: str, rows: list[ModifierRow]) -> None:
    """An event's modifiers, in the rows' order: a row edits the modifier it shows (its
    number's evidence kept unless given a new provenance), a row added makes a new one, and a
    modifier no row shows is removed."""
    i = index_of(tree, "events", event_id)
    event = _items(tree, "events")[i]
    old = event.get("modifiers") or CommentedSeq()
    new = CommentedSeq()
    for k, row in enumerate(rows):
        cond, number, was = ModifierRow(*row)
        mod = old[was] if was is not None and 0 <= was < len(old) else CommentedMap()
        mod["if"] = _same_style(mod.get("if"), cond.strip())
        put_param(mod, "multiply", number, f"events[{i}].modifiers[{k}].multiply")
        new.append(mod)
    if new:
        event["modifiers"] = new
    else:
        event.pop("modifiers", None)


def set_effects(tree: Any, event_id: str, cancels: list[str], resets: list[str]) -> None:
    """What an event does when it occurs: the events it cancels and those it resets."""
    event = _items(tree, "events")[index_of(tree, "events", event_id)]
    effects = event.get("effects")
    if effects is None:
        effects = CommentedMap()
    for key, ids_ in (("cancels", cancels), ("resets", resets)):
        if ids_:
            effects[key] = flow_list(ids_)
        else:
            effects.pop(key, None)  # the table's effects, not in the form, stay as they are
    if effects:
        event["effects"] = effects
    else:
        event.pop("effects", None)


def delete_item(tree: Any, section: str, item_id: str, force: bool = False) -> None:
    """Remove an item; one that others name is refused (listing them) unless `force`."""
    i = index_of(tree, section, item_id)
    refs = references(tree, section, item_id)
    if refs and not force:
        raise Referenced([Problem(f"'{item_id}' is named here; change that first, or delete "
                                  "anyway", field=r) for r in refs])
    del _items(tree, section)[i]


# --- the one door -----------------------------------------------------------------------
def _keys(problems: list[Problem]) -> set[tuple[str | None, str]]:
    return {(p.field, p.message) for p in problems}


def check(text: str, parse: Parse) -> tuple[list[Problem], list[Problem]]:
    """(problems, warnings) of a text as `accord validate` sees it (provenance gaps included)."""
    try:
        loaded = parse(text)
    except UserError as exc:
        return list(exc.problems), []
    return [w for w in loaded.warnings if "no evidence and no assumption" in w.message], \
        [w for w in loaded.warnings if "no evidence and no assumption" not in w.message]


def apply(text: str, name: str, change: Callable[[Any], object], parse: Parse) -> Result:
    """Run `change` on the text's tree; the new text when it adds no problem, else the refusal
    (its problems with their field paths). A UserError of the change itself is raised."""
    tree = load_tree(text, name)
    change(tree)
    new = dump_tree(tree, text)
    before, _ = check(text, parse)
    after, warnings = check(new, parse)
    brought = [p for p in after if (p.field, p.message) not in _keys(before)]
    out = Result(None if brought else new, [str(p) for p in after], [str(w) for w in warnings],
                 [str(p) for p in brought])
    return out
