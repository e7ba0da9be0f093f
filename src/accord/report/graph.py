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


def order(g: nx.MultiDiGraph) -> list[str]:
    """Events top to bottom: by the longest chain of influence (preconditions, conditions,
    modifiers; edges closing a cycle ignored), then, within a layer, by the mean rank of their
    predecessors, which keeps arcs short and nested. Deterministic."""
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
    nodes = list(g.nodes)
    out: list[str] = []
    for d in sorted(set(depth.values())):
        def bary(n: str, placed: list[str] = out) -> tuple[float, int]:
            ranks = [placed.index(p) for p in flow.predecessors(n) if p in placed]
            return (sum(ranks) / len(ranks) if ranks else -1.0, nodes.index(n))

        out += sorted((n for n in nodes if depth[n] == d), key=bary)
    return out


def layout(g: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """An arc diagram: every event on its own row (x = 0, y = −rank), so no label can overlap
    another or an edge; edges are arcs on the left (`arc`)."""
    return {n: (0.0, -float(k)) for k, n in enumerate(order(g))}


def arc(y0: float, y1: float, lane: int = 0, points: int = 24) -> tuple[list[float], list[float]]:
    """A half-ellipse from (0, y0) to (0, y1) bulging left, wider for longer spans (and per
    lane, so parallel edges between the same rows stay apart)."""
    import math

    width = 0.25 + 0.12 * abs(y1 - y0) + 0.08 * lane
    xs, ys = [], []
    for i in range(points + 1):
        t = math.pi * i / points
        xs.append(-width * math.sin(t))
        ys.append((y0 + y1) / 2 + (y0 - y1) / 2 * math.cos(t))
    return xs, ys


def edge_arcs(g: nx.MultiDiGraph, pos: dict[str, tuple[float, float]]
              ) -> list[tuple[str, str, str, list[float], list[float]]]:
    """(a, b, relation, xs, ys) per edge, as arcs."""
    seen: dict[tuple[str, str], int] = {}
    out = []
    for a, b, d in g.edges(data=True):
        lane = seen.get((min(a, b), max(a, b)), 0)
        seen[(min(a, b), max(a, b))] = lane + 1
        xs, ys = arc(pos[a][1], pos[b][1], lane)
        out.append((a, b, d["relation"], xs, ys))
    return out


def edge_segments(
    g: nx.MultiDiGraph, pos: dict[str, tuple[float, float]]
) -> dict[str, tuple[list[float | None], list[float | None]]]:
    """Per relation, the arcs of its edges as one polyline broken by None (one trace each)."""
    out: dict[str, tuple[list[float | None], list[float | None]]] = {}
    for _, _, rel, ax, ay in edge_arcs(g, pos):
        xs, ys = out.setdefault(rel, ([], []))
        xs += [*ax, None]
        ys += [*ay, None]
    return out


EDGE_STYLE = {
    "requires": ("#0072B2", "solid"),
    "condition": ("#777777", "dot"),
    "modifier": ("#E69F00", "dash"),
    "cancels": ("#D55E00", "solid"),
    "resets": ("#CC79A7", "dashdot"),
}
