"""The offline HTML report: Plotly with its JavaScript inlined (no CDN), tables, evidence."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from plotly.offline import get_plotlyjs

from accord.analysis.explain import Explanation
from accord.analysis.recipe import RunResult
from accord.analysis.watch import QuestionWatch
from accord.report import plots
from accord.report.console import headline_model, model_notes, outside_text, pct
from accord.report.watch import watch_sentences
from accord.scenario.model import Scenario
from accord.scenario.yamlio import parse_path

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;
max-width:1150px;
color:#222;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%;font-size:.86rem;margin:.5rem 0}
th,td{border:1px solid #ddd;padding:.3rem .45rem;text-align:left;vertical-align:top}
th{background:#f4f4f8}td.num{text-align:right;font-variant-numeric:tabular-nums;
white-space:nowrap}
.dim{color:#777}.quote{font-style:italic}.meta{color:#555}
"""


def esc(x: object) -> str:
    return html.escape(str(x))


def param_label(scenario: Scenario, path: str) -> str:
    """'events[3].hazard' → 'new_demand · hazard', readable in the evidence table: the
    parameter's id-based name without its section (a modifier shows its condition)."""
    p = parse_path(path)
    if p[0] == "events" and len(p) > 3 and p[2] == "modifiers":
        ev = scenario.events[p[1]]  # type: ignore[index]
        return f"{ev.id} · modifier if {ev.modifiers[p[3]].if_}"  # type: ignore[index]
    section, _, rest = scenario.parameter_names()[path].partition(".")
    label = rest.replace(".", " · ")
    return f"threshold · {label}" if section == "thresholds" else label


def table_html(head: list[str], rows: list[list[str]], num: set[int] | None = None) -> str:
    num = num or set()
    h = "".join(f"<th>{esc(c)}</th>" for c in head)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{c}</td>' if i in num else f"<td>{c}</td>" for i, c in enumerate(r)
        )
        + "</tr>"
        for r in rows
    )
    return f"<table><thead><tr>{h}</tr></thead><tbody>{body}</tbody></table>"


def evidence_rows(scenario: Scenario) -> list[list[str]]:
    titles = {s.id: s.title for s in scenario.meta.sources}
    rows = []
    for path, p in scenario.parameters():
        quotes = "<br>".join(
            f'<span class="quote">“{esc(ev.quote)}”</span> '
            f'<span class="dim">— {esc(titles.get(ev.source, ev.source))}</span>'
            for ev in p.evidence
        )
        rows.append(
            [
                esc(param_label(scenario, path)),
                esc(p.describe()),
                quotes or "—",
                esc(p.assumption or "—"),
            ]
        )
    return rows


def watch_html(watched: list[QuestionWatch] | None) -> str:
    """The report's "What to watch" section: per question, the three developments that would
    move it most, both branches in words (accord watch)."""
    if not watched:
        return ""
    items = "".join(
        f"<h3>{esc(w.question)} <span class='dim'>{pct(w.probability)} · {esc(w.text)}</span>"
        "</h3><ul>" + "".join(f"<li>{esc(line)}</li>" for line in lines) + "</ul>"
        for w in watched for lines in [watch_sentences([w])[w.question]] if lines)
    return ("<h2>What to watch</h2><p class='meta'>The developments that would move each "
            "question most if seen (or not) within six months, ranked by the expected change "
            "of its probability (accord watch).</p>" + items)


def why_html(explanations: list[Explanation] | None) -> str:
    """The report's "Why" section: accord explain for every question."""
    if not explanations:
        return ""
    from accord.report.explain import section

    return ("<h2>Why</h2><p class='meta'>Each path that ends “no” is attributed to the first "
            "unmet link in the chain of preconditions at the deadline, so the shares add up to "
            "1 − P (accord explain).</p>" + "".join(section(e) for e in explanations))


