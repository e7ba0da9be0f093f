"""The folder of what accord keeps between runs only to be faster (never needed for an answer):
`$ACCORD_HOME/cache` when ACCORD_HOME is set, else platformdirs' user cache folder for accord.
Deleting it at any time is safe. Nothing heavy is imported here."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def cache_root() -> Path:
    home = os.environ.get("ACCORD_HOME")
    if home:
        return Path(home) / "cache"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("accord", appauthor=False))


def write_atomically(path: Path, data: bytes) -> bool:
    """Write `data` whole to a temporary file beside `path`, then rename it into place (a
    reader sees the old file or the new one, never half of one). False if it cannot be
    written: a cache that cannot be kept is only slower."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
        return False
    return True
