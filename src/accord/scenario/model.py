"""The scenario data model: what a negotiation written down consists of.

Records (accord.scenario.strict) that pydantic v2 validates. Structural checks live here;
checks across the scenario (ids, conditions, cycles, evidence) live in
`accord.scenario.checks`, so both the loader and the dashboard report them alike.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Literal, TypeAlias

from accord.scenario import conditions
from accord.scenario.calendar import month_number
from accord.scenario.params import Param
from accord.scenario.strict import Strict

if TYPE_CHECKING:  # bound when a record is first validated (accord.scenario.strict)
    from pydantic import AfterValidator, BeforeValidator, Discriminator, Field, Tag

ID_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"
Id: TypeAlias = "Annotated[str, Field(pattern=ID_PATTERN, max_length=64)]"


def _not_keyword(v: str) -> str:
    if v in conditions.KEYWORDS:
        raise ValueError(f"'{v}' is a word of the condition language; choose another id")
    return v


# events and issues are named inside conditions, so their ids cannot be the language's words
NamedId: TypeAlias = "Annotated[Id, AfterValidator(_not_keyword)]"
MAX_HORIZON = 600  # months: fifty years is already beyond any forecast we can defend
MAX_EVENTS = 200


def _plain_name(v: str | None) -> str | None:
    if v is not None and (v != v.strip() or "/" in v or "\\" in v or v in ("", ".", "..")):
        raise ValueError("must be a plain file name, without folders")
    return v


def _parses(v: str) -> str:
    conditions.parse(v)
    return v


# a condition (`when`, `if`): parsed when read, so a bad one is an error at its line
Condition: TypeAlias = "Annotated[str, AfterValidator(_parses)]"


@dataclass(kw_only=True)
class Source(Strict):
    """A text the scenario cites: its evidence quotes words that occur in it."""

    id: Id
    title: str
    author: str | None = None
    date: dt.date | None = None
    publisher: str | None = None
    url: str | None = None
    file: Annotated[str | None, AfterValidator(_plain_name), Field(
        description="the text's file name, beside the scenario or in --sources DIR")] = None


@dataclass(kw_only=True)
class Meta(Strict):
    """What the scenario is, the date it is written as of, and how far it looks."""

    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$", max_length=80)]
    title: str
    as_of: dt.date
    horizon: Annotated[int, Field(ge=1, le=MAX_HORIZON, description="months from as_of")]
    description: str | None = None
    issue_model: Annotated[str, Field(
        description="bargaining model whose outcome `issue.X` reads")] = "compromise"
    sources: list[Source] = field(default_factory=list)


@dataclass(kw_only=True)
class Actor(Strict):
    """A party to the negotiation, with its capability (its weight at the table)."""

    id: Id
    name: str
    aliases: list[str] = field(default_factory=list)
    capability: Param
    group: str | None = None
    description: str | None = None


@dataclass(kw_only=True)
class Scale(Strict):
    """An issue's scale: the outcomes lie between min and max, which the means describe."""

    min: float = 0.0
    max: float = 100.0
    min_means: str | None = None
    max_means: str | None = None

    def __post_init__(self) -> None:
        if not math.isfinite(self.max - self.min) and self.min < self.max:
            raise ValueError(f"scale min ({self.min:g}) and max ({self.max:g}) must be finite "
                             "numbers (an outcome is placed between them)")
        if not self.min < self.max:
            raise ValueError(f"scale min ({self.min:g}) must be below max ({self.max:g})")


@dataclass(kw_only=True)
class Stance(Strict):
    """An actor's stand on an issue: where it wants the outcome, and how much it cares (0..1)."""

    position: Param
    salience: Param
    tolerance: Annotated[Param | None, Field(
        description="how far the settlement may lie from the position for the actor to "
        "accept it (`accepts(ACTOR, ISSUE)`), in the issue's units; default "
        "DEFAULT_TOLERANCE of the scale's width")] = None


def _two_actors(v: dict[str, Stance]) -> dict[str, Stance]:
    if len(v) < 2:
        raise ValueError("an issue needs the positions of at least two actors")
    return v


@dataclass(kw_only=True)
class Issue(Strict):
    """A contested question the negotiation settles on a scale, with each actor's stance."""

    id: NamedId
    name: str
    description: str | None = None
    scale: Scale = field(default_factory=Scale)
    status_quo: Param | None = None
    positions: Annotated[dict[Id, Stance], AfterValidator(_two_actors)]


