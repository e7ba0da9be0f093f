"""The most frequent orders in which events first occur along the simulated paths.

A path's order is its events sorted by first-occurrence step, events of the same step grouped
("russia_refocus+new_demand"), events that never occurred left out. Computed vectorised: each
path becomes a row of dense ranks (0 = never, 1 = first group, ...), and identical rows — the same
order — are counted with np.unique, so no Python runs per path.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class PathOrder:
    """An order in which events occurred, with the paths that took it."""

    order: tuple[str, ...]  # groups of events, same-step events joined by "+"
    paths: int
    share: float

    def to_dict(self) -> dict[str, object]:
        return {"order": list(self.order), "paths": self.paths, "share": self.share}


def rank_matrix(first_step: np.ndarray) -> np.ndarray:
    """Dense rank of each event's first step within its path (0 = never occurred)."""
    n, e = first_step.shape
    if e == 0:
        return np.zeros((n, 0), np.int16)
    key = np.where(first_step > 0, first_step.astype(np.int32), np.iinfo(np.int32).max)
    order = np.argsort(key, axis=1, kind="stable")
    srt = np.take_along_axis(key, order, axis=1)
    new_group = np.ones_like(srt, dtype=bool)
    new_group[:, 1:] = srt[:, 1:] != srt[:, :-1]
    dense = np.cumsum(new_group, axis=1, dtype=np.int16)
    ranks = np.empty_like(dense)
    np.put_along_axis(ranks, order, dense, axis=1)
    ranks[first_step <= 0] = 0
    return ranks


def label(ranks: np.ndarray, event_ids: list[str]) -> tuple[str, ...]:
    """One rank row as its order: groups in rank order, file order within a group."""
    groups: dict[int, list[str]] = {}
    for i, r in enumerate(ranks.tolist()):
        if r > 0:
            groups.setdefault(r, []).append(event_ids[i])
    return tuple("+".join(groups[r]) for r in sorted(groups))


def top_orders(first_step: np.ndarray, event_ids: list[str], top: int = 10) -> list[PathOrder]:
    """The `top` most frequent orders with their share of paths (ties: first in sort order)."""
    n = first_step.shape[0]
    if n == 0:
        return []
    ranks = rank_matrix(first_step)
    e = ranks.shape[1]
    bits = max(1, int(e).bit_length())  # ranks are 0..e
    if e * bits <= 63:  # pack each row into one integer: a 1-D unique is far faster
        shifts = (np.arange(e, dtype=np.int64) * bits).astype(np.int64)
        keys = (ranks.astype(np.int64) << shifts).sum(axis=1)
        _, where, counts = np.unique(keys, return_index=True, return_counts=True)
        rows = ranks[where]
    else:
        rows, counts = np.unique(ranks, axis=0, return_counts=True)
    best = np.argsort(-counts, kind="stable")[:top]
    return [
        PathOrder(label(rows[i], event_ids), int(counts[i]), float(counts[i] / n)) for i in best
    ]


def packing(e: int) -> int | None:
    """Bits per event when a path's ranks pack into one int64 key, else None."""
    bits = max(1, int(e).bit_length())  # ranks are 0..e
    return bits if e * bits <= 63 else None


def order_counts(first_step: np.ndarray) -> dict[object, int]:
    """Paths per order (additive: counts of disjoint path sets add up). Keys are the packed
    rank rows (int) where they fit in 63 bits, else the rank rows as tuples; both sort as
    `top_orders` breaks ties."""
    n, e = first_step.shape
    if n == 0:
        return {}
    ranks = rank_matrix(first_step)
    bits = packing(e)
    if bits is not None:
        shifts = (np.arange(e, dtype=np.int64) * bits).astype(np.int64)
        keys = (ranks.astype(np.int64) << shifts).sum(axis=1)
        uniq, counts = np.unique(keys, return_counts=True)
        return dict(zip(uniq.tolist(), counts.tolist(), strict=True))
    rows, counts = np.unique(ranks, axis=0, return_counts=True)
    return {tuple(r): c for r, c in zip(rows.tolist(), counts.tolist(), strict=True)}


def top_from_counts(counts: dict[object, int], event_ids: list[str], n: int,
                    top: int = 10) -> list[PathOrder]:
    """`top_orders` from merged `order_counts`: the same orders, shares and tie-breaks."""
    if n == 0 or not counts:
        return []
    e = len(event_ids)
    keys = sorted(counts)
    cnt = np.array([counts[k] for k in keys], dtype=np.int64)
    best = np.argsort(-cnt, kind="stable")[:top]
    bits = packing(e)
    out = []
    for i in best:
        key = keys[i]
        if bits is not None:
            row = np.array([(key >> (j * bits)) & ((1 << bits) - 1) for j in range(e)])
        else:
            row = np.array(key)
        out.append(PathOrder(label(row, event_ids), int(cnt[i]), float(cnt[i] / n)))
    return out
