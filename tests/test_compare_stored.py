"""`accord compare` on stored runs: paired whenever the runs share seed, paths and draws (their
paths are regenerated from the stored text), and honest about questions one side lacks."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import CORPUS


def _run(cli, *args: str) -> int:
    r = cli("run", *args, "--paths", "2000", "--json")
    assert r.code == 0, r.err
    return json.loads(r.out)["run_id"]


def test_two_stored_runs_with_one_seed_compare_paired(cli) -> None:
    a = _run(cli, "--seed", "5")
    b = _run(cli, "--with", "russia-refocuses-early", "--seed", "5")
    r = cli("compare", str(a), str(b), "--json")
    assert r.code == 0, r.err
    qs = {q["id"]: q for q in json.loads(r.out)["questions"]}
    assert all(q["paired"] for q in qs.values())
    assert qs["sabotage_2027"]["diff"] > 3 * qs["sabotage_2027"]["stderr"] > 0
    fresh = json.loads(cli("compare", "south-caucasus-2025",
                           "south-caucasus-2025+russia-refocuses-early", "--paths", "2000",
                           "--seed", "5", "--json").out)
    fresh_q = {q["id"]: q for q in fresh["questions"]}
    for qid, q in qs.items():  # regenerated paths: the very numbers of a fresh paired compare
        assert q["diff"] == fresh_q[qid]["diff"] and q["stderr"] == fresh_q[qid]["stderr"]


def test_different_seeds_are_independent_and_say_so(cli) -> None:
    a = _run(cli, "--seed", "5")
    b = _run(cli, "--seed", "6")
    r = cli("compare", str(a), str(b))
    assert r.code == 0 and "independent" in r.out and "paired" not in r.out


def test_different_scenarios_compare_on_shared_questions(cli, tmp_path: Path) -> None:
    a = _run(cli)
    base = (CORPUS / "base.yaml").read_text()
    (tmp_path / "source.txt").write_text((CORPUS / "source.txt").read_text())
    other = tmp_path / "other.yaml"
    other.write_text(base)
    b = _run(cli, str(other))
    r = cli("compare", str(a), str(b))
    assert r.code == 2 and "share no question" in r.err and "q_deal" in r.err
    shared = tmp_path / "shared.yaml"
    shared.write_text(base.replace("id: q_deal", "id: treaty_2026"))
    c = _run(cli, str(shared))
    r = cli("compare", str(a), str(c), "--json")
    doc = json.loads(r.out)
    assert [q["id"] for q in doc["questions"]] == ["treaty_2026"]
    assert "sabotage_2027" in doc["only_a"] and doc["only_b"] == []
