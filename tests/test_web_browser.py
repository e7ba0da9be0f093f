"""The dashboard in a real browser: Playwright driving Debian's Chromium, nothing beyond loopback.

Screenshots go to a temporary folder (ACCORD_SHOTS to choose one), never to the tracked
docs/screenshots/: `make screenshots` regenerates those.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("nicegui")
sync_api = pytest.importorskip("playwright.sync_api")
if not Path("/usr/bin/chromium").exists() and not shutil.which("chromium"):
    pytest.skip("chromium is not installed", allow_module_level=True)

from accord.errors import UserError  # noqa: E402
from accord.scenario.loader import DEFAULT_SCENARIO, builtin_text, parse_scenario  # noqa: E402
from accord.web.yamledit import set_param  # noqa: E402

from .test_web_api import start_server  # noqa: E402

CHROMIUM = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else shutil.which("chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
SHOTS = Path(os.environ.get("ACCORD_SHOTS") or tempfile.mkdtemp(prefix="accord-shots-"))
_IDS = parse_scenario(builtin_text(DEFAULT_SCENARIO), "b").scenario.event_ids
TREATY = f"events[{_IDS.index('treaty_signed')}].hazard"  # treaty_signed's monthly hazard
CURVE_JS = """() => {
  const el = document.querySelector('.accord-curves');
  return el.data.filter(t => t.meta && t.meta.role === 'curve')
                .map(t => [t.meta.event, t.y]);
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    root = tmp_path_factory.mktemp("web-browser")
    ws, home = root / "ws", root / "home"
    ws.mkdir()
    home.mkdir()
    (ws / "edit-me.yaml").write_text(builtin_text(DEFAULT_SCENARIO), encoding="utf-8")
    db = f"sqlite:///{home / 'runs.sqlite'}"
    proc, base = start_server(ws, home, "--db", db, "--max-runs", "2")
    try:
        yield {"base": base, "ws": ws, "db": db}
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server) -> Iterator[object]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    pg = ctx.new_page()
    left: list[str] = []

    def only_loopback(route) -> None:
        url = route.request.url
        if url.startswith(server["base"]) or url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            left.append(url)
            route.abort()

    pg.route("**/*", only_loopback)
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.set_default_timeout(30_000)
    yield pg
    ctx.close()
    assert not left, f"requests that left loopback: {left}"
    assert not errors, errors


