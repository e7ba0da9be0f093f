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
starts at the end of month 19, 2026-11-03. An `on:` date must not be after as_of; one in the
month holding as_of (or a sign in it) makes that month observed too, up to as_of, and the
forecast starts at its end. Without as_of, the observed months are the fewest that hold every
entry.

`load_observations` returns `Observations`, or raises UserError naming file, line and field.
`Observations.months(scenario)` checks them against a scenario (unknown events, dates before
its as_of or past its horizon, `count` on a non-repeatable, contradictions, an `on:` whose
preconditions the other entries make impossible) and gives the per-month plan the engines use.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
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
    """One observed fact: an event on a date, not by a date, a count, or cancelled."""

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
    """What has happened since as_of, as an observations file states it."""

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


Fail = Callable[[str, tuple[str | int, ...]], None]  # a problem's message, its path


def parse_observations(tree: Any, name: str, base: tuple[str | int, ...] = ()) -> Observations:
    """Observations from a YAML tree: the mapping {as_of, observed} or the bare list."""
    node = tree
    for key in base:
        node = node[key]
    probs: list[Problem] = []

    def fail(msg: str, path: tuple[str | int, ...]) -> None:
        probs.append(Problem(msg, file=name, line=line_of(tree, (*base, *path)),
                             field=field_path((*base, *path)) or None))

    as_of, items, where = _top(node, base, name, fail, probs)
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
        at = _within(fail, (*rel, i))
        if "indicator" in plain or "likelihood_ratio" in plain:
            sign = parse_sign(plain, i, line, at)
            signs += [sign] if sign is not None else []
            continue
        entry = _entry(plain, i, line, at)
        entries += [entry] if entry is not None else []
    if probs:
        raise UserError(sorted(probs, key=lambda p: p.line or 0))
    return Observations(entries, as_of, name, tree, where, signs)


def _within(fail: Fail, prefix: tuple[str | int, ...]) -> Fail:
    """`fail` for paths within the entry at `prefix`."""
    return lambda msg, path: fail(msg, (*prefix, *path))


def _top(node: Any, base: tuple[str | int, ...], name: str, fail: Fail,
         probs: list[Problem]) -> tuple[dt.date | None, Any, tuple[str | int, ...]]:
    """(as_of, the entries, where they are) of the mapping {as_of, observed} or a bare list."""
    if isinstance(node, list):
        return None, node, (*base,)
    if not isinstance(node, dict):
        raise UserError.at("observations must be a mapping with as_of and observed, or a list",
                           file=name, line=1, field=field_path(base) or None)
    as_of = None
    for key in node:
        if key not in ("as_of", "observed"):
            fail(f"unknown field '{key}' (allowed: as_of, observed)", (key,))
    if "as_of" in node:
        as_of = _date(node["as_of"])
        if as_of is None:
            fail("expected a date written YYYY-MM-DD", ("as_of",))
    items = node.get("observed")
    if items is None:
        fail("required field missing (a list of observed events)", ("observed",))
        raise UserError(probs)
    return as_of, items, (*base, "observed")


