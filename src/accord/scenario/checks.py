"""Checks across a whole scenario: ids, conditions, cycles, impossible events, provenance.

Each check yields (path, message); the loader turns paths into file lines. Kept apart from the
pydantic model so the dashboard shows exactly what `accord validate` prints.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from accord.scenario import conditions as C
from accord.scenario.evidence import (
    UNVERIFIED,
    find_source_text,
    normalise,
    quote_occurs,
    text_hash,
)
from accord.scenario.messages import did_you_mean, out_of_unit_range, unknown
from accord.scenario.model import Scenario, Shift, Threshold
from accord.scenario.params import Param

Path_ = tuple[str | int, ...]
Finding = tuple[Path_, str]


def _dupes(items: list[str]) -> list[int]:
    seen: set[str] = set()
    out = []
    for i, x in enumerate(items):
        if x in seen:
            out.append(i)
        seen.add(x)
    return out


def check_ids(s: Scenario) -> Iterator[Finding]:
    for section, items in (
        ("actors", s.actors),
        ("issues", s.issues),
        ("events", s.events),
        ("questions", s.questions),
        ("indicators", s.indicators),
    ):
        ids = [x.id for x in items]
        for i in _dupes(ids):
            yield (section, i, "id"), f"duplicate id '{ids[i]}'"
    src_ids = [x.id for x in s.meta.sources]
    for i in _dupes(src_ids):
        yield ("meta", "sources", i, "id"), f"duplicate source id '{src_ids[i]}'"
    actor_ids = {a.id for a in s.actors}
    for i, iss in enumerate(s.issues):
        for actor in iss.positions:
            if actor not in actor_ids:
                yield ("issues", i, "positions", actor), unknown("actor", actor, actor_ids)


def _within(p: Param, lo: float, hi: float) -> bool:
    a, b = p.support()
    return lo <= a and b <= hi


def _reach(p: Param) -> float:
    """The end of the parameter's support that lies outside [0, 1]."""
    lo, hi = p.support()
    return lo if lo < 0 else hi


def check_ranges(s: Scenario) -> Iterator[Finding]:
    for i, a in enumerate(s.actors):
        if a.capability.support()[0] < 0:
            yield ("actors", i, "capability"), "capability must not be negative"
    for i, iss in enumerate(s.issues):
        lo, hi = iss.scale.min, iss.scale.max
        if iss.status_quo is not None and not _within(iss.status_quo, lo, hi):
            yield ("issues", i, "status_quo"), f"status quo outside the scale [{lo:g}, {hi:g}]"
        for actor, st in iss.positions.items():
            if not _within(st.position, lo, hi):
                yield (
                    ("issues", i, "positions", actor, "position"),
                    f"position outside the scale [{lo:g}, {hi:g}]",
                )
            if not _within(st.salience, 0.0, 1.0):
                yield (
                    ("issues", i, "positions", actor, "salience"),
                    out_of_unit_range("salience", _reach(st.salience)),
                )
    for i, ev in enumerate(s.events):
        p = ev.probability
        if p is not None and not _within(p, 0.0, 1.0):
            yield ("events", i, ev.kind), out_of_unit_range(ev.kind, _reach(p))
        if ev.decay is not None and not (ev.decay.support()[0] > 0
                                         and ev.decay.support()[1] <= 1):
            yield ("events", i, "decay"), ("a decay is the rate's factor per month, in (0, 1] "
                                           "(0.97: 3% less each month; 1: no decay)")
        for j, m in enumerate(ev.modifiers):
            if m.multiply.support()[0] < 0:
                yield ("events", i, "modifiers", j, "multiply"), "a multiplier must not be negative"
    for i, ind in enumerate(s.indicators):
        if not ind.likelihood_ratio.support()[0] > 0:
            yield (("indicators", i, "likelihood_ratio"),
                   "a likelihood ratio must be greater than 0 (1: the sign says nothing)")
        if ind.seen_if_occurred is not None and not _within(ind.seen_if_occurred, 0.0, 1.0):
            yield ("indicators", i, "seen_if_occurred"), "a probability must lie in [0, 1]"


def check_table_effects(s: Scenario) -> Iterator[Finding]:
    """Effects on the bargaining table name an actor with a position on a known issue, and set
    values the issue's scale (or [0, 1] for saliences, ≥ 0 for capabilities) allows."""
    issues = {x.id: x for x in s.issues}
    actors = {a.id for a in s.actors}
    for i, ev in enumerate(s.events):
        for fld, actor, issue, v in ev.effects.table():
            at: Path_ = ("events", i, "effects", fld, *([actor] if actor else []), issue)
            if actor is not None and actor not in actors:
                yield ("events", i, "effects", fld, actor), unknown("actor", actor, actors)
                continue
            if issue not in issues:
                yield at, unknown("issue", issue, issues)
                continue
            iss = issues[issue]
            if actor is not None and actor not in iss.positions:
                yield at, (f"{actor} has no position on {issue}: add it to the issue's "
                           f"positions" + did_you_mean(actor, iss.positions))
                continue
            yield from _effect_value(at, fld, v, iss.scale.min, iss.scale.max)


