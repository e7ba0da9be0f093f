"""Plotly figures as plain dicts, built once here and used by the HTML report and the dashboard.

Colours: the Okabe–Ito palette (colour-blind safe), then Paul Tol's muted one; an event keeps its
colour, by its place in the scenario, in every figure. Bands are drawn only where the forecast
has one: a band that is None or NaN (parameter spread not told from Monte Carlo noise) is a gap.
"""

from __future__ import annotations

import datetime as dt
import math
import textwrap
from collections.abc import Sequence
from typing import Any

PALETTE = [
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442",
    "#332288", "#882255", "#117733", "#44AA99", "#999933", "#AA4499", "#88CCEE", "#DDCC77",
]
BAND = 0.18  # the alpha of a 5–95% band
BAND_LABEL = "shaded: 5–95% over parameters"
Fig = dict[str, Any]
CONFIG = {"displaylogo": False, "responsive": True}


def rgba(hex_color: str, alpha: float) -> str:
    r, g, b = (int(hex_color[k : k + 2], 16) for k in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def event_colors(event_ids: Sequence[str]) -> dict[str, str]:
    return {e: PALETTE[k % len(PALETTE)] for k, e in enumerate(event_ids)}


def _ok(x: float | None) -> bool:
    return x is not None and not (isinstance(x, float) and math.isnan(x))


def band_segments(
    x: Sequence[Any], low: Sequence[float | None], high: Sequence[float | None]
) -> list[tuple[list[Any], list[float]]]:
    """Closed polygons (x, y) of the band, one per stretch where both ends are known."""
    out: list[tuple[list[Any], list[float]]] = []
    run: list[int] = []
    for i in range(len(x)):
        if _ok(low[i]) and _ok(high[i]):
            run.append(i)
            continue
        if run:
            out.append(run)  # type: ignore[arg-type]
        run = []
    if run:
        out.append(run)  # type: ignore[arg-type]
    polys = []
    for idx in out:
        xs = [x[i] for i in idx]
        polys.append((xs + xs[::-1], [high[i] for i in idx] + [low[i] for i in idx][::-1]))
    return polys  # type: ignore[return-value]


def _band_traces(x: list[Any], ev: dict[str, Any], color: str, group: str,
                 axes: dict[str, str] | None = None, alpha: float = BAND,
                 inner: bool = False) -> list[dict[str, Any]]:
    """The 5–95% band (inner: the 25–75% one) as filled polygons, gaps where it is unknown."""
    lo, hi = (ev.get("band50_low"), ev.get("band50_high")) if inner else (
        ev.get("band_low"), ev.get("band_high"))
    if lo is None or hi is None:
        return []
    return [
        {
            "type": "scatter", "mode": "lines", "x": xs, "y": ys, "fill": "toself",
            "fillcolor": rgba(color, alpha), "line": {"width": 0}, "hoverinfo": "skip",
            "showlegend": False, "legendgroup": group,
            "name": f"{group} {'50%' if inner else '90%'} band",
            "meta": {"event": ev.get("id", group), "role": "band50" if inner else "band"},
            **(axes or {}),
        }
        for xs, ys in band_segments(x, lo, hi)
    ]


def curves(results: dict[str, Any], title: str = "", dash: str = "solid", tag: str = "") -> Fig:
    """Every event's P(occurred by date) with its band; double-click a legend entry to isolate
    that event, click to hide one."""
    f = results["forecast"]
    x = f["dates"]
    colors = event_colors(list(f["events"]))
    data: list[dict[str, Any]] = []
    for eid, ev in f["events"].items():
        name = f"{eid}{tag}"
        data += _band_traces(x, {**ev, "id": eid}, colors[eid], name, alpha=0.08)
        data.append({
            "type": "scatter", "mode": "lines", "x": x, "y": ev["probability"], "name": name,
            "legendgroup": name, "line": {"color": colors[eid], "dash": dash, "width": 2},
            "hovertemplate": "%{x}: %{y:.1%}<extra>" + name + "</extra>",
            "meta": {"event": eid, "role": "curve"},
        })
    return {
        "data": data,
        "layout": {
            "title": {"text": title or f"All events: P(occurred by date); {BAND_LABEL}"},
            "yaxis": {"range": [0, 1], "tickformat": ".0%"},
            "height": 480, "margin": {"l": 50, "r": 20, "t": 50, "b": 40},
            "legend": {"font": {"size": 10}, "itemdoubleclick": "toggleothers",
                       "title": {"text": "click: hide · double-click: only this"}},
        },
        "config": CONFIG,
    }


def _wrap(text: str, width: int = 48) -> str:
    return "<br>".join(textwrap.wrap(text, width)[:3])


FANS_CAPTION = ("P(the question's event by each date); shaded over parameters: light 5–95%, "
                "dark 25–75%; ◆ the deadline")


def _observed_marks(results: dict[str, Any], q: dict[str, Any], x: list[str], color: str,
                    axes: dict[str, str]) -> list[dict[str, Any]]:
    """A conditioned run's observations of the question's event, marked where the forecast
    starts: a star at 100% for an observed occurrence, a ring at 0% for 'not yet'."""
    out = []
    for mk in (results.get("observed") or {}).get("marks") or []:
        if mk["event"] != q["event"] or not x:
            continue
        yes = mk["kind"] == "occurred"
        text = f"observed: occurred {mk['date']}" if yes else f"observed: not by {mk['date']}"
        out.append({
            "type": "scatter", "mode": "markers+text", "x": [x[0]], "y": [1.0 if yes else 0.0],
            "text": [text], "textposition": "bottom right" if yes else "top right",
            "textfont": {"size": 10}, "cliponaxis": False,
            "marker": {"symbol": "star" if yes else "circle-open", "size": 12, "color": color},
            "hovertemplate": text + "<extra></extra>", **axes,
            "meta": {"question": q["id"], "role": "observed", "kind": mk["kind"]},
        })
    return out


def _within(lo: float, hi: float) -> list[float]:
    """An axis domain inside [0, 1]: the cells' sums can land a rounding error outside
    (-1.4e-17 for five rows), which plotly rejects."""
    return [min(1.0, max(0.0, lo)), min(1.0, max(0.0, hi))]


def question_fans(results: dict[str, Any], texts: dict[str, str] | None = None,
                  columns: int = 2) -> Fig:
    """One small chart per question: its event's P(occurred by date) with the 5–95% band over
    parameters, a dashed line at the deadline and a marker there with the question's band."""
    f = results["forecast"]
    qs = f.get("questions") or []
    colors = event_colors(list(f["events"]))
    n = max(1, len(qs))
    cols = max(1, min(columns, n))
    rows = math.ceil(n / cols)
    gap_x, gap_y = 0.08, 0.5 / rows if rows > 1 else 0.0
    cell_h = (1 - gap_y * (rows - 1)) / rows
    cell_w = (1 - gap_x * (cols - 1)) / cols
    data: list[dict[str, Any]] = []
    layout: dict[str, Any] = {
        "height": 110 + 260 * rows, "showlegend": False,
        "margin": {"l": 50, "r": 20, "t": 75, "b": 30},
        "annotations": [], "shapes": [],
    }
    for k, q in enumerate(qs):
        r, c = divmod(k, cols)
        ax = "" if k == 0 else str(k + 1)
        xa, ya = f"x{ax}", f"y{ax}"
        x0 = c * (cell_w + gap_x)
        y1 = 1 - r * (cell_h + gap_y)
        layout[f"xaxis{ax}"] = {"domain": _within(x0, x0 + cell_w), "anchor": ya, "type": "date"}
        layout[f"yaxis{ax}"] = {"domain": _within(y1 - cell_h, y1), "anchor": xa, "range": [0, 1],
                                "tickformat": ".0%"}
        color = colors.get(q["event"], PALETTE[0])
        data += _fan_traces(results, q, color, {"xaxis": xa, "yaxis": ya})
        layout["shapes"].append({"type": "line", "xref": xa, "yref": f"{ya} domain",
                                 "x0": q["by"], "x1": q["by"], "y0": 0, "y1": 1,
                                 "line": {"color": "#555", "width": 1, "dash": "dot"}})
        layout["annotations"].append(_fan_title(q, (texts or {}).get(q["id"]) or q["id"], xa, ya))
    return {"data": data, "layout": layout, "config": CONFIG}


def _has_band(q: dict[str, Any]) -> bool:
    band = q.get("band")
    return bool(band) and all(_ok(v) for v in band)


def _fan_traces(results: dict[str, Any], q: dict[str, Any], color: str,
                axes: dict[str, str]) -> list[dict[str, Any]]:
    """A question's fan on its axes: bands, the curve, observations, the deadline's marker."""
    f = results["forecast"]
    x = f["dates"]
    ev = f["events"].get(q["event"], {})
    data = _band_traces(x, {**ev, "id": q["event"]}, color, q["id"], axes)
    data += _band_traces(x, {**ev, "id": q["event"]}, color, q["id"], axes, 2 * BAND,
                         inner=True)
    data.append({
        "type": "scatter", "mode": "lines", "x": x, "y": ev.get("probability", []),
        "line": {"color": color, "width": 2}, "name": q["id"], **axes,
        "hovertemplate": "%{x}: %{y:.1%}<extra>" + q["event"] + "</extra>",
        "meta": {"question": q["id"], "event": q["event"], "role": "fan"},
    })
    data += _observed_marks(results, q, x, color, axes)
    marker = {
        "type": "scatter", "mode": "markers", "x": [q["by"]], "y": [q["probability"]],
        "marker": {"symbol": "diamond", "size": 11, "color": color,
                   "line": {"color": "#fff", "width": 1}},
        "name": f"{q['id']} by {q['by']}", **axes,
        "hovertemplate": f"{q['id']} by {q['by']}: %{{y:.1%}}<extra></extra>",
        "meta": {"question": q["id"], "role": "deadline"},
    }
    if _has_band(q):
        band = q["band"]
        marker["error_y"] = {"type": "data", "symmetric": False, "color": color,
                             "array": [band[1] - q["probability"]],
                             "arrayminus": [q["probability"] - band[0]]}
    data.append(marker)
    return data


def _fan_title(q: dict[str, Any], text: str, xa: str, ya: str) -> dict[str, Any]:
    """The chart's heading: the question's id, its probability and band, its wording."""
    label = f"{100 * q['probability']:.1f}%"
    if _has_band(q):
        label += f" ({100 * q['band'][0]:.0f}–{100 * q['band'][1]:.0f}%)"
    return {"text": f"<b>{q['id']}</b>: {label}<br>{_wrap(text)}", "xref": f"{xa} domain",
            "yref": f"{ya} domain", "x": 0, "y": 1.02, "xanchor": "left", "yanchor": "bottom",
            "showarrow": False, "align": "left", "font": {"size": 11}}


def compare_dots(questions: Sequence[Any], a: str, b: str,
                 texts: dict[str, str] | None = None) -> Fig:
    """B − A per question in percentage points, with a 95% whisker from its (paired) s.e."""
    ys = [q.id for q in questions]
    diff = [100 * q.diff for q in questions]
    se = [196 * q.stderr for q in questions]
    return {
        "data": [{
            "type": "scatter", "mode": "markers", "x": diff, "y": ys, "name": f"{b} − {a}",
            "marker": {"size": 10, "color": PALETTE[0]},
            "error_x": {"type": "data", "array": se, "color": PALETTE[0], "thickness": 1.5},
            "customdata": [[100 * q.a, 100 * q.b, 100 * q.stderr,
                            "paired" if q.paired else "independent",
                            (texts or {}).get(q.id, "")] for q in questions],
            "hovertemplate": "%{y}: %{x:+.1f} pt ± %{customdata[2]:.1f} (%{customdata[3]})<br>"
                             "%{customdata[0]:.1f}% → %{customdata[1]:.1f}%<br>"
                             "%{customdata[4]}<extra></extra>",
            "meta": {"role": "difference"},
        }],
        "layout": {
            "title": {"text": f"{b} − {a} per question (pt)<br><sub>whiskers: ±1.96 s.e."
                              "</sub>", "font": {"size": 14}},
            "height": 140 + 34 * max(1, len(ys)),
            "xaxis": {"title": {"text": "difference (pt)"}, "zeroline": True,
                      "zerolinecolor": "#444"},
            "yaxis": {"autorange": "reversed", "automargin": True},
            "margin": {"l": 20, "r": 20, "t": 60, "b": 50},
        },
        "config": CONFIG,
    }


def issue_outcomes(results: dict[str, Any]) -> Fig:
    """Per issue (% of its scale): the actors' positions (grey, on the issue's line) and, on rows
    just below it, each model's outcome with its 5–95% band; the scale's ends in the hover."""
    iss = results.get("issues") or []
    models = list(iss[0]["models"]) if iss else []
    span = max(1, len(models))
    data: list[dict[str, Any]] = []

    def pc(i: dict[str, Any], v: float) -> float:
        return 100 * (v - i["scale_min"]) / (i["scale_max"] - i["scale_min"])

    data.append({
        "type": "scatter", "mode": "markers", "name": "actors",
        "x": [pc(i, p) for i in iss for p in i["positions"]],
        "y": [-k for k, i in enumerate(iss) for _ in i["positions"]],
        "text": [f"{a} on {i['id']}" for i in iss for a in i["actors"]],
        "hovertemplate": "%{text}: %{x:.0f}% of the scale<extra></extra>",
        "marker": {"color": "#777", "size": 9, "opacity": 0.6},
    })
    for m_k, m in enumerate(models):
        xs, ys, lo, hi, texts = [], [], [], [], []
        for k, i in enumerate(iss):
            o = i["models"][m]
            x = pc(i, o["outcome"])
            xs.append(x)
            ys.append(-k - 0.15 - 0.7 * (m_k + 0.5) / span)
            has = o.get("low") is not None and o.get("high") is not None
            lo.append(x - pc(i, o["low"]) if has else 0)
            hi.append(pc(i, o["high"]) - x if has else 0)
            ends = (f"{i['scale_min']:g} = {i.get('min_means') or 'min'}, "
                    f"{i['scale_max']:g} = {i.get('max_means') or 'max'}")
            texts.append(f"{m} on {i['id']}: {o['outcome']:.1f} ({ends})")
        data.append({
            "type": "scatter", "mode": "markers", "name": m, "x": xs, "y": ys, "text": texts,
            "hovertemplate": "%{text}<extra></extra>",
            "marker": {"symbol": "diamond", "size": 8, "color": PALETTE[m_k % len(PALETTE)]},
            "error_x": {"type": "data", "symmetric": False, "array": hi, "arrayminus": lo,
                        "thickness": 1.2, "width": 0, "color": PALETTE[m_k % len(PALETTE)]},
        })
    return {
        "data": data,
        "layout": {
            "title": {"text": "Issues: actors (grey) and each model's outcome with its 5–95% "
                              "band (% of scale)"},
            "height": 160 + 95 * max(1, len(iss)),
            "xaxis": {"range": [-3, 103], "title": {"text": "% of the issue's scale"}},
            "yaxis": {"tickvals": [-k for k in range(len(iss))],
                      "ticktext": [i["id"] for i in iss], "automargin": True,
                      "range": [-len(iss) + 0.05, 0.5]},
            "margin": {"l": 20, "r": 20, "t": 50, "b": 50},
        },
        "config": CONFIG,
    }


def graph(scenario: Any, scale: float = 1.2) -> Fig:
    """The event graph as layers (`graph.layered`, as in the report's PNG): top to bottom in the
    direction of influence, an event in a box (its name, its id below, its border in the event's
    colour), an arrow from each event to every event it bears on, styled by relation; an arrow
    pointing up closes a loop. `scale` pixels to the layout's point: the figure is as wide and
    tall as the drawing needs, so the labels fit their boxes (a narrow screen scrolls it in its
    own box rather than shrinking the boxes under text that cannot shrink); the legend sits
    below it."""
    from accord.report.graph import event_graph, layered

    g = event_graph(scenario)
    lay = layered(g)
    colors = event_colors([e.id for e in scenario.events])
    data, annotations = _edge_traces(lay)
    shapes, labels = _event_boxes(lay, colors, scale)
    nodes = list(lay.boxes)
    data.append({
        "type": "scatter", "x": [lay.boxes[n].x for n in nodes],
        "y": [lay.boxes[n].y for n in nodes], "mode": "markers", "name": "events",
        "showlegend": False, "hoverinfo": "text",
        "hovertext": [f"{n}: {g.nodes[n]['name']} ({g.nodes[n]['kind']})" for n in nodes],
        "marker": {"size": 24, "opacity": 0, "color": [colors.get(n, "#555555") for n in nodes]},
    })
    margin, top, bottom = 10.0, 70, 40
    return {
        "data": data,
        "layout": {
            "title": {"text": "Event graph: an arrow from A to B where A bears on B<br>"
                              "<sup>Influence runs top to bottom; an arrow pointing up closes "
                              "a loop.</sup>", "x": 0.01, "xanchor": "left"},
            "height": (lay.height + 2 * margin) * scale + top + bottom,
            "width": max(560.0, (lay.width + 2 * margin) * scale + 20), "autosize": False,
            "xaxis": {"visible": False, "range": [-margin, lay.width + margin],
                      "fixedrange": True},
            "yaxis": {"visible": False, "range": [lay.height + margin, -margin],
                      "fixedrange": True, "scaleanchor": "x", "scaleratio": 1},
            "shapes": shapes, "annotations": annotations + labels, "hovermode": "closest",
            "legend": {"orientation": "h", "x": 0, "y": 0, "yanchor": "top"},
            "margin": {"l": 10, "r": 10, "t": top, "b": bottom},
            "plot_bgcolor": "white",
        },
        "config": CONFIG,
    }


def _edge_traces(lay: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """One line trace per relation (its legend entry) and an arrowhead annotation per edge."""
    from accord.report.graph import EDGE_STYLE, path

    data: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    for rel, (color, dash) in EDGE_STYLE.items():
        xs: list[float | None] = []
        ys: list[float | None] = []
        for e in lay.edges:
            if e.relation != rel:
                continue
            pts = path(e.points)
            xs += [p[0] for p in pts] + [None]
            ys += [p[1] for p in pts] + [None]
            tip = pts[-1]
            tail = next((p for p in reversed(pts)
                         if math.hypot(p[0] - tip[0], p[1] - tip[1]) >= 6), pts[0])
            annotations.append({
                "x": tip[0], "y": tip[1], "ax": tail[0], "ay": tail[1], "xref": "x", "yref": "y",
                "axref": "x", "ayref": "y", "showarrow": True, "arrowhead": 2, "arrowsize": 1,
                "arrowwidth": 1.3, "arrowcolor": color, "standoff": 0, "text": "",
            })
        if xs:
            data.append({"type": "scatter", "x": xs, "y": ys, "mode": "lines", "name": rel,
                         "line": {"color": color, "dash": dash, "width": 1.4},
                         "hoverinfo": "skip"})
    return data, annotations


def _event_boxes(lay: Any, colors: dict[str, str],
                 scale: float) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Each event's box (a shape, bordered in its colour) and its two labels: name and id."""
    from accord.report.graph import ID_PT, NAME_PT, PAD

    shapes: list[dict[str, Any]] = []
    labels: list[dict[str, Any]] = []
    for n, b in lay.boxes.items():
        shapes.append({"type": "rect", "xref": "x", "yref": "y", "x0": b.x - b.w / 2,
                       "x1": b.x + b.w / 2, "y0": b.y - b.h / 2, "y1": b.y + b.h / 2,
                       "line": {"color": colors.get(n, "#555555"), "width": 1.6},
                       "fillcolor": "white", "layer": "above"})
        labels.append({"x": b.x, "y": b.y - b.h / 2 + PAD, "xref": "x", "yref": "y",
                       "yanchor": "top", "showarrow": False, "align": "center",
                       "text": "<br>".join(lay.lines[n]), "font": {"size": NAME_PT * scale}})
        labels.append({"x": b.x, "y": b.y + b.h / 2 - PAD, "xref": "x", "yref": "y",
                       "yanchor": "bottom", "showarrow": False, "text": f"({n})",
                       "font": {"size": ID_PT * scale, "color": "#666666"}})
    return shapes, labels


def iso_date(stamp: str | None) -> str:
    """'2026-12-01T10:25:22.123+00:00' → '1 Dec 2026, 10:25 UTC'; anything else unchanged."""
    if not stamp:
        return ""
    try:
        t = dt.datetime.fromisoformat(str(stamp))
    except ValueError:
        return str(stamp)
    return f"{t.day} {t:%b %Y, %H:%M} UTC"
