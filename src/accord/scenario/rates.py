"""Where each event's rate comes from: quoted from a source, assumed, a reference class (the
outside view), or a drafted default still to review: what `accord validate` lists, so an
analyst sees which numbers rest on nothing but a guess."""

from __future__ import annotations

from dataclasses import dataclass

from accord.scenario.model import Scenario

DRAFTED_MARK = "drafted: the text gives no number"  # accord.draft.numbers.DRAFTED begins so


@dataclass(frozen=True)
class RateSource:
    event: str
    kind: str  # hazard, chance, repeatable
    source: str  # "reference", "quoted", "assumed", "drafted"
    detail: str  # the class id, the source ids, or the assumption


def rate_sources(s: Scenario) -> list[RateSource]:
    """Every event with a rate (scheduled events have none), in file order."""
    out = []
    for ev in s.events:
        if ev.reference is not None:
            cond = ", ".join(f"{k}={v}" for k, v in ev.reference.where.items())
            out.append(RateSource(ev.id, ev.kind, "reference",
                                  ev.reference.class_ + (f" ({cond})" if cond else "")))
            continue
        p = ev.probability
        if p is None:
            continue
        if p.assumption and p.assumption.startswith(DRAFTED_MARK):
            out.append(RateSource(ev.id, ev.kind, "drafted", p.assumption))
        elif p.evidence:
            out.append(RateSource(ev.id, ev.kind, "quoted",
                                  ", ".join(sorted({e.source for e in p.evidence}))))
        else:
            out.append(RateSource(ev.id, ev.kind, "assumed", p.assumption or ""))
    return out
