"""A draft's as_of is the text's own date (its dateline), never the date of something it tells
of: "made public since September 2022" once made a 2022 as_of (issue 29)."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.draft.dates import stated_date

CASES = [
    ("Belgrade and Pristina\n\nThe plan, made public since September 2022, is discussed at "
     "length in every capital of the region.\nBRUSSELS, 18 March 2023 (Reuters) - talks "
     "between the sides resumed on Friday after a month of silence", dt.date(2023, 3, 18)),
    ("By Olesya Vartanyan\n\nApril 03,2025\n\nIn recent months", dt.date(2025, 4, 3)),
    ("Published on 4 March 2026\nThe talks", dt.date(2026, 3, 4)),
    ("Analysis | March 2025\nThe region", dt.date(2025, 3, 1)),
    ("2026-02-15 Brief\nThe talks", dt.date(2026, 2, 15)),
    ("Talks\nThe deal signed in March 2021 collapsed.\nNo date here", None),
    ("The ceasefire agreed on 12 May 2024 held until June 2025 despite the many incidents "
     "along the line.", None),
]


@pytest.mark.parametrize("text, want", CASES)
def test_as_of_is_the_texts_own_date(text: str, want: dt.date | None) -> None:
    found = stated_date(text)
    assert (found[0] if found else None) == want


def test_a_text_without_a_date_is_drafted_as_of_today_and_says_so(cli, tmp_path) -> None:
    f = tmp_path / "t.txt"
    f.write_text(CASES[-1][0] + " Serbia and Kosovo will sign a border treaty next year.\n")
    out = tmp_path / "d.yaml"
    r = cli("draft", str(f), "--out", str(out))
    assert r.code == 0, r.err
    text = out.read_text()
    assert f"as_of: {dt.date.today().isoformat()}" in text
    assert "today (the text's first lines give no date)" in text


def test_an_agreement_expected_at_a_summit_is_a_chance_decided_that_month(cli, tmp_path) -> None:
    """'officials expect a political agreement at the summit on 6 December' once became a
    certain event; the meeting itself, stated plainly, stays scheduled."""
    from accord.scenario.loader import load_scenario

    f = tmp_path / "merc.txt"
    f.write_text("EU and Mercosur near a deal\n\nBrussels, 2 November 2026\n\nTrade officials "
                 "from the European Union and Mercosur expect a political agreement at the "
                 "summit on 6 December. Ministers meet in Montevideo on 20 November.\n")
    out = tmp_path / "d.yaml"
    assert cli("draft", str(f), "--out", str(out)).code == 0
    s = load_scenario(out, sources=tmp_path).scenario
    deal = next(e for e in s.events if e.name.endswith("sign the agreement"))  # typed
    meeting = next(e for e in s.events if "hold talks" in e.name)
    assert deal.kind == "chance" and deal.when == "date >= 2026-12"
    assert meeting.kind == "scheduled" and str(meeting.scheduled) == "2026-11-20"
