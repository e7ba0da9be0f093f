"""The dashboard's guards against a real running server: Host allow-list (DNS rebinding), the
default random token and its cookie, websocket authentication, body caps, a busy port."""

from __future__ import annotations

import re
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("nicegui")
httpx = pytest.importorskip("httpx")

from accord.web.security import allowed_hosts, host_allowed, host_name  # noqa: E402

from .test_web_api import start_server, stop_server  # noqa: E402

TOKEN = "t0ken-for-tests-only"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    root = tmp_path_factory.mktemp("web-security")
    (root / "ws").mkdir()
    (root / "home").mkdir()
    proc, base = start_server(root / "ws", root / "home", "--token", TOKEN)
    try:
        yield {"base": base, "port": int(base.rsplit(":", 1)[1]), "root": root}
    finally:
        stop_server(proc)


def _auth() -> dict[str, str]:
    return {"authorization": f"Bearer {TOKEN}"}


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example",
                                  "localhost.evil.example", "10.0.0.7"])
def test_foreign_host_headers_get_400_even_with_the_token(server: dict, host: str) -> None:
    r = httpx.get(server["base"] + "/api/scenarios", headers={**_auth(), "host": host})
    assert r.status_code == 400


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]"])
def test_loopback_host_headers_are_served(server: dict, host: str) -> None:
    r = httpx.get(server["base"] + "/api/scenarios",
                  headers={**_auth(), "host": f"{host}:{server['port']}"})
    assert r.status_code == 200


def test_without_the_token_nothing_is_served(server: dict) -> None:
    for path in ("/", "/api/scenarios", "/openapi.json"):
        assert httpx.get(server["base"] + path).status_code == 401
    bad = {"authorization": "Bearer not-the-token-at-all"}
    assert httpx.get(server["base"] + "/api/scenarios", headers=bad).status_code == 401


def test_the_token_in_the_address_becomes_a_cookie_by_redirect(server: dict) -> None:
    with httpx.Client(base_url=server["base"]) as c:
        r = c.get(f"/runs?token={TOKEN}")
        assert r.status_code == 303 and r.headers["location"] == "/runs"
        cookie = r.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
        assert TOKEN not in r.headers["location"]
        assert c.get("/api/scenarios").status_code == 200  # the cookie carries it now


def _ws_handshake(port: int, cookie: str | None) -> str:
    req = (f"GET /_nicegui_ws/socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
           f"Host: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n")
    if cookie:
        req += f"Cookie: accord_token={cookie}\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall((req + "\r\n").encode())
        return s.recv(200).decode("latin-1").split("\r\n")[0]


def test_websockets_need_the_token_too(server: dict) -> None:
    assert " 101 " not in _ws_handshake(server["port"], None)
    assert " 101 " not in _ws_handshake(server["port"], "wrong-token-value")
    assert " 101 " in _ws_handshake(server["port"], TOKEN)


def test_a_chunked_body_over_the_cap_is_413_not_500(server: dict) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"scenario_yaml": "'
        for _ in range(50):
            yield b"x" * 100_000

    r = httpx.post(server["base"] + "/api/runs", content=chunks(),
                   headers={**_auth(), "content-type": "application/json"}, timeout=30)
    assert r.status_code == 413
    log = "".join(p.read_text() for p in (server["root"] / "home").glob("server-*.log"))
    assert "Traceback" not in log


def test_default_is_a_random_token_printed_in_the_url(tmp_path: Path) -> None:
    import os
    import sys
    import time

    from .test_web_api import free_port

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", "from accord.cli import main; main()", "serve", "--port",
         str(port), "--workspace", str(tmp_path)], stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL, text=True, env={**os.environ, "ACCORD_HOME": str(tmp_path)})
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/\?token=(\S+)", line)
        assert m and int(m.group(1)) == port and len(m.group(2)) >= 24, line
        base = f"http://127.0.0.1:{port}"
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                r = httpx.get(base + "/api/scenarios", headers={"x-accord-token": m.group(2)})
                break
            except httpx.HTTPError:
                time.sleep(0.3)
        assert r.status_code == 200
        assert httpx.get(base + "/api/scenarios").status_code == 401
        # a second server on the same port: a one-line error, exit 2, before claiming to start
        busy = subprocess.run(
            [sys.executable, "-c", "from accord.cli import main; main()", "serve", "--port",
             str(port), "--workspace", str(tmp_path)], capture_output=True, text=True,
            timeout=60, env={**os.environ, "ACCORD_HOME": str(tmp_path)})
        assert busy.returncode == 2 and "in use" in busy.stderr and "--port" in busy.stderr
        assert "dashboard on" not in busy.stdout
    finally:
        proc.terminate()
        proc.wait(10)


def test_host_names_parse() -> None:
    assert host_name("a.b:80") == "a.b" and host_name("[::1]:8000") == "::1"
    assert host_name("LOCALHOST") == "localhost" and host_name("::1") == "::1"
    assert host_allowed("box.lan:8000", allowed_hosts("box.lan"))
    assert not host_allowed("evil.example", allowed_hosts("box.lan"))
    assert host_allowed("192.168.1.9:80", allowed_hosts("0.0.0.0"))
    assert not host_allowed("evil.example", allowed_hosts("0.0.0.0"))
    assert not host_allowed(None, frozenset())