@dataclass(kw_only=True)
class Modifier(Strict):
    """A factor on an event's rate in the months its condition (`if`) holds."""

    __pydantic_config__ = {"extra": "forbid", "populate_by_name": True}  # `if` or `if_`

    if_: Annotated[Condition, Field(alias="if")]
    multiply: Param

    @property
    def condition(self) -> conditions.Expr:
        """`if` parsed (the parse is cached)."""
        return conditions.parse(self.if_)


DEFAULT_TOLERANCE = 0.1  # of an issue's scale: an actor accepts a settlement this near its position


@dataclass(kw_only=True)
class Shift(Strict):
    """An effect that moves a value by an amount instead of setting it."""

    shift: Param


def _table_arm(v: object) -> str:
    """An effect on the table shifts a value (written `{shift: x}`) or sets it: the one arm
    validated, so that a mistake is reported against what was meant, not against both. The
    arms' tags, which pydantic puts in an error's location, can be no field's name."""
    shifts = isinstance(v, Shift) or isinstance(v, dict) and "shift" in v
    return "by a shift" if shifts else "to a value"


TableValue: TypeAlias = ('Annotated[Annotated[Shift, Tag("by a shift")] | '
                         'Annotated[Param, Tag("to a value")], Discriminator(_table_arm)]')
TABLE_FIELDS = ("positions", "saliences", "capabilities")  # per actor, per issue


@dataclass(kw_only=True)
class Effects(Strict):
    """What an event's occurrence changes, from the month after it: other events (`cancels`,
    `resets`) and the bargaining table (a value sets, `{shift: x}` adds)."""

    positions: Annotated[dict[Id, dict[Id, TableValue]], Field(
        description="ACTOR: {ISSUE: position}")] = field(default_factory=dict)
    saliences: Annotated[dict[Id, dict[Id, TableValue]], Field(
        description="ACTOR: {ISSUE: salience}")] = field(default_factory=dict)
    capabilities: Annotated[dict[Id, dict[Id, TableValue]], Field(
        description="ACTOR: {ISSUE: capability on that issue}")] = field(default_factory=dict)
    status_quo: Annotated[dict[Id, TableValue], Field(
        description="ISSUE: value")] = field(default_factory=dict)
    cancels: Annotated[list[Id], Field(
        description="events that can no longer occur once this occurs")] = field(
        default_factory=list)
    resets: Annotated[list[Id], Field(
        description="events set back to not-occurred (e.g. a new demand re-opens an "
        "agreement)")] = field(default_factory=list)

    def table(self) -> list[tuple[str, str | None, str, Shift | Param]]:
        """Every change to the table as (field, actor or None, issue, value), in file order."""
        out: list[tuple[str, str | None, str, Shift | Param]] = []
        for fld in TABLE_FIELDS:
            for actor, per in getattr(self, fld).items():
                out += [(fld, actor, issue, v) for issue, v in per.items()]
        out += [("status_quo", None, issue, v) for issue, v in self.status_quo.items()]
        return out


BAND = {"dist": "triangular", "low": -1.0, "mode": 0.0, "high": 1.0,
        "assumption": "where within the class's 95% band this case's rate lies: the estimate "
                      "most likely, the band's edges least (-1 the low edge, 1 the high)"}


def _filter_text(v: object) -> object:
    """A filter's values as text (YAML reads `true` and `1936` as a bool and a number)."""
    if isinstance(v, dict):
        return {k: str(x).lower() if isinstance(x, bool) else str(x) for k, x in v.items()}
    return v


@dataclass(kw_only=True)
class Reference(Strict):
    """The outside view as an event's rate: a reference class of historical cases
    (`accord baserate list`), counted from `since` (default: as_of), optionally filtered."""

    __pydantic_config__ = {"extra": "forbid", "populate_by_name": True}  # `class` or `class_`

    class_: Annotated[str, Field(alias="class", description="a reference class id")]
    since: Annotated[dt.date | None, Field(
        description="the process's own origin, on or before as_of (default: as_of)")] = None
    where: Annotated[dict[str, str], BeforeValidator(_filter_text), Field(
        description="filters, e.g. {incompatibility: territory}")] = field(default_factory=dict)
    band: Annotated[Param, Field(
        description="the draw's position in the class's 95% band, -1..1")] = field(
        default_factory=lambda: Param(**BAND))

    @staticmethod
    def expand_shorthand(data: object) -> object:
        """A bare class id is the reference to that class."""
        return {"class": data} if isinstance(data, str) else data

    def __post_init__(self) -> None:
        """The class and its filters exist; the band lies within -1..1."""
        from accord.baserate.tables import lookup
        from accord.errors import UserError

        try:
            lookup(self.class_, self.where)
        except UserError as exc:
            raise ValueError(exc.problems[0].message) from None
        lo, hi = self.band.support()
        if lo < -1 or hi > 1:
            raise ValueError("band: a position in the band lies between -1 and 1")

    @property
    def kind(self) -> str:
        """'curve' (gives a hazard) or 'share' (gives a chance)."""
        from accord.baserate.tables import entry

        return entry(self.class_)["kind"]


