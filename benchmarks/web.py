"""Dashboard speed: time to an interactive scenario page, Run → curves, Tornado → chart, 20
concurrent API runs.

    python benchmarks/web.py

Starts `accord serve` on a free port with a temporary workspace and run store, drives it with
Playwright and Debian's Chromium (/usr/bin/chromium), and prints the figures (no asserts).
"""

from __future__ import annotations

import concurrent.futures as cf
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
SCENARIO = "south-caucasus-2025"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="accord-bench-web-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(tmp / "server.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-c", "from accord.cli import main; main()", "serve", "--port",
         str(port), "--workspace", str(tmp), "--max-runs", "20", "--no-token"],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "ACCORD_HOME": str(tmp)},
    )
    try:
        t = time.perf_counter()
        while True:  # up, or gone (then its log says why), or stuck for a minute
            if proc.poll() is not None or time.perf_counter() - t > 60:
                raise SystemExit(f"the server did not come up: see {tmp / 'server.log'}")
            try:
                r = httpx.get(base + "/api/scenarios", timeout=2)
                if r.status_code == 200:
                    break
                raise SystemExit(f"the server answered {r.status_code}: {r.text[:200]}")
            except httpx.HTTPError:
                time.sleep(0.05)
        print(f"server up (first API answer):              {time.perf_counter() - t:6.2f} s")
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
            pg = b.new_page(viewport={"width": 1280, "height": 900})
            pg.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base)
                     else r.abort())
            for label in ("cold", "warm"):
                t = time.perf_counter()
                pg.goto(f"{base}/scenario?ref={SCENARIO}")
                pg.wait_for_selector(".accord-actors")
                pg.locator(".accord-tab-run").wait_for()
                t_ui = time.perf_counter() - t
                pg.wait_for_selector(".accord-graph .main-svg")
                t_graph = time.perf_counter() - t
                print(f"scenario page interactive ({label}):         {t_ui:6.2f} s "
                      f"(event graph drawn {t_graph:.2f} s)")
            pg.locator(".accord-tab-run").click()
            pg.locator(".accord-paths input").fill("20000")
            t = time.perf_counter()
            pg.locator(".accord-run").click()
            pg.wait_for_function("() => { const c = document.querySelector('.accord-curves');"
                                 " return c && c.data && c.querySelector('.main-svg'); }",
                                 timeout=120_000)
            print(f"Run → curves on screen (20,000 paths):     {time.perf_counter() - t:6.2f} s")
            pg.locator(".accord-tab-sensitivity").click()
            pg.locator(".accord-tornado-run").wait_for()
            t = time.perf_counter()
            pg.locator(".accord-tornado-run").click()
            pg.wait_for_function("() => { const c = document.querySelector('.accord-tornado');"
                                 " const s = document.querySelector('.accord-tornado-status');"
                                 " return c && c.data && c.querySelector('.main-svg') &&"
                                 " s && s.innerText.startsWith('done'); }", timeout=120_000)
            print(f"Tornado → chart on screen (1,000 paths):   {time.perf_counter() - t:6.2f} s")
            b.close()

        def one(i: int) -> tuple[int, str]:
            r = httpx.post(base + "/api/runs", json={"scenario": SCENARIO, "paths": 2000,
                                                    "seed": i, "wait": True}, timeout=600)
            return r.status_code, r.json().get("status", "")

        t = time.perf_counter()
        with cf.ThreadPoolExecutor(20) as pool:
            out = list(pool.map(one, range(20)))
        ok = sum(1 for code, st in out if code == 200 and st == "done")
        print(f"20 concurrent API runs at 2,000 paths:     {time.perf_counter() - t:6.2f} s, "
              f"{ok}/20 done, errors: {[o for o in out if o != (200, 'done')]}")
        stored = len(httpx.get(base + "/api/runs?limit=100").json())
        print(f"runs in the store: {stored}; CPU cores: {os.cpu_count()}; "
              f"load average: {os.getloadavg()[0]:.1f}")
    finally:
        proc.terminate()
        proc.wait(10)


if __name__ == "__main__":
    main()
