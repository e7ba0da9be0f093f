"""An optional language model (any OpenAI-compatible chat endpoint) that proposes more.

The model is asked for a scenario as JSON, constrained by accord's own JSON Schema. Its answer
is then checked as a file is: an element any of whose quotes is not in the text is dropped,
and so is one that would make the scenario invalid; each drop is reported. Whatever the
endpoint does (down, slow, garbage), the deterministic draft stands.
"""

from __future__ import annotations

import json
import os
from typing import Any

from accord.draft.build import SOURCE, Draft
from accord.draft.numbers import DRAFTED
from accord.draft.proposed import question_ok, typed_event
from accord.draft.text import Article
from accord.errors import UserError
from accord.scenario.evidence import quote_occurs

KEY_ENV = "ACCORD_LLM_KEY"
MODEL_ENV = "ACCORD_LLM_MODEL"
TIMEOUT_ENV = "ACCORD_LLM_TIMEOUT"
DEFAULT_TIMEOUT_S = 120.0
SECTIONS = ("actors", "events", "questions")
PROMPT = (
    "You draft a scenario of a negotiation in accord's format from the text the user gives. "
    "Name the actors (states, organisations), the events that may happen (a short clause as "
    "name), their preconditions in `when` (event ids joined by and/or/not), and one question "
    "per event. Every number needs evidence: [{source: 'text', quote: EXACT words of the "
    "text}] or an assumption. Quote the text word for word; never paraphrase. Answer with "
    "the scenario as JSON only."
)


class LLMFailure(Exception):
    """The endpoint gave nothing usable; the message says why, for the user."""


def endpoint(url: str) -> str:
    url = url.rstrip("/")
    if url.endswith("/chat/completions"):
        return url
    return url + ("/chat/completions" if url.endswith("/v1") else "/v1/chat/completions")


def ask(url: str, text: str) -> dict[str, Any]:
    """The model's proposal, parsed; LLMFailure when the endpoint fails or answers garbage."""
    import httpx

    from accord.scenario.model import Scenario

    body = {
        "model": os.environ.get(MODEL_ENV, "default"),
        "temperature": 0,
        "messages": [{"role": "system", "content": PROMPT}, {"role": "user", "content": text}],
        "response_format": {"type": "json_schema", "json_schema": {
            "name": "accord_scenario", "schema": Scenario.model_json_schema(by_alias=True)}},
    }
    key = os.environ.get(KEY_ENV)
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    timeout = float(os.environ.get(TIMEOUT_ENV, DEFAULT_TIMEOUT_S))
    try:
        r = httpx.post(endpoint(url), json=body, headers=headers, timeout=timeout)
    except httpx.TimeoutException:
        raise LLMFailure(f"{url} did not answer within {timeout:g} s") from None
    except httpx.HTTPError as exc:
        raise LLMFailure(f"cannot reach {url}: {exc}") from None
    if r.status_code != 200:
        raise LLMFailure(f"{url} answered HTTP {r.status_code}")
    try:
        content = r.json()["choices"][0]["message"]["content"]
        proposal = json.loads(content)
    except (ValueError, KeyError, IndexError, TypeError):
        raise LLMFailure(f"{url} answered something that is not a JSON scenario") from None
    if not isinstance(proposal, dict):
        raise LLMFailure(f"{url} answered JSON that is not a scenario mapping")
    return proposal


def improve(draft: Draft, article: Article, url: str) -> list[str]:
    """Merge the model's checked additions into the draft; the messages say what happened."""
    try:
        proposal = ask(url, article.text)
    except LLMFailure as exc:
        return [f"{exc}; the deterministic draft is written"]
    notes: list[str] = []
    added = 0
    renamed: dict[str, str] = {}  # a proposed event's id -> the id the draft gives it
    for section in SECTIONS:
        items = proposal.get(section)
        for item in items if isinstance(items, list) else []:
            ok, why = _merge(draft, article, section, item, renamed)
            added += ok
            notes.extend([why] if why else [])
    draft.review.extend(f"llm: {n}" for n in notes)
    if added:
        draft.review.append(f"llm: {added} element(s) proposed by the model at {url}: review")
    return [f"{added} element(s) added from the model's proposal", *notes]


def _merge(draft: Draft, article: Article, section: str, item: Any,
           renamed: dict[str, str]) -> tuple[bool, str | None]:
    """(added?, why not): added if its quotes are in the text, it meets the drafter's rules
    (accord.draft.proposed) and the draft stays valid."""
    from accord.draft.writer import check, to_yaml

    if not isinstance(item, dict) or not isinstance(item.get("id"), str):
        return False, f"dropped a {section[:-1]} without an id"
    label = f"{section[:-1]} '{item['id']}'"
    if any(x.get("id") == item["id"] for x in draft.scenario[section]):
        return False, None  # the draft has it already
    invented = [q for q in _quotes(item) if not quote_occurs(q, article.verify)]
    if invented:
        return False, f"dropped {label}: its quote is not in the text (\"{invented[0][:60]}\")"
    proposed = None
    if section == "events":
        proposed = typed_event(draft, item)
        if proposed.item is None:
            return False, proposed.why
        item = proposed.item
    elif section == "questions" and (why := question_ok(draft, item, renamed)):
        return False, why
    _label_numbers(item)
    draft.scenario[section].append(item)
    try:
        check(to_yaml(draft), "llm-draft.yaml")
    except UserError as exc:
        draft.scenario[section].pop()
        return False, f"dropped {label}: {exc.problems[0].message}"
    if proposed is not None:
        renamed[label.split("'")[1]] = item["id"]
        draft.typed[item["id"]] = proposed.kind
    return True, None


def _quotes(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["quote"]] if isinstance(node.get("quote"), str) else []
        return found + [q for v in node.values() for q in _quotes(v)]
    if isinstance(node, list):
        return [q for v in node for q in _quotes(v)]
    return []


def _label_numbers(node: Any) -> None:
    """Every quote cites the draft's one source; a number without provenance is a draft's."""
    if isinstance(node, dict):
        if isinstance(node.get("quote"), str):
            node["source"] = SOURCE
        looks_numeric = "dist" in node or "value" in node or "low" in node or "a" in node
        if looks_numeric and not node.get("evidence") and not node.get("assumption"):
            node["assumption"] = DRAFTED
        for v in node.values():
            _label_numbers(v)
    elif isinstance(node, list):
        for v in node:
            _label_numbers(v)