def _entry(plain: dict[str, Any], i: int, line: int | None, fail: Fail) -> Entry | None:
    """One {event: ID, on|not_by|count|cancelled: ...} entry, or None with its problems."""
    bad = [k for k in plain if k not in ("event", *KINDS, "by")]
    for k in bad:
        fail(f"unknown field '{k}' (allowed: event, on, not_by, count with by, cancelled)", (k,))
    if bad:
        return None
    ev = plain.get("event")
    if not isinstance(ev, str) or not ev:
        fail("required: the id of an event", ("event",))
        return None
    kinds = [k for k in KINDS if k in plain]
    if len(kinds) != 1:
        fail("needs exactly one of on, not_by, count, cancelled"
             + (f" (found {', '.join(kinds)})" if kinds else ""), ())
        return None
    kind = kinds[0]
    if "by" in plain and kind != "count":
        fail("`by` goes with `count` only", ("by",))
        return None
    if kind == "cancelled":
        if plain["cancelled"] is not True:
            fail("must be `true` (leave the entry out otherwise)", ("cancelled",))
            return None
        return Entry(ev, kind, index=i, line=line)
    n = plain.get("count")
    if kind == "count" and (isinstance(n, bool) or not isinstance(n, int) or n < 0):
        fail("must be a whole number, 0 or more", ("count",))
        return None
    d = _date(plain[kind] if kind != "count" else plain.get("by"))
    if d is None:
        fail("expected a date written YYYY-MM-DD" if kind != "count"
             else "`count` needs `by: YYYY-MM-DD`", (kind if kind != "count" else "by",))
        return None
    return Entry(ev, kind, date=d, count=n if kind == "count" else None, index=i, line=line)


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
    a0, h = scenario.meta.as_of, scenario.meta.horizon
    rows = {e.id: i for i, e in enumerate(scenario.events)}
    reset_targets = {t for e in scenario.events for t in e.effects.resets}

    def step_of(d: dt.date) -> int:  # whole months completed by d
        return scenario.months_until(d)

    good, probs = _known_entries(obs, scenario, step_of)
    if obs.as_of is not None and obs.as_of < a0:
        probs.append(obs.problem(f"{obs.as_of} is before the scenario's as_of {a0}"))
    elif obs.as_of is not None and step_of(obs.as_of) > h:
        probs.append(obs.problem(f"{obs.as_of} is past the scenario's horizon ({h} months)"))
    signs, sign_probs = map_signs(obs.signs, scenario, obs.problem, step_of, obs.as_of)
    _raise_any(probs + sign_probs)
    out = _observed_months(obs, a0, good, signs, step_of, probs)
    # per event: what each month is known to be
    by_event: dict[str, list[Entry]] = {}
    for e in good:
        by_event.setdefault(e.event, []).append(e)
    for eid, ents in by_event.items():
        once = scenario.event(eid).kind != "repeatable" and eid not in reset_targets
        probs += _plan_event(obs, eid, ents, out, row=rows[eid], once=once,
                             reset=eid in reset_targets, step_of=step_of)
    _raise_any(probs)
    _check_possible(obs, scenario, out, by_event, rows, probs)
    _raise_any(probs)
    return out


def _raise_any(probs: list[Problem]) -> None:
    if probs:
        raise UserError(sorted(probs, key=lambda p: p.line or 0))


def _known_entries(obs: Observations, scenario: Any, step_of: Callable[[dt.date], int],
                   ) -> tuple[list[Entry], list[Problem]]:
    """The entries naming a known event, in the scenario's months, of a kind it can have."""
    from accord.scenario.calendar import add_months

    a0, h = scenario.meta.as_of, scenario.meta.horizon
    events = {e.id: e for e in scenario.events}
    probs: list[Problem] = []
    good: list[Entry] = []
    for e in obs.entries:
        if e.event not in events:
            probs.append(obs.problem(f"unknown event '{e.event}' (events: "
                                     f"{', '.join(events)})", e.index, "event"))
            continue
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
        if e.kind == "count" and events[e.event].kind != "repeatable":
            probs.append(obs.problem(f"'{e.event}' is not repeatable: use on or not_by",
                                     e.index, "count"))
            continue
        good.append(e)
    return good, probs


def _observed_months(obs: Observations, a0: dt.date, good: list[Entry], signs: list[Sign],
                     step_of: Callable[[dt.date], int], probs: list[Problem]) -> ObservedMonths:
    """The plan's frame: months 1..S observed (S from as_of, else from the latest entry), with
    a problem for each entry after as_of.

    With as_of, S is the months it completes, or the month holding it when an occurrence or a
    sign lies in that month: the month then counts as observed up to as_of (what the entries
    say of it) and the forecast starts at its end; the rest of the month is simulated as usual,
    as every event the entries do not name is."""
    from accord.scenario.calendar import add_months

    need = max([step_of(e.date) + (e.kind == "on") for e in good if e.date]
               + [x.step for x in signs] or [0])
    if obs.as_of is not None:
        s = step_of(obs.as_of)
        for e in good:
            if e.date is not None and _after(e, obs.as_of, s, step_of):
                what = ("it is after as_of: an occurrence is observed on or before as_of, so "
                        f"write as_of: {e.date} or later" if e.kind == "on" else
                        f"it is after as_of {obs.as_of} (month {s} of the scenario ends "
                        f"{add_months(a0, s)})")
                probs.append(obs.problem(f"{e.date}: {what}", e.index,
                                         {"on": "on", "not_by": "not_by"}.get(e.kind, "by")))
        s = max(s, min(need, s + 1))  # the month holding as_of, when an entry lies in it
    else:
        s = need
    return ObservedMonths(months=s, start=add_months(a0, s),
                          as_of=obs.as_of or max([e.date for e in good if e.date] or [a0]),
                          observed_events={e.event for e in good}, canonical=obs.canonical(),
                          signs=signs)


