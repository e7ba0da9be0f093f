"""What has happened since: observations for a run, the posterior beside the prior, and each
question's forecast history from the ledger."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from nicegui import ui

from accord.report.plots import iso_date
from accord.results import Result
from accord.scenario.loader import Loaded
from accord.store.ledger import Ledger
from accord.web.context import Context
from accord.web.widgets import chart, data_table, pct

EXAMPLE = """as_of: 2026-06-03
observed:
  - {event: referendum_held, not_by: 2026-06-03}"""


def observed_input() -> ui.textarea:
    """A box for an observations file's YAML, filled by pasting or by uploading the file."""
    box = ui.textarea("Observations (YAML, optional): what has happened since as_of",
                      placeholder=EXAMPLE).props("autogrow outlined stack-label").classes(
        "w-full font-mono text-xs accord-observed-input")

    async def uploaded(e: Any) -> None:
        data = e.content.read() if hasattr(e, "content") else await e.file.read()
        box.value = data.decode("utf-8", errors="replace")
        ui.notify(f"{getattr(e, 'name', None) or 'the file'} read into the box above",
                  type="positive")

    ui.upload(label="or upload an observations file", auto_upload=True, on_upload=uploaded,
              max_file_size=2_000_000).props("accept=.yaml,.yml flat dense").classes(
        "accord-observed-upload")
    return box


def with_observations(loaded: Loaded, text: str | None) -> Loaded:
    """The scenario to run, conditioned on the observations typed in (UserError if bad)."""
    if not text or not text.strip():
        return loaded
    from accord.scenario.observations import observations_from_text

    obs = observations_from_text(text, "observations")
    obs.months(loaded.scenario)  # checked against the scenario now, with file/line/field
    return replace(loaded, observations=obs)


def observed_view(result: Result) -> None:
    """A conditioned run: what it was conditioned on, and each parameter's prior and posterior
    side by side."""
    obs = result.to_dict().get("observed")
    if not obs:
        return
    with ui.card().classes("w-full accord-observed"):
        ui.label("Conditioned on what happened").classes("text-lg font-bold")
        ess = obs.get("effective_paths")
        ui.label(
            f"observations as of {obs['as_of']} ({', '.join(obs.get('events') or []) or 'none'});"
            f" the forecast starts {obs['start']}"
            + (f" · {ess:,.0f} effective paths of {obs.get('paths', 0):,}" if ess else "")
        ).classes("text-sm accord-dim")
        rows = [[p["name"],
                 f"{p['prior_mean']:.3g} [{p['prior_band'][0]:.3g}–{p['prior_band'][1]:.3g}]",
                 f"{p['posterior_mean']:.3g} [{p['posterior_band'][0]:.3g}–"
                 f"{p['posterior_band'][1]:.3g}]"]
                for p in obs.get("parameters") or [] if p.get("moved", True)]
        if rows:
            data_table(["parameter", "prior mean [5–95%]", "posterior mean [5–95%]"], rows,
                       name="posterior", classes="accord-posterior")


def _observation_marks(entries: list[Any]) -> dict[str, Any]:
    """Markers where a question's forecast was first conditioned on something new: what moved
    the line, in the hover text."""
    seen: dict[str, set[str]] = {}
    xs, ys, texts = [], [], []
    for e in entries:
        c = e.content
        if e.kind != "forecast" or c.get("probability") is None:
            continue
        now = set(c.get("observations") or [])
        new = sorted(now - seen.get(e.question_id, set()))
        seen[e.question_id] = now
        if new:
            xs.append(c["recorded_at"])
            ys.append(100 * c["probability"])
            texts.append(f"{e.question_id}: newly observed<br>" + "<br>".join(new))
    return {"type": "scatter", "mode": "markers", "name": "new observations",
            "x": xs, "y": ys, "text": texts, "hovertemplate": "%{text}<extra></extra>",
            "marker": {"symbol": "diamond-open", "size": 13, "line": {"width": 2}},
            "meta": {"role": "observations"}}


def history_figure(entries: list[Any], texts: dict[str, str]) -> dict[str, Any] | None:
    """Each question's forecasts over the time they were recorded, resolutions marked."""
    series: dict[str, list[tuple[str, float]]] = {}
    resolved: dict[str, tuple[str, str]] = {}
    for e in entries:
        c = e.content
        if e.kind == "forecast" and c.get("probability") is not None:
            series.setdefault(e.question_id, []).append((c["recorded_at"], c["probability"]))
        elif e.kind == "resolution":
            resolved[e.question_id] = (c["resolved_on"], c["outcome"])
    if not series:
        return None
    data = [_observation_marks(entries)] if any(
        e.content.get("observations") for e in entries) else []
    for qid, pts in series.items():
        data.append({"type": "scatter", "mode": "lines+markers", "name": texts.get(qid, qid),
                     "x": [t for t, _ in pts], "y": [100 * p for _, p in pts],
                     "meta": {"question": qid},
                     "hovertemplate": "%{x}<br>%{y:.1f}%<extra>" + qid + "</extra>"})
        if qid in resolved:
            on, outcome = resolved[qid]
            data.append({"type": "scatter", "mode": "markers+text", "showlegend": False,
                         "x": [on], "y": [100.0 if outcome == "yes" else 0.0],
                         "text": [f"{qid}: {outcome}"], "textposition": "top center",
                         "marker": {"symbol": "star", "size": 12}, "meta": {"resolution": qid}})
    return {"data": data, "layout": {
        "height": 360, "margin": {"l": 50, "r": 10, "t": 30, "b": 40},
        "title": {"text": "Forecast history (the ledger)", "x": 0, "font": {"size": 13}},
        "yaxis": {"title": "P (%)", "range": [0, 100]}, "xaxis": {"type": "date"},
        "legend": {"orientation": "h", "y": -0.25}}}


def ledger_history(ctx: Context, scenario_id: str, texts: dict[str, str]) -> None:
    """The scenario's forecast history, when `accord run --record` has kept one."""
    entries = Ledger(ctx.store).entries(scenario_id)
    fig = history_figure(entries, texts)
    if fig is None:
        return
    ui.label(f"{sum(e.kind == 'forecast' for e in entries)} recorded forecasts, latest "
             f"{iso_date(entries[-1].recorded_at)}").classes("accord-dim text-sm")
    chart(fig, name=f"history-{scenario_id}", classes="accord-history")
    last = {e.question_id: e.content for e in entries if e.kind == "forecast"}
    data_table(["question", "latest forecast", "recorded"],
               [[q, pct(c["probability"]), iso_date(c["recorded_at"])] for q, c in last.items()],
               name=f"history-{scenario_id}", classes="accord-history-table")
