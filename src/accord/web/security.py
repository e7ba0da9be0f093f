"""Who may talk to the dashboard, and how much they may send.

Loopback by default. A non-loopback host needs a token, and every request must then carry it:
`Authorization: Bearer TOKEN`, the header `X-Accord-Token`, or `?token=TOKEN` once in the browser's
address (which sets an HttpOnly cookie, so the page's own requests and websocket carry it after).
Request bodies are capped; a larger one is answered 413 before it is read.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

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
    if not is_loopback(host) and not token:
        raise UserError.at(
            f"serving on {host}, beyond this machine, needs --token SECRET "
            "(every request must then carry it); or keep the default --host 127.0.0.1",
            field="host",
        )
    if token is not None and len(token) < 8:
        raise UserError.at("must be at least 8 characters", field="token")


class _TooLarge(Exception):
    pass


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

    def __init__(self, app: Any, token: str | None = None, max_body: int = MAX_BODY) -> None:
        self.app = app
        self.token = token
        self.max_body = max_body

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
        set_cookie = False
        if self.token:
            given, from_query = self._presented(scope)
            if not given or not hmac.compare_digest(given.encode(), self.token.encode()):
                if scope["type"] == "websocket":
                    await send({"type": "websocket.close", "code": 1008})
                    return
                await _send_json(
                    send, 401, "a token is required: open the address with ?token=YOUR_TOKEN "
                    "or send 'Authorization: Bearer YOUR_TOKEN'",
                    [(b"www-authenticate", b"Bearer")],
                )
                return
            set_cookie = from_query
        if scope["type"] == "websocket":
            await self.app(scope, receive, send)
            return
        for k, v in scope["headers"]:
            if k.lower() == b"content-length":
                try:
                    too_big = int(v) > self.max_body
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
                    raise _TooLarge
            return message

        async def guarded_send(message: Any) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if set_cookie:
                    cookie = f"{COOKIE}={self.token}; HttpOnly; SameSite=Strict; Path=/"
                    message = {
                        **message,
                        "headers": [*message.get("headers", []), (b"set-cookie", cookie.encode())],
                    }
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except _TooLarge:
            if not started:
                await _send_json(send, 413, f"request body over {self.max_body:,} bytes")
