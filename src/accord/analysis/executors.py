"""Where variants run: in this process, on a local process pool, or on a Dask cluster.

Results never depend on the choice: each variant is computed on its own, from the same seed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np

from accord.errors import UserError

CONNECT_TIMEOUT = 8  # seconds: a cluster that does not answer is reported, never waited on


def chunked(n: int, size: int) -> list[tuple[int, int]]:
    return [(i, min(i + size, n)) for i in range(0, n, size)]


def run_chunks(
    fn: Callable[..., np.ndarray],
    args: Sequence[tuple[Any, ...]],
    *,
    workers: int = 1,
    cluster: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[np.ndarray]:
    """fn(*a) for each a in args, in order: serially, on `workers` processes, or on Dask."""
    total = len(args)
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total)

    if cluster is not None:
        return _on_dask(fn, args, cluster, tick)
    if workers <= 1 or total <= 1:
        out = []
        for a in args:
            out.append(fn(*a))
            tick()
        return out
    with ProcessPoolExecutor(max_workers=min(workers, total)) as pool:
        futures = [pool.submit(fn, *a) for a in args]
        results = []
        for f in futures:
            results.append(f.result())
            tick()
        return results


def _on_dask(
    fn: Callable[..., np.ndarray], args: Sequence[tuple[Any, ...]], address: str,
    tick: Callable[[], None],
) -> list[np.ndarray]:
    from dask.distributed import Client, as_completed

    try:
        client = Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise UserError.at(
            f"cannot reach the Dask scheduler at {address} within {CONNECT_TIMEOUT} s ({exc})",
            field="--cluster",
        ) from None
    except ValueError as exc:
        raise UserError.at(f"not a Dask scheduler address: {address} ({exc})",
                           field="--cluster") from None
    try:
        futures = [client.submit(fn, *a, pure=False) for a in args]
        index = {f.key: i for i, f in enumerate(futures)}
        results: list[np.ndarray | None] = [None] * len(futures)
        for f in as_completed(futures):
            results[index[f.key]] = f.result()
            tick()
        return [r for r in results if r is not None]
    finally:
        client.close()


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)
