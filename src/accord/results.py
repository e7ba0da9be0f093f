"""What the Python API returns: the analyses' results as pandas DataFrames, shown in notebooks.

Each result keeps the analysis layer's own object as `.raw` (what the CLI's JSON, the report and
the dashboard read) and builds its tables from it on demand, so a number in a DataFrame is the
number the CLI prints with `--json` for the same scenario, settings and seed, to the last bit.
pandas is imported when a table is first asked for, not with `accord`.

A run read back from the store is a `StoredRun`: its record, its scenario text parsed once (on
first use), and its results as these same types (`Result.of`, `SensitivityResult.of`), so the
dashboard's pages read a stored run as they read a fresh one.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from accord.analysis.compare import Comparison
    from accord.analysis.explain import Explanation
    from accord.analysis.recipe import RunResult
    from accord.analysis.sensitivity import SensitivityResult as RawSensitivity
    from accord.analysis.watch import QuestionWatch
    from accord.scenario.model import Scenario
    from accord.store.runs import RunRecord, RunStore

NAN = float("nan")
QUESTION_COLUMNS = ("question", "text", "event", "by", "probability", "stderr", "low", "high")
HISTORY_COLUMNS = ("history", "history_low", "history_high", "history_class", "history_n")


def _pandas() -> Any:
    """pandas, or an ImportError that says how to install it (it is the analysis extra)."""
    try:
        import pandas
    except ImportError as exc:
        raise ImportError("accord's result tables need pandas: pip install 'accord[analysis]'"
                          ) from exc
    return pandas


def _frame(rows: Iterable[dict[str, Any]], columns: Iterable[str]) -> pd.DataFrame:
    return _pandas().DataFrame(list(rows), columns=list(columns))


def _num(value: Any) -> float:
    """A JSON number, or NaN where the forecast has none (a band it cannot tell)."""
    return NAN if value is None else float(value)


def _pct(p: float) -> str:
    return "—" if p != p else f"{100 * p:.1f}%"


def _html_table(head: str, df: pd.DataFrame) -> str:
    return f"<div><p>{html.escape(head)}</p>{df.to_html(index=False, escape=True)}</div>"


@dataclass(frozen=True)
class Result:
    """A forecast run (`accord.run`). Tables:

    - `questions`: one row per question: `question` (id), `text`, `event`, `by` (the date,
      ISO), `probability` (P(event occurred by the end of `by`)), `stderr` (its Monte Carlo
      standard error), `low`/`high` (the 5%–95% band over parameter draws; NaN with one draw,
      or where too few paths per draw tell the band from noise). When some question has an
      outside view (a reference class: `accord baserate`), also `history`, `history_low`,
      `history_high` (its probability and 90% band), `history_class` and `history_n`.
    - `events`: long, one row per event per month (step 0..horizon): `event`, `name`,
      `kind`, `step`, `date` (ISO, the end of that month), `probability` (occurred by then),
      `stderr`, `low`/`high` (5%–95% band), `low50`/`high50` (25%–75%).
    - `issues`: one row per issue per bargaining model: `issue`, `name`, `model`,
      `outcome` (on the issue's scale), `low`/`high` (its band over draws, NaN if none).
    """

    raw: RunResult | None
    # a run known by its JSON document alone (a stored run's, a dashboard job's): `raw` is None
    document: dict[str, Any] | None = field(default=None, repr=False)
    known_scenario: Scenario | None = field(default=None, repr=False)
    known_questions: dict[str, dict[str, Any]] | None = field(default=None, repr=False)

    @classmethod
    def of(cls, document: dict[str, Any], scenario: Scenario | None = None,
           questions: dict[str, dict[str, Any]] | None = None) -> Result:
        """A run's result from its JSON document (`to_dict`, as stored) and its scenario (None
        where its text cannot be read any more: the tables then have no question texts, unless
        `questions` gives them, as `question_texts` does)."""
        return cls(None, document, scenario, questions)

    @property
    def scenario(self) -> Scenario | None:
        return self.raw.scenario if self.raw is not None else self.known_scenario

    @property
    def question_texts(self) -> dict[str, dict[str, Any]]:
        """Each question's `text` and `criteria`, by id: from the scenario, else as given."""
        if self.scenario is not None:
            return texts_of(self.scenario)
        return dict(self.known_questions or {})

    @property
    def notes(self) -> list[str]:
        if self.raw is not None:
            return list(self.raw.notes)
        return list(self.to_dict().get("notes") or [])

    def to_dict(self) -> dict[str, Any]:
        """What `accord run --json` prints (without the stored run's id and report path)."""
        if self.raw is not None:
            return self.raw.to_dict()
        assert self.document is not None, "a result has its run or its document"
        return self.document

    @property
    def questions(self) -> pd.DataFrame:
        texts = {k: v["text"] for k, v in self.question_texts.items()}
        qs = self.to_dict()["forecast"]["questions"]
        history = any(q.get("outside_view") for q in qs)
        columns = QUESTION_COLUMNS + (HISTORY_COLUMNS if history else ())
        return _frame((_question_row(q, texts.get(q["id"], ""), history) for q in qs), columns)

    @property
    def events(self) -> pd.DataFrame:
        fc = self.to_dict()["forecast"]
        names = {e.id: e.name for e in self.scenario.events} if self.scenario else {}
        rows = [{"event": eid, "name": names.get(eid, eid), "kind": e["kind"], "step": s,
                 "date": fc["dates"][s], "probability": p, "stderr": e["stderr"][s],
                 **{k: _num((e.get(b) or [None] * len(e["probability"]))[s]) for k, b in (
                     ("low", "band_low"), ("high", "band_high"), ("low50", "band50_low"),
                     ("high50", "band50_high"))}}
                for eid, e in fc["events"].items() for s, p in enumerate(e["probability"])]
        return _frame(rows, ("event", "name", "kind", "step", "date", "probability", "stderr",
                             "low", "high", "low50", "high50"))

    @property
    def issues(self) -> pd.DataFrame:
        rows = [{"issue": i["id"], "name": i["name"], "model": model, "outcome": m["outcome"],
                 "low": _num(m.get("low")), "high": _num(m.get("high"))}
                for i in self.to_dict()["issues"] for model, m in i["models"].items()]
        return _frame(rows, ("issue", "name", "model", "outcome", "low", "high"))

    def _repr_html_(self) -> str:
        d = self.to_dict()
        fc = d["forecast"]
        head = (f"{d['title']} — as of {d['as_of']}; {fc['method']}, "
                f"{fc['paths']:,} paths, seed {fc['seed']}")
        q = self.questions
        shown = q[["question", "text", "by"]].assign(
            probability=q["probability"].map(_pct),
            band=[f"{_pct(lo)}–{_pct(hi)}" if lo == lo else "—"
                  for lo, hi in zip(q["low"], q["high"], strict=True)])
        return _html_table(head, shown)


