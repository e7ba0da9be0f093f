"""How good is the outside view? A class estimated on the cases that began before a split year
forecasts each later case, scored against what happened.

At horizon h a later case resolves yes if its event came within h months, no if it was
followed for h months without it; a case censored earlier is left out at that horizon. Each
forecast is scored by Brier and log score beside two baselines estimated on the same training
cases: climatology, the plain share of training cases whose event ever happened (no timing),
and a coin (50%). A share class is its own climatology, so it is held against the coin alone.
Build time only (pandas, lifelines).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from accord.baserate.build import curve, share
from accord.baserate.classes import CLASSES, ClassSpec
from accord.baserate.tables import Estimate
from accord.errors import UserError

HORIZONS = (12, 24, 60)
EPS = 1e-6  # forecasts are kept inside (EPS, 1 − EPS) for the log score


@dataclass(frozen=True)
class Score:
    horizon: int | None  # months; None for a share class
    n: int  # test cases resolved at this horizon
    observed: float  # their share of yes
    forecasts: dict[str, float]  # method → the forecast every test case got
    brier: dict[str, float]
    log: dict[str, float]

    def to_dict(self) -> dict:
        return {"months": self.horizon, "n": self.n, "observed": self.observed,
                "forecast": self.forecasts, "brier": self.brier, "log": self.log}


def spec_of(class_id: str) -> ClassSpec:
    for spec in CLASSES:
        if spec.id == class_id:
            return spec
    from accord.baserate.tables import entry

    entry(class_id)  # raises the "did you mean"
    raise AssertionError(class_id)


def scores(y: np.ndarray, p: float) -> tuple[float, float]:
    """Mean Brier score and mean log score (natural log, lower is better) of one forecast p."""
    q = min(max(p, EPS), 1 - EPS)
    return float(np.mean((q - y) ** 2)), float(-np.mean(y * np.log(q) + (1 - y) * np.log(1 - q)))


def split(cases: pd.DataFrame, year: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    years = cases["origin"].dt.year
    train, test = cases[years < year], cases[years >= year]
    if len(train) < 5 or len(test) < 5:
        raise UserError.at(f"a split at {year} leaves {len(train)} cases before it and "
                           f"{len(test)} from it: each side needs at least 5", field="--split")
    return train, test


def evaluate(class_id: str, year: int, files: dict[str, Path],
             horizons: tuple[int, ...] = HORIZONS) -> list[Score]:
    """The class's out-of-sample scores at each horizon (one row for a share class)."""
    spec = spec_of(class_id)
    if spec.source not in files:
        raise UserError.at(f"{class_id} is built from the {spec.source.upper()} data: give its "
                           f"file with --{spec.source}", field=f"--{spec.source}")
    train, test = split(spec.cases(files), year)
    clim = float(train["event"].mean())
    if spec.kind == "share":
        y = test["event"].to_numpy(float)
        p = share(train)["probability"]
        return [_score(None, y, {"class": p, "coin": 0.5})]
    est = Estimate(class_id, (), "curve", len(train), int(train["event"].sum()), curve(train))
    out = []
    for h in horizons:
        s_h = est.window(0.0, h)[0]
        hit = test["event"].to_numpy(bool) & (test["months"].to_numpy() <= h)
        resolved = hit | (test["months"].to_numpy() >= h)
        y = hit[resolved].astype(float)
        if y.size:
            out.append(_score(h, y, {"class": 1 - s_h, "climatology": clim, "coin": 0.5}))
    return out


def _score(h: int | None, y: np.ndarray, forecasts: dict[str, float]) -> Score:
    pairs = {k: scores(y, p) for k, p in forecasts.items()}
    return Score(h, int(y.size), float(y.mean()), forecasts,
                 {k: v[0] for k, v in pairs.items()}, {k: v[1] for k, v in pairs.items()})
