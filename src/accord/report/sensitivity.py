"""The sensitivity report: per question, a tornado chart and the table behind it (offline HTML)."""

from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from accord.analysis.sensitivity import SensitivityResult
from accord.report.html import CSS, esc, table_html

TOP = 15


def tornado_chart(result: SensitivityResult, target: str) -> go.Figure:
    """Bars from P with the parameter at its low (blue) and high (orange), widest on top."""
    rows = result.rows[target][:TOP][::-1]
    base = result.base[target]
    names = [r.parameter for r in rows]
    fig = go.Figure()
    for key, label, color in (("p_at_low", "parameter at its low", "#4c72b0"),
                              ("p_at_high", "parameter at its high", "#dd8452")):
        fig.add_trace(go.Bar(
            y=names, x=[r.values[key] - base for r in rows], base=base, orientation="h",
            name=label, marker_color=color,
            hovertemplate="%{y}: P = %{x:.1%}<extra>" + label + "</extra>",
        ))
    fig.update_layout(
        barmode="overlay", title=f"{target}: base {100 * base:.1f}%", height=140 + 28 * len(rows),
        xaxis={"tickformat": ".0%"}, margin={"l": 280, "r": 20, "t": 50, "b": 40},
    )
    return fig


def _rows(result: SensitivityResult, target: str) -> tuple[list[str], list[list[str]]]:
    rows = result.rows[target]
    keys = list(rows[0].values) if rows else []
    return ["parameter", *keys], [[esc(r.parameter), *(f"{r.values[k]:.4g}" for k in keys)]
                                  for r in rows]


def render(result: SensitivityResult, title: str) -> str:
    parts = []
    for t in result.targets:
        head, rows = _rows(result, t)
        chart = (tornado_chart(result, t).to_html(full_html=False, include_plotlyjs=False)
                 if result.method == "tornado" else "")
        parts.append(f"<h2>{esc(t)}</h2>{chart}{table_html(head, rows, set(range(1, len(head))))}")
    how = (f"{result.method}, {result.samples:,} variants × {result.paths:,} paths, "
           f"seed {result.seed}, common random numbers")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{esc(title)} — sensitivity</title>
<style>{CSS}</style><script>{get_plotlyjs()}</script></head><body>
<h1>{esc(title)}: sensitivity</h1><p class="meta">{esc(how)}</p>
{"".join(parts)}</body></html>"""


def write_sensitivity_report(result: SensitivityResult, title: str, folder: Path) -> Path:
    from accord.report.figures import tornado_figure

    folder.mkdir(parents=True, exist_ok=True)
    index = folder / "index.html"
    index.write_text(render(result, title), encoding="utf-8")
    if result.method == "tornado":
        for t in result.targets:
            tornado_figure(result, t, folder / f"tornado-{t}.png")
    return index