def shot(pg, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def open_scenario(pg, base: str, ref: str) -> None:
    pg.goto(f"{base}/scenario?ref={ref}")
    pg.wait_for_selector(".accord-actors")


def edit(pg, field: str, value: str) -> None:
    box = pg.locator(f'input[data-field="{field}"]')
    if not box.count():
        pg.locator(".accord-tab-numbers").click()
    box.fill(value)


def run(pg, paths: int = 2000) -> tuple[dict[str, list[float]], str]:
    """Run from the Run tab and wait for this very run's results (the next stored run id)."""
    import httpx

    base = pg.url.split("/scenario")[0]
    newest = httpx.get(f"{base}/api/runs?limit=1", timeout=30).json()
    expect = f"run #{(newest[0]['id'] if newest else 0) + 1}:"
    pg.locator(".accord-tab-run").click()
    pg.locator(".accord-paths input").fill(str(paths))
    pg.locator(".accord-run").click()
    pg.wait_for_function(
        "(b) => { const s = document.querySelector('.accord-run-summary');"
        " const c = document.querySelector('.accord-curves');"
        " const f = document.querySelector('.accord-fans');"
        " return s && s.innerText.startsWith(b) && c && c.data && f && f.data; }",
        arg=expect,
        timeout=60_000,
    )
    curves = dict(pg.evaluate(CURVE_JS))
    return curves, pg.locator(".accord-run-summary").inner_text()


FANS_JS = """() => document.querySelector('.accord-results .accord-fans').data
  .filter(t => t.meta && t.meta.role === 'fan').map(t => [t.meta.question, t.meta.event])"""


def question_p(pg, qid: str) -> str:
    row = pg.locator(".accord-questions tr", has_text=qid).first
    return row.locator("td").nth(4).inner_text()


def test_scenario_list(page, server) -> None:
    page.goto(server["base"] + "/")
    page.wait_for_selector(".accord-scenarios")
    table = page.locator(".accord-scenarios").inner_text()
    assert "Armenia–Azerbaijan peace process (April 2025)" in table
    assert "edit-me.yaml" in table and "2025-04-03" in table
    shot(page, "scenarios")


def test_evidence_quote(page, server) -> None:
    open_scenario(page, server["base"], DEFAULT_SCENARIO)
    page.wait_for_selector(".accord-graph .main-svg")
    graph = page.evaluate("() => document.querySelector('.accord-graph').layout.annotations.length")
    assert graph > 10  # preconditions drawn as arrows
    shot(page, "scenario")
    page.locator(f'.accord-param[data-field="{TREATY}"]').first.click()
    dialog = page.locator(".accord-evidence")
    dialog.wait_for()
    text = dialog.inner_text()
    assert "“there is little urgency for Azerbaijan”" in text
    assert "Olesya Vartanyan" in text and "Carnegie" in text
    page.keyboard.press("Escape")
    # a number with only an assumption shows it
    page.locator('.accord-param[data-field="issues[0].positions.turkey.salience"]').first.click()
    shown = page.locator(".accord-evidence").last.inner_text()
    assert "Assumption: not Turkey's own demand" in shown


def test_change_a_hazard_run_and_see_the_change(page, server) -> None:
    open_scenario(page, server["base"], DEFAULT_SCENARIO)
    base_curves, s1 = run(page)
    p_before = question_p(page, "treaty_2026")
    edit(page, TREATY, "U(0.6, 0.9)")
    page.wait_for_selector(".accord-valid:has-text('unsaved changes')")
    new_curves, s2 = run(page)
    assert s1 != s2
    assert new_curves["treaty_signed"][-1] > base_curves["treaty_signed"][-1] + 0.02
    deal = base_curves["us_russia_deal"]
    assert new_curves["us_russia_deal"] == pytest.approx(deal, abs=0.05)
    p_after = question_p(page, "treaty_2026")
    assert float(p_after.rstrip("%")) > float(p_before.rstrip("%"))
    fans = page.evaluate(FANS_JS)
    assert [q for q, _ in fans] == [q.id for q in
                                    parse_scenario(builtin_text(DEFAULT_SCENARIO),
                                                   DEFAULT_SCENARIO).scenario.questions]
    cards = page.locator(".accord-results .accord-question-card")
    assert cards.count() == len(fans)
    # the draft's text differs from the first run's: no "since the previous run" between them
    assert all("since the previous run" not in c for c in cards.all_inner_texts())
    page.locator(".accord-fans").scroll_into_view_if_needed()
    shot(page, "run")
    page.locator(".accord-results").get_by_text("Questions as a table").click()
    with page.expect_download() as dl:
        page.locator(".accord-csv-questions-run-" + s2.split(":")[0].split("#")[1]).click()
    assert "treaty_2026" in Path(dl.value.path()).read_text()
    with page.expect_download() as dl:
        page.locator(".accord-svg").first.click()
    assert Path(dl.value.path()).read_text().lstrip().startswith("<svg")


def test_why_panel_explains_a_question(page, server) -> None:
    from accord.analysis.explain import explain_question
    from accord.analysis.recipe import RunSettings
    from accord.web.pages.why import WHY_PATHS

    open_scenario(page, server["base"], DEFAULT_SCENARIO)
    page.locator(".accord-why-go").click()
    page.wait_for_selector(".accord-why-result .accord-blocker", timeout=60_000)
    s = parse_scenario(builtin_text(DEFAULT_SCENARIO), DEFAULT_SCENARIO).scenario
    first = s.questions[0].id
    want = explain_question(s, RunSettings(paths=WHY_PATHS), first)
    rows = page.locator(".accord-why-result .accord-blocker").all_inner_texts()
    top = [b for b in want.blockers if b.share >= 0.0005]
    assert rows[0].split()[0] == f"{100 * top[0].share:.1f}%"  # the same paths as the engine
    assert top[0].what in rows[0]
    assert f"{100 * want.probability:.1f}%" in page.locator(".accord-why-summary").inner_text()


def test_watch_panel_lists_what_would_move_a_question(page, server) -> None:
    from accord.analysis.run import RunSettings
    from accord.analysis.watch import WatchSettings, watch
    from accord.web.pages.why import WHY_PATHS

    open_scenario(page, server["base"], DEFAULT_SCENARIO)
    page.get_by_role("button", name="What to watch").click()
    page.wait_for_selector(".accord-watch-result .accord-watch-sentences", timeout=60_000)
    s = parse_scenario(builtin_text(DEFAULT_SCENARIO), DEFAULT_SCENARIO).scenario
    (want,) = watch(s, RunSettings(paths=WHY_PATHS), WatchSettings(s.questions[0].id))
    lines = page.locator(".accord-watch-sentences").inner_text()
    assert want.watch[0].sentence(want.question, want.probability) in lines  # the engine's
    shot(page, "watch")


def test_a_run_conditioned_on_observations_shows_its_posterior(page, server) -> None:
    open_scenario(page, server["base"], DEFAULT_SCENARIO)
    page.locator(".accord-tab-run").click()
    page.locator(".accord-observed-input textarea").fill(
        "as_of: 2026-04-03\nobserved:\n  - {event: referendum_held, not_by: 2026-04-03}\n")
    page.locator(".accord-paths input").fill("3000")
    page.locator(".accord-run").click()
    page.wait_for_selector(".accord-results .accord-observed", timeout=90_000)
    text = page.locator(".accord-results .accord-observed").inner_text()
    assert "referendum_held" in text and "2026-04" in text
    rows = page.locator(".accord-posterior tr").all_inner_texts()
    hazard = [r for r in rows if "referendum_held" in r and "hazard" in r]
    assert hazard  # a year without a vote moves the referendum's rate: prior → posterior
    prior, post = (float(c.split()[0]) for c in hazard[0].split("\t")[1:3])
    assert post < prior
    page.wait_for_function(  # the fan chart is drawn once the browser reports its width
        "() => { const f = document.querySelector('.accord-results .accord-fans');"
        " return f && f.data; }", timeout=60_000)
    marks = page.evaluate("() => document.querySelector('.accord-results .accord-fans').data"
                          ".filter(t => t.meta && t.meta.role === 'observed')"
                          ".map(t => [t.meta.question, t.meta.kind, t.y[0]])")
    assert ["referendum_2026", "not_by", 0] in marks  # the observation, on its question's chart
    # a bad observations file is a message naming its line and field, and nothing runs
    page.locator(".accord-observed-input textarea").fill(
        "observed:\n  - {event: no_such_event, on: 2025-06-01}\n")
    page.locator(".accord-run").click()
    page.wait_for_selector("text=no_such_event")


def test_the_ledger_history_is_drawn_on_the_scenario_page(page, server) -> None:
    import subprocess
    import sys

    for seed in ("1", "2"):
        subprocess.run([sys.executable, "-c", "from accord.cli import main; main()", "run",
                        "--paths", "1000", "--seed", seed, "--record", "--no-report", "--db",
                        server["db"]], check=True, capture_output=True, timeout=120)
    open_scenario(page, server["base"], DEFAULT_SCENARIO)
    page.wait_for_selector(".accord-history .main-svg", timeout=60_000)
    traces = page.evaluate("() => document.querySelector('.accord-history').data"
                           ".map(t => [t.meta.question, t.y.length])")
    assert dict(traces)["treaty_2026"] == 2


def test_invalid_edit_shows_the_error_and_saves_nothing(page, server) -> None:
    path = server["ws"] / "edit-me.yaml"
    before = path.read_bytes()
    open_scenario(page, server["base"], "edit-me.yaml")
    edit(page, TREATY, "1.5")
    page.wait_for_selector(".accord-invalid")
    shown = page.locator(".accord-status .accord-problems").inner_text()
    with pytest.raises(UserError) as exc:
        parse_scenario(set_param(before.decode(), "edit-me.yaml", TREATY, "1.5"), "edit-me.yaml",
                       source_dirs=[server["ws"]], strict=True)
    expected = [str(p) for p in exc.value.problems]
    assert expected[0].startswith("edit-me.yaml:")
    assert f"{TREATY}: hazards are monthly probabilities between 0 and 1" in expected[0]
    assert shown.splitlines() == expected
    page.locator(".accord-save").click()
    page.wait_for_selector("text=Not saved: fix the problems first.")
    assert path.read_bytes() == before
    edit(page, TREATY, "U(0.1,")  # unreadable while typing: named, nothing saved
    page.wait_for_selector(".accord-problems:has-text(\"cannot read 'U(0.1,'\")")
    page.locator(".accord-save").click()
    assert path.read_bytes() == before


def test_save_keeps_comments(page, server) -> None:
    path = server["ws"] / "edit-me.yaml"
    before = path.read_text()
    open_scenario(page, server["base"], "edit-me.yaml")
    edit(page, TREATY, "U(0.2, 0.4)")
    page.wait_for_selector(".accord-valid:has-text('unsaved changes')")
    page.locator(".accord-save").click()
    page.wait_for_selector("text=Saved edit-me.yaml")
    after = path.read_text()
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True)
               if a != b]
    assert changed == [
        ("      low: 0.02", "      low: 0.2"), ("      high: 0.08", "      high: 0.4")
    ]
    path.write_text(before)


