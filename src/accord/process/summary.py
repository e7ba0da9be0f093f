"""Additive summaries of Monte Carlo paths: what a forecast needs, merged chunk by chunk.

A chunk of paths reduces to, per parameter draw, the histogram of each event's first-occurrence
step (0..H, and H + 1 for never), the number of paths, and each repeatable's count sum and sum of
squares (integers, so sums are exact in any order); and, over all paths, the counts of the orders
in which events first occur. Summaries of disjoint path ranges of one run add up (`merge`, `+`)
to the summary of their union, so memory is O(draws × events × months + distinct orders),
whatever the number of paths, and a forecast from merged summaries equals, bit for bit, one
from the paths themselves (`accord.process.forecast.summarise` takes either).

Further fields (blocker tallies for `explain`, observation weights) are further additive arrays
of the same kind: add them in `of_paths` and `merge`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from accord.process.orders import order_counts


def hist_index(first: np.ndarray, draw: np.ndarray, horizon: int,
               ) -> tuple[int, int, np.ndarray, np.ndarray]:
    """Where paths fall in a (draws, events, H + 2) first-occurrence histogram: (first draw,
    draw stop, each path's draw from the first, the flat cell of each (path, event) in the
    draws' slice). first (paths, events) is the step of the first occurrence, 0 = never
    (counted in cell H + 1); draw (paths,) is non-decreasing."""
    e = first.shape[1]
    d0, d1 = int(draw[0]), int(draw[-1]) + 1
    local = (draw - d0).astype(np.int64)
    f = first.astype(np.int64)
    f[f == 0] = horizon + 1
    return d0, d1, local, ((local[:, None] * e + np.arange(e)) * (horizon + 2) + f).ravel()


@dataclass
class RunShape:
    """What every result of a run's paths says about the run: its events (their kinds, the
    repeatable ones), the horizon, M draws × K paths per draw, the seed."""

    event_ids: list[str]
    kinds: list[str]
    repeatable_ids: list[str]
    horizon: int
    n_draws: int
    paths_per_draw: int
    seed: int


@dataclass
class Summary(RunShape):
    """What a run of paths leaves behind: counts per draw, mergeable."""

    crn: bool
    hist: np.ndarray  # (draws, events, H + 2) int32 (paths per draw < 2^31): first-occurrence
    # step, H + 1 = never
    per_draw: np.ndarray  # (draws,) int64: paths of each draw in the summarised range
    count_sum: np.ndarray  # (draws, repeatables) int64: sum of counts at the horizon
    count_sq: np.ndarray  # (draws, repeatables) int64: sum of squared counts
    orders: dict[object, int] = field(default_factory=dict)  # order key → paths

    @property
    def n_paths(self) -> int:
        return int(self.per_draw.sum())

    @classmethod
    def empty(cls, event_ids: list[str], kinds: list[str], repeatable_ids: list[str],
              horizon: int, n_draws: int, paths_per_draw: int, seed: int,
              crn: bool = False) -> Summary:
        e, r = len(event_ids), len(repeatable_ids)
        return cls(event_ids, kinds, repeatable_ids, horizon, n_draws, paths_per_draw, seed, crn,
                   hist=np.zeros((n_draws, e, horizon + 2), np.int32),
                   per_draw=np.zeros(n_draws, np.int64),
                   count_sum=np.zeros((n_draws, r), np.int64),
                   count_sq=np.zeros((n_draws, r), np.int64))

    def add_paths(self, first: np.ndarray, count: np.ndarray, draw: np.ndarray) -> Summary:
        """Add paths in place: first (paths, events) steps (0 = never), count (paths,
        repeatables), draw (paths,) non-decreasing draw indices. Returns self."""
        if first.shape[0] == 0:
            return self
        h, e = self.horizon, len(self.event_ids)
        d0, d1, local, idx = hist_index(first, draw, h)
        nd = d1 - d0
        self.hist[d0:d1] += np.bincount(idx, minlength=nd * e * (h + 2)).reshape(nd, e, h + 2)
        self.per_draw[d0:d1] += np.bincount(local, minlength=nd)
        for r in range(count.shape[1]):
            c = count[:, r].astype(np.int64)
            self.count_sum[d0:d1, r] += np.bincount(local, weights=c, minlength=nd).astype(
                np.int64)
            self.count_sq[d0:d1, r] += np.bincount(local, weights=c * c, minlength=nd).astype(
                np.int64)
        for key, k in order_counts(first).items():
            self.orders[key] = self.orders.get(key, 0) + k
        return self

    def _compatible(self, other: Summary) -> bool:
        return (self.event_ids, self.horizon, self.n_draws, self.paths_per_draw, self.seed,
                self.crn) == (other.event_ids, other.horizon, other.n_draws,
                              other.paths_per_draw, other.seed, other.crn)

    def merge(self, other: Summary) -> Summary:
        """The summary of both path ranges (which must be disjoint ranges of one run)."""
        if not self._compatible(other):
            raise ValueError("summaries of different runs cannot be merged")
        orders = dict(self.orders)
        for key, k in other.orders.items():
            orders[key] = orders.get(key, 0) + k
        return replace(self, hist=self.hist + other.hist, per_draw=self.per_draw + other.per_draw,
                       count_sum=self.count_sum + other.count_sum,
                       count_sq=self.count_sq + other.count_sq, orders=orders)

    __add__ = merge

    def with_draws(self, n_draws: int) -> Summary:
        """The same paths in a run of more draws (zeros for the new ones): `--precision` adds
        draws without re-simulating the paths it has."""
        if n_draws < self.n_draws:
            raise ValueError("a summary cannot lose draws")
        pad = n_draws - self.n_draws

        def grow(a: np.ndarray) -> np.ndarray:
            return np.concatenate([a, np.zeros((pad, *a.shape[1:]), a.dtype)])

        return replace(self, n_draws=n_draws, hist=grow(self.hist), per_draw=grow(self.per_draw),
                       count_sum=grow(self.count_sum), count_sq=grow(self.count_sq),
                       orders=dict(self.orders))


def merge_all(parts: list[Summary]) -> Summary:
    if not parts:
        raise ValueError("nothing to merge")
    out = parts[0]
    for p in parts[1:]:
        out = out.merge(p)
    return out
