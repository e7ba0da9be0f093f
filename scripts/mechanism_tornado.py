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
from collections.abc import Callable

from rich.console import Console
from rich.progress import track

from accord.analysis.compare import Target, compare_targets
from accord.analysis.run import RunSettings, run_scenario
from accord.scenario.loader import load_scenario
from accord.scenario.model import Modifier, Scenario
from accord.scenario.params import Param

# label → (what neutralising means, {parameter name: the value it is fixed at}); a value may
# also be a function of the scenario that returns the counterfactual scenario
Fix = dict[str, float]
MECHANISMS: dict[str, tuple[str, Fix | Callable[[Scenario], Scenario]]] = {
    "Baku adds conditions": ("no new demand", {"events.new_demand.repeatable": 0}),
    "more demands after the amendment": (
        "×1", {"events.new_demand.modifiers[0].multiply": 1}),
    "the referendum's yes is uncertain": (
        "yes certain", {"events.constitution_amended.chance": 1}),
    "a failed vote is retried": ("no retry", {"events.referendum_retried.hazard": 0}),
    "a failed vote raises clashes": (
        "×1", {"events.armed_escalation.modifiers[3].multiply": 1}),
    "Baku's commitment is unclear": ("Baku commits", {"events.baku_commits.chance": 1}),
    "bargaining: the constitution conceded speeds the vote": (
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
    "window: Moscow's refocus weighs on Yerevan and the table": ("×1, saliences unchanged", {
        "events.referendum_held.modifiers[4].multiply": 1,
        "events.demand_met.modifiers[3].multiply": 1,
        "events.russia_refocus.effects.saliences.russia.reconciliation_pace": 0.4,
        "events.russia_refocus.effects.saliences.russia.turkey_border": 0.35}),
    "the time is now (the window decays)": ("no decay", {
        "events.referendum_held.decay": 1, "events.treaty_signed.decay": 1}),
    "Western support for reconciliation": ("the West's saliences 0", {
        f"issues.{issue}.{actor}.salience": 0
        for issue in ("reconciliation_pace", "turkey_border")
        for actor in ("united_states", "eu")}),
    "the treaty's content is agreed": ("×1", {"events.treaty_signed.modifiers[3].multiply": 1}),
    "border and transport siloed off": ("the treaty waits on them", lambda s: unsiloed(s)),
    "Karabakh's status settled by force": (
        "×1", {"events.armed_escalation.modifiers[4].multiply": 1}),
    "Armenia's gains from an open border": (
        "salience 0.1", {"issues.turkey_border.armenia.salience": 0.1}),
    "Ankara needs Baku's approval": ("×1", {
        "events.border_opened.modifiers[2].multiply": 1,
        "events.turkey_armenia_relations.modifiers[1].multiply": 1}),
    "the treaty spends Baku's border leverage": ("Baku stays at 40", {
        "events.treaty_signed.effects.positions.azerbaijan.turkey_border": 40}),
}
# The article gives these only as context; they are carried by the rows named:
CONTEXT = {
    "Yerevan and Baku lack diplomatic relations": "establishing them is the treaty's content "
    "(\"focuses solely on establishing diplomatic relations\"): the row 'the treaty's content "
    "is agreed'",
}
UNSILOED = (
    "not (accepts(armenia, border_demarcation) and accepts(azerbaijan, border_demarcation) "
    "and accepts(armenia, transport_links) and accepts(azerbaijan, transport_links))")


def unsiloed(s: Scenario) -> Scenario:
    """The counterfactual of the silo: signing waits (×0.5) wherever either side rejects the
    settlement of border demarcation or transport links."""
    mod = Modifier.model_validate({"if": UNSILOED, "multiply": {
        "value": 0.5, "assumption": "counterfactual of scripts/mechanism_tornado.py"}})
    events = [e.model_copy(update={"modifiers": [*e.modifiers, mod]})
              if e.id == "treaty_signed" else e for e in s.events]
    return s.model_copy(update={"events": events})


def neutralised(scenario: Scenario, fixed: Fix | Callable[[Scenario], Scenario]) -> Scenario:
    """The scenario with each named parameter a point at the given value; every other parameter
    keeps its name and so its random stream, which is what pairs the two runs."""
    if callable(fixed):
        return fixed(scenario)
    by_name = {v: k for k, v in scenario.parameter_names().items()}
    return scenario.with_parameters({
        by_name[name]: Param(value=value, assumption="neutralised by scripts/mechanism_tornado.py")
        for name, value in fixed.items()})


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
    for what, where in CONTEXT.items():
        print(f"| {what} (context only: {where}) | " + " | ".join("—" for _ in qs) + " |")
    if args.tornado:
        print_tornado(s, 10_000, args.seed)


if __name__ == "__main__":
    main()
