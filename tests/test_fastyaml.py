"""The fast libyaml parse agrees with ruamel's round trip, or steps aside.

The contract (accord.scenario.fastyaml): whenever the fast parse returns data, the round trip
accepts the same text and gives the same values (same types: 1, 1.0 and True differ), and every
line the fast parse names is the round trip's line. It may return None (ask the round trip) on
anything, but not on the built-in scenarios, which it exists to make fast.
"""

from __future__ import annotations

import math
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.errors import UserError
from accord.scenario import loader
from accord.scenario.fastyaml import load_fast
from accord.scenario.yamlio import line_of, load_yaml, to_plain

from .conftest import CORPUS

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted([*CORPUS.rglob("*.yaml"), *(ROOT / "examples").glob("*.yaml")])
BUILTIN = [loader.builtin_text(n) for n in loader.builtin_names()]
OVERLAYS = [p.read_text(encoding="utf-8") for p in
            (resources.files(loader.BUILTIN_PACKAGE) / "overlays").iterdir()  # type: ignore[union-attr]
            if p.name.endswith(".yaml")]


def typed(x: Any) -> Any:
    """Values with their types made part of equality (nan equal to itself)."""
    if isinstance(x, dict):
        return {k: typed(v) for k, v in x.items()}
    if isinstance(x, list):
        return [typed(v) for v in x]
    if isinstance(x, float) and math.isnan(x):
        return ("float", "nan")
    return (type(x).__name__, x)


def round_trip(text: str) -> Any:
    """to_plain of the round trip, or UserError's class when it refuses the text."""
    try:
        return to_plain(load_yaml(text, "t.yaml"))
    except UserError:
        return UserError


def check_agrees(text: str) -> bool:
    """Assert the contract on one text; True when the fast parse answered."""
    fast = load_fast(text)
    if fast is None:
        return False
    expected = round_trip(text)
    assert expected is not UserError, f"fast accepted what the round trip refuses: {text!r}"
    assert typed(fast.data) == typed(expected), text
    return True


def paths(data: Any, at: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    out = [at]
    if isinstance(data, dict):
        for k, v in data.items():
            out += paths(v, (*at, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += paths(v, (*at, i))
    return out


@pytest.mark.parametrize("text", BUILTIN + OVERLAYS)
def test_builtin_files_take_the_fast_path_with_the_same_values_and_lines(text: str) -> None:
    assert check_agrees(text)
    fast, tree = load_fast(text), load_yaml(text, "t.yaml")
    assert fast is not None
    for p in [*paths(fast.data), ("meta", "nonexistent"), ("events", 10_000)]:
        assert fast.line_of(p) == line_of(tree, p), p


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_corpus_files_agree(path: Path) -> None:
    check_agrees(path.read_text(encoding="utf-8", errors="replace"))


def test_the_scenario_is_the_same_either_way(monkeypatch: pytest.MonkeyPatch) -> None:
    text = BUILTIN[0]
    fast = loader.parse_scenario(text, "x")
    assert fast.parsed is None  # no round trip was needed
    monkeypatch.setattr("accord.scenario.fastyaml.load_fast", lambda text: None)
    slow = loader.parse_scenario(text, "x")
    assert fast.scenario == slow.scenario
    assert fast.warnings == slow.warnings
    assert fast.tree == slow.tree  # the round trip, parsed on demand


@pytest.mark.parametrize("text, value", [
    ("a: yes", "yes"), ("a: on", "on"), ("a: 2025-04", "2025-04"), ("a: 1e3", 1000.0),
    ("a: 017", 17), ("a: .5", 0.5), ("a: -.inf", -math.inf), ("a: ~", None), ("a: True", True),
    ("a: 2025-04-03", __import__("datetime").date(2025, 4, 3)), ("a: 1:20", "1:20"),
])
def test_yaml_1_2_readings(text: str, value: Any) -> None:
    """The round trip reads YAML 1.2 (no yes/on booleans, no sexagesimals); so must the fast."""
    fast = load_fast(text)
    assert fast is not None and typed(fast.data["a"]) == typed(value)
    assert typed(round_trip(text)["a"]) == typed(value)


@pytest.mark.parametrize("text", [
    "a: !!python/object:os.system x", "a: !!str 12", "a: ! 12", "a: {b: 1, b: 2}",
    "a: &x [1]\nb: {<<: {c: 1}}", "%YAML 1.1\n---\na: yes", "a: 2025-13-45", "a: 0x1F",
    "a: 1_000", "a: 2025-01-15 10:00:00", "a: =", "[1]: x", "a: \u2028b", "1: x",
    "a: [&l0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1], "  # a billion laughs, 10^6 values
    + ", ".join(f"&l{k} [{', '.join([f'*l{k - 1}'] * 10)}]" for k in range(1, 6)) + "]",
])
def test_what_could_read_apart_is_left_to_the_round_trip(text: str) -> None:
    assert load_fast(text) is None


SCALAR_CHARS = "0123456789-+._eExXoObB:yYnNtTfFlLsS~<=!&*#|>?%@`\\ \"'[]{},aINn\t\n"
SHAPES = ["a: {0}", "- {0}", "{0}: 1", "a: [{0}, x]", "a: [?{0}]", "a: {{b: {0}}}",
          "a: |\n  {0}\n", "a: >\n {0}\n {1}", "a: [{0}: {1}]", "- ? {0}\n  : {1}",
          'a: "{0}"', "a: '{0}'", "a:\n  - {0}\n  - {1}"]


@settings(max_examples=400, deadline=None)
@given(st.text(SCALAR_CHARS, max_size=8), st.text(SCALAR_CHARS, max_size=8),
       st.sampled_from(SHAPES))
def test_scalars_agree(token: str, other: str, shape: str) -> None:
    check_agrees(shape.format(token, other))


BASE = (CORPUS / "base.yaml").read_text(encoding="utf-8")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(BASE) - 1), st.integers(0, 3),
                          st.sampled_from(["", " ", "\t", ":", "-", "'", '"', "\n", "#", "&a",
                                           "*a", "{", "]", "0", "yes", ".5", "2025-"])),
                min_size=1, max_size=4))
def test_mangled_scenarios_agree(edits: list[tuple[int, int, str]]) -> None:
    text = BASE
    for at, drop, insert in edits:
        at = min(at, len(text))
        text = text[:at] + insert + text[at + drop:]
    check_agrees(text)


def test_the_builtin_folder_is_the_one_importlib_resources_finds() -> None:
    """builtin_root reads the package's own folder; importlib.resources must agree."""
    found = resources.files(loader.BUILTIN_PACKAGE)
    assert loader.builtin_root() == Path(str(found))
    assert set(loader.builtin_names()) == {p.name[:-5] for p in found.iterdir()
                                           if p.name.endswith(".yaml")}
