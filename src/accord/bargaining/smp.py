"""Spatial Model of Politics (SMP), as KTAB's ``smpc`` implements it with its default options.

Source: KTAB (KAPSARC Toolkit for Behavioral Analysis, MIT licence),
``examples/smp/libsrc/smp.cpp``, ``smpbcn.cpp``, ``kmodel/libsrc/kmodel.cpp``; read to
understand, re-written here vectorised over actors (no code copied).
Defaults reproduced: proportional voting, linear victory probabilities, conditional PCE,
deterministic transitions, BigRRange Mid, BigRAdjust OneThird, semi-committed third parties,
S2P2 interpolation, initiator-only bargains, identity accommodation (ideals follow positions).

All on the unit scale: positions x_i ∈ [0,1]^d, saliences s_i (sum ≤ 1), capabilities c_i.

- distance   d_i(p, q) = sqrt(Σ_k s_ik² (p_k − q_k)² / Σ_k s_ik²)
- utility    u(d, R) = (1 − d)(1 + d R)          (d > 1 cannot occur on [0,1]; KTAB's branch kept)
- risk       U⁰_ij = u(d_i(x_i, x_j), 0); votes v_k(i:j) = c_k (U⁰_ki − U⁰_kj);
             C_ij = 1e-8 + Σ_k max(0, v_k(i:j)); P[i>j] = C_ij / (C_ij + C_ji), P[i>i] = ½;
             p_i ∝ Π_j P[i>j];  R_i = (3 p_i − p_max − 2 p_min) / (2 (p_max − p_min));
             h's view of i's risk R_hi = (2 R_h + R_i)/3;  U^h_ij = u(d_i(x_i, x_j), R_hi).
- challenge  estimator h = i judges i → j: principals' contributions
             a_i = s_i c_i (U_ii − U_ij), a_j = s_j c_j (U_ji − U_jj) (s = total salience), into
             C_ij = 1e-10 + Σ max(0, ·), C_ji = 1e-10 + Σ max(0, −·); each third party n's
             little contest: π_n = (C_ij + max(0, w_n Δ_n)) / (C_ij + C_ji + |w_n Δ_n|),
             w_n = s_n c_n, Δ_n = U_ni − U_nj; semi-committed vote
             w_n [π_n (2U_ni + U_nn) + (1−π_n) 3U_nj − π_n 3U_ni − (1−π_n)(2U_nj + U_nn)];
             P_ij = C_ij / (C_ij + C_ji) after all votes;
             EU_chlg = (1 − s_j) 2U_ii + s_j (P_ij 2U_ii + (1 − P_ij) 2U_ij);
             gain = EU_chlg − (U_ii + U_ij). i targets its best j if gain > 1e-5 (first max).
- bargain    per dimension w_i = s_i² P², w_j = s_j² (1−P)², ε = 1e-6, rounded to 4 decimals:
             b_i = ((w_i+ε) x_i + w_j x_j)/(w_i+ε+w_j), b_j = (w_i x_i + (w_j+ε) x_j)/(w_i+ε+w_j).
- choice     each actor k's options: status quo plus every bargain it is party to (ordered by
             initiator); option utility to actor a = mean over actors' positions of a's
             utility with the bargain applied; PCE over options with weights c (KTAB's
             ``actrCaps``: capability alone); k takes the most likely (first on ties).
- stop       after turn t ≥ 2 once Σ_i ‖x_i^t − x_i^{t−1}‖ < 0.02 (Σ_i ‖x_i^1 − x_i^0‖ + 1e-4),
             or at t = 100.
- reported   probabilities: per turn, PCE over unique positions (Euclidean tolerance 1e-3) with
             U_ij = u(d_i, R_i) and weights c; an actor gets its position's probability.

Choices where KTAB leaves a gap (documented, not in KTAB):
- conditional PCE computed in logs (KTAB multiplies n probabilities and can underflow to 0/0
  past ~150 actors; identical results otherwise).
- p_max = p_min (all positions equally likely) gives R = 0 (KTAB divides by zero).
- an actor with zero total salience is indifferent (distance 0); zero capability votes 0
  (KTAB refuses non-positive weights).
- point forecast (``outcome``): the final turn's probability-weighted mean of the unique
  positions (KTAB prints trajectories and probabilities only).
"""

