"""A fast, C-backed YAML parse that answers only when it is sure to agree with the round trip.

ruamel's round-trip loader (accord.scenario.yamlio) keeps every line and comment but is pure
Python: 0.1-0.4 s for the built-in scenario. libyaml (through PyYAML) parses the same text
~10x faster. This module reads with libyaml under YAML 1.2's core schema (ruamel's resolver
table, copied below), and returns None - "ask the round trip" - for anything where the two could
differ or that the round trip refuses: tags, directives, merge keys, duplicate or non-string keys,
numbers other than plain decimals, timestamps other than dates, line breaks YAML 1.1 and 1.2 read
apart, control characters, alias expansion past the cap, and any libyaml error. So it accepts a
subset of what the round trip accepts, with the same values, and an error always comes from the
round trip, with its line. Lines of successful parses come from libyaml's node marks.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from accord.scenario.yamlio import MAX_NODES

# A tag starts a token: `!` after a blank or an indicator (`[?!` is one). Any `!` not after a
# letter or digit is taken for one; those in quoted text and comments only cost the fast path.
_TAG = re.compile(r"(?<![A-Za-z0-9])!")
_DIRECTIVE = re.compile(r"^%", re.M)
# libyaml ends an anchor's or alias's name at the first character not in [A-Za-z0-9_-], YAML 1.2
# (ruamel) only at a blank or a flow indicator: `&a:1` reads apart.
_ANCHOR = re.compile(r"(?:^|[\s\[{,])[&*][A-Za-z0-9_-]*(?=[^A-Za-z0-9_\-\s,\[\]{}])", re.M)
# A block scalar's header with a comment and no blank before it (`|#`), or followed by a line of
# blanks only: libyaml reads them, ruamel refuses them.
_HEADER = re.compile(r"[|>][0-9+-]*(?:#|[ ]*(?:#[^\n]*)?\n[ ]+\n)")
# A JSON-like key's value with no blank after the colon (`{"a":1}`): YAML 1.2 and libyaml, not
# ruamel.
_ADJACENT = re.compile(r"""['"]:[^\s]""")
# YAML 1.1 (libyaml) breaks lines at NEL, LS and PS, YAML 1.2 does not; control characters;
# tabs, which the two scanners treat apart around plain scalars.
_DOUBT_CHARS = re.compile("[\t\x85\u2028\u2029\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")
_DOUBTS = (_TAG, _DIRECTIVE, _ANCHOR, _HEADER, _ADJACENT, _DOUBT_CHARS)
_DECIMAL = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+(?=[eE]))(?:[eE][-+]?[0-9]+)?\Z")
_SPECIAL_FLOATS = {".inf": math.inf, ".nan": math.nan}
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False,
          "FALSE": False}
_NULLS = {"", "~", "null", "Null", "NULL"}

