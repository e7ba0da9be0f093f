"""Parser and validator messages rewritten in a scenario writer's words.

ruamel and pydantic describe what their grammar expected ("mapping values are not allowed
here", "Input should be a valid date"); a user needs what to type instead. Every message that
reaches a user from YAML or pydantic passes through here; file, line and field stay with the
caller (accord.errors.Problem).
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterable
from typing import Any

from accord.scenario.strict import Strict, fields_of

DATE_ADVICE = "write dates as YYYY-MM-DD, e.g. 2024-12-31"
FLOW_KEY = ("a {...} or [...] cannot be a field name: remove the ':' after it, or put the text "
            "in quotes")
DATE_FIELDS = {"as_of", "by", "resolved_on", "date", "scheduled"}
PERCENT = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)\s*%\s*$")
# what a probability-like field is, said once for the range and the percentage messages
RATE_WORDS = {
    "hazard": ("hazards are monthly probabilities between 0 and 1", " a month"),
    "repeatable": ("a repeatable event's rate is a monthly probability between 0 and 1",
                   " a month"),
    "chance": ("a chance is a probability between 0 and 1", ""),
    "probability": ("a probability lies between 0 and 1", ""),
    "salience": ("salience is a weight between 0 and 1", ""),
}


def did_you_mean(name: object, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest of `choices`, or '' when none is close."""
    if not isinstance(name, str) or not name:
        return ""
    from rapidfuzz import fuzz, process  # only on a mistake: a valid file never needs it

    others = [c for c in choices if c != name]  # the name itself is no suggestion
    best = process.extractOne(name, others, scorer=fuzz.ratio, score_cutoff=60)
    return f" (did you mean '{best[0]}'?)" if best else ""


def unknown(kind: str, name: object, choices: Iterable[str]) -> str:
    """'unknown event 'x' (did you mean 'y'?)'."""
    return f"unknown {kind} '{name}'" + did_you_mean(name, choices)


def out_of_unit_range(field: str, reach: float) -> str:
    """A probability or weight outside [0, 1], with the percentage reading spelt out."""
    what, per = RATE_WORDS.get(field, ("a probability lies between 0 and 1", ""))
    if 1 < reach <= 100:
        share = reach / 100
        shown = f"{share:.2f}" if round(share, 2) == share else f"{share:g}"
        return f"{what}: {reach:g} looks like a percentage; {shown} is {reach:g}%{per}"
    return f"{what} (this one reaches {reach:g})"


# --- YAML ---------------------------------------------------------------------------------------
def _line_text(text: str, line: int | None) -> str:
    lines = text.splitlines()
    return lines[line - 1] if line and 0 < line <= len(lines) else ""


def yaml_message(problem: str, text: str, line: int | None, column: int | None) -> str:
    """'invalid YAML: ' and what to change, for the mistakes people make (ruamel's otherwise)."""
    return "invalid YAML: " + _yaml_fix(problem, text, line, column)


def _yaml_fix(problem: str, text: str, line: int | None, column: int | None) -> str:
    here = _line_text(text, line)
    if "mapping values are not allowed" in problem:
        before = here[: column or 0]
        if re.search(r":(\s|$)", before):  # a key already ends earlier on the line
            return "put text that contains ': ' in quotes, e.g. title: \"Talks: round two\""
        return "indent this line like the one above (or end the line above with ':')"
    if "expected <block end>" in problem:
        if "found '-'" in problem:
            return ("a list item ('- ') cannot follow a field at the same indentation: "
                    "indent it under its field")
        return "indent this line like the one above"
    if "'\\t'" in problem:
        return "indent with spaces, not tabs"
    if "while scanning a quoted scalar" in problem:
        return "a quoted text is never closed: add the closing quote"
    if "flow mapping" in problem or "flow sequence" in problem:
        return "a '{' or '[' is never closed, or items in it lack a ','"
    if "duplicate key" in problem or "found duplicate key" in problem:
        return problem.split("\n")[0] + ": each field may appear once"
    return problem


