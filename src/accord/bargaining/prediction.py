"""What every bargaining model returns."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


@dataclass
class Prediction:
    """A model's forecast for one issue.

    outcome: (d,) in the issue's scale units. history: (turns + 1, n, d) positions in scale units,
    row 0 being the input (None for static models). probabilities: (turns + 1, n), each actor's
    position's probability of prevailing per turn (SMP) or None. notes: anything the user must
    see, e.g. a fallback ("nash: no status quo, fell back to compromise"). samples: (k, d) draws
    of the outcome in scale units, for models that give a distribution (else None); weights: (k,)
    their probabilities (None: equally likely).
    """

    model: str
    issue: str
    outcome: FloatArray
    dimensions: tuple[str, ...] = ("position",)
    history: FloatArray | None = None
    probabilities: FloatArray | None = None
    notes: list[str] = field(default_factory=list)
    turns: int = 0
    samples: FloatArray | None = None
    weights: FloatArray | None = None

    @property
    def value(self) -> float:
        """The outcome of a one-dimensional issue."""
        if self.outcome.shape[0] != 1:
            raise ValueError(f"{self.issue} has {self.outcome.shape[0]} dimensions")
        return float(self.outcome[0])

    @property
    def fell_back(self) -> bool:
        return any("fell back" in n for n in self.notes)
