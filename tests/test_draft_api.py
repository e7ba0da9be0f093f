"""POST /api/draft: the text -> the draft's YAML and its review list, as `accord draft` makes
them (in process, FastAPI's TestClient); a text with nothing to draft is a 422 with the message."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("nicegui")

from accord.scenario.loader import parse_scenario  # noqa: E402

DATA = Path(__file__).parent / "data" / "draft"
TOKEN = "draft-token-for-tests"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory):
    from fastapi import FastAPI
    from starlette.testclient import TestClient

    from accord.web import api as api_mod
    from accord.web.app import make_context
    from accord.web.security import GuardMiddleware

    root = tmp_path_factory.mktemp("draft-api")
    mp = pytest.MonkeyPatch()
    mp.setenv("ACCORD_HOME", str(root / "home"))
    ctx = make_context(root, db=f"sqlite:///{root / 'runs.sqlite'}", token=TOKEN, max_runs=1)
    app = FastAPI()
    app.include_router(api_mod.build_router(ctx))
    app.add_middleware(GuardMiddleware, token=TOKEN, max_body=2_100_000)
    yield TestClient(app, base_url="http://127.0.0.1",
                     headers={"Authorization": f"Bearer {TOKEN}"})
    ctx.jobs.shutdown()
    mp.undo()


def test_a_text_drafts_to_yaml_that_validates(client) -> None:
    text = (DATA / "trade_deal.txt").read_text()
    r = client.post("/api/draft", json={"text": text, "as_of": "2026-06-01", "horizon": 12})
    assert r.status_code == 200, r.text
    body = r.json()
    loaded = parse_scenario(body["yaml"], "draft.yaml", strict=True)
    s = loaded.scenario
    assert str(s.meta.as_of) == "2026-06-01" and s.meta.horizon == 12
    assert {"france", "brazil", "eu"} <= {a.id for a in s.actors}
    assert any(r.startswith("link: 'france_agreement_ratified'") for r in body["review"])


@pytest.mark.parametrize(("body", "message"), [
    ({"text": "   "}, "no text"),
    ({"text": "Cats sleep. The sky is blue over Armenia today."}, "nothing to draft"),
    ({"text": "Armenia could sign.", "horizon": 0}, "horizon"),
    ({"text": "Armenia could sign the treaty soon.", "id": "bad id"}, "id: must be"),
])
def test_nothing_to_draft_is_a_422(client, body: dict, message: str) -> None:
    r = client.post("/api/draft", json=body)
    assert r.status_code == 422 and message in r.json()["detail"]


def test_the_token_is_needed(client) -> None:
    r = client.post("/api/draft", json={"text": "x"}, headers={"Authorization": "Bearer no"})
    assert r.status_code == 401