# ruamel.yaml's implicit resolvers for YAML 1.2 (its default version), verbatim.
_IMPLICIT: list[tuple[str, str, str]] = [
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("float", r"""^(?:
         [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
        |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""", "-+0123456789."),
    ("int", r"""^(?:[-+]?0b[0-1_]+
        |[-+]?0o?[0-7_]+
        |[-+]?[0-9_]+
        |[-+]?0x[0-9a-fA-F_]+)$""", "-+0123456789"),
    ("merge", r"^(?:<<)$", "<"),
    ("null", r"^(?: ~ |null|Null|NULL | )$", "~nN"),
    ("timestamp", r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
        |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?
        (?:[Tt]|[ \t]+)[0-9][0-9]?
        :[0-9][0-9] :[0-9][0-9] (?:\.[0-9]*)?
        (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""", "0123456789"),
    ("value", r"^(?:=)$", "="),
]


class Doubt(Exception):
    """The fast parse cannot vouch for this input: the round trip decides."""


class _Resolver(yaml.resolver.BaseResolver):
    yaml_implicit_resolvers: dict[str, list[tuple[str, re.Pattern[str]]]] = {}


for _kind, _regex, _first in _IMPLICIT:
    _pattern = re.compile(_regex, re.X)
    for _ch in [*_first, *([""] if _kind == "null" else [])]:
        _Resolver.yaml_implicit_resolvers.setdefault(_ch, []).append(
            (f"tag:yaml.org,2002:{_kind}", _pattern))


def _scalar(text: str, tag: str) -> Any:
    """A plain scalar's value as the round trip gives it, or Doubt."""
    kind = tag.rsplit(":", 1)[-1]
    if kind == "str":
        return text
    if kind == "int" and _DECIMAL.match(text):
        return int(text)
    if kind == "float":
        special = _SPECIAL_FLOATS.get(text.lstrip("+-").lower())
        if special is not None:
            return -special if text.startswith("-") else special
        if _FLOAT.match(text):
            return float(text)
    if kind == "bool" and text in _BOOLS:
        return _BOOLS[text]
    if kind == "null" and text in _NULLS:
        return None
    if kind == "timestamp" and (m := _DATE.match(text)):
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise Doubt(text) from None
    raise Doubt(f"{tag} {text!r}")


def _build(node: Node, seen: dict[int, Any]) -> Any:
    """Plain data from libyaml's nodes; an alias is the same object, built once."""
    if id(node) in seen:
        if seen[id(node)] is _BUILDING:
            raise Doubt("recursive alias")
        return seen[id(node)]
    if isinstance(node, ScalarNode):
        return _scalar(node.value, node.tag)
    seen[id(node)] = _BUILDING
    out: Any
    if isinstance(node, SequenceNode) and node.tag == "tag:yaml.org,2002:seq":
        out = [_build(item, seen) for item in node.value]
    elif isinstance(node, MappingNode) and node.tag == "tag:yaml.org,2002:map":
        out = {}
        for key_node, value_node in node.value:
            key = _build(key_node, seen)
            if type(key) is not str or key in out:
                raise Doubt("a duplicate or non-string key")
            out[key] = _build(value_node, seen)
    else:
        raise Doubt(node.tag)
    seen[id(node)] = out
    return out


_BUILDING = object()


def count_values(data: Any, limit: int) -> int:
    """Values after alias expansion, as the round trip's guard counts them (stops past limit)."""
    seen, stack = 0, [data]
    while stack and seen <= limit:
        node = stack.pop()
        seen += 1
        if isinstance(node, dict):
            for k, v in node.items():
                stack += (k, v)
        elif isinstance(node, list):
            stack += node
    return seen


@dataclass(frozen=True)
class FastDoc:
    """Plain data and libyaml's node tree, for lines."""

    data: Any
    root: Node

    def line_of(self, path: tuple[str | int, ...]) -> int | None:
        """1-based line of the deepest node along `path` (as yamlio.line_of on the round trip)."""
        node, line = self.root, None
        for key in path:
            if isinstance(node, MappingNode):
                hit = next((pair for pair in node.value if pair[0].value == key), None)
                if hit is None:
                    break
                line, node = hit[0].start_mark.line + 1, hit[1]
            elif isinstance(node, SequenceNode) and isinstance(key, int) \
                    and 0 <= key < len(node.value):
                node = node.value[key]
                line = node.start_mark.line + 1
            else:
                break
        if line is None and isinstance(self.root, MappingNode | SequenceNode):
            line = self.root.start_mark.line + 1
        return line


try:
    from yaml.cyaml import CParser
except ImportError:  # PyYAML built without libyaml: a pure-Python parse would gain nothing
    CParser = None


class _Loader(CParser or object, _Resolver):  # type: ignore[misc]
    def __init__(self, stream: str) -> None:
        CParser.__init__(self, stream)
        _Resolver.__init__(self)


def load_fast(text: str) -> FastDoc | None:
    """The document as plain data with its node tree, or None when the round trip must decide."""
    if CParser is None or any(p.search(text) for p in _DOUBTS):
        return None
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None
        data = _build(root, {})
    except (Doubt, yaml.YAMLError, RecursionError, ValueError, TypeError):
        return None
    finally:
        loader.dispose()
    if count_values(data, MAX_NODES) > MAX_NODES:
        return None
    return FastDoc(data, root)
