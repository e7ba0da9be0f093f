"""The review of a draft (accord.web.draftreview, the dashboard's New scenario → from a text):
every proposed element found with its sentence, and each decision leaving a scenario that
`accord validate --strict` accepts with its text beside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.draft.numbers import DEFAULT_HAZARD
from accord.scenario.loader import parse_scenario
from accord.web.drafting import Pending
from accord.web.draftreview import (
    DROPPED,
    Decision,
    elements,
    review_items,
    reviewed,
    sentence_of,
    with_notes,
)
from accord.web.yamledit import load_tree

from .shared_paths import REPO

TEXTS = sorted((REPO / "tests" / "data" / "draft").glob("*.txt"))


def drafted(name: str) -> tuple[Pending, list]:
    p = Pending(text=(REPO / "tests" / "data" / "draft" / name).read_text()).drafted()
    return p, elements(load_tree(p.yaml, "d"), [s.text for s in p.sentences])


def checked(p: Pending, found: list, decisions: dict, tmp_path: Path):  # noqa: ANN201
    """The reviewed scenario, loaded strictly with its text beside it (quotes checked)."""
    (tmp_path / "t.txt").write_text(p.text)
    text = reviewed(p.yaml, found, decisions, source_file="t.txt")
    return text, parse_scenario(text, "t.yaml", source_dirs=[tmp_path], require_texts=True,
                                strict=True)


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.stem)
def test_every_proposed_element_is_marked_on_a_sentence_of_its_text(path: Path) -> None:
    p, found = drafted(path.name)
    texts = [s.text for s in p.sentences]
    assert {e.kind for e in found} >= {"actor", "event"}
    for e in found:
        assert e.quotes, e.key
        assert any(sentence_of(q, texts) is not None for q in e.quotes), (e.key, e.quotes)
    assert review_items(p.yaml) == p.review  # the list atop the file reads back whole


@pytest.mark.parametrize("name", ["serbia_kosovo.txt", "ceasefire_mediator.txt",
                                  "coalition_deal.txt"])
def test_dropping_any_one_event_leaves_a_valid_scenario(name: str, tmp_path: Path) -> None:
    p, found = drafted(name)
    for e in (e for e in found if e.kind == "event"):
        text, loaded = checked(p, found, {e.key: Decision(drop=True)}, tmp_path)
        s = loaded.scenario
        assert e.item not in s.event_ids
        assert all(e.item not in str(x.when or "") for x in s.events), e.item
        assert all(q.event != e.item for q in s.questions)
        assert text.startswith("# A DRAFT")  # the review list stays on top


def test_links_numbers_and_names(tmp_path: Path) -> None:
    p, found = drafted("ceasefire_mediator.txt")
    number = next(e for e in found if e.kind == "number")
    link = next(e for e in found if e.kind == "link" and e.key.startswith("link:"))
    event = next(e for e in found if e.kind == "event")
    actor = next(e for e in found if e.kind == "actor")
    decisions = {number.key: Decision(drop=True), link.key: Decision(drop=True),
                 event.key: Decision(name="Renamed event"),
                 actor.key: Decision(name="Renamed actor")}
    _, loaded = checked(p, found, decisions, tmp_path)
    s = loaded.scenario
    ev = s.event(number.item)
    rate = ev.hazard or ev.chance or ev.repeatable
    assert rate.assumption == DROPPED and not rate.evidence
    assert rate.describe().startswith("Beta(") and DEFAULT_HAZARD["b"] == 20
    assert link.key.split(":", 2)[2] not in str(s.event(link.item).when or "")
    assert s.event(event.item).name == "Renamed event"
    q = [x for x in s.questions if x.event == event.item]
    assert all("Renamed event" in x.text for x in q)
    a = next(x for x in s.actors if x.id == actor.item)
    assert a.name == "Renamed actor" and actor.label in a.aliases  # the text's name kept


@pytest.mark.parametrize("name", ["trilogue.txt", "mackerel.txt", "port_strike.txt"])
def test_dropping_an_actor_takes_its_positions(name: str, tmp_path: Path) -> None:
    p, found = drafted(name)
    tree = load_tree(p.yaml, "d")
    sides = {str(a) for iss in tree.get("issues") or [] for a in iss["positions"]}
    actor = next(e for e in found if e.kind == "actor" and e.item in sides)
    _, loaded = checked(p, found, {actor.key: Decision(drop=True)}, tmp_path)
    s = loaded.scenario
    assert actor.item not in [a.id for a in s.actors]
    assert all(actor.item not in iss.positions and len(iss.positions) >= 2 for iss in s.issues)


def test_notes_join_the_review_list() -> None:
    text = ("# A DRAFT drafted by `accord draft` from x.\n# Needs review:\n#  - one\n#    two\n"
            "meta: {}\n")
    assert review_items(text) == ["one two"]
    assert review_items(with_notes(text, ["three"])) == ["one two", "three"]
    assert review_items("meta: {}\n") == [] and with_notes("meta: {}\n", ["x"]) == "meta: {}\n"
    named = text.replace("#  - one", "#  - link: 'talks' when x: check it")
    assert review_items(with_notes(named, ["three"], ["talks"])) == ["three"]  # and its 2nd line
