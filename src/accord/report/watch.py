"""`accord watch` in the console and as the report's "What to watch" section."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.text import Text

from accord.analysis.watch import QuestionWatch
from accord.report.console import pct, table


def print_watch(console: Console, found: Sequence[QuestionWatch], top: int = 5) -> None:
    """Per question: its probability, the developments that would move it most (a table:
    P(the event by the window's end), the question's probability if it has happened and if
    not, the expected absolute change E|Δ| in points), and the first of them in words."""
    for w in found:
        console.print(Text.assemble((w.question, "bold"), f": {w.text} ",
                                    (pct(w.probability), "bold"), f" (by {w.by})"))
        if not w.watch:
            console.print("  nothing in the window bears on it", style="dim")
            continue
        by = w.watch[0].by
        rows = [[x.event if x.kind == "event" else f"sign: {x.indicator}", _p(x.p_event),
                 _p(x.if_yes), _p(x.if_no), f"{100 * x.expected_change:.1f}"]
                for x in w.watch[:top]]
        console.print(table(console, ["event", "P(by then)", "Q if yes", "Q if no", "E|Δ| pt"],
                            rows, title=f"what to watch until {by}"))
        console.print(Text(w.watch[0].sentence(w.question, w.probability), style="dim"))
        console.print()
    if any(w.watch for w in found):
        console.print(Text(HEADS, style="dim"))


HEADS = ("P(by then): the chance the event (or sign) comes by the window's end · Q if yes, Q if "
         "no: the question's probability if it has come by then, and if not · E|Δ| pt: how far "
         "the question is expected to move, in percentage points (the larger, the more worth "
         "watching)")


def _p(x: float) -> str:
    return "—" if x != x else pct(x)  # NaN: a sign with no rate of being seen


def watch_sentences(found: Sequence[QuestionWatch], top: int = 3) -> dict[str, list[str]]:
    """Per question, its `top` developments in words (the report's and the dashboard's)."""
    return {w.question: [x.sentence(w.question, w.probability) for x in w.watch[:top]]
            for w in found}