def _month(value: object) -> dt.date:
    """A scheduled date: YYYY-MM or YYYY-MM-DD."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}", value.strip()):
        value = value.strip() + "-01"
    if isinstance(value, str):
        return dt.date.fromisoformat(value.strip())
    raise ValueError("expected a date written YYYY-MM or YYYY-MM-DD")


Kind = Literal["hazard", "chance", "scheduled", "repeatable"]


def _scheduled_date(v: object) -> object:
    return None if v is None else _month(v)


@dataclass(kw_only=True)
class Event(Strict):
    """Something that may happen, in one way: a monthly hazard, a one-off chance, a date,
    a repeatable hazard, or a reference class's rate; `when` holds it back until it may."""

    id: NamedId
    name: str
    description: str | None = None
    when: Annotated[Condition, Field(description="precondition; default: always")] = ""
    hazard: Annotated[Param | None, Field(description="probability per month")] = None
    chance: Annotated[Param | None, Field(
        description="resolves once, the first month `when` holds")] = None
    scheduled: Annotated[dt.date | None, BeforeValidator(_scheduled_date), Field(
        description="occurs on this date (or the first month after it) if `when` holds")] = None
    repeatable: Annotated[Param | None, Field(
        description="a hazard that may fire many times")] = None
    reference: Annotated[Reference | None, Field(
        description="a reference class giving the rate (the outside view)")] = None
    decay: Annotated[Param | None, Field(
        description="the rate's factor per month from as_of (a window closing): month "
        "t's rate is the rate × decay^(t−1), before modifiers; hazard and repeatable only")] = None
    modifiers: list[Modifier] = field(default_factory=list)
    effects: Effects = field(default_factory=Effects)

    def __post_init__(self) -> None:
        """One way of happening; modifiers and decay only where a rate runs monthly."""
        ways = [
            k
            for k in ("hazard", "chance", "scheduled", "repeatable")
            if getattr(self, k) is not None
        ]
        if self.reference is not None:
            _referenced(self.reference, ways)
        elif len(ways) != 1:
            raise ValueError(
                "an event needs exactly one of hazard, chance, scheduled, repeatable"
                + (f" (found {', '.join(ways)})" if ways else "")
            )
        if self.modifiers and self.kind not in ("hazard", "repeatable"):
            raise ValueError("modifiers apply to a hazard or repeatable event only")
        if self.decay is not None and self.kind not in ("hazard", "repeatable"):
            raise ValueError("decay applies to a hazard or repeatable event only")

    @property
    def kind(self) -> Kind:
        for k in ("hazard", "chance", "scheduled", "repeatable"):
            if getattr(self, k) is not None:
                return k  # type: ignore[return-value]
        if self.reference is not None:
            return "hazard" if self.reference.kind == "curve" else "chance"
        raise AssertionError("validated: one way of happening")

    @property
    def rate_path(self) -> str | None:
        """Where the event's rate parameter sits under `events[i]` (None: scheduled)."""
        if self.reference is not None:
            return "reference.band"
        return None if self.kind == "scheduled" else self.kind

    @property
    def probability(self) -> Param | None:
        """The hazard, chance or repeatable rate (None for scheduled)."""
        return self.hazard or self.chance or self.repeatable

    @property
    def condition(self) -> conditions.Expr:
        return conditions.parse(self.when)

    @property
    def conditions(self) -> list[conditions.Expr]:
        """Every condition it reads: its `when`, then its modifiers' `if`s."""
        return [self.condition, *(m.condition for m in self.modifiers)]

    @property
    def scheduled_month(self) -> int | None:
        """The scheduled date's calendar month (accord.scenario.calendar), if scheduled."""
        return None if self.scheduled is None else month_number(self.scheduled)


