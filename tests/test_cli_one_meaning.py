"""One meaning per option (issue 31): `--json` on every command that prints a result, one JSON
document on stdout and nothing else; `--workers` and `--cluster` on every command that
simulates, giving the same answer on any number of workers; one declaration of each shared
option; `--out` a folder wherever it is shown, a single file being `--out-file` (the old
`--out FILE` of predict, draft and sweep still read, hidden); sweep's count of variants is
`--variants` (its old name `--samples`, Sobol's N in sensitivity, still read, hidden)."""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any

import pytest

from accord.cli import options as o

from .conftest import CORPUS
from .shared_paths import SHARED

DATA = SHARED / "data"
DRAFT = Path(__file__).parent / "data" / "draft" / "river_treaty.txt"
BASE = CORPUS / "base.yaml"
SIMULATING = ("run", "forecast", "sensitivity", "sweep", "compare", "explain", "watch",
              "backtest")
PRINTING = ("run", "forecast", "validate", "scenarios", "predict", "evaluate", "smp",
            "exchange", "sensitivity", "sweep", "compare", "backtest", "history", "explain",
            "draft", "watch", "ledger list", "ledger score", "ledger verify")


from .test_cli_options_agree import COMMANDS  # noqa: E402 - every command by its name


def _opts(name: str) -> dict[str, Any]:
    return {opt: p for p in COMMANDS[name].params for opt in p.opts}


def test_json_on_every_command_that_prints_a_result() -> None:
    missing = [n for n in PRINTING if n in COMMANDS and "--json" not in _opts(n)]
    assert not missing, missing


def test_workers_and_cluster_on_every_command_that_simulates() -> None:
    for name in SIMULATING:
        assert {"--workers", "--cluster"} <= set(_opts(name)), name


# option → its one declaration in accord.cli.options
DECLARED = {"--question": o.Question, "--workers": o.Workers, "--cluster": o.Cluster,
            "--json": o.Json, "--seed": o.Seed, "--db": o.Db, "--sources": o.Sources,
            "--observed": o.Observed, "--with": o.With, "--draws": o.Draws, "--exact": o.Exact}


def test_each_shared_option_is_declared_once() -> None:
    """Every command's parameter for a shared option is options.py's own declaration (the
    same object), so its name, help and default cannot drift apart."""
    for name, cmd in COMMANDS.items():
        defaults = {p.name: p.default for p in
                    inspect.signature(cmd.callback).parameters.values()}
        for param in cmd.params:
            for opt in param.opts:
                if opt in DECLARED:
                    assert defaults[param.name] is DECLARED[opt], (name, opt)
                if opt == "--out" and param.hidden:
                    assert defaults[param.name] is o.OutFileAlias, name


def test_out_is_a_folder_wherever_it_is_shown() -> None:
    """A command writing one file names it --out-file; its old `--out FILE` is hidden."""
    for name in ("predict", "draft", "sweep"):
        opts = _opts(name)
        assert not opts["--out-file"].hidden and opts["--out"].hidden, name
        assert opts["--out-file"].help.startswith("write "), name
    for name in ("run", "sensitivity", "explain", "ledger score"):
        assert "folder" in _opts(name)["--out"].help and not _opts(name)["--out"].hidden, name


def _doc(r: Any) -> Any:
    assert r.code == 0, r.err
    return json.loads(r.out)  # one document, nothing else on stdout


def test_predict_smp_draft_validate_print_one_json_document(cli, tmp_path: Path) -> None:
    doc = _doc(cli("predict", str(DATA / "eum" / "eu-emissions.csv"), "--json"))
    assert {r["model"] for r in doc["predictions"]} >= {"compromise", "nash"}
    assert set(doc["predictions"][0]) == {"issue", "model", "prediction"}
    doc = _doc(cli("smp", str(DATA / "ktab" / "dummyData_3Dim.csv"), "--json"))
    assert doc["turns"] >= 1 and set(doc["actors"][0]) == {"actor", "start", "end",
                                                            "probability"}
    out = tmp_path / "d.yaml"
    doc = _doc(cli("draft", str(DRAFT), "--horizon", "12", "--json", "--out-file", str(out)))
    assert doc["yaml"] == out.read_text() and doc["events"] >= 1 and doc["file"] == str(out)
    doc = _doc(cli("validate", str(out), "--sources", str(DRAFT.parent), "--json"))
    assert doc == [{"file": str(out), "valid": True, "problems": [], "warnings": [],
                    "counts": doc[0]["counts"], "rates": doc[0]["rates"],
                    "unsourced": doc[0]["unsourced"]}]
    assert {r["source"] for r in doc[0]["rates"]} <= {"drafted", "reference", "quoted"}
    assert 1 <= len(doc[0]["rates"]) <= doc[0]["counts"]["events"]  # scheduled ones have none
    bad = tmp_path / "bad.yaml"
    bad.write_text("meta: {}\n")
    r = cli("validate", str(out), str(bad), "--json")
    assert r.code == 2
    doc = json.loads(r.out)
    assert [d["valid"] for d in doc] == [True, False] and doc[1]["problems"]


def test_out_file_and_its_old_spelling_write_the_same(cli, tmp_path: Path) -> None:
    positions = str(DATA / "eum" / "eu-emissions.csv")
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    assert cli("predict", positions, "--out-file", str(a)).code == 0
    assert cli("predict", positions, "--out", str(b)).code == 0
    assert a.read_text() == b.read_text() and a.read_text().startswith("issue,model,prediction")
    r = cli("predict", positions, "--out-file", str(a), "--out", str(b))
    assert r.code == 2 and "--out-file" in r.err


def test_sweep_variants_and_its_old_name(cli, tmp_path: Path) -> None:
    common = ("sweep", str(BASE), "--paths", "100", "--sources", str(CORPUS), "--json")
    new, old = cli(*common, "--variants", "2"), cli(*common, "--samples", "2")
    assert _doc(new)["rows"] == _doc(old)["rows"]
    r = cli(*common, "--variants", "2", "--samples", "2")
    assert r.code == 2 and "--variants" in r.err
    r = cli("sweep", str(BASE), "--paths", "100")
    assert r.code == 2 and "--variants" in r.err


@pytest.mark.parametrize("command", ["watch", "compare", "backtest", "explain"])
def test_workers_give_the_same_answer(command: str, cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ACCORD_HOME", str(tmp_path))
    res = tmp_path / "res.csv"
    res.write_text("question,resolution\nq_deal,yes\n")
    args = {"watch": ("watch", str(BASE), "--paths", "3000"),
            "compare": ("compare", str(BASE), str(BASE), "--paths", "3000"),
            "backtest": ("backtest", str(BASE), "--resolutions", str(res), "--paths", "3000"),
            "explain": ("explain", str(BASE), "--paths", "2000", "--tornado-paths", "300")
            }[command]
    one = _doc(cli(*args, "--sources", str(CORPUS), "--json"))
    two = _doc(cli(*args, "--sources", str(CORPUS), "--json", "--workers", "2"))
    assert one == two
    r = cli(*args, "--workers", "-1")
    assert r.code == 2 and "--workers" in r.err
