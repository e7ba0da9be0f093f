"""The negotiation inside the event process: events that move the bargaining table, conditions
that read it (issue.X, accepts, gap, threshold), against closed forms, Monte Carlo and exact."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from accord.process.settlements import Settlements
from accord.scenario.draws import central_draws, sample_draws
from accord.scenario.model import Scenario
from tests.test_process_exact_vs_mc import check_exact, check_mc, make, mc, steps

P_MOVE, Q_SIGN, LIFT = 0.2, 0.1, 3.0

# two actors of equal weight at 20 and 80: the compromise is 50, 30 from b (tolerance 15)
TABLE = [{
    "id": "x", "name": "X", "status_quo": 10,
    "positions": {
        "a": {"position": 20, "salience": 1, "tolerance": 15},
        "b": {"position": 80, "salience": 1, "tolerance": 15},
    },
}]
# a moves to 70: the compromise is 75, 5 from b, which then accepts it
MOVE = {"id": "move", "hazard": P_MOVE, "effects": {"positions": {"a": {"x": 70}}}}


def with_move(sign: dict, **extra: object) -> Scenario:
    return make([MOVE, {"id": "sign", **sign}], issues=TABLE, **extra)


def p_sign_after_move(h: int, before: float, after: float) -> np.ndarray:
    """P(sign by t): the sign's hazard is `before` until the month after the move, `after`
    from then on (the move at month k acts from month k + 1), the move a hazard P_MOVE."""
    out = np.zeros(h + 1)
    for t in range(1, h + 1):
        none = (1 - P_MOVE) ** t * (1 - before) ** t
        for k in range(1, t + 1):
            none += P_MOVE * (1 - P_MOVE) ** (k - 1) * (1 - before) ** k * (1 - after) ** (t - k)
        out[t] = 1 - none
    return out


def test_accepts_modifier_has_the_closed_form_under_mc_and_exact() -> None:
    sc = with_move({"hazard": Q_SIGN, "modifiers": [{"if": "accepts(b, x)", "multiply": LIFT}]})
    want = p_sign_after_move(12, Q_SIGN, Q_SIGN * LIFT)
    check_exact(sc, {"sign": want})
    check_mc(mc(sc), {"sign": want})
    # the move is what makes b accept: without its effect the sign keeps its base rate
    still = make([{**MOVE, "effects": {}}, {"id": "sign", "hazard": Q_SIGN, "modifiers": [
        {"if": "accepts(b, x)", "multiply": LIFT}]}], issues=TABLE)
    check_exact(still, {"sign": 1 - (1 - Q_SIGN) ** steps(12)})


def test_a_settlement_gate_opens_the_month_after_the_move() -> None:
    sc = with_move({"hazard": Q_SIGN, "when": "issue.x >= 70"})
    want = p_sign_after_move(12, 0.0, Q_SIGN)
    check_exact(sc, {"sign": want})
    check_mc(mc(sc), {"sign": want})


def test_gap_and_a_named_threshold_read_the_current_table() -> None:
    sc = with_move({"hazard": Q_SIGN, "modifiers": [
        {"if": "gap(b, x) <= threshold(near)", "multiply": LIFT}]},
        thresholds={"near": {"value": 10, "assumption": "test"}})
    want = p_sign_after_move(12, Q_SIGN, Q_SIGN * LIFT)
    check_exact(sc, {"sign": want})
    check_mc(mc(sc), {"sign": want})


def test_effects_on_salience_capability_and_status_quo_move_the_settlement() -> None:
    # b's capability to 3: compromise (20 + 3·80)/4 = 65; a's salience to 0: 80
    cases = [({"capabilities": {"b": {"x": 3}}}, 65.0), ({"saliences": {"a": {"x": 0}}}, 80.0),
             ({"positions": {"a": {"x": {"shift": 30}}}}, 65.0)]
    for effects, settled in cases:
        sc = make([{**MOVE, "effects": effects}, {"id": "sign", "hazard": Q_SIGN,
                                                  "when": f"issue.x >= {settled - 0.5}"}],
                  issues=TABLE)
        check_exact(sc, {"sign": p_sign_after_move(12, 0.0, Q_SIGN)})
    nash = make([{**MOVE, "effects": {"status_quo": {"x": {"shift": -10}}}},
                 {"id": "sign", "hazard": Q_SIGN, "when": "issue.x > 50"}], issues=TABLE)
    nash = nash.model_copy(update={"meta": nash.meta.model_copy(update={"issue_model": "nash"})})
    s = Settlements(nash, central_draws(nash))
    assert s.lookup("x", 0, 0)[0] == pytest.approx(nash_product_max(10), abs=1e-4)
    assert s.lookup("x", 0, 1)[0] == pytest.approx(nash_product_max(0), abs=1e-4)


def nash_product_max(sq: float) -> float:
    """argmax of log(u_a(x) − u_a(SQ)) + log(u_b(x) − u_b(SQ)), u_i = −(x − x_i)², a at 20
    and b at 80 (equal weights), found numerically on where both terms are positive."""
    from scipy.optimize import minimize_scalar

    def minus(x: float) -> float:
        ga, gb = (sq - 20) ** 2 - (x - 20) ** 2, (sq - 80) ** 2 - (x - 80) ** 2
        return np.inf if min(ga, gb) <= 0 else -(np.log(ga) + np.log(gb))

    lo, hi = max(sq, 20 - abs(sq - 20)), min(20 + abs(sq - 20), 80 + abs(sq - 80))
    return float(minimize_scalar(minus, bounds=(lo + 1e-9, hi - 1e-9), method="bounded",
                                 options={"xatol": 1e-10}).x)


def test_a_reset_undoes_the_effect() -> None:
    # `undo` resets the move the month after it: b accepts for that one month only
    def sc(when: str) -> Scenario:
        return make([{**MOVE, "when": "not undo"},
                     {"id": "undo", "hazard": 1.0, "when": "move", "effects": {"resets": ["move"]}},
                     {"id": "sign", "hazard": Q_SIGN, "when": when}], issues=TABLE)

    window = Q_SIGN * (1 - (1 - P_MOVE) ** np.maximum(steps(12) - 1, 0))
    check_exact(sc("accepts(b, x)"), {"sign": window})
    check_mc(mc(sc("accepts(b, x)")), {"sign": window})
    check_exact(sc("accepts(b, x) and undo"), {"sign": np.zeros(13)})
    check_mc(mc(sc("accepts(b, x) and undo"), paths=5000), {"sign": np.zeros(13)})


def test_a_threshold_drawn_per_draw_is_a_mixture() -> None:
    # cut ~ U(40, 60) against a settlement of 50: the gate is open in half the draws
    sc = make([{"id": "sign", "hazard": Q_SIGN, "when": "issue.x >= threshold(cut)"}],
              issues=TABLE, thresholds={"cut": {"low": 40, "high": 60, "assumption": "test"}})
    draws = sample_draws(sc, 400, 3)
    open_share = float((draws["thresholds.cut"] <= 50).mean())
    from accord.process.forecast import summarise
    from accord.process.montecarlo import simulate

    fc = summarise(sc, simulate(sc, draws, 100, 5))
    want = open_share * (1 - (1 - Q_SIGN) ** steps(12))
    check_mc(fc, {"sign": want})
    assert 0.4 < open_share < 0.6


def test_a_date_threshold_is_the_literal_date() -> None:
    lit = make([{"id": "e", "hazard": Q_SIGN, "when": "date >= 2025-06"}])
    named = make([{"id": "e", "hazard": Q_SIGN, "when": "date >= threshold(start)"}],
                 thresholds={"start": {"value": "2025-06", "assumption": "test"}})
    want = solve_curve(lit)
    check_exact(named, {"e": want})
    check_mc(mc(named), {"e": want})


def solve_curve(sc: Scenario) -> np.ndarray:
    from accord.process.exact import solve

    r = solve(sc)
    return r.probability[r.event_ids.index("e")]


def test_a_condition_of_the_table_and_the_date_is_read_every_month() -> None:
    # issue-only parts are cached per chunk; with a date beside them the whole must not be
    sc = make([{"id": "e", "hazard": Q_SIGN, "when": "issue.x >= 50 and date >= 2025-06"}],
              issues=TABLE)
    want = np.concatenate([np.zeros(6), 1 - (1 - Q_SIGN) ** np.arange(1, 8)])
    check_exact(sc, {"e": want})
    check_mc(mc(sc), {"e": want})


def test_the_cache_answers_as_fresh_solves() -> None:
    """Random (draw, table) pairs: the cached columns equal a fresh solve of each, for a model
    issue by issue and for one that trades across issues."""
    issues = [*TABLE, {"id": "y", "name": "Y", "positions": {
        "a": {"position": {"low": 0, "high": 40}, "salience": 0.5},
        "b": {"position": {"low": 60, "high": 100}, "salience": 0.8}}}]
    events = [
        {"id": "m1", "hazard": 0.2,
         "effects": {"positions": {"a": {"x": {"low": 50, "high": 90}}}}},
        {"id": "m2", "hazard": 0.2, "effects": {"saliences": {"b": {"y": 0.2}},
                                                "capabilities": {"a": {"x": 2}}}},
        {"id": "m3", "hazard": 0.2, "effects": {"positions": {"b": {"y": {"shift": -30}}}}},
        {"id": "s", "hazard": 0.1, "when": "accepts(b, x) or issue.y <= 50 or gap(a, y) < 9"},
    ]
    for model in ("compromise", "exchange"):
        sc = make(events, issues=issues)
        sc = sc.model_copy(update={"meta": sc.meta.model_copy(update={"issue_model": model})})
        draws = sample_draws(sc, 30, 11)
        cached = Settlements(sc, draws)
        rng = np.random.default_rng(0)
        rows = rng.integers(0, 30, 400)
        masks = rng.integers(0, 8, 400)
        cols = cached.columns(rows, masks)
        assert cached.solved < 30 * 8 * 2 + 60  # each (draw, table) solved once at most
        for r, k, i in itertools.islice(zip(rows, masks, range(400), strict=True), 60):
            fresh = Settlements(sc, draws)
            for issue in ("x", "y"):
                value, pos = fresh.solve(int(r), int(k), [issue])[issue]
                assert cols[issue][i] == pytest.approx(value, abs=1e-12)
            assert cols["gap(b, x)"][i] == pytest.approx(abs(cols["x"][i] - fresh.solve(
                int(r), int(k), ["x"])["x"][1]["b"]), abs=1e-12)


def test_the_cache_has_a_bound() -> None:
    from accord.errors import UserError

    sc = with_move({"hazard": Q_SIGN, "when": "accepts(b, x)"})
    s = Settlements(sc, central_draws(sc), max_entries=1)
    s.lookup("x", 0, 0)
    with pytest.raises(UserError, match="more than 1 forms"):
        s.lookup("x", 0, 1)


def test_a_decaying_window_has_the_closed_form() -> None:
    # month t's hazard is h·d^(t−1): P(by t) = 1 − Π_{s ≤ t} (1 − h·d^(s−1))
    h, d = 0.2, 0.9
    sc = make([{"id": "e", "hazard": h, "decay": d}])
    want = 1 - np.concatenate([[1.0], np.cumprod(1 - h * d ** np.arange(12))])
    check_exact(sc, {"e": want})
    check_mc(mc(sc), {"e": want})
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="decay applies to a hazard"):
        make([{"id": "e", "chance": 0.5, "decay": d}])


BAD = """\
meta: {id: t, title: T, as_of: 2025-01-01, horizon: 12}
actors:
  - {id: a, name: A, capability: {value: 1, assumption: t}}
  - {id: b, name: B, capability: {value: 1, assumption: t}}
  - {id: c, name: C, capability: {value: 1, assumption: t}}
