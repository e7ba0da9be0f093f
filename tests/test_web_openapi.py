"""/openapi.json declares what the API answers: every operation its success and error bodies, and
the real answers (in process, FastAPI's TestClient) match the schema declared for their status."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("nicegui")
jsonschema_rs = pytest.importorskip("jsonschema_rs")  # comes with schemathesis (the dev extra)

from accord.scenario.loader import DEFAULT_SCENARIO, builtin_text  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "s3cret-token-for-tests"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
GUARD_CODES = {"400", "401", "413"}  # accord.web.security answers them before any route


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory):
    from fastapi import FastAPI
    from nicegui.json import NiceGUIJSONResponse
    from starlette.testclient import TestClient

    from accord.web import api as api_mod
    from accord.web.app import make_context
    from accord.web.security import GuardMiddleware

    root = tmp_path_factory.mktemp("openapi")
    (root / "mine.yaml").write_text(builtin_text(DEFAULT_SCENARIO), encoding="utf-8")
    (root / "broken.yaml").write_text("meta:\n  id: x\n title: bad\n", encoding="utf-8")
    mp = pytest.MonkeyPatch()
    mp.setenv("ACCORD_HOME", str(root / "home"))
    ctx = make_context(root, db=f"sqlite:///{root / 'runs.sqlite'}", token=TOKEN, max_runs=1)
    app = FastAPI(default_response_class=NiceGUIJSONResponse)  # as NiceGUI's app is
    app.include_router(api_mod.build_router(ctx))
    app.add_middleware(GuardMiddleware, token=TOKEN, max_body=100_000)
    client = TestClient(app, base_url="http://127.0.0.1", headers=AUTH)
    yield client, app.openapi(), ctx
    ctx.jobs.shutdown()
    mp.undo()


def api_operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, ops in spec["paths"].items() if path.startswith("/api/")
            for method, op in ops.items()]


def json_schema(response: dict[str, Any]) -> dict[str, Any] | None:
    return response.get("content", {}).get("application/json", {}).get("schema")


def refs(schema: dict[str, Any]) -> set[str]:
    return set(re.findall(r"#/components/schemas/(\w+)", repr(schema)))


def test_every_operation_declares_its_answers(api) -> None:
    _, spec, _ = api
    ops = api_operations(spec)
    assert len(ops) >= 8
    for path, method, op in ops:
        where = f"{method.upper()} {path}"
        codes = set(op["responses"])
        ok = [c for c in codes if c.startswith("2")]
        assert ok, f"{where} declares no success"
        for c in ok:
            schema = json_schema(op["responses"][c])
            assert schema and schema != {"type": "string"}, f"{where} {c}: no body schema"
            assert refs(schema) or schema.get("items"), f"{where} {c}: {schema}"
        assert GUARD_CODES <= codes, f"{where}: the guards' {GUARD_CODES - codes} undeclared"
        if op.get("parameters") or op.get("requestBody"):
            assert "422" in codes, f"{where} takes input but declares no 422"
        for c in codes - set(ok):
            assert "Error" in refs(json_schema(op["responses"][c]) or {}), f"{where} {c}"
    assert "HTTPValidationError" not in spec["components"]["schemas"]  # one error shape


def conforms(spec: dict[str, Any], method: str, path: str, r: Any) -> dict[str, Any]:
    """`r` answers a status `path` declares, as JSON of its declared schema and headers."""
    op = spec["paths"][path][method]
    declared = op["responses"].get(str(r.status_code))
    assert declared, f"{method.upper()} {path}: {r.status_code} undeclared: {r.text[:300]}"
    assert r.headers["content-type"].startswith("application/json")
    for name, h in declared.get("headers", {}).items():
        assert not h.get("required") or name.lower() in r.headers, f"{name} missing"
    body = r.json()
    schema = {**json_schema(declared), "components": spec["components"]}
    problems = [f"{e.instance_path}: {e.message}"
                for e in jsonschema_rs.Draft202012Validator(schema).iter_errors(body)]
    assert not problems, f"{method.upper()} {path} {r.status_code}: {problems[:5]}"
    return body


def test_real_answers_match_the_declared_schemas(api, monkeypatch) -> None:
    from accord.store.ledger import Ledger
    from accord.web import jobs as jobs_mod

    c, spec, ctx = api
    scen, runs, run = "/api/scenarios/{ref}", "/api/runs", "/api/runs/{run_id}"
    listed = conforms(spec, "get", "/api/scenarios", c.get("/api/scenarios"))
    assert {"mine.yaml", "broken.yaml", DEFAULT_SCENARIO} <= {e["id"] for e in listed}
    conforms(spec, "get", scen, c.get(f"/api/scenarios/{DEFAULT_SCENARIO}"))
    for ref, status in (("mine.yaml", 200), ("broken.yaml", 422), ("nothing.yaml", 404),
                        ("..%2Fx.yaml", 400)):
        r = c.get(f"/api/scenarios/{ref}")
        assert r.status_code == status, r.text
        conforms(spec, "get", scen, r)

    # runs: waited for (20 draws of 20 paths: bands unknowable, answered null), conditioned
    body = {"scenario": DEFAULT_SCENARIO, "paths": 400, "draws": 20, "wait": True}
    done = conforms(spec, "post", runs, c.post(runs, json=body))
    assert done["status"] == "done" and done["results"]["forecast"]["questions"]
    assert "observed" not in done["results"]  # the keys the dict has, no null-filled others
    obs = (ROOT / "examples" / "observed-hypothetical.yaml").read_text()
    r = c.post(runs, json={**body, "paths": 800, "observed": obs})
    assert "observed" in conforms(spec, "post", runs, r)["results"]
    conforms(spec, "get", run, c.get(f"/api/runs/{done['id']}"))
    stored = conforms(spec, "get", run, c.get(f"/api/runs/{done['run_id']}"))
    assert stored["results"]["forecast"]["questions"] == done["results"]["forecast"]["questions"]

    # started (202), followed while running, and busy (429) meanwhile: one worker
    long = c.post(runs, json={"scenario": "mine.yaml", "paths": 100_000})
    assert long.status_code == 202
    job = conforms(spec, "post", runs, long)
    assert "results" not in job
    busy = c.post("/api/sensitivity", json={"scenario": "mine.yaml", "paths": 50})
    assert busy.status_code == 429 or ctx.jobs.running == 0
    conforms(spec, "post", "/api/sensitivity", busy)
    conforms(spec, "get", run, c.get(f"/api/runs/{job['id']}"))
    ctx.jobs.wait(ctx.jobs.get(job["id"]))

    tornado = {"scenario": "mine.yaml", "question": "treaty_2026", "paths": 50, "wait": True}
    r = c.post("/api/sensitivity", json=tornado)
    assert conforms(spec, "post", "/api/sensitivity", r)["results"]["targets"] == ["treaty_2026"]
    r = c.post("/api/sensitivity", json={**tornado, "question": "nope"})
    assert r.status_code == 422 and conforms(spec, "post", "/api/sensitivity", r)["problems"]

    with monkeypatch.context() as m:  # a run that fails: 500 with the failed job
        m.setattr(jobs_mod, "run_scenario", lambda *a, **k: 1 / 0)
        r = c.post(runs, json=body)
    assert r.status_code == 500 and conforms(spec, "post", runs, r)["status"] == "failed"

    errors = [
        (runs, {"json": {}}, 422),  # neither scenario nor scenario_yaml
        (runs, {"json": {"scenario_yaml": "a: [1,"}}, 422),
        (runs, {"json": {"scenario": "../outside.yaml"}}, 400),
        (runs, {"json": {"scenario": "nothing.yaml"}}, 404),
        (runs, {"content": b"{not json", "headers": {"content-type": "application/json"}}, 422),
        (runs, {"content": b"\"\xc3\"", "headers": {"content-type": "application/json"}},
         400),  # not UTF-8
        (runs, {"content": b"x" * 200_000}, 413),
        (runs, {"json": {"scenario": DEFAULT_SCENARIO}, "headers": {"Authorization": "no"}}, 401),
        (runs, {"json": {"scenario": DEFAULT_SCENARIO}, "headers": {"host": "evil.test"}}, 400),
    ]
    for path, kwargs, status in errors:
        r = c.post(path, **kwargs)
        assert r.status_code == status, (kwargs, r.text)
        err = conforms(spec, "post", path, r)
        assert err["detail"]
    r = c.request("OPTIONS", runs)  # no such operation: 405, naming both that are
    assert r.status_code == 405 and r.headers["allow"] == "GET, POST" and r.json()["detail"]
    r = c.post(runs, json={})
    assert r.json()["problems"] == ["body: give exactly one of 'scenario' (an id) and "
                                    "'scenario_yaml' (text)"]

    listing = conforms(spec, "get", runs, c.get(runs))
    assert {x["id"] for x in listing} >= {done["run_id"]}
    conforms(spec, "get", runs, c.get(runs, params={"limit": 0}))
    for ref in ("999999", "job-nope", "abc"):
        r = c.get(f"/api/runs/{ref}")
        assert r.status_code == 404
        conforms(spec, "get", run, r)

    q = done["results"]["forecast"]["questions"][0]
    Ledger(ctx.store).record_forecast(scenario_id=DEFAULT_SCENARIO, scenario_hash="x",
                                      question=q, forecast_date="2025-04-03", run_id=None)
    resolve = {"scenario": DEFAULT_SCENARIO, "question": q["id"], "outcome": "no",
               "on": "2026-12-31"}
    conforms(spec, "post", "/api/ledger/resolve", c.post("/api/ledger/resolve", json=resolve))
    r = c.post("/api/ledger/resolve", json={**resolve, "outcome": "maybe"})
    assert r.status_code == 422
    conforms(spec, "post", "/api/ledger/resolve", r)
    entries = conforms(spec, "get", "/api/ledger", c.get("/api/ledger"))
    assert [e["kind"] for e in entries] == ["forecast", "resolution"]
