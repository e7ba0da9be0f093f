"""The condition language of `when` and `if`: parsed by accord's own small grammar, never eval.

    expr    := or
    or      := and ("or" and)*
    and     := unary ("and" unary)*
    unary   := "not" unary | "(" expr ")" | compare | EVENT | "true" | "false"
             | "accepts(" ACTOR "," ISSUE ")"
    compare := term OP term            OP: < <= > >= == !=
    term    := NUMBER | DATE | "date" | "since(" EVENT ")" | "count(" EVENT ")" | "issue." ISSUE
             | "gap(" ACTOR "," ISSUE ")" | "threshold(" NAME ")"

A bare EVENT means "has occurred" (for a repeatable: at least once). `since(E)` is the number of
whole months from E's latest occurrence to the current month (1 in the month after it occurred);
any comparison with `since(E)` is false while E has not occurred. `date` is the current month,
compared with dates written YYYY-MM or YYYY-MM-DD (the day is ignored).

The bargaining table: `issue.X` is the settlement of issue X under the scenario's issue model,
for the table as the path's events have left it (events' `effects` move positions, saliences,
capabilities and status quos); `gap(A, X)` is |issue.X − A's position on X| on that table, and
`accepts(A, X)` holds when that gap is at most A's tolerance on X. `threshold(NAME)` is the
scenario's named parameter NAME (`thresholds:`), a number or a date, so that `sensitivity` sees
it.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from accord.scenario.calendar import month_number

Op = Literal["<", "<=", ">", ">=", "==", "!="]
OPS: dict[str, Callable[[Any, Any], Any]] = {  # what each comparison means
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
    "==": operator.eq, "!=": operator.ne,
}


class ConditionSyntaxError(ValueError):
    def __init__(self, message: str, column: int) -> None:
        super().__init__(f"{message} (at column {column + 1})")
        self.column = column


# ---- terms -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Number:
    """A number written in a condition."""

    value: float


@dataclass(frozen=True)
class DateLit:
    """A date written in a condition, YYYY-MM or YYYY-MM-DD (the day is ignored)."""

    year: int
    month: int

    @property
    def index(self) -> int:
        """Months since year 0: dates compare as integers."""
        return month_number(self)


@dataclass(frozen=True)
class Now:
    """The current month, as a calendar date."""


@dataclass(frozen=True)
class Since:
    """Whole months since an event's latest occurrence (`since(E)`)."""

    event: str


@dataclass(frozen=True)
class Count:
    """How often a repeatable event has occurred (`count(E)`)."""

    event: str


@dataclass(frozen=True)
class IssueOutcome:
    """The settlement of an issue on the path's current table (`issue.X`)."""

    issue: str


@dataclass(frozen=True)
class Gap:
    """|settlement of `issue` − `actor`'s position on it|, on the path's current table."""

    actor: str
    issue: str


@dataclass(frozen=True)
class ThresholdRef:
    """The scenario's named parameter `name` (a number, or a date as a month number)."""

    name: str


Term = Number | DateLit | Now | Since | Count | IssueOutcome | Gap | ThresholdRef


# ---- boolean expressions -------------------------------------------------------------------
@dataclass(frozen=True)
class Const:
    """`true` or `false`."""

    value: bool


@dataclass(frozen=True)
class Occurred:
    """Whether an event has occurred (its bare id)."""

    event: str


@dataclass(frozen=True)
class Accepts:
    """`actor` accepts the settlement of `issue`: its gap is within its tolerance."""

    actor: str
    issue: str


@dataclass(frozen=True)
class Not:
    """`not item`."""

    item: Expr


@dataclass(frozen=True)
class And:
    """`a and b and …`."""

    items: tuple[Expr, ...]


@dataclass(frozen=True)
class Or:
    """`a or b or …`."""

    items: tuple[Expr, ...]


@dataclass(frozen=True)
class Compare:
    """`left op right`, the two terms compared."""

    op: Op
    left: Term
    right: Term


