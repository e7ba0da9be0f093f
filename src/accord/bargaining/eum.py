"""Expected utility model of Bueno de Mesquita (1985, 1994, 1997) as specified by Scholz, Calbert &
Smith (2011), "Unravelling Bueno De Mesquita's group decision model", J. Theoretical Politics
23(4). One dimension at a time on the unit scale; δ_ij = |x_i − x_j|.

Per round:
- votes      v_k(i, j) = c_k s_k (|x_k − x_j| − |x_k − x_i|);
             P_ij = Σ_k max(0, v_k) / Σ_k |v_k|   (½ when nobody cares).
- median     μ = capability × salience weighted median of the current positions.
- utilities  U^s_ij = 2 − 4(½ − ½δ_ij)^{r_i},   U^f_ij = 2 − 4(½ + ½δ_ij)^{r_i},
             U^b_ij = 2 − 4(½ − ¼(|x_i − μ| + δ_ij))^{r_i},
             U^w_ij = 2 − 4(½ + ¼(|x_i − μ| + δ_ij))^{r_i},   U^sq_i = 2 − 4(½)^{r_i}.
- challenge  EU_ij = s_j (P_ij U^s + (1 − P_ij) U^f) + (1 − s_j) U^s
                     − Q U^sq − (1 − Q)(T U^b + (1 − T) U^w).
- risk       with r ≡ 1, exposure V_i = Σ_{j≠i} EU_ji (what the others expect from challenging
             i); R_i = (2V_i − V_max − V_min)/(V_max − V_min) ∈ [−1, 1];
             r_i = (1 − R_i/3)/(1 + R_i/3) ∈ [½, 2]; then EU is recomputed with r.
- offers     from i to j, judged on (EU_ij, EU_ji):
             conflict      EU_ij > 0, EU_ji > 0, EU_ij > EU_ji      → j offered x_i;
             compromise    EU_ij > 0 > EU_ji, |EU_ij| > |EU_ji|
                                               → x_j + (x_i − x_j)|EU_ji/EU_ij|;
             capitulation  EU_ij > 0 > EU_ji, |EU_ij| < |EU_ji|     → j offered x_i.
- move       each actor takes its most credible offer; forecast = weighted median after the
             last round. Stop when no actor moves more than 1e-9 or after ``max_rounds``.

Choices where public replications disagree (each one here is ours, stated):
- Q = 1 (the status quo persists if i does not challenge), so T is moot; both are parameters
  (Scholz et al. and the public Python replications use Q = T = 1; BDM 1985 discusses Q = ½).
- one set of expected utilities for both sides: i's estimate of EU_ji uses j's own r_j
  (Scholz et al.), not i's perception of j's risk.
- μ is the c·s weighted median (in one dimension the weighted Condorcet winner).
- risk from exposure with r ≡ 1 (no fixed point between r and EU is iterated).
- "most credible offer" = the offer needing the smallest move; ties go to the offer from the
  actor with the larger c·s (then the lower index). BDM 1997 instead averages credible
  proposals; Scholz et al. take one offer.
- the default round limit is 10 (the rounds reported for the EU emissions example).
"""

from __future__ import annotations

import numpy as np

from accord.bargaining.prediction import Prediction
from accord.bargaining.table import FloatArray, IssueTable
from accord.bargaining.weighted_median import weighted_median_1d

MAX_ROUNDS = 10
Q = 1.0
T = 1.0
TOL = 1e-9


def win_probability(x: FloatArray, w: FloatArray) -> FloatArray:
    """P[i, j]: probability i beats j from all actors' c·s-weighted preferences."""
    dist = np.abs(x[:, None] - x[None, :])  # dist[k, m] = |x_k − x_m|
    # v[k, i, j] = w_k (|x_k − x_j| − |x_k − x_i|)
    v = w[:, None, None] * (dist[:, None, :] - dist[:, :, None])
    pos = np.maximum(v, 0).sum(axis=0)
    tot = np.abs(v).sum(axis=0)
    return np.where(tot > 0, pos / np.where(tot > 0, tot, 1.0), 0.5)


