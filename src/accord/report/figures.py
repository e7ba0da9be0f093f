"""Static figures (matplotlib, headless): PNG, SVG or PDF by the file's suffix."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import PercentFormatter  # noqa: E402

from accord.analysis.run import RunResult  # noqa: E402
from accord.report.graph import (  # noqa: E402
    EDGE_STYLE,
    ID_PT,
    NAME_PT,
    PAD,
    event_graph,
    layered,
    path,
)
from accord.report.plots import BAND, BAND_LABEL, PALETTE, event_colors  # noqa: E402

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


def curves_fig(result: RunResult) -> Any:
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
    return fig


def fans_fig(result: RunResult, columns: int = 2) -> Any:
    """One small chart per question: its event's curve, the 5–95% and 25–75% bands over
    parameters, the deadline marked."""
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
        _band(ax, steps, ev.band50_low, ev.band50_high, color, 2 * BAND)
        at = q.step if q.at is None else q.at
        ax.axvline(at, color="#555", lw=0.8, ls=":")
        err = None
        if q.band:
            err = [[q.probability - q.band[0]], [q.band[1] - q.probability]]
        ax.errorbar([at], [q.probability], yerr=err, fmt="D", color=color, mec="white",
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
    fig.suptitle("Questions: P(event by date); over parameters light 5–95%, dark 25–75%; "
                 "◆ the deadline", fontsize=10,
                 x=0.01, ha="left")
    return fig


def place_labels(ax: Any, xs: Sequence[float], labels: Sequence[str], y0: float, step: float,
                 fontsize: float = 7.5, pad_px: float = 4.0) -> list[Any]:
    """Labels above points on one line, each on the lowest level where it overlaps no other
    (greedy, left to right in pixel space), with a leader line when it is lifted. The axes'
    position must be final (call after the layout is drawn)."""
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    levels: list[float] = []  # the right edge (px) of the last label on each level
    texts = []
    for x, label in sorted(zip(xs, labels, strict=True), key=lambda t: t[0]):
        t = ax.text(x, y0, label, ha="center", va="bottom", fontsize=fontsize)
        bb = t.get_window_extent(renderer)
        left, right = bb.x0, bb.x1
        ax_bb = ax.get_window_extent(renderer)
        shift = max(0.0, ax_bb.x0 - left) - max(0.0, right - ax_bb.x1)  # keep inside the axes
        left, right = left + shift, right + shift
        if shift:
            t.set_x(ax.transData.inverted().transform((bb.x0 + bb.width / 2 + shift, 0))[0])
        level = next((k for k, r in enumerate(levels) if left > r + pad_px), len(levels))
        if level == len(levels):
            levels.append(right)
        levels[level] = right
        y = y0 + level * step
        t.set_y(y)
        if level:
            ax.plot([x, t.get_position()[0]], [0.12, y], color="#999", lw=0.5, zorder=1)
        texts.append(t)
    return texts


def _issue_panel(ax: Any, iss: Any, models: list[str], colors: dict[str, str]) -> None:
    w = [c * s for c, s in zip(iss.capabilities, iss.saliences, strict=True)]
    top = max(w) or 1.0
    n = len(models)
    ax.scatter(iss.positions, [0] * len(w), s=[30 + 300 * x / top for x in w], alpha=0.5,
               color="#555", zorder=2)
    for k, m in enumerate(models):
        r = iss.models[m]
        y = -1 - k
        if r.low is not None and r.high is not None:
            ax.plot([r.low, r.high], [y, y], color=colors[m], lw=2.5, alpha=0.45,
                    solid_capstyle="butt")
        ax.plot([r.outcome], [y], "D", color=colors[m], ms=5, zorder=3)
    if iss.status_quo is not None:
        ax.axvline(iss.status_quo, color="#444", lw=0.8, ls="--", zorder=0)
    ax.axhline(-0.5, color="#ddd", lw=0.6)
    span = iss.scale_max - iss.scale_min
    ax.set_xlim(iss.scale_min - 0.04 * span, iss.scale_max + 0.04 * span)
    ax.set_ylim(-n - 0.6, 4.2)
    ax.set_yticks([-1 - k for k in range(n)], models, fontsize=7)
    ax.tick_params(axis="x", labelsize=7)
    ax.grid(axis="x", alpha=0.25)
    ax.set_title(iss.name, fontsize=9, loc="left")


def issues_fig(result: RunResult) -> Any:
    """Per issue: actors' positions as labelled dots (size = capability × salience; labels lifted
    where they would overlap), each model's outcome with its 5–95% band on its own row, the
    status quo dashed and labelled, and what the two ends of the scale mean."""
    issues = result.issues
    models = list(issues[0].models) if issues else []
    colors = {m: PALETTE[k % len(PALETTE)] for k, m in enumerate(models)}
    fig, axes = plt.subplots(len(issues), 1, figsize=(10, (0.24 * len(models) + 1.9) * len(issues)),
                             squeeze=False, layout="constrained")
    for ax, iss in zip(axes[:, 0], issues, strict=True):
        _issue_panel(ax, iss, models, colors)
        lo = f"{iss.scale_min:g}" + (f" = {iss.min_means}" if iss.min_means else "")
        hi = f"{iss.scale_max:g}" + (f" = {iss.max_means}" if iss.max_means else "")
        ax.set_xlabel(f"← {lo}        {hi} →", fontsize=7.5)
    fig.suptitle("Issues: actors' positions (dot size: capability × salience), each model's "
                 "outcome (◆, bar: 5–95% over parameters); dashed: the status quo",
                 fontsize=9, x=0.01, ha="left")
    fig.canvas.draw()
    fig.set_layout_engine("none")  # positions final: labels are placed in pixels from here
    for ax, iss in zip(axes[:, 0], issues, strict=True):
        place_labels(ax, iss.positions, iss.actors, 0.35, 0.95)
        if iss.status_quo is not None:
            ax.text(iss.status_quo, -len(models) - 0.55, " status quo", fontsize=6.5,
                    color="#444", va="bottom", ha="left" if iss.status_quo < (
                        iss.scale_min + iss.scale_max) / 2 else "right")
    return fig


def graph_fig(result: RunResult) -> Any:
    """The event graph as layers (`graph.layered`): top to bottom in the direction of influence,
    an event in a box (its name, its id below, its border in the event's colour in every
    figure), an arrow from each event to every event it bears on, styled by relation; an arrow
    pointing up closes a loop. One data unit is one point, so the figure is as big as the
    drawing and no label is clipped; the legend sits below the drawing."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyBboxPatch

    s = result.scenario
    lay = layered(event_graph(s))
    colors = event_colors([e.id for e in s.events])
    margin, top, bottom = 12.0, 40.0, 30.0
    width = max(lay.width + 2 * margin, 470.0)
    height = lay.height + top + bottom
    left = (width - lay.width) / 2
    fig = plt.figure(figsize=(width / 72, height / 72))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(-left, width - left)
    ax.set_ylim(height - top, -top)  # y grows downwards, as in the layout
    ax.set_axis_off()
    for e in lay.edges:
        color, style = EDGE_STYLE[e.relation]
        pts = path(e.points)
        ax.plot([p[0] for p in pts], [p[1] for p in pts], color=color, ls=MPL_STYLE[style],
                lw=1.0, zorder=1, solid_capstyle="butt")
        ax.annotate("", xy=pts[-1], xytext=pts[-2], zorder=3,
                    arrowprops={"arrowstyle": "-|>,head_length=0.5,head_width=0.22",
                                "color": color, "lw": 1.0, "shrinkA": 0, "shrinkB": 0})
    for node, b in lay.boxes.items():
        color = colors.get(node, "#555555")
        ax.add_patch(FancyBboxPatch((b.x - b.w / 2, b.y - b.h / 2), b.w, b.h, zorder=2,
                                    boxstyle="round,pad=0,rounding_size=4", lw=1.3,
                                    ec=color, fc="white"))
        ax.text(b.x, b.y - b.h / 2 + PAD, "\n".join(lay.lines[node]), ha="center", va="top",
                fontsize=NAME_PT, linespacing=1.1, zorder=4)
        ax.text(b.x, b.y + b.h / 2 - PAD, f"({node})", ha="center", va="bottom",
                fontsize=ID_PT, color="#666666", zorder=4)
    ax.text(margin - left, -top + 8, "Event graph: an arrow from A to B where A bears on B",
            fontsize=10, va="top", ha="left")
    ax.text(margin - left, -top + 23,
            "Influence runs top to bottom; an arrow pointing up closes a loop.", fontsize=7.5,
            va="top", ha="left", color="#555555")
    shown = [r for r in EDGE_STYLE if any(e.relation == r for e in lay.edges)]
    handles = [Line2D([], [], color=EDGE_STYLE[r][0], ls=MPL_STYLE[EDGE_STYLE[r][1]], lw=1.2)
               for r in shown]
    ax.legend(handles, shown, loc="lower left", ncol=max(1, len(shown)), fontsize=7.5,
              frameon=False, bbox_to_anchor=(margin / width, 2 / height), borderaxespad=0,
              handlelength=2.6, columnspacing=1.4)
    return fig


def write_figures(result: RunResult, folder: Path, formats: tuple[str, ...] = ("png", "svg")
                  ) -> list[Path]:
    """Every figure of a run, questions first: each built once and saved in every format."""
    folder.mkdir(parents=True, exist_ok=True)
    figures: list[tuple[str, Any, str | None]] = []  # name, figure, bbox_inches
    if result.forecast.questions:
        figures.append(("questions", fans_fig(result), None))
    figures.append(("curves", curves_fig(result), "tight"))
    figures.append(("event-graph", graph_fig(result), "tight"))
    if result.issues:
        figures.append(("issues", issues_fig(result), None))
    out = []
    for name, fig, bbox in figures:
        for fmt in formats:
            path = folder / f"{name}.{fmt}"
            fig.savefig(path, dpi=110, bbox_inches=bbox)
            out.append(path)
        plt.close(fig)
    return out
