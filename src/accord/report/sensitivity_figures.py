"""Static sensitivity figures (matplotlib, headless): tornado, Morris and Sobol, one question
each, PNG or SVG by the file's suffix. The interactive versions are in `report.sensitivity`."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import PercentFormatter  # noqa: E402

from accord.analysis.sensitivity import SensitivityResult  # noqa: E402
from accord.report.plots import PALETTE  # noqa: E402

TOP = 15


def _names(result: SensitivityResult, target: str, labels: dict[str, str] | None,
           top: int, width: int = 60) -> tuple[list[Any], list[str]]:
    rows = result.rows[target][:top][::-1]  # widest on top
    return rows, [textwrap.fill((labels or {}).get(r.parameter, r.parameter), width)
                  for r in rows]


def save(fig: Any, paths: list[Path]) -> list[Path]:
    """One figure in every format asked for (by suffix), then closed."""
    for path in paths:
        fig.savefig(path, dpi=110)
    plt.close(fig)
    return paths


def tornado_figure(result: SensitivityResult, target: str,
                   labels: dict[str, str] | None = None, top: int = TOP) -> Any:
    """Bars from P at each parameter's low to P at its high, around the run's P."""
    rows, names = _names(result, target, labels, top)
    base = result.base[target]
    fig, ax = plt.subplots(figsize=(10, 0.6 * len(rows) + 1.6), layout="constrained")
    for y, r in enumerate(rows):
        ax.barh(y, r.values["p_at_low"] - base, left=base, color=PALETTE[0])
        ax.barh(y, r.values["p_at_high"] - base, left=base, color=PALETTE[1])
    ax.axvline(base, color="k", lw=0.8)
    ax.set_yticks(range(len(rows)), names, fontsize=7.5)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel(f"P({target}): blue with the parameter at its low, orange at its high, "
                  "the others as drawn in the run", fontsize=8)
    ax.set_title(f"Tornado: {target}, base {100 * base:.1f}% (the run at seed {result.seed})",
                 fontsize=9, loc="left")
    return fig


def sobol_figure(result: SensitivityResult, target: str,
                 labels: dict[str, str] | None = None, top: int = TOP) -> Any:
    """ST and S1 per parameter, in % of P's variance, with SALib's 95% intervals."""
    rows, names = _names(result, target, labels, top)
    y = np.arange(len(rows))
    fig, ax = plt.subplots(figsize=(10, 0.6 * len(rows) + 1.8), layout="constrained")
    for off, key, label, color in ((0.2, "ST", "total (ST)", PALETTE[0]),
                                   (-0.2, "S1", "first order (S1)", PALETTE[1])):
        ax.barh(y + off, [100 * r.values[key] for r in rows], height=0.38, color=color,
                label=label, xerr=[100 * r.values[f"{key}_conf"] for r in rows],
                error_kw={"lw": 0.8, "capsize": 2, "ecolor": "#444"})
    ax.set_yticks(y, names, fontsize=7.5)
    ax.set_xlim(left=0)
    ax.set_xlabel("% of the variance of P (95% interval)", fontsize=8)
    ax.legend(fontsize=8, loc="lower right", frameon=False)
    ax.set_title(f"Sobol: {target}", fontsize=9, loc="left")
    return fig


def morris_figure(result: SensitivityResult, target: str,
                  labels: dict[str, str] | None = None, top: int = 8) -> Any:
    """Morris: μ* against σ in percentage points, the `top` parameters by μ* numbered and named
    in a key beside the plot (so no label can land on another)."""
    rows = result.rows[target]
    mu = [100 * r.values["mu_star"] for r in rows]
    sd = [100 * r.values["sigma"] for r in rows]
    fig, (ax, key) = plt.subplots(1, 2, figsize=(11, 5), width_ratios=[1.1, 1],
                                  layout="constrained")
    ax.scatter(mu, sd, color=PALETTE[0], s=22)
    for k in range(min(top, len(rows))):
        ax.annotate(str(k + 1), (mu[k], sd[k]), xytext=(4, 3), textcoords="offset points",
                    fontsize=7.5)
    ax.set_xlabel("μ* (pt): mean absolute effect on P", fontsize=8)
    ax.set_ylabel("σ (pt): spread of the effects", fontsize=8)
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.set_title(f"Morris: {target}", fontsize=9, loc="left")
    key.set_axis_off()
    lines = [textwrap.fill(f"{k + 1}. {(labels or {}).get(r.parameter, r.parameter)}", 64,
                           subsequent_indent="    ") for k, r in enumerate(rows[:top])]
    key.text(0, 1, "\n".join(lines), va="top", fontsize=7.5, transform=key.transAxes)
    return fig


FIGURES: dict[str, Callable[..., Any]] = {
    "tornado": tornado_figure, "sobol": sobol_figure, "morris": morris_figure}
