"""Readers: each bad input is a UserError naming file, line and column; the CLI exits 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.bargaining.io import load_tables, sniff
from accord.errors import UserError

HEAD = "issue,actor,position,salience,capability\n"
KTAB_HEAD = "Scen,desc,3,1,\nActor,Description,Power,P1 Position,P1 Salience,\n"
KTAB_ROWS = "A, a, 10, 20, 50,\nB, b, 20, 80, 40,\nC, c, 30, 50, 30,\n"

# name → (file text or bytes, expected line, expected field)
BAD: dict[str, tuple[str | bytes, int | None, str | None]] = {
    "missing_column": ("issue,actor,position,salience\ni1,A,10,50\n", 1, "capability"),
    "non_numeric": (HEAD + "i1,A,10,50,3\ni1,B,ten,50,3\n", 3, "position"),
    "actor_twice": (HEAD + "i1,A,10,50,3\ni1,B,20,50,3\ni1,A,30,50,3\n", 4, "actor"),
    "negative_salience": (HEAD + "i1,A,10,50,3\ni1,B,20,-5,3\n", 3, "salience"),
    "negative_capability": (HEAD + "i1,A,10,50,-1\ni1,B,20,50,3\n", 2, "capability"),
    "outside_scale": (HEAD + "i1,A,10,50,3\ni1,B,120,50,3\n", 3, "position"),
    "one_actor": (HEAD + "i1,A,10,50,3\n", 2, "issue"),  # and no other issue
    "ktab_count": (KTAB_HEAD.replace(",3,1,", ",4,1,") + KTAB_ROWS, 1, "nActors"),
    "ktab_non_numeric": (KTAB_HEAD + KTAB_ROWS.replace("80", "x"), 4, "P1 Position"),
    "ktab_outside": (KTAB_HEAD + KTAB_ROWS.replace(" 80,", " 180,"), 4, "P1 Position"),
    "ktab_actor_twice": (KTAB_HEAD + KTAB_ROWS.replace("C, c", "A, c"), 5, "Actor"),
    "classic_negative": ("Actor,Capability,Position,Salience\nA,1,4,0.5\nB,1,7,-0.5\n", 3,
                         "salience"),
    "empty": ("", None, None),
    "blank_lines": ("\n\n  \n", None, None),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 1, None),
    "latin1": (HEAD.encode() + "i1,Zürich,10,50,3\n".encode("latin-1"), 2, None),
}


def _write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    p = tmp_path / f"{name}.csv"
    if isinstance(data, bytes):
        p.write_bytes(data)
    else:
        p.write_text(data, encoding="utf-8")
    return p


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_names_file_row_column(tmp_path: Path, name: str) -> None:
    data, line, col = BAD[name]
    path = _write(tmp_path, name, data)
    with pytest.raises(UserError) as exc:
        load_tables(path)
    prob = exc.value.problems[0]
    assert prob.file == str(path)
    assert prob.line == line
    assert prob.field == col
    assert str(path) in str(exc.value)


@pytest.mark.parametrize("name", sorted(BAD))
@pytest.mark.parametrize("command", ["predict", "smp"])
def test_cli_exit_2_and_quiet_stdout(cli, tmp_path: Path, name: str, command: str) -> None:
    path = _write(tmp_path, name, BAD[name][0])
    res = cli(command, str(path))
    assert res.code == 2
    assert res.out == ""
    assert str(path) in res.err


def test_issues_file_errors(cli, tmp_path: Path) -> None:
    pos = _write(tmp_path, "pos", HEAD + "i1,A,10,50,3\ni1,B,20,50,3\n")
    iss = _write(tmp_path, "iss", "issue,scale_min,scale_max,status_quo,outcome\ni1,0,100,x,5\n")
    with pytest.raises(UserError) as exc:
        load_tables(pos, iss)
    p = exc.value.problems[0]
    assert (p.file, p.line, p.field) == (str(iss), 2, "status_quo")
    res = cli("evaluate", str(pos), "--issues", str(iss), "--json")
    assert res.code == 2 and res.out == ""


def test_unknown_model_exits_2(cli, shared_data: Path) -> None:
    res = cli("predict", str(shared_data / "eum" / "eu-emissions.csv"), "--model", "bdm")
    assert res.code == 2 and res.out == "" and "weighted_median" in res.err


def test_formats_are_sniffed_and_read(shared_data: Path) -> None:
    assert sniff(shared_data / "deu" / "dev-positions.csv") == "long"
    assert sniff(shared_data / "ktab" / "SOE-Pol-Comp.csv") == "ktab"
    assert sniff(shared_data / "eum" / "eu-emissions.csv") == "classic"
    (t,), _ = load_tables(shared_data / "ktab" / "SOE-Pol-Comp.csv")
    assert t.n_actors == 13 and t.dimensions == ("Policy Position", "Competitive Position")
    assert t.salience[0, 1] == pytest.approx(0.48)
    (e,), _ = load_tables(shared_data / "eum" / "eu-emissions.csv")
    assert (e.scale_min[0], e.scale_max[0]) == (4.0, 10.0)


def test_predict_writes_csv(cli, shared_data: Path, tmp_path: Path) -> None:
    res = cli("predict", str(shared_data / "eum" / "eu-emissions.csv"), "--model",
              "weighted_median")
    assert res.code == 0, res.err
    assert res.out.splitlines() == ["issue,model,prediction", "eu-emissions,weighted_median,7"]
    out = tmp_path / "p.csv"
    res = cli("predict", str(shared_data / "ktab" / "dummyData_3Dim.csv"), "--model", "all",
              "--out", str(out))
    assert res.code == 0 and res.out == ""
    lines = out.read_text().splitlines()
    from accord.bargaining.registry import MODELS

    assert len(lines) == 1 + len(MODELS) * 3 and lines[1].startswith("DummyData_3Dim:Pstn1,")


def test_a_blank_position_leaves_the_actor_out_with_a_warning(tmp_path, cli) -> None:
    import pytest as _pytest

    from accord.bargaining.io import DataWarning, read_positions

    f = tmp_path / "p.csv"
    f.write_text("issue,actor,position,salience,capability\n"
                 "i1,A,10,50,1\ni1,B,,50,1\ni1,C,30,50,1\n")
    with _pytest.warns(DataWarning, match=r"p\.csv:3: position: 'B' has no position"):
        (table,), _ = read_positions(f)
    assert table.actors == ("A", "C")
    r = cli("predict", str(f), "--model", "compromise")
    assert r.code == 0 and "i1,compromise,20" in r.out.replace(".0", "")


def test_an_issue_with_one_actor_is_left_out_with_a_warning(tmp_path: Path) -> None:
    """A long file holds many issues: one on which a single actor took a position is left out
    (named in a warning), and the others are read."""
    from accord.bargaining.io import DataWarning

    path = _write(tmp_path, "p", HEAD + "i1,A,10,50,3\ni1,B,20,50,3\ni2,A,30,50,3\n")
    with pytest.warns(DataWarning, match=r"p\.csv:4: issue: issue 'i2' has one actor"):
        tables, _ = load_tables(path)
    assert [t.issue for t in tables] == ["i1"]


def test_every_bad_row_is_reported_at_once(tmp_path: Path) -> None:
    path = _write(tmp_path, "p", HEAD + "i1,A,x,50,3\ni1,B,20,-5,3\ni1,C,20,50,-1\n"
                  "i1,D,20,50,3\n")
    with pytest.raises(UserError) as exc:
        load_tables(path)
    got = [(p.line, p.field) for p in exc.value.problems]
    assert got == [(2, "position"), (3, "salience"), (4, "capability")]
    issues = _write(tmp_path, "i", "issue,scale_min,scale_max,outcome\ni1,0,100,150\n"
                    "i1,0,100,5\ni2,50,10,20\n")
    with pytest.raises(UserError) as exc:
        load_tables(_write(tmp_path, "q", HEAD + "i1,A,10,50,3\ni1,B,20,50,3\n"), issues)
    got = [(p.line, p.field) for p in exc.value.problems]
    assert got == [(2, "outcome"), (3, "issue"), (4, "scale_max")]


def test_ktab_and_classic_files_report_every_bad_row_at_once(tmp_path: Path) -> None:
    ktab = KTAB_HEAD.replace(",3,1,", ",4,1,") + (
        "A, a, 10, x, 50,\nB, b, -2, 80, 40,\nC, c, 30, 50, 30,\nA, d, 30, 150, 30,\n")
    with pytest.raises(UserError) as exc:
        load_tables(_write(tmp_path, "k", ktab))
    got = [(p.line, p.field) for p in exc.value.problems]
    assert got == [(3, "P1 Position"), (4, "Power"), (6, "Actor")]
    classic = ("Actor,Capability,Position,Salience\nA,-1,4,0.5\nB,1,7,-0.5\n,1,5,0.5\n"
               "C,1,6,0.5\n")
    with pytest.raises(UserError) as exc:
        load_tables(_write(tmp_path, "c", classic))
    got = [(p.line, p.field) for p in exc.value.problems]
    assert got == [(2, "capability"), (3, "salience"), (4, "actor")]
