"""Monte Carlo memory and time against the number of paths, measured with /usr/bin/time -v.

Run: python benchmarks/memory.py [--paths 100000,1000000,10000000]

Each size runs in its own process: a forecast of the built-in scenario (200 parameter draws),
`run_scenario` timed inside the process (best of 3 up to 1M paths), peak RSS from
`/usr/bin/time -v` (whole process, Python and libraries included). Targets: 10 million paths
under 1 GB peak RSS, and time linear in paths (10M at most 110x the cost of 100k).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys

DRIVER = """
import sys, time
from accord.analysis.run import RunSettings, run_scenario
from accord.scenario.loader import load_scenario
s = load_scenario("south-caucasus-2025").scenario
run_scenario(s, RunSettings(paths=20_000, seed=1), with_issues=False)  # warm: imports, caches
n = int(sys.argv[1])
best = float("inf")
for _ in range(3 if n <= 1_000_000 else 1):  # best of 3 where cheap: noise only adds time
    t0 = time.perf_counter()
    r = run_scenario(s, RunSettings(paths=n, seed=1), with_issues=False)
    best = min(best, time.perf_counter() - t0)
print("SECONDS", best, r.forecast.paths)
"""


def measure(paths: int) -> tuple[float, float, int]:
    """(seconds in run_scenario, peak RSS in MiB, paths run)."""
    time_bin = shutil.which("time") or "/usr/bin/time"
    proc = subprocess.run([time_bin, "-v", sys.executable, "-c", DRIVER, str(paths)],
                          capture_output=True, text=True, check=True)
    secs, n = re.search(r"SECONDS (\S+) (\d+)", proc.stdout).groups()  # type: ignore[union-attr]
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    return float(secs), int(rss.group(1)) / 1024 if rss else float("nan"), int(n)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--paths", default="100000,1000000,10000000")
    sizes = [int(x) for x in ap.parse_args().paths.split(",")]
    print(f"{'paths':>12}{'seconds':>10}{'peak RSS MiB':>14}{'x time of first':>17}")
    first = None
    for n in sizes:
        secs, rss, ran = measure(n)
        first = first or (secs, ran)
        ratio = secs / first[0]
        print(f"{ran:>12,}{secs:>10.2f}{rss:>14.0f}{ratio:>16.1f}x"
              f"  (paths {ran / first[1]:.0f}x)")


if __name__ == "__main__":
    main()
