"""Soft evidence as path weights (Pearl's virtual evidence).

A sign seen in month t, bearing on event e with likelihood ratio L, weighs each path by

    L   if e has occurred by the end of month t (a chance event: if it occurs within the
        horizon, since the sign bears on whether it will come up yes),
    1   otherwise;

a month in which it was looked for and not seen weighs by 1 − q against 1 − q/L, where q is
P(seen in a month | e occurred). Only ratios matter: the weights are self-normalised with the
hard observations' (accord.process.condition), so each parameter draw's mean weight, and with
it the posterior over parameters, moves by the same evidence. A ratio of 1 multiplies by 1.0
exactly: nothing changes, to the last bit. A hard observation is the limit L → ∞ (or 0).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from accord.scenario.indicators import Sign


def _value(v: float | str | None, draws: Mapping[str, np.ndarray], draw_idx: np.ndarray,
           ) -> float | np.ndarray:
    """A number, or a parameter's value per path (its draw's)."""
    if isinstance(v, str):
        x = np.asarray(draws[v], dtype=float)
        return float(x[0]) if x.size == 1 else x[draw_idx]
    return float(v or 0.0)


def factors(ratio: float | np.ndarray, p_seen: float | np.ndarray | None, seen: bool,
            ) -> tuple[float | np.ndarray, float | np.ndarray]:
    """(weight where the event has occurred, weight where not) of one sign: L and 1 when seen;
    1 − q and 1 − q/L (capped at 1) when looked for and not seen."""
    if seen:
        return ratio, 1.0
    q = 0.0 if p_seen is None else p_seen
    return 1.0 - q, 1.0 - np.minimum(q / ratio, 1.0)


def sign_weights(signs: Sequence[Sign], first: np.ndarray, draw_idx: np.ndarray,
                 draws: Mapping[str, np.ndarray]) -> np.ndarray:
    """Per path, the product of every sign's weight (first: first-occurrence steps, 0 =
    never; draw_idx: each path's parameter draw)."""
    w = np.ones(first.shape[0])
    for s in signs:
        f = first[:, s.row]
        occurred = f > 0 if s.latent else (f > 0) & (f <= s.step)
        p_seen = None if s.seen else _value(s.p_seen, draws, draw_idx)
        yes, no = factors(_value(s.ratio, draws, draw_idx), p_seen, s.seen)
        w *= np.where(occurred, yes, no)
    return w
