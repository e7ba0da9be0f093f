"""Whole-process CLI times as ratios to `python -c "import numpy"`, measured here and now.

Run: python benchmarks/cli_startup.py [--repeats N]

Targets (issue 31), as the median over rounds of each round's paired ratio (the command's time
over NumPy's import in the same round): `accord run` on the built-in scenario with its report
≤ 18×, `accord forecast --event … --by …` at its default paths ≤ 4.5×, `accord --help` ≤ 1.5×.
Both write to a temporary run store, created by the warm-up run, as a user's store already is.
Issue 20's targets are printed too, from the best of N runs (a shared machine's noise only ever
adds time): `accord smp` on KTAB's 27-actor × 6-dimension case ≤ 2.5× (and at least 15× faster
than KTAB's 5.6 s); `accord forecast --exact` at most 1 s more than `accord --help`. The
commands are taken in turn, round by round, so the machine's load weighs on all alike.

The processes run as an installed accord does, with compiled `.pyc` files: they go to a fresh
temporary `PYTHONPYCACHEPREFIX` (the working tree stays clean) and `PYTHONDONTWRITEBYTECODE`
is dropped, so the warm-up run writes them. `--no-pyc` keeps the caller's environment instead
(with PYTHONDONTWRITEBYTECODE=1 every run compiles accord's sources again: ~20 ms more).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent))
from smp import DATA, KTAB_SECONDS, random_ktab  # noqa: E402


def accord_cmd() -> list[str]:
    script = Path(sys.executable).with_name("accord")
    return [str(script)] if script.exists() else [
        sys.executable, "-c", "from accord.cli import main; main()"]


TARGETS = {"accord run": 18.0, "accord forecast": 4.5, "accord --help": 1.5}  # issue 31


def best(cmd: list[str], repeats: int, env: dict[str, str] | None = None) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env=env)
        times.append(time.perf_counter() - t0)
    return min(times)


def write_ktab(path: Path, n: int, d: int, seed: int) -> None:
    """KTAB's SMP CSV: a title line, a header, one row per actor (salience in percent)."""
    pos, sal, cap = random_ktab(n, d, seed)
    head = ["Actor", "Description", "Influence"]
    for k in range(d):
        head += [f"Dim{k}", f"Dim{k} Salience"]
    rows = [f"Random,{n} actors x {d} dimensions,{n},{d},", ",".join(head) + ","]
    for a in range(n):
        cells = [f"A{a}", f"actor {a}", f"{cap[a]:.1f}"]
        for k in range(d):
            cells += [f"{100 * pos[a, k]:.0f}", f"{100 * sal[a, k]:.2f}"]
        rows.append(",".join(cells) + ",")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def commands(accord: list[str], tmp: Path) -> tuple[dict[str, list[str]], dict[str, Path]]:
    """The commands timed, and the KTAB cases of `accord smp` (written into `tmp`)."""
    ktab = tmp / "27x6.csv"
    write_ktab(ktab, 27, 6, 1)
    cases = {"dummyData_3Dim": DATA / "dummyData_3Dim.csv",
             "SOE-Pol-Comp": DATA / "SOE-Pol-Comp.csv", "27x6": ktab, "40x1": tmp / "40x1.csv"}
    write_ktab(cases["40x1"], 40, 1, 2)
    db = ["--db", f"sqlite:///{tmp / 'runs.db'}"]
    ask = ["--event", "treaty_signed", "--by", "2026-12-31"]
    cmds = {
        "pass": [sys.executable, "-c", "pass"],
        "numpy": [sys.executable, "-c", "import numpy"],
        "accord --help": accord + ["--help"],
        "accord run": accord + ["run", "--out", str(tmp / "report"), *db],
        "accord forecast": accord + ["forecast", *ask, *db],
        "accord scenarios": accord + ["scenarios"],
        "accord validate": accord + ["validate", "south-caucasus-2025"],
        "accord forecast --exact": accord + ["forecast", "--exact", *ask, *db],
        **{f"accord smp {k}": accord + ["smp", str(v)] for k, v in cases.items() if v.exists()},
    }
    return cmds, cases


def timed(cmds: dict[str, list[str]], rounds: int, env: dict[str, str] | None
          ) -> dict[str, list[float]]:
    """Each command's time in every round, the commands taken in turn (after a warm-up)."""
    for cmd in cmds.values():  # warm the file cache, the .pyc files and the run store
        best(cmd, 1, env)
    times: dict[str, list[float]] = {name: [] for name in cmds}
    for _ in range(rounds):
        for name, cmd in cmds.items():
            times[name].append(best(cmd, 1, env))
    return times


def report(times: dict[str, list[float]], cases: dict[str, Path]) -> None:
    """Issue 31's paired median ratios, then the best times against issue 20's targets."""
    numpy = times["numpy"]
    print(f"python -c 'import numpy': median {median(numpy):.3f} s (the baseline, 1.00x)")
    print(f"{'issue 31 (paired medians)':<28}{'seconds':>9}{'x numpy':>9}{'target':>10}")
    for name, target in TARGETS.items():
        ratio = median(t / n for t, n in zip(times[name], numpy, strict=True))
        print(f"{name:<28}{median(times[name]):9.3f}{ratio:8.2f}x{f'<= {target:g}x':>10}")
    best_of = {name: min(ts) for name, ts in times.items()}
    base = best_of["numpy"]
    print(f"\n{'best of the rounds':<28}{'seconds':>9}{'x numpy':>9}")
    print(f"{'python -c pass':<28}{best_of['pass']:9.3f}")
    for name in list(times)[2:]:
        print(f"{name:<28}{best_of[name]:9.3f}{best_of[name] / base:8.2f}x")
    beyond = best_of["accord forecast --exact"] - best_of["accord --help"]
    print(f"accord forecast --exact beyond accord --help: {beyond:.3f} s (target <= 1 s)")
    print("accord smp, whole processes against KTAB's times (target >= 15x faster; "
          "27x6 <= 2.5x numpy):")
    for name in cases:
        if f"accord smp {name}" in best_of:
            t = best_of[f"accord smp {name}"]
            print(f"  {name:<16}{t:7.3f} s vs {KTAB_SECONDS[name]:6.2f} s: "
                  f"{KTAB_SECONDS[name] / t:6.1f}x faster")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=7, help="rounds")
    ap.add_argument("--no-pyc", action="store_true", help="keep the caller's environment")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = None
        if not args.no_pyc:
            env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
            env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        cmds, cases = commands(accord_cmd(), Path(tmp))
        times = timed(cmds, args.repeats, env)
    report(times, cases)


if __name__ == "__main__":
    main()
