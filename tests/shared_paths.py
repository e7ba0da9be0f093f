"""Where the shared, read-only data lives, for tests and benchmarks alike."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _shared() -> Path:
    """$ACCORD_SHARED, else ../shared beside the clone, else /work/shared."""
    candidates = [os.environ.get("ACCORD_SHARED"), REPO.parent / "shared", "/work/shared"]
    for c in candidates:
        if c and (Path(c) / "data").is_dir():
            return Path(c)
    return REPO.parent / "shared"


SHARED = _shared()
