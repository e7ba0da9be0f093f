"""Plotly figures (as plain dicts) for the dashboard: curves, comparisons, event graph, issues.

Plotly's JavaScript is served by NiceGUI itself, so the charts need no network; every chart can be
saved as PNG or SVG in the browser (Plotly.downloadImage).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from accord.report import plots
from accord.scenario.model import Scenario

if TYPE_CHECKING:
    from accord.analysis.sensitivity import SensitivityResult

PALETTE = plots.PALETTE

Fig = dict[str, Any]
curves = plots.curves
question_fans = plots.question_fans
compare_dots = plots.compare_dots


def compare_curves(a: dict[str, Any], b: dict[str, Any], id_a: int, id_b: int) -> Fig:
    fa = curves(a, dash="solid", tag=f" (#{id_a})")
    fb = curves(b, dash="dash", tag=f" (#{id_b})")
    fig = fa
    fig["data"] = [t for t in fa["data"] if t["meta"]["role"] == "curve"] + [
        t for t in fb["data"] if t["meta"]["role"] == "curve"
    ]
    fig["layout"]["title"] = {"text": f"run #{id_a} (solid) against run #{id_b} (dashed)"}
    return fig


graph = plots.graph
NARROW_TITLE = ("Event graph<br><sup>an arrow from A to B: A bears on B;<br>influence runs top "
                "to bottom; an arrow up closes a loop</sup>")


def graph_to_fit(fig: Fig, width: int) -> Fig:
    """The event graph (`graph`) for a box `width` px wide: as wide as the box when the drawing
    fits in it, its title in short lines, so a phone shows all of it; a drawing wider than the
    box keeps its width (the box scrolls it, the page does not). Its boxes and text keep their
    size: only the space beside the drawing goes."""
    lay = fig["layout"]
    (x0, x1), (y0, y1) = lay["xaxis"]["range"], lay["yaxis"]["range"]
    m = lay["margin"]
    scale = (lay["height"] - m["t"] - m["b"]) / abs(y0 - y1)
    drawing = abs(x1 - x0) * scale + m["l"] + m["r"]
    if width >= lay["width"] or drawing > width:
        return fig
    extra = 30  # the title's third line
    layout = {**lay, "width": max(drawing, width), "height": lay["height"] + extra,
              "title": {**lay["title"], "text": NARROW_TITLE},
              "margin": {**m, "t": m["t"] + extra}}
    return {**fig, "layout": layout}


def issues(scenario: Scenario) -> Fig:
    """Each actor's position per issue (% of the scale), marker size by salience."""
    actors = [a.id for a in scenario.actors]
    data = []
    for k, actor in enumerate(actors):
        xs, ys, sizes, texts = [], [], [], []
        for iss in scenario.issues:
            st = iss.positions.get(actor)
            if st is None:
                continue
            span = iss.scale.max - iss.scale.min
            xs.append(100 * (st.position.central() - iss.scale.min) / span)
            ys.append(iss.id)
            sal = st.salience.central()
            sizes.append(8 + 22 * max(0.0, min(1.0, sal)))
            texts.append(
                f"{actor} on {iss.id}: position {st.position.describe()}, "
                f"salience {st.salience.describe()}"
            )
        if xs:
            data.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "x": xs,
                    "y": ys,
                    "name": actor,
                    "text": texts,
                    "hoverinfo": "text",
                    "marker": {"size": sizes, "color": PALETTE[k % len(PALETTE)], "opacity": 0.75},
                }
            )
    return {
        "data": data,
        "layout": {
            "title": {"text": "Positions (% of each issue's scale); marker size: salience"},
            "height": 140 + 45 * max(1, len(scenario.issues)),
            "xaxis": {"range": [-3, 103]},
            "margin": {"l": 140, "r": 20, "t": 50, "b": 40},
        },
        "config": {"displaylogo": False, "responsive": True},
    }


outcomes = plots.issue_outcomes


def sensitivity(result: SensitivityResult, target: str, labels: dict[str, str] | None = None
                ) -> Fig:
    """A sensitivity analysis's chart for one question (tornado, Sobol or Morris), the same
    figure as the offline report's."""
    from accord.report.sensitivity import CHARTS

    return CHARTS[result.method](result, target, labels)