def _question_row(q: dict[str, Any], text: str, history: bool) -> dict[str, Any]:
    band = q.get("band") or (None, None)
    row = {"question": q["id"], "text": text, "event": q["event"], "by": q["by"],
           "probability": q["probability"], "stderr": q["stderr"],
           "low": _num(band[0]), "high": _num(band[1])}
    if history:
        ov = q.get("outside_view") or {}
        row.update(history=_num(ov.get("probability")), history_low=_num(ov.get("low")),
                   history_high=_num(ov.get("high")), history_class=ov.get("class"),
                   history_n=ov.get("n"))
    return row


@dataclass(frozen=True)
class ExplainResult:
    """Why each question's probability is what it is (`accord.explain`). Tables:

    - `questions`: `question`, `text`, `event`, `by`, `probability`, `method`.
    - `blockers`: what stops the "no" paths, as a tree flattened in display order:
      `question`, `depth` (0: top level), `what`, `event`, `kind`, `share` (of all paths; the
      top level adds up to 1 − probability).
    - `route`: how the "yes" paths get there: `question`, `event`, `name`, `share` (of the
      "yes" paths on which it happened), `median_step`, `median_date`.
    """

    raw: list[Explanation]

    def to_dict(self) -> list[dict[str, Any]]:
        """The `questions` list `accord explain --json` prints."""
        return [e.to_dict() for e in self.raw]

    @property
    def questions(self) -> pd.DataFrame:
        return _frame(({"question": e.question, "text": e.text, "event": e.event, "by": e.by,
                        "probability": e.probability, "method": e.method} for e in self.raw),
                      ("question", "text", "event", "by", "probability", "method"))

    @property
    def blockers(self) -> pd.DataFrame:
        from accord.analysis.explain import flatten

        return _frame(({"question": e.question, "depth": d, "what": b.what, "event": b.event,
                        "kind": b.kind, "share": b.share}
                       for e in self.raw for d, b in flatten(e.blockers)),
                      ("question", "depth", "what", "event", "kind", "share"))

    @property
    def route(self) -> pd.DataFrame:
        return _frame(({"question": e.question, "event": r.event, "name": r.name,
                        "share": r.share, "median_step": r.median_step,
                        "median_date": r.median_date} for e in self.raw for r in e.route),
                      ("question", "event", "name", "share", "median_step", "median_date"))

    def _repr_html_(self) -> str:
        b = self.blockers
        top = b[b["depth"] == 0].assign(share=lambda x: x["share"].map(_pct))
        return _html_table("What blocks the 'no' paths (share of all paths)", top)