def render_html(result: RunResult, explanations: list[Explanation] | None = None,
                watched: list[QuestionWatch] | None = None) -> str:
    s = result.scenario
    divs = _figure_divs(result)
    notes = model_notes(result, every_model=True)
    models = list(result.issues[0].models) if result.issues else []
    sources = "".join(
        f"<li>{esc(x.author or '')} “{esc(x.title)}”, {esc(x.publisher or '')}, {esc(x.date or '')}"
        f" <span class='dim'>({esc(x.file or 'no text file')})</span></li>"
        for x in s.meta.sources
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{esc(s.meta.title)} — accord report</title>
<style>{CSS}</style><script>{get_plotlyjs()}</script></head><body>
<h1>{esc(s.meta.title)}</h1>
<p class="meta">Scenario <code>{esc(s.meta.id)}</code> · as of {s.meta.as_of} · horizon
{s.meta.horizon} months · {_how(result)}</p>
<p>{esc(s.meta.description or "")}</p>
<h2>Questions</h2><p class="meta">{esc(plots.FANS_CAPTION)}</p>{divs[0]}
{table_html(["id", "question", "by", "P", "s.e. (pt)", "5–95%", "history (outside view)"],
            _question_rows(result), {2, 3, 4, 5})}
{why_html(explanations)}
{watch_html(watched)}
<details ontoggle="window.dispatchEvent(new Event('resize'))">
<summary>All events over time (click the legend to hide one, double-click to isolate it)</summary>
{divs[1]}</details>
<h2>Most frequent orders of events</h2>{table_html(["share", "order"], _order_rows(result), {0})}
<h2>Event graph</h2>{divs[2]}
{forecasts_html(result)}
<h2>Issue outcomes by model</h2>{table_html(["issue", "scale", *models], _issue_rows(result))}
{"".join(f"<p class='dim'>* {esc(n)}</p>" for n in dict.fromkeys(notes))}
{divs[3] if len(divs) > 3 else ""}
<h2>Evidence and assumptions</h2>
<p>Every number of the scenario, with the quoted sentence behind it or the stated assumption.</p>
{table_html(["parameter", "value", "evidence", "assumption"], evidence_rows(s))}
<h2>Sources</h2><ul>{sources}</ul>
<p class="dim">Made by accord. Notes: {esc("; ".join(result.notes) or "none")}</p>
</body></html>"""


def _figure_divs(result: RunResult) -> list[str]:
    """The report's figures as HTML divs: question fans, curves, event graph, issue outcomes.

    Written from their dicts with Plotly's default template put in, unvalidated: the very
    JSON that `go.Figure` would validate and write (tests/test_cli_run.py compares them), in
    a twentieth of the time (a quarter of a second per run)."""
    import plotly.io as pio

    s = result.scenario
    doc = result.to_dict()
    texts = {q.id: q.text for q in s.questions}
    figs = [plots.question_fans(doc, texts), plots.curves(doc), plots.graph(s)]
    if result.issues:
        figs.append(plots.issue_outcomes(doc))
    template = pio.templates[pio.templates.default].to_plotly_json()
    return [pio.to_html({"data": fig["data"], "layout": {"template": template, **fig["layout"]}},
                        full_html=False, include_plotlyjs=False, config=plots.CONFIG,
                        validate=False)
            for fig in figs]


def _how(result: RunResult) -> str:
    f = result.forecast
    if f.method == "exact":
        return "exact solution at central parameter values"
    return (f"{f.paths:,} Monte Carlo paths ({f.draws} parameter draws × {f.paths_per_draw}), "
            f"seed {f.seed}")


def _question_rows(result: RunResult) -> list[list[str]]:
    text = {q.id: q.text for q in result.scenario.questions}
    return [[esc(q.id), esc(text[q.id]), esc(q.by), pct(q.probability), f"{100 * q.stderr:.1f}",
             f"{pct(q.band[0])}–{pct(q.band[1])}" if q.band else "—",
             esc(outside_text(q.probability, q.outside_view)) if q.outside_view else "—"]
            for q in result.forecast.questions]


def _order_rows(result: RunResult) -> list[list[str]]:
    return [[pct(o.share), esc(" → ".join(o.order) or "(nothing happens)")]
            for o in result.forecast.orders[:10]]


def _issue_rows(result: RunResult) -> list[list[str]]:
    """Each issue's outcome by every model, its band in brackets, * where the model noted."""
    models = list(result.issues[0].models) if result.issues else []

    def cell(o: Any) -> str:
        band = f' <span class="dim">[{o.low:.0f}–{o.high:.0f}]</span>' if o.low is not None \
            else ""
        return f"{o.outcome:.1f}{band}" + (" *" if o.notes else "")

    return [[esc(i.name), f"{i.scale_min:g}–{i.scale_max:g}", *(cell(i.models[m]) for m in models)]
            for i in result.issues]


def forecasts_html(result: RunResult) -> str:
    """The issue forecasts: one outcome per issue, by the model chosen on evidence (see
    docs/models/bargaining.md)."""
    if not result.issues:
        return ""
    name = headline_model(result)
    rows = [[esc(i.name), f"{i.scale_min:g}–{i.scale_max:g}", f"{i.models[name].outcome:.1f}",
             f"{i.models[name].low:.0f}–{i.models[name].high:.0f}"
             if i.models[name].low is not None else "—"] for i in result.issues]
    return (f"<h2>Issue forecasts</h2><p class='meta'>By <code>{esc(name)}</code>, the model "
            "nested cross-validation chose on past EU negotiations (DEU); every model's outcome "
            "follows.</p>" + table_html(["issue", "scale", "forecast", "5–95%"], rows, {2, 3}))


def write_report(result: RunResult, folder: Path,
                 explanations: list[Explanation] | None = None,
                 watched: list[QuestionWatch] | None = None, *, figures: bool = False) -> Path:
    """The interactive report (index.html, always); with `figures`, the static PNG and SVG
    figures too. Those are matplotlib's, about 4 s of drawing: three quarters of a default run,
    so they are drawn only when asked for (`accord run --figures`)."""
    folder.mkdir(parents=True, exist_ok=True)
    index = folder / "index.html"
    index.write_text(render_html(result, explanations, watched), encoding="utf-8")
    if figures:
        from accord.report.figures import write_figures

        write_figures(result, folder)
    return index
