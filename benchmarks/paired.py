"""Two in-process runs of the event process timed in turn, A B A B …, so that a ratio holds
while the machine's speed drifts: what the benchmarks that compare two scenarios share."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from typing import Any


@dataclass
class Paired:
    base: float  # median seconds of the baseline
    other: float  # median seconds of the other
    ratios: list[float]  # other / base, run by run

    def line(self, target: str) -> str:
        r = self.ratios
        return (f"ratio (paired, median of {len(r)})   {statistics.median(r):.3f}× "
                f"(min {min(r):.3f}, max {max(r):.3f}; target {target})")

    def report(self, paths: int, base: str, other: str, target: str) -> str:
        """Both medians, labelled, and the ratio against its target."""
        width = max(len(base), len(other))
        return (f"run, {paths:,} paths, {base:<{width}}  median {self.base:.3f} s\n"
                f"run, {paths:,} paths, {other:<{width}}  median {self.other:.3f} s\n"
                + self.line(target))


def paired_runs(base: Any, other: Any, paths: int, repeats: int) -> Paired:
    """Median times of `run_scenario` on the two scenarios at `paths`, after a warm-up each."""
    from accord.analysis.run import RunSettings, run_scenario

    settings = RunSettings(paths=paths, seed=1)
    for sc in (base, other):
        run_scenario(sc, settings, with_issues=False)  # warm-up
    times: dict[str, list[float]] = {"base": [], "other": []}
    ratios = []
    for _ in range(repeats):
        for key, sc in (("base", base), ("other", other)):
            t0 = time.perf_counter()
            run_scenario(sc, settings, with_issues=False)
            times[key].append(time.perf_counter() - t0)
        ratios.append(times["other"][-1] / times["base"][-1])
    return Paired(statistics.median(times["base"]), statistics.median(times["other"]), ratios)
