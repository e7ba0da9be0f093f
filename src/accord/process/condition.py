"""Conditioning the event process on observations: likelihood weighting, observed events clamped.

Months 1..S are observed (`accord.scenario.observations.ObservedMonths`). Each path is simulated
from the scenario's as_of as usual, except that in an observed month an observed event does not
draw its uniform: it is forced to fire (`on:`) or not to fire (`not_by:`, and the months before
a once-only event's `on:`), and the path's weight is multiplied by the probability of that forced
outcome under the path's own state and parameters (p where it was enabled, 0 where it could not
fire; 1 − p, or 1 where it was not enabled). A `count:` keeps only the paths with that count at
the end of its month (weight 0 elsewhere); `cancelled:` cancels the event from the end of month
S on. Everything not observed is sampled as usual, so latent events keep the uncertainty of
their unobserved past (an event whose `when` held only before an observed event may or may not
have happened), and each path's weight is the probability of the observed history along it.

So a path's weight w is an unbiased estimate of P(observations | its parameter draw): the mean
weight of a draw's K paths estimates that draw's likelihood, and weighting every path by w
gives forecasts under the posterior over parameters (likelihood weighting, self-normalised).
The effective sample size (Σw)² / Σw² says how many unweighted paths the weighted ones are
worth; runs add paths until it reaches the paths asked for.

The weighted sums are additive per chunk (`WeightedSummary`), like `Summary`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord.process import montecarlo as mc
from accord.process.compile import State
from accord.process.driver import IssueOutcomes, Paths, Progress, Recipe, block_chunks
from accord.process.forecast import (
    BAND,
    CurveStats,
    EventForecast,
    Forecast,
    answers,
)
from accord.process.orders import PathOrder, label, packing, rank_matrix
from accord.process.step import MonthHook, Parts, Plan, Truth, eligible_into, scheduled_ok
from accord.process.summary import RunShape, hist_index
from accord.process.thresholds import ALWAYS, NEVER, TWO32, Threshold
from accord.process.virtual import sign_weights
from accord.scenario.calendar import add_months
from accord.scenario.draws import Draws
from accord.scenario.model import Scenario
from accord.scenario.observations import ObservedMonths


class Clamp:
    """The per-chunk clamps and the paths' weights (the month step's `ClampHook`)."""

    def __init__(self, om: ObservedMonths, n_paths: int) -> None:
        self.om = om
        self.w = np.ones(n_paths)
        self._now: dict[int, bool] = {}
        self._fired: dict[int, np.ndarray] = {}
        self._by_month = {t: om.clamps(t) for t in range(1, om.months + 1)}

    def month(self, t: int) -> dict[int, bool] | None:
        self._now = self._by_month.get(t) or {}
        self._fired = {}
        return self._now or None

    def _prob(self, th: Threshold, shape: tuple[int, int]) -> float | np.ndarray:
        if th is NEVER:
            return 0.0
        if th is ALWAYS:
            return 1.0
        limit, sure = th
        p = np.asarray(limit, dtype=float) / TWO32
        if p.ndim:
            p = np.broadcast_to(p, shape).reshape(-1)
        if sure is not None:
            p = np.where(np.broadcast_to(sure, shape).reshape(-1), 1.0, p)
        return p

    def stochastic(self, e: int, kind: str, cond: Truth, row: np.ndarray, s: State,
                   threshold: Callable[[], Threshold], shape: tuple[int, int]) -> None:
        if cond is False:
            row[:] = False
        else:
            eligible_into(row, kind, e, s, cond)
        p = self._prob(threshold(), shape) if row.any() else 0.0
        if self._now[e]:
            self.w *= np.where(row, p, 0.0)
            self._fired[e] = row.copy()
        else:
            self.w *= np.where(row, 1.0 - np.asarray(p), 1.0)
        if kind == "chance":
            np.logical_or(s.res[e], row, out=s.res[e])

    def scheduled(self, e: int, due: bool, cond: Truth, s: State) -> None:
        ok = np.zeros(self.w.shape, bool)
        if due and cond is not False:
            ok = scheduled_ok(e, s, cond)
        if self._now[e]:
            self.w *= ok
            self._fired[e] = ok
        else:
            self.w *= ~ok

    def take(self) -> dict[int, np.ndarray]:
        out = {e: f for e, f in self._fired.items() if f.any()}
        self._fired = {}
        return out

    def end_month(self, t: int, s: State) -> None:
        for r, n in self.om.counts.get(t, ()):
            self.w[s.count[r] != n] = 0.0
        if t == self.om.months:
            for r in self.om.cancel:
                s.canc[r] = True


@dataclass
class WeightedSummary(RunShape):
    """Additive weighted sums of a conditioned run's paths, per parameter draw."""

    whist: np.ndarray  # (draws, events, H + 2): Σ w by first-occurrence step (H + 1 = never)
    whist2: np.ndarray  # the same with w²
    wsum: np.ndarray  # (draws,): Σ w
    wsq: np.ndarray  # (draws,): Σ w²
    per_draw: np.ndarray  # (draws,) int64: paths
    wcount: np.ndarray  # (draws, repeatables): Σ w · count at the horizon
    orders: dict[object, float] = field(default_factory=dict)  # order key → Σ w

    @classmethod
    def empty(cls, plan: Plan, m: int, k: int, seed: int) -> WeightedSummary:
        e, h, r = len(plan.ids), plan.horizon, len(plan.rep_rows)
        return cls(plan.ids, plan.kinds, [plan.ids[i] for i in plan.rep_rows], h, m, k, seed,
                   np.zeros((m, e, h + 2)), np.zeros((m, e, h + 2)), np.zeros(m), np.zeros(m),
                   np.zeros(m, np.int64), np.zeros((m, r)))

    @property
    def n_paths(self) -> int:
        return int(self.per_draw.sum())

    @property
    def ess(self) -> float:
        """Effective number of paths, (Σw)² / Σw²."""
        total, sq = float(self.wsum.sum()), float(self.wsq.sum())
        return total * total / sq if sq > 0 else 0.0

    @property
    def likelihood(self) -> np.ndarray:
        """Per draw: the mean path weight, an unbiased estimate of P(observations | draw)."""
        return self.wsum / np.maximum(self.per_draw, 1)

    @property
    def draw_ess(self) -> float:
        lk = self.likelihood
        sq = float((lk * lk).sum())
        return float(lk.sum()) ** 2 / sq if sq > 0 else 0.0

    def add_paths(self, first: np.ndarray, count: np.ndarray, draw: np.ndarray,
                  w: np.ndarray) -> WeightedSummary:
        if first.shape[0] == 0:
            return self
        h, e = self.horizon, len(self.event_ids)
        d0, d1, local, idx = hist_index(first, draw, h)
        nd = d1 - d0
        ww = np.repeat(w, e)
        size = nd * e * (h + 2)
        self.whist[d0:d1] += np.bincount(idx, weights=ww, minlength=size).reshape(nd, e, h + 2)
        self.whist2[d0:d1] += np.bincount(idx, weights=ww * ww, minlength=size).reshape(
            nd, e, h + 2)
        self.wsum[d0:d1] += np.bincount(local, weights=w, minlength=nd)
        self.wsq[d0:d1] += np.bincount(local, weights=w * w, minlength=nd)
        self.per_draw[d0:d1] += np.bincount(local, minlength=nd)
        for r in range(count.shape[1]):
            self.wcount[d0:d1, r] += np.bincount(local, weights=w * count[:, r], minlength=nd)
        bits = packing(e)
        alive = w > 0
        if bits is not None and alive.any():
            ranks = rank_matrix(first[alive]).astype(np.int64)
            keys = (ranks << (np.arange(e, dtype=np.int64) * bits)).sum(axis=1)
            uniq, inv = np.unique(keys, return_inverse=True)
            sums = np.bincount(inv, weights=w[alive])
            for key, v in zip(uniq.tolist(), sums.tolist(), strict=True):
                self.orders[key] = self.orders.get(key, 0.0) + v
        return self

    def merge(self, other: WeightedSummary) -> WeightedSummary:
        out = WeightedSummary(
            self.event_ids, self.kinds, self.repeatable_ids, self.horizon, self.n_draws,
            self.paths_per_draw, self.seed, self.whist + other.whist,
            self.whist2 + other.whist2, self.wsum + other.wsum, self.wsq + other.wsq,
            self.per_draw + other.per_draw, self.wcount + other.wcount, dict(self.orders))
        for key, v in other.orders.items():
            out.orders[key] = out.orders.get(key, 0.0) + v
        return out


