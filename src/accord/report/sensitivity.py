"""The sensitivity report: per question a chart (tornado, or Morris μ* against σ) and the table
behind it, in %, with readable parameter names (the machine name on hover and in the CSV/JSON).

Each analysis writes its own folder (`write_sensitivity_report` empties it of earlier figures),
and every base value says how it was computed, next to the number.
"""

from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from accord.analysis.sensitivity import SensitivityResult
from accord.report import plots
from accord.report.html import CSS, esc, table_html

TOP = 15
BASE_NOTE = {
    "tornado": "every parameter at its central value (one at a time is varied around it); a "
               "run averages over parameter draws instead, so its probability differs",
    "sobol": "the mean over the Sobol design's samples (parameters drawn across their "
             "distributions, as a run does, but on the design's points)",
    "morris": "the mean over the Morris trajectories' points",
}
KEYS = {  # column heading, and how a value is shown
    "p_at_low": ("P at low", "pct"), "p_at_high": ("P at high", "pct"),
    "swing": ("swing", "pt"), "low_value": ("low", "num"), "high_value": ("high", "num"),
    "S1": ("S1 (% of variance)", "share"), "S1_conf": ("S1 ± (95%)", "share"),
    "ST": ("ST (% of variance)", "share"), "ST_conf": ("ST ± (95%)", "share"),
    "mu_star": ("μ* (pt)", "pt"), "mu_star_conf": ("μ* ± (pt)", "pt"), "sigma": ("σ (pt)", "pt"),
}


def fmt(key: str, v: float) -> str:
    kind = KEYS.get(key, (key, "num"))[1]
    if v != v:
        return "—"
    if kind == "pct":
        return f"{100 * v:.1f}%"
    if kind == "pt":
        return f"{100 * v:.2f} pt" if abs(v) < 0.01 else f"{100 * v:.1f} pt"
    if kind == "share":
        return f"{100 * v:.1f}%"
    return f"{v:.4g}"


def heading(key: str) -> str:
    return KEYS.get(key, (key, ""))[0]


def base_text(result: SensitivityResult, target: str) -> str:
    return (f"base {100 * result.base[target]:.1f}%: "
            f"{BASE_NOTE.get(result.method, result.method)}")


def tornado_chart(result: SensitivityResult, target: str, labels: dict[str, str]) -> go.Figure:
    """Bars from P with the parameter at its low (blue) and high (orange), widest on top."""
    rows = result.rows[target][:TOP][::-1]
    base = result.base[target]
    names = [labels.get(r.parameter, r.parameter) for r in rows]
    fig = go.Figure()
    for key, label, color in (("p_at_low", "parameter at its low", plots.PALETTE[0]),
                              ("p_at_high", "parameter at its high", plots.PALETTE[1])):
        fig.add_trace(go.Bar(
            y=names, x=[r.values[key] - base for r in rows], base=base, orientation="h",
            name=label, marker_color=color, customdata=[r.parameter for r in rows],
            hovertemplate="%{y}<br>%{customdata}: P = %{x:.1%}<extra>" + label + "</extra>",
        ))
    fig.update_layout(
        barmode="overlay", title=f"{target}: {base_text(result, target)}"[:140],
        height=140 + 28 * len(rows), xaxis={"tickformat": ".0%"},
        yaxis={"automargin": True}, margin={"l": 20, "r": 20, "t": 50, "b": 40},
    )
    return fig


def morris_chart(result: SensitivityResult, target: str, labels: dict[str, str]) -> go.Figure:
    """μ* (how much a parameter moves P) against σ (how unevenly: interactions, nonlinearity)."""
    rows = result.rows[target]
    fig = go.Figure(go.Scatter(
        x=[100 * r.values["mu_star"] for r in rows], y=[100 * r.values["sigma"] for r in rows],
        mode="markers", marker={"color": plots.PALETTE[0], "size": 9},
        text=[labels.get(r.parameter, r.parameter) for r in rows],
        customdata=[r.parameter for r in rows],
        hovertemplate="%{text}<br>%{customdata}<br>μ* %{x:.2f} pt · σ %{y:.2f} pt<extra></extra>",
    ))
    fig.update_layout(title=f"Morris: {target} (μ* against σ, percentage points)",
                      xaxis={"title": {"text": "μ* (pt): mean absolute effect"},
                             "rangemode": "tozero"},
                      yaxis={"title": {"text": "σ (pt): spread of effects"}, "rangemode": "tozero"},
                      height=460, margin={"l": 60, "r": 20, "t": 50, "b": 50})
    return fig


def _rows(result: SensitivityResult, target: str,
          labels: dict[str, str]) -> tuple[list[str], list[list[str]]]:
    rows = result.rows[target]
    keys = list(rows[0].values) if rows else []
    return (["parameter", *map(heading, keys)],
            [[f'<span title="{esc(r.parameter)}">{esc(labels.get(r.parameter, r.parameter))}'
              f'</span><br><span class="dim">{esc(r.parameter)}</span>',
              *(fmt(k, r.values[k]) for k in keys)] for r in rows])


def render(result: SensitivityResult, title: str, labels: dict[str, str] | None = None) -> str:
    labels = labels or {}
    parts = []
    for t in result.targets:
        head, rows = _rows(result, t, labels)
        fig = (tornado_chart(result, t, labels) if result.method == "tornado" else
               morris_chart(result, t, labels) if result.method == "morris" else None)
        chart = (fig.to_html(full_html=False, include_plotlyjs=False, config=plots.CONFIG)
                 if fig is not None else "")
        parts.append(f"<h2>{esc(t)}</h2><p class='meta'>{esc(base_text(result, t))}</p>{chart}"
                     f"{table_html(head, rows, set(range(1, len(head))))}")
    how = (f"{result.method}, {result.samples:,} variants × {result.paths:,} paths, "
           f"seed {result.seed}, common random numbers")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{esc(title)} — sensitivity</title>
<style>{CSS}</style><script>{get_plotlyjs()}</script></head><body>
<h1>{esc(title)}: sensitivity</h1><p class="meta">{esc(how)}</p>
{"".join(parts)}</body></html>"""


def write_sensitivity_report(result: SensitivityResult, title: str, folder: Path,
                             labels: dict[str, str] | None = None) -> Path:
    """index.html and one figure per question (PNG and SVG), in a folder of its own: earlier
    figures there are removed first, so nothing stale is left beside the new page."""
    from accord.report.figures import morris_figure, tornado_figure

    folder.mkdir(parents=True, exist_ok=True)
    for old in [*folder.glob("tornado-*.*"), *folder.glob("morris-*.*")]:
        if old.suffix in (".png", ".svg"):
            old.unlink()
    index = folder / "index.html"
    index.write_text(render(result, title, labels), encoding="utf-8")
    draw = {"tornado": tornado_figure, "morris": morris_figure}.get(result.method)
    if draw is not None:
        for t in result.targets:
            for fmt_ in ("png", "svg"):
                draw(result, t, folder / f"{result.method}-{t}.{fmt_}", labels=labels)
    return index
