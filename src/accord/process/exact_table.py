"""The exact solver's table of states (accord.process.exact): every state met, by index, and
their packed keys to find a state's index without a Python loop over states."""

from __future__ import annotations

import numpy as np


class StateTable:
    """Every state enumerated, by index, as the rows of one small-int array, and a sorted
    array of their keys to find a state's index without a Python loop over states: a key
    packs a row's slots into as few int64 words as their ranges allow."""

    def __init__(self, maxima: np.ndarray) -> None:
        self.bits = np.array([int(v).bit_length() for v in maxima], dtype=np.int64)
        self.word = np.zeros(len(maxima), dtype=np.int64)
        self.shift = np.zeros(len(maxima), dtype=np.int64)
        w = used = 0
        for j, b in enumerate(self.bits.tolist()):
            if used + b > 63:
                w, used = w + 1, 0
            self.word[j], self.shift[j] = w, used
            used += b
        self.words = w + 1
        self.weights = np.zeros((len(maxima), self.words), dtype=np.int64)  # slot → its bits
        self.weights[np.arange(len(maxima)), self.word] = 1 << self.shift
        top = int(maxima.max(initial=0))
        dtype = np.int8 if top < 2**7 else np.int16 if top < 2**15 else np.int64
        self.rows = np.zeros((1024, len(maxima)), dtype=dtype)
        self.n = 1  # the initial state: all zeros
        self.known = self.pack(self.rows[:1])  # sorted keys
        self.known_index = np.zeros(1, dtype=np.int64)

    def pack(self, rows: np.ndarray) -> np.ndarray:
        """One key per row: an int64 for one word, else the words' bytes (numpy void). (An
        integer product: exact, and no BLAS threads to wait for on a busy machine.)"""
        return self.as_keys(rows.astype(np.int64) @ self.weights)

    def as_keys(self, words: np.ndarray) -> np.ndarray:
        """Keys from their int64 words (one row of `words` a key)."""
        if self.words == 1:
            return words[:, 0]
        return np.ascontiguousarray(words).view(np.dtype((np.void, 8 * self.words))).reshape(-1)

    def unpack(self, keys: np.ndarray) -> np.ndarray:
        words = keys.view(np.int64).reshape(len(keys), self.words)
        mask = (1 << self.bits) - 1
        return (words[:, self.word] >> self.shift & mask).astype(self.rows.dtype)

    def index(self, keys: np.ndarray) -> np.ndarray:
        """Each key's state index; states not met before are added in order of first
        appearance (the order a loop over the keys would number them in)."""
        uniq, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        pos = np.searchsorted(self.known, uniq)
        at = np.minimum(pos, len(self.known) - 1)
        found = (pos < len(self.known)) & (self.known[at] == uniq)
        ids = np.empty(len(uniq), dtype=np.int64)
        ids[found] = self.known_index[at[found]]
        new = np.flatnonzero(~found)
        new = new[np.argsort(first[new], kind="stable")]
        ids[new] = np.arange(self.n, self.n + len(new))
        self._append(self.unpack(uniq[new]))
        keys = np.concatenate([self.known, uniq[new]])
        order = np.argsort(keys, kind="stable")
        self.known = keys[order]
        self.known_index = np.concatenate([self.known_index, ids[new]])[order]
        return ids[inverse.reshape(-1)]

    def _append(self, rows: np.ndarray) -> None:
        need = self.n + len(rows)
        if need > len(self.rows):
            grown = np.zeros((max(need, 2 * len(self.rows)), self.rows.shape[1]),
                             dtype=self.rows.dtype)
            grown[: self.n] = self.rows[: self.n]
            self.rows = grown
        self.rows[self.n : need] = rows
        self.n = need
