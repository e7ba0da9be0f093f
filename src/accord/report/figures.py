"""Static figures (matplotlib, headless): PNG, SVG or PDF by the file's suffix."""

from __future__ import annotations

import math
import textwrap
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import PercentFormatter  # noqa: E402

from accord.analysis.run import RunResult  # noqa: E402
from accord.report.graph import EDGE_STYLE, event_graph, layout  # noqa: E402
from accord.report.plots import BAND, BAND_LABEL, event_colors  # noqa: E402

MPL_STYLE = {"solid": "-", "dot": ":", "dash": "--", "dashdot": "-."}


def _band(ax: Any, x: list[float], lo: list[float] | None, hi: list[float] | None, color: str,
          alpha: float) -> None:
    """The band where it is known; NaN (spread not told from noise) draws nothing."""
    if lo is None or hi is None:
        return
    a, b = np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)
    ok = ~(np.isnan(a) | np.isnan(b))
    ax.fill_between(x, np.where(ok, a, 0), np.where(ok, b, 0), where=ok, color=color,
                    alpha=alpha, lw=0, interpolate=False)


def curves_figure(result: RunResult, path: Path) -> Path:
    f = result.forecast
    steps = list(range(f.horizon + 1))
    colors = event_colors(list(f.events))
    fig, ax = plt.subplots(figsize=(10, 6))
    for eid, ev in f.events.items():
        ax.plot(steps, ev.probability, label=eid, lw=1.8, color=colors[eid])
        _band(ax, steps, ev.band_low, ev.band_high, colors[eid], 0.07)
    ax.set_xlabel(f"months after {result.scenario.meta.as_of}")
    ax.set_ylabel("P(occurred by month)")
    ax.set_ylim(0, 1)
    ax.set_xlim(0, f.horizon)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.grid(alpha=0.3)
    ax.set_title(f"All events ({BAND_LABEL})", loc="left", fontsize=10)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    fig.tight_layout()
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)
    return path


def fans_figure(result: RunResult, path: Path, columns: int = 2) -> Path:
    """One small chart per question: its event's curve, the 5–95% band, the deadline marked."""
    f = result.forecast
    qs = f.questions
    colors = event_colors(list(f.events))
    texts = {q.id: q.text for q in result.scenario.questions}
    cols = max(1, min(columns, len(qs) or 1))
    rows = max(1, math.ceil(len(qs) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(5.2 * cols, 3.1 * rows), squeeze=False,
                             sharey=True, layout="constrained")
    steps = list(range(f.horizon + 1))
    for k, ax in enumerate(axes.flat):
        if k >= len(qs):
            ax.set_axis_off()
            continue
        q = qs[k]
        ev = f.events[q.event]
        color = colors[q.event]
        ax.plot(steps, ev.probability, color=color, lw=1.8)
        _band(ax, steps, ev.band_low, ev.band_high, color, BAND)
        ax.axvline(q.step, color="#555", lw=0.8, ls=":")
        err = None
        if q.band:
            err = [[q.probability - q.band[0]], [q.band[1] - q.probability]]
        ax.errorbar([q.step], [q.probability], yerr=err, fmt="D", color=color, mec="white",
                    ms=7, capsize=3, zorder=3)
        label = f"{100 * q.probability:.1f}%"
        if q.band:
            label += f" ({100 * q.band[0]:.0f}–{100 * q.band[1]:.0f}%)"
        ax.set_title(f"{q.id}: {label} by {q.by}\n"
                     + textwrap.fill(texts.get(q.id, ""), 64),
                     loc="left", fontsize=8.5)
        ax.set_ylim(0, 1)
        ax.set_xlim(0, f.horizon)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.3)
        if k // cols == rows - 1 or k + cols >= len(qs):
            ax.set_xlabel(f"months after {result.scenario.meta.as_of}", fontsize=8)
    fig.suptitle(f"Questions: P(event by date); {BAND_LABEL}; ◆ the deadline", fontsize=10,
                 x=0.01, ha="left")
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def issues_figure(result: RunResult, path: Path) -> Path:
    """A dot plot per issue: actors' positions (size = capability × salience) and model outcomes."""
    issues = result.issues
    fig, axes = plt.subplots(
        len(issues), 1, figsize=(10, 1.3 * len(issues) + 0.8), squeeze=False, layout="constrained"
    )
    markers = dict(zip(issues[0].models if issues else [], "DsP^v*Xhp<>d8H", strict=False))
    for ax, iss in zip(axes[:, 0], issues, strict=True):
        w = [c * s for c, s in zip(iss.capabilities, iss.saliences, strict=True)]
        top = max(w) or 1.0
        ax.scatter(
            iss.positions, [0] * len(w), s=[40 + 400 * x / top for x in w], alpha=0.4, color="#555"
        )
        for a, x in zip(iss.actors, iss.positions, strict=True):
            ax.annotate(
                a, (x, 0), textcoords="offset points", xytext=(0, 9), ha="center", fontsize=7
            )
        for name, r in iss.models.items():
            ax.scatter([r.outcome], [-0.6], marker=markers[name], s=45, label=name, zorder=3)
        if iss.status_quo is not None:
            ax.axvline(iss.status_quo, color="k", lw=0.8, ls=":")
        ax.set_xlim(iss.scale_min, iss.scale_max)
        ax.set_ylim(-1.1, 0.9)
        ax.set_yticks([])
        ax.set_title(iss.name, fontsize=9, loc="left")
    if issues:
        axes[0, 0].legend(fontsize=7, ncols=len(markers), loc="upper right")
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)
    return path


