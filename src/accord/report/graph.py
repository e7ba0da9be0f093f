"""The event graph: which events enable, modify, cancel or reset which (for figures and pages),
and its layered drawing (`layered`), which the PNG (figures.graph_fig) and the Plotly figure
(plots.graph) both draw."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import NamedTuple

import networkx as nx

from accord.scenario import conditions as C
from accord.scenario.model import Scenario


def event_graph(scenario: Scenario) -> nx.MultiDiGraph:
    """Edges A → B labelled by how A bears on B: requires, condition, modifier, cancels, resets,
    and table (A's effects change an issue whose settlement B's conditions read).

    An event's reference to itself (`not demand_met` in demand_met's own condition) is left out:
    it only says the event happens once, and a loop would say nothing more. A condition edge
    whose event appears in the condition only under `not` is marked `before=True` (B can happen
    only before A): the layout lets such edges, not the others, close loops.
    """
    g = nx.MultiDiGraph()
    for ev in scenario.events:
        g.add_node(ev.id, name=ev.name, kind=ev.kind)
    def add(a: str, b: str, relation: str, **attrs: bool) -> None:
        if a != b:
            g.add_edge(a, b, relation=relation, **attrs)

    for ev in scenario.events:
        cond = ev.condition
        required = C.required_events(cond)
        positive = _positive(cond)
        for a in sorted(C.events_referenced(cond)):
            if a in required:
                add(a, ev.id, "requires")
            else:
                add(a, ev.id, "condition", before=a not in positive)
        for m in ev.modifiers:
            for a in sorted(C.events_referenced(m.condition)):
                add(a, ev.id, "modifier")
        for t in ev.effects.cancels:
            add(ev.id, t, "cancels")
        for t in ev.effects.resets:
            add(ev.id, t, "resets")
    reads = {ev.id: set().union(*(C.issues_referenced(x) for x in ev.conditions))
             for ev in scenario.events}
    for ev in scenario.events:
        moved = {issue for _, _, issue, _ in ev.effects.table()}
        for b in scenario.events:
            if moved & reads[b.id]:
                add(ev.id, b.id, "table")
    return g


WRAP = 20  # characters per line of an event's name in its box
NAME_PT, ID_PT = 8.0, 6.5  # font sizes (points) the boxes are measured for
PAD = 5.0  # points between a box's border and its text
XGAP, YGAP = 16.0, 40.0  # points between boxes in a layer, and between layers
LANE = 4.0  # points between parallel edges
PORT = 9.0  # points at least between two edges' ends on a box's side


class Box(NamedTuple):
    """An event's box, in points, y growing downwards: centre (x, y), width w, height h."""

    x: float
    y: float
    w: float
    h: float


class Edge(NamedTuple):
    """A → B (A bears on B): the polyline from A's box border to B's. Its segments are either
    vertical or cross the gap between two layers; `path` draws the latter as S-curves."""

    a: str
    b: str
    relation: str
    points: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Layout:
    """A layered drawing of the event graph, in points, origin top left, y growing downwards:
    every box and edge lies in [0, width] × [0, height]."""

    boxes: dict[str, Box]
    edges: list[Edge]
    lines: dict[str, tuple[str, ...]]  # an event's name, wrapped
    width: float
    height: float


def text_width(text: str, size: float) -> float:
    """A generous estimate of a line's width in points (DejaVu Sans and Open Sans)."""
    wide = sum(c.isupper() or c in "mwMW–—" for c in text)
    return size * (0.6 * len(text) + 0.2 * wide)


def box_lines(name: str) -> tuple[str, ...]:
    return tuple(textwrap.wrap(name, WRAP)) or ("",)


def box_size(lines: Sequence[str], node: str) -> tuple[float, float]:
    w = max([text_width(x, NAME_PT) for x in lines] + [text_width(f"({node})", ID_PT)])
    return w + 2 * PAD, 1.3 * NAME_PT * len(lines) + 1.3 * ID_PT + 2 * PAD + 2


