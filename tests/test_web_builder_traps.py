"""The builder's traps a new user fell into (issue 29), each reproduced: ids made from names,
a percentage typed as a probability, messages in the file's words instead of the form's."""

from __future__ import annotations

import pytest

from accord.errors import UserError
from accord.scenario import conditions
from accord.scenario.ids import MAX_ID, readable_id
from accord.web import items

from .test_web_browser import browser, page, server, sync_api  # noqa: F401
from .test_web_builder_browser import copy_of_builtin, new_scenario

expect = sync_api.expect


@pytest.mark.parametrize("name, want", [
    ("Association of Serb-majority Municipalities (ASM)", "asm"),
    ("Vučić", "vucic"),
    ("Владимир Путин", "vladimir_putin"),
    ("Talks resume", "talks_resume"),
    ("The European Union and the Republic of Serbia sign the Stabilisation agreement",
     "european_union_republic_serbia"),
])
def test_ids_from_names_are_short_readable_and_transliterated(name: str, want: str) -> None:
    got = readable_id(name)
    assert got == want and len(got) <= MAX_ID
    assert conditions.parse(got) == conditions.Occurred(got)


def test_a_percentage_in_a_form_gets_the_yaml_advice() -> None:
    with pytest.raises(UserError) as exc:
        items.event_item("Deal", "monthly chance", "60%")
    assert "write 60% as 0.6" in str(exc.value) and "unknown key" not in str(exc.value)
    with pytest.raises(UserError) as exc:
        items.actor_item("North", "60%")
    assert "without '%'" in str(exc.value)


def _event_form(pg, server, name: str) -> object:  # noqa: F811
    copy_of_builtin(pg, server, name)
    pg.get_by_role("button", name="Add event").click()
    return pg.get_by_role("dialog")


def test_a_percentage_probability_is_refused_at_the_field(page, server) -> None:  # noqa: F811
    dialog = _event_form(page, server, "percent.yaml")
    dialog.get_by_label("Name", exact=True).fill("Deal")
    dialog.get_by_label("Probability", exact=True).fill("60%")
    dialog.get_by_role("button", name="Add", exact=True).click()
    field = dialog.locator(".q-field--error").first
    expect(field).to_contain_text("write 60% as 0.6")


def test_a_modifier_on_a_one_time_chance_is_refused_in_the_forms_words(page, server) -> None:  # noqa: F811
    pg = page
    dialog = _event_form(pg, server, "words.yaml")
    dialog.get_by_label("Name", exact=True).fill("Deal")
    dialog.get_by_label("How it happens").click()
    pg.get_by_role("option", name="one-time chance", exact=True).click()
    dialog.get_by_label("Probability", exact=True).fill("0.3")
    dialog.get_by_role("button", name="Add modifier").click()
    dialog.get_by_label("If 1", exact=True).fill("talks")
    dialog.get_by_label("Multiply 1", exact=True).fill("2")
    dialog.get_by_role("button", name="Add", exact=True).click()
    expect(dialog).to_contain_text("a monthly chance or a repeatable event only")
    assert "hazard" not in dialog.inner_text()


def test_the_saved_file_holds_what_the_form_holds(page, server) -> None:  # noqa: F811
    """An event's Assumption once landed on each of its modifiers too, and a dated event's
    typed assumption was dropped: each number now keeps the provenance typed beside it, and a
    dated event (which has no number) shows no provenance fields to lose."""
    from accord.scenario.loader import load_scenario

    pg = page
    dialog = _event_form(pg, server, "holds.yaml")
    dialog.get_by_label("Name", exact=True).fill("Deal")
    dialog.get_by_label("Probability", exact=True).fill("U(0.02, 0.05)")
    dialog.get_by_label("Assumption", exact=True).fill("slow talks")
    dialog.get_by_role("button", name="Add modifier").click()
    dialog.get_by_label("If 1", exact=True).fill("us_russia_deal")
    dialog.get_by_label("Multiply 1", exact=True).fill("2")
    dialog.get_by_label("Why 1", exact=True).fill("talks double it")
    dialog.get_by_role("button", name="Add", exact=True).click()
    dialog.wait_for(state="hidden")
    pg.get_by_role("button", name="Add event").click()
    dialog = pg.get_by_role("dialog")
    dialog.get_by_label("How it happens").click()
    pg.get_by_role("option", name="on a date", exact=True).click()
    expect(dialog.get_by_label("Assumption", exact=True)).to_be_hidden()
    pg.keyboard.press("Escape")
    pg.get_by_role("button", name="Save", exact=True).click()
    expect(pg.locator(".accord-valid")).to_have_text("valid")
    ev = load_scenario(server["ws"] / "holds.yaml", strict=False).scenario.event("deal")
    assert (ev.hazard.low, ev.hazard.high, ev.hazard.assumption) == (0.02, 0.05, "slow talks")
    [mod] = ev.modifiers
    assert (mod.if_, mod.multiply.value, mod.multiply.assumption) == (
        "us_russia_deal", 2, "talks double it")


