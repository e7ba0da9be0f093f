"""Sensitivity figures and pages: clean labels, every method charted, one folder per analysis
with nothing stale, and bases that say where they come from."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pytest

from accord.analysis.recipe import RunSettings
from accord.analysis.sensitivity import (
    SensitivityResult,
    SensitivitySettings,
    sensitivity,
)
from accord.analysis.variants import targets
from accord.report.labels import param_name
from accord.report.sensitivity import CHARTS, base_text, write_sensitivity_report
from accord.report.sensitivity_figures import FIGURES
from accord.scenario.loader import load_scenario

from .test_figures import assert_clean

PATTERNS = ["events.referendum_held.*", "events.baku_commits.*", "events.treaty_signed.*"]


@pytest.fixture(scope="module")
def analyses():
    s = load_scenario().scenario
    goals = targets(s, "treaty_2026")
    out = {m: sensitivity(s, RunSettings(paths=400, seed=3),
                             SensitivitySettings(goals, m, 4, PATTERNS))
           for m in ("tornado", "sobol", "morris")}
    labels = {r.parameter: param_name(s, r.parameter) for r in out["sobol"].rows["treaty_2026"]}
    return s, out, labels


@pytest.mark.parametrize("method", ["tornado", "sobol", "morris"])
def test_every_method_has_a_clean_figure_and_a_chart(analyses, method) -> None:
    _, out, labels = analyses
    res = out[method]
    fig = FIGURES[method](res, "treaty_2026", labels)
    try:
        assert_clean(fig)
        texts = {t.get_text() for t in fig.findobj(plt.Text)}
        assert any(labels[r.parameter].split(" · ")[0] in " ".join(texts)
                   for r in res.rows["treaty_2026"][:3])
    finally:
        plt.close(fig)
    chart = CHARTS[method](res, "treaty_2026", labels)
    shown = [y for trace in chart["data"] for y in trace.get("y", []) + trace.get("text", [])]
    assert set(labels.values()) >= {n for n in shown if isinstance(n, str)}
    if method == "sobol":  # total ≥ first order, with intervals
        st, s1 = chart["data"]
        assert len(st["error_x"]["array"]) == len(st["x"]) == len(res.rows["treaty_2026"])


def test_bases_agree_and_say_where_they_come_from(analyses) -> None:
    _, out, _ = analyses
    bases = {m: r.base["treaty_2026"] for m, r in out.items()}
    assert len(set(bases.values())) == 1, bases
    assert "the run at seed 3, 400 paths (200 draws)" in base_text(out["tornado"], "treaty_2026")
    assert "their mean" in base_text(out["sobol"], "treaty_2026")
    legacy = SensitivityResult.from_dict({**out["tornado"].to_dict(), "draws": None})
    assert "central values" in base_text(legacy, "treaty_2026")


def test_each_analysis_writes_its_own_folder_and_leaves_nothing_stale(analyses,
                                                                      tmp_path: Path) -> None:
    _, out, labels = analyses
    folder = tmp_path / "run-1"
    write_sensitivity_report(out["tornado"], "T", folder, labels)
    assert {p.name for p in folder.iterdir()} == {
        "index.html", "tornado-treaty_2026.png", "tornado-treaty_2026.svg"}
    write_sensitivity_report(out["sobol"], "T", folder, labels)  # the same folder reused
    assert {p.name for p in folder.iterdir()} == {
        "index.html", "sobol-treaty_2026.png", "sobol-treaty_2026.svg"}
    page = (folder / "index.html").read_text()
    assert "Sobol: treaty_2026" in page and "<script src=" not in page
