"""`accord explain` ends with its answers as `accord run` does, and `accord watch` says what
its column heads mean (issue 29's console traps)."""

from __future__ import annotations

import json


def test_explain_ends_with_the_answers(cli) -> None:
    args = ("explain", "--paths", "2000", "--tornado-paths", "0")
    text = cli(*args).out
    doc = json.loads(cli(*args, "--json").out)
    qs = doc["questions"]
    lines = text.rstrip("\n").splitlines()
    assert lines[-len(qs) - 1].startswith("Answers")
    for q, line in zip(qs, lines[-len(qs):], strict=True):
        cells = line.split()
        assert cells[0] == q["question"] and cells[1] == f"{100 * q['probability']:.1f}%"
        assert cells[3] == q["by"]
        if q["outside_view"]:
            assert cells[-1] == f"{100 * q['outside_view']['probability']:.1f}%"


def test_watch_says_what_its_column_heads_mean(cli) -> None:
    text = cli("watch", "--paths", "2000", "--question", "treaty_2026").out
    assert "Q if yes" in text
    flat = " ".join(text.split())
    assert "Q if yes, Q if no: the question's probability if it has come by then" in flat
    assert "E|Δ| pt: how far the question is expected to move" in flat
