"""The DEU dev half: the figures docs/models/bargaining.md gives, and every model reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.bargaining.evaluate import BASELINES, errors, evaluate, score
from accord.bargaining.groups import load_grouped
from accord.bargaining.io import load_tables
from accord.bargaining.registry import MODELS
from accord.bargaining.weighted_median import predict as wmedian


@pytest.fixture(scope="module")
def deu(shared_data: Path):
    d = shared_data / "deu"
    return d, *load_tables(d / "dev-positions.csv", d / "dev-issues.csv")


def test_readme_anchors(deu) -> None:
    _, tables, outcomes = deu
    assert len(tables) == len(outcomes) == 154

    def mae(f) -> float:
        return round(score("x", errors(tables, outcomes, f)).mae, 2)

    assert mae(BASELINES["baseline:mean"]) == 24.80
    assert mae(BASELINES["baseline:salience_mean"]) == 24.68
    assert mae(BASELINES["baseline:capability_salience_mean"]) == 23.72
    assert mae(lambda t: wmedian(t).outcome) == 31.89


def test_cli_evaluate_all_json(cli, deu) -> None:
    d, _, _ = deu
    res = cli("evaluate", str(d / "dev-positions.csv"), "--issues", str(d / "dev-issues.csv"),
              "--model", "all", "--json")
    assert res.code == 0, res.err
    doc = json.loads(res.out)
    by = {s["model"]: s for s in doc["scores"]}
    assert set(by) == set(BASELINES) | set(MODELS)
    assert round(by["baseline:mean"]["mae"], 2) == 24.80
    assert round(by["compromise"]["mae"], 2) == 23.72
    assert round(by["weighted_median"]["mae"], 2) == 31.89
    for s in doc["scores"]:
        assert s["n"] == 154 and 0 <= s["within_10"] <= 1 and s["median_ae"] >= 0


def test_cli_evaluate_table(cli, deu) -> None:
    d, _, _ = deu
    res = cli("evaluate", str(d / "dev-positions.csv"), "--issues", str(d / "dev-issues.csv"),
              "--model", "compromise")
    assert res.code == 0, res.err
    assert "23.72" in res.out and "24.80" in res.out and "compromise" in res.out


def test_evaluate_distributions_and_groups(deu) -> None:
    """Models with a distribution get CRPS and coverage; the exchange model sees proposals."""
    d, tables, outcomes = deu
    _, _, groups = load_grouped(d / "dev-positions.csv", d / "dev-issues.csv")
    scores = evaluate(tables, outcomes, ["compromise", "nash", "options", "exchange",
                                         "exchange_random"], groups)
    by = {s["model"]: s for s in (s.as_dict() for s in scores)}
    assert by["compromise"]["crps"] is None and by["nash"]["cover50"] is None
    for name in ("options", "exchange_random"):
        s = by[name]
        assert s["crps"] > 0 and 0 <= s["cover50"] <= s["cover90"] <= 1
    assert by["options"]["crps"] < by["options"]["mae"]  # its spread pays: 16.8 against 22.0
    # grouped by proposal: the 15 single-issue proposals are the exchange model's fallbacks
    assert by["exchange"]["fallbacks"] == 15 and by["exchange"]["mae"] != by["compromise"]["mae"]


def test_cli_predict_sums_up_its_notes(cli, deu) -> None:
    """One stderr line per kind of model note (a fallback, a turn limit), with how many issues
    and which, not one line per issue; the CSV has one row per issue and model."""
    d, _, _ = deu
    res = cli("predict", str(d / "dev-positions.csv"), "--issues", str(d / "dev-issues.csv"),
              "--model", "nash")
    assert res.code == 0, res.err
    rows = res.out.splitlines()
    n = len(rows) - 1
    assert rows[0] == "issue,model,prediction" and all(",nash," in r for r in rows[1:])
    lines = res.err.splitlines()
    assert 1 <= len(lines) <= 3 and all(f" of {n} issues (" in line for line in lines)
    fell = sum(int(line.split(": ")[-1].split(" of ")[0]) for line in lines
               if "fell back to compromise" in line)
    assert 0 < fell <= n
