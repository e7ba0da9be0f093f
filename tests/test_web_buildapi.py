"""The builder's API (accord.web.buildapi): a scenario built by a script, every answer the one
the OpenAPI schema declares, the file on disk loading to the scenario asked for."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("nicegui")
pytest.importorskip("jsonschema_rs")

from accord.scenario.loader import DEFAULT_SCENARIO, load_scenario  # noqa: E402

from .test_web_openapi import api, conforms  # noqa: E402, F401

SC = "/api/scenarios"
ITEMS = "/api/scenarios/{ref}/events/{item_id}"
QITEMS = "/api/scenarios/{ref}/questions/{item_id}"


def post(c, spec, path: str, body: dict, declared: str, status: int = 201) -> dict:
    r = c.post(path, json=body)
    assert r.status_code == status, r.text
    return conforms(spec, "post", declared, r)


def test_a_script_builds_a_scenario_from_nothing(api) -> None:  # noqa: F811
    c, spec, ctx = api
    made = post(c, spec, SC, {"file": "built.yaml", "title": "Two sides",
                              "as_of": "2026-01-01"}, SC)
    assert made["id"] == "built.yaml" and any("actors" in p for p in made["problems"])
    for name in ("North", "South"):
        post(c, spec, f"{SC}/built.yaml/actors", {"name": name, "capability": 50,
                                                  "assumption": "equal"},
             "/api/scenarios/{ref}/actors")
    ev = "/api/scenarios/{ref}/events"
    post(c, spec, f"{SC}/built.yaml/events", {"name": "Talks", "how": "monthly chance",
                                              "probability": "U(0.05, 0.15)",
                                              "assumption": "x"}, ev)
    post(c, spec, f"{SC}/built.yaml/events", {"name": "Vote", "how": "on a date",
                                              "date": "2026-06-01"}, ev)
    deal = post(c, spec, f"{SC}/built.yaml/events", {
        "name": "Deal", "how": "one-time chance", "probability": 0.4, "assumption": "x",
        "requires": "talks and not vote"}, ev)
    assert deal["item"] == "deal" and deal["problems"] == []
    q = post(c, spec, f"{SC}/built.yaml/questions", {
        "event": "deal", "by": "2027-01-01", "text": "A deal within a year?", "id": "deal_q"},
        "/api/scenarios/{ref}/questions")
    assert q["problems"] == []
    s = load_scenario(ctx.workspace.root / "built.yaml", strict=True).scenario
    assert [a.id for a in s.actors] == ["north", "south"]
    assert [(e.id, e.kind, e.when) for e in s.events] == [
        ("talks", "hazard", ""), ("vote", "scheduled", ""),
        ("deal", "chance", "talks and not vote")]
    assert (s.events[0].hazard.low, s.events[0].hazard.high) == (0.05, 0.15)
    assert s.questions[0].event == "deal"

    # rename: every reference follows; delete a named event: 409 listing where
    r = c.patch(f"{SC}/built.yaml/events/talks", json={"fields": {"id": "talks_resume"}})
    assert conforms(spec, "patch", ITEMS, r)["item"] == "talks_resume"
    s = load_scenario(ctx.workspace.root / "built.yaml").scenario
    assert s.event("deal").when == "talks_resume and not vote"
    r = c.delete(f"{SC}/built.yaml/events/deal")
    assert r.status_code == 409
    assert any("questions[0].event" in p for p in conforms(spec, "delete", ITEMS, r)["problems"])
    r = c.delete(f"{SC}/built.yaml/questions/deal_q")
    assert r.status_code == 200 and conforms(spec, "delete", QITEMS, r)
    assert c.delete(f"{SC}/built.yaml/events/deal").status_code == 200


@pytest.mark.parametrize(("body", "field"), [
    ({"name": "X", "how": "monthly chance", "probability": 1.5, "assumption": "x"},
     "events[3].hazard"),
    ({"name": "X", "how": "monthly chance", "probability": 0.1, "assumption": "x",
      "requires": "nothing_named"}, "events[3].when"),
    ({"name": "X", "how": "monthly chance", "probability": 0.1, "assumption": "x",
      "id": "us_russia_deal"}, "events[3].id"),
])
def test_a_refused_change_names_its_field_and_leaves_the_file(api, body, field) -> None:  # noqa: F811
    c, spec, ctx = api
    ref = f"refuse-{abs(hash(field))}.yaml"
    post(c, spec, SC, {"file": ref, "start": "copy", "copy_of": DEFAULT_SCENARIO}, SC)
    path: Path = ctx.workspace.root / ref
    before = path.read_text()
    ev = load_scenario(path).scenario.events
    field = field.replace("[3]", f"[{len(ev)}]")
    r = c.post(f"{SC}/{ref}/events", json=body)
    assert r.status_code == 422, r.text
    assert any(f"{field}:" in p for p in conforms(spec, "post", "/api/scenarios/{ref}/events",
                                                  r)["problems"]), r.text
    assert path.read_text() == before


def test_built_in_scenarios_stay_read_only_and_the_token_is_needed(api) -> None:  # noqa: F811
    c, spec, _ = api
    r = c.post(f"{SC}/{DEFAULT_SCENARIO}/actors", json={"name": "X", "assumption": "x"})
    assert r.status_code == 422 and "read-only" in r.text
    r = c.post(f"{SC}/mine.yaml/actors", json={"name": "X", "assumption": "x"},
               headers={"Authorization": "Bearer wrong-token-here"})
    assert r.status_code == 401


def test_a_scenario_drafted_from_a_text(api) -> None:  # noqa: F811
    c, spec, ctx = api
    text = ("Armenia and Azerbaijan resumed talks on 3 March 2026. Armenia's foreign minister "
            "said a peace treaty could be signed by the end of the year; Azerbaijan demanded "
            "that Armenia change its constitution first.")
    made = post(c, spec, SC, {"file": "drafted.yaml", "start": "text", "text": text,
                              "as_of": "2026-03-04"}, SC)
    loaded = load_scenario(ctx.workspace.root / "drafted.yaml")
    assert made["id"] == "drafted.yaml" and str(loaded.scenario.meta.as_of) == "2026-03-04"
