"""New scenario → from a text, in a real browser (issue 29): the text shown with each proposed
actor, event, link and number marked on its sentence; As of from the text's own date; elements
renamed and dropped; problems at their fields; the scenario created, opened in the builder,
with the draft's review list on its Overview and Structure tabs, and its file holding exactly
what was reviewed."""

from __future__ import annotations

import re

from accord.scenario import conditions
from accord.scenario.checks import UNVERIFIED
from accord.scenario.loader import load_scenario
from accord.web.drafting import Pending
from accord.web.draftreview import elements
from accord.web.yamledit import load_tree

from .shared_paths import REPO
from .test_web_browser import browser, page, server, shot, sync_api  # noqa: F401
from .test_web_builder_browser import from_a_text

expect = sync_api.expect
TEXT = (REPO / "tests" / "data" / "draft" / "serbia_kosovo.txt").read_text()
AS_OF = "2026-05-05"  # the text's dateline


def proposed() -> list:
    """What the page proposes, as the drafter drafts the same text (deterministic)."""
    pending = Pending(text=TEXT).drafted()
    return elements(load_tree(pending.yaml, "d"), [s.text for s in pending.sentences])


def open_review(pg, base: str) -> None:
    dialog = from_a_text(pg, base)
    expect(dialog.get_by_label("As of")).to_be_hidden()  # the text's own date, not today's
    dialog.get_by_label("Text", exact=True).fill(TEXT)
    dialog.get_by_role("button", name="Review the draft").click()
    pg.wait_for_url("**/draft?key=*")


def test_a_text_reviewed_then_created(page, server) -> None:  # noqa: F811
    pg, found = page, proposed()
    open_review(pg, server["base"])
    expect(pg.locator(".accord-review-asof input")).to_have_value(AS_OF)
    text = pg.locator(".accord-draft-text")
    assert pg.locator(".accord-mark").count() >= 3
    assert text.locator(".accord-mark-actor").count() >= len([e for e in found
                                                             if e.kind == "actor"])
    kinds = {e.kind for e in found}
    assert {"actor", "event", "link"} <= kinds
    tags_in_text = set(text.locator(".accord-tag").all_inner_texts())
    events = [e for e in found if e.kind == "event"]
    links = [e for e in found if e.kind == "link"]
    assert {f"E{k + 1}" for k in range(len(events))} <= tags_in_text  # each on its sentence
    assert {f"L{k + 1}" for k in range(len(links))} <= tags_in_text

    # problems at their fields: a date that is not one, a file that exists
    asof = pg.locator(".accord-review-asof")
    asof.locator("input").fill("2026-13-01")
    asof.locator("input").press("Enter")
    expect(asof).to_contain_text("write the date as YYYY-MM-DD")
    asof.locator("input").fill(AS_OF)
    asof.locator("input").press("Enter")
    expect(asof).not_to_contain_text("write the date")
    horizon = pg.locator(".accord-review-horizon input")  # drafted again: questions to 2029
    horizon.fill("36")
    horizon.press("Enter")
    expect(pg.locator(".accord-review-list")).to_contain_text("by 2029-05-05")
    pg.locator(".accord-review-file input").fill("edit-me.yaml")
    pg.locator(".accord-review-create").click()
    expect(pg.locator(".accord-review-file")).to_contain_text("already exists")

    # rename the first event, drop the second (and so what names it) and the last actor
    first, second = events[0], events[1]
    actor = [e for e in found if e.kind == "actor"][-1]
    pg.get_by_label(f"Name of {first.label}").fill("Belgrade takes further steps")
    on = text.locator(".accord-tag", has_text="E2").count()  # each sentence E2 quotes
    assert on >= 1
    pg.get_by_role("button", name="Drop E2", exact=True).click()
    expect(pg.get_by_role("button", name="Keep E2", exact=True)).to_be_visible()
    expect(text.locator(".accord-tag.accord-dropped", has_text="E2")).to_have_count(on)
    a_tag = f"A{[e for e in found if e.kind == 'actor'].index(actor) + 1}"
    pg.get_by_role("button", name=f"Drop {a_tag}", exact=True).click()
    shot(pg, "draft-review")
    pg.locator(".accord-review-file input").fill("kosovo-review.yaml")
    pg.locator(".accord-review-create").click()
    pg.wait_for_url("**/scenario?ref=kosovo-review.yaml*")

    saved = load_scenario(server["ws"] / "kosovo-review.yaml", strict=True)
    s = saved.scenario
    assert str(s.meta.as_of) == AS_OF and s.meta.horizon == 36
    assert s.event(first.item).name == "Belgrade takes further steps"
    assert second.item not in s.event_ids
    named = [x for e in s.events for x in (
        conditions.events_referenced(e.condition) | {m.if_ for m in e.modifiers})]
    assert second.item not in " ".join(named)
    assert all(q.event != second.item for q in s.questions)
    assert actor.item not in [a.id for a in s.actors]
    assert not [w for w in saved.warnings if UNVERIFIED in str(w)]  # the text is beside it
    assert (server["ws"] / "kosovo-review.txt").read_text() == TEXT

    # the review list, within reach on the Structure and Overview tabs
    panel = pg.locator(".accord-draft-review-structure")
    panel.click()
    expect(panel).to_contain_text("reviewed in the dashboard: dropped")
    expect(panel).to_contain_text(f"E2 {second.label}")
    expect(panel).to_contain_text(f"{first.label} → Belgrade takes further steps")
    expect(panel).not_to_contain_text(f"when {second.item}")  # nothing left to check of it
    shot(pg, "draft-created-structure")
    expect(panel).to_contain_text(re.compile(r"as_of 2026-05-05"))
    pg.locator(".accord-tab-overview").click()
    overview = pg.locator(".accord-draft-review-overview")
    overview.click()
    expect(overview).to_contain_text("check")


def test_a_text_uploaded_or_one_with_nothing_to_draft(page, server) -> None:  # noqa: F811
    pg = page
    dialog = from_a_text(pg, server["base"])
    dialog.locator(".accord-new-upload input[type=file]").set_input_files(
        str(REPO / "tests" / "data" / "draft" / "serbia_kosovo.txt"))
    expect(dialog.get_by_label("Text", exact=True)).to_have_value(TEXT)
    dialog.get_by_label("Text", exact=True).fill("The weather was fine all week.")
    dialog.get_by_role("button", name="Review the draft").click()
    expect(dialog.locator(".accord-new-text")).to_contain_text("nothing to draft")
