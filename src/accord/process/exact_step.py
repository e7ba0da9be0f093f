"""One month's move of the exact solver's distribution and masses (accord.process.exact), over
the stacked vector x = [P; mass_1; ...] (one entry a state per block), in NumPy alone.

P' = T P, and per mass block m' = T_keep m + T_take P (an ever-occurred mass takes P where its
event fires; an expected count keeps its own unless reset and adds P where its event fires).
Each block is one pass over the regime's transitions as enumerated: with the transitions in
order of their source state, gathering a block at the sources is `np.repeat` by out-degree (a
stream, not a random gather), and summing into the targets is `np.bincount`. No matrix is
assembled (no COO -> CSR conversion) and scipy is not imported: its import alone (scipy.sparse
pulls numpy.testing and numpy.f2py through scipy's array-API layer) cost more than the
propagation on the built-in scenario.

An expected count no effect resets needs no block when every state's outcomes sum to 1 (no
observations, no soft evidence): its total then only grows, each month by P times the
probability, state by state, that the count's event fires (`tally`).
On the built-in scenario that leaves two blocks of four to propagate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Step:
    """A regime's transitions in order of source: `outdeg` per state, `dst` and `q` per
    transition; per mass block j (1..width-1) the keep and take weights (q where the
    transition keeps the block's mass / adds P to it, else 0; `None` for q / for none); per
    tallied count the probability, per state, that its event fires this month."""

    outdeg: np.ndarray
    dst: np.ndarray
    q: np.ndarray
    keep: list[np.ndarray | None]
    take: list[np.ndarray | None]
    tally: list[np.ndarray]

    @property
    def width(self) -> int:
        return 1 + len(self.keep)

    @property
    def nnz(self) -> int:
        """Non-zeros of the equivalent stacked matrix's triplets (before duplicates merge)."""
        counts = [len(self.q)]
        for keep, take in zip(self.keep, self.take, strict=True):
            counts.append(len(self.q) if keep is None else int(np.count_nonzero(keep)))
            counts.append(0 if take is None else int(np.count_nonzero(take)))
        return sum(counts)

    def advance(self, x: np.ndarray) -> tuple[np.ndarray, list[float]]:
        """One month of the stacked vector x, and what each tallied count gains."""
        n = len(self.outdeg)
        at_src = np.repeat(x[:n], self.outdeg)  # P at each transition's source
        out = [np.bincount(self.dst, weights=self.q * at_src, minlength=n)]
        for j, (keep, take) in enumerate(zip(self.keep, self.take, strict=True), start=1):
            w = (self.q if keep is None else keep) * np.repeat(x[j * n : (j + 1) * n],
                                                                 self.outdeg)
            if take is not None:
                w += take * at_src
            out.append(np.bincount(self.dst, weights=w, minlength=n))
        gains = [float((f * x[:n]).sum()) for f in self.tally]  # pairwise sums, not BLAS
        return np.concatenate(out), gains

    def triplets(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(row, column, value) of the equivalent stacked matrix (for benchmarks and checks)."""
        n = len(self.outdeg)
        src = np.repeat(np.arange(n), self.outdeg)
        rows, cols, vals = [self.dst], [src], [self.q]
        for j, (keep, take) in enumerate(zip(self.keep, self.take, strict=True), start=1):
            pairs = [(self.q if keep is None else keep, src + j * n)]
            pairs += [] if take is None else [(take, src)]
            for w, col in pairs:
                on = w != 0
                rows.append(self.dst[on] + j * n)
                cols.append(col[on])
                vals.append(w[on])
        return np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)


def step_of(triplets: list[np.ndarray], n: int,
            masses: list[tuple[int | None, int | None]], tally: list[int]) -> Step:
    """The month's Step from a regime's transitions (src, dst, q, fired, cleared columns).
    `masses`: per mass block in order, (fired column, cleared column) — an ever-occurred mass
    has no cleared column (it keeps where its event does not fire, takes where it does), an
    expected count has both; `tally`: the fired columns of the tallied counts."""
    src, dst, q, fired_all, cleared_all = triplets
    if np.any(src[1:] < src[:-1]):  # enumerated by source within each step; merge the steps
        order = np.argsort(src, kind="stable")
        src, dst, q = src[order], dst[order], q[order]
        fired_all, cleared_all = fired_all[order], cleared_all[order]
    keeps: list[np.ndarray | None] = []
    takes: list[np.ndarray | None] = []
    for f, c in masses:
        fired = fired_all[:, f]
        if c is None:
            keep, take = ~fired, fired
        else:
            cleared = cleared_all[:, c]
            keep, take = ~cleared, fired & ~cleared
        keeps.append(None if keep.all() else np.where(keep, q, 0.0))
        takes.append(np.where(take, q, 0.0) if take.any() else None)
    return Step(np.bincount(src, minlength=n), dst, q, keeps, takes,
                [np.bincount(src, weights=np.where(fired_all[:, f], q, 0.0), minlength=n)
                 for f in tally])