def _referenced(ref: Reference, ways: list[str]) -> None:
    """An event with a reference takes its rate from the class: a curve gives a hazard, a
    share a chance; any rate written beside it is a contradiction, said in what to write."""
    if not ways:
        return
    give = "a monthly hazard" if ref.kind == "curve" else "a one-off chance"
    if ways == ["hazard"] and ref.kind == "curve" or ways == ["chance"] and ref.kind == "share":
        raise ValueError(f"the reference class {ref.class_} gives the {ways[0]}: remove "
                         f"`{ways[0]}`, or the reference")
    fits = "hazard" if ref.kind == "curve" else "chance"
    raise ValueError(f"{ref.class_} is a {ref.kind} class: it gives {give}, so it cannot be "
                     f"the rate of a {ways[0]} event; remove `{ways[0]}` (the event is then a "
                     f"{fits} event at the class's rate), or the reference")


@dataclass(kw_only=True)
class Question(Strict):
    """A forecasting question: has an event occurred by a date?"""

    id: Id
    text: str
    event: Id
    by: dt.date
    criteria: Annotated[str | None, Field(
        description="exactly how the question resolves (shown wherever it is shown)")] = None
    resolution: Literal["yes", "no"] | None = None
    resolved_on: dt.date | None = None
    reference: Annotated[Reference | None, Field(
        description="the reference class whose answer is shown beside this question's "
        "(default: its event's)")] = None


_DATE_TEXT = re.compile(r"\d{4}-\d{2}(-\d{2})?")


def _as_month(v: object) -> object:
    """A date (YYYY-MM, YYYY-MM-DD or a date) as its month number; anything else unchanged."""
    if isinstance(v, dt.date):
        return float(month_number(v))
    if isinstance(v, str) and _DATE_TEXT.fullmatch(v.strip()):
        return float(month_number(_month(v)))
    return v


@dataclass(kw_only=True)
class Threshold(Param):
    """A named number or date read inside conditions as `threshold(NAME)`, so that sensitivity,
    the tornado and explain see it. Dates are written YYYY-MM (or YYYY-MM-DD) and held as month
    numbers (year × 12 + month − 1); `date >= threshold(X)` holds from the first month at or
    after the drawn value."""

    date: Annotated[bool, Field(description="written as dates (set when it is)")] = False

    @staticmethod
    def expand_shorthand(data: object) -> object:
        """Dates as month numbers (then a parameter's shorthands)."""
        if not isinstance(data, dict):
            data = {"value": data} if isinstance(data, str | dt.date) else data
        if not isinstance(data, dict):
            return Param.expand_shorthand(data)
        keys = ("value", "low", "high", "mode")
        out = {k: _as_month(v) if k in keys else v for k, v in data.items()}
        if any(out.get(k) is not data.get(k) for k in keys if k in data):
            out["date"] = True
        return Param.expand_shorthand(out)


@dataclass(kw_only=True)
class Indicator(Strict):
    """A sign short of certainty that an event has happened (soft evidence): seeing it weighs
    the paths by `likelihood_ratio`, how much likelier the sign is in a month when the event
    has occurred (for a chance event: when it will come up yes) than when it has not."""

    id: Id
    name: str
    event: Id
    likelihood_ratio: Param
    seen_if_occurred: Annotated[Param | None, Field(
        description="P(the sign is seen in a month | the event has occurred): needed "
        "to read a month in which it was not seen")] = None
    description: str | None = None


