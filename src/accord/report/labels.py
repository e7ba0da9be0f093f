"""Human labels for parameters, from names already in the scenario.

`events.treaty_signed.modifiers[1].multiply` → "Armenia and Azerbaijan sign the peace treaty ·
rate × if russia sabotage"; the machine name stays in JSON and on hover.
"""

from __future__ import annotations

import re

from accord.scenario.model import Scenario

KIND = {"hazard": "monthly rate", "repeatable": "monthly rate (repeats)", "chance": "chance",
        "scheduled": "date", "reference.band": "rate within its reference class's band",
        "decay": "rate's decay per month"}
TABLE = {"positions": "position", "saliences": "salience", "capabilities": "capability"}
_MOD = re.compile(r"^modifiers\[(\d+)\]\.multiply$")


def _cond(text: str) -> str:
    """A condition made readable: ids with spaces, operators as words."""
    t = re.sub(r"\bsince\((\w+)\)", r"months since \1", text)
    t = re.sub(r"\bcount\((\w+)\)", r"times \1", t)
    t = t.replace("issue.", "")
    return re.sub(r"(?<=\w)_(?=\w)", " ", t)


def param_name(scenario: Scenario, name: str) -> str:
    """The readable label of an uncertain parameter's dotted name (unknown names unchanged)."""
    head, _, rest = name.partition(".")
    try:
        if head == "events":
            eid, _, field = rest.partition(".")
            ev = next(e for e in scenario.events if e.id == eid)
            m = _MOD.match(field)
            if m:
                mod = ev.modifiers[int(m.group(1))]
                return f"{ev.name} · rate × if {_cond(mod.if_)}"
            if field.startswith("effects."):
                return f"{ev.name} · {_effect(scenario, field)}"
            return f"{ev.name} · {KIND.get(field, field)}"
        if head == "thresholds":
            return f"threshold {rest.replace('_', ' ')}"
        if head == "actors":
            aid, _, field = rest.partition(".")
            actor = next(a for a in scenario.actors if a.id == aid)
            return f"{actor.name} · {field}"
        if head == "indicators":
            xid, _, field = rest.partition(".")
            ind = next(x for x in scenario.indicators if x.id == xid)
            return f"{ind.name} · {field.replace('_', ' ')}"
        if head == "issues":
            iid, aid, field = rest.split(".", 2)
            iss = next(i for i in scenario.issues if i.id == iid)
            actor = next((a.name for a in scenario.actors if a.id == aid), aid)
            return f"{iss.name} · {actor}'s {field}"
    except (StopIteration, ValueError, IndexError):
        pass
    return name


def _effect(scenario: Scenario, field: str) -> str:
    """'effects.saliences.russia.turkey_border' → "then Russia's salience on <issue>"."""
    parts = field.split(".")[1:]
    shift = parts[-1] == "shift"
    parts = parts[:-1] if shift else parts
    what = "shifts" if shift else "sets"
    issue = next((i.name for i in scenario.issues if i.id == parts[-1]), parts[-1])
    if parts[0] == "status_quo":
        return f"{what} the status quo of {issue}"
    actor = next((a.name for a in scenario.actors if a.id == parts[1]), parts[1])
    return f"{what} {actor}'s {TABLE.get(parts[0], parts[0])} on {issue}"

