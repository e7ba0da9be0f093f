"""Probabilities as tests on 32-bit uniform integers: a path fires where its u < limit.

The Monte Carlo month step (accord.process.step) turns each event's probability, with the
modifiers that hold on each path, into such a threshold; tabulating the thresholds per subset of
modifiers once per chunk (`combos`) and picking from the table per month (`pick_into`) is what
keeps the step cheap.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# A probability as a test on 32-bit uniform integers u: fires iff u < limit, or where `sure`.
# Exact at both ends (p <= 0 never fires, p >= 1 always does), within 2^-32 in between.
NEVER = ("never", None)
ALWAYS = ("always", None)
Threshold = tuple[object, np.ndarray | None]
TWO32 = 2.0**32
TABLE_LIMIT = 1 << 20  # entries of a DrawTable (subsets × draws): larger ones are not made


def threshold(p: float | np.ndarray) -> Threshold:
    if np.ndim(p) == 0:
        p = float(p)  # type: ignore[arg-type]
        if p <= 0:
            return NEVER
        if p >= 1:
            return ALWAYS
        return np.uint32(p * TWO32), None
    limit = np.clip(p * TWO32, 0, TWO32 - 1).astype(np.uint32)
    return limit, (p >= 1 if p.max() >= 1 else None)  # type: ignore[union-attr]


def modified(base: float | np.ndarray, conds: list[object],
             mults: list[float | np.ndarray]) -> float | np.ndarray:
    """The probability with its modifiers applied (events with many modifiers), `conds` each
    modifier's condition on the grid (True, False or a bool array)."""
    p = base
    for mc, mult in zip(conds, mults, strict=True):
        if mc is True:
            p = p * mult
        elif mc is not False:
            p = np.where(mc, p * mult, p)
    return p


@dataclass(frozen=True)
class DrawTable:
    """An event's thresholds per parameter draw under each subset of its modifiers, for each
    month where its rates change monthly: entry d · subsets + S of a month's row is draw d's
    under subset S (bit i: modifier i)."""

    limits: np.ndarray  # uint32, (months or 1, width × subsets)
    sure: np.ndarray | None  # where p >= 1, the same shape; None where no entry is
    width: int  # draws (1: every draw alike)
    subsets: int  # 2 ** modifiers


def draw_table(base: np.ndarray, mults: list[np.ndarray]) -> DrawTable | None:
    """The `DrawTable` of `base` (per draw; or (months, draws)) and multipliers (each of one
    value or one per draw): subset S's entry is base · Π_{i∈S} m_i multiplied in modifier
    order, as `modified` does, so its thresholds are `threshold(modified(...))`'s to the bit.
    None when it would hold more than TABLE_LIMIT entries."""
    base = np.asarray(base, dtype=float)
    rows = base.reshape(len(base) if base.ndim == 2 else 1, 1, -1)
    width = max(rows.shape[2], *(np.size(m) for m in mults))
    if len(rows) * width << len(mults) > TABLE_LIMIT:
        return None
    p = np.broadcast_to(rows, (len(rows), 1, width))
    for m in mults:  # [S] then [S ∪ {i}] along axis 1: bit i of the index is modifier i
        p = np.concatenate([p, p * np.asarray(m, dtype=float).reshape(1, 1, -1)], axis=1)
    p = p.transpose(0, 2, 1).reshape(len(rows), -1)  # draw-major
    limits = np.clip(p * TWO32, 0, TWO32 - 1).astype(np.uint32)
    return DrawTable(limits, p >= 1 if p.max() >= 1 else None, width, 1 << len(mults))


def pick_draws(table: DrawTable, row: int, conds: list[object], at: np.ndarray | int,
               shape: tuple[int, int]) -> Threshold:
    """`threshold(modified(...))` where a condition is a grid-shaped array: each path's entry
    of the table's `row` (its month's), at its subset of modifiers and its draw's first entry
    `at` (draw × subsets, broadcasting to the grid; 0 where the table has one draw)."""
    n = len(conds)
    kind = np.uint8 if n <= 8 else np.uint16 if n <= 16 else np.uint32
    fixed = sum(1 << i for i, mc in enumerate(conds) if mc is True)
    sub = np.full(shape, fixed, kind)
    for i, mc in enumerate(conds):
        if mc is not True and mc is not False:
            bits = np.asarray(mc, dtype=bool).view(np.uint8)
            sub |= (bits if kind is np.uint8 else bits.astype(kind)) << kind(i)
    idx = np.add(at, sub, dtype=np.intp) if table.width > 1 else sub
    limit = table.limits[row].take(idx)
    if table.sure is None:
        return limit, None
    sure = table.sure[row].take(idx)
    return limit, (sure if sure.any() else None)


