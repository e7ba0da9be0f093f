"""Property-based tests (hypothesis) for what parses user input: the condition grammar and the
scenario loader. Bounded in examples, so the suite stays fast."""

from __future__ import annotations

import copy
import datetime as dt
import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.errors import UserError
from accord.process.compile import Layout, State, compile_condition
from accord.scenario import conditions as c
from accord.scenario.loader import parse_scenario

from .conftest import CORPUS

EVENTS = ["a", "b", "r"]  # r is repeatable
ISSUES = ["i"]
BASE_MONTH = 2025 * 12 + 3  # step 0 is April 2025
OPS = ["<", "<=", ">", ">=", "==", "!="]
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

numbers = st.one_of(st.integers(0, 40).map(float), st.integers(0, 10**9).map(float),
                    st.floats(0, 40, allow_nan=False, allow_infinity=False),
                    st.floats(0, 1e12, allow_nan=False, allow_infinity=False))
dates = st.builds(c.DateLit, st.integers(2024, 2028), st.integers(1, 12))
compares = st.one_of(
    st.builds(c.Compare, st.sampled_from(OPS), st.sampled_from(EVENTS).map(c.Since), numbers
              .map(c.Number)),
    st.builds(c.Compare, st.sampled_from(OPS), st.sampled_from(EVENTS).map(c.Count), numbers
              .map(c.Number)),
    st.builds(c.Compare, st.sampled_from(OPS), st.sampled_from(ISSUES).map(c.IssueOutcome),
              numbers.map(c.Number)),
    st.builds(c.Compare, st.sampled_from(OPS), st.just(c.Now()), dates),
    st.builds(c.Compare, st.sampled_from(OPS), st.just(c.Gap("p", "i")), numbers.map(c.Number)),
    st.builds(c.Compare, st.sampled_from(OPS), st.sampled_from(ISSUES).map(c.IssueOutcome),
              st.just(c.ThresholdRef("cut"))),
    st.builds(c.Compare, st.sampled_from(OPS), st.just(c.Now()), st.just(c.ThresholdRef("day"))),
)
leaves = st.one_of(st.sampled_from(EVENTS).map(c.Occurred), st.booleans().map(c.Const), compares,
                   st.just(c.Accepts("p", "i")))
exprs = st.recursive(
    leaves,
    lambda inner: st.one_of(
        inner.map(c.Not),
        st.lists(inner, min_size=2, max_size=4).map(lambda xs: c.And(tuple(xs))),
        st.lists(inner, min_size=2, max_size=4).map(lambda xs: c.Or(tuple(xs))),
    ),
    max_leaves=12,
)


def reference(expr: c.Expr, s: dict, t: int) -> bool:
    """The semantics of accord.scenario.conditions, one path at a time, written plainly."""
    def term(x: c.Term) -> float | None:
        match x:
            case c.Number(v):
                return v
            case c.DateLit():
                return x.index
            case c.Now():
                return BASE_MONTH + t
            case c.Since(e):
                return t - s["last"][e] if s["last"][e] > 0 else None
            case c.Count(e):
                return s["count"][e] if e == "r" else float(s["last"][e] > 0)
            case c.IssueOutcome(i):
                return s["issue"][i]
            case c.Gap(_, i):
                return abs(s["issue"][i] - s["position"])
            case c.ThresholdRef(n):
                return s["threshold"][n]
        raise AssertionError(x)

    match expr:
        case c.Const(v):
            return v
        case c.Occurred(e):
            return s["last"][e] > 0
        case c.Accepts(_, i):
            return abs(s["issue"][i] - s["position"]) <= s["tolerance"]
        case c.Not(x):
            return not reference(x, s, t)
        case c.And(xs):
            return all(reference(x, s, t) for x in xs)
        case c.Or(xs):
            return any(reference(x, s, t) for x in xs)
        case c.Compare(op, left, right):
            a, b = term(left), term(right)
            if a is None or b is None:
                return False
            return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b, "==": a == b,
                    "!=": a != b}[op]
    raise AssertionError(expr)


def random_states(rng: np.random.Generator, n: int, t: int) -> list[dict]:
    out = []
    for _ in range(n):
        last = {e: int(rng.integers(0, t)) if rng.random() < 0.6 else 0 for e in EVENTS}
        count = {"r": int(rng.integers(1, 6)) if last["r"] > 0 else 0}
        out.append({"last": last, "count": count, "issue": {"i": float(rng.integers(0, 41))},
                    "position": float(rng.integers(0, 41)), "tolerance": float(rng.integers(1, 9)),
                    "threshold": {"cut": float(rng.integers(0, 41)),
                                  "day": float(BASE_MONTH + rng.integers(0, 40))}})
    return out


@FAST
@given(exprs)
def test_printing_and_parsing_round_trip(expr: c.Expr) -> None:
    text = c.to_text(expr)
    again = c.parse(text)
    assert c.to_text(c.parse(c.to_text(again))) == c.to_text(again)  # a fixed point
    rng = np.random.default_rng(0)
    for t in (1, 7, 30):
        for s in random_states(rng, 8, t):
            assert reference(again, s, t) == reference(expr, s, t), text


