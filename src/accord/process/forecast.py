"""The forecast of the event process: what the report, CLI, store and dashboard consume.

Per event: the cumulative curve P(occurred at least once by step s), s = 0..H (step s ends
s months after as_of; a date reads it between steps, accord.process.deadline), its Monte Carlo
standard error and, with M > 1 parameter draws, a 5%–95% band of the per-draw probabilities.
With M > 1 the standard error is that of the pooled estimate, std of per-draw probabilities
/ sqrt(M) (it then covers both Monte Carlo noise and parameter spread); with one draw it is
binomial, sqrt(p(1 − p)/N). Plain lists and floats only, so `to_dict()` is JSON as it stands.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass, field, fields

import numpy as np

from accord.process.deadline import RULE, Deadline, deadline
from accord.process.montecarlo import Simulation
from accord.process.orders import PathOrder, top_from_counts
from accord.process.summary import Summary
from accord.scenario.calendar import add_months
from accord.scenario.model import Scenario
from accord.scenario.quantiles import beta_ppf

BAND = (0.05, 0.95)
BAND50 = (0.25, 0.75)  # the inner band of the fan charts


@dataclass
class EventForecast:
    """One event's curve: P(occurred by step s), with its s.e. and bands."""

    id: str
    kind: str
    probability: list[float]  # s = 0..H
    stderr: list[float]
    band_low: list[float] | None = None  # only with M > 1 draws
    band_high: list[float] | None = None
    band50_low: list[float] | None = None  # 25–75%, as the band
    band50_high: list[float] | None = None
    mean_count: float | None = None  # repeatables: mean count at the horizon
    mean_count_stderr: float | None = None


@dataclass
class QuestionForecast:
    """One question's answer: P(event by a date), with its s.e. and band."""

    id: str
    event: str
    by: str  # ISO date
    step: int  # whole months completed by the end of day `by`, 0..H (of this forecast's curve)
    probability: float  # the curve read at the deadline (accord.process.deadline)
    stderr: float
    band: tuple[float, float] | None = None
    at: float | None = None  # the deadline in months from the curve's start: step + fraction
    outside_view: dict | None = None  # its reference class's answer (accord.baserate.outside)


@dataclass
class Forecast:
    """Every event's curve and every question's answer, of one run."""

    scenario_id: str
    method: str  # "montecarlo" or "exact"
    horizon: int
    dates: list[str]  # ISO date ending step s = 0..H (as_of + s months)
    paths: int  # 0 for the exact solver
    draws: int
    paths_per_draw: int
    seed: int | None
    events: dict[str, EventForecast]
    questions: list[QuestionForecast] = field(default_factory=list)
    orders: list[PathOrder] = field(default_factory=list)
    date_rule: str = RULE  # how questions read dates; stored runs without it used OLD_RULE

    def curve(self, event_id: str) -> list[float]:
        return self.events[event_id].probability

    def to_dict(self) -> dict[str, object]:
        """The forecast as plain data (`asdict`'s, without deep-copying every float)."""
        d: dict[str, object] = {f.name: getattr(self, f.name) for f in fields(self)}
        d["dates"] = list(self.dates)
        d["orders"] = [o.to_dict() for o in self.orders]
        d["events"] = {k: _flat_dict(v) for k, v in self.events.items()}
        d["questions"] = [
            {**asdict(q), "band": list(q.band) if q.band else None} for q in self.questions
        ]
        return d


def _flat_dict(ev: EventForecast) -> dict[str, object]:
    """`asdict(ev)`: its fields are scalars and lists of floats, copied one level deep."""
    return {f.name: list(v) if isinstance(v := getattr(ev, f.name), list) else v
            for f in fields(ev)}


def step_dates(scenario: Scenario) -> list[str]:
    return [
        add_months(scenario.meta.as_of, s).isoformat() for s in range(scenario.meta.horizon + 1)
    ]


