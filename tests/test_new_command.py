"""`accord new`: a commented template that validates and runs as written; `--from` copies a
built-in scenario; `accord scenarios` says where each built-in file lives."""

from __future__ import annotations

import json
import re
from pathlib import Path

from accord.scenario.loader import DEFAULT_SCENARIO, builtin_text, template_text

SECTIONS = ("meta", "actors", "issues", "events", "questions")


def test_new_validates_and_runs_as_written(tmp_path: Path, cli) -> None:
    path = tmp_path / "my.yaml"
    r = cli("new", str(path))
    assert r.code == 0, r.err
    assert cli("validate", str(path)).code == 0
    run = cli("run", str(path), "--paths", "2000", "--no-report", "--json")
    assert run.code == 0, run.err
    doc = json.loads(run.out)
    (q,) = doc["forecast"]["questions"]
    assert q["id"] == "deal_in_a_year" and 0 < q["probability"] < 1


def test_new_keeps_an_existing_file_unless_forced(tmp_path: Path, cli) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("my own work\n", encoding="utf-8")
    r = cli("new", str(path))
    assert r.code == 2 and "exists already" in r.err and str(path) in r.err
    assert path.read_text(encoding="utf-8") == "my own work\n"
    assert cli("new", str(path), "--force").code == 0
    assert "capability" in path.read_text(encoding="utf-8")


def test_from_copies_a_builtin_verbatim(tmp_path: Path, cli) -> None:
    path = tmp_path / "copy.yaml"
    assert cli("new", str(path), "--from", DEFAULT_SCENARIO).code == 0
    assert path.read_text(encoding="utf-8") == builtin_text(DEFAULT_SCENARIO)
    r = cli("new", str(tmp_path / "x.yaml"), "--from", "south-caucasus")
    assert r.code == 2 and f"did you mean '{DEFAULT_SCENARIO}'?" in r.err
    assert not (tmp_path / "x.yaml").exists()


def test_the_templates_monthly_rates_are_right() -> None:
    """Each 'X% within a year ≈ h a month' satisfies 1 - (1 - h)^12 = X to h's rounding."""
    import datetime as dt

    text = template_text(dt.date(2026, 1, 15))
    pairs = re.findall(r"(\d+)% within a year ≈ ([0-9.]+) a month", text)
    assert len(pairs) >= 4 and ("30", "0.029") in pairs
    for year, month in pairs:
        h = float(month)
        step = 10 ** -(len(month.split(".")[1]))  # the rounding of the printed rate
        lo, hi = 1 - (1 - (h - step / 2)) ** 12, 1 - (1 - (h + step / 2)) ** 12
        assert lo <= int(year) / 100 <= hi, (year, month)
    m = re.search(r"so ([0-9.]+) a month is about (\d+)% a year", text)
    assert m and round(100 * (1 - (1 - float(m[1])) ** 12)) == int(m[2])


def test_every_section_and_unit_is_explained() -> None:
    import datetime as dt

    lines = template_text(dt.date(2026, 1, 15)).splitlines()
    for section in SECTIONS:
        at = lines.index(f"{section}:")
        assert lines[at - 1].startswith("#"), section  # a comment just above each section
    head = "\n".join(line for line in lines if line.startswith("#"))
    for unit in ("capability", "0-100", "salience", "0-1", "per MONTH", "YYYY-MM-DD"):
        assert unit in head, unit


def test_scenarios_says_where_each_file_lives(cli) -> None:
    r = cli("scenarios", "--json")
    rows = json.loads(r.out)
    for row in rows:
        assert Path(row["file"]).read_text(encoding="utf-8") == builtin_text(row["id"])
    text = cli("scenarios").out
    assert DEFAULT_SCENARIO + ".yaml" in text