def weighted_summary_of(recipe: Recipe, block_range: tuple[int, int] | None = None,
                        progress: Progress | None = None) -> WeightedSummary:
    """The weighted summary of the recipe's M × K paths conditioned on its observations (or of
    blocks [first, stop) of them).

    The paths are those of `montecarlo.paths_of` with the same seed (same blocks, same
    streams): only the observed events' uniforms in the observed months are skipped."""
    plan, m, chunks = _chunks(recipe, block_range, progress=progress)
    out = WeightedSummary.empty(plan, m, recipe.paths_per_draw, recipe.seed)
    for draw_idx, (first, _, count), w in chunks:
        out.add_paths(first, count, draw_idx, w)
    return out


def conditioned_summary(
    scenario: Scenario,
    draws: Draws,
    paths_per_draw: int,
    seed: int,
    observed: ObservedMonths,
    issue_outcomes: IssueOutcomes | None = None,
    block_range: tuple[int, int] | None = None,
    progress: Progress | None = None,
) -> WeightedSummary:
    """`weighted_summary_of` the recipe of these parts."""
    recipe = Paths(scenario, draws, paths_per_draw, seed, issue_outcomes, observed)
    return weighted_summary_of(recipe, block_range, progress)


def weighted_chunks_of(recipe: Recipe, progress: Progress | None = None,
                       block_range: tuple[int, int] | None = None,
                       ) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(draw of each path, first_step (paths, events), weight) a chunk at a time."""
    _, _, chunks = _chunks(recipe, block_range, progress=progress)
    for draw_idx, (first, _, _), w in chunks:
        yield draw_idx, first, w


def weighted_snapshots_of(recipe: Recipe, steps: Iterable[int],
                          ) -> Iterator[tuple[dict[int, State], np.ndarray]]:
    """`montecarlo.snapshots_of` of the conditioned paths: (step → state copy, weight)."""
    keep, kept = mc.snapshot_keeper(steps)
    _, _, chunks = _chunks(recipe, on_month=keep)
    for _, _, w in chunks:
        yield dict(kept), w
        kept.clear()


def _chunks(recipe: Recipe, block_range: tuple[int, int] | None = None,
            *, progress: Progress | None = None, on_month: MonthHook | None = None,
            ) -> tuple[Plan, int, Iterator[tuple[np.ndarray, Parts, np.ndarray]]]:
    """The driver's chunks with the recipe's observed events clamped: (draw of each path, its
    parts, its weight)."""
    observed, draws = recipe.observed, recipe.draws
    if observed is None:
        raise ValueError("a conditioned run needs observations")
    run = block_chunks(recipe, mc.blocking(), block_range, progress=progress, on_month=on_month,
                       clamp_for=lambda width: Clamp(observed, width))

    def weighted() -> Iterator[tuple[np.ndarray, Parts, np.ndarray]]:
        for c in run.chunks:
            w = c.clamp.w if c.clamp is not None else np.ones(len(c.draw))
            if observed.signs:  # soft evidence: weights on the finished paths
                w = w * sign_weights(observed.signs, c.parts[0], c.draw, draws)
            yield c.draw, c.parts, w

    return run.plan, run.n_draws, weighted()


# --- the forecast ---------------------------------------------------------------------------


def weighted_quantile(x: np.ndarray, w: np.ndarray, qs: tuple[float, ...]) -> np.ndarray:
    """Quantiles of x under weights w (the midpoint rule of the weighted empirical CDF)."""
    order = np.argsort(x, kind="stable")
    xs, ws = x[order], w[order]
    cw = np.cumsum(ws)
    if cw[-1] <= 0:
        return np.full(len(qs), np.nan)
    cdf = (cw - 0.5 * ws) / cw[-1]
    return np.interp(qs, cdf, xs)


def _band(per_draw: np.ndarray, lk: np.ndarray, keff: np.ndarray, draw_ess: float,
          ) -> np.ndarray | None:
    """5–95% over the posterior's parameter draws, with the Monte Carlo noise of each draw's
    weighted paths removed as `forecast.parameter_band` does (shrinking towards the mean)."""
    if per_draw.shape[0] < 2 or draw_ess < 10:
        return None
    wn = lk / lk.sum()
    mean = (wn[:, None] * per_draw).sum(axis=0)
    obs = (wn[:, None] * (per_draw - mean) ** 2).sum(axis=0)
    noise = (wn[:, None] * per_draw * (1 - per_draw) / np.maximum(keff - 1, 1)[:, None]).sum(0)
    sigma2 = obs - noise
    out = np.full((2, per_draw.shape[1]), np.nan)
    for s in range(per_draw.shape[1]):
        if sigma2[s] > 1e-12 and obs[s] > 0:
            raw = weighted_quantile(per_draw[:, s], lk, BAND)
            out[:, s] = np.clip(mean[s] + np.sqrt(sigma2[s] / obs[s]) * (raw - mean[s]), 0, 1)
    return out


def influence(summ: WeightedSummary, e: int) -> np.ndarray:
    """Per draw d and step t, z_dt = (a_dt − p_t b_d) / Σ_d b_d, where a_dt = Σ w [event e by
    t] and b_d = Σ w over draw d's paths, and p_t = Σ a_dt / Σ b_d.

    The self-normalised estimate p_t is a ratio of sums over independent draws; by the delta
    method its variance is D/(D − 1) Σ_d z_dt² (clustered by draw). Two runs on the same draws
    and dice are paired: the variance of p_B − p_A is D/(D − 1) Σ_d (z_B − z_A)², with D the
    draws either run weighs. Shape (draws, H + 1)."""
    a = np.cumsum(summ.whist[:, e, : summ.horizon + 1], axis=1)
    total = float(summ.wsum.sum())
    return (a - (a.sum(axis=0) / total) * summ.wsum[:, None]) / total


def conditioned_forecast(scenario: Scenario, summ: WeightedSummary, observed: ObservedMonths,
                         top: int = 10) -> tuple[Forecast, np.ndarray]:
    """The forecast from the end of month S, under the posterior: (forecast, the whole curve
    0..H per event, shape (events, H + 1), the months before S being the posterior hindcast)."""
    h, big_s = summ.horizon, observed.months
    total = float(summ.wsum.sum())
    if not total > 0:
        raise ValueError("no path is consistent with the observations")
    keep = summ.wsum > 0
    lk = summ.likelihood[keep]
    keff = summ.wsum[keep] ** 2 / np.maximum(summ.wsq[keep], 1e-300)
    m = int(keep.sum())
    dess = summ.draw_ess
    events: dict[str, EventForecast] = {}
    full = np.zeros((len(summ.event_ids), h + 1))
    curves: dict[str, CurveStats] = {}
    for e, eid in enumerate(summ.event_ids):
        a = np.cumsum(summ.whist[keep, e, : h + 1], axis=1)  # (m, H + 1)
        pooled = a.sum(axis=0) / total
        full[e] = pooled
        if summ.n_draws > 1:
            var = (m / max(m - 1, 1)) * (influence(summ, e)[keep] ** 2).sum(axis=0)
            band = _band(a / summ.wsum[keep][:, None], lk, keff, dess)
        else:
            a2 = np.cumsum(summ.whist2[keep, e, : h + 1], axis=1).sum(axis=0)
            sq = float(summ.wsq.sum())
            var = (a2 * (1 - 2 * pooled) + pooled**2 * sq) / total**2
            band = None
        se = np.sqrt(np.clip(var, 0, None))
        curves[eid] = CurveStats(pooled, se, band)
        sl = slice(big_s, h + 1)
        events[eid] = EventForecast(
            id=eid, kind=summ.kinds[e], probability=pooled[sl].tolist(), stderr=se[sl].tolist(),
            band_low=None if band is None else band[0][sl].tolist(),
            band_high=None if band is None else band[1][sl].tolist(),
        )
    for r, rid in enumerate(summ.repeatable_ids):
        events[rid].mean_count = float(summ.wcount[:, r].sum() / total)
        events[rid].mean_count_stderr = (
            float(np.sqrt(((summ.wcount[keep, r] - events[rid].mean_count * summ.wsum[keep]) ** 2
                           ).sum() * m / max(m - 1, 1)) / total) if m > 1 else 0.0)
    questions = answers(scenario, curves, offset=big_s)
    n = summ.n_paths
    orders = []
    ids = summ.event_ids
    bits = packing(len(ids))
    for key, v in sorted(summ.orders.items(), key=lambda kv: (-kv[1], kv[0]))[:top]:
        row = np.array([(key >> (j * bits)) & ((1 << bits) - 1) for j in range(len(ids))])  # type: ignore[operator]
        orders.append(PathOrder(label(row, ids), int(round(v / total * n)), float(v / total)))
    fc = Forecast(
        scenario_id=scenario.meta.id, method="montecarlo", horizon=h - big_s,
        dates=[add_months(scenario.meta.as_of, big_s + j).isoformat()
               for j in range(h - big_s + 1)],
        paths=n, draws=summ.n_draws, paths_per_draw=summ.paths_per_draw, seed=summ.seed,
        events=events, questions=questions, orders=orders,
    )
    return fc, full


# --- what the observations teach about the parameters ---------------------------------------


def bearing_events(scenario: Scenario, observed: set[str]) -> set[str]:
    """The observed events and every event their probability depends on: those their `when`
    and modifiers read, and those whose effects reset or cancel them, transitively."""
    from accord.scenario import conditions as c

    deps: dict[str, set[str]] = {e.id: set() for e in scenario.events}
    for e in scenario.events:
        deps[e.id] |= c.events_referenced(e.condition)
        for mo in e.modifiers:
            deps[e.id] |= c.events_referenced(mo.condition)
        for t in (*e.effects.resets, *e.effects.cancels):
            if t in deps:
                deps[t].add(e.id)
    out, stack = set(), [x for x in observed if x in deps]
    while stack:
        x = stack.pop()
        if x in out:
            continue
        out.add(x)
        stack += [d for d in deps.get(x, ()) if d in deps]
    return out


@dataclass
class ParameterPosterior:
    """A parameter's prior and its posterior under the observations."""

    name: str
    prior_mean: float
    prior_band: tuple[float, float]
    posterior_mean: float
    posterior_band: tuple[float, float]
    moved: bool = True  # mean moved by ≥ 0.1 prior s.d., or the s.d. shrank by ≥ 10%

    def text(self) -> str:
        def f(v: float) -> str:
            return f"{v:.3g}"
        return (f"{self.name} {f(self.prior_mean)} [{f(self.prior_band[0])}–"
                f"{f(self.prior_band[1])}] → {f(self.posterior_mean)} "
                f"[{f(self.posterior_band[0])}–{f(self.posterior_band[1])}]")

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "prior_mean": self.prior_mean,
                "prior_band": list(self.prior_band), "posterior_mean": self.posterior_mean,
                "posterior_band": list(self.posterior_band), "moved": self.moved}