def test_an_actor_added_twice_is_refused_with_a_way_to_the_first(page, server) -> None:  # noqa: F811
    pg = page
    f = copy_of_builtin(pg, server, "twice.yaml")
    pg.get_by_role("button", name="Add actor").click()
    dialog = pg.get_by_role("dialog")
    dialog.get_by_label("Name", exact=True).fill("armenia")  # the built-in's Armenia, any case
    dialog.get_by_role("button", name="Add", exact=True).click()
    expect(dialog.locator(".q-field--error").first).to_contain_text("already an actor")
    dialog.get_by_role("button", name="Open armenia").click()
    expect(pg.get_by_role("dialog").last).to_contain_text("Edit armenia")
    assert "armenia_2" not in f.read_text()


def test_a_new_blank_scenario_starts_by_saying_what_to_add(page, server) -> None:  # noqa: F811
    """It opened in red with "Save as invalid": empty is where every scenario starts."""
    pg = page
    new_scenario(pg, server, "Blank start", "2026-02-01", "blank-start.yaml")
    expect(pg.locator(".accord-start-hint")).to_contain_text("Add an actor first")
    assert pg.locator(".accord-invalid").count() == 0
    assert pg.get_by_role("button", name="Save as invalid").count() == 0
    pg.get_by_role("button", name="Add actor").click()
    dialog = pg.get_by_role("dialog")
    dialog.get_by_label("Name", exact=True).fill("North")
    dialog.get_by_role("button", name="Add", exact=True).click()
    dialog.wait_for(state="hidden")
    expect(pg.locator(".accord-start-hint")).to_have_count(0)


def test_the_preview_survives_many_additions_without_a_browser_error(page, server) -> None:  # noqa: F811
    """The Overview's event graph, drawn into its tab while the page opened on Structure, was
    updated in the browser before it existed: a TypeError ("reading 'update'") that also
    skipped the preview's own chart updates, so the preview went blank."""
    pg = page
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    (server["ws"] / "many.yaml").write_text(
        "meta: {id: many, title: Many, as_of: 2026-01-01, horizon: 12}\n"
        "actors: [{id: a, name: A, capability: {value: 1, assumption: one}}]\n"
        "events:\n  - {id: talks, name: Talks, hazard: {value: 0.1, assumption: x}}\n"
        "  - {id: deal, name: Deal, when: talks, hazard: {value: 0.1, assumption: x}}\n"
        "questions: []\n")
    pg.goto(server["base"] + "/scenario?ref=many.yaml&tab=Structure")
    for k in range(16):
        pg.get_by_role("button", name="Add event").click()
        dialog = pg.get_by_role("dialog")
        dialog.get_by_label("Name", exact=True).fill(f"Event number {k}")
        dialog.get_by_label("Probability", exact=True).fill("0.05")
        dialog.get_by_role("button", name="Add", exact=True).click()
        dialog.wait_for(state="hidden")
    expect(pg.locator(".accord-preview-status")).to_contain_text("a quick look",
                                                                 timeout=60_000)
    expect(pg.locator(".accord-preview-graph")).to_have_count(1)
    pg.locator(".accord-tab-overview").click()
    expect(pg.locator(".accord-graph")).to_have_count(1)
    assert not [e for e in errors if "reading 'update'" in e], errors