@dataclass(kw_only=True)
class Scenario(Strict):
    """A negotiation written down: its actors, issues, events, questions and signs."""

    meta: Meta
    actors: Annotated[list[Actor], Field(min_length=1)]
    issues: list[Issue] = field(default_factory=list)
    events: Annotated[list[Event], Field(max_length=MAX_EVENTS)] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    thresholds: Annotated[dict[Id, Threshold], Field(
        description="named numbers and dates that conditions read as threshold(NAME)")] = field(
        default_factory=dict)

    # --- lookups ---------------------------------------------------------------------------
    @property
    def event_ids(self) -> list[str]:
        return [e.id for e in self.events]

    def event(self, event_id: str) -> Event:
        for e in self.events:
            if e.id == event_id:
                return e
        raise KeyError(event_id)

    def issue(self, issue_id: str) -> Issue:
        for i in self.issues:
            if i.id == issue_id:
                return i
        raise KeyError(issue_id)

    def asking(self, event_id: str, by: dt.date) -> tuple[Scenario, str]:
        """The scenario with a question "has `event_id` occurred by `by`?" and its id: one it
        already asks, else a new one. An ad-hoc question (`accord forecast`) is then answered
        as every question is, with the same error and band."""
        for q in self.questions:
            if q.event == event_id and q.by == by:
                return self, q.id
        ids = {q.id for q in self.questions}
        base = f"{event_id[:44]}_by_{by:%Y_%m_%d}"  # an id's 64 characters, with room for _N
        qid = next(i for i in (base, *(f"{base}_{n}" for n in range(2, len(ids) + 3)))
                   if i not in ids)
        q = Question(id=qid, text=f"Will {event_id} have occurred by {by.isoformat()}?",
                     event=event_id, by=by)
        return self.model_copy(update={"questions": [*self.questions, q]}), qid

    def months_until(self, when: dt.date) -> int:
        """Whole months from as_of to `when` (the steps completed by that date)."""
        a = self.meta.as_of
        months = month_number(when) - month_number(a)
        if when.day < a.day:
            months -= 1
        return months

    def month_index(self, step: int) -> int:
        """Calendar month (year*12 + month-1) of step t = 1..horizon; step 1 is as_of's month."""
        return month_number(self.meta.as_of) + step - 1

    def parameter_names(self) -> dict[str, str]:
        """Field path → a name built from ids ('events.treaty_signed.hazard'), stable when
        items are added or reordered: what users write in grids and what seeds each stream."""
        names: dict[str, str] = {}
        for path, _ in self.parameters():
            if "[" not in path.split(".", 1)[0]:  # thresholds.NAME: named already
                names[path] = path
                continue
            section, rest = path.split("[", 1)
            index, tail = rest.split("]", 1)
            item = getattr(self, section)[int(index)]
            if section == "issues":
                tail = tail.replace(".positions.", ".")
            names[path] = f"{section}.{item.id}{tail}"
        return names

    def with_parameters(self, values: dict[str, Param]) -> Scenario:
        """A copy with the parameters at these field paths (as `parameters` names them:
        `events[3].hazard`, `events[0].effects.positions.a.x`, `thresholds.cut`) replaced."""
        from accord.scenario.yamlio import parse_path

        out = self.model_copy(deep=True)
        for path, value in values.items():
            *parents, last = parse_path(path)
            node: object = out
            for key in parents:
                node = node[key] if isinstance(node, list | dict) else getattr(node, str(key))  # type: ignore[index]
            if isinstance(node, dict):
                node[last] = value
            else:
                setattr(node, str(last), value)
        return out

    def parameters(self) -> list[tuple[str, Param]]:
        """Every parameter with its field path, in file order: the order draws are taken."""
        out: list[tuple[str, Param]] = []
        for i, a in enumerate(self.actors):
            out.append((f"actors[{i}].capability", a.capability))
        for i, iss in enumerate(self.issues):
            if iss.status_quo is not None:
                out.append((f"issues[{i}].status_quo", iss.status_quo))
            for actor, st in iss.positions.items():
                out.append((f"issues[{i}].positions.{actor}.position", st.position))
                out.append((f"issues[{i}].positions.{actor}.salience", st.salience))
                if st.tolerance is not None:
                    out.append((f"issues[{i}].positions.{actor}.tolerance", st.tolerance))
        for i, ev in enumerate(self.events):
            p = ev.probability
            if p is not None:
                out.append((f"events[{i}].{ev.kind}", p))
            if ev.reference is not None:
                out.append((f"events[{i}].reference.band", ev.reference.band))
            if ev.decay is not None:
                out.append((f"events[{i}].decay", ev.decay))
            for j, m in enumerate(ev.modifiers):
                out.append((f"events[{i}].modifiers[{j}].multiply", m.multiply))
            for fld, actor, issue, v in ev.effects.table():
                at = f"events[{i}].effects.{fld}" + (f".{actor}" if actor else "") + f".{issue}"
                out.append((at + ".shift", v.shift) if isinstance(v, Shift) else (at, v))
        for i, ind in enumerate(self.indicators):
            out.append((f"indicators[{i}].likelihood_ratio", ind.likelihood_ratio))
            if ind.seen_if_occurred is not None:
                out.append((f"indicators[{i}].seen_if_occurred", ind.seen_if_occurred))
        out += [(f"thresholds.{name}", p) for name, p in self.thresholds.items()]
        return out
