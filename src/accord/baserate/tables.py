"""The shipped reference-class tables, read at run time (JSON and NumPy only: no pandas, no
lifelines), and a class's answer: F(h) = 1 − S(since + h)/S(since), with its band.

A curve is Kaplan–Meier's life table: at each event time t_i (months from the origin) the n_i
cases at risk and the d_i events. Over a window (a, b] of the process's life, given no event
by a,

    C(a, b) = Π_{a < t_i ≤ b} (1 − d_i/n_i),      V(a, b) = Σ_{a < t_i ≤ b} d_i / (n_i (n_i − d_i)),

and the 95% band is Greenwood's on the log(−log) scale, C^exp(±1.96 √V / |log C|) (lifelines'
band when a = 0). S(t) = C(0, t) is 1 before the first event and holds its last value beyond
the last (the data say nothing later: no further events are assumed). Plain Python:
`accord baserate show` answers without importing NumPy.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from accord.errors import UserError

TABLES = Path(__file__).with_name("tables")
FEW_CASES = 20  # fewer: a warning that the class is thin
MIN_CASES = 5  # fewer: refused (the build keeps no such subset)
MAX_FILTERS = 2
Z95 = 1.959963984540054


@cache
def index() -> tuple[dict, ...]:
    return tuple(json.loads((TABLES / "index.json").read_text(encoding="utf-8"))["classes"])


def entry(class_id: str, *, field: str | None = None, file: str | None = None,
          line: int | None = None) -> dict:
    """A class's index entry; an unknown id is a user's error with a "did you mean"."""
    for e in index():
        if e["id"] == class_id:
            return e
    ids = [e["id"] for e in index()]
    from rapidfuzz import process

    best = process.extractOne(class_id, ids, score_cutoff=60)
    hint = f" (did you mean '{best[0]}'?)" if best else f"; the classes: {', '.join(ids)}"
    raise UserError.at(f"unknown reference class '{class_id}'{hint}", field=field, file=file,
                       line=line)


@cache
def _curves(class_id: str) -> dict:
    return json.loads((TABLES / f"{class_id}.json").read_text(encoding="utf-8"))["curves"]


@dataclass(frozen=True)
class Estimate:
    """A class (or filtered subset) as estimated: a curve, or a share."""

    class_id: str
    where: tuple[tuple[str, str], ...]
    kind: str
    n: int
    events: int
    data: dict

    @property
    def warning(self) -> str | None:
        if self.n < FEW_CASES:
            return (f"{self.label} rests on {self.n} cases (fewer than {FEW_CASES}): "
                    "treat its rate as a rough guide")
        return None

    @property
    def label(self) -> str:
        cond = " & ".join(f"{k}={v}" for k, v in self.where)
        return self.class_id + (f" ({cond})" if cond else "")

    def window(self, since: float, months: float) -> tuple[float, float, float]:
        """C(since, since + months) with its 95% band (low, high edges of C)."""
        times = self.data["times"]
        i, j = bisect_right(times, since), bisect_right(times, since + months)
        log_c, var = 0.0, 0.0
        for n, d in zip(self.data["at_risk_n"][i:j], self.data["deaths"][i:j], strict=True):
            if d >= n:
                return 0.0, 0.0, 0.0
            log_c += math.log1p(-d / n)
            var += d / (n * (n - d))
        if log_c == 0.0:
            return 1.0, 1.0, 1.0
        c, spread = math.exp(log_c), Z95 * math.sqrt(var) / abs(log_c)
        return c, c ** math.exp(spread), c ** math.exp(-spread)

    def survival(self, months: Iterable[float], band: str = "survival") -> list[float]:
        """S(t) (band 'survival'), or its band's 'low' or 'high' edge, at each of `months`."""
        pick = {"survival": 0, "low": 1, "high": 2}[band]
        return [self.window(0.0, float(m))[pick] for m in months]

    def probability(self, months: float, since: float = 0.0) -> tuple[float, float, float]:
        """P(event within `months` of `since`, given none by `since`) = 1 − C, with its band;
        a share's probability (months and since ignored)."""
        if self.kind == "share":
            return self.data["probability"], self.data["low"], self.data["high"]
        c, c_low, c_high = self.window(since, months)
        return 1.0 - c, 1.0 - c_high, 1.0 - c_low


def lookup(class_id: str, where: dict[str, str] | None = None, *, field: str | None = None,
           file: str | None = None, line: int | None = None) -> Estimate:
    """The class, filtered by `where` (at most two attributes): refused with a message naming
    what is wrong when the class, an attribute or a value is unknown, or too few cases
    remain."""
    info = entry(class_id, field=field, file=file, line=line)
    where = {str(k): str(v) for k, v in (where or {}).items()}

    def fail(message: str) -> UserError:
        return UserError.at(message, field=field, file=file, line=line)

    if len(where) > MAX_FILTERS:
        raise fail(f"filter a class by at most {MAX_FILTERS} attributes (got {len(where)})")
    for key, value in where.items():
        if key not in info["filters"]:
            keys = ", ".join(info["filters"]) or "none"
            raise fail(f"{class_id} cannot be filtered by '{key}' (it can by: {keys})")
        if value not in info["filters"][key]:
            raise fail(f"no case of {class_id} has {key}={value} (the values: "
                       f"{', '.join(info['filters'][key])})")
    key = "&".join(f"{k}={where[k]}" for k in sorted(where))
    data = _curves(class_id).get(key)
    if data is None:
        raise fail(f"{class_id} filtered by {key} leaves fewer than {MIN_CASES} cases: "
                   "too few to give a rate; filter by less")
    return Estimate(class_id, tuple(sorted(where.items())), data["kind"], data["n"],
                    data["events"], data)


def choice_label(class_id: str) -> str:
    """A class as a form offers it: what it counts and its rate at 12 and 24 months (a share:
    its probability), with n."""
    info, est = entry(class_id), lookup(class_id)
    if est.kind == "share":
        rate = f"{est.probability(0)[0]:.0%} of cases (a one-time chance)"
    else:
        rate = (f"{est.probability(12)[0]:.0%} within 12 months, {est.probability(24)[0]:.0%} "
                "within 24 (a monthly rate)")
    return f"{class_id}: {info['name']}, {rate}, n = {est.n}"
