"""The sensitivity report: per question a chart (tornado, or Morris μ* against σ) and the table
behind it, in %, with readable parameter names (the machine name on hover and in the CSV/JSON).

Each analysis writes its own folder (`write_sensitivity_report` empties it of earlier figures),
and every base value says how it was computed, next to the number.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.analysis.sensitivity import SensitivityResult
from accord.report import plots
from accord.report.html import CSS, esc, table_html
from accord.report.plots import Fig

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

TOP = 15
BASE_NOTE = {
    "tornado": "each bar fixes one parameter at its low or high and keeps the run's draws of "
               "all the others",
    "sobol": "the indices come from the Sobol design's points, {paths} paths each",
    "morris": "the effects come from the Morris trajectories' points, {paths} paths each",
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
    """The base probability and where it comes from: the run at the analysis's seed and paths
    (`accord run --paths P --seed S` gives the same number), then what the method varies."""
    if result.draws is None:  # stored by an accord whose bases were not yet the run's
        old = "the parameters' central values" if result.method == "tornado" else "design mean"
        return f"base {100 * result.base[target]:.1f}% ({old}, an earlier accord's analysis)"
    m = result.draws
    run = (f"base {100 * result.base[target]:.1f}%, the run at seed {result.seed}, "
           f"{m * (result.paths // m):,} paths" + (f" ({m} draws)" if m > 1 else ""))
    note = BASE_NOTE.get(result.method, result.method).format(paths=f"{result.paths:,}")
    if result.design_mean is not None and target in result.design_mean:
        note += f" (their mean {100 * result.design_mean[target]:.1f}%)"
    return f"{run}; {note}"


def sensitivity_tables(console: Console, result: SensitivityResult,
                       names: dict[str, str]) -> list[RenderableType]:
    """The console's tables: per target, the 20 parameters that matter most, each by its
    readable name over its path, folded into blocks where the table would not fit."""
    from rich.table import Table

    from accord.report.console import fit

    tables = []
    for t in result.targets:
        rows = result.rows[t]
        cols = list(rows[0].values) if rows else []
        table = Table(title=f"{result.method}: {t} · {base_text(result, t)}",
                      title_justify="left")
        table.add_column("parameter", min_width=max((len(r.parameter) for r in rows[:20]),
                                                    default=28))
        for c in cols:
            table.add_column(heading(c), justify="right", no_wrap=True)
        cells = []
        for r in rows[:20]:
            label = names.get(r.parameter, r.parameter)
            cells.append([f"{label}\n[dim]{r.parameter}[/]" if label != r.parameter
                          else r.parameter, *(fmt(c, r.values[c]) for c in cols)])
            table.add_row(*cells[-1])
        tables.append(fit(console, table, ["parameter", *map(heading, cols)], cells))
    return tables


def tornado_chart(result: SensitivityResult, target: str,
                  labels: dict[str, str] | None = None) -> Fig:
    """Bars from P with the parameter at its low (blue) to P at its high (orange), around the
    base (the run), widest swing on top; the machine name on hover and in `meta`."""
    labels = labels or {}
    rows = result.rows[target][:TOP]
    base = result.base[target]
    names = [labels.get(r.parameter, r.parameter) for r in rows]
    data: list[dict[str, Any]] = []
    for role, color, label in (("low", plots.PALETTE[0], "parameter at its low"),
                               ("high", plots.PALETTE[1], "parameter at its high")):
        p = [r.values[f"p_at_{role}"] for r in rows]
        data.append({
            "type": "bar", "orientation": "h", "y": names, "x": [v - base for v in p],
            "base": base, "name": label, "marker": {"color": color},
            "customdata": [[r.values[f"{role}_value"], v, r.parameter]
                           for r, v in zip(rows, p, strict=True)],
            "hovertemplate": "%{y}<br>%{customdata[2]} = %{customdata[0]:.4g}: "
                             "P %{customdata[1]:.1%}" f"<extra>{label}</extra>",
            "meta": {"role": role, "target": target, "parameters": [r.parameter for r in rows]},
        })
    return {
        "data": data,
        "layout": {
            "title": {"text": f"Tornado: {target}, base {100 * base:.1f}% (the run)"},
            "barmode": "overlay", "height": 140 + 26 * max(1, len(rows)),
            "xaxis": {"tickformat": ".0%", "title": {"text": f"P({target})"}},
            "yaxis": {"autorange": "reversed", "automargin": True},
            "shapes": [{"type": "line", "x0": base, "x1": base, "y0": 0, "y1": 1,
                        "yref": "paper", "line": {"color": "#000", "width": 1}}],
            "margin": {"l": 20, "r": 20, "t": 50, "b": 50},
            "legend": {"orientation": "h", "y": -0.15},
        },
        "config": plots.CONFIG,
    }


def morris_chart(result: SensitivityResult, target: str,
                 labels: dict[str, str] | None = None) -> Fig:
    """μ* (how much a parameter moves P) against σ (how unevenly: interactions, nonlinearity),
    in percentage points."""
    labels = labels or {}
    rows = result.rows[target]
    return {
        "data": [{
            "type": "scatter", "mode": "markers",
            "x": [100 * r.values["mu_star"] for r in rows],
            "y": [100 * r.values["sigma"] for r in rows],
            "marker": {"color": plots.PALETTE[0], "size": 9},
            "text": [labels.get(r.parameter, r.parameter) for r in rows],
            "customdata": [r.parameter for r in rows],
            "hovertemplate": "%{text}<br>%{customdata}<br>μ* %{x:.2f} pt · σ %{y:.2f} pt"
                             "<extra></extra>",
        }],
        "layout": {
            "title": {"text": f"Morris: {target} (μ* against σ, percentage points)"},
            "xaxis": {"title": {"text": "μ* (pt): mean absolute effect"}, "rangemode": "tozero"},
            "yaxis": {"title": {"text": "σ (pt): spread of effects"}, "rangemode": "tozero"},
            "height": 460, "margin": {"l": 60, "r": 20, "t": 50, "b": 50},
        },
        "config": plots.CONFIG,
    }


def sobol_chart(result: SensitivityResult, target: str,
                labels: dict[str, str] | None = None) -> Fig:
    """Per parameter its total index ST (all it does, interactions included) and first-order
    S1 (alone), as % of P's variance with SALib's 95% intervals; largest ST on top."""
    labels = labels or {}
    rows = result.rows[target][:TOP]
    names = [labels.get(r.parameter, r.parameter) for r in rows]
    data = [{
        "type": "bar", "orientation": "h", "y": names,
        "x": [100 * r.values[key] for r in rows], "name": label,
        "error_x": {"type": "data", "array": [100 * r.values[f"{key}_conf"] for r in rows],
                    "color": "#444", "thickness": 1},
        "marker": {"color": color}, "customdata": [r.parameter for r in rows],
        "hovertemplate": "%{y}<br>%{customdata}: %{x:.1f}%" f"<extra>{label}</extra>",
        "meta": {"index": key, "target": target, "parameters": [r.parameter for r in rows]},
    } for key, label, color in (("ST", "total (ST)", plots.PALETTE[0]),
                                ("S1", "first order (S1)", plots.PALETTE[1]))]
    return {
        "data": data,
        "layout": {
            "title": {"text": f"Sobol: {target}, share of the variance of P"},
            "barmode": "group", "height": 160 + 34 * max(1, len(rows)),
            "xaxis": {"title": {"text": "% of variance (95% interval)"}, "rangemode": "tozero"},
            "yaxis": {"autorange": "reversed", "automargin": True},
            "margin": {"l": 20, "r": 20, "t": 50, "b": 50},
            "legend": {"orientation": "h", "y": -0.15},
        },
        "config": plots.CONFIG,
    }


CHARTS = {"tornado": tornado_chart, "morris": morris_chart, "sobol": sobol_chart}


def _rows(result: SensitivityResult, target: str,
          labels: dict[str, str]) -> tuple[list[str], list[list[str]]]:
    rows = result.rows[target]
    keys = list(rows[0].values) if rows else []
    return (["parameter", *map(heading, keys)],
            [[f'<span title="{esc(r.parameter)}">{esc(labels.get(r.parameter, r.parameter))}'
              f'</span><br><span class="dim">{esc(r.parameter)}</span>',
              *(fmt(k, r.values[k]) for k in keys)] for r in rows])


def render(result: SensitivityResult, title: str, labels: dict[str, str] | None = None) -> str:
    import plotly.io as pio
    from plotly.offline import get_plotlyjs

    labels = labels or {}
    parts = []
    for t in result.targets:
        head, rows = _rows(result, t, labels)
        fig = CHARTS[result.method](result, t, labels) if result.method in CHARTS else None
        chart = (pio.to_html(fig, full_html=False, include_plotlyjs=False, config=plots.CONFIG)
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
    from accord.report.sensitivity_figures import FIGURES, save

    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*-*.*"):
        if old.suffix in (".png", ".svg") and old.name.split("-")[0] in FIGURES:
            old.unlink()
    index = folder / "index.html"
    index.write_text(render(result, title, labels), encoding="utf-8")
    for t in result.targets:
        save(FIGURES[result.method](result, t, labels),
             [folder / f"{result.method}-{t}.{fmt_}" for fmt_ in ("png", "svg")])
    return index
