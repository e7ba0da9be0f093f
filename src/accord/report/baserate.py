"""A reference class drawn: its cumulative curve F(h) with the 95% band, and the cases still at
risk under the axis (a share: its probability with its interval)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from accord.baserate.tables import Estimate


def plot_class(est: Estimate, name: str, path: Path, horizon: float = 120.0) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4.8), dpi=120)
    if est.kind == "share":
        d = est.data
        ax.errorbar([0], [d["probability"]], yerr=[[d["probability"] - d["low"]],
                    [d["high"] - d["probability"]]], fmt="o", capsize=8, color="#1f5fa8")
        ax.set_xticks([])
        ax.set_xlim(-1, 1)
        ax.set_ylabel("share of cases with the event")
    else:
        months = np.linspace(0, horizon, 1201)
        f = 1 - np.array(est.survival(months))
        lo = 1 - np.array(est.survival(months, "high"))
        hi = 1 - np.array(est.survival(months, "low"))
        ax.fill_between(months, lo, hi, step="post", color="#1f5fa8", alpha=0.18,
                        label="95% band")
        ax.step(months, f, where="post", color="#1f5fa8", lw=2, label="Kaplan–Meier")
        ax.set_xlim(0, horizon)
        ax.set_xlabel("months from the origin")
        ax.set_ylabel("probability the event has happened")
        ax.legend(loc="lower right", frameon=False)
        _at_risk(ax, est, horizon)
    ax.set_ylim(0, 1)
    ax.grid(alpha=0.3)
    ax.set_title(f"{name}\n{est.label} · n = {est.n}, {est.events} events", fontsize=10)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _at_risk(ax: object, est: Estimate, horizon: float) -> None:
    """The number still at risk, printed under the x axis at its ticks."""
    marks = [(m, k) for m, k in est.data["at_risk"] if m <= horizon]
    ax.set_xticks([m for m, _ in marks])  # type: ignore[attr-defined]
    ax.set_xticklabels([f"{m}\n{k}" for m, k in marks], fontsize=8)  # type: ignore[attr-defined]
    ax.annotate("at risk", xy=(0, 0), xycoords="axes fraction", xytext=(-8, -26),  # type: ignore[attr-defined]
                textcoords="offset points", ha="right", fontsize=8, color="#555")
