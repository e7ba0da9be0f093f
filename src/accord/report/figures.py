"""Static figures (matplotlib, headless): PNG, SVG or PDF by the file's suffix."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from accord.analysis.run import RunResult  # noqa: E402
from accord.report.graph import EDGE_STYLE, event_graph, layout  # noqa: E402

MPL_STYLE = {"solid": "-", "dot": ":", "dash": "--", "dashdot": "-."}


def curves_figure(result: RunResult, path: Path) -> Path:
    f = result.forecast
    steps = list(range(f.horizon + 1))
    fig, ax = plt.subplots(figsize=(10, 6))
    colors = plt.get_cmap("tab20").colors
    for k, (eid, ev) in enumerate(f.events.items()):
        color = colors[(2 * k) % 20 if k < 10 else (2 * k + 1) % 20]
        ax.plot(steps, ev.probability, label=eid, lw=1.8, color=color)
        if ev.band_low is not None and ev.band_high is not None:
            ax.fill_between(steps, ev.band_low, ev.band_high, color=color, alpha=0.07)
    ax.set_xlabel(f"months after {result.scenario.meta.as_of}")
    ax.set_ylabel("P(occurred by month)")
    ax.set_ylim(0, 1)
    ax.set_xlim(0, f.horizon)
    ax.grid(alpha=0.3)
    ax.set_title(
        f"{result.scenario.meta.title}: event probabilities (bands: 5–95% over parameters)"
    )
    ax.legend(fontsize=8, loc="upper left", ncols=2)
    fig.tight_layout()
    fig.savefig(path, dpi=110, bbox_inches="tight")
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


def write_figures(result: RunResult, folder: Path, fmt: str = "png") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = [
        curves_figure(result, folder / f"curves.{fmt}"),
        graph_figure(result, folder / f"event-graph.{fmt}"),
    ]
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