def _effect_value(at: Path_, fld: str, v: Shift | Param, lo: float, hi: float,
                  ) -> Iterator[Finding]:
    if isinstance(v, Shift):
        width = hi - lo if fld in ("positions", "status_quo") else 1.0
        a, b = v.shift.support()
        if fld != "capabilities" and max(abs(a), abs(b)) > width:
            yield (*at, "shift"), f"a shift of {max(abs(a), abs(b)):g} is wider than the scale"
        return
    if fld in ("positions", "status_quo") and not _within(v, lo, hi):
        yield at, f"{fld.rstrip('s').replace('_', ' ')} outside the scale [{lo:g}, {hi:g}]"
    elif fld == "saliences" and not _within(v, 0.0, 1.0):
        yield at, out_of_unit_range("salience", _reach(v))
    elif fld == "capabilities" and v.support()[0] < 0:
        yield at, "capability must not be negative"


def check_table_reads(s: Scenario) -> Iterator[Finding]:
    """accepts/gap name an actor with a position on the issue; tolerances are positive;
    every threshold read is declared, as a date where it is compared with `date`."""
    issues = {x.id: x for x in s.issues}
    actors = {a.id for a in s.actors}
    for i, iss in enumerate(s.issues):
        for actor, st in iss.positions.items():
            if st.tolerance is not None and not st.tolerance.support()[0] > 0:
                yield (("issues", i, "positions", actor, "tolerance"),
                       "a tolerance must be greater than 0 (how far from its position an "
                       "actor still accepts a settlement)")
    for path, expr in _conditions(s):
        for actor, issue in sorted(C.stances_referenced(expr)):
            if actor not in actors:
                yield path, unknown("actor", actor, actors)
            elif issue in issues and actor not in issues[issue].positions:
                yield path, (f"{actor} has no position on {issue}, so accepts/gap cannot read "
                             "it" + did_you_mean(actor, issues[issue].positions))
        for name in sorted(C.thresholds_referenced(expr)):
            if name not in s.thresholds:
                yield path, unknown("threshold", name, s.thresholds) + (
                    f"; declare it under thresholds: {name}: {{low: …, high: …}}")
                continue
            is_date = name in C.date_thresholds(expr)
            if is_date != s.thresholds[name].date:
                yield path, (f"threshold({name}) is compared with "
                             + ("the date, but is declared as a number: write its values as "
                                "dates (YYYY-MM)" if is_date else
                                "a number, but is declared as a date"))


def _conditions(s: Scenario) -> Iterator[tuple[Path_, C.Expr]]:
    for i, ev in enumerate(s.events):
        yield ("events", i, "when"), ev.condition
        for j, m in enumerate(ev.modifiers):
            yield ("events", i, "modifiers", j, "if"), m.condition


def condition_literals(s: Scenario) -> Iterator[Finding]:
    """Numbers compared with a settlement or a gap, and dates, written into conditions: the
    forecast may hinge on them and they carry no provenance (ages and counts are durations
    of the process and are not listed). Named thresholds carry theirs."""
    for path, expr in _conditions(s):
        for node in C.walk(expr):
            if not isinstance(node, C.Compare):
                continue
            sides = (node.left, node.right)
            table = any(isinstance(t, C.IssueOutcome | C.Gap) for t in sides)
            for t in sides:
                if isinstance(t, C.DateLit) or table and isinstance(t, C.Number):
                    yield path, (f"{C.to_text(t)} in '{C.to_text(node)}': declare it under "
                                 "thresholds, with its evidence or assumption, and write "
                                 "threshold(NAME)")


def check_values(s: Scenario, field: str, low: float, high: float) -> list[str]:
    """What `check_ranges` says of the parameter at `field` when it takes values from low to
    high: the values a grid tries must pass the checks the file's own numbers pass."""
    from accord.scenario.yamlio import parse_path

    path = parse_path(field)
    current = dict(s.parameters())[field]
    tried = {"low": low, "high": high, "assumption": "values tried"}
    if isinstance(current, Threshold):  # a date stays a date
        tried["date"] = current.date
    trial = s.with_parameters({field: type(current).model_validate(tried)})
    return [msg for check in (check_ranges, check_table_effects, check_table_reads)
            for where, msg in check(trial) if where == path]


