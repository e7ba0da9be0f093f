"""The shipped reference-class tables, read at run time (JSON and NumPy only: no pandas, no
lifelines), and a class's answer: F(h) = 1 − S(since + h)/S(since), with its band.

A curve is Kaplan–Meier's step function S(t) at the event times t (months from the origin),
with its pointwise 95% band; S is 1 before the first event time and holds its last value
beyond the last (the data say nothing later: no further events are assumed). Plain Python:
`accord baserate show` answers without importing NumPy.
"""

from __future__ import annotations

import json
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

    def survival(self, months: Iterable[float], band: str = "survival") -> list[float]:
        """S(t) (band 'survival'), or its band's 'low' or 'high' edge, at each of `months`."""
        times, values = self.data["times"], [1.0, *self.data[band]]
        return [values[bisect_right(times, float(m))] for m in months]

    def probability(self, months: float, since: float = 0.0) -> tuple[float, float, float]:
        """P(event within `months` of `since`, given none by `since`), with its band: a curve's
        1 − S(since+h)/S(since) at the estimate and at each edge of the band; a share's
        probability (months and since ignored)."""
        if self.kind == "share":
            return self.data["probability"], self.data["low"], self.data["high"]
        out = []
        for band in ("survival", "high", "low"):
            s0, s1 = self.survival([since, since + months], band)
            out.append(1.0 - s1 / s0 if s0 > 0 else 1.0)
        return out[0], out[1], out[2]


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