def test_save_as_what_if_appears_in_the_list(page, server) -> None:
    open_scenario(page, server["base"], DEFAULT_SCENARIO)
    edit(page, "events[3].repeatable", "U(0.01, 0.02)")
    page.wait_for_selector(".accord-valid:has-text('unsaved changes')")
    page.locator(".accord-saveas").click()
    page.locator(".accord-saveas-name input").fill("fewer-demands")
    page.locator(".accord-saveas-ok").click()
    page.wait_for_url("**/scenario?ref=fewer-demands.yaml")
    saved = (server["ws"] / "fewer-demands.yaml").read_text()
    assert saved.startswith("# The Armenia–Azerbaijan peace process")  # comments kept
    assert "id: fewer-demands" in saved
    assert "low: 0.01\n      high: 0.02" in saved
    page.goto(server["base"] + "/")
    page.wait_for_selector(".accord-scenarios")
    assert "fewer-demands.yaml" in page.locator(".accord-scenarios").inner_text()


TORNADO_JS = """() => {
  const el = document.querySelector('.accord-tornado');
  if (!el || !el.data) return null;
  const by = Object.fromEntries(el.data.map(t => [t.meta.role, t]));
  return {target: by.low.meta.target, names: by.low.meta.parameters, labels: by.low.y,
          low: by.low.x, high: by.high.x,
          base: by.low.base};
}"""


