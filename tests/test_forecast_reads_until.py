"""`accord forecast` simulates only the months its question reads (`read_until`): its answer
must be the one the whole horizon gives, to the bit, whatever the scenario holds (decaying
rates and named thresholds, reference classes, events that move the bargaining table,
observations), by Monte Carlo and exactly."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from accord.process import forecast as fc

ROOT = Path(__file__).resolve().parents[1]
CASES = [
    ("south-caucasus-2025", "treaty_signed", "2026-12-31", ()),
    ("south-caucasus-2025", "referendum_held", "2025-06-02", ()),
    ("south-caucasus-2025", "treaty_signed", "2027-01-15",
     ("--observed", str(ROOT / "examples" / "observed-hypothetical.yaml"))),
    (str(ROOT / "examples" / "outside-view.yaml"), None, None, ()),
    (str(ROOT / "examples" / "harbour-talks.yaml"), None, None, ()),
]


def answer(cli: Callable[..., Any], *args: str) -> dict[str, Any]:
    r = cli("forecast", *args, "--json", "--paths", "4000", "--seed", "11")
    assert r.code == 0, r.err
    doc = json.loads(r.out)
    doc.pop("run_id")
    return doc


def first_event_and_midpoint(path: str) -> tuple[str, str]:
    from accord.scenario.calendar import add_months
    from accord.scenario.loader import load_scenario

    s = load_scenario(path).scenario
    return s.events[0].id, add_months(s.meta.as_of, s.meta.horizon // 2).isoformat()


@pytest.mark.parametrize(("scenario", "event", "by", "extra"), CASES)
@pytest.mark.parametrize("exact", [False, True], ids=["mc", "exact"])
def test_the_cut_horizon_answers_as_the_whole(cli: Callable[..., Any], tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch, scenario: str,
                                              event: str | None, by: str | None,
                                              extra: tuple[str, ...], exact: bool) -> None:
    if event is None:
        event, by = first_event_and_midpoint(scenario)
    assert by is not None
    args = [scenario, "--event", event, "--by", by, "--db",
            f"sqlite:///{tmp_path / 'runs.db'}", *extra, *(["--exact"] if exact else [])]
    cut = answer(cli, *args)
    monkeypatch.setattr(fc, "read_until", lambda s, by: s)
    whole = answer(cli, *args)
    assert cut == whole
    assert 0 <= cut["probability"] <= 1


def test_the_cut_keeps_the_months_the_deadline_reads() -> None:
    import datetime as dt

    from accord.scenario.loader import load_scenario

    s = load_scenario("south-caucasus-2025").scenario  # as of 2025-04-03, 36 months
    # the end of 2 May is the end of step 1; the end of 3 May is 1/31 into step 2
    assert fc.read_until(s, dt.date(2025, 5, 2)).meta.horizon == 2
    assert fc.read_until(s, dt.date(2025, 5, 3)).meta.horizon == 2
    assert fc.read_until(s, dt.date(2025, 6, 3)).meta.horizon == 3
    assert fc.read_until(s, dt.date(2028, 4, 2)) is s  # the last day of the window
