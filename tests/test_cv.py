"""Grouped cross-validation: clustered standard errors, no leakage across folds, scores."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from accord.bargaining import cv
from accord.bargaining.prediction import Prediction
from accord.bargaining.table import IssueTable


def test_clustered_se_by_hand() -> None:
    # mean 2.5; residuals −1.5, −0.5 | 0.5, 1.5; cluster sums −2, 2;
    # SE = sqrt(2/1) · sqrt(4 + 4) / 4 = 1
    assert cv.clustered_se(np.array([1.0, 2, 3, 4]), ["a", "a", "b", "b"]) == pytest.approx(1.0)
    # one issue per cluster: the usual s / √n
    v = np.array([3.0, 7, 1, 9, 4])
    assert cv.clustered_se(v, list("abcde")) == pytest.approx(v.std(ddof=1) / np.sqrt(5))


def test_crps_and_coverage_by_hand() -> None:
    # two equally likely points a, b: CRPS = ½|a − y| + ½|b − y| − ¼|a − b|
    crps, in50, in90 = cv.dist_scores(np.array([20.0, 60.0]), None, 30.0)
    assert crps == pytest.approx(0.5 * 10 + 0.5 * 30 - 0.25 * 40)
    # weighted points: 0.9 at 50, 0.1 at 0: the 50% interval is [50, 50]
    crps, in50, in90 = cv.dist_scores(np.array([0.0, 50.0]), np.array([0.1, 0.9]), 50.0)
    assert in50 and in90
    assert crps == pytest.approx(0.1 * 50 - 0.5 * 2 * 0.1 * 0.9 * 50)
    _, in50, in90 = cv.dist_scores(np.array([0.0, 50.0]), np.array([0.1, 0.9]), 20.0)
    assert not in50 and in90


def _synthetic(n_groups: int = 12, per: int = 3) -> tuple[list[IssueTable], dict[str, float],
                                                          dict[str, str]]:
    rng = np.random.default_rng(5)
    tables, outcomes, groups = [], {}, {}
    for g in range(n_groups):
        for k in range(per):
            iid = f"g{g}i{k}"
            t = IssueTable.one_dim(iid, ["a", "b", "c"], rng.uniform(0, 100, 3),
                                   rng.uniform(0.1, 1, 3), [1, 2, 3])
            tables.append(t)
            outcomes[iid] = float(rng.uniform(0, 100))
            groups[iid] = f"g{g}"
    return tables, outcomes, groups


def test_parameters_see_training_folds_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """A model that memorises its training outcomes: out of fold it can only say 50, so any
    leak of a test issue (or of its proposal) into training would show."""
    tables, outcomes, groups = _synthetic()
    seen: list[tuple[set[str], set[str]]] = []

    def memoriser(train, y, train_groups, seed):
        memo = {t.issue: 100 * float(v) for t, v in zip(train, y, strict=True)}
        train_ids = set(memo)
        tested: set[str] = set()
        seen.append((set(train_groups), tested))

        def fn(t: IssueTable) -> Prediction:
            tested.add(groups[t.issue])
            assert t.issue not in train_ids
            return Prediction("memo", t.issue, np.array([memo.get(t.issue, 50.0)]))
        return fn

    monkeypatch.setattr(cv, "_fitters", lambda: {"memo": memoriser})
    monkeypatch.setitem(__import__("accord.bargaining.registry", fromlist=["MODELS"]).MODELS,
                        "memo", lambda t: Prediction("memo", t.issue, np.array([50.0])))
    rows = {r.name: r for r in cv.cross_validate(tables, outcomes, groups, ["memo"], k=4,
                                                 repeats=3)}
    fifty = np.mean([abs(50.0 - v) for v in outcomes.values()])
    assert rows["memo"].mae == pytest.approx(fifty)
    assert len(seen) == 4 * 3
    for train_groups, tested in seen:
        assert tested and not train_groups & tested  # whole proposals are held out


def test_paired_difference_and_static_models() -> None:
    tables, outcomes, groups = _synthetic()
    rows = {r.name: r for r in cv.cross_validate(tables, outcomes, groups,
                                                 ["weighted_median", "options"], k=3,
                                                 repeats=2)}
    comp = rows["compromise"]
    # a static model's CV error is its plain error
    from accord.bargaining.evaluate import evaluate

    plain = {s.name: s for s in evaluate(tables, outcomes, ["compromise", "weighted_median"])}
    assert comp.mae == pytest.approx(plain["compromise"].mae)
    wm = rows["weighted_median"]
    assert wm.mae == pytest.approx(plain["weighted_median"].mae)
    assert wm.diff == pytest.approx(wm.mae - comp.mae)
    assert wm.diff_se > 0 and comp.se > 0 and rows["options"].n == 36
    for r in rows.values():
        assert 0 <= r.cover50 <= r.cover90 <= 1 and r.crps > 0


def test_cli_cv_on_deu(cli, shared_data: Path) -> None:
    d = shared_data / "deu"
    res = cli("evaluate", str(d / "dev-positions.csv"), "--issues", str(d / "dev-issues.csv"),
              "--model", "options", "--cv", "5", "--repeats", "2", "--json")
    assert res.code == 0, res.err
    doc = json.loads(res.out)
    assert doc["issues"] == 154 and doc["groups"] == 64 and doc["folds"] == 5
    by = {r["model"] if "model" in r else r["name"]: r for r in doc["cv"]}
    assert set(by) == {"compromise", "options"}
    assert by["compromise"]["mae"] == pytest.approx(23.72, abs=0.005)
    assert by["options"]["diff"] == pytest.approx(by["options"]["mae"] - 23.7193, abs=1e-3)
    table = cli("evaluate", str(d / "dev-positions.csv"), "--issues", str(d / "dev-issues.csv"),
                "--model", "nearest_option", "--cv", "5")
    assert table.code == 0 and "22.30" in table.out and "23.72" in table.out


def test_cli_cv_bad_input(cli, tmp_path: Path, shared_data: Path) -> None:
    d = shared_data / "deu"
    res = cli("evaluate", str(d / "dev-positions.csv"), "--issues", str(d / "dev-issues.csv"),
              "--model", "compromise", "--cv", "5", "--group", "committee")
    assert res.code == 2 and res.out == ""
    assert "dev-issues.csv:1" in res.err and "committee" in res.err
    pos = tmp_path / "p.csv"
    pos.write_text("issue,actor,position,salience,capability\ni1,A,10,50,1\ni1,B,90,50,1\n"
                   "i2,A,20,50,1\ni2,B,80,50,1\n")
    iss = tmp_path / "i.csv"
    iss.write_text("issue,proposal,outcome\ni1,p1,40\ni2,p2,60\n")
    res = cli("evaluate", str(pos), "--issues", str(iss), "--cv", "5", "--model", "compromise")
    assert res.code == 2 and "--cv" in res.err


def test_nested_selection_picks_the_model_that_is_right() -> None:
    """Outcomes are the weighted median: inner CV must pick it in every outer training set,
    and the selected row then scores exactly as the weighted median does."""
    from accord.bargaining.weighted_median import predict as wmedian

    tables, _, groups = _synthetic()
    outcomes = {t.issue: wmedian(t).value for t in tables}
    rows = {r.name: r for r in cv.cross_validate(tables, outcomes, groups,
                                                 ["nash", "weighted_median", "options"], k=3,
                                                 repeats=2, select=True)}
    sel = rows[cv.SELECTED]
    assert sel.picks == {"weighted_median": 6}
    assert sel.mae == pytest.approx(rows["weighted_median"].mae) == pytest.approx(0.0)
    assert sel.diff == pytest.approx(-rows["compromise"].mae)
