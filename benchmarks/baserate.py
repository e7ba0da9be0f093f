"""The outside view's costs, as ratios measured here and now (targets: issue 30).

1. `accord baserate show ucdp.agreement_ends --json` as a whole process against `accord --help`
   (target ≤ 1.5×), both against `python -c "import numpy"`; best of N runs each, in turn,
   with compiled `.pyc` files as an installed accord has them.
2. A Monte Carlo run of the built-in scenario whose treaty and US–Russia deal take their rates
   from reference classes (modifiers kept), against the same run with the written hazards
   (target ≤ 1.1×): the median of N paired in-process runs, alternated.

Run: python benchmarks/baserate.py [--repeats N] [--paths P]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cli_startup import accord_cmd, best  # noqa: E402
from paired import paired_runs  # noqa: E402


def processes(repeats: int) -> None:
    accord = accord_cmd()
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        cmds = {"numpy": [sys.executable, "-c", "import numpy"], "help": [*accord, "--help"],
                "show": [*accord, "baserate", "show", "ucdp.agreement_ends", "--json"]}
        for cmd in cmds.values():  # warm-up: writes the .pyc files
            best(cmd, 1, env)
        t = {k: best(cmd, repeats, env) for k, cmd in cmds.items()}
    print(f"python -c 'import numpy'      {t['numpy']:.3f} s")
    print(f"accord --help                 {t['help']:.3f} s  ({t['help'] / t['numpy']:.2f}× numpy)")
    print(f"accord baserate show --json   {t['show']:.3f} s  ({t['show'] / t['numpy']:.2f}× "
          f"numpy, {t['show'] / t['help']:.2f}× --help; target ≤ 1.5× --help)")


def with_references():  # -> (Scenario, Scenario)
    from accord.scenario.loader import load_scenario

    base = load_scenario("south-caucasus-2025").scenario
    events = []
    for ev in base.events:
        data = ev.model_dump(by_alias=True, exclude_none=True)
        if ev.id in ("treaty_signed", "us_russia_deal"):
            data.pop("hazard")
            data["reference"] = "pax.comprehensive_after_first"
        events.append(data)
    return base, type(base).model_validate({**base.model_dump(by_alias=True, exclude_none=True),
                                             "events": events})


def runs(repeats: int, paths: int) -> None:
    plain, ref = with_references()
    got = paired_runs(plain, ref, paths, repeats)
    print(got.report(paths, "written hazards", "two events from reference classes", "≤ 1.1×"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--paths", type=int, default=20_000)
    args = ap.parse_args()
    processes(args.repeats)
    runs(args.repeats, args.paths)


if __name__ == "__main__":
    main()
