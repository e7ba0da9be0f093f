"""One month's move of the exact solver's distribution and masses (accord.process.exact): the
transition matrix T applied to each block of the stacked vector x = [P; mass_1; ...] (one entry
a state per block), plus a sparse correction for the masses.

Per mass column, m' = T_keep m + T_take P (an ever-occurred mass takes P where its event
fires; an expected count keeps its own unless reset and adds P where its event fires). Written
as m' = T m - T_drop m + T_take P (T_drop: the transitions not in T_keep), only T (once) and the
transitions where an event fires or is reset need building: one stacked matrix over x held T's
non-zeros again in every block, about 2.8 times the non-zeros to convert from COO (the month's
products read as many as before). scipy's product with a dense block of columns
(csr_matvecs) is slower here than one mat-vec per block.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass
class Step:
    """x' = (T in every block) x + C x: `t` (states x states), `c` over the stacked vector."""

    t: Any  # scipy.sparse CSR
    c: Any  # scipy.sparse CSR
    width: int

    @property
    def nnz(self) -> int:
        return int(self.t.nnz + self.c.nnz)

    def __matmul__(self, x: np.ndarray) -> np.ndarray:
        """One month of the stacked vector x."""
        n = self.t.shape[0]
        y = self.c @ x
        for j in range(self.width):
            y[j * n : (j + 1) * n] += self.t @ x[j * n : (j + 1) * n]
        return y


def step_of(triplets: list[np.ndarray], n: int, width: int,
            masses: list[tuple[int, int | None, int | None]]) -> Step:
    """The month's Step from a regime's transitions (src, dst, q, fired, cleared columns).
    `masses`: per mass column j, (j, fired column, cleared column) — an ever-occurred mass has
    no cleared column (it drops where its event fires), an expected count has both."""
    from scipy import sparse

    src, dst, q, fired_all, cleared_all = triplets
    rows, cols, vals = [], [], []
    for j, f, c in masses:
        fired = fired_all[:, f]
        if c is None:
            drop, take = fired, fired
        else:
            drop = cleared_all[:, c]
            take = fired & ~drop
        rows += [j * n + dst[drop], j * n + dst[take]]
        cols += [j * n + src[drop], src[take]]
        vals += [-q[drop], q[take]]
    size = n * width
    t = sparse.csr_matrix((q, (dst, src)), shape=(n, n))
    if not rows:
        return Step(t, sparse.csr_matrix((size, size)), width)
    c = sparse.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(size, size))
    return Step(t, c, width)