from __future__ import annotations

from dataclasses import dataclass

import numexpr
import numpy as np
from numpy.typing import NDArray

from accord.bargaining.prediction import Prediction
from accord.bargaining.table import IssueTable

FloatArray = NDArray[np.float64]

MIN_TURNS = 2
MAX_TURNS = 100
MIN_DELTA_RATIO = 0.02
MIN_SIG_DELTA = 1e-4
MIN_SIG_GAIN = 1e-5  # minSigEDU
POS_TOL = 1e-3  # equivalent positions (0.1 on the 0-100 scale)
MIN_COALITION = 1e-8  # Model::coalitions
MIN_CHALLENGE_COALITION = 1e-10  # probEduChlg
MIN_BARGAIN_WEIGHT = 1e-6  # interpBrgnSnPm
CHUNK_ELEMENTS = 2_000_000  # bound on actor-triple temporaries (floats per array)
FUSE_ELEMENTS = 32_768  # from this size on, numexpr's fused pass beats NumPy's several


# ----------------------------------------------------------------------------------- helpers
def sal_distance(ideal: FloatArray, pos: FloatArray, sal: FloatArray) -> FloatArray:
    """d[a, m] = salience-weighted distance from ideal[a] to pos[m] with a's saliences."""
    s2 = sal**2  # (n, d)
    ss = s2.sum(axis=1)  # (n,)
    diff2 = (ideal[:, None, :] - pos[None, :, :]) ** 2  # (n, m, d)
    num = np.einsum("nmd,nd->nm", diff2, s2)
    safe = np.where(ss > 0, ss, 1.0)
    return np.where(ss[:, None] > 0, np.sqrt(num / safe[:, None]), 0.0)


def utility(sd: FloatArray, big_r: FloatArray | float) -> FloatArray:
    """u(d, R) = (1 − d)(1 + d R) for d ≤ 1, else (1 − d)(1 + R)."""
    return np.where(sd <= 1.0, (1.0 - sd) * (1.0 + sd * big_r), (1.0 - sd) * (1.0 + big_r))


def coalitions(w: FloatArray, u: FloatArray) -> FloatArray:
    """C[i, j] = 1e-8 + Σ_k max(0, w_k (u_ki − u_kj)) over options i, j (proportional votes)."""
    m = u.shape[1]
    c = np.empty((m, m))
    rows = max(1, CHUNK_ELEMENTS // max(1, u.shape[0] * m))
    for i0 in range(0, m, rows):
        ui, uj = u[:, i0 : i0 + rows, None], u[:, None, :]
        if u.shape[0] * ui.shape[1] * m >= FUSE_ELEMENTS:  # (k, i, j), one fused pass
            v = numexpr.evaluate("where(w * (ui - uj) > 0, w * (ui - uj), 0)",
                                 local_dict={"w": w[:, None, None], "ui": ui, "uj": uj})
        else:  # small: numexpr's start-up would cost more than it saves
            v = np.maximum(w[:, None, None] * (ui - uj), 0.0)
        c[i0 : i0 + rows] = MIN_COALITION + v.sum(axis=0)
    np.fill_diagonal(c, MIN_COALITION)
    return c


def victory_prob(c: FloatArray) -> FloatArray:
    """Linear law: P[i > j] = C_ij / (C_ij + C_ji), with P[i > i] = ½."""
    p = c / (c + c.T)
    np.fill_diagonal(p, 0.5)
    return p


def conditional_pce(c: FloatArray) -> FloatArray:
    """p_i ∝ Π_j P[i > j] (KTAB ConditionalPCM), computed in logs."""
    with np.errstate(divide="ignore"):
        logp = np.log(victory_prob(c)).sum(axis=1)
    if not np.any(np.isfinite(logp)):
        return np.full(c.shape[0], 1.0 / c.shape[0])
    p = np.exp(logp - logp.max())
    return p / p.sum()


def scalar_pce(w: FloatArray, u: FloatArray) -> FloatArray:
    """Option probabilities from utilities u (actors × options) and voting weights w."""
    return conditional_pce(coalitions(w, u))


def big_r_from_prob(p: FloatArray) -> FloatArray:
    """BigRRange Mid: R_i = (3 p_i − p_max − 2 p_min) / (2 (p_max − p_min)), in [−½, 1]."""
    p_min, p_max = p.min(), p.max()
    if p_max - p_min <= 0:
        return np.zeros_like(p)
    return (3.0 * p - (p_max + 2.0 * p_min)) / (2.0 * (p_max - p_min))


def round4(x: FloatArray) -> FloatArray:
    """KTAB rounds bargain coordinates to 4 decimals: ⌊0.5 + 10⁴x⌋ / 10⁴ (x ≥ 0)."""
    return np.floor(0.5 + x * 10000.0) / 10000.0


def unique_positions(x: FloatArray, tol: float = POS_TOL) -> tuple[list[int], FloatArray]:
    """KTAB ueIndices: first occurrences of positions within tol (Euclidean), and per actor
    the index (into the uniques) of the LAST unique position equivalent to it (posProb)."""
    n = x.shape[0]
    dist = np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(axis=2))
    equiv = dist < tol
    uniq: list[int] = []
    for i in range(n):
        if not any(equiv[i, k] for k in uniq):
            uniq.append(i)
    eq_u = equiv[:, uniq]  # (n, nu)
    last = eq_u.shape[1] - 1 - np.argmax(eq_u[:, ::-1], axis=1)
    return uniq, last


