"""Regenerate docs/screenshots/ (`make screenshots`): the dashboard's pages in Debian's Chromium
at 1400 × 900, and the phone size (390 px wide) as `*-phone.png`.

A throwaway server (its own workspace and run store in a temporary folder) gets two runs of the
built-in scenario, the second with a higher treaty hazard, and a tornado; then each page is opened
and photographed. Nothing leaves loopback. `--out DIR` writes elsewhere (the tests do not call it).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(ws: Path, home: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    log = open(home / "server.log", "w")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        [sys.executable, "-c", "from accord.cli import main; main()", "serve", "--no-token",
         "--port", str(port), "--workspace", str(ws)],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "ACCORD_HOME": str(home)},
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if httpx.get(base + "/api/scenarios", timeout=5).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit((home / "server.log").read_text())


def browsed(base: str) -> Iterator[tuple[str, Any]]:
    """A page at 1400 × 900 and then at a phone's 390 px ("-phone"), kept to loopback."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        for suffix, viewport in (("", {"width": 1400, "height": 900}),
                                 ("-phone", {"width": 390, "height": 844})):
            ctx = b.new_context(viewport=viewport, device_scale_factor=1)
            pg = ctx.new_page()
            pg.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base)
                     else r.abort())
            yield suffix, pg
            ctx.close()
        b.close()


def runs(base: str) -> list[int]:
    from accord.scenario.loader import DEFAULT_SCENARIO, builtin_text, load_scenario
    from accord.web.yamledit import set_param

    text = builtin_text(DEFAULT_SCENARIO)
    s = load_scenario(DEFAULT_SCENARIO).scenario
    k = next(i for i, e in enumerate(s.events) if e.hazard is not None and "treaty" in e.id)
    ids = []
    for yaml in (text, set_param(text, "x", f"events[{k}].hazard", "U(0.05, 0.12)")):
        r = httpx.post(base + "/api/runs", json={"scenario_yaml": yaml, "paths": 20000,
                                                 "wait": True}, timeout=300)
        r.raise_for_status()
        ids.append(r.json()["run_id"])
    r = httpx.post(base + "/api/runs", json={"scenario": DEFAULT_SCENARIO, "paths": 20000,
                                             "wait": True}, timeout=300)
    r.raise_for_status()
    ids.append(r.json()["run_id"])
    q = load_scenario(DEFAULT_SCENARIO).scenario.questions[1].id
    r = httpx.post(base + "/api/sensitivity", json={"scenario": DEFAULT_SCENARIO, "question": q,
                                                    "paths": 1000, "wait": True}, timeout=600)
    r.raise_for_status()
    ids.append(r.json()["run_id"])  # the tornado, last
    return ids


def shoot(base: str, ids: list[int], out: Path) -> list[Path]:
    from accord.scenario.loader import DEFAULT_SCENARIO

    pages = [
        ("scenarios", "/", ".accord-scenarios"),
        ("scenario", f"/scenario?ref={DEFAULT_SCENARIO}", ".accord-fans .main-svg"),
        ("run", f"/run/{ids[-2]}", ".accord-fans .main-svg"),
        ("tornado", f"/run/{ids[-1]}", ".accord-tornado .main-svg"),
        ("compare", f"/compare?a={ids[0]}&b={ids[1]}", ".accord-compare-dots .main-svg"),
    ]
    written = []
    out.mkdir(parents=True, exist_ok=True)
    for suffix, pg in browsed(base):
        for name, url, ready in pages:
            pg.goto(base + url)
            pg.wait_for_selector(ready, timeout=60_000)
            pg.wait_for_timeout(500)  # let Plotly finish its transitions
            path = out / f"{name}{suffix}.png"
            pg.screenshot(path=str(path), full_page=bool(suffix))
            written.append(path)
    return written


BUILT = [  # the builder's example: (section, item) as the Structure tab's forms make them
    ("actors", {"name": "North", "capability": "60", "assumption": "the larger economy"}),
    ("actors", {"name": "South", "capability": "U(30, 50)", "assumption": "allies of its own"}),
    ("events", {"name": "Talks resume", "how": "monthly chance", "probability": "U(0.05, 0.15)",
                "assumption": "both sides say they are ready"}),
    ("events", {"name": "One side walks out", "how": "monthly chance", "probability": "0.02",
                "requires": "talks_resume", "assumption": "a guess"}),
    ("events", {"name": "A deal is signed", "how": "one-time chance", "probability": "0.4",
                "requires": "talks_resume and not one_side_walks_out", "assumption": "a guess"}),
]


