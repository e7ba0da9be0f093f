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


def test_issues_and_their_references_follow_renames(api) -> None:  # noqa: F811
    c, spec, ctx = api
    post(c, spec, SC, {"file": "issues.yaml", "title": "Issues", "as_of": "2026-01-01"}, SC)
    for name in ("North", "South"):
        post(c, spec, f"{SC}/issues.yaml/actors", {"name": name, "assumption": "equal"},
             "/api/scenarios/{ref}/actors")
    issue = {"name": "Border", "max_means": "North's claim", "status_quo": 0,
             "assumption": "stated", "positions": {"north": {"position": 80, "salience": 0.8},
                                                   "south": {"position": "U(5, 15)",
                                                             "salience": 0.6}}}
    made = post(c, spec, f"{SC}/issues.yaml/issues", issue, "/api/scenarios/{ref}/issues")
    assert made["item"] == "border" and made["problems"] == []
    post(c, spec, f"{SC}/issues.yaml/events", {
        "name": "Deal", "how": "monthly chance", "probability": 0.02, "assumption": "x",
        "requires": "issue.border >= 40"}, "/api/scenarios/{ref}/events")
    items = "/api/scenarios/{ref}/issues/{item_id}"
    r = c.patch(f"{SC}/issues.yaml/issues/border", json={"fields": {"id": "line"}})
    assert conforms(spec, "patch", items, r)["item"] == "line"
    r = c.patch(f"{SC}/issues.yaml/actors/north", json={"fields": {"id": "northland"}})
    assert r.status_code == 200, r.text
    s = load_scenario(ctx.workspace.root / "issues.yaml", strict=True).scenario
    assert s.event("deal").when == "issue.line >= 40"
    assert list(s.issue("line").positions) == ["northland", "south"]
    assert s.issue("line").positions["south"].position.high == 15
    r = c.delete(f"{SC}/issues.yaml/issues/line")
    assert r.status_code == 409 and "events[0].when" in r.text
    r = c.post(f"{SC}/issues.yaml/issues", json={**issue, "positions": {
        "north": {"position": 80, "salience": 0.8}}})
    assert r.status_code == 422 and "issues[1].positions" in r.text
