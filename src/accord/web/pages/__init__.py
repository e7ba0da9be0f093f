"""The dashboard's pages (NiceGUI), one module per page: the scenario list (`index`), a
scenario (`scenario`, with `editing`, `overview`), the runs and one run (`runs`), a comparison
(`compare`), the review of a draft (`draftpage`); `results`, `common` and `jobcontrols` are
shared by them."""

from __future__ import annotations

from nicegui import ui

from accord.scenario.loader import DEFAULT_SCENARIO
from accord.web.context import Context
from accord.web.pages import compare, draftpage, index, runs
from accord.web.pages.common import guarded
from accord.web.pages.scenario import ScenarioView


def register(ctx: Context) -> None:
    index.register(ctx)

    @ui.page("/scenario")
    @guarded
    def scenario_page(ref: str = DEFAULT_SCENARIO, tab: str = "") -> None:
        view = ScenarioView(ctx, ref)
        view.start_tab = tab
        view.build()

    runs.register(ctx)
    compare.register(ctx)
    draftpage.register(ctx)
