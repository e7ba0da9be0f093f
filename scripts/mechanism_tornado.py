"""What each of the article's mechanisms does to the built-in scenario's forecast, measured:
each mechanism is neutralised in turn (its multipliers set to 1, its event's rate to 0, or its
uncertain chance to 1) and the scenario run again on the same seed, parameter draws and paths
as the base run, as `accord compare` does for a scenario and a what-if overlay. The table in
docs/south-caucasus-2025.md ("What each mechanism does") is this script's output.

Run: python scripts/mechanism_tornado.py [--paths N] [--seed S] [--tornado]

Each cell is the mechanism's effect: the base run minus the neutralised run (with it minus
without it), in percentage points, ± its paired standard error (clustered by parameter draw,
`accord.analysis.compare`), and relative to the neutralised run (how much the mechanism scales
the answer). A negative number means the mechanism, as the scenario has it, lowers that
question's probability. --tornado also prints the three widest tornado bars per
question (one parameter at its low or high, the others at the run's draws).
"""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.progress import track

from accord.analysis.compare import Target, compare_targets
from accord.analysis.run import RunSettings, run_scenario
from accord.scenario.loader import load_scenario
from accord.scenario.model import Scenario
from accord.scenario.params import Param

# label → (what neutralising means, {parameter name: the value it is fixed at})
MECHANISMS: dict[str, tuple[str, dict[str, float]]] = {
    "Baku adds conditions": ("no new demand", {"events.new_demand.repeatable": 0}),
    "more demands after the amendment": (
        "×1", {"events.new_demand.modifiers[0].multiply": 1}),
    "the referendum's yes is uncertain": (
        "yes certain", {"events.constitution_amended.chance": 1}),
    "a failed vote is retried": ("no retry", {"events.referendum_retried.hazard": 0}),
    "a failed vote raises clashes": (
        "×1", {"events.armed_escalation.modifiers[3].multiply": 1}),
    "Baku's commitment is unclear": ("Baku commits", {"events.baku_commits.chance": 1}),
    "bargaining: constitution ≥ 85 speeds the vote": (
        "×1", {"events.referendum_held.modifiers[0].multiply": 1}),
    "fear after a clash speeds Yerevan": ("×1", {
        "events.demand_met.modifiers[0].multiply": 1,
        "events.referendum_held.modifiers[1].multiply": 1}),
    "open demands raise clashes": ("×1", {"events.armed_escalation.modifiers[2].multiply": 1}),
    "a clash freezes signing": ("×1", {"events.treaty_signed.modifiers[2].multiply": 1}),
    "Ankara holds back after a clash": ("×1", {
        "events.turkey_armenia_relations.modifiers[0].multiply": 1,
        "events.border_opened.modifiers[0].multiply": 1}),
    "a treaty calms clashes": ("×1", {"events.armed_escalation.modifiers[0].multiply": 1}),
    "window: the US–Russia deal chain": ("no deal", {"events.us_russia_deal.hazard": 0}),
    "window: all sabotage": ("no sabotage", {"events.russia_sabotage.hazard": 0}),
    "the time is now (weaker after a year)": ("×1", {
        "events.referendum_held.modifiers[3].multiply": 1,
        "events.treaty_signed.modifiers[3].multiply": 1}),
}


def neutralised(scenario: Scenario, fixed: dict[str, float]) -> Scenario:
    """The scenario with each named parameter a point at the given value; every other parameter
    keeps its name and so its random stream, which is what pairs the two runs."""
    by_name = {v: k for k, v in scenario.parameter_names().items()}
    events = list(scenario.events)
    for name, value in fixed.items():
        path = by_name[name]  # e.g. events[14].modifiers[3].multiply
        i = int(path.split("[", 2)[1].split("]")[0])
        point = Param(value=value, assumption="neutralised by scripts/mechanism_tornado.py")
        ev = events[i]
        if ".modifiers[" in path:
            j = int(path.split("modifiers[")[1].split("]")[0])
            mods = list(ev.modifiers)
            mods[j] = mods[j].model_copy(update={"multiply": point})
            events[i] = ev.model_copy(update={"modifiers": mods})
        else:
            events[i] = ev.model_copy(update={path.rsplit(".", 1)[1]: point})
    return scenario.model_copy(update={"events": events})


def target(name: str, scenario: Scenario, settings: RunSettings) -> Target:
    res = run_scenario(scenario, settings, with_issues=False)
    return Target(name, res.to_dict(), sim=res.sim, scenario=scenario)


def cell(d: float, se: float, without: float) -> str:
    rel = f"{100 * d / without:+.0f}%" if without > 0 else "n/a"
    return f"{100 * d:+.1f} ±{100 * se:.2f} ({rel})"


def print_tornado(s: Scenario, paths: int, seed: int) -> None:
    from accord.analysis.sensitivity import TornadoSettings, tornado
    from accord.analysis.variants import targets

    res = tornado(s, RunSettings(paths=paths, seed=seed), TornadoSettings(targets(s)))
    print(f"\nwidest tornado bars ({paths:,} paths per variant, {res.draws} draws):")
    for q in res.rows:
        top = ", ".join(f"{r.parameter} {100 * r.values['swing']:.1f}" for r in res.rows[q][:3])
        print(f"  {q} ({100 * res.base[q]:.1f}%): {top}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--paths", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=20250403)
    ap.add_argument("--tornado", action="store_true")
    args = ap.parse_args()
    err = Console(stderr=True)
    s = load_scenario().scenario
    settings = RunSettings(paths=args.paths, seed=args.seed)
    base = target("base", s, settings)
    qs = [q["id"] for q in base.results["forecast"]["questions"]]
    p0 = {q["id"]: q["probability"] for q in base.results["forecast"]["questions"]}
    print(f"{args.paths:,} paths per run, seed {args.seed}; effect = base − neutralised, in "
          "points ± paired s.e. (relative to the neutralised run)\n")
    print("| mechanism (neutralised as) | " + " | ".join(
        f"{q} ({100 * p0[q]:.1f}%)" for q in qs) + " |")
    print("|---|" + "---|" * len(qs))
    for label, (how, fixed) in track(MECHANISMS.items(), "neutralising", console=err):
        cmp = compare_targets(target(label, neutralised(s, fixed), settings), base)
        assert all(d.paired for d in cmp.questions), "every difference is paired"
        by = {d.id: d for d in cmp.questions}
        print(f"| {label} ({how}) | " + " | ".join(
            cell(by[q].diff, by[q].stderr, by[q].a) for q in qs) + " |")
    if args.tornado:
        print_tornado(s, 10_000, args.seed)


if __name__ == "__main__":
    main()
