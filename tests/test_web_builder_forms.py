"""What the Structure tab's forms add to the builder: provenance (an assumption or a quote from
the source text), issues' positions, events' modifiers and effects, and renames carried into the
workspace's overlays. Checked against hand-written YAML, accord's loader and its overlay merge."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from accord.scenario.loader import DEFAULT_SCENARIO, builtin_text, load_scenario, parse_scenario
from accord.scenario.overlay import apply_overlay, resolve_overlay
from accord.web import builder as b
from accord.web import items
from accord.web.items import Number, Why
from accord.web.overlays import rename_in_overlays
from accord.web.sources import source_sentences
from accord.web.workspace import Workspace

from .test_web_builder import HAND_WRITTEN, NAME, build, parse, step
from .test_web_openapi import api  # noqa: F401


def sourced(file: str = "") -> str:
    """The hand-written scenario with a source (its text in `file`, when given)."""
    return HAND_WRITTEN.replace(
        "meta: {id: two-sides, title: Two sides, as_of: 2026-01-01, horizon: 24}",
        "meta:\n  id: two-sides\n  title: Two sides\n  as_of: 2026-01-01\n  horizon: 24\n"
        f"  sources: [{{id: src, title: An article{', file: ' + file if file else ''}}}]")


def test_a_quote_and_an_assumption_are_the_numbers_evidence() -> None:
    text = step(sourced(), lambda t: b.update_item(t, "actors", "north", {
        "capability": Number("70", Why("bigger economy", "src", "North is twice as large"))}))
    cap = parse(text).scenario.actors[0].capability
    assert cap.value == 70 and cap.assumption == "bigger economy"
    assert [(e.source, e.quote) for e in cap.evidence] == [("src", "North is twice as large")]


def test_a_number_changed_without_a_new_provenance_keeps_it() -> None:
    text = step(build(), lambda t: b.update_item(t, "actors", "south",
                                                 {"capability": Number("U(35, 55)")}))
    cap = parse(text).scenario.actors[1].capability
    assert (cap.low, cap.high, cap.assumption) == (35, 55, "smaller")


ISSUE = """\
issues:
  - id: border
    name: Border
    scale: {min: 0, max: 10, min_means: closed, max_means: open}
    status_quo: {value: 2, assumption: today}
    positions:
      north: {position: {value: 8, assumption: today}, salience: {value: 0.6, assumption: today}}
      south: {position: {value: 1, assumption: today}, salience: {value: 0.9, assumption: today}}
