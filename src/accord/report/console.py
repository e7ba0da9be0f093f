"""The console summary of a run (rich): what an analyst reads first.

Nothing a user must read or copy is cut at 80 columns: ids sit on their own line and never wrap
inside a word, and a table too wide for the terminal folds into one record per block (`fit`).
Probabilities are in %, differences and standard errors in percentage points (pt), each labelled;
issue outcomes keep one decimal on small scales.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:  # the tables alone (`fit`, `table`) need rich and nothing of the engines
    from accord.analysis.run import RunResult

CHECKPOINTS = (6, 12, 24, 36)
MIN_ID_WIDTH = 12  # an id column folds a longer id, never narrower than this


def pct(p: float | None, digits: int = 1) -> str:
    return "—" if p is None or p != p else f"{100 * p:.{digits}f}%"


def pt(d: float | None, signed: bool = False) -> str:
    """A difference of probabilities, in percentage points."""
    if d is None or d != d:
        return "—"
    return f"{100 * d:+.1f} pt" if signed else f"{100 * d:.1f} pt"


def band_pct(lo: float | None, hi: float | None, digits: int = 0) -> str:
    if lo is None or hi is None or lo != lo or hi != hi:
        return "—"
    return f"{100 * lo:.{digits}f}–{100 * hi:.{digits}f}%"


def scale_digits(lo: float, hi: float) -> int:
    """Decimals for values on a scale: one on small scales (span ≤ 20), none on 0–100."""
    return 1 if hi - lo <= 20 else 0


def scale_ends(min_v: float, max_v: float, min_means: str | None, max_means: str | None) -> str:
    a = f"{min_v:g}" + (f" = {min_means}" if min_means else "")
    b = f"{max_v:g}" + (f" = {max_means}" if max_means else "")
    return f"{a}; {b}"


def forecast_line(doc: dict[str, Any]) -> str:
    """`accord forecast`'s answer in a sentence: P, its Monte Carlo s.e., its band."""
    band = doc.get("band")
    shown = band_pct(*band) if band else "—"
    band_text = (f"\n5–95% over parameters: {shown}" if band and shown != "—" else
                 "\n5–95% over parameters: — (spread not told from Monte Carlo noise)"
                 if band else "")
    head = f"P({doc['event']} by {doc['by']}) = [bold]{100 * doc['probability']:.1f}%[/]"
    if doc.get("method") == "exact":  # no sampling error to give
        return f"{head} (exact, at the parameters' central values)"
    return f"{head} ± {100 * doc['stderr']:.1f} pt (Monte Carlo s.e.){band_text}"


def markup(text: str, style: str = "") -> Text:
    """Rich markup as Text, `:name:` left as written (an actor may be called `:x:`); text
    without a tag is taken as it is (a fifth of the parse's time)."""
    if "[" not in text:
        return Text(text, style=style)
    return Text.from_markup(text, style=style, emoji=False)


def overflows(console: Console, table: Table) -> bool:
    """Whether rich would cut a cell of the table at this console's width (it marks a cut with
    '…', which accord's own labels never contain, or, with columns squeezed to nothing, drops
    the words), or could not fit it at all."""
    # soft_wrap on in the probe: a console that wraps would otherwise crop a too-wide table
    # silently at its edge
    probe = Console(width=console.width, file=io.StringIO(), color_system=None, soft_wrap=True,
                    emoji=False)
    sizing = _sizing_rows(table)
    probe.print(sizing)
    text = probe.file.getvalue()  # type: ignore[attr-defined]
    if "…" in text or any(cell_len(line) > console.width for line in text.splitlines()):
        return True
    shown = "".join(text.split())
    return any(w not in shown for col in sizing.columns
               for cell in (col.header, *col.cells) for w in _plain(cell).split())


def _plain(cell: object) -> str:
    return markup(cell).plain if isinstance(cell, str) else \
        cell.plain if isinstance(cell, Text) else ""


def _extent(cell: object) -> tuple[int, int]:
    """A cell's longest word and longest line, in cells: what rich measures it by."""
    if not isinstance(cell, (str, Text)):
        return (1 << 30, 1 << 30)  # another renderable: always keep its row
    plain = _plain(cell)
    words = plain.split()
    return (max(map(cell_len, words), default=0),
            max(map(cell_len, plain.splitlines()), default=0))


def _sizing_rows(table: Table) -> Table:
    """The table with only the rows that size it: for each column, its row with the longest
    word and its row with the longest line. Rich sizes a column by its cells' largest minimum
    and largest maximum alone, so these rows are laid out (and cut) exactly as in the whole
    table, and a long table is probed in a fraction of the time."""
    n = table.row_count
    if n <= 2:
        return table
    keep: set[int] = set()
    for col in table.columns:
        extents = [_extent(c) for c in col.cells]
        for k in (0, 1):
            keep.add(max(range(n), key=lambda r: extents[r][k]))
    rows = sorted(keep)
    small = copy.copy(table)
    small.columns = [replace(col, _cells=[cells[r] for r in rows])
                     for col, cells in ((c, list(c.cells)) for c in table.columns)]
    small.rows = [table.rows[r] for r in rows]
    return small


