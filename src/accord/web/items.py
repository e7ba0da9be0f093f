"""The values and items the builder's forms make: a number typed in a form with its
provenance (`Why`, `Number`), dates, conditions from the pickers, and a new actor, issue, event,
question or scenario, each as the file format writes it (accord.web.builder puts them in the
scenario's tree).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from accord.errors import UserError
from accord.scenario import conditions
from accord.scenario.messages import PERCENT, percent_advice
from accord.web.yamledit import dump_tree, load_tree, parse_param_text, replace_param

SECTIONS = ("actors", "issues", "events", "questions")
HOW = {  # what the form says → the file format's key
    "monthly chance": "hazard",
    "one-time chance": "chance",
    "on a date": "scheduled",
    "repeatable": "repeatable",
}
KINDS = tuple(HOW.values())
PARAMS = ("capability", "status_quo", "hazard", "chance", "repeatable")
@dataclass(frozen=True)
class Why:
    """A number's provenance, as the file format asks: an assumption, a quote from a source
    (meta.sources' id), or both."""

    assumption: str | None = None
    source: str | None = None
    quote: str | None = None

    def fields(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.source and self.quote and self.quote.strip():
            out["evidence"] = [flow_map({"source": self.source, "quote": self.quote.strip()})]
        if self.assumption and self.assumption.strip():
            out["assumption"] = self.assumption.strip()
        return out


@dataclass(frozen=True)
class Number:
    """A number as a form gives it: its text ('0.2', 'U(0.1, 0.3)') and, when the user gave
    one, a new provenance (None keeps the number's evidence and assumption)."""

    text: str
    why: Why | None = None


# --- ids and values -------------------------------------------------------------------------
def parsed(text: str, where: str = "") -> float | dict[str, Any]:
    if PERCENT.match(str(text)):  # the YAML's advice, in the field's own words
        raise UserError.at(percent_advice(where.rsplit(".", 1)[-1], str(text)),
                           field=where or None)
    try:
        return parse_param_text(str(text))
    except ValueError as exc:
        raise UserError.at(str(exc), field=where or None) from None


def param_value(text: str, why: Why | str | None = None, where: str = "") -> Any:
    """A number typed in a form ('0.2', 'U(0.1, 0.3)', ...) → the YAML value, with its
    provenance (a Why, or an assumption's text): what the file format asks of every number."""
    value = parsed(text, where)
    extra = (Why(why) if isinstance(why, str) else why or Why()).fields()
    if not extra:
        return value if not isinstance(value, dict) else flow_map(value)
    items = value if isinstance(value, dict) else {"value": value}
    return flow_map({**items, **extra})


def put_param(node: Any, key: str, number: Number, where: str = "") -> None:
    """Set node[key] to a number: an existing one keeps its evidence and assumption unless the
    number brings a new provenance; a new one is added last."""
    if key in node and number.why is None:
        replace_param(node, key, parsed(number.text, where))
    elif key in node:
        node[key] = param_value(number.text, number.why, where)
    else:
        node.insert(len(node), key, param_value(number.text, number.why, where))


def flow_map(d: dict[str, Any]) -> CommentedMap:
    m = CommentedMap(d)
    m.fa.set_flow_style()
    return m


def flow_list(items: list[str]) -> CommentedSeq:
    """A short list written on one line ([a, b]), as people write aliases and effects."""
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def date_value(text: Any) -> Any:
    """A typed date as a date when it is one; otherwise the text, for the loader to refuse."""
    if isinstance(text, dt.date):
        return text
    s = str(text).strip()
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        return s


def condition(all_of: list[str] = (), any_of: list[str] = (),  # type: ignore[assignment]
              none_of: list[str] = ()) -> str:  # type: ignore[assignment]
    """The condition builder: all of / any of / none of some events → accord's grammar."""
    parts: list[conditions.Expr] = [conditions.Occurred(e) for e in all_of]
    if any_of:
        ors = [conditions.Occurred(e) for e in any_of]
        parts.append(ors[0] if len(ors) == 1 else conditions.Or(tuple(ors)))
    parts += [conditions.Not(conditions.Occurred(e)) for e in none_of]
    if not parts:
        return ""
    return conditions.to_text(parts[0] if len(parts) == 1 else conditions.And(tuple(parts)))


# --- items the forms make -------------------------------------------------------------------
def actor_item(name: str, capability: str = "50", assumption: Why | str | None = None,
               aliases: list[str] | None = None, id: str | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {"id": id, "name": name}
    if aliases:
        item["aliases"] = flow_list(aliases)
    item["capability"] = param_value(capability, assumption, "capability")
    return item


def event_item(name: str, how: str, probability: str = "", requires: str = "",
               date: str = "", assumption: Why | str | None = None,
               id: str | None = None, reference: str | None = None) -> dict[str, Any]:
    """An event: its rate typed, or (`reference`) a reference class's, the outside view."""
    kind = HOW.get(how, how)
    if kind not in KINDS:
        raise UserError.at(f"choose one of: {', '.join(HOW)}", field="how")
    item: dict[str, Any] = {"id": id, "name": name}
    if requires.strip():
        item["when"] = requires.strip()
    if kind == "scheduled":
        item["scheduled"] = date_value(date)
    elif reference:
        item["reference"] = reference
    else:
        item[kind] = param_value(probability, assumption, "probability")
    return item


def issue_item(name: str, positions: dict[str, tuple[str, str]], status_quo: str | None = None,
               scale: dict[str, Any] | None = None, assumption: Why | str | None = None,
               id: str | None = None) -> dict[str, Any]:
    """An issue: each actor's (position, salience) as typed, on a scale (default 0-100)."""
    item: dict[str, Any] = {"id": id, "name": name}
    if scale:
        item["scale"] = flow_map({k: v for k, v in scale.items() if v is not None})
    if status_quo not in (None, ""):
        item["status_quo"] = param_value(str(status_quo), assumption, "status_quo")
    item["positions"] = CommentedMap({
        actor: CommentedMap({"position": param_value(str(p), assumption, f"{actor}.position"),
                             "salience": param_value(str(w), assumption, f"{actor}.salience")})
        for actor, (p, w) in positions.items()})
    return item


def question_item(event: str, by: str, text: str, criteria: str | None = None,
                  id: str | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {"id": id, "text": text, "event": event, "by": date_value(by)}
    if criteria:
        item["criteria"] = criteria
    return item


BLANK = """\
# A scenario built in accord's dashboard. Add actors, events and questions in its Structure tab.
meta:
  id: {id}
  title: {title}
  as_of: {as_of}
  horizon: {horizon}
actors: []
events: []
questions: []
"""


def copy_text(text: str, name: str, new_ref: str, title: str | None = None) -> str:
    """A scenario's text as a copy for the file `new_ref`: its own meta.id (and title)."""
    tree = load_tree(text, name)
    stem = new_ref.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    tree["meta"]["id"] = re.sub(r"[^A-Za-z0-9_.-]+", "-", stem).strip("-.") or "copy"
    if title:
        tree["meta"]["title"] = title
    return dump_tree(tree, text)


def blank_text(title: str, as_of: Any, horizon: int = 24) -> str:
    """A new scenario with nothing in it yet (it needs an actor before it validates)."""
    import json

    day = date_value(as_of)
    if not isinstance(day, dt.date):
        raise UserError.at("not a date: write YYYY-MM-DD", field="as_of")
    if not title.strip():
        raise UserError.at("give the scenario a title", field="title")
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", title.strip().lower()).strip("-.")[:60] or "scenario"
    return BLANK.format(id=slug, title=json.dumps(title.strip()), as_of=day.isoformat(),
                        horizon=int(horizon))
