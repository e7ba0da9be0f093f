"""What-if comparison: per question the difference between two forecasts, per issue the moves.

Two fresh runs share the seed, the parameter draws (streams keyed by parameter name) and the
paths (streams keyed by block), so the difference is paired: its standard error comes from the
per-draw differences and is far smaller than that of two independent runs; a scenario compared
with itself differs by exactly zero. Stored runs keep their scenario text, seed and settings, so
when two of them share seed, paths and draws their paths are regenerated (bit for bit) and the
error is paired too; otherwise it is the independent sqrt(se_a² + se_b²), and says so.

Two runs conditioned on observations are paired the same way when they are run afresh: both
on the same draws and dice (the smaller run is run again at the larger's size), their
self-normalised estimates differenced draw by draw through the delta method
(`accord.process.condition.influence`). Stored conditioned runs keep their scenario and their
observations in canonical form, so two stored conditioned runs are paired as well: both
simulated again at their stored size (and kept only if that gives their stored numbers).

Two different scenarios are compared on the questions they share; the others are listed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from accord.analysis.recipe import Execution
from accord.errors import UserError
from accord.process.condition import WeightedSummary, influence
from accord.process.deadline import OLD_RULE, Deadline, stored_deadline
from accord.process.forecast import question_deadline
from accord.process.montecarlo import Simulation
from accord.scenario.model import Scenario
from accord.scenario.observations import ObservedMonths

if TYPE_CHECKING:
    from accord.analysis.recipe import RunResult, RunSettings


@dataclass
class QuestionDelta:
    id: str
    by: str
    a: float
    b: float
    diff: float  # b − a
    stderr: float
    paired: bool


@dataclass
class IssueDelta:
    issue: str
    model: str
    a: float
    b: float
    diff: float


@dataclass
class Comparison:
    a: str
    b: str
    questions: list[QuestionDelta]
    issues: list[IssueDelta]
    only_a: list[str] = field(default_factory=list)  # questions of A that B does not ask
    only_b: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _indicator(sim: Simulation, event: str, dl: Deadline) -> np.ndarray:
    return dl.hit(sim.first_step[:, sim.event_ids.index(event)])


def paired_stderr(da: np.ndarray, db: np.ndarray, draws: int) -> float:
    """s.e. of mean(db − da) over paths that share random numbers, clustered by draw."""
    d = db - da
    if draws > 1:
        per_draw = d.reshape(draws, -1).mean(axis=1)
        return float(per_draw.std(ddof=1) / np.sqrt(draws))
    return float(d.std(ddof=1) / np.sqrt(d.size)) if d.size > 1 else 0.0


def _chunked(sim: Any) -> bool:
    return hasattr(sim, "chunks")  # a run's paths (accord.analysis.recipe.PathSpec)


def paired_stderrs(sim_a: Any, sim_b: Any, items: list[tuple[str, str, Deadline]]
                   ) -> list[float]:
    """`paired_stderr` of each (event in A, event in B, deadline), from both runs' paths taken a
    chunk at a time in step (they share seed, draws and paths, so their chunks match): only
    per-draw sums of the differences are kept, never the paths. With one draw the s.e. comes
    from the sums of d and d² (as `paired_stderr`, up to rounding)."""
    draws = sim_a.n_draws
    cols = [(sim_a.event_ids.index(ea), sim_b.event_ids.index(eb), s) for ea, eb, s in items]
    sums = np.zeros((len(items), draws))
    squares = [0.0] * len(items)
    n = 0
    for (draw, fa), (_, fb) in zip(sim_a.chunks(), sim_b.chunks(), strict=True):
        n += draw.size
        for j, (ia, ib, dl) in enumerate(cols):
            d = dl.hit(fb[:, ib]) - dl.hit(fa[:, ia])
            sums[j] += np.bincount(draw, weights=d, minlength=draws)
            squares[j] += float(d @ d)
    out = []
    for j in range(len(items)):
        if draws > 1:
            per_draw = sums[j] / (n // draws)
            out.append(float(per_draw.std(ddof=1) / np.sqrt(draws)))
        elif n > 1:
            s = float(sums[j].sum())
            out.append(float(np.sqrt((n * squares[j] - s * s) / (n * (n - 1))) / np.sqrt(n)))
        else:
            out.append(0.0)
    return out


def weighted_paired_stderr(wa: WeightedSummary, wb: WeightedSummary, ea: int, eb: int,
                           sa: Deadline, sb: Deadline) -> float:
    """s.e. of p_B − p_A for two conditioned runs on the same draws and dice: event row ea at
    deadline sa (in full steps) in A, eb at sb in B (delta method, clustered by draw; the
    influence is linear in the curve, so it is read at a deadline as the curve is)."""
    z = sb.read(influence(wb, eb)) - sa.read(influence(wa, ea))
    d = int(((wa.wsum > 0) | (wb.wsum > 0)).sum())
    return float(np.sqrt(d / max(d - 1, 1) * (z * z).sum()))


@dataclass
class Weighted:
    """Both sides of a paired comparison of conditioned runs: their weighted sums, and each
    question's deadline counted from the scenarios' own as_of (the sums' month 0)."""

    a: WeightedSummary
    b: WeightedSummary
    steps_a: dict[str, Deadline]
    steps_b: dict[str, Deadline]

    def stderr(self, qa: dict[str, Any], qb: dict[str, Any]) -> float:
        return weighted_paired_stderr(
            self.a, self.b, self.a.event_ids.index(qa["event"]),
            self.b.event_ids.index(qb["event"]), self.steps_a[qa["id"]], self.steps_b[qb["id"]])


def compare_dicts(
    name_a: str, a: dict[str, Any], name_b: str, b: dict[str, Any],
    sims: tuple[Simulation, Simulation] | None = None, weighted: Weighted | None = None,
) -> Comparison:
    """Compare two run results (RunResult.to_dict() form); paired when both simulations, or
    both conditioned runs' weighted sums, are given."""
    qa = {q["id"]: q for q in a["forecast"]["questions"]}
    qb = {q["id"]: q for q in b["forecast"]["questions"]}
    paired = (
        sims is not None and sims[0].n_paths == sims[1].n_paths
        and sims[0].n_draws == sims[1].n_draws and sims[0].seed == sims[1].seed
    )
    shared = [q for q in qa if q in qb]
    if not shared:
        raise UserError.at(
            f"{name_a} and {name_b} share no question (A asks {', '.join(qa) or 'none'}; "
            f"B asks {', '.join(qb) or 'none'})"
        )
    questions = []
    dls = {q: stored_deadline(qa[q]) for q in shared}
    same = [q for q in shared
            if qa[q]["event"] == qb[q]["event"] and dls[q] == stored_deadline(qb[q])]
    chunked: dict[str, float] = {}
    if paired and sims is not None and same and _chunked(sims[0]) and _chunked(sims[1]):
        items = [(qa[q]["event"], qb[q]["event"], dls[q]) for q in same]
        chunked = dict(zip(same, paired_stderrs(sims[0], sims[1], items), strict=True))
    for qid in shared:
        x, y = qa[qid], qb[qid]
        if qid in chunked:
            se, is_paired = chunked[qid], True
        elif weighted is not None and x["event"] == y["event"]:
            se, is_paired = weighted.stderr(x, y), True
        elif paired and sims is not None and qid in same:
            se = paired_stderr(_indicator(sims[0], x["event"], dls[qid]),
                               _indicator(sims[1], y["event"], dls[qid]), sims[0].n_draws)
            is_paired = True
        else:
            se = float(np.hypot(x["stderr"], y["stderr"]))
            is_paired = False
        questions.append(QuestionDelta(qid, y["by"], x["probability"], y["probability"],
                                       y["probability"] - x["probability"], se, is_paired))
    ia = {i["id"]: i for i in a.get("issues", [])}
    issues = []
    for iss in b.get("issues", []):
        if iss["id"] not in ia:
            continue
        for model, r in iss["models"].items():
            if model in ia[iss["id"]]["models"]:
                va = ia[iss["id"]]["models"][model]["outcome"]
                issues.append(IssueDelta(iss["id"], model, va, r["outcome"], r["outcome"] - va))
    return Comparison(name_a, name_b, questions, issues,
                      only_a=[q for q in qa if q not in qb], only_b=[q for q in qb if q not in qa],
                      notes=_rule_notes(name_a, a, name_b, b))


def _rule_notes(name_a: str, a: dict[str, Any], name_b: str, b: dict[str, Any]) -> list[str]:
    """Say so when the two runs read dates under different rules (a run stored before the
    date rule carries none): part of B − A is then the rule, not the scenario."""
    rules = {n: r["forecast"].get("date_rule", OLD_RULE) for n, r in ((name_a, a), (name_b, b))}
    if len(set(rules.values())) == 1:
        return []
    return [f"{n} reads each date at {rule}" for n, rule in rules.items()
            ] + ["part of B − A is that difference of date rules, not of the scenarios"]


PAIRING_KEYS = ("seed", "paths", "draws")


def pairable(settings_a: dict[str, Any], settings_b: dict[str, Any]) -> bool:
    """Whether two stored runs drew the same random numbers: same seed, paths and draws,
    both Monte Carlo and neither grown by --precision (whose path count depends on the run)."""
    def fixed(s: dict[str, Any]) -> bool:
        return not s.get("exact") and not s.get("precision") and "seed" in s and "paths" in s

    return (fixed(settings_a) and fixed(settings_b)
            and all(settings_a.get(k) == settings_b.get(k) for k in PAIRING_KEYS))


def regenerate(scenario: Scenario, settings: dict[str, Any]) -> Simulation | None:
    """The paths of a stored Monte Carlo run, simulated again from its scenario (parsed once,
    where the run was read back), seed and settings."""
    from accord.analysis.run import RunSettings, run_scenario

    known = {k: settings[k] for k in ("paths", "draws", "seed") if k in settings}
    return run_scenario(scenario, RunSettings(**known), with_issues=False).sim


@dataclass
class Target:
    """One side of a comparison: a fresh run (with its paths) or a stored one (with its text).
    A conditioned run also carries its observations and weighted sums, for pairing."""

    name: str
    results: dict[str, Any]
    sim: Simulation | None = None
    scenario_text: str | None = None
    scenario_name: str = "stored run"
    scenario: Scenario | None = None  # a fresh run's scenario (a stored one's is in its text)
    observed: ObservedMonths | None = None
    summary: WeightedSummary | None = None

    @classmethod
    def of_run(cls, result: RunResult, scenario: Scenario,
               observed: ObservedMonths | None = None) -> Target:
        """A fresh run as one side: its paths, or its weighted sums when conditioned."""
        weighted = result.summary if observed is not None else None  # an exact run's is None
        return cls(scenario.meta.id, result.to_dict(), sim=result.sim, scenario=scenario,
                   observed=observed, summary=weighted)  # type: ignore[arg-type]

    def the_scenario(self) -> Scenario:
        if self.scenario is not None:
            return self.scenario
        from accord.scenario.loader import parse_scenario

        assert self.scenario_text is not None, "a target has a scenario or its text"
        return parse_scenario(self.scenario_text, self.scenario_name).scenario

    def steps(self) -> dict[str, Deadline]:
        """Each question's deadline from the scenario's own as_of (a conditioned run's sums
        count months from there, its forecast from the observations' end)."""
        s = self.the_scenario()
        return {q["id"]: question_deadline(s, dt.date.fromisoformat(q["by"]))
                for q in self.results["forecast"]["questions"]}


def _rerun(t: Target, m: int, k: int, with_issues: bool = True) -> RunResult:
    """A conditioned run of t's scenario and observations again, at exactly M draws × K."""
    from accord.analysis.conditioned import run_conditioned
    from accord.analysis.recipe import RunSettings

    assert t.scenario is not None and t.observed is not None
    return run_conditioned(t.scenario, RunSettings(**t.results["settings"]), t.observed,
                           with_issues=with_issues, size=(m, k))


def _at_size(t: Target, m: int, k: int) -> Target:
    """A conditioned run again at a larger size, its results replacing the ones it had."""
    again = _rerun(t, m, k)
    return replace(t, results=again.to_dict(), summary=again.summary)


def _regenerated(t: Target) -> Target:
    """A stored conditioned run with its weighted sums simulated again from its scenario text,
    its observations (kept in canonical form), seed and final size; unchanged when it cannot
    be (not conditioned, an exact run, a run stored before the observations were kept, or one
    whose paths no longer give its stored numbers)."""
    ob = t.results.get("observed") or {}
    if t.summary is not None or t.scenario_text is None or not ob.get("canonical") \
            or ob.get("effective_paths") is None or not ob.get("draws"):
        return t
    from accord.scenario.observations import observations_from_canonical

    scenario = t.the_scenario()
    known = replace(t, scenario=scenario,
                    observed=observations_from_canonical(ob["canonical"], t.name).months(scenario))
    m = int(ob["draws"])
    again = _rerun(known, m, int(ob["paths"]) // m, with_issues=False)
    same = [q["probability"] for q in again.to_dict()["forecast"]["questions"]] == [
        q["probability"] for q in t.results["forecast"]["questions"]]
    return replace(known, summary=again.summary) if same else t


def weighted_pair(a: Target, b: Target) -> tuple[Target, Target, Weighted] | None:
    """Two conditioned runs on the same draws and dice (the smaller run again at the larger's
    size, as each grew its paths to its own effective sample size), or None when they cannot
    share them: a side without weighted sums, other seeds, a single draw (pairing is by draw)."""
    if a.summary is None or b.summary is None or a.observed is None or b.observed is None:
        return None
    wa, wb = a.summary, b.summary
    if wa.seed != wb.seed or min(wa.n_draws, wb.n_draws) < 2:
        return None
    size_a, size_b = (wa.n_draws, wa.paths_per_draw), (wb.n_draws, wb.paths_per_draw)
    if size_a != size_b:
        if wa.n_draws * wa.paths_per_draw < wb.n_draws * wb.paths_per_draw:
            a = _at_size(a, *size_b)
        else:
            b = _at_size(b, *size_a)
    assert a.summary is not None and b.summary is not None
    return a, b, Weighted(a.summary, b.summary, a.steps(), b.steps())


def compare_targets(a: Target, b: Target) -> Comparison:
    """Compare two forecasts, paired whenever their random numbers can be shared."""
    if "observed" in a.results or "observed" in b.results:
        pair = weighted_pair(_regenerated(a), _regenerated(b))
        if pair is None:
            return compare_dicts(a.name, a.results, b.name, b.results)
        a, b, weighted = pair
        return compare_dicts(a.name, a.results, b.name, b.results, weighted=weighted)
    sims: tuple[Simulation, Simulation] | None = None
    sa, sb = a.results.get("settings", {}), b.results.get("settings", {})
    if pairable(sa, sb):
        got = [t.sim if t.sim is not None else
               regenerate(t.the_scenario(), t.results["settings"])
               if t.scenario_text is not None else None for t in (a, b)]
        if got[0] is not None and got[1] is not None:
            sims = (got[0], got[1])
    return compare_dicts(a.name, a.results, b.name, b.results, sims)


@dataclass(frozen=True)
class CompareSettings:
    """The what-if compared with the scenario (B against A) and its own observations; None
    conditions it on the scenario's (`observed`), as when both share their events and as_of."""

    other: Scenario
    other_observed: ObservedMonths | None = None


def compare_scenarios(scenario: Scenario, settings: RunSettings, what: CompareSettings, *,
                      observed: ObservedMonths | None = None,
                      execution: Execution = Execution()) -> Comparison:
    """Run the scenario (A) and the what-if (B) on the same settings and compare them, paired:
    both runs share their seed, so the difference is free of most of the Monte Carlo noise."""
    from accord.analysis.run import run_scenario

    b_observed = what.other_observed if what.other_observed is not None else observed
    sides = [Target.of_run(run_scenario(s, settings, observed=om, execution=execution), s, om)
             for s, om in ((scenario, observed), (what.other, b_observed))]
    return compare_targets(*sides)