def test_tornado(page, server) -> None:
    from accord.analysis.variants import uncertain_parameters

    s = parse_scenario(builtin_text(DEFAULT_SCENARIO), DEFAULT_SCENARIO).scenario
    n = len(uncertain_parameters(s))
    open_scenario(page, server["base"], DEFAULT_SCENARIO)
    page.locator(".accord-tab-sensitivity").click()
    page.wait_for_selector(".accord-tornado-none")  # nothing stored yet
    page.locator(".accord-tornado-question").click()
    page.get_by_role("option", name="treaty_2026").click()
    page.locator(".accord-tornado-paths input").fill("500")
    page.locator(".accord-tornado-run").click()
    page.wait_for_selector(".accord-tornado-progress")
    page.wait_for_selector(".accord-tornado .main-svg", timeout=120_000)
    t = page.evaluate(TORNADO_JS)
    assert t["target"] == "treaty_2026"
    from accord.report.sensitivity import TOP

    assert len(t["names"]) == len(t["low"]) == len(t["high"]) == min(n, TOP)  # the table: all
    assert set(t["names"]) <= set(uncertain_parameters(s))
    assert "Armenia and Azerbaijan sign the peace treaty · monthly rate" in t["labels"]
    swings = [abs(h - lo) for lo, h in zip(t["low"], t["high"], strict=True)]
    assert swings[0] == max(swings) and swings == sorted(swings, reverse=True)
    assert swings[0] > 0
    summary = page.locator(".accord-tornado-summary").inner_text()
    assert f"tornado over {n} uncertain parameters" in summary
    page.locator(".accord-tornado").scroll_into_view_if_needed()
    shot(page, "tornado")
    with page.expect_download() as dl:
        page.locator(".accord-tornado-table").locator("xpath=../..").locator(".accord-csv").click()
    table = Path(dl.value.path()).read_text().splitlines()
    assert table[0].startswith("parameter,low,high") and len(table) == n + 1
    with page.expect_download() as dl:
        page.locator(".accord-tornado").locator("xpath=..").locator(".accord-svg").click()
    assert Path(dl.value.path()).read_text().lstrip().startswith("<svg")
    # the stored analysis is shown again on a fresh page, without rerunning
    from accord.store.runs import RunStore

    store = RunStore(server["db"])
    n_runs = store.count()
    open_scenario(page, server["base"], DEFAULT_SCENARIO)
    page.locator(".accord-tab-sensitivity").click()
    page.locator(".accord-tornado-question").click()
    page.get_by_role("option", name="treaty_2026").click()
    page.wait_for_selector(".accord-tornado .main-svg")
    assert page.evaluate(TORNADO_JS) == t
    assert "run #" in page.locator(".accord-tornado-summary").inner_text()
    assert store.count() == n_runs


