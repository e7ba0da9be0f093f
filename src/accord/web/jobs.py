"""Runs in a bounded pool of workers: at most N at once, the rest answered "busy", never queued.

A run belongs to the server, not to the browser tab that asked for it: it completes and lands in
the run store whether or not anyone is still watching. An exception in a run is logged with its
traceback on the server and reported to the browser as one sentence.
"""

from __future__ import annotations

import functools
import logging
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from accord.analysis.run import Execution, RunSettings, run_scenario
from accord.analysis.sensitivity import SensitivitySettings, sensitivity
from accord.analysis.variants import targets, uncertain_parameters
from accord.errors import UserError
from accord.scenario.loader import Loaded
from accord.store.runs import RunStore

MAX_SENSITIVITY_WORK = 20_000_000  # variants × paths of one dashboard analysis (the CLI: any)

log = logging.getLogger("accord.web")
KEEP_FINISHED = 200  # finished jobs remembered in memory (their runs are in the store anyway)
Tick = Callable[..., None]
# work(tick) -> (results, settings as stored): what a job computes, in a worker thread
Work = Callable[[Tick], tuple[dict[str, Any], dict[str, Any]]]


class Busy(Exception):
    """Every worker is taken: the caller should try again shortly."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"busy: {limit} run(s) already running, the most this server runs at once; "
            "try again in a moment"
        )
        self.limit = limit


@dataclass
class Job:
    id: str
    ref: str
    scenario_id: str
    settings: dict[str, Any]
    kind: str = "web"  # the run store's kind: web (a run) | sensitivity
    status: str = "running"  # running | done | failed
    done: int = 0
    total: int = 0
    started: float = field(default_factory=time.time)
    finished: float | None = None
    run_id: int | None = None
    message: str | None = None
    results: dict[str, Any] | None = None

    @property
    def progress(self) -> float:
        if self.status != "running":
            return 1.0
        return self.done / self.total if self.total else 0.0

    def to_dict(self, with_results: bool = True) -> dict[str, Any]:
        d = {
            "id": self.id,
            "status": self.status,
            "kind": self.kind,
            "progress": round(self.progress, 4),
            "scenario": self.ref,
            "scenario_id": self.scenario_id,
            "settings": self.settings,
            "run_id": self.run_id,
            "message": self.message,
            "seconds": round((self.finished or time.time()) - self.started, 3),
        }
        if with_results and self.status == "done":
            d["results"] = self.results
        return d


class JobManager:
    def __init__(self, store: RunStore, max_runs: int = 2) -> None:
        if max_runs < 1:
            raise UserError.at("must be at least 1", field="max_runs")
        self.store = store
        self.max_runs = max_runs
        self._pool = ThreadPoolExecutor(max_workers=max_runs, thread_name_prefix="accord-run")
        self._lock = threading.Lock()
        self._running = 0
        self._jobs: OrderedDict[str, Job] = OrderedDict()

    @property
    def running(self) -> int:
        return self._running

    def submit(self, loaded: Loaded, settings: RunSettings, ref: str) -> Job:
        """A forecast run (stored as kind "web")."""
        settings.check()  # a bad setting is the user's mistake, answered at once

        obs = loaded.observations  # an `observed:` section, or sent with POST /api/runs
        observed = obs.months(loaded.scenario) if obs is not None else None

        def work(tick: Tick) -> tuple[dict[str, Any], dict[str, Any]]:
            result = run_scenario(loaded.scenario, settings, observed=observed,
                                  execution=Execution(progress=tick))
            extra = {"observations_hash": observed.hash} if observed is not None else {}
            return result.to_dict(), {**vars(settings), "source": "dashboard", **extra}

        return self._start(loaded, ref, "web", dict(vars(settings)), settings.seed, work)

    def submit_sensitivity(
        self, loaded: Loaded, question: str | None, paths: int, seed: int, ref: str,
        method: str = "tornado", samples: int = 8,
    ) -> Job:
        """A tornado, Sobol (`samples` base samples) or Morris (`samples` trajectories)
        analysis over the uncertain parameters (stored as kind "sensitivity")."""
        recipe = RunSettings(paths=paths, seed=seed)
        recipe.check()
        goals = targets(loaded.scenario, question)  # an unknown question: answered at once
        d = len(uncertain_parameters(loaded.scenario))
        variants = {"tornado": 2 * d + 1, "sobol": samples * (d + 2),
                    "morris": samples * (d + 1)}[method]
        if variants * paths > MAX_SENSITIVITY_WORK:
            raise UserError.at(f"{variants:,} variants × {paths:,} paths is more than the "
                               f"dashboard runs ({MAX_SENSITIVITY_WORK:,} paths in all): fewer "
                               "paths or samples, or `accord sensitivity` on the command line",
                               field="paths")
        settings = {"method": method, "question": question, "paths": paths, "seed": seed,
                    **({} if method == "tornado" else {"samples": samples})}

        def work(tick: Tick) -> tuple[dict[str, Any], dict[str, Any]]:
            result = sensitivity(loaded.scenario, recipe,
                                 SensitivitySettings(goals, method, samples),
                                 execution=Execution(progress=tick))
            stored = {"method": method, "samples": result.samples, "paths": paths,
                      "parameters": [], "question": question, "source": "dashboard"}
            return result.to_dict(), stored

        return self._start(loaded, ref, "sensitivity", settings, seed, work)

    def _start(
        self, loaded: Loaded, ref: str, kind: str, settings: dict[str, Any], seed: int,
        work: Work,
    ) -> Job:
        with self._lock:
            if self._running >= self.max_runs:
                raise Busy(self.max_runs)
            self._running += 1
            job = Job(
                id="job-" + secrets.token_hex(8),
                ref=ref,
                scenario_id=loaded.scenario.meta.id,
                settings=settings,
                kind=kind,
            )
            self._jobs[job.id] = job
            self._forget_old()
        try:
            self._pool.submit(functools.partial(self._work, job, loaded, seed, work))
        except RuntimeError:  # the pool is shut down: the server is stopping
            with self._lock:
                self._running -= 1
            job.status, job.message = "failed", "the server is shutting down"
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def wait(self, job: Job, timeout: float | None = None) -> Job:
        end = None if timeout is None else time.monotonic() + timeout
        while job.status == "running" and (end is None or time.monotonic() < end):
            time.sleep(0.02)
        return job

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=False)

    def _forget_old(self) -> None:
        finished = [k for k, j in self._jobs.items() if j.status != "running"]
        for k in finished[: max(0, len(finished) - KEEP_FINISHED)]:
            del self._jobs[k]

    def _work(self, job: Job, loaded: Loaded, seed: int, work: Work) -> None:
        def tick(done: int, total: int | None = None) -> None:
            job.done, job.total = int(done), int(total or job.total)

        status, message = "failed", None
        try:
            results, stored = work(tick)
            run_id = self.store.save(
                kind=job.kind,
                scenario_id=loaded.scenario.meta.id,
                scenario_name=loaded.name,
                scenario_text=loaded.text,
                seed=seed,
                settings=stored,
                results=results,
            )
            job.results, job.run_id, status = results, run_id, "done"
        except UserError as exc:
            message = str(exc)
        except Exception as exc:  # a bug: the traceback goes to the log, one line to the user
            log.exception("%s %s of %s failed", job.kind, job.id, job.ref)
            message = (
                f"the run failed with an internal error ({type(exc).__name__}); "
                "the details are in the server's log"
            )
        finally:
            with self._lock:  # free the worker before anyone sees the run finished
                self._running -= 1
            job.finished, job.message, job.status = time.time(), message, status
