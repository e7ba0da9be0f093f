"""Grouped cross-validation of the bargaining models (``accord evaluate --cv K``).

Issues of one proposal share actors and bargaining, so folds are whole proposals
(scikit-learn's ``GroupKFold``, shuffled afresh in each of R repeats). A model with free
parameters (``FITTED``) is fitted on the training folds only (its own tuning, such as the
options model's penalty, is a further CV inside them); models without any give the same forecast
in every fold.

Per model: e_i, issue i's absolute error (0–100 points) averaged over the repeats; the MAE ē and
its proposal-clustered standard error

    SE = sqrt(G / (G − 1)) · sqrt(Σ_g (Σ_{i∈g} (e_i − ē))²) / N          (G proposals, N issues)

and the paired difference to compromise, d_i = e_i − e_i^compromise, with the same clustered SE.
Distributions: a model that gives one (``Prediction.samples``) is scored on it; a point model's
distribution is its forecast plus its training-fold residuals (clipped to the scale). Reported:
CRPS (scoringrules, 0–100 points) and the share of outcomes inside the central 50% and 90%
intervals. With ``select``, the choice among the models is itself cross-validated (nested): the
row ``selected (nested)`` scores "pick the best model by inner CV on the training folds".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from accord.bargaining.prediction import Prediction
from accord.bargaining.registry import predict_tables
from accord.bargaining.table import FloatArray, IssueTable

Fitter = Callable[[Sequence[IssueTable], FloatArray, Sequence[str], int],
                  Callable[[IssueTable], Prediction]]


SELECTED = "selected (nested)"


def _fitters() -> dict[str, Fitter]:
    from accord.bargaining import options

    return {"options": options.fitted}


@dataclass
class CVScore:
    name: str
    mae: float
    se: float
    diff: float
    diff_se: float
    crps: float
    cover50: float
    cover90: float
    n: int
    groups: int
    picks: dict[str, int] | None = None

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def clustered_se(values: FloatArray, groups: Sequence[str]) -> float:
    """Standard error of the mean of ``values`` clustered by ``groups``."""
    v = np.asarray(values, dtype=float)
    g = np.asarray(groups)
    labels = np.unique(g)
    n, k = v.size, labels.size
    if k < 2:
        return float("nan")
    r = v - v.mean()
    sums = np.array([r[g == lab].sum() for lab in labels])
    return float(np.sqrt(k / (k - 1)) * np.sqrt(np.sum(sums**2)) / n)


def _quantiles(samples: FloatArray, w: FloatArray | None, qs: Sequence[float]) -> FloatArray:
    if w is None:
        return np.quantile(samples, qs)
    order = np.argsort(samples)
    s, c = samples[order], np.cumsum(w[order]) / np.sum(w)
    return np.array([s[min(int(np.searchsorted(c, q - 1e-12)), len(s) - 1)] for q in qs])


def dist_scores(samples: FloatArray, w: FloatArray | None, y: float) -> tuple[float, bool,
                                                                              bool]:
    import scoringrules as sr

    crps = float(sr.crps_ensemble(np.array([y]), samples[None, :],
                                  ens_w=None if w is None else (w / w.sum())[None, :])[0])
    q = _quantiles(samples, w, (0.25, 0.75, 0.05, 0.95))
    return crps, bool(q[0] <= y <= q[1]), bool(q[2] <= y <= q[3])


def cross_validate(
    tables: Sequence[IssueTable], outcomes: dict[str, float], groups: dict[str, str],
    models: Sequence[str], k: int = 5, repeats: int = 20, seed: int = 0,
    progress: Callable[[str], None] | None = None, select: bool = False,
) -> list[CVScore]:
    """CV scores for compromise and each named model, paired against compromise. ``select``
    adds the honest score of choosing among them: in each outer training set the model with the
    least inner grouped-CV error is picked, fitted there, and scored on the held-out folds."""
    from sklearn.model_selection import GroupKFold

    cv = _CV(tables, outcomes, groups, models, k, seed)
    if len(set(cv.g)) < k:
        from accord.errors import UserError

        raise UserError.at(f"--cv {k} needs at least {k} groups; the data have "
                           f"{len(set(cv.g))}", field="--cv")
    names = cv.base_names + ([SELECTED] if select else [])
    cv.forecast_static(progress)
    acc = _Scores(names, len(cv.ts), repeats)
    picks: dict[str, int] = {}
    for r in range(repeats):
        if progress:
            progress(f"repeat {r + 1}/{repeats}")
        folds = GroupKFold(n_splits=k, shuffle=True, random_state=seed + r).split(cv.y, cv.y,
                                                                                  cv.g)
        for tr, te in folds:
            for name in names:
                if name == SELECTED:
                    pick = cv.choose(tr, r)
                    picks[pick] = picks.get(pick, 0) + 1
                    fn, train_res = cv.predictor(pick, tr, r)
                else:
                    fn, train_res = cv.predictor(name, tr, r)
                for i in te:
                    acc.add(cv, name, i, fn(i), train_res)
    return acc.scores(cv, names, picks)


class _CV:
    """The issues scored (one-dimensional, with an outcome), on a 0–100 scale, and the models:
    fitted per training set, or forecast once (static)."""

    def __init__(self, tables: Sequence[IssueTable], outcomes: dict[str, float],
                 groups: dict[str, str], models: Sequence[str], k: int, seed: int) -> None:
        self.ts = [t for t in tables if t.issue in outcomes and t.n_dims == 1]
        self.groups, self.k, self.seed = groups, k, seed
        self.g = np.array([groups.get(t.issue, t.issue) for t in self.ts])
        self.span = np.array([float(t.span[0]) for t in self.ts])
        self.y = np.array([(outcomes[t.issue] - float(t.scale_min[0])) * 100.0
                           / float(t.span[0]) for t in self.ts])  # 0–100
        self.base_names = ["compromise"] + [m for m in models if m != "compromise"]
        self.fitters = _fitters()
        self.static: dict[str, list[Prediction]] = {}

    def forecast_static(self, progress: Callable[[str], None] | None) -> None:
        for name in self.base_names:
            if name not in self.fitters:
                if progress:
                    progress(f"forecasting with {name}")
                self.static[name] = predict_tables(name, self.ts, self.groups)

    def unit100(self, p: Prediction, i: int) -> float:
        return (float(p.outcome[0]) - float(self.ts[i].scale_min[0])) * 100.0 / self.span[i]

    def samples100(self, p: Prediction, i: int) -> FloatArray | None:
        if p.samples is None:
            return None
        return (p.samples[:, 0] - float(self.ts[i].scale_min[0])) * 100.0 / self.span[i]

    def predictor(self, name: str, tr: FloatArray, r: int,
                  ) -> tuple[Callable[[int], Prediction], FloatArray | None]:
        """Forecasts for held-out issues by index, with ``name`` fitted on ``tr`` only, and
        the training residuals (static models) for a residual distribution."""
        ts, y, g = self.ts, self.y, self.g
        if name in self.fitters:
            fn = self.fitters[name]([ts[i] for i in tr], y[tr] / 100.0, list(g[tr]),
                                    self.seed + r)
            return (lambda i: fn(ts[i])), None
        static = self.static[name]
        res = np.array([y[i] - self.unit100(static[i], i) for i in tr])
        return (lambda i: static[i]), res

    def choose(self, tr: FloatArray, r: int) -> str:
        """The model with the least inner grouped-CV error on the training folds."""
        from sklearn.model_selection import GroupKFold

        names, g = self.base_names, self.g
        inner = GroupKFold(n_splits=min(self.k, len(set(g[tr]))), shuffle=True,
                           random_state=self.seed + 1000 + r)
        tot = dict.fromkeys(names, 0.0)
        for itr, ite in inner.split(tr, tr, g[tr]):
            for name in names:
                fn, _ = self.predictor(name, tr[itr], r)
                tot[name] += sum(abs(self.unit100(fn(i), i) - self.y[i]) for i in tr[ite])
        return min(names, key=lambda m: (tot[m], names.index(m)))


class _Scores:
    """Per model and issue, the held-out scores averaged over the repeats."""

    def __init__(self, names: list[str], n: int, repeats: int) -> None:
        self.repeats = repeats
        self.err = {m: np.zeros(n) for m in names}
        self.crps = {m: np.zeros(n) for m in names}
        self.c50 = {m: np.zeros(n) for m in names}
        self.c90 = {m: np.zeros(n) for m in names}

    def add(self, cv: _CV, name: str, i: int, p: Prediction,
            train_res: FloatArray | None) -> None:
        f = cv.unit100(p, i)
        self.err[name][i] += abs(f - cv.y[i]) / self.repeats
        s = cv.samples100(p, i)
        w = p.weights
        if s is None or len(s) < 2:
            if train_res is None:
                return
            s, w = np.clip(f + train_res, 0.0, 100.0), None
        cr, in50, in90 = dist_scores(s, w, cv.y[i])
        self.crps[name][i] += cr / self.repeats
        self.c50[name][i] += in50 / self.repeats
        self.c90[name][i] += in90 / self.repeats

    def scores(self, cv: _CV, names: list[str], picks: dict[str, int]) -> list[CVScore]:
        err, g = self.err, cv.g
        base = err["compromise"]
        out = []
        for name in names:
            d = err[name] - base
            out.append(CVScore(name, float(err[name].mean()), clustered_se(err[name], g),
                               float(d.mean()), clustered_se(d, g) if name != "compromise"
                               else 0.0, float(self.crps[name].mean()),
                               float(self.c50[name].mean()), float(self.c90[name].mean()),
                               len(cv.ts), len(set(g)), picks if name == SELECTED else None))
        return out