def question_deadline(scenario: Scenario, by: dt.date) -> Deadline:
    """Where "by the end of day `by`" reads the scenario's curves (the one date rule)."""
    return deadline(scenario.meta.as_of, scenario.meta.horizon, by)


def read_until(scenario: Scenario, by: dt.date) -> Scenario:
    """The scenario with its horizon cut to the months a question "by `by`" reads (the month
    holding it and the next, which its deadline reads towards): a forecast of that question
    alone simulates no month after them. A month's draws come after those of the months
    before it, so the months kept hold the numbers the whole horizon gives them."""
    need = question_deadline(scenario, by).step + 1
    if need >= scenario.meta.horizon:
        return scenario
    return scenario.model_copy(update={"meta": scenario.meta.model_copy(update={"horizon": need})})


def parameter_band(per_draw: np.ndarray, k: np.ndarray | float,
                   quantiles: tuple[float, float] = BAND) -> np.ndarray:
    """5%–95% band (or `quantiles`) of the probability over parameter draws, Monte Carlo noise
    removed.

    Each per-draw estimate p_m comes from K paths, so its spread is the parameter spread plus
    binomial noise: Var(p_m) = σ² + E[p(1 − p)]/(K − 1), and σ² = observed − noise (method of
    moments). Three cases, element by element:

    - σ² not clearly positive (below twice its own standard error, from the fourth moment): too
      few paths per draw to tell parameter spread from noise. The band is NaN, shown as "—":
      never a point band claiming there is no uncertainty.
    - noise under half the observed variance: the raw quantiles are pulled towards the mean by
      sqrt(σ² / observed), keeping the distribution's shape.
    - otherwise (few paths per draw, so p_m is coarse): the quantiles of the Beta distribution
      with mean μ and variance σ².
    """
    return parameter_bands(per_draw, k, (quantiles,))[0]