# ------------------------------------------------------------------------------------- state
@dataclass
class SMPState:
    """One turn: positions and everything derived from them."""

    x: FloatArray  # (n, d)
    dist: FloatArray  # (n, n) d_i(x_i, x_j)
    risk: FloatArray  # (n,) R_i

    def est_risk(self) -> FloatArray:
        """R_hi = (2 R_h + R_i) / 3, shape (h, i)."""
        return (2.0 * self.risk[:, None] + self.risk[None, :]) / 3.0

    def own_util(self) -> FloatArray:
        """U_ij = U^i_ij = u(d_i(x_i, x_j), R_ii): each actor's view of every position."""
        r_own = np.diag(self.est_risk())
        return utility(self.dist, r_own[:, None])


def assess(x: FloatArray, sal: FloatArray, cap: FloatArray) -> SMPState:
    """Distances, risk-neutral PCE, and risk attitudes R_i for positions x."""
    dist = sal_distance(x, x, sal)
    rn_util = utility(dist, 0.0)
    p = scalar_pce(cap, rn_util)
    return SMPState(x=x, dist=dist, risk=big_r_from_prob(p))


def turn_probabilities(state: SMPState, cap: FloatArray) -> FloatArray:
    """Each actor's position's probability of prevailing (KTAB pDist(-1) + posProb)."""
    uniq, owner = unique_positions(state.x)
    pu = scalar_pce(cap, state.own_util()[:, uniq])
    return pu[owner]


def expected_position(state: SMPState, cap: FloatArray) -> FloatArray:
    """Probability-weighted mean of the unique positions (our point forecast)."""
    uniq, _ = unique_positions(state.x)
    pu = scalar_pce(cap, state.own_util()[:, uniq])
    return pu @ state.x[uniq]


