"""What-if comparison: per question the difference between two forecasts, per issue the moves.

Two fresh runs share the seed, the parameter draws (streams keyed by parameter name) and the
paths (streams keyed by block), so the difference is paired: its standard error comes from the
per-draw differences and is far smaller than that of two independent runs; a scenario compared
with itself differs by exactly zero. Stored runs have no paths left, so their standard error is
the independent one, sqrt(se_a² + se_b²).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from accord.process.montecarlo import Simulation


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

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _indicator(sim: Simulation, event: str, step: int) -> np.ndarray:
    f = sim.first_step[:, sim.event_ids.index(event)]
    return ((f > 0) & (f <= step)).astype(float)


def paired_stderr(da: np.ndarray, db: np.ndarray, draws: int) -> float:
    """s.e. of mean(db − da) over paths that share random numbers, clustered by draw."""
    d = db - da
    if draws > 1:
        per_draw = d.reshape(draws, -1).mean(axis=1)
        return float(per_draw.std(ddof=1) / np.sqrt(draws))
    return float(d.std(ddof=1) / np.sqrt(d.size)) if d.size > 1 else 0.0


def compare_dicts(
    name_a: str, a: dict[str, Any], name_b: str, b: dict[str, Any],
    sims: tuple[Simulation, Simulation] | None = None,
) -> Comparison:
    """Compare two run results (RunResult.to_dict() form); paired when both simulations given."""
    qa = {q["id"]: q for q in a["forecast"]["questions"]}
    qb = {q["id"]: q for q in b["forecast"]["questions"]}
    paired = (
        sims is not None and sims[0].n_paths == sims[1].n_paths
        and sims[0].n_draws == sims[1].n_draws and sims[0].seed == sims[1].seed
    )
    questions = []
    for qid in [q for q in qa if q in qb]:
        x, y = qa[qid], qb[qid]
        if paired and sims is not None and x["event"] == y["event"] and x["step"] == y["step"]:
            se = paired_stderr(_indicator(sims[0], x["event"], x["step"]),
                               _indicator(sims[1], y["event"], y["step"]), sims[0].n_draws)
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
    return Comparison(name_a, name_b, questions, issues)
