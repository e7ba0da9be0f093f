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
    """Left to right by the longest chain of influence (preconditions, conditions, modifiers),
    ignoring the edges that close a cycle; within a column, ordered by the mean height of each
    event's predecessors, which keeps arrows short and uncrossed. Deterministic."""
    flow = nx.DiGraph()
    flow.add_nodes_from(g.nodes)
    for a, b, d in g.edges(data=True):
        if d["relation"] in ("requires", "condition", "modifier") and not flow.has_edge(a, b):
            flow.add_edge(a, b)
            if not nx.is_directed_acyclic_graph(flow):
                flow.remove_edge(a, b)  # a feedback edge: drawn, but not used for the layers
    depth: dict[str, int] = {}
    for n in nx.topological_sort(flow):
        depth[n] = max((depth[p] + 1 for p in flow.predecessors(n)), default=0)
    pos: dict[str, tuple[float, float]] = {}
    order = list(g.nodes)
    for d in sorted(set(depth.values())):
        layer = [n for n in order if depth[n] == d]

        def height(n: str) -> float:
            ys = [pos[p][1] for p in flow.predecessors(n) if p in pos]
            return sum(ys) / len(ys) if ys else float(order.index(n))

        layer.sort(key=height)
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
