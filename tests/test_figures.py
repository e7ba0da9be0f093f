"""Shipped figures: no label overlaps another or leaves the figure (matplotlib's text boxes)."""

from __future__ import annotations

import itertools
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

from accord.analysis.run import RunSettings, run_scenario
from accord.report import figures
from accord.scenario.loader import DEFAULT_SCENARIO, load_scenario


@pytest.fixture(scope="module")
def result():
    return run_scenario(load_scenario(DEFAULT_SCENARIO).scenario,
                        RunSettings(paths=2000, draws=40, seed=7))


def hidden_ticks(fig) -> set[int]:
    """Tick labels matplotlib keeps but does not draw: those of ticks outside the view."""
    out = set()
    for ax in fig.axes:
        for axis, (lo, hi) in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
            lo, hi = min(lo, hi), max(lo, hi)
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if not lo - 1e-9 <= tick.get_loc() <= hi + 1e-9:
                    out |= {id(tick.label1), id(tick.label2)}
    return out


def text_boxes(fig):
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    skip = hidden_ticks(fig)
    out = []
    for t in fig.findobj(match=lambda a: isinstance(a, plt.Text) and id(a) not in skip):
        if t.get_visible() and t.get_text().strip():
            out.append((t.get_text(), t.get_window_extent(r)))
    return out


def assert_clean(fig) -> None:
    boxes = text_boxes(fig)
    fb = fig.bbox
    for text, b in boxes:
        assert b.x0 >= fb.x0 - 1 and b.x1 <= fb.x1 + 1 and b.y0 >= fb.y0 - 1 and \
            b.y1 <= fb.y1 + 1, f"clipped: {text!r}"
    for (ta, a), (tb, b) in itertools.combinations(boxes, 2):
        assert not a.overlaps(b), f"overlap: {ta!r} and {tb!r}"


def test_issue_labels_never_overlap(result) -> None:
    fig = figures.issues_fig(result)
    try:
        assert_clean(fig)
        names = {t.get_text() for t in fig.findobj(plt.Text)}
        assert all(a in names for iss in result.issues for a in iss.actors)
        assert "status quo" in {n.strip() for n in names}
    finally:
        plt.close(fig)


def test_question_fans_are_clean(result) -> None:
    fig = figures.fans_fig(result)
    try:
        assert_clean(fig)
        assert len([a for a in fig.axes if a.axison]) == len(result.forecast.questions)
    finally:
        plt.close(fig)


def test_event_graph_labels_are_clean(result) -> None:
    fig = figures.graph_fig(result)
    try:
        assert_clean(fig)
        texts = " ".join(t.get_text() for t in fig.findobj(plt.Text))
        assert all(f"({e.id})" in texts for e in result.scenario.events)
    finally:
        plt.close(fig)


def test_figures_as_png_and_svg_questions_first(result, tmp_path: Path) -> None:
    paths = figures.write_figures(result, tmp_path)
    names = [p.name for p in paths]
    assert names[0] == "questions.png"
    for stem in ("questions", "curves", "event-graph", "issues"):
        assert (tmp_path / f"{stem}.png").stat().st_size > 0
        assert (tmp_path / f"{stem}.svg").read_text().lstrip().startswith("<?xml")


def test_report_shows_the_question_fans_first(result) -> None:
    from accord.report.html import render_html

    page = render_html(result)
    fans = page.index('"role":"fan"') if '"role":"fan"' in page else page.index("fan")
    assert page.index("<h2>Questions</h2>") < fans < page.index("All events over time")