def check_references(s: Scenario) -> Iterator[Finding]:
    from accord.bargaining.registry import MODELS  # the models `issue.X` may read

    if s.meta.issue_model not in MODELS:
        yield ("meta", "issue_model"), (
            unknown("model", s.meta.issue_model, MODELS) + f"; known: {', '.join(MODELS)}"
        )
    events = set(s.event_ids)
    issues = {x.id for x in s.issues}
    for path, expr in _conditions(s):
        for e in sorted(C.events_referenced(expr) - events):
            yield path, unknown("event", e, events)
        for x in sorted(C.issues_referenced(expr) - issues):
            yield path, unknown("issue", x, issues)
    for i, ev in enumerate(s.events):
        for kind in ("cancels", "resets"):
            for j, target in enumerate(getattr(ev.effects, kind)):
                if target not in events:
                    yield ("events", i, "effects", kind, j), unknown("event", target, events)
    for i, ind in enumerate(s.indicators):
        if ind.event not in events:
            yield ("indicators", i, "event"), unknown("event", ind.event, events)
    for i, q in enumerate(s.questions):
        if q.event not in events:
            yield ("questions", i, "event"), unknown("event", q.event, events)
        if q.by < s.meta.as_of:
            yield ("questions", i, "by"), f"{q.by} is before the scenario's as_of ({s.meta.as_of})"
        elif s.months_until(q.by) > s.meta.horizon:
            yield ("questions", i, "by"), f"{q.by} is beyond the horizon ({s.meta.horizon} months)"
    for i, ev in enumerate(s.events):
        if ev.scheduled is not None and ev.scheduled < s.meta.as_of.replace(day=1):
            yield (("events", i, "scheduled"),
                   f"{ev.scheduled:%Y-%m} is before the scenario's as_of ({s.meta.as_of}): what "
                   "happened before as_of is the starting point, or an observation (--observed)")
    yield from _class_origins(s)
    src_ids = {x.id for x in s.meta.sources}
    for path, p in s.parameters():
        for j, ev in enumerate(p.evidence):
            if ev.source not in src_ids:
                yield (*_split(path), "evidence", j, "source"), unknown(
                    "source", ev.source, src_ids
                )


def _class_origins(s: Scenario) -> Iterator[Finding]:
    """A reference's `since` lies between the class's first case and as_of."""
    from accord.baserate.tables import entry

    refs = [(("events", i, "reference", "since"), e.reference) for i, e in enumerate(s.events)]
    refs += [(("questions", i, "reference", "since"), q.reference)
             for i, q in enumerate(s.questions)]
    for path, ref in refs:
        if ref is None or ref.since is None:
            continue
        first = entry(ref.class_)["first_year"]
        if ref.since > s.meta.as_of:
            yield path, (f"{ref.since} is after the scenario's as_of ({s.meta.as_of}): `since` "
                         "is when the process began; leave it out to count from as_of")
        elif ref.since.year < first:
            yield path, (f"{ref.since} is before {ref.class_}'s data begin ({first}): the "
                         "class cannot say how such a long process goes on")


def _split(path: str) -> Path_:
    from accord.scenario.yamlio import parse_path

    return parse_path(path)


def precondition_graph(s: Scenario) -> dict[str, list[str]]:
    """A -> B when B can only happen after A (A is a positive precondition of B)."""
    g: dict[str, list[str]] = {e: [] for e in s.event_ids}
    for ev in s.events:
        for req in sorted(C.required_events(ev.condition)):
            if req in g and ev.id in g:
                g[req].append(ev.id)
    return g


