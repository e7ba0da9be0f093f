"""The API's observations and ledger routes, in process (FastAPI's TestClient, no server)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "s3cret-token-for-tests"


@pytest.fixture
def client(tmp_path, monkeypatch):
    from fastapi import FastAPI
    from starlette.testclient import TestClient

    from accord.web import api
    from accord.web.app import make_context
    from accord.web.security import GuardMiddleware

    monkeypatch.setenv("ACCORD_HOME", str(tmp_path / "home"))
    ctx = make_context(tmp_path, db=f"sqlite:///{tmp_path / 'runs.sqlite'}", token=TOKEN)
    app = FastAPI()
    app.include_router(api.build_router(ctx))
    app.add_middleware(GuardMiddleware, token=TOKEN)
    yield TestClient(app, base_url="http://127.0.0.1"), ctx
    ctx.jobs.shutdown()


def test_observed_run_and_ledger_resolve(client):
    c, ctx = client
    auth = {"Authorization": f"Bearer {TOKEN}"}
    obs = (ROOT / "examples" / "observed-hypothetical.yaml").read_text()
    r = c.post("/api/runs", json={"scenario": "south-caucasus-2025", "paths": 800, "draws": 20,
                                  "observed": obs, "wait": True}, headers=auth)
    assert r.status_code == 200, r.text
    res = r.json()["results"]
    assert res["observed"]["as_of"] == "2026-06-03"
    assert res["forecast"]["dates"][0] == "2026-06-03"

    bad = c.post("/api/runs", json={"scenario": "south-caucasus-2025", "paths": 100,
                                    "observed": "observed:\n  - {event: nope, on: 2025-06-01}\n"},
                 headers=auth)
    assert bad.status_code == 422
    assert "observed:2: observed[0].event: unknown event 'nope'" in bad.json()["detail"]

    # the ledger: record a forecast directly, list it, resolve it (token needed)
    from accord.store.ledger import Ledger

    q = res["forecast"]["questions"][1]
    Ledger(ctx.store).record_forecast(scenario_id="south-caucasus-2025", scenario_hash="x",
                                      question=q, forecast_date="2026-06-03", run_id=None,
                                      observations_hash=res["observed"]["hash"])
    got = c.get("/api/ledger", headers=auth).json()
    assert [e["question_id"] for e in got] == [q["id"]]
    body = {"scenario": "south-caucasus-2025", "question": q["id"], "outcome": "no",
            "on": "2026-12-31", "source": "(hypothetical)"}
    assert c.post("/api/ledger/resolve", json=body).status_code == 401
    assert c.post("/api/ledger/resolve", json=body,
                  headers={"Authorization": "Bearer wrong"}).status_code == 401
    ok = c.post("/api/ledger/resolve", json=body, headers=auth)
    assert ok.status_code == 200, ok.text
    assert ok.json()["kind"] == "resolution"
    assert len(c.get("/api/ledger", headers=auth).json()) == 2
    unknown = c.post("/api/ledger/resolve", json={**body, "question": "nope"}, headers=auth)
    assert unknown.status_code == 422


def test_the_api_reads_dates_by_the_rule_and_takes_signs(client):
    """A question whose date falls inside the first month, and an observed sign, through
    POST /api/runs: the same numbers as the engine gives."""
    from accord.analysis.run import RunSettings, run_scenario
    from accord.scenario.loader import parse_scenario
    from accord.scenario.observations import observations_from_text

    c, _ = client
    auth = {"Authorization": f"Bearer {TOKEN}"}
    text = ("meta: {id: d, title: D, as_of: 2023-03-01, horizon: 6}\n"
            "actors: [{id: a, name: A, capability: {value: 1, assumption: t}}]\n"
            "events:\n  - {id: x, name: X, hazard: {value: 0.66, assumption: t}}\n"
            "  - {id: y, name: Y, when: x, hazard: {value: 0.2, assumption: t}}\n"
            "questions: [{id: q, text: Q, event: x, by: 2023-03-15},"
            " {id: qy, text: QY, event: y, by: 2023-08-31}]\n")
    r = c.post("/api/runs", json={"scenario_yaml": text, "paths": 20_000, "seed": 4,
                                  "wait": True}, headers=auth)
    assert r.status_code == 200, r.text
    q = next(x for x in r.json()["results"]["forecast"]["questions"] if x["id"] == "q")
    assert abs(q["probability"] - 0.66 * 15 / 31) < 4 * q["stderr"]  # 15 of March's 31 days
    obs = "observed:\n  - {event: y, likelihood_ratio: 5, month: 2023-05}\n"
    r = c.post("/api/runs", json={"scenario_yaml": text, "paths": 4000, "seed": 4,
                                  "observed": obs, "wait": True}, headers=auth)
    assert r.status_code == 200, r.text
    got = next(x for x in r.json()["results"]["forecast"]["questions"] if x["id"] == "qy")
    s = parse_scenario(text, "d.yaml").scenario
    om = observations_from_text(obs, "observed").months(s)
    want = run_scenario(s, RunSettings(paths=4000, seed=4), with_issues=False, observed=om)
    assert got["probability"] == next(x.probability for x in want.forecast.questions
                                      if x.id == "qy")