"""


def test_an_issue_from_the_form_is_the_hand_written_one() -> None:
    item = items.issue_item("Border", {"north": ("8", "0.6"), "south": ("1", "0.9")}, "2",
                        {"min": 0, "max": 10, "min_means": "closed", "max_means": "open"},
                        Why("today"))
    text = step(build(), lambda t: b.add_item(t, "issues", item))
    assert parse(text).scenario == parse(HAND_WRITTEN + ISSUE).scenario


def test_positions_are_changed_actor_by_actor() -> None:
    text = step(HAND_WRITTEN + ISSUE, lambda t: b.set_positions(t, "border", {
        "north": (Number("7"), Number("0.6")),
        "south": (Number("2", Why("changed")), Number("0.9"))}))
    st = parse(text).scenario.issues[0].positions
    assert (st["north"].position.value, st["north"].position.assumption) == (7, "today")
    assert (st["south"].position.value, st["south"].position.assumption) == (2, "changed")
    r = b.apply(text, NAME, lambda t: b.set_positions(t, "border", {"south": None}), parse)
    assert r.text is None and any("at least two actors" in p for p in r.refused)


MODIFIED = HAND_WRITTEN.replace(
    "  - {id: talks_resume, name: Talks resume, hazard: {value: 0.1, assumption: guess}}\n",
    "  - id: talks_resume\n    name: Talks resume\n    hazard: {value: 0.1, assumption: guess}\n"
    "    modifiers:\n      - {if: election, multiply: {value: 2, assumption: campaigns}}\n"
    "    effects: {cancels: [deal_signed]}\n")


def test_modifiers_and_effects_from_the_form_are_the_hand_written_ones() -> None:
    assert MODIFIED != HAND_WRITTEN

    def change(t) -> None:
        b.set_modifiers(t, "talks_resume", [("election", Number("2", Why("campaigns")))])
        b.set_effects(t, "talks_resume", ["deal_signed"], [])

    text = step(build(), change)
    assert parse(text).scenario == parse(MODIFIED).scenario
    back = step(text, lambda t: (b.set_modifiers(t, "talks_resume", []),
                                 b.set_effects(t, "talks_resume", [], [])))
    assert parse(back).scenario == parse(build()).scenario


def test_a_modifier_on_a_one_time_chance_is_refused_at_its_field() -> None:
    r = b.apply(build(), NAME, lambda t: b.set_modifiers(
        t, "deal_signed", [("election", Number("2", Why("x")))]), parse)
    assert r.text is None and any("modifiers apply to a hazard" in p for p in r.refused)


def overlay_workspace(tmp: Path) -> Workspace:
    (tmp / "base.yaml").write_text(builtin_text(DEFAULT_SCENARIO))
    for name in ("russia-refocuses-early", "baku-commits-after-referendum"):
        (tmp / f"{name}.yaml").write_text(resolve_overlay(name)[0])
    (tmp / "other.yaml").write_text(  # another scenario's overlay: an event base.yaml lacks
        "overlay: {id: other}\nevents:\n  - id: us_russia_deal\n    hazard: 0.1\n"
        "  - id: not_in_base\n    hazard: 0.2\n")
    return Workspace(tmp)


@pytest.mark.parametrize(("overlay", "old"), [("russia-refocuses-early", "us_russia_deal"),
                                              ("baku-commits-after-referendum",
                                               "constitution_amended")])
def test_renaming_an_event_renames_it_in_the_overlays(tmp_path: Path, overlay: str,
                                                      old: str) -> None:
    ws = overlay_workspace(tmp_path)
    before_text = ws.text("base.yaml")
    before = apply_overlay(load_scenario(tmp_path / "base.yaml"), str(tmp_path / f"{overlay}.yaml"))
    other = (tmp_path / "other.yaml").read_text()
    after_text = step(before_text, lambda t: b.rename(t, "events", old, "renamed"))
    ws.write("base.yaml", after_text)
    written = rename_in_overlays(ws, before_text, [("events", old, "renamed")])
    assert f"{overlay}.yaml" in written and "other.yaml" not in written
    assert (tmp_path / "other.yaml").read_text() == other
    after = apply_overlay(load_scenario(tmp_path / "base.yaml"), str(tmp_path / f"{overlay}.yaml"))
    assert old not in (tmp_path / f"{overlay}.yaml").read_text()
    for e0, e1 in zip(before.scenario.events, after.scenario.events, strict=True):
        assert e1.id == ("renamed" if e0.id == old else e0.id)
        assert (e1.probability, [m.multiply for m in e1.modifiers]) == (
            e0.probability, [m.multiply for m in e0.modifiers])


def test_the_api_renames_in_the_overlays_too(api) -> None:  # noqa: F811
    c, _, ctx = api
    root = ctx.workspace.root
    (root / "for-api.yaml").write_text(builtin_text(DEFAULT_SCENARIO))
    (root / "api-what-if.yaml").write_text(resolve_overlay("russia-refocuses-early")[0])
    r = c.patch("/api/scenarios/for-api.yaml/events/russia_refocus",
                json={"fields": {"id": "moscow_refocus"}})
    assert r.status_code == 200, r.text
    merged = apply_overlay(load_scenario(root / "for-api.yaml"), str(root / "api-what-if.yaml"))
    assert merged.scenario.event("moscow_refocus").hazard.high == 0.5


SOURCE = ("Talks resumed in March. North said it is twice as large as South.\n\n"
          "A deal could follow within the year.")


def test_a_sentence_picked_from_the_source_is_a_quote_validate_finds(tmp_path: Path) -> None:
    text = sourced("art.txt")
    (tmp_path / "art.txt").write_text(SOURCE)
    s = parse_scenario(text, NAME, source_dirs=[tmp_path]).scenario
    picked = source_sentences(s, [tmp_path])
    assert [q for _, q in picked] == ["Talks resumed in March.",
                                      "North said it is twice as large as South.",
                                      "A deal could follow within the year."]
    for quote, ok in ((picked[1][1], True), ("North is three times larger.", False)):
        r = b.apply(text, NAME, lambda t, q=quote: b.update_item(t, "actors", "north", {
            "capability": Number("70", Why(None, "src", q))}),
            lambda x: parse_scenario(x, NAME, source_dirs=[tmp_path]))
        assert (r.text is not None) == ok, r.refused
        assert not [w for w in r.warnings if "quote" in w]
    assert source_sentences(s, [tmp_path / "elsewhere"]) == []



def test_a_new_scenario_that_does_not_validate_is_not_written(api) -> None:  # noqa: F811
    from accord.web.buildapi import BuildRoutes, CreateRequest

    _, _, ctx = api
    routes = BuildRoutes(ctx)
    blank = routes.create(CreateRequest(file="not-yet.yaml", title="Not yet",
                                        as_of="2026-01-01"), write_invalid=False)
    assert blank["problems"] and not (ctx.workspace.root / "not-yet.yaml").exists()
    assert "title: \"Not yet\"" in ctx.unsaved["not-yet.yaml"]
    copy = routes.create(CreateRequest(file="a-copy.yaml", start="copy",
                                       copy_of=DEFAULT_SCENARIO), write_invalid=False)
    assert copy["problems"] == [] and (ctx.workspace.root / "a-copy.yaml").exists()
    assert "a-copy.yaml" not in ctx.unsaved


THREE_MODIFIERS = HAND_WRITTEN.replace(
    "  - {id: talks_resume, name: Talks resume, hazard: {value: 0.1, assumption: guess}}\n",
    "  - id: talks_resume\n    name: Talks resume\n    hazard: {value: 0.1, assumption: guess}\n"
    "    modifiers:\n"
    "      - {if: election, multiply: {value: 2, assumption: campaigns}}\n"
    "      - {if: deal_signed, multiply: {value: 0.5, evidence: [{source: src, quote: Q}]}}\n"
    "      - {if: not election, multiply: {value: 1.5, assumption: calm}}\n")


def event_form_fields(rows: list[tuple[str, ...]], assumption: str) -> dict[str, Any]:
    """The event form's modifier rows (If, Multiply and Why, a new row's Why by default "my
    estimate") and provenance fields as the dialog holds them."""
    f: dict[str, Any] = {"Assumption": SimpleNamespace(value=assumption)}
    for k, (cond, times, *why) in enumerate(rows, 1):
        f[f"If {k}"], f[f"Multiply {k}"] = SimpleNamespace(value=cond), SimpleNamespace(value=times)
        f[f"Why {k}"] = SimpleNamespace(value=why[0] if why else "my estimate")
    return f


