"""The builder in a real browser: a scenario made from nothing in the dashboard's forms (by the
accessible names scripts rely on), saved, run, and its forecast checked against `accord forecast`
and `accord run` on the saved file.

Waits are on the state they need (Playwright's expect(), which retries until the page shows it):
the Save's "valid" without "unsaved changes" before the file is read, the run's "done in" before
its results are read, never a fixed pause."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from accord.report.console import pct
from accord.scenario import conditions
from accord.scenario.loader import load_scenario
from accord.scenario.overlay import apply_overlay
from accord.web import builder as b
from accord.web.yamledit import set_param

from .test_web_browser import (  # noqa: F401
    TREATY,
    browser,
    edit,
    open_scenario,
    page,
    question_p,
    server,
    shot,
    sync_api,
)
from .test_web_builder import HAND_WRITTEN, parse, step
from .test_web_builder_forms import ISSUE, MODIFIED, THREE_MODIFIERS

expect = sync_api.expect


def choose(pg, dialog, label: str, option: str) -> None:
    dialog.get_by_label(label).click()
    pg.get_by_role("option", name=option, exact=True).click()


def add(pg, button: str, fields: dict[str, str], choices: dict[str, str] | None = None) -> None:
    pg.get_by_role("button", name=button).click()
    dialog = pg.get_by_role("dialog")
    for label, option in (choices or {}).items():
        choose(pg, dialog, label, option)
    for label, value in fields.items():
        dialog.get_by_label(label, exact=True).fill(value)
    dialog.get_by_role("button", name="Add", exact=True).click()
    dialog.wait_for(state="hidden")


def cli(*args: str) -> Any:
    """An accord command's --json answer (the CLI as a user runs it, in its own process)."""
    out = subprocess.run(
        [sys.executable, "-c", "import sys; from accord.cli import main; main(sys.argv[1:])",
         *args, "--json"], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def recipe(settings: dict[str, Any]) -> list[str]:
    """The CLI options of a stored run's settings (paths, seed, draws)."""
    draws = ["--draws", str(settings["draws"])] if settings.get("draws") else []
    return ["--paths", str(settings["paths"]), "--seed", str(settings["seed"]), *draws]


def run_to_the_end(pg, paths: int) -> int:
    """Run from the Run tab of a page that has not run yet; wait for the run to end (its status
    "done in …", set when the job has finished and its results are drawn); its stored id."""
    pg.locator(".accord-tab-run").click()
    pg.locator(".accord-paths input").fill(str(paths))
    pg.locator(".accord-run").click()
    expect(pg.locator(".accord-run-status")).to_have_text(re.compile(r"^done in "),
                                                          timeout=180_000)
    summary = pg.locator(".accord-run-summary")
    expect(summary).to_have_text(re.compile(r"^run #\d+: "))
    return int(re.match(r"run #(\d+):", summary.inner_text()).group(1))


def new_scenario(pg, server, title: str, as_of: str, ref: str) -> None:  # noqa: F811
    """A blank scenario made with the scenarios page's New scenario dialog, opened."""
    pg.goto(server["base"] + "/")
    pg.get_by_role("button", name="New scenario").click()
    dialog = pg.get_by_role("dialog")
    dialog.get_by_label("Title").fill(title)
    dialog.get_by_label("As of").fill(as_of)
    dialog.get_by_role("button", name="Create").click()
    pg.wait_for_url(f"**/scenario?ref={ref}*")


def from_a_text(pg, base: str):  # -> a Playwright Locator
    """The scenarios page's New scenario dialog, set to start from a text."""
    pg.goto(base + "/")
    pg.get_by_role("button", name="New scenario").click()
    dialog = pg.get_by_role("dialog")
    dialog.get_by_role("radio", name="from a text").click()
    return dialog


def copy_of_builtin(pg, server, name: str) -> Path:  # noqa: F811
    """The workspace's copy of the built-in scenario as `name`, opened on its Structure tab."""
    f = server["ws"] / name
    f.write_text((server["ws"] / "edit-me.yaml").read_text())
    pg.goto(server["base"] + f"/scenario?ref={name}&tab=Structure")
    return f


def test_a_scenario_built_from_nothing_to_a_forecast(page, server, tmp_path) -> None:  # noqa: F811
    pg = page
    new_scenario(pg, server, "Harbour talks", "2026-01-01", "harbour-talks.yaml")
    expect(pg.locator(".accord-title")).to_have_text("Harbour talks")
    for name in ("North", "South"):
        add(pg, "Add actor", {"Name": name})
    add(pg, "Add event", {"Name": "Talks", "Probability": "U(0.05, 0.15)"},
        {"How it happens": "monthly chance"})  # a range: the run draws parameters
    add(pg, "Add event", {"Name": "Walkout", "Probability": "0.05"})
    add(pg, "Add event", {"Name": "Deal", "Probability": "0.4", "Requires": "talks"},
        {"How it happens": "one-time chance"})
    add(pg, "Add question", {"By": "2027-01-01", "Question": "A deal within a year?"},
        {"Event": "Deal"})
    pg.get_by_role("button", name="Edit walkout", exact=True).click()  # the condition builder
    dialog = pg.get_by_role("dialog")
    choose(pg, dialog, "All of", "Talks")  # the pickers show names, write ids
    pg.keyboard.press("Escape")  # closes the menu, not the dialog
    expect(dialog.get_by_label("Requires", exact=True)).to_have_value("talks")
    dialog.get_by_role("button", name="Apply").click()
    dialog.wait_for(state="hidden")
    shot(pg, "builder-structure")
    pg.get_by_role("button", name="Save", exact=True).click()
    expect(pg.locator(".accord-valid")).to_have_text("valid")  # saved: no "unsaved changes"
    saved = server["ws"] / "harbour-talks.yaml"
    s = load_scenario(saved, strict=True).scenario
    assert [a.name for a in s.actors] == ["North", "South"]
    assert [(e.id, e.kind, e.when) for e in s.events] == [
        ("talks", "hazard", ""), ("walkout", "hazard", "talks"), ("deal", "chance", "talks")]
    assert [(q.event, str(q.by)) for q in s.questions] == [("deal", "2027-01-01")]
    run_id = run_to_the_end(pg, 2000)
    stored = httpx.get(f"{server['base']}/api/runs/{run_id}", timeout=30).json()
    q = stored["results"]["forecast"]["questions"][0]
    db = ["--db", f"sqlite:///{tmp_path / 'ref.sqlite'}"]
    want = cli("forecast", str(saved), "--event", q["event"], "--by", q["by"],
               *recipe(stored["settings"]), *db)
    # the same engine on the same paths and seed: the very same number, not one within its s.e.
    assert q["probability"] == want["probability"]
    # 2027-01-01 falls a day into month 13, where the s.e. and band come from the spread of the
    # per-draw readings: `accord forecast` answers its question as the run answers its own
    assert q["at"] % 1 > 0 and stored["results"]["forecast"]["draws"] > 1
    assert (q["stderr"], q["band"]) == (want["stderr"], want["band"])
    card = pg.locator(f'.accord-question-card[data-question="{q["id"]}"] .accord-card-p')
    expect(card).to_have_text(pct(want["probability"]))
    assert question_p(pg, q["id"]) == pct(want["probability"])
    ran = cli("run", str(saved), *recipe(stored["settings"]), *db)
    assert [r["probability"] for r in ran["forecast"]["questions"]] == [want["probability"]]


def test_a_refused_event_shows_its_message_at_the_field(page, server) -> None:  # noqa: F811
    pg = page
    (server["ws"] / "refuse.yaml").write_text((server["ws"] / "edit-me.yaml").read_text())
    pg.goto(server["base"] + "/scenario?ref=refuse.yaml&tab=Structure")
    pg.get_by_role("button", name="Add event").click()
    dialog = pg.get_by_role("dialog")
    dialog.get_by_label("Name", exact=True).fill("Too likely")
    dialog.get_by_label("Probability", exact=True).fill("1.5")
    dialog.get_by_role("button", name="Add", exact=True).click()
    pg.wait_for_selector(".q-field--error")
    message = dialog.locator(".q-field--error").first
    assert "Probability" in message.inner_text()
    assert "looks like a percentage" in message.locator(".q-field__messages").inner_text()
    before = (server["ws"] / "refuse.yaml").read_text()
    dialog.get_by_role("button", name="Cancel").click()
    assert (server["ws"] / "refuse.yaml").read_text() == before


def test_rename_delete_and_undo_in_the_structure_tab(page, server) -> None:  # noqa: F811
    pg = page
    path = server["ws"] / "edit-structure.yaml"
    path.write_text((server["ws"] / "edit-me.yaml").read_text())
    before = load_scenario(path).scenario
    def named(e) -> set[str]:
        return conditions.events_referenced(e.condition)

    used = next(e for e in before.events if any(e.id in named(o) for o in before.events))
    pg.goto(server["base"] + "/scenario?ref=edit-structure.yaml&tab=Structure")
    pg.get_by_role("button", name=f"Delete {used.id}", exact=True).click()
    dialog = pg.get_by_role("dialog")
    dialog.locator(".accord-reference").first.wait_for()
    refs = dialog.locator(".accord-reference").all_inner_texts()
    assert refs and all(r.startswith(("events[", "questions[", "indicators[")) for r in refs)
    dialog.get_by_role("button", name="Cancel").click()
    pg.get_by_role("button", name=f"Rename {used.id}", exact=True).click()
    dialog = pg.get_by_role("dialog")
    dialog.get_by_label("New id").fill("renamed_event")
    dialog.get_by_role("button", name="Rename", exact=True).click()
    dialog.wait_for(state="hidden")
    pg.get_by_role("button", name="Save", exact=True).click()
    pg.wait_for_function("() => !document.body.innerText.includes('unsaved changes')")
    after = load_scenario(path).scenario
    assert "renamed_event" in after.event_ids and used.id not in after.event_ids
    assert [("renamed_event" in named(e)) for e in after.events] == [
        (used.id in named(e)) for e in before.events]
    pg.get_by_role("button", name="Undo").click()
    pg.get_by_role("button", name=f"Rename {used.id}", exact=True).wait_for()
    pg.get_by_role("button", name="Save", exact=True).click()
    pg.wait_for_function("() => !document.body.innerText.includes('unsaved changes')")
    assert load_scenario(path).scenario == before  # undone and saved: the scenario as it was


def test_new_scenario_from_a_text_uses_accord_draft(page, server) -> None:  # noqa: F811
    pg = page
    dialog = from_a_text(pg, server["base"])
    dialog.get_by_label("Title").fill("Drafted talks")
    dialog.get_by_label("Text", exact=True).fill(
        "Armenia and Azerbaijan resumed talks on 3 March 2026. Armenia's foreign minister said "
        "a peace treaty could be signed by the end of the year.")
    dialog.get_by_role("button", name="Review the draft").click()
    pg.wait_for_url("**/draft?key=*")  # reviewed there (tests/test_web_draft_review_browser.py)
    expect(pg.locator(".accord-review-title input")).to_have_value("Drafted talks")
    pg.locator(".accord-review-asof input").fill("2026-03-04")
    pg.locator(".accord-review-file input").fill("drafted-talks.yaml")
    pg.locator(".accord-review-create").click()
    pg.wait_for_url("**/scenario?ref=drafted-talks.yaml*")
    s = load_scenario(server["ws"] / "drafted-talks.yaml").scenario
    assert s.meta.title == "Drafted talks" and str(s.meta.as_of) == "2026-03-04"
    assert len(s.actors) >= 2


def fill(dialog, fields: dict[str, str]) -> None:
    for label, value in fields.items():
        dialog.get_by_label(label, exact=True).fill(value)


def structure(pg, srv: dict, name: str, text: str) -> Path:
    path = srv["ws"] / name
    path.write_text(text)
    pg.goto(srv["base"] + f"/scenario?ref={name}&tab=Structure")
    pg.wait_for_selector(".accord-structure-events")
    return path


def save(pg) -> None:
    pg.get_by_role("button", name="Save", exact=True).click()
    pg.wait_for_function("() => !document.body.innerText.includes('unsaved changes')")


def test_an_issue_and_its_positions_in_the_form(page, server) -> None:  # noqa: F811
    pg = page
    path = structure(pg, server, "issue-form.yaml", HAND_WRITTEN)
    pg.get_by_role("button", name="Add issue").click()
    dialog = pg.get_by_role("dialog")
    fill(dialog, {"Name": "Border", "Lowest": "0", "Highest": "10", "Lowest means": "closed",
                  "Highest means": "open", "Status quo": "2", "north position": "8",
                  "north salience": "1.5", "south position": "1", "south salience": "0.9",
                  "Assumption": "today"})
    dialog.get_by_role("button", name="Add", exact=True).click()
    error = dialog.locator(".q-field--error")
    error.first.wait_for()
    assert error.count() == 1 and "north salience" in error.inner_text()
    fill(dialog, {"north salience": "0.6"})
    dialog.get_by_role("button", name="Add", exact=True).click()
    dialog.wait_for(state="hidden")
    save(pg)
    assert load_scenario(path).scenario == parse(HAND_WRITTEN + ISSUE).scenario
    pg.get_by_role("button", name="Edit border", exact=True).click()
    dialog = pg.get_by_role("dialog")
    assert dialog.get_by_label("south salience", exact=True).input_value() == "0.9"
    fill(dialog, {"north position": "7"})
    dialog.get_by_role("button", name="Apply").click()
    dialog.wait_for(state="hidden")
    save(pg)
    north = load_scenario(path).scenario.issues[0].positions["north"].position
    assert (north.value, north.assumption) == (7, "today")  # its provenance kept


def test_a_saved_file_reloads_to_the_same_scenario(page, server) -> None:  # noqa: F811
    pg = page
    path = structure(pg, server, "reload.yaml", HAND_WRITTEN)
    pg.get_by_role("button", name="Edit talks_resume", exact=True).click()
    dialog = pg.get_by_role("dialog")
    dialog.get_by_role("button", name="Add modifier").click()
    fill(dialog, {"If 1": "election", "Multiply 1": "2", "Why 1": "campaigns"})
    choose(pg, dialog, "Cancels", "Deal signed")
    pg.keyboard.press("Escape")
    dialog.get_by_role("button", name="Apply").click()
    dialog.wait_for(state="hidden")
    pg.get_by_role("button", name="Edit north", exact=True).click()
    dialog = pg.get_by_role("dialog")
    fill(dialog, {"Aliases": "Northland, N"})
    dialog.get_by_role("button", name="Apply").click()
    dialog.wait_for(state="hidden")
    save(pg)
    want = parse(MODIFIED.replace(  # the modifier's own Why, not the event's assumption
        "name: North,", "name: North, aliases: [Northland, N],")).scenario
    assert load_scenario(path).scenario == want
    saved = path.read_text()
    pg.reload()
    pg.wait_for_selector(".accord-structure-events")
    assert "also Northland, N" in pg.locator(".accord-structure-actors").inner_text()
    pg.get_by_role("button", name="Edit talks_resume", exact=True).click()
    dialog = pg.get_by_role("dialog")
    assert dialog.get_by_label("If 1", exact=True).input_value() == "election"
    assert dialog.get_by_label("Multiply 1", exact=True).input_value() == "2"
    assert dialog.locator(".q-chip .q-chip__content").all_inner_texts() == ["Deal signed"]
    dialog.get_by_role("button", name="Apply").click()  # nothing changed: nothing to save
    dialog.wait_for(state="hidden")
    assert "unsaved changes" not in pg.locator(".accord-status").inner_text()
    assert path.read_text() == saved


def test_save_as_invalid_asks_and_the_list_shows_it_broken(page, server) -> None:  # noqa: F811
    pg = page
    path = server["ws"] / "broken-draft.yaml"
    path.write_text((server["ws"] / "edit-me.yaml").read_text())
    before = path.read_text()
    open_scenario(pg, server["base"], "broken-draft.yaml")
    edit(pg, TREATY, "1.5")
    pg.wait_for_selector(".accord-invalid")
    pg.get_by_role("button", name="Save", exact=True).click()
    pg.wait_for_selector("text=Not saved: fix the problems first.")
    assert path.read_text() == before
    pg.get_by_role("button", name="Save as invalid").click()
    pg.get_by_role("dialog").get_by_role("button", name="Cancel").click()
    assert path.read_text() == before
    pg.get_by_role("button", name="Save as invalid").click()
    pg.get_by_role("dialog").get_by_role("button", name="Save anyway").click()
    pg.wait_for_selector("text=Saved broken-draft.yaml as invalid")
    assert path.read_text() == set_param(before, "x", TREATY, "1.5")
    pg.goto(server["base"] + "/")
    row = pg.locator(".accord-scenarios tr", has_text="broken-draft.yaml")
    assert "hazards are monthly probabilities between 0 and 1" in row.inner_text()


def test_removing_a_middle_modifier_keeps_each_others_provenance(page, server) -> None:  # noqa: F811
    pg = page
    path = structure(pg, server, "three-modifiers.yaml", THREE_MODIFIERS.replace(
        "horizon: 24}", "horizon: 24, sources: [{id: src, title: A}]}"))
    before = load_scenario(path).scenario.event("talks_resume")
    pg.get_by_role("button", name="Edit talks_resume", exact=True).click()
    dialog = pg.get_by_role("dialog")
    dialog.get_by_role("button", name="Remove modifier 2", exact=True).click()
    expect(dialog.get_by_label("If 2", exact=True)).to_be_hidden()
    fill(dialog, {"Multiply 3": "lots"})  # the file's second modifier, the form's row 3
    dialog.get_by_role("button", name="Apply").click()
    third = dialog.locator(".q-field", has=pg.get_by_label("Multiply 3", exact=True))
    expect(third).to_have_class(re.compile(r"q-field--error"))
    assert dialog.locator(".q-field--error").count() == 1
    fill(dialog, {"Multiply 3": before.modifiers[2].multiply.describe()})
    dialog.get_by_role("button", name="Apply").click()
    dialog.wait_for(state="hidden")
    save(pg)
    after = load_scenario(path).scenario.event("talks_resume")
    assert after.modifiers == [before.modifiers[0], before.modifiers[2]]


FORM_OVERLAY = ("overlay: {id: faster-talks, title: Faster talks}\nevents:\n"
                "  - id: talks_resume\n    hazard: {value: 0.3, assumption: a push}\n"
                "  - id: deal_signed\n    when: talks_resume\n")


def edit_id(pg, item: str, new: str, fields: dict[str, str] | None = None) -> None:
    """Give an item a new id (and other `fields`) in its edit form."""
    pg.get_by_role("button", name=f"Edit {item}", exact=True).click()
    dialog = pg.get_by_role("dialog")
    fill(dialog, {"Id": new, **(fields or {})})
    dialog.get_by_role("button", name="Apply").click()
    dialog.wait_for(state="hidden")
    expect(pg.get_by_role("button", name=f"Edit {new}", exact=True)).to_be_visible()


def test_a_new_id_in_the_edit_form_renames_like_the_rename_dialog(page, server) -> None:  # noqa: F811
    pg = page
    overlay = server["ws"] / "faster-talks.yaml"
    overlay.write_text(FORM_OVERLAY)
    path = structure(pg, server, "id-in-form.yaml", MODIFIED + ISSUE)
    # the same renames through the builder's rename (the Rename dialog's), for reference
    want = MODIFIED + ISSUE
    for section, old, new in (("events", "talks_resume", "talks"), ("actors", "north", "nord"),
                              ("questions", "deal_q", "deal_2027")):
        want = step(want, lambda t, a=(section, old, new): b.rename(t, *a))
    edit_id(pg, "talks_resume", "talks", {"Name": "Talks"})  # with another change
    edit_id(pg, "north", "nord")
    edit_id(pg, "deal_q", "deal_2027")
    save(pg)
    got = load_scenario(path).scenario
    assert got == parse(want.replace("name: Talks resume", "name: Talks")).scenario
    assert got.event("deal_signed").when == "talks and not election"
    assert got.event("talks").effects.cancels == ["deal_signed"]
    assert list(got.issues[0].positions) == ["nord", "south"]
    assert overlay.read_text() == FORM_OVERLAY.replace("talks_resume", "talks")  # in overlays too
    merged = apply_overlay(load_scenario(path), str(overlay)).scenario
    assert merged.event("talks").hazard.value == 0.3
    pg.get_by_role("button", name="Edit nord", exact=True).click()
    dialog = pg.get_by_role("dialog")
    fill(dialog, {"Id": "south"})
    dialog.get_by_role("button", name="Apply").click()
    expect(dialog.locator(".q-field--error")).to_contain_text("an actor with id 'south' exists")
    dialog.get_by_role("button", name="Cancel").click()
    assert load_scenario(path).scenario == got  # refused: nothing changed


FIT_JS = """(graph) => {
  const svg = document.querySelector(graph + ' .main-svg');
  const box = svg.closest(graph).parentElement.parentElement;
  return {page: document.documentElement.scrollWidth, window: window.innerWidth,
          svg: svg.getBoundingClientRect().width, box: box.clientWidth, inside: box.scrollWidth};
}"""


@pytest.mark.parametrize("tab", ["Structure", "Overview"])
@pytest.mark.parametrize(("name", "fits"), [("phone-small.yaml", True),
                                            ("phone-large.yaml", False)])
def test_the_event_graph_on_a_phone_never_scrolls_the_page(browser, server, name: str,  # noqa: F811
                                                           fits: bool, tab: str) -> None:
    """390 px, the builder's preview and the Overview: a graph whose drawing fits is fitted to
    its box (all of it seen); a wider one (the built-in scenario's) scrolls inside its box; the
    page itself never scrolls sideways."""
    text = HAND_WRITTEN if fits else (server["ws"] / "edit-me.yaml").read_text()
    (server["ws"] / name).write_text(text)
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                              has_touch=True)
    graph = ".accord-preview-graph" if tab == "Structure" else ".accord-graph"
    try:
        pg = ctx.new_page()
        pg.route("**/*", lambda r: r.continue_() if r.request.url.startswith(server["base"])
                 else r.abort())
        pg.goto(server["base"] + f"/scenario?ref={name}&tab={tab}")
        if tab == "Structure":
            pg.get_by_role("button", name="Preview", exact=True).click()
        expect(pg.locator(f"{graph} .main-svg").first).to_be_visible(timeout=120_000)
        m = pg.evaluate(FIT_JS, graph)
        assert m["page"] <= m["window"] == 390
        assert (m["svg"] <= m["box"] == m["inside"]) if fits else (m["inside"] > m["box"])
    finally:
        ctx.close()
