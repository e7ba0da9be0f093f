"""A saved run's row, built without SQLAlchemy: shared by the store (accord.store.runs) and the
quick SQLite writer (accord.store.quick), so both save exactly the same row."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from accord.jsonable import finite
from accord.scenario.evidence import text_hash
from accord.usercache import cache_root, write_atomically

HEAD = "0003"  # the newest revision; a test checks it is alembic's head


def default_url() -> str:
    home = os.environ.get("ACCORD_HOME")
    if home:
        folder = Path(home)
    else:
        from platformdirs import user_data_dir

        folder = Path(user_data_dir("accord", appauthor=False))
    return f"sqlite:///{folder / 'runs.sqlite'}"


scenario_hash = text_hash  # a stored run's scenario text, hashed as every text is


LIBRARIES = ("accord", "numpy", "scipy", "pydantic", "SQLAlchemy")


def library_versions() -> dict[str, str]:
    """The installed versions a run is saved with, as importlib.metadata reads them.

    Reading them costs a forecast ~15 ms (importlib.metadata, then one search of the path per
    package), so they are kept in accord.usercache under a key of the interpreter and of every
    folder on sys.path with its modification time: installing, upgrading or removing a package
    adds or removes its `NAME-VERSION.dist-info` folder in one of them, which changes that
    folder's time, and the versions are read again."""
    key = _path_key()
    path = cache_root() / f"versions-{key[:32]}.json"
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
        if kept.get("key") == key and set(kept["versions"]) == set(LIBRARIES):
            return {pkg: str(kept["versions"][pkg]) for pkg in LIBRARIES}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    out = _read_versions()
    write_atomically(path, json.dumps({"key": key, "versions": out}).encode("utf-8"))
    return out


def _path_key() -> str:
    # sys.path[0] is the script's folder, or the current folder (a notebook's, `python -m`'s):
    # files come and go there all day, and packages are not installed there
    entries = sys.path if sys.flags.safe_path else sys.path[1:]
    parts = [sys.executable, sys.version, *entries]
    for entry in entries:
        try:
            parts.append(str(os.stat(entry or ".").st_mtime_ns))
        except OSError:
            parts.append("-")
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def _read_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for pkg in LIBRARIES:
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "unknown"
    return out


def method_of(settings: dict) -> str | None:
    """What a run did, for filtering: the analysis method, or how a forecast was computed."""
    if settings.get("method"):
        return str(settings["method"])[:32]
    if "exact" in settings:
        return "exact" if settings["exact"] else "monte-carlo"
    return None


def to_json(obj: Any) -> str:
    """A JSON column's text (what SQLAlchemy's JSON type stores, through this serializer)."""
    return json.dumps(finite(obj))


def run_row(*, kind: str, scenario_id: str, scenario_name: str, scenario_text: str,
            seed: int | None, settings: dict[str, Any], results: dict[str, Any]
            ) -> dict[str, Any]:
    """The `runs` table's row for one run (its JSON columns still Python values)."""
    return {
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "kind": kind,
        "scenario_id": scenario_id,
        "scenario_name": scenario_name,
        "scenario_hash": scenario_hash(scenario_text),
        "scenario_text": scenario_text,
        "seed": seed,
        "method": method_of(settings),
        "settings": settings,
        "versions": library_versions(),
        "results": results,
    }