def parameter_bands(per_draw: np.ndarray, k: np.ndarray | float,
                    bands: tuple[tuple[float, float], ...]) -> list[np.ndarray]:
    """`parameter_band` for each of `bands` (quantile pairs), from one pass over the draws:
    the moments and one sort serve them all."""
    m = per_draw.shape[0]
    mean = per_draw.mean(axis=0)
    observed = per_draw.var(axis=0, ddof=1)
    k_arr = np.asarray(k, dtype=float).reshape(-1, *([1] * (per_draw.ndim - 1)))
    noise = np.mean(per_draw * (1 - per_draw) / np.maximum(k_arr - 1, 1), axis=0)
    sigma2 = observed - noise
    m4 = np.mean((per_draw - mean) ** 4, axis=0)
    se_var = np.sqrt(np.clip(m4 - observed**2 * (m - 3) / max(m - 1, 1), 0, None) / m)
    identified = (sigma2 > 2 * se_var) & (observed > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        shrink = np.sqrt(np.clip(sigma2, 0, None) / observed)
        raws = linear_quantiles(per_draw, [q for band in bands for q in band])
        conc = np.clip(mean * (1 - mean) / sigma2 - 1, 1e-3, None)  # α + β
        a, b = np.clip(mean * conc, 1e-6, None), np.clip((1 - mean) * conc, 1e-6, None)
    use_raw = noise < 0.5 * observed
    fit = identified & ~use_raw  # the Beta's quantiles only where they are shown
    with np.errstate(invalid="ignore", divide="ignore"):
        both = mean + shrink * (raws - mean)  # every band's pair, raw quantiles shrunk
    if fit.any():  # one solve for all the bands' quantiles: its iterations serve them together
        both[:, fit] = beta_ppf(np.reshape([q for band in bands for q in band], (-1, 1)),
                                a[fit], b[fit])
    return [np.where(identified, np.clip(both[2 * j: 2 * j + 2], 0.0, 1.0), np.nan)
            for j in range(len(bands))]


def linear_quantiles(x: np.ndarray, qs: list[float]) -> np.ndarray:
    """`np.quantile(x, qs, axis=0)` (its default, linear method) to the bit, from one sort:
    numpy's own calls np.unique, whose first call imports numpy.ma (start-up time)."""
    srt = np.sort(x, axis=0)
    n = x.shape[0]
    virtual = (n - 1) * np.asarray(qs, dtype=float)
    below = np.floor(virtual)
    above = below + 1
    top = virtual >= n - 1
    below[top], above[top] = -1, -1
    lo, hi = below.astype(np.intp), above.astype(np.intp)
    gamma = np.asarray(virtual - lo, dtype=float).reshape(virtual.shape + (1,) * (x.ndim - 1))
    a, b = srt[lo], srt[hi]
    diff = b - a
    out = a + diff * gamma
    np.subtract(b, diff * (1 - gamma), out=out, where=gamma >= 0.5)
    nans = np.isnan(srt[-1])
    if np.any(nans):
        np.copyto(out, srt[-1], where=nans)
    return out


def _stats(
    per_draw: np.ndarray, pooled: np.ndarray, n: int, k: np.ndarray | float = 1.0,
    band: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray | None]:
    """(stderr, band or None) of a pooled estimate from per-draw estimates, shape (draws, ...).

    The standard error uses the raw per-draw spread (it is the error of the pooled estimate,
    Monte Carlo noise included); the band uses `parameter_band` (or `band`, computed already).
    """
    m = per_draw.shape[0]
    if m > 1:
        se = per_draw.std(axis=0, ddof=1) / np.sqrt(m)
        return se, parameter_band(per_draw, k) if band is None else band
    return np.sqrt(np.clip(pooled * (1 - pooled), 0, None) / max(n, 1)), None


def summarise(scenario: Scenario, sim: Simulation | Summary, top: int = 10) -> Forecast:
    """Curves, questions and path orders of a simulation (all of a run, or a block range), from
    its paths or from their merged per-chunk `Summary` (the same numbers either way)."""
    summ = sim if isinstance(sim, Summary) else summary_of(sim)
    h = summ.horizon
    n = summ.n_paths
    per_n_all = summ.per_draw
    keep = per_n_all > 0  # draws present in this range
    per_n = per_n_all[keep].astype(float)
    events: dict[str, EventForecast] = {}
    curves: dict[str, CurveStats] = {}
    cum_all = np.cumsum(summ.hist[keep][:, :, : h + 1], axis=2)  # steps 0..H (step 0: 0)
    per_draw_all = cum_all / per_n[:, None, None]  # (draws, events, steps)
    # every event's bands at once: element by element the same numbers, in two calls
    bands = inners = None
    if per_draw_all.shape[0] > 1:
        bands, inners = parameter_bands(per_draw_all, per_n, (BAND, BAND50))
    for e, eid in enumerate(summ.event_ids):
        cum = cum_all[:, e]
        pooled = cum.sum(axis=0) / max(n, 1)
        per_draw = per_draw_all[:, e]
        se, band = _stats(per_draw, pooled, n, per_n,
                          band=None if bands is None else bands[:, e])
        inner = None if inners is None or band is None else inners[:, e]
        curves[eid] = CurveStats(pooled, se, band, per_draw, per_n, n)
        events[eid] = EventForecast(
            id=eid,
            kind=summ.kinds[e],
            probability=pooled.tolist(),
            stderr=se.tolist(),
            band_low=None if band is None else band[0].tolist(),
            band_high=None if band is None else band[1].tolist(),
            band50_low=None if inner is None else inner[0].tolist(),
            band50_high=None if inner is None else inner[1].tolist(),
        )
    for r, rid in enumerate(summ.repeatable_ids):
        events[rid].mean_count, events[rid].mean_count_stderr = mean_count(summ, r, keep)
    return Forecast(
        scenario_id=scenario.meta.id,
        method="montecarlo",
        horizon=h,
        dates=step_dates(scenario),
        paths=n,
        draws=int(keep.sum()),
        paths_per_draw=summ.paths_per_draw,
        seed=summ.seed,
        events=events,
        questions=answers(scenario, curves),
        orders=top_from_counts(summ.orders, summ.event_ids, n, top),
    )


def mean_count(summ: Summary, r: int, keep: np.ndarray) -> tuple[float, float]:
    """Repeatable r's mean count at the horizon and its s.e.: over the draws' means where
    there are several draws, else from the exact integer sums,
    var = (n Σc² − (Σc)²) / (n (n − 1))."""
    n = summ.n_paths
    total = int(summ.count_sum[:, r].sum())
    per_draw = summ.count_sum[keep, r].astype(float) / summ.per_draw[keep].astype(float)
    if per_draw.size > 1:
        se = per_draw.std(ddof=1) / np.sqrt(per_draw.size)
    elif n > 1:
        sq = int(summ.count_sq[:, r].sum())
        se = math.sqrt((n * sq - total * total) / (n * (n - 1))) / math.sqrt(n)
    else:
        se = 0.0
    return (total / n if n else 0.0), float(se)


def summary_of(sim: Simulation) -> Summary:
    """The additive summary of a simulation's paths."""
    out = Summary.empty(sim.event_ids, sim.kinds, sim.repeatable_ids, sim.horizon, sim.n_draws,
                        sim.paths_per_draw, sim.seed, sim.crn)
    return out.add_paths(sim.first_step, sim.count, sim.draw)


@dataclass
class CurveStats:
    """One event's curve with its error and band (steps on the last axis), and, where known,
    the per-draw curves behind them, so a date between steps gets its own band."""

    pooled: np.ndarray
    se: np.ndarray
    band: np.ndarray | None = None  # (2, H + 1)
    per_draw: np.ndarray | None = None  # (M, H + 1)
    k: np.ndarray | float = 1.0  # paths per draw
    n: int = 1


def answer(qid: str, event: str, by: dt.date, dl: Deadline, c: CurveStats,
           offset: int = 0) -> QuestionForecast:
    """A question read from its event's curve at its deadline. `offset`: the months before this
    forecast's first step (a conditioned forecast starts where the observations end)."""
    if dl.frac == 0.0 or c.per_draw is None:
        p, se = float(dl.read(c.pooled)), float(dl.read(c.se))  # se: an upper bound between steps
        band = None if c.band is None else dl.read(c.band)
    else:  # the band of the per-draw readings themselves
        per = dl.read(c.per_draw)[:, None]
        p = float(dl.read(c.pooled))
        se_a, band_a = _stats(per, np.array([p]), c.n, c.k)
        se = float(se_a[0])
        band = None if band_a is None else band_a[:, 0]
    return QuestionForecast(
        id=qid, event=event, by=by.isoformat(), step=max(dl.step - offset, 0),
        probability=p, stderr=se,
        band=None if band is None or np.isnan(band[0]) else (float(band[0]), float(band[1])),
        at=max(dl.at - offset, 0.0),
    )


def answers(scenario: Scenario, curves: dict[str, CurveStats], offset: int = 0,
            ) -> list[QuestionForecast]:
    """Every question of the scenario whose event has a curve, with its outside view."""
    from accord.baserate.outside import outside_view

    out = []
    for q in scenario.questions:
        if q.event in curves:
            qa = answer(q.id, q.event, q.by, question_deadline(scenario, q.by), curves[q.event],
                        offset)
            qa.outside_view = outside_view(scenario, q)
            out.append(qa)
    return out


def questions_of(scenario: Scenario, probability: dict[str, np.ndarray]) -> list[QuestionForecast]:
    """Questions answered from exact curves (no error, no band)."""
    return answers(scenario, {k: CurveStats(v, np.zeros_like(v)) for k, v in probability.items()})