def fit(console: Console, table: Table, head: Sequence[str], rows: Sequence[Sequence[str]],
        key: int = 0) -> RenderableType:
    """The table when it fits the console; otherwise one block per row: the row's `key` cell as
    its heading, then `column  value` lines, a long value folding under itself. No cell is ever
    cut. The blocks are one Text, not a grid per row: a fifth of the time to print."""
    if not overflows(console, table):
        return table
    label = max((cell_len(h) for i, h in enumerate(head) if i != key), default=0)
    width = console.width  # read once: rich measures the terminal on every read
    narrow = label + 4 + 8 > width  # then a column's name goes on a line of its own
    text = Text()
    if table.title:
        text.append_text(_hanging(console, markup(str(table.title), style="italic"), width))
        text.append("\n")
    for r in rows:
        text.append_text(_hanging(console, markup(f"[bold]{head[key]}: {r[key]}[/]"), width))
        text.append("\n")
        for i, (h, c) in enumerate(zip(head, r, strict=True)):
            if i == key or not c:
                continue
            if narrow:
                text.append_text(_hanging(console, Text(f"  {h}", style="dim"), width))
                text.append("\n    ")
            else:
                text.append(f"  {h}{' ' * (label - cell_len(h))}  ", style="dim")
            text.append_text(_hanging(console, markup(c), width, 4 if narrow else label + 4))
            text.append("\n")
    text.rstrip()
    return text


def _hanging(console: Console, value: Text, console_width: int, indent: int = 0) -> Text:
    """The value's lines, wrapped to what is left of the console after `indent` columns, each
    after the first indented by as much."""
    width = max(console_width - indent, 1)
    lines = value.wrap(console, width, overflow="fold") if value.cell_len > width or "\n" in \
        value.plain else [value]
    return Text("\n" + " " * indent).join(lines)


def table(console: Console, head: Sequence[str], rows: Sequence[Sequence[str]],
          title: str | None = None, left: Sequence[int] = (0,),
          no_wrap: Sequence[int] | bool = ()) -> RenderableType:
    """Cells as a table, right-aligned but for the `left` columns, the `no_wrap` columns (all,
    if True) never wrapped, folded into one block per row (`fit`) when it would not fit the
    console: no cell is ever cut."""
    t = Table(title=title, title_justify="left")
    for i, h in enumerate(head):
        t.add_column(h, justify="left" if i in left else "right",
                     no_wrap=no_wrap is True or (no_wrap is not False and i in no_wrap))
    for r in rows:
        t.add_row(*r)
    return fit(console, t, head, rows)


def _id_column(t: Table, name: str, ids: Sequence[str]) -> None:
    """A column whose ids never wrap inside a word (it is never narrower than the longest)."""
    t.add_column(name, min_width=max((len(i) for i in ids), default=4), overflow="fold")


def within(t: RenderableType, width: int) -> RenderableType:
    """The table with its id column (the first, `_id_column`) no wider than the other columns
    leave of the console: an id longer than that (a drafted one can be 40 characters) folds
    onto a second line instead of pushing the right border past the edge, where rich crops
    the table and its title."""
    if not isinstance(t, Table) or not t.columns or t.columns[0].min_width is None or \
            t.box is None:
        return t
    others = sum(max(col.min_width or 0, *(_extent(c)[1 if col.no_wrap else 0]
                                            for c in (col.header, *col.cells))) + 2
                 for col in t.columns[1:])
    room = width - others - (len(t.columns) + 1) - 2  # the borders, the id column's padding
    first = t.columns[0]
    first.min_width = max(MIN_ID_WIDTH, min(first.min_width or 0, room))
    return t


def _cell(result: RunResult, event: str, step: int) -> str:
    ev = result.forecast.events[event]
    text = f"{pct(ev.probability[step])}\n[dim]±{pt(ev.stderr[step])}[/]"
    if ev.band_low is not None and ev.band_high is not None:
        text += f"\n[dim]{band_pct(ev.band_low[step], ev.band_high[step])}[/]"
    return text


def _steps(result: RunResult) -> list[int]:
    f = result.forecast
    steps = [s for s in CHECKPOINTS if s <= f.horizon] or [f.horizon]
    if f.horizon not in steps:
        steps.append(f.horizon)
    return steps


