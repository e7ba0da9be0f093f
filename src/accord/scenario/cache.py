"""Validated scenarios kept between runs, so that a command on an unchanged scenario skips
parsing and validating it again (start-up time: `accord forecast` reads the built-in scenario
on every call).

An entry is a value pickled in the user's cache folder (accord.usercache: `$ACCORD_HOME/cache`
when ACCORD_HOME is set); accord.scenario.loader keeps there the `Loaded` that validation
gave. Its key is the SHA-256 of everything validation reads besides source texts: the
scenario's text and name, the folders searched for source texts, the flags, the Python and
NumPy versions, the size and modification time of every file of the accord package (its code
and its data), and of the YAML parser's and pydantic's. The entry also lists the source texts
the quote check looked for, each with the hash of what it read (or its absence); a lookup
reads them again, and any change means a miss. A miss validates as ever and replaces the
entry. So a hit gives what validation would give now, never a stale answer. The loader keeps
only scenarios read by the fast parse without an `observed:` section (their `Loaded` holds no
round-trip tree); anything unreadable in the cache is a miss, and a cache that cannot be
written is skipped silently. The folder is the user's own: its pickles are read as trusted,
as the user's other files are.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import pickle
import sys
from pathlib import Path
from typing import Any

from accord.usercache import cache_root, write_atomically

FORMAT = 2  # raise when an entry's layout changes (2: records are dataclasses)
KEEP = 32  # entries kept; the least recently written go first
_STAMP: list[str] = []  # the code's stamp, made once per process


def cache_dir() -> Path:
    return cache_root() / "scenarios"


def _files_stamp(root: Path) -> list[str]:
    """Relative path, size and modification time (ns) of every file under `root`."""
    out = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            st = os.stat(os.path.join(folder, name))
            out.append(f"{os.path.relpath(os.path.join(folder, name), root)}:{st.st_size}:"
                       f"{st.st_mtime_ns}")
    return out


def code_stamp() -> str:
    """What decides a validation besides its inputs: accord's files, the files of the YAML
    parser and of pydantic (found, not imported: a hit needs neither), the versions of Python
    and NumPy."""
    if not _STAMP:
        import numpy

        package = Path(__file__).resolve().parents[1]  # accord's own folder
        parts = [str(FORMAT), sys.version, numpy.__version__, *_files_stamp(package)]
        for mod in ("yaml", "_yaml", "pydantic", "pydantic_core"):  # top-level: not imported
            spec = importlib.util.find_spec(mod)
            origin = spec.origin if spec is not None else None
            if origin and os.path.isfile(origin):
                st = os.stat(origin)
                parts.append(f"{origin}:{st.st_size}:{st.st_mtime_ns}")
        _STAMP.append(hashlib.sha256("\n".join(parts).encode()).hexdigest())
    return _STAMP[0]


def file_hash(path: str) -> str | None:
    """The hash of a source text as the quote check reads it; None where there is no file."""
    p = Path(path)
    if not p.is_file():
        return None
    from accord.scenario.evidence import text_hash

    return text_hash(p.read_text(encoding="utf-8", errors="replace"))


def entry_key(text: str, name: str, source_dirs: list[Path], require_texts: bool,
              strict: bool) -> str:
    parts = [code_stamp(), name, *map(str, source_dirs), f"{require_texts}{strict}", text]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def lookup(key: str) -> Any:
    """The value kept under `key` if it is there and every source text it read (its
    `consulted`) is as it was; else None."""
    path = cache_dir() / f"{key}.pickle"
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        consulted, value = pickle.loads(data)
        if any(file_hash(p) != h for p, h in consulted.items()):
            return None
    except Exception:  # an entry cut short or unreadable: a miss
        return None
    return value


def store(key: str, value: Any, consulted: dict[str, str | None]) -> None:
    """Keep `value` under `key` with the source texts it read, `consulted` (path → hash, None:
    absent); written whole, then renamed into place; older entries beyond KEEP are removed.
    Errors writing are ignored: the cache is only a shortcut."""
    try:
        data = pickle.dumps((consulted, value), protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return
    folder = cache_dir()
    if write_atomically(folder / f"{key}.pickle", data):
        with contextlib.suppress(OSError):  # another process pruning at the same time
            _prune(folder)


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in entries[KEEP:]:
        old.unlink(missing_ok=True)
