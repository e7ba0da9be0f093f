"""Page building blocks: tables with CSV download, charts with PNG/SVG download, evidence."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Callable, Sequence
from typing import Any

from nicegui import ui

from accord.report.console import pct  # noqa: F401 - one formatting of % for every page
from accord.scenario.model import Scenario
from accord.scenario.params import Param

# A cell: plain text, or (text for the CSV, a builder that fills the <td>)
Cell = str | tuple[str, Callable[[], None]]

CSS = """
.accord-observed-upload .q-uploader__subtitle{display:none}
.accord-new-upload .q-uploader__list{min-height:0;padding:0}
.accord-table{border-collapse:collapse;width:100%;font-size:.85rem}
.accord-table th,.accord-table td{border:1px solid #ddd;padding:.25rem .45rem;text-align:left;
vertical-align:top}
.accord-table th{background:#f4f4f8}
.accord-num{font-variant-numeric:tabular-nums}
.accord-quote{font-style:italic}
.accord-dim{color:#777}
.accord-problems{color:#b00020;font-family:ui-monospace,monospace;font-size:.85rem;
white-space:pre-wrap}
.accord-scroll{overflow-x:auto;width:100%;max-width:100%}
.accord-question-card{width:16rem;max-width:100%;flex:1 1 14rem;padding:.55rem .7rem;gap:.2rem}
.accord-question-card .accord-card-p{line-height:1.6rem}
.accord-question-cards{align-items:stretch}
.accord-card-change{color:#0b4f8a}
.accord-compare-side{flex:1 1 20rem;min-width:0}
.accord-grow{flex:1 1 7rem;min-width:0}
.accord-builder-dialog{width:36rem;max-width:100%}
.accord-quote-menu{max-width:calc(100vw - 4rem) !important}
.accord-item-text{flex:1 1 15rem;min-width:0;overflow-wrap:anywhere}
.accord-structure-item{width:100%;flex-wrap:wrap;border-bottom:1px solid #eee;padding:.15rem 0}
.accord-yaml textarea{font-family:ui-monospace,monospace;font-size:.8rem;line-height:1.25}
@media (max-width:600px){
.accord-reflow thead{display:none}
.accord-reflow,.accord-reflow tbody,.accord-reflow tr,.accord-reflow td{display:block;width:100%}
.accord-reflow tr{border:1px solid #ccc;margin-bottom:.5rem}
.accord-reflow td{border:none;border-bottom:1px solid #eee;display:flex;gap:.6rem;
overflow-wrap:anywhere}
.accord-reflow td::before{content:attr(data-label);flex:0 0 38%;font-weight:600;color:#555}
.accord-reflow td:empty{display:none}
}
"""
# Tables wider than REFLOW_COLUMNS become one record per row on a phone (each cell labelled
# with its column), instead of a table that scrolls sideways in its box.
REFLOW_COLUMNS = 4
# The few utility classes the pages use, as static CSS: NiceGUI's Tailwind runs a CSS compiler in
# the browser on every page load (several tenths of a second of main thread), so it is switched
# off (ui.run(tailwind=False)) and these stand in for it. Quasar supplies items-center, no-wrap,
# text-white.
UTILITIES = r"""
*,::before,::after{box-sizing:border-box}
.w-full{width:100%}.w-1\/2{width:50%}.w-32{width:8rem}.w-40{width:10rem}.w-48{width:12rem}
.w-80{width:20rem;max-width:100%}.w-96{width:24rem;max-width:calc(100vw - 3rem)}
.max-w-2xl{max-width:42rem}
.gap-1{gap:.25rem}.gap-2{gap:.5rem}.gap-3{gap:.75rem}.gap-4{gap:1rem}.gap-6{gap:1.5rem}
.py-2{padding-top:.5rem;padding-bottom:.5rem}
.text-xs{font-size:.75rem;line-height:1rem}.text-sm{font-size:.875rem;line-height:1.25rem}
.text-lg{font-size:1.125rem;line-height:1.75rem}.text-xl{font-size:1.25rem;line-height:1.75rem}.text-2xl{font-size:1.5rem;line-height:2rem}
.font-bold{font-weight:700}.font-mono{font-family:ui-monospace,monospace}
.mt-2{margin-top:.5rem}.whitespace-pre-line{white-space:pre-line}.no-underline{text-decoration:none}
.text-green-700{color:#15803d}.text-orange-700{color:#c2410c}.text-red-700{color:#b91c1c}
.bg-slate-800{background-color:#1e293b}
"""


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")[:80] or "table"


def csv_bytes(head: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(head)
    for r in rows:
        w.writerow([c if isinstance(c, str) else c[0] for c in r])
    return buf.getvalue().encode("utf-8")


def data_table(
    head: Sequence[str], rows: Sequence[Sequence[Cell]], *, name: str, classes: str = ""
) -> None:
    """An HTML table in the DOM, with a button downloading it as CSV."""
    data = csv_bytes(head, rows)
    with ui.column().classes("w-full gap-1"):
        with ui.row().classes("items-center gap-2"):
            ui.button(
                "CSV",
                icon="download",
                on_click=lambda: ui.download(data, f"{slug(name)}.csv", "text/csv"),
            ).props("flat dense size=sm").classes(f"accord-csv accord-csv-{slug(name)}")
        reflow = " accord-reflow" if len(head) >= REFLOW_COLUMNS else ""
        with ui.element("div").classes("accord-scroll"), \
                ui.element("table").classes(f"accord-table{reflow} {classes}"):
            with ui.element("thead"), ui.element("tr"):
                for h in head:
                    ui.html(html.escape(h), tag="th")
            with ui.element("tbody"):
                for r in rows:
                    with ui.element("tr"):
                        for k, c in enumerate(r):
                            if isinstance(c, str):
                                td = ui.html(html.escape(c), tag="td")
                            else:
                                with ui.element("td") as td:
                                    c[1]()
                            # its column, as is (no props-string parsing), for a phone's records
                            td._props["data-label"] = head[k] if k < len(head) else ""


def chart(fig: dict[str, Any], *, name: str, classes: str = "") -> ui.plotly:
    """A Plotly chart with PNG and SVG download buttons (drawn in the browser, offline)."""
    with ui.column().classes("w-full gap-1"):
        plot = ui.plotly(fig).classes(f"w-full {classes}")
        with ui.row().classes("gap-2"):
            for fmt in ("png", "svg"):
                opts = json.dumps({"format": fmt, "filename": slug(name), "width": 1100,
                                   "height": fig.get("layout", {}).get("height", 500)})
                ui.button(
                    fmt.upper(),
                    icon="image",
                    on_click=lambda o=opts: ui.run_javascript(
                        f"Plotly.downloadImage(getElement({plot.id}).$el, {o})"
                    ),
                ).props("flat dense size=sm").classes(f"accord-{fmt}")
    return plot


def chart_later(make: Callable[[], dict[str, Any]], *, name: str, classes: str = "",
                height: int = 480) -> None:
    """A chart built once the browser has connected (ui.timer waits for that): Plotly's 4.6 MB
    of JavaScript then loads and compiles after the page's tables and tabs are usable, not
    before. A chart with a fixed width (text that cannot shrink with it) scrolls sideways in
    its own box on a narrow screen; the page does not."""
    box = ui.column().classes("w-full gap-1").style(
        f"min-height:{height}px;overflow-x:auto;max-width:100%")

    def fill() -> None:
        with box:
            chart(make(), name=name, classes=classes)

    ui.timer(0, fill, once=True)


def chart_by_width(make: Callable[[int], dict[str, Any]], *, name: str, classes: str = "",
                   height: int = 480, of_box: bool = False) -> None:
    """A chart built once the browser has connected, for its window's width (small multiples
    go to one column on a phone) or, `of_box`, its own box's (a figure fitted to it)."""
    box = ui.column().classes("w-full gap-1").style(
        f"min-height:{height}px;overflow-x:auto;max-width:100%")

    async def fill() -> None:
        # the box may be gone by then (its page part redrawn), or not in the page (a tab not
        # shown): then no chart, which the browser would be asked to update before it exists
        ask = (f"getHtmlElement({box.id})?.clientWidth ?? -1" if of_box
               else "window.innerWidth")
        try:
            width = int(await ui.run_javascript(ask, timeout=5))
        except Exception:  # noqa: BLE001 - no answer: assume a desktop
            width = 1400
        if box.is_deleted or width < 0:
            return
        with box:
            chart(make(width), name=name, classes=classes)

    ui.timer(0, fill, once=True)


def evidence_html(scenario: Scenario, p: Param) -> str:
    titles = {s.id: s for s in scenario.meta.sources}
    parts = []
    for ev in p.evidence:
        src = titles.get(ev.source)
        where = (
            ", ".join(x for x in (src.author, src.title, src.publisher, str(src.date or "")) if x)
            if src
            else ev.source
        )
        parts.append(
            f'<p><span class="accord-quote">“{html.escape(ev.quote)}”</span><br>'
            f'<span class="accord-dim">— {html.escape(where)}</span></p>'
        )
    if p.assumption:
        parts.append(f"<p><b>Assumption:</b> {html.escape(p.assumption)}</p>")
    return "".join(parts) or "<p>No evidence and no assumption given.</p>"


def show_evidence(scenario: Scenario, label: str, p: Param) -> None:
    with ui.dialog() as dialog, ui.card().classes("accord-evidence max-w-2xl"):
        ui.label(f"{label} = {p.describe()}").classes("text-lg font-bold")
        ui.html(evidence_html(scenario, p))
        ui.button("Close", on_click=dialog.close).props("flat")
    dialog.open()


def param_button(scenario: Scenario, label: str, field: str, p: Param | None) -> Cell:
    """A number that opens its quoted evidence, or its assumption, when clicked."""
    if p is None:
        return "—"

    def build() -> None:
        ui.button(
            p.describe(), on_click=lambda: show_evidence(scenario, label, p)
        ).props(f'flat dense no-caps size=sm data-field="{field}"').classes(
            "accord-param accord-num"
        ).tooltip("click: evidence / assumption")

    return (p.describe(), build)


def link(text: str, target: str, classes: str = "") -> Cell:
    return (text, lambda: ui.link(text, target).classes(classes))