def test_compare_two_runs(page, server) -> None:
    import httpx

    ids = []
    for hz in ("0.1", "0.5"):
        text = set_param(builtin_text(DEFAULT_SCENARIO), "x", TREATY, hz)
        r = httpx.post(server["base"] + "/api/runs",
                       json={"scenario_yaml": text, "paths": 2000, "wait": True}, timeout=120)
        assert r.status_code == 200, r.text
        ids.append(r.json()["run_id"])
    page.goto(server["base"] + "/runs")
    page.wait_for_selector(".accord-compare-go")
    page.locator(".accord-compare-go").click()  # default: the two newest runs
    page.wait_for_url(f"**/compare?a={ids[0]}&b={ids[1]}")
    page.wait_for_selector(".accord-compare-dots .main-svg")
    rows = page.locator(".accord-compare-questions").inner_text()
    assert "treaty_2026" in rows
    dots = page.evaluate("() => document.querySelector('.accord-compare-dots').data[0]")
    k = dots["y"].index("treaty_2026")
    assert dots["x"][k] > 0 and dots["error_x"]["array"][k] > 0  # B − A in pt, paired whisker
    assert "T" not in page.locator(".accord-compare-side").first.inner_text().split("·")[1]
    page.get_by_text("All events: run A solid").click()
    page.wait_for_selector(".accord-compare-curves .main-svg")
    names = page.evaluate(
        "() => document.querySelector('.accord-compare-curves').data.map(t => t.name)"
    )
    assert f"treaty_signed (#{ids[0]})" in names and f"treaty_signed (#{ids[1]})" in names
    assert "value: 0.5" in page.locator(".accord-diff").inner_text()
    shot(page, "compare")


def test_run_survives_a_closed_tab(browser, server) -> None:
    from accord.store.runs import RunStore

    store = RunStore(server["db"])
    n = store.count()
    ctx = browser.new_context()
    pg = ctx.new_page()
    pg.route("**/*", lambda r: r.continue_() if r.request.url.startswith(server["base"])
             else r.abort())
    open_scenario(pg, server["base"], DEFAULT_SCENARIO)
    pg.locator(".accord-tab-run").click()
    pg.locator(".accord-paths input").fill("20000")
    pg.locator(".accord-run").click()
    pg.wait_for_selector(".accord-progress")
    ctx.close()
    import time

    for _ in range(600):
        if store.count() > n:
            break
        time.sleep(0.1)
    assert store.count() == n + 1


