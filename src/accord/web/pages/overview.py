"""The scenario page's Overview (the answer first, then why, then the details) and its
Numbers & evidence tab."""

from __future__ import annotations

import html
from typing import Any

from nicegui import ui

from accord.report.html import param_label
from accord.report.plots import iso_date
from accord.results import Result, StoredRun
from accord.scenario.model import Scenario, Shift
from accord.store.runs import scenario_hash
from accord.web import charts
from accord.web.pages.common import NOT_FORECASTS
from accord.web.pages.observed import ledger_history
from accord.web.pages.results import previous_run, question_cards, question_fans
from accord.web.pages.reviewlist import draft_review_panel
from accord.web.pages.watch import watch_panel
from accord.web.pages.why import why_panel
from accord.web.widgets import Cell, chart_by_width, chart_later, data_table, param_button


class Overview:
    """Mixin of ScenarioView: needs self.ctx, self.shown, self.text, self.on_cell,
    self.cell_inputs."""

    def answers(self, s: Scenario) -> None:
        """The answer first: the newest run's question cards and fan charts, then why."""
        runs = [r for r in self.ctx.store.list(limit=20, scenario_id=s.meta.id)
                if r["kind"] not in NOT_FORECASTS]
        ui.label("Answers").classes("text-xl font-bold")
        if not runs:
            ui.label("No run of this scenario yet: open the Run tab.").classes(
                "accord-dim accord-no-answers")
            why_panel(s)
            watch_panel(s)
            return
        run = StoredRun.load(self.ctx.store, runs[0]["id"])
        rec = run.record
        before = previous_run(self.ctx, s.meta.id, rec.id, rec.scenario_hash)
        ui.label(f"from run #{rec.id} · {iso_date(rec.created_at)}"
                 + ("" if rec.scenario_hash == scenario_hash(self.text)
                    else " · of another version of this scenario's text")).classes(
            "accord-dim text-sm accord-answers-from")
        # the questions as this page's scenario words them (the run's text is not parsed)
        result = Result.of(run.document, s)
        question_cards(result, before)
        question_fans(result, f"run-{rec.id}")
        why_panel(s)
        watch_panel(s)
        ledger_history(self.ctx, s.meta.id, {q.id: q.text for q in s.questions})

    @ui.refreshable_method
    def overview(self) -> None:
        s = self.shown
        if self.overview_stale:  # type: ignore[attr-defined]  # drawn when its tab opens
            return
        draft_review_panel(self.text, "overview")
        if s is None:
            ui.label("Fix the problems above to see the scenario.")
            return
        self.answers(s)
        ui.label("Details").classes("text-xl font-bold")
        _actors(s)
        if s.issues:
            _issues(s)
        _events(s)
        if s.questions:
            ui.label("Questions").classes("text-lg font-bold")
            data_table(
                ["id", "question", "event", "by"],
                [[q.id, q.text, q.event, str(q.by)] for q in s.questions],
                name="scenario-questions",
            )
        if s.meta.sources:
            ui.label("Sources").classes("text-lg font-bold")
            for src in s.meta.sources:
                ui.label(
                    ", ".join(
                        x for x in (src.author, f"“{src.title}”", src.publisher,
                                    str(src.date or ""), src.url or "") if x
                    )
                ).classes("text-sm")

    @ui.refreshable_method
    def numbers(self) -> None:
        s = self.shown
        self.cell_inputs.clear()  # the boxes are built anew
        if s is None:
            ui.label("Fix the problems above to edit the numbers.")
            return
        ui.label(
            "Every number with its evidence or assumption. Edit a value (0.2, U(0.1, 0.3), "
            "Beta(2, 8), Tri(0, 0.1, 0.3), N(5, 1), LogN(2, 0.5)); it is validated as you type."
        ).classes("accord-dim text-sm")
        rows: list[list[Cell]] = []
        for path, p in s.parameters():
            label = param_label(s, path)

            def cell(path: str = path, value: str = p.describe()) -> None:
                self.cell_inputs[path] = ui.input(
                    value=value, on_change=lambda ev, f=path: self.on_cell(f, ev.value)
                ).props(f'dense outlined data-field="{path}"').classes("w-48 accord-edit")

            quotes = " | ".join(f"“{e.quote}” ({e.source})" for e in p.evidence)

            def ev_cell(p: Any = p, label: str = label, path: str = path) -> None:
                if p.evidence:
                    for e in p.evidence:
                        ui.html(f'<span class="accord-quote">“{html.escape(e.quote)}”</span> '
                                f'<span class="accord-dim">({html.escape(e.source)})</span>')
                else:
                    ui.label("—")

            rows.append(
                [
                    label,
                    param_button(s, label, path, p),
                    (p.describe(), cell),
                    (quotes, ev_cell),
                    p.assumption or "—",
                ]
            )
        data_table(["parameter", "value", "edit", "evidence", "assumption"], rows,
                   name="parameters", classes="accord-numbers")



