"""The builder starts an event's rate from history: the event form offers the reference classes
with their rates, and the saved file holds the chosen class (in a real browser)."""

from __future__ import annotations

from accord.baserate.tables import choice_label
from accord.scenario.loader import load_scenario

from .test_web_browser import browser, page, server, sync_api  # noqa: F401
from .test_web_builder_browser import choose, copy_of_builtin

expect = sync_api.expect


def test_an_event_takes_its_rate_from_a_reference_class(page, server) -> None:  # noqa: F811
    pg = page
    f = copy_of_builtin(pg, server, "history.yaml")
    pg.get_by_role("button", name="Add event").click()
    dialog = pg.get_by_role("dialog")
    dialog.get_by_label("Name", exact=True).fill("The deal breaks down")
    label = choice_label("ucdp.agreement_ends")
    assert "within 12 months" in label and "n = " in label
    choose(pg, dialog, "Rate from history", label)
    expect(dialog.get_by_label("Probability", exact=True)).to_be_hidden()
    dialog.get_by_role("button", name="Add", exact=True).click()
    dialog.wait_for(state="hidden")
    pg.get_by_role("button", name="Save", exact=True).click()
    expect(pg.locator(".accord-valid")).to_have_text("valid")
    s = load_scenario(f, strict=False).scenario
    ev = s.events[-1]
    assert ev.name == "The deal breaks down" and ev.kind == "hazard"
    assert ev.reference is not None and ev.reference.class_ == "ucdp.agreement_ends"
    assert ev.hazard is None
    # a share class makes the event a one-time chance
    pg.get_by_role("button", name="Add event").click()
    dialog = pg.get_by_role("dialog")
    dialog.get_by_label("Name", exact=True).fill("The crisis ends in an agreement")
    choose(pg, dialog, "Rate from history", choice_label("icb.crisis_agreement"))
    expect(dialog.get_by_role("combobox", name="How it happens")).to_have_value(
        "one-time chance")
    dialog.get_by_role("button", name="Add", exact=True).click()
    dialog.wait_for(state="hidden")
    pg.get_by_role("button", name="Save", exact=True).click()
    expect(pg.locator(".accord-valid")).to_have_text("valid")
    ev = load_scenario(f, strict=False).scenario.events[-1]
    assert ev.kind == "chance" and ev.reference.class_ == "icb.crisis_agreement"