def combos(base: float | np.ndarray, mults: list[float | np.ndarray]) -> list[Threshold]:
    out = []
    for idx in range(1 << len(mults)):
        p = base
        for i, mult in enumerate(mults):
            if idx >> i & 1:
                p = p * mult
        out.append(threshold(p))
    return out


def _norm(th: Threshold) -> tuple[object, object]:
    if th is NEVER:
        return np.uint32(0), False
    if th is ALWAYS:
        return np.uint32(0), True
    return th[0], False if th[1] is None else th[1]


def _pick(combos: list[Threshold], conds: list[object], i: int = 0, idx: int = 0) -> Threshold:
    """The threshold given which modifiers hold: a table lookup, np.where where paths differ."""
    if i == len(conds):
        return combos[idx]
    mc = conds[i]
    if mc is True or mc is False:
        return _pick(combos, conds, i + 1, idx | (1 << i) if mc else idx)
    a = _pick(combos, conds, i + 1, idx | (1 << i))
    b = _pick(combos, conds, i + 1, idx)
    if a is b:
        return a
    (la, sa), (lb, sb) = _norm(a), _norm(b)
    sure = None if sa is False and sb is False else np.where(mc, sa, sb)
    return _select(mc, la, lb), sure


def pick_into(
    combos: list[Threshold], conds: list[object], out: np.ndarray, tmp: np.ndarray,
    mask: np.ndarray,
) -> Threshold:
    """`_pick` without temporaries: the limit written into `out` (grid-shaped, uint32).

    With the array conditions c_i (the others fix their bits), the table T over their subsets
    is written in multilinear form, limit = Σ_S (Π_{i∈S} c_i) · D_S with D the Möbius
    transform of T modulo 2^32: exact, since each path's sum is T at its own subset. Tables
    with a certain (p ≥ 1) entry fall back to `_pick`.
    """
    fixed, arrays = 0, []
    for i, mc in enumerate(conds):
        if mc is True:
            fixed |= 1 << i
        elif mc is not False:
            arrays.append(i)
    if not arrays:
        return combos[fixed]
    table = []
    for sub in range(1 << len(arrays)):
        idx = fixed
        for b, i in enumerate(arrays):
            if sub >> b & 1:
                idx |= 1 << i
        table.append(combos[idx])
    if all(th is table[0] for th in table):
        return table[0]
    if any(th is ALWAYS or (th is not NEVER and th[1] is not None) for th in table):
        return _pick(combos, conds)
    mob = [np.uint32(0) if th is NEVER else th[0] for th in table]
    for b in range(len(arrays)):  # Möbius transform, in place, modulo 2^32
        for sub in range(len(mob)):
            if sub >> b & 1:
                mob[sub] = np.subtract(mob[sub], mob[sub ^ (1 << b)], dtype=np.uint32)
    np.copyto(out, mob[0])
    for sub in range(1, len(mob)):
        d = mob[sub]
        if np.ndim(d) == 0 and int(d) == 0:  # type: ignore[call-overload]
            continue
        bits = [conds[arrays[b]] for b in range(len(arrays)) if sub >> b & 1]
        m = bits[0]
        if len(bits) > 1:
            np.logical_and(bits[0], bits[1], out=mask)
            for extra in bits[2:]:
                np.logical_and(mask, extra, out=mask)
            m = mask
        np.multiply(m, d, out=tmp, dtype=np.uint32)
        np.add(out, tmp, out=out, dtype=np.uint32)
    return out, None


def _select(mc: np.ndarray, a: object, b: object) -> np.ndarray:
    """np.where(mc, a, b) for uint32, as b + mc·(a − b) modulo 2^32: branch-free, ~5× faster."""
    if np.ndim(a) == 0 and np.ndim(b) == 0:
        diff = np.uint32((int(a) - int(b)) % 2**32)  # type: ignore[call-overload]
    else:
        diff = np.subtract(a, b, dtype=np.uint32)  # arrays wrap silently
    out = np.multiply(mc, diff, dtype=np.uint32)
    return np.add(out, b, out=out, dtype=np.uint32)
