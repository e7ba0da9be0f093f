"""decide's #A/#P/#M/#D files as input: read, grouped, and every mistake located."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.bargaining.groups import is_decide, load_grouped, read_decide
from accord.errors import UserError

HEAD = ("'#A'\t'A'\t'A'\t''\n'#A'\t'B'\t'B'\t''\n'#P'\t'p'\t'p'\t'p'\n'#M'\t'p'\t0\n"
        "'#M'\t'p'\t10\n'#P'\t'q'\t'q'\t'q'\n")
GOOD = HEAD + ("'#D'\t'A'\t'p'\t0\t0.8\t1\n'#D'\t'B'\t'p'\t10\t0.4\t1\n"
               "'#D'\t'A'\t'q'\t0\t0.2\t1\n'#D'\t'B'\t'q'\t100\t0.6\t1\n")

BAD = {
    "unknown_actor": (GOOD + "'#D'\t'C'\t'p'\t5\t0.5\t1\n", 11, "actor"),
    "unknown_issue": (GOOD + "'#D'\t'A'\t'r'\t5\t0.5\t1\n", 11, "issue"),
    "salience_above_1": (GOOD.replace("0\t0.8\t1", "0\t80\t1"), 7, "salience"),
    "not_a_number": (GOOD.replace("10\t0.4", "ten\t0.4"), 8, "position"),
    "outside_scale": (GOOD.replace("10\t0.4", "20\t0.4"), 8, "position"),
    "negative_power": (GOOD.replace("100\t0.6\t1", "100\t0.6\t-1"), 10, "power"),
    "twice": (GOOD + "'#D'\t'A'\t'p'\t5\t0.5\t1\n", 11, "actor"),
    "short_row": (GOOD + "'#D'\t'A'\t'p'\n", 11, "position"),
    "unknown_kind": (GOOD + "'#X'\t'A'\n", 11, "kind"),
}


def test_reads_scales_and_groups(tmp_path: Path) -> None:
    p = tmp_path / "two.csv"
    p.write_text(GOOD, encoding="utf-8")
    assert is_decide(p)
    tables = read_decide(p)
    assert [t.issue for t in tables] == ["p", "q"]
    assert (tables[0].scale_min[0], tables[0].scale_max[0]) == (0, 10)  # from #M
    assert (tables[1].scale_min[0], tables[1].scale_max[0]) == (0, 100)  # default
    _, _, groups = load_grouped(p)
    assert set(groups.values()) == {"two"}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_decide_file(tmp_path: Path, cli, name: str) -> None:
    text, line, field = BAD[name]
    p = tmp_path / f"{name}.csv"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as exc:
        read_decide(p)
    prob = exc.value.problems[0]
    assert (prob.file, prob.line, prob.field) == (str(p), line, field)
    res = cli("predict", str(p), "--model", "exchange")
    assert res.code == 2 and res.out == "" and str(p) in res.err


def test_cli_predict_exchange_on_decide_file(tmp_path: Path, cli) -> None:
    # the two-actor exchange worked by hand in test_exchange.py, issue p on a 0–10 scale
    p = tmp_path / "two.csv"
    p.write_text(GOOD, encoding="utf-8")
    res = cli("predict", str(p), "--model", "exchange")
    assert res.code == 0, res.err
    rows = res.out.splitlines()
    assert rows[0] == "issue,model,prediction"
    got = {r.split(",")[0]: float(r.split(",")[2]) for r in rows[1:]}
    assert got["p"] == pytest.approx(10 / 6, rel=1e-5) and got["q"] == pytest.approx(100.0)


def test_cli_predict_groups_by_proposal(tmp_path: Path, cli) -> None:
    pos = tmp_path / "p.csv"
    pos.write_text("issue,actor,position,salience,capability\n"
                   "p,A,0,80,1\np,B,100,40,1\nq,A,0,20,1\nq,B,100,60,1\n")
    grouped = tmp_path / "g.csv"
    grouped.write_text("issue,proposal\np,x\nq,x\n")
    alone = tmp_path / "a.csv"
    alone.write_text("issue,proposal\np,x\nq,y\n")
    res = cli("predict", str(pos), "--issues", str(grouped), "--model", "exchange")
    assert res.code == 0, res.err
    assert "p,exchange,16.6667" in res.out and "q,exchange,100" in res.out
    res = cli("predict", str(pos), "--issues", str(alone), "--model", "exchange")
    assert res.code == 0 and "fell back to compromise" in res.err
    assert "p,exchange,33.3333" in res.out


def test_cli_exchange_breakdown(tmp_path: Path, cli) -> None:
    import json

    p = tmp_path / "two.csv"
    p.write_text(GOOD, encoding="utf-8")
    out = tmp_path / "trades.csv"
    res = cli("exchange", str(p), "--rounds", "2", "--json", "--trades", str(out))
    assert res.code == 0, res.err
    (g,) = json.loads(res.out)["groups"]
    assert g["group"] == "two" and g["issues"] == ["p", "q"]
    r1 = g["rounds"][0]
    assert r1["outcome"]["p"] == pytest.approx(50 / 3) and r1["outcome"]["q"] == pytest.approx(100)
    (t,) = r1["trades"]
    assert (t["actor_i"], t["supply_i"], t["to_i"]) == ("A", "q", pytest.approx(100.0))
    assert r1["gains"] == {"A": pytest.approx(25 / 3), "B": pytest.approx(25 / 3)}
    assert out.read_text().splitlines()[1].startswith("two,1,A,q,0,100,8.33333,B,p,100,50,")
    table = cli("exchange", str(p))
    assert table.code == 0 and "round 1" in table.out and "16.7" in table.out
    missing = cli("exchange", str(p), "--only", "nope")
    assert missing.code == 2 and missing.out == "" and "nope" in missing.err
