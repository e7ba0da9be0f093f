"""Observations: what happened after a scenario's as_of, written down as data.

    as_of: 2026-12-01                                  # forecast from here (default: latest date)
    observed:
      - {event: us_russia_deal, on: 2026-03-15}          # occurred in the month holding that date
      - {event: referendum_held, not_by: 2026-12-01}     # had not occurred by then
      - {event: new_demand, count: 2, by: 2026-06-30}    # a repeatable's occurrences by then
      - {event: constitution_amended, cancelled: true}   # it can no longer occur

Dates map to the scenario's months as `--by` does: month t (t = 1..horizon) runs from as_of +
(t − 1) months to as_of + t months, and a date counts the whole months completed by it. So from
2025-04-03, `not_by: 2026-12-01` covers months 1..19 (to 2026-11-03), `on: 2026-03-15` is month
12 (2026-03-03 to 2026-04-03), and `as_of: 2026-12-01` observes months 1..19: the forecast
starts at the end of month 19, 2026-11-03. An `on:` month must have ended by as_of; without
as_of, the observed months are the fewest that hold every entry.

`load_observations` returns `Observations`, or raises UserError naming file, line and field.
`Observations.months(scenario)` checks them against a scenario (unknown events, dates before
its as_of or past its horizon, `count` on a non-repeatable, contradictions, an `on:` whose
preconditions the other entries make impossible) and gives the per-month plan the engines use.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from accord.errors import Problem, UserError
from accord.scenario import conditions as c
from accord.scenario.indicators import Sign, SignEntry, map_signs, parse_sign
from accord.scenario.yamlio import field_path, line_of, load_yaml, read_text, to_plain

KINDS = ("on", "not_by", "count", "cancelled")
MAX_ENTRIES = 1000


@dataclass(frozen=True)
class Entry:
    event: str
    kind: str  # on | not_by | count | cancelled
    date: dt.date | None = None  # on / not_by / by
    count: int | None = None
    index: int = 0  # position in the list (for messages)
    line: int | None = None


def digest(canonical: dict[str, Any]) -> str:
    """SHA-256 of observations in canonical form: what the ledger and the store record."""
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class Observations:
    entries: list[Entry]
    as_of: dt.date | None = None
    name: str = "observations"
    tree: Any = None
    base: tuple[str | int, ...] = ("observed",)  # where the list sits in the tree
    signs: list[SignEntry] = field(default_factory=list)  # soft evidence (indicators)

    def problem(self, msg: str, index: int | None = None, key: str | None = None) -> Problem:
        path: tuple[str | int, ...] = ("as_of",) if index is None else (*self.base, index)
        if index is not None and key:
            path = (*path, key)
        if index is None and len(self.base) > 1:
            path = (*self.base[:-1], "as_of")
        line = line_of(self.tree, path) if self.tree is not None else None
        return Problem(msg, file=self.name, line=line, field=field_path(path))

    def canonical(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "observed": [
                {"event": e.event, "kind": e.kind,
                 "date": e.date.isoformat() if e.date else None, "count": e.count}
                for e in self.entries
            ],
        }
        if self.signs:  # only then: observations without signs keep their hash
            out["signs"] = [x.canonical() for x in self.signs]
        return out

    @property
    def hash(self) -> str:
        return digest(self.canonical())

    def months(self, scenario: Any) -> ObservedMonths:
        return check_against(self, scenario)


@dataclass
class ObservedMonths:
    """The observations as months of a scenario: what the engines clamp and check.

    fire[t] / quiet[t]: event rows forced to fire / not to fire in month t; counts[t]: (row, n)
    that must hold at the end of month t; cancel: rows cancelled from the end of month S on.
    """

    months: int  # S: months 1..S are observed; the forecast starts at the end of month S
    start: dt.date  # the scenario's as_of + S months
    as_of: dt.date  # the observations' as_of (the forecast date)
    fire: dict[int, set[int]] = field(default_factory=dict)
    quiet: dict[int, set[int]] = field(default_factory=dict)
    counts: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    cancel: set[int] = field(default_factory=set)
    observed_events: set[str] = field(default_factory=set)
    signs: list[Sign] = field(default_factory=list)  # soft evidence: weights, not clamps
    canonical: dict[str, Any] = field(default_factory=dict)  # `Observations.canonical()`

    @property
    def hash(self) -> str:
        return digest(self.canonical)

    def clamps(self, t: int) -> dict[int, bool]:
        """row → True (must fire) / False (must not) in month t."""
        out = {r: False for r in self.quiet.get(t, ())}
        out.update({r: True for r in self.fire.get(t, ())})
        return out


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def parse_observations(tree: Any, name: str, base: tuple[str | int, ...] = ()) -> Observations:
    """Observations from a YAML tree: the mapping {as_of, observed} or the bare list."""
    node = tree
    for key in base:
        node = node[key]
    probs: list[Problem] = []

    def fail(msg: str, path: tuple[str | int, ...]) -> None:
        probs.append(Problem(msg, file=name, line=line_of(tree, (*base, *path)),
                             field=field_path((*base, *path)) or None))

    as_of = None
    items: Any
    if isinstance(node, list):
        items, where = node, (*base,)
    elif isinstance(node, dict):
        for key in node:
            if key not in ("as_of", "observed"):
                fail(f"unknown field '{key}' (allowed: as_of, observed)", (key,))
        if "as_of" in node:
            as_of = _date(node["as_of"])
            if as_of is None:
                fail("expected a date written YYYY-MM-DD", ("as_of",))
        items, where = node.get("observed"), (*base, "observed")
        if items is None:
            fail("required field missing (a list of observed events)", ("observed",))
            raise UserError(probs)
    else:
        raise UserError.at("observations must be a mapping with as_of and observed, or a list",
                           file=name, line=1, field=field_path(base) or None)
    if not isinstance(items, list):
        fail("must be a list of {event: ID, on|not_by|count|cancelled: ...}", where[len(base):])
        raise UserError(probs)
    if len(items) > MAX_ENTRIES:
        fail(f"more than {MAX_ENTRIES} entries", where[len(base):])
        raise UserError(probs)
    rel = where[len(base):]
    entries: list[Entry] = []
    signs: list[SignEntry] = []
    for i, item in enumerate(items):
        line = line_of(tree, (*where, i))
        if not isinstance(item, dict):
            fail("each entry is a mapping such as {event: ID, on: YYYY-MM-DD}", (*rel, i))
            continue
        plain = to_plain(item)
        if "indicator" in plain or "likelihood_ratio" in plain:
            sign = parse_sign(plain, i, line, lambda msg, p, i=i: fail(msg, (*rel, i, *p)))
            signs += [sign] if sign is not None else []
            continue
        bad = [k for k in plain if k not in ("event", *KINDS, "by")]
        for k in bad:
            fail(f"unknown field '{k}' (allowed: event, on, not_by, count with by, cancelled)",
                 (*rel, i, k))
        if bad:
            continue
        ev = plain.get("event")
        if not isinstance(ev, str) or not ev:
            fail("required: the id of an event", (*rel, i, "event"))
            continue
        kinds = [k for k in KINDS if k in plain]
        if len(kinds) != 1:
            fail("needs exactly one of on, not_by, count, cancelled"
                 + (f" (found {', '.join(kinds)})" if kinds else ""), (*rel, i))
            continue
        kind = kinds[0]
        if "by" in plain and kind != "count":
            fail("`by` goes with `count` only", (*rel, i, "by"))
            continue
        if kind in ("on", "not_by"):
            d = _date(plain[kind])
            if d is None:
                fail("expected a date written YYYY-MM-DD", (*rel, i, kind))
                continue
            entries.append(Entry(ev, kind, date=d, index=i, line=line))
        elif kind == "count":
            n = plain["count"]
            if isinstance(n, bool) or not isinstance(n, int) or n < 0:
                fail("must be a whole number, 0 or more", (*rel, i, "count"))
                continue
            d = _date(plain.get("by"))
            if d is None:
                fail("`count` needs `by: YYYY-MM-DD`", (*rel, i, "by"))
                continue
            entries.append(Entry(ev, kind, date=d, count=n, index=i, line=line))
        else:
            if plain["cancelled"] is not True:
                fail("must be `true` (leave the entry out otherwise)", (*rel, i, "cancelled"))
                continue
            entries.append(Entry(ev, kind, index=i, line=line))
    if probs:
        raise UserError(sorted(probs, key=lambda p: p.line or 0))
    return Observations(entries, as_of, name, tree, where, signs)


def load_observations(path: str | Path) -> Observations:
    """An observations file, or a UserError naming file, line and field."""
    p = Path(path)
    text = read_text(p, "observations file")
    return observations_from_text(text, str(p))


def observations_from_canonical(doc: dict[str, Any], name: str) -> Observations:
    """The observations `Observations.canonical()` wrote (a stored run keeps them, so that
    its paths can be simulated again), written back as an observations file is."""
    entries = []
    for e in doc.get("observed", []):
        kind, item = e["kind"], {"event": e["event"]}
        if kind == "count":
            item.update(count=e["count"], by=e["date"])
        else:
            item[kind] = True if kind == "cancelled" else e["date"]
        entries.append(item)
    for x in doc.get("signs", []):
        if x["indicator"] is not None:
            entries.append({"indicator": x["indicator"],
                            "seen" if x["seen"] else "not_seen": x["date"]})
        else:
            entries.append({"event": x["event"], "likelihood_ratio": x["likelihood_ratio"],
                            "month": x["date"]})
    tree = {"observed": entries, **({"as_of": doc["as_of"]} if doc.get("as_of") else {})}
    return parse_observations(tree, name)


def describe(canonical: dict[str, Any]) -> list[str]:
    """Observations in canonical form as short lines ('us_russia_deal on 2025-11-20', 'sign
    customs_staffed seen 2025-09-30'): what the ledger keeps beside each forecast."""
    words = {"on": "on", "not_by": "not by", "count": "count {count} by", "cancelled": "cancelled"}
    out = []
    for e in canonical.get("observed", []):
        what = words[e["kind"]].format(count=e.get("count"))
        out.append(f"{e['event']} {what}" + (f" {e['date']}" if e.get("date") else ""))
    for x in canonical.get("signs", []):
        if x.get("indicator"):
            out.append(f"sign {x['indicator']} {'seen' if x['seen'] else 'not seen'} {x['date']}")
        else:
            out.append(f"sign of {x['event']} (ratio {x['likelihood_ratio']:g}) {x['date']}")
    return out


def observations_from_text(text: str, name: str) -> Observations:
    tree = load_yaml(text, name)
    if tree is None:
        raise UserError.at("observations file is empty", file=name, line=1)
    return parse_observations(tree, name)


def check_against(obs: Observations, scenario: Any) -> ObservedMonths:
    """Check observations against a scenario and map them to its months (UserError if bad)."""
    probs: list[Problem] = []
    events = {e.id: e for e in scenario.events}
    rows = {e.id: i for i, e in enumerate(scenario.events)}
    a0, h = scenario.meta.as_of, scenario.meta.horizon
    reset_targets = {t for e in scenario.events for t in e.effects.resets}
    from accord.process.deadline import add_months

    def step_of(d: dt.date) -> int:  # whole months completed by d
        return scenario.months_until(d)

    good: list[Entry] = []
    for e in obs.entries:
        if e.event not in events:
            probs.append(obs.problem(f"unknown event '{e.event}' (events: "
                                     f"{', '.join(events)})", e.index, "event"))
            continue
        ev = events[e.event]
        key = {"on": "on", "not_by": "not_by", "count": "by"}.get(e.kind)
        if e.date is not None:
            if e.date < a0:
                probs.append(obs.problem(f"{e.date} is before the scenario's as_of {a0}",
                                         e.index, key))
                continue
            if step_of(e.date) + (1 if e.kind == "on" else 0) > h:
                end = add_months(a0, h)
                probs.append(obs.problem(f"{e.date} is past the scenario's horizon ({h} months, "
                                         f"to {end})", e.index, key))
                continue
        if e.kind == "count" and ev.kind != "repeatable":
            probs.append(obs.problem(f"'{e.event}' is not repeatable: use on or not_by",
                                     e.index, "count"))
            continue
        good.append(e)
    if obs.as_of is not None and obs.as_of < a0:
        probs.append(obs.problem(f"{obs.as_of} is before the scenario's as_of {a0}"))
    elif obs.as_of is not None and step_of(obs.as_of) > h:
        probs.append(obs.problem(f"{obs.as_of} is past the scenario's horizon ({h} months)"))
    signs, sign_probs = map_signs(obs.signs, scenario, obs.problem, step_of, obs.as_of)
    probs += sign_probs
    if probs:
        raise UserError(sorted(probs, key=lambda p: p.line or 0))

    need = max([step_of(e.date) + (e.kind == "on") for e in good if e.date]
               + [x.step for x in signs] or [0])
    if obs.as_of is not None:
        s = step_of(obs.as_of)
        for e in good:
            if e.date is not None and step_of(e.date) + (e.kind == "on") > s:
                what = ("the month holding it ends" if e.kind == "on" else "it is")
                probs.append(obs.problem(f"{e.date}: {what} after as_of {obs.as_of} "
                                         f"(month {s} of the scenario ends "
                                         f"{add_months(a0, s)})", e.index,
                                         {"on": "on", "not_by": "not_by"}.get(e.kind, "by")))
    else:
        s = need
    out = ObservedMonths(months=s, start=add_months(a0, s),
                         as_of=obs.as_of or max([e.date for e in good if e.date] or [a0]),
                         observed_events={e.event for e in good}, canonical=obs.canonical(),
                         signs=signs)

    # per event: what each month is known to be
    by_event: dict[str, list[Entry]] = {}
    for e in good:
        by_event.setdefault(e.event, []).append(e)
    for eid, ents in by_event.items():
        ev = events[eid]
        once = ev.kind != "repeatable" and eid not in reset_targets
        probs += _plan_event(obs, eid, ents, out, row=rows[eid], once=once,
                             reset=eid in reset_targets, step_of=step_of)
    if probs:
        raise UserError(sorted(probs, key=lambda p: p.line or 0))
    _check_possible(obs, scenario, out, by_event, rows, probs)
    if probs:
        raise UserError(sorted(probs, key=lambda p: p.line or 0))
    return out


def _plan_event(obs: Observations, eid: str, ents: list[Entry], out: ObservedMonths, *,
                row: int, once: bool, reset: bool, step_of: Any) -> list[Problem]:
    """One event's entries as months in the plan (`out.fire`, `quiet`, `counts`, `cancel`),
    and the ways they contradict each other. `once`: the event happens at most once; `reset`:
    some effect resets it (so its count may fall and its quiet months say nothing of later)."""
    probs: list[Problem] = []
    on_steps: dict[int, Entry] = {}
    quiet_to = 0
    quiet_entry: Entry | None = None
    counts: dict[int, Entry] = {}
    for e in ents:
        if e.kind == "on":
            st = step_of(e.date) + 1  # type: ignore[arg-type]
            if st in on_steps:
                probs.append(obs.problem(f"'{eid}' is already observed in that month "
                                         f"(entry {on_steps[st].index})", e.index, "on"))
                continue
            on_steps[st] = e
        elif e.kind == "not_by":
            st = step_of(e.date)  # type: ignore[arg-type]
            if st >= quiet_to:
                quiet_to, quiet_entry = st, e
        elif e.kind == "count":
            st = step_of(e.date)  # type: ignore[arg-type]
            if st in counts and counts[st].count != e.count:
                probs.append(obs.problem(f"contradicts entry {counts[st].index}: "
                                         f"{counts[st].count} occurrences by then",
                                         e.index, "count"))
                continue
            counts[st] = e
    if once and len(on_steps) > 1:
        first, *rest = sorted(on_steps)
        for st in rest:
            probs.append(obs.problem(f"'{eid}' occurs only once (entry "
                                     f"{on_steps[first].index} already has it)",
                                     on_steps[st].index, "on"))
    for st, e in on_steps.items():
        if st <= quiet_to and quiet_entry is not None:
            probs.append(obs.problem(f"contradicts entry {quiet_entry.index}: '{eid}' had "
                                     f"not occurred by {quiet_entry.date}", e.index, "on"))
    if quiet_entry is not None and not reset:
        for st, e in counts.items():
            if e.count and st <= quiet_to:
                probs.append(obs.problem(f"contradicts entry {quiet_entry.index}: '{eid}' "
                                         f"had not occurred by {quiet_entry.date}",
                                         e.index, "count"))
    if not reset:
        ordered = sorted(counts.items())
        for (_, e1), (_, e2) in zip(ordered, ordered[1:], strict=False):
            if (e2.count or 0) < (e1.count or 0):
                probs.append(obs.problem(f"a count cannot fall: entry {e1.index} has "
                                         f"{e1.count} by {e1.date}", e2.index, "count"))
        for st, e in counts.items():
            n_on = sum(1 for o in on_steps if o <= st)
            if n_on > (e.count or 0):
                probs.append(obs.problem(f"{n_on} occurrences are observed on or before "
                                         f"{e.date}, more than {e.count}", e.index, "count"))
            if e.count is not None and e.count > st:
                probs.append(obs.problem(f"{e.count} occurrences cannot fit in the {st} "
                                         f"months to {e.date} (one a month at most)",
                                         e.index, "count"))
    # the plan
    for st in on_steps:
        out.fire.setdefault(st, set()).add(row)
    quiet_steps = set(range(1, quiet_to + 1))
    if once and on_steps:  # it fired in that month, so not before
        quiet_steps |= set(range(1, min(on_steps)))
    for st in quiet_steps - set(on_steps):
        out.quiet.setdefault(st, set()).add(row)
    for st, e in counts.items():
        if st >= 1:
            out.counts.setdefault(st, []).append((row, int(e.count or 0)))
    if any(e.kind == "cancelled" for e in ents):
        out.cancel.add(row)
    return probs


def _check_possible(obs: Observations, scenario: Any, plan: ObservedMonths,
                    by_event: dict[str, list[Entry]], rows: dict[str, int],
                    probs: list[Problem]) -> None:
    """An `on:` month whose event's positive preconditions are known not to hold then, or
    that falls before a scheduled event's date: impossible under the other observations."""
    for eid, ents in by_event.items():
        ev = scenario.event(eid)
        need = c.required_events(ev.condition)
        for e in ents:
            if e.kind != "on":
                continue
            st = scenario.months_until(e.date) + 1
            if ev.kind == "scheduled":
                sm = ev.scheduled_month
                if scenario.month_index(st) < sm:
                    probs.append(obs.problem(f"'{eid}' is scheduled for {ev.scheduled:%Y-%m}: "
                                             "it cannot occur earlier", e.index, "on"))
                    continue
            for pre in sorted(need):
                if pre not in rows:
                    continue
                # known not to have occurred at the start of month st: quiet in months 1..st-1
                quiet = all(rows[pre] in plan.quiet.get(k, ()) for k in range(1, st))
                never = st > 1 and quiet
                if st == 1 or never:
                    why = ("it cannot occur in the scenario's first month" if st == 1 else
                           f"the other entries say '{pre}' had not occurred by then")
                    probs.append(obs.problem(
                        f"'{eid}' needs '{pre}' to have occurred first ({ev.when}); {why}",
                        e.index, "on"))
                    break


def observations_of_scenario(tree: Any, name: str) -> Observations | None:
    """A scenario's (or overlay's) own top-level `observed:` section, if it has one."""
    if isinstance(tree, dict) and "observed" in tree:
        return parse_observations(tree, name, ("observed",))
    return None