@FAST
@given(exprs, st.integers(1, 40), st.integers(0, 2**32 - 1))
def test_compiled_evaluator_equals_the_reference(expr: c.Expr, t: int, seed: int) -> None:
    states = random_states(np.random.default_rng(seed), 16, t)
    layout = Layout(rows={e: k for k, e in enumerate(EVENTS)}, repeatable={"r"},
                    issues=set(ISSUES), horizon=48, month_of_step=lambda step: BASE_MONTH + step)
    def column(f: object) -> np.ndarray:
        return np.array([f(s) for s in states], dtype=float)  # type: ignore[operator]

    state = State.empty(len(EVENTS), len(states), {
        "i": column(lambda s: s["issue"]["i"]),
        c.gap_key("p", "i"): column(lambda s: abs(s["issue"]["i"] - s["position"])),
        c.tolerance_key("p", "i"): column(lambda s: s["tolerance"]),
        c.threshold_key("cut"): column(lambda s: s["threshold"]["cut"]),
        c.threshold_key("day"): column(lambda s: s["threshold"]["day"])})
    for k, e in enumerate(EVENTS):
        state.last[k] = [s["last"][e] for s in states]
        state.first[k] = state.last[k]
        state.occ[k] = state.last[k] > 0
        state.count[k] = [s["count"].get(e, 0) for s in states]
    got = np.broadcast_to(compile_condition(expr, layout)(state, t), (len(states),))
    want = [reference(expr, s, t) for s in states]
    assert list(map(bool, got)) == want, c.to_text(expr)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_any_text_parses_or_is_a_syntax_error(text: str) -> None:
    try:
        c.parse(text)
    except c.ConditionSyntaxError:
        pass


# --- the scenario loader ------------------------------------------------------------------------
BASE_TEXT = (CORPUS / "base.yaml").read_text(encoding="utf-8")

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
              st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20),
              st.dates(dt.date(1900, 1, 1), dt.date(2200, 1, 1)).map(str)),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=10,
)


def _paths(tree, prefix=()):  # every path into the base scenario's tree
    yield prefix
    if isinstance(tree, dict):
        for k, v in tree.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(tree, list):
        for k, v in enumerate(tree):
            yield from _paths(v, (*prefix, k))


def _plain_base() -> dict:
    from accord.scenario.yamlio import load_yaml, to_plain

    return json.loads(json.dumps(to_plain(load_yaml(BASE_TEXT, "base.yaml")), default=str))


BASE_TREE = _plain_base()
BASE_PATHS = [p for p in _paths(BASE_TREE) if p]


def _loads_or_user_error(text: str) -> None:
    try:
        parse_scenario(text, "fuzz.yaml", source_dirs=[CORPUS])
    except UserError as exc:
        assert exc.problems and all(p.file == "fuzz.yaml" for p in exc.problems)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(BASE_PATHS), json_values)
def test_a_mutated_scenario_loads_or_is_a_user_error(path: tuple, value: object) -> None:
    tree = copy.deepcopy(BASE_TREE)
    node = tree
    for k in path[:-1]:
        node = node[k]
    node[path[-1]] = value
    _loads_or_user_error(json.dumps(tree))  # JSON is YAML


@settings(max_examples=150, deadline=None)
@given(st.integers(0, len(BASE_TEXT)), st.text(max_size=12))
def test_scenario_text_spliced_with_junk_loads_or_is_a_user_error(at: int, junk: str) -> None:
    _loads_or_user_error(BASE_TEXT[:at] + junk + BASE_TEXT[at:])


@pytest.mark.parametrize("depth", [65, 5000])
def test_deeply_nested_conditions_are_a_syntax_error_not_a_crash(depth: int) -> None:
    with pytest.raises(c.ConditionSyntaxError, match="nested"):
        c.parse("(" * depth + "a" + ")" * depth)
    with pytest.raises(c.ConditionSyntaxError, match="nested"):
        c.parse("not " * depth + "a")


BASE_LINES = BASE_TEXT.splitlines()
line_edits = st.sampled_from([
    lambda s: " " + s, lambda s: s[1:], lambda s: "   " + s, lambda s: "\t" + s.lstrip(" "),
    lambda s: s + ": x", lambda s: s.replace(": ", ": a: ", 1), lambda s: s.replace("{", "", 1),
    lambda s: s.replace("]", "", 1), lambda s: s.replace('"', "", 1), lambda s: s + " %",
    lambda s: s.replace("-", "/"), lambda s: "- " + s, lambda s: s.replace(":", "", 1),
])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(BASE_LINES) - 1), line_edits), min_size=1,
                max_size=3))
def test_a_mangled_scenario_is_a_user_error_at_a_line(edits: list) -> None:
    """A line re-indented, a colon or bracket added or lost: never a traceback, always
    `file:line:` and never the parser's own words for the mistakes it has advice for."""
    lines = list(BASE_LINES)
    for at, edit in edits:
        lines[at] = edit(lines[at])
    try:
        parse_scenario("\n".join(lines) + "\n", "fuzz.yaml", source_dirs=[CORPUS])
    except UserError as exc:
        assert exc.problems
        for p in exc.problems:
            assert p.file == "fuzz.yaml" and p.line is not None, str(p)
            assert str(p).startswith(f"fuzz.yaml:{p.line}: ")
            assert "mapping values are not allowed" not in p.message
            assert "Input should be a valid date" not in p.message