# --- pydantic -----------------------------------------------------------------------------------
def _arms(tp: Any) -> list[Any]:
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _arms(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        return [a for arg in typing.get_args(tp) for a in _arms(arg)]
    return [tp]


def _tagged(tp: Any, key: str | int) -> Any:
    """The arm of a tagged union (pydantic's `Tag`) that `key` names, or None."""
    if typing.get_origin(tp) is typing.Annotated:
        return _tagged(typing.get_args(tp)[0], key)
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        for arg in typing.get_args(tp):
            if any(getattr(m, "tag", None) == key for m in getattr(arg, "__metadata__", ())):
                return arg
    return None


def _step(tp: Any, key: str | int) -> Any:
    """The type reached from `tp` by one step of a pydantic error location (a field, an item,
    a tagged union's arm), or None."""
    tagged = _tagged(tp, key)
    if tagged is not None:
        return tagged
    for arm in _arms(tp):
        origin, args = typing.get_origin(arm), typing.get_args(arm)
        if isinstance(key, int) and origin is list and args:
            return args[0]
        if isinstance(arm, type) and issubclass(arm, Strict) and isinstance(key, str):
            for name, (written, tp) in fields_of(arm).items():
                if key in (name, written):
                    return tp
        if origin is dict and len(args) == 2 and isinstance(key, str):
            return args[1]
    return None


def written_loc(data: object, loc: tuple[str | int, ...], *,
                missing: bool = False) -> tuple[str | int, ...]:
    """An error's location as a path in the data written: without the labels pydantic puts
    between a field and what it holds (a union's arm: "by a shift", "to a value"), which name
    nothing the user wrote. A `missing` field's name, the last key, stays though it is not
    written."""
    out: list[str | int] = []
    node = data
    for k, key in enumerate(loc):
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            node = node[key]
        elif isinstance(key, str) and not (missing and k == len(loc) - 1):
            continue  # a label, not a key of the data
        else:
            node = None
        out.append(key)
    return tuple(out)


def field_names(root: type[Strict], loc: tuple[str | int, ...]) -> list[str]:
    """The fields allowed where the last element of `loc` was written."""
    tp: Any = root
    for key in loc[:-1]:
        tp = _step(tp, key)
        if tp is None:
            return []
    return [written for arm in _arms(tp)
            if isinstance(arm, type) and issubclass(arm, Strict)
            for written, _ in fields_of(arm).values()]


def percent_advice(field: str, text: str) -> str:
    """What to write instead of a number written with '%', in the field's words."""
    m = PERCENT.match(text)
    number = float(m[1]) if m else 0.0
    what = RATE_WORDS.get(field, ("", ""))[0]
    if what:
        return f"{what}: write {text.strip()} as {number / 100:g}"
    return f"write a plain number, without '%' ({number:g}, not '{text.strip()}')"


def _number_field(loc: tuple[str | int, ...]) -> str:
    named = [k for k in loc if isinstance(k, str) and k not in ("value", "low", "high", "mode")]
    return named[-1] if named else ""


GENERIC = {
    "int_parsing": "write a whole number here",
    "int_from_float": "write a whole number here",
    "float_parsing": "write a number here",
    "float_type": "write a number here",
    "list_type": "write a list here (one '- ' line per item, or [a, b])",
    "dict_type": "write fields here (name: value, one per line)",
    "dataclass_type": "write fields here (name: value), or a number",
    "string_type": "write text here",
    "string_pattern_mismatch": "an id is letters, digits and '_', not starting with a digit",
    "bool_parsing": "write true or false here",
}


def pydantic_message(root: type[Strict], err: dict[str, Any]) -> str:
    """One pydantic error as a user's instruction."""
    kind, loc = str(err.get("type", "")), tuple(err.get("loc", ()))
    last = loc[-1] if loc else ""
    given = err.get("input")
    if kind == "unexpected_keyword_argument":  # a record's unknown field
        # the names allowed where it was written: found along pydantic's own location, whose
        # labels say which arm of a union it was read as
        return f"unknown field '{last}'" + did_you_mean(
            last, field_names(root, tuple(err.get("pydantic_loc", loc))))
    if kind == "missing":
        return "required field missing"
    if isinstance(given, str) and PERCENT.match(given):
        return percent_advice(_number_field(loc), given)
    if last in DATE_FIELDS and (kind.startswith("date") or kind == "value_error"):
        extra = " (or YYYY-MM)" if last == "scheduled" else ""
        return f"{DATE_ADVICE}{extra}, not '{given}'"
    if kind in GENERIC:
        shown = given if isinstance(given, str | int | float) else None
        return GENERIC[kind] + (f", not '{shown}'" if shown is not None and shown != "" else "")
    msg = str(err.get("msg", "invalid"))
    return msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")
