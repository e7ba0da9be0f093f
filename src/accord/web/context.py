"""What every page and API route of one dashboard shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from accord.store.runs import RunStore
from accord.web.jobs import JobManager
from accord.web.workspace import Entry, Workspace

MAX_WEB_PATHS = 1_000_000  # a browser's run; the CLI allows more
TORNADO_PATHS = 1000  # paths per variant: a tornado runs 1 + 2 × (uncertain parameters) variants
MAX_TORNADO_PATHS = 100_000
MAX_SAMPLES = 64  # Sobol base samples / Morris trajectories from the dashboard


@dataclass
class Context:
    workspace: Workspace
    store: RunStore
    jobs: JobManager
    token: str | None = None
    max_paths: int = MAX_WEB_PATHS
    host: str | None = None  # the address served on: its name is allowed in Host headers
    # new scenarios made in the dashboard that do not validate yet (a blank one has no actor):
    # kept here, by file name, until saved, so nothing invalid is written unasked
    unsaved: dict[str, str] = field(default_factory=dict)
    # texts sent to be drafted from the New scenario dialog, by key, while their draft is
    # reviewed (accord.web.drafting.Pending)
    drafts: dict[str, Any] = field(default_factory=dict)


def last_run(ctx: Context, entry: Entry) -> list[dict[str, Any]]:
    """The newest run of exactly this file's current text ([] when none): copies of a scenario
    share its meta.id, so runs are matched by file name and content hash."""
    if entry.hash is None:
        return []
    return ctx.store.list(limit=1, scenario_hash=entry.hash, scenario_name=entry.name)