Expr = Const | Occurred | Accepts | Not | And | Or | Compare

TRUE = Const(True)

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<date>\d{4}-\d{2}(?:-\d{2})?(?![\d.]))
    | (?P<num>\d+(?:\.\d*)?|\.\d+)
    | (?P<op><=|>=|==|!=|<|>)
    | (?P<punct>[(),])
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)
    )""",
    re.VERBOSE,
)
KEYWORDS = {"and", "or", "not", "true", "false", "date", "since", "count", "accepts", "gap",
            "threshold"}
_FLIP: dict[str, Op] = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    pos, end = 0, len(text.rstrip())
    while pos < end:
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            col = pos + len(text[pos:end]) - len(text[pos:end].lstrip())
            raise ConditionSyntaxError(f"unexpected character {text[col]!r}", col)
        kind = m.lastgroup or ""
        tokens.append((kind, m.group(kind), m.start(kind)))
        pos = m.end()
    tokens.append(("end", "", len(text)))
    return tokens


MAX_NESTING = 64  # parentheses and `not`s: far past any real condition, far below the stack


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokenize(text)
        self.i = 0
        self.depth = 0

    def nested(self, col: int) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise ConditionSyntaxError(f"nested more than {MAX_NESTING} levels deep", col)

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.i]

    def take(self) -> tuple[str, str, int]:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def expect(self, value: str) -> None:
        kind, text, col = self.take()
        if text != value:
            found = "the end" if kind == "end" else repr(text)
            raise ConditionSyntaxError(f"expected {value!r} but found {found}", col)

    def pair(self, call: str) -> tuple[str, str]:
        """The `(ACTOR, ISSUE)` after accepts or gap."""
        self.expect("(")
        actor = _plain_name(self, "an actor id first", call)
        self.expect(",")
        issue = _plain_name(self, "an issue id after the comma", call)
        self.expect(")")
        return actor, issue

    def parse(self) -> Expr:
        expr = self.or_()
        kind, text, col = self.peek()
        if kind != "end":
            raise ConditionSyntaxError(f"unexpected {text!r}", col)
        return expr

    def or_(self) -> Expr:
        items = [self.and_()]
        while self.peek()[1] == "or":
            self.take()
            items.append(self.and_())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_(self) -> Expr:
        items = [self.unary()]
        while self.peek()[1] == "and":
            self.take()
            items.append(self.unary())
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self) -> Expr:
        kind, text, col = self.peek()
        if text == "not":
            self.take()
            self.nested(col)
            expr: Expr = Not(self.unary())
            self.depth -= 1
            return expr
        if text == "(":
            self.take()
            self.nested(col)
            expr = self.or_()
            self.expect(")")
            self.depth -= 1
            return expr
        if text in ("true", "false"):
            self.take()
            return Const(text == "true")
        if text == "accepts":
            self.take()
            return Accepts(*self.pair("accepts"))
        if kind == "end":
            raise ConditionSyntaxError("the condition ends too early", col)
        left = self.term()
        kind, op, col2 = self.peek()
        if kind != "op":
            if isinstance(left, Occurred):
                return left
            raise ConditionSyntaxError("expected a comparison such as '>= 2'", col2)
        self.take()
        right = self.term()
        if isinstance(right, Occurred):
            raise ConditionSyntaxError(f"cannot compare with event {right.event!r}", col2)
        return _check_compare(op, left, right, col)  # type: ignore[arg-type]

    def term(self) -> Term | Occurred:
        kind, text, col = self.take()
        if kind == "num":
            return Number(float(text))
        if kind == "date":
            year, month = int(text[:4]), int(text[5:7])
            if not 1 <= month <= 12:
                raise ConditionSyntaxError(f"{text!r} is not a valid date", col)
            return DateLit(year, month)
        if kind == "name":
            if text == "date":
                return Now()
            if text in ("since", "count", "threshold"):
                self.expect("(")
                name = _plain_name(self, "a parameter name" if text == "threshold"
                                   else "an event id", text)
                self.expect(")")
                return {"since": Since, "count": Count, "threshold": ThresholdRef}[text](name)
            if text == "gap":
                return Gap(*self.pair("gap"))
            if text.startswith("issue."):
                return IssueOutcome(text.split(".", 1)[1])
            if "." in text:
                raise ConditionSyntaxError(f"unknown name {text!r} (did you mean issue.X?)", col)
            if text in KEYWORDS:
                raise ConditionSyntaxError(f"unexpected {text!r}", col)
            return Occurred(text)
        found = "the end" if kind == "end" else repr(text)
        raise ConditionSyntaxError(f"expected an event, number or date but found {found}", col)


def _plain_name(parser: _Parser, what: str, call: str) -> str:
    kind, name, col = parser.take()
    if kind != "name" or name in KEYWORDS or "." in name:
        raise ConditionSyntaxError(f"{call}() needs {what}", col)
    return name


def _check_compare(op: Op, left: Term | Occurred, right: Term, col: int) -> Compare:
    if isinstance(left, Occurred):
        raise ConditionSyntaxError(
            f"cannot compare event {left.event!r}; use since({left.event}) or count({left.event})",
            col,
        )
    dates = [isinstance(t, Now | DateLit) for t in (left, right)]
    either = isinstance(left, ThresholdRef) or isinstance(right, ThresholdRef)  # number or date
    if dates[0] != dates[1] and not either:
        raise ConditionSyntaxError("a date can only be compared with a date", col)
    if isinstance(left, Number | DateLit) and not isinstance(right, Number | DateLit):
        left, right, op = right, left, _FLIP[op]  # keep the constant on the right
    return Compare(op, left, right)


def parse(text: str) -> Expr:
    """Parse a condition; raises ConditionSyntaxError with the column of the problem.

    Cached: checks, compilers and the dashboard ask for the same event's condition many times,
    and expressions are immutable.
    """
    if not isinstance(text, str):
        raise ConditionSyntaxError("a condition must be text", 0)
    return _parse_text(text)


@functools.lru_cache(maxsize=4096)
def _parse_text(text: str) -> Expr:
    if text.strip() == "":
        return TRUE
    return _Parser(text).parse()


# ---- what a condition refers to ------------------------------------------------------------
def walk(expr: Expr) -> list[Expr | Term]:
    """Every node of the expression, terms included, depth first."""
    out: list[Expr | Term] = [expr]
    match expr:
        case Not(item):
            out += walk(item)
        case And(items) | Or(items):
            for item in items:
                out += walk(item)
        case Compare(_, left, right):
            out += [left, right]
    return out


def events_referenced(expr: Expr) -> set[str]:
    return {n.event for n in walk(expr) if isinstance(n, Occurred | Since | Count)}


def issues_referenced(expr: Expr) -> set[str]:
    """Issues whose settlement the expression reads (`issue.X`, `gap`, `accepts`)."""
    return {n.issue for n in walk(expr) if isinstance(n, IssueOutcome | Gap | Accepts)}


def stances_referenced(expr: Expr) -> set[tuple[str, str]]:
    """(actor, issue) pairs whose gap the expression reads (`gap`, `accepts`)."""
    return {(n.actor, n.issue) for n in walk(expr) if isinstance(n, Gap | Accepts)}


def thresholds_referenced(expr: Expr) -> set[str]:
    return {n.name for n in walk(expr) if isinstance(n, ThresholdRef)}


def date_thresholds(expr: Expr) -> set[str]:
    """Named thresholds compared with `date` (they must be dates)."""
    out: set[str] = set()
    for n in walk(expr):
        if isinstance(n, Compare) and isinstance(n.left, Now) and isinstance(n.right, ThresholdRef):
            out.add(n.right.name)
        if isinstance(n, Compare) and isinstance(n.right, Now) and isinstance(n.left, ThresholdRef):
            out.add(n.left.name)
    return out


def gap_key(actor: str, issue: str) -> str:
    """The name of the column `gap(actor, issue)` reads (accord.process.settlements)."""
    return f"gap({actor}, {issue})"


def tolerance_key(actor: str, issue: str) -> str:
    return f"tolerance({actor}, {issue})"


def threshold_key(name: str) -> str:
    return f"threshold({name})"


def literals(expr: Expr) -> list[Number | DateLit]:
    """The numbers and dates written into the expression (each without provenance)."""
    return [n for n in walk(expr) if isinstance(n, Number | DateLit)]


def _compare_requires(c: Compare) -> set[str]:
    """Events that must have occurred for the comparison to hold."""
    if isinstance(c.left, Since):
        return {c.left.event}
    if isinstance(c.left, Count) and isinstance(c.right, Number):
        v = c.right.value
        needs = (c.op == ">=" and v >= 1) or (c.op == ">" and v >= 0) or (c.op == "==" and v >= 1)
        return {c.left.event} if needs else set()
    return set()


def required_events(expr: Expr) -> set[str]:
    """Events that must already have occurred whenever `expr` holds (its positive preconditions)."""
    match expr:
        case Occurred(event):
            return {event}
        case And(items):
            return set().union(*(required_events(i) for i in items))
        case Or(items):
            sets = [required_events(i) for i in items]
            return set.intersection(*sets)
        case Compare():
            return _compare_requires(expr)
        case _:
            return set()


def to_text(expr: Expr | Term) -> str:
    """Render back to the condition language (for reports and the event graph)."""
    match expr:
        case Const(v):
            return "true" if v else "false"
        case Occurred(e):
            return e
        case Not(item):
            inner = to_text(item)
            return f"not ({inner})" if isinstance(item, And | Or) else f"not {inner}"
        case And(items):
            return " and ".join(
                f"({to_text(i)})" if isinstance(i, Or) else to_text(i) for i in items
            )
        case Or(items):
            return " or ".join(to_text(i) for i in items)
        case Compare(op, left, right):
            return f"{to_text(left)} {op} {to_text(right)}"
        case Number(v):
            if float(v).is_integer():
                return str(int(v))
            return format(Decimal(repr(v)), "f")  # positional and exact: the grammar has no 1e6
        case DateLit(y, m):
            return f"{y:04d}-{m:02d}"
        case Now():
            return "date"
        case Since(e):
            return f"since({e})"
        case Count(e):
            return f"count({e})"
        case IssueOutcome(i):
            return f"issue.{i}"
        case Gap(a, i):
            return f"gap({a}, {i})"
        case Accepts(a, i):
            return f"accepts({a}, {i})"
        case ThresholdRef(n):
            return f"threshold({n})"
    raise TypeError(expr)


def renamed(expr: Expr | Term, events: dict[str, str], issues: dict[str, str],
            actors: dict[str, str] | None = None) -> Expr | Term:
    """The expression with event, issue and actor ids replaced (renaming an id)."""
    ac = actors or {}
    match expr:
        case Occurred(e):
            return Occurred(events.get(e, e))
        case Since(e):
            return Since(events.get(e, e))
        case Count(e):
            return Count(events.get(e, e))
        case IssueOutcome(i):
            return IssueOutcome(issues.get(i, i))
        case Gap(a, i):
            return Gap(ac.get(a, a), issues.get(i, i))
        case Accepts(a, i):
            return Accepts(ac.get(a, a), issues.get(i, i))
        case Not(item):
            return Not(renamed(item, events, issues, ac))  # type: ignore[arg-type]
        case And(items):
            return And(tuple(renamed(i, events, issues, ac) for i in items))  # type: ignore[misc]
        case Or(items):
            return Or(tuple(renamed(i, events, issues, ac) for i in items))  # type: ignore[misc]
        case Compare(op, left, right):
            return Compare(op, renamed(left, events, issues, ac),  # type: ignore[arg-type]
                           renamed(right, events, issues, ac))  # type: ignore[arg-type]
    return expr
