"""The dashboard's JSON API over HTTP, against `accord serve` started on a free port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("nicegui")
httpx = pytest.importorskip("httpx")

from accord.errors import UserError  # noqa: E402
from accord.scenario.loader import DEFAULT_SCENARIO, builtin_text, parse_scenario  # noqa: E402
from accord.store.runs import RunStore  # noqa: E402

BAD_WHEN = "(constitution_amended or amended_on_retry) and (not new_demand or demand_met)"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess(subprocess.Popen):
    """The server in a session of its own, so that stopping it stops the worker processes
    its runs forked too (a kill of the server alone left them behind, orphaned)."""

    def send_signal(self, sig: int) -> None:
        if self.poll() is None:
            try:
                os.killpg(self.pid, sig)
            except ProcessLookupError:
                pass

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


def start_server(workspace: Path, home: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    """`accord serve` in a subprocess; without a --token in `extra`, with --no-token."""
    if "--token" not in extra:
        extra = (*extra, "--no-token")
    headers = {"x-accord-token": extra[extra.index("--token") + 1]} if "--token" in extra else {}
    port = free_port()
    log = open(home / f"server-{port}.log", "w")  # noqa: SIM115 - closed with the process
    proc = ServerProcess(
        [sys.executable, "-c", "from accord.cli import main; main()", "serve",
         "--port", str(port), "--workspace", str(workspace), *extra],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "ACCORD_HOME": str(home)},
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError((home / f"server-{port}.log").read_text())
        try:
            if httpx.get(base + "/api/scenarios", timeout=5, headers=headers).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    proc.kill()
    raise RuntimeError("the server did not start")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    root = tmp_path_factory.mktemp("web-api")
    ws, home = root / "ws", root / "home"
    ws.mkdir()
    home.mkdir()
    (ws / "mine.yaml").write_text(builtin_text(DEFAULT_SCENARIO), encoding="utf-8")
    (root / "outside.yaml").write_text(builtin_text(DEFAULT_SCENARIO), encoding="utf-8")
    (ws / "escape.yaml").symlink_to(root / "outside.yaml")
    (ws / "notes.yaml").write_text("just: some yaml\n", encoding="utf-8")
    db = f"sqlite:///{home / 'runs.sqlite'}"
    proc, base = start_server(ws, home, "--db", db, "--max-runs", "1")
    try:
        yield {"base": base, "ws": ws, "db": db, "root": root}
    finally:
        stop_server(proc)


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def wait_idle(base: str) -> None:
    """Let the one worker finish whatever a test left running."""
    for _ in range(600):
        r = httpx.post(base + "/api/runs", json={"scenario": DEFAULT_SCENARIO, "paths": 10,
                                                 "wait": True}, timeout=120)
        if r.status_code != 429:
            return
        time.sleep(0.2)


def test_list_and_openapi(server: dict) -> None:
    r = httpx.get(server["base"] + "/api/scenarios")
    assert r.status_code == 200
    by_id = {s["id"]: s for s in r.json()}
    assert by_id[DEFAULT_SCENARIO]["kind"] == "builtin"
    assert by_id["mine.yaml"]["title"].startswith("Armenia")
    assert by_id["mine.yaml"]["as_of"] == "2025-04-03"
    assert "escape.yaml" not in by_id  # a symlink out of the workspace is not listed
    assert "notes.yaml" not in by_id  # not a scenario
    spec = httpx.get(server["base"] + "/openapi.json").json()
    assert {"/api/scenarios", "/api/scenarios/{ref}", "/api/runs", "/api/runs/{run_id}",
            "/api/sensitivity"} <= set(spec["paths"])
    assert "post" in spec["paths"]["/api/runs"]


def test_scenario_detail_has_evidence(server: dict) -> None:
    d = httpx.get(server["base"] + f"/api/scenarios/{DEFAULT_SCENARIO}").json()
    params = {p["field"]: p for p in d["parameters"]}
    treaty = parse_scenario(builtin_text(DEFAULT_SCENARIO), "b").scenario.event_ids.index(
        "treaty_signed")
    hz = params[f"events[{treaty}].hazard"]
    assert hz["label"] == "treaty_signed · hazard"
    assert any("little urgency" in e["quote"] for e in hz["evidence"])
    assert d["meta"]["as_of"] == "2025-04-03"
    assert httpx.get(server["base"] + "/api/scenarios/mine.yaml").status_code == 200
    assert httpx.get(server["base"] + "/api/scenarios/nothing.yaml").status_code == 404


@pytest.mark.parametrize(
    "ref",
    ["..%2Foutside.yaml", "..%2F..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd", "escape.yaml",
     "sub%2F..%2F..%2Foutside.yaml"],
)
def test_paths_outside_the_workspace_are_refused(server: dict, ref: str) -> None:
    r = httpx.get(server["base"] + "/api/scenarios/" + ref)
    assert r.status_code in (400, 404), r.text
    assert "Armenia" not in r.text and "root:" not in r.text


@pytest.mark.parametrize("ref", ["../outside.yaml", "/etc/passwd", "escape.yaml"])
def test_runs_refuse_paths_outside(server: dict, ref: str) -> None:
    r = httpx.post(server["base"] + "/api/runs", json={"scenario": ref, "paths": 10})
    assert r.status_code == 400, r.text
    assert "refused" in r.json()["detail"]


def test_bad_yaml_answers_422_with_the_validate_message(server: dict) -> None:
    text = builtin_text(DEFAULT_SCENARIO).replace(BAD_WHEN, "corridor_open and not new_demand")
    with pytest.raises(UserError) as exc:
        parse_scenario(text, "scenario_yaml")
    r = httpx.post(server["base"] + "/api/runs", json={"scenario_yaml": text, "paths": 100})
    assert r.status_code == 422
    assert r.json()["problems"] == [str(p) for p in exc.value.problems]
    assert "unknown event 'corridor_open'" in r.json()["detail"]
    r = httpx.post(server["base"] + "/api/runs", json={"scenario_yaml": "a: [1,", "paths": 100})
    assert r.status_code == 422 and "invalid YAML" in r.json()["detail"]
    r = httpx.post(server["base"] + "/api/runs", json={"paths": 100})
    assert r.status_code == 422


def test_run_lands_in_the_store(server: dict) -> None:
    base = server["base"]
    wait_idle(base)
    r = httpx.post(base + "/api/runs", json={"scenario": "mine.yaml", "paths": 2000, "seed": 5})
    assert r.status_code == 202, r.text
    job = r.json()["id"]
    assert r.headers["location"] == f"/api/runs/{job}"
    for _ in range(600):
        d = httpx.get(base + f"/api/runs/{job}").json()
        if d["status"] != "running":
            break
        time.sleep(0.1)
    assert d["status"] == "done", d
    q = {x["id"]: x for x in d["results"]["forecast"]["questions"]}
    assert 0 <= q["treaty_2026"]["probability"] <= 1
    rec = RunStore(server["db"]).get(d["run_id"])
    assert rec.scenario_id == DEFAULT_SCENARIO and rec.seed == 5
    assert rec.results["forecast"]["questions"] == d["results"]["forecast"]["questions"]
    stored = httpx.get(base + f"/api/runs/{d['run_id']}").json()
    assert stored["results"] == d["results"]
    assert any(x["id"] == d["run_id"] for x in httpx.get(base + "/api/runs").json())


def test_inline_yaml_run_with_wait(server: dict) -> None:
    wait_idle(server["base"])
    text = builtin_text(DEFAULT_SCENARIO)
    r = httpx.post(server["base"] + "/api/runs",
                   json={"scenario_yaml": text, "paths": 2000, "seed": 1, "wait": True},
                   timeout=120)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "done" and r.json()["run_id"] > 0


def test_busy_rather_than_queued(server: dict) -> None:
    base = server["base"]
    wait_idle(base)
    first = httpx.post(base + "/api/runs", json={"scenario": DEFAULT_SCENARIO, "paths": 200_000})
    assert first.status_code == 202
    second = httpx.post(base + "/api/runs", json={"scenario": DEFAULT_SCENARIO, "paths": 10})
    assert second.status_code == 429
    assert "busy" in second.json()["detail"] and second.headers["retry-after"]
    job = first.json()["id"]
    for _ in range(1200):  # the first run still completes and lands in the store
        d = httpx.get(base + f"/api/runs/{job}").json()
        if d["status"] != "running":
            break
        time.sleep(0.1)
    assert d["status"] == "done" and RunStore(server["db"]).get(d["run_id"])


def test_tornado_matches_the_analysis_layer(server: dict) -> None:
    from accord.analysis.recipe import RunSettings
    from accord.analysis.sensitivity import TornadoSettings, tornado
    from accord.analysis.variants import targets

    base = server["base"]
    wait_idle(base)
    body = {"scenario": "mine.yaml", "question": "treaty_2026", "paths": 500, "seed": 11}
    r = httpx.post(base + "/api/sensitivity", json=body)
    assert r.status_code == 202, r.text
    job = r.json()["id"]
    assert r.headers["location"] == f"/api/runs/{job}" and r.json()["kind"] == "sensitivity"
    for _ in range(1200):
        d = httpx.get(base + f"/api/runs/{job}").json()
        if d["status"] != "running":
            break
        time.sleep(0.1)
    assert d["status"] == "done", d
    s = parse_scenario(builtin_text(DEFAULT_SCENARIO), "mine.yaml").scenario
    direct = tornado(s, RunSettings(paths=500, seed=11), TornadoSettings(targets(s, "treaty_2026")))
    got = d["results"]
    assert got["targets"] == ["treaty_2026"] and got["base"] == direct.base
    assert [(r["parameter"], r["values"]["p_at_low"], r["values"]["p_at_high"])
            for r in got["rows"]["treaty_2026"]] == [
        (r.parameter, r.values["p_at_low"], r.values["p_at_high"])
        for r in direct.rows["treaty_2026"]
    ]
    rec = RunStore(server["db"]).get(d["run_id"])
    assert rec.kind == "sensitivity" and rec.seed == 11 and rec.results == got
    assert rec.settings["method"] == "tornado" and rec.settings["paths"] == 500
    # the same job semantics as /api/runs: wait, unknown question, bounded paths
    r = httpx.post(base + "/api/sensitivity", json={**body, "question": "nope", "wait": True})
    assert r.status_code == 422 and "unknown question 'nope'" in r.json()["detail"]
    r = httpx.post(base + "/api/sensitivity", json={**body, "paths": 50_000_000})
    assert r.status_code == 422
    r = httpx.post(base + "/api/sensitivity", json={**body, "scenario": "../outside.yaml"})
    assert r.status_code == 400
    r = httpx.post(base + "/api/sensitivity",
                   json={"scenario": DEFAULT_SCENARIO, "paths": 50, "wait": True}, timeout=120)
    assert r.status_code == 200 and len(r.json()["results"]["targets"]) > 1  # every question


def test_sobol_and_morris_from_the_api(server: dict) -> None:
    """method sobol/morris runs that analysis, its base the same run as a tornado's; a job
    beyond the dashboard's budget is refused at once (422), naming the field."""
    from accord.analysis.recipe import RunSettings
    from accord.analysis.sensitivity import SensitivitySettings, sensitivity
    from accord.analysis.variants import targets

    base = server["base"]
    wait_idle(base)
    s = parse_scenario(builtin_text(DEFAULT_SCENARIO), "mine.yaml").scenario
    body = {"scenario": "mine.yaml", "question": "treaty_2026", "paths": 100, "seed": 3,
            "wait": True}
    for method in ("sobol", "morris"):
        r = httpx.post(base + "/api/sensitivity", json={**body, "method": method, "samples": 2},
                       timeout=300)
        assert r.status_code == 200, r.text
        got = r.json()
        assert got["settings"]["method"] == method and got["settings"]["samples"] == 2
        direct = sensitivity(s, RunSettings(paths=100, seed=3),
                             SensitivitySettings(targets(s, "treaty_2026"), method, 2))
        assert got["results"]["base"] == direct.base
        assert got["results"]["samples"] == direct.samples
    r = httpx.post(base + "/api/sensitivity",
                   json={**body, "method": "sobol", "samples": 64, "paths": 100_000})
    assert r.status_code == 422 and "accord sensitivity" in r.json()["detail"]
    r = httpx.post(base + "/api/sensitivity", json={**body, "method": "pca"})
    assert r.status_code == 422