def _after(e: Entry, as_of: dt.date, s: int, step_of: Callable[[dt.date], int]) -> bool:
    """An entry that says more than was known at as_of: an occurrence dated after it, or a
    `not_by` / `count` date past the months it completes."""
    assert e.date is not None
    return e.date > as_of if e.kind == "on" else step_of(e.date) > s


@dataclass
class _EventMonths:
    """One event's entries by month: `on:` months, quiet to a month, counts by a month."""

    on_steps: dict[int, Entry] = field(default_factory=dict)
    quiet_to: int = 0
    quiet_entry: Entry | None = None
    counts: dict[int, Entry] = field(default_factory=dict)


def _plan_event(obs: Observations, eid: str, ents: list[Entry], out: ObservedMonths, *,
                row: int, once: bool, reset: bool, step_of: Any) -> list[Problem]:
    """One event's entries as months in the plan (`out.fire`, `quiet`, `counts`, `cancel`),
    and the ways they contradict each other. `once`: the event happens at most once; `reset`:
    some effect resets it (so its count may fall and its quiet months say nothing of later)."""
    probs: list[Problem] = []
    em = _event_months(obs, eid, ents, step_of, probs)
    on_steps, quiet_to, quiet_entry, counts = em.on_steps, em.quiet_to, em.quiet_entry, em.counts
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
        probs += _count_problems(obs, em)
    _write_plan(out, em, row, once, any(e.kind == "cancelled" for e in ents))
    return probs


def _event_months(obs: Observations, eid: str, ents: list[Entry], step_of: Any,
                  probs: list[Problem]) -> _EventMonths:
    """The entries by month, with a problem for each month observed twice."""
    em = _EventMonths()
    for e in ents:
        if e.kind == "on":
            st = step_of(e.date) + 1
            if st in em.on_steps:
                probs.append(obs.problem(f"'{eid}' is already observed in that month "
                                         f"(entry {em.on_steps[st].index})", e.index, "on"))
                continue
            em.on_steps[st] = e
        elif e.kind == "not_by":
            st = step_of(e.date)
            if st >= em.quiet_to:
                em.quiet_to, em.quiet_entry = st, e
        elif e.kind == "count":
            st = step_of(e.date)
            if st in em.counts and em.counts[st].count != e.count:
                probs.append(obs.problem(f"contradicts entry {em.counts[st].index}: "
                                         f"{em.counts[st].count} occurrences by then",
                                         e.index, "count"))
                continue
            em.counts[st] = e
    return em


def _count_problems(obs: Observations, em: _EventMonths) -> list[Problem]:
    """Counts of an event nothing resets: they never fall, hold every observed occurrence,
    and fit one occurrence a month."""
    probs: list[Problem] = []
    ordered = sorted(em.counts.items())
    for (_, e1), (_, e2) in zip(ordered, ordered[1:], strict=False):
        if (e2.count or 0) < (e1.count or 0):
            probs.append(obs.problem(f"a count cannot fall: entry {e1.index} has "
                                     f"{e1.count} by {e1.date}", e2.index, "count"))
    for st, e in em.counts.items():
        n_on = sum(1 for o in em.on_steps if o <= st)
        if n_on > (e.count or 0):
            probs.append(obs.problem(f"{n_on} occurrences are observed on or before "
                                     f"{e.date}, more than {e.count}", e.index, "count"))
        if e.count is not None and e.count > st:
            probs.append(obs.problem(f"{e.count} occurrences cannot fit in the {st} "
                                     f"months to {e.date} (one a month at most)",
                                     e.index, "count"))
    return probs


def _write_plan(out: ObservedMonths, em: _EventMonths, row: int, once: bool,
                cancelled: bool) -> None:
    """The event's months into the plan: fired, quiet, counted, cancelled."""
    for st in em.on_steps:
        out.fire.setdefault(st, set()).add(row)
    quiet_steps = set(range(1, em.quiet_to + 1))
    if once and em.on_steps:  # it fired in that month, so not before
        quiet_steps |= set(range(1, min(em.on_steps)))
    for st in quiet_steps - set(em.on_steps):
        out.quiet.setdefault(st, set()).add(row)
    for st, e in em.counts.items():
        if st >= 1:
            out.counts.setdefault(st, []).append((row, int(e.count or 0)))
    if cancelled:
        out.cancel.add(row)


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
