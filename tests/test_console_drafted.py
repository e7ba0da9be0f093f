"""`accord run` at 80 columns on scenarios with long ids (a draft's are made from its sentences):
every table keeps its right border (issue 29: the events and questions tables were cropped at
the console's edge, border and title with them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .shared_paths import REPO

RIGHT = "┓┃┩│┘┛┫┤"  # a table line's last character when nothing is cropped
LONG = "association_of_serb_majority_municipalities"  # 43 characters


def table_lines(text: str) -> list[str]:
    return [ln.rstrip() for ln in text.splitlines() if ln[:1] in "┏┃┡│└┗┠├┣"]


def assert_whole(text: str) -> None:
    lines = table_lines(text)
    assert lines
    for ln in lines:
        assert len(ln) <= 80 and ln[-1] in RIGHT, ln


def test_a_drafted_scenario_runs_at_80_columns_with_every_border(cli, tmp_path: Path,
                                                                 monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    out = tmp_path / "draft.yaml"
    r = cli("draft", str(REPO / "tests" / "data" / "draft" / "serbia_kosovo.txt"),
            "--out-file", str(out))
    assert r.code == 0, r.err
    r = cli("run", str(out), "--paths", "400", "--no-report")
    assert r.code == 0, r.err
    assert_whole(r.out)


@pytest.mark.parametrize("horizon", [24, 36])
def test_a_long_id_folds_inside_its_column(cli, tmp_path: Path, monkeypatch,
                                            horizon: int) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    f = tmp_path / "long.yaml"
    f.write_text(f"""meta: {{id: long, title: Long ids, as_of: 2026-01-01, horizon: {horizon}}}
actors: [{{id: a, name: A, capability: {{value: 1, assumption: t}}}}]
events:
  - {{id: {LONG}, name: The association is set up, hazard: {{low: 0.01, high: 0.1, assumption: t}}}}
questions:
  - {{id: q_{LONG}, text: Set up?, event: {LONG}, by: 2027-06-30}}
""")
    r = cli("run", str(f), "--paths", "400", "--no-report")
    assert r.code == 0, r.err
    assert_whole(r.out)
    events = r.out[r.out.index("P(event has occurred"):]
    events = events[:events.index("└")]
    first_cells = "".join(ln.split("│")[1].strip() for ln in events.splitlines()
                          if ln.startswith("│"))
    assert LONG in first_cells  # the id folded inside its column, not cut
