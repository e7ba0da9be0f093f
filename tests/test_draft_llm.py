"""`accord draft --llm URL` against a local stub that speaks the OpenAI chat protocol, with
recorded answers: a good proposal, one with an invented quote, malformed JSON, HTTP errors, a
slow answer, and no server at all. The deterministic draft is always written."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

DATA = Path(__file__).parent / "data" / "draft"
TEXT = DATA / "cyprus.txt"
REAL = "Hydrocarbon exploration around the island could also reignite naval tensions"
INVENTED = "Turkey has promised to withdraw all troops from the island by Christmas"
UNTYPED = "Such offers matter at the margins, but the core dispute over governance and security"
PAST = "first such gathering in four years"


def _event(eid: str, quote: str, name: str = "") -> dict[str, Any]:
    return {"id": eid, "name": name or eid.replace("_", " "),
            "hazard": {"dist": "beta", "a": 1, "b": 30,
                       "evidence": [{"source": "article", "quote": quote}]}}


PROPOSAL = {
    "meta": {"id": "x", "title": "x", "as_of": "2026-09-03", "horizon": 24},
    "actors": [{"id": "greece", "name": "Greece", "capability": 50},
               {"id": "turkish_cypriots", "name": "Turkish Cypriots",
                "capability": {"low": 5, "high": 20}}],
    "events": [_event("naval_tensions", REAL, "Greece and Turkey could clash at sea"),
               _event("troops_withdrawn", INVENTED),
               {"id": "bad_when", "name": "x clash", "when": "no_such_event", "hazard": 0.1},
               # the drafter's rules: a kind, no past fact, one question per event
               _event("offers_matter", UNTYPED, UNTYPED + " …"),
               _event("gathering_held", PAST, "The leaders met in Geneva")],
    "questions": [{"id": "q1", "text": "Clash?", "event": "naval_tensions", "by": "2027-01-01"},
                  {"id": "q2", "text": "Clash again?", "event": "naval_tensions",
                   "by": "2027-06-01"},
                  {"id": "q3", "text": "Offers?", "event": "offers_matter", "by": "2027-01-01"}],
}


class Stub(BaseHTTPRequestHandler):
    answers: list[tuple[int, str, float]] = []  # (status, body, delay)
    seen: list[dict[str, Any]] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        length = int(self.headers.get("Content-Length", 0))
        Stub.seen.append({"path": self.path, "auth": self.headers.get("Authorization"),
                          "body": json.loads(self.rfile.read(length))})
        status, body, delay = Stub.answers[0]
        time.sleep(delay)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        try:
            self.wfile.write(body.encode())
        except OSError:  # the client gave up (timeout)
            pass

    def log_message(self, *args: object) -> None:
        pass


def chat(content: str) -> str:
    return json.dumps({"choices": [{"message": {"role": "assistant", "content": content}}]})


@pytest.fixture
def stub() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Stub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Stub.seen.clear()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def run(cli, tmp_path: Path, url: str, answer: tuple[int, str, float]):  # noqa: ANN201
    Stub.answers[:] = [answer]
    out = tmp_path / "d.yaml"
    r = cli("draft", str(TEXT), "--out", str(out), "--llm", url)
    return r, out


def test_a_good_proposal_is_merged_and_an_invented_quote_dropped(
    cli, stub: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACCORD_LLM_KEY", "sekrit")
    r, out = run(cli, tmp_path, stub, (200, chat(json.dumps(PROPOSAL)), 0))
    assert r.code == 0, r.err
    doc = YAML(typ="safe").load(out.read_text())
    events = {e["id"]: e for e in doc["events"]}
    # typed and named as the drafter names its kind, never the model's sentence
    escalation = events["greece_turkey_escalation"]["name"]
    assert escalation == "Fighting between Greece and Turkey escalates"
    assert "turkish_cypriots" in {a["id"] for a in doc["actors"]}
    assert not {"troops_withdrawn", "bad_when", "offers_matter", "gathering_held"} & set(events)
    assert not any(e["name"].endswith("…") for e in events.values())
    assert INVENTED not in json.dumps(doc, default=str)
    asked = [q["event"] for q in doc["questions"]]
    assert asked.count("greece_turkey_escalation") == 1 and len(asked) == len(set(asked))
    err = " ".join(r.err.split())  # the console wraps at word boundaries
    assert "dropped event 'troops_withdrawn': its quote is not in the text" in err
    assert "dropped event 'bad_when'" in err
    assert "dropped event 'offers_matter': of no kind the draft knows" in err
    assert "dropped event 'gathering_held': it tells what already happened" in err
    assert "dropped question 'q2': its event has a question already" in err
    seen = Stub.seen[0]
    assert seen["path"] == "/v1/chat/completions" and seen["auth"] == "Bearer sekrit"
    assert seen["body"]["response_format"]["type"] == "json_schema"
    assert "events" in seen["body"]["response_format"]["json_schema"]["schema"]["properties"]
    assert cli("validate", str(out), "--sources", str(DATA)).code == 0


@pytest.mark.parametrize(("answer", "message"), [
    ((200, chat("{not json at all"), 0), "not a JSON scenario"),
    ((200, "<html>busy</html>", 0), "not a JSON scenario"),
    ((200, chat("[1, 2]"), 0), "not a scenario mapping"),
    ((500, "{}", 0), "HTTP 500"),
    ((200, chat("{}"), 2.0), "did not answer within"),
])
def test_garbage_or_slow_answers_leave_the_deterministic_draft(
    cli, stub: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    answer: tuple[int, str, float], message: str,
) -> None:
    monkeypatch.setenv("ACCORD_LLM_TIMEOUT", "0.5")
    r, out = run(cli, tmp_path, stub, answer)
    err = " ".join(r.err.split())  # the console wraps at word boundaries
    assert r.code == 0 and message in err and "deterministic draft is written" in err
    assert cli("validate", str(out), "--sources", str(DATA)).code == 0


def test_no_server_leaves_the_deterministic_draft(cli, tmp_path: Path) -> None:
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r, out = run(cli, tmp_path, f"http://127.0.0.1:{port}/v1", (200, "", 0))
    assert r.code == 0 and "cannot reach" in " ".join(r.err.split()) and out.is_file()
