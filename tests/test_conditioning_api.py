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