def expected_utility(
    x: FloatArray, s: FloatArray, p: FloatArray, mu: float, r: FloatArray,
    q: float = Q, t: float = T,
) -> FloatArray:
    """EU[i, j]: i's expected utility of challenging j."""
    delta = np.abs(x[:, None] - x[None, :])
    ri = r[:, None]
    spread = 0.25 * (np.abs(x - mu)[:, None] + delta)
    u_s = 2 - 4 * (0.5 - 0.5 * delta) ** ri
    u_f = 2 - 4 * (0.5 + 0.5 * delta) ** ri
    u_b = 2 - 4 * np.clip(0.5 - spread, 0, None) ** ri
    u_w = 2 - 4 * (0.5 + spread) ** ri
    u_sq = 2 - 4 * 0.5**ri
    sj = s[None, :]
    eu = sj * (p * u_s + (1 - p) * u_f) + (1 - sj) * u_s - q * u_sq
    eu = eu - (1 - q) * (t * u_b + (1 - t) * u_w)
    np.fill_diagonal(eu, 0.0)
    return eu


def risk_exponents(eu0: FloatArray) -> FloatArray:
    """r_i ∈ [½, 2] from exposure V_i = Σ_j EU_ji (computed with r ≡ 1)."""
    v = eu0.sum(axis=0) - np.diag(eu0)
    vmin, vmax = v.min(), v.max()
    if vmax - vmin <= 0:
        return np.ones_like(v)
    big_r = (2 * v - vmax - vmin) / (vmax - vmin)
    return (1 - big_r / 3) / (1 + big_r / 3)


def offers(x: FloatArray, eu: FloatArray) -> FloatArray:
    """offer[i, j]: position i offers j (NaN = no offer)."""
    eij, eji = eu, eu.T
    xi, xj = x[:, None], x[None, :]
    conflict = (eij > 0) & (eji > 0) & (eij > eji)
    compromise = (eij > 0) & (eji < 0) & (np.abs(eij) > np.abs(eji))
    capitulate = (eij > 0) & (eji < 0) & (np.abs(eij) < np.abs(eji))
    ratio = np.abs(eji) / np.where(eij != 0, np.abs(eij), 1.0)
    out = np.full(eu.shape, np.nan)
    out = np.where(conflict | capitulate, np.broadcast_to(xi, eu.shape), out)
    out = np.where(compromise, xj + (xi - xj) * ratio, out)
    np.fill_diagonal(out, np.nan)
    return out


def one_round(x: FloatArray, c: FloatArray, s: FloatArray) -> FloatArray:
    w = c * s
    p = win_probability(x, w)
    mu = weighted_median_1d(x, w)
    eu0 = expected_utility(x, s, p, mu, np.ones_like(x))
    r = risk_exponents(eu0)
    eu = expected_utility(x, s, p, mu, r)
    off = offers(x, eu)  # (i, j)
    move = np.abs(off - x[None, :])
    move = np.where(np.isnan(off), np.inf, move)
    # smallest move; ties → larger offerer weight: lexsort keys on the offerer axis
    best_move = move.min(axis=0)
    tied = move <= best_move[None, :] + 1e-12
    score = np.where(tied, w[:, None], -np.inf)
    pick = np.argmax(score, axis=0)
    has = np.isfinite(best_move)
    cols = np.arange(x.size)
    return np.where(has, off[pick, cols], x)


def run_1d(
    x: FloatArray, c: FloatArray, s: FloatArray, max_rounds: int = MAX_ROUNDS
) -> FloatArray:
    """Rounds on one dimension (unit scale); returns history (rounds + 1, n)."""
    hist = [np.asarray(x, dtype=float)]
    for _ in range(max_rounds):
        nxt = one_round(hist[-1], c, s)
        hist.append(nxt)
        if np.max(np.abs(nxt - hist[-2])) <= TOL:
            break
    return np.array(hist)


def predict(table: IssueTable, max_rounds: int = MAX_ROUNDS) -> Prediction:
    x = table.unit_positions()
    runs = [
        run_1d(x[:, k], table.capability, table.salience[:, k], max_rounds)
        for k in range(table.n_dims)
    ]
    rounds = max(h.shape[0] for h in runs)
    # pad shorter (converged) runs with their final state
    hist = np.stack(
        [np.vstack([h, np.repeat(h[-1:], rounds - h.shape[0], axis=0)]) for h in runs], axis=2
    )
    w = table.weights()
    final = np.array(
        [weighted_median_1d(hist[-1, :, k], w[:, k]) for k in range(table.n_dims)]
    )
    return Prediction(
        model="eum", issue=table.issue, outcome=table.from_unit(final),
        dimensions=table.dimensions, history=table.from_unit(hist), turns=rounds - 1,
    )
