"""The event graph: which events enable, modify, cancel or reset which (for figures and pages)."""

from __future__ import annotations

import networkx as nx

from accord.scenario import conditions as C
from accord.scenario.model import Scenario


def event_graph(scenario: Scenario) -> nx.MultiDiGraph:
    """Edges A → B labelled by how A bears on B: requires, condition, modifier, cancels, resets.

    An event's reference to itself (`not demand_met` in demand_met's own condition) is left out:
    it only says the event happens once, and a loop would say nothing more.
    """
    g = nx.MultiDiGraph()
    for ev in scenario.events:
        g.add_node(ev.id, name=ev.name, kind=ev.kind)
    def add(a: str, b: str, relation: str) -> None:
        if a != b:
            g.add_edge(a, b, relation=relation)

    for ev in scenario.events:
        cond = ev.condition
        required = C.required_events(cond)
        for a in sorted(C.events_referenced(cond)):
            add(a, ev.id, "requires" if a in required else "condition")
        for m in ev.modifiers:
            for a in sorted(C.events_referenced(C.parse(m.if_))):
                add(a, ev.id, "modifier")
        for t in ev.effects.cancels:
            add(ev.id, t, "cancels")
        for t in ev.effects.resets:
            add(ev.id, t, "resets")
    return g


def layout(g: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Left-to-right layers by longest chain of preconditions; deterministic."""
    req = nx.DiGraph()
    req.add_nodes_from(g.nodes)
    req.add_edges_from((a, b) for a, b, d in g.edges(data=True) if d["relation"] == "requires")
    if not nx.is_directed_acyclic_graph(req):
        return {k: (float(x), float(y)) for k, (x, y) in nx.circular_layout(g).items()}
    depth: dict[str, int] = {}
    for n in nx.topological_sort(req):
        depth[n] = max((depth[p] + 1 for p in req.predecessors(n)), default=0)
    pos: dict[str, tuple[float, float]] = {}
    for d in sorted(set(depth.values())):
        layer = [n for n in g.nodes if depth[n] == d]
        for i, n in enumerate(layer):
            pos[n] = (float(d), float(i - (len(layer) - 1) / 2))
    return pos


def edge_segments(
    g: nx.MultiDiGraph, pos: dict[str, tuple[float, float]]
) -> dict[str, tuple[list[float | None], list[float | None]]]:
    """Per relation, the x and y of its edges as one polyline broken by None (one trace each)."""
    out: dict[str, tuple[list[float | None], list[float | None]]] = {}
    for a, b, d in g.edges(data=True):
        xs, ys = out.setdefault(d["relation"], ([], []))
        xs += [pos[a][0], pos[b][0], None]
        ys += [pos[a][1], pos[b][1], None]
    return out


EDGE_STYLE = {
    "requires": ("#1f77b4", "solid"),
    "condition": ("#7f7f7f", "dot"),
    "modifier": ("#ff7f0e", "dash"),
    "cancels": ("#d62728", "solid"),
    "resets": ("#9467bd", "dashdot"),
}
