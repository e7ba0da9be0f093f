"""Judgments written as a label and its estimate (accord.draft.cues.judgment), and the events
a brief's list of them drafts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from accord.draft.build import Options, build
from accord.draft.cues import judgment
from accord.draft.text import read_article

BRIEF = """\
Assessment: the Ardenne water talks

The government of Valmora and the Ardenne Liberation Front will meet in Geneva on 12 May 2027
to discuss the sharing of the river's flow.

Key judgments.
- Ratification of the water-sharing treaty by the end of March 2028: unlikely, about 30 percent.
- Full implementation of the treaty: we doubt it; roughly one in four.
- Renewed clashes along the river: almost certain if the talks fail.
- Budget share: 10 percent of the ministry's revenue goes to the dams.
"""


def test_a_label_and_its_estimate() -> None:
    assert judgment("- Collapse of the Muscat round: about one in five, most probably ...") == \
        ("Collapse of the Muscat round", "about one in five, most probably ...")
    assert judgment("Signature of a deal by June: likely, 65 percent")[0] == \
        "Signature of a deal by June"  # type: ignore[index]
    for not_one in ("Note: the talks will resume in May.", "Share: 10 percent of revenue.",
                    "Talks: likely", "The deal is likely to be signed by June."):
        assert judgment(not_one) is None, not_one


PIECES = ["a", "b", " ", "-", ":", ";", ",", ".", "%", "7", "40", "likely", "one in four",
          "percent", " of ", "we doubt", "Signature", "\n"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_a_judgment_s_parts_are_the_sentence_s(text: str) -> None:
    parts = judgment(text)
    if parts is not None:
        event, estimate = parts
        assert event in text and text.rstrip().endswith(estimate.rstrip())
        assert len(event.split()) >= 2 and ":" not in event


def test_a_brief_s_judgments_are_its_events(tmp_path: Path) -> None:
    path = tmp_path / "brief.txt"
    path.write_text(BRIEF, encoding="utf-8")
    draft = build(read_article(str(path)), Options(as_of=dt.date(2027, 4, 1)))
    events = {draft.typed[e["id"]][0]: e for e in draft.scenario["events"] if e["id"] in
              draft.typed}
    ratified = events["agreement_ratified"]
    assert "30%" in ratified["hazard"]["assumption"] and "2028-03-31" in \
        ratified["hazard"]["assumption"]
    assert "25%" in events["agreement_implemented"]["hazard"]["assumption"]
    escalation = events["escalation"]  # "almost certain if the talks fail": a condition
    assert "almost certain" in escalation["hazard"]["assumption"]
    assert [m["if"] for m in escalation["modifiers"]] == [events["talks_broken_off"]["id"]]
    assert draft.typed[escalation["id"]][1] == ["valmora", "ardenne_liberation_front"]
    assert not any("10 percent of" in e["name"] for e in draft.scenario["events"])
