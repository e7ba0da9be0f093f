"""The tornado of the built-in scenario summed by the article's mechanisms, as printed in
docs/south-caucasus-2025.md ("What moves each question").

Run: python scripts/mechanism_tornado.py [--paths N] [--seed S] [--workers W]

A parameter belongs to a mechanism when it is a rate, chance or multiplier of one of the
mechanism's events, or a multiplier whose `if` reads one of them, the first that matches (the
window also takes the multipliers on the calendar: its weakening after the first year). Per
question and mechanism it prints the largest single swing and the sum of swings, in percentage
points, and the base (the run).
"""

from __future__ import annotations

import argparse
import re

from accord.analysis.sensitivity import tornado
from accord.analysis.variants import targets
from accord.scenario import conditions as C
from accord.scenario.loader import load_scenario

MECHANISMS = {
    "window (US–Russia, refocus, sabotage, decay)": (
        {"us_russia_deal", "russia_refocus", "russia_sabotage"}, True),
    "escalation loop": ({"armed_escalation"}, False),
    "Baku's commitment": ({"baku_commits"}, False),
}
QUESTIONS = ["treaty_2026", "referendum_2026", "border_2027", "clash_2026", "sabotage_2027"]


def mechanism_of(scenario, name: str) -> str | None:  # noqa: ANN001 - a script
    m = re.fullmatch(r"events\.([a-z0-9_]+)\.(?:modifiers\[(\d+)\]\.multiply|\w+)", name)
    if m is None:
        return None
    ev = next(e for e in scenario.events if e.id == m.group(1))
    reads, dated = {ev.id}, False
    if m.group(2) is not None:
        cond = ev.modifiers[int(m.group(2))].if_
        reads |= set(C.events_referenced(C.parse(cond)))
        dated = "date" in cond
    for label, (events, calendar) in MECHANISMS.items():
        if reads & events or (calendar and dated):
            return label
    return None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--paths", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=20250403)
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    s = load_scenario().scenario
    goals = [g for g in targets(s) if g.id in QUESTIONS]
    res = tornado(s, goals, args.paths, args.seed, workers=args.workers)
    print(f"tornado, {args.paths:,} paths per variant ({res.draws} draws), seed {args.seed}")
    print("| question (base) | " + " | ".join(MECHANISMS) + " |")
    print("|---|" + "---|" * len(MECHANISMS))
    for q in QUESTIONS:
        cells = []
        for label in MECHANISMS:
            swings = [100 * r.values["swing"] for r in res.rows[q]
                      if mechanism_of(s, r.parameter) == label]
            cells.append(f"{max(swings, default=0):.1f} (sum {sum(swings):.1f})")
        print(f"| {q} ({100 * res.base[q]:.1f}%) | " + " | ".join(cells) + " |")
    print("\nlargest swings per question:")
    for q in QUESTIONS:
        top = ", ".join(f"{r.parameter} {100 * r.values['swing']:.1f}" for r in res.rows[q][:3])
        print(f"  {q}: {top}")


if __name__ == "__main__":
    main()
