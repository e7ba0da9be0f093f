"""Whole-process CLI times as ratios to `python -c "import numpy"`, measured here and now.

Run: python benchmarks/cli_startup.py [--repeats N]

Targets (issue 20): `accord --help` ≤ 1.5× the NumPy import; `accord smp` on KTAB's 27-actor ×
6-dimension case ≤ 2.5× (and at least 15× faster than KTAB's 5.6 s); `accord forecast --exact`
on the built-in scenario at most 1 s more than `accord --help` (its YAML parse, validation and
exact solve; its run goes to a temporary store). Each time is the best of N runs (a shared
machine's noise only ever adds time), the commands taken in turn.

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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from smp import DATA, KTAB_SECONDS, random_ktab  # noqa: E402


def accord_cmd() -> list[str]:
    script = Path(sys.executable).with_name("accord")
    return [str(script)] if script.exists() else [
        sys.executable, "-c", "from accord.cli import main; main()"]


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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--no-pyc", action="store_true", help="keep the caller's environment")
    args = ap.parse_args()
    r = args.repeats
    accord = accord_cmd()
    with tempfile.TemporaryDirectory() as tmp:
        env = None
        if not args.no_pyc:
            env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
            env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        ktab = Path(tmp) / "27x6.csv"
        write_ktab(ktab, 27, 6, 1)
        cases = {"dummyData_3Dim": DATA / "dummyData_3Dim.csv",
                 "SOE-Pol-Comp": DATA / "SOE-Pol-Comp.csv", "27x6": ktab,
                 "40x1": Path(tmp) / "40x1.csv"}
        write_ktab(cases["40x1"], 40, 1, 2)
        cmds = {
            "pass": [sys.executable, "-c", "pass"],
            "numpy": [sys.executable, "-c", "import numpy"],
            "accord --help": accord + ["--help"],
            "accord scenarios": accord + ["scenarios"],
            "accord validate": accord + ["validate", "south-caucasus-2025"],
            "accord forecast --exact": accord + [
                "forecast", "--exact", "--event", "treaty_signed", "--by", "2026-12-31",
                "--db", f"sqlite:///{Path(tmp) / 'runs.db'}"],
            **{f"accord smp {k}": accord + ["smp", str(v)] for k, v in cases.items()
               if v.exists()},
        }
        for cmd in cmds.values():  # warm the file cache and the .pyc files
            best(cmd, 1, env)
        times: dict[str, float] = {name: float("inf") for name in cmds}
        for _ in range(r):  # round-robin, so the machine's load weighs on all alike
            for name, cmd in cmds.items():
                times[name] = min(times[name], best(cmd, 1, env))
    base, numpy = times["pass"], times["numpy"]
    targets = {"accord --help": 1.5, "accord smp 27x6": 2.5}
    rows = [(name, times[name], targets.get(name)) for name in list(cmds)[2:]]
    print(f"python -c pass      {base:7.3f} s")
    print(f"python -c 'import numpy' {numpy:7.3f} s  (the baseline, 1.00x)")
    print(f"{'command':<28}{'seconds':>9}{'x numpy':>9}{'target':>9}")
    for name, t, target in rows:
        tgt = f"<= {target:g}x" if target else ""
        print(f"{name:<28}{t:9.3f}{t / numpy:8.2f}x{tgt:>9}")
    beyond = times["accord forecast --exact"] - times["accord --help"]
    print(f"accord forecast --exact beyond accord --help: {beyond:.3f} s (target <= 1 s)")
    print("whole processes against KTAB's times (target >= 15x faster):")
    for name in cases:
        if f"accord smp {name}" in times:
            t = times[f"accord smp {name}"]
            print(f"  {name:<16}{t:7.3f} s vs {KTAB_SECONDS[name]:6.2f} s: "
                  f"{KTAB_SECONDS[name] / t:6.1f}x faster")


if __name__ == "__main__":
    main()
