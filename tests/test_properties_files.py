"""Property-based tests (hypothesis) for the other files users hand accord: bargaining tables
(KTAB, long and classic CSVs, DECIDE exports) and observations. Whatever junk is spliced in,
a file loads or is a UserError naming the file; never a bare exception."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.bargaining.groups import read_decide
from accord.bargaining.io import load_tables
from accord.errors import UserError
from accord.scenario.loader import DEFAULT_SCENARIO, builtin_text, parse_scenario
from accord.scenario.observations import check_against, observations_from_text

from .shared_paths import SHARED

DATA = SHARED / "data"
FUZZ = settings(max_examples=120, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
JUNK = st.one_of(
    st.sampled_from([",", '"', "\t", "\n", "\r", "nan", "inf", "-1e309", "1e309", "\x00", "\ufeff",
                     "#", "-", "1.5", "9" * 40, ";", "é"]),
    st.text(max_size=6),
)


def _head(path: Path, lines: int) -> str:
    return "\n".join(path.read_text(encoding="utf-8").splitlines()[:lines]) + "\n"


def _splice(text: str, data: st.DataObject) -> str:
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.sampled_from([0, 0, 1, 3]))
        text = text[:at] + data.draw(JUNK) + text[at + cut:]
    return text


def _loads_or_names_the_file(load, path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            load(path)
        except UserError as exc:
            assert exc.problems and all(p.file and Path(p.file).name == path.name
                                        for p in exc.problems), str(exc)


TABLES = {
    "ktab": lambda: (DATA / "ktab" / "dummyData_3Dim.csv").read_text(encoding="utf-8"),
    "classic": lambda: (DATA / "eum" / "eu-emissions.csv").read_text(encoding="utf-8"),
    "long": lambda: _head(DATA / "deu" / "dev-positions.csv", 40),
}


@pytest.mark.parametrize("kind", sorted(TABLES))
@FUZZ
@given(data=st.data())
def test_a_bargaining_table_with_junk_loads_or_is_a_user_error(kind: str, data, tmp_path) -> None:
    path = tmp_path / f"{kind}.csv"
    path.write_text(_splice(TABLES[kind](), data), encoding="utf-8", errors="surrogatepass")
    issues = tmp_path / "issues.csv"
    issues.write_text(_head(DATA / "deu" / "dev-issues.csv", 10), encoding="utf-8")
    _loads_or_names_the_file(lambda p: load_tables(p, issues if kind == "long" else None), path)


@FUZZ
@given(data=st.data())
def test_a_decide_export_with_junk_loads_or_is_a_user_error(data, tmp_path) -> None:
    path = tmp_path / "cop21.tsv"
    text = _splice(_head(DATA / "decide" / "cop21.csv", 60), data)
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    _loads_or_names_the_file(read_decide, path)


OBSERVED = ("as_of: 2026-04-03\nobserved:\n"
            "  - {event: referendum_held, not_by: 2026-04-03}\n"
            "  - {event: us_russia_deal, on: 2025-09-01}\n")
SCENARIO = parse_scenario(builtin_text(DEFAULT_SCENARIO), DEFAULT_SCENARIO).scenario


@FUZZ
@given(data=st.data())
def test_observations_with_junk_load_or_are_a_user_error(data) -> None:
    try:
        check_against(observations_from_text(_splice(OBSERVED, data), "seen.yaml"), SCENARIO)
    except UserError as exc:
        assert exc.problems and all(p.file == "seen.yaml" for p in exc.problems), str(exc)


@pytest.mark.parametrize("cell", ["inf", "1e309", "2.5", "-1e400"])
def test_a_ktab_count_that_is_not_a_whole_number_names_its_field(cell: str, tmp_path) -> None:
    text = (DATA / "ktab" / "dummyData_3Dim.csv").read_text(encoding="utf-8").splitlines()
    head = text[0].split(",")
    head[2] = cell
    path = tmp_path / "k.csv"
    path.write_text("\n".join([",".join(head), *text[1:]]) + "\n", encoding="utf-8")
    with pytest.raises(UserError) as exc:
        load_tables(path)
    (p,) = exc.value.problems
    assert (Path(p.file).name, p.line, p.field) == ("k.csv", 1, "nActors")