def events_table(result: RunResult) -> Table:
    f = result.forecast
    t = Table(
        title="P(event has occurred by the date) in % · ± Monte Carlo s.e. in percentage"
        " points (pt) · 5–95% band over parameters",
        title_justify="left",
    )
    _id_column(t, "event", list(f.events))
    for s in _steps(result):
        t.add_column(f"{s} mo\n{f.dates[s]}", justify="right", min_width=10)
    names = {e.id: e.name for e in result.scenario.events}
    for eid, ev in f.events.items():
        label = f"[bold]{eid}[/]\n{names.get(eid, eid)}"
        if ev.mean_count is not None:
            label += f"\n[dim]mean count {ev.mean_count:.2f}[/]"
        t.add_row(label, *(_cell(result, eid, s) for s in _steps(result)))
    return t


def _band(q: object) -> str:
    band = q.band  # type: ignore[attr-defined]
    return f"{pct(band[0])}–{pct(band[1])}" if band else "—"


def questions_table(result: RunResult, criteria: bool = False) -> Table:
    """id and question, date, P (with its s.e.), band; each question's criteria on request."""
    t = Table(title="Questions: P that the event has occurred by the date, in % (± Monte Carlo"
              " s.e. in percentage points, pt) · 5–95% band over parameters",
              title_justify="left")
    _id_column(t, "id · question", [q.id for q in result.forecast.questions])
    for col in ("date", "P", "band"):
        t.add_column(col, justify="right", no_wrap=True)
    qs = {q.id: q for q in result.scenario.questions}
    for q in result.forecast.questions:
        sq = qs.get(q.id)
        label = f"[bold]{q.id}[/]\n{sq.text if sq else ''}"
        if criteria and sq is not None and sq.criteria:
            label += f"\n[dim]resolves: {sq.criteria}[/]"
        if q.outside_view:
            label += f"\n[dim]{escape(outside_text(q.probability, q.outside_view))}[/]"
        p = f"{pct(q.probability)}\n[dim]±{pt(q.stderr)}[/]"
        t.add_row(label, q.by, p, _band(q))
    return t


def answers_block(result: RunResult) -> RenderableType:
    """The last thing a run prints: one line per question, so the final screen is the answer."""
    g = Table.grid(padding=(0, 2))
    g.add_column(no_wrap=True)
    g.add_column(justify="right", no_wrap=True)
    g.add_column(justify="right", no_wrap=True)
    g.add_column(no_wrap=True)
    history = any(q.outside_view for q in result.forecast.questions)
    if history:
        g.add_column(justify="right", no_wrap=True)
    for q in result.forecast.questions:
        row = [f"  [bold]{q.id}[/]", pct(q.probability), _band(q), f"by {q.by}"]
        if history:
            row.append(pct(q.outside_view["probability"]) if q.outside_view else "")
        g.add_row(*row)
    head = "Answers (P · 5–95% band · date" + (" · history" if history else "") + ")"
    return Group(Text(head, style="bold"), g)


def outside_text(p: float, view: dict[str, Any]) -> str:
    """A question's outside view in words, and how far the scenario moved from it."""
    from accord.baserate.outside import gap_words

    cond = ", ".join(f"{k}={v}" for k, v in view["where"].items())
    text = (f"history: {pct(view['probability'])} ({pct(view['low'])}–{pct(view['high'])}), "
            f"{view['class']}{' (' + cond + ')' if cond else ''}, n = {view['n']}")
    gap = gap_words(p, view["probability"])
    return text + (f"; {gap}" if gap else "")


def orders_table(result: RunResult, top: int = 5) -> Table:
    t = Table(title=f"The {top} most frequent orders of events", title_justify="left")
    t.add_column("share", justify="right", no_wrap=True)
    t.add_column("order (→ in time; + in the same month)")
    for o in result.forecast.orders[:top]:
        t.add_row(pct(o.share), " → ".join(o.order) or "(nothing happens)")
    return t


def _outcome(r: object, digits: int) -> tuple[str, str]:
    c = f"{r.outcome:.1f}"  # type: ignore[attr-defined]
    low, high = r.low, r.high  # type: ignore[attr-defined]
    band = "" if low is None or high is None else f"{low:.{digits}f}–{high:.{digits}f}"
    if r.notes:  # type: ignore[attr-defined]
        c += " *"
    return c, band


def headline_model(result: RunResult) -> str:
    """The model whose outcome is the issue forecast (FORECAST_MODEL when the run has it)."""
    from accord.bargaining.registry import FORECAST_MODEL

    models = list(result.issues[0].models) if result.issues else []
    return FORECAST_MODEL if FORECAST_MODEL in models or not models else models[0]