def _positive(expr: C.Expr) -> set[str]:
    """The events `expr` refers to outside every `not`."""
    match expr:
        case C.Not():
            return set()
        case C.And(items) | C.Or(items):
            return set().union(*(_positive(i) for i in items))
        case _:
            return C.events_referenced(expr)


def flow(g: nx.MultiDiGraph) -> nx.DiGraph:
    """The edges that set the layers, each kept only if it closes no loop (a feedback edge is
    drawn upwards instead): preconditions first, then conditions, modifiers, conditions on an
    event not having happened (`before`, the natural closers of loops: `not treaty_signed`),
    cancels and resets; within each in the graph's own order, so deterministic."""
    out = nx.DiGraph()
    out.add_nodes_from(g.nodes)

    def rank(edge: tuple[str, str, dict[str, object]]) -> int:
        rel = str(edge[2]["relation"])
        if rel == "condition" and edge[2].get("before"):
            return 3
        return {"requires": 0, "condition": 1, "modifier": 2, "cancels": 4}.get(rel, 5)

    for a, b, _ in sorted(g.edges(data=True), key=rank):  # a stable sort
        if not out.has_edge(a, b) and not nx.has_path(out, b, a):
            out.add_edge(a, b)
    return out


Pair = tuple[str, str]  # a layout edge: from the upper event to the lower


@dataclass
class _Placed:
    """Where Sugiyama's method put each event: its layer, its centre's x, and the x of each long
    edge's dummy point per layer it crosses."""

    rank: dict[str, int]
    x: dict[str, float]
    dummies: dict[Pair, dict[int, float]]


def layered(g: nx.MultiDiGraph, rounds: int = 4) -> Layout:
    """The event graph as layers top to bottom in the direction of influence (Sugiyama's method,
    by grandalf): an event sits one layer below the lowest event bearing on it along `flow`'s
    edges (an edge that would close a loop is drawn upwards and sets no layer); within a layer,
    `rounds` of barycentre sweeps (0: none) order the events and the dummy points of long edges
    to cut crossings. Each box fits its wrapped name and id (and its edges' ends); no two
    overlap, and no edge runs through one. Parallel edges (one pair, several relations) get
    ports and lanes of their own, so stay apart; a repeated edge (two modifiers of B both on A)
    is drawn once. Deterministic: the same graph gives the same coordinates."""
    nodes = list(g.nodes)
    index = {n: k for k, n in enumerate(nodes)}
    lines = {n: box_lines(g.nodes[n].get("name", n)) for n in nodes}
    pairs = _bundles(g)
    order = sorted(pairs, key=lambda p: (index[p[0]], index[p[1]]))
    size = _sizes(nodes, lines, pairs)
    placed = _place(nodes, index, order, pairs, size, rounds)
    rank = placed.rank
    depth = max(rank.values(), default=-1) + 1
    band = [max((size[n][1] for n in nodes if rank[n] == r), default=0.0) for r in range(depth)]
    top = [sum(band[:r]) + YGAP * r for r in range(depth)]
    boxes = {n: Box(placed.x[n], top[rank[n]] + band[rank[n]] / 2, *size[n]) for n in nodes}
    ports = _ports(boxes, index, order, pairs, placed)
    edges = [edge for p in order
             for edge in _routed(p, pairs[p], boxes, ports, placed, (top, band))]
    width = max([bx.x + bx.w / 2 for bx in boxes.values()]
                + [q[0] + LANE for e in edges for q in e.points], default=0.0)
    height = top[-1] + band[-1] if depth else 0.0
    return Layout(boxes, edges, lines, width, height)


def _bundles(g: nx.MultiDiGraph) -> dict[Pair, list[tuple[str, str, str]]]:
    """One layout edge per pair of events, from the upper to the lower, with the relations it
    carries; a relation repeated between the same events is kept once."""
    down = flow(g)
    pairs: dict[Pair, list[tuple[str, str, str]]] = {}
    seen = set()
    for a, b, rel in g.edges(data="relation"):
        if (a, b, rel) in seen:
            continue  # an event with two modifiers on the same event: one arrow says it
        seen.add((a, b, rel))
        u, v = (a, b) if nx.has_path(down, a, b) else (b, a)
        pairs.setdefault((u, v), []).append((a, b, rel))
    return pairs