def parameter_posteriors(scenario: Scenario, draws: Draws, summ: WeightedSummary,
                         observed: ObservedMonths) -> list[ParameterPosterior]:
    """Prior and posterior mean and 5–95% range of every uncertain parameter of the events the
    observations bear on (`bearing_events`), in file order."""
    if summ.n_draws < 2:
        return []
    rel = bearing_events(scenario, observed.observed_events)
    names = scenario.parameter_names()
    lk = summ.likelihood
    if not lk.sum() > 0:
        return []
    out = []
    for path, p in scenario.parameters():
        if p.is_point or not path.startswith("events["):
            continue
        ev = scenario.events[int(path[7:path.index("]")])]
        if ev.id not in rel:
            continue
        x = np.asarray(draws[path], dtype=float)
        pq = np.quantile(x, BAND)
        wq = weighted_quantile(x, lk, BAND)
        wn = lk / lk.sum()
        post = float((x * wn).sum())
        sd0, sd1 = float(x.std()), float(np.sqrt((wn * (x - post) ** 2).sum()))
        moved = abs(post - float(x.mean())) >= 0.1 * sd0 or sd1 <= 0.9 * sd0
        out.append(ParameterPosterior(
            names[path].removeprefix("events."), float(x.mean()), (float(pq[0]), float(pq[1])),
            post, (float(wq[0]), float(wq[1])), moved))
    return out
