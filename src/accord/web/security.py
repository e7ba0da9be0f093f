"""Who may talk to the dashboard, and how much they may send.

- The Host header must name this machine (loopback names) or the `--host` served on; anything
  else is answered 400. That defeats DNS rebinding: a web page the user visits cannot reach the
  dashboard under its own host name.
- A token is required by default (a random one, printed in the start-up URL, as Jupyter does;
  `--no-token` turns it off on loopback only). Requests carry it as `Authorization: Bearer TOKEN`
  or `X-Accord-Token`, or in the HttpOnly, SameSite=Strict cookie that a browser gets by opening
  the printed `?token=TOKEN` address once: that request is redirected to the same address
  without the token, so it does not stay in the address bar or the history. Websockets are
  checked the same way (the cookie travels with them).
- Request bodies are capped; a larger one is answered 413, whether it says its length or is sent
  in chunks.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, urlencode

from accord.errors import UserError

MAX_BODY = 4_000_000  # bytes: a 2 MB scenario, JSON-escaped, fits
COOKIE = "accord_token"

Scope = dict[str, Any]


def is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_host(host: str, token: str | None) -> None:
    """Beyond loopback only with a token (`--no-token` is for this machine alone)."""
    if not is_loopback(host) and not token:
        raise UserError.at(
            f"serving on {host}, beyond this machine, needs a token: drop --no-token (a random "
            "one is made) or give --token SECRET; or keep the default --host 127.0.0.1",
            field="no_token",
        )
    if token is not None and len(token) < 8:
        raise UserError.at("must be at least 8 characters", field="token")


def port_free(host: str, port: int) -> bool:
    """Whether the address can be listened on now (checked before the server says it started)."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


class BodyTooLarge(Exception):
    """Raised while the app reads a body past the cap; handlers must let it through."""


def host_name(header: str) -> str:
    """The name part of a Host header: 'a.b:80' -> 'a.b', '[::1]:80' -> '::1'."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


WILDCARD = "*ip*"  # served on every interface: any IP-literal Host is this machine's


def allowed_hosts(served_on: str | None) -> frozenset[str]:
    """Names a request's Host may carry besides loopback ones: the address served on.

    Served on every interface (0.0.0.0, ::), any IP literal is allowed too: DNS rebinding needs
    a host name the attacker controls, never a bare address.
    """
    if not served_on:
        return frozenset()
    if served_on in ("0.0.0.0", "::"):
        return frozenset({WILDCARD})
    return frozenset({host_name(served_on)})


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def host_allowed(header: str | None, extra: frozenset[str]) -> bool:
    if not header:
        return False
    name = host_name(header)
    return is_loopback(name) or name in extra or (WILDCARD in extra and _is_ip(name))


async def _send_json(send: Any, status: int, detail: str, extra: list | None = None) -> None:
    body = json.dumps({"detail": detail}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *(extra or []),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class GuardMiddleware:
    """ASGI middleware: token check (when a token is set) and the request body cap."""

    def __init__(
        self, app: Any, token: str | None = None, max_body: int = MAX_BODY,
        hosts: frozenset[str] = frozenset(),
    ) -> None:
        self.app = app
        self.token = token
        self.max_body = max_body
        self.hosts = hosts

    def _presented(self, scope: Scope) -> tuple[str | None, bool]:
        """(token presented, whether it came in the query string)."""
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            return auth[7:].strip(), False
        if "x-accord-token" in headers:
            return headers["x-accord-token"].strip(), False
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        if query.get("token"):
            return query["token"][0], True
        if "cookie" in headers:
            jar = SimpleCookie()
            try:
                jar.load(headers["cookie"])
            except Exception:  # noqa: BLE001 - a malformed cookie header is no token
                return None, False
            if COOKIE in jar:
                return jar[COOKIE].value, False
        return None, False

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if await self._refused(scope, send, headers):
            return
        if scope["type"] == "websocket":
            await self.app(scope, receive, send)
            return
        await self._within_limit(scope, receive, send, headers.get("content-length"))

    async def _refused(self, scope: Scope, send: Any, headers: dict[str, str]) -> bool:
        """Answer (and say True) a request for another host, or without the token; a token in
        the address is swapped for a cookie by a redirect."""
        websocket = scope["type"] == "websocket"
        if not host_allowed(headers.get("host"), self.hosts):
            if websocket:
                await send({"type": "websocket.close", "code": 1008})
            else:
                await _send_json(send, 400, "this server answers only to its own host name")
            return True
        if not self.token:
            return False
        given, from_query = self._presented(scope)
        if not given or not hmac.compare_digest(given.encode(), self.token.encode()):
            if websocket:
                await send({"type": "websocket.close", "code": 1008})
                return True
            await _send_json(
                send, 401, "a token is required: open the address accord serve printed "
                "(…?token=YOUR_TOKEN) or send 'Authorization: Bearer YOUR_TOKEN'",
                [(b"www-authenticate", b"Bearer")],
            )
            return True
        if from_query and not websocket:
            if scope.get("method") not in ("GET", "HEAD"):
                await _send_json(send, 400, "send the token in a header, not the address")
                return True
            await self._redirect_with_cookie(scope, send)
            return True
        return False

    async def _within_limit(self, scope: Scope, receive: Any, send: Any,
                            length: str | None) -> None:
        """Pass the request on, refusing (413) a body over `max_body`: at once by its declared
        length, else as soon as what arrives exceeds it."""
        if length is not None:
            try:
                too_big = int(length) > self.max_body
            except ValueError:
                too_big = True
            if too_big:
                await _send_json(send, 413, f"request body over {self.max_body:,} bytes")
                return
        seen = 0
        started = False

        async def limited_receive() -> Any:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise BodyTooLarge
            return message

        async def tracked_send(message: Any) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracked_send)
        except BodyTooLarge:
            if not started:
                await _send_json(send, 413, f"request body over {self.max_body:,} bytes")

    async def _redirect_with_cookie(self, scope: Scope, send: Any) -> None:
        """`?token=` once: set the cookie and send the browser to the address without it."""
        query = [(k, v) for k, vs in parse_qs(scope.get("query_string", b"").decode("latin-1"),
                                               keep_blank_values=True).items()
                 for v in vs if k != "token"]
        target = (scope.get("root_path", "") + scope["path"]) or "/"
        if query:
            target += "?" + urlencode(query)
        cookie = f"{COOKIE}={self.token}; HttpOnly; SameSite=Strict; Path=/"
        await send({"type": "http.response.start", "status": 303, "headers": [
            (b"location", target.encode("latin-1", "replace")),
            (b"set-cookie", cookie.encode()),
            (b"cache-control", b"no-store"),
            (b"content-length", b"0"),
        ]})
        await send({"type": "http.response.body", "body": b""})


def has_token(request: Any, token: str) -> bool:
    """Whether a request (a Starlette Request) carries the token: header or cookie."""
    auth = request.headers.get("authorization", "")
    given = (auth[7:].strip() if auth.lower().startswith("bearer ") else None) \
        or request.headers.get("x-accord-token") or request.cookies.get(COOKIE)
    return bool(given) and hmac.compare_digest(given.encode(), token.encode())