def best_challenges(state: SMPState, sal: FloatArray, cap: FloatArray) -> tuple[
    NDArray[np.int64], FloatArray, FloatArray
]:
    """For every initiator i (estimating for itself): best target j (−1 if none), P_ij, gain."""
    n = state.x.shape[0]
    s_tot = sal.sum(axis=1)
    w = s_tot * cap  # influence of a principal or third party
    r_hi = state.est_risk()
    target = np.full(n, -1, dtype=np.int64)
    prob = np.zeros(n)
    gain = np.zeros(n)
    block = max(1, CHUNK_ELEMENTS // max(1, n * n))
    idx = np.arange(n)
    dist = state.dist
    slope = np.minimum(dist, 1.0)  # u(d, R) = (1 − d)(1 + min(d, 1) R): KTAB's d > 1 branch too

    def u_est(rows: NDArray[np.int64], a: NDArray[np.int64], x: NDArray[np.int64]) -> FloatArray:
        """U^h_ax for estimators h = rows (broadcast with a, x)."""
        return (1.0 - dist[a, x]) * (1.0 + slope[a, x] * r_hi[rows, a])

    for h0 in range(0, n, block):
        hs = idx[h0 : h0 + block]
        b = hs.size
        bi = np.arange(b)
        h_col = hs[:, None]
        u_ii = u_est(hs, hs, hs)  # (b,)
        u_ij = u_est(h_col, h_col, idx[None, :])  # (b, j)
        u_ji = u_est(h_col, idx[None, :], h_col)  # (b, j)
        u_jj = u_est(h_col, idx[None, :], idx[None, :])  # (b, j)
        a_i = w[hs][:, None] * (u_ii[:, None] - u_ij)
        a_j = w[None, :] * (u_ji - u_jj)
        c_ij0 = MIN_CHALLENGE_COALITION + np.maximum(a_i, 0) + np.maximum(a_j, 0)  # (b, j)
        c_ji0 = MIN_CHALLENGE_COALITION + np.maximum(-a_i, 0) + np.maximum(-a_j, 0)
        # third parties n on axes (b, n, j), estimator h's utilities U_nj, U_ni, U_nn;
        # little contest: π_n = (C_ij + max(0, v)) / (C_ij + C_ji + |v|), v = w_n (U_ni − U_nj);
        # semi-commit vote, simplified: w_n [π (U_nn − U_ni) + (1 − π)(U_nj − U_nn)].
        # One fused pass (numexpr) over the actor triples instead of a dozen: it is memory-bound.
        u_nj = "((1.0 - d) * (1.0 + s * r))"
        v = f"(w * (uni - {u_nj}))"
        v_tp = numexpr.evaluate(
            f"(({u_nj} - unn) + ((cij + where({v} > 0, {v}, 0)) / (cs + abs({v})))"
            f" * ((unn - uni) - ({u_nj} - unn))) * w",
            local_dict={
                "d": dist[None], "s": slope[None], "r": r_hi[hs][:, :, None],
                "unn": u_jj[:, :, None], "uni": u_ji[:, :, None],
                "cij": c_ij0[:, None, :], "cs": (c_ij0 + c_ji0)[:, None, :],
                "w": w[None, :, None],
            },
        )
        v_tp[bi, hs, :] = 0.0  # n == i: already counted as a principal
        v_tp[:, idx, idx] = 0.0  # n == j
        total = v_tp.sum(axis=1)
        pos = np.maximum(v_tp, 0, out=v_tp).sum(axis=1)
        c_ij = c_ij0 + pos
        c_ji = c_ji0 + (pos - total)
        p_ij = c_ij / (c_ij + c_ji)
        eu_vict = 2 * u_ii[:, None]
        eu_cntst = p_ij * 2 * u_ii[:, None] + (1 - p_ij) * 2 * u_ij
        eu_chlg = (1 - s_tot[None, :]) * eu_vict + s_tot[None, :] * eu_cntst
        du = eu_chlg - (u_ii[:, None] + u_ij)
        du[bi, hs] = -np.inf
        cand = np.where(du > MIN_SIG_GAIN, du, -np.inf)
        best = np.argmax(cand, axis=1)
        ok = np.isfinite(cand[bi, best])
        target[hs] = np.where(ok, best, -1)
        prob[hs] = p_ij[bi, best]
        gain[hs] = du[bi, best]
    return target, prob, gain


def interpolate_bargains(
    xi: FloatArray, si: FloatArray, xj: FloatArray, sj: FloatArray, p: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """S2P2 bargains (rows = bargains): w_i = s_i² P², w_j = s_j² (1 − P)²."""
    wi = si**2 * (p**2)[:, None]
    wj = sj**2 * ((1 - p) ** 2)[:, None]
    den = wi + MIN_BARGAIN_WEIGHT + wj
    bi = round4(((wi + MIN_BARGAIN_WEIGHT) * xi + wj * xj) / den)
    bj = round4((wi * xi + (MIN_BARGAIN_WEIGHT + wj) * xj) / den)
    return bi, bj


def step(state: SMPState, sal: FloatArray, cap: FloatArray) -> FloatArray:
    """One turn of challenges, bargains and choices; returns the new positions."""
    x = state.x
    n = x.shape[0]
    target, prob, _ = best_challenges(state, sal, cap)
    inits = np.flatnonzero(target >= 0)
    tgts = target[inits]
    b_init, b_rcvr = interpolate_bargains(x[inits], sal[inits], x[tgts], sal[tgts], prob[inits])

    r_own = np.diag(state.est_risk())
    u_own = state.own_util()  # (a, x)
    row_sum = u_own.sum(axis=1)
    u_bi = utility(sal_distance(x, b_init, sal), r_own[:, None])  # (a, m)
    u_bj = utility(sal_distance(x, b_rcvr, sal), r_own[:, None])
    u_brgn = (row_sum[:, None] - u_own[:, inits] - u_own[:, tgts] + u_bi + u_bj) / n
    u_sq = row_sum / n

    has_bargain = np.full(n, -1)
    has_bargain[inits] = np.arange(inits.size)
    incoming: list[list[int]] = [[] for _ in range(n)]
    for m, j in enumerate(tgts):  # inits ascend, so each list is in initiator order
        incoming[int(j)].append(m)
    new_x = x.copy()
    for k in range(n):
        # options in KTAB's order: by initiator, k's status quo just before k's own bargain
        opts = [m for m in incoming[k] if inits[m] < k] + [-1]  # -1 = status quo
        if has_bargain[k] >= 0:
            opts.append(int(has_bargain[k]))
        opts += [m for m in incoming[k] if inits[m] > k]
        if len(opts) == 1:
            continue
        cols = [u_sq if m < 0 else u_brgn[:, m] for m in opts]
        if len(opts) == 2:  # two options: the stronger coalition is the more likely
            v = cap * (cols[0] - cols[1])
            c01 = MIN_COALITION + v[v > 0].sum()
            c10 = MIN_COALITION - v[v < 0].sum()
            best = opts[0] if c01 / (c01 + c10) >= c10 / (c01 + c10) else opts[1]
        else:
            best = opts[int(np.argmax(scalar_pce(cap, np.column_stack(cols))))]
        if best >= 0:
            new_x[k] = b_init[best] if inits[best] == k else b_rcvr[best]
    return new_x


def run(
    x0: FloatArray, sal: FloatArray, cap: FloatArray, *, max_turns: int = MAX_TURNS,
    min_turns: int = MIN_TURNS, min_delta_ratio: float = MIN_DELTA_RATIO,
) -> tuple[list[SMPState], FloatArray]:
    """Run to KTAB's stopping rule; returns the states (turn 0..T) and probabilities (T+1, n)."""
    x0 = np.asarray(x0, dtype=float)
    sal = np.asarray(sal, dtype=float)
    cap = np.asarray(cap, dtype=float)
    states = [assess(x0, sal, cap)]
    d01 = 0.0
    t = 0
    while True:
        t += 1
        new_x = step(states[-1], sal, cap)
        states.append(assess(new_x, sal, cap))
        moved = float(np.linalg.norm(new_x - states[-2].x, axis=1).sum())
        if t == 1:
            d01 = moved + MIN_SIG_DELTA
        if t >= max_turns or (t >= min_turns and moved / d01 < min_delta_ratio):
            break
    probs = np.array([turn_probabilities(s, cap) for s in states])
    return states, probs


def predict(table: IssueTable) -> Prediction:
    """SMP forecast: trajectories, per-turn probabilities, and the expected final position."""
    x0 = table.unit_positions()
    states, probs = run(x0, table.salience, table.capability)
    history = np.stack([table.from_unit(s.x) for s in states])
    outcome = table.from_unit(expected_position(states[-1], table.capability))
    notes: list[str] = []
    if len(states) - 1 >= MAX_TURNS:
        notes.append(f"smp: stopped at the {MAX_TURNS}-turn limit without settling")
    return Prediction(
        model="smp", issue=table.issue, outcome=outcome, dimensions=table.dimensions,
        history=history, probabilities=probs, notes=notes, turns=len(states) - 1,
    )