def built_scenario() -> str:
    """A small scenario made with accord.web.builder, as the dashboard's forms make it."""
    from accord.scenario.loader import parse_scenario
    from accord.web import builder, items

    text = items.blank_text("Harbour talks", "2026-01-01", 24).replace(
        "  horizon: 24\n", "  horizon: 24\n  sources: [{id: article, title: Harbour talks "
        "resume, file: harbour-talks.txt}]\n")
    make = {"actors": items.actor_item, "events": items.event_item}
    for section, item in [*BUILT, ("questions", None)]:
        made = (items.question_item("a_deal_is_signed", "2027-01-01",
                                      "Will a deal be signed within a year?")
                if item is None else make[section](**item))
        r = builder.apply(text, "harbour-talks.yaml",
                          lambda t, s=section, m=made: builder.add_item(t, s, m),
                          lambda x: parse_scenario(x, "harbour-talks.yaml"))
        assert r.text is not None, r.refused
        text = r.text
    return text


SOURCE = """Harbour talks resume

North and South agreed on Monday to resume talks on the harbour. North's economy is twice the
size of South's. Both sides said a deal could be signed within a year, but a walkout by either
side would end the talks for now.
"""


def shoot_builder(base: str, out: Path) -> list[Path]:
    """The Structure tab with its preview, its Add issue dialog and its Add event dialog with a
    refusal, at both sizes."""
    written = []
    for suffix, pg in browsed(base):
        pg.goto(base + "/scenario?ref=harbour-talks.yaml&tab=Structure")
        pg.wait_for_selector(".accord-structure-events")
        pg.get_by_role("button", name="Preview", exact=True).click()
        pg.wait_for_selector(".accord-preview-fans .main-svg", timeout=60_000)
        pg.wait_for_timeout(500)
        pg.evaluate("window.scrollTo(0, 0)")
        written.append(out / f"builder{suffix}.png")
        pg.screenshot(path=str(written[-1]), full_page=True)
        pg.get_by_role("button", name="Add issue").click()
        dialog = pg.get_by_role("dialog")
        dialog.get_by_label("Name", exact=True).fill("Harbour fees")
        dialog.get_by_label("north position", exact=True).fill("80")
        dialog.get_by_label("south position", exact=True).fill("U(20, 40)")
        dialog.get_by_label("Quote", exact=True).click()
        pg.keyboard.type("twice")
        pg.wait_for_timeout(300)
        written.append(out / f"builder-issue{suffix}.png")
        pg.screenshot(path=str(written[-1]))
        pg.keyboard.press("Escape")
        dialog.get_by_role("button", name="Cancel").click()
        dialog.wait_for(state="hidden")
        pg.get_by_role("button", name="Add event").click()
        dialog = pg.get_by_role("dialog")
        dialog.get_by_label("Name", exact=True).fill("Talks collapse")
        dialog.get_by_label("Probability", exact=True).fill("1.5")
        dialog.get_by_role("button", name="Add", exact=True).click()
        pg.wait_for_selector(".q-field--error")
        written.append(out / f"builder-event{suffix}.png")
        pg.screenshot(path=str(written[-1]))
    return written


DRAFTED = ROOT / "tests" / "data" / "draft" / "serbia_kosovo.txt"


def shoot_draft_review(base: str, out: Path) -> list[Path]:
    """New scenario → from a text: the review of the draft, one event dropped, at both sizes."""
    written = []
    for suffix, pg in browsed(base):
        pg.goto(base + "/")
        pg.get_by_role("button", name="New scenario").click()
        dialog = pg.get_by_role("dialog")
        dialog.get_by_role("radio", name="from a text").click()
        dialog.get_by_label("Text", exact=True).fill(DRAFTED.read_text(encoding="utf-8"))
        dialog.get_by_role("button", name="Review the draft").click()
        pg.wait_for_selector(".accord-draft-text")
        pg.get_by_role("button", name="Drop E2", exact=True).click()
        pg.wait_for_selector(".accord-draft-text .accord-dropped")
        pg.evaluate("window.scrollTo(0, 0)")
        pg.wait_for_timeout(300)
        written.append(out / f"draft-review{suffix}.png")
        pg.screenshot(path=str(written[-1]))
    return written


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    ap.add_argument("--only-builder", action="store_true",
                    help="only the builder's screenshots (no runs: quick)")
    ap.add_argument("--only-draft", action="store_true",
                    help="only the review of a draft (quick)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ws, home = Path(tmp) / "ws", Path(tmp) / "home"
        ws.mkdir()
        home.mkdir()
        (ws / "harbour-talks.yaml").write_text(built_scenario(), encoding="utf-8")
        (ws / "harbour-talks.txt").write_text(SOURCE, encoding="utf-8")
        proc, base = serve(ws, home)
        try:
            quick = args.only_builder or args.only_draft
            shots = [] if quick else shoot(base, runs(base), args.out)
            if not args.only_draft:
                shots += shoot_builder(base, args.out)
            if not args.only_builder:
                shots += shoot_draft_review(base, args.out)
            for p in shots:
                print(p)
        finally:
            proc.terminate()
            proc.wait(20)


if __name__ == "__main__":
    main()