def _sizes(nodes: list[str], lines: dict[str, tuple[str, ...]],
           pairs: dict[Pair, list[tuple[str, str, str]]]) -> dict[str, tuple[float, float]]:
    """Each box's size: its text's, widened to give every edge end on a side a port."""
    ends = {(n, end): 0 for n in nodes for end in (0, 1)}  # edges leaving a box's bottom (0)
    for p, edges_ in pairs.items():  # or entering its top (1)
        for end in (0, 1):
            ends[p[end], end] += len(edges_)
    size = {}
    for n in nodes:
        w, h = box_size(lines[n], n)
        size[n] = max(w, PORT * (max(ends[n, 0], ends[n, 1]) + 1)), h
    return size


def _place(nodes: list[str], index: dict[str, int], order: list[Pair],
           pairs: dict[Pair, list[tuple[str, str, str]]], size: dict[str, tuple[float, float]],
           rounds: int) -> _Placed:
    """Sugiyama's layers and x per connected component (grandalf), components side by side."""
    und = nx.Graph()
    und.add_nodes_from(nodes)
    und.add_edges_from(order)
    comps = sorted((sorted(c, key=index.__getitem__) for c in nx.connected_components(und)),
                   key=lambda c: index[c[0]])
    placed = _Placed({}, {}, {})
    left = 0.0
    for comp in comps:
        left = _place_component(comp, order, pairs, size, rounds, placed, left)
    return placed


def _place_component(comp: list[str], order: list[Pair],
                     pairs: dict[Pair, list[tuple[str, str, str]]],
                     size: dict[str, tuple[float, float]], rounds: int, placed: _Placed,
                     left: float) -> float:
    """Lay one component out from `left` into `placed`; the left edge of the next one."""
    from grandalf.graphs import Edge as GEdge
    from grandalf.graphs import Vertex, graph_core
    from grandalf.layouts import SugiyamaLayout, VertexViewer

    vs = {n: Vertex(n) for n in comp}
    for n, v in vs.items():
        v.view = VertexViewer(*size[n])
    es = {p: GEdge(vs[p[0]], vs[p[1]]) for p in order if p[0] in vs}
    sug = SugiyamaLayout(graph_core(list(vs.values()), list(es.values())))
    sug.xspace = XGAP
    sug.init_all(inverted_edges=[])
    for p, e in es.items():  # a long edge's dummy points are as wide as its bundle
        for d in sug.ctrls.get(e, {}).values():
            if sug.grx[d].dummy:
                d.view.w, d.view.h = LANE * len(pairs[p]), 1.0
    for _ in range(rounds):
        for _step in sug.ordering_step():
            pass
    sug.setxy()
    lo = min(v.view.xy[0] - v.view.w / 2 for v in sug.grx)
    hi = max(v.view.xy[0] + v.view.w / 2 for v in sug.grx)
    for n, v in vs.items():
        placed.rank[n] = sug.grx[v].rank
        placed.x[n] = left + v.view.xy[0] - lo
    for p, e in es.items():
        placed.dummies[p] = {r: left + d.view.xy[0] - lo
                             for r, d in sug.ctrls.get(e, {}).items() if sug.grx[d].dummy}
    return left + (hi - lo + 2 * XGAP)


def _ports(boxes: dict[str, Box], index: dict[str, int], order: list[Pair],
           pairs: dict[Pair, list[tuple[str, str, str]]],
           placed: _Placed) -> dict[tuple[Pair, int, int], float]:
    """(pair, end, lane) → x: a box's edges leave its bottom and enter its top, spread in the
    order of the point each heads for, so they do not cross at the box."""
    def heading(p: Pair, end: int) -> float:
        d = placed.dummies[p]
        if not d:
            return placed.x[p[1 - end]]
        return d[min(d)] if end == 0 else d[max(d)]

    ports: dict[tuple[Pair, int, int], float] = {}
    for n, b in boxes.items():
        for end in (0, 1):
            mine = sorted((p for p in order if p[end] == n),
                          key=lambda p: (heading(p, end), index[p[1 - end]]))
            slots = [(p, k) for p in mine for k in range(len(pairs[p]))]
            for i, (p, k) in enumerate(slots):
                ports[p, end, k] = b.x - b.w / 2 + b.w * (i + 1) / (len(slots) + 1)
    return ports