def test_request_body_cap(server: dict) -> None:
    r = httpx.post(server["base"] + "/api/runs", content=b"x" * 5_000_000,
                   headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_paths_are_bounded(server: dict) -> None:
    r = httpx.post(server["base"] + "/api/runs",
                   json={"scenario": DEFAULT_SCENARIO, "paths": 50_000_000})
    assert r.status_code == 422


# --- in-process pieces -------------------------------------------------------------------------
def test_non_loopback_host_needs_a_token(cli) -> None:
    res = cli("serve", "--host", "0.0.0.0", "--port", str(free_port()), "--no-token")
    assert res.code == 2 and "--no-token" in res.err and "Traceback" not in res.err


def test_token_middleware() -> None:
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route
    from starlette.testclient import TestClient

    from accord.web.security import GuardMiddleware

    app = Starlette(routes=[Route("/", lambda r: PlainTextResponse("ok"))])
    app.add_middleware(GuardMiddleware, token="s3cret-token")
    c = TestClient(app, base_url="http://127.0.0.1")
    assert c.get("/").status_code == 401
    assert c.get("/", headers={"Authorization": "Bearer wrong-token"}).status_code == 401
    assert c.get("/", headers={"Authorization": "Bearer s3cret-token"}).text == "ok"
    r = c.get("/?token=s3cret-token&x=1", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/?x=1"
    assert "accord_token=s3cret-token" in r.headers["set-cookie"]
    assert "HttpOnly" in r.headers["set-cookie"] and "SameSite=Strict" in r.headers["set-cookie"]
    assert c.get("/").status_code == 200  # the cookie now carries it
    assert c.post("/?token=s3cret-token").status_code == 400  # never in a POST's address
    assert c.get("/", headers={"host": "evil.example"}).status_code == 400


def test_a_failing_run_is_a_message_not_a_traceback(monkeypatch, tmp_path) -> None:
    from accord.analysis.run import RunSettings
    from accord.scenario.loader import load_scenario
    from accord.web import jobs as jobs_mod

    def boom(*a, **k):
        raise ZeroDivisionError("deep inside")

    monkeypatch.setattr(jobs_mod, "run_scenario", boom)
    store = RunStore(f"sqlite:///{tmp_path / 'r.sqlite'}")
    jm = jobs_mod.JobManager(store, max_runs=1)
    job = jm.wait(jm.submit(load_scenario(), RunSettings(paths=10), DEFAULT_SCENARIO))
    assert job.status == "failed"
    assert "internal error (ZeroDivisionError)" in job.message
    assert "Traceback" not in job.message and "deep inside" not in job.message
    assert store.count() == 0
    jm.shutdown()


def test_workspace_refuses_escapes(tmp_path: Path) -> None:
    from accord.web.workspace import Refused, Workspace

    ws = Workspace(tmp_path)
    (tmp_path / "ok.yaml").write_text("meta: {}\n")
    assert ws.path_of("ok.yaml").name == "ok.yaml"
    for bad in ("../x.yaml", "/etc/passwd", "a/../../x.yaml", "~/x.yaml", ".hidden.yaml",
                "x.txt", "a\\b.yaml"):
        with pytest.raises(Refused):
            ws.path_of(bad, must_exist=False)
    with pytest.raises(UserError):
        ws.new_file_ref("../evil")
    assert ws.new_file_ref("what-if") == "what-if.yaml"


def test_validation_is_kept_by_text_hash_until_a_source_text_changes(tmp_path: Path) -> None:
    from accord.web.workspace import Workspace

    ws = Workspace(tmp_path)
    text = builtin_text(DEFAULT_SCENARIO)
    (tmp_path / "mine.yaml").write_text(text, encoding="utf-8")
    first = ws.parse("mine.yaml", text)
    assert ws.parse("mine.yaml", text) is first  # the same text: validated once
    assert ws.parse("mine.yaml", text + "\n") is not first
    assert any("not found" in str(w) for w in first.warnings)
    (tmp_path / "south-caucasus-2025-04.txt").write_text("nothing quoted here", encoding="utf-8")
    with pytest.raises(UserError) as exc:  # a source text appeared beside it: checked anew
        ws.parse("mine.yaml", text)
    assert "quote not found in source 'carnegie'" in str(exc.value.problems[0])
