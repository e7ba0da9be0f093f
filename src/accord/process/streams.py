"""The random-number streams of a Monte Carlo run: one generator per block of paths.

Paths are split in blocks of `block` paths (accord.process.montecarlo.BLOCK); block b draws its
uniforms from its own generator, `SeedSequence(seed, spawn_key=(b,))`, in a fixed layout (see
accord.process.montecarlo), so the uniform of (path, event, month) depends on the seed, the
block and the block's size alone, whatever the chunking or the number of workers.
"""

from __future__ import annotations

import numpy as np


def block_seed(seed: int, block: int) -> np.random.SeedSequence:
    """The block's stream: identical to `SeedSequence(seed).spawn(block + 1)[block]`."""
    return np.random.SeedSequence(seed, spawn_key=(block,))


class Streams:
    """The uniforms of a run's blocks [b0, b1) (columns lo:hi of a width-W row), month by month.

    Each block's generator consumes S × ⌈s/2⌉ words a month in a fixed layout (see the
    accord.process.montecarlo docstring); rows not wanted are skipped lazily with `advance`,
    before the next draw.
    """

    def __init__(self, seed: int, blocks: range, n_paths: int, offset: int, block: int) -> None:
        self.blocks = []
        for b in blocks:
            lo, hi = b * block - offset, min((b + 1) * block, n_paths) - offset
            self.blocks.append((np.random.PCG64(block_seed(seed, b)), lo, hi, (hi - lo + 1) // 2))
        self.pending = [0] * len(self.blocks)

    def fill(self, u: np.ndarray, live: np.ndarray) -> None:
        """u[j] for every row j with live[j]; other rows keep stale values (never read)."""
        runs: list[tuple[int, int, bool]] = []
        j, k = 0, live.size
        while j < k:
            e = j + 1
            while e < k and live[e] == live[j]:
                e += 1
            runs.append((j, e, bool(live[j])))
            j = e
        for bi, (bg, lo, hi, stride) in enumerate(self.blocks):
            pending = self.pending[bi]
            for a, e, on in runs:
                if not on:
                    pending += (e - a) * stride
                    continue
                if pending:
                    bg.advance(pending)
                    pending = 0
                raw = bg.random_raw((e - a) * stride).view(np.uint32)
                u[a:e, lo:hi] = raw.reshape(e - a, 2 * stride)[:, : hi - lo]
            self.pending[bi] = pending