def forecasts_block(result: RunResult) -> Table:
    """One forecast per issue, from the headline model, with its band and the scale's ends."""
    name = headline_model(result)
    t = Table(title=f"Issue forecasts (scale units; 5–95% band over parameters) by {name}, the "
              "model cross-validation chose on past negotiations; --models shows all models",
              title_justify="left")
    _id_column(t, "issue", [i.id for i in result.issues])
    t.add_column("forecast", justify="right", no_wrap=True)
    t.add_column("band", justify="right", no_wrap=True)
    for iss in result.issues:
        d = scale_digits(iss.scale_min, iss.scale_max)
        c, band = _outcome(iss.models[name], d)
        ends = scale_ends(iss.scale_min, iss.scale_max, iss.min_means, iss.max_means)
        sq = "" if iss.status_quo is None else f" · status quo {iss.status_quo:g}"
        t.add_row(f"[bold]{iss.id}[/] · {iss.name}\n[dim]{ends}{sq}[/]", c, band or "—")
    return t


def issues_block(result: RunResult, console: Console) -> RenderableType:
    """Every model's outcome: one table when it fits; otherwise a block per issue, a line per
    model."""
    models = list(result.issues[0].models) if result.issues else []
    title = "Issue outcomes by model (scale units; 5–95% band over parameters; * see notes)"
    t = Table(title=title, title_justify="left")
    _id_column(t, "issue", [i.id for i in result.issues])
    for m in models:
        t.add_column(m, justify="right", no_wrap=True)
    for iss in result.issues:
        d = scale_digits(iss.scale_min, iss.scale_max)
        cells = []
        for m in models:
            c, band = _outcome(iss.models[m], d)
            cells.append(c + (f"\n[dim]{band}[/]" if band else ""))
        ends = scale_ends(iss.scale_min, iss.scale_max, iss.min_means, iss.max_means)
        sq = "" if iss.status_quo is None else f" · status quo {iss.status_quo:g}"
        t.add_row(f"[bold]{iss.id}[/]\n[dim]{ends}{sq}[/]", *cells)
    if not overflows(console, t):
        return t
    parts: list[RenderableType] = [Text(title, style="italic")]
    for iss in result.issues:
        d = scale_digits(iss.scale_min, iss.scale_max)
        ends = scale_ends(iss.scale_min, iss.scale_max, iss.min_means, iss.max_means)
        sq = "" if iss.status_quo is None else f" · status quo {iss.status_quo:g}"
        parts.append(markup(f"[bold]{iss.id}[/] {iss.name}\n[dim]  {ends}{sq}[/]"))
        g = Table.grid(padding=(0, 2))
        g.add_column(no_wrap=True)
        g.add_column(justify="right", no_wrap=True)
        g.add_column(style="dim", no_wrap=True)
        for m in models:
            c, band = _outcome(iss.models[m], d)
            g.add_row(f"  {m}", c, band)
        parts.append(g)
    return Group(*parts)


def how_text(result: RunResult) -> str:
    f = result.forecast
    if f.method == "exact":
        return "exact solution at central parameter values"
    return (f"{f.paths:,} paths = {f.draws} parameter draws × {f.paths_per_draw}\n"
            f"seed {f.seed}")


def model_notes(result: RunResult, every_model: bool) -> list[str]:
    """The shown models' notes, each naming its model once ('issue · model: note')."""
    shown = None if every_model else headline_model(result)
    notes = [  # a model's note may already start with its name: not twice
        f"{iss.id} · {name}: {n.removeprefix(f'{name}: ')}" for iss in result.issues
        for name, r in iss.models.items() if shown in (None, name) for n in r.notes
    ]
    return list(dict.fromkeys(notes))


def render(result: RunResult, console: Console, *, criteria: bool = False,
           models: bool = False) -> None:
    """The run's summary, every line wrapped at word boundaries to the console's width:
    questions, events, orders, issue forecasts (every model's with `models`), notes."""
    s = result.scenario
    console.print(f"[bold]{s.meta.title}[/]", highlight=False, soft_wrap=False)
    console.print(
        f"[dim]{s.meta.id} · as of {s.meta.as_of} · horizon {s.meta.horizon} months[/]\n"
        f"[dim]{how_text(result)}[/]",
        highlight=False, soft_wrap=False,
    )
    f = result.forecast
    parts: list[RenderableType] = []  # the answers first, then the events behind them
    if f.questions:
        parts.append(within(questions_table(result, criteria), console.width))
    parts.append(within(events_table(result), console.width))
    if f.orders:
        parts.append(orders_table(result))
    if result.issues:
        parts.append(issues_block(result, console) if models
                     else within(forecasts_block(result), console.width))
    console.print(Group(*parts), soft_wrap=False)
    for n in model_notes(result, models):
        console.print(f"[yellow]*[/] {n}", highlight=False, soft_wrap=False)
    for n in result.notes:
        console.print(f"[dim]note: {n}[/]", soft_wrap=False)

