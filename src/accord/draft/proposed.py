"""A language model's proposed events and questions, held to the drafter's own rules: an
event is of a kind in the typology, about the text's actors, named by its kind's template,
not a past fact, not one the draft has already; a question asks about such an event, one
question per event. What fails is dropped and said."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accord.draft.build import Draft
from accord.draft.typed import actors_in, is_past, unique_id
from accord.draft.typology import BY_ID, kind_of, name_for


def _text_of(item: dict[str, Any]) -> str:
    quotes = [e.get("quote", "") for key in ("hazard", "chance", "repeatable")
              if isinstance(item.get(key), dict)
              for e in item[key].get("evidence") or [] if isinstance(e, dict)]
    return " ".join(q for q in quotes if isinstance(q, str))


@dataclass(frozen=True)
class Proposed:
    """A proposed event as the drafter would name it, or None and why not."""

    item: dict[str, Any] | None
    why: str = ""
    kind: tuple[str, list[str]] = ("", [])  # its kind and actors, as Draft.typed keeps them


def typed_event(draft: Draft, item: dict[str, Any]) -> Proposed:
    """The proposed event renamed as the drafter names its kind, or None and why not."""
    label, name, quote = f"event '{item['id']}'", str(item.get("name", "")), _text_of(item)
    kind = kind_of(name) or kind_of(quote)
    if kind is None:
        return Proposed(None, f"dropped {label}: of no kind the draft knows (also in the text)")
    if any(is_past(kind, t) for t in (name, quote)) and "chance" not in item:
        return Proposed(None, f"dropped {label}: it tells what already happened (history)")
    actors = draft.scenario["actors"]
    who = actors_in(name, actors) or actors_in(quote, actors)
    if kind.sides == 2 and len(who) < 2 or not who:
        who = draft.parties.principals or who
    if any(k == kind.id and set(a) == set(who) for k, a in draft.typed.values()):
        return Proposed(None, f"dropped {label}: the draft has this {kind.id} already")
    taken = {e["id"] for e in draft.scenario["events"]}
    new = unique_id("_".join([*who[:2], kind.id]), taken)
    names = {a["id"]: a["name"] for a in actors}
    out = {**item, "id": new, "name": name_for(kind, [names[a] for a in who], quote or name)}
    return Proposed(out, "", (kind.id, who))


def question_ok(draft: Draft, item: dict[str, Any], renamed: dict[str, str]) -> str:
    """Why the proposed question is dropped, or "" (its event renamed as accepted)."""
    event = renamed.get(str(item.get("event")), item.get("event"))
    item["event"] = event
    if event not in draft.typed or BY_ID.get(draft.typed[event][0]) is None:
        return f"dropped question '{item['id']}': its event is not one the draft asks about"
    if any(q.get("event") == event for q in draft.scenario["questions"]):
        return f"dropped question '{item['id']}': its event has a question already"
    return ""
