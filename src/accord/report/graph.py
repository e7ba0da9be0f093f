"""The event graph: which events enable, modify, cancel or reset which (for figures and pages)."""

from __future__ import annotations

import networkx as nx

from accord.scenario import conditions as C
from accord.scenario.model import Scenario


def event_graph(scenario: Scenario) -> nx.MultiDiGraph:
    """Edges A → B labelled by how A bears on B: requires, condition, modifier, cancels, resets."""
    g = nx.MultiDiGraph()
    for ev in scenario.events:
        g.add_node(ev.id, name=ev.name, kind=ev.kind)
    for ev in scenario.events:
        cond = ev.condition
        required = C.required_events(cond)
        for a in sorted(C.events_referenced(cond)):
            g.add_edge(a, ev.id, relation="requires" if a in required else "condition")
        for m in ev.modifiers:
            for a in sorted(C.events_referenced(C.parse(m.if_))):
                g.add_edge(a, ev.id, relation="modifier")
        for t in ev.effects.cancels:
            g.add_edge(ev.id, t, relation="cancels")
        for t in ev.effects.resets:
            g.add_edge(ev.id, t, relation="resets")
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


EDGE_STYLE = {
    "requires": ("#1f77b4", "solid"),
    "condition": ("#7f7f7f", "dot"),
    "modifier": ("#ff7f0e", "dash"),
    "cancels": ("#d62728", "solid"),
    "resets": ("#9467bd", "dashdot"),
}
