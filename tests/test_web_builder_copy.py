"""Issue 18's promise for a person who edits in forms: open the built-in scenario, change one
number in its form (the Numbers tab: a built-in scenario's structure is read-only until
copied), save a copy, and the copy's YAML differs from the original by that line alone (and
the copy's own id): comments, key order and layout are kept."""

from __future__ import annotations

import difflib

from accord.scenario.loader import DEFAULT_SCENARIO, builtin_text, load_scenario

from .test_web_browser import browser, edit, page, server, sync_api  # noqa: F401

expect = sync_api.expect


def test_one_number_changed_in_the_form_saves_a_copy_one_line_apart(page, server) -> None:  # noqa: F811
    pg = page
    original = builtin_text(DEFAULT_SCENARIO)
    before = load_scenario(DEFAULT_SCENARIO).scenario.event("us_russia_deal").hazard
    assert (before.low, before.high) == (0.01, 0.05)
    k = load_scenario(DEFAULT_SCENARIO).scenario.event_ids.index("us_russia_deal")
    pg.goto(server["base"] + f"/scenario?ref={DEFAULT_SCENARIO}")
    pg.wait_for_selector(".accord-actors")
    edit(pg, f"events[{k}].hazard", "U(0.01, 0.06)")
    expect(pg.locator(".accord-valid")).to_contain_text("unsaved changes")
    pg.locator(".accord-saveas").click()
    pg.locator(".accord-saveas-name input").fill("russia-deal-copy")
    pg.locator(".accord-saveas-ok").click()
    pg.wait_for_url("**/scenario?ref=russia-deal-copy.yaml")
    saved = (server["ws"] / "russia-deal-copy.yaml").read_text()
    changed = [d for d in difflib.unified_diff(original.splitlines(), saved.splitlines(),
                                               lineterm="", n=0)
               if d[:1] in "+-" and not d.startswith(("+++", "---"))]
    removed = [d[1:] for d in changed if d.startswith("-")]
    added = [d[1:] for d in changed if d.startswith("+")]
    ids = [(r, a) for r, a in zip(removed, added, strict=True) if r.strip().startswith("id: ")]
    numbers = [(r, a) for r, a in zip(removed, added, strict=True) if (r, a) not in ids]
    assert len(ids) == 1 and ids[0][1].strip() == "id: russia-deal-copy", changed  # its own id
    assert numbers == [(numbers[0][0], numbers[0][0].replace("0.05", "0.06"))], changed
    after = load_scenario(server["ws"] / "russia-deal-copy.yaml").scenario.event(
        "us_russia_deal").hazard
    assert (after.low, after.high, after.evidence, after.assumption) == (
        0.01, 0.06, before.evidence, before.assumption)
