"""The console's listings: stored runs, built-in scenarios, the ledger, a sweep's variants,
a comparison and the bargaining models' back-tests. Each folds into blocks where it would not
fit (`console.table`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from accord.report.console import pct, table

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from accord.analysis.compare import Comparison
    from accord.bargaining.cv import CVScore
    from accord.bargaining.evaluate import Score


def runs_table(console: Console, rows: Sequence[dict[str, Any]], where: str) -> RenderableType:
    head = ["id", "when (UTC)", "kind", "scenario", "seed", "paths", "scenario hash"]
    cells = [[str(r["id"]), str(r["created_at"]).replace("T", " ")[:19], r["kind"],
              r["scenario_id"], str(r["seed"]),
              f"{r['settings'].get('paths', ''):,}" if r["settings"].get("paths") else "",
              r["scenario_hash"][:12]] for r in rows]
    return table(console, head, cells, title=f"runs in {where}", left=range(len(head)),
                 no_wrap=True)


def scenarios_table(console: Console, rows: Sequence[dict[str, Any]]) -> RenderableType:
    head = ["id", "title", "as of", "horizon", "events", "issues"]
    cells = [[r["id"], r["title"], r["as_of"], f"{r['horizon']} months", str(r["events"]),
              str(r["issues"])] for r in rows]
    return table(console, head, cells, title="built-in scenarios", left=range(len(head)),
                 no_wrap=(0,))


def ledger_entry_text(e: Any) -> str:
    """A ledger entry in words: the forecast with its s.e., band, date and run, or the
    resolution with its source."""
    c = e.content
    if e.kind != "forecast":
        return f"resolved {c['outcome'].upper()} on {c['resolved_on']}" + (
            f" · {c['source']}" if c.get("source") else "")
    band = c.get("band")
    return (f"forecast {pct(c.get('probability'))}"
            + (f" ± {100 * c['stderr']:.1f} pt" if c.get("stderr") is not None else "")
            + (f" [{pct(band[0])}–{pct(band[1])}]" if band else "")
            + (f" by {c['deadline']}" if c.get("deadline") else "")
            + (f", from {c['forecast_date']}" if c.get("forecast_date") else "")
            + (f" (run {c['run_id']})" if c.get("run_id") is not None else "")
            + ("" if c.get("date_rule") else "; read at the last whole month before "
               "its date (the rule before 2026-12)"))


def ledger_table(console: Console, entries: Sequence[Any]) -> RenderableType:
    head = ["#", "recorded (UTC)", "scenario · question", "entry", "hash"]
    cells = [[str(e.seq), e.recorded_at[:19].replace("T", " "),
              f"{e.scenario_id} · {e.question_id}", ledger_entry_text(e), e.hash[:12]]
             for e in entries]
    return table(console, head, cells, title="ledger", left=range(len(head)))


def sweep_table(console: Console, rows: Sequence[dict[str, Any]], names: Sequence[str],
                targets: Sequence[str], shown: int = 30) -> RenderableType:
    """The first `shown` variants: their first four parameters and each target's P."""
    head = ["variant", *names[:4], *(f"P({g})" for g in targets)]
    cells = [[str(r["variant"]), *(f"{r[n]:.4g}" for n in names[:4]),
              *(f"{100 * r[g]:.1f}%" for g in targets)] for r in rows[:shown]]
    return table(console, head, cells, title=f"sweep: {len(rows)} variants (P in %)", left=(),
                 no_wrap=True)


def comparison_table(console: Console, cmp: Comparison) -> RenderableType:
    """Each question's P under A and B, B − A and its s.e. (paired where the runs are)."""
    head = ["question", "by", "A", "B", "B − A", "s.e."]
    how = ("; s.e. paired (same seed, paths and draws)" if all(q.paired for q in cmp.questions)
           else "")
    cells = [[q.id, q.by, f"{100 * q.a:.1f}%", f"{100 * q.b:.1f}%", f"{100 * q.diff:+.1f}",
              f"{100 * q.stderr:.1f}" + ("" if q.paired else " independent")]
             for q in cmp.questions]
    return table(console, head, cells,
                 title=f"A = {cmp.a}\nB = {cmp.b}\nB − A and its s.e. in percentage points (pt)"
                 + how, no_wrap=True)