def graph_figure(result: RunResult, path: Path) -> Path:
    g = event_graph(result.scenario)
    pos = layout(g)
    columns = len({x for x, _ in pos.values()})
    rows = max((sum(1 for x2, _ in pos.values() if x2 == x) for x, _ in pos.values()), default=1)
    fig, ax = plt.subplots(figsize=(max(11.0, 2.3 * columns), max(5.0, 1.2 * rows + 2)))
    for a, b, d in g.edges(data=True):
        color, style = EDGE_STYLE[d["relation"]]
        ax.annotate(
            "",
            xy=pos[b],
            xytext=pos[a],
            arrowprops={
                "arrowstyle": "->",
                "color": color,
                "ls": MPL_STYLE[style],
                "lw": 1.2,
                "shrinkA": 14,
                "shrinkB": 14,
                "connectionstyle": "arc3,rad=0.08",
            },
        )
    for n, (x, y) in pos.items():
        ax.text(
            x,
            y,
            n,
            ha="center",
            va="center",
            fontsize=8,
            bbox={"boxstyle": "round", "fc": "#eef", "ec": "#88a"},
        )
    for rel, (color, style) in EDGE_STYLE.items():
        ax.plot([], [], color=color, ls=MPL_STYLE[style], label=rel)
    ax.legend(fontsize=8, loc="lower right")
    ax.set_axis_off()
    xs, ys = [x for x, _ in pos.values()], [y for _, y in pos.values()]
    ax.set_xlim(min(xs) - 0.7, max(xs) + 0.7)  # fixed limits: a tight bbox around arrow
    ax.set_ylim(min(ys) - 0.7, max(ys) + 0.7)  # annotations can grow without bound
    ax.set_title("Event graph")
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def write_figures(result: RunResult, folder: Path, formats: tuple[str, ...] = ("png", "svg")
                  ) -> list[Path]:
    """Every figure of a run, each as PNG and SVG: questions first."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for fmt in formats:
        if result.forecast.questions:
            out.append(fans_figure(result, folder / f"questions.{fmt}"))
        out.append(curves_figure(result, folder / f"curves.{fmt}"))
        out.append(graph_figure(result, folder / f"event-graph.{fmt}"))
        if result.issues:
            out.append(issues_figure(result, folder / f"issues.{fmt}"))
    return out


def tornado_figure(result: object, target: str, path: Path, top: int = 15) -> Path:
    """Bars from P at each parameter's low to P at its high, widest swing on top."""
    rows = result.rows[target][:top][::-1]  # type: ignore[attr-defined]
    base = result.base[target]  # type: ignore[attr-defined]
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(rows) + 1.5), layout="constrained")
    for y, r in enumerate(rows):
        lo, hi = r.values["p_at_low"], r.values["p_at_high"]
        ax.barh(y, lo - base, left=base, color="#4c72b0")
        ax.barh(y, hi - base, left=base, color="#dd8452")
    ax.axvline(base, color="k", lw=0.8)
    ax.set_yticks(range(len(rows)), [r.parameter for r in rows], fontsize=8)
    ax.set_xlabel(f"P({target}) — blue: parameter at its low, orange: at its high")
    ax.set_title(f"Tornado: {target} (base {100 * base:.1f}%)")
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