WATCH_COLUMNS = ("question", "event", "name", "kind", "indicator", "by", "p_event", "if_yes",
                 "if_no", "expected_change", "brier_reduction")


@dataclass(frozen=True)
class WatchResult:
    """What to watch (`accord.watch`). Tables:

    - `questions`: `question`, `text`, `event`, `by`, `probability`.
    - `table`: one row per development per question, most informative first: `question`,
      `event`, `name`, `kind` (event or indicator), `indicator`, `by` (the window's end),
      `p_event` (P(seen by then)), `if_yes`/`if_no` (the question's probability if it is,
      or is not, seen), `expected_change`, `brier_reduction`.
    """

    raw: list[QuestionWatch]
    within: int

    def to_dict(self) -> list[dict[str, Any]]:
        """The `questions` list `accord watch --json` prints."""
        return [w.to_dict() for w in self.raw]

    @property
    def questions(self) -> pd.DataFrame:
        return _frame(({"question": w.question, "text": w.text, "event": w.event, "by": w.by,
                        "probability": w.probability} for w in self.raw),
                      ("question", "text", "event", "by", "probability"))

    @property
    def table(self) -> pd.DataFrame:
        from dataclasses import asdict

        return _frame(({"question": w.question, **asdict(i)} for w in self.raw for i in w.watch),
                      WATCH_COLUMNS)

    def _repr_html_(self) -> str:
        lines = "".join(f"<li>{html.escape(i.sentence(w.question, w.probability))}</li>"
                        for w in self.raw for i in w.watch[:3])
        return f"<div><p>What to watch over {self.within} months</p><ul>{lines}</ul></div>"


@dataclass(frozen=True)
class CompareResult:
    """Two forecasts compared, B − A (`accord.compare`). Tables:

    - `questions`: `question`, `by`, `a`, `b`, `diff` (b − a), `stderr` (of the difference:
      paired, so much smaller than either run's, when `paired`), `paired`.
    - `issues`: `issue`, `model`, `a`, `b`, `diff`.
    `notes` says what could not be paired or compared.
    """

    raw: Comparison

    def to_dict(self) -> dict[str, Any]:
        """What `accord compare --json` prints."""
        return self.raw.to_dict()

    @property
    def notes(self) -> list[str]:
        return list(self.raw.notes)

    @property
    def questions(self) -> pd.DataFrame:
        return _frame(({"question": q.id, "by": q.by, "a": q.a, "b": q.b, "diff": q.diff,
                        "stderr": q.stderr, "paired": q.paired} for q in self.raw.questions),
                      ("question", "by", "a", "b", "diff", "stderr", "paired"))

    @property
    def issues(self) -> pd.DataFrame:
        return _frame(({"issue": d.issue, "model": d.model, "a": d.a, "b": d.b, "diff": d.diff}
                       for d in self.raw.issues), ("issue", "model", "a", "b", "diff"))

    def _repr_html_(self) -> str:
        q = self.questions
        shown = q[["question", "by"]].assign(
            a=q["a"].map(_pct), b=q["b"].map(_pct),
            diff=[f"{100 * d:+.1f} ± {100 * e:.1f} pts" for d, e in zip(q["diff"], q["stderr"],
                                                                       strict=True)])
        return _html_table(f"B: {self.raw.b} − A: {self.raw.a}", shown)


