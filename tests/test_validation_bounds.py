"""Validation does bounded work: dense precondition cycles are found without enumerating them."""

from __future__ import annotations

import itertools

import pytest

from accord.errors import UserError
from accord.scenario.checks import one_cycle, strong_components
from accord.scenario.loader import parse_scenario


def dense_cycle_scenario(n: int) -> str:
    """n events, each requiring every other one: n! simple cycles, one component."""
    lines = [
        "meta: {id: dense, title: Dense, as_of: 2025-01-15, horizon: 12}",
        "actors: [{id: a, name: A, capability: {value: 1, assumption: x}}]",
        "issues: []",
        "events:",
    ]
    ids = [f"e{i}" for i in range(n)]
    for e in ids:
        others = " and ".join(x for x in ids if x != e)
        lines.append(f"  - {{id: {e}, name: {e}, when: '{others}', hazard: "
                     "{value: 0.1, assumption: x}}")
    lines.append("questions: [{id: q, text: q?, event: e0, by: 2025-12-31}]")
    return "\n".join(lines) + "\n"


def test_two_hundred_mutually_requiring_events_are_one_reported_cycle_each() -> None:
    with pytest.raises(UserError) as err:
        parse_scenario(dense_cycle_scenario(200), "dense.yaml")
    problems = [p for p in err.value.problems if "cycle" in p.message]
    assert len(problems) == 200
    assert {p.field for p in problems} == {f"events[{i}].when" for i in range(200)}
    assert all(p.file == "dense.yaml" and p.line for p in problems)


def _brute_sccs(g: dict[str, list[str]]) -> set[frozenset[str]]:
    reach = {v: {v} for v in g}
    changed = True
    while changed:
        changed = False
        for v in g:
            new = set().union(*(reach[w] for w in g[v])) | reach[v]
            if new != reach[v]:
                reach[v], changed = new, True
    return {frozenset(w for w in g if w in reach[v] and v in reach[w]) for v in g}


@pytest.mark.parametrize("seed", range(30))
def test_components_match_reachability_and_cycles_are_real(seed: int) -> None:
    import random

    rnd = random.Random(seed)
    nodes = [f"n{i}" for i in range(rnd.randint(1, 9))]
    g = {v: [w for w in nodes if rnd.random() < 0.25] for v in nodes}
    comps = strong_components(g)
    assert sorted(itertools.chain(*comps)) == sorted(nodes)
    assert {frozenset(c) for c in comps} == _brute_sccs(g)
    for comp in comps:
        cyc = one_cycle(g, comp)
        has_cycle = len(comp) > 1 or comp[0] in g[comp[0]]
        assert (cyc is not None) == has_cycle
        if cyc:
            assert all(b in g[a] for a, b in zip(cyc, [*cyc[1:], cyc[0]], strict=True))
            assert set(cyc) <= set(comp)
