"""Parameters: every number in a scenario is a point or a distribution, with its provenance.

A parameter is written `0.3`, `{low: 0.2, high: 0.4}` (uniform), or
`{dist: beta|triangular|normal|lognormal|uniform, ...}`, optionally with
`evidence: [{source, quote}]` and/or `assumption: "why"`.
A point with provenance is `{value: 0.3, ...}`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Literal

import numpy as np

from accord.scenario.strict import Strict

if TYPE_CHECKING:  # bound when a record is first validated (accord.scenario.strict)
    from pydantic import Field

DistName = Literal["point", "uniform", "beta", "triangular", "normal", "lognormal"]

# The keys each distribution needs; anything else is a typo the user should hear about.
DIST_KEYS: dict[str, tuple[str, ...]] = {
    "point": ("value",),
    "uniform": ("low", "high"),
    "beta": ("a", "b"),
    "triangular": ("low", "mode", "high"),
    "normal": ("mean", "sd"),
    "lognormal": ("median", "sigma"),
}


@dataclass(kw_only=True)
class Evidence(Strict):
    """Where a number comes from: words quoted from a source the scenario cites."""

    source: Annotated[str, Field(description="id of a source in meta.sources")]
    quote: Annotated[str, Field(min_length=1, description="words that occur in the source's text")]


@dataclass(kw_only=True)
class Param(Strict):
    """A number, known exactly or uncertain, with the evidence or assumption behind it."""

    dist: DistName = "point"
    value: float | None = None
    low: float | None = None
    high: float | None = None
    mode: float | None = None
    a: Annotated[float | None, Field(gt=0)] = None
    b: Annotated[float | None, Field(gt=0)] = None
    mean: float | None = None
    sd: Annotated[float | None, Field(ge=0)] = None
    median: Annotated[float | None, Field(gt=0)] = None
    sigma: Annotated[float | None, Field(ge=0)] = None
    evidence: list[Evidence] = field(default_factory=list)
    assumption: str | None = None

    @staticmethod
    def expand_shorthand(data: object) -> object:
        """The shorthands: a number is a point; `{low, high}` without `dist` is uniform."""
        if isinstance(data, bool):
            raise ValueError("expected a number or a distribution, got a boolean")
        if isinstance(data, int | float):
            return {"dist": "point", "value": float(data)}
        if isinstance(data, dict) and "dist" not in data:
            if "low" in data or "high" in data:
                return {"dist": "uniform", **data}
            return {"dist": "point", **data}
        return data

    def __post_init__(self) -> None:
        """The distribution has its keys, and only those, with values it can take."""
        for k in ("value", "low", "high", "mode", "a", "b", "mean", "sd", "median", "sigma"):
            v = getattr(self, k)
            if v is not None and not math.isfinite(v):
                raise ValueError(f"'{k}' must be a finite number, not {v}")
        needed = DIST_KEYS[self.dist]
        missing = [k for k in needed if getattr(self, k) is None]
        if missing:
            raise ValueError(f"a {self.dist} parameter needs {', '.join(missing)}")
        stray = [
            k
            for keys in DIST_KEYS.values()
            for k in keys
            if k not in needed and getattr(self, k) is not None
        ]
        if stray and not (self.dist == "triangular" and set(stray) <= {"low", "high"}):
            raise ValueError(f"'{stray[0]}' does not belong to a {self.dist} parameter")
        if self.dist in ("uniform", "triangular") and self.low > self.high:  # type: ignore[operator]
            raise ValueError(f"low ({self.low}) is greater than high ({self.high})")
        if self.dist == "triangular" and not self.low <= self.mode <= self.high:  # type: ignore[operator]
            raise ValueError("mode must lie between low and high")

    # --- what the engines need -------------------------------------------------------------
    @property
    def is_point(self) -> bool:
        return self.dist == "point" or (self.dist == "uniform" and self.low == self.high)

    def support(self) -> tuple[float, float]:
        """The smallest interval holding every possible draw."""
        match self.dist:
            case "point":
                return (self.value, self.value)  # type: ignore[return-value]
            case "uniform" | "triangular":
                return (self.low, self.high)  # type: ignore[return-value]
            case "beta":
                return (0.0, 1.0)
            case "lognormal":
                return (0.0, float("inf")) if self.sigma else (self.median, self.median)  # type: ignore[return-value]
            case _:
                if self.sd == 0:
                    return (self.mean, self.mean)  # type: ignore[return-value]
                return (float("-inf"), float("inf"))

    def central(self) -> float:
        """The value a point analysis uses: the distribution's mean (median for lognormal)."""
        match self.dist:
            case "point":
                return float(self.value)  # type: ignore[arg-type]
            case "uniform":
                return (self.low + self.high) / 2  # type: ignore[operator]
            case "triangular":
                return (self.low + self.mode + self.high) / 3  # type: ignore[operator]
            case "beta":
                return self.a / (self.a + self.b)  # type: ignore[operator]
            case "normal":
                return float(self.mean)  # type: ignore[arg-type]
            case _:
                return float(self.median)  # type: ignore[arg-type]

    def ppf(self, q: np.ndarray) -> np.ndarray:
        """Quantile function: maps uniforms to draws (so samplers like Sobol's can drive it)."""
        from accord.scenario.quantiles import beta_ppf, norm_ppf, triang_ppf

        q = np.asarray(q, dtype=float)
        match self.dist:
            case "point":
                return np.full_like(q, self.value)
            case "uniform":
                return self.low + (self.high - self.low) * q  # type: ignore[operator]
            case "triangular":
                width = self.high - self.low  # type: ignore[operator]
                if width == 0:
                    return np.full_like(q, self.low)
                c = (self.mode - self.low) / width  # type: ignore[operator]
                return triang_ppf(q, c, self.low, width)  # type: ignore[arg-type]
            case "beta":
                return beta_ppf(q, self.a, self.b)  # type: ignore[arg-type]
            case "normal":
                return self.mean + self.sd * norm_ppf(q) if self.sd else np.full_like(q, self.mean)  # type: ignore[operator]
            case _:
                return np.exp(np.log(self.median) + self.sigma * norm_ppf(q))  # type: ignore[arg-type, operator]

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        if self.is_point:
            return np.full(size, self.central())
        return self.ppf(rng.random(size))

    def describe(self) -> str:
        match self.dist:
            case "point":
                return f"{self.value:g}"
            case "uniform":
                return f"U({self.low:g}, {self.high:g})"
            case "triangular":
                return f"Tri({self.low:g}, {self.mode:g}, {self.high:g})"
            case "beta":
                return f"Beta({self.a:g}, {self.b:g})"
            case "normal":
                return f"N({self.mean:g}, {self.sd:g})"
            case _:
                return f"LogN(median {self.median:g}, σ {self.sigma:g})"