def strong_components(g: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components, iteratively: O(nodes + edges), no recursion.

    Enumerating every simple cycle instead is exponential: twelve mutually requiring events
    took minutes. One cycle per component says all a user needs to fix it.
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    for root in g:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            v, i = work.pop()
            if i == 0:
                index[v] = low[v] = len(index)
                stack.append(v)
                on_stack.add(v)
            if i < len(g[v]):
                work.append((v, i + 1))
                w = g[v][i]
                if w not in index:
                    work.append((w, 0))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                out.append(comp)
    return out


def one_cycle(g: dict[str, list[str]], comp: list[str]) -> list[str] | None:
    """A shortest cycle through the component's first node (breadth first), or None."""
    members, start = set(comp), comp[0]
    parent: dict[str, str] = {}
    frontier = [start]
    while frontier:
        nxt = []
        for v in frontier:
            for w in g[v]:
                if w not in members or w in parent:
                    continue
                parent[w] = v
                if w == start:
                    path = [v]
                    while path[-1] != start:
                        path.append(parent[path[-1]])
                    return path[::-1]
                nxt.append(w)
        frontier = nxt
    return None


def _last_step_month(s: Scenario) -> int:
    return s.month_index(s.meta.horizon)


def check_possible(s: Scenario) -> Iterator[Finding]:
    """Cycles of positive preconditions, and events that provably can never occur."""
    g = precondition_graph(s)
    index = {e: i for i, e in enumerate(s.event_ids)}
    impossible: dict[str, str] = {}
    for comp in strong_components(g):
        comp.sort(key=index.__getitem__)
        cycle = one_cycle(g, comp)
        if cycle is None:
            continue
        names = " -> ".join([*cycle, cycle[0]])
        for e in comp:
            impossible.setdefault(
                e, f"its preconditions form a cycle that can never start: {names}"
            )
    first, last = s.month_index(1), _last_step_month(s)
    for ev in s.events:
        p = ev.probability
        if p is not None and p.support()[1] == 0:
            impossible.setdefault(ev.id, f"its {ev.kind} is 0")
        if ev.scheduled is not None:
            m = ev.scheduled_month
            if m > last:
                impossible.setdefault(ev.id, f"it is scheduled after the horizon ({ev.scheduled})")
        expr = ev.condition
        conjuncts = expr.items if isinstance(expr, C.And) else (expr,)
        for c in conjuncts:
            if c == C.Const(False):
                impossible.setdefault(ev.id, "its condition is always false")
            if (
                isinstance(c, C.Compare)
                and isinstance(c.left, C.Now)
                and isinstance(c.right, C.DateLit)
            ):
                d = c.right.index
                never = {
                    ">=": d > last,
                    ">": d >= last,
                    "==": d > last or d < first,
                    "<=": d < first,
                    "<": d <= first,
                }.get(c.op, False)
                if never:
                    impossible.setdefault(
                        ev.id, "its date condition never holds before the horizon"
                    )
    # anything that requires an impossible event is impossible too (a worklist: linear)
    required = {ev.id: C.required_events(ev.condition) for ev in s.events}
    todo = list(impossible)
    while todo:
        e = todo.pop()
        for nxt in g.get(e, ()):
            if nxt not in impossible:
                bad = sorted(required[nxt] & impossible.keys())
                impossible[nxt] = f"it requires '{bad[0]}', which can never occur"
                todo.append(nxt)
    for e, why in impossible.items():
        yield ("events", index[e], "when"), f"event '{e}' can never occur: {why}"


def check_provenance(s: Scenario) -> Iterator[Finding]:
    """Every number says where it comes from: a quote, or an explicit assumption."""
    for path, p in s.parameters():
        if not p.evidence and not (p.assumption and p.assumption.strip()):
            yield _split(path), 'no evidence and no assumption: add evidence or assumption: "why"'


def check_quotes(
    s: Scenario, search_dirs: list[Path], require_texts: bool,
    consulted: dict[str, str | None] | None = None,
) -> tuple[list[Finding], list[Finding]]:
    """(errors, warnings): quotes missing from their texts; texts we could not find.
    `consulted`, when given, receives each path looked for → the SHA-256 of the text read
    there (None: no file), what accord.scenario.cache checks an entry against."""
    errors: list[Finding] = []
    warnings: list[Finding] = []
    texts: dict[str, str | None] = {}
    for k, src in enumerate(s.meta.sources):
        if src.file is None:
            texts[src.id] = None
            continue
        looked: list[Path] = []
        found = find_source_text(src.file, search_dirs, looked)
        raw = None if found is None else found.read_text(encoding="utf-8", errors="replace")
        if consulted is not None:
            consulted.update({str(p): None for p in looked})
            if found is not None:
                consulted[str(found)] = text_hash(raw or "")
        if found is None:
            msg = f"source text '{src.file}' not found" + (
                f" in {', '.join(str(d) for d in search_dirs)}" if search_dirs else ""
            )
            if require_texts:
                errors.append((("meta", "sources", k, "file"), msg))
            else:
                warnings.append(
                    (
                        ("meta", "sources", k, "file"),
                        f"{msg}; {UNVERIFIED} (pass --sources DIR to check them)",
                    )
                )
            texts[src.id] = None
        else:
            texts[src.id] = normalise(raw or "")
    for path, p in s.parameters():
        for j, ev in enumerate(p.evidence):
            text = texts.get(ev.source)
            if text is not None and not quote_occurs(ev.quote, text):
                errors.append(
                    (
                        (*_split(path), "evidence", j, "quote"),
                        f"quote not found in source '{ev.source}': \"{ev.quote[:60]}\"",
                    )
                )
    return errors, warnings


STRUCTURAL_CHECKS = (check_ids, check_ranges, check_references, check_table_effects,
                     check_table_reads, check_possible)