@pytest.mark.parametrize("gone", [0, 1, 2])
def test_a_modifier_row_removed_leaves_the_others_their_own_provenance(gone: int) -> None:
    from accord.web.pages.eventform import EventForm

    text = THREE_MODIFIERS.replace("horizon: 24}", "horizon: 24, sources: [{id: src, title: A}]}")
    old = parse(text).scenario.event("talks_resume")
    shown = [(m.if_, m.multiply.describe(), m.multiply.assumption or "") for m in old.modifiers]
    cleared = [("", "", "") if k == gone else row for k, row in enumerate(shown)]
    rows = EventForm.modifiers_of(event_form_fields(cleared, "guess"), old)
    after = parse(step(text, lambda t: b.set_modifiers(t, "talks_resume", rows))).scenario
    kept = [m for k, m in enumerate(old.modifiers) if k != gone]
    assert after.event("talks_resume").modifiers == kept  # each with its own provenance


def test_a_new_modifier_row_takes_its_own_why_never_the_events() -> None:
    """The event's Assumption ("guess") was once copied onto every modifier: a new row takes
    its own Why, an edited row keeps its own unless its Why changed."""
    from accord.web.pages.eventform import EventForm

    text = THREE_MODIFIERS.replace("horizon: 24}", "horizon: 24, sources: [{id: src, title: A}]}")
    old = parse(text).scenario.event("talks_resume")
    shown = [(m.if_, m.multiply.describe(), m.multiply.assumption or "") for m in old.modifiers]
    rows = EventForm.modifiers_of(event_form_fields(
        [shown[0], ("", "", ""), (shown[2][0], "1.75", shown[2][2]),
         ("election", "3", "a third vote")], "guess"), old)
    mods = parse(step(text, lambda t: b.set_modifiers(t, "talks_resume", rows))
                 ).scenario.event("talks_resume").modifiers
    assert [(m.if_, m.multiply.value, m.multiply.assumption) for m in mods] == [
        ("election", 2, "campaigns"), ("not election", 1.75, "calm"),
        ("election", 3, "a third vote")]