def _actors(s: Scenario) -> None:
    ui.label("Actors").classes("text-lg font-bold")
    data_table(
        ["id", "name", "aliases", "capability", "group"],
        [
            [
                a.id,
                a.name,
                ", ".join(a.aliases),
                param_button(s, f"{a.id} · capability", f"actors[{i}].capability", a.capability),
                a.group or "",
            ]
            for i, a in enumerate(s.actors)
        ],
        name="actors",
        classes="accord-actors",
    )


def _issues(s: Scenario) -> None:
    """The issues' chart, then every actor's position and salience, each a number to open."""
    ui.label("Issues").classes("text-lg font-bold")
    chart_later(lambda: charts.issues(s), name="issues", classes="accord-issues-chart",
                height=140 + 45 * len(s.issues))
    rows: list[list[Cell]] = []
    for i, iss in enumerate(s.issues):
        for actor, st in iss.positions.items():
            base = f"issues[{i}].positions.{actor}"
            rows.append(
                [
                    iss.id,
                    f"{iss.scale.min:g} {iss.scale.min_means or ''} … "
                    f"{iss.scale.max:g} {iss.scale.max_means or ''}",
                    actor,
                    param_button(s, f"{iss.id} · {actor} · position", f"{base}.position",
                                 st.position),
                    param_button(s, f"{iss.id} · {actor} · salience", f"{base}.salience",
                                 st.salience),
                ]
            )
    data_table(["issue", "scale", "actor", "position", "salience"], rows,
               name="positions", classes="accord-positions")


def _events(s: Scenario) -> None:
    """The events' table (how each happens, its rate, modifiers, effects), then the graph:
    fitted to its box when its drawing fits (a phone shows all of a small one), else scrolled
    inside the box."""
    ui.label("Events").classes("text-lg font-bold")
    data_table(
        ["id", "name", "when", "how", "rate", "modifiers", "effects"],
        [
            [
                ev.id,
                ev.name,
                ev.when or "always",
                ev.kind,
                param_button(s, f"{ev.id} · {ev.kind}", f"events[{i}].{ev.kind}", ev.probability)
                if ev.probability is not None
                else str(ev.scheduled),
                "; ".join(f"if {m.if_}: × {m.multiply.describe()}" for m in ev.modifiers),
                "; ".join(
                    [*(f"cancels {x}" for x in ev.effects.cancels),
                     *(f"resets {x}" for x in ev.effects.resets),
                     *(f"{'shifts' if isinstance(v, Shift) else 'sets'} "
                       f"{a + ' ' if a else ''}{fld.rstrip('s').replace('_', ' ')} on {x}"
                       for fld, a, x, v in ev.effects.table())]
                ),
            ]
            for i, ev in enumerate(s.events)
        ],
        name="events",
        classes="accord-events",
    )
    if s.events:
        chart_by_width(lambda w: charts.graph_to_fit(charts.graph(s), w), name="event-graph",
                       classes="accord-graph", of_box=True)
