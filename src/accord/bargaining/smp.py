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
from functools import cached_property

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
# Actor-triple temporaries are processed in blocks small enough to stay in cache (floats per
# array); NumPy's separate passes over such blocks beat one fused numexpr pass over the whole.
BLOCK_ELEMENTS = 16_384  # third-party votes in best_challenges (three temporaries)
COALITION_BLOCK_ELEMENTS = 65_536  # coalitions (one temporary)
# Choices among 3..7 options share one padded batch: NumPy sums up to 7 terms in order, so the
# padding's zeros change no bit (from 8 terms on it unrolls 8 partial sums, and they would).
PAD_OPTIONS = 7


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
    """u(d, R) = (1 − d)(1 + d R) for d ≤ 1, else (1 − d)(1 + R): (1 − d)(1 + min(d, 1) R)."""
    return (1.0 - sd) * (1.0 + np.minimum(sd, 1.0) * big_r)


def coalitions(w: FloatArray, u: FloatArray) -> FloatArray:
    """C[i, j] = 1e-8 + Σ_k max(0, w_k (u_ki − u_kj)) over options i, j (proportional votes)."""
    return batch_coalitions(w, u[None])[0]


def batch_coalitions(w: FloatArray, u: FloatArray) -> FloatArray:
    """coalitions() for a stack of utility tables u (g, actors, options) → C (g, m, m).

    The sum over voters k runs in voter order (a non-contiguous axis), so every table's C is
    bit-identical to computing it on its own. Rows go in blocks whose (g, k, i, j) temporary
    stays in cache (NumPy's separate passes then beat one fused numexpr pass)."""
    g, k, m = u.shape
    c = np.empty((g, m, m))
    rows = max(1, COALITION_BLOCK_ELEMENTS // max(1, g * k * m))
    wk = w[None, :, None, None]
    for i0 in range(0, m, rows):
        v = np.subtract(u[:, :, i0 : i0 + rows, None], u[:, :, None, :])
        v *= wk
        np.maximum(v, 0.0, out=v)
        c[:, i0 : i0 + rows] = MIN_COALITION + v.sum(axis=1)
    diag = np.arange(m)
    c[:, diag, diag] = MIN_COALITION
    return c


def victory_prob(c: FloatArray) -> FloatArray:
    """Linear law: P[i > j] = C_ij / (C_ij + C_ji), with P[i > i] = ½ (c: (m, m) or (g, m, m))."""
    p = c / (c + np.swapaxes(c, -1, -2))
    diag = np.arange(c.shape[-1])
    p[..., diag, diag] = 0.5
    return p


def conditional_pce(c: FloatArray) -> FloatArray:
    """p_i ∝ Π_j P[i > j] (KTAB ConditionalPCM), computed in logs; c (m, m) or (g, m, m)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        logp = np.log(victory_prob(c)).sum(axis=-1)
        p = np.exp(logp - logp.max(axis=-1, keepdims=True))
    p /= p.sum(axis=-1, keepdims=True)
    degenerate = ~np.isfinite(logp).any(axis=-1)  # every option impossible: uniform
    if np.any(degenerate):
        p[degenerate] = 1.0 / c.shape[-1]
    return p


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


def unique_positions(
    x: FloatArray, tol: float = POS_TOL
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """KTAB ueIndices: first occurrences of positions within tol (Euclidean), and per actor
    the index (into the uniques) of the LAST unique position equivalent to it (posProb)."""
    dist = np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(axis=2))
    equiv = dist < tol
    earlier = np.tril(equiv, -1)  # earlier[i, k]: k < i is equivalent to i
    # i is unique iff no earlier unique position is equivalent to it. That recursion has one
    # solution; iterating it from "no earlier equivalent at all" reaches it (usually at once).
    is_u = ~earlier.any(axis=1)
    while True:
        nxt = ~(earlier & is_u[None, :]).any(axis=1)
        if np.array_equal(nxt, is_u):
            break
        is_u = nxt
    uniq = np.flatnonzero(is_u)
    eq_u = equiv[:, uniq]  # (n, nu)
    last = eq_u.shape[1] - 1 - np.argmax(eq_u[:, ::-1], axis=1)
    return uniq, last


# ------------------------------------------------------------------------------------- state
@dataclass
class SMPState:
    """One turn: positions and everything derived from them (derived arrays cached: read-only)."""

    x: FloatArray  # (n, d)
    dist: FloatArray  # (n, n) d_i(x_i, x_j)
    risk: FloatArray  # (n,) R_i
    cap: FloatArray | None = None  # (n,) capabilities, for the per-turn probabilities

    def est_risk(self) -> FloatArray:
        """R_hi = (2 R_h + R_i) / 3, shape (h, i)."""
        return self._est_risk

    def own_risk(self) -> FloatArray:
        """R_ii = (2 R_i + R_i) / 3 (the diagonal of est_risk, same arithmetic)."""
        return self._own_risk

    def own_util(self) -> FloatArray:
        """U_ij = U^i_ij = u(d_i(x_i, x_j), R_ii): each actor's view of every position."""
        return self._own_util

    @cached_property
    def _est_risk(self) -> FloatArray:
        return (2.0 * self.risk[:, None] + self.risk[None, :]) / 3.0

    @cached_property
    def _own_risk(self) -> FloatArray:
        return (2.0 * self.risk + self.risk) / 3.0

    @cached_property
    def _own_util(self) -> FloatArray:
        return utility(self.dist, self._own_risk[:, None])

    @cached_property
    def _unique_pce(self) -> tuple[NDArray[np.int64], NDArray[np.int64], FloatArray]:
        """Unique positions, each actor's unique position, and the uniques' PCE (weights c)."""
        assert self.cap is not None
        uniq, owner = unique_positions(self.x)
        return uniq, owner, scalar_pce(self.cap, self._own_util[:, uniq])


def assess(x: FloatArray, sal: FloatArray, cap: FloatArray) -> SMPState:
    """Distances, risk-neutral PCE, and risk attitudes R_i for positions x."""
    dist = sal_distance(x, x, sal)
    rn_util = utility(dist, 0.0)
    p = scalar_pce(cap, rn_util)
    return SMPState(x=x, dist=dist, risk=big_r_from_prob(p), cap=cap)


def _unique_pce(state: SMPState, cap: FloatArray) -> tuple[
    NDArray[np.int64], NDArray[np.int64], FloatArray
]:
    """(uniques, owner, their PCE), cached on the state when computed with its capabilities."""
    if state.cap is cap:
        return state._unique_pce
    uniq, owner = unique_positions(state.x)
    return uniq, owner, scalar_pce(cap, state.own_util()[:, uniq])


def turn_probabilities(state: SMPState, cap: FloatArray) -> FloatArray:
    """Each actor's position's probability of prevailing (KTAB pDist(-1) + posProb)."""
    _, owner, pu = _unique_pce(state, cap)
    return pu[owner]


def expected_position(state: SMPState, cap: FloatArray) -> FloatArray:
    """Probability-weighted mean of the unique positions (our point forecast)."""
    uniq, _, pu = _unique_pce(state, cap)
    return pu @ state.x[uniq]


def _third_party_votes(
    omd: FloatArray, slope: FloatArray, r: FloatArray, unn: FloatArray, uni: FloatArray,
    cij: FloatArray, cs: FloatArray, w: FloatArray,
) -> FloatArray:
    """Semi-committed third-party votes v[i, n, j] (see best_challenges); arguments broadcast to
    (b, n, j): omd = 1 − d and slope (1, n, j), r (b, n, 1), unn, uni (b, n, 1), cij, cs
    (b, 1, j), w (1, n, 1). In place, three temporaries of one block."""
    u_nj = np.multiply(slope, r)
    u_nj += 1.0
    u_nj *= omd  # U_nj = (1 − d)(1 + s r)
    v = np.subtract(uni, u_nj)
    v *= w  # v = w_n (U_ni − U_nj)
    den = np.abs(v)
    den += cs
    pi = np.maximum(v, 0.0, out=v)
    pi += cij
    pi /= den  # π = (C_ij + max(0, v)) / (C_ij + C_ji + |v|)
    u_nj -= unn  # U_nj − U_nn
    out = np.subtract(unn - uni, u_nj, out=den)
    out *= pi
    out += u_nj
    out *= w  # w_n [(U_nj − U_nn) + π ((U_nn − U_ni) − (U_nj − U_nn))]
    return out


def best_challenges(state: SMPState, sal: FloatArray, cap: FloatArray) -> tuple[
    NDArray[np.int64], FloatArray, FloatArray
]:
    """For every initiator i (estimating for itself): best target j (−1 if none), P_ij, gain."""
    n = state.x.shape[0]
    s_tot = sal.sum(axis=1)
    w = s_tot * cap  # influence of a principal or third party
    r_hi = state.est_risk()
    idx = np.arange(n)
    dist = state.dist
    slope = np.minimum(dist, 1.0)  # u(d, R) = (1 − d)(1 + min(d, 1) R): KTAB's d > 1 branch too
    omd = 1.0 - dist
    # estimator h = initiator i (rows), target j (columns): U^i_ii, U^i_ij, U^i_ji, U^i_jj
    u_ii = omd[idx, idx] * (1.0 + slope[idx, idx] * r_hi[idx, idx])  # (i,)
    u_ij = omd * (1.0 + slope * r_hi[idx, idx][:, None])  # (i, j)
    u_ji = omd.T * (1.0 + slope.T * r_hi)
    u_jj = omd[idx, idx][None, :] * (1.0 + slope[idx, idx][None, :] * r_hi)
    a_i = w[:, None] * (u_ii[:, None] - u_ij)
    a_j = w[None, :] * (u_ji - u_jj)
    c_ij0 = MIN_CHALLENGE_COALITION + np.maximum(a_i, 0) + np.maximum(a_j, 0)  # (i, j)
    c_ji0 = MIN_CHALLENGE_COALITION + np.maximum(-a_i, 0) + np.maximum(-a_j, 0)
    c_sum0 = c_ij0 + c_ji0
    # third parties n on axes (i, n, j), estimator i's utilities U_nj, U_ni, U_nn;
    # little contest: π_n = (C_ij + max(0, v)) / (C_ij + C_ji + |v|), v = w_n (U_ni − U_nj);
    # semi-commit vote, simplified: w_n [π (U_nn − U_ni) + (1 − π)(U_nj − U_nn)].
    # Blocks of initiators small enough for the (i, n, j) temporaries to stay in cache.
    total = np.empty((n, n))
    pos = np.empty((n, n))
    n_blocks = -(-n // max(1, BLOCK_ELEMENTS // max(1, n * n)))
    block = -(-n // n_blocks)  # equal blocks
    for h0 in range(0, n, block):
        hs = idx[h0 : h0 + block]
        v_tp = _third_party_votes(
            omd[None], slope[None], r_hi[hs][:, :, None], u_jj[hs][:, :, None],
            u_ji[hs][:, :, None], c_ij0[hs][:, None, :], c_sum0[hs][:, None, :], w[None, :, None],
        )
        v_tp[np.arange(hs.size), hs, :] = 0.0  # n == i: already counted as a principal
        v_tp[:, idx, idx] = 0.0  # n == j
        total[hs] = v_tp.sum(axis=1)
        pos[hs] = np.maximum(v_tp, 0, out=v_tp).sum(axis=1)
    c_ij = c_ij0 + pos
    c_ji = c_ji0 + (pos - total)
    p_ij = c_ij / (c_ij + c_ji)
    eu_vict = 2 * u_ii[:, None]
    eu_cntst = p_ij * 2 * u_ii[:, None] + (1 - p_ij) * 2 * u_ij
    eu_chlg = (1 - s_tot[None, :]) * eu_vict + s_tot[None, :] * eu_cntst
    du = eu_chlg - (u_ii[:, None] + u_ij)
    du[idx, idx] = -np.inf
    cand = np.where(du > MIN_SIG_GAIN, du, -np.inf)
    best = np.argmax(cand, axis=1)
    ok = np.isfinite(cand[idx, best])
    target = np.where(ok, best, -1).astype(np.int64)
    return target, p_ij[idx, best], du[idx, best]


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


def option_lists(n: int, inits: NDArray[np.int64], tgts: NDArray[np.int64]) -> tuple[
    NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]
]:
    """Every actor's options in KTAB's order: by initiator, its status quo just before its own
    bargain. Options are 0 = status quo, 1 + m = bargain m. Returns (options flat, start, count)
    with actor k's options at flat[start[k] : start[k] + count[k]]."""
    m = np.arange(inits.size)
    owner = np.concatenate([inits, tgts, np.arange(n)])
    key = np.concatenate([2 * inits + 1, 2 * inits + 1, 2 * np.arange(n)])  # status quo: 2k
    opt = np.concatenate([1 + m, 1 + m, np.zeros(n, dtype=np.int64)])
    order = np.lexsort((key, owner))
    count = np.bincount(owner, minlength=n)
    start = np.concatenate([[0], np.cumsum(count)[:-1]])
    return opt[order], start, count


def _choose(cap: FloatArray, u_opt: FloatArray, opts: NDArray[np.int64]) -> NDArray[np.int64]:
    """Most likely option (first on ties) of each row of opts (g, L), option utilities u_opt
    (voters, options), by the conditional PCE; a −1 in opts pads a shorter row."""
    g, n_opt = opts.shape
    n = u_opt.shape[0]
    pad = opts < 0
    pick = np.empty(g, dtype=np.int64)
    per = max(1, COALITION_BLOCK_ELEMENTS // (n * n_opt * n_opt))
    for g0 in range(0, g, per):
        sl = slice(g0, g0 + per)
        u_g = u_opt[:, opts[sl]].transpose(1, 0, 2)  # (g, voters, L); pads: any column
        c = batch_coalitions(cap, u_g)
        with np.errstate(divide="ignore", invalid="ignore"):
            p = victory_prob(c)
            p[pad[sl][:, None, :] & ~pad[sl][:, :, None]] = 1.0  # log 1 = 0: adds nothing
            logp = np.log(p).sum(axis=-1)
            logp[pad[sl]] = -np.inf
            q = np.exp(logp - logp.max(axis=-1, keepdims=True))
        q /= q.sum(axis=-1, keepdims=True)
        q[~np.isfinite(logp).any(axis=-1)] = 1.0  # every option impossible: uniform
        pick[sl] = np.argmax(q, axis=1)
    return pick


def step(state: SMPState, sal: FloatArray, cap: FloatArray) -> FloatArray:
    """One turn of challenges, bargains and choices; returns the new positions."""
    x = state.x
    n = x.shape[0]
    target, prob, _ = best_challenges(state, sal, cap)
    inits = np.flatnonzero(target >= 0)
    tgts = target[inits]
    new_x = x.copy()
    if inits.size == 0:
        return new_x
    b_init, b_rcvr = interpolate_bargains(x[inits], sal[inits], x[tgts], sal[tgts], prob[inits])

    r_own = state.own_risk()
    u_own = state.own_util()  # (a, x)
    row_sum = u_own.sum(axis=1)
    m = inits.size
    u_b = utility(sal_distance(x, np.concatenate([b_init, b_rcvr]), sal), r_own[:, None])
    u_bi, u_bj = u_b[:, :m], u_b[:, m:]  # (a, m) each: initiators' and receivers' bargains
    u_brgn = (row_sum[:, None] - u_own[:, inits] - u_own[:, tgts] + u_bi + u_bj) / n
    u_opt = np.empty((n, 1 + m))  # option utilities: status quo, then bargains
    u_opt[:, 0] = row_sum / n
    u_opt[:, 1:] = u_brgn

    flat, start, count = option_lists(n, inits, tgts)
    # Actors with 2 options: the stronger coalition. With 3 to PAD_OPTIONS: one batch, rows
    # padded (the padding leaves every real sum's terms and order unchanged). More: by count.
    groups = [count == 2, (count > 2) & (count <= PAD_OPTIONS)]
    # (sorted(set()) rather than np.unique, which imports numpy.ma: CLI start-up)
    groups += [count == c for c in sorted(set(count[count > PAD_OPTIONS].tolist()))]
    for sel in groups:
        ks = np.flatnonzero(sel)
        if ks.size == 0:
            continue
        n_opt = int(count[ks].max())
        at = start[ks][:, None] + np.arange(n_opt)
        real = np.arange(n_opt) < count[ks][:, None]
        opts = np.where(real, flat[np.where(real, at, 0)], -1)  # (g, n_opt), −1 = padding
        if n_opt == 2:
            v = cap[:, None] * (u_opt[:, opts[:, 0]] - u_opt[:, opts[:, 1]])  # (voters, g)
            c01 = MIN_COALITION + np.maximum(v, 0.0).sum(axis=0)
            c10 = MIN_COALITION - np.minimum(v, 0.0).sum(axis=0)
            pick = np.where(c01 / (c01 + c10) >= c10 / (c01 + c10), 0, 1)
        else:
            pick = _choose(cap, u_opt, opts)
        best = opts[np.arange(ks.size), pick] - 1  # bargain index, −1 = status quo
        moved = best >= 0
        ks, best = ks[moved], best[moved]
        new_x[ks] = np.where((inits[best] == ks)[:, None], b_init[best], b_rcvr[best])
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
