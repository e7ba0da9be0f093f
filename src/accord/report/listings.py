"""The console's listings: stored runs, built-in scenarios, the ledger, a sweep's variants and
a comparison. Each folds into blocks where it would not fit (`console.table`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from accord.report.console import pct, table

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from accord.analysis.compare import Comparison


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