def _routed(p: Pair, bundle: list[tuple[str, str, str]], boxes: dict[str, Box],
            ports: dict[tuple[Pair, int, int], float], placed: _Placed,
            bands: tuple[list[float], list[float]]) -> list[Edge]:
    """The pair's edges as polylines: down from the upper box's port, through each crossed
    layer in its own lane, into the lower box's port (reversed for an edge drawn upwards)."""
    top, band = bands
    u, v = p
    bu, bv = boxes[u], boxes[v]
    ru, rv = placed.rank[u], placed.rank[v]
    dummies = placed.dummies[p]
    edges = []
    for k, (a, b, rel) in enumerate(bundle):
        off = (k - (len(bundle) - 1) / 2) * LANE
        pts = [(ports[p, 0, k], bu.y + bu.h / 2), (ports[p, 0, k], top[ru] + band[ru])]
        for r in range(ru + 1, rv):
            pts += [(dummies[r] + off, top[r]), (dummies[r] + off, top[r] + band[r])]
        pts += [(ports[p, 1, k], top[rv]), (ports[p, 1, k], bv.y - bv.h / 2)]
        clean = [pts[0]]
        for q in pts[1:]:
            if abs(q[0] - clean[-1][0]) > 1e-9 or abs(q[1] - clean[-1][1]) > 1e-9:
                clean.append(q)
        if a != u:
            clean.reverse()
        edges.append(Edge(a, b, rel, tuple(clean)))
    return edges


def path(points: Sequence[tuple[float, float]], steps: int = 12) -> list[tuple[float, float]]:
    """An edge's polyline to draw: its vertical segments as they are, a slanted one (across the
    gap between two layers) as an S-curve leaving and arriving vertically. Every curve in a gap
    shares the same y(t), so two curves cross exactly when their segments do."""
    out = [points[0]]
    for (x0, y0), (x1, y1) in pairwise(points):
        if abs(x1 - x0) < 1e-9:
            out.append((x1, y1))
            continue
        for i in range(1, steps + 1):
            t = i / steps
            s = t * t * (3 - 2 * t)  # a cubic Bézier, control points a third of the way down
            out.append((x0 + (x1 - x0) * s, y0 + (y1 - y0) * t))  # and straight below its ends
    return out


def _cross(p: tuple[float, float], q: tuple[float, float], r: tuple[float, float],
           s: tuple[float, float]) -> bool:
    """Whether segments pq and rs cross at a point inside both (touching ends do not count)."""
    def turn(a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]) -> float:
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

    eps = 1e-9
    d1, d2, d3, d4 = turn(r, s, p), turn(r, s, q), turn(p, q, r), turn(p, q, s)
    return ((d1 > eps and d2 < -eps) or (d1 < -eps and d2 > eps)) and \
        ((d3 > eps and d4 < -eps) or (d3 < -eps and d4 > eps))


def crossings(layout: Layout) -> int:
    """Pairwise crossings of the edges' polylines (a point where two edges meet inside both
    segments; shared end points do not count)."""
    segs = [list(pairwise(e.points)) for e in layout.edges]
    count = 0
    for i, si in enumerate(segs):
        for sj in segs[i + 1:]:
            count += sum(_cross(p, q, r, s) for p, q in si for r, s in sj)
    return count


EDGE_STYLE = {
    "requires": ("#0072B2", "solid"),
    "condition": ("#777777", "dot"),
    "modifier": ("#E69F00", "dash"),
    "cancels": ("#D55E00", "solid"),
    "resets": ("#CC79A7", "dashdot"),
    "table": ("#009E73", "dashdot"),
}
