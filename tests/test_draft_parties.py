"""The text's parties (accord.draft.build): a pair written before what they negotiate names
them, else the first two actors the text names."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from accord.draft.build import Options, build
from accord.draft.text import read_article

PAIRED = """\
Fish threatens the EU-Norway fisheries pact

OSLO, 3 March 2027 - China and Japan have watched the quarrel from afar. Brussels and Oslo
will meet in Bergen on 20 March, and a deal is likely before the summer.
"""


def _principals(text: str, tmp_path: Path) -> list[str]:
    path = tmp_path / "t.txt"
    path.write_text(text, encoding="utf-8")
    return build(read_article(str(path)), Options(as_of=dt.date(2027, 3, 3))).parties.principals


def test_a_pair_before_what_it_negotiates_names_the_parties(tmp_path: Path) -> None:
    assert _principals(PAIRED, tmp_path) == ["eu", "norway"]  # not China and Japan, named first


def test_without_a_pair_the_first_two_named(tmp_path: Path) -> None:
    text = PAIRED.replace("EU-Norway", "new")
    assert _principals(text, tmp_path) == ["china", "japan"]
    # a pair of one actor's two names, or a pair before no negotiation, names no parties
    assert _principals(PAIRED.replace("EU-Norway", "EU-Brussels"), tmp_path) == \
        _principals(text, tmp_path)
    # the first two named, the EU (an international body: a mediator more often) after
    assert _principals(PAIRED.replace("EU-Norway fisheries pact", "EU-Norway weather"),
                       tmp_path) == ["norway", "china"]


STRIKE = """\
Dockers at Portline threaten stoppages

LIMA, 3 March 2027 - The Portline company and the Dockworkers Union of Callao met on Monday
without agreement. The union is seeking a 6 percent rise. Analysts said a first stoppage is
likely unless the company improves its offer. Talks will resume on 12 March.
"""


def test_a_strike_that_names_no_side_is_the_union_s(tmp_path: Path) -> None:
    """And "analysts said a first stoppage is likely" tells of no stoppage that happened."""
    path = tmp_path / "strike.txt"
    path.write_text(STRIKE, encoding="utf-8")
    draft = build(read_article(str(path)), Options(as_of=dt.date(2027, 3, 3)))
    kinds = {kind: who for kind, who in draft.typed.values()}
    assert kinds["strike"] == ["dockworkers_union_of_callao"]  # not the company
    assert set(kinds["talks_held"]) == {"portline", "dockworkers_union_of_callao"}