def scores_table(console: Console, scores: Sequence[Score], n_issues: int) -> RenderableType:
    """`accord evaluate`: each model's errors against the outcomes, with its interval scores
    (CRPS, coverage) when a model has them."""
    any_dist = any(s.crps == s.crps for s in scores)  # CRPS columns only if a model has one
    cols = ("model", "MAE", "median AE", "within 10", "n", "fallbacks")
    cells = []
    for s in scores:
        dist = (["—"] * 3 if s.crps != s.crps else
                [f"{s.crps:.2f}", f"{100 * s.cover50:.0f}%", f"{100 * s.cover90:.0f}%"])
        cells.append([s.name, f"{s.mae:.2f}", f"{s.median_ae:.2f}", f"{100 * s.within_10:.1f}%",
                      str(s.n), str(s.fallbacks), *(dist if any_dist else [])])
    return table(console, cols + (("CRPS", "50% cover", "90% cover") if any_dist else ()), cells,
                 title=f"Back-test on {n_issues} issues (errors in points of 0–100)")


def cv_table(console: Console, rows: Sequence[CVScore], folds: int, repeats: int,
             ) -> RenderableType:
    """`accord evaluate --cv`: cross-validated errors, each against compromise's."""
    return table(
        console, ("model", "MAE", "± SE", "vs compromise", "± SE (diff)", "CRPS", "50% cover",
                  "90% cover"),
        [[r.name, f"{r.mae:.2f}", f"{r.se:.2f}",
          "—" if r.name == "compromise" else f"{r.diff:+.2f}",
          "" if r.name == "compromise" else f"{r.diff_se:.2f}", f"{r.crps:.2f}",
          f"{100 * r.cover50:.0f}%", f"{100 * r.cover90:.0f}%"] for r in rows],
        title=f"Grouped {folds}-fold CV × {repeats} on {rows[0].n} issues in "
              f"{rows[0].groups} groups (0–100 points; ± clustered SE)")


def cv_picks(rows: Sequence[CVScore], outer: int) -> list[str]:
    """For models chosen by inner CV, which model each outer training set picked."""
    return [f"{r.name}: the model picked by inner CV in each of the {outer} outer training "
            f"sets: " + ", ".join(f"{m} {c}" for m, c in sorted(r.picks.items(),
                                                               key=lambda kv: -kv[1]))
            for r in rows if r.picks]


def baserate_table(console: Console, classes: Sequence[dict[str, Any]]) -> RenderableType:
    head = ["id", "what", "kind", "n", "events", "from"]
    cells = [[c["id"], c["name"], c["kind"], str(c["n"]), str(c["events"]), c["origin"]]
             for c in classes]
    return table(console, head, cells, title="reference classes (accord baserate show ID)",
                 left=(0, 1, 2, 5), no_wrap=(0,))


def baserate_show(console: Console, doc: dict[str, Any], info: dict[str, Any]) -> RenderableType:
    """A class's answer: per horizon (a share: once) its probability and 95% band."""
    from rich.console import Group
    from rich.text import Text

    cond = ", ".join(f"{k}={v}" for k, v in doc["where"].items())
    title = Text(f"{doc['class']}{' (' + cond + ')' if cond else ''}: {info['name']}",
                 style="bold")
    if doc["kind"] == "share":
        body = table(console, ["probability", "95% band"],
                     [[pct(doc["probability"]), f"{pct(doc['low'])}–{pct(doc['high'])}"]])
    else:
        body = table(console, ["within", "probability", "95% band"],
                     [[f"{h['months']} months", pct(h["probability"]),
                       f"{pct(h['low'])}–{pct(h['high'])}"] for h in doc["horizons"]])
    note = (f"n = {doc['n']} cases, {doc['events']} with the event; counted from "
            f"{info['origin']} until {info['event']}.\n{info['source']}: {doc['citation']}")
    return Group(title, body, Text(note, style="dim"))


def baserate_scores(console: Console, class_id: str, split: int,
                    scores: Sequence[Any]) -> RenderableType:
    """Out-of-sample scores: per horizon, each method's forecast, Brier and log score."""
    head = ["horizon", "n", "observed", "method", "forecast", "Brier", "log"]
    cells = []
    for s in scores:
        for k, p in s.forecasts.items():
            cells.append([f"{s.horizon} months" if s.horizon else "share", str(s.n),
                          pct(s.observed), k, pct(p), f"{s.brier[k]:.3f}", f"{s.log[k]:.3f}"])
    return table(console, head, cells, title=f"{class_id}: cases before {split} forecast "
                 f"those from {split} on (lower scores are better)", left=(0, 3))