def test_runs_offline_assets_only(server) -> None:
    """Every script and stylesheet the page names is served by accord itself."""
    import httpx

    html = httpx.get(server["base"] + f"/scenario?ref={DEFAULT_SCENARIO}", timeout=30).text
    assert "cdn." not in html and "unpkg.com" not in html and "googleapis" not in html
    assert os.path.exists(CHROMIUM)


WIDE_JS = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .slice(-3).map(e => e.tagName + '.' + e.className)"""


@pytest.mark.parametrize("width", [390, 1400])
def test_pages_fit_the_screen(browser, server, width: int) -> None:
    """At a phone's width and a desktop's, no page scrolls sideways, and the scenario's home
    shows the answers before the details."""
    import httpx

    r = httpx.post(server["base"] + "/api/runs",
                   json={"scenario": DEFAULT_SCENARIO, "paths": 2000, "wait": True}, timeout=120)
    run_id = r.json()["run_id"]
    ctx = browser.new_context(viewport={"width": width, "height": 844})
    pg = ctx.new_page()
    pg.route("**/*", lambda rt: rt.continue_() if rt.request.url.startswith(server["base"])
             else rt.abort())
    for url, ready in (("/", ".accord-scenarios"),
                       (f"/scenario?ref={DEFAULT_SCENARIO}", ".accord-fans .main-svg"),
                       (f"/run/{run_id}", ".accord-fans .main-svg")):
        pg.goto(server["base"] + url)
        pg.wait_for_selector(ready, timeout=60_000)
        over = pg.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        wide = pg.evaluate(WIDE_JS) if over > 1 else []
        assert over <= 1, (url, over, wide)
        shot(pg, f"fit-{width}-{url.strip('/').split('?')[0] or 'index'}")
    pg.goto(server["base"] + f"/scenario?ref={DEFAULT_SCENARIO}")
    pg.wait_for_selector(".accord-question-card")
    order = pg.evaluate("""() => ['.accord-question-card', '.accord-why', '.accord-actors']
        .map(s => document.querySelector(s).getBoundingClientRect().top)""")
    assert order == sorted(order)
    # a wide table: one labelled record per row on a phone, a plain table on a desktop
    cell = pg.evaluate("""() => { const t = document.querySelector('table.accord-reflow');
        const td = t.querySelector('tbody td'), th = t.querySelector('thead th');
        return [getComputedStyle(t.querySelector('thead')).display,
                getComputedStyle(td, '::before').content, th.innerText,
                t.scrollWidth <= t.parentElement.clientWidth + 1]; }""")
    if width < 600:
        assert cell[0] == "none" and cell[1] == f'"{cell[2]}"' and cell[3], cell
    else:
        assert cell[0] != "none" and cell[1] in ("none", "normal"), cell
    ctx.close()


def test_stored_sobol_and_morris_show_their_charts(page, server) -> None:
    """A Sobol or Morris analysis stored by the CLI opens on the run page with its chart (the
    report's builder) and its table, its base named as the run's."""
    from accord.analysis.recipe import RunSettings
    from accord.analysis.sensitivity import SensitivitySettings, sensitivity
    from accord.analysis.variants import targets
    from accord.store.runs import RunStore

    s = parse_scenario(builtin_text(DEFAULT_SCENARIO), DEFAULT_SCENARIO).scenario
    store = RunStore(server["db"])
    for method, selector in (("sobol", "ST"), ("morris", "μ*")):
        res = sensitivity(s, RunSettings(paths=200, seed=1), SensitivitySettings(
            targets(s, "treaty_2026"), method, 4, ["events.referendum_held.*"]))
        run_id = store.save(kind="sensitivity", scenario_id=s.meta.id,
                            scenario_name=DEFAULT_SCENARIO,
                            scenario_text=builtin_text(DEFAULT_SCENARIO), seed=1,
                            settings={"method": method, "paths": 200}, results=res.to_dict())
        page.goto(server["base"] + f"/run/{run_id}")
        page.wait_for_selector(".accord-sensitivity-chart .main-svg", timeout=60_000)
        assert "the run at seed 1" in page.locator(".accord-base-note").first.inner_text()
        table = page.locator(".accord-sensitivity-table").inner_text()
        assert selector in table and "Armenia holds a constitutional referendum" in table


def test_sobol_from_the_sensitivity_tab(page, server) -> None:
    """The tab's method select runs Sobol: its chart (ST and S1) and table appear, and the
    stored analysis is shown again for that method without rerunning."""
    open_scenario(page, server["base"], DEFAULT_SCENARIO)
    page.locator(".accord-tab-sensitivity").click()
    page.locator(".accord-sensitivity-method").click()
    page.get_by_role("option", name="Sobol").click()
    page.locator(".accord-sensitivity-samples input").fill("2")
    page.locator(".accord-tornado-paths input").fill("100")
    page.locator(".accord-tornado-run").click()
    page.wait_for_selector(".accord-sensitivity-chart .main-svg", timeout=180_000)
    traces = page.evaluate("() => document.querySelector('.accord-sensitivity-chart')"
                           ".data.map(t => t.meta.index)")
    assert traces == ["ST", "S1"]
    assert "ST (% of variance)" in page.locator(".accord-sensitivity-table").inner_text()
    assert "sobol over" in page.locator(".accord-tornado-summary").inner_text()
    page.locator(".accord-sensitivity-method").click()
    page.get_by_role("option", name="Tornado").click()
    page.locator(".accord-sensitivity-method").click()
    page.get_by_role("option", name="Sobol").click()
    # the stored analysis is read back and drawn again: slower on a loaded machine
    page.wait_for_selector(".accord-sensitivity-chart .main-svg", timeout=120_000)
    assert "run #" in page.locator(".accord-tornado-summary").inner_text()


# --- issue 19: the dashboard's details --------------------------------------------------------
def test_since_the_previous_run_only_for_the_same_text_and_never_zero(page, server) -> None:
    (server["ws"] / "twice.yaml").write_text(
        builtin_text(DEFAULT_SCENARIO) + "# run twice by the browser tests\n", encoding="utf-8")
    open_scenario(page, server["base"], "twice.yaml")
    page.locator(".accord-tab-run").click()
    page.locator(".accord-seed input").fill("11")
    run(page)  # the first run of this text: nothing to compare with
    cards = page.locator(".accord-results .accord-question-card")
    assert cards.count() and all("since" not in c for c in cards.all_inner_texts())
    run(page)  # the same text and seed: every change is 0, and 0 is not shown
    assert all("since" not in c for c in cards.all_inner_texts())
    page.locator(".accord-seed input").fill("12")
    run(page)  # another seed: Monte Carlo noise, shown where it rounds to 0.1 pt or more
    changes = page.locator(".accord-results .accord-card-change").all_inner_texts()
    assert changes and all("since the previous run" in c for c in changes)
    assert not any(c.startswith(("+0.0", "-0.0")) for c in changes), changes
    page.locator(".accord-results .accord-question-cards").scroll_into_view_if_needed()
    shot(page, "since-previous-run")


def test_builtin_save_is_disabled_and_save_as_offered(page, server) -> None:
    open_scenario(page, server["base"], DEFAULT_SCENARIO)
    assert page.locator(".accord-save").is_disabled()
    assert page.locator(".accord-saveas").is_enabled()
    assert "Save as… makes an editable copy" in page.locator(".accord-readonly").inner_text()
    shot(page, "builtin-readonly")
    open_scenario(page, server["base"], "edit-me.yaml")
    assert page.locator(".accord-save").is_enabled()
    assert not page.locator(".accord-readonly").count()


def test_warnings_are_listed_with_their_fix(page, server) -> None:
    open_scenario(page, server["base"], DEFAULT_SCENARIO)
    head = page.locator(".accord-warnings-head").inner_text()
    warnings = page.locator(".accord-warning").all_inner_texts()
    fixes = page.locator(".accord-warning-fix").all_inner_texts()
    assert head == "1 warning" and len(warnings) == len(fixes) == 1
    assert "south-caucasus-2025-04.txt" in warnings[0] and "not found" in warnings[0]
    assert fixes[0].startswith("fix: ") and "--sources DIR" in fixes[0]
    page.locator(".accord-status").scroll_into_view_if_needed()
    shot(page, "warnings")


def test_the_upload_box_shows_no_empty_progress(page, server, tmp_path) -> None:
    open_scenario(page, server["base"], DEFAULT_SCENARIO)
    page.locator(".accord-tab-run").click()
    box = page.locator(".accord-observed-upload")
    box.wait_for()
    shown = box.inner_text()
    assert "upload an observations file" in shown
    assert "0.0B" not in shown and "0.00%" not in shown
    obs = tmp_path / "obs.yaml"
    obs.write_text("as_of: 2026-04-03\nobserved:\n  - {event: referendum_held, "
                   "not_by: 2026-04-03}\n", encoding="utf-8")
    box.locator("input[type=file]").set_input_files(str(obs))
    page.wait_for_function(
        "() => document.querySelector('.accord-observed-input textarea').value"
        ".includes('referendum_held')")
    page.wait_for_selector("text=obs.yaml read into the box above")
    assert "0.00%" not in box.inner_text()
    shot(page, "upload")


def test_a_run_page_gives_one_forecast_per_issue_and_every_model_on_request(page, server):
    import httpx

    from accord.bargaining.registry import FORECAST_MODEL

    open_scenario(page, server["base"], DEFAULT_SCENARIO)
    _, summary = run(page)
    run_id = int(summary.split(":")[0].split("#")[1])
    doc = httpx.get(f"{server['base']}/api/runs/{run_id}", timeout=30).json()
    issues = doc["results"]["issues"]
    page.goto(f"{server['base']}/run/{run_id}")
    table = page.locator(".accord-forecasts")
    table.wait_for()
    rows = table.locator("tbody tr").all_inner_texts()
    assert len(rows) == len(issues)
    for row, iss in zip(rows, issues, strict=True):
        assert row.startswith(iss["id"])
        assert f"{iss['models'][FORECAST_MODEL]['outcome']:.1f}" in row
    assert f"by {FORECAST_MODEL}" in page.locator("text=nested cross-validation").inner_text()
    every = page.locator(".accord-outcomes")
    assert not every.is_visible()
    page.get_by_text("Every model's outcome").click()
    every.wait_for()
    assert all(m in every.inner_text() for m in issues[0]["models"])
    table.scroll_into_view_if_needed()
    shot(page, "run-page-forecasts")
    # the Why panel on the run's own page explains a question of the run's scenario text
    page.locator(".accord-why-go").click()
    summary = page.locator(".accord-why-summary")
    summary.wait_for(timeout=90_000)
    assert summary.inner_text().startswith("P(yes by ")
    assert page.locator(".accord-blocker").count() > 0
    summary.scroll_into_view_if_needed()
    shot(page, "run-page-why")


def test_a_problem_is_shown_at_its_field(page, server) -> None:
    open_scenario(page, server["base"], "edit-me.yaml")
    edit(page, TREATY, "10")
    page.wait_for_selector(".accord-invalid")
    at_field = page.locator(f'label.q-field:has(input[data-field="{TREATY}"]) .q-field__messages')
    at_field.wait_for()
    assert "10 looks like a percentage; 0.10 is 10% a month" in at_field.inner_text()
    page.locator(f'input[data-field="{TREATY}"]').scroll_into_view_if_needed()
    page.mouse.wheel(0, 300)
    shot(page, "problem-at-field")
    edit(page, TREATY, "0.05")
    page.wait_for_selector(".accord-valid")
    assert not at_field.count() or not at_field.inner_text().strip()