OWN_PROVENANCE = HAND_WRITTEN.replace(  # ISSUE with a provenance of each number's own
    "horizon: 24}", "horizon: 24, sources: [{id: src, title: A}]}") + ISSUE.replace(
    "8, assumption: today", "8, assumption: hawkish").replace(
    "0.6, assumption: today", "0.6, evidence: [{source: src, quote: Q}]").replace(
    "1, assumption: today", "1, assumption: dovish").replace(
    "0.9, assumption: today", "0.9, assumption: cares")


def issue_form_fields(issue: Any, edits: dict[str, str], assumption: str) -> dict[str, Any]:
    """The issue form as the dialog holds it after the user typed `edits` (label → text)."""
    sc = issue.scale
    shown = {"Name": issue.name, "Lowest": f"{sc.min:g}", "Highest": f"{sc.max:g}",
             "Lowest means": sc.min_means, "Highest means": sc.max_means,
             "Status quo": issue.status_quo.describe(), "Assumption": assumption}
    for a, st in issue.positions.items():
        shown |= {f"{a} position": st.position.describe(), f"{a} salience": st.salience.describe()}
    return {label: SimpleNamespace(value=text) for label, text in (shown | edits).items()}


def provenance_of(issue: Any) -> dict[str, tuple]:
    numbers = {"status quo": issue.status_quo} | {
        f"{a} {k}": getattr(st, k) for a, st in issue.positions.items()
        for k in ("position", "salience")}
    return {k: (p.describe(), p.assumption, [(e.source, e.quote) for e in p.evidence])
            for k, p in numbers.items()}


@pytest.mark.parametrize(("edits", "assumption", "changed"), [
    ({"south salience": "0.8"}, "today", {"south salience": ("0.8", "cares", [])}),
    ({"north position": "7"}, "moved", {"north position": ("7", "moved", []),
                                        "status quo": ("2", "moved", [])}),
    ({}, "today", {}),
])
def test_an_issue_applied_keeps_each_numbers_own_provenance(edits, assumption, changed) -> None:
    """The form's Assumption shows the status quo's; it goes to the status quo and to the
    numbers the user changed, while every other position and salience keeps its own."""
    from accord.web.pages.itemforms import ItemForms

    old = parse(OWN_PROVENANCE).scenario.issues[0]
    assert len({repr(p[1:]) for p in provenance_of(old).values()}) == 5
    change = ItemForms.issue_change(issue_form_fields(old, edits, assumption), old,
                                    ["north", "south"])
    after = parse(step(OWN_PROVENANCE, change)).scenario.issues[0]
    assert provenance_of(after) == provenance_of(old) | changed
