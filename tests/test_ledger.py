"""The forecast ledger: recorded forecasts and resolutions form a hash chain that detects any
edit, deletion or reordering; scores match hand computations; concurrent appends never fork."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing as mp
import sqlite3
from pathlib import Path

import pytest

from accord.analysis.scoring import Standing, score_standings, time_averaged_brier
from accord.store.ledger import Ledger
from accord.store.runs import RunStore

from .store_urls import BACKENDS, fresh_url


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path):
    yield from fresh_url(request.param, tmp_path)


def _forecast(ledger: Ledger, q: str, p: float, when: str, scenario: str = "s") -> None:
    ledger.append({"kind": "forecast", "recorded_at": when, "scenario_id": scenario,
                   "question_id": q, "probability": p, "stderr": 0.01})


def _append_many(url: str, tag: str, n: int) -> None:
    ledger = Ledger(RunStore(url))
    for i in range(n):
        _forecast(ledger, f"{tag}{i}", 0.5, "2026-01-01T00:00:00+00:00")


def test_chain_links_every_entry_and_verifies(url: str) -> None:
    ledger = Ledger(RunStore(url))
    for i in range(5):
        _forecast(ledger, f"q{i}", i / 10, "2026-01-01T00:00:00+00:00")
    broken, n, head = ledger.verify()
    es = ledger.entries()
    assert broken is None and n == 5 and head == es[-1].hash
    assert [e.prev_hash for e in es[1:]] == [e.hash for e in es[:-1]]


def test_concurrent_appends_never_fork_the_chain(url: str) -> None:
    Ledger(RunStore(url))
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_append_many, args=(url, f"p{k}-", 15)) for k in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0] * 4
    ledger = Ledger(RunStore(url))
    broken, n, _ = ledger.verify()
    assert broken is None and n == 60


def _db(tmp_path: Path) -> tuple[str, Path]:
    path = tmp_path / "l.sqlite"
    return f"sqlite:///{path}", path


def _three(url: str) -> Ledger:
    ledger = Ledger(RunStore(url))
    for i in range(3):
        _forecast(ledger, f"q{i}", 0.3, "2026-01-01T00:00:00+00:00")
    return ledger


def test_an_edited_entry_is_named(tmp_path: Path, cli) -> None:
    url, path = _db(tmp_path)
    _three(url)
    con = sqlite3.connect(path)
    content = json.loads(con.execute("SELECT content FROM ledger WHERE seq = 2").fetchone()[0])
    content["probability"] = 0.9  # a better-looking forecast, after the fact
    con.execute("UPDATE ledger SET content = ? WHERE seq = 2",
                (json.dumps(content, sort_keys=True, separators=(",", ":")),))
    con.commit()
    r = cli("ledger", "verify", "--db", url)
    assert r.code == 3 and "entry 2" in r.err and "edited" in r.err


def test_a_deleted_entry_is_found(tmp_path: Path, cli) -> None:
    url, path = _db(tmp_path)
    _three(url)
    con = sqlite3.connect(path)
    con.execute("DELETE FROM ledger WHERE seq = 2")
    con.commit()
    r = cli("ledger", "verify", "--db", url)
    assert r.code == 3 and "entry 3" in r.err


def test_reordered_entries_are_found(tmp_path: Path, cli) -> None:
    url, path = _db(tmp_path)
    _three(url)
    con = sqlite3.connect(path)
    con.execute("UPDATE ledger SET seq = 10 WHERE seq = 1")
    con.execute("UPDATE ledger SET seq = 1 WHERE seq = 3")
    con.execute("UPDATE ledger SET seq = 3 WHERE seq = 10")
    con.commit()
    r = cli("ledger", "verify", "--db", url)
    assert r.code == 3 and "entry 1" in r.err
    assert cli("ledger", "verify", "--db", f"sqlite:///{tmp_path / 'fresh.sqlite'}").code == 0


def test_record_resolve_score_verify_from_the_command_line(tmp_path: Path, cli) -> None:
    url, _ = _db(tmp_path)
    r = cli("run", "--paths", "2000", "--record", "--db", url, "--no-report")
    assert r.code == 0, r.err
    listed = json.loads(cli("ledger", "list", "--db", url, "--json").out)
    ids = [e["question_id"] for e in listed]
    assert "treaty_2026" in ids and all(e["kind"] == "forecast" for e in listed)
    treaty = next(e for e in listed if e["question_id"] == "treaty_2026")
    assert treaty["forecast_date"] == "2025-04-03" and 0 < treaty["probability"] < 1
    assert treaty["scenario_hash"] and treaty["run_id"] >= 1 and "band" in treaty
    assert treaty["stderr"] > 0 and treaty["criteria"].startswith("Yes if")
    bad = cli("ledger", "resolve", "south-caucasus-2025", "no_such_q", "yes", "--on",
              "2026-12-31", "--db", url)
    assert bad.code == 2 and "no_such_q" in bad.err
    assert cli("ledger", "resolve", "south-caucasus-2025", "treaty_2026", "maybe", "--on",
               "2026-12-31", "--db", url).code == 2
    assert cli("ledger", "resolve", "south-caucasus-2025", "treaty_2026", "no", "--on",
               "31/12/2026", "--db", url).code == 2
    today = dt.date.today().isoformat()
    ok = cli("ledger", "resolve", "south-caucasus-2025", "treaty_2026", "no", "--on", today,
             "--source", "hypothetical, for the test", "--db", url)
    assert ok.code == 0, ok.err
    sc = cli("ledger", "score", "--db", url, "--json", "--out", str(tmp_path / "score"))
    doc = json.loads(sc.out)
    assert doc["n"] == 1
    assert doc["brier"] == pytest.approx(treaty["probability"] ** 2)
    assert (tmp_path / "score" / "reliability.png").exists()
    assert (tmp_path / "score" / "reliability.svg").exists()
    assert "reliability diagram" in (tmp_path / "score" / "index.html").read_text()
    assert cli("ledger", "verify", "--db", url).code == 0


def _t(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day + "T12:00:00+00:00")


def test_time_averaged_brier_by_hand() -> None:
    # 0.2 standing Jan 1–2, 0.6 from Jan 3 to the resolution (yes) on Jan 5: five days
    s = Standing("q", [(_t("2026-01-03"), 0.6), (_t("2026-01-01"), 0.2),
                       (_t("2026-01-09"), 0.99)], 1, dt.date(2026, 1, 5))
    want = (2 * 0.8**2 + 3 * 0.4**2) / 5
    assert time_averaged_brier(s) == pytest.approx(want)


def test_scores_and_murphy_decomposition_by_hand() -> None:
    day = dt.date(2026, 6, 1)
    probs = [0.15, 0.15, 0.15, 0.15, 0.85, 0.85, 0.85, 0.85]
    outcomes = [0, 0, 0, 1, 1, 1, 1, 0]
    st = [Standing(f"q{i}", [(_t("2026-05-01"), p)], y, day)
          for i, (p, y) in enumerate(zip(probs, outcomes, strict=True))]
    st.append(Standing("late", [(_t("2026-07-01"), 0.5)], 1, day))  # forecast after resolution
    s = score_standings(st)
    assert s.n == 8 and s.unscored == ["late"]
    brier = sum((p - y) ** 2 for p, y in zip(probs, outcomes, strict=True)) / 8
    assert s.brier == pytest.approx(brier)
    # two bins: forecast 0.15 observed 0.25, forecast 0.85 observed 0.75; base rate 0.5
    rel = (4 * 0.1**2 + 4 * 0.1**2) / 8
    res = (4 * 0.25**2 + 4 * 0.25**2) / 8
    assert s.murphy.reliability == pytest.approx(rel)
    assert s.murphy.resolution == pytest.approx(res)
    assert s.murphy.uncertainty == pytest.approx(0.25)
    assert s.murphy.remainder == pytest.approx(0.0, abs=1e-12)  # one forecast value per bin
    assert s.brier_50 == pytest.approx(0.25)
    import math

    want_log = sum(math.log(p if y else 1 - p) for p, y in zip(probs, outcomes, strict=True)) / 8
    assert s.log == pytest.approx(want_log)


def test_a_forecast_recorded_after_the_resolution_is_not_scored(tmp_path: Path, cli) -> None:
    url = f"sqlite:///{tmp_path / 'late.sqlite'}"
    ledger = Ledger(RunStore(url))
    _forecast(ledger, "q", 0.3, "2026-06-01T00:00:00+00:00")
    ledger.resolve("s", "q", "no", dt.date(2026, 1, 5))
    r = cli("ledger", "score", "--db", url)
    assert r.code == 2 and "after the outcome" in r.err and "s · q" in r.err


def test_ledger_list_keeps_ids_whole_at_80_columns(tmp_path: Path, cli, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'l.sqlite'}"
    ledger = Ledger(RunStore(url))
    _forecast(ledger, "a_long_question_identifier_2027", 0.3, "2026-06-01T00:00:00+00:00",
              scenario="a-long-scenario-identifier-2025")
    monkeypatch.setenv("COLUMNS", "80")
    r = cli("ledger", "list", "--db", url)
    assert r.code == 0
    assert "a-long-scenario-identifier-2025" in r.out  # each id whole, on one line
    assert "a_long_question_identifier_2027" in r.out
