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


def balanced(n: int, max_size: int, slots: int) -> list[tuple[int, int]]:
    """n items in tasks of at most max_size, as equal as can be, their count a multiple of
    `slots` (the workers) where n allows, so no worker idles while another runs the last one."""
    if n <= 0:
        return []
    tasks = -(-n // max(1, max_size))
    if slots > 1:
        tasks = min(n, slots * -(-tasks // slots))
    edges = [round(i * n / tasks) for i in range(tasks + 1)]
    return [(a, b) for a, b in zip(edges, edges[1:], strict=False) if b > a]


def run_split(
    fn: Callable[..., np.ndarray],
    n: int,
    make_args: Callable[[int, int], tuple[Any, ...]],
    *,
    max_size: int,
    workers: int = 1,
    cluster: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[np.ndarray]:
    """fn(*make_args(a, b)) over `balanced` item ranges [a, b), in order; `fn`'s results must
    not depend on the split. On Dask the split counts the cluster's worker threads."""
    if cluster is None:
        slots = workers if workers > 1 else 1
        args = [make_args(a, b) for a, b in balanced(n, max_size, slots)]
        return run_chunks(fn, args, workers=workers, progress=progress)
    client = _connect(cluster)
    try:
        slots = sum(client.nthreads().values()) or 1
        args = [make_args(a, b) for a, b in balanced(n, max_size, slots)]
        return _on_client(client, fn, args, _ticker(len(args), progress))
    finally:
        client.close()


def _ticker(total: int, progress: Callable[[int, int], None] | None) -> Callable[[], None]:
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total)

    return tick


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
    tick = _ticker(total, progress)
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


def _connect(address: str):  # noqa: ANN202 - dask is an optional dependency
    from dask.distributed import Client

    try:
        return Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise UserError.at(
            f"cannot reach the Dask scheduler at {address} within {CONNECT_TIMEOUT} s ({exc})",
            field="cluster",
        ) from None
    except ValueError as exc:
        raise UserError.at(f"not a Dask scheduler address: {address} ({exc})",
                           field="cluster") from None


def _on_dask(
    fn: Callable[..., np.ndarray], args: Sequence[tuple[Any, ...]], address: str,
    tick: Callable[[], None],
) -> list[np.ndarray]:
    client = _connect(address)
    try:
        return _on_client(client, fn, args, tick)
    finally:
        client.close()


def _on_client(
    client: Any, fn: Callable[..., np.ndarray], args: Sequence[tuple[Any, ...]],
    tick: Callable[[], None],
) -> list[np.ndarray]:
    """Objects every task shares (the scenario, the targets) go to the workers once."""
    from dask.distributed import as_completed

    if not args:
        return []
    shared = {
        i for i, x in enumerate(args[0])
        if len(args) > 1 and not isinstance(x, int | float | str | bytes | np.ndarray)
        and all(a[i] is x for a in args)
    }
    scattered = {i: client.scatter(args[0][i], broadcast=True, hash=False) for i in shared}
    futures = [
        client.submit(fn, *[scattered.get(i, x) for i, x in enumerate(a)], pure=False)
        for a in args
    ]
    index = {f.key: i for i, f in enumerate(futures)}
    results: list[np.ndarray | None] = [None] * len(futures)
    for f in as_completed(futures):
        results[index[f.key]] = f.result()
        tick()
    return [r for r in results if r is not None]


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)
