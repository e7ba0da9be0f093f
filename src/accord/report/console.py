"""The console summary of a run (rich): what an analyst reads first."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table

from accord.analysis.run import RunResult

CHECKPOINTS = (6, 12, 24, 36)


def _pct(p: float) -> str:
    return f"{100 * p:.1f}%"


def _cell(result: RunResult, event: str, step: int) -> str:
    ev = result.forecast.events[event]
    text = f"{_pct(ev.probability[step])} ±{100 * ev.stderr[step]:.1f}"
    if ev.band_low is not None and ev.band_high is not None:
        lo, hi = ev.band_low[step], ev.band_high[step]
        text += "\n[dim][—][/]" if lo != lo else f"\n[dim][{100 * lo:.0f}–{100 * hi:.0f}][/]"
    return text


def events_table(result: RunResult) -> Table:
    f = result.forecast
    steps = [s for s in CHECKPOINTS if s <= f.horizon] or [f.horizon]
    if f.horizon not in steps:
        steps.append(f.horizon)
    t = Table(
        title="P(event has occurred by …) ± Monte Carlo s.e. [5–95% over parameters]",
        title_justify="left",
    )
    t.add_column("event")
    for s in steps:
        t.add_column(f"{s} mo\n{f.dates[s]}", justify="right")
    names = {e.id: e.name for e in result.scenario.events}
    for eid, ev in f.events.items():
        label = f"{names.get(eid, eid)}\n[dim]{eid}[/]"
        if ev.mean_count is not None:
            label += f" [dim](mean count {ev.mean_count:.2f})[/]"
        t.add_row(label, *(_cell(result, eid, s) for s in steps))
    return t


def questions_table(result: RunResult) -> Table:
    t = Table(title="Questions", title_justify="left")
    for col in ("question", "by", "probability", "s.e.", "5–95% band"):
        t.add_column(col, justify="right" if col not in ("question",) else "left")
    texts = {q.id: q.text for q in result.scenario.questions}
    for q in result.forecast.questions:
        band = f"{_pct(q.band[0])}–{_pct(q.band[1])}" if q.band else "—"
        t.add_row(
            f"{texts.get(q.id, q.id)}\n[dim]{q.id}[/]",
            q.by,
            _pct(q.probability),
            _pct(q.stderr),
            band,
        )
    return t


def orders_table(result: RunResult, top: int = 5) -> Table:
    t = Table(title=f"The {top} most frequent orders of events", title_justify="left")
    t.add_column("share", justify="right")
    t.add_column("order (→ in time; + in the same month)")
    for o in result.forecast.orders[:top]:
        t.add_row(_pct(o.share), " → ".join(o.order) or "(nothing happens)")
    return t


def issues_table(result: RunResult) -> Table:
    models = list(result.issues[0].models) if result.issues else []
    t = Table(
        title="Issue outcomes by model (scale units; [5–95% over parameters])", title_justify="left"
    )
    t.add_column("issue")
    t.add_column("scale")
    for m in models:
        t.add_column(m, justify="right")
    for iss in result.issues:
        cells = []
        for m in models:
            r = iss.models[m]
            c = f"{r.outcome:.1f}"
            if r.low is not None and r.high is not None:
                c += f"\n[dim][{r.low:.0f}–{r.high:.0f}][/]"
            if r.notes:
                c += " [yellow]*[/]"
            cells.append(c)
        scale = f"{iss.scale_min:g}–{iss.scale_max:g}"
        t.add_row(iss.id, scale, *cells)
    return t


def render(result: RunResult, console: Console) -> None:
    s = result.scenario
    f = result.forecast
    how = (
        "exact solution"
        if f.method == "exact"
        else f"{f.paths:,} paths = {f.draws} parameter draws × {f.paths_per_draw} · seed {f.seed}"
    )
    console.print(
        Panel(
            f"[bold]{s.meta.title}[/]\n"
            f"as of {s.meta.as_of} · horizon {s.meta.horizon} months · {how}",
            expand=False,
        )
    )
    parts = [events_table(result)]
    if f.questions:
        parts.append(questions_table(result))
    if f.orders:
        parts.append(orders_table(result))
    if result.issues:
        parts.append(issues_table(result))
    console.print(Group(*parts))
    notes = [
        f"{iss.id}: {n}" for iss in result.issues for r in iss.models.values() for n in r.notes
    ]
    for n in dict.fromkeys(notes):
        console.print(f"[yellow]*[/] {n}", highlight=False)
    for n in result.notes:
        console.print(f"[dim]note: {n}[/]")
