"""The issue table every bargaining model reads.

Units: ``position``, ``scale_min``, ``scale_max`` and ``status_quo`` are in the issue's own scale
units; ``salience`` is on [0, 1] (readers divide 0–100 inputs by 100); ``capability`` is any
non-negative number (only ratios matter). Models work on the unit scale [0, 1] through
:meth:`IssueTable.unit_positions` and map results back with :meth:`IssueTable.from_unit`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]


def _frozen(a: ArrayLike, shape: tuple[int, ...] | None = None) -> FloatArray:
    arr = np.array(a, dtype=float)
    if shape is not None:
        arr = np.broadcast_to(arr, shape).copy()
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True, eq=False)
class IssueTable:
    """One issue: n actors, d dimensions.

    position (n, d) scale units; salience (n, d) on [0, 1]; capability (n,);
    scale_min / scale_max per dimension (d,) (a scalar is broadcast); status_quo (d,) in scale
    units or None (NaN entries mean unknown on that dimension).
    """

    issue: str
    actors: tuple[str, ...]
    position: FloatArray
    salience: FloatArray
    capability: FloatArray
    scale_min: FloatArray
    scale_max: FloatArray
    status_quo: FloatArray | None = None
    dimensions: tuple[str, ...] = field(default=("position",))

    def __post_init__(self) -> None:
        pos = np.array(self.position, dtype=float)
        if pos.ndim == 1:
            pos = pos[:, None]
        n, d = pos.shape
        set_ = object.__setattr__
        set_(self, "actors", tuple(self.actors))
        set_(self, "position", _frozen(pos))
        sal = np.array(self.salience, dtype=float)
        set_(self, "salience", _frozen(sal[:, None] if sal.ndim == 1 else sal, (n, d)))
        set_(self, "capability", _frozen(self.capability, (n,)))
        set_(self, "scale_min", _frozen(self.scale_min, (d,)))
        set_(self, "scale_max", _frozen(self.scale_max, (d,)))
        if self.status_quo is not None:
            set_(self, "status_quo", _frozen(self.status_quo, (d,)))
        dims = tuple(self.dimensions)
        if len(dims) != d:
            dims = tuple(f"dim{k + 1}" for k in range(d)) if d > 1 else ("position",)
        set_(self, "dimensions", dims)
        if len(self.actors) != n:
            raise ValueError(f"{len(self.actors)} actor ids for {n} position rows")
        if np.any(self.scale_max <= self.scale_min):
            raise ValueError("scale_max must exceed scale_min")

    # -- shape -------------------------------------------------------------------------------
    @property
    def n_actors(self) -> int:
        return self.position.shape[0]

    @property
    def n_dims(self) -> int:
        return self.position.shape[1]

    @property
    def span(self) -> FloatArray:
        """scale_max − scale_min per dimension."""
        return self.scale_max - self.scale_min

    # -- unit scale --------------------------------------------------------------------------
    def unit_positions(self) -> FloatArray:
        """Positions rescaled to [0, 1] per dimension, shape (n, d)."""
        return (self.position - self.scale_min) / self.span

    def unit_status_quo(self) -> FloatArray | None:
        """Status quo on [0, 1] per dimension (NaN where unknown), or None."""
        if self.status_quo is None:
            return None
        return (self.status_quo - self.scale_min) / self.span

    def from_unit(self, u: ArrayLike) -> FloatArray:
        """Map [0, 1] values (last axis = dimension) back to scale units."""
        return self.scale_min + np.asarray(u, dtype=float) * self.span

    def to_unit(self, x: ArrayLike) -> FloatArray:
        """Map scale-unit values (last axis = dimension) to [0, 1]."""
        return (np.asarray(x, dtype=float) - self.scale_min) / self.span

    def weights(self) -> FloatArray:
        """Capability × salience, shape (n, d)."""
        return self.capability[:, None] * self.salience

    def dimension(self, k: int) -> IssueTable:
        """The one-dimensional table of dimension k (used by 1-D models on multi-dim tables)."""
        sq = None if self.status_quo is None else self.status_quo[k : k + 1]
        return IssueTable(
            issue=self.issue, actors=self.actors, position=self.position[:, k : k + 1],
            salience=self.salience[:, k : k + 1], capability=self.capability,
            scale_min=self.scale_min[k : k + 1], scale_max=self.scale_max[k : k + 1],
            status_quo=sq, dimensions=(self.dimensions[k],),
        )

    def with_positions(self, position: ArrayLike) -> IssueTable:
        """A copy with other positions (scale units), e.g. for mirrored or rescaled tests."""
        return IssueTable(
            issue=self.issue, actors=self.actors, position=np.asarray(position, dtype=float),
            salience=self.salience, capability=self.capability, scale_min=self.scale_min,
            scale_max=self.scale_max, status_quo=self.status_quo, dimensions=self.dimensions,
        )

    # -- constructors ------------------------------------------------------------------------
    @classmethod
    def one_dim(
        cls, issue: str, actors: Sequence[str], position: ArrayLike, salience: ArrayLike,
        capability: ArrayLike, *, scale_min: float = 0.0, scale_max: float = 100.0,
        status_quo: float | None = None, dimension: str = "position",
    ) -> IssueTable:
        """A one-dimensional issue; salience on [0, 1]."""
        pos = np.asarray(position, dtype=float).reshape(-1, 1)
        sq = None if status_quo is None or np.isnan(status_quo) else np.array([status_quo])
        return cls(
            issue=issue, actors=tuple(actors), position=pos,
            salience=np.asarray(salience, dtype=float).reshape(-1, 1),
            capability=np.asarray(capability, dtype=float), scale_min=np.array([scale_min]),
            scale_max=np.array([scale_max]), status_quo=sq, dimensions=(dimension,),
        )