issues:
  - id: x
    name: X
    positions:
      a: {position: {value: 20, assumption: t}, salience: {value: 1, assumption: t}}
      b: {position: {value: 80, assumption: t}, salience: {value: 1, assumption: t}}
events:
  - id: move
    name: Move
    hazard: {value: 0.2, assumption: t}
    effects: EFFECTS
  - id: sign
    name: Sign
    hazard: {value: 0.1, assumption: t}
    when: WHEN
thresholds:
  cut: {value: 50, assumption: t}
"""


@pytest.mark.parametrize(("effects", "when", "line", "field", "says"), [
    ("{positions: {d: {x: {value: 5, assumption: t}}}}", "not sign", 16,
     "events[0].effects.positions.d", "unknown actor 'd'"),
    ("{positions: {a: {y: {value: 5, assumption: t}}}}", "not sign", 16,
     "events[0].effects.positions.a.y", "unknown issue 'y'"),
    ("{positions: {a: {x: {value: 150, assumption: t}}}}", "not sign", 16,
     "events[0].effects.positions.a.x", "outside the scale [0, 100]"),
    ("{positions: {c: {x: {value: 5, assumption: t}}}}", "not sign", 16,
     "events[0].effects.positions.c.x", "c has no position on x"),
    ("{salience: {a: {x: {value: 0.5, assumption: t}}}}", "not sign", 16,
     "events[0].effects.salience", "did you mean 'saliences'"),
    ("{}", "accepts(c, x)", 20, "events[1].when", "c has no position on x"),
    ("{}", "issue.x >= threshold(cutt)", 20, "events[1].when", "did you mean 'cut'"),
    ("{}", "date >= threshold(cut)", 20, "events[1].when", "declared as a number"),
])
def test_bad_table_input_names_file_line_and_field(
        tmp_path, cli, effects: str, when: str, line: int, field: str, says: str) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text(BAD.replace("EFFECTS", effects).replace("WHEN", when))
    r = cli("validate", str(f))
    assert r.code == 2 and f"bad.yaml:{line}: {field}" in r.err and says in r.err, r.err


def test_a_tolerance_must_be_positive(tmp_path, cli) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text(BAD.replace("EFFECTS", "{}").replace("WHEN", "not sign").replace(
        "salience: {value: 1, assumption: t}}\n      b",
        "salience: {value: 1, assumption: t}, tolerance: {value: 0, assumption: t}}\n      b"))
    r = cli("validate", str(f))
    want = "bad.yaml:10: issues[0].positions.a.tolerance: a tolerance must be greater than 0"
    assert r.code == 2 and want in r.err


def test_validate_lists_numbers_in_conditions_without_provenance(tmp_path, cli) -> None:
    import json

    f = tmp_path / "ok.yaml"
    f.write_text(BAD.replace("EFFECTS", "{}").replace("WHEN",
                                                       "issue.x >= 50 and since(move) <= 3"))
    doc = json.loads(cli("validate", str(f), "--json").out)
    assert len(doc[0]["unsourced"]) == 1 and "50 in 'issue.x >= 50'" in doc[0]["unsourced"][0]


def test_the_builder_keeps_and_renames_table_effects() -> None:
    """Editing an event's cancels and resets keeps its effects on the table; renaming an actor
    or an issue renames it in effects and in accepts/gap; deleting one lists them as uses."""
    from accord.scenario.loader import builtin_text, parse_scenario
    from accord.web import builder
    from accord.web.yamledit import dump_tree, load_tree

    text = builtin_text("south-caucasus-2025")
    tree = load_tree(text, "x")
    uses = builder.references(tree, "actors", "azerbaijan")
    assert "events[11].effects.positions.azerbaijan.turkey_border" in uses
    assert any(u.endswith(".if") for u in uses)  # accepts(azerbaijan, ...)
    builder.rename(tree, "actors", "azerbaijan", "baku")
    builder.rename(tree, "issues", "turkey_border", "margara")
    builder.set_effects(tree, "treaty_signed", ["border_opened"], [])
    s = parse_scenario(dump_tree(tree, text), "x").scenario
    treaty = s.event("treaty_signed")
    assert list(treaty.effects.positions) == ["baku"]
    assert list(treaty.effects.positions["baku"]) == ["margara"]
    assert treaty.effects.cancels == ["border_opened"]
    assert "not accepts(baku, margara)" in [m.if_ for m in s.event("border_opened").modifiers]


def test_the_event_graph_draws_the_table_links() -> None:
    from accord.report.graph import event_graph
    from accord.scenario.loader import load_scenario

    g = event_graph(load_scenario("south-caucasus-2025").scenario)
    table = {(a, b) for a, b, d in g.edges(data=True) if d["relation"] == "table"}
    # the treaty spends Baku's border leverage; Moscow's refocus weighs on the pace
    assert ("treaty_signed", "border_opened") in table
    assert ("russia_refocus", "referendum_held") in table
    assert ("us_russia_deal", "referendum_held") not in table


def test_the_how_to_example_runs_and_its_proposal_helps_the_deal(cli) -> None:
    """docs/how-to/negotiation.md's example validates, and the mediator's effect on the table
    raises the deal's chance (paired runs, the same draws and dice)."""
    from pathlib import Path

    from accord.analysis.compare import Target, compare_targets
    from accord.analysis.run import RunSettings, run_scenario
    from accord.scenario.loader import load_scenario

    path = Path(__file__).resolve().parents[1] / "examples" / "harbour-talks.yaml"
    assert cli("validate", str(path)).code == 0
    sc = load_scenario(str(path)).scenario
    still = sc.model_copy(update={"events": [
        e.model_copy(update={"effects": type(e.effects)()}) if e.id == "mediator_proposal"
        else e for e in sc.events]})
    settings = RunSettings(paths=4000, seed=3)

    def target(name: str, s: Scenario) -> Target:
        res = run_scenario(s, settings, with_issues=False)
        return Target(name, res.to_dict(), sim=res.sim, scenario=s)

    deal = {d.id: d for d in compare_targets(target("still", still), target("moved", sc))
            .questions}["deal_by_summer"]
    assert deal.paired and deal.diff > 5 * deal.stderr > 0


def test_a_sweep_grid_over_an_effect_or_a_threshold(tmp_path, cli) -> None:
    """A grid may vary an effect's value or a named threshold (the grid's values are checked
    as the file's are: an effect off the issue's scale is refused at the grid's line)."""
    from pathlib import Path

    example = str(Path(__file__).resolve().parents[1] / "examples" / "harbour-talks.yaml")
    grid = tmp_path / "grid.yaml"
    for line in ("events.mediator_proposal.effects.positions.union.wage_rise: [5, 7]",
                 "thresholds.strike_gap: [4, 6]"):
        grid.write_text(line + "\n")
        assert cli("sweep", example, "--grid", str(grid), "--paths", "200").code == 0, line
    grid.write_text("events.mediator_proposal.effects.positions.union.wage_rise: [5, 70]\n")
    r = cli("sweep", example, "--grid", str(grid), "--paths", "200")
    assert r.code == 2 and "grid.yaml:1: events.mediator_proposal.effects.positions.union" \
        ".wage_rise: position outside the scale [0, 20]" in r.err, r.err