@dataclass(frozen=True)
class SensitivityResult:
    """Which uncertain parameters drive the questions (`accord.sensitivity`). Tables:

    - `table`: one row per question per parameter, most influential first: `question`,
      `parameter` (its field path), then the method's values: tornado `low_value`,
      `high_value`, `p_at_low`, `p_at_high`, `swing`; sobol `ST`, `ST_conf`, `S1`,
      `S1_conf`; morris `mu_star`, `mu_star_conf`, `sigma`.
    `base` is each question's probability in the run the analysis is based on (the same as
    `accord.run` at the same paths and seed).
    """

    raw: RawSensitivity

    @classmethod
    def of(cls, document: dict[str, Any]) -> SensitivityResult:
        """An analysis's result from its JSON document (`to_dict`, as stored)."""
        from accord.analysis.sensitivity import SensitivityResult as Raw

        return cls(Raw.from_dict(document))

    def to_dict(self) -> dict[str, Any]:
        """What `accord sensitivity --json` prints (without the stored run's id)."""
        return self.raw.to_dict()

    @property
    def method(self) -> str:
        return self.raw.method

    @property
    def base(self) -> dict[str, float]:
        return dict(self.raw.base)

    @property
    def table(self) -> pd.DataFrame:
        rows = [{"question": t, "parameter": r.parameter, **r.values}
                for t, rs in self.raw.rows.items() for r in rs]
        return _pandas().DataFrame(rows) if rows else _frame([], ("question", "parameter"))

    def _repr_html_(self) -> str:
        return _html_table(f"{self.raw.method}: {self.raw.samples:,} runs of "
                           f"{self.raw.paths:,} paths, seed {self.raw.seed}", self.table)


@dataclass
class StoredRun:
    """A run read back from the store, once: its `record` (the row: when, what, the scenario's
    text), its `scenario` (that text parsed once, on first use; None where it cannot be read
    any more), and its `result` as the API's own type (`SensitivityResult` for a sensitivity
    analysis, else `Result`, whose `question_texts` come from the text's YAML where the
    scenario cannot be read any more)."""

    record: RunRecord

    @classmethod
    def load(cls, store: RunStore, run_id: int) -> StoredRun:
        """The run `run_id` of the store (UserError naming the store when it has none)."""
        return cls(store.get(run_id))

    @property
    def id(self) -> int:
        return self.record.id

    @property
    def kind(self) -> str:
        return self.record.kind

    @property
    def document(self) -> dict[str, Any]:
        """The results as stored (the JSON the CLI printed): `result.to_dict()`."""
        return self.record.results

    @cached_property
    def scenario(self) -> Scenario | None:
        from accord.scenario.loader import parse_scenario

        rec = self.record
        try:
            return parse_scenario(rec.scenario_text, rec.scenario_name, strict=False).scenario
        except Exception:  # noqa: BLE001 - an older text: the results still show, without names
            return None

    @cached_property
    def question_texts(self) -> dict[str, dict[str, Any]]:
        """Each question's `text` and `criteria`: from the scenario, or where it cannot be read
        any more, from its text's YAML (nothing where that cannot be read either)."""
        if self.scenario is not None:
            return texts_of(self.scenario)
        return question_texts(self.record.scenario_text, self.record.scenario_name)

    @cached_property
    def result(self) -> Result | SensitivityResult:
        if self.kind == "sensitivity":
            return SensitivityResult.of(self.document)
        return Result.of(self.document, self.scenario, self.question_texts)


def texts_of(scenario: Scenario) -> dict[str, dict[str, Any]]:
    """Each question's `text` and `criteria`, by id."""
    return {q.id: {"text": q.text, "criteria": q.criteria} for q in scenario.questions}


def question_texts(text: str, name: str) -> dict[str, dict[str, Any]]:
    """Each question's `text` and `criteria`, read from a scenario's YAML text without
    validating it (a stored text too old to parse); nothing where even that fails."""
    from accord.scenario.yamlio import load_yaml

    try:
        tree = load_yaml(text, name)
        return {str(q["id"]): {"text": str(q.get("text", "")), "criteria": q.get("criteria")}
                for q in tree.get("questions") or []}
    except Exception:  # noqa: BLE001 - question texts are a nicety
        return {}
