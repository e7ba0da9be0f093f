"""The condition grammar: what parses, what it means structurally, and what is refused."""

from __future__ import annotations

import pytest

from accord.scenario import conditions as C


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a", C.Occurred("a")),
        ("not a", C.Not(C.Occurred("a"))),
        ("a and not b", C.And((C.Occurred("a"), C.Not(C.Occurred("b"))))),
        ("a or b and c", C.Or((C.Occurred("a"), C.And((C.Occurred("b"), C.Occurred("c")))))),
        ("(a or b) and c", C.And((C.Or((C.Occurred("a"), C.Occurred("b"))), C.Occurred("c")))),
        ("since(a) >= 2", C.Compare(">=", C.Since("a"), C.Number(2))),
        ("2 <= count(a)", C.Compare(">=", C.Count("a"), C.Number(2))),
        ("date >= 2026-06", C.Compare(">=", C.Now(), C.DateLit(2026, 6))),
        ("date < 2026-06-15", C.Compare("<", C.Now(), C.DateLit(2026, 6))),
        (
            "issue.constitution >= 80.5",
            C.Compare(">=", C.IssueOutcome("constitution"), C.Number(80.5)),
        ),
        ("", C.TRUE),
        ("true", C.TRUE),
    ],
)
def test_parse(text: str, expected: C.Expr) -> None:
    assert C.parse(text) == expected
    assert C.parse(C.to_text(expected)) == expected  # rendering round-trips


@pytest.mark.parametrize(
    "text",
    [
        "a and",
        "a >= 2",
        "since(a) >= 2026-01",
        "a $ b",
        "(a",
        "x.y",
        "count() > 1",
        "a b",
        "__import__('os')",
        "not",
        "date >= 2026-13",
    ],
)
def test_refused(text: str) -> None:
    with pytest.raises(C.ConditionSyntaxError):
        C.parse(text)


def test_required_events() -> None:
    assert C.required_events(C.parse("a and (b or c)")) == {"a"}
    assert C.required_events(C.parse("(a and b) or (a and c)")) == {"a"}
    assert C.required_events(C.parse("not a")) == set()
    assert C.required_events(C.parse("count(a) >= 1 and count(b) >= 0")) == {"a"}
    assert C.required_events(C.parse("since(a) <= 3")) == {"a"}
    assert C.events_referenced(C.parse("a or not since(b) > 1 or count(c) < 2")) == {"a", "b", "c"}
